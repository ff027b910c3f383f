"""Submissions made through the assignment session itself, for the classroom tests."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES

from game.classroom.assignment import Assignment, load_assignment
from game.classroom.documents import write_submission
from game.loader.story import load_story
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough
from game.session.assignment import AssignmentSession

ASSIGNMENT = FIXTURES / "tiny_assignment.yaml"
ANSWERS = {"first": "It cost me my comfort.", "yard": "Empty and cold.",
           "last": "Yes, because I chose it myself and knew the price."}


def tiny() -> tuple[Story, Assignment]:
    story = load_story(FIXTURES / "tiny")
    return story, load_assignment(ASSIGNMENT, story)


def play_through(story: Story, assignment: Assignment, student: str, choices: list[int],
                 answers: dict[str, str] | None = None) -> dict:
    """Play ``choices`` (0-based), answering every question as it comes; the submission record."""
    answers = ANSWERS if answers is None else answers
    session = AssignmentSession(assignment, Playthrough(story), student)
    for question in session.due_at_start():
        assert session.answer(question, answers[question.id]) is None
    for choice in choices:
        turn = session.play.choose(choice)
        for question in session.due_after(turn):
            assert session.answer(question, answers[question.id]) is None
    return json.loads(json.dumps(session.submission()))


def hand_in(folder: Path, record: dict, name: str, finished: str | None = None) -> Path:
    """Write the record and its transcripts as the student's game does; returns the .json path."""
    if finished is not None:
        record["finished"] = finished
    return write_submission(record, folder / f"{name}.submission.json", None)[0]
