"""A cache of loaded big stories, so that they open in a fraction of their parse time.

Loading a 10,000-scene story parses 18 MB of YAML and checks every
reference (about 2.6 s here); reading the finished model back from this
cache takes about 0.4 s. The shipped story loads in 2 ms instead of 20 ms
(and without importing PyYAML), which matters for the game's start-up.

The cache never serves a stale story. An entry's key is a SHA-256 of
everything the loaded story depends on: the path and bytes of every story
and pack file, the working folder (positions in messages are shown
relative to it), this engine's version and the source of the modules that
load stories. On a hit, background files the story names are checked to
still exist. Anything unexpected in an entry (unreadable, truncated, from
another version) makes it a miss: the story is loaded from its files and
the entry replaced.

Entries are pickles kept in the user's own cache folder, the same trust
Python itself gives the ``__pycache__`` files it runs. Compiled
expressions are stored as their source and compiled again on reading.
Set ``KIRA_NO_CACHE=1`` to turn the cache off, ``KIRA_CACHE_DIR`` to move it.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game import __version__
from game.atomic import write_atomic_bytes
from game.errors import Diagnostic
from game.runtime.expressions import EvalError, Expression, compile_expression, constant
from game.runtime.model import Story

MIN_BYTES = 0  # every story: even a small one loads several times faster from the cache
MAX_ENTRIES = 4
FORMAT = 1
_ENGINE_MODULES = ("loader/story.py", "loader/builders.py", "loader/fields.py", "loader/source.py", "runtime/model.py",
                   "runtime/expressions.py", "runtime/syntax.py", "runtime/compiler.py", "errors.py")

Loaded = tuple[Story | None, list[Diagnostic]]


def cache_dir() -> Path:
    override = os.environ.get("KIRA_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("we-the-living", appauthor=False)) / "stories"


@functools.cache
def _engine_fingerprint() -> bytes:
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    here = Path(__file__).parent.parent
    for name in _ENGINE_MODULES:
        digest.update((here / name).read_bytes())
    return digest.digest()


def cached_load(root: Path, packs: Sequence[Path], files: Sequence[Path], load: Callable[[], Loaded],
                min_bytes: int = MIN_BYTES) -> Loaded:
    """Return ``load()``'s result, from the cache when the same files were loaded before."""
    if os.environ.get("KIRA_NO_CACHE"):
        return load()
    key, size = _key(root, packs, files)
    if key is None or size < min_bytes:
        return load()
    entry = cache_dir() / f"{key}.pickle"
    hit = _read(entry)
    if hit is not None and _assets_present(hit[0]):
        return hit
    story, problems = load()
    if story is not None:
        _write(entry, story, problems)
    return story, problems


def _key(root: Path, packs: Sequence[Path], files: Sequence[Path]) -> tuple[str | None, int]:
    digest = hashlib.sha256(_engine_fingerprint())
    digest.update(os.getcwd().encode("utf-8", "surrogateescape"))
    size = 0
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            return None, 0  # the loader will report it
        size += len(data)
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(len(data).to_bytes(8, "little") + data)
    digest.update(repr((str(root), [str(p) for p in packs])).encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), size


def _assets_present(story: Story | None) -> bool:
    if story is None:
        return False
    base = Path(story.root)
    for scene in story.scenes.values():
        name = scene.background
        if name and not name.replace("_", "").isalnum() and not (base / name).is_file():
            return False
    return True


# -- writing and reading entries ---------------------------------------------

def _proxy(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


@functools.lru_cache(maxsize=4096)
def _compiled(source: str, types: tuple[tuple[str, str], ...]) -> Expression:
    return compile_expression(source, dict(types))


def _constant(value: Any, source: str) -> Expression:
    folded = constant(value)
    return Expression(source, folded.type, folded.fn, tree=folded.tree)


class _StoryPickler(pickle.Pickler):
    """Pickles a Story, storing expressions as source (closures cannot be pickled)."""

    def __init__(self, file: io.BytesIO, types: tuple[tuple[str, str], ...]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.types = types

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Expression:
            if not obj.names and not obj.scenes:
                try:  # a constant, or an expression of constants: keep its value
                    return _constant, (obj.evaluate({}, {}), obj.source)
                except (EvalError, ArithmeticError, TypeError, ValueError):
                    pass
            return _compiled, (obj.source, self.types)
        if type(obj) is MappingProxyType:
            return _proxy, (dict(obj),)
        return NotImplemented


def _write(entry: Path, story: Story, problems: list[Diagnostic]) -> None:

    types = tuple(sorted((name, var.type) for name, var in story.variables.items()))
    buffer = io.BytesIO()
    try:
        _StoryPickler(buffer, types).dump((FORMAT, story, problems))
        write_atomic_bytes(entry, buffer.getvalue())
        entry.parent.chmod(0o700)
        _trim(entry.parent)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a cache that cannot be written only costs time


def _read(entry: Path) -> Loaded | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        form, story, problems = pickle.loads(data)
    except Exception:  # noqa: BLE001 - any damaged entry is a miss, never an error
        return None
    if form != FORMAT or not isinstance(story, Story):
        return None
    os.utime(entry)
    return story, problems


def _trim(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)
