"""The path map keeps every road of every chapter inside its map area, clear of the heading above it, and
sets every scene's title whole inside its own box, at the text size the player chose."""

from __future__ import annotations

import argparse
import itertools

import pytest
from conftest import SHIPPED

from game.loader.story import load_story
from game.session.settings import Settings, save_settings

pytestmark = pytest.mark.usefixtures("headless_window")


@pytest.fixture(scope="module")
def shipped():
    return load_story(SHIPPED)


def maps(story, size, text_size="medium"):
    """The map of every chapter of the story, laid out in a window of ``size``."""
    from game.ui.window.app import App
    from game.ui.window.screens.pathmap import PathMapScreen

    save_settings(Settings(text_speed="instant", text_size=text_size))
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(story, args, size=size)
    app.step(wait=False)
    app.game.new_game()
    app.game._begin_new()
    for chapter in story.ordered_chapters():
        app.push(PathMapScreen(app, chapter.id, closing=False))
        screen = app.top
        screen.ensure_layout()
        yield chapter.id, screen
        app.pop()


@pytest.mark.parametrize(("size", "text_size"), [((1280, 720), "medium"), ((800, 600), "medium"),
                                                 ((800, 600), "largest"), ((1280, 720), "largest")])
def test_no_road_rises_out_of_the_map_area(shipped, size, text_size):
    for chapter, screen in maps(shipped, size, text_size):
        for edge, points in screen.curves:
            highest, lowest = min(y for _, y in points), max(y for _, y in points)
            where = f"{chapter}: {edge.src} -> {edge.dst}"
            assert highest >= screen.area.top, f"{where} rises to {highest:.0f}, above the map at {screen.area.top}"
            assert lowest <= screen.area.bottom, f"{where} sinks to {lowest:.0f}, below the map"
            assert all(screen.sheet.left < x < screen.sheet.right for x, _ in points), f"{where} leaves the page"


@pytest.mark.parametrize(("size", "text_size"), [((800, 600), "largest"), ((800, 600), "medium"),
                                                 ((1280, 720), "largest"), ((1920, 1080), "largest")])
def test_every_title_fits_its_own_box_and_no_boxes_overlap(shipped, size, text_size):
    from game.ui.window.pathmap_sizes import LABEL_LEADING

    for chapter, screen in maps(shipped, size, text_size):
        boxes = {}
        for node in screen.map.nodes.values():
            rect = screen.node_rect(node.id)
            boxes[node.id] = rect
            assert screen.area.inflate(2, 2).contains(rect), f"{chapter}: {node.id} {rect} leaves the map {screen.area}"
            if node.kind == "router":
                continue
            lines = screen.label_lines(node.id)
            assert " ".join(lines) == " ".join(node.title.split()), f"{chapter}: {node.title!r} cut to {lines}"
            widest = max(screen.cache.size("serif", screen.label_px, line)[0] for line in lines)
            assert widest <= rect.width - screen.m.px(10), f"{chapter}: {node.title!r} wider than its box"
            assert len(lines) * round(screen.label_px * LABEL_LEADING) <= rect.height, f"{chapter}: {node.title!r}"
        for (a, one), (b, other) in itertools.combinations(boxes.items(), 2):
            assert not one.colliderect(other), f"{chapter}: {a} {one} overlaps {b} {other}"


@pytest.mark.parametrize("size", [(800, 600), (1280, 720), (1920, 1080)])
def test_the_titles_grow_with_the_text_size(shipped, size):
    medium = {chapter: screen.label_px for chapter, screen in maps(shipped, size, "medium")}
    largest = {chapter: (screen.label_px, screen.m.note(15)) for chapter, screen in maps(shipped, size, "largest")}
    for chapter, (px, wanted) in largest.items():
        assert px > medium[chapter], f"{chapter}: {px} px at the largest size, {medium[chapter]} px at medium"
        if size == (800, 600):  # the smallest window: a crowded chapter may set its titles a little smaller
            assert px >= wanted - 3, f"{chapter}: {px} px, {wanted} px asked for"
        else:
            assert px == wanted, f"{chapter}: {px} px, {wanted} px asked for"
