"""The story's transitions machine: lean triggers that behave as stock transitions, and hand over when they must."""

from __future__ import annotations

import pytest
from transitions import Machine, MachineError

from game.runtime.machine import ROUTE_TRIGGER, build_machine, choice_trigger


class Owner:
    """Stands in for a playthrough: the route guards ask it whether a condition holds."""

    def __init__(self, holds: bool):
        self.answer = holds

    def _holds(self, *_: object) -> bool:
        return self.answer


class Model:
    def __init__(self, state: str, owner: Owner | None = None):
        self.state = state
        self.owner = owner


def test_the_machine_is_a_transitions_machine_with_its_own_parts(tiny):
    machine = build_machine(tiny)
    assert isinstance(machine, Machine)
    assert set(machine.states) == set(tiny.scenes)
    assert machine.events[choice_trigger(0)].transitions["hall"][0].dest == "yard"


def test_a_choice_trigger_moves_the_model(tiny):
    machine, model = build_machine(tiny), Model("hall")
    assert machine.events[choice_trigger(2)].trigger(model) is True
    assert model.state == "yard"


def test_a_trigger_that_does_not_start_here_is_refused_as_transitions_refuses_it(tiny):
    machine, model = build_machine(tiny), Model("yard")
    with pytest.raises(MachineError, match="Can't trigger event choice_2 from state yard"):
        machine.events[choice_trigger(2)].trigger(model)
    assert model.state == "yard"


@pytest.mark.parametrize(("holds", "lands"), [(True, "hero"), (False, "coward")])
def test_a_router_takes_the_first_route_whose_condition_holds(tiny, holds, lands):
    machine, model = build_machine(tiny), Model("fate", Owner(holds))
    assert machine.events[ROUTE_TRIGGER].trigger(model) is True
    assert model.state == lands


def test_state_callbacks_added_later_run_as_transitions_documents(tiny):
    machine, model, seen = build_machine(tiny), Model("hall"), []
    machine.get_state("hall").add_callback("exit", lambda event: seen.append(("exit", event.state.name)))
    machine.get_state("yard").add_callback("enter", lambda event: seen.append(("enter", event.state.name)))
    machine.events[choice_trigger(0)].trigger(model)
    assert seen == [("exit", "hall"), ("enter", "yard")]


def test_transition_and_machine_callbacks_added_later_run_too(tiny):
    machine, model, seen = build_machine(tiny), Model("hall"), []
    machine.events[choice_trigger(1)].add_callback("before", lambda event: seen.append("before"))
    machine.events[choice_trigger(1)].add_callback("after", lambda event: seen.append("after"))
    machine.finalize_event = [lambda event: seen.append("finalize")]
    machine.events[choice_trigger(1)].trigger(model)
    assert seen == ["before", "after", "finalize"]
    assert model.state == "yard"


def test_an_error_in_a_callback_reaches_on_exception_when_one_is_set(tiny):
    machine, model, caught = build_machine(tiny), Model("hall"), []

    def fail(event: object) -> None:
        raise ValueError("broken callback")

    machine.get_state("yard").add_callback("enter", fail)
    machine.on_exception = [lambda event: caught.append(str(event.error))]
    machine.events[choice_trigger(0)].trigger(model)
    assert caught == ["broken callback"]
