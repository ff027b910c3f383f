"""The indoor places: the Dunaevs' crowded flat, the Party hall, the GPU office, the sickroom,
the train compartment, and the quiet default. Furniture and windows keep to the right; the
wall on the left is the page the text is printed on."""

from __future__ import annotations

import math
import random

from game.ui.art.canvas import PALETTE as P
from game.ui.art.canvas import Canvas, mix, regular_star
from game.ui.art.motifs import banner, beam, diagonal_band, fir, great_dome, person, samovar, snowfall, tea_glass


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
    """A cramped room: frosted window, a red screen for a partition, a samovar, a tin stove
    whose pipe crosses the ceiling, a bare bulb."""
    c.fill(mix(P["paper"], P["ochre"], 0.12))
    floor(c, 0.8, mix(P["grey"], P["ochre"], 0.3), c.r(0.3))
    wx, wy, ww, wh = c.r(0.48), 0.14, 0.26, 0.4
    night = mix(P["night"], P["slate"], 0.45)
    window_pane(c, wx, wy, ww, wh, night, P["soot"])
    great_dome(c, wx + ww * 0.66, wy + wh, 0.045, mix(P["night"], P["slate"], 0.15), night)
    frost = 0.07
    for cx, cy, sx, sy in ((wx, wy, 1, 1), (wx + ww, wy, -1, 1), (wx, wy + wh, 1, -1), (wx + ww, wy + wh, -1, -1)):
        if c.winter:  # frost in the pane's corners
            c.poly(c.snow(P["cream"]), [(cx, cy), (cx + sx * frost, cy), (cx, cy + sy * frost * 1.3)], 110)
    c.rect(P["soot"], wx - 0.03, wy + wh + 0.015, ww + 0.06, 0.015)
    panels = [(c.r(0.7), 0.86), (c.r(0.63), 0.83), (c.r(0.56), 0.86), (c.r(0.49), 0.83)]
    for i, ((x0, b0), (x1, b1)) in enumerate(zip(panels, panels[1:], strict=False)):
        tone = P["red"] if i % 2 == 0 else P["deep_red"]
        c.poly(tone, [(x0, b0), (x1, b1), (x1, b1 - 0.46), (x0, b0 - 0.46)])
    tx = c.r(0.32)
    c.rect(P["soot"], tx - 0.1, 0.68, 0.2, 0.018)
    for dx in (-0.09, 0.08):
        c.rect(P["soot"], tx + dx, 0.69, 0.012, 0.15)
    samovar(c, tx - 0.02, 0.68, 0.16, mix(P["ochre"], P["soot"], 0.35), P["cream"])
    stand_x = c.r(0.1)
    c.rect(P["soot"], stand_x - 0.05, 0.66, 0.1, 0.15)
    for dx in (-0.045, 0.033):
        c.rect(P["soot"], stand_x + dx, 0.81, 0.012, 0.05)
    c.rect(P["ochre"], stand_x - 0.025, 0.72, 0.05, 0.018)
    pipe = 0.02
    c.line(P["soot"], (stand_x, 0.67), (stand_x, 0.06), pipe)
    c.line(P["soot"], (stand_x, 0.06 + pipe / 2), (c.W * 0.3, c.top - 0.1), pipe)
    bx = c.r(0.6)
    c.line(P["soot"], (bx, c.top), (bx, 0.2), 0.002)
    c.circle(P["ochre"], bx, 0.21, 0.08, 60)
    c.circle(P["cream"], bx, 0.215, 0.014)
    c.lamp(bx, 0.215, 0.014)
    c.rect(P["soot"], bx - 0.006, 0.19, 0.012, 0.014)


