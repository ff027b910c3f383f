"""The playthrough: every test runs plainly and with a JSON save and restore after every step (``fresh``)."""

import json

import pytest

from game.errors import ChoiceUnavailable, KiraError, PlayError, PlaythroughOver, SaveMismatch
from game.loader.story import load_story
from game.runtime.playthrough import SAVE_FORMAT, Playthrough, Step, replay
from tests.conftest import FIXTURES


def test_guards_hide_choices_and_locked_ones_are_greyed(tiny, fresh):
    play = fresh(tiny).play
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


def test_a_turn_names_every_scene_entered_routers_included(tiny, fresh):
    driver = fresh(tiny)
    assert driver.choose(0).entered == ("yard",)
    turn = driver.choose(0)
    assert turn.entered == ("fate", "hero") and turn.scene.id == "hero"


def test_conditional_text_and_interpolation(tiny, fresh):
    driver = fresh(tiny)
    assert driver.play.text() == ["A cold hall.", "You have 3 coins."]
    driver.choose(1)
    assert driver.play.text() == ["The yard is empty.", "You keep to the wall."]


def test_aftermath_and_chapter_end(tiny, fresh):
    turn = fresh(tiny).choose(0)
    assert turn.aftermath == "You feel taller."
    assert turn.chapter_ended is not None and turn.chapter_ended.id == "one"


def test_play_error_leaves_state_untouched_and_names_the_effect(tiny, fresh):
    driver = fresh(tiny)
    driver.choose(0)
    before = driver.play.to_dict()
    with pytest.raises(PlayError) as info:
        driver.choose(1)
    assert "division by zero" in str(info.value) and "yard" in str(info.value)
    assert info.value.site == ("yard", "effect", 0) and info.value.pos.line > 0
    assert driver.play.to_dict() == before


@pytest.mark.parametrize("files, where, kind", [
    ({"s.yaml": """
        scenes:
          - id: a
            title: A
            text: [{if: "1 / (n - n) > 0", text: "Never."}]
            choices: [{label: Go, to: end}]
        endings: [{id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q]}]
     """}, "text", "paragraph"),
    ({"s.yaml": """
        scenes:
          - id: a
            title: A
            text: Hello.
            choices: [{label: Go, to: end, if: "n / (n - n) > 1"}, {label: Stay, to: end}]
        endings: [{id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q]}]
     """}, "choices", "choice"),
    ({"s.yaml": """
        scenes:
          - id: a
            route: [{if: "n / (n - n) > 1", to: end}]
            default: end
        endings: [{id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q]}]
     """}, "start", "route"),
])
def test_a_failing_condition_anywhere_is_a_play_error_with_its_line(make_story, files, where, kind):
    story = load_story(make_story(files))
    with pytest.raises(PlayError) as info:
        play = Playthrough(story)
        getattr(play, where)() if where != "start" else None
    assert info.value.site is not None and info.value.site[1] == kind
    assert info.value.pos.line > 0 and "s.yaml" in str(info.value)


def test_each_guard_is_evaluated_once_per_choice(tiny):
    play = Playthrough(tiny)
    choice = tiny.scenes["hall"].choices[2]
    calls = []
    original = choice.condition.fn

    def counting(variables, visits):
        calls.append(1)
        return original(variables, visits)

    object.__setattr__(choice.condition, "fn", counting)
    try:
        play.all_choices()
        play.choices()
        play.choose(0)
        assert len(calls) == 1  # listed to draw, listed again to pick from, taken: evaluated once
    finally:
        object.__setattr__(choice.condition, "fn", original)


def test_undo_restores_everything(tiny, fresh):
    driver = fresh(tiny)
    start = driver.play.to_dict()
    driver.choose(0)
    assert driver.undo()
    assert driver.play.to_dict() == start
    assert not driver.undo()


def test_cannot_choose_out_of_range_or_after_the_end(tiny, fresh):
    driver = fresh(tiny)
    with pytest.raises(ChoiceUnavailable):
        driver.choose(5)
    with pytest.raises(IndexError):  # a ChoiceUnavailable is also an IndexError
        driver.choose(-1)
    driver.choose(0)
    driver.choose(0)
    with pytest.raises(PlaythroughOver):
        driver.choose(0)


def test_every_engine_exception_has_one_root():
    for cls in (ChoiceUnavailable, PlaythroughOver, PlayError, SaveMismatch):
        assert issubclass(cls, KiraError)


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


def test_save_from_a_newer_game_is_refused_with_a_message(tiny):
    data = Playthrough(tiny).to_dict() | {"format": SAVE_FORMAT + 1}
    with pytest.raises(SaveMismatch, match="newer version of the game"):
        Playthrough.from_dict(tiny, data)


