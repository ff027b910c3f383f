"""Text on screen: word wrapping, a render cache, and laid-out documents.

Rendering a line of text is the costly part of drawing a frame, so every
rendered line and every wrapped paragraph is kept in a small LRU cache
keyed by font, text, colour and width: redrawing an unchanged scene
renders nothing, and the typewriter effect blits part of a cached line
instead of rendering a new one. :class:`Doc` lays text and widgets out in
a column once; screens draw it at any scroll position.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass
class Line:
    text: str
    face: str
    px: int
    color: RGB
    x: int
    y: int
    start: int = -1  # first revealed character index, -1 when always shown
    tracking: int = 0


@dataclass
class Block:
    """A rectangle in the document reserved for something else (a choice card, a field)."""

    rect: pygame.Rect
    item: Any
    after_reveal: bool = False  # hidden until the text is fully revealed


@dataclass
class Doc:
    """A column of wrapped text and reserved blocks, laid out once and drawn at any scroll offset."""

    cache: TextCache
    width: int
    lines: list[Line] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    rules: list[tuple[pygame.Rect, RGB]] = field(default_factory=list)
    height: int = 0
    reveal_total: int = 0  # characters that the typewriter reveals

    def text(self, text: str, face: str, px: int, color: RGB, after: float = 0.0, indent: int = 0,
             leading: float = 1.5, reveal: bool = False, align: str = "left", tracking: int = 0,
             width: int | None = None) -> None:
        """Add a wrapped paragraph; ``after`` is the space below it in lines of this size."""
        avail = (width or self.width) - indent
        prose = leading > 1.3  # the player's line and letter spacing apply to prose, not to titles and labels
        if prose and not tracking:
            tracking = self.cache.letters(px)
            lines = self.cache.wrap(face, px, text, avail, tracking)
        else:
            lines = [text] if tracking else self.cache.wrap(face, px, text, avail)
        step = round(px * leading * (self.cache.spacing if prose else 1.0))
        for line in lines:
            x = indent
            if align != "left":
                line_width = self.cache.size(face, px, line, tracking)[0]
                x += (avail - line_width) // 2 if align == "center" else avail - line_width
            start = -1
            if reveal:
                start = self.reveal_total
                self.reveal_total += len(line) + 1
            self.lines.append(Line(line, face, px, color, x, self.height, start, tracking))
            self.height += step
        self.height += round(px * after)

    def space(self, pixels: int) -> None:
        self.height += pixels

    def rule(self, width: int, color: RGB, thickness: int = 1, x: int = 0, after: int = 0) -> None:
        self.rules.append((pygame.Rect(x, self.height, width, thickness), color))
        self.height += thickness + after

    def block(self, height: int, item: Any, after: int = 0, after_reveal: bool = False,
              x: int = 0, width: int | None = None) -> pygame.Rect:
        rect = pygame.Rect(x, self.height, width or self.width - x, height)
        self.blocks.append(Block(rect, item, after_reveal))
        self.height += height + after
        return rect

    def revealed_y(self, shown: int) -> int:
        """The bottom of the last line the typewriter has reached."""
        bottom = 0
        for line in self.lines:
            if line.start >= 0 and line.start <= shown:
                bottom = line.y + round(line.px * 1.45)
        return bottom

    def draw(self, surface: pygame.Surface, origin: tuple[int, int], view: pygame.Rect,
             shown: int | None = None) -> None:
        """Draw the lines inside ``view`` (screen coordinates); ``shown`` limits revealed characters."""
        ox, oy = origin
        for rect, color in self.rules:
            moved = rect.move(ox, oy)
            if moved.colliderect(view):
                surface.fill(color, moved.clip(view))
        previous_clip = surface.get_clip()
        surface.set_clip(view)
        for line in self.lines:
            y = oy + line.y
            if y > view.bottom or y + line.px * 2 < view.top:
                continue
            if shown is not None and line.start >= 0:
                if line.start >= shown:
                    continue
                visible = shown - line.start
                if visible < len(line.text):
                    self._draw_partial(surface, line, (ox + line.x, y), visible)
                    continue
            self.cache.draw(surface, line.face, line.px, line.text, line.color, (ox + line.x, y),
                            tracking=line.tracking)
        surface.set_clip(previous_clip)

    def _draw_partial(self, surface: pygame.Surface, line: Line, pos: tuple[int, int], visible: int) -> None:
        """Blit the part of a cached line the typewriter has reached, without rendering anew."""
        image = self.cache.render(line.face, line.px, line.text, line.color, line.tracking)
        width = self.cache.size(line.face, line.px, line.text[:visible], line.tracking)[0] + line.tracking
        surface.blit(image, pos, pygame.Rect(0, 0, width, image.get_height()))
        self.cache.shown.append(line.text[:visible])
