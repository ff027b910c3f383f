"""The title's front matter kept for the window's first frame: found only for unchanged files, never trusted blindly."""

from __future__ import annotations

import json
import os

from conftest import FIXTURES

from game.loader.front import FrontMatter, keep_front, read_front, signature
from game.loader.story import load_story


def copy_tiny(tmp_path):
    root = tmp_path / "tiny"
    root.mkdir()
    for path in (FIXTURES / "tiny").iterdir():
        if path.is_file():
            (root / path.name).write_bytes(path.read_bytes())
    return root


def test_kept_front_matter_is_found_for_the_same_files(tmp_path):
    root = copy_tiny(tmp_path)
    story = load_story(root)
    assert read_front(signature(root, [])) is None  # a first start: nothing kept yet
    keep_front(signature(root, []), story)
    front = read_front(signature(root, []))
    assert front == FrontMatter(story.id, story.title, story.author, story.root)


def test_an_edited_story_file_makes_the_record_unused(tmp_path):
    root = copy_tiny(tmp_path)
    keep_front(signature(root, []), load_story(root))
    text = (root / "story.yaml").read_text()
    (root / "story.yaml").write_text(text.replace("title:", "title: New", 1))
    assert read_front(signature(root, [])) is None
    edited = load_story(root)
    keep_front(signature(root, []), edited)
    front = read_front(signature(root, []))
    assert front is not None and front.title == edited.title and front.title.startswith("New")


def test_a_new_file_or_a_pack_changes_the_signature(tmp_path):
    root = copy_tiny(tmp_path)
    before = signature(root, [])
    (root / "more.yaml").write_text("scenes: []\n")
    assert signature(root, []) != before
    pack = tmp_path / "pack"
    pack.mkdir()
    assert signature(root, [pack]) != signature(root, [])


def test_a_file_changed_in_place_with_the_same_size_and_time_is_still_noticed(tmp_path):
    root = copy_tiny(tmp_path)
    keep_front(signature(root, []), load_story(root))
    path = root / "story.yaml"
    info = path.stat()
    text = path.read_text()
    swapped = text.replace("title: ", "title:\t", 1)
    assert len(swapped) == len(text) and swapped != text
    path.write_text(swapped)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert read_front(signature(root, [])) is None


def test_no_record_without_the_cache_or_for_a_missing_folder(tmp_path, monkeypatch):
    root = copy_tiny(tmp_path)
    assert signature(tmp_path / "missing", []) is None
    assert read_front(None) is None
    monkeypatch.setenv("KIRA_NO_CACHE", "1")
    keep_front(signature(root, []), load_story(root))
    assert read_front(signature(root, [])) is None


def test_a_damaged_record_is_ignored(tmp_path):
    root = copy_tiny(tmp_path)
    keep_front(signature(root, []), load_story(root))
    [record] = (tmp_path / "cache" / "front").glob("*.front.json")
    data = json.loads(record.read_text())
    record.write_text(json.dumps({**data, "title": ["not", "text"]}))
    assert read_front(signature(root, [])) is None
    record.write_text("{not json")
    assert read_front(signature(root, [])) is None
    record.write_text(json.dumps({**data, "title": "x" * 10_000}))
    assert read_front(signature(root, [])) is None
