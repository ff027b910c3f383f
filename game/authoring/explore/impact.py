"""Does this choice matter? What each choice changes that a player can see later.

A choice can change four things a player will notice after taking it:
which scene comes next, which paragraphs are shown (a paragraph's
``if``), which choices are offered or locked (a choice's ``if``) or which
way a router sends them (a route's ``if``), and the values written into
the text (``{money}``). Everything else a choice does is invisible.

The analysis is the exhaustive explorer's state merging
(:class:`~game.authoring.explore.statekey.StateKeys`) with a wider idea of
what a scene *reads*: besides what decides the choices and routes, also
every paragraph condition and every variable interpolated into a text.
With that, two states with equal keys at a scene look the same to the
player from there on, along every path (the proof in ``statekey`` carries
over: showing text is one more read). So an effect is *unseen* when the
value it leaves and the value the variable had before fall in the same
class at the next scene, for every value the static ranges
(:mod:`game.authoring.explore.ranges`) allow there, and two choices of a
scene are *interchangeable* when they lead to the same scene and leave
every variable they touch in the same class. Both claims are proved,
never guessed: where a value cannot be enumerated (a variable without a
range, an effect that computes) the analysis assumes the change is seen.

A variable is *write-only* when choices change it but nothing a player
sees ever depends on it, directly or through effects on other variables.
An effect is *clamped away* when, at every value its variable can have
where the choice is taken, it leaves the value as it was (``add`` at the
maximum already).

Endings and their shares come from random playthroughs (a sample, not a
proof): for each choice, which endings the playthroughs that took it
reached.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from game.authoring.explore.ranges import Env, Interval, Options, Ranges, analyse, refine
from game.authoring.explore.statekey import _OPS, StateKeys, expressions_at
from game.authoring.exprtree import Atom, Const, Node, atoms_and_bare_reads, item_of, tree_of, walk
from game.errors import Diagnostic, PlayError, SourcePos
from game.runtime.expressions import EvalError, Expression, Value
from game.runtime.model import Choice, Effect, Scene, Story, Variable
from game.runtime.playthrough import Playthrough
from game.runtime.tools import take

MAX_ENUMERATED = 2000  # values of a variable checked one by one; wider ranges are assumed to change


def tree(expression: Expression) -> Node:
    """The expression tree of a compiled expression: the one place this module gets trees from."""
    return tree_of(expression)


# -- where a player can see a variable ------------------------------------------------------------

@dataclass(frozen=True)
class Read:
    """One place where a variable's value shows: a condition, or a ``{name}`` in a text."""

    variable: str
    scene: str
    kind: str  # "paragraph", "text", "choice", "label", "aftermath", "route", "effect"
    index: int
    pos: SourcePos
    target: str = ""  # a route's or an effect's target (the scene, or the variable it feeds)

    def describe(self) -> str:
        n = self.index + 1
        what = {
            "paragraph": f"decides whether paragraph {n} of '{self.scene}' is shown",
            "text": f"is shown in paragraph {n} of '{self.scene}'",
            "choice": f"decides whether choice {n} of '{self.scene}' is offered",
            "label": f"is shown in the label of choice {n} of '{self.scene}'",
            "aftermath": f"is shown in the aftermath of choice {n} of '{self.scene}'",
            "route": f"decides whether '{self.scene}' routes to '{self.target}'",
            "effect": f"feeds '{self.target}' in choice {n} of '{self.scene}'",
        }[self.kind]
        return f"{what} ({self.pos})"

    def to_json(self) -> dict[str, Any]:
        return {"variable": self.variable, "scene": self.scene, "kind": self.kind, "index": self.index,
                "path": self.pos.path, "line": self.pos.line, "target": self.target, "text": self.describe()}


def _names(node: Node) -> set[str]:
    return {item for n in walk(node) if (item := item_of(n)) is not None and not item.startswith("visited:")}


