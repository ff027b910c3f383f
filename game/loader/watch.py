"""Reloading a story while it is being played, so a writer sees an edit at once.

A front end keeps a :class:`StoryWatch` of the files it loaded. When they
change (or the writer asks), :func:`reload_play` loads the story again and
moves the playthrough across: the same steps when they still replay, else
the same scene and variables, else the start of the same chapter. When the
edited files have errors, nothing changes and the errors come back to be
shown; the player never loses their place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.errors import Diagnostic, SaveMismatch
from game.loader.story import STORY_FILE, check_story, story_files
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough


def _stamp(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            stamps.append((str(path), -1, -1))
        else:
            stamps.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamps)


@dataclass
class StoryWatch:
    """Remembers the story's files as loaded, to tell when any was edited, added or removed."""

    root: Path
    packs: Sequence[Path] = ()
    _seen: tuple[tuple[str, int, int], ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.packs = [Path(p) for p in self.packs]
        self._seen = self._current()

    def _files(self) -> list[Path]:
        files = [self.root / STORY_FILE, *story_files(self.root)] if self.root.is_dir() else []
        for pack in self.packs:
            if pack.is_dir():
                files += story_files(pack)
        return files

    def _current(self) -> tuple[tuple[str, int, int], ...]:
        return _stamp(self._files())

    def changed(self) -> bool:
        """True once after the files change; a few ``stat`` calls, cheap enough for every turn."""
        now = self._current()
        if now == self._seen:
            return False
        self._seen = now
        return True


@dataclass
class Reloaded:
    """What a reload gave: the new story and playthrough, or the errors that stopped it."""

    story: Story
    play: Playthrough
    problems: list[Diagnostic]
    note: str = ""

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.problems)


def reload_play(play: Playthrough, root: Path, packs: Sequence[Path] = ()) -> Reloaded:
    """Load the story again and carry ``play`` over; on errors keep the old story and play."""
    story, problems = check_story(root, packs)
    errors = [d for d in problems if d.severity == "error"]
    if story is None or errors:
        return Reloaded(play.story, play, errors or problems, "The edited story has errors; nothing changed.")
    data = play.to_dict()
    try:
        moved = Playthrough.from_dict(story, data)
    except SaveMismatch as gone:
        try:
            moved = Playthrough.from_chapter_start(story, data)
        except SaveMismatch:
            moved = Playthrough(story, seed=play.seed)
            return Reloaded(story, moved, problems, f"Reloaded; {gone}, and its chapter is gone: back to the start.")
        return Reloaded(story, moved, problems, f"Reloaded; {gone}: back to the start of its chapter.")
    moved.clock = play.clock
    same_path = len(moved.steps) == len(play.steps) and moved.can_undo == play.can_undo
    note = "Reloaded the story." if same_path else "Reloaded the story; your choices so far no longer replay, " \
        "so you stay where you were without undo."
    return Reloaded(story, moved, problems, note)
