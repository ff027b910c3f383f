"""What values each variable can have at each scene, found without playing.

An abstract interpretation over the scene graph: numbers are tracked as
intervals, true/false and text as sets of possible values, visit counts
(for ``visited('...')``) as intervals too. Starting from the defaults at
the start scene, every choice and route whose condition may hold carries
its effects to the next scene, where the possibilities are joined. Loops
are closed by widening to the variable's declared range.

The result over-approximates: whatever can happen in play is inside the
ranges found here (but not everything inside them can happen). So a
condition found "always false" really is never true, a scene found
unreachable really cannot be reached, an error found impossible really
cannot happen; the reverse claims need a witness from ``kira explore``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from game.authoring.exprtree import (
    ARITHMETIC,
    Binary,
    Call,
    Const,
    Node,
    Unary,
    Var,
    Visited,
    item_of,
    tree_of,
    visit_item,
)
from game.runtime.expressions import MAX_MAGNITUDE, Expression
from game.runtime.model import Scene, Story

INF = math.inf
WIDEN_AFTER = 4  # joins into a scene before its ranges are widened (so loops end)


@dataclass(frozen=True)
class Interval:
    """The numbers from ``lo`` to ``hi``, both included."""

    lo: float
    hi: float

    def join(self, other: Interval) -> Interval:
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    def __str__(self) -> str:
        def show(x: float) -> str:
            return str(int(x)) if x not in (INF, -INF) and float(x).is_integer() else str(x)
        return show(self.lo) if self.lo == self.hi else f"{show(self.lo)} to {show(self.hi)}"


@dataclass(frozen=True)
class Options:
    """A finite set of possible true/false or text values; ``None`` means any text."""

    values: frozenset[object] | None

    def join(self, other: Options) -> Options:
        if self.values is None or other.values is None:
            return Options(None)
        return Options(self.values | other.values)

    def __str__(self) -> str:
        if self.values is None:
            return "any text"
        shown = sorted(("true" if v else "false") if isinstance(v, bool) else repr(v) for v in self.values)
        return " or ".join(shown)


Abstract = Interval | Options
Env = dict[str, Abstract]
BOTH = frozenset({True, False})


class Evaluator:
    """Evaluates trees over abstract values; ``may_fail`` records a possible play-time error."""

    def __init__(self, env: Env):
        self.env = env
        self.may_fail = False

    def truth(self, tree: Node) -> frozenset[object]:
        value = self.eval(tree)
        return value.values if isinstance(value, Options) and value.values is not None else BOTH

    def eval(self, node: Node) -> Abstract:
        if isinstance(node, Const):
            value = node.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return Interval(value, value)
            return Options(frozenset({value}))
        if isinstance(node, Var):
            return self.env[node.name]
        if isinstance(node, Visited):
            return self.env.get(visit_item(node.scene), Interval(0, INF))
        if isinstance(node, Unary):
            inner = self.eval(node.operand)
            if isinstance(inner, Interval):
                return Interval(-inner.hi, -inner.lo)
            return Options(frozenset(not v for v in inner.values)) if inner.values is not None else inner
        if isinstance(node, Call):
            args = [self.eval(a) for a in node.args]
            pick = min if node.name == "min" else max
            return Interval(pick(a.lo for a in args if isinstance(a, Interval)),
                            pick(a.hi for a in args if isinstance(a, Interval)))
        return self.binary(node)

    def binary(self, node: Binary) -> Abstract:
        if node.op in ("and", "or"):
            left = self.truth(node.left)
            stop = node.op == "or"  # the value that decides without looking right
            result: set[object] = {stop} if stop in left else set()
            if (not stop) in left:
                result |= self.truth(node.right)
            return Options(frozenset(result))
        lhs, rhs = self.eval(node.left), self.eval(node.right)
        if node.op in ARITHMETIC:
            return self.arithmetic(node.op, lhs, rhs)
        return Options(compare(node.op, lhs, rhs))

    def arithmetic(self, op: str, a: Abstract, b: Abstract) -> Abstract:
        if not isinstance(a, Interval) or not isinstance(b, Interval):
            self.may_fail = True  # joined text may grow too long
            return Options(None)
        if op == "/":
            if b.lo <= 0 <= b.hi:
                self.may_fail = True
                return Interval(-INF, INF)
            corners = [x / y for x in (a.lo, a.hi) for y in (b.lo, b.hi) if not math.isinf(y)] or [0.0]
        elif op == "*":
            corners = [_times(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        else:
            corners = [a.lo + b.lo, a.hi + b.hi] if op == "+" else [a.lo - b.hi, a.hi - b.lo]
        result = Interval(min(corners), max(corners))
        if max(abs(result.lo), abs(result.hi)) > MAX_MAGNITUDE:
            self.may_fail = True
        return result


def _times(x: float, y: float) -> float:
    return 0.0 if x == 0 or y == 0 else x * y  # 0 * inf is 0 here: a zero factor stays zero


def compare(op: str, a: Abstract, b: Abstract) -> frozenset[object]:
    """The possible results of comparing two abstract values."""
    if isinstance(a, Interval) and isinstance(b, Interval):
        outcomes = {
            "<": (a.lo < b.hi, a.hi >= b.lo), "<=": (a.lo <= b.hi, a.hi > b.lo),
            ">": (a.hi > b.lo, a.lo <= b.hi), ">=": (a.hi >= b.lo, a.lo < b.hi),
            "==": (a.lo <= b.hi and b.lo <= a.hi, not (a.lo == a.hi == b.lo == b.hi)),
        }
        can_true, can_false = outcomes["==" if op == "!=" else op]
        if op == "!=":
            can_true, can_false = can_false, can_true
    elif isinstance(a, Options) and isinstance(b, Options):
        if a.values is None or b.values is None:
            can_true = can_false = True
        else:
            can_true = bool(a.values & b.values)
            can_false = not (len(a.values) == len(b.values) == 1 and a.values == b.values)
            if op == "!=":
                can_true, can_false = can_false, can_true
    else:
        can_true = can_false = True
    return frozenset(v for v, possible in ((True, can_true), (False, can_false)) if possible)


def refine(env: Env, tree: Node, holds: bool) -> Env | None:
    """``env`` narrowed by knowing that ``tree`` is ``holds``; None when that cannot be."""
    if isinstance(tree, Unary) and tree.op == "not":
        return refine(env, tree.operand, not holds)
    if isinstance(tree, Binary) and tree.op == ("and" if holds else "or"):
        narrowed = refine(env, tree.left, holds)
        return refine(narrowed, tree.right, holds) if narrowed is not None else None
    if isinstance(tree, Var) and isinstance(env.get(tree.name), Options):
        current = env[tree.name]
        assert isinstance(current, Options)
        if current.values is not None and holds not in current.values:
            return None
        return {**env, tree.name: Options(frozenset({holds}))}
    if isinstance(tree, Binary) and tree.op in ("<", "<=", ">", ">=") :
        for side, other, op in ((tree.left, tree.right, tree.op), (tree.right, tree.left, _FLIP[tree.op])):
            item = item_of(side)
            if item is not None and isinstance(other, Const) and isinstance(env.get(item), Interval):
                return _narrow(env, item, op if holds else _NEGATE[op], float(other.value))
    return env


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _narrow(env: Env, item: str, op: str, k: float) -> Env | None:
    current = env[item]
    assert isinstance(current, Interval)
    lo, hi = current.lo, current.hi
    if op in ("<", "<="):
        hi = min(hi, k)
    else:
        lo = max(lo, k)
    if lo > hi or (lo == hi and op in ("<", ">") and lo == k):
        return None
    return {**env, item: Interval(lo, hi)}


@dataclass
class Ranges:
    """The result: each reachable scene's possible values, and what may happen there."""

    entry: dict[str, Env] = field(default_factory=dict)  # absent: the scene cannot be reached
    # (scene, "choice" | "route" | "paragraph", index) -> possible truth values of its condition
    truth: dict[tuple[str, str, int], frozenset[object]] = field(default_factory=dict)
    feasible: set[tuple[str, str, int]] = field(default_factory=set)  # choices and routes that may be taken
    may_fail: set[tuple[str, str, int]] = field(default_factory=set)  # may raise in play; "effect": a choice's
    tracked_visits: frozenset[str] = frozenset()

    def reachable(self, scene: str) -> bool:
        return scene in self.entry


