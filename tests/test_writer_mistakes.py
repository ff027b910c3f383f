"""Mistakes writers make, each reported at its place with a fix; packs with their own variables; --watch."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SHIPPED

from game.authoring.check import check_and_lint
from game.authoring.lint import LOAD_CODES, RULES
from game.cli import main
from game.loader.story import check_story, load_story

SCENES = """\
scenes:
  - id: a
    title: The Yard
    text: A yard.
    choices:
      - {label: Onward, to: b, effects: {add: {n: 2}}}
      - {label: Stay, to: b}
  - id: b
    title: The Gate
    text: A gate.
    choices:
      - {label: Out, to: end}
endings:
  - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
"""


def found(root: Path, packs=()) -> list:
    return check_and_lint(root, packs)[1]


def only(diagnostics, code: str):
    (match,) = [d for d in diagnostics if d.code == code]
    return match


def test_a_missing_colon_is_reported_on_its_own_line(make_story):
    root = make_story({"s.yaml": SCENES.replace("    title: The Gate", "    title The Gate")})
    d = only(found(root), "yaml")
    assert (d.pos.line, d.pos.col) == (9, 5) and "':' after 'title'" in d.message
    assert "name: value" in d.hint


def test_a_syntax_error_holds_back_the_errors_it_causes_elsewhere(make_story):
    root = make_story({"s.yaml": SCENES.replace("  - id: b\n", "  - id: b\n\ttitle: x\n"),
                       "t.yaml": "scenes:\n  - id: c\n    title: C\n    text: c.\n    choices:\n"
                                 "      - {label: Go, to: b}\n"})
    problems = found(root)
    assert [d.code for d in problems if d.severity == "error"] == ["yaml"]
    assert "(a tab)" in problems[-1].message or any("tab" in d.hint for d in problems)
    held = only(problems, "held-back")
    assert "1 error(s)" in held.message and "s.yaml" in held.message


def test_a_single_equals_sign_gets_a_hint(make_story):
    root = make_story({"s.yaml": SCENES.replace("{label: Stay, to: b}", '{label: Stay, to: b, if: "n = 3"}')})
    d = only(found(root), "expression")
    assert d.pos.line == 7 and "'=='" in d.hint


def test_an_empty_label_is_an_error(make_story):
    root = make_story({"s.yaml": SCENES.replace("{label: Stay, to: b}", '{label: "", to: b}')})
    d = only(found(root), "empty-label")
    assert d.severity == "error" and d.pos.line == 7 and "blank button" in d.hint


def test_lint_warnings_come_with_load_errors(make_story):
    long_label = "Wait " * 40
    text = SCENES.replace("{label: Stay, to: b}", f"{{label: {long_label}, to: b}}")
    text = text.replace("{label: Out, to: end}", "{label: Out, to: ned}")
    problems = found(make_story({"s.yaml": text}))
    assert {d.code for d in problems} == {"missing-scene", "overlong-text"}
    assert check_story(make_story({"s.yaml": text}))[0] is None  # still not playable


def test_an_effect_past_the_range_is_a_warning_and_fails_strict(make_story, capsys):
    text = SCENES.replace("{add: {n: 2}}", "{add: {n: 8}}").replace("{label: Stay, to: b}",
                                                                     "{label: Stay, to: b, effects: {set: {n: 12}}}")
    root = make_story({"s.yaml": text})
    problems = [d for d in found(root) if d.code == "effect-out-of-range"]
    assert [d.pos.line for d in problems] == [6, 7]
    assert "always goes past its max 10" in problems[0].message and "it becomes 10" in problems[1].message
    assert main(["validate", str(root)]) == 0
    assert main(["validate", str(root), "--strict"]) == 1


def test_a_pack_that_redefines_a_scene_is_told_to_use_extend(make_story, tmp_path):
    root = make_story({"s.yaml": SCENES})
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "p.yaml").write_text("scenes:\n  - id: b\n    title: B again\n    text: x.\n    choices:\n"
                                 "      - {label: Out, to: end}\n")
    d = only(found(root, [pack]), "duplicate-id")
    assert "a pack cannot replace the story's scene 'b'" in d.message and "extend" in d.hint
    assert d.pos.path.endswith("p.yaml") and d.pos.line == 2


def test_a_pack_declares_its_own_variables_in_its_story_yaml(make_story, tmp_path):
    root = make_story({"s.yaml": SCENES})
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "story.yaml").write_text('title: The Roof\nvariables:\n  drawings: {default: 0, min: 0, max: 3, '
                                     'description: "Drawings kept"}\n')
    (pack / "p.yaml").write_text("extend:\n  - scene: b\n    choices:\n"
                                 "      - {label: Draw, to: roof, effects: {add: {drawings: 1}}}\n"
                                 "scenes:\n  - id: roof\n    title: Roof\n    text: You have {drawings}.\n"
                                 "    choices:\n      - {label: Down, to: end}\n")
    story = load_story(root, [pack])
    assert story.variables["drawings"].maximum == 3 and "roof" in story.scenes
    # a field a pack may not set is refused, never ignored
    (pack / "story.yaml").write_text("start: roof\nvariables: {}\n")
    d = only(found(root, [pack]), "pack-story")
    assert "cannot set 'start'" in d.message and d.pos.path.endswith("pack/story.yaml") and d.pos.line == 1


def test_the_declare_it_hint_names_the_pack_s_own_file(make_story, tmp_path):
    root = make_story({"s.yaml": SCENES})
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "p.yaml").write_text("extend:\n  - scene: b\n    choices:\n"
                                 "      - {label: Draw, to: end, effects: {add: {pictures: 1}}}\n")
    d = only(found(root, [pack]), "unknown-variable")
    assert "pack/story.yaml" in d.hint


def test_playing_a_broken_pack_names_the_pack(make_story, tmp_path, capsys):
    root = make_story({"s.yaml": SCENES})
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "p.yaml").write_text("extend:\n  - scene: b\n    choices:\n      - {label: Go, to: nowhere}\n")
    assert main(["explore", "--story", str(root), "--pack", str(pack)]) == 1
    err = capsys.readouterr().err
    assert "the pack in" in err and "pack cannot be played" not in err and "cannot be played" in err


def test_every_code_the_loader_gives_is_listed_and_documented(capsys):
    source = "".join(p.read_text() for p in (ROOT / "game" / "loader").glob("*.py"))
    codes = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source)) - {"we-the-living"}
    codes |= set(re.findall(r'code="([a-z-]+)"', source)) | set(re.findall(r'Diagnostic\("([a-z-]+)"', source))
    known = set(RULES) | set(LOAD_CODES)
    assert codes <= known, codes - known
    guide = (ROOT / "docs" / "AUTHORING.md").read_text()
    for rule in LOAD_CODES.values():
        assert f"| `{rule.id}` | {rule.severity} |" in guide, rule.id
    assert main(["validate", "--rules", "--format", "json"]) == 0
    assert {r["id"] for r in json.loads(capsys.readouterr().out)} == known


def test_the_shipped_story_and_pack_pass(capsys):
    assert main(["validate", str(SHIPPED), "--pack", str(ROOT / "story" / "packs" / "irina_sasha")]) == 0


def test_validate_watch_checks_again_when_a_file_changes(make_story):
    root = make_story({"s.yaml": SCENES})
    proc = subprocess.Popen([sys.executable, "-m", "game", "validate", str(root), "--watch"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=root.parent)
    try:
        lines: list[str] = []

        def read_until(text: str) -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                line = proc.stderr.readline()  # type: ignore[union-attr]
                lines.append(line)
                if text in line:
                    return
            pytest.fail(f"no {text!r} in {lines}")

        read_until("Watching")
        assert any("0 error(s)" in line for line in lines)
        time.sleep(0.5)
        (root / "s.yaml").write_text(SCENES.replace("to: end", "to: ned"))
        read_until("1 error(s)")
        assert any("did you mean 'end'" in line for line in lines)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_change_to_a_pack_s_story_yaml_is_seen_through_the_story_cache(make_story, tmp_path):
    root = make_story({"s.yaml": SCENES})
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "p.yaml").write_text("extend:\n  - scene: b\n    choices:\n"
                                 "      - {label: Draw, to: end, effects: {add: {drawings: 1}}}\n")
    (pack / "story.yaml").write_text('variables:\n  drawings: {default: 0, min: 0, max: 3, description: "x"}\n')
    assert check_story(root, [pack])[0].variables["drawings"].maximum == 3
    (pack / "story.yaml").write_text('variables:\n  drawings: {default: 0, min: 0, max: 5, description: "x"}\n')
    assert check_story(root, [pack])[0].variables["drawings"].maximum == 5
