"""Finding example values that make a set of conditions come out a given way.

The linter asks questions such as "can every choice of this scene be
unavailable at once?". The ranges of :mod:`game.authoring.ranges` say
what each variable may hold at the scene; this module tries the values
that matter (each range's ends and the values either side of every
constant the conditions compare with) and runs the story's own compiled
conditions on them. A witness is an example writers can read ("when
money is 35"); it lies inside the ranges, so it is possible as far as
ranges can tell, but two variables' values may still never meet in play.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from game.authoring.explore.ranges import Env, Interval, Options
from game.authoring.exprtree import COMPARISONS, Binary, Const, atoms_and_bare_reads, item_of, tree_of, visit_item, walk
from game.runtime.expressions import EvalError, Expression, Value
from game.runtime.model import Scene, Story, format_value

MAX_COMBINATIONS = 20_000
Test = Callable[[Mapping[str, Value], Mapping[str, int]], bool]


class TooManyCombinations(Exception):
    """There are too many values to try: nothing can be said either way."""


@dataclass(frozen=True)
class Search:
    """The outcome of a search: an example, or None; ``complete`` when the values tried cover every case
    that can make a difference, so that None proves there is no example inside the ranges."""

    witness: dict[str, Value] | None
    complete: bool


def find_witness(story: Story, env: Env, expressions: Iterable[Expression], test: Test) -> dict[str, Value] | None:
    """Values (variables and ``visited:`` counts) inside ``env`` for which ``test`` holds, or None.

    Raises :class:`TooManyCombinations` when there are too many values to try.
    """
    return search(story, env, expressions, test).witness


def search(story: Story, env: Env, expressions: Iterable[Expression], test: Test) -> Search:
    """Like :func:`find_witness`, also saying whether not finding one proves there is none."""
    expressions = list(expressions)
    items = sorted({*(n for e in expressions for n in e.names),
                    *(visit_item(s) for e in expressions for s in e.scenes)})
    constants = _constants(expressions)
    whole = integral_items(story)
    options = [candidates(env.get(item, Interval(0, math.inf)), constants.get(item, set()), item in whole)
               for item in items]
    if math.prod(len(o) for o in options) > MAX_COMBINATIONS:
        raise TooManyCombinations()
    defaults = story.defaults()
    complete = all(_decidable(e, env, whole) for e in expressions)
    for combo in itertools.product(*options):
        chosen = dict(zip(items, combo, strict=True))
        variables = {**defaults, **{k: v for k, v in chosen.items() if not k.startswith("visited:")}}
        visits = {k[8:]: int(v) for k, v in chosen.items() if k.startswith("visited:")}
        try:
            if test(variables, visits):
                return Search(chosen, complete)
        except (EvalError, TypeError, ZeroDivisionError):
            complete = False
    return Search(None, complete)


def _decidable(expression: Expression, env: Env, whole: frozenset[str]) -> bool:
    """Whether trying each range's ends and the whole numbers around each constant covers every case:
    every number is a whole number compared only with constants, every other value has few options."""
    atoms, bare = atoms_and_bare_reads(tree_of(expression))
    for item in bare:
        value = env.get(item)
        if not isinstance(value, Options) or value.values is None:
            return False
    return all(item in whole for item, _ in atoms)


@functools.lru_cache(maxsize=16)
def integral_items(story: Story) -> frozenset[str]:
    """Variables that only ever hold whole numbers (and visit counts, which always do)."""
    found = {visit_item(s) for s in story.scenes}
    changes: dict[str, list[Expression]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            for effect in choice.effects:
                changes.setdefault(effect.variable, []).append(effect.value)
    for name, var in story.variables.items():
        numbers = (var.default, var.minimum if var.minimum is not None else 0,
                   var.maximum if var.maximum is not None else 0)
        if all(isinstance(x, int) and not isinstance(x, bool) for x in numbers) and all(
                isinstance(t := tree_of(e), Const) and isinstance(t.value, int) and not isinstance(t.value, bool)
                for e in changes.get(name, [])):
            found.add(name)
    return frozenset(found)


def stuck(story: Story, env: Env, scene: Scene) -> Search:
    """Whether values inside ``env`` can leave no choice of ``scene`` on offer."""
    conditions = [c.condition for c in scene.choices if c.condition is not None]
    if scene.is_ending or scene.is_router or len(conditions) < len(scene.choices):
        return Search(None, True)
    return search(story, env, conditions, lambda v, s: not any(e.fn(v, s) for e in conditions))


def stuck_witness(story: Story, env: Env, scene: Scene) -> dict[str, Value] | None:
    """Values inside ``env`` that leave no choice of ``scene`` on offer (None when none were found)."""
    return stuck(story, env, scene).witness


def candidates(value: Interval | Options, constants: set[Value], whole: bool = False) -> list[Value]:
    """The values worth trying inside a range: its ends, and either side of each constant compared with."""
    if isinstance(value, Options):
        if value.values is not None:
            return sorted(value.values, key=repr)  # type: ignore[arg-type]
        return sorted({"", *(c for c in constants if isinstance(c, str))})
    found: set[float] = {x for x in (value.lo, value.hi) if not math.isinf(x)}
    for k in constants:
        if isinstance(k, int | float) and not isinstance(k, bool):
            near = (math.floor(k) - 1, math.floor(k), math.ceil(k), math.ceil(k) + 1) if whole else (k - 1, k, k + 1)
            found.update(x for x in near if value.lo <= x <= value.hi)
    if not found:
        found.add(0 if value.lo <= 0 <= value.hi else (value.lo if not math.isinf(value.lo) else value.hi))
    return sorted(int(x) if float(x).is_integer() else x for x in found)


def _constants(expressions: list[Expression]) -> dict[str, set[Value]]:
    found: dict[str, set[Value]] = {}
    for expression in expressions:
        for node in walk(tree_of(expression)):
            if isinstance(node, Binary) and node.op in COMPARISONS:
                for side, other in ((node.left, node.right), (node.right, node.left)):
                    item = item_of(side)
                    if item is not None and isinstance(other, Const):
                        found.setdefault(item, set()).add(other.value)
    return found


def show(value: Value) -> str:
    """A value as a writer types it in a condition."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else format_value(value)


def describe(witness: Mapping[str, Value]) -> str:
    """'money is 35 and visited('fate') is 0', for messages."""
    parts = []
    for item, value in witness.items():
        name = f"visited('{item[8:]}')" if item.startswith("visited:") else item
        parts.append(f"{name} is {show(value)}")
    return " and ".join(parts) if parts else "always"
