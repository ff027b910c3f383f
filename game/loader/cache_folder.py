"""The user's cache folder: where it is, whether it is on, and whether it can be trusted.

Kept apart from the cache's entries (pickle, signatures) and their key
(SHA-256), so that the window's first frame can read what it keeps there
(the title's front matter, the title's picture) without importing them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def cache_dir() -> Path:
    override = os.environ.get("KIRA_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("we-the-living", appauthor=False)) / "stories"


def cache_enabled() -> bool:
    return not os.environ.get("KIRA_NO_CACHE")


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


def keep_newest(folder: Path, pattern: str, count: int) -> None:
    """Delete all but the ``count`` most recently used files of ``folder`` matching ``pattern`` (a file in
    use is touched when read, so the ones still wanted stay); a file gone meanwhile is skipped."""
    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    for old in sorted(folder.glob(pattern), key=used, reverse=True)[count:]:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass
