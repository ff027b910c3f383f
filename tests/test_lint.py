"""The linter: every rule fires where it should, names the right place, and stays quiet on good stories."""

from __future__ import annotations

import json
import random
import re

import pytest
from conftest import FIXTURES, ROOT, SHIPPED

from game.authoring.explore.ranges import Interval, Options, analyse
from game.authoring.exprtree import Binary, Call, Const, Unary, Var, Visited, tree_of
from game.authoring.lint import LOAD_CODES, RULES, lint
from game.cli import main
from game.loader.story import check_story, load_story
from game.runtime.expressions import compile_expression
from game.runtime.playthrough import Playthrough

PACK = ROOT / "story" / "packs" / "irina_sasha"

# rule -> places (file name, line) where the broken fixtures must trigger it
EXPECTED = {
    "read-before-set": {("broken_flow/scenes.yaml", 12)},
    "condition-always-true": {("broken_flow/scenes.yaml", 19)},
    "condition-always-false": {("broken_flow/scenes.yaml", 30), ("broken_play/scenes.yaml", 25),
                               ("broken_play/scenes.yaml", 28)},
    "dead-end": {("broken_flow/scenes.yaml", 33), ("broken_flow/scenes.yaml", 49), ("broken_flow/scenes.yaml", 55),
                 ("broken_play/scenes.yaml", 16)},
    "unreachable-scene": {("broken_flow/scenes.yaml", 43), ("broken_flow/scenes.yaml", 61)},
    "unreachable-ending": {("broken_flow/scenes.yaml", 75)},
    "unused-variable": {("broken_flow/story.yaml", 11)},
    "duplicate-label": {("broken_text/scenes.yaml", 11)},
    "empty-text": {("broken_text/scenes.yaml", 18), ("broken_text/scenes.yaml", 29)},  # an empty label: empty-label
    "overlong-text": {("broken_text/scenes.yaml", 5), ("broken_text/scenes.yaml", 15), ("broken_text/scenes.yaml", 18)},
    "unknown-variable": {("broken_load/scenes.yaml", 4), ("broken_load/scenes.yaml", 8),
                         ("broken_load/scenes.yaml", 10)},
    "router-without-default": {("broken_load/scenes.yaml", 11)},
    "unknown-background": {("broken_text/scenes.yaml", 36)},
}


def diagnostics_of(name: str):
    story, problems = check_story(FIXTURES / name)
    return problems + (lint(story) if story is not None else [])


@pytest.fixture(scope="module")
def found():
    places: dict[str, set[tuple[str, int]]] = {}
    for name in ("broken_flow", "broken_text", "broken_load", "broken_play"):
        for d in diagnostics_of(name):
            file = d.pos.path.split("fixtures/")[-1]
            places.setdefault(d.code, set()).add((file, d.pos.line))
    return places


def test_the_rule_table_is_complete_and_well_formed():
    elsewhere = {"choice-without-consequence", "write-only-variable", "clamped-effect",  # tests/test_impact.py
                 "effect-out-of-range"}  # tests/test_writer_mistakes.py
    assert set(EXPECTED) | elsewhere == set(RULES)
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.id)
        assert rule.severity in ("error", "warning") and rule.source in ("lint", "loader", "impact")
        assert rule.summary and "\n" not in rule.summary


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_rule_fires_exactly_where_expected(found, rule):
    assert found.get(rule, set()) == EXPECTED[rule]


def test_the_shipped_story_lints_clean_alone_and_with_the_example_pack():
    assert lint(load_story(SHIPPED)) == []
    story, problems = check_story(SHIPPED, [PACK])
    assert problems == [] and lint(story) == []


def test_messages_name_the_values_that_explain_them():
    by_line = {d.pos.line: d for d in diagnostics_of("broken_flow")}
    assert "coins is 3 here" in by_line[30].message
    assert "e.g. when courage is" in by_line[33].message
    assert "always false (its default)" in by_line[12].message
    assert all(d.hint for d in by_line.values())


def test_exclusive_conditions_are_not_duplicate_labels_nor_dead_ends():
    """'Pay' twice in broken_text/quiet, once for coins >= 5 and once for coins < 5: both fine."""
    quiet = [d for d in diagnostics_of("broken_text") if d.pos.line >= 20 and d.pos.line < 29]
    assert not quiet