def draw_party_hall(c: Canvas, rng: random.Random) -> None:
    """A meeting hall: red banners with stars, a leaning lattice tribune, rows of heads."""
    c.fill(mix(P["paper"], P["grey"], 0.15))
    for i in range(4):
        c.rect(mix(P["grey"], P["paper"], 0.3), c.r(0.9 - i * 0.27), c.top, 0.06, 0.85 - c.top)
    c.poly(mix(P["red"], P["paper"], 0.3), [(c.r(1.05), 0.86), (c.r(-0.02), 0.3), (c.r(-0.02), 0.46)])
    for x in (0.5, 0.3, 0.1):
        banner(c, c.r(x + 0.1), c.top, 0.1, 0.52 - c.top, P["red"], P["ochre"])
    foot, top = (c.r(0.62), 0.94), (c.r(0.36), 0.36)
    for off in (-0.026, 0.026):
        c.line(P["soot"], (foot[0] + off, foot[1]), (top[0] + off, top[1]), 0.008)
    for k in range(1, 9):
        t0, t1 = (k - 1) / 8, k / 8
        a = (foot[0] - 0.026 + (top[0] - foot[0]) * t0, foot[1] + (top[1] - foot[1]) * t0)
        b = (foot[0] + 0.026 + (top[0] - foot[0]) * t1, foot[1] + (top[1] - foot[1]) * t1)
        c.line(P["soot"], a, b, 0.004)
    c.poly(P["soot"], [(top[0] - 0.07, top[1]), (top[0] + 0.07, top[1]), (top[0] + 0.06, top[1] + 0.02),
                       (top[0] - 0.06, top[1] + 0.02)])
    person(c, top[0], top[1], 0.13, P["ink"], hat="cap", lean=-0.01)
    c.line(P["ink"], (top[0] - 0.014, top[1] - 0.095), (top[0] - 0.05, top[1] - 0.16), 0.011)
    c.circle(P["ink"], top[0] - 0.052, top[1] - 0.163, 0.009)
    board = [(top[0] + 0.04, top[1] + 0.06), (top[0] + 0.2, top[1] + 0.02), (top[0] + 0.2, top[1] + 0.12),
             (top[0] + 0.04, top[1] + 0.16)]
    c.poly(P["soot"], board)
    for k in range(3):
        y0 = top[1] + 0.075 + k * 0.025
        c.line(P["cream"], (top[0] + 0.06, y0), (top[0] + 0.18 - k * 0.03, y0 - 0.034 + k * 0.003), 0.007)
    crowd = mix(P["soot"], P["grey"], 0.15)
    for row, (y, r) in enumerate(((0.9, 0.028), (0.95, 0.032))):
        x = c.W * 0.3 + row * 0.03
        while x < c.W + 0.05:
            c.circle(crowd, x, y, r)
            c.rect(crowd, x - r * 1.4, y + r * 0.7, r * 2.8, 0.2)
            x += r * 2.6
    c.rect(crowd, c.W * 0.28, 0.97, c.W, 0.05)


def draw_gpu_office(c: Canvas, rng: random.Random) -> None:
    """The secret police office: barred window, its light in stripes, a desk with a lamp and a
    telephone, a leader's portrait, a filing cabinet."""
    c.fill(mix(P["paper"], P["slate"], 0.3))
    c.rect(mix(P["soot"], P["steel"], 0.25), 0, 0.8, c.W, 0.2)
    wx, wy, ww, wh = c.r(0.36), 0.08, 0.18, 0.46
    c.rect(P["soot"], wx - 0.02, wy - 0.02, ww + 0.04, wh + 0.04)
    c.rect(P["cream"], wx, wy, ww, wh)
    for i in range(1, 5):
        c.rect(P["soot"], wx + ww * i / 5 - 0.004, wy, 0.008, wh)
    c.poly(P["cream"], [(wx, wy + wh), (wx + ww, wy + wh), (wx + ww - 0.5, 1.0), (wx - 0.66, 1.0)], 40)
    for i in range(1, 5):
        x = wx + ww * i / 5
        c.line(mix(P["soot"], P["steel"], 0.3), (x, wy + wh), (x - 0.66 + (ww * i / 5) * 0.88, 1.0), 0.006, 70)
    px, py = c.r(0.62), 0.14
    c.rect(P["soot"], px, py, 0.15, 0.21)
    c.rect(P["slate"], px + 0.014, py + 0.014, 0.122, 0.182)
    c.circle(P["soot"], px + 0.075, py + 0.085, 0.028)
    c.poly(P["soot"], [(px + 0.03, py + 0.196), (px + 0.12, py + 0.196), (px + 0.1, py + 0.125),
                       (px + 0.05, py + 0.125)])
    dx = c.r(0.64)
    c.rect(P["soot"], dx + 0.28, 0.5, 0.045, 0.2)
    c.rect(P["soot"], dx, 0.66, 0.48, 0.035)
    c.rect(P["soot"], dx + 0.02, 0.69, 0.035, 0.15)
    c.rect(P["soot"], dx + 0.36, 0.69, 0.1, 0.15)
    c.rect(P["cream"], dx + 0.06, 0.648, 0.13, 0.012)
    c.rect(P["red"], dx + 0.09, 0.638, 0.1, 0.012)
    lx = dx + 0.1
    c.line(P["soot"], (lx, 0.66), (lx + 0.025, 0.54), 0.006)
    c.poly(P["steel"], [(lx - 0.025, 0.56), (lx + 0.065, 0.56), (lx + 0.04, 0.51), (lx + 0.005, 0.51)])
    beam(c, (lx + 0.02, 0.56), math.pi / 2, math.radians(60), 0.1, P["ochre"], 100)
    hx = dx + 0.4
    c.rect(P["soot"], hx - 0.006, 0.585, 0.012, 0.07)
    c.ellipse(P["soot"], hx, 0.652, 0.025, 0.008)
    c.circle(P["soot"], hx, 0.582, 0.011)
    c.line(P["soot"], (hx + 0.012, 0.6), (hx + 0.022, 0.63), 0.004)
    c.rect(P["soot"], hx + 0.017, 0.625, 0.012, 0.02)
    fx = c.r(0.13)
    c.rect(P["steel"], fx, 0.38, 0.11, 0.46)
    for i in range(4):
        c.rect(mix(P["steel"], P["soot"], 0.4), fx + 0.01, 0.4 + i * 0.11, 0.09, 0.095)
        c.rect(P["cream"], fx + 0.045, 0.44 + i * 0.11, 0.02, 0.008)


