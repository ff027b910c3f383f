"""Property and fuzz tests: generated stories, mutated story files, exact round-trips."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

from conftest import FIXTURES, SHIPPED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.errors import PlayError, StoryError
from game.loader.story import check_story, load_story
from game.runtime.playthrough import Playthrough
from game.session.saves import SaveStore

SLOW = bool(os.environ.get("KIRA_SLOW_TESTS"))
EXAMPLES = 400 if SLOW else 40
COMMON = dict(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

HEADER = """\
id: gen
title: Generated
author: Hypothesis
start: s0
content_note: none
variables:
  a: {default: 5, min: 0, max: 10, description: "a number"}
  f: {default: false, description: "a flag"}
"""


@st.composite
def stories(draw):
    """YAML text of a well-formed story: scenes s0..sN, each choice leads forward or to an ending."""
    count = draw(st.integers(1, 12))
    lines = ["scenes:"]
    for i in range(count):
        lines += [f"  - id: s{i}", f"    title: Scene {i}", "    text: |", f"      Text {i} with {{a}}.",
                  "    choices:"]
        for k in range(draw(st.integers(1, 3))):
            target = f"s{draw(st.integers(i + 1, count))}" if i + 1 < count else "end"
            target = "end" if target == f"s{count}" else target
            lines += [f"      - label: Choice {k}", f"        to: {target}"]
            if draw(st.booleans()):
                op = draw(st.sampled_from(["add", "subtract", "set"]))
                value = draw(st.integers(-20, 20)) if op != "set" else draw(st.integers(0, 10))
                lines.append(f"        effects: {{{op}: {{a: {value}}}}}")
            if k > 0 and draw(st.booleans()):
                lines.append(f"        if: \"a >= {draw(st.integers(0, 12))} or f\"")
    lines += ["endings:", "  - id: end", "    title: End", "    epilogue: e", "    state_took: s",
              "    could_not_take: c", "    novel: n", "    reflection: [q1, q2]"]
    return "\n".join(lines) + "\n"


def write(root: Path, files: dict[str, str]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


@settings(**COMMON)
@given(text=stories(), seed=st.integers(0, 2**32))
def test_generated_stories_load_and_every_random_playthrough_ends(tmp_path, text, seed):
    story = load_story(write(tmp_path / "gen", {"story.yaml": HEADER, "scenes.yaml": text}))
    rng = random.Random(seed)
    play = Playthrough(story, seed=seed)
    while not play.is_over:
        options = play.choices()
        if not options:  # every choice guarded and none holds: a dead end, reported rather than crashing
            assert all(c.condition is not None for c in play.scene.choices)
            return
        play.choose(rng.randrange(len(options)))
    assert play.ending.id == "end"


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    kind = rng.randrange(5)
    if kind == 0 and text:
        i = rng.randrange(len(text))
        return text[:i] + rng.choice(" :-{['\"&*!|") + text[i + 1:]
    if kind == 1 and lines:
        del lines[rng.randrange(len(lines))]
    elif kind == 2 and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 3 and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i][2:] if lines[i].startswith("  ") else "  " + lines[i]
    elif lines:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def _story_sources() -> list[Path]:
    roots = [FIXTURES / "tiny"]
    if (SHIPPED / "part1").is_dir() and any(SHIPPED.rglob("*.yaml")):
        roots.append(SHIPPED)
    return roots


@settings(**COMMON)
@given(seed=st.integers(0, 2**32), source=st.sampled_from(_story_sources()))
def test_mutated_story_files_load_or_fail_with_story_error(tmp_path, seed, source):
    rng = random.Random(seed)
    target = tmp_path / "mut"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    files = sorted(target.rglob("*.yaml"))
    victim = rng.choice(files)
    victim.write_text(_mutate(victim.read_text(), rng))
    try:
        story, problems = check_story(target)
    except StoryError:
        return
    if story is not None:  # it still loads: it must also play
        play = Playthrough(story)
        for _ in range(200):
            if play.is_over or not play.choices():
                break
            try:
                play.choose(rng.randrange(len(play.choices())))
            except PlayError:
                break


@settings(**COMMON)
@given(picks=st.lists(st.integers(0, 5), max_size=10))
def test_playthrough_and_save_round_trips_are_exact(tmp_path, picks):
    story = load_story(FIXTURES / "tiny")
    play = Playthrough(story, seed=len(picks))
    for pick in picks:
        options = play.choices()
        if play.is_over or not options:
            break
        try:
            play.choose(pick % len(options))
        except PlayError:
            continue
    data = json.loads(json.dumps(play.to_dict()))
    assert Playthrough.from_dict(story, data).to_dict() == data
    store = SaveStore(story, tmp_path / "saves")
    store.save("1", play)
    assert store.load("1")[0].to_dict() == play.to_dict()


# -- saves with values of random types, story text with random control characters ------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Paths into a save: the top level, the playthrough, a step, the variables and the visits.
SAVE_PATHS = st.sampled_from([
    ("kind",), ("version",), ("saved_at",), ("scene_title",), ("chapter_title",), ("extra",), ("origin",),
    ("playthrough",), ("playthrough", "format"), ("playthrough", "story"), ("playthrough", "seed"),
    ("playthrough", "start"), ("playthrough", "scene"), ("playthrough", "chapter"), ("playthrough", "steps"),
    ("playthrough", "variables"), ("playthrough", "visits"), ("playthrough", "ending"),
    ("playthrough", "steps", 0), ("playthrough", "steps", 0, "scene"), ("playthrough", "steps", 0, "choice"),
    ("playthrough", "steps", 0, "novel"), ("playthrough", "variables", "courage"),
    ("playthrough", "variables", "brave"), ("playthrough", "variables", "coins"),
    ("playthrough", "visits", "hall"), ("extra", "answers"),
])


@settings(**COMMON)
@given(changes=st.lists(st.tuples(SAVE_PATHS, JSON_VALUES), min_size=1, max_size=4))
def test_a_save_with_random_types_is_listed_as_damaged_or_loads(tmp_path, changes):
    """Whatever a save file holds, the slot list works, and loading either plays on or says why it cannot."""
    from game.errors import CorruptSave, SaveMismatch

    story = load_story(FIXTURES / "tiny")
    store = SaveStore(story, tmp_path / "saves")
    play = Playthrough(story)
    play.choose(0)
    store.save("1", play)
    store.save("2", play)
    data = json.loads(store.path("1").read_text())
    for path, value in changes:
        target = data
        for key in path[:-1]:
            target = target[key] if isinstance(target, dict) and key in target else (
                target[key] if isinstance(target, list) and isinstance(key, int) and key < len(target) else None)
            if target is None:
                break
        if isinstance(target, dict) or (isinstance(target, list) and isinstance(path[-1], int) and target):
            target[path[-1] if isinstance(target, dict) else 0] = value
    store.path("1").write_text(json.dumps(data))
    info = next(s for s in store.slots() if s.slot == "1")
    try:
        loaded, _ = store.load("1")
    except (CorruptSave, SaveMismatch) as exc:
        assert info.error or "no longer exists" in str(exc)
    else:
        assert not info.error
        loaded.text()
        loaded.all_choices()
        json.dumps(loaded.to_dict())
    assert store.load("2")[0].scene_id == "yard"


CONTROL_PIECES = st.sampled_from([chr(c) for c in (*range(0, 32), 127, *range(0x80, 0xA0), 0x202E, 0x2066)]
                                 + ["\x1b[2J", "\x1b]0;x\x07", "\x1b]8;;http://x.invalid\x1b\\", "\x9b31m"])
CONTROL_TEXT = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6) | CONTROL_PIECES,
                        min_size=1, max_size=12).map("".join)


@settings(**COMMON)
@given(text=CONTROL_TEXT)
def test_plain_text_never_carries_a_control_character(text):
    from game.ui.plain_text import plain

    shown = plain(text)
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0 or c in "\u202a\u202b\u202c\u202d"
                   "\u202e\u2066\u2067\u2068\u2069" for c in shown)
    assert plain(shown) == shown


@settings(**COMMON)
@given(text=CONTROL_TEXT)
def test_story_text_with_control_characters_is_refused_at_its_line_or_shown_plainly(tmp_path, text):
    """Random characters in a quoted scene text: the loader names the line, or the terminal shows plain text."""
    import io

    from rich.console import Console

    from game.ui.plain_text import plain
    from game.ui.terminal import TerminalPlayer

    quoted = json.dumps(text)  # a JSON string is a YAML double-quoted string
    scenes = ("scenes:\n  - id: s0\n    title: S\n    text: " + quoted + "\n    choices:\n"
              "      - {label: Go, to: end}\n"
              "endings:\n  - id: end\n    title: End\n    epilogue: e\n    state_took: s\n"
              "    could_not_take: c\n    novel: n\n    reflection: [q1, q2]\n")
    root = write(tmp_path / "story", {"story.yaml": HEADER, "s.yaml": scenes})
    story, problems = check_story(root, use_cache=False)
    if story is None:
        errors = [d for d in problems if d.severity == "error"]
        assert errors and all(d.pos.line for d in errors), [d.format() for d in errors]
        return
    buffer = io.StringIO()
    console = Console(file=buffer, color_system=None, force_terminal=False, width=100)
    TerminalPlayer(story, console=console, script=[1]).run()
    out = buffer.getvalue()
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert plain(out) == out or set(out) - set(plain(out)) <= {"\r"}
