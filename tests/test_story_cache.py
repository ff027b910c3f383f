"""The story cache: big stories come back from it, and it never serves a stale story."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import random
from pathlib import Path

import pytest

from game.loader import cache as story_cache
from game.loader.story import check_story
from game.runtime.playthrough import Playthrough

ROOT = Path(__file__).resolve().parent.parent

SCENES = """\
scenes:
  - id: a
    title: First
    background: {background}
    text: |
      The door. You have {{n}}.
    choices:
      - label: Knock
        to: b
        if: "n >= 2 and word == 'x'"
        effects:
          add: {{n: 2 * 2}}
      - label: Wait
        to: b
        effects:
          set: {{flag: true}}
  - id: b
    title: Second
    text:
      - Inside.
      - if: "visited('a') > 0 and flag"
        text: You waited.
    choices:
      - label: Go on
        to: fork
  - id: fork
    title: Fork
    route:
      - if: "n > 6"
        to: high
    default: low
endings:
  - id: high
    title: High
    epilogue: High.
    state_took: a
    could_not_take: b
    novel: c
    reflection: ["q1?", "q2?"]
  - id: low
    title: Low
    epilogue: Low.
    state_took: a
    could_not_take: b
    novel: c
    reflection: ["q1?", "q2?"]
"""


def _story(make_story, background: str = "street_snow", title: str = "First") -> Path:
    return make_story({"scenes.yaml": SCENES.format(background=background).replace("First", title)})


def _entries() -> list[Path]:
    return list(story_cache.cache_dir().glob(f"*{story_cache.SUFFIX}"))


def _play(story, seed: int) -> tuple[str, dict, list[str]]:
    rng = random.Random(seed)
    play = Playthrough(story)
    while not play.is_over:
        play.choose(rng.randrange(len(play.choices())))
    return play.scene_id, play.to_dict()["variables"], play.text()


def test_a_story_with_errors_is_not_cached(make_story):
    root = _story(make_story, background="missing/door.png")
    story, problems = check_story(root)
    assert story is None and problems
    assert _entries() == []


def test_a_cached_story_plays_exactly_like_a_parsed_one(make_story):
    root = _story(make_story)
    parsed, _ = check_story(root, use_cache=False)
    check_story(root)
    assert len(_entries()) == 1
    cached, problems = check_story(root)
    assert cached is not parsed and problems == []
    for seed in range(12):
        assert _play(cached, seed) == _play(parsed, seed)


def test_a_hit_does_not_parse(make_story, monkeypatch):
    root = _story(make_story)
    check_story(root)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr("game.loader.reader.StoryReader.run", no_parsing)
    story, _ = check_story(root)
    assert story is not None and story.scenes["a"].title == "First"


def _expressions(story) -> list:
    found = []
    for scene in story.scenes.values():
        found += [p.condition for p in scene.paragraphs if p.condition is not None]
        for choice in scene.choices:
            found += [choice.condition] if choice.condition is not None else []
            found += [effect.value for effect in choice.effects]
        found += [route.condition for route in scene.routes if route.condition is not None]
    return found


def test_a_hit_keeps_every_expression_tree_and_does_not_parse_them_again(make_story, monkeypatch):
    root = _story(make_story)
    parsed, _ = check_story(root, use_cache=False)
    check_story(root)

    def no_parsing(*args, **kwargs):
        raise AssertionError("an expression was parsed again")

    monkeypatch.setattr("game.loader.cache.compile_expression", no_parsing)
    monkeypatch.setattr("game.runtime.syntax.Parser.parse", no_parsing)
    cached, _ = check_story(root)
    before, after = _expressions(parsed), _expressions(cached)
    assert len(after) == len(before) == 5
    for old, new in zip(before, after, strict=True):
        assert (new.source, new.type, new.names, new.scenes, new.tree) == \
            (old.source, old.type, old.names, old.scenes, old.tree)
        assert type(new.tree) is type(old.tree) and new.fn is not old.fn
        for n in (0, 2, 7):
            env = {"n": n, "flag": n > 1, "word": "x"}
            assert new.evaluate(env, {"a": n % 2}) == old.evaluate(env, {"a": n % 2})


def test_an_edited_file_is_never_served_stale(make_story):
    root = _story(make_story)
    check_story(root)
    _story(make_story, title="Renamed")
    story, _ = check_story(root)
    assert story.scenes["a"].title == "Renamed"


def test_a_new_file_is_seen(make_story):
    root = _story(make_story)
    check_story(root)
    (root / "more.yaml").write_text("scenes:\n  - id: a\n    title: Again\n    text: x\n    choices: []\n")
    story, problems = check_story(root)
    assert story is None and any(d.code == "duplicate-id" for d in problems), problems


def test_a_removed_background_file_is_reported(make_story):
    root = _story(make_story, background="art/door.png")
    (root / "art").mkdir()
    (root / "art" / "door.png").write_bytes(b"png")
    story, _ = check_story(root)
    assert story is not None
    (root / "art" / "door.png").unlink()
    story, problems = check_story(root)
    assert story is None and any(d.code == "missing-asset" for d in problems)


def test_a_damaged_entry_is_a_miss_and_is_replaced(make_story):
    root = _story(make_story)
    check_story(root)
    [entry] = _entries()
    entry.write_bytes(b"\x80\x05garbage")
    story, _ = check_story(root)
    assert story is not None and story.scenes["b"].title == "Second"
    assert entry.read_bytes() != b"\x80\x05garbage"


def test_no_cache_switch(make_story, monkeypatch):
    monkeypatch.setenv("KIRA_NO_CACHE", "1")
    check_story(_story(make_story))
    assert _entries() == []


# -- a cache entry can never run code -------------------------------------------

class _Planted:
    """Unpickling this runs a shell command: what an attacker would plant in a cache folder."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _planted_pickle(marker: Path) -> bytes:
    return pickle.dumps((story_cache.FORMAT, _Planted(marker), []))


