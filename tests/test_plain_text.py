"""Story text on a terminal: escape sequences and control characters never reach it, markup is never parsed."""

from __future__ import annotations

import dataclasses
import io

import pytest
from conftest import FIXTURES
from rich.console import Console

from game.loader.story import load_story
from game.ui.plain_text import choice_number, plain
from game.ui.terminal import TerminalPlayer

# What a hostile string could carry: each must vanish whole, leaving the words around it.
SEQUENCES = {
    "window title (OSC 0, BEL)": "\x1b]0;pwned\x07",
    "window title (OSC 2, ST)": "\x1b]2;pwned\x1b\\",
    "hyperlink (OSC 8)": "\x1b]8;;http://x.invalid\x1b\\",
    "clear screen": "\x1b[2J",
    "cursor home": "\x1b[H",
    "colour": "\x1b[31;1m",
    "private mode": "\x1b[?1049h",
    "C1 CSI": "\x9b31m",
    "C1 OSC": "\x9d0;pwned\x9c",
    "DCS": "\x1bPq#0;2;0;0;0\x1b\\",
    "keypad mode": "\x1b=",
    "bell": "\x07",
    "backspaces": "\x08\x08\x08",
    "carriage return": "\r",
    "DEL": "\x7f",
    "NUL": "\x00",
    "right-to-left override": "\u202e",
    "isolate": "\u2066",
}


@pytest.mark.parametrize("name", SEQUENCES)
def test_escape_sequences_vanish_whole(name):
    shown = plain(f"before{SEQUENCES[name]}after")
    assert shown == "beforeafter"


@pytest.mark.parametrize("tail", ["\x1b", "\x1b]0;pwned", "\x1b[", "\x9b"])
def test_a_sequence_cut_off_at_the_end_vanishes(tail):
    assert plain(f"before{tail}") == "before"


def test_ordinary_text_is_unchanged():
    text = "Kira says: «Нет!»\n\tHe left — [/x] and [bold]x[/bold] stay as written. ²"
    assert plain(text) == text


@pytest.mark.parametrize("entry,number", [("1", 1), ("12", 12), ("²", None), ("١", None), ("5" * 5000, None),
                                          ("", None), ("-1", None), ("1.0", None)])
def test_choice_numbers_are_ascii_digits_of_a_sensible_size(entry, number):
    assert choice_number(entry) == number


def _transcript(story, script=None, stdin=()) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, color_system=None, force_terminal=False, width=100, highlight=False)
    lines = iter(stdin)
    player = TerminalPlayer(story, console=console, script=script, read_line=lambda: next(lines, None))
    player.run()
    return buffer.getvalue()


def test_hostile_text_that_passed_an_older_loader_is_shown_as_text():
    """A story whose fields hold escape sequences and markup (as an older engine let through) prints plainly."""
    story = load_story(FIXTURES / "tiny")
    attack = "".join(SEQUENCES.values())
    scenes = {sid: dataclasses.replace(scene, title=f"{scene.title}{attack}[/x]")
              for sid, scene in story.scenes.items()}
    story = dataclasses.replace(story, title=f"T{attack}[red]", content_note=f"[/x] note {attack}",
                                scenes=scenes)
    out = _transcript(story, script=[1, 1])
    assert "[/x] note" in out and "The end:" in out
    assert not any(ch in out for ch in "\x1b\x07\x08\x7f\x9b\x9d\x00\u202e")


@pytest.mark.parametrize("entry", ["²", "5" * 5000, "٣", "𝟙"])
def test_odd_numbers_at_the_prompt_are_a_clear_message(entry):
    story = load_story(FIXTURES / "tiny")
    out = _transcript(story, stdin=[entry, "q"])
    assert "digits 0-9" in out
