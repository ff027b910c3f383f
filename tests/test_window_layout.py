"""The window's screens fit the window at every text size, interface scale and window size a player may pick:
every button inside the window and clear of the others, menus above their line of help, the path map's legend
clear of its buttons, a question's field inside the page, and every save slot reachable by keyboard."""

from __future__ import annotations

import argparse
import itertools
import warnings

import pygame
import pytest
from conftest import SHIPPED

from game.loader.story import load_story
from game.session.settings import Settings, save_settings
from game.ui.window.theme import Metrics

CONFIGS = [
    ((1280, 720), "100%", "medium"),
    ((1280, 720), "125%", "medium"),
    ((1280, 720), "150%", "largest"),
    ((1024, 600), "100%", "large"),
    ((800, 600), "150%", "largest"),
]


@pytest.fixture(scope="module")
def shipped():
    return load_story(SHIPPED)


pytestmark = pytest.mark.usefixtures("headless_window")


def open_app(story, size, scale, text_size, **settings):
    from game.ui.window.app import App

    save_settings(Settings(text_size=text_size, text_speed="instant", ui_scale=scale, **settings))
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(story, args, size=size)
    app.step(wait=False)
    return app


def settle(app):
    app.top.ensure_layout()
    app.step(wait=False)


def assert_buttons_fit(app):
    window = pygame.Rect((0, 0), app.size)
    rects = [b.rect for b in app.top.focus.buttons if b.rect.width and b.rect.height]
    for rect in rects:
        assert window.contains(rect), f"{app.top.name}: {rect} leaves the window {app.size}"
    for one, other in itertools.combinations(rects, 2):
        assert not one.colliderect(other), f"{app.top.name}: {one} overlaps {other}"


def play_a_chapter(app):
    game = app.game
    game.new_game()
    game._begin_new()
    while game.play.scene.chapter == "ch1":
        game.choose(0)
    del app.stack[1:]
    app.flow = []
    settle(app)


@pytest.mark.parametrize(("size", "scale", "text_size"), CONFIGS)
def test_every_screen_fits_the_window(shipped, size, scale, text_size):
    from game.ui.window.screens.entry import QuestionScreen
    from game.ui.window.screens.gallery import GalleryScreen
    from game.ui.window.screens.pathmap import PathMapScreen
    from game.ui.window.screens.saveload import SaveLoadScreen

    app = open_app(shipped, size, scale, text_size)
    play_a_chapter(app)
    app.game.save("3")
    app.game.to_title()
    settle(app)
    assert_buttons_fit(app)
    title = app.top
    assert max(b.rect.bottom for b in title.focus.buttons) <= title.help_top()  # above the help line
    assert title.help_top() + title.cache.size("italic", title.m.small, "Arrows")[1] <= app.size[1]  # wholly shown
    for line in title.kicker():  # the small capitals above the title stay on the sheet
        width = title.cache.size("serif", title.m.small, line, title.m.px(3))[0]
        assert title.sheet.left + title.m.px(44) + width <= title.sheet.right, line

    app.game.continue_latest()
    app.open_pause()
    settle(app)
    assert_buttons_fit(app)

    app.stack[1:] = []
    app.push(PathMapScreen(app, "ch1", closing=True))
    settle(app)
    assert_buttons_fit(app)
    pathmap = app.top
    legend = pygame.Rect(pathmap.area.left, pathmap.legend_y, pathmap.legend_width(), pathmap.legend_height())
    assert not any(legend.colliderect(b.rect) for b in pathmap.focus.buttons)

    question = shipped.chapters["ch1"].reflection[0].text.raw
    looks_for = ["Points to a moment of your own playthrough: a choice, a scene, a line (4 points)",
                 "Places Kira's situation in Petrograd in the 1920s (3 points)",
                 "Gives reasons, and weighs what the choice cost against what it kept (3 points)"]
    app.push(QuestionScreen(app, "The end of Chapter One", question, lambda t: None, looks_for=looks_for))
    settle(app)
    assert_buttons_fit(app)
    question = app.top
    assert question.scroller.view.contains(question.doc_rect(question.field_rect))  # a rubric leaves room to write

    app.push(GalleryScreen(app))
    settle(app)
    assert_buttons_fit(app)

    app.push(SaveLoadScreen(app, saving=True))
    settle(app)
    screen = app.top
    reached = set()
    for _ in range(len(screen.cards)):  # every slot can be reached by keyboard and is then wholly in view
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_DOWN, mod=0, unicode="", scancode=0))
        app.step(wait=False)
        index = screen.focus.index
        if index < len(screen.cards):
            reached.add(index)
            assert screen.scroller.view.contains(screen.card_rect(index)), (index, screen.card_rect(index))
    assert reached == set(range(1, len(screen.cards)))  # the autosave is the game's own: not a slot to save in


