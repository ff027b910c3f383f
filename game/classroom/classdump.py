"""A whole class in one JSON file: every student, their newest submission and their grades.

The server writes it for a teacher to keep or to carry to another machine;
``kira report`` reads it like a folder of submissions. Reading trusts
nothing in it: every submission is checked field by field and replayed
again (the status written in the file is not believed), the grades are
checked against the points they claim, and one malformed student makes
only that student unreadable.

Format (``"version": 1``)::

    {"kind": "we-the-living-class", "version": 1, "exported": "2026-12-03T14:00:00+00:00",
     "title": "Period 3", "section": "", "assignment": {"id": "...", "title": "..."}, "graded": true,
     "students": [{"name": "...", "student_id": "...", "email": "...", "submissions": 1,
                   "submission": {...a submission file's content...} or null,
                   "grades": [{"question": "...", "comment": "...",
                               "scores": [{"criterion": "...", "points": 3, "out_of": 4}]}]}]}

The ``kind`` is written first, so a reader can tell a class from one
submission by the first bytes of the file.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game.classroom.assignment import KIND, Assignment
from game.classroom.documents import plain_text
from game.classroom.gradebook import ClassRecord
from game.classroom.grades import Grade, grade_from_dict
from game.classroom.records import CLASS_KIND, MAX_DEPTH, BadRecord, check_record, load_json
from game.classroom.roster import Member, Roster, name_key
from game.classroom.verify import UNREADABLE, Verdict, verify_record
from game.loader.files import FileRefused, read_limited
from game.runtime.model import Story

VERSION = 1
MAX_DUMP_BYTES = 64_000_000  # 300 students with long answers come to about 60 MB at most
MAX_STUDENTS = 5000
MAX_NAME = 200
HEAD_BYTES = 512  # how far into a file its "kind" is looked for


@dataclass(frozen=True)
class DumpedStudent:
    """One student read back from a class dump; ``problem`` says why their submission could not be used."""

    name: str
    student_id: str = ""
    email: str = ""
    submission: dict[str, Any] | None = None
    grades: tuple[Grade, ...] = ()
    problem: str = ""


@dataclass
class ClassDump:
    path: str
    title: str
    graded: bool
    assignment: dict[str, str]
    students: list[DumpedStudent]
    warnings: list[str] = field(default_factory=list)  # grades that could not be read, each with its student


def class_dump(klass: ClassRecord, assignment_id: str = "", exported: str = "") -> dict[str, Any]:
    """The class as one JSON-ready dict (``json.dumps`` it with ``ensure_ascii=False``)."""
    return {
        "kind": CLASS_KIND,
        "version": VERSION,
        "exported": exported or datetime.now(UTC).isoformat(timespec="seconds"),
        "title": klass.title,
        "section": klass.section,
        "assignment": {"id": assignment_id, "title": klass.assignment_title},
        "graded": klass.graded,
        "students": [{"name": s.name, "student_id": s.student_id, "email": s.email, "submissions": s.submissions,
                      "submission": dict(s.submission) if s.submission is not None else None,
                      "grades": [g.to_dict() for g in s.grades]} for s in klass.students],
    }


def dump_text(klass: ClassRecord, assignment_id: str = "", exported: str = "") -> str:
    return json.dumps(class_dump(klass, assignment_id, exported), ensure_ascii=False) + "\n"


def is_class_dump(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts like a class dump (its first bytes name the kind)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        with open(path, "rb") as f:  # a regular file: opening it does nothing else
            head = f.read(HEAD_BYTES)
    except OSError:
        return False
    return f'"kind": "{CLASS_KIND}"'.encode() in head or f'"kind":"{CLASS_KIND}"'.encode() in head


def read_class_dump(path: Path) -> ClassDump:
    """The class in ``path``; raises BadRecord (or OSError) when the file as a whole cannot be read."""
    try:
        raw = read_limited(path, MAX_DUMP_BYTES)
    except FileRefused as exc:
        raise BadRecord(str(exc.strerror)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRecord("the file is not UTF-8 text") from exc
    data = load_json(text, MAX_DEPTH + 3)  # a submission sits three levels down: students[n].submission
    if not isinstance(data, dict) or data.get("kind") != CLASS_KIND:
        raise BadRecord("not a We the Living class dump")
    if data.get("version") != VERSION:
        raise BadRecord(f"the class dump has format version {data.get('version')!r}; this version of the game "
                        f"reads version {VERSION}")
    students = data.get("students")
    if not isinstance(students, list):
        raise BadRecord("the field 'students' must be a list")
    if len(students) > MAX_STUDENTS:
        raise BadRecord(f"the class dump lists {len(students)} students; at most {MAX_STUDENTS} are read")
    given = data.get("assignment")
    assignment = given if isinstance(given, dict) else {}
    dump = ClassDump(str(path), _text(data.get("title")), data.get("graded") is True,
                     {k: _text(assignment.get(k)) for k in ("id", "title")}, [])
    for number, entry in enumerate(students, 1):
        dump.students.append(_student(entry, number, dump.warnings))
    return dump


def _text(value: object, limit: int = MAX_NAME) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _student(entry: object, number: int, warnings: list[str]) -> DumpedStudent:
    if not isinstance(entry, dict):
        return DumpedStudent("", problem=f"student {number} in the list is not an object")
    name = _text(entry.get("name"))
    if not name:
        return DumpedStudent("", problem=f"student {number} in the list has no name")
    student = DumpedStudent(name, _text(entry.get("student_id"), 100), _text(entry.get("email"), 320))
    submission = entry.get("submission")
    if submission is not None:
        try:
            if not isinstance(submission, dict) or submission.get("kind") != KIND:
                raise BadRecord("it is not a We the Living submission")
            check_record(submission)
        except BadRecord as exc:
            return DumpedStudent(name, student.student_id, student.email, problem=str(exc))
    grades: list[Grade] = []
    raw_grades = entry.get("grades", [])
    for raw in raw_grades if isinstance(raw_grades, list) else [raw_grades]:
        try:
            grades.append(grade_from_dict(raw))
        except ValueError as exc:
            warnings.append(f"{name}: a grade was left out ({exc})")
    return DumpedStudent(name, student.student_id, student.email, submission, tuple(grades))


def dump_verdicts(dump: ClassDump, story: Story, assignment: Assignment | None = None) -> list[Verdict]:
    """Each dumped submission replayed and checked as if it had been handed in as a file of its own."""
    verdicts = []
    for student in dump.students:
        where = f"{dump.path} [{plain_text(student.name) or 'a student without a name'}]"
        if student.problem:
            verdicts.append(Verdict(where, UNREADABLE, student.problem, student.name))
        elif student.submission is not None:
            try:
                verdicts.append(verify_record(student.submission, story, where, assignment))
            except Exception as exc:  # noqa: BLE001 - one strange record must never stop the class report
                verdicts.append(Verdict(where, UNREADABLE, f"it could not be checked ({type(exc).__name__})",
                                        student.name))
    return verdicts


def dump_grades(dump: ClassDump) -> dict[str, tuple[Grade, ...]]:
    """The grades in the dump, by the name_key of the student each submission names."""
    return {name_key(str(s.submission["student"])): s.grades for s in dump.students
            if s.submission is not None and s.grades}


def dump_roster(dumps: list[ClassDump]) -> Roster:
    """The students the dumps list (those who handed nothing in too), as a roster."""
    members: dict[str, Member] = {}
    for dump in dumps:
        for student in dump.students:
            if student.name:
                members.setdefault(name_key(student.name), Member(student.name, student.student_id, student.email))
    return Roster(list(members.values()), ", ".join(d.path for d in dumps))
