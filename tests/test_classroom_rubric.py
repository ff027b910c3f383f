"""Rubrics in the assignment file: read at assignment level and per question, every mistake located."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from game.classroom.assignment import load_assignment
from game.classroom.rubric import MAX_CRITERIA, Criterion, out_of
from game.errors import StoryError
from game.loader.story import load_story

HEAD = "id: homework\ntitle: Courage\nstory: tiny\n"
QUESTIONS = ("questions:\n"
             "  - {id: first, at: chapter_end, chapter: one, text: What did it cost?}\n"
             "  - id: last\n    at: ending\n    text: Was it fair?\n")


def test_an_assignment_rubric_applies_to_every_question_unless_one_has_its_own(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(HEAD + "rubric:\n"
                    "  - {id: evidence, text: Uses a moment from the playthrough, points: 4}\n"
                    "  - {id: reasoning, text: \"Explains Kira's reasons   in her world\", points: 6}\n"
                    + QUESTIONS + "    rubric:\n      - {id: stance, text: Takes a position, points: 3}\n")
    assignment = load_assignment(path, load_story(FIXTURES / "tiny"))
    first, last = assignment.questions
    assert first.rubric == assignment.rubric == (
        Criterion("evidence", "Uses a moment from the playthrough", 4),
        Criterion("reasoning", "Explains Kira's reasons in her world", 6))
    assert last.rubric == (Criterion("stance", "Takes a position", 3),)
    assert out_of(first.rubric) == 10 and assignment.graded


def test_without_a_rubric_the_assignment_is_not_graded_by_points():
    story = load_story(FIXTURES / "tiny")
    assignment = load_assignment(FIXTURES / "tiny_assignment.yaml", story)
    assert assignment.rubric == () and not assignment.graded


def test_every_rubric_mistake_is_named_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD + "rubric:\n"
                    "  - {id: evidence, text: Uses a moment, points: 4}\n"  # line 5
                    "  - {id: evidence, text: Again, points: 2}\n"  # line 6
                    "  - {id: tone, text: \"  \", points: 2}\n"  # line 7
                    "  - {id: depth, text: Goes deep, points: 2.5}\n"  # line 8
                    "  - {id: 9lives, text: Bad id, points: 1}\n"  # line 9
                    "  - {id: style, text: Writes well, pionts: 2}\n"  # line 10
                    "  - {id: zero, text: Worth nothing, points: 0}\n"  # line 11
                    + QUESTIONS + "    rubric: []\n")
    with pytest.raises(StoryError) as info:
        load_assignment(path)
    text = str(info.value)
    assert "bad.yaml:11:45: error: 'points' of criterion 'zero' is 0; it must be a whole number from 1" in text
    assert "bad.yaml:6:10: error: the rubric of the assignment names the criterion 'evidence' twice" in text
    assert "bad.yaml:7:" in text and "'text' of criterion 'tone' is blank" in text
    assert "bad.yaml:8:" in text and "'points' of criterion 'depth' must be a whole number" in text
    assert "bad.yaml:9:" in text and "'9lives' is not a valid id" in text
    assert "bad.yaml:10:" in text and "unknown field 'pionts'" in text and "did you mean 'points'?" in text
    assert "bad.yaml:17:13: error: the rubric of question 'last' is empty" in text


def test_a_rubric_is_a_list_of_a_bounded_length(tmp_path):
    path = tmp_path / "long.yaml"
    criteria = "".join(f"  - {{id: c{n}, text: Criterion {n}, points: 1}}\n" for n in range(MAX_CRITERIA + 1))
    path.write_text(HEAD + "rubric:\n" + criteria + QUESTIONS)
    with pytest.raises(StoryError) as info:
        load_assignment(path)
    assert f"long.yaml:5:3: error: the rubric of the assignment has {MAX_CRITERIA + 1} criteria" in str(info.value)
    path.write_text(HEAD + "rubric: Evidence and reasoning\n" + QUESTIONS)
    with pytest.raises(StoryError) as info:
        load_assignment(path)
    assert "long.yaml:4:9: error: the rubric of the assignment must be a list" in str(info.value)


def test_the_shipped_example_assignment_has_a_rubric():
    story = load_story(FIXTURES.parent.parent / "story" / "we_the_living")
    assignment = load_assignment(FIXTURES.parent.parent / "classroom/examples/theme_essay.yaml", story)
    assert assignment.graded and all(q.rubric for q in assignment.questions)


def test_when_some_questions_have_a_rubric_every_question_needs_one(tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text(HEAD + QUESTIONS + "    rubric:\n      - {id: stance, text: Takes a position, points: 3}\n")
    with pytest.raises(StoryError) as info:
        load_assignment(path)
    assert "mixed.yaml:5:5: error: question 'first' has no rubric, but other questions have one" in str(info.value)