def analyse(story: Story) -> Ranges:
    """Run the analysis over the whole story (see the module docstring)."""
    return _Analysis(story).run()


class _Analysis:
    def __init__(self, story: Story):
        self.story = story
        counted = {s for scene in story.scenes.values() for e in _expressions(scene) for s in e.scenes}
        self.result = Ranges(tracked_visits=frozenset(counted))
        self.joins: dict[str, int] = {}

    def initial(self) -> Env:
        env: Env = {}
        for name, var in self.story.variables.items():
            value = var.default
            if isinstance(value, int | float) and not isinstance(value, bool):
                env[name] = Interval(value, value)
            else:
                env[name] = Options(frozenset({value}))
        for scene in self.result.tracked_visits:
            env[visit_item(scene)] = Interval(0, 0)
        return self.entered(env, self.story.start)

    def entered(self, env: Env, scene: str) -> Env:
        item = visit_item(scene)
        if item in env:
            count = env[item]
            assert isinstance(count, Interval)
            env = {**env, item: Interval(count.lo + 1, count.hi + 1)}
        return env

    def run(self) -> Ranges:
        """Visit scenes in flow order (a heap on reverse postorder), so that without loops every
        scene is processed once after all the scenes leading to it, and only loops need widening."""
        order = {sid: i for i, sid in enumerate(flow_order(self.story))}
        self.result.entry[self.story.start] = self.initial()
        work = [(0, self.story.start)]
        queued = {self.story.start}
        while work:
            _, sid = heapq.heappop(work)
            queued.discard(sid)
            for target, env in self.successors(self.story.scenes[sid], self.result.entry[sid]):
                loop = order[target] <= order[sid]
                if self.join(target, self.entered(env, target), loop) and target not in queued:
                    heapq.heappush(work, (order[target], target))
                    queued.add(target)
        return self.result

    def join(self, scene: str, env: Env, loop: bool) -> bool:
        old = self.result.entry.get(scene)
        if old is None:
            self.result.entry[scene] = env
            return True
        new = {k: v.join(env[k]) for k, v in old.items()}  # type: ignore[arg-type]  # a variable keeps its kind
        if new == old:
            return False
        if loop:
            self.joins[scene] = self.joins.get(scene, 0) + 1
            if self.joins[scene] > WIDEN_AFTER:
                new = {k: self.widen(k, old[k], v) for k, v in new.items()}
        self.result.entry[scene] = new
        return True

    def widen(self, item: str, old: Abstract, new: Abstract) -> Abstract:
        if isinstance(new, Options):
            is_text = new.values is not None and any(isinstance(v, str) for v in new.values)
            return Options(None) if is_text and new != old else new
        assert isinstance(old, Interval)
        var = self.story.variables.get(item)
        low = var.minimum if var is not None and var.minimum is not None else -INF
        if var is None:
            low = 0  # a visit count never goes below zero
        high = var.maximum if var is not None and var.maximum is not None else INF
        return Interval(new.lo if new.lo >= old.lo else low, new.hi if new.hi <= old.hi else high)

    def check(self, key: tuple[str, str, int], expression: Expression | None, env: Env) -> frozenset[object]:
        if expression is None:
            return frozenset({True})
        evaluator = Evaluator(env)
        truth = evaluator.truth(tree_of(expression))
        self.result.truth[key] = self.result.truth.get(key, frozenset()) | truth
        if evaluator.may_fail:
            self.result.may_fail.add(key)
        return truth

    def successors(self, scene: Scene, env: Env) -> Iterable[tuple[str, Env]]:
        for i, para in enumerate(scene.paragraphs):
            self.check((scene.id, "paragraph", i), para.condition, env)
        for choice in scene.choices:
            key = (scene.id, "choice", choice.index)
            if True not in self.check(key, choice.condition, env):
                continue
            narrowed = refine(env, tree_of(choice.condition), True) if choice.condition else env
            if narrowed is None:
                continue
            self.result.feasible.add(key)
            after = self.apply(choice.effects, narrowed, (scene.id, "effect", choice.index))
            yield choice.target, after
        yield from self.routes(scene, env)

    def routes(self, scene: Scene, env: Env | None) -> Iterable[tuple[str, Env]]:
        for i, route in enumerate(scene.routes):
            if env is None:
                return  # an earlier route always matches: the rest are never tried
            key = (scene.id, "route", i)
            truth = self.check(key, route.condition, env)
            tree = tree_of(route.condition) if route.condition is not None else Const(True)
            if True in truth and (taken := refine(env, tree, True)) is not None:
                self.result.feasible.add(key)
                yield route.target, taken
            env = refine(env, tree, False) if False in truth else None

    def apply(self, effects: Iterable[object], env: Env, key: tuple[str, str, int]) -> Env:
        new = dict(env)
        evaluator = Evaluator(env)
        for effect in effects:
            value = evaluator.eval(tree_of(effect.value))  # type: ignore[attr-defined]
            name, op = effect.variable, effect.op  # type: ignore[attr-defined]
            current = new[name]
            if op != "set" and isinstance(current, Interval) and isinstance(value, Interval):
                value = evaluator.arithmetic("+" if op == "add" else "-", current, value)
            new[name] = self.clamp(name, value)
        if evaluator.may_fail:
            self.result.may_fail.add(key)
        return new

    def clamp(self, name: str, value: Abstract) -> Abstract:
        var = self.story.variables[name]
        if not isinstance(value, Interval):
            return value
        low = var.minimum if var.minimum is not None else -INF
        high = var.maximum if var.maximum is not None else INF
        lo, hi = value.lo, value.hi
        if var.whole:  # the engine rounds a fraction to a whole number, halves up (a monotone map)
            lo, hi = (math.floor(x + 0.5) if math.isfinite(x) else x for x in (lo, hi))
        return Interval(min(max(lo, low), high), min(max(hi, low), high))


def flow_order(story: Story) -> list[str]:
    """Scenes in reverse postorder from the start: without loops, each before the scenes it leads to.

    Scenes the start cannot lead to come last."""
    edges = {sid: [*(c.target for c in sc.choices), *(r.target for r in sc.routes)]
             for sid, sc in story.scenes.items()}
    seen = {story.start}
    post: list[str] = []
    stack = [(story.start, iter(edges[story.start]))]
    while stack:
        sid, children = stack[-1]
        for target in children:
            if target not in seen:
                seen.add(target)
                stack.append((target, iter(edges[target])))
                break
        else:
            stack.pop()
            post.append(sid)
    return post[::-1] + [sid for sid in story.scenes if sid not in seen]


def _expressions(scene: Scene) -> Iterable[Expression]:
    for para in scene.paragraphs:
        if para.condition is not None:
            yield para.condition
    for choice in scene.choices:
        if choice.condition is not None:
            yield choice.condition
        yield from (effect.value for effect in choice.effects)
    yield from (route.condition for route in scene.routes if route.condition is not None)
