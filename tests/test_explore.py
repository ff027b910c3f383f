"""kira explore: random playthroughs, the exhaustive search and its state merging, through the real engine."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.authoring.explore.random import Report, explore_random
from game.authoring.explore.search import _search, explore_exhaustive
from game.authoring.explore.statekey import _OPS as OPS
from game.authoring.explore.statekey import CellKeys, StateKeys
from game.cli import main
from game.errors import PlayError
from game.loader.story import load_story
from game.runtime.playthrough import Playthrough
from game.runtime.tools import set_state, state_of, take_offered

CI_KEYS = {"scenes", "reached_scenes", "endings", "reached_endings", "dead_ends", "errors", "playthroughs",
           "path_length", "seconds"}


def replay(story, numbers: str) -> Playthrough:
    """Take a finding's choices (1-based among those on offer) as a player would."""
    play = Playthrough(story, clock=False)
    for number in [int(n) for n in numbers.split(",") if n]:
        play.choose(number - 1)
    return play


def test_random_play_finds_the_error_with_a_path_that_reproduces_it(tiny):
    data = explore_random(tiny, 300, seed=3).to_json()
    assert CI_KEYS <= set(data) and data["playthroughs"] == 300
    assert set(data["reached_endings"]) == {"hero", "coward"}
    (error,) = data["errors"]
    assert "division by zero" in error["message"] and "scenes.yaml:52" in error["message"]  # the effect's own line
    play = replay(tiny, error["choices"][:-2])
    try:
        play.choose(int(error["choices"][-1]) - 1)
        raise AssertionError("the path should fail")
    except PlayError as exc:
        assert "division by zero" in str(exc)


def test_the_same_seed_gives_the_same_report(tiny):
    first, second = (explore_random(tiny, 200, seed=9).to_json() for _ in range(2))
    for data in (first, second):
        data.pop("seconds"), data.pop("steps_per_second")
    assert first == second


def test_dead_ends_errors_in_text_and_endless_loops_are_reported():
    play_data = explore_random(load_story(FIXTURES / "broken_play"), 200, seed=1).to_json()
    assert [d["scene"] for d in play_data["dead_ends"]] == ["trap"]
    assert {e["scene"] for e in play_data["errors"]} == {"start", "trap"}
    assert any("paragraph's condition" in e["message"] and "scenes.yaml:20" in e["message"]
               for e in play_data["errors"])
    flow = explore_random(load_story(FIXTURES / "broken_flow"), 100, seed=1, max_steps=50).to_json()
    assert flow["unfinished"] > 0 and flow["dead_ends"][0]["scene"] == "square"


def test_the_exhaustive_search_is_exact_on_small_stories_and_gives_shortest_paths(tiny):
    data = explore_exhaustive(tiny).to_json()
    assert data["complete"] and data["method"] == "exact" and data["unresolved"] == []
    assert data["reached_scenes"] == 5 and data["untaken_choices"] == ["hall:3"]
    (error,) = data["errors"]
    assert len(error["path"]) == 2 and error["choices"] == "1,2"
    broken = explore_exhaustive(load_story(FIXTURES / "broken_play")).to_json()
    assert [d["choices"] for d in broken["dead_ends"]] == ["2"]


def test_the_cell_search_proves_or_lists_everything(tiny):
    """Forced into the second search by a tiny cap, the verdict still accounts for every fact."""
    story = load_story(FIXTURES / "broken_flow")
    exact = explore_exhaustive(story).to_json()
    cells = explore_exhaustive(story, max_states=8).to_json()
    assert cells["method"] == "cells"
    assert_accounted(exact, cells)


