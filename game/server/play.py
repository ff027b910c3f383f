"""Every call the server makes into the game engine, in one place.

The web pages never touch a :class:`Playthrough` or an assignment session
directly: they ask a :class:`Live` playthrough (rebuilt from the database
for each request) what to show, and tell it what the student did. This
module knows nothing of HTTP or SQL; :mod:`game.server.app` moves its plain
data in and out of the database.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from game.classroom.assignment import Assignment, Question, load_assignment
from game.errors import PlayError, StoryError
from game.loader.story import load_story
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough, SaveMismatch
from game.runtime.summary import Summary, count, summarize
from game.session.assignment import AssignmentSession, count_words

__all__ = ["Live", "count", "count_words", "load", "parse_assignment", "StoryError"]


def load(root: str | Path, packs: list[str | Path] | tuple[str | Path, ...] = ()) -> Story:
    """The story, loaded once when a worker starts (raises StoryError with every problem)."""
    return load_story(root, packs)


@lru_cache(maxsize=64)
def parse_assignment(text: str, story: Story) -> Assignment:
    """An assignment from the file text kept with its class (checked against the story).

    The loader reads files (it reports problems by file, line and column), so the text is written to a
    private temporary file first; the result is cached by text, since every request of a class needs it.
    """
    with tempfile.TemporaryDirectory(prefix="kira-assignment-") as folder:
        path = Path(folder) / "assignment.yaml"
        path.write_text(text, encoding="utf-8")
        return load_assignment(path, story)


def read_assignment(path: str | Path, story: Story) -> tuple[Assignment, str]:
    """A teacher's assignment file, checked against the story, and its text to keep with the class."""
    assignment = load_assignment(path, story)
    return assignment, Path(path).read_text(encoding="utf-8")


# -- what the pages show ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChoiceItem:
    number: int  # the index to post back: its place among the choices that can be taken now
    label: str
    enabled: bool
    reason: str = ""


@dataclass(frozen=True)
class Header:
    chapter: str
    place: str
    date: str
    title: str
    background: str


@dataclass(frozen=True)
class QuestionItem:
    id: str
    text: str
    moment: str
    min_words: int
    number: int
    total: int


@dataclass(frozen=True)
class Passage:
    chapter: str
    title: str
    paragraphs: tuple[str, ...]
    chosen: str = ""
    aftermath: str = ""


@dataclass(frozen=True)
class Road:
    label: str
    to: str
    taken: bool
    novel: bool
    enabled_now: bool = True


@dataclass(frozen=True)
class MapScene:
    id: str
    title: str
    visited: bool
    novel: bool
    roads: tuple[Road, ...]
    column: int
    row: float


@dataclass(frozen=True)
class Outcome:
    """What a choice did: the aftermath, the chapter it closed (id or None), and the step to store."""

    aftermath: str
    chapter_ended: str | None
    step: dict[str, Any]
    over: bool