def test_a_planted_unsigned_entry_is_never_unpickled(make_story, tmp_path):
    root = _story(make_story)
    check_story(root)
    [entry] = _entries()
    marker = tmp_path / "ran"
    entry.write_bytes(story_cache.MAGIC + b"\0" * 32 + _planted_pickle(marker))
    story, _ = check_story(root)
    assert story is not None and not marker.exists()
    for name in (entry.name, entry.with_suffix(".pickle").name):  # the old format's name too
        (entry.parent / name).write_bytes(_planted_pickle(marker))
        assert check_story(root)[0] is not None and not marker.exists()


def test_a_signed_entry_naming_other_code_is_refused(make_story, tmp_path):
    """Even with the user's own key, only the model's classes can be named inside an entry."""
    root = _story(make_story)
    check_story(root)
    [entry] = _entries()
    marker = tmp_path / "ran"
    secret = (entry.parent / story_cache.KEY_FILE).read_bytes()
    payload = _planted_pickle(marker)
    entry.write_bytes(story_cache.MAGIC + hmac.new(secret, payload, hashlib.sha256).digest() + payload)
    story, _ = check_story(root)
    assert story is not None and not marker.exists()


@pytest.mark.skipif(os.name != "posix", reason="folder permissions are POSIX")
def test_a_folder_others_can_write_is_not_used(make_story, tmp_path, monkeypatch):
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("KIRA_CACHE_DIR", str(shared))
    root = _story(make_story)
    assert check_story(root)[0] is not None
    assert list(shared.iterdir()) == []  # neither a key nor an entry was written there


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to hand files to another user")
def test_a_key_or_folder_owned_by_another_user_is_not_trusted(make_story, tmp_path, monkeypatch):
    root = _story(make_story)
    check_story(root)
    [entry] = _entries()
    key = entry.parent / story_cache.KEY_FILE
    os.chown(key, 4242, 4242)
    entry.unlink()
    check_story(root)
    assert _entries() == []
    os.chown(key, 0, 0)
    os.chown(entry.parent, 4242, 4242)
    check_story(root)
    assert _entries() == []


def test_the_key_file_is_private(make_story):
    check_story(_story(make_story))
    key = story_cache.cache_dir() / story_cache.KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32


def test_a_story_from_the_cache_never_imports_the_folder_reader(tmp_path):
    """The cold start's promise: a story whose files are unchanged loads without the YAML reading stack."""
    import subprocess
    import sys

    code = ("import sys; from game.loader.story import load_story; load_story(sys.argv[1]); "
            "print(sorted(m for m in ('game.loader.reader', 'game.loader.builders', 'game.loader.source', 'yaml') "
            "if m in sys.modules))")
    env = {**os.environ, "KIRA_CACHE_DIR": str(tmp_path / "cache")}
    story = str(ROOT / "story" / "we_the_living")
    first = subprocess.run([sys.executable, "-c", code, story], env=env, capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code, story], env=env, capture_output=True, text=True, check=True)
    assert "game.loader.reader" in first.stdout  # the first load reads the folder (and fills the cache)
    assert again.stdout.strip() == "[]"
