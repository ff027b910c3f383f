"""The story as a ``transitions`` state machine.

Scenes are states. The choice at position *i* of any scene fires the
trigger ``choice_i``, so a story has only as many triggers as its widest
scene has choices; guards are the compiled choice conditions and the
``before`` callbacks apply the effects. A router scene has one trigger,
``route``, whose transitions are tried in order: transitions takes the
first whose conditions pass, which is exactly "first match wins".

One machine is built per loaded story and shared by every playthrough of
it (each playthrough adds a tiny cursor object as a model), because a
machine of thousands of states is costly to build and cheap to share.
"""

from __future__ import annotations

import functools
import weakref
from typing import TYPE_CHECKING, Any

from game.runtime.model import Choice, Scene, Story

if TYPE_CHECKING:
    from transitions import EventData, Machine

ROUTE_TRIGGER = "route"


def choice_trigger(index: int) -> str:
    return f"choice_{index}"


class Cursor:
    """The model transitions moves from scene to scene; it points back to its playthrough."""

    def __init__(self, owner: Any):
        self.state = ""
        self.owner = owner


@functools.cache
def _machine_class() -> type[Machine]:
    """The Machine subclass, made on first use so that importing the engine does not import
    transitions (a front end shows its first screen before any playthrough starts)."""
    from transitions import Machine

    class StoryMachine(Machine):
        """A transitions Machine that skips the per-state helper methods.

        ``Machine`` gives every model an ``is_<state>`` method per state; with
        thousands of scenes that costs time and memory for every playthrough
        and nothing here uses them (the current scene is ``cursor.state``).
        """

        def _add_model_to_state(self, state: Any, model: Any) -> None:
            return None

    return StoryMachine


def _guard(choice: Choice) -> Any:
    condition = choice.condition
    if condition is None:
        return None
    fn = condition.fn

    def passes(event: EventData) -> bool:
        owner = event.model.owner
        return bool(fn(owner.variables, owner.visits))
    return passes


def _apply(choice: Choice) -> Any:
    def apply_effects(event: EventData) -> None:
        event.model.owner.apply_effects(choice)
    return apply_effects


def _route_guard(fn: Any) -> Any:
    def passes(event: EventData) -> bool:
        owner = event.model.owner
        return bool(fn(owner.variables, owner.visits))
    return passes


def _transitions_of(scene: Scene) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for choice in scene.choices:
        spec: dict[str, Any] = {"trigger": choice_trigger(choice.index), "source": scene.id, "dest": choice.target}
        guard = _guard(choice)
        if guard is not None:
            spec["conditions"] = [guard]
        if choice.effects:
            spec["before"] = [_apply(choice)]
        result.append(spec)
    for route in scene.routes:
        spec = {"trigger": ROUTE_TRIGGER, "source": scene.id, "dest": route.target}
        if route.condition is not None:
            spec["conditions"] = [_route_guard(route.condition.fn)]
        result.append(spec)
    return result


def build_machine(story: Story) -> Machine:
    """Build the machine for a story: no auto transitions, no models yet, callbacks are our own callables."""
    transitions: list[dict[str, Any]] = []
    for scene in story.scenes.values():
        transitions.extend(_transitions_of(scene))
    return _machine_class()(
        model=None,
        states=list(story.scenes),
        transitions=transitions,
        initial=story.start,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )


_machines: weakref.WeakKeyDictionary[Story, Machine] = weakref.WeakKeyDictionary()


def machine_for(story: Story) -> Machine:
    """The shared machine of a story, built on first use."""
    machine = _machines.get(story)
    if machine is None:
        machine = _machines[story] = build_machine(story)
    return machine
