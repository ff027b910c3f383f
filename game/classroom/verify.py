"""Checking that a submission is genuine by replaying it through the engine.

A record is *genuine* when every step replays, and the scene, variables,
ending, summary and answer word counts it claims are exactly what the
replay produces. It is *tampered* at the first field that does not match.

A record made with other story files (another content hash) is replayed
too: when every step still replays to the same scenes, ending and
variables, only the wording changed (a prose fix), and it is *same path,
newer wording*, which counts like a genuine one. When it does not replay
it is *other version*.

Given the teacher's own assignment, the record's assignment, questions,
minimum words and starting chapter are compared with it (*not as
assigned* when they differ): a student can edit a copy of the assignment
file, and the record alone cannot show that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.classroom.assignment import Assignment, count_words, reached
from game.classroom.documents import plain_text
from game.classroom.records import BadRecord, read_record
from game.runtime.model import Choice, Story
from game.runtime.playthrough import Playthrough, Step, replay
from game.runtime.summary import summarize

GENUINE, NEWER_WORDING, TAMPERED = "genuine", "same path, newer wording", "tampered"
OTHER_VERSION, NOT_AS_ASSIGNED, UNREADABLE = "other version", "not as assigned", "unreadable"
COUNTED = (GENUINE, NEWER_WORDING)  # records whose path and answers are what was played
TEXT_FIELDS = ("ending_title", "departures", "decisive")  # summary fields that quote the story's wording


@dataclass(frozen=True)
class Verdict:
    path: str
    status: str
    detail: str = ""
    student: str = ""
    record: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # worth knowing, not a fault

    @property
    def genuine(self) -> bool:
        """The path and answers are what the student played (with today's wording or an older one)."""
        return self.status in COUNTED

    @property
    def finished(self) -> str:
        return str(self.record.get("finished", "")) if self.record else ""

    def line(self) -> str:
        """One line for the teacher's terminal (without direction controls, which could make it read backwards)."""
        who = f" ({self.student})" if self.student else ""
        text = f"{self.path}{who}: {self.status}" + (f": {self.detail}" if self.detail else "")
        return plain_text(text + "".join(f"\n    note: {note}" for note in self.notes))


def verify_file(path: Path, story: Story, assignment: Assignment | None = None) -> Verdict:
    try:
        record = read_record(path)
    except (OSError, BadRecord) as exc:
        return Verdict(str(path), UNREADABLE, str(exc).splitlines()[0])
    try:
        return verify_record(record, story, str(path), assignment)
    except Exception as exc:  # noqa: BLE001 - one strange file must never stop the class report
        return Verdict(str(path), UNREADABLE, f"it could not be checked ({type(exc).__name__}: {exc})",
                       str(record.get("student", "")))


def verify_record(record: dict[str, Any], story: Story, name: str = "",
                  assignment: Assignment | None = None) -> Verdict:
    student = str(record.get("student", ""))
    other = record.get("story", {}).get("hash") != story.content_hash
    problem, play, reworded = _replay(record, story, other)
    if problem:
        status = OTHER_VERSION if other else TAMPERED
        detail = ("made with another version of the story; " if other else "") + problem
        return Verdict(name, status, detail, student, record)
    notes: list[str] = []
    if assignment is not None:
        assert play is not None
        mismatch, note = _assignment_problem(record, assignment, play)
        if mismatch:
            return Verdict(name, NOT_AS_ASSIGNED, mismatch, student, record)
        notes += [note] if note else []
    if other:
        detail = "made with an earlier wording of the story; every step replays to the same scenes and ending"
        if reworded:
            detail += f" ({len(reworded)} choice label(s) read differently now)"
        return Verdict(name, NEWER_WORDING, detail, student, _in_todays_words(record, play, reworded), tuple(notes))
    return Verdict(name, GENUINE, "", student, record, tuple(notes))


def _in_todays_words(record: dict[str, Any], play: Playthrough | None, reworded: dict[int, str]) -> dict[str, Any]:
    """The record with the labels and summary the story gives them today: the class report then shows one
    wording for everyone, and nothing a record claims of an older wording reaches it."""
    assert play is not None
    copy = json.loads(json.dumps(record))
    for index, label in reworded.items():
        copy["playthrough"]["steps"][index]["label"] = label
    copy["summary"] = json.loads(json.dumps(summarize(play).to_dict()))
    return copy


def _replay(record: dict[str, Any], story: Story, other: bool) -> tuple[str, Playthrough | None, dict[int, str]]:
    """Replay the record: the first thing that does not match ('' when all do), the replay, and the labels
    that read differently today, by step (allowed only for a record made with another wording of the story)."""
    data = record.get("playthrough")
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        return "the playthrough data is missing", None, {}
    if record.get("story", {}).get("id") != story.id or data.get("story") != story.id:
        return f"it is a submission for another story ({record.get('story', {}).get('id')!r})", None, {}
    steps: list[Step] = []
    for number, raw in enumerate(data["steps"], 1):
        try:
            steps.append(Step.from_dict(raw))
        except (KeyError, TypeError, ValueError):
            return f"step {number} is malformed", None, {}
    seed = data.get("seed", 0)
    if type(seed) is not int:
        return "the seed is malformed", None, {}
    reworded: dict[int, str] = {}

    def same_claims(play: Playthrough, index: int, step: Step, choice: Choice) -> str:
        """What the record says of a step (the report and the papers show it) must be what the story says;
        only the wording of a label may differ, and only in a record made with other story files."""
        if choice.condition is not None and not choice.condition.fn(play.variables, play.visits):
            return f"takes \u201c{choice.label.raw}\u201d, which was not available at that point"
        if step.novel != choice.novel:
            return "has its novel's choice flag changed"
        label = choice.label.render(play.variables)
        if step.label != label:
            if not other:
                return f"has its label changed: the choice reads \u201c{_short(label)}\u201d"
            reworded[index] = label
        return ""

    result = replay(story, steps, str(data.get("start") or story.start), seed=seed, check=same_claims)
    if not result.ok:
        assert result.failed_at is not None
        return f"step {result.failed_at + 1} {result.reason}", None, {}
    play = result.play
    for number, (step, turn) in enumerate(zip(steps, result.turns, strict=True), 1):
        if step.target and step.target != turn.scene.id:
            return f"step {number} claims to lead to {step.target!r}, but it leads to {turn.scene.id!r}", None, {}
    checks = [
        ("scene", data.get("scene"), play.scene_id),
        ("variables", data.get("variables"), play.variables),
        ("ending", record.get("ending"), play.ending.id if play.ending else None),
        ("ending", data.get("ending"), play.ending.id if play.ending else None),
    ]
    for name, claimed, actual in checks:
        if claimed != actual:
            return (f"the {name} in the record ({_short(claimed)}) is not what the choices lead to ({_short(actual)})",
                    None, {})
    summary = json.loads(json.dumps(summarize(play).to_dict()))
    claimed_summary = record.get("summary")
    if other and isinstance(claimed_summary, dict):  # the wording of titles and labels may have changed
        summary = {k: v for k, v in summary.items() if k not in TEXT_FIELDS}
        claimed_summary = {k: v for k, v in claimed_summary.items() if k not in TEXT_FIELDS}
    if claimed_summary != summary:
        return "the summary does not match the choices", None, {}
    for answer in record.get("answers", []):
        if count_words(str(answer.get("answer", ""))) != answer.get("words"):
            return f"the word count of the answer to {answer.get('question')!r} was changed", None, {}
    return "", play, reworded


def _assignment_problem(record: dict[str, Any], assignment: Assignment, play: Playthrough) -> tuple[str, str]:
    """What differs from the teacher's assignment ('' when nothing), and a note worth showing anyway."""
    claimed = record.get("assignment", {})
    if claimed.get("id") != assignment.id:
        return f"it was made for the assignment {claimed.get('id')!r}, not {assignment.id!r}", ""
    story = play.story
    entry = story.chapter_entry(assignment.start_chapter) if assignment.start_chapter else story.start
    if play.start_scene != entry:
        where = f"the start of {assignment.start_chapter!r}" if assignment.start_chapter else "the story's beginning"
        return f"it starts at the scene {play.start_scene!r}, but the assignment starts at {where}", ""
    answers = {str(a.get("question")): a for a in record.get("answers", [])}
    skipped = {str(s.get("question")): s for s in record.get("not_reached", [])}
    asked = {q.id for q in assignment.questions}
    for qid in [*answers, *skipped]:
        if qid not in asked:
            return f"it has the question {qid!r}, which the assignment does not ask", ""
    for question in assignment.questions:
        given = answers.get(question.id) or skipped.get(question.id)
        came = reached(play, question)
        if given is None and "not_reached" not in record and not came:
            continue  # written before submissions listed the questions a path did not reach
        if given is None:
            return f"the question {question.id!r} is missing", ""
        if " ".join(str(given.get("text", "")).split()) != question.text:
            return f"the question {question.id!r} reads differently from the assignment", ""
        if question.id in answers:
            words = int(answers[question.id].get("words", 0))
            if words < question.min_words:
                return (f"the answer to {question.id!r} has {words} word(s); the assignment asks for at least "
                        f"{question.min_words}"), ""
            if not came:
                return f"it answers {question.id!r}, whose moment its path never reached", ""
        elif came:
            return f"it lists {question.id!r} as not reached, but its path reached that moment", ""
    note = ""
    if claimed.get("hash") != assignment.content_hash:
        note = ("the assignment file it was played with differs from yours, but its questions, minimum words "
                "and start are the same")
    return "", note


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."
