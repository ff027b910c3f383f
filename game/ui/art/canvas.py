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

import math
from collections.abc import Callable, Sequence

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

# Night: every colour is multiplied by NIGHT_TINT (a cold blue dusk) before the lights are drawn.
NIGHT_TINT = (92, 104, 150)

# The dark ground of the high-contrast theme, and how much of a colour survives the pull.
HC_GROUND = (17, 17, 19)
HC_KEEP = 0.13


def mix(a: Colour, b: Colour, t: float) -> tuple[int, int, int]:
    """The colour a fraction t of the way from a to b."""
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))  # type: ignore[return-value]


class Canvas:
    """A pygame surface addressed in height units, with a colour filter for the theme."""

    def __init__(self, surface: pygame.Surface, high_contrast: bool = False, aspect: float = 16 / 9) -> None:
        self.surface = surface
        self.w, self.h = surface.get_size()
        self.scale = min(1.0, self.w / self.h / aspect) * self.h  # pixels per unit
        self.lift = self.h - self.scale  # pixels of open space above y = 0
        self.W = self.w / self.scale
        self.top = -self.lift / self.scale
        self.high_contrast = high_contrast
        self.ground: Colour = (0, 0, 0)  # the first fill: the colour the text side is washed with
        self.veil = 110  # how strongly (0..255) the text side is washed; a scene may lower it
        self.night = False  # set for a `_night` variant: the picture is darkened, then its lights drawn
        self.lights: list[Callable[[], object]] = []  # what shines: drawn after the darkening at night
        self.winter = True  # snow lies (Petrograd, November to March); False for a scene dated in the warm months
        self.snowed = False  # whether any snow was drawn: the tests hold it against the scene's date

    def snow(self, thaw: Colour) -> Colour:
        """The colour of lying snow in winter, or ``thaw`` (cobbles, earth, a field) when none lies."""
        if self.winter:
            self.snowed = True
            return PALETTE["snow"]
        return thaw

    def shine(self, draw: Callable[[], object]) -> None:
        """Something that gives light (a lit window, a lamp, the moon): drawn now by day, and
        after the whole picture is darkened at night, so it stays bright."""
        if self.night:
            self.lights.append(draw)
        else:
            draw()

    def lamp(self, x: float, y: float, radius: float, colour: Colour = PALETTE["cream"]) -> None:
        """A lamp's flame or bulb; at night it also throws a warm halo. Drawn at night only."""
        if self.night:
            self.lights.append(lambda: (self.circle(PALETTE["ochre"], x, y, radius * 5, 46),
                                        self.circle(PALETTE["ochre"], x, y, radius * 2.6, 70),
                                        self.circle(colour, x, y, radius)))

    def sun(self, colour: Colour, x: float, y: float, radius: float) -> None:
        """The poster's sun disc by day; a pale crescent moon, smaller, in its place at night."""
        if not self.night:
            self.circle(colour, x, y, radius)
            return
        r = min(radius, 0.06)

        def moon() -> None:
            sky = tuple(self.surface.get_at(self.px((x + r * 1.8, y)))[:3])
            self.circle(PALETTE["cream"], x, y, r)
            pygame.gfxdraw.filled_circle(self.surface, *self.px((x + r * 0.45, y - r * 0.2)),
                                         max(1, round(r * 0.9 * self.scale)), sky)
        self.lights.append(moon)

    def r(self, x: float) -> float:
        """An x measured leftwards from the right edge."""
        return self.W - x

    def px(self, p: Point) -> tuple[int, int]:
        return round(p[0] * self.scale), round(p[1] * self.scale + self.lift)

    def col(self, colour: Colour, alpha: int | None = None) -> Colour:
        """The colour as this theme shows it, with an optional alpha for blending."""
        rgb = mix(HC_GROUND, colour, HC_KEEP) if self.high_contrast else tuple(colour[:3])
        return (*rgb, alpha) if alpha is not None else rgb

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
