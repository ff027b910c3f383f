"""A laid-out column of text (:class:`Doc`): the lines, the reserved blocks and the rules of a page.

Apart from :mod:`.text` (fonts, wrapping, the render cache) because the title screen, the first frame,
draws no Doc: the pages that do import this module when they are first shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pygame

from game.ui.window.text import TextCache
from game.ui.window.theme import RGB


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
