"""The JSON Schema of story files, built from the loader's own tables of fields.

Editors that speak the YAML language server (VS Code's YAML extension,
Neovim, Helix, JetBrains IDEs) read the ``# yaml-language-server:
$schema=...`` line at the top of each story file and then complete field
names and flag mistakes as the writer types. The fields come from the
tuples the loader checks keys against (``SCENE_KEYS`` and the rest), so a
field added to the loader without a description here fails loudly when
the schema is built, and the schema cannot drift from what loads.

The schema checks shape only; the loader still checks what a schema
cannot (that a choice's ``to`` names a scene that exists, that an
expression makes sense). ``kira validate`` remains the final word.
"""

from __future__ import annotations

import json
from typing import Any

from game.loader import reader as loader
from game.loader.fields import ID_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Fields the loader checks inline rather than in a named table.
PARAGRAPH_KEYS = ("if", "text", "else")
ROUTE_KEYS = ("if", "to")
EXTEND_KEYS = ("scene", "choices")
CODEX_KINDS = ("glossary", "character")

ID = {"type": "string", "pattern": ID_PATTERN.pattern}
TEXT = {"type": ["string", "number"]}  # the loader keeps numbers as typed ("date: 1927"); true/false it refuses
CONDITION = {"type": ["string", "boolean"], "description": "A condition such as \"spirit >= 40 and not komsomol\"."}
TEXT_LIST = {"oneOf": [TEXT, {"type": "array", "items": TEXT}]}
QUESTIONS = {"oneOf": [TEXT, {"type": "array", "items": {"anyOf": [TEXT, {"$ref": "#/$defs/paragraph"}]}}]}

# One line per field: what a writer sees when the editor offers it.
DOCS: dict[str, tuple[dict[str, Any], str]] = {
    "story.id": (ID, "A short identifier of the story: letters, digits and '_'."),
    "story.title": (TEXT, "The story's title, shown on the title screen."),
    "story.author": (TEXT, "Who wrote it, shown on the title screen."),
    "story.start": (ID, "The id of the first scene."),
    "story.content_note": (TEXT, "Shown before play begins: what the story contains that readers may want to know."),
    "story.variables": ({"type": "object", "additionalProperties": {"$ref": "#/$defs/variable"},
                         "propertyNames": ID}, "The story's variables, by name."),
    "variable.default": ({"type": ["number", "boolean", "string"]}, "The value at the start: a number, true/false "
                         "or text."),
    "variable.min": ({"type": "number"}, "Numbers only: every change is clamped to at least this."),
    "variable.max": ({"type": "number"}, "Numbers only: every change is clamped to at most this."),
    "variable.description": (TEXT, "One line saying what the variable means."),
    "file.chapters": ({"type": "array", "items": {"$ref": "#/$defs/chapter"}}, "Chapters (scenes name them)."),
    "file.scenes": ({"type": "array", "items": {"$ref": "#/$defs/scene"}}, "Scenes and routers."),
    "file.endings": ({"type": "array", "items": {"$ref": "#/$defs/ending"}}, "Endings."),
    "file.codex": ({"type": "array", "items": {"$ref": "#/$defs/codex"}}, "Codex entries: people and terms."),
    "file.extend": ({"type": "array", "items": {"$ref": "#/$defs/extend"}}, "New choices for scenes defined "
                    "elsewhere (scene packs)."),
    "chapter.id": (ID, "Identifier used by scenes' 'chapter'."),
    "chapter.number": ({"type": "integer"}, "Chapters are ordered by this number."),
    "chapter.title": (TEXT, "For example \"Chapter One: The Return\"."),
    "chapter.part": ({"type": "integer"}, "The part of the story (1 or 2)."),
    "chapter.reflection": (QUESTIONS, "Questions asked when the player leaves the chapter: plain, or "
                           "{text, if, else} to ask only on some paths; {name} shows a variable."),
    "scene.id": (ID, "Unique identifier of the scene."),
    "scene.title": (TEXT, "Shown in the header, saves and history."),
    "scene.chapter": (ID, "The id of its chapter."),
    "scene.date": (TEXT, "Shown in the header, e.g. \"Spring 1922\"."),
    "scene.location": (TEXT, "Shown in the header."),
    "scene.background": (TEXT, "A background name, or a picture file inside the story folder."),
    "scene.text": ({"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/$defs/paragraph"}}]},
                   "The prose: paragraphs separated by blank lines, or a list mixing paragraphs and "
                   "conditional ones."),
    "scene.choices": ({"type": "array", "items": {"$ref": "#/$defs/choice"}}, "What the player can do next."),
    "scene.route": ({"type": "array", "items": {"$ref": "#/$defs/route"}}, "A router's routes: the first whose "
                    "'if' holds wins."),
    "scene.default": (ID, "A router's scene for when no route matches."),
    "scene.unlocks": (TEXT_LIST, "Codex entry ids that become readable here."),
    "scene.decisive": ({"type": "boolean"}, "A turning point: reports show how players split here."),
    "ending.epilogue": ({"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/$defs/paragraph"}}]},
                       "What became of Kira: paragraphs, or a list mixing paragraphs and conditional ones, "
                       "as in a scene's text."),
    "ending.state_took": (TEXT, "What the state took from her."),
    "ending.could_not_take": (TEXT, "What it could not take."),
    "ending.novel": (TEXT, "How the novel itself ends, for comparison."),
    "ending.reflection": (QUESTIONS, "Questions about the player's own path (at least two): plain, or "
                          "{text, if, else} to ask only on some paths; {name} shows a variable."),
    "choice.label": (TEXT, "What the player clicks; {name} shows a variable."),
    "choice.to": (ID, "The id of the next scene or ending."),
    "choice.if": (CONDITION, "The choice is hidden (or locked) unless this holds."),
    "choice.locked": (TEXT, "Shown on a greyed-out choice when 'if' does not hold, instead of hiding it."),
    "choice.effects": ({"$ref": "#/$defs/effects"}, "Changes to variables: set, add, subtract."),
    "choice.novel": ({"type": "boolean"}, "This is what Kira does in the novel."),
    "choice.aftermath": (TEXT, "A short paragraph shown after the choice is made."),
    "choice.axis": ({"enum": list(loader.AXES)}, "Which side of the theme the choice leans to."),
    "effect.set": ({"$ref": "#/$defs/assignments"}, "Give variables new values."),
    "effect.add": ({"$ref": "#/$defs/assignments"}, "Add to number variables."),
    "effect.subtract": ({"$ref": "#/$defs/assignments"}, "Subtract from number variables."),
    "codex.id": (ID, "Identifier used in scenes' 'unlocks'."),
    "codex.kind": ({"enum": list(CODEX_KINDS)}, "A person (character) or a term (glossary)."),
    "codex.title": (TEXT, "The person's name or the term."),
    "codex.text": (TEXT, "A short entry in plain words."),
    "paragraph.if": (CONDITION, "The paragraph is shown when this holds."),
    "paragraph.text": (TEXT, "The paragraph."),
    "paragraph.else": (TEXT, "Shown instead when 'if' does not hold."),
    "route.if": (CONDITION, "This route is taken when it holds (and no earlier one did)."),
    "route.to": (ID, "The scene this route leads to."),
    "extend.scene": (ID, "The id of the scene that gets the new choices."),
    "extend.choices": ({"type": "array", "items": {"$ref": "#/$defs/choice"}}, "Choices added after its own."),
}


