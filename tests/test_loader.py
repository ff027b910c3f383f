"""One test per kind of story mistake, each checking the file, line and message."""

from pathlib import Path

import pytest

from game.errors import StoryError
from game.loader.story import load_story

GOOD = """\
scenes:
  - id: a
    title: A
    text: Hello.
    choices:
      - label: Go
        to: end
endings:
  - id: end
    title: End
    epilogue: Done.
    state_took: x
    could_not_take: y
    novel: z
    reflection: ["q1", "q2"]
"""


def only(found, code=None):
    errors = [d for d in found if d.severity == "error"]
    assert errors, "expected an error"
    if code:
        assert any(d.code == code for d in errors), [d.format() for d in errors]
    return errors[0]


def test_a_good_story_loads(make_story):
    story = load_story(make_story({"s.yaml": GOOD}))
    assert set(story.scenes) == {"a", "end"} and story.start == "a"
    assert len(story.content_hash) == 64


def test_yaml_syntax_error_has_line_and_column(problems):
    diag = only(problems({"s.yaml": "scenes:\n  - id: a\n    title: [unclosed\n"}), "yaml")
    assert diag.pos.path.endswith("s.yaml") and diag.pos.line >= 3


def test_a_tab_in_the_indentation_is_named(problems):
    diag = only(problems({"s.yaml": GOOD + "\t  - id: b\n"}), "yaml")
    assert "(a tab)" in diag.message and diag.hint == "indent with spaces, not tabs"


def test_missing_field(problems):
    diag = only(problems({"s.yaml": GOOD.replace("    title: A\n", "")}), "missing-field")
    assert "'title'" in diag.message and diag.pos.line == 2


def test_unknown_field_suggests(problems):
    diag = only(problems({"s.yaml": GOOD.replace("title: A", "titel: A")}), "unknown-field")
    assert diag.pos.line == 3 and "title" in diag.hint


def test_wrong_type(problems):
    diag = only(problems({"s.yaml": GOOD.replace("title: A", "title: [A, B]")}))
    assert "text" in diag.message and diag.pos.line == 3


def test_unknown_target_scene_suggests(problems):
    diag = only(problems({"s.yaml": GOOD.replace("to: end", "to: ende")}), "missing-scene")
    assert diag.pos.line == 7 and "'end'" in diag.hint


def test_unknown_variable_in_condition(problems):
    text = GOOD.replace("        to: end\n", "        to: end\n        if: \"m > 1\"\n")
    diag = only(problems({"s.yaml": text}), "unknown-variable")
    assert diag.pos.line == 8 and diag.pos.col == 14 and "unknown variable 'm'" in diag.message


def test_unknown_variable_in_effect(problems):
    text = GOOD.replace("        to: end\n", "        to: end\n        effects: {add: {nn: 1}}\n")
    diag = only(problems({"s.yaml": text}), "unknown-variable")
    assert diag.pos.line == 8 and "'n'" in diag.hint


def test_bad_expression_is_a_load_error(problems):
    text = GOOD.replace("        to: end\n", "        to: end\n        if: \"n.__class__\"\n")
    diag = only(problems({"s.yaml": text}), "expression")
    assert "attribute" in diag.message


def test_interpolation_may_only_name_variables(problems):
    diag = only(problems({"s.yaml": GOOD.replace("text: Hello.", "text: \"Hi {n.__class__}\"")}), "interpolation")
    assert diag.pos.line == 4
    diag = only(problems({"s.yaml": GOOD.replace("text: Hello.", "text: \"Hi {nn}\"")}), "unknown-variable")
    assert "{n}" in diag.hint


def test_duplicate_id_across_files(problems):
    second = "scenes:\n  - id: a\n    title: Again\n    text: x\n    choices: [{label: go, to: end}]\n"
    diag = only(problems({"s.yaml": GOOD, "t.yaml": second}), "duplicate-id")
    assert diag.pos.path.endswith("t.yaml") and diag.pos.line == 2 and "s.yaml:2" in diag.message


def test_duplicate_key_in_a_mapping(problems):
    diag = only(problems({"s.yaml": GOOD.replace("    title: A\n", "    title: A\n    title: B\n")}),
                "duplicate-key")
    assert diag.pos.line == 4 and "line 3" in diag.message


def test_yaml11_boolean_surprise(problems):
    diag = only(problems({"s.yaml": GOOD.replace("label: Go", "label: No")}), "yaml-bool")
    assert diag.pos.line == 6 and '"No"' in diag.hint


def test_aliases_are_rejected(problems):
    text = GOOD.replace("title: A", "title: &t A").replace("title: End", "title: *t")
    only(problems({"s.yaml": text}), "yaml-alias")


