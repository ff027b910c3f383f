"""Test plans: a readable list of steps played through the story (``kira explore --plan``).

A plan sits beside the story, in a file whose name ends in ``.plan.yaml``
(the loader skips those), and reads like a walkthrough::

    - choose: 1                      # the first choice on offer
    - choose: "Keep the drawing"     # or the choice whose label says this
    - choose: novel                  # or the choice marked novel: true
    - expect_scene: ration_line
    - expect: "spirit >= 70 and not komsomol"
    - novel_until: the_road_west     # take the novel's choice in every scene until this one
    - expect_ending: unconquered

Steps run in order through the players' engine; the first that fails
stops the plan and is reported with its file and line and what was there
instead, so a plan is a regression test a writer can read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.authoring.explore.witness import show
from game.errors import PlayError, SourcePos, relative_path
from game.loader.source import Node, read_yaml
from game.loader.story import PLAN_SUFFIXES
from game.runtime.expressions import EvalError, ExpressionError, compile_expression, type_of
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough

STEP_KINDS = ("choose", "novel_until", "expect_scene", "expect_ending", "expect")
MAX_NOVEL_STEPS = 1000


class StepFailed(Exception):
    """A step did not hold; the message says what was found instead."""


@dataclass
class PlanResult:
    """How one plan went: how many steps passed, and the first failure if any."""

    path: str
    total: int = 0
    passed_steps: int = 0
    failure: str = ""
    pos: SourcePos = field(default_factory=SourcePos)

    @property
    def passed(self) -> bool:
        return not self.failure

    def text(self) -> str:
        if self.passed:
            return f"{self.path}: all {self.total} steps passed."
        if not self.total:
            return f"{self.pos}: {self.failure}"
        return f"{self.pos}: step {self.passed_steps + 1} of {self.total} failed: {self.failure}"

    def to_json(self) -> dict[str, Any]:
        return {"plan": self.path, "passed": self.passed, "steps": self.total, "passed_steps": self.passed_steps,
                "failure": self.failure, "line": self.pos.line, "col": self.pos.col}


def plan_files(path: Path) -> list[Path]:
    """A plan file, or every plan in a folder (and its sub-folders)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.name.endswith(PLAN_SUFFIXES) and p.is_file())
    return [path]


def run_plan(story: Story, path: Path) -> PlanResult:
    """Play one plan file through the story and say how far it got."""
    shown = relative_path(path)
    result = PlanResult(shown)
    if not path.is_file():
        result.failure, result.pos = "there is no such plan file", SourcePos(shown)
        return result
    node, problems = read_yaml(path, shown)
    if node is None or not node.is_list:
        result.failure = problems[0].message if problems else "a plan must be a YAML list of steps (lines with '- ')"
        result.pos = problems[0].pos if problems else SourcePos(shown)
        return result
    result.total = len(node.value)
    try:
        play = Playthrough(story, clock=False)
    except PlayError as exc:
        result.failure, result.pos = f"the story cannot start: {exc}", node.pos
        return result
    for step in node.value:
        try:
            _run_step(play, step)
        except StepFailed as exc:
            result.failure, result.pos = str(exc), step.pos
            return result
        result.passed_steps += 1
    return result


def _run_step(play: Playthrough, step: Node) -> None:
    if not step.is_map or len(step.value) != 1 or next(iter(step.value)) not in STEP_KINDS:
        raise StepFailed("each step is one of " + ", ".join(f"'{k}: ...'" for k in STEP_KINDS))
    kind, value = next(iter(step.value.items()))
    actions: dict[str, Callable[[Playthrough, Any], None]] = {
        "choose": _choose, "novel_until": _novel_until, "expect_scene": _expect_scene,
        "expect_ending": _expect_ending, "expect": _expect}
    actions[kind](play, value.value)


def _choose(play: Playthrough, wanted: Any) -> None:
    if play.is_over:
        raise StepFailed(f"the story has already ended ('{play.scene_id}'), there is nothing to choose")
    options = play.choices()
    labels = [view.label for view in options]
    offered = "; ".join(f"{i}. {label}" for i, label in enumerate(labels, start=1)) or "nothing"
    if wanted == "novel":
        index = _novel_choice(play, offered)
    elif isinstance(wanted, int) and not isinstance(wanted, bool):
        if not 1 <= wanted <= len(options):
            raise StepFailed(f"there is no choice {wanted} in scene '{play.scene_id}'; on offer: {offered}")
        index = wanted - 1
    else:
        index = _by_label(str(wanted), labels, play.scene_id, offered)
    try:
        play.choose(index)
    except PlayError as exc:
        raise StepFailed(str(exc)) from exc


def _novel_choice(play: Playthrough, offered: str) -> int:
    index = next((i for i, view in enumerate(play.choices()) if view.novel), None)
    if index is None:
        raise StepFailed(f"no choice on offer in scene '{play.scene_id}' is the novel's; on offer: {offered}")
    return index


def _novel_until(play: Playthrough, wanted: Any) -> None:
    target = str(wanted)
    if target not in play.story.scenes:
        raise StepFailed(f"the story has no scene '{target}'")
    for _ in range(MAX_NOVEL_STEPS):
        if play.scene_id == target:
            return
        if play.is_over:
            raise StepFailed(f"the novel's path ended in '{play.scene_id}' before reaching '{target}'")
        _choose(play, "novel")
    raise StepFailed(f"the novel's path did not reach '{target}' within {MAX_NOVEL_STEPS} choices")


def _by_label(text: str, labels: list[str], scene: str, offered: str) -> int:
    def norm(s: str) -> str:
        return " ".join(s.split()).casefold()
    exact = [i for i, label in enumerate(labels) if norm(label) == norm(text)]
    partial = [i for i, label in enumerate(labels) if norm(text) in norm(label)]
    matches = exact or partial
    if len(matches) != 1:
        how = "no choice" if not matches else f"{len(matches)} choices"
        raise StepFailed(f"{how} in scene '{scene}' match \"{text}\"; on offer: {offered}")
    return matches[0]


def _expect_scene(play: Playthrough, wanted: Any) -> None:
    if play.scene_id != str(wanted):
        raise StepFailed(f"expected scene '{wanted}', but the story is at '{play.scene_id}'")


def _expect_ending(play: Playthrough, wanted: Any) -> None:
    if not play.is_over:
        raise StepFailed(f"expected the ending '{wanted}', but the story is still at scene '{play.scene_id}'")
    if play.scene_id != str(wanted):
        raise StepFailed(f"expected the ending '{wanted}', but the story ended in '{play.scene_id}'")


def _expect(play: Playthrough, source: Any) -> None:
    types = {name: type_of(value) for name, value in play.variables.items()}
    try:
        expression = compile_expression(str(source), types, play.story.scenes.__contains__)
    except ExpressionError as exc:
        raise StepFailed(f"cannot read \"{source}\": {exc}") from exc
    if expression.type != "boolean":
        raise StepFailed(f"\"{source}\" must be true or false, not a {expression.type}")
    try:
        holds = expression.evaluate(play.variables, play.visits)
    except EvalError as exc:
        raise StepFailed(f"\"{source}\" failed: {exc}") from exc
    if not holds:
        values = ", ".join(f"{name} is {show(play.variables[name])}" for name in sorted(expression.names))
        counts = ", ".join(f"visited('{s}') is {play.visits.get(s, 0)}" for s in sorted(expression.scenes))
        where = "; ".join(part for part in (values, counts) if part)
        raise StepFailed(f"expected {source}, but {where or 'it is false'} (in scene '{play.scene_id}')")
