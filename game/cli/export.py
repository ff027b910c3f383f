"""``kira export --twee``: the story as Twee 3 (SugarCube), to open in Twine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.atomic import write_atomic
from game.authoring.export import FORMAT, FORMAT_VERSION, to_twee
from game.cli.common import add_story_arguments, load_or_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_story_arguments(parser)
    parser.add_argument("--twee", dest="format", action="store_const", const="twee", default="twee",
                        help="Twee 3 in the SugarCube story format (the only format so far, and the default)")
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="where to write it, e.g. story.twee (default: to the screen)")


def run(args: argparse.Namespace) -> int:

    story = load_or_report(args)
    if story is None:
        return 1
    text = to_twee(story)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomic(args.output, text, shared=True)
    print(f"Wrote {len(story.scenes)} scenes as Twee 3 ({FORMAT} {FORMAT_VERSION}) to {args.output}. "
          "Import it in Twine with Library > Import; see docs/AUTHORING.md for what does not carry over.",
          file=sys.stderr)
    return 0
