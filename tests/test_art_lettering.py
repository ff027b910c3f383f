"""Poster lettering: the story's slogans are set in real letters on their bar, turned on the
diagonal, and a missing font leaves the picture whole."""

from __future__ import annotations

import pygame

from game.ui.art import draw as art
from game.ui.art import lettering
from game.ui.art.canvas import PALETTE, Canvas


def cream_pixels(surface: pygame.Surface) -> int:
    cream = PALETTE["cream"]
    w, h = surface.get_size()
    return sum(1 for x in range(0, w, 2) for y in range(0, h, 2)
               if all(abs(a - b) < 40 for a, b in zip(surface.get_at((x, y))[:3], cream, strict=False)))


def canvas() -> Canvas:
    surface = pygame.Surface((640, 360))
    surface.fill((0, 0, 0))
    return Canvas(surface)


def test_a_slogan_is_letters_on_its_bar():
    c = canvas()
    lettering.slogan(c, "All power", 0.2, 0.5, 0.08, PALETTE["cream"], PALETTE["red"])
    red = c.surface.get_at(c.px((0.21, 0.505)))[:3]
    assert red == PALETTE["red"]  # the bar runs under the baseline
    assert cream_pixels(c.surface) > 50  # and the letters are drawn on it


def test_a_turned_slogan_rises_along_its_angle():
    flat, turned = canvas(), canvas()
    lettering.slogan(flat, "Hero", 0.2, 0.6, 0.08, PALETTE["cream"], angle=0)
    lettering.slogan(turned, "Hero", 0.2, 0.6, 0.08, PALETTE["cream"], angle=30)

    def rows(surface: pygame.Surface) -> list[int]:
        return [y for y in range(surface.get_height()) if any(surface.get_at((x, y))[0] > 100
                                                               for x in range(0, surface.get_width(), 2))]
    assert len(rows(turned.surface)) > 1.5 * len(rows(flat.surface))


def test_without_the_font_file_the_picture_still_draws(monkeypatch, tmp_path):
    monkeypatch.setattr(lettering, "FONT", tmp_path / "missing.ttf")
    lettering._font.cache_clear()
    art._render.cache_clear()
    try:
        assert art.background("station", (320, 180)).get_size() == (320, 180)
        c = canvas()
        lettering.slogan(c, "All power", 0.2, 0.5, 0.08, PALETTE["cream"])
        assert cream_pixels(c.surface) == 0
    finally:
        lettering._font.cache_clear()
        art._render.cache_clear()
