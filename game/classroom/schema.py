"""The JSON Schema of assignment files, built from the assignment loader's own tables of fields.

A teacher who writes assignments in an editor with the YAML language
server (VS Code's YAML extension and others) gets field names completed
and mistakes underlined as they type, once the file's first line reads
``# yaml-language-server: $schema=.../docs/assignment.schema.json``. The
fields come from the tuples the loader checks keys against, so a field
added to the loader without a description here fails loudly, and the
schema cannot drift from what loads. ``kira play --assignment`` remains the
final check (unknown chapters, questions before the start).
"""

from __future__ import annotations

import json
from typing import Any

from game.classroom.assignment import KEYS, MAX_MIN_WORDS, MOMENTS, QUESTION_KEYS
from game.classroom.rubric import CRITERION_KEYS, MAX_CRITERIA, MAX_POINTS, MAX_TEXT
from game.loader.fields import ID_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID = {"type": "string", "pattern": ID_PATTERN.pattern}
TEXT = {"type": "string", "minLength": 1}
WORDS = {"type": "integer", "minimum": 1, "maximum": MAX_MIN_WORDS}
RUBRIC = {"type": "array", "minItems": 1, "maxItems": MAX_CRITERIA, "items": {"$ref": "#/$defs/criterion"}}

DOCS: dict[str, tuple[dict[str, Any], str]] = {
    "assignment.id": (ID, "A short identifier: letters, digits and '_'. Submissions are checked against it."),
    "assignment.title": (TEXT, "The title students see."),
    "assignment.story": (ID, "The id of the story it is played in (we_the_living)."),
    "assignment.start_chapter": (ID, "Optional: the chapter play starts in."),
    "assignment.min_words": (WORDS, "The least words an answer may have, unless a question says otherwise."),
    "assignment.allow_undo": ({"type": "boolean"}, "Whether students may take back a choice."),
    "assignment.instructions": ({"type": "string"}, "What students read before they play."),
    "assignment.questions": ({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/question"}},
                             "The reflection questions, each asked at a moment of play."),
    "assignment.rubric": (RUBRIC, "The criteria every answer is graded by (a question may have its own)."),
    "question.id": (ID, "A short identifier of the question, unique in the file."),
    "question.at": ({"enum": list(MOMENTS)}, "When it is asked: at the end of a chapter, on entering a scene, "
                                             "or after the ending."),
    "question.chapter": (ID, "With 'at: chapter_end': the chapter whose end it follows."),
    "question.scene": (ID, "With 'at: scene': the scene it is asked in."),
    "question.text": (TEXT, "The question."),
    "question.min_words": (WORDS, "The least words its answer may have."),
    "question.rubric": (RUBRIC, "Criteria for this question only, instead of the assignment's."),
    "criterion.id": (ID, "A short identifier of the criterion, unique in its rubric."),
    "criterion.text": ({"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
                       "What earns the points, in one line."),
    "criterion.points": ({"type": "integer", "minimum": 1, "maximum": MAX_POINTS}, "The most points it gives."),
}


def _fields(kind: str, keys: tuple[str, ...], required: tuple[str, ...]) -> dict[str, Any]:
    properties = {}
    for key in keys:
        shape, description = DOCS[f"{kind}.{key}"]  # a field without a description here stops the build
        properties[key] = {**shape, "description": description}
    return {"type": "object", "properties": properties, "additionalProperties": False, "required": list(required)}


def build_schema() -> dict[str, Any]:
    question = _fields("question", QUESTION_KEYS, ("id", "at", "text"))
    question["allOf"] = [
        {"if": {"properties": {"at": {"const": "chapter_end"}}}, "then": {"required": ["chapter"]}},
        {"if": {"properties": {"at": {"const": "scene"}}}, "then": {"required": ["scene"]}},
    ]
    return {
        "$schema": DIALECT,
        "title": "Assignment file of We the Living",
        "description": "A teacher's assignment: the story, reflection questions tied to moments of play, "
                       "and optionally a rubric to grade the answers by.",
        **_fields("assignment", KEYS, ("id", "title", "story", "questions")),
        "$defs": {"question": question, "criterion": _fields("criterion", CRITERION_KEYS, CRITERION_KEYS)},
    }


def schema_text() -> str:
    """The schema as written to docs/assignment.schema.json."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"
