"""Which states of a story behave the same, so the exhaustive search visits each kind once.

A story's state where the player waits is the scene, the variables and
the visit counts. Meters such as ``spirit`` make the number of distinct
states explode (every path sums its effects differently), yet most of
those differences never matter. :class:`StateKeys` gives each state a
key such that two states with the same key at the same scene have the
same future: the same choices on offer, the same routes, the same
errors, the same dead ends and endings, step for step, whatever the
player picks.

How the key is built. Every variable, and the visit count of every scene
that some ``visited('...')`` reads, is an *item*, of one of two kinds:

* A **threshold item** is a number whose every read, anywhere in the
  story, is a comparison with a constant (``spirit >= 40``,
  ``visited('x') > 0``) and whose every change is a constant: a bounded
  whole-number variable changed only by ``set``/``add``/``subtract``
  with constant whole numbers (and clamped to its range), or a visit
  count (which only ever grows by one). The key holds its *class* at the
  scene instead of its value.
* Every other item is **exact**: the key holds its value, but only at
  scenes where it is *live*, i.e. some expression at this scene or a
  later one may read it before a ``set`` overwrites it.

Classes come from partition refinement (as when minimising an
automaton). For a threshold item ``v``, the classes at scene ``S`` split
its value range so that two values ``x`` and ``y`` share a class only if
(1) every comparison on ``v`` in an expression at ``S`` gives the same
result for ``x`` and ``y``, and (2) for every choice or route from ``S``
to ``T``, the values after its effects, ``f(x)`` and ``f(y)``, share a
class at ``T``. Starting from (1) alone, the partitions are split until
(2) holds everywhere; they only ever get finer, so this ends. Visit
counts are first capped at one more than the largest constant they are
compared with: above it every comparison gives the same answer forever,
because counts never shrink.

Why equal keys mean equal futures (soundness). Take two states at ``S``
with the same key. (a) Every expression at ``S`` evaluates the same way
in both, errors included: an exact item it reads is live at ``S``, so
equal in both; a threshold item only appears inside comparisons with
constants, whose results agree by (1); nothing else enters the
evaluation. So the same choices are on offer, the same route is taken,
the same effect values are computed, and any error is the same error.
(b) Take any choice or route to ``T``. The effects give equal values to
exact items live at ``T``: either the item was set (from equal values,
by (a)) or it kept its value, and it was live at ``S`` because it is
live at ``T`` and not overwritten. A threshold item goes from ``x`` to
``f(x)`` (its effects only use constants), and the two results share a
class at ``T`` by (2); a visit count grows by the same amount in both.
So the two successors again have equal keys, at ``T``. By induction on
the number of steps, both states offer the same choices, meet the same
errors, dead ends and endings, along every path. Text interpolation
(``{money}``) shows values but decides nothing, so it is not a read here.

``tests/test_explore.py`` checks this against a search that keys states
by their full values, on stories built to stress each rule.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.authoring.explore.ranges import flow_order
from game.authoring.exprtree import ARITHMETIC, Atom, Binary, Const, Node, atoms_and_bare_reads, tree_of, walk
from game.runtime.expressions import Expression, Value
from game.runtime.model import Choice, Scene, Story

MAX_DOMAIN = 2000  # a threshold item's range is enumerated; wider ones are kept exact
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}



def expressions_at(scene: Scene) -> Iterator[Expression]:
    """Every expression at ``scene`` that decides what happens or may fail.

    A paragraph's condition only picks which text to show, so it counts
    only when it could fail (it does arithmetic, which may divide by zero).
    """
    for para in scene.paragraphs:
        if para.condition is not None and may_fail(tree_of(para.condition)):
            yield para.condition
    for choice in scene.choices:
        if choice.condition is not None:
            yield choice.condition
        for effect in choice.effects:
            yield effect.value
    for route in scene.routes:
        if route.condition is not None:
            yield route.condition


def may_fail(tree: Node) -> bool:
    """Whether evaluating a tree can raise: only arithmetic can (division by zero, huge numbers)."""
    return any(isinstance(node, Binary) and node.op in ARITHMETIC for node in walk(tree))


@dataclass
class _Threshold:
    """A threshold item: its value range and its classes at each scene."""

    item: str
    low: int
    high: int
    labels: dict[str, list[int]]  # scene -> class id of each value, indexed by value - low

    def local(self, value: Value) -> int:
        return min(max(int(value), self.low), self.high) - self.low


class StateKeys:
    """Keys for states such that equal keys at a scene mean equal futures (see the module docstring)."""

    def __init__(self, story: Story):
        self.story = story
        self.edges = {sid: self._edges(scene) for sid, scene in story.scenes.items()}
        self.atoms: dict[str, dict[str, list[Atom]]] = {sid: {} for sid in story.scenes}
        self.bare: dict[str, set[str]] = {sid: set() for sid in story.scenes}
        for sid, scene in story.scenes.items():
            atoms, bare = self.reads(scene)
            for item, atom in atoms:
                self.atoms[sid].setdefault(item, []).append(atom)
            self.bare[sid] |= bare
        self.computed: dict[str, str] = {}  # variables changed by computed amounts: name -> where and how
        self.thresholds = {t.item: t for t in self._threshold_items()}
        self.live = self._liveness()
        self._refine()
        self.plan = {sid: self._plan(sid) for sid in story.scenes}

    # -- the key --------------------------------------------------------------
    def key(self, scene: str, variables: Mapping[str, Value], visits: Mapping[str, int]) -> tuple[object, ...]:
        """The key of a state; equal keys at the same scene mean equal futures."""
        classes, exact = self.plan[scene]
        parts: list[object] = [scene]
        for item, labels, threshold in classes:
            value = visits.get(item[8:], 0) if item.startswith("visited:") else variables[item]
            parts.append(labels[threshold.local(value)])
        for item in exact:
            parts.append(visits.get(item[8:], 0) if item.startswith("visited:") else variables[item])
        return tuple(parts)

    def classes_at(self, scene: str) -> dict[str, int]:
        """How many classes each item has at a scene (1 means its value no longer matters there)."""
        return {t.item: len(set(t.labels[scene])) for t in self.thresholds.values()}

    def _plan(self, sid: str) -> tuple[list[tuple[str, list[int], _Threshold]], list[str]]:
        classes = [(t.item, t.labels[sid], t) for t in self.thresholds.values() if len(set(t.labels[sid])) > 1]
        exact = sorted(item for item in self.live[sid] if item not in self.thresholds)
        return classes, exact

    # -- analysis -------------------------------------------------------------
    def reads(self, scene: Scene) -> tuple[list[tuple[str, Atom]], set[str]]:
        """What a scene reads: comparisons with constants, and items read any other way.

        Subclasses that care about more than what happens next (the impact
        analysis also counts what is shown) widen this."""
        atoms: list[tuple[str, Atom]] = []
        bare: set[str] = set()
        for expression in expressions_at(scene):
            found, other = atoms_and_bare_reads(tree_of(expression))
            atoms += found
            bare |= other
        return atoms, bare

    @staticmethod
    def _edges(scene: Scene) -> list[tuple[str, Choice | None]]:
        return [(c.target, c) for c in scene.choices] + [(r.target, None) for r in scene.routes]

    def _threshold_items(self) -> Iterator[_Threshold]:
        bare = set().union(*self.bare.values())
        compared: dict[str, list[float]] = {}
        for per_scene in self.atoms.values():
            for item, atoms in per_scene.items():
                compared.setdefault(item, []).extend(k for _, k in atoms)
        counted = {item for item in compared if item.startswith("visited:")}
        for item in counted - bare:
            cap = max(0, *(math.floor(k) + 1 for k in compared[item]))
            yield self._new_threshold(item, 0, cap)
        for name, var in self.story.variables.items():
            if self._constant_whole_changes(name) and name not in bare:  # (records computed changes first)
                low, high = var.minimum, var.maximum
                whole = all(isinstance(x, int) and not isinstance(x, bool) for x in (var.default, low, high))
                if whole and high - low <= MAX_DOMAIN:  # type: ignore[operator]
                    yield self._new_threshold(name, int(low), int(high))  # type: ignore[arg-type]

    def _new_threshold(self, item: str, low: int, high: int) -> _Threshold:
        labels = {}
        for sid in self.story.scenes:
            atoms = self.atoms[sid].get(item, [])
            signatures = [tuple(_OPS[op](x, k) for op, k in atoms) for x in range(low, high + 1)]
            labels[sid] = _renumber(signatures)
        return _Threshold(item, low, high, labels)

    def _constant_whole_changes(self, name: str) -> bool:
        for scene in self.story.scenes.values():
            for choice in scene.choices:
                for effect in choice.effects:
                    if effect.variable != name:
                        continue
                    tree = tree_of(effect.value)
                    whole = isinstance(tree, Const) and isinstance(tree.value, int)
                    if not whole or isinstance(tree.value, bool):  # type: ignore[union-attr]
                        self.computed[name] = f"'{effect.op}: {effect.value.source}' at {effect.pos}"
                        return False
        return True

    def _liveness(self) -> dict[str, set[str]]:
        """Items that some expression here or later may read before a ``set`` overwrites them."""
        reads = {sid: self.bare[sid] | set(self.atoms[sid]) for sid in self.story.scenes}
        live = {sid: set(items) for sid, items in reads.items()}
        changed = True
        while changed:
            changed = False
            for sid in self.story.scenes:
                for target, choice in self.edges[sid]:
                    killed = {e.variable for e in choice.effects if e.op == "set"} if choice else set()
                    extra = live[target] - killed - live[sid]
                    if extra:
                        live[sid] |= extra
                        changed = True
        return live

    def _refine(self) -> None:
        """Split each threshold item's classes until successors agree (rule (2) of the module docstring)."""
        order = flow_order(self.story)
        for threshold in self.thresholds.values():
            moves = {sid: [(target, self.move(threshold, choice, target)) for target, choice in self.edges[sid]]
                     for sid in self.story.scenes}
            stable = False
            while not stable:
                stable = True
                for sid in reversed(order):
                    labels = threshold.labels
                    before = labels[sid]
                    after = _renumber([
                        (before[x], *(labels[target][move[x]] for target, move in moves[sid]))
                        for x in range(len(before))])
                    if max(after, default=0) != max(before, default=0):
                        labels[sid] = after
                        stable = False

    def move(self, threshold: _Threshold, choice: Choice | None, target: str) -> list[int]:
        """Where each value of the item goes along one choice or route (as an index into its range)."""
        low, high = threshold.low, threshold.high
        if threshold.item.startswith("visited:"):
            step = 1 if threshold.item[8:] == target else 0
            return [min(x + step, high) - low for x in range(low, high + 1)]
        effects = [e for e in choice.effects if e.variable == threshold.item] if choice else []
        variable = self.story.variables[threshold.item]
        result = []
        for x in range(low, high + 1):
            value: int = x
            for effect in effects:
                amount = tree_of(effect.value)
                assert isinstance(amount, Const) and isinstance(amount.value, int)
                change = {"set": amount.value - value, "add": amount.value, "subtract": -amount.value}[effect.op]
                value = int(variable.clamp(value + change))
            result.append(value - low)
        return result


