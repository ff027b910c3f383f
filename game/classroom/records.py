"""Reading a submission file a student handed in, checking the type of every field before anything uses it.

A submission comes from a student's computer and may have been edited by
hand, cut short or replaced by something else entirely. Reading it must
never take the teacher's whole report down: the size is checked before
reading, NaN and infinities are refused, nesting is bounded, and every
field the verifier, the report and the documents use is checked for its
type. Any problem raises :class:`BadRecord` with one plain sentence.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from game.classroom.assignment import KIND
from game.loader.files import FileRefused, read_limited

MAX_BYTES = 5_000_000  # a whole playthrough with long answers is under 200 kB
MAX_DEPTH = 12  # the deepest real field is playthrough.steps[n].label, at depth 4
TRANSCRIPT_SUFFIXES = (".md", ".html")  # the documents written beside each submission
CLASS_KIND = "we-the-living-class"  # the "kind" of a class dump (game/classroom/classdump.py)


class BadRecord(ValueError):
    """The file is not a submission this version can read; the message says why in one sentence."""


def is_document(path: Path) -> bool:
    """A transcript or evidence sheet written beside a submission (``kira report DIR/*`` passes them too)."""
    return path.name.lower().endswith(TRANSCRIPT_SUFFIXES)


def read_record(path: Path) -> dict[str, Any]:
    """The checked submission in ``path``; raises BadRecord (or OSError) with what is wrong."""
    try:  # a FIFO, a device or a huge file is refused before a byte is read
        raw = read_limited(path, MAX_BYTES)
    except FileRefused as exc:
        raise BadRecord(f"{exc.strerror}; no submission is that large, so it was not read"
                        if "limit" in str(exc.strerror) else str(exc.strerror)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRecord("the file is not UTF-8 text") from exc
    return parse_record(text)


def _refuse_constant(name: str) -> Any:
    raise BadRecord(f"the file holds {name}, which is not a number a submission can have")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadRecord(f"the file holds the number {text[:20]}, too large for a submission")
    return value


def parse_record(text: str) -> dict[str, Any]:
    data = load_json(text)
    if isinstance(data, dict) and data.get("kind") == CLASS_KIND:
        raise BadRecord("this is a whole class (a class dump), not one submission; give it to 'kira report'")
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise BadRecord("not a We the Living submission")
    check_record(data)
    return data


def load_json(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """JSON from a stranger: no NaN or infinities, nesting bounded; raises BadRecord saying what is wrong."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError as exc:
        raise BadRecord("the file is nested far too deeply to be a submission") from exc
    except json.JSONDecodeError as exc:
        raise BadRecord(f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    _check_depth(data, 0, max_depth)
    return data


def _check_depth(value: Any, depth: int, max_depth: int) -> None:
    if depth > max_depth:
        raise BadRecord("the file is nested far too deeply to be a submission")
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        _check_depth(child, depth + 1, max_depth)


# Field types: a Python type, a tuple of accepted types, or a nested spec (dict for an object, [spec] for a list).
STRING, OPTIONAL_STRING, NUMBER = str, (str, type(None)), (int, float)
STEP = {"scene": STRING, "choice": int, "label": STRING, "to": STRING, "novel": bool, "time": STRING}
ANSWER = {"question": STRING, "text": STRING, "moment": STRING, "answer": STRING, "words": int}
NOT_REACHED = {"question": STRING, "text": STRING, "moment": STRING}
SPEC: dict[str, Any] = {
    "student": STRING,
    "assignment": {"id": STRING, "title": STRING, "hash": STRING},
    "story": {"id": STRING, "title": STRING, "hash": STRING},
    "started": STRING,
    "finished": STRING,
    "playthrough": {"story": STRING, "seed": int, "start": OPTIONAL_STRING, "scene": STRING,
                    "variables": dict, "steps": [STEP], "ending": OPTIONAL_STRING},
    "answers": [ANSWER],
    "not_reached": [NOT_REACHED],
    "ending": OPTIONAL_STRING,
    "summary": {"ending_title": OPTIONAL_STRING, "choices_made": int, "novel_moments": int,
                "matched_novel": int, "agreement": NUMBER},
}
OPTIONAL = {"not_reached"}  # submissions written before unreached questions were recorded


def check_record(record: dict[str, Any]) -> None:
    """Raise BadRecord naming the first field whose type is wrong."""
    _check(record, SPEC, "", optional=OPTIONAL)
    if not record["student"].strip():
        raise BadRecord("the field 'student' is empty")
    if not 0.0 <= float(record["summary"]["agreement"]) <= 1.0:
        raise BadRecord("the field 'summary.agreement' is not between 0 and 1")


def _check(value: Any, spec: Any, where: str, optional: set[str] | frozenset[str] = frozenset()) -> None:
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise BadRecord(f"the field {where!r} must be an object, not {_kind(value)}")
        for key, inner in spec.items():
            name = f"{where}.{key}" if where else key
            if key not in value:
                if key in optional:
                    continue
                raise BadRecord(f"the field {name!r} is missing")
            _check(value[key], inner, name)
    elif isinstance(spec, list):
        if not isinstance(value, list):
            raise BadRecord(f"the field {where!r} must be a list, not {_kind(value)}")
        for n, item in enumerate(value):
            _check(item, spec[0], f"{where}[{n}]")
    else:
        accepted = spec if isinstance(spec, tuple) else (spec,)
        wrong_bool = isinstance(value, bool) and bool not in accepted  # True is an int to Python, not to us
        if wrong_bool or not isinstance(value, accepted):
            raise BadRecord(f"the field {where!r} must be {_names(accepted)}, not {_kind(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise BadRecord(f"the field {where!r} is not a finite number")


def _kind(value: Any) -> str:
    return {type(None): "null", bool: "true or false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _names(types: tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false", dict: "an object",
             list: "a list", type(None): "null"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))