def test_the_interface_scale_grows_only_as_far_as_the_window_has_room():
    from game.ui.window.theme import MIN_DESIGN_HEIGHT, Metrics

    assert Metrics.of((1280, 720), Settings(ui_scale="100%")).unit == 1
    assert Metrics.of((1280, 720), Settings(ui_scale="150%")).unit == pytest.approx(720 / MIN_DESIGN_HEIGHT)
    assert Metrics.of((1280, 720), Settings(ui_scale="90%")).unit == pytest.approx(0.9)
    assert Metrics.of((2560, 1440), Settings(ui_scale="125%")).unit == pytest.approx(2.5)


def test_the_window_cannot_be_made_smaller_than_its_screens_are_laid_out_for(shipped):
    from game.ui.window.app import MIN_WINDOW

    app = open_app(shipped, (640, 400), "100%", "medium")
    assert app.size == MIN_WINDOW
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        window = pygame.Window.from_display_module()
    window.size = (500, 300)  # as a player dragging the corner
    assert tuple(window.size) == MIN_WINDOW


@pytest.mark.parametrize(("size", "text_size"), [((800, 600), "largest"), ((800, 600), "medium"),
                                                 ((1280, 720), "largest")])
def test_the_codex_shows_every_name_whole(shipped, size, text_size):
    from game.ui.window.screens.codex import CodexScreen

    app = open_app(shipped, size, "100%", text_size)
    app.game.gallery.codex = list(shipped.codex)  # every entry met, the longest names among them
    app.push(CodexScreen(app))
    settle(app)
    codex = app.top
    rows = [b for _, b in codex.rows if b is not None]
    for button in rows:
        lines = codex.labels[id(button)]
        assert " ".join(lines) == " ".join(button.label.split()), lines  # wrapped, never cut with an ellipsis
        px = codex.list_px if button.enabled else codex.quiet_px
        face = "serif" if button.enabled else "italic"
        assert all(codex.cache.size(face, px, line)[0] <= button.rect.width for line in lines)
        assert len(lines) * round(codex.list_px * 1.2) <= button.rect.height
    for one, other in itertools.combinations([b.rect for b in rows], 2):
        assert not one.colliderect(other)
    assert any(len(codex.labels[id(b)]) > 1 for b in rows) == (size == (800, 600) or text_size == "largest")
    if text_size == "largest":
        assert codex.list_px > Metrics.of(size, Settings()).note(18)  # the names grow with the text size


@pytest.mark.parametrize(("size", "scale", "text_size"), CONFIGS)
def test_a_save_slots_name_and_time_never_meet(shipped, size, scale, text_size):
    from game.session.saves import describe_time
    from game.ui.window.screens.saveload import SaveLoadScreen, short_time

    app = open_app(shipped, size, scale, text_size)
    play_a_chapter(app)
    app.game.save("1")
    app.push(SaveLoadScreen(app, saving=False))
    settle(app)
    screen, m = app.top, app.top.m
    for index, (button, info) in enumerate(screen.cards):
        if not info.saved_at:
            continue
        when = short_time(info.saved_at) if screen.short_dates else describe_time(info.saved_at)
        label = screen.cache.size("serif", m.small, button.label.upper(), m.px(2))[0]
        date = screen.cache.size("italic", m.small, when)[0]
        assert m.px(20) + label + m.px(12) + date + m.px(16) <= screen.card_rect(index).width, (button.label, when)


def test_a_headings_line_of_help_grows_with_the_text_size_as_far_as_the_sheet_allows(shipped):
    from game.ui.window.widgets import hint_px

    hint = "Up and Down choose, Left and Right or a click change. Kept for next time."
    for size in ((1280, 720), (800, 600)):
        medium, largest = (open_app(shipped, size, "100%", text).metrics for text in ("medium", "largest"))
        app = open_app(shipped, size, "100%", "largest")
        roomy = hint_px(app.cache, largest, hint)
        assert roomy == largest.note(17) > medium.note(17)
        narrow = hint_px(app.cache, largest, hint, width=600)
        assert medium.tx(17) <= narrow <= roomy
        assert app.cache.size("italic", narrow, hint)[0] <= 600 or narrow == medium.tx(17)


@pytest.mark.parametrize("font", ["serif", "sans", "dyslexic"])
def test_the_title_lines_never_touch_the_byline(shipped, font):
    """The shipped title wraps onto two lines at the largest text; the byline starts below the ink of the
    last line, descenders included, whatever the font."""
    app = open_app(shipped, (1280, 720), "100%", "largest", font=font, high_contrast=True)
    title, m, cache = app.top, app.top.m, app.top.cache
    lines, px = title.title_lines(), m.tx(58)
    top = round(m.height * 0.11) + len(title.kicker()) * round(m.small * 1.3) + m.px(10)
    last_top = top + (len(lines) - 1) * round(px * 1.08)
    ink = cache.render("serif", px, lines[-1], (255, 255, 255)).get_bounding_rect()
    byline_top = top + title.title_height() + m.px(6)
    assert last_top + ink.bottom < byline_top, (font, lines)
    assert_buttons_fit(app)
