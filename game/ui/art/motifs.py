"""The recurring figures of the backgrounds: facades, domes, spires, chimneys, people, firs,
banners, bridges, light beams and snow. Each takes a Canvas and poster units (see art_canvas),
so every scene speaks the same flat, geometric language."""

from __future__ import annotations

import math
import random

from game.ui.art.canvas import Canvas, Colour, Point, regular_star


def facade(c: Canvas, x: float, base: float, w: float, h: float, colour: Colour, window: Colour,
           cols: int, rows: int, lit: Colour | None = None, rng: random.Random | None = None) -> None:
    """A tenement front: a flat block with a grid of tall windows, a few of them lit."""
    c.rect(colour, x, base - h, w, h)
    cell_w, cell_h = w / cols, (h * 0.86) / rows
    for row in range(rows):
        for col in range(cols):
            wx = x + col * cell_w + cell_w * 0.28
            wy = base - h + h * 0.08 + row * cell_h + cell_h * 0.2
            if lit and rng and rng.random() < 0.18:
                c.shine(lambda wx=wx, wy=wy: c.rect(lit, wx, wy, cell_w * 0.44, cell_h * 0.56))
            else:
                c.rect(window, wx, wy, cell_w * 0.44, cell_h * 0.56)


def onion_dome(c: Canvas, cx: float, base: float, r: float, colour: Colour) -> None:
    """A drum, an onion dome drawn as one curve, and a thin cross on top."""
    c.rect(colour, cx - r * 0.55, base - r * 0.9, r * 1.1, r * 0.9)
    top = base - r * 0.9
    pts: list[Point] = []
    for i in range(21):
        t = i / 20
        y = top - t * r * 2.2
        bulge = math.sin(math.pi * min(1.0, t * 1.25)) * (1.0 - t) ** 0.35
        pts.append((cx + r * (0.55 + 0.5 * bulge) * (1 - t) ** 0.7, y))
    outline = pts + [(2 * cx - x, y) for x, y in reversed(pts)]
    c.poly(colour, outline)
    tip = top - r * 2.2
    c.line(colour, (cx, tip), (cx, tip - r * 0.7), r * 0.09)
    c.line(colour, (cx - r * 0.22, tip - r * 0.45), (cx + r * 0.22, tip - r * 0.45), r * 0.07)


def great_dome(c: Canvas, cx: float, base: float, r: float, colour: Colour, slit: Colour) -> None:
    """St Isaac's kind of dome: a colonnaded drum, a half sphere and a lantern."""
    c.rect(colour, cx - r * 1.05, base - r * 0.75, r * 2.1, r * 0.75)
    for i in range(9):
        c.rect(slit, cx - r * 0.95 + i * r * 0.235, base - r * 0.62, r * 0.09, r * 0.5)
    top = base - r * 0.75
    half = [(cx + r * math.cos(a / 16 * math.pi), top - r * 0.92 * math.sin(a / 16 * math.pi)) for a in range(17)]
    c.poly(colour, half)
    c.rect(colour, cx - r * 0.16, top - r * 1.25, r * 0.32, r * 0.4)
    c.poly(colour, [(cx - r * 0.2, top - r * 1.25), (cx + r * 0.2, top - r * 1.25), (cx, top - r * 1.6)])


def spire(c: Canvas, x: float, base: float, w: float, h: float, colour: Colour) -> None:
    """The Admiralty / Peter and Paul needle: a stepped tower with a long thin spike."""
    c.rect(colour, x - w / 2, base - h * 0.32, w, h * 0.32)
    c.rect(colour, x - w * 0.32, base - h * 0.44, w * 0.64, h * 0.12)
    c.poly(colour, [(x - w * 0.22, base - h * 0.44), (x + w * 0.22, base - h * 0.44), (x, base - h)])


def chimney(c: Canvas, x: float, base: float, w: float, h: float, colour: Colour,
            smoke: Colour | None = None, alpha: int = 150) -> None:
    """A tapered factory stack with bands, and a drift of round smoke leaning right."""
    c.poly(colour, [(x - w / 2, base), (x + w / 2, base), (x + w * 0.33, base - h), (x - w * 0.33, base - h)])
    if smoke is None:
        return
    for i in range(5):
        r = w * (0.55 + i * 0.22)
        c.circle(smoke, x + w * 0.4 + i * w * 0.75, base - h - w * 0.4 - i * w * 0.45, r, alpha - i * 18)


