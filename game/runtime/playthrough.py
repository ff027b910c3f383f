"""One player's way through a story.

A :class:`Playthrough` holds the current scene, the variables, how often
each scene was entered and the steps taken. A host drives it with four
calls, as an ink host does: what to show (:meth:`Playthrough.text`,
:meth:`Playthrough.choices`), what the player picked
(:meth:`Playthrough.choose`), and plain data to keep
(:meth:`Playthrough.to_dict` / :meth:`Playthrough.from_dict`). The
scene-to-scene moves go through the story's shared ``transitions``
machine (:mod:`game.runtime.machine`).

Every expression of a story is evaluated inside a guard here, so a story
that divides by zero in a condition, a paragraph or a route ends in a
:class:`~game.errors.PlayError` naming the file and line, never in a
traceback. Operations that only tools need (taking a choice by its model
object, placing a playthrough in an arbitrary state) live in
:mod:`game.runtime.tools`, off the player's surface.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from game.errors import ChoiceUnavailable, PlayError, PlaythroughOver, SaveMismatch, SourcePos
from game.runtime.expressions import EvalError, Expression, Value, checked
from game.runtime.machine import ROUTE_TRIGGER, Cursor, choice_trigger, machine_for
from game.runtime.model import Chapter, Choice, Paragraph, Scene, Story, Template
from game.runtime.saved import SAVE_FORMAT, Step, check_saved  # noqa: F401  (saves are checked there; named here too)

MAX_ROUTE_HOPS = 100
# Failures of a story's own expressions; TypeError is a bug in the engine and is never caught here.
_STORY_FAILURES = (EvalError, ZeroDivisionError, OverflowError)


class ChoiceView(NamedTuple):
    """A choice as the player sees it now. ``enabled`` is False for greyed-out ones.

    This and the other small records here are named tuples, not frozen
    dataclasses: they are made at every step, and tuples cost a third as much.
    """

    label: str
    enabled: bool
    choice: Choice
    locked_reason: str = ""

    @property
    def novel(self) -> bool:
        return self.choice.novel


class Turn(NamedTuple):
    """What a choice led to: the aftermath text, a chapter that just closed, the new scene, and every
    scene entered on the way (routers included, in order, the new scene last)."""

    aftermath: str
    chapter_ended: Chapter | None
    scene: Scene
    entered: tuple[str, ...] = ()


class Replay(NamedTuple):
    """The outcome of :func:`replay`: the playthrough, the turns taken, and the first step that failed."""

    play: Playthrough
    turns: list[Turn]
    failed_at: int | None = None  # 0-based index of the first step that does not replay
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.failed_at is None


class _Snapshot(NamedTuple):
    """Enough to take a step back: the scene and variables before it, and the scenes it entered."""

    scene: str
    variables: dict[str, Value]
    entered: list[str]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_EffectStep = tuple[int, str, str, Callable[[Any, Any], Any], Callable[[Value], Value] | None]


def _effect_plan(story: Story, choice: Choice) -> tuple[_EffectStep, ...]:
    """A choice's effects as plain tuples, worked out once per choice: the clamp is left out for a
    variable it cannot change (no range, and not a whole number), because every step applies them."""
    plan = []
    for number, effect in enumerate(choice.effects):
        var = story.variables[effect.variable]
        needs_clamp = var.whole or var.minimum is not None or var.maximum is not None
        plan.append((number, effect.op, effect.variable, effect.value.fn, var.clamp if needs_clamp else None))
    return tuple(plan)


class _Plans:
    """What a story's scenes need at every step, worked out once per story and shared by its playthroughs."""

    def __init__(self) -> None:
        # A choice's effects, keyed by id() of the Choice and kept with it, so an id is never reused.
        self.effects: dict[int, tuple[Choice, tuple[_EffectStep, ...]]] = {}
        # A scene's choices as shown, for scenes whose choices have no condition and no {variable}
        # in their labels (most scenes): the same list at every visit. None for the other scenes.
        self.views: dict[str, list[ChoiceView] | None] = {}


_plans: weakref.WeakKeyDictionary[Story, _Plans] = weakref.WeakKeyDictionary()


def _fixed_views(scene: Scene) -> list[ChoiceView] | None:
    """The scene's choice views when they never change, else None."""
    if any(c.condition is not None or len(c.label.parts) != 1 for c in scene.choices):
        return None
    return [ChoiceView(c.label.parts[0], True, c, "") for c in scene.choices]


