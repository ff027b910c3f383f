"""The title's front matter: what the window's first frame shows of a story, kept in the cache folder.

The window draws its title screen (the story's title, its author, and the
saves listed under "Continue") before the story is loaded, so that the
player sees it as soon as a bare window could show anything. What it needs
of the story is a small JSON record kept in the cache folder after a
story was loaded (:func:`keep_front`), together with a signature of what
the story was loaded from: the path, size and CRC-32 of every story and
pack file, the working folder, this engine's version and the CRC-32 of the
modules that read stories. A record is used only when the signature of
the files as they are now is the same; a story whose files changed is
loaded in full before the first frame, as on a first start. And the
loaded story has the last word: the window shows its title once loaded.

Why CRC-32 and not the cache's SHA-256: the signature only has to notice
a changed file, not resist a forger (the record is kept in the user's own
folder, and a story's author can only name their own story), and CRC-32
comes with zlib, which pygame has already loaded, while importing hashlib
(OpenSSL) would cost the first frame more than reading the record.

The record is data, never code: read only from the user's own cache
folder, within a size limit, every field checked to be short text.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from game import __version__
from game.atomic import write_atomic
from game.loader.cache_folder import cache_dir, cache_enabled, keep_newest, own_folder
from game.loader.files import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, cache_files, read_limited, read_small_json

FRONT_FORMAT = 1
SUFFIX = ".front.json"
MAX_RECORDS = 8
MAX_FRONT_BYTES = 2_000_000  # a signature lists every file of a big story
MAX_FIELD = 4_000
_READERS = ("loader/story.py", "loader/reader.py", "loader/builders.py", "loader/fields.py", "loader/source.py",
            "runtime/model.py", "loader/front.py")

Signature = list[Any]


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


def signature(root: Path, packs: Sequence[Path]) -> Signature | None:
    """What a story loaded from ``root`` and ``packs`` now depends on; None when it cannot be told (a
    missing folder, too many or too large files, an unreadable one: the loader will report them)."""
    files = cache_files(root, packs)
    if files is None or len(files) > MAX_FILES + 1:
        return None
    here = Path(__file__).parent.parent
    try:
        engine = [zlib.crc32((here / name).read_bytes()) for name in _READERS]
    except OSError:
        return None
    listed, total = [], 0
    for path in files:
        try:
            data = read_limited(path, MAX_FILE_BYTES)
        except OSError:
            return None
        total += len(data)
        if total > MAX_TOTAL_BYTES * 2:
            return None
        listed.append([str(path), len(data), zlib.crc32(data)])
    return [FRONT_FORMAT, __version__, engine, os.getcwd(), str(root), [str(p) for p in packs], listed]


def read_front(sign: Signature | None) -> FrontMatter | None:
    """The front matter kept for a story with exactly this signature, or None (a first start, an edited
    story, the cache turned off or not the user's own)."""
    path = _record_path(sign)
    if path is None:
        return None
    try:
        data = read_small_json(path, MAX_FRONT_BYTES)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("signature") != sign:
        return None
    fields = [data.get(name) for name in ("id", "title", "author", "root")]
    if not all(isinstance(value, str) and len(value) <= MAX_FIELD for value in fields):
        return None
    story_id, title, author, story_root = (str(value) for value in fields)
    return FrontMatter(story_id, title, author, story_root)


def keep_front(sign: Signature | None, story: Titled) -> None:
    """Keep ``story``'s front matter for the next start, under the signature taken before it was loaded
    (a file changed in between only makes the record unused). Never raises: without it, the next start
    loads the story before its first frame, which is slower, never wrong."""
    path = _record_path(sign)
    front = FrontMatter.of(story)
    if path is None or read_front(sign) == front:
        return
    record = {"signature": sign, "id": front.id, "title": front.title, "author": front.author, "root": front.root}
    try:
        write_atomic(path, json.dumps(record), lock=False)
        keep_newest(path.parent, f"*{SUFFIX}", MAX_RECORDS)
    except OSError:
        pass


def _record_path(sign: Signature | None) -> Path | None:
    if sign is None or not cache_enabled():
        return None
    folder = cache_dir() / "front"
    if not own_folder(folder):
        return None
    name = zlib.crc32(json.dumps(sign).encode())  # ASCII: names that are not UTF-8 are escaped
    return folder / f"{name:08x}{SUFFIX}"