def assert_accounted(exact: dict, other: dict) -> None:
    """Everything the exact search found was found by ``other`` too, or is in its unresolved list."""
    unresolved = " ".join(other["unresolved"])
    for scene in set(exact["unreached_scenes"]) ^ set(other["unreached_scenes"]):
        assert scene in other["unreached_scenes"] and f"scene '{scene}' may be reachable" in unresolved
    for scene_choice in set(other["untaken_choices"]) - set(exact["untaken_choices"]):
        scene, number = scene_choice.split(":")
        assert f"choice {number} of scene '{scene}' may be possible" in unresolved
    for finding in exact["dead_ends"]:
        found = {d["scene"] for d in other["dead_ends"]}
        assert finding["scene"] in found or f"scene '{finding['scene']}' may leave" in unresolved
    for finding in exact["errors"]:
        found = {e["scene"] for e in other["errors"]}
        assert finding["scene"] in found or f"of scene '{finding['scene']}' may fail" in unresolved
    if other["complete"]:
        assert exact["unreached_scenes"] == other["unreached_scenes"]
        assert exact["untaken_choices"] == other["untaken_choices"]


def test_explore_command_prints_json_for_ci_and_fails_on_errors(capsys):
    assert main(["explore", "--story", str(FIXTURES / "tiny"), "--random", "50", "--seed", "2", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert CI_KEYS <= set(data) and set(data["path_length"]) == {"min", "median", "max"}
    assert isinstance(data["seconds"], float)
    assert main(["explore", "--story", str(FIXTURES / "tiny"), "--exhaustive"]) == 1
    text = capsys.readouterr().out
    assert "Every reachable state was visited" in text and "--choices 1,2" in text
    pack = ROOT / "story" / "packs" / "irina_sasha"
    assert main(["explore", "--pack", str(pack), "--random", "30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scenes"] > 75


def test_engine_state_round_trips(tiny):
    play = Playthrough(tiny, clock=False)
    play.choose(0)
    saved = state_of(play)
    play.choose(0)
    set_state(play, *saved)
    assert state_of(play) == saved and play.steps == [] and not play.can_undo
    play.variables["courage"] = -1  # the state handed out is a copy
    assert saved[1]["courage"] != -1


def test_authoring_tools_import_neither_rich_nor_pygame():
    for path in (Path(__file__).parent.parent / "game" / "authoring").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not names & {"rich", "pygame"}, path.name


# -- merging states is sound ---------------------------------------------------------------------

HEADER = """\
id: gen
title: Generated
author: Hypothesis
start: s0
content_note: none
variables:
  a: {default: 5, min: 0, max: 10, description: "a threshold number"}
  b: {default: 2, min: 0, max: 6, description: "another"}
  c: {default: 1, min: -9, max: 9, description: "a number used in arithmetic, so kept exactly"}
  f: {default: false, description: "a flag"}
"""
ATOMS = ["a >= {k}", "a < {k}", "b == {k}", "b > {k}", "f", "not f", "c > {k}", "visited('s{s}') >= 1",
         "visited('s{s}') > {k}", "10 / (c - {k}) > 1"]
EFFECTS = ["add: {{a: {k}}}", "subtract: {{a: {k}}}", "set: {{b: {k}}}", "add: {{b: 1}}", "set: {{f: true}}",
           "set: {{f: false}}", "set: {{c: \"c - b\"}}", "add: {{c: 1}}"]


@st.composite
def stories(draw) -> str:
    """Acyclic stories (so that a search over full states ends) with every kind of item StateKeys handles."""
    count = draw(st.integers(2, 7))
    lines = ["scenes:"]
    for i in range(count):
        lines += [f"  - id: s{i}", f"    title: S{i}"]
        if i > 0 and draw(st.integers(0, 4)) == 0:
            lines.append("    route:")
            for _ in range(draw(st.integers(1, 2))):
                lines += [f"      - if: \"{draw_condition(draw, i)}\"", f"        to: {draw_target(draw, i, count)}"]
            lines.append(f"    default: {draw_target(draw, i, count)}")
            continue
        lines += ["    text:", "      - Words.", f"      - if: \"{draw_condition(draw, i)}\"", "        text: More.",
                  "    choices:"]
        for k in range(draw(st.integers(1, 3))):
            lines += [f"      - label: C{k}", f"        to: {draw_target(draw, i, count)}"]
            if draw(st.booleans()):
                lines.append(f"        if: \"{draw_condition(draw, i)}\"")
            for effect in draw(st.lists(st.sampled_from(EFFECTS), max_size=2, unique=True)):
                lines.append(f"        effects: {{{effect.format(k=draw(st.integers(1, 4)))}}}")
                break
    lines += ["endings:"] + [f"  - {{id: e{n}, title: E, epilogue: x, state_took: x, could_not_take: x, novel: x, "
                             "reflection: [q, r]}" for n in (1, 2)]
    return "\n".join(lines) + "\n"


def draw_condition(draw, i: int) -> str:
    parts = [draw(st.sampled_from(ATOMS)).format(k=draw(st.integers(0, 6)), s=draw(st.integers(0, max(0, i - 1))))
             for _ in range(draw(st.integers(1, 2)))]
    return f" {draw(st.sampled_from(['and', 'or']))} ".join(parts)


def draw_target(draw, i: int, count: int) -> str:
    n = draw(st.integers(i + 1, count + 1))
    return f"s{n}" if n < count else f"e{n - count + 1}"


def facts(story, select) -> dict:
    report = Report(story, "test")
    _search(story, report, select, 10**6, None)
    return {"scenes": report.reached_scenes, "choices": report.taken, "endings": set(report.reached_endings),
            "dead_ends": set(report.dead_ends), "errors": set(report.errors)}


def full_state_select():
    seen = set()

    def select(states):
        kept = []
        for i, (scene, variables, visits) in enumerate(states):
            key = (scene, tuple(sorted(variables.items())), tuple(sorted(visits.items())))
            if key not in seen:
                seen.add(key)
                kept.append(i)
        return kept
    return select


def within_ranges(story, select):
    """Check every state met against the linter's ranges (they must contain it), then select as usual."""
    from game.authoring.explore.ranges import Interval, analyse

    ranges = analyse(story)

    def check(states):
        for scene, variables, visits in states:
            env = ranges.entry[scene]
            values = {**variables, **{f"visited:{s}": visits.get(s, 0) for s in ranges.tracked_visits}}
            for item, value in values.items():
                allowed = env[item]
                inside = (allowed.lo <= value <= allowed.hi if isinstance(allowed, Interval)
                          else allowed.values is None or value in allowed.values)
                assert inside, (scene, item, value, allowed)
        return select(states)
    return check


def key_select(keys: StateKeys):
    seen = set()

    def select(states):
        kept = []
        for i, state in enumerate(states):
            key = keys.key(*state)
            if key not in seen:
                seen.add(key)
                kept.append(i)
        return kept
    return select


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=stories())
def test_merged_states_meet_exactly_what_full_states_meet(tmp_path, text):
    root = tmp_path / "gen"
    root.mkdir(exist_ok=True)
    (root / "story.yaml").write_text(HEADER)
    (root / "scenes.yaml").write_text(text)
    story = load_story(root)
    keys = StateKeys(story)
    assert facts(story, key_select(keys)) == facts(story, full_state_select())
    exact = facts(story, within_ranges(story, full_state_select()))
    for each in (False, True):
        cells = facts(story, CellKeys(keys, each).select)
        assert all(cells[k] <= exact[k] for k in exact)  # the cell search only ever reports what is real
    assert_accounted(explore_exhaustive(story).to_json(), explore_exhaustive(story, max_states=12).to_json())


def test_visit_counts_are_capped_and_dead_variables_dropped(make_story):
    root = make_story({"s.yaml": """\
        scenes:
          - id: a
            title: A
            text: Round.
            choices:
              - {label: Again, to: a, effects: {add: {n: 1}}}
              - {label: Out, to: b, if: "visited('a') > 2"}
          - id: b
            title: B
            text: On.
            choices:
              - {label: End, to: end}
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """})
    story = load_story(root)
    keys = StateKeys(story)
    assert keys.classes_at("a")["visited:a"] == 4  # 0, 1, 2, and 3 or more: above 2 the test never changes
    assert keys.classes_at("b")["visited:a"] == 1 and keys.classes_at("a")["n"] == 1  # nothing reads them later
    assert keys.key("a", {"n": 5, "flag": False, "word": "x"}, {"a": 7}) == keys.key(
        "a", {"n": 9, "flag": True, "word": "y"}, {"a": 40})
    data = explore_exhaustive(story).to_json()
    assert data["complete"] and data["states"] < 10 and data["reached_endings"] == {"end": 1}


# -- test plans ----------------------------------------------------------------------------------

SHIPPED_PLAN = ROOT / "story" / "we_the_living" / "tests" / "novel_path.plan.yaml"


def test_the_shipped_plan_passes_and_the_loader_does_not_read_plans_as_story(capsys):
    from conftest import SHIPPED

    from game.loader.story import check_story, story_files

    assert SHIPPED_PLAN not in story_files(SHIPPED)
    assert check_story(SHIPPED)[1] == []
    assert main(["explore", "--plan", str(SHIPPED_PLAN.parent)]) == 0
    assert "all" in capsys.readouterr().out


def run_plan_text(story, tmp_path, text: str):
    from game.authoring.explore.plans import run_plan

    path = tmp_path / "t.plan.yaml"
    path.write_text(text)
    return run_plan(story, path)


def test_a_plan_runs_steps_in_order_and_stops_at_the_first_failure(tiny, tmp_path):
    result = run_plan_text(tiny, tmp_path, "- choose: 'be brave'\n- expect: \"brave and courage == 10\"\n"
                                           "- expect_scene: yard\n- choose: novel\n- expect_ending: hero\n")
    assert result.passed and result.passed_steps == 5
    failing = run_plan_text(tiny, tmp_path, "- choose: 2\n- expect: \"courage > 5\"\n- choose: 1\n")
    assert not failing.passed and failing.pos.line == 2 and failing.passed_steps == 1
    assert failing.text().startswith(f"{failing.path}:2:3: step 2 of 3 failed: expected courage > 5, but courage is")


def test_plan_failures_say_what_was_there_instead(tiny, tmp_path):
    cases = {
        "- choose: 7\n": "there is no choice 7 in scene 'hall'; on offer: 1. Be brave; 2. Hide",
        "- choose: 'run'\n": "no choice in scene 'hall' match \"run\"",
        "- expect_scene: yard\n": "expected scene 'yard', but the story is at 'hall'",
        "- expect_ending: hero\n": "expected the ending 'hero', but the story is still at scene 'hall'",
        "- novel_until: coward\n": "the novel's path ended in 'hero' before reaching 'coward'",
        "- expect: \"courage +\"\n": "cannot read",
        "- jump: yard\n": "each step is one of",
        "- choose: 2\n- choose: 2\n": "division by zero",
        "just: a mapping\n": "a plan must be a YAML list",
        "- choose: [1\n": "YAML",
    }
    for text, message in cases.items():
        result = run_plan_text(tiny, tmp_path, text)
        assert message in result.failure, (text, result.failure)
    from game.authoring.explore.plans import run_plan

    assert run_plan(tiny, tmp_path / "missing.plan.yaml").failure == "there is no such plan file"


def test_the_guide_s_example_plan_passes_on_the_shipped_story(tmp_path):
    from conftest import SHIPPED

    from game.authoring.explore.plans import run_plan

    guide = (ROOT / "docs" / "AUTHORING.md").read_text()
    block = guide.split("stay_behind.plan.yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "stay_behind.plan.yaml"
    path.write_text(block)
    result = run_plan(load_story(SHIPPED), path)
    assert result.passed and result.total == 9, result.text()


def test_a_story_that_fails_at_the_start_is_reported_not_crashed(make_story, tmp_path):
    from game.authoring.explore.plans import run_plan

    root = make_story({"s.yaml": """\
        scenes:
          - id: a
            route: [{if: "n >= 0", to: b}]
            default: end
          - id: b
            route: [{if: "n >= 0", to: a}]
            default: end
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """})
    story = load_story(root)
    for report in (explore_random(story, 5), explore_exhaustive(story)):
        (error,) = report.to_json()["errors"]
        assert "loop" in error["message"] and error["path"] == [] and report.failed
    plan = tmp_path / "p.plan.yaml"
    plan.write_text("- expect_scene: a\n")
    assert "cannot start" in run_plan(story, plan).failure


def test_each_error_is_traced_to_the_expression_that_failed(make_story):
    """The exhaustive verdict counts an expression as witnessed only when its own failure was seen."""
    root = make_story({"s.yaml": """\
        scenes:
          - id: a
            title: S
            text:
              - if: "10 / (n - 5) > 0"
                text: Never shown at the start.
            choices:
              - {label: Effect, to: end, effects: {set: {n: "10 / (n - 5)"}}}
              - {label: Route, to: r}
          - id: r
            route: [{if: "10 / (n - 5) > 1", to: end}]
            default: end
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """})
    report = explore_exhaustive(load_story(root))
    assert report.failed_sites == {("a", "paragraph", 0), ("a", "effect", 0), ("r", "route", 0)}
    assert report.extra["complete"] and len(report.errors) == 3


@pytest.mark.parametrize("explore", [explore_exhaustive, lambda story: explore_random(story, 20)],
                         ids=["exhaustive", "random"])
def test_a_failing_reflection_question_is_an_error_of_the_path_that_asks_it(make_story, explore):
    """A question's condition is worked out when its chapter closes or its ending is reached, as the
    game does: a division by zero there is found by the explorer, not by the first student."""
    root = make_story({"s.yaml": """\
        chapters:
          - id: c1
            number: 1
            title: One
            reflection: [{if: "10 / (n - 7) > 0", text: Asked when the sum holds.}]
        scenes:
          - id: a
            title: A
            chapter: c1
            text: Choose.
            choices:
              - {label: Safe, to: b}
              - {label: Two more, to: b, effects: {add: {n: 2}}}
          - id: b
            title: B
            text: Go on.
            choices: [{label: End, to: end}]
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n,
             reflection: [{if: "10 / (n - 5) > 0", text: Asked when n moved.}]}
        """})
    report = explore(load_story(root))
    messages = [message for _, message in report.errors]
    assert any("reflection question" in m and "division by zero" in m.lower() for m in messages), messages
    assert {scene for scene, _ in report.errors} >= {"b", "end"}  # the chapter's (n = 7) and the ending's (n = 5)


def test_a_possible_loop_of_routers_is_never_passed_over(make_story):
    root = make_story({"s.yaml": """\
        scenes:
          - id: a
            title: A
            text: Hello.
            choices:
              - {label: Up, to: a, effects: {add: {n: 1}}}
              - {label: Go, to: r1}
          - id: r1
            route: [{if: "n >= 9", to: r2}]
            default: end
          - id: r2
            route: [{if: "n >= 9", to: r1}]
            default: end
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """})
    story = load_story(root)
    exact = explore_exhaustive(story).to_json()
    assert exact["complete"] and "round in a loop" in exact["errors"][0]["message"]
    capped = explore_exhaustive(story, max_states=2).to_json()
    assert capped["errors"] or any("round in a loop" in u for u in capped["unresolved"])


def test_counts_must_be_positive_and_medians_whole(capsys):
    from game.authoring.explore.random import _whole

    for bad in ("0", "-5", "many"):
        try:
            main(["explore", "--random", bad])
        except SystemExit as stop:
            assert stop.code == 2
        else:
            raise AssertionError(f"--random {bad} was accepted")
        assert "at least 1" in capsys.readouterr().err
    assert _whole(37.0) == 37 and isinstance(_whole(37.0), int) and _whole(36.5) == 36.5


# -- numbers changed by computed amounts ----------------------------------------------------------

COMPUTED = """\
scenes:
  - id: a
    title: A
    text: Round.
    choices:
      - {label: Earn, to: a, effects: {add: {n: "n / 4 + 1"}}}
      - {label: Spend, to: a, if: "n >= 3", effects: {subtract: {n: 3}}}
      - {label: Leave, to: end, if: "n >= 9"}
      - {label: Give up, to: lost}
endings:
  - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
  - {id: lost, title: L, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
"""


def test_a_fraction_in_a_whole_number_variable_is_rounded_halves_up(make_story):
    story = load_story(make_story({"s.yaml": COMPUTED}))
    play = Playthrough(story, clock=False)
    play.choose(0)  # n = 5 + 5/4 + 1 = 7.25 -> 7
    assert play.variables["n"] == 7 and isinstance(play.variables["n"], int)
    play.choose(0)  # 7 + 7/4 + 1 = 9.75 -> 10 (the max)
    assert play.variables["n"] == 10
    assert story.variables["n"].clamp(6.5) == 7 and story.variables["n"].clamp(-0.5) == 0


def test_the_search_names_the_numbers_it_follows_value_by_value_and_says_partial(make_story):
    story = load_story(make_story({"s.yaml": COMPUTED}))
    data = explore_exhaustive(story, max_states=5).to_json()
    assert not data["complete"] and "PARTIAL" in data["message"]
    (why,) = data["followed_one_by_one"]
    assert why.startswith("'n' (changed by a computed amount, 'add: n / 4 + 1' at ") and "s.yaml:6" in why
    full = explore_exhaustive(story).to_json()
    assert full["reached_endings"].keys() == {"end", "lost"} and not full["dead_ends"]


def _measures_as_defined(cells: CellKeys, scene, variables, visits):
    """CellKeys.measures written out plainly from its definition, to hold the fast version to it."""
    classes, exact, ranged = cells.plan[scene]
    def read(item):
        return visits.get(item[8:], 0) if item.startswith("visited:") else variables[item]
    values = [int(read(item)) for item, _, _ in classes]
    numbers = [float(variables[item]) for item in ranged]
    key = (scene, *(labels[t.local(v)] for (_, labels, t), v in zip(classes, values, strict=True)),
           *(read(item) for item in exact),
           *(tuple(cmp(x, k) for cmp, k in ((OPS[op], k) for op, k in cells.ranged[item][0]))
             for item, x in zip(ranged, numbers, strict=True)))
    if cells.each:
        return key, [float(v) for v in values] + numbers
    share = sum((v - t.low) / max(1, t.high - t.low) for (_, _, t), v in zip(classes, values, strict=True))
    share += sum((x - cells.ranged[item][1]) / max(1.0, cells.ranged[item][2] - cells.ranged[item][1])
                 for item, x in zip(ranged, numbers, strict=True))
    return key, [share]


def test_cell_measures_are_the_defined_key_and_floats_on_the_shipped_story():
    import random

    story = load_story(ROOT / "story" / "we_the_living")
    keys = StateKeys(story)
    rng = random.Random(5)
    states = []
    play = Playthrough(story, clock=False)
    while len(states) < 400:
        if play.is_over:
            play.restart()
        states.append(state_of(play))
        play.choose(rng.randrange(len(play.choices())))
    for each in (False, True):
        cells = CellKeys(keys, each)
        assert any(cells.plan[s[0]][0] for s in states)  # the states do have numbers followed by class
        for state in states:
            assert cells.measures(*state) == _measures_as_defined(cells, *state)


def test_taking_an_offered_choice_is_choosing_it(tiny):
    play = Playthrough(tiny, clock=False)
    start = state_of(play)
    for index, view in enumerate(play.choices()):
        set_state(play, *start)
        take_offered(play, view)
        chosen = Playthrough(tiny, clock=False)
        chosen.choose(index)
        assert play.to_dict() | {"steps": []} == chosen.to_dict() | {"steps": []}
        assert play.steps[-1] == chosen.steps[-1]
