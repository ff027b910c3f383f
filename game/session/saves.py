"""Save slots and the autosave, as versioned JSON written atomically.

Each story has its own folder of slots under the platform's user data
folder (``platformdirs``), or under ``$KIRA_SAVE_DIR`` when set (tests
and classrooms with shared machines use it). A corrupt slot is reported
and left untouched; its ``.bak`` (the previous good save) can be loaded
instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from game.atomic import backup_path, write_atomic
from game.errors import CorruptSave
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough

AUTOSAVE = "autosave"
SLOTS = tuple(str(n) for n in range(1, 10))
SAVE_VERSION = 1
MAX_SAVE_BYTES = 5_000_000


@dataclass(frozen=True)
class SlotInfo:
    """What a save menu shows about a slot."""

    slot: str
    path: Path
    exists: bool
    scene_title: str = ""
    chapter_title: str = ""
    saved_at: str = ""
    error: str = ""
    has_backup: bool = False

    @property
    def label(self) -> str:
        return "Autosave" if self.slot == AUTOSAVE else f"Slot {self.slot}"


def default_save_root() -> Path:
    override = os.environ.get("KIRA_SAVE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("we-the-living", appauthor=False)) / "saves"


class SaveStore:
    """The save slots of one story."""

    def __init__(self, story: Story, root: Path | None = None):
        self.story = story
        self.folder = (root or default_save_root()) / story.id

    def path(self, slot: str) -> Path:
        if slot != AUTOSAVE and slot not in SLOTS:
            raise ValueError(f"unknown save slot {slot!r}")
        return self.folder / f"{slot}.json"

    def save(self, slot: str, play: Playthrough, extra: dict[str, Any] | None = None) -> Path:
        """Write a slot atomically, keeping the previous save as a backup."""
        scene = play.scene
        chapter = play.chapter
        data = {
            "kind": "we-the-living-save",
            "version": SAVE_VERSION,
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "scene_title": scene.title,
            "chapter_title": chapter.title if chapter else "",
            "playthrough": play.to_dict(),
            "extra": extra or {},
        }
        path = self.path(slot)
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1), backup=self._is_good(path))
        return path

    def read(self, slot: str, backup: bool = False) -> dict[str, Any]:
        """The raw save data of a slot; raises FileNotFoundError or :class:`CorruptSave`."""
        path = self.path(slot)
        return read_save_file(backup_path(path) if backup else path)

    def load(self, slot: str, backup: bool = False) -> tuple[Playthrough, dict[str, Any]]:
        """Restore a playthrough from a slot (see :meth:`Playthrough.from_dict` for version changes)."""
        data = self.read(slot, backup)
        return Playthrough.from_dict(self.story, data["playthrough"]), data.get("extra", {})

    def _is_good(self, path: Path) -> bool:
        try:
            read_save_file(path)
            return True
        except (OSError, CorruptSave):
            return False

    def info(self, slot: str) -> SlotInfo:
        path = self.path(slot)
        has_backup = backup_path(path).exists()
        if not path.exists():
            return SlotInfo(slot, path, False, has_backup=has_backup)
        try:
            data = read_save_file(path)
        except CorruptSave as exc:
            return SlotInfo(slot, path, True, error=exc.reason, has_backup=has_backup)
        return SlotInfo(slot, path, True, str(data.get("scene_title", "")), str(data.get("chapter_title", "")),
                        str(data.get("saved_at", "")), has_backup=has_backup)

    def slots(self) -> list[SlotInfo]:
        return [self.info(slot) for slot in (AUTOSAVE, *SLOTS)]

    def latest(self) -> SlotInfo | None:
        """The most recently saved readable slot (for "Continue")."""
        good = [info for info in self.slots() if info.exists and not info.error]
        return max(good, key=lambda i: i.path.stat().st_mtime, default=None)


def describe_time(saved_at: str) -> str:
    """A save's ISO time as a reader says it: "24 November 2026, 14:03" (the text itself if it is not a time)."""
    try:
        moment = datetime.fromisoformat(saved_at)
    except ValueError:
        return saved_at
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def read_save_file(path: Path) -> dict[str, Any]:
    """Read and check one save file; raises :class:`CorruptSave` with a one-line reason."""
    if path.stat().st_size > MAX_SAVE_BYTES:
        raise CorruptSave(path, "the file is too large to be a save")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptSave(path, f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("kind") != "we-the-living-save":
        raise CorruptSave(path, "not a We the Living save")
    if not isinstance(data.get("version"), int) or data["version"] > SAVE_VERSION:
        raise CorruptSave(path, f"made by a newer version of the game (format {data.get('version')})")
    play = data.get("playthrough")
    if not isinstance(play, dict) or not isinstance(play.get("steps"), list) or "scene" not in play:
        raise CorruptSave(path, "the playthrough data is missing or damaged")
    return data
