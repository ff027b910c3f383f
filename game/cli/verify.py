"""``kira verify FILE...``: replay submissions and say which are genuine."""

from __future__ import annotations

import argparse
from pathlib import Path

from game.classroom.verify import verify_file
from game.cli.common import add_story_arguments, load_or_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="submission files (.json)")
    add_story_arguments(parser)


def run(args: argparse.Namespace) -> int:

    story = load_or_report(args)
    if story is None:
        return 1
    verdicts = [verify_file(path, story) for path in args.files]
    for verdict in verdicts:
        print(verdict.line())
    bad = sum(not v.genuine for v in verdicts)
    print(f"{len(verdicts) - bad} genuine, {bad} not genuine.")
    return 1 if bad else 0
