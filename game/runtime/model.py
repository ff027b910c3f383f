"""The story as data: frozen dataclasses built by the loader.

Nothing here knows how a story is played or shown. Every element keeps
the place it was written (:class:`~game.errors.SourcePos`) so tools can
point writers at it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from game.errors import SourcePos
from game.runtime.expressions import Expression, Value, type_of


@dataclass(frozen=True)
class Variable:
    """A story variable as declared in story.yaml: its default, its meaning and its range."""

    name: str
    default: Value
    description: str
    minimum: float | None = None
    maximum: float | None = None
    pos: SourcePos = SourcePos()

    @property
    def type(self) -> str:

        return type_of(self.default)

    @property
    def whole(self) -> bool:
        """A whole-number variable: its default is written without a decimal point (``money: 10``)."""
        return isinstance(self.default, int) and not isinstance(self.default, bool)

    def clamp(self, value: Value) -> Value:
        """Keep a number inside the declared range; other values pass unchanged.

        A whole-number variable stays whole: a fraction (from a division in an
        effect, ``add: {money: "spirit / 10"}``) is rounded to the nearest whole
        number, halves up (7.5 becomes 8, -7.5 becomes -7)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        if isinstance(value, float) and self.whole and math.isfinite(value):
            value = math.floor(value + 0.5)
        if self.minimum is not None and value < self.minimum:
            value = type(value)(self.minimum)
        if self.maximum is not None and value > self.maximum:
            value = type(value)(self.maximum)
        return value


@dataclass(frozen=True)
class Template:
    """Text with ``{variable}`` holes, split once at load time.

    ``parts`` alternates literal text (even indexes) and variable names
    (odd indexes).
    """

    parts: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return self.parts[1::2]

    def render(self, variables: Mapping[str, Value]) -> str:
        if len(self.parts) == 1:
            return self.parts[0]
        out = []
        for i, part in enumerate(self.parts):
            out.append(format_value(variables[part]) if i % 2 else part)
        return "".join(out)

    @property
    def raw(self) -> str:
        return "".join(p if i % 2 == 0 else "{" + p + "}" for i, p in enumerate(self.parts))


def format_value(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph, shown when ``condition`` holds (always when it is None)."""

    text: Template
    condition: Expression | None = None
    otherwise: Template | None = None
    pos: SourcePos = SourcePos()


@dataclass(frozen=True)
class Effect:
    """``op`` is "set", "add" or "subtract"; ``value`` is compiled."""

    op: str
    variable: str
    value: Expression
    pos: SourcePos = SourcePos()


@dataclass(frozen=True)
class Choice:
    """One choice of a scene: where it leads, when it is offered and what it changes."""

    index: int
    label: Template
    target: str
    condition: Expression | None = None
    locked_reason: str = ""
    effects: tuple[Effect, ...] = ()
    novel: bool = False
    aftermath: Template | None = None
    axis: str = ""
    pos: SourcePos = SourcePos()
    target_pos: SourcePos = SourcePos()
    condition_pos: SourcePos = SourcePos()  # where the 'if' is written, for tools that point at it


@dataclass(frozen=True)
class Route:
    """One way out of a router scene; the condition is None for the default route."""

    target: str
    condition: Expression | None
    pos: SourcePos = SourcePos()


@dataclass(frozen=True)
class Scene:
    """A scene the player reads and chooses in, a router, or an ending.

    Routers have ``routes`` and no text; endings have ``ending`` set and no
    choices.
    """

    id: str
    title: str
    chapter: str = ""
    date: str = ""
    location: str = ""
    background: str = ""
    background_pos: SourcePos = SourcePos()  # where 'background:' is written, for the linter's warning
    paragraphs: tuple[Paragraph, ...] = ()
    choices: tuple[Choice, ...] = ()
    routes: tuple[Route, ...] = ()
    unlocks: tuple[str, ...] = ()
    decisive: bool = False
    ending: Ending | None = None
    pos: SourcePos = SourcePos()

    @property
    def is_router(self) -> bool:
        return bool(self.routes)

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(c.target for c in self.choices) + tuple(r.target for r in self.routes)


@dataclass(frozen=True)
class Ending:
    """The parts of an ending screen, shown in this order."""

    epilogue: str
    state_took: str
    could_not_take: str
    novel: str
    reflection: tuple[Paragraph, ...]  # questions; each may have a condition and {variables}


@dataclass(frozen=True)
class Chapter:
    """A chapter of the story, with the questions asked when it closes."""

    id: str
    number: int
    title: str
    part: int = 0
    reflection: tuple[Paragraph, ...] = ()  # questions; each may have a condition and {variables}
    pos: SourcePos = SourcePos()


@dataclass(frozen=True)
class CodexEntry:
    """A glossary word or a character, unlocked by the scenes that name it."""

    id: str
    kind: str  # "glossary" or "character"
    title: str
    text: str
    pos: SourcePos = SourcePos()


@dataclass(frozen=True, eq=False)
class Story:
    """A whole loaded story. ``content_hash`` identifies the exact files it came from.

    Compared by identity (two loads of the same files share a ``content_hash``).
    """

    id: str
    title: str
    author: str
    start: str
    content_note: str
    variables: Mapping[str, Variable]
    scenes: Mapping[str, Scene]
    chapters: Mapping[str, Chapter]
    codex: Mapping[str, CodexEntry]
    root: str = ""
    files: tuple[str, ...] = ()
    content_hash: str = ""
    pos: SourcePos = SourcePos()
    extra: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def endings(self) -> list[Scene]:
        return [s for s in self.scenes.values() if s.is_ending]

    def defaults(self) -> dict[str, Value]:
        return {name: var.default for name, var in self.variables.items()}

    def chapter_of(self, scene_id: str) -> Chapter | None:
        scene = self.scenes.get(scene_id)
        return self.chapters.get(scene.chapter) if scene and scene.chapter else None

    def chapter_entry(self, chapter_id: str) -> str | None:
        """The first scene of a chapter, in file order (where a chapter begins)."""
        return next((s.id for s in self.scenes.values() if s.chapter == chapter_id and not s.is_ending), None)

    def ordered_chapters(self) -> list[Chapter]:
        return sorted(self.chapters.values(), key=lambda c: (c.number, c.id))
