"""Every call the server makes into the game engine, in one place.

The web pages never touch a :class:`Playthrough` or an assignment session
directly: they ask a :class:`Live` playthrough (rebuilt from the database
for each request) what to show, and tell it what the student did. This
module knows nothing of HTTP or SQL; :mod:`game.server.app` moves its plain
data in and out of the database.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from game.classroom.assignment import Assignment, Question, count_words, load_assignment
from game.classroom.classdump import dump_text
from game.classroom.gradebook import canvas_csv, google_classroom_csv, moodle_csv
from game.classroom.grades import Grade, GradeError, grade_answer
from game.classroom.report import ClassData, class_record, gather, html_report, xapi_lines
from game.classroom.roster import Member, Roster, parse_roster
from game.classroom.roster import name_key as roster_key
from game.classroom.similarity import similar_pairs
from game.classroom.verify import verify_record
from game.errors import Diagnostic, SaveMismatch, SourcePos, StoryError
from game.loader.story import load_story
from game.runtime.history import Passage, passages
from game.runtime.model import Story
from game.runtime.paths import follow_novel
from game.runtime.playthrough import Playthrough
from game.runtime.scenery import winter
from game.runtime.summary import Summary, count
from game.session.assignment import Answer, AssignmentSession
from game.session.runner import ChapterClosed, Session, UndoOff

__all__ = ["Live", "StoryError", "check_name", "count", "count_words", "default_story", "load", "parse_assignment",
           "read_assignment", "similar_pairs"]
_novel_cache: dict[int, frozenset[str]] = {}


def default_story() -> Path:
    """The shipped story, or the one $KIRA_STORY names (as for every other kira command)."""
    return Path(os.environ.get("KIRA_STORY") or Path(__file__).resolve().parents[2] / "story" / "we_the_living")


def load(root: str | Path, packs: Sequence[str | Path] = ()) -> Story:
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
    looks_for: tuple[str, ...] = ()  # the rubric's criteria, as the student reads them


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
    """One student's playthrough, rebuilt from its stored state for the length of a request.

    It wraps the engine's :class:`~game.session.runner.Session`, the same runner the window and the
    terminal use, so the browser decides what follows a choice exactly as they do.
    """

    def __init__(self, story: Story, state: dict[str, Any] | None, assignment: Assignment | None = None,
                 answers: dict[str, str] | None = None, student: str = "", started: str = "",
                 play: Playthrough | None = None):
        """``play``: the playthrough already rebuilt from exactly this ``state`` (a worker's cache)."""
        self.story = story
        self.assignment = assignment
        self.notice = ""
        if play is None:
            play = Playthrough(story) if state is None else self._restore(state)
        graded: AssignmentSession | None = None
        if assignment is not None:
            graded = AssignmentSession(assignment, play, student)
            if started:
                graded.started = started
            questions = {q.id: q for q in assignment.questions}
            for qid, text in (answers or {}).items():
                if qid in questions:
                    graded.answers[qid] = Answer(questions[qid], text)
        self.session = Session(story, play, assignment=graded)

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

    @property
    def play(self) -> Playthrough:
        return self.session.play

    @property
    def graded(self) -> AssignmentSession | None:
        return self.session.assignment

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
        return self.session.undo_allowed

    @property
    def can_undo(self) -> bool:
        return self.session.can_undo

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
        """Take the ``number``-th available choice. Raises IndexError (ChoiceUnavailable) or PlayError;
        nothing has changed then."""
        beats = self.session.choose(number)
        closed = next((b.chapter.id for b in beats if isinstance(b, ChapterClosed)), None)
        return Outcome(self.session.aftermath, closed, self.play.steps[-1].to_dict(), self.play.is_over)

    def undo(self) -> dict[str, Any] | None:
        """Take back the last choice; the step taken back, or None (nothing to undo, or undo is off)."""
        if not self.play.steps:
            return None
        step = self.play.steps[-1]
        try:
            return step.to_dict() if self.session.undo() else None
        except UndoOff:
            return None

    # -- questions -----------------------------------------------------------------------------------------
    def due(self) -> list[QuestionItem]:
        """The assignment's questions whose moment has come on this path and that are not yet answered."""
        missing = self.session.missing()
        return [self._item(q, i + 1, len(missing)) for i, q in enumerate(missing)]

    def _question(self, qid: str) -> Question | None:
        """An assignment question the student may answer now (its moment came on this path)."""
        if self.graded is None:
            return None
        question = next((q for q in self.graded.assignment.questions if q.id == qid), None)
        return question if question is not None and self.graded.came(question) else None

    def question(self, qid: str) -> QuestionItem | None:
        question = self._question(qid)
        return self._item(question, 1, 1) if question is not None else None

    def _item(self, q: Question, number: int, total: int) -> QuestionItem:
        return QuestionItem(q.id, q.text, q.describe_moment(self.story), q.min_words, number, total,
                            tuple(q.looks_for()))

    def answer(self, qid: str, text: str) -> str | None:
        """Record an answer; a problem to show (too short, not asked here) or None."""
        question = self._question(qid)
        if question is None:
            return "This question is not asked at this point of the story."
        return self.session.answer(question, text)

    def answered(self) -> list[tuple[QuestionItem, str]]:
        if self.graded is None:
            return []
        qs = [q for q in self.graded.assignment.questions if q.id in self.graded.answers]
        return [(self._item(q, i + 1, len(qs)), self.graded.answers[q.id].text) for i, q in enumerate(qs)]

    @property
    def finished(self) -> bool:
        """Over, with every question that came on the path answered: ready to hand in."""
        return self.session.finished

    @property
    def student(self) -> str:
        return self.graded.student if self.graded is not None else ""

    @student.setter
    def student(self, name: str) -> None:
        if self.graded is not None:
            self.graded.student = name

    def submission(self) -> dict[str, Any] | None:
        return self.graded.submission() if self.graded is not None else None

    # -- the ending ----------------------------------------------------------------------------------------
    def ending(self) -> dict[str, Any] | None:
        scene = self.play.ending
        if scene is None or scene.ending is None:
            return None
        parts = scene.ending
        return {"title": scene.title, "where": " · ".join(p for p in (scene.location, scene.date) if p),
                "background": picture_of(scene, "title"), "epilogue": self.play.text() or [parts.epilogue],
                "state_took": parts.state_took, "could_not_take": parts.could_not_take, "novel": parts.novel,
                "reflection": self.play.questions(parts.reflection)}

    def summary(self) -> Summary:
        return self.session.summary()

    def last_chapter(self) -> str:
        """The chapter the last choice was made in (the one an ending closes)."""
        last = self.play.steps[-1].scene if self.play.steps else self.play.start_scene
        return self.story.scenes[last].chapter if last in self.story.scenes else ""

    def picture(self) -> str:
        """The picture behind the scene being played (see :func:`picture_of`)."""
        return picture_of(self.play.scene)

    def last_picture(self) -> str:
        """The picture of the place the last choice was made in: behind a chapter's map and questions,
        which belong to the chapter just closed, not to the next one's first scene."""
        last = self.play.steps[-1].scene if self.play.steps else self.play.scene_id
        return picture_of(self.story.scenes.get(last))

    def reflection(self, chapter_id: str) -> list[str]:
        """A chapter's own prompts to think about (shown in free play, as the window does)."""
        chapter = self.story.chapters.get(chapter_id)
        return self.play.questions(chapter.reflection) if chapter else []

    # -- history, codex, map -------------------------------------------------------------------------------
    def history(self) -> list[Passage]:
        """What the student read in each scene and chose there, rebuilt by replaying the steps."""
        return passages(self.play)

    def codex(self) -> list[dict[str, str]]:
        entries = [self.story.codex[c] for c in self.play.unlocked_codex() if c in self.story.codex]
        return [{"id": e.id, "kind": e.kind, "title": e.title, "text": e.text} for e in entries]

    def chapters_seen(self) -> list[tuple[str, str]]:
        """(id, title) of the chapters this path has been in, in story order."""
        seen = {self.story.scenes[s].chapter for s in self.play.visits if s in self.story.scenes}
        return [(c.id, c.title) for c in self.story.ordered_chapters() if c.id in seen]

    def path_map(self, chapter_id: str) -> list[MapScene] | None:
        """A chapter's scenes in story order, each with every road out of it: the one this path took,
        the novel's Kira's, and those not taken (a list a screen reader reads as well as eyes do)."""
        if chapter_id not in dict(self.chapters_seen()):
            return None
        story, play = self.story, self.play
        novel = self._novel_scenes()
        taken = {(step.scene, step.choice) for step in play.steps}
        visited = set(play.visits) | {play.scene_id}
        out: list[MapScene] = []
        for scene in story.scenes.values():
            if scene.chapter != chapter_id or scene.is_ending:
                continue
            roads = [Road(c.label.raw, self._title_of(c.target), (scene.id, c.index) in taken, c.novel)
                     for c in scene.choices]
            roads += [Road("the story goes on", self._title_of(r.target), False, False) for r in scene.routes]
            out.append(MapScene(scene.id, scene.title, scene.id in visited, scene.id in novel, tuple(roads),
                                0, 0.0))
        return out

    def _title_of(self, scene_id: str) -> str:
        """A road's end: a scene of this chapter by its title, another chapter by its title, an ending."""
        scene = self.story.scenes.get(scene_id)
        if scene is None:
            return scene_id
        if scene.is_ending:
            return f"an ending: {scene.title}"
        return scene.title

    def _novel_scenes(self) -> frozenset[str]:
        key = id(self.story)
        if key not in _novel_cache:
            play, _ = follow_novel(self.story)
            _novel_cache[key] = frozenset(set(play.visits) | {play.scene_id}) if play is not None else frozenset()
        return _novel_cache[key]


def check_name(name: str) -> str | None:
    """A problem with a typed name, or None."""
    if not name:
        return "Please type your name."
    if len(name) > 60:
        return "Please type a shorter name (60 characters at most)."
    if any(not ch.isprintable() for ch in name):
        return "Please type your name without special characters."
    return None


# -- the teacher's pages ------------------------------------------------------------------------------------
# What game/server/teacher.py and grading.py need from the engine, kept here with the rest of the door.

SHIPPED_ASSIGNMENTS = Path(__file__).resolve().parents[2] / "classroom" / "examples"


def shipped_assignments() -> list[tuple[str, str]]:
    """(file name, title) of the example assignments shipped with kira, for the new-class form."""
    out = []
    for path in sorted(SHIPPED_ASSIGNMENTS.glob("*.yaml")):
        try:
            out.append((path.name, load_assignment(path).title))
        except StoryError:
            continue
    return out


def check_assignment(text: str, filename: str, story: Story) -> tuple[Assignment | None, list[str]]:
    """An uploaded or shipped assignment checked exactly as ``kira play --assignment`` checks a file:
    (the assignment, []) or (None, every problem as 'file:line:col: error: ... hint: ...')."""
    name = Path(filename).name or "assignment.yaml"
    with tempfile.TemporaryDirectory(prefix="kira-upload-") as folder:
        path = Path(folder) / "assignment.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_assignment(path, story), []
        except StoryError as exc:
            problems = []
            for d in exc.diagnostics:
                where = SourcePos(name, d.pos.line, d.pos.col) if d.pos.path else d.pos
                problems.append(Diagnostic(d.code, d.severity, where, d.message, d.hint).format(with_code=False))
            return None, problems


def read_shipped(filename: str) -> str | None:
    """The text of a shipped example assignment by its file name (None for any other name)."""
    names = {p.name: p for p in SHIPPED_ASSIGNMENTS.glob("*.yaml")}
    return names[filename].read_text(encoding="utf-8") if filename in names else None


def read_roster(text: str, source: str) -> tuple[list[tuple[str, str, str]], str]:
    """A pasted or uploaded roster as (name, school id, email) triples, or ([], the problem naming its line)."""
    try:
        roster = parse_roster(text, source)
    except StoryError as exc:
        return [], "; ".join(d.format(with_code=False) for d in exc.diagnostics)
    return [(m.name, m.student_id, m.email) for m in roster.members], ""


def where_in_story(story: Story, state: dict[str, Any]) -> tuple[str, str]:
    """(chapter title, scene title) of a stored state, read without replaying it (the class page shows 300)."""
    scene = story.scenes.get(str(state.get("scene", "")))
    if scene is None:
        return "", ""
    chapter = story.chapters.get(scene.chapter) if scene.chapter else None
    return (chapter.title if chapter else ""), scene.title


def path_of(live: Live) -> list[dict[str, Any]]:
    """The choices of a playthrough in order: chapter, scene, what was chosen, and whether the novel's Kira
    chose the same (the teacher's student page: the path against the novel)."""
    story = live.story
    out = []
    for step in live.play.steps:
        scene = story.scenes.get(step.scene)
        chapter = story.chapters.get(scene.chapter) if scene and scene.chapter else None
        novel_here = bool(scene and any(c.novel for c in scene.choices))
        out.append({"chapter": chapter.title if chapter else "", "scene": scene.title if scene else step.scene,
                    "chosen": step.label, "novel": step.novel, "novel_here": novel_here})
    return out


@dataclass(frozen=True)
class CriterionItem:
    id: str
    text: str
    points: int


def rubric_of(question: Question) -> list[CriterionItem]:
    """The criteria an answer to ``question`` is graded by (its own rubric, or the assignment's)."""
    return [CriterionItem(c.id, c.text, c.points) for c in question.rubric]


def grade_from_form(question: Question, points: dict[str, str], comment: str) -> tuple[dict[str, int | None], str,
                                                                                       dict[str, str]]:
    """What a grading form sent, checked against the question's rubric (game/classroom/grades.py): (points
    by criterion, None for one not graded yet; the comment; problems by field, empty when it can be kept)."""
    try:
        grade = grade_answer(question.rubric, question.id, points, comment)
    except GradeError as exc:
        return {}, "", exc.problems
    return {s.criterion: s.points for s in grade.scores}, grade.comment, {}


def stored_grade(question: Question, points: dict[str, Any], comment: str) -> Grade | None:
    """A grade as kept in the database, read back for the exports (None when it no longer fits the rubric)."""
    try:
        return grade_answer(question.rubric, question.id, {k: v for k, v in points.items() if v is not None},
                            comment)
    except GradeError:
        return None


# -- the class report, documents and exports from the database ---------------------------------------------

@dataclass
class StudentWork:
    """One student of a class as the database holds them, for the report and the exports."""

    name: str
    school_id: str = ""
    email: str = ""
    record: dict[str, Any] | None = None  # their submission (made now for one still playing)
    grades: dict[str, tuple[dict[str, Any], str]] | None = None  # question id -> (points by criterion, comment)


def record_of(live: Live, name: str, finished: str | None) -> dict[str, Any] | None:
    """The submission record of a playthrough: what a student's game hands in, so that the report, the
    documents and the exports read the server's students exactly as they read handed-in files."""
    live.student = name
    record = live.submission()
    if record is not None and finished is None:
        record["finished"] = ""  # still playing: not handed in
    return record


def class_data(story: Story, assignment: Assignment | None, students: list[StudentWork]) -> ClassData:
    """What ``kira report`` gathers from files, gathered from the database's records (the class list is the
    roster, so who has not started shows), with the teacher's grades."""
    verdicts = [verify_record(s.record, story, "kept on the server", assignment) for s in students
                if s.record is not None]
    roster = Roster([Member(s.name, s.school_id, s.email) for s in students], "the class list") if students else None
    questions = {q.id: q for q in assignment.questions} if assignment else {}
    grades = {}
    for s in students:
        kept = [stored_grade(questions[qid], points, comment) for qid, (points, comment) in (s.grades or {}).items()
                if qid in questions]
        grades[roster_key(s.name)] = tuple(g for g in kept if g is not None)
    data = gather(story, verdicts, roster, assignment, grades=grades)
    data.live = True
    return data


def report_page(data: ClassData, title: str) -> str:
    return html_report(data, title)


def exports(data: ClassData, salt: str, title: str) -> dict[str, str]:
    """Every export of a class, by file name: the gradebooks, the xAPI statements."""
    record = class_record(data, title)
    return {"moodle.csv": moodle_csv(record), "canvas.csv": canvas_csv(record),
            "google-classroom.csv": google_classroom_csv(record), "xapi.jsonl": xapi_lines(data, salt)}


def documents_of(record: dict[str, Any], story: Story) -> dict[str, str]:
    """A student's transcript and evidence sheet as HTML (and Markdown), as ``kira play`` writes them."""
    from game.classroom.documents import render

    return render(record, story)


def class_dump_text(data: ClassData, assignment_id: str, title: str) -> str:
    """The whole class as one JSON file in the class dump format ``kira report`` reads
    (game/classroom/classdump.py: each student's record, roster id, email and grades)."""
    return dump_text(class_record(data, title), assignment_id)


SUMMER = "-summer"  # a picture's name for the same place without snow (April to October)


def picture_of(scene: Any, default: str = "default") -> str:
    """A scene's picture as the browser names it: its ``background:``, and ``-summer`` when the scene's
    date falls outside Petrograd's winter, so the browser shows the season the window shows."""
    if scene is None:
        return default
    name = scene.background or default
    return name + SUMMER if winter(scene.date or "") is False else name