def person(c: Canvas, x: float, base: float, h: float, colour: Colour, hat: str = "cap", lean: float = 0.0) -> None:
    """A figure in a long winter coat: square shoulders, a flared hem, boots, a round head.

    hat is "cap" (a worker's peaked cap), "scarf" (a woman's headscarf), "fur" (a tall fur hat)
    or "" (bare-headed); lean shifts the head and shoulders sideways, for a stride or a speech.
    """
    hem, shoulder = base - h * 0.13, base - h * 0.79
    top = x + lean
    c.poly(colour, [(x - h * 0.17, hem), (x + h * 0.17, hem), (top + h * 0.14, shoulder + h * 0.05),
                    (top + h * 0.1, shoulder), (top - h * 0.1, shoulder), (top - h * 0.14, shoulder + h * 0.05)])
    for side in (-1, 1):
        c.rect(colour, x + side * h * 0.075 - h * 0.03, hem - h * 0.01, h * 0.06, h * 0.14)
    hy, hr = base - h * 0.9, h * 0.072
    c.rect(colour, top - hr * 0.45, hy, hr * 0.9, shoulder - hy + h * 0.01)
    if hat == "scarf":
        c.poly(colour, [(top - hr * 1.25, shoulder + h * 0.03), (top - hr * 1.15, hy - hr * 0.5),
                        (top, hy - hr * 1.3), (top + hr * 1.15, hy - hr * 0.5), (top + hr * 1.25, shoulder + h * 0.03)])
        return
    c.circle(colour, top, hy, hr)
    if hat == "cap":
        c.rect(colour, top - hr * 1.05, hy - hr * 1.2, hr * 2.1, hr * 0.75)
        c.rect(colour, top, hy - hr * 0.6, hr * 1.7, hr * 0.3)
    elif hat == "fur":
        c.rect(colour, top - hr * 1.2, hy - hr * 1.9, hr * 2.4, hr * 1.6)


def fir(c: Canvas, x: float, base: float, h: float, colour: Colour) -> None:
    """A fir tree as three stacked triangles."""
    for i in range(3):
        tier_base = base - h * 0.18 - i * h * 0.26
        half = h * (0.32 - i * 0.08)
        c.poly(colour, [(x - half, tier_base), (x + half, tier_base), (x, tier_base - h * 0.42)])
    c.rect(colour, x - h * 0.03, base - h * 0.2, h * 0.06, h * 0.2)


def bare_tree(c: Canvas, x: float, base: float, h: float, colour: Colour, rng: random.Random) -> None:
    """A winter tree: a trunk forking twice into thinning branches."""
    def branch(p: Point, angle: float, length: float, width: float, depth: int) -> None:
        end = (p[0] + math.cos(angle) * length, p[1] - math.sin(angle) * length)
        c.line(colour, p, end, width)
        if depth:
            for turn in (-0.45, 0.4):
                branch(end, angle + turn + rng.uniform(-0.15, 0.15), length * 0.68, width * 0.6, depth - 1)

    branch((x, base), math.pi / 2, h * 0.42, h * 0.035, 3)


def banner(c: Canvas, x: float, top: float, w: float, h: float, colour: Colour, emblem: Colour | None = None) -> None:
    """A hanging banner with a swallowtail hem and, optionally, a star."""
    c.poly(colour, [(x, top), (x + w, top), (x + w, top + h), (x + w / 2, top + h - w * 0.4), (x, top + h)])
    if emblem is not None:
        c.poly(emblem, regular_star(x + w / 2, max(top + w * 0.6, top + h - w * 3.7), w * 0.3))


def arch_bridge(c: Canvas, x0: float, x1: float, deck: float, depth: float, colour: Colour,
                water: Colour, arches: int) -> None:
    """A low stone bridge: a deck on piers, the spans cut out as shallow arches over water."""
    c.rect(colour, x0, deck, x1 - x0, depth)
    span = (x1 - x0) / arches
    for i in range(arches):
        cx = x0 + span * (i + 0.5)
        pts = [(cx + span * 0.42 * math.cos(a / 12 * math.pi), deck + depth - depth * 0.7 * math.sin(a / 12 * math.pi))
               for a in range(13)]
        c.poly(water, pts)
    c.rect(colour, x0, deck - depth * 0.16, x1 - x0, depth * 0.1)


