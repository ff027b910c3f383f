"""xAPI statements for schools whose learning record store collects them.

Actors are pseudonymous accounts (a salted hash of the student's name),
never an email address. Verbs follow the xAPI serious-games profile
(https://w3id.org/xapi/seriousgames) and ADL's vocabulary.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

VERBS = {
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "accessed": "https://w3id.org/xapi/seriousgames/verbs/accessed",
    "selected": "https://w3id.org/xapi/adb/verbs/selected",
}
ACTIVITY = "https://w3id.org/xapi/seriousgames/activity-types/serious-game"
SCENE_TYPE = "https://w3id.org/xapi/seriousgames/activity-types/level"
CHOICE_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
HOME = "https://we-the-living.invalid/classroom"


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
        "timestamp": time,
    }
    if result is not None:
        statement["result"] = result
    return statement


def statements(record: dict[str, Any], salt: str) -> list[dict[str, Any]]:
    """The statements of one submission, in order."""
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
    out.append(_statement(record, who, "completed", game, str(record.get("finished", "")), 2 * len(steps) + 1,
                          {"completion": record.get("ending") is not None,
                           "response": str(record.get("ending")),
                           "score": {"scaled": float(summary.get("agreement", 0.0))}}))
    return out
