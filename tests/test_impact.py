"""Does this choice matter? The impact analysis names what each choice changes, and its claims hold in play."""

from __future__ import annotations

import dataclasses
import json
import random
from types import MappingProxyType

import pytest
from conftest import ROOT, SHIPPED

from game.authoring.explore.impact import analyse_impact, write_only
from game.authoring.lint import RULES, lint
from game.cli import main
from game.loader.story import load_story
from game.runtime.model import Choice, Story
from game.runtime.playthrough import Playthrough
from game.runtime.tools import set_state, state_of, take

PACK = ROOT / "story" / "packs" / "irina_sasha"

STORY = """\
id: t
title: T
author: A
start: a
content_note: None.
variables:
  n: {default: 5, min: 0, max: 10, description: "a number tested later"}
  shown: {default: 1, min: 0, max: 10, description: "a number written into a text"}
  full: {default: 10, min: 0, max: 10, description: "a number already at its maximum"}
  secret: {default: 0, min: 0, max: 10, description: "a number nothing reads"}
  flag: {default: false, description: "a flag a paragraph tests"}
"""

SCENES = """\
scenes:
  - id: a
    title: A
    text: Choose.
    choices:
      - {label: Up one, to: b, effects: {add: {n: 1}}}
      - {label: Up three, to: b, effects: {add: {n: 3}}}
      - {label: Quietly, to: b, effects: {add: {secret: 2}}}
      - {label: Silently, to: b}
      - {label: Fill, to: b, effects: {add: {full: 2}}}
  - id: b
    title: B
    text:
      - You have {shown}.
      - if: flag
        text: The flag is up.
    choices:
      - {label: Show more, to: c, effects: {add: {shown: 1}}}
      - {label: Raise the flag, to: c, effects: {set: {flag: true}}}
      - {label: Neither, to: c}
  - id: c
    title: C
    text:
      - You have {shown}, and the tank holds {full}.
      - if: flag
        text: The flag is up.
    choices:
      - {label: High, to: high, if: "n >= 8"}
      - {label: Low, to: low}
endings:
  - {id: high, title: H, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
  - {id: low, title: L, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
"""


@pytest.fixture
def small(make_story):
    return load_story(make_story({"s.yaml": SCENES}, STORY))


def test_each_kind_of_consequence_is_named(small):
    impact = analyse_impact(small, samples=400)
    up_one, up_three, quietly, silently, fill = (impact.choice("a", i) for i in range(1, 6))
    # n goes from 5 to 6 or 8: only +3 crosses the later "n >= 8", so +1 looks like doing nothing
    assert up_three.effects[0].status == "seen" and up_three.visible
    assert any(r.kind == "choice" and r.scene == "c" for r in up_three.effects[0].reads)
    assert up_one.effects[0].status == "unseen" and not up_one.visible
    assert quietly.effects[0].status == "unseen"
    assert fill.effects[0].status == "clamped" and "max 10" in fill.effects[0].why
    assert {1, 3, 4, 5} == {c.choice.index + 1 for c in (up_one, quietly, silently, fill)
                            if set(c.same_as) == {0, 2, 3, 4} - {c.choice.index}}
    assert up_three.same_as == []
    show, flag, neither = (impact.choice("b", i) for i in range(1, 4))
    assert show.effects[0].status == "seen" and show.effects[0].reads[0].kind == "text"
    assert flag.effects[0].status == "seen" and flag.effects[0].reads[0].kind == "paragraph"
    assert not neither.same_as and not show.same_as
    # ending shares: only the choice that can reach n >= 8 ever sees the high ending
    assert up_three.sampled["high"] > 0 and up_one.sampled["high"] == 0
    # the static set is what the ranges do not rule out (n is 5 to 8 at c by then, joined over all paths)
    assert up_three.endings == {"high", "low"} and set(up_one.sampled) <= up_one.endings


def test_findings_are_lint_diagnostics_with_their_own_rule_ids(small):
    found = {d.code: d for d in analyse_impact(small, samples=0).diagnostics()}
    assert set(found) == {"choice-without-consequence", "write-only-variable", "clamped-effect"}
    assert all(code in RULES and RULES[code].source == "impact" for code in found)
    group = found["choice-without-consequence"]
    assert "choices 1, 3, 4 and 5 of scene 'a'" in group.message and group.pos.line == 6
    assert "'secret'" in found["write-only-variable"].message and found["write-only-variable"].pos.line == 10
    clamped = found["clamped-effect"]
    assert "full +2" in clamped.message and clamped.pos.path.endswith("s.yaml") and clamped.pos.line == 10


def test_a_variable_read_only_by_an_effect_on_a_write_only_one_is_write_only_too(make_story):
    story = load_story(make_story({"s.yaml": """\
        scenes:
          - id: a
            title: A
            text: Go.
            choices:
              - {label: Go, to: end, effects: {add: {secret: "n + 1"}}}
              - {label: Stay, to: end, effects: {add: {n: 1}}}
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """}, STORY))
    assert write_only(story) == {"secret", "n"}


# -- the claims hold in play -----------------------------------------------------------------------

def _with_choice(story: Story, scene_id: str, choice: Choice) -> Story:
    scene = story.scenes[scene_id]
    choices = tuple(choice if c.index == choice.index else c for c in scene.choices)
    scenes = dict(story.scenes)
    scenes[scene_id] = dataclasses.replace(scene, choices=choices)
    return dataclasses.replace(story, scenes=MappingProxyType(scenes))


