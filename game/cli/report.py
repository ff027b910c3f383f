"""``kira report FILE... -o report.html``: the class report, gradebook CSV and xAPI statements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.atomic import write_atomic
from game.classroom.verify import verify_file
from game.cli.common import add_story_arguments, load_or_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="submission files (.json)")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.html"), help="the HTML report to write")
    parser.add_argument("--csv", type=Path, default=None, metavar="FILE", help="also write a gradebook CSV")
    parser.add_argument("--xapi", type=Path, default=None, metavar="FILE",
                        help="also write xAPI statements (JSON lines)")
    parser.add_argument("--salt", default="", help="a class secret mixed into the pseudonyms of xAPI actors")
    parser.add_argument("--title", default="", help="the report's title")
    add_story_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from game.classroom.report import gather, gradebook_csv, html_report, xapi_lines

    story = load_or_report(args)
    if story is None:
        return 1
    verdicts = [verify_file(path, story) for path in args.files]
    data = gather(story, verdicts)
    write_atomic(args.output, html_report(data, args.title), shared=True)
    written = [args.output]
    if args.csv:
        write_atomic(args.csv, gradebook_csv(data), shared=True)
        written.append(args.csv)
    if args.xapi:
        if not args.salt:
            print("warning: no --salt given; xAPI pseudonyms can be matched to names by anyone with the list",
                  file=sys.stderr)
        write_atomic(args.xapi, xapi_lines(data, args.salt), shared=True)
        written.append(args.xapi)
    bad = sum(not v.genuine for v in verdicts)
    print(f"Report of {len(verdicts)} submission(s) ({bad} not genuine): " + ", ".join(map(str, written)))
    return 0
