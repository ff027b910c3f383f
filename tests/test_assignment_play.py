"""A student playing an assignment in the terminal: questions come after what they ask about, pasted answers
stay answers, a submission is never replaced unasked, and "written" is said only when it was."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

from conftest import FIXTURES, saves_folder
from test_terminal import ROOT, kira

ASSIGNMENT = FIXTURES / "tiny_assignment.yaml"


def command(tmp_path, *extra: str) -> tuple[str, ...]:
    return ("--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT),
            "--student", "anna", "--out", str(tmp_path / "anna.json"), *extra)


def saves(tmp_path) -> dict[str, str]:
    return {"KIRA_SAVE_DIR": str(tmp_path / "saves")}


def test_a_scene_question_is_asked_after_the_scene_is_shown(tmp_path):
    stdin = "1\nIt cost me my comfort.\nEmpty and cold.\n1\nYes, because I chose it myself.\n"
    result = kira(*command(tmp_path), stdin=stdin, env_extra=saves(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("End of Chapter One") < out.index("What did your first choice cost you?")
    assert out.index("THE YARD") < out.index("The yard is empty.") < out.index("Describe the yard in a few words.")
    assert out.index("Describe the yard in a few words.") < out.index("1. Go on")


def test_a_sentence_that_starts_like_a_command_is_not_one(tmp_path):
    result = kira(*command(tmp_path), stdin="quite right\nhistory\nq\n", env_extra=saves(tmp_path))
    words = " ".join(result.stdout.split())
    assert "Type a number from 1 to 2, or one of:" in words  # "quite right" did not quit the game
    assert "No choices yet." in words and "Goodbye." in words  # the whole words still work


class Terminal:
    """The game on a pseudo-terminal, as a student's terminal runs it (pasting sends many lines at once)."""

    def __init__(self, args: tuple[str, ...], env: dict[str, str]):
        self.master, slave = pty.openpty()
        full = os.environ | {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"} | env
        full.pop("DISPLAY", None)
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=full, cwd=ROOT, close_fds=True)
        os.close(slave)
        self.seen = ""

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            assert time.monotonic() < deadline, f"{text!r} never came; the screen so far:\n{self.seen}"
            if select.select([self.master], [], [], 0.2)[0]:
                try:
                    self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:  # the game ended
                    assert text in self.seen, f"{text!r} never came; the screen so far:\n{self.seen}"

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> int:
        try:
            code = self.proc.wait(timeout=30)
        finally:
            os.close(self.master)
        return code


def test_a_pasted_answer_of_several_lines_is_one_answer_and_never_a_command(tmp_path):
    term = Terminal(command(tmp_path), saves(tmp_path))
    term.wait_for("> ")
    term.type("1\n")
    term.wait_for("What did your first choice cost you?")
    term.type("It cost me my comfort.\nq\nsave\n2\n")  # pasted in one go: lines a prompt would take as commands
    term.wait_for("Answer saved.")
    term.wait_for("Describe the yard in a few words.")
    term.type("Empty and cold.\n")
    term.wait_for("1. Go on")
    term.type("1\n")
    term.wait_for("Was the ending fair? Why?")
    term.type("Yes, because I chose it myself.\n")
    term.wait_for("Submission written")
    assert term.close() == 0
    assert "Goodbye" not in term.seen and "Saving is off" not in term.seen
    record = json.loads((tmp_path / "anna.json").read_text())
    assert record["answers"][0]["answer"] == "It cost me my comfort.\nq\nsave\n2"
    assert [s["choice"] for s in record["playthrough"]["steps"]] == [0, 0]  # the pasted "2" chose nothing


def test_lines_pasted_at_the_choice_prompt_are_not_taken(tmp_path):
    term = Terminal(command(tmp_path), saves(tmp_path))
    term.wait_for("> ")
    term.type("2\nq\n")  # pasted by mistake
    term.wait_for("That was several lines at once")
    term.type("q\n")
    term.wait_for("Goodbye")
    term.close()
    assert "THE YARD" not in term.seen  # the pasted "2" did not choose to hide
    assert term.seen.count("Goodbye") == 1 and term.seen.index("several lines") < term.seen.index("Goodbye")


