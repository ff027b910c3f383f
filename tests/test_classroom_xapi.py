"""xAPI statements: grades in result.score, the novel agreement only ever as an extension."""

from __future__ import annotations

import pytest
from classroom_helpers import play_through, tiny

from game.classroom.grades import grade_answer
from game.classroom.rubric import Criterion
from game.classroom.xapi import AGREEMENT, VERBS, statements

RUBRIC = (Criterion("evidence", "Uses a moment", 4), Criterion("reasoning", "Explains why", 6))


@pytest.fixture(scope="module")
def record():
    story, assignment = tiny()
    return play_through(story, assignment, "Ada", [1, 0])  # a path that departs from the novel


def verbs(out):
    return [s["verb"]["display"]["en-US"] for s in out]


def test_without_grades_there_is_no_score_and_the_agreement_is_an_extension(record):
    out = statements(record, "salt")
    completed = out[-1]
    assert verbs(out)[-1] == "completed" and "scored" not in verbs(out)
    assert "score" not in completed["result"]
    assert completed["result"]["extensions"][AGREEMENT] == record["summary"]["agreement"] < 1


def test_each_complete_grade_is_a_scored_statement_and_the_total_goes_on_completed(record):
    grades = tuple(grade_answer(RUBRIC, a["question"], {"evidence": "3", "reasoning": "6"})
                   for a in record["answers"])
    out = statements(record, "salt", grades)
    scored = [s for s in out if s["verb"]["id"] == VERBS["scored"]]
    assert len(scored) == len(record["answers"]) == 3
    assert scored[0]["result"]["score"] == {"scaled": 0.9, "raw": 9, "min": 0, "max": 10}
    assert scored[0]["object"]["id"].endswith("/assignment/tiny_reflection/question/first")
    assert out[-1]["result"]["score"] == {"scaled": 0.9, "raw": 27, "min": 0, "max": 30}
    assert len({s["id"] for s in out}) == len(out)  # statement ids stay unique with the new statements


def test_a_total_is_sent_only_when_every_answer_is_graded(record):
    first = grade_answer(RUBRIC, "first", {"evidence": "4", "reasoning": "6"})
    half = grade_answer(RUBRIC, "yard", {"evidence": "4"})
    out = statements(record, "salt", (first, half))
    assert verbs(out).count("scored") == 1 and "score" not in out[-1]["result"]


def test_a_moment_with_no_time_has_no_timestamp_rather_than_an_empty_one(record):
    unfinished = {**record, "finished": ""}
    out = statements(unfinished, "salt")
    assert "timestamp" not in out[-1]  # xAPI's timestamp is optional; "" would be refused by a record store
    assert all(s.get("timestamp", "x") for s in out)
