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


MEMORY_LIMIT = 1 << 31  # 2 GB of address space: a regression fails here instead of taking the machine


def _bounded() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate(root: Path, *more: str) -> subprocess.CompletedProcess:
    """``kira validate`` in a child with bounded memory and time (the story cache is on, in a temporary folder)."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "validate", str(root), *more], capture_output=True,
                          text=True, timeout=30, env=env, cwd=root.parent,
                          preexec_fn=_bounded if os.name == "posix" else None)


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


# -- names that are not story files: generated variants --------------------------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero_link(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _urandom_link(path: Path) -> None:
    path.symlink_to("/dev/urandom")


def _sparse(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(4 << 30)  # 4 GB that take no disk space


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.yaml")


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


OUTSIDE = "outside the story folder"
NOT_FILES = {"fifo": (_fifo, ("FIFO",)), "dev-zero": (_zero_link, ("device", OUTSIDE)),
             "dev-urandom": (_urandom_link, ("device", OUTSIDE)), "sparse-4GB": (_sparse, ("limit",)),
             "dangling-link": (_dangling, ("cannot read", "No such file")),
             "link-loop": (_loop, ("loop",))}


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and device files are POSIX")
@pytest.mark.parametrize("name", ["story.yaml", "scenes.yaml", "deep/er/scenes.yml"])
@pytest.mark.parametrize("kind", NOT_FILES)
def test_names_that_are_not_regular_files_are_refused_fast(tmp_path, kind, name):
    """Each is refused with the file's name before a byte is read, with the story cache on (it hashes files)."""
    make_it, words = NOT_FILES[kind]
    root = make(tmp_path, {"s.yaml": SCENE})
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    make_it(target)
    result = validate(root)
    rejected(result, Path(name).name)
    assert any(word in result.stderr for word in words), result.stderr


def test_the_same_is_refused_in_a_scene_pack(tmp_path):
    root = make(tmp_path, {"s.yaml": SCENE})
    pack = tmp_path / "pack"
    pack.mkdir()
    os.mkfifo(pack / "more.yaml")
    result = validate(root, "--pack", str(pack))
    rejected(result, "more.yaml")
    assert "FIFO" in result.stderr


@pytest.mark.parametrize("depth", [17, 1200])
def test_deeply_nested_folders_are_a_clear_error(tmp_path, depth):
    root = make(tmp_path, {"s.yaml": SCENE})
    folder = str(root)
    for _ in range(depth):  # one by one: pathlib's mkdir(parents=True) itself recurses once per level
        folder += "/d"
        os.mkdir(folder)
    with open(folder + "/x.yaml", "w") as handle:
        handle.write("scenes: []\n")
    try:
        result = validate(root)
    finally:  # pytest's own clean-up recurses once per level too
        os.unlink(folder + "/x.yaml")
        while folder != str(root):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
    rejected(result, "d/d/d")
    assert "nest deeper" in result.stderr


NUL_PLACES = {"start": b"\0" + SCENE.encode(), "in a key": SCENE.encode().replace(b"title: A", b"ti\0tle: A"),
              "in text": SCENE.encode().replace(b"Hello.", b"Hel\0lo."), "at the end": SCENE.encode() + b"\0"}


@pytest.mark.parametrize("place", NUL_PLACES)
def test_nul_bytes_are_located(tmp_path, place):
    data = NUL_PLACES[place]
    line = data[:data.index(b"\0")].count(b"\n") + 1
    result = validate(make(tmp_path, {"s.yaml": data}))
    rejected(result, f"s.yaml:{line}:")
    assert "NUL" in result.stderr


BAD_UTF8 = [b"\xe9", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]


@pytest.mark.parametrize("bad", BAD_UTF8)
@pytest.mark.parametrize("where", ["title: A", "text: Hello.", "reflection: [q1, q2]"])
def test_invalid_utf8_is_located(tmp_path, bad, where):
    data = SCENE.encode().replace(where.encode(), where.encode() + b" " + bad if where != "reflection: [q1, q2]"
                                  else b"reflection: [q1, q2" + bad + b"]")
    line = data[:data.index(bad)].count(b"\n") + 1
    result = validate(make(tmp_path, {"s.yaml": data}))
    rejected(result, f"s.yaml:{line}:")
    assert "UTF-8" in result.stderr


