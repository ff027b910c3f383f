"""kira schema --assignment: the committed schema is the generated one; shipped assignments pass it, mistakes fail."""

from __future__ import annotations

import pytest
import yaml
from conftest import FIXTURES, ROOT

from game.classroom.assignment import KEYS, QUESTION_KEYS
from game.classroom.rubric import CRITERION_KEYS
from game.classroom.schema import build_schema, schema_text
from game.cli import main

jsonschema = pytest.importorskip("jsonschema")

COMMITTED = ROOT / "docs" / "assignment.schema.json"
SHIPPED = [*sorted((ROOT / "classroom" / "examples").glob("*.yaml")), FIXTURES / "tiny_assignment.yaml"]


@pytest.fixture(scope="module")
def validator():
    schema = build_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator, data) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]


def test_the_committed_schema_is_what_kira_schema_prints(capsys):
    assert main(["schema", "--assignment"]) == 0
    assert capsys.readouterr().out == schema_text() == COMMITTED.read_text(), \
        "run: kira schema --assignment -o docs/assignment.schema.json"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_assignments_pass(validator, path):
    assert errors(validator, yaml.safe_load(path.read_text())) == []


def test_the_example_points_at_the_schema():
    first = (ROOT / "classroom" / "examples" / "theme_essay.yaml").read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (ROOT / "classroom" / "examples" / first.split("=", 1)[1]).resolve() == COMMITTED.resolve()


def test_every_field_the_loader_knows_is_described():
    schema = build_schema()
    assert list(schema["properties"]) == list(KEYS)
    assert list(schema["$defs"]["question"]["properties"]) == list(QUESTION_KEYS)
    assert list(schema["$defs"]["criterion"]["properties"]) == list(CRITERION_KEYS)


def test_rubric_mistakes_are_flagged_in_the_editor_too(validator):
    data = yaml.safe_load((ROOT / "classroom" / "examples" / "theme_essay.yaml").read_text())
    data["rubric"][0]["points"] = 0
    data["rubric"][1]["pionts"] = 2
    data["questions"][0]["at"] = "chapter_end"
    del data["questions"][0]["chapter"]
    found = "\n".join(errors(validator, data))
    assert "rubric/0/points: 0 is less than the minimum of 1" in found
    assert "rubric/1: Additional properties are not allowed ('pionts' was unexpected)" in found
    assert "questions/0: 'chapter' is a required property" in found
