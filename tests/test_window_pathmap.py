"""The path map keeps every road of every chapter inside its map area, clear of the heading above it."""

from __future__ import annotations

import argparse

import pytest
from conftest import SHIPPED

from game.loader.story import load_story
from game.session.settings import Settings, save_settings

pytestmark = pytest.mark.usefixtures("headless_window")


@pytest.fixture(scope="module")
def shipped():
    return load_story(SHIPPED)


@pytest.mark.parametrize("size", [(1280, 720), (800, 600)])
def test_no_road_rises_out_of_the_map_area(shipped, size):
    from game.ui.window.app import App
    from game.ui.window.screens.pathmap import PathMapScreen

    save_settings(Settings(text_speed="instant"))
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(shipped, args, size=size)
    app.step(wait=False)
    app.game.new_game()
    app.game._begin_new()
    for chapter in shipped.ordered_chapters():
        app.push(PathMapScreen(app, chapter.id, closing=False))
        screen = app.top
        screen.ensure_layout()
        for edge, points in screen.curves:
            highest, lowest = min(y for _, y in points), max(y for _, y in points)
            where = f"{chapter.id}: {edge.src} -> {edge.dst}"
            assert highest >= screen.area.top, f"{where} rises to {highest:.0f}, above the map at {screen.area.top}"
            assert lowest <= screen.area.bottom, f"{where} sinks to {lowest:.0f}, below the map"
            assert all(screen.sheet.left < x < screen.sheet.right for x, _ in points), f"{where} leaves the page"
        app.pop()
