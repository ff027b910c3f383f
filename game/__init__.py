"""We the Living: an interactive novel, and the YAML story engine it runs on.

The public surface, in the spirit of ink's four host calls::

    import game

    story = game.load_story("story/we_the_living")
    play = game.Playthrough(story, seed=1)
    play.text()            # the scene's paragraphs, conditions applied
    play.choices()         # what the player may do now
    turn = play.choose(0)  # pick one; turn.aftermath, turn.chapter_ended, turn.entered
    data = play.to_dict()  # plain JSON data; game.Playthrough.from_dict(story, data) restores it

A front end wraps the playthrough in a :class:`Session`, which decides
what follows each turn (an ending, a chapter's questions, an
assignment's questions) and keeps saves. Everything the engine raises
derives from :class:`KiraError`.

Names are imported on first use, so ``import game`` costs nothing until
they are needed (the game window shows its first frame sooner).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE = {
    "load_story": "game.loader.story",
    "check_story": "game.loader.story",
    "Story": "game.runtime.model",
    "Playthrough": "game.runtime.playthrough",
    "ChoiceView": "game.runtime.playthrough",
    "Turn": "game.runtime.playthrough",
    "Step": "game.runtime.playthrough",
    "Replay": "game.runtime.playthrough",
    "replay": "game.runtime.playthrough",
    "Summary": "game.runtime.summary",
    "summarize": "game.runtime.summary",
    "Session": "game.session.runner",
    "Beat": "game.session.runner",
    "EndingReached": "game.session.runner",
    "ChapterClosed": "game.session.runner",
    "Reflect": "game.session.runner",
    "Ask": "game.session.runner",
    "HandIn": "game.session.runner",
    "TheEnd": "game.session.runner",
    "SaveStore": "game.session.saves",
    "Diagnostic": "game.errors",
    "SourcePos": "game.errors",
    "KiraError": "game.errors",
    "StoryError": "game.errors",
    "PlayError": "game.errors",
    "SaveError": "game.errors",
    "SaveMismatch": "game.errors",
    "CorruptSave": "game.errors",
    "MisuseError": "game.errors",
    "ChoiceUnavailable": "game.errors",
    "PlaythroughOver": "game.errors",
    "UndoOff": "game.session.runner",
}

__all__ = [
    "__version__", "load_story", "check_story", "Story", "Playthrough", "ChoiceView", "Turn", "Step", "Replay",
    "replay", "Summary", "summarize", "Session", "Beat", "EndingReached", "ChapterClosed", "Reflect", "Ask",
    "HandIn", "TheEnd", "SaveStore", "Diagnostic", "SourcePos", "KiraError", "StoryError", "PlayError", "SaveError",
    "SaveMismatch", "CorruptSave", "MisuseError", "ChoiceUnavailable", "PlaythroughOver", "UndoOff",
]

if TYPE_CHECKING:
    from game.errors import (
        ChoiceUnavailable,
        CorruptSave,
        Diagnostic,
        KiraError,
        MisuseError,
        PlayError,
        PlaythroughOver,
        SaveError,
        SaveMismatch,
        SourcePos,
        StoryError,
    )
    from game.loader.story import check_story, load_story
    from game.runtime.model import Story
    from game.runtime.playthrough import ChoiceView, Playthrough, Replay, Step, Turn, replay
    from game.runtime.summary import Summary, summarize
    from game.session.runner import (
        Ask,
        Beat,
        ChapterClosed,
        EndingReached,
        HandIn,
        Reflect,
        Session,
        TheEnd,
        UndoOff,
    )
    from game.session.saves import SaveStore


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'game' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
