"""Writing files so that a crash never leaves a half-written one.

The new content goes to a temporary file beside the target, is flushed
and fsynced, and then replaces the target in one ``os.replace`` (atomic
on POSIX and Windows). With ``backup=True`` the previous version is first
copied to ``<name>.bak`` the same careful way, so there is always one
good copy on disk.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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


def write_atomic(path: str | Path, text: str, backup: bool = False, shared: bool = False) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically, keeping the old file as ``.bak`` if asked.

    Files are private to their owner (saves, settings) unless ``shared`` is set for documents
    made to be handed on: maps, exports, reports, submissions.
    """
    write_atomic_bytes(path, text.encode("utf-8"), backup, shared)


def write_atomic_bytes(path: str | Path, data: bytes, backup: bool = False, shared: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically, keeping the old file as ``.bak`` if asked."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if backup and path.exists():
        _write_replace(backup_path(path), path.read_bytes())
    _write_replace(path, data, shared)
    _fsync_dir(path.parent)
