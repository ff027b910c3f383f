"""The terminal player, end to end through a subprocess as a user would run it."""

import json
import os
import subprocess
import sys

from conftest import FIXTURES, ROOT, saves_folder


def kira(*args: str, stdin: str = "", env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"COLUMNS": "100", "NO_COLOR": "1"} | (env_extra or {})
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60, cwd=ROOT)


def test_scripted_choices_reach_an_ending_and_record(tmp_path):
    record = tmp_path / "r.json"
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--choices", "1,1", "--record", str(record))
    assert result.returncode == 0, result.stderr
    assert "The end: Hero" in result.stdout and "Content note" in result.stdout
    data = json.loads(record.read_text())
    assert data["ending"] == "hero" and [s["choice"] for s in data["steps"]] == [0, 0]
    assert data["summary"]["matched_novel"] == 2


def test_piped_input_survives_bad_entries(tmp_path):
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="9\nbanana\n2\n\n1\n\n\n",
                  env_extra={"KIRA_SAVE_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "There is no choice 9" in result.stdout
    assert "Type a number from 1 to 2" in result.stdout
    assert "The end: Coward" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_undo_and_save_commands(tmp_path):
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="1\n\nu\ns\n3\nq\n",
                  env_extra={"KIRA_SAVE_DIR": str(tmp_path)})
    assert "You take back your last choice" in result.stdout and "Saved in slot 3" in result.stdout
    saved = json.loads((saves_folder(tmp_path) / "3.json").read_text())
    assert saved["playthrough"]["scene"] == "hall"


def test_play_error_is_a_message_not_a_traceback(tmp_path):
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="1\nI gave up nothing.\n2\n1\n\n\n",
                  env_extra={"KIRA_SAVE_DIR": str(tmp_path)})
    words = " ".join(result.stdout.split())
    assert "division by zero in scene 'yard'" in words and "Pick another choice or undo" in words
    assert "The end: Hero" in words and "Traceback" not in result.stderr


def test_no_display_falls_back_to_terminal():
    result = kira("--story", str(FIXTURES / "tiny"), "--choices", "1,1")
    assert result.returncode == 0 and "The end: Hero" in result.stdout


def test_broken_story_gets_located_errors_and_status_1(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "story.yaml").write_text("id: x\ntitle: X\nauthor: Y\nstart: nowhere\ncontent_note: z\n")
    result = kira("validate", str(bad))
    assert result.returncode == 1
    assert "story.yaml:4:8: error: the start scene 'nowhere' does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_accepts_the_fixture():
    assert kira("validate", str(FIXTURES / "tiny")).returncode == 0


def test_corrupt_save_offers_the_backup(tmp_path):
    from game.loader.story import load_story
    from game.runtime.playthrough import Playthrough
    from game.session.saves import SaveStore

    story = load_story(FIXTURES / "tiny")
    store = SaveStore(story, tmp_path)
    play = Playthrough(story)
    store.save("2", play)
    play.choose(0)
    store.save("2", play)
    store.path("2").write_text("{ torn")
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="l\n2\ny\nq\n",
                  env_extra={"KIRA_SAVE_DIR": str(tmp_path)})
    words = " ".join(result.stdout.split())
    assert "the save cannot be read" in words and "Load it instead?" in words
    assert "Loaded the previous save of 2" in words
    assert store.path("2").read_text() == "{ torn"


def test_save_from_an_older_story_offers_its_chapter(tmp_path):
    from game.loader.story import load_story
    from game.session.saves import SaveStore

    story = load_story(FIXTURES / "tiny")
    store = SaveStore(story, tmp_path)
    from game.runtime.playthrough import Playthrough

    store.save("3", Playthrough(story))
    data = json.loads(store.path("3").read_text())
    data["playthrough"].update(scene="removed_scene", chapter="two", steps=[{"scene": "x", "choice": 0}])
    store.path("3").write_text(json.dumps(data))
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="n\nl\n3\ny\nq\n",
                  env_extra={"KIRA_SAVE_DIR": str(tmp_path)})
    words = " ".join(result.stdout.split())
    assert "no longer exists" in words and "You are at the start of Chapter Two" in words
    assert "Traceback" not in result.stderr


