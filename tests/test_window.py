"""The game window driven headless with real pygame events: what is shown and what the engine did."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pygame
import pytest
from conftest import FIXTURES, ROOT

from game.loader import load_story


def make_args(**overrides) -> argparse.Namespace:
    values = dict(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[], student=None,
                  answers=None, out=None, story=None, ui="pygame")
    values.update(overrides)
    return argparse.Namespace(**values)


@pytest.fixture(autouse=True)
def headless(tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("KIRA_CONFIG_DIR", str(tmp_path / "config"))
    yield
    pygame.display.quit()


@pytest.fixture
def open_app(tiny):
    from game.ui.window.app import App

    def start(story=None, **overrides):
        app = App(story or tiny, make_args(**overrides))
        app.step(wait=False)
        return app

    return start


def press(app, key, mod=0, unicode=""):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))
    app.step(wait=False)


def click(app, pos):
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    app.step(wait=False)


def type_text(app, text):
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    app.step(wait=False)


def button(app, label):
    return next(b for b in app.top.focus.buttons if b.label == label)


def start_game(app):
    press(app, pygame.K_RETURN)  # "New game" has the focus on a first run
    assert app.top.name == "content-note"
    press(app, pygame.K_RETURN)  # "Begin the story"
    assert app.top.name == "scene"
    press(app, pygame.K_SPACE)  # complete the typewriter


def test_title_screen_shows_the_menu_and_continue_is_greyed_without_saves(open_app):
    app = open_app()
    shown = app.visible_text()
    assert "We the Living" not in shown  # the fixture story has its own title
    assert "A tiny story" in shown and "New game" in shown and "Endings" in shown
    assert not button(app, "Continue").enabled


def test_new_game_by_keyboard_shows_the_scene_and_a_number_key_chooses(open_app):
    app = open_app()
    start_game(app)
    shown = app.visible_text()
    assert "The Hall" in shown and "A cold hall." in shown and "You have 3 coins." in shown
    assert "Be brave" in shown and "You have too little money." in shown  # the locked choice and its reason
    press(app, pygame.K_2)  # "Hide"
    assert app.game.play.scene_id == "yard" and app.game.play.variables["courage"] == 0
    assert app.top.name == "path-map"  # chapter one closed


def test_arrows_and_enter_choose_the_focused_choice(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)
    assert app.game.play.steps[-1].label == "Hide"


def test_a_click_on_a_choice_takes_it(open_app):
    app = open_app()
    start_game(app)
    target = button(app, "Be brave").rect.center
    click(app, target)
    assert app.game.play.steps[-1].label == "Be brave"
    assert "You feel taller." in app.game.aftermath


def test_typewriter_reveals_gradually_and_space_completes_it(open_app):
    app = open_app()
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    scene = app.top
    assert scene.revealing
    assert "Be brave" not in app.visible_text()  # choices wait for the text
    press(app, pygame.K_SPACE)
    assert not scene.revealing and "Be brave" in app.visible_text()


def test_scripted_run_writes_one_picture_per_screen(tmp_path):
    shots = tmp_path / "shots"
    record = tmp_path / "run.json"
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--ui", "pygame", "--story", str(FIXTURES / "tiny"),
         "--choices", "1,1", "--screenshot-dir", str(shots), "--record", str(record)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 0, result.stderr
    names = [p.name for p in sorted(shots.iterdir())]
    assert names[0] == "01-title.png" and "03-scene.png" in names
    assert any("ending" in n for n in names) and any("summary" in n for n in names)
    assert names[-1].endswith("the-end.png")
    assert pygame.image.load(str(shots / names[2])).get_size() == (1280, 720)
    assert '"ending": "hero"' in record.read_text()


def test_shipped_story_opens(open_app):
    app = open_app(load_story(ROOT / "story" / "we_the_living"))
    assert "We the Living" in app.visible_text()
