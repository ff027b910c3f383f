"""The title's front matter: what the window's first frame shows of a story, kept beside its cache entry.

The window draws its title screen (the story's title, its author, and the
saves listed under "Continue") before the story is loaded, so that the
player sees it as soon as a bare window could show anything. What it needs
of the story is a small JSON record written next to the story's cache
entry and named by the same key (:mod:`game.loader.cache_key`): a story
whose files changed has another key, so its old record is never found and
the story is loaded in full before the first frame, as on a first start.

The record is data, never code: it is read only from the user's own cache
folder, within a size limit, and every field is checked to be short text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from game.atomic import write_atomic
from game.loader.cache_key import SUFFIX, cache_dir, cache_enabled, cache_files, entry_key, own_folder
from game.loader.files import read_small_json

FRONT_SUFFIX = ".front.json"
FRONT_FORMAT = 1
MAX_FRONT_BYTES = 64_000
MAX_FIELD = 4_000


class Titled(Protocol):
    """What the front matter is taken from: a loaded story."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def author(self) -> str: ...

    @property
    def root(self) -> str: ...


class FrontMatter(NamedTuple):
    """A story's id, title, author and folder, as its loaded model gives them (a named tuple: it is made
    on the way to the first frame, where a dataclass costs several times as much to define)."""

    id: str
    title: str
    author: str
    root: str

    @classmethod
    def of(cls, story: Titled) -> FrontMatter:
        return cls(story.id, story.title, story.author, story.root)


def front_path(entry: Path) -> Path:
    """The record beside a cache entry: ``<key>.front.json`` next to ``<key>.entry``."""
    return entry.with_name(entry.name.removesuffix(SUFFIX) + FRONT_SUFFIX)


def write_front(entry: Path, story: Titled) -> None:
    """Keep the front matter of ``story`` beside its cache entry (unless it is already there and right)."""
    front = FrontMatter.of(story)
    path = front_path(entry)
    if _read(path) == front:
        return
    record = {"format": FRONT_FORMAT, "id": front.id, "title": front.title, "author": front.author,
              "root": front.root}
    try:
        write_atomic(path, json.dumps(record, ensure_ascii=False), lock=False)
    except OSError:
        pass  # without it the next start loads the story before its first frame: slower, never wrong


def read_front(root: Path, packs: Sequence[Path]) -> FrontMatter | None:
    """The front matter of the story in ``root`` (with ``packs``) as its files are now, or None when the
    cache holds no entry for exactly these files (a first start, an edited story, the cache turned off)."""
    if not cache_enabled():
        return None
    files = cache_files(root, packs)
    if files is None:
        return None
    key, _ = entry_key(root, packs, files)
    folder = cache_dir()
    if key is None or not own_folder(folder):
        return None
    entry = folder / f"{key}{SUFFIX}"
    if not entry.is_file():
        return None  # the story itself must load from the cache right after the first frame
    return _read(front_path(entry))


def _read(path: Path) -> FrontMatter | None:
    try:
        data = read_small_json(path, MAX_FRONT_BYTES)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FRONT_FORMAT:
        return None
    fields = [data.get(name) for name in ("id", "title", "author", "root")]
    if not all(isinstance(value, str) and len(value) <= MAX_FIELD for value in fields):
        return None
    story_id, title, author, root = (str(value) for value in fields)
    return FrontMatter(story_id, title, author, root)
