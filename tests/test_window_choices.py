"""Every choice is in view when a scene's text is all there, and the whole game can be played with the mouse.

The choice-visibility test walks every scene of the novel's path (the story's ``novel: true`` choices) at the
sizes students meet (1280x720, 800x600) and the largest text, with the typewriter running, and checks that
when the reveal ends every choice card is wholly inside the window and clickable, with no key pressed. The
mouse test plays a path from the title to The End with synthesised clicks alone.
"""

from __future__ import annotations

import argparse

import pygame
import pytest
from conftest import SHIPPED

from game.loader.story import load_story
from game.session.settings import Settings, save_settings

pytestmark = pytest.mark.usefixtures("headless_window")

CONFIGS = [((1280, 720), "medium"), ((800, 600), "medium"), ((1280, 720), "largest"), ((800, 600), "largest")]


@pytest.fixture(scope="module")
def shipped():
    return load_story(SHIPPED)


def open_app(story, size, **settings):
    from game.ui.window.app import App

    save_settings(Settings(**settings))
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(story, args, size=size)
    app.step(wait=False)
    return app


def run_reveal(app):
    """Let the typewriter run to the end of the scene, as a player waiting would (no key pressed)."""
    scene = app.top
    for _ in range(10_000):
        if not scene.revealing:
            break
        scene.update(0.05)
    app.draw()


@pytest.mark.parametrize(("size", "text_size"), CONFIGS)
def test_every_choice_of_the_novels_path_is_in_view_when_the_text_ends(shipped, size, text_size):
    app = open_app(shipped, size, text_size=text_size, text_speed="fast")
    game = app.game
    game.new_game()
    game._begin_new()
    window = pygame.Rect((0, 0), app.size)
    scenes = 0
    while not game.play.is_over:
        scene = app.top
        assert scene.name == "scene"
        scene.ensure_layout()
        assert scene.revealing  # the typewriter is on in this test
        run_reveal(app)
        views = game.play.all_choices()
        cards = [button for button, _rect, _lines in scene.cards]
        assert len(cards) == len(views) >= 1
        for button, view in zip(cards, views, strict=True):
            where = f"{game.play.scene_id} at {size} {text_size}: {view.label!r}"
            assert button.rect.width and button.rect.height, f"{where} is not drawn"
            assert window.contains(button.rect), f"{where} leaves the window"
            assert scene.sheet.contains(button.rect), f"{where} leaves the paper column"
            assert not button.rect.colliderect(scene.scroller.view), f"{where} lies under the text"
            assert view.label.split()[0] in app.visible_text()
        assert not any(a.rect.colliderect(b.rect) for i, a in enumerate(cards) for b in cards[i + 1:])
        assert all(not item.rect.colliderect(card.rect) for item in scene.bar.items for card in cards)
        novel = next(i for i, view in enumerate(game.play.choices()) if view.novel)
        game.choose(novel)
        del app.stack[1:]
        app.flow = []
        scenes += 1
    assert scenes == 38


def click(app, pos, button=1):
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    app.step(wait=False)


def click_button(app, label):
    screen = app.top
    screen.ensure_layout()
    app.draw()
    target = next(b for b in screen.focus.buttons if b.label.startswith(label) and b.enabled)
    assert target.rect.width, f"{label!r} on {screen.name} is not on screen"
    click(app, target.rect.center)


def click_quick(app, label):
    item = next(i for i in app.top.bar.items if i.label == label)
    click(app, item.rect.center)


def test_a_whole_path_played_by_clicks_alone(tiny):
    app = open_app(tiny, (1280, 720))
    click_button(app, "New game")
    assert app.top.name == "content-note"
    click_button(app, "Begin the story")
    assert app.top.name == "scene"
    click_quick(app, "History")
    assert app.top.name == "history"
    click(app, (5, 5), button=3)  # the right button goes back
    assert app.top.name == "scene"
    click(app, (5, 5), button=3)  # ... and on a scene opens the menu
    assert app.top.name == "pause"
    click_button(app, "Resume")
    click_quick(app, "Save")
    assert app.top.name == "save"
    click_button(app, "Slot 3")
    assert app.top.name == "scene" and app.game.store.info("3").exists
    click_button(app, "Hide")
    assert app.game.play.steps[-1].label == "Hide"
    assert app.top.name == "path-map"  # chapter one closed
    click_button(app, [b for b in app.top.focus.buttons if b.enabled][-1].label)
    assert app.top.name == "question"
    click_button(app, "Skip")
    assert app.top.name == "scene" and app.game.play.scene_id == "yard"
    click_quick(app, "Back")  # undo
    assert not app.game.play.steps and app.top.name == "scene"
    click_button(app, "Be brave")
    seen = []
    while app.top.name != "the-end" and len(seen) < 40:
        screen = app.top
        seen.append(screen.name)
        if screen.name == "scene":
            click_button(app, screen.focus.buttons[next(i for i, b in enumerate(screen.focus.buttons) if b.enabled)]
                         .label)
        elif screen.name == "question":
            click_button(app, "Skip")
        else:
            enabled = [b for b in screen.focus.buttons if b.enabled]
            click_button(app, enabled[-1].label)  # Continue, Next page: the last button of the row
    assert app.top.name == "the-end" and app.game.play.is_over
    assert "scene" in seen and "path-map" in seen and "summary" in seen


def test_the_wheel_scrolls_the_scene_text_and_long_pages(shipped):
    app = open_app(shipped, (800, 600), text_size="largest")
    app.game.new_game()
    app.game._begin_new()
    app.step(wait=False)
    scene = app.top
    assert scene.scroller.limit > 0  # the first scene is longer than the view at this size
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-2, flipped=False, precise_x=0, precise_y=-2))
    app.step(wait=False)
    assert scene.scroller.offset > 0
    from game.ui.window.screens.pause import open_screen

    for which in ("history", "codex", "notebook", "load"):
        open_screen(app, which)
        page = app.top
        page.ensure_layout()
        scroller = getattr(page, "scroller", None)
        if scroller is not None and scroller.limit > 0:
            pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-3, flipped=False, precise_x=0,
                                                 precise_y=-3))
            before = scroller.offset
            app.step(wait=False)
            assert scroller.offset != before or before == scroller.limit, which
        app.pop()
