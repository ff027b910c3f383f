"""Saves: atomic, backed up, corrupt files reported and left alone, killed writers lose nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES, ROOT, saves_folder

from game.atomic import backup_path
from game.errors import CorruptSave
from game.loader.story import load_story
from game.runtime.playthrough import Playthrough
from game.session.saves import AUTOSAVE, SaveStore, read_save_file


@pytest.fixture
def store(tiny, tmp_path):
    return SaveStore(tiny, tmp_path)


def test_save_and_load_round_trip(tiny, store):
    play = Playthrough(tiny)
    play.choose(0)
    store.save("2", play, {"answers": {"q": "a"}})
    again, extra = store.load("2")
    assert again.to_dict() == play.to_dict() and extra == {"answers": {"q": "a"}}
    info = store.info("2")
    assert info.scene_title == "The Yard" and info.chapter_title == "Chapter Two" and info.saved_at


def test_previous_good_save_is_kept_as_backup(tiny, store):
    play = Playthrough(tiny)
    store.save("1", play)
    play.choose(0)
    store.save("1", play)
    assert store.load("1")[0].scene_id == "yard"
    assert store.load("1", backup=True)[0].scene_id == "hall"


@pytest.mark.parametrize("damage", [b"", b"{\"kind\": \"we-the-li", b"\x00\xff garbage", b"[1, 2]"])
def test_corrupt_save_is_reported_and_left_untouched(tiny, store, damage):
    store.save("3", Playthrough(tiny))
    path = store.path("3")
    path.write_bytes(damage)
    with pytest.raises(CorruptSave) as info:
        store.load("3")
    assert "left untouched" in str(info.value) and "\n" not in str(info.value)
    assert path.read_bytes() == damage
    assert store.info("3").error
    store.save("4", Playthrough(tiny))  # other slots keep working
    assert store.load("4")[0].scene_id == "hall"


def test_saving_over_a_corrupt_slot_does_not_back_it_up(tiny, store):
    store.save("5", Playthrough(tiny))
    store.save("5", Playthrough(tiny))
    good_backup = backup_path(store.path("5")).read_bytes()
    store.path("5").write_bytes(b"broken")
    store.save("5", Playthrough(tiny))
    assert backup_path(store.path("5")).read_bytes() == good_backup


def test_latest_slot_is_offered_to_continue(tiny, store):
    play = Playthrough(tiny)
    store.save("1", play)
    time.sleep(0.01)
    play.choose(0)
    store.save(AUTOSAVE, play)
    latest = store.latest()
    assert latest is not None and latest.slot == AUTOSAVE


def test_unknown_slot_is_a_programming_error(store):
    with pytest.raises(ValueError):
        store.path("../../etc")


SLOW = bool(os.environ.get("KIRA_SLOW_TESTS"))
KILLS = 200 if SLOW else 30  # 200 kills take about a minute here: set KIRA_SLOW_TESTS=1 to run them


def _killer(story_dir, saves, ready) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(ROOT / "tests" / "crash" / "save_killer.py"), str(story_dir),
                             str(saves), str(ready)], env=env)


def test_saves_survive_two_writers_killed_at_random_moments(tmp_path):
    """Two games save the same slots while both are killed with SIGKILL at random moments.

    Every save file left behind must load, and the next start leaves no temporary file behind.
    """
    story_dir = FIXTURES / "tiny"
    story = load_story(story_dir)
    saves = tmp_path / "saves"
    readies = [tmp_path / "count-a", tmp_path / "count-b"]
    rng = random.Random(5)
    total = kills = orphans = 0
    while kills < KILLS:
        for ready in readies:
            ready.unlink(missing_ok=True)
        children = [_killer(story_dir, saves, ready) for ready in readies]
        deadline = time.monotonic() + 20
        while not all(ready.exists() for ready in readies) and time.monotonic() < deadline:
            time.sleep(0.005)
        for child in children:
            time.sleep(rng.uniform(0.0, 0.02))
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
        for ready in readies:
            try:
                total += int(ready.read_text() or 0)
            except (FileNotFoundError, ValueError):
                pass
        folder = saves_folder(saves)
        orphans += len(list(folder.glob(".*.tmp")))
        for path in (p for p in folder.glob("*.json*") if not p.name.startswith(".")):  # not the lock files
            data = read_save_file(path)  # raises if a kill left a broken file
            if not path.name.endswith(".bak"):
                assert Playthrough.from_dict(story, data["playthrough"]).scene_id in story.scenes
    story = load_story(story_dir)
    SaveStore(story, saves)  # the next start
    assert list(saves_folder(saves).glob("*.tmp")) == [] and list(saves_folder(saves).glob(".*.tmp")) == []
    print(f"{total} saves by two writers across {kills} kills; {orphans} temporary files seen between rounds; "
          "every file left loads and the next start left no temporary file")
    assert kills >= KILLS and total >= KILLS


def test_two_writers_to_one_slot_never_lose_both_copies(tiny, tmp_path, monkeypatch):
    """Two games save slot 1 at the same moment: one save ends in the slot, the other in its backup."""
    import threading

    import game.atomic as atomic

    slow_write = atomic._write_replace

    def slow(path, data, shared=False):  # widen the window between reading the old save and replacing it
        time.sleep(0.05)
        slow_write(path, data, shared)

    monkeypatch.setattr(atomic, "_write_replace", slow)
    store = SaveStore(tiny, tmp_path)
    store.save("1", Playthrough(tiny, seed=1))
    for round_ in range(3):
        seeds = (10 + round_ * 2, 11 + round_ * 2)
        barrier = threading.Barrier(2)

        def write(seed: int, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            SaveStore(tiny, tmp_path).save("1", Playthrough(tiny, seed=seed))

        threads = [threading.Thread(target=write, args=(seed,)) for seed in seeds]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        kept = {store.load("1")[0].seed, store.load("1", backup=True)[0].seed}
        assert kept == set(seeds), f"round {round_}: slot and backup hold {kept}, not both of {seeds}"


# -- saves that belong to another story, damaged ones, hostile ones ----------------------------------

def _copy_story(tmp_path, name: str, story_id: str = "tiny"):
    import shutil

    folder = tmp_path / name
    shutil.copytree(FIXTURES / "tiny", folder)
    text = (folder / "story.yaml").read_text().replace("id: tiny", f"id: {story_id}")
    (folder / "story.yaml").write_text(text)
    return folder


@pytest.mark.parametrize("story_id", ['"/tmp/x"', '"../x"', '"a/b"', '".."', '"x y"', '"-x"', '"a\\\\b"', "x" * 65])
def test_unsafe_story_ids_are_refused_at_load(tmp_path, story_id):
    from game.errors import StoryError

    folder = _copy_story(tmp_path, "s", story_id)
    with pytest.raises(StoryError) as info:
        load_story(folder)
    assert any(d.pos.line == 1 and "valid id" in d.message for d in info.value.diagnostics)


def test_a_strangers_story_with_the_same_id_keeps_its_own_saves(tmp_path):
    mine, theirs = load_story(_copy_story(tmp_path, "mine")), load_story(_copy_story(tmp_path, "theirs"))
    saves = tmp_path / "saves"
    SaveStore(mine, saves).save(AUTOSAVE, Playthrough(mine, seed=1))
    SaveStore(mine, saves).save(AUTOSAVE, Playthrough(mine, seed=2))
    for seed in (3, 4):
        SaveStore(theirs, saves).save(AUTOSAVE, Playthrough(theirs, seed=seed))
    store = SaveStore(mine, saves)
    assert store.load(AUTOSAVE)[0].seed == 2 and store.load(AUTOSAVE, backup=True)[0].seed == 1
    assert SaveStore(mine, saves).folder != SaveStore(theirs, saves).folder


def test_a_save_carried_into_another_storys_folder_is_refused_with_a_message(tmp_path):
    import shutil

    from game.errors import SaveMismatch

    mine, theirs = load_story(_copy_story(tmp_path, "mine")), load_story(_copy_story(tmp_path, "theirs"))
    saves = tmp_path / "saves"
    SaveStore(theirs, saves).save("2", Playthrough(theirs))
    store = SaveStore(mine, saves)
    store.folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SaveStore(theirs, saves).path("2"), store.path("2"))
    with pytest.raises(SaveMismatch, match="another story"):
        store.load("2")
    assert "another story" in store.info("2").error


def test_a_damaged_autosave_is_set_aside_and_the_good_backup_kept(tiny, store):
    store.save(AUTOSAVE, Playthrough(tiny, seed=1))
    store.save(AUTOSAVE, Playthrough(tiny, seed=2))
    good_backup = backup_path(store.path(AUTOSAVE)).read_bytes()
    store.path(AUTOSAVE).write_bytes(b'{"kind": "we-the-living-save", "version": 1, "playthr')
    for seed in (3, 4, 5):  # the next choices autosave again and again
        store.save(AUTOSAVE, Playthrough(tiny, seed=seed))
        assert backup_path(store.path(AUTOSAVE)).read_bytes() in (good_backup, store.path(AUTOSAVE).read_bytes()) \
            or store.load(AUTOSAVE, backup=True)[0].seed in (2, 3, 4)
    [aside] = list(store.folder.glob("autosave.json.damaged-*"))
    assert aside.read_bytes().endswith(b'"playthr')
    [notice] = store.take_notices()
    assert "autosave was damaged" in notice and aside.name in notice


def test_the_first_save_after_damage_does_not_touch_the_backup(tiny, store):
    store.save(AUTOSAVE, Playthrough(tiny, seed=1))
    store.save(AUTOSAVE, Playthrough(tiny, seed=2))
    good_backup = backup_path(store.path(AUTOSAVE)).read_bytes()
    store.path(AUTOSAVE).write_bytes(b"\x00garbage")
    store.save(AUTOSAVE, Playthrough(tiny, seed=3))
    assert backup_path(store.path(AUTOSAVE)).read_bytes() == good_backup
    assert store.load(AUTOSAVE)[0].seed == 3


def test_the_terminal_says_when_the_autosave_was_damaged(tmp_path):
    saves = tmp_path / "saves"
    env = os.environ | {"PYTHONPATH": str(ROOT), "KIRA_SAVE_DIR": str(saves), "NO_COLOR": "1"}
    args = [sys.executable, str(ROOT / "main.py"), "--ui", "terminal", "--story", str(FIXTURES / "tiny")]
    subprocess.run(args, input="1\n\nq\n", capture_output=True, text=True, env=env, timeout=60, check=True)
    (saves_folder(saves) / "autosave.json").write_text("{broken")
    result = subprocess.run(args, input="n\n1\n\nq\n", capture_output=True, text=True, env=env, timeout=60)
    words = " ".join(result.stdout.split())
    assert "The autosave was damaged" in words and "kept as autosave.json.damaged-" in words, words
    assert "Traceback" not in result.stderr


# Wrong types for every field of a save: each slot must be listed as damaged (or load), never crash.
BAD_VALUES = [None, True, -1, 1.5, float("nan"), "abc", [], [1], {}, {"x": [1]}, "9" * 5000]
PLAY_FIELDS = ["seed", "scene", "start", "chapter", "steps", "variables", "visits", "format", "story", "ending"]
TOP_FIELDS = ["saved_at", "scene_title", "chapter_title", "extra", "playthrough", "version", "origin"]


def _damaged_variants() -> list[tuple[str, str, object]]:
    cases = [("playthrough", f, v) for f in PLAY_FIELDS for v in BAD_VALUES]
    cases += [("top", f, v) for f in TOP_FIELDS for v in BAD_VALUES]
    cases += [("step", f, v) for f in ("scene", "choice", "label", "to", "novel", "time") for v in BAD_VALUES]
    cases += [("variable", f, v) for f in ("courage", "coins", "brave") for v in BAD_VALUES]
    cases += [("visit", "hall", v) for v in BAD_VALUES]
    return cases


@pytest.mark.parametrize("where,field,value", _damaged_variants())
def test_every_field_of_a_save_is_checked(tiny, store, where, field, value):
    from game.errors import SaveMismatch

    play = Playthrough(tiny)
    play.choose(0)
    store.save("1", play)
    store.save("2", play)
    data = json.loads(store.path("1").read_text())
    target = {"playthrough": data["playthrough"], "top": data, "step": data["playthrough"]["steps"][0],
              "variable": data["playthrough"]["variables"], "visit": data["playthrough"]["visits"]}[where]
    target[field] = value
    store.path("1").write_text(json.dumps(data))  # NaN is written as NaN, as a careless tool would
    slots = store.slots()
    info = next(s for s in slots if s.slot == "1")
    try:
        loaded, _ = store.load("1")
    except CorruptSave:
        assert info.error, "a slot that cannot load must be listed as damaged"
    except SaveMismatch as exc:  # damaged, or a scene this version of the story no longer has (offered its chapter)
        assert info.error or "no longer exists" in str(exc), "a slot that cannot load must be listed as damaged"
    else:
        assert not info.error
        loaded.choices()
        loaded.to_dict()
        loaded.text()
    assert store.load("2")[0].scene_id == "yard"  # the other slots still work


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                                  '{"kind": "we-the-living-save", "version": 1, "extra": ' + "[" * 5000 + "]" * 5000
                                  + "}"])
def test_a_deeply_nested_slot_is_listed_as_damaged(tiny, store, text):
    store.save("2", Playthrough(tiny))
    store.path("1").parent.mkdir(parents=True, exist_ok=True)
    store.path("1").write_text(text)
    info = store.info("1")
    assert info.exists and "nests deeper" in info.error
    assert store.latest() is not None and store.latest().slot == "2"


def test_an_old_save_that_passes_a_removed_scene_resumes_without_crashing(tmp_path):
    """The newer story drops a scene the save's path went through; the save still plays to an ending."""
    from game.runtime.summary import summarize

    folder = _copy_story(tmp_path, "s")
    story = load_story(folder)
    play = Playthrough(story)
    play.choose(0)  # hall -> yard
    data = play.to_dict()
    data["steps"].insert(0, {"scene": "cellar", "choice": 0, "label": "Go down", "to": "hall", "novel": False,
                             "time": ""})
    data["visits"]["cellar"] = 1
    saves = tmp_path / "saves"
    store = SaveStore(story, saves)
    store.save("1", play)
    saved = json.loads(store.path("1").read_text())
    saved["playthrough"] = data
    store.path("1").write_text(json.dumps(saved))
    assert not store.info("1").error
    loaded, _ = store.load("1")
    summarize(loaded).lines()
    while not loaded.is_over:
        loaded.choose(0)
    summarize(loaded).lines()
    assert loaded.ending is not None


