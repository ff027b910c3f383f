"""The indoor places: the communal apartment, the Party hall, the GPU office, the sickroom,
the train compartment, and the quiet default. Furniture and windows keep to the right; the
wall on the left is the page the text is printed on."""

from __future__ import annotations

import math
import random

from game.ui.window.art_canvas import PALETTE as P
from game.ui.window.art_canvas import Canvas, mix, regular_star
from game.ui.window.art_motifs import banner, beam, diagonal_band, fir, great_dome, person, snowfall


def floor(c: Canvas, top: float, colour: tuple[int, int, int], vanish_x: float, boards: int = 9) -> None:
    """A floor of boards running towards a vanishing point, for depth without clutter."""
    c.rect(colour, 0, top, c.W, 1 - top)
    line = mix(colour, P["soot"], 0.25)
    for i in range(boards + 1):
        x = c.W * (i / boards) * 1.6 - c.W * 0.3
        c.line(line, (vanish_x + (x - vanish_x) * 0.25, top), (x, 1.0), 0.002)


def window_pane(c: Canvas, x: float, y: float, w: float, h: float, glass: tuple[int, int, int],
                frame: tuple[int, int, int]) -> None:
    """A double-hung window: frame, glass, a cross of muntins."""
    c.rect(frame, x - 0.015, y - 0.015, w + 0.03, h + 0.03)
    c.rect(glass, x, y, w, h)
    c.rect(frame, x + w / 2 - 0.006, y, 0.012, h)
    c.rect(frame, x, y + h * 0.38 - 0.006, w, 0.012)


def draw_apartment(c: Canvas, rng: random.Random) -> None:
    """A cramped room: frosted window, a tin stove whose pipe crosses the ceiling, a bare bulb."""
    c.fill(mix(P["paper"], P["ochre"], 0.12))
    floor(c, 0.82, mix(P["grey"], P["ochre"], 0.3), c.r(0.5))
    wx, wy, ww, wh = c.r(0.44), 0.16, 0.28, 0.46
    window_pane(c, wx, wy, ww, wh, mix(P["night"], P["slate"], 0.45), P["soot"])
    great_dome(c, wx + ww * 0.3, wy + wh, 0.05, mix(P["night"], P["slate"], 0.15), mix(P["night"], P["slate"], 0.45))
    for cx, cy in ((wx, wy), (wx + ww, wy), (wx, wy + wh), (wx + ww, wy + wh)):
        c.circle(P["snow"], cx, cy, 0.05, 90)
    c.rect(P["soot"], wx - 0.03, wy + wh + 0.015, ww + 0.06, 0.015)
    panels = [(c.r(0.78), 0.86), (c.r(0.7), 0.83), (c.r(0.62), 0.86), (c.r(0.54), 0.83)]
    for i, ((x0, b0), (x1, b1)) in enumerate(zip(panels, panels[1:], strict=False)):
        tone = P["red"] if i % 2 == 0 else P["deep_red"]
        c.poly(tone, [(x0, b0), (x1, b1), (x1, b1 - 0.42), (x0, b0 - 0.42)])
    sx = c.r(0.16)
    c.rect(P["soot"], sx - 0.06, 0.68, 0.12, 0.16)
    for dx in (-0.05, 0.04):
        c.rect(P["soot"], sx + dx, 0.84, 0.012, 0.04)
    c.rect(P["ochre"], sx - 0.03, 0.74, 0.06, 0.02)
    pipe = 0.022
    c.line(P["soot"], (sx, 0.69), (sx, 0.1), pipe)
    c.line(P["soot"], (sx, 0.1 + pipe / 2), (wx + ww * 0.75, wy + 0.06), pipe)
    bx = c.r(0.9)
    c.line(P["soot"], (bx, 0.0), (bx, 0.24), 0.002)
    c.circle(P["ochre"], bx, 0.2, 0.09, 60)
    c.circle(P["cream"], bx, 0.25, 0.016)
    c.rect(P["soot"], bx - 0.007, 0.225, 0.014, 0.014)


