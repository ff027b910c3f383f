"""Saved playthrough data, checked without the engine.

A save's playthrough (its format, story id, steps, variables and visits)
is checked here, apart from :mod:`game.runtime.playthrough`, so that the
title screen can list the saves ("Continue", with the scene and the time)
before the story and the state machine are loaded for the first frame.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from game.errors import SaveMismatch

SAVE_FORMAT = 1


class HasId(Protocol):
    """A story, or anything that names one (the title's front matter before the story is loaded)."""

    @property
    def id(self) -> str: ...


class Step(NamedTuple):
    """One choice made: in which scene, which choice (its position in the scene), and what it said."""

    scene: str
    choice: int
    label: str
    target: str
    novel: bool
    time: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"scene": self.scene, "choice": self.choice, "label": self.label, "to": self.target,
                "novel": self.novel, "time": self.time}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        """A step from saved data; raises ``ValueError`` when a field has the wrong type."""
        if not isinstance(data, dict):
            raise ValueError("a step is not a mapping")
        scene, choice = data.get("scene"), data.get("choice")
        if not isinstance(scene, str) or type(choice) is not int:
            raise ValueError("a step needs a scene name and a choice number")
        fields = [data.get(key, "") for key in ("label", "to", "time")]
        if not all(isinstance(value, str) for value in fields) or not isinstance(data.get("novel", False), bool):
            raise ValueError("a step has a field of the wrong type")
        label, target, time = fields
        return cls(scene, choice, label, target, bool(data.get("novel", False)), time)


def check_saved(story: HasId, data: Any) -> dict[str, Any]:
    """Saved playthrough data with every field of the right type, or :class:`SaveMismatch` saying what is wrong.

    Reads the format version first: data from a newer game is refused with a message rather than misread.
    """
    if not isinstance(data, dict):
        raise SaveMismatch("the saved playthrough is not a mapping")
    version = data.get("format", SAVE_FORMAT)
    if type(version) is not int or version < 1:
        raise SaveMismatch(f"the saved playthrough has an unknown format ({version!r})")
    if version > SAVE_FORMAT:
        raise SaveMismatch(f"this save was made by a newer version of the game (format {version}); "
                           "update the game to load it")
    if data.get("story") != story.id:
        raise SaveMismatch(f"this save belongs to the story {data.get('story')!r}, not {story.id!r}")
    problems = []
    if not isinstance(data.get("scene"), str):
        problems.append("scene")
    if type(data.get("seed", 0)) is not int:
        problems.append("seed")
    if not isinstance(data.get("start") or "", str):
        problems.append("start")
    if not isinstance(data.get("chapter") or "", str):
        problems.append("chapter")
    if not isinstance(data.get("steps"), list) or not all(isinstance(s, dict) for s in data["steps"]):
        problems.append("steps")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(_is_value(v) for v in variables.values()):
        problems.append("variables")
    visits = data.get("visits", {})
    if not isinstance(visits, dict) or not all(type(v) is int and v >= 0 for v in visits.values()):
        problems.append("visits")
    if problems:
        raise SaveMismatch("the saved playthrough is damaged (" + ", ".join(problems) + ")")
    try:
        for raw in data["steps"]:
            Step.from_dict(raw)
    except ValueError as exc:
        raise SaveMismatch(f"the saved playthrough is damaged ({exc})") from exc
    return data


def _is_value(value: Any) -> bool:
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    return isinstance(value, int | str | bool)