def reads_of(scene: Scene) -> Iterator[Read]:
    """Every read of a variable in a scene that a player can see, or that feeds another variable."""
    for i, para in enumerate(scene.paragraphs):
        if para.condition is not None:
            yield from (Read(v, scene.id, "paragraph", i, para.pos) for v in _names(tree(para.condition)))
        names = set(para.text.names) | set(para.otherwise.names if para.otherwise else ())
        yield from (Read(v, scene.id, "text", i, para.pos) for v in sorted(names))
    for choice in scene.choices:
        if choice.condition is not None:
            yield from (Read(v, scene.id, "choice", choice.index, choice.condition_pos)
                        for v in sorted(_names(tree(choice.condition))))
        yield from (Read(v, scene.id, "label", choice.index, choice.pos) for v in choice.label.names)
        if choice.aftermath is not None:
            yield from (Read(v, scene.id, "aftermath", choice.index, choice.pos) for v in choice.aftermath.names)
        for effect in choice.effects:
            yield from (Read(v, scene.id, "effect", choice.index, effect.pos, effect.variable)
                        for v in sorted(_names(tree(effect.value))))
    for i, route in enumerate(scene.routes):
        if route.condition is not None:
            yield from (Read(v, scene.id, "route", i, route.pos, route.target)
                        for v in sorted(_names(tree(route.condition))))


def write_only(story: Story) -> set[str]:
    """Variables some effect changes but nothing a player sees depends on, even through other variables."""
    written = {e.variable for s in story.scenes.values() for c in s.choices for e in c.effects}
    all_reads = [r for s in story.scenes.values() for r in reads_of(s)]
    seen = {r.variable for r in all_reads if r.kind != "effect"}
    feeds = [(r.variable, r.target) for r in all_reads if r.kind == "effect"]
    grew = True
    while grew:  # a variable read by an effect on a seen variable is seen too
        before = len(seen)
        seen |= {source for source, target in feeds if target in seen}
        grew = len(seen) > before
    return written - seen


class VisibleKeys(StateKeys):
    """State keys under which equal keys mean the player sees the same thing from then on.

    Reads are widened to every paragraph condition and every interpolated
    variable; effects on write-only variables are not reads (nothing shown
    depends on what they compute)."""

    def __init__(self, story: Story, ignored: set[str]):
        self.ignored = ignored
        super().__init__(story)

    def reads(self, scene: Scene) -> tuple[list[tuple[str, Atom]], set[str]]:
        atoms: list[tuple[str, Atom]] = []
        bare: set[str] = set()
        decide = list(expressions_at(scene))
        decide += [p.condition for p in scene.paragraphs if p.condition is not None and p.condition not in decide]
        skip = {id(e.value) for c in scene.choices for e in c.effects if e.variable in self.ignored}
        for expression in decide:
            if id(expression) in skip:
                continue
            found, other = atoms_and_bare_reads(tree(expression))
            atoms += found
            bare |= other
        for para in scene.paragraphs:
            bare.update(para.text.names, para.otherwise.names if para.otherwise else ())
        for choice in scene.choices:
            bare.update(choice.label.names, choice.aftermath.names if choice.aftermath else ())
        return atoms, bare


# -- the result -----------------------------------------------------------------------------------

@dataclass
class EffectImpact:
    """What a choice's effects on one variable do: ``seen``, ``unseen`` or ``clamped``."""

    variable: str
    effects: tuple[Effect, ...]
    status: str
    why: str
    reads: list[Read] = field(default_factory=list)  # where it may show later (before being overwritten)

    @property
    def pos(self) -> SourcePos:
        return self.effects[0].pos

    @property
    def written(self) -> str:
        sign = {"add": "+", "subtract": "-", "set": "= "}
        shown = {"True": "true", "False": "false"}  # literals written in YAML keep a Python spelling as source
        return ", ".join(f"{self.variable} {sign[e.op]}{shown.get(e.value.source, e.value.source)}"
                         for e in self.effects)

    def to_json(self) -> dict[str, Any]:
        return {"variable": self.variable, "effects": self.written, "status": self.status, "why": self.why,
                "path": self.pos.path, "line": self.pos.line, "reads": [r.to_json() for r in self.reads]}


