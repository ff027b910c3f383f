"""Story files from strangers: every attack gets a located error and exit status 1, and nothing runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

STORY = """\
id: h
title: H
author: A
start: a
content_note: none
variables:
  n: {default: 1, min: 0, max: 10, description: "a number"}
"""
SCENE = """\
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
    epilogue: e
    state_took: s
    could_not_take: c
    novel: n
    reflection: [q1, q2]
"""


def validate(root: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "validate", str(root)], capture_output=True,
                          text=True, timeout=30, env=env, cwd=root.parent)


def make(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(STORY)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def rejected(result: subprocess.CompletedProcess, where: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert where in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_object_constructing_tags_run_nothing(tmp_path):
    marker = tmp_path / "pwned"
    attack = SCENE.replace("title: A", f"title: !!python/object/apply:os.system ['touch {marker}']")
    result = validate(make(tmp_path, {"s.yaml": attack}))
    rejected(result, "s.yaml:3:12")
    assert "tag" in result.stderr and not marker.exists()


def test_billion_laughs_is_refused(tmp_path):
    lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 12)]
    result = validate(make(tmp_path, {"s.yaml": SCENE, "bomb.yaml": "\n".join(lines) + "\n"}))
    rejected(result, "bomb.yaml:")
    assert "alias" in result.stderr


@pytest.mark.parametrize("shape", ["flow", "dashes", "mappings", "mappings_moderate"])
def test_deep_nesting_cannot_exhaust_recursion(tmp_path, shape):
    depth = 100_000
    text = {
        "flow": "x: " + "[" * depth + "]" * depth + "\n",
        "dashes": "- " * depth + "x\n",
        "mappings": "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "v\n",
        "mappings_moderate": "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v\n",
    }[shape]
    result = validate(make(tmp_path, {"s.yaml": SCENE, "deep.yaml": text}))
    rejected(result, "deep.yaml")
    assert "nests deeper" in result.stderr


def test_oversized_file_is_refused(tmp_path):
    big = "scenes: []\n# " + "x" * 2_100_000 + "\n"
    result = validate(make(tmp_path, {"s.yaml": SCENE, "big.yaml": big}))
    rejected(result, "big.yaml")
    assert "limit" in result.stderr


@pytest.mark.parametrize("condition", [
    "n.__class__", "__import__('os').system('true')", "open('x')", "n[0]", "9 ** 9 ** 9",
    "getattr(n, 'real')", "1" * 40, "(lambda: 1)()",
])
def test_hostile_expressions_fail_at_load(tmp_path, condition):
    attack = SCENE.replace("        to: end\n", f"        to: end\n        if: \"{condition}\"\n")
    rejected(validate(make(tmp_path, {"s.yaml": attack})), "s.yaml:8:")


@pytest.mark.parametrize("text", ["{n.__class__}", "{__import__}", "{n * 9}", "{ {} }"])
def test_hostile_interpolation_fails_at_load(tmp_path, text):
    attack = SCENE.replace("text: Hello.", f"text: \"{text}\"")
    rejected(validate(make(tmp_path, {"s.yaml": attack})), "s.yaml:4:")


@pytest.mark.parametrize("background", ["../../../etc/passwd", "/etc/passwd", "missing/picture.png"])
def test_asset_paths_stay_inside_and_exist(tmp_path, background):
    attack = SCENE.replace("title: A", f"title: A\n    background: \"{background}\"")
    result = validate(make(tmp_path, {"s.yaml": attack}))
    rejected(result, "s.yaml:2:")


def test_symlinked_file_outside_the_story_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(SCENE.replace("id: a", "id: b").replace("id: end", "id: end2"))
    root = make(tmp_path, {"s.yaml": SCENE})
    (root / "link.yaml").symlink_to(outside)
    result = validate(root)
    rejected(result, "link.yaml")
    assert "outside the story folder" in result.stderr


def test_not_utf8_is_a_clear_error(tmp_path):
    rejected(validate(make(tmp_path, {"s.yaml": SCENE, "latin.yaml": "scenes: []\n# caf\xe9\n".encode("latin-1")})),
             "latin.yaml")