def _reach(story: Story, scene_id: str, index: int, rng: random.Random, tries: int = 300):
    play = Playthrough(story, clock=False)
    for _ in range(tries):
        play.restart()
        while not play.is_over and (options := play.choices()):
            if play.scene_id == scene_id and any(v.choice.index == index for v in options) and rng.random() < 0.7:
                return state_of(play)
            take(play, rng.choice(options).choice)
    return None


def _future(story: Story, state, index: int, seed: int) -> list[tuple]:
    """Everything a player sees after taking a choice, then choosing at random with a fixed seed."""
    play = Playthrough(story, clock=False)
    set_state(play, *state)
    take(play, story.scenes[state[0]].choices[index])
    rng = random.Random(seed)
    seen = []
    while True:
        views = tuple((v.label, v.enabled, v.locked_reason) for v in play.all_choices())
        seen.append((play.scene_id, tuple(play.text()), views))
        if play.is_over or not (options := play.choices()):
            return seen
        take(play, rng.choice(options).choice)


def _claims(story: Story, impact):
    """(scene, choice index, the story with that choice changed as the claim says makes no difference)."""
    for c in impact.choices:
        hidden = {e.variable for e in c.effects if e.status != "seen"}
        if hidden:
            kept = tuple(e for e in c.choice.effects if e.variable not in hidden)
            yield c.scene, c.choice.index, _with_choice(story, c.scene, dataclasses.replace(c.choice, effects=kept))
        for other in c.same_as:
            twin = story.scenes[c.scene].choices[other]
            yield c.scene, c.choice.index, _with_choice(story, c.scene, dataclasses.replace(
                c.choice, effects=twin.effects))


@pytest.mark.parametrize("which", ["small", "shipped"])
def test_what_is_called_unseen_never_shows_in_play(which, small):
    """Remove each effect called unseen or clamped (or give a choice its twin's effects): whatever a player
    then sees, along random paths from states where the choice is on offer, must stay the same."""
    story = small if which == "small" else load_story(SHIPPED, [PACK])
    impact = analyse_impact(story, samples=0)
    claims = list(_claims(story, impact))
    assert len(claims) >= 4
    rng = random.Random(1)
    checked = 0
    for scene_id, index, changed in claims:
        for attempt in range(3):
            state = _reach(story, scene_id, index, rng)
            if state is None:
                continue
            for seed in range(4):
                assert _future(story, state, index, seed) == _future(changed, state, index, seed), (
                    scene_id, index + 1, attempt)
                checked += 1
    assert checked >= len(claims) * 4  # every claim was tried from at least one real state


def test_what_is_called_seen_can_show(small):
    """The converse, where the ranges allow it: removing a 'seen' effect changes some future."""
    impact = analyse_impact(small, samples=0)
    state = small.defaults()
    for scene_id, number in (("a", 2), ("b", 1), ("b", 2)):
        c = impact.choice(scene_id, number)
        changed = _with_choice(small, scene_id, dataclasses.replace(c.choice, effects=()))
        start = (scene_id, dict(state), {scene_id: 1})
        futures = {tuple(tuple(_future(s, start, number - 1, seed)) for seed in range(8)) for s in (small, changed)}
        assert len(futures) == 2, (scene_id, number)


def test_the_command_prints_every_choice_and_json_for_scripts(make_story, capsys):
    root = make_story({"s.yaml": SCENES}, STORY)
    assert main(["explore", "--story", str(root), "--impact", "--samples", "200"]) == 0
    out = capsys.readouterr().out
    assert "NO VISIBLE CONSEQUENCE" in out and "s.yaml:10" in out and "[clamped-effect]" in out
    assert main(["explore", "--story", str(root), "--impact", "--json", "--samples", "200"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["write_only"].keys() == {"secret"}
    assert [[m["choice"] for m in g] for g in data["without_consequence"]] == [[1, 3, 4, 5]]
    assert {d["code"] for d in data["diagnostics"]} >= {"clamped-effect"}


def test_validate_runs_the_impact_rules_on_packs_and_on_request(make_story, tmp_path, capsys):
    root = make_story({"s.yaml": SCENES}, STORY)
    assert not [d for d in lint(load_story(root)) if RULES[d.code].source == "impact"]
    assert {d.code for d in lint(load_story(root), impact=True)} >= {"clamped-effect", "write-only-variable"}
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "p.yaml").write_text("extend:\n  - scene: c\n    choices:\n"
                                 "      - {label: Wait, to: low, effects: {add: {full: 1}}}\n")
    found = lint(load_story(root, [pack]), packs=[pack])
    assert [(d.code, d.pos.line) for d in found if RULES[d.code].source == "impact"] == [
        ("choice-without-consequence", 4), ("clamped-effect", 4)]
    main(["validate", str(root), "--impact", "--format", "json"])
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert "choice-without-consequence" in codes


def test_the_map_marks_choices_without_consequence_with_impact(make_story, tmp_path):
    root = make_story({"s.yaml": SCENES}, STORY)
    page = tmp_path / "map.html"
    assert main(["graph", "--story", str(root), "--impact", "-o", str(page), "--layout", "builtin"]) == 0
    assert "choices 1, 3, 4 and 5 of scene &#39;a&#39; lead to the same future" in page.read_text()
    assert main(["graph", "--story", str(root), "-o", str(page), "--layout", "builtin"]) == 0
    assert "choice-without-consequence" not in page.read_text()
