"""An assignment being played: which questions are due now, checking answers, and the final record.

Front ends call this: after every turn ``due_after(turn)`` lists the
questions to ask; ``answer(question, text)`` returns a problem to show
(too short) or None; at the end ``submission()`` builds the record.

A session with a ``progress`` file keeps itself there after every turn and
answer (saving is off during an assignment, and a class may play over two
lessons); :meth:`AssignmentSession.resume` picks it up again, and
:meth:`AssignmentSession.finish` removes it once the submission is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game.atomic import write_atomic
from game.classroom.assignment import KIND, Assignment, Question, count_words, reached
from game.errors import SaveMismatch
from game.loader.files import read_small_json
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough, Turn
from game.runtime.summary import summarize
from game.session.saves import story_folder

SUBMISSION_FORMAT = 1
PROGRESS_KIND = "we-the-living-assignment-progress"


def progress_path(assignment: Assignment, student: str, story: Story) -> Path:
    """Where an unfinished assignment is kept: beside the saves, one file per assignment and student."""

    slug = re.sub(r"[^\w-]+", "_", student, flags=re.UNICODE).strip("_").lower() or "student"
    return story_folder(story) / f"assignment-{assignment.id}-{slug}.json"


@dataclass
class Answer:
    """A student's answer to one question of an assignment."""

    question: Question
    text: str

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass
class AssignmentSession:
    """A student working through an assignment: the playthrough, the answers, and where progress is kept."""

    assignment: Assignment
    play: Playthrough
    student: str
    answers: dict[str, Answer] = field(default_factory=dict)
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    progress: Path | None = None  # where to keep the unfinished session (None: nowhere, as in scripted runs)

    def __post_init__(self) -> None:
        if self.assignment.start_chapter:
            entry = self.play.story.chapter_entry(self.assignment.start_chapter)
            if entry is not None and not self.play.steps and self.play.start_scene != entry:
                self.play = Playthrough(self.play.story, seed=self.play.seed, clock=self.play.clock, start=entry)

    # -- what to ask -----------------------------------------------------------
    def due_at_start(self) -> list[Question]:
        """Questions to ask before play (re)starts: a scene question on the first scene, and in a resumed
        session every question whose moment came while it was left unanswered."""
        return self.missing()

    def due_after(self, turn: Turn, scenes: bool = True) -> list[Question]:
        """Questions for the moment just reached: a chapter that ended, the scene entered, or the ending.

        A front end that shows the new scene first passes ``scenes=False`` and asks :meth:`due_in_scene`
        once the scene is on screen (a question about a scene makes no sense before the student reads it).
        """
        ended = turn.chapter_ended.id if turn.chapter_ended else None
        self.keep()
        scene_now = scenes or self.play.is_over  # an ending has no scene page of its own to wait for

        def due(q: Question) -> bool:
            return ((q.moment == "chapter_end" and q.target == ended)
                    or (scene_now and q.moment == "scene" and q.target == self.play.scene_id)
                    or (q.moment == "ending" and self.play.is_over))
        return self._unanswered(due)

    def due_in_scene(self) -> list[Question]:
        """The questions about the scene now on screen, still unanswered."""
        return self._unanswered(lambda q: q.moment == "scene" and q.target == self.play.scene_id)

    def _unanswered(self, due: Any) -> list[Question]:
        return [q for q in self.assignment.questions if q.id not in self.answers and due(q)]

    def missing(self) -> list[Question]:
        """Questions still to answer before handing in: those whose moment came on this path."""
        return [q for q in self.assignment.questions if q.id not in self.answers and self.came(q)]

    def not_reached(self) -> list[Question]:
        """Questions whose moment this path never reached (a chapter it skipped, a scene it never entered):
        a student whose story ended early can still hand in."""
        return [q for q in self.assignment.questions if q.id not in self.answers and not self.came(q)]

    def came(self, question: Question) -> bool:
        """Whether the path played so far has reached the question's moment."""
        return reached(self.play, question)

    # -- answering -------------------------------------------------------------
    def problem_with(self, question: Question, text: str) -> str | None:
        words = count_words(text)
        if words < question.min_words:
            return f"Please write at least {question.min_words} words (you wrote {words})."
        return None

    def answer(self, question: Question, text: str) -> str | None:
        """Record an answer; returns a one-line problem instead when it is too short."""
        problem = self.problem_with(question, text)
        if problem is None:
            self.answers[question.id] = Answer(question, text.strip())
            self.keep()
        return problem

    # -- keeping an unfinished session -------------------------------------------
    def keep(self) -> None:
        """Write the path and the answers so far to the progress file (if any)."""
        if self.progress is None:
            return
        data = {"kind": PROGRESS_KIND, "assignment": self.assignment.id, "student": self.student,
                "started": self.started, "playthrough": self.play.to_dict(),
                "answers": {qid: answer.text for qid, answer in self.answers.items()}}
        try:
            write_atomic(self.progress, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError:
            pass  # a safety net only: a full disk must not stop the student playing

    def finish(self) -> None:
        """The submission is written: the kept progress is no longer needed."""
        if self.progress is not None:
            self.progress.unlink(missing_ok=True)

    @classmethod
    def resume(cls, assignment: Assignment, story: Story, student: str, path: Path) -> AssignmentSession | None:
        """The unfinished session kept at ``path``, or None when there is none or it no longer fits the story."""
        try:
            data = read_small_json(path)
            if data.get("kind") != PROGRESS_KIND or data.get("assignment") != assignment.id:
                return None
            play = Playthrough.from_dict(story, data["playthrough"])
        except (OSError, ValueError, AttributeError, KeyError, TypeError, SaveMismatch):
            return None
        kept = data["playthrough"].get("steps", [])
        if len(kept) == len(play.steps):  # the replay stamped the steps anew; keep when they were first taken
            play.steps = [step._replace(time=str(old.get("time", step.time)) if isinstance(old, dict) else step.time)
                          for step, old in zip(play.steps, kept, strict=True)]
        session = cls(assignment, play, student, progress=path)
        if isinstance(data.get("started"), str) and data["started"]:
            session.started = data["started"]  # the record says when the student first began
        answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
        for question in assignment.questions:
            text = answers.get(question.id)
            if isinstance(text, str) and text.strip():
                session.answers[question.id] = Answer(question, text.strip())
        return session

    # -- the record ------------------------------------------------------------
    def submission(self) -> dict[str, Any]:
        play = self.play
        story = play.story
        return {
            "kind": KIND,
            "format": SUBMISSION_FORMAT,
            "student": self.student,
            "assignment": {"id": self.assignment.id, "title": self.assignment.title,
                           "hash": self.assignment.content_hash},
            "story": {"id": story.id, "title": story.title, "hash": story.content_hash},
            "started": self.started,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "playthrough": play.to_dict(),
            "answers": [
                {"question": a.question.id, "text": a.question.text, "moment": a.question.describe_moment(story),
                 "answer": a.text, "words": a.words}
                for a in (self.answers[q.id] for q in self.assignment.questions if q.id in self.answers)
            ],
            "not_reached": [{"question": q.id, "text": q.text, "moment": q.describe_moment(story)}
                            for q in self.not_reached()],
            "ending": play.ending.id if play.ending else None,
            "summary": summarize(play).to_dict(),
        }