class Playthrough:
    """A player's state in a story; see the module docstring.

    ``start`` begins play at another scene than the story's start (an
    assignment that starts at a later chapter).
    """

    def __init__(self, story: Story, seed: int = 0, clock: bool = True, start: str | None = None):
        self.story = story
        self.seed = seed
        self.clock = clock
        self._machine = machine_for(story)
        events = self._machine.events
        widest = max((len(scene.choices) for scene in story.scenes.values()), default=0)
        self._triggers = [events[choice_trigger(i)] for i in range(widest)]
        self._route = events.get(ROUTE_TRIGGER)
        self._cursor = Cursor(self)
        plans = _plans.get(story)
        if plans is None:
            plans = _plans[story] = _Plans()
        self._effect_plans, self._fixed_views = plans.effects, plans.views
        self.start_scene = start or story.start
        if self.start_scene not in story.scenes:
            raise SaveMismatch(f"the starting scene {self.start_scene!r} does not exist in this story")
        self.restart()

    def restart(self) -> None:
        """Go back to the start with default variables and no history."""
        self.variables: dict[str, Value] = self.story.defaults()
        self.visits: dict[str, int] = {}
        self.steps: list[Step] = []
        self._undo: list[_Snapshot] = []
        self._views: list[ChoiceView] | None = None
        self._offered: list[ChoiceView] | None = None  # the enabled ones among _views
        self._machine.set_state(self.start_scene, model=self._cursor)
        self._enter(self.start_scene, [])

    # -- where the player is ----------------------------------------------------
    @property
    def scene_id(self) -> str:
        return self._cursor.state

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self._cursor.state]

    @property
    def is_over(self) -> bool:
        return self.scene.is_ending

    @property
    def ending(self) -> Scene | None:
        return self.scene if self.scene.is_ending else None

    @property
    def chapter(self) -> Chapter | None:
        return self.story.chapter_of(self.scene_id)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def unlocked_codex(self) -> list[str]:
        """Codex ids unlocked by the scenes visited so far, in order of first appearance."""
        seen: dict[str, None] = {}
        for sid in self.visits:
            for entry in self.story.scenes[sid].unlocks:
                seen.setdefault(entry, None)
        return list(seen)

    # -- what to show ---------------------------------------------------------
    def _holds(self, expression: Expression, scene: Scene, kind: str, index: int, pos: SourcePos,
               label: str = "") -> bool:
        """Evaluate a story condition; a failure is a PlayError that names where it was written."""
        try:
            return bool(expression.fn(self.variables, self.visits))
        except _STORY_FAILURES as exc:
            raise PlayError(str(exc), scene.id, label, pos, (scene.id, kind, index)) from exc

    def text(self) -> list[str]:
        """The current scene's paragraphs, with conditions applied and variables filled in."""
        scene = self.scene
        shown: list[str] = []
        for index, para in enumerate(scene.paragraphs):
            template: Template | None = para.text
            if para.condition is not None and not self._holds(para.condition, scene, "paragraph", index, para.pos):
                template = para.otherwise
            if template is not None:
                text = template.render(self.variables)
                if text:
                    shown.append(text)
        return shown

    def questions(self, items: tuple[Paragraph, ...]) -> list[str]:
        """Reflection questions (a chapter's or an ending's) for this path: those whose condition
        holds (or their ``else``), with variables filled in."""
        asked: list[str] = []
        scene = self.scene
        for index, item in enumerate(items):
            template: Template | None = item.text
            if item.condition is not None and not self._holds(item.condition, scene, "question", index, item.pos):
                template = item.otherwise
            if template is not None and (text := template.render(self.variables)):
                asked.append(text)
        return asked

    def all_choices(self) -> list[ChoiceView]:
        """Every choice to show: available ones, and greyed ones whose scene gives a ``locked`` reason.

        Worked out once per state: a front end lists the choices to draw them and
        :meth:`choose` lists them again to pick one, and each guard runs only once.
        """
        if self._views is None:
            self._views = self._list_choices()
        return list(self._views)

    def _list_choices(self) -> list[ChoiceView]:
        scene_id = self._cursor.state
        try:
            fixed = self._fixed_views[scene_id]
        except KeyError:
            fixed = self._fixed_views[scene_id] = _fixed_views(self.story.scenes[scene_id])
        if fixed is not None:
            return fixed
        scene = self.story.scenes[scene_id]
        variables = self.variables
        views: list[ChoiceView] = []
        for choice in scene.choices:
            condition = choice.condition
            ok = condition is None or self._holds(condition, scene, "choice", choice.index, choice.condition_pos,
                                                 choice.label.raw)
            if ok or choice.locked_reason:
                views.append(ChoiceView(choice.label.render(variables), ok, choice,
                                        "" if ok else choice.locked_reason))
        return views

    def choices(self) -> list[ChoiceView]:
        """The choices the player may take now, in story order; ``choose(i)`` takes the i-th."""
        if self._offered is None:
            if self._views is None:
                self._views = self._list_choices()
            views = self._views
            self._offered = views if all(view.enabled for view in views) else [v for v in views if v.enabled]
        return list(self._offered)

    # -- acting ---------------------------------------------------------------
    def choose(self, index: int) -> Turn:
        """Take the ``index``-th available choice (0-based) and move on.

        Raises :class:`~game.errors.ChoiceUnavailable` for a number out of
        range, :class:`~game.errors.PlaythroughOver` after the ending, and
        :class:`~game.errors.PlayError` when the story fails (then nothing
        has changed).
        """
        available = self._offered if self._offered is not None else self.choices()
        if not 0 <= index < len(available):
            if self.is_over:
                raise PlaythroughOver("cannot choose: the playthrough has ended")
            raise ChoiceUnavailable(f"choice {index + 1} is not available (1 to {len(available)})")
        view = available[index]
        return self._take(view.choice, view.label)

    def _take(self, choice: Choice, label: str | None = None) -> Turn:
        """Take a choice of the current scene. ``label`` is given by :meth:`choose`, which has just checked the
        condition and rendered the label; other callers have the condition evaluated here."""
        scene = self.story.scenes[self._cursor.state]
        if label is None:
            label = choice.label.render(self.variables)
            if choice.condition is not None and \
                    not self._holds(choice.condition, scene, "choice", choice.index, choice.condition_pos, label):
                raise PlayError("this choice is not available now", scene.id, label, choice.pos)
        before = _Snapshot(scene.id, self.variables, [])
        self._views = self._offered = None
        try:
            if choice.effects:
                self._apply_effects(choice)
            self._triggers[choice.index].trigger(self._cursor)
            self._enter(self._cursor.state, before.entered)
        except PlayError as exc:
            self._restore(before)
            if not exc.choice_label:
                exc.choice_label = label
            raise
        self._undo.append(before)
        now = self.story.scenes[self._cursor.state]
        self.steps.append(Step(scene.id, choice.index, label, now.id, choice.novel, _now() if self.clock else ""))
        aftermath = choice.aftermath.render(before.variables) if choice.aftermath else ""
        ended = self.story.chapters.get(scene.chapter) if scene.chapter and now.chapter != scene.chapter else None
        return Turn(aftermath, ended, now, tuple(before.entered))

    def _apply_effects(self, choice: Choice) -> None:
        """Apply the choice's effects all at once, or none of them (on the way out of the scene)."""
        kept = self._effect_plans.get(id(choice))
        if kept is None or kept[0] is not choice:
            kept = self._effect_plans[id(choice)] = (choice, _effect_plan(self.story, choice))
        plan = kept[1]
        variables, visits = self.variables, self.visits
        new = dict(variables)
        for number, op, name, fn, clamp in plan:
            try:
                value = fn(variables, visits)
                if op == "add":
                    value = checked(new[name] + value)  # bounded like '+' in an expression
                elif op == "subtract":
                    value = checked(new[name] - value)
                new[name] = value if clamp is None else clamp(value)
            except _STORY_FAILURES as exc:
                pos = choice.effects[number].pos
                raise PlayError(str(exc), self.scene_id, "", pos, (self.scene_id, "effect", number)) from exc
        self.variables = new

    def _enter(self, scene_id: str, entered: list[str]) -> None:
        """Count the visit and follow routers until a scene that waits for the player.

        Every scene entered is appended to ``entered`` so that undo can uncount it.
        """
        hops = 0
        while True:
            self.visits[scene_id] = self.visits.get(scene_id, 0) + 1
            entered.append(scene_id)
            scene = self.story.scenes[scene_id]
            if not scene.is_router:
                return
            hops += 1
            if hops > MAX_ROUTE_HOPS:
                raise PlayError("routers keep sending the player round in a loop", scene_id, pos=scene.pos,
                                site=(scene_id, "route", 0))
            if self._route is None or not self._route.trigger(self._cursor):
                raise PlayError("no route matched and there is no default", scene_id, pos=scene.pos,
                                site=(scene_id, "route", len(scene.routes)))
            scene_id = self._cursor.state

    def undo(self) -> bool:
        """Take back the last choice. Returns False when there is nothing to undo."""
        if not self._undo:
            return False
        self._restore(self._undo.pop())
        self.steps.pop()
        return True

    def _restore(self, snap: _Snapshot) -> None:
        # Setting the state directly runs no enter callbacks, as a restore should.
        self._views = self._offered = None
        self._machine.set_state(snap.scene, model=self._cursor)
        self.variables = snap.variables
        for scene_id in snap.entered:
            count = self.visits[scene_id] - 1
            if count:
                self.visits[scene_id] = count
            else:
                del self.visits[scene_id]

    # -- serialising ----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data that :meth:`from_dict` turns back into an identical playthrough."""
        return {
            "format": SAVE_FORMAT,
            "story": self.story.id,
            "story_hash": self.story.content_hash,
            "seed": self.seed,
            "start": self.start_scene,
            "scene": self.scene_id,
            "chapter": self.scene.chapter,
            "variables": dict(self.variables),
            "visits": dict(self.visits),
            "steps": [step.to_dict() for step in self.steps],
            "ending": self.scene_id if self.is_over else None,
        }

    @classmethod
    def from_dict(cls, story: Story, data: dict[str, Any], clock: bool = True) -> Playthrough:
        """Restore a playthrough. Steps are replayed so undo works; if the story changed since
        the save, the saved scene and variables are restored directly when the scene still exists.

        Raises :class:`~game.errors.SaveMismatch` when the data is for another story, was written by
        a newer version of the game, or its scene is gone.
        """
        data = check_saved(story, data)
        start = data.get("start") or story.start
        steps = [Step.from_dict(s) for s in data["steps"]]
        if start in story.scenes:
            result = replay(story, steps, start, seed=data.get("seed", 0), clock=clock)
            play = result.play
            if result.ok and play.scene_id == data["scene"] and play.variables == data.get("variables"):
                play.steps = [step._replace(time=old.time) for step, old in zip(play.steps, steps, strict=True)]
                return play
        scene = data["scene"]
        if scene not in story.scenes:
            raise SaveMismatch(f"the saved scene {scene!r} no longer exists in this version of the story",
                               data.get("chapter") or "")
        play = cls(story, seed=data.get("seed", 0), clock=clock)
        play._place(scene, data, [s for s in steps if s.scene in story.scenes and s.target in story.scenes])
        return play

    @classmethod
    def from_chapter_start(cls, story: Story, data: dict[str, Any]) -> Playthrough:
        """Restore an old save whose scene is gone at the start of its chapter, keeping its variables.

        Raises :class:`~game.errors.SaveMismatch` if the chapter is gone too.
        """
        data = check_saved(story, data)
        chapter = data.get("chapter") or ""
        entry = story.chapter_entry(chapter) if chapter else None
        if entry is None:
            raise SaveMismatch(f"the chapter {chapter!r} of this save no longer exists in this story")
        play = cls(story, seed=data.get("seed", 0))
        play._place(entry, data, [])
        play.visits[entry] = play.visits.get(entry, 0) + 1
        return play

    def _place(self, scene: str, data: dict[str, Any], steps: list[Step]) -> None:
        """Put the player at ``scene`` with the saved variables that still fit the story (no undo history)."""
        self._undo.clear()
        self._views = self._offered = None
        self._machine.set_state(scene, model=self._cursor)
        variables = self.story.defaults()
        for name, value in data.get("variables", {}).items():
            if name in variables and type(value) is type(variables[name]):
                variables[name] = self.story.variables[name].clamp(value)
        self.variables = variables
        self.visits = {k: v for k, v in data.get("visits", {}).items() if k in self.story.scenes}
        self.steps = steps


