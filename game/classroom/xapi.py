"""xAPI statements for schools whose learning record store collects them.

Actors are pseudonymous accounts (a salted hash of the student's name),
never an email address. Verbs follow the xAPI serious-games profile
(https://w3id.org/xapi/seriousgames) and ADL's vocabulary.

Grades go in ``result.score`` (xAPI 1.0.3, section 4.1.5.1: ``scaled`` from
-1 to 1, ``raw`` between ``min`` and ``max``): one ``scored`` statement per
graded answer, and the rubric total on ``completed`` once every answer is
graded. The share of choices that match the novel is never a score (there
are no wrong paths): it travels as a result extension.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from game.classroom.grades import Grade, total

VERBS = {
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "accessed": "https://w3id.org/xapi/seriousgames/verbs/accessed",
    "selected": "https://w3id.org/xapi/adb/verbs/selected",
    "scored": "http://adlnet.gov/expapi/verbs/scored",
}
ACTIVITY = "https://w3id.org/xapi/seriousgames/activity-types/serious-game"
SCENE_TYPE = "https://w3id.org/xapi/seriousgames/activity-types/level"
CHOICE_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
QUESTION_TYPE = "http://adlnet.gov/expapi/activities/question"
HOME = "https://we-the-living.invalid/classroom"
AGREEMENT = f"{HOME}/novel-agreement"  # result extension: share of choices as in the novel, 0..1


def score(points: int, out_of: int) -> dict[str, Any]:
    """An xAPI score object: raw points within min and max, and the scaled share (0..1 here)."""
    return {"scaled": round(points / out_of, 4) if out_of else 0.0, "raw": points, "min": 0, "max": out_of}


def actor(student: str, salt: str) -> dict[str, Any]:
    pseudonym = hashlib.sha256(f"{salt}\0{student}".encode()).hexdigest()[:20]
    return {"objectType": "Agent", "account": {"homePage": HOME, "name": pseudonym}}


def _statement(record: dict[str, Any], who: dict[str, Any], verb: str, obj: dict[str, Any], time: str,
               n: int, result: dict[str, Any] | None = None) -> dict[str, Any]:
    seed = f"{record.get('student')}|{record.get('started')}|{n}|{verb}"
    statement = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, seed)),
        "actor": who,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": obj,
    }
    if time:  # optional in xAPI, and an empty string is not a timestamp: the store then stamps it on receipt
        statement["timestamp"] = time
    if result is not None:
        statement["result"] = result
    return statement


def statements(record: dict[str, Any], salt: str, grades: tuple[Grade, ...] = ()) -> list[dict[str, Any]]:
    """The statements of one submission, in order; ``grades`` (complete ones) add a score for each answer
    and, when every answer is graded, the total on ``completed``."""
    who = actor(str(record.get("student", "")), salt)
    story = record.get("story", {})
    game = {"objectType": "Activity", "id": f"{HOME}/story/{story.get('id')}",
            "definition": {"type": ACTIVITY, "name": {"en-US": str(story.get("title", ""))}}}
    out = [_statement(record, who, "initialized", game, str(record.get("started", "")), 0)]
    steps = record.get("playthrough", {}).get("steps", [])
    for n, step in enumerate(steps, 1):
        scene = {"objectType": "Activity", "id": f"{game['id']}/scene/{step['scene']}",
                 "definition": {"type": SCENE_TYPE, "name": {"en-US": str(step["scene"])}}}
        out.append(_statement(record, who, "accessed", scene, str(step.get("time", "")), 2 * n - 1))
        choice = {"objectType": "Activity", "id": f"{scene['id']}/choice/{step['choice']}",
                  "definition": {"type": CHOICE_TYPE, "name": {"en-US": str(step.get("label", ""))}}}
        out.append(_statement(record, who, "selected", choice, str(step.get("time", "")), 2 * n,
                              {"response": str(step.get("label", "")),
                               "extensions": {f"{HOME}/novel-choice": bool(step.get("novel"))}}))
    summary = record.get("summary", {})
    finished = str(record.get("finished", ""))
    answers = {str(a.get("question")): a for a in record.get("answers", [])}
    assignment = record.get("assignment", {})
    n = 2 * len(steps) + 1
    for grade in grades:
        if grade.complete and grade.question in answers:
            question = {"objectType": "Activity",
                        "id": f"{HOME}/assignment/{assignment.get('id')}/question/{grade.question}",
                        "definition": {"type": QUESTION_TYPE,
                                       "name": {"en-US": str(answers[grade.question].get("text", ""))}}}
            out.append(_statement(record, who, "scored", question, finished, n,
                                  {"score": score(grade.points, grade.out_of)}))
            n += 1
    result: dict[str, Any] = {"completion": record.get("ending") is not None,
                              "response": str(record.get("ending")),
                              "extensions": {AGREEMENT: float(summary.get("agreement", 0.0))}}
    graded = total(grades, answers)
    if grades and graded.complete:
        result["score"] = score(graded.points, graded.out_of)
    out.append(_statement(record, who, "completed", game, finished, n, result))
    return out
