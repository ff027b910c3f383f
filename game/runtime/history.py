"""What a player has read so far: every scene's text as it was shown, and the choice made there.

A playthrough keeps its steps, not its text, so the history is rebuilt by
replaying the steps on a fresh copy: every paragraph reads exactly as it
did, conditions and all. If the story changed so that the steps no longer
fit, the rest is listed as the choices alone. The window's history screen
and the browser's history page both show this.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.errors import PlayError
from game.runtime.model import Choice
from game.runtime.playthrough import Playthrough, Step, replay


@dataclass(frozen=True)
class Passage:
    """One scene of the player's reading as it was shown, for the history views."""

    chapter: str
    title: str
    paragraphs: tuple[str, ...]
    chosen: str = ""
    aftermath: str = ""


def passages(play: Playthrough) -> list[Passage]:
    """What the player read in each scene and chose there, oldest first, ending with the current scene."""
    story = play.story
    read: list[tuple[str, str, tuple[str, ...]]] = []

    def before_step(again: Playthrough, index: int, step: Step, choice: Choice) -> str:
        read.append((again.chapter.title if again.chapter else "", again.scene.title, tuple(again.text())))
        return ""

    try:
        turns = replay(story, play.steps, play.start_scene, seed=play.seed, check=before_step).turns
    except PlayError:  # a paragraph the story cannot show any more: list the choices alone
        turns = []
    out = [Passage(chapter, title, text, step.label, turn.aftermath)
           for (chapter, title, text), step, turn in zip(read, play.steps, turns, strict=False)]
    out += [Passage("", story.scenes[s.scene].title if s.scene in story.scenes else s.scene, (), s.label)
            for s in play.steps[len(turns):]]
    out.append(Passage(play.chapter.title if play.chapter else "", play.scene.title, tuple(play.text())))
    return out
