"""Gradebook files a school's learning platform imports as they are: Moodle, Canvas and Google Classroom.

Each is made from a :class:`ClassRecord`, the same plain records whether
they come from submission files (``kira report``) or from the server's
database. Every file is UTF-8 with a byte order mark, so Excel shows the
accents in names, and every cell that a spreadsheet could take for a
formula (one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written as text with a leading apostrophe, as OWASP's advice on
CSV injection says.

The columns follow each platform's own files:

* Moodle (Grades > Import > CSV file): any header names; the teacher maps
  one column to a user field and one to a grade item. We use the headers of
  Moodle's own grade export, "ID number" (the user field ``idnumber``, the
  school's student id) and "Email address" (``email``), then "Grade" and
  "Feedback" (mapped to "Feedback for ..."). Moodle's importer
  (grade/import/csv/classes/load_data.php, ``map_user_data_with_value``)
  identifies users by ``userid``, ``useridnumber``, ``useremail`` or
  ``username`` and skips a row whose identifying cell is blank, so a
  student without an id is never matched with the wrong person.
* Canvas (Grades > Import): the columns of Canvas's gradebook export,
  "Student", "ID", "SIS User ID", "SIS Login ID", "Section", then one
  column per assignment (a title without a Canvas id makes a new one), with
  a "Points Possible" row under the header (as described in Ohio State's
  Carmen Canvas guide "Import a CSV file to Carmen Grades": name or "ID" or
  "SIS User ID", "SIS Login ID", "Section", then the assignment). Canvas
  matches students by "SIS User ID" (the school's id) when "ID" (its own
  number, unknown here) is blank. Canvas takes no comments from a CSV.
* Google Classroom: one row per student with "Email Address" (Classroom
  knows students by their Google account's email), "First Name" and
  "Last Name", then one column per assignment with the grade, for a Sheet
  the teacher imports from. Google's own page on the import could not be
  read where this was written; the layout is the plainest one that names
  students the way Classroom does.

The grade of a student is out of 100: with a rubric, the share of the
points their fully graded answers earned (blank until every answer is
graded); without one, the completion grade (100 for a genuine finished
path with answers, 50 without answers, 0 otherwise).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from game.classroom.documents import plain_text
from game.classroom.grades import Grade, Total, total
from game.classroom.verify import COUNTED

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OUT_OF = 100  # every exported grade is a share of 100: the platforms' default maximum
MOODLE_COLUMNS = ["ID number", "Email address", "Full name", "Grade", "Feedback"]
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
GOOGLE_COLUMNS = ["Email Address", "First Name", "Last Name"]


@dataclass(frozen=True)
class StudentRecord:
    """One student of a class as every export sees them.

    ``submission`` is the submission dict a student's game writes (checked by
    :func:`game.classroom.records.check_record`), the newest when they handed in
    several; None when they handed in nothing. ``status`` is its verdict
    (``genuine``, ``tampered``...; the server's own records are genuine).
    """

    name: str
    student_id: str = ""
    email: str = ""
    submission: Mapping[str, Any] | None = None
    status: str = ""
    grades: tuple[Grade, ...] = ()
    submissions: int = 0  # files handed in (the newest is ``submission``)

    @property
    def answered(self) -> list[str]:
        """The ids of the questions this student answered."""
        return [str(a["question"]) for a in (self.submission or {}).get("answers", [])]

    @property
    def total(self) -> Total:
        return total(self.grades, self.answered)

    @property
    def agreement(self) -> float | None:
        """The share of choices as in the novel: information for the teacher, never part of a grade."""
        if self.submission is None:
            return None
        return float(self.submission.get("summary", {}).get("agreement", 0.0))

    @property
    def words(self) -> int:
        return sum(int(a.get("words", 0)) for a in (self.submission or {}).get("answers", []))


@dataclass(frozen=True)
class ClassRecord:
    """A class for the exports: what it played, whether it is graded by a rubric, and its students."""

    title: str
    assignment_title: str
    students: tuple[StudentRecord, ...]
    graded: bool = False  # answers are graded by a rubric (otherwise the grade is a completion grade)
    section: str = ""  # the Canvas section, when the teacher names one


def spreadsheet_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that could start a formula gets a leading apostrophe."""
    text = plain_text(value)  # no direction controls either: they could make a name read backwards
    return "'" + text if text.startswith(FORMULA_START) else text


def grade(klass: ClassRecord, student: StudentRecord) -> float | None:
    """The student's grade out of 100, or None when there is none to import yet (see the module's note)."""
    if student.submission is None:
        return None
    if klass.graded:
        result = student.total
        return result.percent if result.complete else None
    return completion_grade(student.status, student.submission)


def completion_grade(status: str, submission: Mapping[str, Any] | None) -> int:
    """The grade without a rubric: 100 for a genuine finished path with answers, 50 without answers, else 0
    (an older wording of the story counts as genuine)."""
    if submission is None or status not in COUNTED or submission.get("ending") is None:
        return 0
    return 100 if submission.get("answers") else 50


def feedback(klass: ClassRecord, student: StudentRecord) -> str:
    """One line a student may read beside their grade: the rubric points, the path, the comments."""
    if student.submission is None:
        return "nothing handed in"
    summary = student.submission.get("summary", {})
    parts = []
    if klass.graded:
        result = student.total
        parts.append(f"{result.points} of {result.out_of} points" if result.complete else
                     f"grading not finished: {result.graded} of {result.answers} answers graded")
    parts += [student.status or "not checked", f"ending: {summary.get('ending_title') or 'none'}",
              f"{round(100 * (student.agreement or 0))}% of choices as in the novel (not graded)",
              f"{student.words} words of reflection"]
    if student.submissions > 1:
        parts.append(f"the newest of {student.submissions} submissions")
    comments = [f"{g.question}: {g.comment}" for g in student.grades if g.comment]
    return "; ".join(parts) + ("".join(f"\n{c}" for c in comments))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return BOM + out.getvalue()


def moodle_csv(klass: ClassRecord) -> str:
    """The gradebook for Moodle's CSV grade import: one row per student who handed something in."""
    rows: list[list[object]] = [list(MOODLE_COLUMNS)]
    for student in klass.students:
        if student.submission is not None:
            rows.append([student.student_id, student.email, student.name, _number(grade(klass, student)),
                         feedback(klass, student)])
    return _csv(rows)


def canvas_csv(klass: ClassRecord) -> str:
    """The gradebook for Canvas's grade import: one assignment column, a Points Possible row."""
    title = klass.assignment_title or klass.title or "We the Living"
    rows: list[list[object]] = [[*CANVAS_COLUMNS, title], ["Points Possible", "", "", "", "", OUT_OF]]
    for student in klass.students:
        if student.submission is not None:
            rows.append([student.name, "", student.student_id, "", klass.section,
                         _number(grade(klass, student))])
    return _csv(rows)


def google_classroom_csv(klass: ClassRecord) -> str:
    """Rows for a Google Sheet that Classroom imports grades from (students matched by email address)."""
    title = klass.assignment_title or klass.title or "We the Living"
    rows: list[list[object]] = [[*GOOGLE_COLUMNS, title]]
    for student in klass.students:
        if student.submission is not None:
            first, last = split_name(student.name)
            rows.append([student.email, first, last, _number(grade(klass, student))])
    return _csv(rows)


def split_name(name: str) -> tuple[str, str]:
    """First and last name for the sheets that want two columns: the last word is the last name, except a
    trailing suffix after a comma ("Zoë Ñúñez, Jr." -> "Zoë", "Ñúñez, Jr.")."""
    head, comma, suffix = name.partition(",")
    words = head.split()
    if len(words) < 2:
        return name.strip(), ""
    return " ".join(words[:-1]), words[-1] + (comma + suffix if comma else "")
