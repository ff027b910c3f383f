"""Writing files so that a crash never leaves a half-written one.

The new content goes to a temporary file beside the target, is flushed
and fsynced, and then replaces the target in one ``os.replace`` (atomic
on POSIX and Windows). With ``backup=True`` the previous version is first
copied to ``<name>.bak`` the same careful way, so there is always one
good copy on disk.

Private files (saves, settings, the gallery) are written holding a lock
on ``.<name>.lock`` beside them, so two games saving one slot at once
take turns: the second backs up the first's save instead of both
copying the same old one. A writer killed mid-write leaves a
``.<name>.*.tmp`` behind; :func:`remove_orphans` deletes those whose
lock is free, which is how a folder is tidied at the next start.
A target that exists but is not a regular file (a folder, ``/dev/full``)
is refused: replacing it would swap a device node for a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; writes are still atomic
    fcntl = None  # type: ignore[assignment]


class OutputRefused(OSError):
    """The target exists and is not a regular file; ``strerror`` says what it is."""

    def __init__(self, path: Path, what: str):
        super().__init__(0, f"it is {what}, not a regular file: name a file to write instead", str(path))


def check_target(path: Path) -> None:
    """Raise :class:`OutputRefused` if ``path`` exists and is anything but a regular file (links are followed)."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else (
            "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device or other special file")
        raise OutputRefused(path, what)


@contextlib.contextmanager
def locked(path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold the lock of ``path`` (``.<name>.lock`` beside it); yields False if ``wait`` is off and it is taken."""
    if fcntl is None:
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent / f".{path.name}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def remove_orphans(folder: Path) -> list[Path]:
    """Delete the temporary files killed writers left in ``folder`` (only those no writer holds); returns them."""
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.glob(".*.tmp") if p.is_file()]
    except OSError:
        return removed
    for tmp in candidates:
        target = tmp.name[1:].rsplit(".", 2)[0]  # ".<name>.<random>.tmp" -> "<name>"
        owner = folder / target.removesuffix(".bak")  # a backup is written under its slot's lock
        try:
            with locked(owner, wait=False) as free:
                if free:
                    tmp.unlink(missing_ok=True)
                    removed.append(tmp)
        except OSError:
            continue
    return removed


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _shared_mode() -> int:
    """The permissions an ordinary new file gets here (the umask applied to rw-rw-rw-)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_replace(path: Path, data: bytes, shared: bool = False) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if shared and hasattr(os, "fchmod"):  # mkstemp makes files private; shared documents get the usual mode
            os.fchmod(fd, _shared_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_atomic(path: str | Path, text: str, backup: bool = False, shared: bool = False,
                 lock: bool | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically, keeping the old file as ``.bak`` if asked.

    Files are private to their owner (saves, settings) unless ``shared`` is set for documents
    made to be handed on: maps, exports, reports, submissions. Private files are written under
    their lock unless ``lock`` is False (a caller that already holds it).
    """
    write_atomic_bytes(path, text.encode("utf-8"), backup, shared, lock)


def write_atomic_bytes(path: str | Path, data: bytes, backup: bool = False, shared: bool = False,
                       lock: bool | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, keeping the old file as ``.bak`` if asked."""
    path = Path(path)
    check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path) if (not shared if lock is None else lock) else contextlib.nullcontext():
        if backup and path.exists():
            check_target(backup_path(path))
            _write_replace(backup_path(path), path.read_bytes())
        _write_replace(path, data, shared)
        _fsync_dir(path.parent)
