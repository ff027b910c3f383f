"""Where the story cache lives and what its entries are named by, without the model or pickle.

An entry's name is a SHA-256 of everything the loaded story depends on
(see :mod:`game.loader.cache`). It is worked out here, apart from the
cache itself, so that the window can find the title's front matter
(:mod:`game.loader.front`) for its first frame without importing the
story model, the expression compiler or pickle.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from game import __version__
from game.loader.files import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, STORY_FILE, read_limited, scan_story_files

FORMAT = 3  # 2: entries are signed; 3: expressions are stored as trees
SUFFIX = ".entry"
_ENGINE_MODULES = ("loader/story.py", "loader/reader.py", "loader/builders.py", "loader/fields.py",
                   "loader/source.py", "loader/cache.py", "loader/cache_key.py", "runtime/model.py",
                   "runtime/expressions.py", "runtime/syntax.py", "runtime/compiler.py", "errors.py")


def cache_dir() -> Path:
    override = os.environ.get("KIRA_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("we-the-living", appauthor=False)) / "stories"


def cache_enabled() -> bool:
    return not os.environ.get("KIRA_NO_CACHE")


@functools.cache
def _engine_fingerprint() -> bytes:
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    here = Path(__file__).parent.parent
    for name in _ENGINE_MODULES:
        digest.update((here / name).read_bytes())
    return digest.digest()


def cache_files(root: Path, packs: Sequence[Path]) -> list[Path] | None:
    """Every file a story loaded from ``root`` and ``packs`` is read from, in order; None when the folder
    cannot be cached (it is missing, or a search stopped early: the loader reports why)."""
    if not root.is_dir():
        return None
    files = [root / STORY_FILE]
    for folder in [root, *(pack for pack in packs if pack.is_dir())]:
        found, problem = scan_story_files(folder)
        if problem is not None:
            return None
        if folder != root and (folder / STORY_FILE).is_file():
            files.append(folder / STORY_FILE)  # a pack's own declarations
        files += found
    return files


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


def own_folder(folder: Path) -> bool:
    """True if ``folder`` is a folder of this user that no one else may write to (made if missing)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if os.name != "posix":
        return True  # the per-user profile folder; the signature still guards every entry
    return info.st_uid == os.getuid() and not info.st_mode & 0o022
