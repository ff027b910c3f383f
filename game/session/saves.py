"""Save slots and the autosave, as versioned JSON written atomically.

Each story has its own folder of slots under the platform's user data
folder (``platformdirs``), or under ``$KIRA_SAVE_DIR`` when set (tests
and classrooms with shared machines use it). A corrupt slot is reported
and left untouched; its ``.bak`` (the previous good save) can be loaded
instead.

A story's id is chosen by whoever wrote it, so a stranger's story can
reuse the shipped one's. The folder is therefore named by the id plus a
fingerprint of where the story lives (:func:`story_origin`, a hash of
its folder's resolved path), which a story elsewhere cannot copy; only
the stories that ship with the game keep the plain id, so their saves
survive the game being installed somewhere new. Each save records the
fingerprint, and a save carried into another story's folder is refused
with a message.

Saving over a damaged slot moves the damaged file aside
(``<slot>.json.damaged-<time>``), says so in :attr:`SaveStore.notices`,
and leaves the last good ``.bak`` alone. Every field of a save is
type-checked before it is listed as loadable: a bad slot shows as
damaged and the others work.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from game.atomic import backup_path, locked, remove_orphans, write_atomic
from game.errors import CorruptSave, SaveMismatch
from game.loader.files import FileRefused, read_small_json
from game.runtime.saved import check_saved

if TYPE_CHECKING:
    from datetime import datetime

    from game.runtime.model import Story
    from game.runtime.playthrough import Playthrough

SHIPPED_STORIES = Path(__file__).resolve().parent.parent.parent / "story"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")

AUTOSAVE = "autosave"
SLOTS = tuple(str(n) for n in range(1, 10))
SAVE_VERSION = 1
MAX_SAVE_BYTES = 5_000_000


class SlotInfo(NamedTuple):
    """What a save menu shows about a slot (a named tuple: the title lists slots for its first frame, and
    it is defined in a fraction of a dataclass's time)."""

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


class StoryPlace(Protocol):
    """What names a story's save folder: a loaded story, or the title's front matter read before it."""

    @property
    def id(self) -> str: ...

    @property
    def root(self) -> str: ...


def story_origin(story: StoryPlace) -> str:
    """A fingerprint of where the story lives ('' for the stories that ship with the game)."""
    if not story.root:
        return ""
    try:
        where = Path(story.root).resolve()
    except (OSError, RuntimeError):
        where = Path(os.path.abspath(story.root))
    if where.is_relative_to(SHIPPED_STORIES):
        return ""
    import hashlib  # only for a story kept outside the shipped folder: the title of the shipped one needs none

    return hashlib.sha256(str(where).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def story_folder_name(story: StoryPlace) -> str:
    """The name of the folder that keeps a story's saves, gallery and assignment progress."""
    if not SAFE_NAME.match(story.id):  # the loader refuses such ids; a story built in code may not check
        raise ValueError(f"the story id {story.id!r} cannot name a folder: use letters, digits and '_'")
    origin = story_origin(story)
    return f"{story.id}-{origin}" if origin else story.id


def story_folder(story: StoryPlace, root: Path | None = None) -> Path:
    """The folder of a story's saves under ``root`` (the user's save folder by default)."""
    return (root or default_save_root()) / story_folder_name(story)


class SaveStore:
    """The save slots of one story. The title lists them from the story's front matter, before the story
    is loaded (:class:`StoryPlace`); restoring one needs the story itself (:meth:`load`)."""

    def __init__(self, story: Story | StoryPlace, root: Path | None = None):
        self.story = story
        self.folder = story_folder(story, root)
        self.notices: list[str] = []  # what went wrong and was dealt with, for the front end to say
        self._adopt_legacy(root or default_save_root())
        remove_orphans(self.folder)

    def _adopt_legacy(self, root: Path) -> None:
        """Copy saves kept under the plain id by older versions, once (the originals stay where they are)."""
        legacy = root / self.story.id
        if legacy == self.folder or self.folder.exists() or not legacy.is_dir():
            return
        for old in legacy.iterdir():
            if re.fullmatch(r"(autosave|[1-9])\.json(\.bak)?|gallery\.json|assignment-.*\.json", old.name):
                try:
                    write_atomic(self.folder / old.name, old.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue

    def take_notices(self) -> list[str]:
        notices, self.notices = self.notices, []
        return notices

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
            "saved_at": _now().astimezone().isoformat(timespec="seconds"),
            "scene_title": scene.title,
            "chapter_title": chapter.title if chapter else "",
            "origin": story_origin(self.story),
            "playthrough": play.to_dict(),
            "extra": extra or {},
        }
        path = self.path(slot)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        with locked(path):  # another game saving this slot waits, then backs up this save
            damage = _damage(path)
            if damage is not None:
                self._set_aside(path, damage)
            write_atomic(path, text, backup=damage is None and path.exists(), lock=False)
        return path

    def _set_aside(self, path: Path, reason: str) -> None:
        """Move a damaged slot out of the way (never over the last good .bak) and say so."""
        stamp = _now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        os.replace(path, aside)
        label = "The autosave" if path.stem == AUTOSAVE else f"Slot {path.stem}"
        kept = " Its backup, the save before it, is still there." if backup_path(path).exists() else ""
        self.notices.append(f"{label} was damaged ({reason}); it was kept as {aside.name}.{kept}")

    def read(self, slot: str, backup: bool = False) -> dict[str, Any]:
        """The raw save data of a slot; raises FileNotFoundError or :class:`CorruptSave`."""
        path = self.path(slot)
        return read_save_file(backup_path(path) if backup else path)

    def load(self, slot: str, backup: bool = False) -> tuple[Playthrough, dict[str, Any]]:
        """Restore a playthrough from a slot (see :meth:`Playthrough.from_dict` for version changes)."""
        from game.runtime.model import Story
        from game.runtime.playthrough import Playthrough

        data = self.read(slot, backup)
        self.check_origin(data)
        if not isinstance(self.story, Story):
            raise TypeError("a save is restored into a loaded story, not its front matter")
        return Playthrough.from_dict(self.story, data["playthrough"]), data.get("extra", {})

    def check_origin(self, data: dict[str, Any]) -> None:
        """Refuse a save made by another story that shares this one's id (it names another origin)."""
        origin = data.get("origin")
        if origin is not None and origin != story_origin(self.story):
            raise SaveMismatch(f"this save belongs to another story with the id {self.story.id!r} "
                               "(one kept in another folder); it was left as it is")

    def info(self, slot: str) -> SlotInfo:
        path = self.path(slot)
        has_backup = backup_path(path).exists()
        if not path.exists():
            return SlotInfo(slot, path, False, has_backup=has_backup)
        try:
            data = read_save_file(path)
            self.check_origin(data)
            check_saved(self.story, data["playthrough"])
        except CorruptSave as exc:
            return SlotInfo(slot, path, True, error=exc.reason, has_backup=has_backup)
        except (OSError, SaveMismatch) as exc:
            return SlotInfo(slot, path, True, error=str(exc), has_backup=has_backup)
        return SlotInfo(slot, path, True, str(data.get("scene_title", "")), str(data.get("chapter_title", "")),
                        str(data.get("saved_at", "")), has_backup=has_backup)

    def slots(self) -> list[SlotInfo]:
        return [self.info(slot) for slot in (AUTOSAVE, *SLOTS)]

    def latest(self) -> SlotInfo | None:
        """The most recently saved readable slot (for "Continue")."""
        good = [info for info in self.slots() if info.exists and not info.error]
        return max(good, key=_age, default=None)


def describe_time(saved_at: str) -> str:
    """A save's ISO time as a reader says it: "24 November 2026, 14:03" (the text itself if it is not a time)."""
    try:
        from datetime import datetime  # a save's time: imported once a save is listed or written

        moment = datetime.fromisoformat(saved_at)
    except ValueError:
        return saved_at
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def _now() -> datetime:
    from datetime import datetime  # a save's time: imported once a save is listed or written

    return datetime.now()


def _damage(path: Path) -> str | None:
    """Why the file at ``path`` is not a readable save, or None when it is one or there is none."""
    if not os.path.lexists(path):
        return None
    try:
        read_save_file(path)
    except CorruptSave as exc:
        return exc.reason
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _age(info: SlotInfo) -> float:
    try:
        return info.path.stat().st_mtime
    except OSError:
        return 0.0


def read_save_file(path: Path) -> dict[str, Any]:
    """Read and check one save file; raises :class:`CorruptSave` with a one-line reason (FileNotFoundError
    when there is none)."""
    try:
        data = read_small_json(path, MAX_SAVE_BYTES)
    except FileRefused as exc:
        raise CorruptSave(path, exc.strerror or "not a regular file") from exc
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise CorruptSave(path, f"not valid JSON: {exc}" if "nests" not in str(exc) else str(exc)) from exc
    if not isinstance(data, dict) or data.get("kind") != "we-the-living-save":
        raise CorruptSave(path, "not a We the Living save")
    if not isinstance(data.get("version"), int) or data["version"] > SAVE_VERSION:
        raise CorruptSave(path, f"made by a newer version of the game (format {data.get('version')})")
    play = data.get("playthrough")
    if not isinstance(play, dict) or not isinstance(play.get("steps"), list) or "scene" not in play:
        raise CorruptSave(path, "the playthrough data is missing or damaged")
    wrong = [key for key in ("saved_at", "scene_title", "chapter_title", "origin")
             if key in data and not isinstance(data[key], str)]
    if not isinstance(data.get("extra", {}), dict):
        wrong.append("extra")
    if wrong:
        raise CorruptSave(path, "fields of the wrong type: " + ", ".join(wrong))
    return data
