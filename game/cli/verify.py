"""``kira verify FILE...``: replay submissions and say which are genuine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from game.classroom.assignment import load_assignment
from game.classroom.classdump import (
    ClassDump,
    dump_grades,
    dump_roster,
    dump_verdicts,
    is_class_dump,
    read_class_dump,
)
from game.classroom.records import BadRecord, is_document
from game.classroom.roster import class_list, load_roster
from game.classroom.verify import UNREADABLE, Verdict, verify_file
from game.cli.common import add_story_arguments, load_or_report, print_diagnostics
from game.errors import StoryError
from game.ui.plain_text import plain


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="submission files (.json) or class dumps; transcripts written beside them are skipped")
    add_class_arguments(parser)
    add_story_arguments(parser)


def add_class_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--assignment", type=Path, default=None, metavar="FILE",
                        help="your assignment file: each submission's questions, minimum words and start are "
                             "compared with it")
    parser.add_argument("--roster", type=Path, default=None, metavar="FILE",
                        help="the class list (CSV with a name column and optional student id, or one name per "
                             "line): says who has not handed in")


def check_class(args: argparse.Namespace) -> dict[str, Any] | None:
    """Load the story, assignment and roster, and verify every submission among the files (None: an error was
    printed). Transcripts and evidence sheets among the files are skipped, not reported as unreadable."""
    story = load_or_report(args)
    if story is None:
        return None
    try:
        assignment = load_assignment(args.assignment, story) if args.assignment else None
        roster = load_roster(args.roster) if args.roster else None
    except StoryError as exc:
        print_diagnostics(exc.diagnostics)
        return None
    named = list({p.resolve(): p for p in args.files}.values())  # a file named twice is one submission
    skipped = [str(p) for p in named if is_document(p) or p.is_dir()]
    files = [p for p in named if not (is_document(p) or p.is_dir())]
    verdicts: list[Verdict] = []
    dumps: list[ClassDump] = []
    for path in files:
        if not is_class_dump(path):
            verdicts.append(verify_file(path, story, assignment))
            continue
        try:  # a whole class in one file: each student's submission is checked as if handed in alone
            dump = read_class_dump(path)
        except (OSError, BadRecord) as exc:
            verdicts.append(Verdict(str(path), UNREADABLE, f"a class dump that cannot be read: {exc}"))
            continue
        dumps.append(dump)
        verdicts += dump_verdicts(dump, story, assignment)
    if dumps and roster is None:  # the class dump lists the whole class, those who handed nothing in too
        roster = dump_roster(dumps)
    return {"story": story, "assignment": assignment, "roster": roster, "verdicts": verdicts, "skipped": skipped,
            "grades": {key: grades for dump in dumps for key, grades in dump_grades(dump).items()},
            "graded": any(dump.graded for dump in dumps), "warnings": [w for d in dumps for w in d.warnings],
            "title": next((dump.title for dump in dumps if dump.title), "")}


def run(args: argparse.Namespace) -> int:
    checked = check_class(args)
    if checked is None:
        return 1
    verdicts = checked["verdicts"]
    for verdict in verdicts:
        print(plain(verdict.line()))  # names and details come from students' files: no terminal escapes
    bad = sum(not v.genuine for v in verdicts)
    print(f"{len(verdicts) - bad} genuine, {bad} not genuine."
          + (f" {len(checked['skipped'])} transcript(s) or folder(s) skipped." if checked["skipped"] else ""))
    if checked["assignment"] is None:
        print("Not checked: the questions, minimum words and starting chapter (each submission brings its own). "
              "Give --assignment FILE with your assignment to compare them.")
    classes = class_list(verdicts, checked["roster"])
    for entry in classes.duplicates:
        used = entry.used
        print(plain(f"{entry.name} handed in {len(entry.submissions)} files; the newest counts: "
              f"{used.path if used else 'none'}"))
    if checked["roster"] is not None:
        missing = [e.name + (f" ({e.student_id})" if e.student_id else "") for e in classes.missing]
        print(f"Not handed in ({len(missing)}): " + (", ".join(missing) if missing else "nobody")
              + (f" ({len(classes.unreadable)} unreadable file(s) may be theirs)" if missing and classes.unreadable
                 else ""))
        strangers = [e.name for e in classes.not_on_roster]
        if strangers:
            print(plain("Not on the roster (check the spelling): " + ", ".join(strangers)), file=sys.stderr)
    return 1 if bad else 0
