"""The class list: a roster the teacher gives, and the submissions grouped by student.

A roster is a CSV file with a header (a name column, optionally a student
id column, as schools' systems export them) or a plain list, one student
per line, optionally followed by a tab or a comma and the student's id
(an id has a digit and no spaces, so "Zoë Ñúñez, Jr." stays one name).

Students type their own names, so names are matched loosely (case,
spacing, accents written as composed or combining characters). A student
who handed in twice is shown once, with every file; the newest counts.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from game.classroom.documents import plain_text
from game.classroom.verify import UNREADABLE, Verdict
from game.errors import Diagnostic, SourcePos, StoryError
from game.loader.files import read_limited

MAX_ROSTER_BYTES = 2_000_000
NAME_COLUMNS = ("full name", "name", "student", "student name", "display name")
FIRST_COLUMNS = ("first name", "given name", "firstname")
LAST_COLUMNS = ("last name", "surname", "family name", "lastname")
EMAIL_COLUMNS = ("email address", "email", "e-mail", "mail")  # Google Classroom matches students by email
ID_COLUMNS = ("id number", "student id", "idnumber", "sis user id", "id", "student number", "username")


def name_key(name: str) -> str:
    """How two spellings of one name are recognised as the same student."""
    text = unicodedata.normalize("NFKC", plain_text(name))
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Member:
    name: str
    student_id: str = ""
    email: str = ""
    line: int = field(default=0, compare=False)  # where the roster names them, for messages


@dataclass
class Roster:
    members: list[Member]
    path: str = ""

    def find(self, student: str) -> Member | None:
        """The member a submission's name stands for (their name, or their id typed as a name)."""
        key = name_key(student)
        return next((m for m in self.members if name_key(m.name) == key or
                     (m.student_id and name_key(m.student_id) == key)), None)


def load_roster(path: Path) -> Roster:
    """Read a roster; raise StoryError naming the file and line of anything wrong."""
    def fail(line: int, message: str) -> StoryError:
        return StoryError([Diagnostic("roster", "error", SourcePos(str(path), line), message)])

    try:
        text = read_limited(path, MAX_ROSTER_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(0, "the roster is not UTF-8 text (save it from the spreadsheet as 'CSV UTF-8')") from exc
    except OSError as exc:
        raise fail(0, f"the roster cannot be read: {exc.strerror or exc}") from exc
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    delimiter = next((d for d in (",", ";", "\t") if any(
        c.strip().lower() in NAME_COLUMNS + FIRST_COLUMNS for c in next(csv.reader([header], delimiter=d), []))),
        None)  # spreadsheets save with commas, or semicolons where the comma is the decimal sign
    members = _from_csv(text, delimiter) if delimiter else _from_list(lines)
    if not members:
        raise fail(0, "the roster names no students")
    seen: dict[str, Member] = {}
    for member in members:
        if name_key(member.name) in seen:
            first = seen[name_key(member.name)].line
            raise fail(member.line, f"the roster names {member.name!r} again (first on line {first}); tell the two "
                       "apart, for example with an initial")
        seen[name_key(member.name)] = member
    return Roster(members, str(path))


def _from_csv(text: str, delimiter: str) -> list[Member]:
    reader = csv.DictReader(io.StringIO(text), dialect="excel", delimiter=delimiter)
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}

    def pick(names: Iterable[str]) -> str | None:
        return next((fields[n] for n in names if n in fields), None)

    name_col, first_col, last_col, id_col = pick(NAME_COLUMNS), pick(FIRST_COLUMNS), pick(LAST_COLUMNS), \
        pick(ID_COLUMNS)
    email_col = pick(EMAIL_COLUMNS)
    members = []
    for row in reader:
        if name_col:
            name = row.get(name_col) or ""
        else:
            name = " ".join(part for part in (row.get(first_col or "") or "", row.get(last_col or "") or "") if part)
        name = " ".join(name.split())
        if not name:
            continue
        student_id = " ".join((row.get(id_col or "") or "").split()) if id_col else ""
        email = "".join((row.get(email_col or "") or "").split()) if email_col else ""
        members.append(Member(name, student_id, email, reader.line_num))
    return members


def _from_list(lines: list[str]) -> list[Member]:
    members = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, student_id = text, ""
        for separator in ("\t", ","):
            head, sep, tail = text.rpartition(separator)
            tail = tail.strip()
            if sep and head.strip() and re.fullmatch(r"\S*\d\S*", tail):
                name, student_id = head, tail
                break
        members.append(Member(" ".join(name.split()), student_id, line=number))
    return members


@dataclass
class Entry:
    """One student of the class: their roster line (if any) and their submissions, the newest first."""

    name: str
    member: Member | None = None
    submissions: list[Verdict] = field(default_factory=list)

    @property
    def used(self) -> Verdict | None:
        """The submission that counts: the newest readable one."""
        return next((v for v in self.submissions if v.status != UNREADABLE), None)

    @property
    def older(self) -> list[Verdict]:
        used = self.used
        return [v for v in self.submissions if v is not used and v.status != UNREADABLE]

    @property
    def student_id(self) -> str:
        return self.member.student_id if self.member else ""


@dataclass
class ClassList:
    entries: list[Entry]
    unreadable: list[Verdict]
    roster: Roster | None = None

    @property
    def missing(self) -> list[Entry]:
        """Roster students who handed in nothing readable."""
        return [e for e in self.entries if e.member is not None and e.used is None]

    @property
    def not_on_roster(self) -> list[Entry]:
        return [e for e in self.entries if e.member is None] if self.roster else []

    @property
    def used(self) -> list[Verdict]:
        return [e.used for e in self.entries if e.used is not None]

    @property
    def duplicates(self) -> list[Entry]:
        return [e for e in self.entries if len([v for v in e.submissions if v.status != UNREADABLE]) > 1]


def _when(verdict: Verdict) -> tuple[str, float]:
    """The order of a student's submissions: the finishing time they record, then the file's own time."""
    try:
        stamp = datetime.fromisoformat(verdict.finished).timestamp() if verdict.finished else 0.0
    except ValueError:
        stamp = 0.0
    try:
        mtime = Path(verdict.path).stat().st_mtime
    except OSError:
        mtime = 0.0
    return (f"{stamp:020.3f}", mtime)


def class_list(verdicts: list[Verdict], roster: Roster | None = None) -> ClassList:
    """Group the submissions by student (roster order first), the newest of each first."""
    entries: dict[str, Entry] = {}
    if roster is not None:
        for listed in roster.members:
            entries[name_key(listed.name)] = Entry(listed.name, listed)
    unreadable = []
    for verdict in verdicts:
        if verdict.record is None:
            unreadable.append(verdict)
            continue
        member = roster.find(verdict.student) if roster else None
        key = name_key(member.name if member else verdict.student)
        entry = entries.setdefault(key, Entry(verdict.student, member))
        entry.submissions.append(verdict)
    for entry in entries.values():
        entry.submissions.sort(key=_when, reverse=True)
    return ClassList(list(entries.values()), unreadable, roster)