@pytest.mark.parametrize("kind", ["fifo", "folder", "dev-zero"])
def test_a_slot_that_is_not_a_file_is_listed_as_damaged(tiny, store, kind):
    store.save("2", Playthrough(tiny))
    path = store.path("1")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    assert store.info("1").error
    assert store.latest().slot == "2"


def test_orphaned_temporary_files_are_removed_at_the_next_start(tiny, tmp_path):
    store = SaveStore(tiny, tmp_path)
    store.save("1", Playthrough(tiny))
    orphans = [store.folder / ".1.json.abcd1234.tmp", store.folder / ".autosave.json.bak.zz99.tmp",
               store.folder / ".gallery.json.q1w2e3.tmp"]
    for orphan in orphans:
        orphan.write_text("half a save")
    SaveStore(tiny, tmp_path)
    assert not any(orphan.exists() for orphan in orphans)
    assert store.load("1")[0].scene_id == "hall"


def test_a_temporary_file_of_a_save_in_progress_is_left_alone(tiny, tmp_path):
    from game.atomic import locked

    store = SaveStore(tiny, tmp_path)
    live = store.folder / ".1.json.live0000.tmp"
    store.folder.mkdir(parents=True)
    live.write_text("being written")
    with locked(store.path("1")):  # another game is writing slot 1 right now
        SaveStore(tiny, tmp_path)
    assert live.exists()