def _renumber(signatures: Sequence[tuple[object, ...]]) -> list[int]:
    """Class ids 0, 1, 2... in order of first appearance."""
    ids: dict[tuple[object, ...], int] = {}
    return [ids.setdefault(sig, len(ids)) for sig in signatures]


class CellKeys:
    """A coarser key for stories whose exact states are too many to visit (not sound on its own).

    Each number that :class:`StateKeys` would follow by class is reduced to its *cell*: where it
    lies among all the constants the story ever compares it with (``spirit`` below 40, 40 to 49,
    ...). Within a cell, :meth:`select` also keeps the states nearest to crossing into another
    cell later: with ``each=False`` the ones whose numbers are highest and lowest taken together
    (each number as a share of its range), with ``each=True`` the highest and lowest of every
    number. Merging by cell can miss things, so the search using it settles the rest by analysis:
    see :func:`game.authoring.search.unresolved`.
    """

    def __init__(self, keys: StateKeys, each: bool = False):
        every: dict[str, set[Atom]] = {}
        for per_scene in keys.atoms.values():
            for item, atoms in per_scene.items():
                every.setdefault(item, set()).update(atoms)
        cells = {}
        for item, threshold in keys.thresholds.items():
            atoms = sorted(every.get(item, ()))
            signatures = [tuple(_OPS[op](x, k) for op, k in atoms) for x in range(threshold.low, threshold.high + 1)]
            cells[item] = _renumber(signatures)
        self.plan = {}
        # Numbers followed value by value (changed by computed amounts, or read in arithmetic) are cut into
        # cells too, when they have a declared range: by the constants they are compared with, if any.
        self.ranged: dict[str, tuple[list[Atom], float, float]] = {}
        for name, var in keys.story.variables.items():
            if name not in keys.thresholds and var.minimum is not None and var.maximum is not None \
                    and not isinstance(var.default, bool | str):
                self.ranged[name] = (sorted(every.get(name, ())), var.minimum, var.maximum)
        for sid, (classes, exact) in keys.plan.items():
            self.plan[sid] = ([(item, cells[item], threshold) for item, _, threshold in classes],
                              [item for item in exact if item not in self.ranged],
                              [item for item in exact if item in self.ranged])
        self.each = each
        self.extremes: dict[tuple[object, ...], list[list[float]]] = {}
        self._fast: dict[str, tuple[Any, Any, Any]] = {}

    def measures(self, scene: str, variables: Mapping[str, Value], visits: Mapping[str, int]
                 ) -> tuple[tuple[object, ...], list[float]]:
        """A state's cell key, and the values whose extremes are kept within the cell.

        Called for every state the search meets (hundreds of thousands), so it reads a flat plan per
        scene (:meth:`_fast_plan`) with plain loops; the sums run in the same order as written out in
        :meth:`_fast_plan`'s docstring, so the measures are the same floats."""
        plan = self._fast.get(scene)
        if plan is None:
            plan = self._fast[scene] = self._fast_plan(scene)
        classes, exact, ranged = plan
        key: list[object] = [scene]
        values: list[int] = []
        share = 0.0 if classes else 0
        for visit, name, low, high, cells, span in classes:
            value = int(visits.get(name, 0) if visit else variables[name])
            values.append(value)
            # cells[min(max(value, low), high) - low], without two builtin calls per item
            key.append(cells[0 if value < low else high - low if value > high else value - low])
            share += (value - low) / span
        for visit, name in exact:
            key.append(visits.get(name, 0) if visit else variables[name])
        numbers: list[float] = []
        more = 0.0 if ranged else 0
        for name, tests, low, span in ranged:
            x = float(variables[name])
            numbers.append(x)
            key.append(tuple(test(x, k) for test, k in tests))
            more += (x - low) / span
        if self.each:
            return tuple(key), [float(v) for v in values] + numbers
        return tuple(key), [share + more]

    def _fast_plan(self, scene: str) -> tuple[list[tuple[bool, str, int, int, list[int], int]],
                                              list[tuple[bool, str]],
                                              list[tuple[str, list[tuple[Callable[[Any, Any], bool], float]],
                                                         float, float]]]:
        """Per scene: each class item as (is a visit count, name, low, high, cells, width of its range),
        each exact item as (is a visit count, name), each ranged number as (name, its comparisons, low,
        width). The measure is sum((v - low) / max(1, high - low)) over the class items plus the same
        sum over the ranged numbers (with max(1.0, ...)), each sum taken in order from zero."""
        classes, exact, ranged = self.plan[scene]
        fast_classes = []
        for item, cells, threshold in classes:
            visit = item.startswith("visited:")
            fast_classes.append((visit, item[8:] if visit else item, threshold.low, threshold.high, cells,
                                 max(1, threshold.high - threshold.low)))
        fast_exact = [(item.startswith("visited:"), item[8:] if item.startswith("visited:") else item)
                      for item in exact]
        fast_ranged = []
        for item in ranged:
            atoms, low, high = self.ranged[item]
            fast_ranged.append((item, [(_OPS[op], k) for op, k in atoms], low, max(1.0, high - low)))
        return fast_classes, fast_exact, fast_ranged

    def select(self, candidates: list[tuple[str, Mapping[str, Value], Mapping[str, int]]]) -> list[int]:
        """Which of one search level's new states to keep: per cell, the first one met, and those with a
        lower or higher measure than any earlier level had there."""
        groups: dict[tuple[object, ...], list[tuple[int, list[float]]]] = {}
        for index, state in enumerate(candidates):
            key, measures = self.measures(*state)
            groups.setdefault(key, []).append((index, measures))
        kept: set[int] = set()
        for key, members in groups.items():
            known = self.extremes.get(key)
            if known is None:
                kept.add(members[0][0])
                known = self.extremes[key] = [[v, v] for v in members[0][1]]
            for slot, bounds in enumerate(known):
                low = min(members, key=lambda m: m[1][slot])
                high = max(members, key=lambda m: m[1][slot])
                if low[1][slot] < bounds[0]:
                    kept.add(low[0])
                    bounds[0] = low[1][slot]
                if high[1][slot] > bounds[1]:
                    kept.add(high[0])
                    bounds[1] = high[1][slot]
        return sorted(kept)
