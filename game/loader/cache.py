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

Why pickle, and why it cannot run code here. Reading the model back is
what makes the cache worth having: pickle rebuilds the 10,000-scene
story in C in about 0.4 s, where rebuilding it from JSON through Python
code would cost several times that and eat most of the gain. A plain
pickle, though, runs whatever a planted file asks for (a stranger who
could write to a shared cache folder ran code on ``kira validate``).
So an entry is only unpickled after three checks, each enough alone:

* the folder is the user's own: owned by them and writable by no one
  else (on POSIX; anything else is not used at all, not even written);
* the entry carries an HMAC-SHA256 of its bytes, made with a random key
  kept in a file only the user can read and write; an entry without
  the right signature is a miss and is never unpickled;
* the unpickler resolves only the model's own classes, the expression
  tree's nodes and the four rebuilding functions below (:data:`_ALLOWED`);
  any other name, such as ``os.system``, makes the entry a miss.

Compiled expressions are stored as their parsed trees (the plain frozen
nodes of :mod:`game.runtime.syntax`); reading an entry only builds their
closures again (:func:`game.runtime.compiler.compile_tree`), so a start
from the cache does not parse every condition of the story again.
Set ``KIRA_NO_CACHE=1`` to turn the cache off, ``KIRA_CACHE_DIR`` to move it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import os
import pickle
import secrets
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.atomic import write_atomic_bytes
from game.errors import Diagnostic
from game.loader.cache_folder import cache_dir, cache_enabled, keep_newest, own_folder
from game.loader.cache_key import FORMAT, SUFFIX, entry_key
from game.loader.files import MAX_TOTAL_BYTES, read_limited
from game.runtime.compiler import compile_tree
from game.runtime.expressions import EvalError, Expression, compile_expression, constant
from game.runtime.model import Story
from game.runtime.syntax import Node

MIN_BYTES = 0  # every story: even a small one loads several times faster from the cache
MAX_ENTRIES = 4
MAGIC = b"KIRA-STORY-CACHE\n"
KEY_FILE = "signing.key"
Loaded = tuple[Story | None, list[Diagnostic]]


def cached_load(root: Path, packs: Sequence[Path], files: Sequence[Path], load: Callable[[], Loaded],
                min_bytes: int = MIN_BYTES) -> Loaded:
    """Return ``load()``'s result, from the cache when the same files were loaded before."""
    if not cache_enabled():
        return load()
    key, size = entry_key(root, packs, files)
    if key is None or size < min_bytes:
        return load()
    folder = cache_dir()
    secret = _signing_key(folder)
    if secret is None:
        return load()  # no folder of the user's own: never read or write entries
    entry = folder / f"{key}{SUFFIX}"
    hit = _read(entry, secret)
    if hit is not None and _assets_present(hit[0]):
        return hit
    story, problems = load()
    if story is not None:
        _write(entry, story, problems, secret)
    return story, problems


def _assets_present(story: Story | None) -> bool:
    if story is None:
        return False
    base = Path(story.root)
    for scene in story.scenes.values():
        name = scene.background
        if name and not name.replace("_", "").isalnum() and not (base / name).is_file():
            return False
    return True


# -- the user's own folder and key ---------------------------------------------

def _signing_key(folder: Path) -> bytes | None:
    """The user's secret for signing entries, made on first use; None where it cannot be trusted."""
    if not own_folder(folder):
        return None
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError:
        return None
    secret = secrets.token_bytes(32)
    try:
        os.write(fd, secret)
        os.fsync(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    return secret


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != 32:
            return None
        if os.name == "posix" and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None
        secret = os.read(fd, 32)
    except OSError:
        return None
    finally:
        os.close(fd)
    return secret if len(secret) == 32 else None


def _sign(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


# -- writing and reading entries ---------------------------------------------

def _proxy(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


@functools.lru_cache(maxsize=4096)
def _compiled(source: str, types: tuple[tuple[str, str], ...]) -> Expression:
    return compile_expression(source, dict(types))


def _from_tree(source: str, kind: str, names: frozenset[str], scenes: frozenset[str], tree: Node) -> Expression:
    return Expression(source, kind, compile_tree(tree), names, scenes, tree)


def _constant(value: Any, source: str) -> Expression:
    folded = constant(value)
    return Expression(source, folded.type, folded.fn, tree=folded.tree)


class _StoryPickler(pickle.Pickler):
    """Pickles a Story, storing expressions as trees (closures cannot be pickled)."""

    def __init__(self, file: io.BytesIO, types: tuple[tuple[str, str], ...]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.types = types

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Expression:
            if obj.tree is not None:
                return _from_tree, (obj.source, obj.type, obj.names, obj.scenes, obj.tree)
            if not obj.names and not obj.scenes:
                try:  # a constant, or an expression of constants: keep its value
                    return _constant, (obj.evaluate({}, {}), obj.source)
                except (EvalError, ArithmeticError, TypeError, ValueError):
                    pass
            return _compiled, (obj.source, self.types)
        if type(obj) is MappingProxyType:
            return _proxy, (dict(obj),)
        return NotImplemented


class _ModelUnpickler(pickle.Unpickler):
    """Resolves only the names in :data:`_ALLOWED`: a planted ``os.system`` is refused, not called."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a story")
        return super().find_class(module, name)


_ALLOWED = frozenset({("game.runtime.model", name) for name in (
    "Story", "Scene", "Choice", "Effect", "Route", "Paragraph", "Template", "Ending", "Chapter", "CodexEntry",
    "Variable")} | {("game.errors", "SourcePos"), ("game.errors", "Diagnostic")}
    | {("game.runtime.syntax", name) for name in ("Const", "Var", "Visited", "Unary", "Binary", "Call")}
    | {("game.loader.cache", name) for name in ("_proxy", "_compiled", "_constant", "_from_tree")})


def _write(entry: Path, story: Story, problems: list[Diagnostic], secret: bytes) -> None:

    types = tuple(sorted((name, var.type) for name, var in story.variables.items()))
    buffer = io.BytesIO()
    try:
        _StoryPickler(buffer, types).dump((FORMAT, story, problems))
        payload = buffer.getvalue()
        write_atomic_bytes(entry, MAGIC + _sign(secret, payload) + payload, lock=False)  # no lock files to trim
        _trim(entry.parent)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a cache that cannot be written only costs time


def _read(entry: Path, secret: bytes) -> Loaded | None:
    try:
        data = read_limited(entry, MAX_TOTAL_BYTES * 4)
    except OSError:
        return None
    head = len(MAGIC)
    signature, payload = data[head:head + 32], data[head + 32:]
    if not data.startswith(MAGIC) or not hmac.compare_digest(signature, _sign(secret, payload)):
        return None  # not written by this user's engine: never unpickled
    try:
        form, story, problems = _ModelUnpickler(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - any damaged entry is a miss, never an error
        return None
    if form != FORMAT or not isinstance(story, Story) or not isinstance(problems, list):
        return None
    try:
        os.utime(entry)
    except OSError:
        pass
    return story, problems


def _trim(folder: Path) -> None:
    keep_newest(folder, f"*{SUFFIX}", MAX_ENTRIES)
    for stale in folder.glob("*.pickle"):  # entries of the unsigned format 1 are never read again
        stale.unlink(missing_ok=True)
