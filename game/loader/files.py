"""Finding and reading a stranger's files without letting them hang or exhaust the machine.

Every story, pack, plan and assignment file is read through
:func:`read_limited`, which looks at what a name really is before reading
a byte: a FIFO would block forever, a link to ``/dev/zero`` never ends,
and a sparse file can claim gigabytes it does not hold. Only regular files
within the size limit are read, and never more than the limit even if
the file grows meanwhile. :func:`scan_folder` walks a story folder
without recursion (1,200 nested folders raised RecursionError in
``Path.rglob``), without following linked folders, and within fixed
depth and entry limits.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from game.errors import Diagnostic, SourcePos, relative_path

MAX_FILE_BYTES = 2_000_000  # one YAML file
MAX_FILES = 2000  # files in a story and its packs
MAX_TOTAL_BYTES = 40_000_000  # all of them together
MAX_FOLDER_DEPTH = 16
MAX_ENTRIES = 20_000  # names looked at in one folder tree: far above any story, far below a hang

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


class FileRefused(OSError):
    """A name that is not a regular file of a sensible size; ``strerror`` says why in plain words."""

    def __init__(self, path: Path, reason: str):
        super().__init__(0, reason, str(path))


def kind_of(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def check_regular(info: os.stat_result, path: Path, limit: int) -> None:
    """Raise :class:`FileRefused` unless ``info`` describes a regular file of at most ``limit`` bytes."""
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(path, f"it is {kind_of(info.st_mode)}, not a regular file")
    if info.st_size > limit:
        raise FileRefused(path, f"the file is {info.st_size:,} bytes; the limit is {limit:,}")


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises OSError (:class:`FileRefused`) otherwise.

    The name is checked before it is opened (opening some devices does
    something), opened without blocking (a FIFO), and checked again on the
    open file (the name may have been swapped in between).
    """
    check_regular(os.stat(path), path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        check_regular(os.fstat(fd), path, limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileRefused(path, f"the file grew past the limit of {limit:,} bytes while it was read")
    return data


def scan_folder(root: Path, wanted: tuple[str, ...]) -> tuple[list[Path], str, Path | None]:
    """Names under ``root`` ending in one of ``wanted``, in no particular order.

    Returns the paths, and when the walk had to stop, why and where (the
    paths found so far are still returned). Linked folders are not
    entered; names that are not folders are returned whatever they are,
    so that the reader can say what is wrong with a FIFO called
    ``scene.yaml`` instead of skipping it in silence.
    """
    found: list[Path] = []
    pending: list[tuple[Path, int]] = [(root, 0)]
    seen = 0
    while pending:
        folder, depth = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                return found, f"the folder holds more than {MAX_ENTRIES:,} files and folders", root
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            path = Path(entry.path)
            if is_folder:
                if depth + 1 > MAX_FOLDER_DEPTH:
                    return found, f"folders nest deeper than {MAX_FOLDER_DEPTH} levels", path
                pending.append((path, depth + 1))
            elif entry.name.endswith(wanted):
                found.append(path)
    return found, "", None


MAX_JSON_BYTES = 5_000_000
MAX_JSON_NESTING = 32
_JSON_TOKENS = re.compile(rb'[\[\]{}]|"(?:[^"\\]|\\.)*"')


def json_too_deep(data: bytes, limit: int = MAX_JSON_NESTING) -> bool:
    """True when JSON brackets nest deeper than ``limit`` (strings skipped): checked before parsing,
    since the parser recurses once per level."""
    depth = 0
    for token in _JSON_TOKENS.findall(data):
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read_into(path: Path, buffer: memoryview) -> bool:
    """Fill ``buffer`` with a regular file of exactly its size, checked as :func:`read_limited` checks
    (no bytes object in between: a kept picture goes straight into its surface). False when the file is
    another size or is cut short; raises OSError when it cannot be read."""
    size = buffer.nbytes
    check_regular(os.stat(path), path, size)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        check_regular(info, path, size)
        if info.st_size != size:
            return False
        done = 0
        while done < size:
            count = os.readv(fd, [buffer[done:]])
            if not count:
                return False
            done += count
    finally:
        os.close(fd)
    return True


def read_small_json(path: Path, limit: int = MAX_JSON_BYTES) -> Any:
    """JSON from a file someone else may have made (a submission, a save, settings).

    Raises OSError when the file cannot be read as a regular file within ``limit`` bytes, and
    ValueError when it is not plain JSON: invalid UTF-8, NaN or Infinity, or nested too deep.
    """
    data = read_limited(path, limit)
    if json_too_deep(data):
        raise ValueError(f"the data nests deeper than {MAX_JSON_NESTING} levels")
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError as exc:  # pragma: no cover - json_too_deep stops it first
        raise ValueError("the data nests too deep") from exc


STORY_FILE = "story.yaml"
PLAN_SUFFIXES = (".plan.yaml", ".plan.yml")  # test plans for `kira explore --plan`, kept beside stories


def scan_story_files(root: Path) -> tuple[list[Path], Diagnostic | None]:
    """Every YAML file of a story folder except ``story.yaml`` and test plans, in sorted path order,
    and the problem that stopped the search early (folders nested too deep, too many names)."""

    found, why, where = scan_folder(root, (".yaml", ".yml"))
    files = [p for p in found if p.suffix in (".yaml", ".yml") and not p.name.endswith(PLAN_SUFFIXES)
             and p != root / STORY_FILE]
    files.sort(key=lambda p: p.relative_to(root).as_posix())
    problem = None
    if why:
        problem = Diagnostic("folder", "error", SourcePos(relative_path(where or root)), why,
                             "keep scene files in a few shallow folders")
    return files, problem


def story_files(root: Path) -> list[Path]:
    """Every YAML file of a story folder except ``story.yaml`` and test plans, in sorted path order."""
    return scan_story_files(root)[0]


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