def truss(c: Canvas, x0: float, x1: float, base: float, h: float, colour: Colour, bays: int, width: float) -> None:
    """A Warren truss in outline: the bridge Kira wants to build."""
    c.line(colour, (x0, base), (x1, base), width)
    c.line(colour, (x0 + (x1 - x0) / bays / 2, base - h), (x1 - (x1 - x0) / bays / 2, base - h), width)
    step = (x1 - x0) / bays
    for i in range(bays):
        a = x0 + i * step
        c.line(colour, (a, base), (a + step / 2, base - h), width * 0.7)
        c.line(colour, (a + step / 2, base - h), (a + step, base), width * 0.7)


def beam(c: Canvas, origin: Point, angle: float, spread: float, length: float, colour: Colour, alpha: int) -> None:
    """A cone of light (lamp, searchlight, window) as one translucent triangle."""
    a1, a2 = angle - spread / 2, angle + spread / 2
    c.poly(colour, [origin, (origin[0] + math.cos(a1) * length, origin[1] + math.sin(a1) * length),
                    (origin[0] + math.cos(a2) * length, origin[1] + math.sin(a2) * length)], alpha)


def snowfall(c: Canvas, rng: random.Random, count: int, colour: Colour, box: tuple[float, float, float, float],
             size: float = 0.004, alpha: int = 200) -> None:
    """Flakes scattered over box = (x0, y0, x1, y1), seeded so every run is the same; none out of winter."""
    if not c.winter:
        return
    c.snowed = c.snowed or count > 0
    x0, y0, x1, y1 = box
    for _ in range(count):
        r = size * rng.uniform(0.5, 1.4)
        c.circle(colour, rng.uniform(x0, x1), rng.uniform(y0, y1), r, alpha)


def diagonal_band(c: Canvas, colour: Colour, a: Point, b: Point, width: float, alpha: int | None = None) -> None:
    """The poster's bold diagonal: a long straight band from a to b."""
    c.line(colour, a, b, width, alpha)


def samovar(c: Canvas, x: float, base: float, h: float, colour: Colour, shine: Colour) -> None:
    """The tea urn of every Russian room: a footed body, handles, a tap, a chimney and a teapot."""
    c.poly(colour, [(x - h * 0.14, base), (x + h * 0.14, base), (x + h * 0.06, base - h * 0.1),
                    (x - h * 0.06, base - h * 0.1)])
    c.poly(colour, [(x - h * 0.16, base - h * 0.1), (x + h * 0.16, base - h * 0.1), (x + h * 0.2, base - h * 0.4),
                    (x + h * 0.15, base - h * 0.62), (x - h * 0.15, base - h * 0.62), (x - h * 0.2, base - h * 0.4)])
    c.rect(shine, x - h * 0.12, base - h * 0.5, h * 0.03, h * 0.3)
    for side in (-1, 1):
        c.line(colour, (x + side * h * 0.18, base - h * 0.52), (x + side * h * 0.27, base - h * 0.48), h * 0.03)
    c.line(colour, (x + h * 0.12, base - h * 0.22), (x + h * 0.26, base - h * 0.2), h * 0.035)
    c.rect(colour, x - h * 0.04, base - h * 0.72, h * 0.08, h * 0.1)
    c.ellipse(colour, x, base - h * 0.8, h * 0.1, h * 0.08)
    c.rect(colour, x - h * 0.02, base - h * 0.94, h * 0.04, h * 0.06)


def tea_glass(c: Canvas, x: float, base: float, h: float, metal: Colour, tea: Colour) -> None:
    """A glass of tea in a metal holder, as served on Russian trains."""
    c.poly(tea, [(x - h * 0.3, base - h), (x + h * 0.3, base - h), (x + h * 0.27, base - h * 0.4),
                 (x - h * 0.27, base - h * 0.4)])
    c.poly(metal, [(x - h * 0.3, base - h * 0.55), (x + h * 0.3, base - h * 0.55), (x + h * 0.24, base),
                   (x - h * 0.24, base)])
    c.arc(metal, x + h * 0.36, base - h * 0.42, h * 0.14, -math.pi / 2, math.pi / 2, h * 0.06, 8)