@dataclass
class ChoiceImpact:
    scene: str
    choice: Choice
    reachable: bool
    only_way: bool = False  # no other choice of the scene leads to its target
    effects: list[EffectImpact] = field(default_factory=list)
    same_as: list[int] = field(default_factory=list)  # other choices (0-based) with the same future
    endings: set[str] = field(default_factory=set)  # endings the ranges say may follow
    sampled: Counter[str] = field(default_factory=Counter)  # endings of random playthroughs that took it

    @property
    def visible(self) -> bool:
        """Whether taking it can change what the player sees later (compared with taking nothing at all)."""
        return self.only_way or any(e.status == "seen" for e in self.effects)

    def to_json(self) -> dict[str, Any]:
        c = self.choice
        total = sum(self.sampled.values())
        return {"scene": self.scene, "choice": c.index + 1, "label": c.label.raw, "path": c.pos.path,
                "line": c.pos.line, "target": c.target, "reachable": self.reachable, "only_way": self.only_way,
                "visible": self.visible, "same_as": [i + 1 for i in self.same_as],
                "effects": [e.to_json() for e in self.effects], "endings": sorted(self.endings),
                "sampled_playthroughs": total,
                "ending_shares": {k: round(v / total, 3) for k, v in sorted(self.sampled.items())} if total else {}}


@dataclass
class Impact:
    """The whole analysis: each choice, and the story-wide findings."""

    story: Story
    choices: list[ChoiceImpact]
    write_only: dict[str, list[Effect]]
    samples: int

    def choice(self, scene: str, number: int) -> ChoiceImpact:
        """A choice's result by scene id and its 1-based number in the scene."""
        return next(c for c in self.choices if c.scene == scene and c.choice.index == number - 1)

    def without_consequence(self) -> list[list[ChoiceImpact]]:
        """Groups of two or more choices of one scene that leave the player with the same future."""
        groups: list[list[ChoiceImpact]] = []
        by_scene: dict[str, list[ChoiceImpact]] = {}
        for c in self.choices:
            by_scene.setdefault(c.scene, []).append(c)
        for members in by_scene.values():
            done: set[int] = set()
            for c in members:
                if c.choice.index in done or not c.same_as:
                    continue
                group = [c] + [m for m in members if m.choice.index in c.same_as]
                done.update(m.choice.index for m in group)
                groups.append(group)
        return groups

    def clamped(self) -> list[tuple[ChoiceImpact, EffectImpact]]:
        return [(c, e) for c in self.choices for e in c.effects if e.status == "clamped"]

    def diagnostics(self, where: Callable[[SourcePos], bool] | None = None) -> list[Diagnostic]:
        """The findings as lint diagnostics, with their own rule ids; with ``where``, only those that
        involve a place it accepts (the files of a pack), each shown at such a place."""
        keep = where or (lambda pos: True)
        found = []
        for group in self.without_consequence():
            first = next((m for m in group if keep(m.choice.pos)), None)
            if first is None:
                continue
            numbers = ", ".join(str(m.choice.index + 1) for m in group[:-1]) + f" and {group[-1].choice.index + 1}"
            found.append(Diagnostic(
                "choice-without-consequence", "warning", first.choice.pos,
                f"choices {numbers} of scene '{first.scene}' lead to the same future: they go to "
                f"'{first.choice.target}' and {_differences(group)}",
                "give one of them an effect that a later condition or text reads, or send it to another scene"))
        for name, effects in self.write_only.items():
            var = self.story.variables[name]
            if not (keep(var.pos) or any(keep(e.pos) for e in effects)):
                continue
            places = ", ".join(str(e.pos) for e in effects[:3]) + (" ..." if len(effects) > 3 else "")
            found.append(Diagnostic(
                "write-only-variable", "warning", var.pos,
                f"variable '{name}' is changed by {len(effects)} effect(s) ({places}) but no condition or text "
                "ever reads it, so no player can see what those choices did",
                f"test '{name}' in a later 'if', show it as {{{name}}}, or drop it"))
        for c, e in self.clamped():
            if not keep(e.pos):
                continue
            found.append(Diagnostic(
                "clamped-effect", "warning", e.pos,
                f"'{e.written}' in choice {c.choice.index + 1} of scene '{c.scene}' never changes anything: {e.why}",
                "change the amount, or the range in story.yaml, or remove the effect"))
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "story": self.story.id,
            "samples": self.samples,
            "choices": [c.to_json() for c in self.choices],
            "without_consequence": [[{"scene": m.scene, "choice": m.choice.index + 1} for m in g]
                                    for g in self.without_consequence()],
            "write_only": {name: [str(e.pos) for e in effects] for name, effects in self.write_only.items()},
            "clamped": [{"scene": c.scene, "choice": c.choice.index + 1, "effect": e.written, "why": e.why,
                         "path": e.pos.path, "line": e.pos.line} for c, e in self.clamped()],
            "diagnostics": [d.to_json() for d in self.diagnostics()],
        }