def _fields(kind: str, keys: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object schema for one kind of item: exactly the loader's keys, each with its description."""
    properties = {}
    for key in keys:
        name = f"scene.{key}" if kind == "ending" and f"ending.{key}" not in DOCS else f"{kind}.{key}"
        shape, description = DOCS[name]  # a field without a description here stops the build: add one
        properties[key] = {**shape, "description": description}
    result: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        result["required"] = list(required)
    return result


def build_schema() -> dict[str, Any]:
    """The whole schema: story.yaml when a file has an 'id' at the top, else a file of items."""
    scene = _fields("scene", loader.SCENE_KEYS + ("route", "default"), ("id",))
    scene["if"] = {"required": ["route"]}
    scene["then"] = {"required": ["default"], "not": {"anyOf": [{"required": ["text"]}, {"required": ["choices"]}]}}
    scene["else"] = {"required": ["title", "text", "choices"]}
    value = {"type": ["string", "number", "boolean"], "description": "A number, true/false, or an expression "
             "in quotes such as \"spirit + 5\"; text values are quoted twice: \"'engineer'\"."}
    return {
        "$schema": DIALECT,
        "title": "Story file of the We the Living engine",
        "description": "story.yaml (with id, title, author, start, content_note, variables) or a file of "
                       "chapters, scenes, endings, codex entries and extend items.",
        "type": "object",
        "if": {"required": ["id"]},
        "then": {"$ref": "#/$defs/story"},
        "else": {"$ref": "#/$defs/items"},
        "$defs": {
            "story": _fields("story", loader.STORY_KEYS, ("id", "title", "author", "start", "content_note")),
            "variable": _fields("variable", loader.VARIABLE_KEYS, ("default", "description")),
            "items": _fields("file", loader.FILE_KEYS),
            "chapter": _fields("chapter", loader.CHAPTER_KEYS, ("id", "number", "title")),
            "scene": scene,
            "ending": _fields("ending", loader.ENDING_KEYS, ("id", "title", "epilogue", "state_took",
                                                             "could_not_take", "novel", "reflection")),
            "choice": _fields("choice", loader.CHOICE_KEYS, ("label", "to")),
            "effects": _fields("effect", loader.EFFECT_OPS),
            "assignments": {"type": "object", "propertyNames": ID, "additionalProperties": value},
            "codex": _fields("codex", loader.CODEX_KEYS, ("id", "kind", "title", "text")),
            "paragraph": {"oneOf": [{"type": "string"}, _fields("paragraph", PARAGRAPH_KEYS, ("if", "text"))]},
            "route": _fields("route", ROUTE_KEYS, ("if", "to")),
            "extend": _fields("extend", EXTEND_KEYS, ("scene",)),
        },
    }


def schema_text() -> str:
    """The schema as written to docs/story.schema.json."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"