def replay(story: Story, steps: Sequence[Step], start: str | None = None, seed: int = 0, clock: bool = False,
           check: Callable[[Playthrough, int, Step, Choice], str] | None = None) -> Replay:
    """Take ``steps`` again on a fresh playthrough, stopping at the first one that does not fit.

    The one replay every tool uses: saves, submissions (``kira verify``),
    the history screen, the maps and the explorer. ``check`` is called
    before each step with the playthrough as it is then; a non-empty
    answer stops the replay there with that reason (``kira verify`` uses
    it to compare what a record claims with what the story says). Reasons
    read after "step N", as in "step 3 takes choice 4, which ...".
    """
    try:
        play = Playthrough(story, seed=seed, clock=clock, start=start)
    except SaveMismatch as exc:
        play = Playthrough(story, seed=seed, clock=clock)
        return Replay(play, [], 0, str(exc))
    turns: list[Turn] = []
    for index, step in enumerate(steps):
        reason = _misfit(play, step)
        if not reason and check is not None:
            reason = check(play, index, step, play.scene.choices[step.choice])
        if reason:
            return Replay(play, turns, index, reason)
        try:
            turns.append(play._take(play.scene.choices[step.choice]))
        except PlayError as exc:
            return Replay(play, turns, index, f"fails when replayed: {exc}")
    return Replay(play, turns)


def _misfit(play: Playthrough, step: Step) -> str:
    """Why a step cannot be taken where the replay is, or ''."""
    if step.scene != play.scene_id:
        return f"was taken in the scene {step.scene!r}, but the replay is at {play.scene_id!r}"
    if not 0 <= step.choice < len(play.scene.choices):
        return f"takes choice {step.choice + 1}, which the scene {step.scene!r} does not have"
    return ""