def test_validate_prints_path_line_col_severity_message_and_rule_id(capsys):
    assert main(["validate", str(FIXTURES / "broken_text")]) == 0  # warnings only
    lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith((" ", "Broken"))]
    pattern = re.compile(r"^\S+:\d+:\d+: (error|warning): .+ \[[a-z-]+\]$")
    assert lines and all(pattern.match(line) for line in lines), lines


def test_validate_json_and_strict(capsys):
    assert main(["validate", str(FIXTURES / "broken_flow"), "--format", "json", "--strict"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 0 and data["warnings"] == 10
    assert {d["code"] for d in data["diagnostics"]} <= set(RULES)
    first = data["diagnostics"][0]
    assert set(first) >= {"code", "severity", "path", "line", "col", "message", "hint"}
    assert main(["validate", str(FIXTURES / "broken_load")]) == 1
    assert main(["validate", str(SHIPPED), "--strict"]) == 0


def test_validate_lists_the_rules(capsys):
    assert main(["validate", "--rules", "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [*RULES, *LOAD_CODES]


# -- the pieces the rules stand on ---------------------------------------------------------------

def parse(source: str, kind: str = "number"):
    """The tree the engine compiles ``source`` from, with every variable of one type."""
    return tree_of(compile_expression(source, {"a": kind, "b": kind, "c": kind}))


def test_expression_trees_follow_the_engine_grammar():
    flags = parse("not a and b or c", "boolean")
    assert flags == Binary("or", Binary("and", Unary("not", Var("a")), Var("b")), Var("c"))
    assert parse("-a * 2 + 1 >= 3") == Binary(">=", Binary("+", Binary("*", Unary("-", Var("a")), Const(2)),
                                                            Const(1)), Const(3))
    assert parse("max(a, 1.5) < visited('x')") == Binary("<", Call("max", (Var("a"), Const(1.5))), Visited("x"))


def test_every_shipped_expression_parses_to_a_tree_that_evaluates_like_the_engine():
    story = load_story(SHIPPED)
    rng = random.Random(5)
    expressions = [e for s in story.scenes.values() for e in
                   [*(c.condition for c in s.choices), *(r.condition for r in s.routes),
                    *(p.condition for p in s.paragraphs), *(x.value for c in s.choices for x in c.effects)] if e]
    for _ in range(50):
        env = {n: (rng.random() < 0.5 if isinstance(v.default, bool) else rng.randint(0, 100))
               for n, v in story.variables.items()}
        visits = {sid: rng.randint(0, 2) for sid in story.scenes}
        for expression in expressions:
            assert evaluate(tree_of(expression), env, visits) == expression.evaluate(env, visits), expression.source


def evaluate(node, env, visits):
    """A plain interpreter of trees, to check them against the compiled expressions."""
    import operator as op
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Var):
        return env[node.name]
    if isinstance(node, Visited):
        return visits.get(node.scene, 0)
    if isinstance(node, Unary):
        inner = evaluate(node.operand, env, visits)
        return (not inner) if node.op == "not" else -inner
    if isinstance(node, Call):
        return (min if node.name == "min" else max)(evaluate(a, env, visits) for a in node.args)
    if node.op == "and":
        return evaluate(node.left, env, visits) and evaluate(node.right, env, visits)
    if node.op == "or":
        return evaluate(node.left, env, visits) or evaluate(node.right, env, visits)
    fns = {"+": op.add, "-": op.sub, "*": op.mul, "/": op.truediv, "==": op.eq, "!=": op.ne,
           "<": op.lt, "<=": op.le, ">": op.gt, ">=": op.ge}
    return fns[node.op](evaluate(node.left, env, visits), evaluate(node.right, env, visits))


def test_ranges_contain_every_state_random_play_meets():
    """The analysis over-approximates: every value seen in play lies inside the range found for its scene."""
    for story in (load_story(SHIPPED), load_story(SHIPPED, [PACK]), load_story(FIXTURES / "broken_flow")):
        ranges = analyse(story)
        rng = random.Random(11)
        play = Playthrough(story, clock=False)
        for _ in range(300):
            play.restart()
            for _ in range(200):
                env = ranges.entry[play.scene_id]
                for name, value in play.variables.items():
                    assert _inside(value, env[name]), (play.scene_id, name, value, env[name])
                for scene in ranges.tracked_visits:
                    assert _inside(play.visits.get(scene, 0), env[f"visited:{scene}"])
                options = play.choices()
                if play.is_over or not options:
                    break
                play.choose(rng.randrange(len(options)))


def _inside(value, abstract) -> bool:
    if isinstance(abstract, Interval):
        return abstract.lo <= value <= abstract.hi
    assert isinstance(abstract, Options)
    return abstract.values is None or value in abstract.values


def test_loops_are_widened_and_the_analysis_ends(make_story):
    root = make_story({"s.yaml": """\
        scenes:
          - id: a
            title: A
            text: Round.
            choices:
              - {label: Again, to: a, effects: {add: {n: 1}}}
              - {label: Out, to: end, if: "n >= 10 and visited('a') > 3"}
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """})
    story = load_story(root)
    ranges = analyse(story)
    assert ranges.entry["a"]["n"] == Interval(5, 10)
    assert ranges.entry["a"]["visited:a"].hi == float("inf")
    assert {d.code for d in lint(story)} == {"unused-variable"}  # 'flag' and 'word' of the shared story.yaml


def test_every_rule_is_documented_with_an_example_and_a_fix():
    guide = (ROOT / "docs" / "AUTHORING.md").read_text()
    sections = re.split(r"^### ", guide, flags=re.M)
    for rule in RULES:
        (section,) = [s for s in sections if s.startswith(f"`{rule}`")]
        assert "```yaml" in section or rule in ("unreachable-ending", "overlong-text"), rule
        assert "Fix" in section, rule
        assert f"| `{rule}` | {RULES[rule].severity} |" in guide


def test_constant_conditions_are_folded(make_story):
    root = make_story({"s.yaml": """\
        scenes:
          - id: a
            title: A
            text: Hello.
            choices:
              - {label: One, to: end, if: "2 + 2 == 5"}
              - {label: Two, to: end, if: "max(1, 3) / 3 >= 1 or 1 > 2"}
              - {label: Three, to: end}
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """})
    codes = {(d.code, d.pos.line) for d in lint(load_story(root)) if d.code.startswith("condition")}
    assert {(code, line) for code, line in codes} == {("condition-always-false", 6), ("condition-always-true", 7)}


def test_a_witness_search_says_when_finding_nothing_proves_nothing(make_story):
    from game.authoring.explore.witness import stuck

    scenes = """\
        scenes:
          - id: a
            title: A
            text: Hello.
            choices:
              - {label: Grow, to: b, effects: {set: {n: GROWTH}}}
              - {label: Keep, to: b}
          - id: b
            title: B
            text: Which way?
            choices:
              - {label: Low, to: end, if: "n <= LOW"}
              - {label: High, to: end, if: "n >= HIGH"}
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """

    def search(growth: str, low: str, high: str):
        text = scenes.replace("GROWTH", growth).replace("LOW", low).replace("HIGH", high)
        story = load_story(make_story({"s.yaml": text}))
        return stuck(story, analyse(story).entry["b"], story.scenes["b"])

    fractional = search('"n + 2.1"', "5.5", "5.7")  # n is 5 to 7.1 here: 5.6 would be stuck, and is not tried
    assert fractional.witness is None and not fractional.complete
    whole = search("7", "5", "7")  # whole numbers 5 to 7: every case is tried, and 6 is stuck
    assert whole.witness == {"n": 6} and whole.complete
    covered = search("7", "5", "6")
    assert covered.witness is None and covered.complete  # a proof: some choice is always on offer


def test_an_unknown_background_names_the_closest_place_and_every_known_one(capsys):
    warning = next(d for d in diagnostics_of("broken_text") if d.code == "unknown-background")
    assert warning.severity == "warning"
    assert "'stret_snow_night'" in warning.message and "plain page" in warning.message
    assert warning.hint.startswith("did you mean 'street_snow_night'?")
    assert all(name in warning.hint for name in ("andrei_room", "tenement_room", "title", "_night"))
    main(["validate", str(FIXTURES / "broken_text")])
    printed = capsys.readouterr()
    shown = printed.out + printed.err
    assert re.search(r"broken_text/scenes\.yaml:36:\d+.*stret_snow_night", shown), shown
    assert "did you mean 'street_snow_night'?" in shown
