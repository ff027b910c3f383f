"""How a playthrough compares with the novel, for the ending screens and records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.runtime.model import format_value
from game.runtime.playthrough import Playthrough


@dataclass(frozen=True)
class Departure:
    """A scene where the player chose differently from the novel's Kira."""

    scene: str
    scene_title: str
    chosen: str
    novel: str

    def to_dict(self) -> dict[str, str]:
        return {"scene": self.scene, "scene_title": self.scene_title, "chosen": self.chosen, "novel": self.novel}


@dataclass(frozen=True)
class Summary:
    """How a playthrough went: its ending, how often it followed the novel, and its decisive choices."""

    ending: str | None
    ending_title: str
    choices_made: int
    novel_moments: int  # steps taken in scenes where the novel's Kira made one of the choices
    matched: int
    departures: list[Departure] = field(default_factory=list)
    decisive: list[tuple[str, str]] = field(default_factory=list)  # (scene title, label chosen)
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def agreement(self) -> float:
        return self.matched / self.novel_moments if self.novel_moments else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ending": self.ending,
            "ending_title": self.ending_title,
            "choices_made": self.choices_made,
            "novel_moments": self.novel_moments,
            "matched_novel": self.matched,
            "agreement": round(self.agreement, 3),
            "departures": [d.to_dict() for d in self.departures],
            "decisive": [{"scene_title": t, "chosen": c} for t, c in self.decisive],
            "variables": dict(self.variables),
        }

    def lines(self) -> list[str]:
        """The summary as short lines of text, for any front end."""
        out = [f"You made {count(self.choices_made, 'choice')}. In {self.novel_moments} of them the novel's "
               f"Kira faced the same moment; you chose as she did {count(self.matched, 'time')} "
               f"({self.agreement:.0%})."]
        if self.decisive:
            out.append("Decisive choices:")
            out.extend(f"  {title}: {label}" for title, label in self.decisive)
        if self.departures:
            out.append("Where you departed from the novel:")
            out.extend(f"  {d.scene_title}: you chose {_quoted(d.chosen)}; Kira chose {_quoted(d.novel)}"
                       for d in self.departures)
        return out


def _quoted(label: str) -> str:
    """A choice's label in quotation marks, unless it already begins with its own (spoken words)."""
    return label if label.startswith(("\"", "\u201c")) else f"\"{label}\""


def count(number: int, noun: str) -> str:
    """A count in words: 1 choice, 3 choices, and for "time": once, 2 times."""
    if number == 1:
        return "once" if noun == "time" else f"1 {noun}"
    return f"{number} {noun}s"


def summarize(play: Playthrough) -> Summary:
    story = play.story
    matched = moments = 0
    departures: list[Departure] = []
    decisive: list[tuple[str, str]] = []
    for step in play.steps:
        scene = story.scenes[step.scene]
        novel = next((c for c in scene.choices if c.novel), None)
        if scene.decisive:
            decisive.append((scene.title, step.label))
        if novel is None:
            continue
        moments += 1
        if novel.index == step.choice:
            matched += 1
        else:
            departures.append(Departure(scene.id, scene.title, step.label, novel.label.raw))
    ending = play.ending
    numbers = {name: format_value(value) for name, value in play.variables.items()
               if isinstance(value, int | float) and not isinstance(value, bool)}
    return Summary(ending.id if ending else None, ending.title if ending else "", len(play.steps),
                   moments, matched, departures, decisive, numbers)
