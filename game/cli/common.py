"""Helpers shared by commands: finding and loading the story, printing diagnostics."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from game.errors import Diagnostic, StoryError, relative_path

if TYPE_CHECKING:
    from game.runtime.model import Story

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


def load_or_report(args: argparse.Namespace) -> Story | None:
    """Load the story named by the arguments; print every error and return None on failure."""
    from game.loader.story import load_story  # the window draws its first frame before the loader is imported

    root = args.story or default_story_dir()
    try:
        return load_story(root, args.pack)
    except StoryError as exc:
        print_diagnostics(exc.diagnostics)
        errors = [d for d in exc.diagnostics if d.severity == "error"]
        print(f"{len(errors)} error(s): {broken_part(root, args.pack, errors)} cannot be played.", file=sys.stderr)
        return None


def broken_part(root: Path, packs: list[Path], errors) -> str:
    """Which folder the errors are in, as a writer would name it: the pack(s) when all of them are in packs."""
    shown = {pack: relative_path(pack) for pack in packs}
    guilty = [pack for pack, name in shown.items()
              if any(d.pos.path == name or d.pos.path.startswith(name + os.sep) for d in errors)]
    in_story = [d for d in errors if not any(d.pos.path == n or d.pos.path.startswith(n + os.sep)
                                            for n in shown.values())]
    if guilty and not in_story:
        names = " and ".join(f"the pack in {shown[p]}" for p in guilty)
        return f"{names} (with the story in {root})"
    return f"the story in {root}"


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diag in sorted(diagnostics, key=lambda d: (d.pos, d.code)):
        print(diag.format(), file=sys.stderr)
