"""Saves: atomic, backed up, corrupt files reported and left alone, killed writers lose nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES, ROOT

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


def test_saves_survive_being_killed_at_random_moments(tmp_path):
    """Kill a saving process with SIGKILL at random moments; every save left must load."""
    story_dir = FIXTURES / "tiny"
    story = load_story(story_dir)
    saves = tmp_path / "saves"
    ready = tmp_path / "count"
    rng = random.Random(5)
    total = kills = 0
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    while total < 200 or kills < 20:
        ready.unlink(missing_ok=True)
        child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "crash" / "save_killer.py"), str(story_dir),
                                  str(saves), str(ready)], env=env)
        deadline = time.monotonic() + 20
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.02))
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        try:
            total += int(ready.read_text() or 0)
        except (FileNotFoundError, ValueError):
            pass
        for path in (saves / "tiny").glob("*.json*"):
            if path.name.endswith(".tmp"):
                continue
            data = read_save_file(path)  # raises if a kill left a broken file
            assert Playthrough.from_dict(story, data["playthrough"]).scene_id in story.scenes
    print(f"{total} saves written across {kills} kills; every file left behind loads")
    assert kills >= 20 and total >= 200
