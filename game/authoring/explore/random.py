"""Automatic playthroughs: random ones, and an exhaustive search (``kira explore``).

Everything here plays through :class:`~game.engine.Playthrough`, the
engine players use, so what it finds is what a player would meet. A
playthrough reads each scene's text (as the front ends do: a paragraph's
condition may fail), asks for the choices on offer, and takes one.

What a run reports (:class:`Report`): which scenes and choices were
reached, each ending with how often, every dead end (a scene that is not
an ending with no choice on offer) and every error, each with the exact
path of choices from the start that reproduces it, and path lengths.
The exhaustive search lives in :mod:`game.authoring.search`.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game.errors import PlayError
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough, Turn

Progress = Callable[[int, int], None]  # (done, total)
Site = tuple[str, str, int]  # (scene, "paragraph" | "choice" | "effect" | "route", index): what failed


@dataclass(frozen=True)
class PathStep:
    """One choice on a path: the scene, the choice's number among those on offer (1-based), its label."""

    scene: str
    number: int
    label: str

    def to_json(self) -> dict[str, Any]:
        return {"scene": self.scene, "choice": self.number, "label": self.label}


@dataclass
class Finding:
    """An error or a dead end, with the path that reproduces it and how often it was met."""

    scene: str
    message: str
    path: list[PathStep]
    count: int = 1

    @property
    def choices(self) -> str:
        """The path as typed for ``kira play --ui terminal --choices``."""
        return ",".join(str(step.number) for step in self.path)

    def to_json(self) -> dict[str, Any]:
        return {"scene": self.scene, "message": self.message, "count": self.count, "choices": self.choices,
                "path": [step.to_json() for step in self.path]}


@dataclass
class Report:
    """What a run of playthroughs found; ``to_json`` gives the keys CI relies on."""

    story: Story
    mode: str
    reached_scenes: set[str] = field(default_factory=set)
    taken: set[tuple[str, int]] = field(default_factory=set)  # (scene, choice index)
    reached_endings: Counter[str] = field(default_factory=Counter)
    dead_ends: dict[str, Finding] = field(default_factory=dict)
    errors: dict[tuple[str, str], Finding] = field(default_factory=dict)
    failed_sites: set[Site] = field(default_factory=set)
    playthroughs: int = 0
    lengths: list[int] = field(default_factory=list)
    steps: int = 0
    unfinished: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)  # mode-specific facts (the exhaustive search's verdict)

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.dead_ends)

    def record_error(self, scene: str, message: str, path: list[PathStep], site: Site | None = None) -> None:
        """Count an error; ``site`` is the expression that failed, when known (the exhaustive verdict uses it)."""
        if site is not None:
            self.failed_sites.add(site)
        known = self.errors.get((scene, message))
        if known is None:
            self.errors[(scene, message)] = Finding(scene, message, path)
        else:
            known.count += 1

    def record_dead_end(self, scene: str, path: list[PathStep]) -> None:
        known = self.dead_ends.get(scene)
        if known is None:
            where = self.story.scenes[scene].pos
            self.dead_ends[scene] = Finding(scene, f"{where}: no choice is available in scene '{scene}'", path)
        else:
            known.count += 1

    def all_choices(self) -> list[tuple[str, int]]:
        return [(s.id, c.index) for s in self.story.scenes.values() for c in s.choices]

    def to_json(self) -> dict[str, Any]:
        lengths = sorted(self.lengths)
        missed = [f"{sid}:{index + 1}" for sid, index in self.all_choices() if (sid, index) not in self.taken]
        return {
            "mode": self.mode,
            "scenes": len(self.story.scenes),
            "reached_scenes": len(self.reached_scenes & set(self.story.scenes)),
            "unreached_scenes": sorted(set(self.story.scenes) - self.reached_scenes),
            "choices": len(self.all_choices()),
            "taken_choices": len(self.all_choices()) - len(missed),
            "untaken_choices": missed,
            "endings": [s.id for s in self.story.endings],
            "reached_endings": dict(sorted(self.reached_endings.items())),
            "dead_ends": [f.to_json() for f in self.dead_ends.values()],
            "errors": [f.to_json() for f in self.errors.values()],
            "playthroughs": self.playthroughs,
            "unfinished": self.unfinished,
            "steps": self.steps,
            "path_length": {"min": lengths[0] if lengths else 0,
                            "median": _whole(statistics.median(lengths)) if lengths else 0,
                            "max": lengths[-1] if lengths else 0},
            "seconds": round(self.seconds, 3),
            "steps_per_second": round(self.steps / self.seconds) if self.seconds else 0,
            **self.extra,
        }


