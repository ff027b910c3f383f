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

The machine is a ``transitions`` Machine whose event, transition and
state classes (the library's ``event_cls``, ``transition_cls`` and
``state_cls`` extension points) skip work this machine never needs: it
has no queue and no callbacks (no prepare, before, after, enter, exit or
finalize lists, no ``on_exception``), so a stock trigger spends most of
its time wrapping the event in a ``partial``, looping over empty callback
lists and calling its logger (eight calls a step, each asking whether
debug output is on). Each lean method checks that those
lists are still empty and otherwise hands over to the stock method, so a
callback added later behaves exactly as ``transitions`` documents.
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
    return _lean_machine_class()(
        model=None,
        states=list(story.scenes),
        transitions=transitions,
        initial=story.start,
        auto_transitions=False,
        send_event=True,
        ignore_invalid_triggers=False,
    )


_lean: list[type[Machine]] = []


def _lean_machine_class() -> type[Machine]:
    """``transitions.Machine`` with the lean event, transition and state classes (see the module docstring).

    Made on first use, because ``transitions`` is imported only when the first playthrough starts.
    """
    if _lean:
        return _lean[0]
    from transitions import Event, EventData, Machine, State, Transition  # at first play, not at start-up

    class LeanState(State):
        """A state; entering or leaving one with no callbacks skips the callback loop and its log lines."""

        def enter(self, event_data: EventData) -> None:
            if self.on_enter:
                super().enter(event_data)

        def exit(self, event_data: EventData) -> None:
            if self.on_exit:
                super().exit(event_data)

    class LeanTransition(Transition):
        """A transition with conditions only: it checks them and moves the model, as ``execute`` would."""

        def execute(self, event_data: EventData) -> bool:
            machine = event_data.machine
            if self.prepare or self.before or self.after or machine.before_state_change \
                    or machine.after_state_change or self.dest is None:
                return bool(super().execute(event_data))
            for condition in self.conditions:
                if not condition.check(event_data):
                    return False
            self._change_state(event_data)
            return True

        def _change_state(self, event_data: EventData) -> None:
            """Move the model; the states are looked up once, and exit and enter run only if they have
            callbacks (as the stock method, which looks each state up twice and logs each move)."""
            machine = event_data.machine
            if self.dest is None:  # an internal transition: execute never gets here with one
                super()._change_state(event_data)
                return
            source, dest = machine.states[self.source], machine.states[self.dest]
            if source.on_exit or dest.on_enter or dest.final:
                super()._change_state(event_data)
                return
            machine.set_state(dest, event_data.model)
            event_data.state = dest

    class LeanEvent(Event):
        """An event of an unqueued machine with no event callbacks, run at once instead of through a partial."""

        def trigger(self, model: Any, *args: Any, **kwargs: Any) -> bool:
            machine = self.machine
            if machine.has_queue or machine.prepare_event or machine.finalize_event or machine.on_exception:
                return bool(super().trigger(model, *args, **kwargs))
            event_data = EventData(machine.get_model_state(model), self, machine, model, args, kwargs)
            if not self._is_valid_source(event_data.state):
                return False
            for transition in self.transitions[event_data.state.name]:
                event_data.transition = transition
                if transition.execute(event_data):
                    event_data.result = True
                    break
            return bool(event_data.result)

    class LeanMachine(Machine):
        state_cls = LeanState
        transition_cls = LeanTransition
        event_cls = LeanEvent

    _lean.append(LeanMachine)
    return LeanMachine


_machines: weakref.WeakKeyDictionary[Story, Machine] = weakref.WeakKeyDictionary()


def machine_for(story: Story) -> Machine:
    """The shared machine of a story, built on first use."""
    machine = _machines.get(story)
    if machine is None:
        machine = _machines[story] = build_machine(story)
    return machine
