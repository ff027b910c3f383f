"""Helpers shared by commands: finding and loading the story, printing diagnostics."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from game.errors import StoryError
from game.loader.story import load_story

DEFAULT_STORY = Path(__file__).resolve().parent.parent.parent / "story" / "we_the_living"


def default_story_dir() -> Path:
    return Path(os.environ.get("KIRA_STORY", DEFAULT_STORY))


def add_story_arguments(parser: argparse.ArgumentParser, positional: bool = False) -> None:
    if positional:
        parser.add_argument("story", nargs="?", type=Path, default=None,
                            help="the story folder (default: the shipped story)")
    else:
        parser.add_argument("--story", type=Path, default=None, help="the story folder (default: the shipped story)")
    parser.add_argument("--pack", type=Path, action="append", default=[], metavar="DIR",
                        help="add a scene pack folder (may be given more than once)")


def load_or_report(args: argparse.Namespace):  # -> Story | None
    """Load the story named by the arguments; print every error and return None on failure."""

    root = args.story or default_story_dir()
    try:
        return load_story(root, args.pack)
    except StoryError as exc:
        print_diagnostics(exc.diagnostics)
        errors = sum(d.severity == "error" for d in exc.diagnostics)
        print(f"{errors} error(s): the story in {root} cannot be played.", file=sys.stderr)
        return None


def print_diagnostics(diagnostics) -> None:  # type: ignore[no-untyped-def]
    for diag in sorted(diagnostics, key=lambda d: (d.pos, d.code)):
        print(diag.format(), file=sys.stderr)
