"""kira schema: the committed schema is the generated one, and every shipped story file passes it."""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from game.authoring.schema import build_schema, schema_text
from game.cli import main
from game.loader import reader as loader
from game.loader.files import PLAN_SUFFIXES

jsonschema = pytest.importorskip("jsonschema")

COMMITTED = ROOT / "docs" / "story.schema.json"
STORY_FILES = sorted(p for p in (ROOT / "story").rglob("*.yaml") if not p.name.endswith(PLAN_SUFFIXES))


def plain(path: Path):
    """A story file as an editor's YAML server sees it: dates stay text."""
    def fix(value):
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value.isoformat() if isinstance(value, datetime.date) else value
    return fix(yaml.safe_load(path.read_text()))


@pytest.fixture(scope="module")
def validator():
    schema = build_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_is_what_kira_schema_prints(capsys, tmp_path):
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == schema_text() == COMMITTED.read_text(), "run: kira schema -o docs/story.schema.json"
    assert main(["schema", "-o", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text())["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize("path", STORY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_story_file_passes_and_points_at_the_schema(validator, path):
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(plain(path))]
    assert errors == []
    first = path.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("=", 1)[1]).resolve() == COMMITTED.resolve()


def test_every_field_the_loader_knows_is_in_the_schema():
    defs = build_schema()["$defs"]
    tables = {"story": loader.STORY_KEYS, "variable": loader.VARIABLE_KEYS, "items": loader.FILE_KEYS,
              "chapter": loader.CHAPTER_KEYS, "ending": loader.ENDING_KEYS, "choice": loader.CHOICE_KEYS,
              "effects": loader.EFFECT_OPS, "codex": loader.CODEX_KEYS}
    for name, keys in tables.items():
        assert list(defs[name]["properties"]) == list(keys)
        assert all(p["description"] for p in defs[name]["properties"].values())
    assert set(loader.SCENE_KEYS) <= set(defs["scene"]["properties"])


@pytest.mark.parametrize("text, problem", [
    ("scenes:\n  - id: a\n    titel: A\n    text: x\n    choices: [{label: go, to: b}]\n", "titel"),
    ("scenes:\n  - id: a\n    title: A\n    text: x\n", "choices"),
    ("scenes:\n  - id: r\n    route: [{if: 'a > 1', to: b}]\n    text: x\n    default: b\n", "text"),
    ("scenes:\n  - id: a\n    title: A\n    text: x\n    choices: [{label: go, to: b, axis: left}]\n", "left"),
    ("codex:\n  - {id: c, kind: person, title: T, text: x}\n", "person"),
    ("id: s\ntitle: T\nauthor: A\nstart: a\n", "content_note"),
    ("scenes:\n  - id: a\n    title: yes\n    text: x\n    choices: [{label: go, to: b}]\n", "True"),
])
def test_mistakes_the_loader_rejects_are_flagged_by_the_schema_too(validator, tmp_path, text, problem):
    path = tmp_path / "f.yaml"
    path.write_text(textwrap.dedent(text))
    messages = " ".join(e.message for e in validator.iter_errors(plain(path)))
    assert problem in messages
