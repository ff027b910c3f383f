"""``kira play``: the game, in a window or in the terminal."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.cli.common import add_story_arguments, default_story_dir, load_or_report
from game.loader.front import Signature, keep_front, read_front, signature

if TYPE_CHECKING:
    from game.runtime.model import Story


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_story_arguments(parser)
    parser.add_argument("--ui", choices=("auto", "terminal", "pygame"), default="auto",
                        help="front end (default: a window when there is a display, else the terminal)")
    parser.add_argument("--seed", type=int, default=0, help="seed recorded with the playthrough")
    parser.add_argument("--choices", type=_choice_list, default=None, metavar="1,2,1",
                        help="play these choice numbers without asking, then stop")
    parser.add_argument("--record", type=Path, default=None, metavar="FILE",
                        help="write the playthrough as JSON when play stops")
    parser.add_argument("--plain", action="store_true",
                        help="terminal only: plain lines, no box rules or padding (for screen readers; "
                             "the default when the output is not a terminal)")
    parser.add_argument("--screenshot-dir", type=Path, default=None, metavar="DIR",
                        help="game window only: save a PNG of every screen shown (with --choices: "
                             "play that path, photograph it, and quit)")
    group = parser.add_argument_group("assignments (see docs/TEACHING.md)")
    group.add_argument("--assignment", type=Path, default=None, metavar="FILE",
                       help="play an assignment: its instructions and questions, then write a submission")
    group.add_argument("--student", default=None, help="the student's name (asked at the start when missing)")
    group.add_argument("--answers", type=Path, default=None, metavar="FILE",
                       help="answers to the questions (YAML: question id -> answer), for scripted runs")
    group.add_argument("--out", type=Path, default=None, metavar="FILE",
                       help="where to write the submission (default: <student>.submission.json)")
    group.add_argument("--replace", action="store_true",
                       help="write over a submission already at --out (otherwise the game asks, or a script stops)")


def _choice_list(text: str) -> list[int]:
    try:
        numbers = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise argparse.ArgumentTypeError("choices are numbers separated by commas, e.g. 1,2,1") from None
    return numbers


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def pick_ui(requested: str) -> tuple[str, str]:
    """The front end to use, and a line saying why when it is not the one asked for."""
    if requested == "terminal":
        return "terminal", ""
    # SDL's dummy driver draws off screen: fine when the window is asked for (tests, screenshots),
    # but "auto" means a window the player can see.
    if requested == "auto" and not has_display():
        return "terminal", "No display found, so the story plays in the terminal."
    if not (has_display() or os.environ.get("SDL_VIDEODRIVER") == "dummy"):
        return "terminal", "No display found, so the story plays in the terminal."
    try:
        from game.ui.window import run_window  # noqa: F401  (absent from a terminal-only installation)
    except ImportError:
        if requested == "pygame":
            return "terminal", "The game window is not available in this installation; playing in the terminal."
        return "terminal", ""
    return "pygame", ""


def run(args: argparse.Namespace) -> int:
    ui, why = pick_ui(args.ui)
    window = ui == "pygame" and args.assignment is None
    sign = signature(args.story or default_story_dir(), args.pack) if window else None
    front = read_front(sign)
    if front is not None:  # the title is drawn at once, and the story loaded right after it
        from game.ui.window import run_window_first

        return run_window_first(front, args, lambda: _load_and_keep(args, sign))
    story = _load_and_keep(args, sign) if window else load_or_report(args)
    if story is None:
        return 1
    if why:
        print(why, file=sys.stderr)
    if args.assignment is not None and ui != "pygame":
        from game.cli.assignment_play import run_assignment

        return run_assignment(story, args)
    if ui == "pygame":
        from game.ui.window import run_window

        return int(run_window(story, args) or 0)
    from game.cli.play_terminal import run_terminal

    return run_terminal(story, args)


def _load_and_keep(args: argparse.Namespace, sign: Signature | None) -> Story | None:
    """Load the story (printing its errors) and keep its front matter for the window's next start."""
    story = load_or_report(args)
    if story is not None:
        keep_front(sign, story)
    return story
