"""The exhaustive search behind ``kira explore --exhaustive``.

A breadth-first search over the states where the player waits (scene,
variables, visit counts), through the engine players use. States that
are sure to behave alike are merged (:class:`~game.authoring.statekey.StateKeys`,
whose docstring proves it sound); when the search has visited every
state left, it has seen everything that can happen, and because it is
breadth-first each error comes with a shortest path that reproduces it.

Stories whose numbers combine in millions of ways (every path sums its
effects differently) have more states than any search can visit. When
the exact search reaches ``max_states``, a second search keeps one
state per *cell* of the numbers (plus the extreme values within each
cell, see :class:`~game.authoring.statekey.CellKeys`). Everything it
finds is real, since it only ever plays. What it may have missed is then
settled by the static ranges (:mod:`game.authoring.ranges`): a choice
the ranges show can never be taken, a dead end or error they show
cannot happen, needs no witness. Whatever is neither found nor ruled
out is listed as unresolved, so the verdict never claims more than it
knows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from game.authoring.explore.random import PathStep, Progress, Report, begin, look, play_error, reflect
from game.authoring.explore.ranges import Ranges, analyse
from game.authoring.explore.statekey import CellKeys, StateKeys
from game.authoring.explore.witness import TooManyCombinations, stuck
from game.errors import PlayError
from game.runtime.expressions import Value
from game.runtime.model import Scene, Story
from game.runtime.playthrough import Playthrough
from game.runtime.tools import set_state, state_of, take_offered

DEFAULT_MAX_STATES = 100_000
State = tuple[str, dict[str, Value], dict[str, int]]
Select = Callable[[list[Any]], list[int]]  # which new states of a level to search on


@dataclass
class _Outcome:
    finished: bool
    states: int
    depth: int


def explore_exhaustive(story: Story, max_states: int = DEFAULT_MAX_STATES,
                       progress: Progress | None = None) -> Report:
    """Search every state (see the module docstring); the verdict is in ``report.extra``."""
    report = Report(story, "exhaustive")
    started = time.perf_counter()
    keys = StateKeys(story)
    seen: set[tuple[object, ...]] = set()

    def select_exact(states: list[State]) -> list[int]:
        kept = []
        for index, state in enumerate(states):
            key = keys.key(*state)
            if key not in seen:
                seen.add(key)
                kept.append(index)
        return kept

    exact = _search(story, report, select_exact, max(1, max_states // 10), progress)
    if exact.finished:
        report.extra = {"complete": True, "method": "exact", "states": exact.states, "depth": exact.depth,
                        "unresolved": [], "message": f"Every reachable state was visited ({exact.states:,} in all)."}
    else:
        report.extra = _by_cells(story, report, keys, exact, max_states, progress)
    report.seconds = time.perf_counter() - started
    return report


def _by_cells(story: Story, report: Report, keys: StateKeys, exact: _Outcome, cap: int,
              progress: Progress | None) -> dict[str, object]:
    """The second search, in up to two rounds: the second keeps more states per cell, and runs only
    when the first left something unresolved."""
    ranges = analyse(story)
    used, depth, open_facts = exact.states, exact.depth, ["the search has not run"]
    finished = True
    for each in (False, True):
        outcome = _search(story, report, CellKeys(keys, each).select, cap - used, progress, used)
        used, depth, finished = used + outcome.states, max(depth, outcome.depth), outcome.finished
        open_facts = unresolved(story, report, ranges)
        if not open_facts or not finished:
            break
    verdict = _verdict(exact.states, used, depth, finished, open_facts, cap)
    why = followed_one_by_one(story, keys)
    if why:
        verdict["message"] = f"{verdict['message']} Numbers followed value by value: {'; '.join(why)}."
    verdict["followed_one_by_one"] = why
    return verdict


def followed_one_by_one(story: Story, keys: StateKeys) -> list[str]:
    """The numbers the exact search cannot group into classes, and why: what multiplies the states."""
    found = []
    for name, var in story.variables.items():
        if name in keys.thresholds or isinstance(var.default, bool | str):
            continue
        if name in keys.computed:
            why = f"changed by a computed amount, {keys.computed[name]}"
        elif any(name in bare for bare in keys.bare.values()):
            why = "read in arithmetic, or compared with another variable"
        elif var.minimum is None or var.maximum is None:
            why = "it has no declared min and max"
        else:
            why = "its range is too wide to list"
        found.append(f"'{name}' ({why})")
    return found


def _verdict(exact: int, used: int, depth: int, finished: bool, open_facts: list[str], cap: int) -> dict[str, object]:
    complete = finished and not open_facts
    message = (f"The story has more than {exact:,} distinct states, more than are worth visiting one by one, so "
               f"the search went on with one state per range of each number ({used - exact:,} states)")
    if not finished:
        message += (f" and stopped at the cap of {cap:,} states: the results are PARTIAL (scenes, choices and "
                    "endings not listed may still be reachable); raise --max-states")
    elif complete:
        message += (". Everything not found was ruled out by analysis: no other scene, choice, ending, "
                    "dead end or error is possible")
    else:
        message += f". {len(open_facts)} thing(s) were neither found nor ruled out (listed as unresolved)"
    return {"complete": complete, "method": "cells", "states": used, "depth": depth,
            "unresolved": open_facts, "message": message + "."}


def _search(story: Story, report: Report, select: Select, max_states: int, progress: Progress | None,
            before: int = 0) -> _Outcome:
    """Breadth-first over waiting states; False in ``finished`` when ``max_states`` stopped it."""
    play = begin(story, report)
    if play is None:
        return _Outcome(True, 1, 0)
    start = state_of(play)
    select([start])
    parents: list[tuple[int, PathStep | None]] = [(-1, None)]
    level: list[tuple[int, State]] = [(0, start)]
    depth = 0
    while level:
        found: list[tuple[int, PathStep, State]] = []
        for state_id, state in level:
            found += [(state_id, step, new) for step, new in
                      _expand(play, report, state, depth, partial(_path, parents, state_id))]
        level = []
        for index in select([new for _, _, new in found]):
            state_id, step, new = found[index]
            parents.append((state_id, step))
            level.append((len(parents) - 1, new))
            if len(parents) >= max_states:
                return _Outcome(False, len(parents), depth)
        if progress is not None:
            progress(before + len(parents), before + max_states)
        depth += 1
    return _Outcome(True, len(parents), depth)


def _expand(play: Playthrough, report: Report, state: State, depth: int,
            path: Callable[[], list[PathStep]]) -> list[tuple[PathStep, State]]:
    """Take every choice on offer in one state; record endings, errors and dead ends on the way."""
    scene = state[0]
    set_state(play, *state)
    report.reached_scenes.update(state[2])
    if play.is_over:
        return []
    options = look(play, report, path)
    if options is None:
        return []
    if not options:
        report.record_dead_end(scene, path())
        return []
    found = []
    for number, view in enumerate(options, start=1):
        if number > 1:
            set_state(play, *state)
        report.taken.add((scene, view.choice.index))
        report.steps += 1
        step = PathStep(scene, number, view.label)
        try:
            turn = take_offered(play, view)  # as play.choose(number - 1), without listing the choices again
        except PlayError as exc:
            report.record_error(scene, play_error(play.story, exc), [*path(), step], exc.site)
            continue
        if turn.chapter_ended is not None or play.is_over:
            reflect(play, turn, report, partial(_and, path, step))
        report.reached_scenes.update(play.visits)  # routers passed on the way, even if the state is merged
        if play.is_over:
            report.reached_endings[play.scene_id] += 1
            report.playthroughs += 1
            report.lengths.append(depth + 1)
            continue
        found.append((step, state_of(play)))
    return found


def _and(path: Callable[[], list[PathStep]], step: PathStep) -> list[PathStep]:
    return [*path(), step]


def _path(parents: list[tuple[int, PathStep | None]], state_id: int) -> list[PathStep]:
    steps = []
    while state_id > 0:
        state_id, step = parents[state_id]
        if step is not None:
            steps.append(step)
    return steps[::-1]


def unresolved(story: Story, report: Report, ranges: Ranges) -> list[str]:
    """What the analysis says may happen but no playthrough met: scenes, choices, dead ends, errors."""
    found = []
    for sid, scene in story.scenes.items():
        if not ranges.reachable(sid):
            continue
        if sid not in report.reached_scenes:
            found.append(f"scene '{sid}' may be reachable but was not reached")
        for choice in scene.choices:
            if (sid, choice.index) not in report.taken and (sid, "choice", choice.index) in ranges.feasible:
                found.append(f"choice {choice.index + 1} of scene '{sid}' may be possible but was never taken")
        if sid not in report.dead_ends and not _never_stuck(story, ranges, scene):
            found.append(f"scene '{sid}' may leave the player with no choice")
    looping = _router_loop(story, ranges)
    if looping and not any("round in a loop" in message for _, message in report.errors):
        found.append(f"routers {', '.join(repr(s) for s in looping)} may send the player round in a loop")
    for sid, kind, index in sorted(ranges.may_fail):
        if (sid, kind, index) not in report.failed_sites:
            what = {"paragraph": "the condition of paragraph", "choice": "the condition of choice",
                    "effect": "the effects of choice", "route": "the condition of route"}[kind]
            found.append(f"{what} {index + 1} of scene '{sid}' may fail in play (it divides, or its numbers "
                         "may grow too large)")
    return found


def _never_stuck(story: Story, ranges: Ranges, scene: Scene) -> bool:
    """True when the ranges prove some choice of the scene is always on offer."""
    try:
        result = stuck(story, ranges.entry[scene.id], scene)
    except TooManyCombinations:
        return False
    return result.witness is None and result.complete


def _router_loop(story: Story, ranges: Ranges) -> list[str]:
    """Routers that may lead to one another in a circle (by routes the ranges allow), or []."""
    edges = {sid: [r.target for i, r in enumerate(scene.routes) if (sid, "route", i) in ranges.feasible
                   and story.scenes[r.target].is_router]
             for sid, scene in story.scenes.items() if scene.is_router}
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(sid: str, path: list[str]) -> list[str]:
        state[sid] = 1
        for target in edges[sid]:
            if state.get(target) == 1:
                return path[path.index(target):] + [sid] if target in path else [target, sid]
            if target not in state and (loop := visit(target, [*path, sid])):
                return loop
        state[sid] = 2
        return []

    for sid in edges:
        if sid not in state and (loop := visit(sid, [])):
            return sorted(set(loop))
    return []
