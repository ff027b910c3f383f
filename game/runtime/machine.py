"""The story as a ``transitions`` state machine.

Scenes are states. The choice at position *i* of any scene fires the
trigger ``choice_i``, so a story has only as many triggers as its widest
scene has choices. A choice's condition is not a transition guard, and
its effects are not a ``before`` callback: the playthrough has already
evaluated the condition to offer the choice, and applies the effects
itself just before it fires the trigger (all or none, so a failing
effect leaves the state as it was). Running them through the machine's
callback resolution again doubled the cost of every step. A router scene has one
trigger, ``route``, whose transitions are tried in order: transitions
takes the first whose conditions pass, which is exactly "first match
wins".

One machine is built per loaded story and shared by every playthrough of
it, because a machine of thousands of states is costly to build and
cheap to share. No model is registered with it: each playthrough passes
its own small :class:`Cursor` to ``Event.trigger`` and ``set_state``.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from game.runtime.model import Route, Scene, Story

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


def _route_guard(scene: Scene, index: int, route: Route) -> Any:
    condition = route.condition

    def passes(event: EventData) -> bool:
        cursor: Cursor = event.model  # type: ignore[assignment]  # transitions types its models as object
        return bool(cursor.owner._holds(condition, scene, "route", index, route.pos))
    return passes


def _transitions_of(scene: Scene) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for choice in scene.choices:
        result.append({"trigger": choice_trigger(choice.index), "source": scene.id, "dest": choice.target})
    for index, route in enumerate(scene.routes):
        spec: dict[str, Any] = {"trigger": ROUTE_TRIGGER, "source": scene.id, "dest": route.target}
        if route.condition is not None:
            spec["conditions"] = [_route_guard(scene, index, route)]
        result.append(spec)
    return result


def build_machine(story: Story) -> Machine:
    """Build the machine for a story: no auto transitions, no models yet, callbacks are our own callables."""
    transitions: list[dict[str, Any]] = []
    for scene in story.scenes.values():
        transitions.extend(_transitions_of(scene))
    from transitions import Machine  # here, not at import: a front end draws its first screen before any play

    return Machine(
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
