"""Checking that a submission is genuine by replaying it through the engine.

A record is *genuine* when every step replays, and the scene, variables,
ending, summary and answer word counts it claims are exactly what the
replay produces. It is *tampered* at the first field that does not match.
A record made with other story files (another content hash) is reported
as such, and still replayed so the teacher learns whether it fits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.classroom.assignment import KIND, count_words
from game.runtime.model import Choice, Story
from game.runtime.playthrough import Playthrough, Step, replay
from game.runtime.summary import summarize

GENUINE, TAMPERED, OTHER_VERSION, UNREADABLE = "genuine", "tampered", "other version", "unreadable"


@dataclass(frozen=True)
class Verdict:
    path: str
    status: str
    detail: str = ""
    student: str = ""
    record: dict[str, Any] | None = None

    @property
    def genuine(self) -> bool:
        return self.status == GENUINE

    def line(self) -> str:
        who = f" ({self.student})" if self.student else ""
        return f"{self.path}{who}: {self.status}" + (f": {self.detail}" if self.detail else "")


def read_record(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise ValueError("not a We the Living submission")
    return data


def verify_file(path: Path, story: Story) -> Verdict:
    try:
        record = read_record(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Verdict(str(path), UNREADABLE, str(exc).splitlines()[0])
    return verify_record(record, story, str(path))


def verify_record(record: dict[str, Any], story: Story, name: str = "") -> Verdict:
    student = str(record.get("student", ""))
    problem = _replay_problem(record, story)
    other = record.get("story", {}).get("hash") != story.content_hash
    if problem:
        status = OTHER_VERSION if other else TAMPERED
        detail = ("made with another version of the story; " if other else "") + problem
        return Verdict(name, status, detail, student, record)
    if other:
        return Verdict(name, OTHER_VERSION, "made with another version of the story, but every step replays",
                       student, record)
    return Verdict(name, GENUINE, "", student, record)


def _replay_problem(record: dict[str, Any], story: Story) -> str:
    """The first thing that does not replay, or '' when everything matches."""
    data = record.get("playthrough")
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        return "the playthrough data is missing"
    if record.get("story", {}).get("id") != story.id or data.get("story") != story.id:
        return f"it is a submission for another story ({record.get('story', {}).get('id')!r})"
    steps: list[Step] = []
    for number, raw in enumerate(data["steps"], 1):
        try:
            steps.append(Step.from_dict(raw))
        except ValueError:
            return f"step {number} is malformed"
    seed = data.get("seed", 0)
    if type(seed) is not int:
        return "the seed is malformed"

    def same_claims(play: Playthrough, index: int, step: Step, choice: Choice) -> str:
        """What the record says of a step (the report and the papers show it) must be what the story says."""
        if choice.condition is not None and not choice.condition.fn(play.variables, play.visits):
            return f"takes \u201c{choice.label.raw}\u201d, which was not available at that point"
        label = choice.label.render(play.variables)
        if step.label != label or step.novel != choice.novel:
            what = "label" if step.label != label else "novel's choice flag"
            return f"has its {what} changed: the choice reads \u201c{_short(label)}\u201d"
        return ""

    result = replay(story, steps, str(data.get("start") or story.start), seed=seed, check=same_claims)
    if not result.ok:
        assert result.failed_at is not None
        return f"step {result.failed_at + 1} {result.reason}"
    play = result.play
    for number, (step, turn) in enumerate(zip(steps, result.turns, strict=True), 1):
        if step.target and step.target != turn.scene.id:
            return f"step {number} claims to lead to {step.target!r}, but it leads to {turn.scene.id!r}"
    checks = [
        ("scene", data.get("scene"), play.scene_id),
        ("variables", data.get("variables"), play.variables),
        ("ending", record.get("ending"), play.ending.id if play.ending else None),
        ("ending", data.get("ending"), play.ending.id if play.ending else None),
    ]
    for field, claimed, actual in checks:
        if claimed != actual:
            return f"the {field} in the record ({_short(claimed)}) is not what the choices lead to ({_short(actual)})"
    summary = summarize(play).to_dict()
    if record.get("summary") != json.loads(json.dumps(summary)):
        return "the summary does not match the choices"
    for answer in record.get("answers", []):
        if count_words(str(answer.get("answer", ""))) != answer.get("words"):
            return f"the word count of the answer to {answer.get('question')!r} was changed"
    return ""


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."
