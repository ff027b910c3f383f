"""An assignment played over two lessons: the place and the answers are kept, and the student goes on from there."""

from __future__ import annotations

import argparse
import json

import pygame
from conftest import FIXTURES, saves_folder
from test_terminal import kira

from game.classroom.assignment import load_assignment
from game.classroom.verify import verify_record
from game.loader.story import load_story
from game.runtime.playthrough import Playthrough
from game.session.assignment import AssignmentSession, progress_path

ASSIGNMENT = FIXTURES / "tiny_assignment.yaml"


def test_a_kept_session_resumes_with_its_path_answers_and_times(tmp_path):
    story = load_story(FIXTURES / "tiny")
    assignment = load_assignment(ASSIGNMENT, story)
    path = tmp_path / "kept.json"
    session = AssignmentSession(assignment, Playthrough(story), "Ada", progress=path)
    session.due_after(session.play.choose(0))
    assert session.answer(assignment.questions[0], "It cost me comfort.") is None
    kept = AssignmentSession.resume(assignment, story, "Ada", path)
    assert kept is not None and kept.play.scene_id == "yard" and kept.started == session.started
    assert [s.time for s in kept.play.steps] == [s.time for s in session.play.steps]
    assert kept.answers["first"].text == "It cost me comfort." and kept.progress == path
    kept.answer(assignment.questions[1], "Empty and cold.")
    kept.due_after(kept.play.choose(0))
    kept.answer(assignment.questions[2], "Yes, it was fair enough.")
    assert kept.missing() == [] and verify_record(json.loads(json.dumps(kept.submission())), story).genuine
    kept.finish()
    assert not path.exists()
    path.write_text("{ torn")
    assert AssignmentSession.resume(assignment, story, "Ada", path) is None


def test_the_terminal_offers_to_go_on_where_the_student_stopped(tmp_path):
    saves = {"KIRA_SAVE_DIR": str(tmp_path / "saves")}
    command = ("--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT),
               "--student", "anna", "--out", str(tmp_path / "anna.json"))
    first = kira(*command, stdin="1\nIt cost me courage.\n", env_extra=saves)
    assert "Your place and answers are kept" in first.stderr
    again = kira(*command, stdin="\nEmpty and cold.\n1\nIt was fair because I was brave.\n", env_extra=saves)
    words = " ".join(again.stdout.split())
    assert "unfinished playthrough of this assignment: Chapter Two - The Yard, after 1 choice, with 1 answer" in words
    assert again.returncode == 0 and "Submission written" in again.stderr, again.stderr
    record = json.loads((tmp_path / "anna.json").read_text())
    assert [a["question"] for a in record["answers"]] == ["first", "yard", "last"]
    assert not list(saves_folder(tmp_path / "saves").glob("assignment-*.json"))  # handed in: nothing left over


def test_the_window_offers_to_go_on_where_the_student_stopped(headless_window, tmp_path):
    from game.ui.window.app import App

    story = load_story(FIXTURES / "tiny")
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=ASSIGNMENT, pack=[],
                              student="Ada", answers=None, out=tmp_path / "ada.json", story=None, ui="pygame")
    app = App(story, args)
    app.step(wait=False)
    assert app.top.name == "instructions"
    app.top.focus.focused.action()  # Begin
    app.game.choose(0)
    assert progress_path(load_assignment(ASSIGNMENT, story), "Ada", story).exists()
    pygame.display.quit()

    app = App(story, args)
    app.step(wait=False)
    assert app.top.name == "confirm" and "You stopped at Chapter Two - The Yard" in app.visible_text()
    next(b for b in app.top.focus.buttons if b.label == "Go on").action()
    app.top.focus.focused.action()  # Begin, on the instructions
    app.step(wait=False)
    assert app.game.play.scene_id == "yard" and len(app.game.play.steps) == 1
    assert app.top.name == "question" and "What did your first choice cost you?" in app.visible_text()  # left open
    app.top.field.text = "Some of my comfort."
    app.top.submit()
    app.step(wait=False)
    assert app.top.name == "scene"  # the yard is shown again before its own question is asked
    app.game.choose(0)
    app.step(wait=False)
    assert app.top.name == "question" and "Describe the yard" in app.visible_text()


def test_the_window_asks_before_a_new_playthrough_replaces_a_submission(headless_window, tmp_path):
    from game.ui.window.app import App

    story = load_story(FIXTURES / "tiny")
    out = tmp_path / "ada.json"
    out.write_text('{"kind": "we-the-living-submission", "finished": "2026-03-02T09:40:00+00:00"}')
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=ASSIGNMENT, pack=[],
                              student="Ada", answers=None, out=out, story=None, ui="pygame")
    app = App(story, args)
    app.step(wait=False)
    assert app.top.name == "message" and "already holds a submission by Ada" in app.visible_text()
    assert app.top.focus.focused.label == "Keep it and quit"  # Enter alone keeps the submission
    next(b for b in app.top.buttons if b.label == "Play again").action()
    app.step(wait=False)
    assert app.top.name == "instructions"  # the student chose to play again; the file is replaced at hand-in
    pygame.display.quit()
