"""Poster lettering: a slogan the story itself quotes, set in the shipped PT Serif, heavy and
tracked wide, on a bar of flat colour that may run on a diagonal, as Rodchenko's posters did.

Only pygame's font module is used, so the letters are the same on every machine that has the
game's own font file; without it (a stripped install) the bar is drawn and the words left out.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pygame

from game.ui.art.canvas import Canvas, Colour

FONT = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "PTSerif-Regular.ttf"


@functools.lru_cache(maxsize=16)
def _font(pixels: int) -> pygame.font.Font | None:
    if not pygame.font.get_init():
        pygame.font.init()
    try:
        font = pygame.font.Font(str(FONT), pixels)
    except (OSError, FileNotFoundError):
        return None
    font.bold = True  # PT Serif ships no bold: the font module thickens the strokes evenly
    return font


def slogan(c: Canvas, text: str, x: float, y: float, height: float, colour: Colour, bar: Colour | None = None,
           angle: float = 0.0, width: float | None = None) -> None:
    """Capitals `height` tall whose left end sits at (x, y), turned `angle` degrees anticlockwise;
    on a bar of `bar` colour when given. `width` squeezes or stretches the line to that length."""
    pixels = round(height * c.scale * 1.35)
    font = _font(pixels) if pixels >= 7 else None
    if font is None:
        return
    letters = " ".join(text.upper())  # tracked out: a poster's spaced capitals
    words = font.render(letters, True, c.col(colour))
    if width is not None:
        words = pygame.transform.smoothscale(words, (max(1, round(width * c.scale)), words.get_height()))
    length, tall = words.get_width() / c.scale, words.get_height() / c.scale
    rad = math.radians(angle)
    along, up = (math.cos(rad), -math.sin(rad)), (-math.sin(rad), -math.cos(rad))
    if bar is not None:
        pad = tall * 0.12
        corners = [(x - pad * along[0], y - pad * along[1]),
                   (x + (length + pad) * along[0], y + (length + pad) * along[1])]
        top = [(px + up[0] * tall * 0.86, py + up[1] * tall * 0.86) for px, py in corners]
        low = [(px - up[0] * tall * 0.14, py - up[1] * tall * 0.14) for px, py in corners]
        c.poly(bar, [low[0], low[1], top[1], top[0]])
    turned = pygame.transform.rotozoom(words, angle, 1.0) if angle else words
    # the text's baseline centre, in pixels, and where the turned image must go to keep it there
    mid = (x + along[0] * length / 2 + up[0] * tall * 0.36, y + along[1] * length / 2 + up[1] * tall * 0.36)
    cx, cy = c.px(mid)
    c.surface.blit(turned, turned.get_rect(center=(cx, cy)))