def test_an_alias_bomb_is_one_alias_error(problems):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    only(problems({"s.yaml": GOOD, "bomb.yaml": bomb}))


def test_object_tags_are_rejected(problems):
    text = GOOD.replace("title: A", "title: !!python/object/apply:os.system [echo hacked]")
    diag = only(problems({"s.yaml": text}), "yaml-tag")
    assert diag.pos.line == 3


def test_deep_nesting_is_rejected(problems):
    only(problems({"s.yaml": GOOD, "deep.yaml": "x: " + "[" * 5000 + "]" * 5000 + "\n"}))


def test_missing_start_scene(problems, make_story):
    from conftest import STORY_YAML

    diag = only(problems({"s.yaml": GOOD}, STORY_YAML.replace("start: a", "start: b")), "missing-start")
    assert diag.pos.path.endswith("story.yaml") and diag.pos.line == 4


def test_router_without_default(problems):
    router = "scenes:\n  - id: r\n    route:\n      - if: \"n > 1\"\n        to: end\n"
    only(problems({"s.yaml": GOOD, "r.yaml": router}), "router-without-default")


def test_effect_type_mismatch(problems):
    text = GOOD.replace("        to: end\n", "        to: end\n        effects: {add: {flag: 1}}\n")
    diag = only(problems({"s.yaml": text}))
    assert "number variable" in diag.message


def test_background_may_not_leave_the_story(problems):
    text = GOOD.replace("title: A", "title: A\n    background: ../../etc/passwd")
    only(problems({"s.yaml": text}), "unsafe-path")


def test_all_problems_are_listed_not_just_the_first(problems):
    text = GOOD.replace("to: end", "to: nowhere").replace("title: A", "titel: A")
    found = [d for d in problems({"s.yaml": text}) if d.severity == "error"]
    assert {"missing-scene", "unknown-field"} <= {d.code for d in found}


def test_load_story_raises_story_error_with_all_diagnostics(make_story):
    root = make_story({"s.yaml": GOOD.replace("to: end", "to: nowhere")})
    with pytest.raises(StoryError) as info:
        load_story(root)
    assert "missing-scene" in str(info.value)


def test_missing_folder(tmp_path: Path):
    with pytest.raises(StoryError) as info:
        load_story(tmp_path / "nope")
    assert "does not exist" in str(info.value)


def test_paragraphs_keep_their_lines(make_story):
    text = GOOD.replace("text: Hello.", "text: |\n      First.\n\n      Second.")
    story = load_story(make_story({"s.yaml": text}))
    first, second = story.scenes["a"].paragraphs
    assert (first.pos.line, second.pos.line) == (5, 7)


def test_a_paragraph_with_a_colon_gets_a_quoting_hint(problems):
    text = GOOD.replace("text: Hello.", "text:\n      - It was cold: very cold.\n      - Fine.")
    diag = only(problems({"s.yaml": text}), "yaml-colon")
    assert diag.pos.line == 5 and "quotes" in diag.hint



def test_a_background_name_too_long_for_the_system_is_a_missing_file(problems):
    long_name = "x" * 300 + ".png"  # longer than any file name the system allows
    found = problems({"s.yaml": GOOD.replace("    title: A\n", f"    title: A\n    background: {long_name}\n")})
    diag = only(found, "missing-asset")
    assert "does not exist" in diag.message and diag.pos.line == 2


def test_equal_literals_of_different_types_stay_apart(make_story):
    """Literal effect values are shared between uses; 1, 1.0 and true must not be taken for one another."""
    story = load_story(make_story({"s.yaml": """\
        scenes:
          - id: a
            title: A
            text: Go.
            choices:
              - {label: One, to: b, effects: {set: {n: 1, flag: true}}}
              - {label: Half, to: b, effects: {set: {n: 1.0}}}
              - {label: Zero, to: b, effects: {set: {n: -0.0}}}
              - {label: Again, to: b, effects: {set: {n: 0.0}}}
        endings:
          - {id: b, title: B, epilogue: E., state_took: x, could_not_take: y, novel: z, reflection: [q]}
        """}))
    one, half, zero, again = (c.effects for c in story.scenes["a"].choices)
    assert type(one[0].value.evaluate({}, {})) is int and type(one[1].value.evaluate({}, {})) is bool
    assert one[1].value.source == "True"
    assert type(half[0].value.evaluate({}, {})) is float
    assert one[0].value.source == "1" and half[0].value.source == "1.0"
    assert zero[0].value.source == "-0.0" and again[0].value.source == "0.0"
