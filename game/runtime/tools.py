"""What writers' tools do to a playthrough that a player never does.

The player's surface of :class:`~game.runtime.playthrough.Playthrough`
is what to show, choose, undo and save. The explorer, the maps and the
verifier also need to take a choice by its model object and to put a
playthrough in an arbitrary state; those operations live here, so that
no front end reaches for them by accident.
"""

from __future__ import annotations

from game.runtime.expressions import Value
from game.runtime.model import Choice
from game.runtime.playthrough import ChoiceView, Playthrough, Turn

State = tuple[str, dict[str, Value], dict[str, int]]


def take(play: Playthrough, choice: Choice) -> Turn:
    """Take a choice of the current scene by its model object; its condition is checked first."""
    return play._take(choice)


def take_offered(play: Playthrough, view: ChoiceView) -> Turn:
    """Take a choice that ``play.choices()`` offered in this very state (the same scene, variables and
    visits, as after :func:`set_state` back to it): its condition held and its label is rendered, so
    neither is worked out again. The explorer takes every choice of a state this way."""
    return play._take(view.choice, view.label)


def state_of(play: Playthrough) -> State:
    """The scene, variables and visit counts: all that decides what can happen next (copies)."""
    return play.scene_id, dict(play.variables), dict(play.visits)


def set_state(play: Playthrough, scene_id: str, variables: dict[str, Value], visits: dict[str, int]) -> None:
    """Put ``play`` in a state taken with :func:`state_of`, without history (runs no callbacks)."""
    play._machine.set_state(scene_id, model=play._cursor)
    play._views = play._offered = None
    play.variables = dict(variables)
    play.visits = dict(visits)
    play.steps = []
    play._undo.clear()
