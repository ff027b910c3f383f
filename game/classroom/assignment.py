"""Assignments: a YAML file a teacher writes, read as safely as a story file.

An assignment names the story, optional starting chapter, reflection
questions tied to moments of play, a minimum length for answers, whether
undo is allowed, instructions, and the rubric the answers are graded by
(see ``game.classroom.rubric``). Mistakes come back as the same
``path:line:col`` diagnostics as story files.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from game.classroom.rubric import Rubric, for_students, read_rubric
from game.errors import Diagnostic, SourcePos, StoryError, relative_path
from game.loader.fields import FieldReader
from game.loader.files import MAX_FILE_BYTES, read_limited
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough

if TYPE_CHECKING:
    from game.loader.source import Node

MOMENTS = ("chapter_end", "scene", "ending")
MAX_MIN_WORDS = 2000  # about four pages: more than any reflection asked for in play
KEYS = ("id", "title", "story", "start_chapter", "min_words", "allow_undo", "instructions", "questions",
        "rubric")
QUESTION_KEYS = ("id", "at", "chapter", "scene", "text", "min_words", "rubric")


@dataclass(frozen=True)
class Question:
    """A reflection question asked at a moment: the end of a chapter, entering a scene, or the ending."""

    id: str
    text: str
    moment: str
    target: str = ""  # chapter id or scene id
    min_words: int = 0
    rubric: Rubric = ()  # the criteria its answers are graded by: its own, or else the assignment's

    def looks_for(self) -> list[str]:
        """The rubric's criteria as the student reads them under the question (none: no rubric)."""
        return for_students(self.rubric)

    def describe_moment(self, story: Story | None = None) -> str:
        if self.moment == "ending":
            return "at the ending"
        if self.moment == "chapter_end":
            chapter = story.chapters.get(self.target) if story else None
            return f"at the end of {chapter.title if chapter else self.target}"
        scene = story.scenes.get(self.target) if story else None
        return f"at the scene \u201c{scene.title if scene else self.target}\u201d"


@dataclass(frozen=True)
class Assignment:
    """An assignment as a teacher wrote it: the story, where play starts, the questions and the rubric."""

    id: str
    title: str
    story: str
    questions: tuple[Question, ...]
    instructions: str = ""
    start_chapter: str = ""
    min_words: int = 0
    allow_undo: bool = True
    path: str = ""
    content_hash: str = ""
    rubric: Rubric = ()  # the assignment-level rubric (each question's own is on the question)

    @property
    def graded(self) -> bool:
        """Whether answers are graded by a rubric (otherwise the gradebook gives a completion grade)."""
        return any(q.rubric for q in self.questions)


def load_assignment(path: str | Path, story: Story | None = None) -> Assignment:
    """Read and check an assignment file (against ``story`` when given); raise StoryError listing every problem."""
    path = Path(path)
    reader = FieldReader()
    if not path.is_file():

        missing = Diagnostic("missing-file", "error", SourcePos(str(path)), "the assignment file does not exist")
        raise StoryError([missing])
    from game.loader.source import read_yaml  # YAML only when an assignment is read

    node, problems = read_yaml(path, relative_path(path))
    reader.problems.extend(problems)
    assignment = None
    if node is not None and reader.expect_map(node, "an assignment"):
        assignment = _build(reader, node, path, story)
    errors = [d for d in reader.problems if d.severity == "error"]
    if errors or assignment is None:
        raise StoryError(errors or reader.problems)
    return assignment


def _build(reader: FieldReader, node: Node, path: Path, story: Story | None) -> Assignment:
    reader.check_keys(node, KEYS, "the assignment")
    what = "the assignment"
    story_id = reader.string(node, "story", what)
    if story is not None and story_id and story_id != story.id:
        reader.error(node.value["story"].pos, f"the assignment is for the story {story_id!r}, not {story.id!r}",
                     "play it with --story pointing at that story")
    start = reader.string(node, "start_chapter", what, required=False)
    if start and story is not None and start not in story.chapters:
        reader.error(node.value["start_chapter"].pos, f"unknown chapter {start!r}",
                     "chapters: " + ", ".join(story.chapters))
    min_words = _min_words(reader, node, what, 0)
    rubric = read_rubric(reader, node, what)
    questions: list[Question] = []
    nodes: list[Node] = []
    seen: set[str] = set()
    start_number = story.chapters[start].number if story is not None and start in story.chapters else None
    items = reader.expect_list(node.value["questions"], "'questions'") if "questions" in node.value else []
    if not items:
        reader.error(node.pos, "the assignment has no questions", "add a 'questions:' list", "missing-field")
    for item in items:
        question = _question(reader, item, story, min_words, rubric)
        if question is None:
            continue
        if start_number is not None and story is not None:
            _check_after_start(reader, item, question, story, start, start_number)
        if question.id in seen:
            reader.error(item.pos, f"duplicate question id {question.id!r}", code="duplicate-id")
        seen.add(question.id)
        questions.append(question)
        nodes.append(item)
    if any(q.rubric for q in questions):  # graded by points: every answer needs criteria to be graded by
        for question, item in zip(questions, nodes, strict=True):
            if not question.rubric and "rubric" not in item.value:
                reader.error(item.pos, f"question {question.id!r} has no rubric, but other questions have one",
                             "give it a 'rubric:' of its own, or put one rubric at the top of the file for all",
                             "missing-rubric")
    return Assignment(
        id=reader.identifier(node, "id", what),
        title=_text(reader, node, "title", what),
        story=story_id,
        questions=tuple(questions),
        instructions=reader.string(node, "instructions", what, required=False).strip(),
        start_chapter=start,
        min_words=min_words,
        allow_undo=reader.boolean(node, "allow_undo", what) if "allow_undo" in node.value else True,
        path=str(path),
        content_hash=_file_hash(path),
        rubric=rubric,
    )