def look(play: Playthrough, report: Report, path: Callable[[], list[PathStep]]) -> list[Any] | None:
    """Read the scene and list the choices on offer, as a front end does.

    A paragraph whose condition fails is recorded as an error (a player's screen would fail there)
    and the choices are still listed, so that what lies beyond is explored too; None when the
    choices themselves cannot be listed.
    """
    try:
        play.text()
    except PlayError as exc:
        report.record_error(play.scene_id, f"{exc.pos}: {exc.args[0]} in a paragraph's condition in scene "
                            f"'{play.scene_id}'", path(), exc.site)
    try:
        return play.choices()
    except PlayError as exc:
        report.record_error(play.scene_id, f"{exc.pos}: {exc.args[0]} in a choice's condition in scene "
                            f"'{play.scene_id}'", path(), exc.site)
        return None


def reflect(play: Playthrough, turn: Turn, report: Report, path: Callable[[], list[PathStep]]) -> None:
    """Work out the reflection questions a step brings, as a front end does: a chapter's when the step
    closed it, an ending's when it ended the story. A failing condition in one is an error of the path,
    found here rather than by the first student whose chapter closes that way."""
    asked = []
    if turn.chapter_ended is not None:
        asked.append(turn.chapter_ended.reflection)
    ending = play.ending.ending if play.is_over and play.ending is not None else None
    if ending is not None:
        asked.append(ending.reflection)
    for questions in asked:
        try:
            play.questions(questions)
        except PlayError as exc:
            report.record_error(play.scene_id, f"{exc.pos}: {exc.args[0]} in a reflection question's condition "
                                f"(asked on the way into scene '{turn.scene.id}')", path(), exc.site)


def explore_random(story: Story, runs: int, seed: int = 0, max_steps: int = 1000,
                   progress: Progress | None = None) -> Report:
    """``runs`` random playthroughs; the same seed gives the same playthroughs and report."""
    report = Report(story, "random")
    rng = random.Random(seed)
    started = time.perf_counter()
    play = begin(story, report)
    if play is None:
        return report
    every = max(1, runs // 100)
    for run in range(runs):
        numbers = _one_random_playthrough(play, rng, max_steps, report)
        report.steps += len(numbers)
        report.reached_scenes.update(play.visits)
        report.taken.update((step.scene, step.choice) for step in play.steps)
        if progress is not None and (run + 1) % every == 0:
            progress(run + 1, runs)
    report.playthroughs = runs
    report.seconds = time.perf_counter() - started
    return report


def _one_random_playthrough(play: Playthrough, rng: random.Random, max_steps: int, report: Report) -> list[int]:
    play.restart()
    numbers: list[int] = []
    while not play.is_over:
        options = look(play, report, lambda: path_of(play, numbers))
        if options is None:
            return numbers
        if not options:
            report.record_dead_end(play.scene_id, path_of(play, numbers))
            return numbers
        if len(numbers) >= max_steps:
            report.unfinished += 1
            return numbers
        pick = rng.randrange(len(options))
        numbers.append(pick + 1)
        try:
            turn = play.choose(pick)
        except PlayError as exc:
            report.record_error(play.scene_id, play_error(play.story, exc),
                                path_of(play, numbers, options[pick].label), exc.site)
            return numbers
        reflect(play, turn, report, lambda: path_of(play, numbers))
    report.reached_endings[play.scene_id] += 1
    report.lengths.append(len(numbers))
    return numbers


def begin(story: Story, report: Report) -> Playthrough | None:
    """A playthrough at the start; None (with the error recorded) when even the start fails."""
    try:
        return Playthrough(story, clock=False)
    except PlayError as exc:
        report.record_error(story.start, play_error(story, exc), [])
        return None


def play_error(story: Story, exc: PlayError) -> str:
    """The error's message, placed at its scene when the engine gave no place (router loops)."""
    if exc.pos.line or exc.scene_id not in story.scenes:
        return str(exc)
    return f"{story.scenes[exc.scene_id].pos}: {exc}".replace(": <story>: ", ": ")


def path_of(play: Playthrough, numbers: list[int], failing_label: str | None = None) -> list[PathStep]:
    """The steps taken so far (plus the one that just failed) as a reproducible path."""
    path = [PathStep(step.scene, number, step.label) for step, number in zip(play.steps, numbers, strict=False)]
    if failing_label is not None:
        path.append(PathStep(play.scene_id, numbers[-1], failing_label))
    return path


def _whole(number: float) -> float:
    """A median of whole numbers is written as a whole number when it is one (37, not 37.0)."""
    return int(number) if float(number).is_integer() else number