def test_playing_again_under_the_same_name_asks_before_replacing(tmp_path):
    scripted = ("--choices", "1,1", "--answers", str(FIXTURES / "tiny_answers.yaml"))
    first = kira(*command(tmp_path, *scripted), env_extra=saves(tmp_path))
    assert first.returncode == 0, first.stderr
    before = (tmp_path / "anna.json").read_text()
    again = kira(*command(tmp_path, *scripted), env_extra=saves(tmp_path))
    assert again.returncode == 1 and "already holds a submission; give --replace" in again.stderr
    asked = kira(*command(tmp_path), stdin="\n", env_extra=saves(tmp_path))
    assert "A submission under this name is already in" in asked.stdout and "Replace it" not in asked.stdout
    assert "Nothing was changed" in asked.stderr and "THE HALL" not in asked.stdout
    assert (tmp_path / "anna.json").read_text() == before
    replaced = kira(*command(tmp_path), stdin="y\n2\nIt cost me nothing at all.\nEmpty and cold.\n1\n"
                    "No, because hiding was not my own choice.\n", env_extra=saves(tmp_path))
    assert replaced.returncode == 0 and "Submission written" in replaced.stderr, replaced.stderr
    assert json.loads((tmp_path / "anna.json").read_text())["ending"] == "coward"


def test_submission_written_is_said_only_when_it_was(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the submission's folder should be")
    out = blocker / "anna.json"
    args = ("--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT),
            "--student", "anna", "--out", str(out))
    result = kira(*args, stdin="1\nIt cost me my comfort.\nEmpty and cold.\n1\nYes, because I chose it myself.\n",
                  env_extra=saves(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "could not be written" in result.stderr and "nothing was handed in" in result.stderr
    assert "Submission written" not in result.stderr + result.stdout
    assert "Your place and answers are kept" in result.stderr
    assert list(saves_folder(tmp_path / "saves").glob("assignment-*.json"))  # nothing lost


def test_a_pasted_reflection_in_free_play_stays_one_answer():
    """The same guard outside assignments: the lines after the first never reach the choice prompt."""
    from io import StringIO

    from rich.console import Console

    from game.loader.story import load_story
    from game.ui.terminal import TerminalPlayer

    typed = iter(["1", "I gave up comfort.", "1"])  # a choice, a reflection pasted with "q" in it, a choice
    pasted = {"I gave up comfort.": ["q", "and nothing else"]}
    last: list[str] = []

    def read_line() -> str | None:
        last[:] = [next(typed, None)]
        return last[0]

    player = TerminalPlayer(load_story(FIXTURES / "tiny"), console=Console(file=StringIO(), width=100),
                            read_line=read_line, read_pending=lambda: pasted.pop(last[0], []))
    player.run()
    assert player.session.reflections == {"What did you give up?": "I gave up comfort.\nq\nand nothing else"}
    assert [s.choice for s in player.play.steps] == [0, 0]  # "q" did not quit the game


def test_a_question_shows_what_the_teacher_looks_for(tmp_path):
    graded = tmp_path / "graded.yaml"
    graded.write_text(ASSIGNMENT.read_text().replace(
        "questions:\n",
        "rubric:\n  - {id: moment, text: Names a moment of the playthrough, points: 2}\n"
        "  - {id: why, text: Says why it mattered, points: 1}\nquestions:\n", 1))
    args = command(tmp_path)
    args = (*args[:args.index("--assignment") + 1], str(graded), *args[args.index("--assignment") + 2:])
    result = kira(*args, stdin="1\nIt cost me my comfort.\nq\n", env_extra=saves(tmp_path))
    words = " ".join(result.stdout.split())
    asked = words.index("What did your first choice cost you?")
    assert asked < words.index("What your teacher looks for:") < words.index(
        "- Names a moment of the playthrough (2 points) - Says why it mattered (1 point)")