# Escape sequences a terminal acts on, written as YAML escapes in quoted text, in every kind of text field.
ESCAPES = {"title": r"\e]0;pwned\a", "clear": r"\e[2J", "osc8-link": r"\e]8;;http://x.invalid\e\\click\e]8;;\e\\",
           "csi-c1": r"\x9b31m", "bell": r"\a", "backspace": r"\b\b\b", "cr": r"over\rwrite", "del": r"\x7f"}
TEXT_FIELDS = {"title": ("title: A", "title: \"A{}\""), "text": ("text: Hello.", "text: \"Hello{}\""),
               "label": ("label: Go", "label: \"Go{}\""), "epilogue": ("epilogue: e", "epilogue: \"e{}\"")}


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_terminal_escape_sequences_in_story_text_are_refused(tmp_path, escape, field):
    old, new = TEXT_FIELDS[field]
    attack = SCENE.replace(old, new.format(ESCAPES[escape]))
    line = attack[:attack.index(new.format(ESCAPES[escape]))].count("\n") + 1
    result = validate(make(tmp_path, {"s.yaml": attack}))
    rejected(result, f"s.yaml:{line}:")
    assert "control character" in result.stderr


@pytest.mark.parametrize("key", ["title", "author", "content_note"])
def test_escape_sequences_in_story_yaml_are_refused(tmp_path, key):
    root = make(tmp_path, {"s.yaml": SCENE})
    text = STORY.replace(f"{key}: ", f"{key}: \"\\e[2J\\e]0;x\\a\" # ", 1)
    (root / "story.yaml").write_text(text)
    rejected(validate(root), "story.yaml:")


# -- stories that fail while played: generated variants ---------------------------------------------

PLAY_STORY = """\
id: p
title: P
author: A
start: {start}
content_note: none
variables:
  n: {{default: 0, description: "a number"}}
  big: {{default: 900000000000, description: "a big number"}}
"""
PLAY_SCENES = """\
scenes:
  - id: gate
    title: Gate
    route:
      - if: "{route}"
        to: a
    default: a
  - id: a
    title: A
    text:
      - Plain.
      - if: "{paragraph}"
        text: Shown.
    choices:
      - label: Go
        to: b
        if: "{choice}"
        effects: {{{effect}}}
  - id: b
    title: B
    text: Later.
    choices:
      - label: Loop
        to: loop1
      - label: End
        to: end
  - id: loop1
    title: L1
    route: []
    default: loop2
  - id: loop2
    title: L2
    route: []
    default: {loop_back}
endings:
  - id: end
    title: End
    epilogue: e
    state_took: s
    could_not_take: c
    novel: n
    reflection: [q1, q2]
"""
FAILURES = {"division": "1 / n > 0", "growth": "big * big * big > 0", "mixed": "n / (n - n) == 1"}
SITES = ("route", "paragraph", "choice", "effect")


def play_cli(root: Path, choices: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT), "SDL_VIDEODRIVER": "dummy"}
    args = [sys.executable, str(ROOT / "main.py"), "play", "--story", str(root)]
    args += ["--choices", choices] if stdin is None else []
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env, cwd=root.parent, input=stdin,
                          preexec_fn=_bounded if os.name == "posix" else None)


def _play_story(tmp_path: Path, site: str = "", failure: str = "true", start: str = "gate",
                loop_back: str = "loop1") -> Path:
    fill = {"route": "n == 0", "paragraph": "n == 0", "choice": "n == 0", "effect": "set: {n: 1}"}
    if site == "effect":
        fill["effect"] = "set: {n: \"" + failure.split(" > ")[0].split(" == ")[0] + "\"}"
    elif site:
        fill[site] = failure
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(PLAY_STORY.format(start=start))
    (root / "s.yaml").write_text(PLAY_SCENES.format(loop_back=loop_back, **fill))
    return root