def _differences(group: list[ChoiceImpact]) -> str:
    changed = sorted({e.variable for m in group for e in m.effects})
    if not changed:
        return "none of them changes a variable"
    return f"what they change ({', '.join(changed)}) is never seen differently later"


# -- the analysis ---------------------------------------------------------------------------------

def analyse_impact(story: Story, samples: int = 2000, seed: int = 0) -> Impact:
    """Analyse every choice (see the module docstring); ``samples`` random playthroughs give ending shares."""
    ignored = write_only(story)
    keys = VisibleKeys(story, ignored)
    ranges = analyse(story)
    all_reads: dict[str, list[Read]] = {}
    for scene in story.scenes.values():
        for r in reads_of(scene):
            if r.kind != "effect" or r.target not in ignored:
                all_reads.setdefault(r.scene, []).append(r)
    judge = _Judge(story, keys, ranges, all_reads)
    results = [judge.choice(scene, choice) for scene in story.scenes.values() for choice in scene.choices]
    by_key = {(c.scene, c.choice.index): c for c in results}
    for scene in story.scenes.values():
        judge.compare(scene, [by_key[(scene.id, c.index)] for c in scene.choices])
    played = _sample(story, samples, seed, by_key) if samples else 0
    written: dict[str, list[Effect]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            for effect in choice.effects:
                if effect.variable in ignored:
                    written.setdefault(effect.variable, []).append(effect)
    return Impact(story, results, dict(sorted(written.items())), played)


class _Judge:
    def __init__(self, story: Story, keys: VisibleKeys, ranges: Ranges, reads: dict[str, list[Read]]):
        self.story, self.keys, self.ranges, self.reads = story, keys, ranges, reads
        self.edges = {sid: [(c.target, c) for c in s.choices] + [(r.target, None) for r in s.routes]
                      for sid, s in story.scenes.items()}

    def env(self, scene: Scene, choice: Choice) -> Env | None:
        env = self.ranges.entry.get(scene.id)
        if env is None or choice.condition is None:
            return env
        return refine(env, tree(choice.condition), True)

    def choice(self, scene: Scene, choice: Choice) -> ChoiceImpact:
        env = self.env(scene, choice)
        feasible = (scene.id, "choice", choice.index) in self.ranges.feasible
        result = ChoiceImpact(scene.id, choice, reachable=env is not None and feasible)
        result.only_way = not any(c.target == choice.target for c in scene.choices if c is not choice)
        result.endings = self.endings_from(choice.target) if result.reachable else set()
        for name in dict.fromkeys(e.variable for e in choice.effects):
            effects = tuple(e for e in choice.effects if e.variable == name)
            status, why = self.judge(choice, name, env) if result.reachable else ("unseen", "the choice is never "
                                                                                   "on offer")
            later = self.later_reads(name, choice.target) if status != "clamped" else []
            result.effects.append(EffectImpact(name, effects, status, why, later))
        return result

    def judge(self, choice: Choice, name: str, env: Env | None) -> tuple[str, str]:
        """``seen``, ``unseen`` or ``clamped`` for the effects of a choice on one variable, and why."""
        assert env is not None
        var = self.story.variables[name]
        values = _values(env[name], var)
        moved = self.moves(choice, name, values, env)
        if moved is not None and all(a == b for a, b in moved):
            return "clamped", _clamp_reason(name, var, env[name])
        threshold = self.keys.thresholds.get(name)
        target = choice.target
        if threshold is not None and moved is not None:
            labels = threshold.labels[target]
            if all(labels[threshold.local(a)] == labels[threshold.local(b)] for a, b in moved):
                if len(set(labels)) == 1:
                    return "unseen", f"nothing after '{target}' reads '{name}' before it is set again"
                return "unseen", (f"'{name}' is {env[name]} here, and no later condition turns out differently "
                                  "for the value it had and the value it gets")
            return "seen", self.example(name, target, moved, labels, threshold)
        if name not in self.keys.live[target]:
            return "unseen", f"nothing after '{target}' reads '{name}' before it is set again"
        return "seen", "a later condition or text reads it"

    def example(self, name: str, target: str, moved: list[tuple[Value, Value]], labels: list[int],
                threshold: Any) -> str:
        """Why a change is seen, with numbers: a value, what it becomes, and a later test that tells them apart."""
        later = {r.scene for r in self.later_reads(name, target)}
        for x, y in moved:
            if labels[threshold.local(x)] == labels[threshold.local(y)]:
                continue
            for sid in sorted(later):
                for op, k in self.keys.atoms[sid].get(name, []):
                    if _OPS[op](x, k) != _OPS[op](y, k):
                        return (f"e.g. '{name}' {x} becomes {y}, and '{name} {op} {k:g}' in '{sid}' then turns out "
                                "differently")
            return (f"e.g. '{name}' {x} becomes {y}; with the changes still to come, some later condition turns out "
                    "differently for the two")
        return "a later condition can turn out differently"

    def moves(self, choice: Choice, name: str, values: list[Value] | None,
              env: Env) -> list[tuple[Value, Value]] | None:
        """(value before, value after) for every value enumerated; None when they cannot be enumerated."""
        if values is None:
            return None
        var = self.story.variables[name]
        effects = [e for e in choice.effects if e.variable == name]
        out = []
        for x in values:
            after = _apply(effects, var, x)
            if after is None:
                return None
            out.append((x, after))
        return out

    def later_reads(self, name: str, start: str) -> list[Read]:
        """Reads of ``name`` at ``start`` and the scenes after it, until a choice sets it again."""
        found: list[Read] = []
        seen = {start}
        work = [start]
        while work:
            sid = work.pop(0)
            found += [r for r in self.reads.get(sid, []) if r.variable == name]
            for target, choice in self.edges[sid]:
                killed = choice is not None and any(e.variable == name and e.op == "set" for e in choice.effects)
                if target not in seen and not killed:
                    seen.add(target)
                    work.append(target)
        return found

    def endings_from(self, start: str) -> set[str]:
        seen, work = {start}, [start]
        while work:
            sid = work.pop()
            scene = self.story.scenes[sid]
            edges = [(c.target, ("choice", c.index)) for c in scene.choices]
            edges += [(r.target, ("route", i)) for i, r in enumerate(scene.routes)]
            for target, (kind, index) in edges:
                if (sid, kind, index) in self.ranges.feasible and target not in seen:
                    seen.add(target)
                    work.append(target)
        return {sid for sid in seen if self.story.scenes[sid].is_ending}

    def compare(self, scene: Scene, results: list[ChoiceImpact]) -> None:
        """Mark choices of a scene that lead to the same future as each other (``same_as``)."""
        env = self.ranges.entry.get(scene.id)
        live = [r for r in results if r.reachable]
        for a in live:
            for b in live:
                if a is not b and a.choice.target == b.choice.target and self.same(a.choice, b.choice, env):
                    a.same_as.append(b.choice.index)

    def same(self, a: Choice, b: Choice, env: Env | None) -> bool:
        assert env is not None
        target = a.target
        for name in {e.variable for e in (*a.effects, *b.effects)}:
            var = self.story.variables[name]
            values = _values(env[name], var)
            moved_a, moved_b = self.moves(a, name, values, env), self.moves(b, name, values, env)
            threshold = self.keys.thresholds.get(name)
            if moved_a is not None and moved_b is not None:
                after = list(zip((y for _, y in moved_a), (y for _, y in moved_b), strict=True))
                if threshold is not None:
                    labels = threshold.labels[target]
                    if any(labels[threshold.local(x)] != labels[threshold.local(y)] for x, y in after):
                        return False
                    continue
                if name in self.keys.live[target] and any(x != y for x, y in after):
                    return False
                continue
            if name in self.keys.live[target] and _effects_of(a, name) != _effects_of(b, name):
                return False
        return True


def _effects_of(choice: Choice, name: str) -> list[tuple[str, str]]:
    return [(e.op, e.value.source) for e in choice.effects if e.variable == name]


def _values(abstract: Interval | Options, var: Variable) -> list[Value] | None:
    """Every value a variable can have by the ranges, or None when there are too many to list."""
    if isinstance(abstract, Options):
        return sorted(cast(frozenset[Value], abstract.values), key=repr) if abstract.values is not None else None
    if math.isinf(abstract.lo) or math.isinf(abstract.hi):
        return None
    if isinstance(var.default, int) and all(float(b).is_integer() for b in (abstract.lo, abstract.hi)):
        lo, hi = int(abstract.lo), int(abstract.hi)
        return list(range(lo, hi + 1)) if hi - lo < MAX_ENUMERATED else None
    return [abstract.lo] if abstract.lo == abstract.hi else None


def _apply(effects: Iterable[Effect], var: Variable, x: Value) -> Value | None:
    """A variable's value after effects whose amounts are constants; None when an amount is not."""
    value = x
    for effect in effects:
        amount = tree(effect.value)
        if not isinstance(amount, Const):
            return None
        k = amount.value
        if effect.op == "set":
            value = var.clamp(k)
        elif isinstance(k, bool) or not isinstance(k, int | float) or isinstance(value, bool | str):
            return None
        else:
            value = var.clamp(value + k if effect.op == "add" else value - k)
    return value


def _clamp_reason(name: str, var: Variable, abstract: Interval | Options) -> str:
    if isinstance(abstract, Interval) and var.maximum is not None and abstract.lo >= var.maximum:
        return f"'{name}' is always at its max {var.maximum:g} where the choice is taken"
    if isinstance(abstract, Interval) and var.minimum is not None and abstract.hi <= var.minimum:
        return f"'{name}' is always at its min {var.minimum:g} where the choice is taken"
    return f"'{name}' is always {abstract} where the choice is taken, which is what the effect leaves it at"


def _sample(story: Story, runs: int, seed: int, by_key: dict[tuple[str, int], ChoiceImpact]) -> int:
    """Random playthroughs; each choice counts the endings reached by the ones that took it."""
    rng = random.Random(seed)
    try:
        play = Playthrough(story, clock=False)
    except PlayError:
        return 0
    finished = 0
    for _ in range(runs):
        play.restart()
        taken: set[tuple[str, int]] = set()
        try:
            for _step in range(1000):
                if play.is_over:
                    break
                options = play.choices()
                if not options:
                    break
                view = rng.choice(options)
                taken.add((play.scene_id, view.choice.index))
                take(play, view.choice)
        except (PlayError, EvalError, TypeError):
            continue
        if play.is_over:
            finished += 1
            for key in taken:
                by_key[key].sampled[play.scene_id] += 1
    return finished
