"""A drawing surface in poster units, and the shapes every background is built from.

Coordinates are in units of the picture's height (y runs 0..1 top to bottom, x runs 0..W), so
a dome stays round at 800x600 and at 1920x1080; compositions anchor their figures to the right
edge with `Canvas.r`. Scenes are composed for 16:9; on a narrower window the whole picture is
scaled down about the bottom-right corner, so what stood beside the text column still does,
and the strip above it (from `Canvas.top` to 0) is open sky, wall or ceiling. Every filled
shape is drawn with gfxdraw and an anti-aliased outline, so diagonals stay clean without
supersampling. In high-contrast mode each colour is pulled most of the way to a near-black,
which keeps the composition as a faint relief behind light text.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path

import pygame
import pygame.gfxdraw

Colour = tuple[int, ...]
Point = tuple[float, float]

# Printer's inks of a 1920s poster: muted, flat, few. The window's theme reads these too.
PALETTE: dict[str, tuple[int, int, int]] = {
    "paper": (233, 224, 203),   # the ground of every poster
    "cream": (243, 237, 222),   # highlights, steam, lit snow
    "snow": (236, 238, 236),
    "ink": (34, 31, 30),        # text
    "soot": (58, 54, 53),       # silhouettes
    "red": (168, 56, 44),
    "deep_red": (118, 42, 38),
    "ochre": (196, 152, 78),
    "steel": (88, 109, 126),
    "slate": (140, 150, 156),
    "grey": (176, 170, 160),
    "night": (38, 45, 60),
}

# The dark ground of the high-contrast theme, and how much of a colour survives the pull.
HC_GROUND = (17, 17, 19)
HC_KEEP = 0.13
# The night variants: every colour pulled this far towards a deep blue, lamps and windows excepted.
NIGHT_INK = (24, 30, 48)
NIGHT_KEEP = 0.42


LETTERING = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "PTSans-Bold.ttf"


@functools.lru_cache(maxsize=16)
def _lettering(size: int) -> pygame.font.Font:
    pygame.font.init()
    return pygame.font.Font(LETTERING if LETTERING.exists() else None, size)


def mix(a: Colour, b: Colour, t: float) -> tuple[int, int, int]:
    """The colour a fraction t of the way from a to b."""
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))  # type: ignore[return-value]


class Canvas:
    """A pygame surface addressed in height units, with a colour filter for the theme."""

    def __init__(self, surface: pygame.Surface, high_contrast: bool = False, aspect: float = 16 / 9,
                 night: bool = False) -> None:
        self.surface = surface
        self.w, self.h = surface.get_size()
        self.scale = min(1.0, self.w / self.h / aspect) * self.h  # pixels per unit
        self.lift = self.h - self.scale  # pixels of open space above y = 0
        self.W = self.w / self.scale
        self.top = -self.lift / self.scale
        self.high_contrast = high_contrast
        self.night = night  # every colour sinks towards the blue of a Petrograd night; the sun becomes a moon
        self.ground: Colour = (0, 0, 0)  # the first fill: the colour the text side is washed with
        self.veil = 110  # how strongly (0..255) the text side is washed; a scene may lower it

    def r(self, x: float) -> float:
        """An x measured leftwards from the right edge."""
        return self.W - x

    def px(self, p: Point) -> tuple[int, int]:
        return round(p[0] * self.scale), round(p[1] * self.scale + self.lift)

    def col(self, colour: Colour, alpha: int | None = None) -> Colour:
        """The colour as this theme shows it, with an optional alpha for blending."""
        rgb = tuple(colour[:3])
        if self.night:
            rgb = mix(NIGHT_INK, rgb, NIGHT_KEEP)
        if self.high_contrast:
            rgb = mix(HC_GROUND, rgb, HC_KEEP)
        return (*rgb, alpha) if alpha is not None else rgb

    def lamp(self, colour: Colour) -> Colour:
        """A light that burns at night too (a window, a lamp, the moon): kept bright in a night variant."""
        return mix(HC_GROUND, colour, 0.4) if self.high_contrast else tuple(colour[:3])

    def glow(self, x: float, y: float, radius: float, colour: Colour) -> None:
        """A lit circle (a lamp's pool of light, the moon) that the night filter leaves bright."""
        pygame.draw.circle(self.surface, self.lamp(colour), self.px((x, y)), max(1, round(radius * self.scale)))

    def lit_rect(self, colour: Colour, x: float, y: float, w: float, h: float) -> None:
        """A lit window pane: bright at night, drawn like any rectangle by day."""
        if not self.night:
            self.rect(colour, x, y, w, h)
            return
        left, top = self.px((x, y))
        right, bottom = self.px((x + w, y + h))
        self.surface.fill(self.lamp(colour), pygame.Rect(left, top, max(1, right - left), max(1, bottom - top)))

    def letters(self, text: str, x: float, y: float, w: float, h: float, colour: Colour, angle: float = 0.0) -> None:
        """Bold poster capitals fitted into the box (x, y, w, h), turned ``angle`` degrees about its centre:
        the slogans of the time, lettered as the posters lettered them."""
        size = max(6, round(h * self.scale * 0.9))
        font = _lettering(size)
        width = font.size(text)[0]
        limit = max(1, round(w * self.scale))
        if width > limit:
            size = max(6, size * limit // width)
            font = _lettering(size)
        image = font.render(text, True, self.col(colour))
        if angle:
            image = pygame.transform.rotate(image, angle)
        centre = self.px((x + w / 2, y + h / 2))
        self.surface.blit(image, image.get_rect(center=centre))

    def sun(self, x: float, y: float, radius: float, colour: Colour) -> None:
        """The sun by day; by night a small pale moon in its place."""
        if self.night:
            self.glow(x, y, radius * 0.45, (226, 222, 200))
        else:
            self.circle(colour, x, y, radius)

    def fill(self, colour: Colour) -> None:
        self.ground = self.col(colour)
        self.surface.fill(self.ground)

    def poly(self, colour: Colour, points: Sequence[Point], alpha: int | None = None) -> None:
        pts = [self.px(p) for p in points]
        if len(pts) < 3:
            return
        c = self.col(colour, alpha)
        pygame.gfxdraw.filled_polygon(self.surface, pts, c)
        if alpha is None:
            pygame.gfxdraw.aapolygon(self.surface, pts, c)

    def rect(self, colour: Colour, x: float, y: float, w: float, h: float, alpha: int | None = None) -> None:
        """An axis-aligned block; exact pixel edges need no smoothing."""
        x0, y0 = self.px((x, y))
        x1, y1 = self.px((x + w, y + h))
        if x1 <= x0 or y1 <= y0:
            return
        if alpha is None:
            self.surface.fill(self.col(colour), (x0, y0, x1 - x0, y1 - y0))
        else:
            pygame.gfxdraw.box(self.surface, (x0, y0, x1 - x0, y1 - y0), self.col(colour, alpha))

    def circle(self, colour: Colour, x: float, y: float, radius: float, alpha: int | None = None) -> None:
        cx, cy = self.px((x, y))
        rad = max(1, round(radius * self.scale))
        c = self.col(colour, alpha)
        pygame.gfxdraw.filled_circle(self.surface, cx, cy, rad, c)
        if alpha is None:
            pygame.gfxdraw.aacircle(self.surface, cx, cy, rad, c)

    def ellipse(self, colour: Colour, x: float, y: float, rx: float, ry: float) -> None:
        cx, cy = self.px((x, y))
        a, b = max(1, round(rx * self.scale)), max(1, round(ry * self.scale))
        c = self.col(colour)
        pygame.gfxdraw.filled_ellipse(self.surface, cx, cy, a, b, c)
        pygame.gfxdraw.aaellipse(self.surface, cx, cy, a, b, c)

    def line(self, colour: Colour, a: Point, b: Point, width: float = 0.003, alpha: int | None = None) -> None:
        """A straight stroke; hairlines use aaline, thicker ones a smoothed quad."""
        if width * self.scale < 1.5:
            pygame.draw.aaline(self.surface, self.col(colour), self.px(a), self.px(b))
            return
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length * width / 2, dx / length * width / 2
        self.poly(colour, [(a[0] + nx, a[1] + ny), (b[0] + nx, b[1] + ny),
                           (b[0] - nx, b[1] - ny), (a[0] - nx, a[1] - ny)], alpha)

    def arc(self, colour: Colour, x: float, y: float, radius: float, start: float, stop: float,
            width: float = 0.004, steps: int = 24) -> None:
        """An arc from angle start to stop (radians, 0 = east, counter-clockwise up)."""
        pts = [(x + radius * math.cos(start + (stop - start) * i / steps),
                y - radius * math.sin(start + (stop - start) * i / steps)) for i in range(steps + 1)]
        for a, b in zip(pts, pts[1:], strict=False):
            self.line(colour, a, b, width)


def regular_star(x: float, y: float, radius: float, points: int = 5, turn: float = 0.0) -> list[Point]:
    """The outline of a star with the given number of points, one pointing up (then turned)."""
    out: list[Point] = []
    for i in range(points * 2):
        rad = radius if i % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + turn + i * math.pi / points
        out.append((x + rad * math.cos(angle), y + rad * math.sin(angle)))
    return out
