"""Reading contrast (WCAG 2.x) in both themes, measured against what is really drawn under the text.

For every picture the story may show (every place, by day and by night, and the title) the paper column
is drawn over it exactly as the screens draw it, and the pixels under the column are read back: the column
must be opaque (no art ghosting through), and every colour text is drawn in must reach its ratio against
every colour found there: body text 7:1, every other text 4.5:1, focus marks and the outlines of things
to press 3:1. Text drawn on a focused or hovered card is checked against that card's fill too.
"""

from __future__ import annotations

import pygame
import pytest

from game.ui.art.draw import SCENE_NAMES
from game.ui.window.theme import HIGH_CONTRAST, PAPER, Theme

pytestmark = pytest.mark.usefixtures("headless_window")

BODY = ("ink",)
TEXT = ("soft", "accent", "accent2", "disabled")  # places, hints, chapter labels, the novel's path, closed choices
MARKS = ("accent", "outline")  # the focus outline and bar; the borders of choices and buttons


def luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcags_reference_values():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast((10, 10, 10), (10, 10, 10)) == 1


def column_colours(theme: Theme, place: str, size: tuple[int, int]) -> set[tuple[int, int, int]]:
    """The colours under the reading column of a scene drawn at ``size`` over the picture ``place``."""
    from types import SimpleNamespace

    from game.session.settings import Settings
    from game.ui.window.base import page_panel
    from game.ui.window.theme import Metrics
    from game.ui.window.widgets import background, panel

    app = SimpleNamespace(metrics=Metrics.of(size, Settings(high_contrast=theme.high_contrast)))
    surface = pygame.Surface(size)
    surface.blit(background(place, size, theme), (0, 0))
    sheet = page_panel(app)
    m = app.metrics
    pygame.display.init()
    panel(surface, sheet, theme, stripe=m.px(6), opaque=place == "title")  # menus ask for it; both must be
    found = set()
    for x in range(sheet.left + m.px(6), sheet.right, 7):
        for y in range(0, sheet.bottom, 7):
            found.add(tuple(surface.get_at((x, y)))[:3])
    return found


@pytest.mark.parametrize("theme", [PAPER, HIGH_CONTRAST], ids=lambda t: t.name)
def test_every_text_reaches_its_contrast_over_every_picture(theme):
    places = [*SCENE_NAMES, "title", "default"]
    failures = []
    for size in ((1280, 720), (800, 600)):
        for place in places:
            under = column_colours(theme, place, size)
            assert under == {theme.paper}, f"{place} at {size} shows through the column: {sorted(under)[:4]}"
    grounds = {"paper": theme.paper, "a focused card": theme.hover}
    for ground_name, ground in grounds.items():
        for role, least in [*((r, 7.0) for r in BODY), *((r, 4.5) for r in TEXT)]:
            ratio = contrast(getattr(theme, role), ground)
            if ratio < least:
                failures.append(f"{role} on {ground_name}: {ratio:.2f}:1, needs {least}:1")
    for role in MARKS:
        for ground_name, ground in grounds.items():
            ratio = contrast(getattr(theme, role), ground)
            if ratio < 3:
                failures.append(f"{role} (a focus mark or outline) on {ground_name}: {ratio:.2f}:1, needs 3:1")
    assert not failures, f"{theme.name}: " + "; ".join(failures)


@pytest.mark.parametrize("theme", [PAPER, HIGH_CONTRAST], ids=lambda t: t.name)
def test_the_menus_box_is_opaque_over_the_dimmed_screen(theme):
    from game.ui.window.widgets import background, panel, shade

    surface = pygame.Surface((800, 600))
    surface.blit(background("street_snow", (800, 600), theme), (0, 0))
    shade(surface, theme)
    box = pygame.Rect(100, 100, 600, 400)
    panel(surface, box, theme)
    assert {tuple(surface.get_at((x, y)))[:3] for x in range(110, 690, 9) for y in range(110, 490, 9)} == {
        theme.paper}