def iron_bed(c: Canvas, head: float, foot: float, iron: tuple[int, int, int]) -> None:
    """A hospital-iron bed seen from the side, someone lying in it under a grey blanket."""
    for x, top in ((head, 0.44), (foot, 0.56)):
        c.rect(iron, x - 0.006, top, 0.012, 0.86 - top)
        c.circle(iron, x, top, 0.012)
    for i in range(4):
        c.rect(iron, head - 0.012 - i * 0.014, 0.47, 0.004, 0.2)
    c.rect(iron, head - 0.06, 0.465, 0.06, 0.008)
    c.rect(iron, foot, 0.68, head - foot, 0.012)
    body = head - foot
    c.poly(mix(P["steel"], P["paper"], 0.35), [(foot, 0.69), (head, 0.69), (head, 0.63), (foot + body * 0.62, 0.605),
                                               (foot + body * 0.3, 0.625), (foot, 0.635)])
    c.rect(P["red"], foot, 0.665, body, 0.012)
    c.ellipse(P["cream"], head - 0.08, 0.6, 0.065, 0.024)
    c.circle(mix(P["ochre"], P["paper"], 0.3), head - 0.1, 0.582, 0.026)


def draw_sickroom(c: Canvas, rng: random.Random) -> None:
    """A pale room with an iron bed, medicine on a stool, a chair with a red shawl, and thin
    winter light falling from the window across the blanket."""
    c.fill(mix(P["paper"], P["slate"], 0.22))
    floor(c, 0.84, mix(P["grey"], P["paper"], 0.35), c.r(0.3), 7)
    wx, wy, ww, wh = c.r(0.44), 0.08, 0.2, 0.34
    window_pane(c, wx, wy, ww, wh, mix(P["slate"], P["snow"], 0.55), mix(P["soot"], P["grey"], 0.3))
    c.poly(P["cream"], [(wx, wy + wh), (wx + ww, wy + wh), (wx + ww + 0.16, 0.68), (wx + 0.06, 0.68)], 120)
    c.poly(P["snow"], [(wx - 0.05, wy - 0.03), (wx + 0.02, wy - 0.03), (wx - 0.01, wy + wh * 0.6),
                       (wx + 0.005, wy + wh + 0.05), (wx - 0.05, wy + wh + 0.05)])
    iron_bed(c, c.r(0.17), c.r(0.54), P["soot"])
    tx = c.r(0.64)
    wood = mix(P["ochre"], P["soot"], 0.4)
    c.rect(wood, tx - 0.05, 0.7, 0.1, 0.015)
    for dx in (-0.045, 0.035):
        c.rect(wood, tx + dx, 0.7, 0.01, 0.16)
    for i, (bx, bh, tone) in enumerate(((-0.035, 0.08, P["steel"]), (-0.005, 0.06, P["ochre"]),
                                        (0.025, 0.045, P["snow"]))):
        c.rect(tone, tx + bx, 0.7 - bh, 0.022, bh)
        if i < 2:
            c.rect(tone, tx + bx + 0.006, 0.7 - bh - 0.02, 0.01, 0.02)
    cx = c.r(0.07)
    chair = mix(P["ochre"], P["soot"], 0.45)
    c.rect(chair, cx - 0.04, 0.72, 0.09, 0.016)
    c.rect(chair, cx + 0.038, 0.54, 0.012, 0.32)
    c.rect(chair, cx - 0.04, 0.72, 0.012, 0.14)
    c.poly(P["red"], [(cx - 0.02, 0.6), (cx + 0.045, 0.6), (cx + 0.045, 0.735), (cx - 0.03, 0.735)])


