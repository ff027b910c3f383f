"""What the story cache's entries are named by: the files a story is read from, and their SHA-256.

An entry's name is a SHA-256 of everything the loaded story depends on
(see :mod:`game.loader.cache`); the list of those files is also what the
title's front matter is checked against (:mod:`game.loader.front`).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from game import __version__
from game.loader.files import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, read_limited

FORMAT = 3  # 2: entries are signed; 3: expressions are stored as trees
SUFFIX = ".entry"
_ENGINE_MODULES = ("loader/story.py", "loader/reader.py", "loader/builders.py", "loader/fields.py",
                   "loader/source.py", "loader/cache.py", "loader/cache_key.py", "runtime/model.py",
                   "runtime/expressions.py", "runtime/syntax.py", "runtime/compiler.py", "errors.py")


@functools.cache
def _engine_fingerprint() -> bytes:
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    here = Path(__file__).parent.parent
    for name in _ENGINE_MODULES:
        digest.update((here / name).read_bytes())
    return digest.digest()


def entry_key(root: Path, packs: Sequence[Path], files: Sequence[Path]) -> tuple[str | None, int]:
    """The entry's name: a hash of every file, each read only if it is a regular file within the limits."""
    if len(files) > MAX_FILES + 1:
        return None, 0
    digest = hashlib.sha256(_engine_fingerprint())
    digest.update(os.getcwd().encode("utf-8", "surrogateescape"))
    size = 0
    for path in files:
        try:
            data = read_limited(path, MAX_FILE_BYTES)
        except OSError:
            return None, 0  # a FIFO, a device, a huge file, a missing one: the loader will report it
        size += len(data)
        if size > MAX_TOTAL_BYTES * 2:
            return None, 0
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(len(data).to_bytes(8, "little") + data)
    digest.update(repr((str(root), [str(p) for p in packs])).encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), size
