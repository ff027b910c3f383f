"""``kira schema``: print the JSON Schema of story files (or write it with -o), for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.atomic import write_atomic
from game.authoring.schema import schema_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="write the schema to FILE instead of printing it (e.g. docs/story.schema.json)")


def run(args: argparse.Namespace) -> int:

    text = schema_text()
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
        print(f"Wrote {args.output}.", file=sys.stderr)
    return 0
