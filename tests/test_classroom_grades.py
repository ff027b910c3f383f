"""Grades as data: form input checked field by field, partial grades kept, totals that skip unreached questions."""

from __future__ import annotations

import pytest

from game.classroom.grades import (
    MAX_COMMENT,
    Grade,
    GradeError,
    Score,
    class_totals,
    grade_answer,
    grade_from_dict,
    total,
)
from game.classroom.rubric import Criterion

RUBRIC = (Criterion("evidence", "Uses a moment", 4), Criterion("reasoning", "Explains why", 6))


def test_a_form_grade_becomes_whole_points_per_criterion():
    grade = grade_answer(RUBRIC, "career", {"evidence": " 3 ", "reasoning": 6}, "Good use of the lecture.\r\n")
    assert grade == Grade("career", (Score("evidence", 3, 4), Score("reasoning", 6, 6)), "Good use of the lecture.")
    assert (grade.points, grade.out_of, grade.complete) == (9, 10, True)


def test_a_blank_field_is_kept_as_not_graded_yet():
    grade = grade_answer(RUBRIC, "career", {"evidence": "2", "reasoning": ""})
    assert grade.scores[1] == Score("reasoning", None, 6) and not grade.complete and grade.points == 2
    assert not grade_answer(RUBRIC, "career", {}, "Comment first, points later.").complete


@pytest.mark.parametrize(("value", "message"), [
    ("5", "5 is out of range; give a whole number from 0 to 4"),
    ("-1", "'-1' is not a whole number of points; give one from 0 to 4"),
    ("2.5", "'2.5' is not a whole number of points"),
    ("three", "'three' is not a whole number of points"),
    ("\u0663", "is not a whole number of points"),  # an Arabic-Indic three: int() would take it
    ("1_0", "is not a whole number of points"),
    (True, "give a whole number from 0 to 4"),
])
def test_points_out_of_range_or_not_whole_are_refused_with_a_message(value, message):
    with pytest.raises(GradeError) as info:
        grade_answer(RUBRIC, "career", {"evidence": value, "reasoning": "1"})
    assert set(info.value.problems) == {"evidence"}
    assert message in info.value.problems["evidence"]


def test_every_bad_field_is_named_at_once():
    with pytest.raises(GradeError) as info:
        grade_answer(RUBRIC, "career", {"evidence": "9", "reasoning": "x", "style": "1"}, "x" * (MAX_COMMENT + 1))
    assert set(info.value.problems) == {"evidence", "reasoning", "style", "comment"}
    assert "no such criterion" in info.value.problems["style"]
    with pytest.raises(GradeError) as info:
        grade_answer((), "career", {})
    assert "no rubric" in info.value.problems["rubric"]


def test_a_students_total_counts_complete_grades_of_answers_they_gave():
    done = grade_answer(RUBRIC, "career", {"evidence": "4", "reasoning": "3"})
    half = grade_answer(RUBRIC, "family", {"evidence": "4"})
    stray = grade_answer(RUBRIC, "price", {"evidence": "1", "reasoning": "1"})  # no answer to it any more
    result = total([done, half, stray], ["career", "family"])
    assert (result.points, result.out_of, result.graded, result.answers) == (7, 10, 1, 2)
    assert not result.complete and result.percent == 70.0
    finished = total([done, grade_answer(RUBRIC, "family", {"evidence": "2", "reasoning": "0"})],
                     ["career", "family"])
    assert finished.complete and finished.percent == 45.0  # 9 of 20
    assert total([], []).percent is None and not total([], []).complete


def test_class_totals_are_over_students_whose_grading_is_complete():
    a = grade_answer(RUBRIC, "career", {"evidence": "4", "reasoning": "6"})
    b = grade_answer(RUBRIC, "career", {"evidence": "2", "reasoning": "3"})
    c = grade_answer(RUBRIC, "career", {"evidence": "1"})
    figures = class_totals([total([a], ["career"]), total([b], ["career"]), total([c], ["career"])], [a, b, c])
    assert (figures.students, figures.graded, figures.mean, figures.lowest, figures.highest) == (3, 2, 75.0, 50.0,
                                                                                                  100.0)
    assert figures.by_criterion == {("career", "evidence"): 0.75, ("career", "reasoning"): 0.75}


def test_a_grade_survives_json_and_bad_json_is_refused():
    grade = grade_answer(RUBRIC, "career", {"evidence": "4", "reasoning": ""}, "Say more about the cost.")
    assert grade_from_dict(grade.to_dict()) == grade
    for bad in ([], {"question": "q", "scores": "x", "comment": ""},
                {"question": "q", "comment": "", "scores": [{"criterion": "e", "points": 5, "out_of": 4}]},
                {"question": "q", "comment": "", "scores": [{"criterion": "e", "points": True, "out_of": 4}]}):
        with pytest.raises(ValueError):
            grade_from_dict(bad)