@pytest.mark.parametrize("field, value", [
    ("steps", [1]), ("steps", "abc"), ("seed", "abc"), ("variables", {"coins": float("nan")}),
    ("variables", [1, 2]), ("visits", {"hall": -1}), ("visits", {"hall": "x"}), ("scene", 7),
    ("steps", [{"scene": "hall", "choice": "0"}]), ("format", "1"),
])
def test_saved_data_of_the_wrong_type_is_a_clear_mismatch(tiny, field, value):
    data = Playthrough(tiny).to_dict() | {field: value}
    with pytest.raises(SaveMismatch):
        Playthrough.from_dict(tiny, data)


def test_save_with_a_vanished_scene_names_its_chapter(tiny):
    data = Playthrough(tiny).to_dict() | {"scene": "gone", "steps": [], "chapter": "one"}
    with pytest.raises(SaveMismatch) as info:
        Playthrough.from_dict(tiny, data)
    assert info.value.chapter == "one"


def test_codex_unlocks_with_visits(tiny, fresh):
    assert fresh(tiny).play.unlocked_codex() == ["petrograd"]


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


def test_a_restored_save_keeps_only_steps_that_still_name_scenes_of_the_story(tiny):
    play = Playthrough(tiny)
    play.choose(0)
    data = play.to_dict()
    data["steps"][0]["scene"] = "removed"
    again = Playthrough.from_dict(tiny, data)
    assert again.scene_id == "yard" and again.steps == []


def test_replay_reports_the_first_step_that_does_not_fit(tiny):
    good = Step("hall", 0, "Be brave", "yard", True)
    result = replay(tiny, [good, Step("yard", 5, "?", "", False)])
    assert result.failed_at == 1 and "does not have" in result.reason
    assert result.play.scene_id == "yard" and len(result.turns) == 1
    assert replay(tiny, [good]).ok
    stopped = replay(tiny, [good], check=lambda play, index, step, choice: "no" if index == 0 else "")
    assert stopped.failed_at == 0 and stopped.reason == "no"


def test_a_start_at_another_scene(tiny, fresh):
    driver = fresh(tiny, start="yard")
    assert driver.play.scene_id == "yard" and driver.play.start_scene == "yard"
    driver.choose(0)
    assert driver.play.is_over


def test_broken_play_fixture_fails_cleanly(fresh):
    story = load_story(FIXTURES / "broken_play")
    driver = fresh(story)
    with pytest.raises(PlayError):
        driver.choose(0)


QUESTIONING = {"s.yaml": """
    chapters:
      - id: c1
        number: 1
        title: One
        reflection:
          - Asked on every path, with n at {n}.
          - {if: flag, text: Asked when the flag was raised.}
          - {if: "n > 5", text: Asked when n grew., else: "Asked when n stayed at {n}."}
    scenes:
      - id: a
        title: A
        chapter: c1
        text: Choose.
        choices:
          - {label: Raise the flag, to: b, effects: {set: {flag: true}, add: {n: 2}}}
          - {label: Leave it, to: b}
      - id: b
        title: B
        text: Go on.
        choices: [{label: End, to: end}]
    endings:
      - id: end
        title: E
        epilogue:
          - Always.
          - {if: flag, text: The flag flies., else: No flag.}
        state_took: s
        could_not_take: c
        novel: n
        reflection: [First., {if: "not flag", text: Only without the flag.}]
"""}


@pytest.mark.parametrize("pick, chapter_questions, epilogue, ending_questions", [
    (0, ["Asked on every path, with n at 7.", "Asked when the flag was raised.", "Asked when n grew."],
     ["Always.", "The flag flies."], ["First."]),
    (1, ["Asked on every path, with n at 5.", "Asked when n stayed at 5."],
     ["Always.", "No flag."], ["First.", "Only without the flag."]),
])
def test_questions_and_epilogues_follow_the_path(make_story, pick, chapter_questions, epilogue, ending_questions):
    story = load_story(make_story(QUESTIONING))
    play = Playthrough(story, clock=False)
    turn = play.choose(pick)
    assert turn.chapter_ended is not None
    assert play.questions(turn.chapter_ended.reflection) == chapter_questions
    play.choose(0)
    assert play.ending is not None and play.ending.ending is not None
    assert play.text() == epilogue
    assert play.questions(play.ending.ending.reflection) == ending_questions


def test_a_failing_condition_in_a_reflection_question_is_a_located_play_error(make_story):
    story = load_story(make_story({"s.yaml": """
        chapters:
          - id: one
            number: 1
            title: One
            reflection: [{text: "Was it worth it?", if: "n / (n - n) > 1"}]
        scenes:
          - id: a
            title: A
            chapter: one
            text: Hello.
            choices: [{label: Go, to: end}]
        endings: [{id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q]}]
     """}))
    play = Playthrough(story)
    with pytest.raises(PlayError) as info:
        play.questions(story.chapters["one"].reflection)
    assert info.value.site == ("a", "question", 0) and "s.yaml" in str(info.value)