def draw_party_hall(c: Canvas, rng: random.Random) -> None:
    """A meeting hall: red banners with stars, a leaning lattice tribune, rows of heads."""
    c.fill(mix(P["paper"], P["grey"], 0.15))
    for i in range(4):
        c.rect(mix(P["grey"], P["paper"], 0.3), c.r(1.1 - i * 0.3), 0.0, 0.07, 0.85)
    for x in (0.62, 0.4, 0.18):
        banner(c, c.r(x + 0.12), 0.0, 0.12, 0.5, P["red"], P["ochre"])
    foot, top = (c.r(0.72), 0.92), (c.r(0.38), 0.3)
    for off in (-0.028, 0.028):
        c.line(P["soot"], (foot[0] + off, foot[1]), (top[0] + off, top[1]), 0.008)
    for k in range(1, 9):
        t0, t1 = (k - 1) / 8, k / 8
        a = (foot[0] - 0.028 + (top[0] - foot[0]) * t0, foot[1] + (top[1] - foot[1]) * t0)
        b = (foot[0] + 0.028 + (top[0] - foot[0]) * t1, foot[1] + (top[1] - foot[1]) * t1)
        c.line(P["soot"], a, b, 0.004)
    c.poly(P["soot"], [(top[0] - 0.07, top[1]), (top[0] + 0.07, top[1]), (top[0] + 0.06, top[1] + 0.02),
                       (top[0] - 0.06, top[1] + 0.02)])
    person(c, top[0], top[1], 0.13, P["ink"], lean=-0.012)
    c.line(P["ink"], (top[0] - 0.01, top[1] - 0.09), (top[0] - 0.08, top[1] - 0.13), 0.008)
    c.poly(P["red"], [(top[0] + 0.04, top[1] + 0.02), (top[0] + 0.2, top[1] + 0.1), (top[0] + 0.18, top[1] + 0.18),
                      (top[0] + 0.02, top[1] + 0.1)])
    crowd = mix(P["soot"], P["grey"], 0.15)
    for row, (y, r) in enumerate(((0.9, 0.028), (0.95, 0.032))):
        x = c.W * 0.32 + row * 0.03
        while x < c.W + 0.05:
            c.circle(crowd, x, y, r)
            c.rect(crowd, x - r * 1.4, y + r * 0.7, r * 2.8, 0.2)
            x += r * 2.6
    c.rect(crowd, c.W * 0.3, 0.97, c.W, 0.05)


def draw_gpu_office(c: Canvas, rng: random.Random) -> None:
    """The secret police office: barred window, its light in stripes, a desk lamp, a portrait."""
    c.fill(mix(P["paper"], P["slate"], 0.3))
    c.rect(mix(P["soot"], P["steel"], 0.2), 0, 0.8, c.W, 0.2)
    wx, wy, ww, wh = c.r(0.36), 0.1, 0.2, 0.52
    c.rect(P["soot"], wx - 0.02, wy - 0.02, ww + 0.04, wh + 0.04)
    c.rect(P["cream"], wx, wy, ww, wh)
    for i in range(1, 5):
        c.rect(P["soot"], wx + ww * i / 5 - 0.004, wy, 0.008, wh)
    shaft = [(wx, wy + wh), (wx + ww, wy + wh), (wx + ww - 0.45, 1.0), (wx - 0.62, 1.0)]
    c.poly(P["cream"], shaft, 45)
    for i in range(1, 5):
        x = wx + ww * i / 5
        c.line(mix(P["soot"], P["steel"], 0.3), (x, wy + wh), (x - 0.6 + (ww * i / 5) * 0.85, 1.0), 0.006, 80)
    px, py = c.r(0.78), 0.16
    c.rect(P["soot"], px, py, 0.16, 0.22)
    c.rect(P["slate"], px + 0.015, py + 0.015, 0.13, 0.19)
    c.circle(P["soot"], px + 0.08, py + 0.09, 0.03)
    c.poly(P["soot"], [(px + 0.03, py + 0.205), (px + 0.13, py + 0.205), (px + 0.11, py + 0.13),
                       (px + 0.05, py + 0.13)])
    dx = c.r(0.82)
    c.rect(P["soot"], dx + 0.06, 0.48, 0.04, 0.2)
    c.rect(P["soot"], dx, 0.66, 0.46, 0.04)
    c.rect(P["soot"], dx + 0.02, 0.7, 0.035, 0.14)
    c.rect(P["soot"], dx + 0.38, 0.7, 0.07, 0.14)
    lx = dx + 0.34
    c.line(P["soot"], (lx, 0.66), (lx - 0.03, 0.54), 0.006)
    c.poly(P["steel"], [(lx - 0.08, 0.56), (lx + 0.0, 0.56), (lx - 0.025, 0.51), (lx - 0.055, 0.51)])
    beam(c, (lx - 0.04, 0.56), math.pi / 2, math.radians(50), 0.11, P["ochre"], 90)
    c.rect(P["red"], dx + 0.12, 0.645, 0.12, 0.015)
    fx = c.r(0.12)
    c.rect(P["steel"], fx, 0.42, 0.11, 0.42)
    for i in range(4):
        c.rect(mix(P["steel"], P["soot"], 0.4), fx + 0.01, 0.44 + i * 0.1, 0.09, 0.085)
        c.rect(P["cream"], fx + 0.045, 0.475 + i * 0.1, 0.02, 0.008)


