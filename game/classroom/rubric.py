"""Rubrics: the criteria a teacher grades each answer by, written in the assignment file.

A rubric is a short list of criteria, each with an id, a line of text the
teacher reads while grading and a number of points. One written at the
assignment level applies to every question; a question can bring its own,
which replaces it for that question. Mistakes come back as ``path:line:col``
diagnostics, as for every other field of the assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.loader.fields import FieldReader

if TYPE_CHECKING:
    from game.loader.source import Node

CRITERION_KEYS = ("id", "text", "points")
MAX_CRITERIA = 12  # a rubric longer than this is a checklist nobody grades by
MAX_POINTS = 100  # per criterion: more would only hide the weighting in large numbers
MAX_TEXT = 300  # characters: one line the teacher reads beside each answer


@dataclass(frozen=True)
class Criterion:
    """One line of a rubric: what is looked for, and how many points it is worth at most."""

    id: str
    text: str
    points: int

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "text": self.text, "points": self.points}


Rubric = tuple[Criterion, ...]


def out_of(rubric: Rubric) -> int:
    """The most points an answer can get under ``rubric``."""
    return sum(c.points for c in rubric)


def for_students(rubric: Rubric) -> list[str]:
    """The criteria as a student sees them while writing ("Uses a moment... (4 points)"): knowing what
    is looked for is part of a fair question, so every front end shows them under it."""
    return [f"{c.text} ({c.points} point{'s' if c.points != 1 else ''})" for c in rubric]


def read_rubric(reader: FieldReader, node: Node, what: str) -> Rubric:
    """The ``rubric`` field of ``node`` (an assignment or a question); () when there is none.

    Every problem is recorded on ``reader`` with its position; the criteria that are right are kept,
    so one mistake does not hide the others.
    """
    child = node.value.get("rubric")
    if child is None:
        return ()
    items = reader.expect_list(child, f"the rubric of {what}")
    if child.is_list and not items:
        reader.error(child.pos, f"the rubric of {what} is empty", "list its criteria, or leave 'rubric' out")
    if len(items) > MAX_CRITERIA:
        reader.error(child.pos, f"the rubric of {what} has {len(items)} criteria; at most {MAX_CRITERIA} are "
                     "allowed", "merge criteria that are graded together")
        return ()
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for item in items:
        criterion = _criterion(reader, item, what)
        if criterion is None:
            continue
        if criterion.id in seen:
            reader.error(item.value["id"].pos, f"the rubric of {what} names the criterion {criterion.id!r} twice",
                         "give each criterion its own id", "duplicate-id")
            continue
        seen.add(criterion.id)
        criteria.append(criterion)
    return tuple(criteria)


def _criterion(reader: FieldReader, item: Node, what: str) -> Criterion | None:
    if not reader.expect_map(item, f"a criterion of the rubric of {what}"):
        return None
    reader.check_keys(item, CRITERION_KEYS, "a rubric criterion")
    before = len(reader.problems)
    cid = reader.identifier(item, "id", "a rubric criterion")
    where = f"criterion {cid!r}" if cid else "a rubric criterion"
    text = " ".join(reader.string(item, "text", where).split())
    text_node = item.value.get("text")
    if text_node is not None and text_node.value is not None and not text:
        reader.error(text_node.pos, f"'text' of {where} is blank", "say in a few words what earns the points")
    elif len(text) > MAX_TEXT:
        reader.error(text_node.pos if text_node else item.pos,
                     f"'text' of {where} is {len(text)} characters long; at most {MAX_TEXT} fit beside an answer",
                     "say it in one sentence; the instructions can explain more")
    points = reader.integer(item, "points", where, required=True)
    points_node = item.value.get("points")
    if points_node is not None and isinstance(points_node.value, int) and not isinstance(points_node.value, bool) \
            and not 1 <= points <= MAX_POINTS:
        reader.error(points_node.pos, f"'points' of {where} is {points}; it must be a whole number from 1 to "
                     f"{MAX_POINTS}", "give each criterion at least one point")
    if len(reader.problems) > before:
        return None
    return Criterion(cid, text, points)