def test_a_new_session_offers_to_continue_the_last_game(tmp_path):
    saves = {"KIRA_SAVE_DIR": str(tmp_path)}
    first = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="1\n\nq\n", env_extra=saves)
    assert "Your place is kept in the autosave" in first.stdout
    again = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="\nq\n", env_extra=saves)
    words = " ".join(again.stdout.split())
    assert "Your last game: Chapter Two - The Yard (autosave," in words and "Loaded autosave." in words
    assert "THE YARD" in again.stdout and "THE HALL" not in again.stdout
    anew = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="n\nq\n", env_extra=saves)
    assert "THE HALL" in anew.stdout and "Loaded" not in anew.stdout
    assert json.loads((saves_folder(tmp_path) / "autosave.json").read_text())["playthrough"]["scene"] == "hall"


def test_save_and_load_prompts_take_mistakes_calmly(tmp_path):
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="s\n\nl\nxyz\nh\nq\n",
                  env_extra={"KIRA_SAVE_DIR": str(tmp_path)})
    words = " ".join(result.stdout.split())
    assert "Not saved." in words and not (saves_folder(tmp_path) / "1.json").exists()
    assert "There is no slot 'xyz'" in words and "Traceback" not in result.stderr
    assert "No choices yet. 1. Be brave" in words  # the choices are shown again after a command's output


def test_endings_and_codex_reached_in_the_terminal_count_in_the_gallery(tmp_path):
    from game.session.gallery import Gallery

    saves = {"KIRA_SAVE_DIR": str(tmp_path)}
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="1\n\n1\n\n\n", env_extra=saves)
    assert "Endings reached in all your playthroughs: 1 of 2." in result.stdout
    gallery = Gallery(saves_folder(tmp_path).name, tmp_path)  # beside the saves of this story
    assert gallery.reached("hero") and "petrograd" in gallery.codex


def test_output_that_is_not_a_terminal_gets_plain_lines(tmp_path):
    """Piped output (and --plain) has no box rules and no lines padded with spaces: screen readers read
    it line by line."""
    result = kira("play", "--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--choices", "1,1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "A cold hall." in out and "Content note:" in out
    assert not any(ch in out for ch in "─━│╭╮╰╯"), "box-drawing characters in piped output"
    assert not any(line != line.rstrip(" ") for line in out.splitlines()), "a line padded with spaces"


def test_plain_flag_in_a_terminal(tmp_path):
    """--plain asks for the same plain lines when the output is a terminal (rich is told it is one)."""
    env = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "COLUMNS": "100"}
    boxed = kira("play", "--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--choices", "1,1", env_extra=env)
    plain = kira("play", "--ui", "terminal", "--plain", "--story", str(FIXTURES / "tiny"), "--choices", "1,1",
                 env_extra=env)
    assert "─" in boxed.stdout  # rich believed it was writing to a terminal
    assert "─" not in plain.stdout and "A cold hall." in plain.stdout
def test_continue_it_takes_only_y_or_n(tmp_path):
    saves = {"KIRA_SAVE_DIR": str(tmp_path)}
    kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="1\n\nq\n", env_extra=saves)
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), stdin="maybe\nn\nq\n", env_extra=saves)
    words = " ".join(result.stdout.split())
    assert '"maybe" is neither y nor n' in words and "Loaded" not in words and "THE HALL" in result.stdout


def test_a_dead_end_says_so_in_play_and_in_replay(tmp_path):
    story = tmp_path / "stuck"
    story.mkdir()
    (story / "story.yaml").write_text("id: stuck\ntitle: Stuck\nauthor: A\nstart: a\ncontent_note: None.\n"
                                      "variables:\n  n: {default: 0, description: a number}\n")
    (story / "s.yaml").write_text(
        "scenes:\n  - id: a\n    title: A\n    text: A room.\n    choices:\n"
        "      - {label: Go, to: b}\n"
        "  - id: b\n    title: B\n    text: A wall.\n    choices:\n"
        "      - {label: Climb, to: end, if: \"n > 5\"}\n"
        "endings:\n  - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, "
        "reflection: [q, r]}\n")
    saves = {"KIRA_SAVE_DIR": str(tmp_path / "saves")}
    played = kira("--ui", "terminal", "--story", str(story), stdin="1\n\n1\nbanana\nq\n", env_extra=saves)
    words = " ".join(played.stdout.split())
    assert "This is a dead end: no choice is open in the scene 'b'" in words
    assert "stuck/s.yaml:7" in "".join(played.stdout.split())  # where it is (a long path may wrap)
    assert "from 1 to 0" not in words and "Traceback" not in played.stderr
    replayed = kira("--ui", "terminal", "--story", str(story), "--choices", "1,1", env_extra=saves)
    assert "This is a dead end" in " ".join(replayed.stdout.split()) and replayed.returncode != 0