def _question(reader: FieldReader, item: Node, story: Story | None, default_words: int,
              default_rubric: Rubric) -> Question | None:
    if not reader.expect_map(item, "a question"):
        return None
    reader.check_keys(item, QUESTION_KEYS, "a question")
    qid = reader.identifier(item, "id", "a question")
    what = f"question {qid!r}"
    moment = reader.string(item, "at", what)
    if moment and moment not in MOMENTS:
        reader.error(item.value["at"].pos, f"'at' must be one of {', '.join(MOMENTS)}")
    target = ""
    if moment == "chapter_end":
        target = reader.string(item, "chapter", what)
        if target and story is not None and target not in story.chapters:
            reader.error(item.value["chapter"].pos, f"unknown chapter {target!r}",
                         "chapters: " + ", ".join(story.chapters))
    elif moment == "scene":
        target = reader.string(item, "scene", what)
        if target and story is not None and target not in story.scenes:
            reader.error(item.value["scene"].pos, f"unknown scene {target!r}")
    return Question(qid, _text(reader, item, "text", what), moment, target,
                    _min_words(reader, item, what, default_words),
                    read_rubric(reader, item, what) if "rubric" in item.value else default_rubric)


def _text(reader: FieldReader, node: Node, key: str, what: str) -> str:
    """A required text, its spacing tidied; blank text is an error, as a missing one is."""
    text = " ".join(reader.string(node, key, what).split())
    if key in node.value and node.value[key].value is not None and not text:
        reader.error(node.value[key].pos, f"{key!r} of {what} is blank", "write the text after the colon")
    return text


def _min_words(reader: FieldReader, node: Node, what: str, default: int) -> int:
    """A minimum length for answers: at least 1 word when given, and no more than a student can write in play."""
    words = reader.integer(node, "min_words", what, default=default)
    child = node.value.get("min_words")
    if child is not None and isinstance(child.value, int) and not 1 <= words <= MAX_MIN_WORDS:
        reader.error(child.pos, f"'min_words' of {what} is {words}; it must be from 1 to {MAX_MIN_WORDS}",
                     "leave 'min_words' out for no minimum")
        return default
    return words


def _check_after_start(reader: FieldReader, item: Node, question: Question, story: Story, start: str,
                       start_number: int) -> None:
    """A question in a chapter before the one play starts in could never be asked."""
    if question.moment == "chapter_end":
        chapter, key = story.chapters.get(question.target), "chapter"
    elif question.moment == "scene" and question.target in story.scenes:
        scene_chapter = story.scenes[question.target].chapter
        chapter, key = story.chapters.get(scene_chapter) if scene_chapter else None, "scene"
    else:
        return
    if chapter is not None and chapter.number < start_number:
        reader.error(item.value[key].pos, f"question {question.id!r} is in {chapter.title}, before "
                     f"{story.chapters[start].title}, where play starts ('start_chapter: {start}')",
                     "move the question to a later chapter, or start earlier", "before-start")


KIND = "we-the-living-submission"  # the "kind" field of a submission file


def count_words(text: str) -> int:
    """Words as a teacher counts them: runs of letters or digits, with inner apostrophes and hyphens."""
    return len(re.findall(r"[^\W_]+(?:['\u2019-][^\W_]+)*", text))


def reached(play: Playthrough, question: Question) -> bool:
    """Whether a path has reached a question's moment (the verifier asks this of a replayed record too)."""
    if question.moment == "ending":
        return play.is_over
    if question.moment == "scene":
        return question.target in play.visits or play.scene_id == question.target
    scenes = play.story.scenes
    return any(scenes[step.scene].chapter == question.target and scenes[step.target].chapter != question.target
               for step in play.steps if step.scene in scenes and step.target in scenes)


def _file_hash(path: Path) -> str:
    """The SHA-256 of the assignment file as read (within the loader's size limit)."""
    try:
        return hashlib.sha256(read_limited(path, MAX_FILE_BYTES)).hexdigest()
    except OSError:
        return ""
