"""Problems found in stories, and the one family of exceptions the engine raises.

Writer mistakes are data (a list of :class:`Diagnostic`), so that every
problem of a story can be reported at once. Everything the engine raises
derives from :class:`KiraError`, so a host can catch the family in one
place::

    KiraError
    ├── StoryError        a story could not be loaded (its diagnostics)
    ├── PlayError         the story failed at play time (file:line of the cause)
    ├── SaveError         saved data cannot be used
    │   ├── SaveMismatch  it belongs to another story, or its scene is gone
    │   └── CorruptSave   the file cannot be read (it is left untouched)
    └── MisuseError       a programmer called the API wrongly
        ├── ChoiceUnavailable   no such choice now (also an IndexError)
        └── PlaythroughOver     the playthrough has ended
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class SourcePos(NamedTuple):
    """Where something was written: file, 1-based line and column.

    A named tuple rather than a frozen dataclass: a large story records
    hundreds of thousands of positions, and tuples are several times
    cheaper to create.
    """

    path: str = ""
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path or "<story>"
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a story, with its place and a hint on how to fix it."""

    code: str
    severity: str  # "error" or "warning"
    pos: SourcePos
    message: str
    hint: str = ""

    def format(self, with_code: bool = True) -> str:
        text = f"{self.pos}: {self.severity}: {self.message}"
        if with_code:
            text += f" [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.pos.path,
            "line": self.pos.line,
            "col": self.pos.col,
            "message": self.message,
            "hint": self.hint,
        }


class KiraError(Exception):
    """The root of every exception the engine raises on purpose."""


@dataclass
class StoryError(KiraError):
    """A story could not be loaded; ``diagnostics`` lists every problem found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class PlayError(KiraError):
    """The story failed at play time (for example a division by zero in a condition or an effect).

    The playthrough is left exactly as it was before the choice, so the
    player can pick again or undo. ``site`` says which expression failed:
    ``(scene id, "paragraph" | "choice" | "effect" | "route" | "question", index)``.
    """

    def __init__(self, message: str, scene_id: str = "", choice_label: str = "", pos: SourcePos | None = None,
                 site: tuple[str, str, int] | None = None):
        super().__init__(message)
        self.scene_id = scene_id
        self.choice_label = choice_label
        self.pos = pos or SourcePos()
        self.site = site

    def __str__(self) -> str:
        where = f" in scene '{self.scene_id}'" if self.scene_id else ""
        what = f", choice '{self.choice_label}'" if self.choice_label else ""
        return f"{self.pos}: {self.args[0]}{where}{what}"


class SaveError(KiraError):
    """Saved data (a save slot, a progress file, a record) cannot be used as it is."""


class SaveMismatch(SaveError):
    """Saved data does not fit this story (another story, or a scene that no longer exists).

    ``chapter`` names the saved chapter when it still exists, so the player can be offered its start.
    """

    def __init__(self, message: str, chapter: str = ""):
        super().__init__(message)
        self.chapter = chapter


class CorruptSave(SaveError):
    """A save file exists but cannot be read; it is left exactly as it is."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: the save cannot be read ({reason}); it was left untouched")
        self.path = path
        self.reason = reason


class MisuseError(KiraError):
    """The API was called in a way that can never work (a bug in the caller, not in the story)."""


class ChoiceUnavailable(MisuseError, IndexError):
    """There is no such choice now (also an ``IndexError``, as a list index out of range is)."""


class PlaythroughOver(MisuseError):
    """The playthrough has ended: there is nothing left to choose."""


def relative_path(path: Path, root: Path | None = None) -> str:
    """A path as writers want to see it: relative to the working folder when possible."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a symlink is shown by its own name
    try:
        return str(absolute.relative_to(os.path.abspath(root or Path.cwd())))
    except ValueError:
        return str(path)
