"""The gradebook files: read back as Excel reads CSV, in the columns Moodle, Canvas and Google Classroom use."""

from __future__ import annotations

import csv
import io

import pytest
from classroom_helpers import play_through, tiny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.classroom.documents import plain_text
from game.classroom.gradebook import (
    CANVAS_COLUMNS,
    GOOGLE_COLUMNS,
    MOODLE_COLUMNS,
    ClassRecord,
    StudentRecord,
    canvas_csv,
    google_classroom_csv,
    moodle_csv,
    split_name,
)
from game.classroom.grades import grade_answer
from game.classroom.rubric import Criterion
from game.classroom.verify import GENUINE, TAMPERED

RUBRIC = (Criterion("evidence", "Uses a moment", 4), Criterion("reasoning", "Explains why", 6))
HYPERLINK = '=HYPERLINK("http://example.invalid/x","Click")'
ZOE = "Zoë Ñúñez, Jr."


@pytest.fixture(scope="module")
def submission():
    story, assignment = tiny()
    return play_through(story, assignment, "someone", [0, 0])


def rows_of(text: str) -> list[list[str]]:
    """The file as a spreadsheet reads it: the BOM first, then Excel's CSV dialect."""
    assert text.startswith("\ufeff")
    data = text.encode("utf-8")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), dialect="excel"))


def graded(submission, name: str, student_id: str = "", email: str = "", points=("4", "6")) -> StudentRecord:
    grades = tuple(grade_answer(RUBRIC, a["question"], {"evidence": points[0], "reasoning": points[1]},
                                f"On {a['question']}: clear.") for a in submission["answers"])
    return StudentRecord(name, student_id, email, submission, GENUINE, grades, 1)


def test_moodle_columns_are_the_ones_moodle_exports_and_maps(submission):
    klass = ClassRecord("Period 3", "Courage", (graded(submission, ZOE, "S-1003", "zoe@school.invalid"),
                                                StudentRecord("Absent Anton", "S-1004")), graded=True)
    rows = rows_of(moodle_csv(klass))
    # Moodle's grade export writes "ID number" and "Email address"; its import maps them to idnumber and email
    assert rows[0] == MOODLE_COLUMNS == ["ID number", "Email address", "Full name", "Grade", "Feedback"]
    assert rows[1][:4] == ["S-1003", "zoe@school.invalid", ZOE, "100"]
    assert rows[1][4].startswith("30 of 30 points; genuine; ending: Hero;") and "(not graded)" in rows[1][4]
    assert "\nlast: On last: clear." in rows[1][4]
    assert len(rows) == 2  # nobody's grade is made up for a student who handed nothing in


def test_names_that_look_like_formulas_stay_text_and_accents_survive(submission):
    names = [HYPERLINK, "+1 Sneaky", "-2 Minus", "@SUM(A1)", "\tTabbed", "\rReturn", ZOE, "Ана Каренина"]
    klass = ClassRecord("Period 3", "=cmd|' /c calc'!A0", tuple(
        StudentRecord(n, "=1+1", "", submission, GENUINE, (), 1) for n in names))
    for export in (moodle_csv, canvas_csv, google_classroom_csv):
        text = export(klass)
        for row in rows_of(text):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (export.__name__, cell)
        assert "Zoë" in text and "Ñúñez, Jr." in text and "Ана" in text
    moodle = rows_of(moodle_csv(klass))
    assert [r[2] for r in moodle[1:]] == ["'" + n if n[0] in "=+-@\t\r" else n for n in names]
    assert moodle[1][0] == "'=1+1"
    assert rows_of(canvas_csv(klass))[0][-1] == "'=cmd|' /c calc'!A0"


def test_an_unfinished_rubric_grade_is_left_blank_not_guessed(submission):
    half = graded(submission, "Half Done", points=("4", ""))
    low = graded(submission, "Low Marks", points=("1", "2"))
    klass = ClassRecord("Period 3", "Courage", (half, low), graded=True)
    rows = rows_of(moodle_csv(klass))
    assert rows[1][3] == "" and rows[1][4].startswith("grading not finished: 0 of 3 answers graded")
    assert rows[2][3] == "30" and rows[2][4].startswith("9 of 30 points")


def test_without_a_rubric_the_grade_is_for_completion(submission):
    students = (StudentRecord("Ada", submission=submission, status=GENUINE),
                StudentRecord("Forger", submission=submission, status=TAMPERED),
                StudentRecord("Quiet", submission={**submission, "answers": []}, status=GENUINE),
                StudentRecord("Midway", submission={**submission, "ending": None}, status=GENUINE))
    rows = rows_of(moodle_csv(ClassRecord("Period 3", "Courage", students)))
    assert [r[3] for r in rows[1:]] == ["100", "0", "50", "0"]


def test_canvas_file_has_its_export_columns_and_a_points_possible_row(submission):
    klass = ClassRecord("Period 3", "Courage and its cost", (graded(submission, ZOE, "S-1003"),), graded=True,
                        section="Period 3")
    rows = rows_of(canvas_csv(klass))
    assert rows[0] == [*CANVAS_COLUMNS, "Courage and its cost"]
    assert CANVAS_COLUMNS == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1] == ["Points Possible", "", "", "", "", "100"]
    assert rows[2] == [ZOE, "", "S-1003", "", "Period 3", "100"]


def test_google_classroom_rows_carry_the_email_and_split_names(submission):
    klass = ClassRecord("Period 3", "Courage", (graded(submission, ZOE, email="zoe@school.invalid", points=("2", "3")),
                                                graded(submission, "Cher", email="cher@school.invalid")),
                        graded=True)
    rows = rows_of(google_classroom_csv(klass))
    assert rows[0] == [*GOOGLE_COLUMNS, "Courage"] and GOOGLE_COLUMNS == ["Email Address", "First Name", "Last Name"]
    assert rows[1] == ["zoe@school.invalid", "Zoë", "Ñúñez, Jr.", "50"]
    assert rows[2] == ["cher@school.invalid", "Cher", "", "100"]


def test_split_name_keeps_a_suffix_with_the_last_name():
    assert split_name("Kira Alexandrovna Argounova") == ("Kira Alexandrovna", "Argounova")
    assert split_name(ZOE) == ("Zoë", "Ñúñez, Jr.")
    assert split_name("Leo") == ("Leo", "")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1))
def test_any_name_reads_back_as_the_same_text_and_never_as_a_formula(submission, name):
    klass = ClassRecord("Period 3", "Courage", (StudentRecord(name, name, name, submission, GENUINE, (), 1),))
    row = rows_of(moodle_csv(klass))[1]
    shown = plain_text(name)
    expected = "'" + shown if shown.startswith(("=", "+", "-", "@", "\t", "\r")) else shown
    assert row[:3] == [expected, expected, expected]
