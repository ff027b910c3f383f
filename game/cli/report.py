"""``kira report FILE... -o report.html``: the class report, gradebooks, a class dump and xAPI statements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.atomic import write_atomic
from game.classroom.classdump import dump_text
from game.classroom.gradebook import canvas_csv, google_classroom_csv
from game.cli.common import add_story_arguments
from game.cli.verify import add_class_arguments, check_class
from game.ui.plain_text import plain


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="submission files (.json), or class dumps (written by --dump or by the server; each "
                        "holds a whole class: its students, submissions and grades); transcripts are skipped")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.html"), help="the HTML report to write")
    parser.add_argument("--csv", type=Path, default=None, metavar="FILE",
                        help="also write a gradebook CSV for Moodle's grade import")
    parser.add_argument("--canvas", type=Path, default=None, metavar="FILE",
                        help="also write a gradebook CSV for Canvas's grade import")
    parser.add_argument("--google", type=Path, default=None, metavar="FILE",
                        help="also write a grade sheet (CSV) for Google Classroom")
    parser.add_argument("--dump", type=Path, default=None, metavar="FILE",
                        help="also write the whole class (students, submissions, grades) as one JSON file")
    parser.add_argument("--xapi", type=Path, default=None, metavar="FILE",
                        help="also write xAPI statements (JSON lines)")
    parser.add_argument("--salt", default="", help="a class secret mixed into the pseudonyms of xAPI actors")
    parser.add_argument("--title", default="", help="the report's title")
    add_class_arguments(parser)
    add_story_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from game.classroom.report import class_record, gather, gradebook_csv, html_report, xapi_lines

    checked = check_class(args)
    if checked is None:
        return 1
    verdicts = checked["verdicts"]
    data = gather(checked["story"], verdicts, checked["roster"], checked["assignment"], checked["skipped"],
                  checked["grades"], checked["graded"])
    for warning in checked["warnings"]:
        print(plain(f"warning: {warning}"), file=sys.stderr)
    write_atomic(args.output, html_report(data, args.title or checked["title"]), shared=True)
    written = [args.output]
    if args.csv:
        write_atomic(args.csv, gradebook_csv(data), shared=True)
        written.append(args.csv)
        if any(not e.student_id for e in data.classes.entries if e.used is not None):
            print("note: the gradebook's 'ID number' column is empty for students without a student id; give "
                  "--roster with the school's ids so Moodle can match every row", file=sys.stderr)
    klass = class_record(data, args.title or checked["title"])
    for target, text in ((args.canvas, canvas_csv), (args.google, google_classroom_csv)):
        if target:
            write_atomic(target, text(klass), shared=True)
            written.append(target)
    if args.google and any(not s.email for s in klass.students if s.submission is not None):
        print("note: Google Classroom matches students by email address; give --roster with an email column so "
              "every row has one", file=sys.stderr)
    if args.dump:
        assignment = checked["assignment"]
        write_atomic(args.dump, dump_text(klass, assignment.id if assignment else ""), shared=True)
        written.append(args.dump)
    if args.xapi:
        if not args.salt:
            print("warning: no --salt given; xAPI pseudonyms can be matched to names by anyone with the list",
                  file=sys.stderr)
        write_atomic(args.xapi, xapi_lines(data, args.salt), shared=True)
        written.append(args.xapi)
    bad = sum(not v.genuine for v in verdicts)
    unreadable = len(data.classes.unreadable)
    print(f"Report of {len(verdicts)} submission(s) ({bad} not genuine"
          + (f", {unreadable} unreadable" if unreadable else "") + ")"
          + (f", {len(checked['skipped'])} transcript(s) skipped" if checked["skipped"] else "")
          + ": " + ", ".join(map(str, written)))
    if data.not_checked:
        print(data.not_checked)
    if data.classes.roster is not None:
        print(f"Not handed in: {len(data.classes.missing)} of {len(data.classes.roster.members)}.")
    return 0