class Live:
    """One student's playthrough, rebuilt from its stored state for the length of a request."""

    def __init__(self, story: Story, state: dict[str, Any] | None, assignment: Assignment | None = None,
                 answers: dict[str, str] | None = None, student: str = "", started: str = ""):
        self.story = story
        self.assignment = assignment
        self.notice = ""
        if state is None:
            self.play = Playthrough(story)
        else:
            self.play = self._restore(state)
        self.session: AssignmentSession | None = None
        if assignment is not None:
            self.session = AssignmentSession(assignment, self.play, student)
            if started:
                self.session.started = started
            questions = {q.id: q for q in assignment.questions}
            for qid, text in (answers or {}).items():
                if qid in questions:
                    self.session.answers[qid] = _answer(questions[qid], text)

    def _restore(self, state: dict[str, Any]) -> Playthrough:
        """The stored state replayed; after a story update that strands it, the start of its chapter."""
        try:
            return Playthrough.from_dict(self.story, state)
        except SaveMismatch:
            play = Playthrough.from_chapter_start(self.story, state)
            chapter = play.chapter
            self.notice = ("The story was updated since you last played, and the place you had reached is gone. "
                           f"You go on from the start of {chapter.title if chapter else 'the chapter'}, "
                           "with what you had decided so far.")
            return play

    # -- state ---------------------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.play.to_dict()

    @property
    def over(self) -> bool:
        return self.play.is_over

    @property
    def steps(self) -> int:
        return len(self.play.steps)

    @property
    def undo_allowed(self) -> bool:
        return self.assignment is None or self.assignment.allow_undo

    @property
    def can_undo(self) -> bool:
        return self.undo_allowed and self.play.can_undo

    # -- the scene -----------------------------------------------------------------------------------------
    def header(self) -> Header:
        scene = self.play.scene
        chapter = self.play.chapter
        return Header(chapter.title if chapter else "", scene.location, scene.date, scene.title,
                      scene.background)

    def paragraphs(self) -> list[str]:
        return self.play.text()

    def choices(self) -> list[ChoiceItem]:
        items: list[ChoiceItem] = []
        number = 0
        for view in self.play.all_choices():
            items.append(ChoiceItem(number if view.enabled else -1, view.label, view.enabled, view.locked_reason))
            number += view.enabled
        return items

    def choose(self, number: int) -> Outcome:
        """Take the ``number``-th available choice. Raises IndexError or PlayError (nothing changed then)."""
        turn = self.play.choose(number)
        step = self.play.steps[-1]
        return Outcome(turn.aftermath, turn.chapter_ended.id if turn.chapter_ended else None,
                       step.to_dict(), self.play.is_over)

    def undo(self) -> dict[str, Any] | None:
        """Take back the last choice (when the assignment allows it); the step taken back, or None."""
        if not self.undo_allowed or not self.play.steps:
            return None
        step = self.play.steps[-1]
        return step.to_dict() if self.play.undo() else None

    # -- questions -----------------------------------------------------------------------------------------
    def due(self) -> list[QuestionItem]:
        """The assignment's questions whose moment has come on this path and that are not yet answered."""
        if self.session is None:
            return []
        missing = self.session.missing()
        return [self._item(q, i + 1, len(missing)) for i, q in enumerate(missing)]

    def question(self, qid: str) -> QuestionItem | None:
        """A question the student may answer now (its moment came); None otherwise."""
        if self.session is None:
            return None
        for q in self.assignment.questions if self.assignment else ():
            if q.id == qid and self.session.came(q):
                return self._item(q, 1, 1)
        return None

    def _item(self, q: Question, number: int, total: int) -> QuestionItem:
        return QuestionItem(q.id, q.text, q.describe_moment(self.story), q.min_words, number, total)

    def answer(self, qid: str, text: str) -> str | None:
        """Record an answer; a problem to show (too short, not asked here) or None."""
        if self.session is None or self.assignment is None:
            return "This class has no questions to answer."
        question = next((q for q in self.assignment.questions if q.id == qid), None)
        if question is None or not self.session.came(question):
            return "This question is not asked at this point of the story."
        return self.session.answer(question, text)

    def answered(self) -> list[tuple[QuestionItem, str]]:
        if self.session is None or self.assignment is None:
            return []
        qs = [q for q in self.assignment.questions if q.id in self.session.answers]
        return [(self._item(q, i + 1, len(qs)), self.session.answers[q.id].text) for i, q in enumerate(qs)]

    @property
    def finished(self) -> bool:
        """Over, with every question that came on the path answered: ready to hand in."""
        return self.play.is_over and not self.due()

    @property
    def student(self) -> str:
        return self.session.student if self.session is not None else ""

    @student.setter
    def student(self, name: str) -> None:
        if self.session is not None:
            self.session.student = name

    def submission(self) -> dict[str, Any] | None:
        return self.session.submission() if self.session is not None else None

    # -- the ending ----------------------------------------------------------------------------------------
    def ending(self) -> dict[str, Any] | None:
        scene = self.play.ending
        if scene is None or scene.ending is None:
            return None
        parts = scene.ending
        return {"title": scene.title, "where": " · ".join(p for p in (scene.location, scene.date) if p),
                "background": scene.background or "title", "epilogue": self.play.text() or [parts.epilogue],
                "state_took": parts.state_took, "could_not_take": parts.could_not_take, "novel": parts.novel,
                "reflection": list(parts.reflection)}

    def summary(self) -> Summary:
        return summarize(self.play)

    def last_chapter(self) -> str:
        """The chapter the last choice was made in (the one an ending closes)."""
        last = self.play.steps[-1].scene if self.play.steps else self.play.start_scene
        return self.story.scenes[last].chapter if last in self.story.scenes else ""

    def last_background(self) -> str:
        """The picture of the place the last choice was made in: behind a chapter's map and questions,
        which belong to the chapter just closed, not to the next one's first scene."""
        last = self.play.steps[-1].scene if self.play.steps else self.play.scene_id
        scene = self.story.scenes.get(last)
        return (scene.background if scene else "") or "default"

    def reflection(self, chapter_id: str) -> list[str]:
        """A chapter's own prompts to think about (shown in free play, as the window does)."""
        chapter = self.story.chapters.get(chapter_id)
        return list(chapter.reflection) if chapter else []

    # -- history, codex, map -------------------------------------------------------------------------------
    def history(self) -> list[Passage]:
        """What the student read in each scene and chose there, rebuilt by replaying the steps."""
        story, play = self.story, self.play
        again = Playthrough(story, seed=play.seed, clock=False)
        if play.start_scene != story.start:
            again.jump_to(play.start_scene)
        out: list[Passage] = []
        for index, step in enumerate(play.steps):
            scene = story.scenes.get(step.scene)
            if again.scene_id != step.scene or scene is None or not 0 <= step.choice < len(scene.choices):
                out += [Passage("", story.scenes[s.scene].title if s.scene in story.scenes else s.scene, (), s.label)
                        for s in play.steps[index:]]
                return out
            chapter = again.chapter.title if again.chapter else ""
            text = tuple(again.text())
            try:
                turn = again.take(scene.choices[step.choice])
            except PlayError:
                out.append(Passage(chapter, scene.title, text, step.label))
                return out
            out.append(Passage(chapter, scene.title, text, step.label, turn.aftermath))
        chapter = play.chapter.title if play.chapter else ""
        out.append(Passage(chapter, play.scene.title, tuple(play.text())))
        return out

    def codex(self) -> list[dict[str, str]]:
        entries = [self.story.codex[c] for c in self.play.unlocked_codex() if c in self.story.codex]
        return [{"id": e.id, "kind": e.kind, "title": e.title, "text": e.text} for e in entries]

    def chapters_seen(self) -> list[tuple[str, str]]:
        """(id, title) of the chapters this path has been in, in story order."""
        seen = {self.story.scenes[s].chapter for s in self.play.visits if s in self.story.scenes}
        return [(c.id, c.title) for c in self.story.ordered_chapters() if c.id in seen]

    def path_map(self, chapter_id: str) -> list[MapScene] | None:
        """A chapter's scenes with every road out of them: taken by this path, by the novel's Kira, or not."""
        from game.ui.window.pathmap_layout import chapter_map, novel_path, player_path

        if chapter_id not in self.story.chapters or chapter_id not in dict(self.chapters_seen()):
            return None
        graph = chapter_map(self.story, chapter_id)
        visited, taken = player_path(self.play)
        novel = novel_path(self.story)
        out: list[MapScene] = []
        for node in sorted(graph.nodes.values(), key=lambda n: (n.column, n.row)):
            scene = self.story.scenes.get(node.id)
            if scene is None or node.kind not in ("scene", "router"):
                continue
            roads = []
            for edge in graph.roads(node.id):
                target = graph.nodes.get(edge.dst)
                if edge.route:
                    label = "the story goes on"
                else:
                    label = scene.choices[edge.choice].label.raw
                roads.append(Road(label, target.title if target else edge.dst,
                                  (node.id, edge.choice, edge.route) in taken, edge.novel))
            out.append(MapScene(node.id, node.title, node.id in visited, node.id in novel, tuple(roads),
                                node.column, node.row))
        return out


def _answer(question: Question, text: str):  # type: ignore[no-untyped-def]
    from game.session.assignment import Answer

    return Answer(question, text)


def check_name(name: str) -> str | None:
    """A problem with a typed name, or None."""
    if not name:
        return "Please type your name."
    if len(name) > 60:
        return "Please type a shorter name (60 characters at most)."
    if any(not ch.isprintable() for ch in name):
        return "Please type your name without special characters."
    return None
