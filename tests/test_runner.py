"""The session runner: what every front end shows after a turn, and what it keeps, decided in one place."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from game.classroom.assignment import load_assignment
from game.errors import MisuseError
from game.runtime.playthrough import Playthrough
from game.session.assignment import AssignmentSession
from game.session.gallery import Gallery
from game.session.runner import Ask, ChapterClosed, EndingReached, Reflect, Session, TheEnd, UndoOff
from game.session.saves import AUTOSAVE, SaveStore


def kinds(beats):
    return [type(beat).__name__ for beat in beats]


def test_a_chapter_end_closes_the_chapter_over_the_place_left_then_asks_its_questions(tiny):
    session = Session.new(tiny)
    beats = session.choose(0)
    assert kinds(beats) == ["ChapterClosed", "Reflect"]
    closed, reflect = beats
    assert isinstance(closed, ChapterClosed) and closed.chapter.id == "one"
    assert isinstance(reflect, Reflect) and reflect.questions == ("What did you give up?",)
    assert session.aftermath == "You feel taller."


def test_the_ending_comes_first_then_the_questions_to_think_about_then_the_end(tiny):
    session = Session.new(tiny)
    session.choose(0)
    beats = session.choose(0)
    assert kinds(beats) == ["EndingReached", "ChapterClosed", "Reflect", "TheEnd"]
    assert isinstance(beats[0], EndingReached) and beats[0].scene.id == "hero"
    assert beats[2].questions == ("Why?", "How?")


def test_free_play_keeps_the_autosave_after_every_turn_with_the_answers(tiny, tmp_path):
    store = SaveStore(tiny, tmp_path)
    session = Session.new(tiny, store=store)
    session.opening()
    assert store.read(AUTOSAVE)["playthrough"]["scene"] == "hall"
    session.choose(0)
    session.reflect("What did you give up?", "  My comfort.  ")
    saved = store.read(AUTOSAVE)
    assert saved["playthrough"]["scene"] == "yard" and saved["extra"]["answers"] == {
        "What did you give up?": "My comfort."}
    again = Session.new(tiny, store=SaveStore(tiny, tmp_path))
    again.load(AUTOSAVE)
    assert again.play.scene_id == "yard" and again.reflections == {"What did you give up?": "My comfort."}


def test_the_gallery_records_codex_entries_and_endings(tiny, tmp_path):
    gallery = Gallery(tiny.id, tmp_path)
    session = Session.new(tiny, gallery=gallery)
    session.opening()
    session.choose(0)
    session.choose(0)
    assert Gallery(tiny.id, tmp_path).reached("hero") and "petrograd" in Gallery(tiny.id, tmp_path).codex


def test_saving_is_refused_without_a_store(tiny):
    session = Session.new(tiny)
    assert not session.can_save
    with pytest.raises(MisuseError):
        session.save("1")


def assignment_session(story, tmp_path=None):
    assignment = load_assignment(FIXTURES / "tiny_assignment.yaml", story)
    progress = tmp_path / "progress.json" if tmp_path else None
    return AssignmentSession(assignment, Playthrough(story), "Ada", progress=progress)


def test_an_assignment_asks_its_questions_at_their_moments_and_then_hands_in(tiny, tmp_path):
    session = Session(tiny, Playthrough(tiny), store=SaveStore(tiny, tmp_path),
                      assignment=assignment_session(tiny, tmp_path))
    assert not session.can_save  # an assignment is kept in its own progress file, not in save slots
    beats = session.choose(0)
    # no free reflection in an assignment; the yard's question comes once the yard is shown
    assert kinds(beats) == ["ChapterClosed", "Ask", "ShowScene", "Ask"]
    assert [b.question.id for b in beats if isinstance(b, Ask)] == ["first", "yard"]
    assert session.answer(beats[1].question, "Too short") is not None
    assert session.answer(beats[1].question, "It cost me my comfort.") is None
    assert session.answer(beats[3].question, "Empty and cold.") is None
    beats = session.choose(0)
    assert kinds(beats) == ["EndingReached", "ChapterClosed", "Ask", "HandIn"]
    assert session.answer(beats[2].question, "Yes, because Kira chose it herself.") is None
    assert session.finished
    kept = json.loads((tmp_path / "progress.json").read_text())
    assert kept["playthrough"]["ending"] == "hero" and set(kept["answers"]) == {"first", "yard", "last"}


def test_undo_is_refused_where_the_assignment_switches_it_off(tiny):
    session = Session(tiny, Playthrough(tiny), assignment=assignment_session(tiny))
    session.choose(0)
    with pytest.raises(UndoOff):
        session.undo()
    assert not session.can_undo


def test_a_resumed_assignment_opens_on_the_questions_left_open(tiny, tmp_path):
    first = Session(tiny, Playthrough(tiny), assignment=assignment_session(tiny, tmp_path))
    first.choose(0)  # stopped here, with both questions unanswered
    assignment = load_assignment(FIXTURES / "tiny_assignment.yaml", tiny)
    kept = AssignmentSession.resume(assignment, tiny, "Ada", tmp_path / "progress.json")
    assert kept is not None
    again = Session(tiny, kept.play, assignment=kept)
    assert [b.question.id for b in again.opening() if isinstance(b, Ask)] == ["first", "yard"]


def test_reopening_an_ended_playthrough_shows_the_ending_again(tiny):
    session = Session.new(tiny)
    session.choose(0)
    session.choose(0)
    assert kinds(Session(tiny, session.play).opening()) == ["EndingReached", "Reflect", "TheEnd"]
    assert isinstance(session.opening()[-1], TheEnd)


def test_the_record_has_the_summary_and_the_answers(tiny):
    session = Session.new(tiny)
    session.choose(0)
    session.reflect("What did you give up?", "Nothing.")
    record = session.record()
    assert record["answers"] == {"What did you give up?": "Nothing."} and record["summary"]["choices_made"] == 1


def _run(ui: str, record, choices: str) -> None:
    env = os.environ | {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "NO_COLOR": "1"}
    command = [sys.executable, str(ROOT / "main.py"), "play", "--ui", ui, "--story", str(FIXTURES / "tiny"),
               "--choices", choices, "--record", str(record)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("choices", ["1,1", "2,1", "1"])
def test_the_terminal_and_the_window_play_a_path_to_the_same_record(tmp_path, choices):
    records = {}
    for ui in ("terminal", "pygame"):
        path = tmp_path / f"{ui}.json"
        _run(ui, path, choices)
        data = json.loads(path.read_text())
        for step in data["steps"]:
            assert step.pop("time")  # both stamp each step with the moment it was taken
        records[ui] = json.dumps(data, sort_keys=True)
    assert records["terminal"] == records["pygame"]
