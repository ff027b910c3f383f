"""One player's way through a story.

A :class:`Playthrough` holds the current scene, the variables, how often
each scene was entered and the steps taken. Front ends and tools only
ever ask it what to show (:meth:`Playthrough.text`,
:meth:`Playthrough.choices`) and tell it what the player picked
(:meth:`Playthrough.choose`); the scene-to-scene moves go through the
story's shared ``transitions`` machine (:mod:`game.machine`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from game.errors import PlayError
from game.runtime.expressions import EvalError, Value
from game.runtime.machine import ROUTE_TRIGGER, Cursor, choice_trigger, machine_for
from game.runtime.model import Chapter, Choice, Scene, Story

SAVE_FORMAT = 1
MAX_ROUTE_HOPS = 100


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


class Step(NamedTuple):
    """One choice made: in which scene, which choice (its position in the scene), and what it said."""

    scene: str
    choice: int
    label: str
    target: str
    novel: bool
    time: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"scene": self.scene, "choice": self.choice, "label": self.label, "to": self.target,
                "novel": self.novel, "time": self.time}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        return cls(str(data["scene"]), int(data["choice"]), str(data.get("label", "")), str(data.get("to", "")),
                   bool(data.get("novel", False)), str(data.get("time", "")))


class Turn(NamedTuple):
    """What a choice led to: the aftermath text, a chapter that just closed, and the new scene."""

    aftermath: str
    chapter_ended: Chapter | None
    scene: Scene


class _Snapshot(NamedTuple):
    """Enough to take a step back: the scene and variables before it, and the scenes it entered."""

    scene: str
    variables: dict[str, Value]
    entered: list[str]


class SaveMismatch(ValueError):
    """Saved data does not fit this story (another story, or a scene that no longer exists)."""

    def __init__(self, message: str, chapter: str = ""):
        super().__init__(message)
        self.chapter = chapter


class Playthrough:
    """A player's state in a story; see the module docstring."""

    def __init__(self, story: Story, seed: int = 0, clock: bool = True):
        self.story = story
        self.seed = seed
        self.clock = clock
        self._machine = machine_for(story)
        events = self._machine.events
        widest = max((len(scene.choices) for scene in story.scenes.values()), default=0)
        self._triggers = [events[choice_trigger(i)] for i in range(widest)]
        self._route = events.get(ROUTE_TRIGGER)
        self._cursor = Cursor(self)
        self.restart()

    # -- state ----------------------------------------------------------------
    def restart(self) -> None:
        """Go back to the start with default variables and no history."""
        self.variables: dict[str, Value] = self.story.defaults()
        self.visits: dict[str, int] = {}
        self.steps: list[Step] = []
        self._undo: list[_Snapshot] = []
        self.start_scene = self.story.start
        self._cursor.state = self.story.start
        self._enter(self.story.start, [])

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

    def unlocked_codex(self) -> list[str]:
        """Codex ids unlocked by the scenes visited so far, in order of first appearance."""
        seen: dict[str, None] = {}
        for sid in self.visits:
            for entry in self.story.scenes[sid].unlocks:
                seen.setdefault(entry, None)
        return list(seen)

    # -- what to show ---------------------------------------------------------
    def text(self) -> list[str]:
        """The current scene's paragraphs, with conditions applied and variables filled in."""
        shown: list[str] = []
        for para in self.scene.paragraphs:
            template = para.text
            if para.condition is not None and not para.condition.fn(self.variables, self.visits):
                template = para.otherwise
            if template is not None:
                text = template.render(self.variables)
                if text:
                    shown.append(text)
        return shown

    def all_choices(self) -> list[ChoiceView]:
        """Every choice to show: available ones, and greyed ones whose scene gives a ``locked`` reason."""
        variables, visits = self.variables, self.visits
        views: list[ChoiceView] = []
        for choice in self.story.scenes[self._cursor.state].choices:
            condition = choice.condition
            ok = condition is None or bool(condition.fn(variables, visits))
            if ok or choice.locked_reason:
                views.append(ChoiceView(choice.label.render(variables), ok, choice,
                                        "" if ok else choice.locked_reason))
        return views

    def choices(self) -> list[ChoiceView]:
        """The choices the player may take now, in story order; ``choose(i)`` takes the i-th."""
        return [view for view in self.all_choices() if view.enabled]

    # -- acting ---------------------------------------------------------------
    def choose(self, index: int) -> Turn:
        """Take the ``index``-th available choice (0-based) and move on.

        Raises :class:`IndexError` for a number out of range, and
        :class:`~game.errors.PlayError` when the story fails (then nothing
        has changed).
        """
        if self.is_over:
            raise RuntimeError("cannot choose: the playthrough has ended")
        available = self.choices()
        if not 0 <= index < len(available):
            raise IndexError(f"choice {index + 1} is not available (1 to {len(available)})")
        return self.take(available[index].choice)

    def take(self, choice: Choice) -> Turn:
        """Take a choice of the current scene by its model object (used by replays and tools)."""
        scene = self.scene
        before = _Snapshot(scene.id, self.variables, [])
        label = choice.label.render(self.variables)
        try:
            moved = self._triggers[choice.index].trigger(self._cursor)
            if not moved:
                raise PlayError("this choice is not available now", scene.id, label, choice.pos)
            self._enter(self._cursor.state, before.entered)
        except (EvalError, TypeError, PlayError) as exc:
            self._restore(before)
            if isinstance(exc, PlayError):
                raise
            raise PlayError(str(exc), scene.id, label, choice.pos) from exc
        self._undo.append(before)
        time = datetime.now(UTC).isoformat(timespec="seconds") if self.clock else ""
        now = self.story.scenes[self._cursor.state]
        self.steps.append(Step(scene.id, choice.index, label, now.id, choice.novel, time))
        aftermath = choice.aftermath.render(before.variables) if choice.aftermath else ""
        ended = self.story.chapters.get(scene.chapter) if scene.chapter and now.chapter != scene.chapter else None
        return Turn(aftermath, ended, now)

    def apply_effects(self, choice: Choice) -> None:
        """Apply a choice's effects all at once: a failure leaves the variables untouched."""
        new = dict(self.variables)
        for effect in choice.effects:
            value = effect.value.fn(self.variables, self.visits)
            if effect.op == "add":
                value = new[effect.variable] + value
            elif effect.op == "subtract":
                value = new[effect.variable] - value
            new[effect.variable] = self.story.variables[effect.variable].clamp(value)
        self.variables = new

    def _enter(self, scene_id: str, entered: list[str]) -> None:
        """Count the visit and follow routers until a scene that waits for the player.

        Every scene entered is appended to ``entered`` so that undo can uncount it.
        """
        hops = 0
        while True:
            self.visits[scene_id] = self.visits.get(scene_id, 0) + 1
            entered.append(scene_id)
            if not self.story.scenes[scene_id].is_router:
                return
            hops += 1
            if hops > MAX_ROUTE_HOPS:
                raise PlayError("routers keep sending the player round in a loop", scene_id)
            if self._route is None or not self._route.trigger(self._cursor):
                raise PlayError("no route matched and there is no default", scene_id)
            scene_id = self._cursor.state

    def jump_to(self, scene_id: str) -> None:
        """Start play at another scene (an assignment's starting chapter); only before any choice."""
        if self.steps:
            raise RuntimeError("cannot jump: choices have already been made")
        self._machine.set_state(scene_id, model=self._cursor)
        self.visits = {}
        self._enter(scene_id, [])
        self.start_scene = scene_id

    def state(self) -> tuple[str, dict[str, Value], dict[str, int]]:
        """The scene, variables and visit counts: all that decides what can happen next (copies)."""
        return self.scene_id, dict(self.variables), dict(self.visits)

    def set_state(self, scene_id: str, variables: dict[str, Value], visits: dict[str, int]) -> None:
        """Put the playthrough in a state taken with :meth:`state`, without history.

        For tools that search many states of a story (``kira explore --exhaustive``);
        it runs no callbacks, as undo does not.
        """
        self._machine.set_state(scene_id, model=self._cursor)
        self.variables = dict(variables)
        self.visits = dict(visits)
        self.steps = []
        self._undo.clear()

    def undo(self) -> bool:
        """Take back the last choice. Returns False when there is nothing to undo."""
        if not self._undo:
            return False
        self._restore(self._undo.pop())
        self.steps.pop()
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def _restore(self, snap: _Snapshot) -> None:
        # Setting the state directly runs no enter callbacks, as a restore should.
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
    def from_dict(cls, story: Story, data: dict[str, Any]) -> Playthrough:
        """Restore a playthrough. Steps are replayed so undo works; if the story changed since
        the save, the saved scene and variables are restored directly when the scene still exists.

        Raises :class:`SaveMismatch` when the data is for another story or its scene is gone.
        """
        if data.get("story") != story.id:
            raise SaveMismatch(f"this save belongs to the story {data.get('story')!r}, not {story.id!r}")
        play = cls(story, seed=int(data.get("seed", 0)))
        steps = [Step.from_dict(s) for s in data.get("steps", [])]
        replayed = play.replay(steps, str(data.get("start") or story.start))
        if replayed and play.scene_id == data.get("scene") and play.variables == data.get("variables"):
            play.steps = steps
            return play
        scene = str(data.get("scene", ""))
        if scene not in story.scenes:
            raise SaveMismatch(f"the saved scene {scene!r} no longer exists in this version of the story",
                               str(data.get("chapter") or ""))
        play._place(scene, data, steps)
        return play

    @classmethod
    def from_chapter_start(cls, story: Story, data: dict[str, Any]) -> Playthrough:
        """Restore an old save whose scene is gone at the start of its chapter, keeping its variables.

        Raises :class:`SaveMismatch` if the chapter is gone too.
        """
        chapter = str(data.get("chapter") or "")
        entry = story.chapter_entry(chapter) if chapter else None
        if entry is None:
            raise SaveMismatch(f"the chapter {chapter!r} of this save no longer exists in this story")
        play = cls(story, seed=int(data.get("seed", 0)))
        play._place(entry, data, [])
        play.visits[entry] = play.visits.get(entry, 0) + 1
        return play

    def _place(self, scene: str, data: dict[str, Any], steps: list[Step]) -> None:
        """Put the player at ``scene`` with the saved variables that still fit the story (no undo history)."""
        self._undo.clear()
        self._machine.set_state(scene, model=self._cursor)
        variables = self.story.defaults()
        for name, value in dict(data.get("variables", {})).items():
            if name in variables and type(value) is type(variables[name]):
                variables[name] = self.story.variables[name].clamp(value)
        self.variables = variables
        self.visits = {k: int(v) for k, v in dict(data.get("visits", {})).items() if k in self.story.scenes}
        self.steps = steps

    def replay(self, steps: list[Step], start: str | None = None) -> bool:
        """Restart (at ``start`` if given) and take ``steps`` again; False at the first step that does not fit."""
        self.restart()
        if start and start != self.story.start:
            if start not in self.story.scenes:
                return False
            self.jump_to(start)
        for step in steps:
            if step.scene != self.scene_id:
                return False
            scene = self.scene
            if not 0 <= step.choice < len(scene.choices):
                return False
            choice = scene.choices[step.choice]
            if choice.condition is not None and not choice.condition.fn(self.variables, self.visits):
                return False
            try:
                self.take(choice)
            except PlayError:
                return False
        return True
