import json

import pytest

from game.errors import PlayError
from game.runtime.playthrough import Playthrough, SaveMismatch


def test_guards_hide_choices_and_locked_ones_are_greyed(tiny):
    play = Playthrough(tiny)
    views = play.all_choices()
    assert [v.label for v in views] == ["Be brave", "Hide", "Pay a bribe"]
    assert [v.enabled for v in views] == [True, True, False]
    assert views[2].locked_reason == "You have too little money."
    assert [v.label for v in play.choices()] == ["Be brave", "Hide"]


def test_effects_are_clamped(tiny, fresh):
    driver = fresh(tiny)
    driver.choose(0)
    assert driver.play.variables["courage"] == 10  # 5 + 8 clamped to max 10
    assert driver.play.variables["brave"] is True


def test_subtract_clamps_at_min(tiny, fresh):
    driver = fresh(tiny)
    driver.choose(1)
    assert driver.play.variables["courage"] == 0


def test_router_picks_first_match_and_default(tiny, fresh):
    brave = fresh(tiny)
    brave.choose(0)
    brave.choose(0)
    assert brave.play.ending is not None and brave.play.ending.id == "hero"
    coward = fresh(tiny)
    coward.choose(1)
    coward.choose(0)
    assert coward.play.ending.id == "coward"


def test_conditional_text_and_interpolation(tiny, fresh):
    driver = fresh(tiny)
    assert driver.play.text() == ["A cold hall.", "You have 3 coins."]
    driver.choose(1)
    assert driver.play.text() == ["The yard is empty.", "You keep to the wall."]


def test_aftermath_and_chapter_end(tiny):
    turn = Playthrough(tiny).choose(0)
    assert turn.aftermath == "You feel taller."
    assert turn.chapter_ended is not None and turn.chapter_ended.id == "one"


def test_play_error_leaves_state_untouched(tiny):
    play = Playthrough(tiny)
    play.choose(0)
    before = play.to_dict()
    with pytest.raises(PlayError) as info:
        play.choose(1)
    assert "division by zero" in str(info.value) and "yard" in str(info.value)
    assert play.to_dict() == before


def test_undo_restores_everything(tiny):
    play = Playthrough(tiny)
    start = play.to_dict()
    play.choose(0)
    assert play.undo()
    assert play.to_dict() == start
    assert not play.undo()


def test_cannot_choose_out_of_range_or_after_the_end(tiny):
    play = Playthrough(tiny)
    with pytest.raises(IndexError):
        play.choose(5)
    play.choose(0)
    play.choose(0)
    with pytest.raises(RuntimeError):
        play.choose(0)


def test_round_trip_is_exact_and_keeps_undo(tiny):
    play = Playthrough(tiny, seed=3)
    play.choose(0)
    data = json.loads(json.dumps(play.to_dict()))
    again = Playthrough.from_dict(tiny, data)
    assert again.to_dict() == data and again.seed == 3
    assert again.undo() and again.scene_id == "hall"


def test_same_choices_same_result(tiny):
    a, b = Playthrough(tiny, seed=1, clock=False), Playthrough(tiny, seed=1, clock=False)
    for play in (a, b):
        play.choose(0)
        play.choose(0)
    assert a.to_dict() == b.to_dict()


def test_save_of_another_story_is_refused(tiny):
    data = Playthrough(tiny).to_dict() | {"story": "other"}
    with pytest.raises(SaveMismatch):
        Playthrough.from_dict(tiny, data)


def test_save_with_a_vanished_scene_names_its_chapter(tiny):
    data = Playthrough(tiny).to_dict() | {"scene": "gone", "steps": [], "chapter": "one"}
    with pytest.raises(SaveMismatch) as info:
        Playthrough.from_dict(tiny, data)
    assert info.value.chapter == "one"


def test_codex_unlocks_with_visits(tiny):
    play = Playthrough(tiny)
    assert play.unlocked_codex() == ["petrograd"]


def test_many_playthroughs_share_one_machine(tiny):
    from game.runtime.machine import machine_for

    plays = [Playthrough(tiny) for _ in range(3)]
    assert len({id(p._machine) for p in plays}) == 1 and machine_for(tiny).models == []


def test_old_save_restarts_at_its_chapter_keeping_variables(tiny):
    data = Playthrough(tiny).to_dict() | {"scene": "gone", "chapter": "two", "steps": [],
                                          "variables": {"courage": 9, "coins": 3, "brave": True}}
    play = Playthrough.from_chapter_start(tiny, data)
    assert play.scene_id == "yard" and play.variables["courage"] == 9 and play.variables["brave"] is True
    with pytest.raises(SaveMismatch):
        Playthrough.from_chapter_start(tiny, data | {"chapter": "vanished"})


def test_changed_story_restores_scene_and_variables_directly(tiny):
    play = Playthrough(tiny)
    play.choose(0)
    data = play.to_dict()
    data["steps"][0]["choice"] = 7  # the story changed: this step no longer replays
    again = Playthrough.from_dict(tiny, data)
    assert again.scene_id == "yard" and again.variables == data["variables"] and not again.can_undo
