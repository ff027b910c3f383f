"""The path map's measures: each column of boxes sized to its own titles, the type shrinking only as a last resort."""

from __future__ import annotations

import pygame
import pytest
from conftest import SHIPPED

from game.loader.story import load_story
from game.session.settings import Settings

pytestmark = pytest.mark.usefixtures("headless_window")


def sizes_of(chapter: str, size: tuple[int, int], text_size: str, area: pygame.Rect):
    from game.ui.window.pathmap_layout import chapter_map
    from game.ui.window.pathmap_sizes import Sizer
    from game.ui.window.text import TextCache
    from game.ui.window.theme import Metrics

    pygame.font.init()
    graph = chapter_map(load_story(SHIPPED), chapter)
    m = Metrics.of(size, Settings(text_size=text_size))
    return graph, m, Sizer(m, TextCache(), graph, area).sizes()


def test_a_column_of_many_endings_gets_wide_one_line_boxes_and_a_lone_scene_a_taller_one():
    from game.ui.window.pathmap_sizes import LABEL_LEADING

    graph, m, sizes = sizes_of("ch10", (1280, 720), "largest", pygame.Rect(120, 200, 1040, 326))
    assert sizes.px == m.note(15)  # room enough at the chosen size
    endings = [n for n in graph.nodes.values() if n.kind == "ending"]
    assert len(endings) >= 5
    one_line = round(sizes.px * LABEL_LEADING) + m.px(14)
    assert all(sizes.heights[n.id] <= max(one_line, m.px(30)) for n in endings)
    first = next(n for n in graph.nodes.values() if n.column == 0)
    assert sizes.heights[first.id] > sizes.heights[endings[0].id]  # "What Is Left" alone in its column: two lines
    lefts = sorted(sizes.lefts.items())
    for (column, left), (_, following) in zip(lefts, lefts[1:], strict=False):
        width = max(sizes.widths[n.id] for n in graph.nodes.values() if n.column == column)
        assert left + width < following  # columns never touch


def test_with_too_little_room_the_type_shrinks_step_by_step_not_all_at_once():
    _, m, roomy = sizes_of("ch10", (800, 600), "largest", pygame.Rect(75, 150, 650, 255))
    _, _, tight = sizes_of("ch10", (800, 600), "largest", pygame.Rect(75, 150, 650, 200))
    assert roomy.px <= m.note(15) and tight.px < roomy.px
    assert tight.px >= m.note(15) - 8  # still well above the old 9 px
