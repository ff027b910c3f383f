"""Text on screen: word wrapping and a render cache.

Rendering a line of text is the costly part of drawing a frame, so every
rendered line and every wrapped paragraph is kept in a small LRU cache
keyed by font, text, colour and width: redrawing an unchanged scene
renders nothing, and the typewriter effect blits part of a cached line
instead of rendering a new one. :class:`~.doc.Doc` (in its own module) lays
text and widgets out in a column once; screens draw it at any scroll position.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pygame

from game.ui.window.theme import RGB, Fonts


class LRU(OrderedDict):
    """A dict that forgets its least recently used entries beyond ``capacity``."""

    def __init__(self, capacity: int):
        super().__init__()
        self.capacity = capacity

    def lookup(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key: Any, value: Any) -> Any:
        self[key] = value
        if len(self) > self.capacity:
            self.popitem(last=False)
        return value


class TextCache:
    """Rendered lines and wrapped paragraphs; also records what each frame showed (for tests)."""

    def __init__(self, fonts: Fonts | None = None, capacity: int = 2000):
        self.fonts = fonts or Fonts()
        self._surfaces = LRU(capacity)
        self._wraps = LRU(capacity)
        self._glyphs = LRU(capacity)  # single letters of letter-spaced text, rendered once each
        self.renders = 0  # lines actually rendered (cache misses), for measurements
        self.shown: list[str] = []
        self.spacing = 1.0  # the player's line spacing: every laid-out paragraph's leading is multiplied by it
        self.letter_spacing = 0.0  # the player's letter spacing, in ems: added between the letters of prose

    def letters(self, px: int) -> int:
        """The player's letter spacing for reading text of ``px`` pixels, in whole pixels."""
        return round(px * self.letter_spacing)

    def font(self, face: str, px: int) -> pygame.font.Font:
        return self.fonts.get(face, px)

    def render(self, face: str, px: int, text: str, color: RGB, tracking: int = 0) -> pygame.Surface:
        key = (face, px, text, color, tracking)
        surface = self._surfaces.lookup(key)
        if surface is None:
            self.renders += 1
            font = self.font(face, px)
            if tracking:
                surface = self._render_tracked(face, px, text, color, tracking)
            else:
                surface = font.render(text, True, color)
            self._surfaces.keep(key, surface)
        return surface

    def _render_tracked(self, face: str, px: int, text: str, color: RGB, tracking: int) -> pygame.Surface:
        """Letter-spaced text (small capitals labels, and prose when the player asks for letter spacing):
        glyphs placed one by one, each letter rendered once and kept."""
        font = self.font(face, px)
        advances = [font.size(ch)[0] for ch in text]
        width = sum(advances) + tracking * max(0, len(text) - 1)
        surface = pygame.Surface((max(1, width), font.get_height()), pygame.SRCALPHA)
        x = 0
        for ch, advance in zip(text, advances, strict=True):
            if not ch.isspace():
                key = (face, px, ch, color)
                glyph = self._glyphs.lookup(key) or self._glyphs.keep(key, font.render(ch, True, color))
                surface.blit(glyph, (x, 0))
            x += advance + tracking
        return surface

    def wrap(self, face: str, px: int, text: str, width: int, tracking: int = 0) -> list[str]:
        """``text`` broken into lines at most ``width`` wide (letters ``tracking`` pixels further apart)."""
        key = (face, px, text, width, tracking)
        lines = self._wraps.lookup(key)
        if lines is None:
            lines = self._wraps.keep(key, wrap_text(self.font(face, px), text, width, tracking))
        return lines

    def draw(self, surface: pygame.Surface, face: str, px: int, text: str, color: RGB,
             pos: tuple[int, int], anchor: str = "topleft", tracking: int = 0) -> pygame.Rect:
        """Draw one line; ``anchor`` is any pygame.Rect position name."""
        image = self.render(face, px, text, color, tracking)
        rect = image.get_rect(**{anchor: pos})
        surface.blit(image, rect)
        self.shown.append(text)
        return rect

    def fit(self, face: str, px: int, text: str, width: int) -> str:
        """``text`` cut with an ellipsis so that it is at most ``width`` pixels wide."""
        font = self.font(face, px)
        if font.size(text)[0] <= width:
            return text
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if font.size(text[:middle].rstrip() + "…")[0] <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip(" ·,") + "…"

    def size(self, face: str, px: int, text: str, tracking: int = 0) -> tuple[int, int]:
        font = self.font(face, px)
        if not tracking:
            return font.size(text)
        width = sum(font.size(ch)[0] for ch in text)  # letter-spaced text is set glyph by glyph
        return width + tracking * max(0, len(text) - 1), font.get_height()





def wrap_text(font: pygame.font.Font, text: str, width: int, tracking: int = 0) -> list[str]:
    """Greedy word wrap by measured width (``tracking`` pixels added after every letter); newlines force
    breaks; an over-long word is split."""
    lines: list[str] = []

    def measure(part: str) -> int:
        if not tracking:
            return font.size(part)[0]
        return sum(font.size(ch)[0] for ch in part) + tracking * len(part)  # set glyph by glyph, as drawn

    space = measure(" ")
    for paragraph in text.split("\n"):
        line: list[str] = []
        line_width = 0
        for word in paragraph.split():
            word_width = measure(word)
            while word_width > width and len(word) > 1:
                if line:
                    lines.append(" ".join(line))
                    line, line_width = [], 0
                cut = _fit(measure, word, width)
                lines.append(word[:cut])
                word = word[cut:]
                word_width = measure(word)
            needed = word_width if not line else line_width + space + word_width
            if line and needed > width:
                lines.append(" ".join(line))
                line, line_width = [word], word_width
            else:
                line.append(word)
                line_width = needed
        lines.append(" ".join(line))
    return lines


def _fit(measure: Callable[[str], int], word: str, width: int) -> int:
    cut = len(word) - 1
    while cut > 1 and measure(word[:cut]) > width:
        cut -= 1
    return cut