def draw_sickroom(c: Canvas, rng: random.Random) -> None:
    """A pale room with an iron bed, medicine on a stool, thin winter light from a high window."""
    c.fill(mix(P["paper"], P["snow"], 0.45))
    floor(c, 0.84, mix(P["grey"], P["paper"], 0.35), c.r(0.4), 7)
    wx, wy = c.r(0.5), 0.08
    window_pane(c, wx, wy, 0.16, 0.22, mix(P["slate"], P["snow"], 0.4), mix(P["soot"], P["grey"], 0.3))
    beam(c, (wx + 0.08, wy + 0.22), math.radians(105), math.radians(22), 0.6, P["cream"], 70)
    iron = P["soot"]
    hx = c.r(0.08)
    for x in (hx, c.r(0.66)):
        c.rect(iron, x - 0.006, 0.48 if x == hx else 0.58, 0.012, 0.38 if x == hx else 0.28)
        c.circle(iron, x, 0.48 if x == hx else 0.58, 0.012)
    for i in range(1, 5):
        c.rect(iron, hx - 0.004 - i * 0.0, 0.52, 0.006, 0.0)
    for i in range(5):
        c.line(iron, (hx - 0.006, 0.52 + i * 0.04), (hx - 0.006, 0.52 + i * 0.04), 0.003)
    c.rect(iron, c.r(0.66), 0.68, 0.58, 0.012)
    c.poly(mix(P["steel"], P["paper"], 0.35), [(c.r(0.66), 0.69), (c.r(0.08), 0.69), (c.r(0.08), 0.63),
                                               (c.r(0.28), 0.61), (c.r(0.45), 0.63), (c.r(0.66), 0.64)])
    c.rect(P["red"], c.r(0.66), 0.66, 0.58, 0.012)
    c.ellipse(P["cream"], c.r(0.16), 0.605, 0.07, 0.025)
    c.circle(mix(P["ochre"], P["paper"], 0.3), c.r(0.19), 0.585, 0.028)
    tx = c.r(0.8)
    c.rect(mix(P["ochre"], P["soot"], 0.4), tx - 0.06, 0.7, 0.12, 0.015)
    for dx in (-0.05, 0.04):
        c.rect(mix(P["ochre"], P["soot"], 0.4), tx + dx, 0.7, 0.01, 0.16)
    for i, (bx, bh, tone) in enumerate(((-0.035, 0.08, P["steel"]), (-0.005, 0.06, P["ochre"]),
                                        (0.025, 0.045, P["snow"]))):
        c.rect(tone, tx + bx, 0.7 - bh, 0.022, bh)
        if i < 2:
            c.rect(tone, tx + bx + 0.006, 0.7 - bh - 0.02, 0.01, 0.02)


def draw_train(c: Canvas, rng: random.Random) -> None:
    """A compartment: the window on a snowy plain with poles rushing past, a bench, a rack."""
    c.fill(mix(P["paper"], P["grey"], 0.2))
    c.rect(mix(P["ochre"], P["soot"], 0.3), 0, 0.68, c.W, 0.32)
    wx, wy, ww, wh = c.r(0.9), 0.18, 0.74, 0.42
    c.rect(P["soot"], wx - 0.025, wy - 0.025, ww + 0.05, wh + 0.05)
    c.rect(mix(P["slate"], P["snow"], 0.55), wx, wy, ww, wh)
    c.rect(P["snow"], wx, wy + wh * 0.6, ww, wh * 0.4)
    for i in range(9):
        fir(c, wx + 0.02 + i * ww / 9, wy + wh * 0.62, 0.05 + (i % 3) * 0.012, mix(P["night"], P["slate"], 0.3))
    for i in range(3):
        px = wx + ww * (0.15 + i * 0.34)
        c.line(P["soot"], (px, wy + wh * 0.85), (px + 0.04, wy), 0.006)
    for k in range(2):
        c.line(P["soot"], (wx, wy + 0.05 + k * 0.03), (wx + ww, wy + 0.12 + k * 0.03), 0.0015)
    for i in range(6):
        y = wy + wh * (0.68 + i * 0.05)
        c.line(P["cream"], (wx + rng.uniform(0, ww * 0.5), y), (wx + ww, y), 0.003, 160)
    c.rect(P["ochre"], wx - 0.025, wy - 0.045, ww + 0.05, 0.03)
    c.rect(P["soot"], wx - 0.04, 0.06, ww + 0.08, 0.008)
    c.rect(P["soot"], wx - 0.04, 0.1, ww + 0.08, 0.008)
    c.rect(mix(P["ochre"], P["red"], 0.3), wx + 0.42, 0.025, 0.18, 0.075)
    c.rect(P["steel"], c.r(0.95), 0.7, 0.98, 0.08)
    c.rect(mix(P["steel"], P["soot"], 0.3), c.r(0.95), 0.78, 0.98, 0.1)
    diagonal_band(c, P["red"], (c.r(0.98), 0.99), (c.r(-0.05), 0.93), 0.012)


def draw_default(c: Canvas, rng: random.Random) -> None:
    """A quiet page: paper, one soft diagonal, a small red sun and star."""
    c.fill(P["paper"])
    diagonal_band(c, mix(P["paper"], P["grey"], 0.35), (c.W * 0.55, 1.05), (c.r(-0.1), 0.1), 0.22)
    diagonal_band(c, P["soot"], (c.W * 0.62, 1.05), (c.r(-0.1), 0.22), 0.006)
    c.circle(P["red"], c.r(0.3), 0.3, 0.09)
    c.poly(P["cream"], regular_star(c.r(0.3), 0.3, 0.045))
    snowfall(c, rng, 0, P["cream"], (0, 0, 0, 0))


ROOM_SCENES = {
    "apartment": draw_apartment,
    "party_hall": draw_party_hall,
    "gpu_office": draw_gpu_office,
    "sickroom": draw_sickroom,
    "train": draw_train,
}
