"""Grades as data: points per rubric criterion and a comment for each answer, and the totals they add up to.

Pure functions over plain frozen dataclasses, so the server (which keeps
grades in its database) and ``kira report`` (which reads them from a class
dump) compute the same totals. A grade carries its rubric's maxima with it:
an assignment edited after grading cannot change what a saved grade meant.

The novel agreement of a path is never part of a grade: there are no wrong
paths, so it is shown beside the grade as information only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.classroom.rubric import Rubric

MAX_COMMENT = 4000  # characters: about a page of feedback on one answer
WHOLE_NUMBER = re.compile(r"[0-9]{1,4}")  # ASCII digits only: int() would also take "٣" or "1_0"


class GradeError(ValueError):
    """A grade the teacher typed cannot be kept; ``problems`` says why, per form field."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems  # criterion id (or "comment") -> one sentence saying what to type instead
        super().__init__("; ".join(f"{key}: {message}" for key, message in problems.items()))


@dataclass(frozen=True)
class Score:
    """The points given for one criterion (None: not given yet), out of the criterion's maximum."""

    criterion: str
    points: int | None
    out_of: int


@dataclass(frozen=True)
class Grade:
    """The grade of one answer: a score per criterion of its rubric, and the teacher's comment."""

    question: str
    scores: tuple[Score, ...]
    comment: str = ""

    @property
    def points(self) -> int:
        return sum(s.points or 0 for s in self.scores)

    @property
    def out_of(self) -> int:
        return sum(s.out_of for s in self.scores)

    @property
    def complete(self) -> bool:
        """Every criterion has its points (a comment alone is not a grade)."""
        return bool(self.scores) and all(s.points is not None for s in self.scores)

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "comment": self.comment,
                "scores": [{"criterion": s.criterion, "points": s.points, "out_of": s.out_of} for s in self.scores]}


def grade_answer(rubric: Rubric, question: str, points: Mapping[str, object], comment: str = "") -> Grade:
    """A grade from what a form sent: points as text (or numbers) by criterion id, and a comment.

    A blank field means "not graded yet" and is kept as such, so a grade can be saved while the teacher
    types. Raises GradeError naming every field that cannot be kept (not a whole number, out of range,
    a criterion the rubric does not have, a comment too long).
    """
    problems: dict[str, str] = {}
    known = {c.id for c in rubric}
    for key in points:
        if key not in known:
            problems[str(key)] = "the rubric has no such criterion; reload the page to see the current rubric"
    scores = []
    for criterion in rubric:
        value = _points(points.get(criterion.id), criterion.points)
        if isinstance(value, str):
            problems[criterion.id] = value
            continue
        scores.append(Score(criterion.id, value, criterion.points))
    text = comment.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_COMMENT:
        problems["comment"] = (f"the comment is {len(text)} characters long; at most {MAX_COMMENT} are kept, so "
                               "shorten it (nothing was saved)")
    if not rubric:
        problems["rubric"] = "this question has no rubric, so there is nothing to give points for"
    if problems:
        raise GradeError(problems)
    return Grade(question, tuple(scores), text)


def _points(value: object, maximum: int) -> int | None | str:
    """The points in a form field: an int, None when blank, or a message saying what is wrong."""
    if value is None:
        return None
    if isinstance(value, bool):
        return f"give a whole number from 0 to {maximum}"
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text:
            return None
        if not WHOLE_NUMBER.fullmatch(text):
            return f"{text[:20]!r} is not a whole number of points; give one from 0 to {maximum}"
        number = int(text)
    if not 0 <= number <= maximum:
        return f"{number} is out of range; give a whole number from 0 to {maximum}"
    return number


@dataclass(frozen=True)
class Total:
    """A student's points over their graded answers, and how much of their work is graded."""

    points: int
    out_of: int
    graded: int  # answers with every criterion given
    answers: int  # answers there are to grade

    @property
    def complete(self) -> bool:
        """Every answer graded (and at least one answer given)."""
        return self.answers > 0 and self.graded == self.answers

    @property
    def percent(self) -> float | None:
        """Points as a share of 100, rounded to one decimal (None when nothing is graded)."""
        return round(100 * self.points / self.out_of, 1) if self.out_of else None


def total(grades: Iterable[Grade], answered: Iterable[str]) -> Total:
    """The total of one student: only the complete grades of answers they gave count.

    A question their path never reached is not counted against them (there are no wrong paths); a grade
    left half done counts neither its points nor its maximum until it is finished.
    """
    answered = set(answered)
    done = [g for g in grades if g.question in answered and g.complete]
    return Total(sum(g.points for g in done), sum(g.out_of for g in done), len(done), len(answered))


@dataclass(frozen=True)
class ClassTotals:
    """The class at a glance: how many are fully graded, and the mean and range of their percentages."""

    students: int
    graded: int
    mean: float | None
    lowest: float | None
    highest: float | None
    by_criterion: dict[tuple[str, str], float] = field(default_factory=dict)  # (question, criterion) -> mean share


def class_totals(totals: Iterable[Total], grades: Iterable[Grade] = ()) -> ClassTotals:
    """Figures over the students whose grading is complete, and the mean share of each criterion's points
    over every complete grade (which criteria the class found hard)."""
    totals = list(totals)
    done = [t.percent for t in totals if t.complete and t.percent is not None]
    shares: dict[tuple[str, str], list[float]] = {}
    for grade in grades:
        if grade.complete:
            for score in grade.scores:
                shares.setdefault((grade.question, score.criterion), []).append((score.points or 0) / score.out_of)
    return ClassTotals(len(totals), len(done), round(sum(done) / len(done), 1) if done else None,
                       min(done) if done else None, max(done) if done else None,
                       {key: round(sum(v) / len(v), 3) for key, v in shares.items()})


def grade_from_dict(data: object) -> Grade:
    """A grade read back from JSON (a class dump); raises ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("a grade must be an object")
    question, comment, scores = data.get("question"), data.get("comment", ""), data.get("scores")
    if not isinstance(question, str) or not isinstance(comment, str) or not isinstance(scores, list):
        raise ValueError("a grade needs 'question' (text), 'comment' (text) and 'scores' (a list)")
    if len(comment) > MAX_COMMENT:
        raise ValueError(f"the comment on {question!r} is longer than {MAX_COMMENT} characters")
    read = []
    for score in scores:
        if not isinstance(score, dict):
            raise ValueError(f"a score of the grade of {question!r} must be an object")
        criterion, points, most = score.get("criterion"), score.get("points"), score.get("out_of")
        if not isinstance(criterion, str) or type(most) is not int or not 1 <= most <= 1000:
            raise ValueError(f"a score of the grade of {question!r} needs 'criterion' and a whole 'out_of'")
        if points is not None and (type(points) is not int or not 0 <= points <= most):
            raise ValueError(f"the points for {criterion!r} on {question!r} are not a whole number from 0 to {most}")
        read.append(Score(criterion, points, most))
    return Grade(question, tuple(read), comment)