def draw_train(c: Canvas, rng: random.Random) -> None:
    """A compartment: the window on a plain (snowy in winter) with poles rushing past, red curtains, a glass
    of tea on the table, a bench and the luggage rack."""
    c.fill(mix(P["paper"], P["grey"], 0.2))
    c.rect(mix(P["ochre"], P["soot"], 0.3), 0, 0.66, c.W, 0.34)
    wx, wy, ww, wh = c.r(0.56), 0.16, 0.46, 0.42
    c.rect(P["soot"], wx - 0.022, wy - 0.022, ww + 0.044, wh + 0.044)
    c.rect(mix(P["slate"], P["cream"], 0.55), wx, wy, ww, wh)
    c.rect(c.snow(mix(P["ochre"], P["grey"], 0.5)), wx, wy + wh * 0.6, ww, wh * 0.4)
    for i in range(7):
        fir(c, wx + 0.02 + i * ww / 7, wy + wh * 0.62, 0.05 + (i % 3) * 0.012, mix(P["night"], P["slate"], 0.3))
    for i in range(2):
        px = wx + ww * (0.2 + i * 0.5)
        c.line(P["soot"], (px, wy + wh * 0.85), (px + 0.04, wy), 0.006)
    for k in range(2):
        c.line(P["soot"], (wx, wy + 0.05 + k * 0.03), (wx + ww, wy + 0.12 + k * 0.03), 0.0015)
    for i in range(5):
        y = wy + wh * (0.7 + i * 0.055)
        c.line(P["cream"], (wx + rng.uniform(0, ww * 0.5), y), (wx + ww, y), 0.003, 160)
    for side, x in ((1, wx - 0.03), (-1, wx + ww + 0.03)):
        c.poly(P["deep_red"], [(x, wy - 0.04), (x + side * 0.07, wy - 0.04), (x + side * 0.02, wy + wh * 0.55),
                               (x + side * 0.035, wy + wh + 0.03), (x, wy + wh + 0.03)])
    c.rect(P["soot"], wx - 0.04, 0.05, ww + 0.08, 0.007)
    c.rect(P["soot"], wx - 0.04, 0.085, ww + 0.08, 0.007)
    c.rect(mix(P["ochre"], P["red"], 0.3), wx + 0.24, 0.012, 0.15, 0.07)
    c.rect(mix(P["ochre"], P["soot"], 0.55), wx - 0.01, 0.62, ww * 0.55, 0.02)
    tea_glass(c, wx + 0.1, 0.62, 0.07, P["soot"], mix(P["ochre"], P["red"], 0.25))
    c.rect(P["steel"], c.r(0.7), 0.72, 0.72, 0.08)
    c.rect(mix(P["steel"], P["soot"], 0.3), c.r(0.7), 0.8, 0.72, 0.1)


def draw_default(c: Canvas, rng: random.Random) -> None:
    """A quiet page: paper, one soft diagonal, a small red sun and star."""
    c.fill(P["paper"])
    diagonal_band(c, mix(P["paper"], P["grey"], 0.35), (c.W * 0.55, 1.05), (c.r(-0.1), 0.1), 0.22)
    diagonal_band(c, P["soot"], (c.W * 0.62, 1.05), (c.r(-0.1), 0.22), 0.006)
    c.circle(P["red"], c.r(0.3), 0.3, 0.09)
    c.poly(P["cream"], regular_star(c.r(0.3), 0.3, 0.045))
    snowfall(c, rng, 0, P["cream"], (0, 0, 0, 0))
