"""The linter behind ``kira validate``: rules with stable ids, checked on a loaded story.

Loading already rejects what cannot be played (unknown scenes and
variables, bad expressions, a router without a default). The rules here
look at a story that loads and ask what a writer would want to know:
what cannot be reached, where a player could be stuck, which conditions
never change anything, which variables are not used, which texts are
empty or too long. Every diagnostic names the file, line and column of
the scene, choice, route or paragraph concerned.

The flow rules rest on :mod:`game.authoring.ranges`, which over-approximates
what values each variable can hold at each scene: a condition reported as
always false really is never true, and a scene reported unreachable really
cannot be reached. Examples in messages ("e.g. when money is 35") come from
:mod:`game.authoring.witness` and lie inside those ranges.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from game.authoring.explore.impact import analyse_impact
from game.authoring.explore.ranges import Interval, Ranges, analyse, refine
from game.authoring.explore.witness import TooManyCombinations, describe, find_witness, show, stuck_witness
from game.authoring.exprtree import Const, tree_of
from game.errors import Diagnostic, SourcePos, relative_path
from game.runtime import scenery
from game.runtime.expressions import Expression
from game.runtime.model import Choice, Effect, Scene, Story, Variable


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    source: str = "lint"  # "loader": found while loading, so the story cannot be played at all


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("unreachable-scene", "warning", "no way through the story's choices and routes leads to this scene"),
    Rule("unreachable-ending", "warning", "no way through the story's choices and routes leads to this ending"),
    Rule("dead-end", "warning", "a scene that is not an ending where the player can be left with no choice, "
         "or from which no ending can be reached"),
    Rule("unknown-variable", "error", "a condition, effect or text names a variable story.yaml does not declare",
         "loader"),
    Rule("unused-variable", "warning", "a declared variable that nothing reads, shows or changes"),
    Rule("read-before-set", "warning", "a condition reads a variable that no choice on the way can have changed, "
         "so it always sees the default"),
    Rule("condition-always-true", "warning", "a condition that is true whenever it is tested"),
    Rule("condition-always-false", "warning", "a condition that is never true where it is tested"),
    Rule("duplicate-label", "warning", "two choices of one scene that can be on screen together with the same label"),
    Rule("empty-text", "warning", "a scene, paragraph, label, title or ending part with no words"),
    Rule("overlong-text", "warning", "a paragraph, scene, label, aftermath or title too long to read well on screen"),
    Rule("router-without-default", "error", "a router with no 'default' for when no route matches", "loader"),
    Rule("unknown-background", "warning", "a 'background:' that names no drawn place (a typo, usually): the "
         "window shows a plain page instead"),
    Rule("effect-out-of-range", "warning", "an effect that always pushes a number past its declared min or max, so "
         "the engine cuts it back (part of the change is always lost)"),
    # The impact rules (game.authoring.explore.impact): run on the files of packs, or everywhere with --impact.
    Rule("choice-without-consequence", "warning", "choices of one scene that lead to the same scene and change "
         "nothing a player can see later differently", "impact"),
    Rule("write-only-variable", "warning", "a variable that effects change but no condition or text ever reads, "
         "not even through another variable", "impact"),
    Rule("clamped-effect", "warning", "an effect that never changes its variable: the variable is always at the "
         "bound it pushes against where the choice is taken", "impact"),
)}

# Every code the loader gives its errors (and two warnings), for `kira validate --rules` and scripts. The two
# loader rules of RULES above (unknown-variable, router-without-default) are not repeated here.
LOAD_CODES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("yaml", "error", "the file is not valid YAML (a tab, a missing ':' or quote); other files' errors about "
         "unknown ids are held back until it reads", "loader"),
    Rule("yaml-bool", "error", "an unquoted yes/no/on/off that YAML 1.1 reads as true or false", "loader"),
    Rule("yaml-colon", "error", "text with ': ' inside that YAML split into a field", "loader"),
    Rule("yaml-alias", "error", "a YAML alias (*name) or merge key (<<): not allowed in stories", "loader"),
    Rule("yaml-tag", "error", "a YAML tag (!!python/..., !custom): story files hold plain values only", "loader"),
    Rule("duplicate-key", "error", "the same field twice in one mapping (YAML would keep only the last)", "loader"),
    Rule("file", "error", "a file that cannot be read, or is not UTF-8 text", "loader"),
    Rule("file-too-large", "error", "a file above the size limit", "loader"),
    Rule("folder", "error", "a story folder too deep, too large, or holding something other than files and "
         "folders (a pipe, a device)", "loader"),
    Rule("control-character", "error", "an invisible control character (NUL, an escape) in a story file", "loader"),
    Rule("bad-number", "error", "a number a story cannot count with: infinity, NaN, or beyond 10^12", "loader"),
    Rule("empty-file", "error", "a story file with nothing in it", "loader"),
    Rule("unsafe-path", "error", "a file or background that lies outside the story folder", "loader"),
    Rule("folder", "error", "a story folder nested too deep or holding too many names to search", "loader"),
    Rule("control-character", "error", "text holding a control character (a terminal code, say)", "loader"),
    Rule("bad-number", "error", "a number that is not an ordinary one (infinite, not a number, far too large)",
         "loader"),
    Rule("missing-story", "error", "the story folder or its story.yaml does not exist", "loader"),
    Rule("bad-id", "error", "an id or variable name that is not letters, digits and '_'", "loader"),
    Rule("duplicate-id", "error", "two scenes, endings, chapters or codex entries with one id; a pack that "
         "redefines a scene of the story (use 'extend')", "loader"),
    Rule("missing-field", "error", "a required field is missing (id, title, text, to...)", "loader"),
    Rule("unknown-field", "error", "a field the engine does not know (a typo, usually; the hint says which)",
         "loader"),
    Rule("schema", "error", "a value of the wrong kind (a list where text belongs, a number out of place)",
         "loader"),
    Rule("missing-scene", "error", "a choice, route or 'extend' names a scene that does not exist", "loader"),
    Rule("missing-start", "error", "the start scene of story.yaml does not exist", "loader"),
    Rule("missing-chapter", "error", "a scene names a chapter that is not declared", "loader"),
    Rule("missing-codex", "error", "a scene unlocks a codex entry that does not exist", "loader"),
    Rule("missing-asset", "error", "a background file that does not exist", "loader"),
    Rule("no-choices", "error", "a scene with no choices that is not an ending", "loader"),
    Rule("empty-label", "error", "a choice whose label is empty (it would show as a blank button)", "loader"),
    Rule("expression", "error", "a condition or effect that is not a valid expression ('=' for '==', say)",
         "loader"),
    Rule("interpolation", "error", "braces in text that hold something other than a variable name", "loader"),
    Rule("router", "error", "a router with 'text' or 'choices' (a router only routes)", "loader"),
    Rule("pack-story", "error", "a story.yaml in a pack with a field a pack may not set", "loader"),
    Rule("held-back", "warning", "errors about unknown ids not shown while a file cannot be read", "loader"),
)}

# Lengths beyond which text stops reading well in the game window's reading column (about 65
# characters a line): a paragraph of 15 lines, a label of 2 to 3 lines, a short aftermath, a header.
LIMITS = {"paragraph": 1000, "label": 160, "aftermath": 400, "title": 48, "scene_words": 400}

def diagnostic(rule: str, pos: SourcePos, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(rule, RULES[rule].severity, pos, message, hint)


def lint(story: Story, packs: Sequence[str | Path] = (), impact: bool = False) -> list[Diagnostic]:
    """Every lint finding for a loaded story, in file order.

    The impact rules ("does this choice matter?") look at the files of the
    ``packs`` given, or at the whole story with ``impact``."""
    context = _Context(story)
    found: list[Diagnostic] = []
    for check in (_unreachable, _dead_ends, _unused_variables, _conditions, _labels, _texts, _out_of_range,
                  _backgrounds):
        found.extend(check(context))
    if impact or packs:
        found.extend(_impact(story, packs, impact))
    return sorted(found, key=lambda d: (d.pos, d.code))


def _impact(story: Story, packs: Sequence[str | Path], everywhere: bool) -> list[Diagnostic]:
    prefixes = tuple(relative_path(Path(p)).rstrip("/") + "/" for p in packs)
    where = None if everywhere else (lambda pos: pos.path.startswith(prefixes))
    return analyse_impact(story, samples=0).diagnostics(where)


class _Context:
    """What several rules share: the ranges, and plain reachability in the scene graph."""

    def __init__(self, story: Story):
        self.story = story
        self.ranges: Ranges = analyse(story)
        self.edges = {sid: [*(c.target for c in s.choices), *(r.target for r in s.routes)]
                      for sid, s in story.scenes.items()}
        self.linked = _closure([story.start], self.edges)
        back: dict[str, list[str]] = {}
        for sid, targets in self.edges.items():
            for target in targets:
                back.setdefault(target, []).append(sid)
        self.can_end = _closure([s.id for s in story.endings], back)
        self.written_before = self._written_before()
        self.explained: set[tuple[str, str, int]] = set()  # conditions read-before-set already explains

    def _written_before(self) -> dict[str, set[str]]:
        """For each scene, the variables some choice on some way from the start to it changes."""
        written: dict[str, set[str]] = {self.story.start: set()}
        work = [self.story.start]
        while work:
            sid = work.pop()
            scene = self.story.scenes[sid]
            outgoing = [(c.target, {e.variable for e in c.effects}) for c in scene.choices]
            outgoing += [(r.target, set()) for r in scene.routes]
            for target, changes in outgoing:
                new = written[sid] | changes
                if target not in written or not new <= written[target]:
                    written[target] = written.get(target, set()) | new
                    work.append(target)
        return written

    def ranges_text(self, scene: str, expression: Expression) -> str:
        env = self.ranges.entry[scene]
        parts = [f"{name} is {env[name]}" for name in sorted(expression.names)]
        parts += [f"visited('{s}') is {env[f'visited:{s}']}" for s in sorted(expression.scenes)]
        return "; ".join(parts) + " here" if parts else "it uses no variable"


def _closure(roots: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(roots)
    work = list(roots)
    while work:
        for target in edges.get(work.pop(), ()):
            if target not in seen:
                seen.add(target)
                work.append(target)
    return seen


def _unreachable(ctx: _Context) -> Iterator[Diagnostic]:
    for scene in ctx.story.scenes.values():
        if ctx.ranges.reachable(scene.id):
            continue
        rule = "unreachable-ending" if scene.is_ending else "unreachable-scene"
        what = "ending" if scene.is_ending else "scene"
        if scene.id not in ctx.linked:
            yield diagnostic(rule, scene.pos, f"{what} '{scene.id}' cannot be reached: no choice or route "
                             "from the start leads to it", f"add a choice with 'to: {scene.id}' in an earlier scene")
        else:
            yield diagnostic(rule, scene.pos, f"{what} '{scene.id}' cannot be reached: the only ways in are choices "
                             "or routes whose conditions are never true", "see the condition warnings on the way in")


def _dead_ends(ctx: _Context) -> Iterator[Diagnostic]:
    for scene in ctx.story.scenes.values():
        if scene.is_ending or scene.is_router or not ctx.ranges.reachable(scene.id):
            continue
        if scene.id not in ctx.can_end:
            yield diagnostic("dead-end", scene.pos, f"from scene '{scene.id}' no way through the choices ever "
                             "reaches an ending", "add a choice that leads on towards an ending")
        else:
            try:
                witness = stuck_witness(ctx.story, ctx.ranges.entry[scene.id], scene)
            except TooManyCombinations:
                continue
            if witness is not None:
                yield diagnostic("dead-end", scene.pos, f"every choice of scene '{scene.id}' can be unavailable at "
                                 f"once, e.g. when {describe(witness)}: the player would be stuck",
                                 "add a choice without 'if', or make the conditions cover every case")


def _unused_variables(ctx: _Context) -> Iterator[Diagnostic]:
    used: set[str] = set()
    questions = [q for c in ctx.story.chapters.values() for q in c.reflection]
    questions += [q for s in ctx.story.endings if s.ending for q in s.ending.reflection]
    for para in questions:
        used.update(para.text.names, para.otherwise.names if para.otherwise else ())
        used.update(para.condition.names if para.condition else ())
    for scene in ctx.story.scenes.values():
        for para in scene.paragraphs:
            used.update(para.text.names, para.otherwise.names if para.otherwise else ())
            used.update(para.condition.names if para.condition else ())
        for choice in scene.choices:
            used.update(choice.label.names, choice.aftermath.names if choice.aftermath else ())
            used.update(choice.condition.names if choice.condition else ())
            used.update(n for e in choice.effects for n in (e.variable, *e.value.names))
        used.update(n for r in scene.routes if r.condition for n in r.condition.names)
    for name, var in ctx.story.variables.items():
        if name not in used:
            yield diagnostic("unused-variable", var.pos, f"variable '{name}' is declared but nothing reads, "
                             "shows or changes it", "remove it from story.yaml, or use it in a condition or text")


def _conditions(ctx: _Context) -> Iterator[Diagnostic]:
    """read-before-set first (it explains a constant condition better), then always true / false."""
    checked: list[tuple[Scene, str, int, Expression, SourcePos]] = []
    for scene in ctx.story.scenes.values():
        if not ctx.ranges.reachable(scene.id):
            continue
        checked += [(scene, "paragraph", i, p.condition, p.pos) for i, p in enumerate(scene.paragraphs) if p.condition]
        checked += [(scene, "choice", c.index, c.condition, c.condition_pos) for c in scene.choices if c.condition]
        checked += [(scene, "route", i, r.condition, r.pos) for i, r in enumerate(scene.routes) if r.condition]
    for scene, kind, index, expression, pos in checked:
        yield from _read_before_set(ctx, scene, (kind, index), expression, pos)
    for scene, kind, index, expression, pos in checked:
        truth = ctx.ranges.truth.get((scene.id, kind, index))
        if truth is None or len(truth) != 1 or (scene.id, kind, index) in ctx.explained:
            continue
        yield _constant_condition(ctx, scene, kind, index, expression, pos, True in truth)


def _read_before_set(ctx: _Context, scene: Scene, where: tuple[str, int], expression: Expression,
                     pos: SourcePos) -> Iterator[Diagnostic]:
    for name in sorted(expression.names - ctx.written_before.get(scene.id, set())):
        ctx.explained.add((scene.id, *where))
        default = show(ctx.story.variables[name].default)
        yield diagnostic("read-before-set", pos, f"'{name}' is read here, but no choice on any way to scene "
                         f"'{scene.id}' changes it, so it is always {default} (its default) at this point",
                         "change it in an earlier choice's effects, or test something that can have changed")


def _constant_condition(ctx: _Context, scene: Scene, kind: str, index: int, expression: Expression,
                        pos: SourcePos, value: bool) -> Diagnostic:
    quoted = f'"{expression.source}"'
    why = ctx.ranges_text(scene.id, expression)
    rule = "condition-always-true" if value else "condition-always-false"
    if kind == "choice":
        effect = "so the choice is never hidden" if value else "so this choice can never be taken"
        what = f"the condition {quoted} of choice {index + 1}"
    elif kind == "route":
        target = scene.routes[index].target
        effect = "so the routes after it are never tried" if value else f"so this route to '{target}' is never taken"
        what = f"the route condition {quoted}"
    else:
        effect = "so its 'else' text is never shown" if value else "so this paragraph is never shown"
        what = f"the paragraph condition {quoted}"
    state = "always true" if value else "never true"
    hint = "drop the 'if'" if value else "check the numbers on the way here, or remove it"
    return diagnostic(rule, pos, f"{what} is {state} in scene '{scene.id}' ({why}), {effect}", hint)


def _labels(ctx: _Context) -> Iterator[Diagnostic]:
    for scene in ctx.story.scenes.values():
        seen: dict[str, Choice] = {}
        for choice in scene.choices:
            label = " ".join(choice.label.raw.split()).casefold()
            first = seen.setdefault(label, choice)
            if first is choice or not label or not _shown_together(ctx, scene, first, choice):
                continue
            yield diagnostic("duplicate-label", choice.pos, f"choices {first.index + 1} and {choice.index + 1} of "
                             f"scene '{scene.id}' both say \"{choice.label.raw}\": players cannot tell them apart",
                             "reword one of them, or give them conditions that never hold together")


def _shown_together(ctx: _Context, scene: Scene, a: Choice, b: Choice) -> bool:
    hidden = [c.condition for c in (a, b) if c.condition is not None and not c.locked_reason]
    if not hidden or not ctx.ranges.reachable(scene.id):
        return True
    try:
        return find_witness(ctx.story, ctx.ranges.entry[scene.id], hidden,
                            lambda v, s: all(e.fn(v, s) for e in hidden)) is not None
    except TooManyCombinations:
        return True


def _texts(ctx: _Context) -> Iterator[Diagnostic]:
    for scene in ctx.story.scenes.values():
        yield from _scene_texts(scene)
        for choice in scene.choices:
            where = f"choice {choice.index + 1} of scene '{scene.id}'"
            if not choice.label.raw.strip():
                yield diagnostic("empty-text", choice.pos, f"{where} has an empty label", "write what the player does")
            elif len(choice.label.raw) > LIMITS["label"]:
                yield _overlong(choice.pos, f"the label of {where}", len(choice.label.raw), LIMITS["label"],
                                "keep the label to the action; move the rest into 'aftermath'")
            if choice.aftermath and len(choice.aftermath.raw) > LIMITS["aftermath"]:
                yield _overlong(choice.pos, f"the aftermath of {where}", len(choice.aftermath.raw),
                                LIMITS["aftermath"], "move the rest into the next scene's text")


def _scene_texts(scene: Scene) -> Iterator[Diagnostic]:
    what = f"ending '{scene.id}'" if scene.is_ending else f"scene '{scene.id}'"
    if not scene.is_router and not scene.title.strip():
        yield diagnostic("empty-text", scene.pos, f"{what} has an empty title", "give it a short title")
    elif len(scene.title) > LIMITS["title"]:
        yield _overlong(scene.pos, f"the title of {what}", len(scene.title), LIMITS["title"], "shorten the title")
    if not scene.is_router and not scene.paragraphs:
        yield diagnostic("empty-text", scene.pos, f"{what} has no text", "write the scene's prose under 'text'")
    if scene.ending is not None:
        for part in ("state_took", "could_not_take", "novel"):
            if not getattr(scene.ending, part).strip():
                yield diagnostic("empty-text", scene.pos, f"{what} has an empty '{part}'", "write this part")
    words = 0
    for para in scene.paragraphs:
        words += len(para.text.raw.split())
        if not para.text.raw.strip() and not (para.otherwise and para.otherwise.raw.strip()):
            yield diagnostic("empty-text", para.pos, f"a paragraph of {what} has no text", "write it or remove it")
        elif len(para.text.raw) > LIMITS["paragraph"]:
            yield _overlong(para.pos, f"a paragraph of {what}", len(para.text.raw), LIMITS["paragraph"],
                            "split it at a blank line")
    if words > LIMITS["scene_words"]:
        yield diagnostic("overlong-text", scene.pos, f"{what} has {words} words; the limit is "
                         f"{LIMITS['scene_words']}", "split it into two scenes with a choice between them")


def _overlong(pos: SourcePos, what: str, length: int, limit: int, hint: str) -> Diagnostic:
    return diagnostic("overlong-text", pos, f"{what} is {length} characters long; the limit is {limit}", hint)


def _out_of_range(ctx: _Context) -> Iterator[Diagnostic]:
    """Effects with a constant amount that leave the declared range for every value the variable can have."""
    for scene in ctx.story.scenes.values():
        for choice in scene.choices:
            if (scene.id, "choice", choice.index) not in ctx.ranges.feasible:
                continue
            env = ctx.ranges.entry[scene.id]
            if choice.condition is not None:
                env = refine(env, tree_of(choice.condition), True) or env
            for effect in choice.effects:
                found = _overshoot(ctx.story.variables[effect.variable], effect, env.get(effect.variable))
                if found is not None:
                    yield diagnostic("effect-out-of-range", effect.pos, f"{found} in choice {choice.index + 1} of "
                                     f"scene '{scene.id}'", "change the amount, or widen the range in story.yaml")


def _backgrounds(ctx: _Context) -> Iterator[Diagnostic]:
    """A background name the window cannot draw; file paths are the loader's to check."""
    for scene in ctx.story.scenes.values():
        name = scene.background
        if not name or not name.replace("_", "").isalnum() or scenery.resolve(name) is not None:
            continue
        close = difflib.get_close_matches(name, scenery.known_names(), n=1, cutoff=0.6)
        known = ", ".join(scenery.PLACES) + f" (each also with {scenery.NIGHT} for night)"
        guess = f"did you mean '{close[0]}'? " if close else ""
        yield diagnostic("unknown-background", scene.background_pos,
                         f"scene '{scene.id}' asks for the background '{name}', which is not a drawn place: "
                         "the window will show a plain page", f"{guess}The known names: {known}")


def _overshoot(var: Variable, effect: Effect, now: object) -> str | None:
    amount = tree_of(effect.value)
    if not isinstance(amount, Const) or isinstance(amount.value, bool | str) or not isinstance(now, Interval):
        return None
    k, low, high = amount.value, var.minimum, var.maximum
    name = f"'{var.name}'"
    if effect.op == "set":
        if (high is not None and k > high) or (low is not None and k < low):
            bound = high if high is not None and k > high else low
            return f"'set' gives {name} the value {k:g}, outside its range ({_range(var)}): it becomes {bound:g}"
        return None
    step = k if effect.op == "add" else -k
    if high is not None and step > 0 and now.lo < high < now.lo + step:
        return (f"adding {step:g} to {name} ({now} here) always goes past its max {high:g}, "
                "so the engine cuts it back every time")
    if low is not None and step < 0 and now.hi > low > now.hi + step:
        return (f"taking {-step:g} from {name} ({now} here) always goes below its min {low:g}, "
                "so the engine cuts it back every time")
    return None


def _range(var: Variable) -> str:
    low = "..." if var.minimum is None else f"{var.minimum:g}"
    high = "..." if var.maximum is None else f"{var.maximum:g}"
    return f"{low} to {high}"