def _line_of(root: Path, needle: str) -> int:
    lines = (root / "s.yaml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("site", SITES)
def test_a_story_failing_in_play_is_a_located_message(tmp_path, site, failure):
    root = _play_story(tmp_path, site, FAILURES[failure])
    for result in (play_cli(root, "1,1"), play_cli(root, "", stdin="1\n1\nq\n")):
        output = result.stdout + result.stderr
        assert "Traceback" not in output, output
        assert "could not go on" in output, output
        assert f"s.yaml:{_line_of(root, FAILURES[failure].split(' > ')[0].split(' == ')[0])}:" in output, output


@pytest.mark.parametrize("start", ["gate", "loop1"])
def test_a_router_loop_is_a_located_message(tmp_path, start):
    root = _play_story(tmp_path, start=start)
    for result in (play_cli(root, "1,1"), play_cli(root, "", stdin="1\n1\nq\n")):
        output = result.stdout + result.stderr
        assert "Traceback" not in output, output
        assert "could not go on" in output and "loop" in output, output
        assert "s.yaml:" in output


@pytest.mark.parametrize("op,amount", [("add", "big"), ("add", "900000000000"), ("subtract", "0 - big")])
def test_add_and_subtract_are_bounded_like_set(tmp_path, op, amount):
    root = _play_story(tmp_path)
    text = (root / "s.yaml").read_text().replace("effects: {set: {n: 1}}", f"effects: {{{op}: {{big: \"{amount}\"}}}}")
    if op == "subtract":
        text = text.replace("default: 900000000000", "default: -900000000000")
        (root / "story.yaml").write_text((root / "story.yaml").read_text().replace("900000000000", "-900000000000"))
    (root / "s.yaml").write_text(text)
    result = play_cli(root, "1")
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "could not go on" in output and "too large" in output, output


NOT_NUMBERS = [".inf", "-.inf", ".nan", ".NaN", "1.0e+400", "10000000000000"]


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("where", ["default", "min", "max", "set", "add"])
def test_infinite_nan_and_huge_numbers_are_refused_at_load(tmp_path, value, where):
    root = _play_story(tmp_path)
    story, scenes = (root / "story.yaml").read_text(), (root / "s.yaml").read_text()
    if where in ("default", "min", "max"):
        field = {"default": f"default: {value}", "min": f"default: 0, min: {value}",
                 "max": f"default: 0, max: {value}"}[where]
        story = story.replace("default: 0", field)
        line = "story.yaml:7:"
    else:
        scenes = scenes.replace("effects: {set: {n: 1}}", f"effects: {{{where}: {{n: {value}}}}}")
        line = f"s.yaml:{_line_of(root, 'effects:')}:"
    (root / "story.yaml").write_text(story)
    (root / "s.yaml").write_text(scenes)
    result = validate(root)
    rejected(result, line)


# -- students' submissions and other JSON from strangers --------------------------------------------

SUBMISSIONS = {
    "fifo": lambda path: os.mkfifo(path),
    "dev-zero": lambda path: path.symlink_to("/dev/zero"),
    "sparse-4GB": _sparse,
    "deep": lambda path: path.write_text("[" * 200_000 + "]" * 200_000),
    "deep-in-object": lambda path: path.write_text('{"kind": "we-the-living-submission", "x": ' + "[" * 5000
                                                   + "]" * 5000 + "}"),
    "nan": lambda path: path.write_text('{"kind": "we-the-living-submission", "seed": NaN}'),
    "latin-1": lambda path: path.write_bytes(b'{"student": "Ren\xe9"}'),
}


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and device files are POSIX")
@pytest.mark.parametrize("kind", SUBMISSIONS)
def test_kira_verify_reports_a_hostile_submission_and_goes_on(tmp_path, kind):
    bad = tmp_path / "bad.json"
    SUBMISSIONS[kind](bad)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify", "--story",
                             str(ROOT / "tests" / "fixtures" / "tiny"), str(bad)], capture_output=True, text=True,
                            timeout=30, env=env, preexec_fn=_bounded)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "bad.json" in output, output
    assert result.returncode != 0


def test_the_exhaustive_explorer_reports_a_number_that_keeps_growing(tmp_path):
    """'add: {big: big}' on a loop doubled a number without end; now it stops at the bound with a located error."""
    root = _play_story(tmp_path)
    old = "        to: b\n        if: \"n == 0\"\n        effects: {set: {n: 1}}"
    text = (root / "s.yaml").read_text().replace(old, "        to: a\n        effects: {add: {big: \"big\"}}")
    (root / "s.yaml").write_text(text.replace("      - label: Go\n", "      - label: End\n        to: end\n"
                                              "      - label: Go\n"))
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "explore", "--story", str(root), "--exhaustive"],
                            capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path, preexec_fn=_bounded)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "grew too large" in output and "s.yaml:" in output, output
