"""What follows a chapter's last choice in the window: its map, then its questions over the place just left."""

from __future__ import annotations

import argparse

import pygame
import pytest
from conftest import SHIPPED

from game.loader.story import load_story
from game.session.settings import Settings, save_settings

pytestmark = pytest.mark.usefixtures("headless_window")


def press(app, key, unicode=""):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=unicode, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode=unicode, scancode=0))
    app.step(wait=False)


def shipped_app():  # type: ignore[no-untyped-def]
    """The shipped story in the window, its text shown at once; (story, app) on the title screen."""
    from game.ui.window.app import App

    story = load_story(SHIPPED)
    save_settings(Settings(text_speed="instant"))
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(story, args)
    app.step(wait=False)
    return story, app


def test_a_chapter_reflection_shows_the_place_where_the_chapter_ended():
    story, app = shipped_app()
    press(app, pygame.K_RETURN)  # New game
    press(app, pygame.K_RETURN)  # Begin the story
    left = ""
    for _ in range(40):
        if app.top.name != "scene":
            break
        left = app.game.play.scene.background
        press(app, pygame.K_1, "1")
    assert app.top.name == "path-map"
    press(app, pygame.K_RETURN)  # Continue
    assert app.top.name == "question"
    assert story.chapters["ch1"].title in app.top.heading_text
    assert app.game.play.scene.background != left  # the next chapter opens somewhere else
    assert app.top.background_name() == left


def test_a_chapters_questions_show_its_last_place_in_that_scenes_season():
    from game.runtime.scenery import winter

    story, app = shipped_app()
    app.game.new_game()
    app.game._begin_new()
    while app.game.play.scene.chapter != "ch5":  # chapter four closes in the summer, chapter five opens in winter
        del app.stack[1:]
        app.flow = []
        left = app.game.play.scene
        app.game.choose(0)
    while app.top.name != "question":
        app.advance()
    question = app.top
    assert question.background_name() == left.background
    assert question.place_date() == left.date and winter(left.date) is False
    assert winter(app.game.play.scene.date) is True  # the scene being played is in winter: its season is not used
