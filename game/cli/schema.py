"""``kira schema``: print the JSON Schema of story files, or of assignment files with --assignment, for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.atomic import write_atomic
from game.authoring.schema import schema_text
from game.classroom.schema import schema_text as assignment_schema_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="write the schema to FILE instead of printing it (e.g. docs/story.schema.json)")
    parser.add_argument("--assignment", action="store_true",
                        help="the schema of assignment files instead (docs/assignment.schema.json)")


def run(args: argparse.Namespace) -> int:

    text = assignment_schema_text() if args.assignment else schema_text()
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
        print(f"Wrote {args.output}.", file=sys.stderr)
    return 0
