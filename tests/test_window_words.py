"""What the window says is right for any story: its own author, counts in good English, one ending or many."""

from __future__ import annotations

import argparse

import pygame
import pytest

from game.loader.story import load_story


@pytest.fixture(autouse=True)
def headless(tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("KIRA_CONFIG_DIR", str(tmp_path / "config"))
    yield
    pygame.display.quit()


ONE_SCENE = {"scenes.yaml": """\
    scenes:
      - id: a
        title: The Haymarket
        text: The square smells of frozen fish.
        choices:
          - {label: Walk on., to: home, novel: true}
    endings:
      - {id: home, title: Home, epilogue: Dark stairs., state_took: An afternoon., could_not_take: The choice.,
         novel: The same., reflection: [Why?]}
    """}


def open_app(story):
    from game.ui.window.app import App

    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(story, args)
    app.step(wait=False)
    return app


def test_the_title_names_the_story_s_own_author(make_story):
    story = load_story(make_story(ONE_SCENE, story_yaml="id: t\ntitle: The Haymarket\nauthor: Vera Pavlovna\n"
                                                        "start: a\ncontent_note: Hunger.\n"))
    shown = open_app(story).visible_text()
    assert "Vera Pavlovna" in shown and "Ayn Rand" not in shown


def test_a_story_with_one_ending_and_one_choice_reads_in_the_singular(make_story):
    from game.ui.window.screens.ending import SummaryScreen, TheEndScreen

    story = load_story(make_story(ONE_SCENE))
    app = open_app(story)
    app.game.new_game()
    app.game._begin_new()
    app.game.choose(0)
    for screen in (SummaryScreen(app), TheEndScreen(app)):
        app.push(screen)
        app.step(wait=False)
    app.pop()
    app.step(wait=False)
    words = " ".join(app.visible_text().split())
    assert "1 of 1 moment where she faced the same choice. You made 1 choice in all." in words
    app.push(TheEndScreen(app))
    app.step(wait=False)
    assert "This story has one ending, and you have reached it." in " ".join(app.visible_text().split())


def test_the_path_map_counts_one_moment_in_the_singular(make_story):
    from game.ui.window.screens.pathmap import PathMapScreen

    story = load_story(make_story({"scenes.yaml": ONE_SCENE["scenes.yaml"].replace(
        "        text: The square", "        chapter: one\n        text: The square").replace(
        "    scenes:", "    chapters:\n      - {id: one, number: 1, title: One}\n    scenes:")}))
    app = open_app(story)
    app.game.new_game()
    app.game._begin_new()
    app.game.choose(0)
    app.push(PathMapScreen(app, "one", closing=True))
    app.step(wait=False)
    assert "at 1 of 1 moment." in app.visible_text()
