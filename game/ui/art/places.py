"""The places of business and of leaving: a Soviet office or committee room, a railway platform
beside a waiting train, and a NEP shop and market stall. Figures keep to the right; the bold
diagonals (the table's edge, the platform, the awning) lead the eye away from the text."""

from __future__ import annotations

import random

from game.ui.art.canvas import PALETTE as P
from game.ui.art.canvas import Canvas, mix, regular_star
from game.ui.art.homes import kerosene_lamp
from game.ui.art.lettering import slogan
from game.ui.art.motifs import facade, person, snowfall
from game.ui.art.rooms import window_pane


def draw_office(c: Canvas, rng: random.Random) -> None:
    """A Soviet office or committee room: a table under red baize seen on the slant, files and
    a rubber stamp, a telephone, a tall window, a leader's portrait and a poster of cut shapes."""
    c.fill(mix(P["paper"], P["ochre"], 0.16))
    c.rect(mix(P["steel"], P["paper"], 0.35), 0, 0.62, c.W, 0.38)
    c.rect(mix(P["steel"], P["soot"], 0.2), 0, 0.615, c.W, 0.01)
    wx, wy, ww, wh = c.r(0.3), 0.06, 0.2, 0.46
    window_pane(c, wx, wy, ww, wh, mix(P["slate"], P["cream"], 0.5), P["soot"])
    c.poly(P["cream"], [(wx, wy + wh), (wx + ww, wy + wh), (wx - 0.1, 1.0), (wx - 0.45, 1.0)], 50)
    # the portrait, in a heavy frame
    px, py = c.r(0.62), 0.1
    c.rect(P["soot"], px, py, 0.13, 0.18)
    c.rect(P["grey"], px + 0.012, py + 0.012, 0.106, 0.156)
    c.circle(P["soot"], px + 0.065, py + 0.07, 0.024)
    c.poly(P["soot"], [(px + 0.025, py + 0.168), (px + 0.105, py + 0.168), (px + 0.09, py + 0.1),
                       (px + 0.04, py + 0.1)])
    # a poster: a red wedge into a black circle, the poster's lettering bar on the diagonal
    qx, qy, qw, qh = c.r(0.9), 0.14, 0.2, 0.28
    c.rect(P["cream"], qx, qy, qw, qh)
    c.circle(P["soot"], qx + qw * 0.62, qy + qh * 0.42, qw * 0.26)
    c.poly(P["red"], [(qx + 0.01, qy + qh * 0.7), (qx + qw * 0.7, qy + qh * 0.3), (qx + qw * 0.62, qy + qh * 0.6)])
    c.poly(P["red"], [(qx + 0.01, qy + qh - 0.02), (qx + qw - 0.01, qy + qh - 0.09), (qx + qw - 0.01, qy + qh - 0.06),
                      (qx + 0.01, qy + qh - 0.005)])
    person(c, c.r(0.6), 0.8, 0.38, P["soot"], hat="")  # the official, behind his table
    # the table on the slant: red baize front, black top edge
    top = [(c.r(0.86), 0.66), (c.r(-0.05), 0.55)]
    c.poly(P["soot"], [top[0], top[1], (top[1][0], top[1][1] + 0.02), (top[0][0], top[0][1] + 0.02)])
    c.poly(P["red"], [(top[0][0], top[0][1] + 0.02), (top[1][0], top[1][1] + 0.02), (top[1][0], 0.86),
                      (top[0][0], 0.9)])
    c.poly(P["deep_red"], [(top[0][0], 0.86), (top[1][0], 0.8), (top[1][0], 0.86), (top[0][0], 0.9)])
    c.poly(P["ochre"], regular_star(c.r(0.5), 0.74, 0.04))

    def on_table(x: float) -> float:
        t = (x - top[0][0]) / (top[1][0] - top[0][0])
        return top[0][1] + (top[1][1] - top[0][1]) * t

    for i, tone in enumerate((P["cream"], P["slate"], P["cream"])):
        x = c.r(0.72) + i * 0.01
        c.rect(tone, x, on_table(x) - 0.018 * (i + 1), 0.12, 0.017)
    sx = c.r(0.5)
    c.rect(P["soot"], sx - 0.008, on_table(sx) - 0.05, 0.016, 0.04)
    c.ellipse(P["soot"], sx, on_table(sx) - 0.06, 0.016, 0.01)
    hx = c.r(0.32)
    base = on_table(hx)
    c.rect(P["soot"], hx - 0.03, base - 0.025, 0.06, 0.025)
    c.rect(P["soot"], hx - 0.005, base - 0.06, 0.01, 0.04)
    c.rect(P["soot"], hx - 0.035, base - 0.075, 0.07, 0.016)
    c.circle(P["soot"], hx + 0.04, base - 0.06, 0.01)
    kerosene_lamp(c, c.r(0.14), on_table(c.r(0.14)), 0.11, P["soot"])


def draw_platform(c: Canvas, rng: random.Random) -> None:
    """A railway platform: the train's side running away on a long diagonal, its windows,
    the platform's edge beneath it, an iron canopy overhead, a lamp post, travellers with bundles."""
    c.fill(mix(P["paper"], P["slate"], 0.25))
    vx, vy = c.r(0.95), 0.5
    # the canopy: a black wedge from the top right down to the vanishing point
    c.poly(P["soot"], [(c.W, c.top), (c.W, 0.1), (vx, vy - 0.08), (vx, vy - 0.1), (c.r(0.5), c.top)])
    # the carriages: their side a long dark-green-grey quad, a red band, lit windows
    side = mix(P["steel"], P["soot"], 0.35)
    near_top, near_low = 0.2, 0.86
    far_top, far_low = vy - 0.06, vy + 0.04
    c.poly(side, [(vx, far_top), (c.W, near_top), (c.W, near_low), (vx, far_low)])

    def at(t: float, f: float) -> tuple[float, float]:
        """A point on the train's side: t from far (0) to near (1), f from the roof (0) to the wheels (1)."""
        x = vx + (c.W - vx) * t
        return x, (far_top + (near_top - far_top) * t) * (1 - f) + (far_low + (near_low - far_low) * t) * f

    c.poly(P["red"], [at(0, 0.62), at(1, 0.62), at(1, 0.68), at(0, 0.68)])
    glass = mix(P["slate"], P["cream"], 0.35)
    stops = [0.84 ** k for k in range(16, -1, -1)]  # carriage bays, wider as they come nearer
    for a, b in zip(stops, stops[1:], strict=False):
        w0, w1 = a + (b - a) * 0.2, a + (b - a) * 0.8
        pane = [at(w0, 0.16), at(w1, 0.16), at(w1, 0.48), at(w0, 0.48)]
        c.poly(glass, pane)
        if rng.random() < 0.6:
            c.shine(lambda pane=pane: c.poly(P["ochre"], pane) if c.night else None)
    for a in stops[::2]:
        c.line(P["soot"], at(a, 0.0), at(a, 1.0), 0.003)
    # the platform: a pale band under the train, its edge a white diagonal
    c.poly(mix(P["grey"], P["paper"], 0.2), [(vx, far_low), (c.W, near_low), (c.W, 1.0), (c.W * 0.3, 1.0)])
    c.line(P["cream"], (vx, far_low + 0.004), (c.W, near_low + 0.01), 0.01)
    snowfall(c, rng, 30, P["cream"], (vx, 0.6, c.W, 1.0), 0.003, 150)
    # the lamp post and its clock
    lx = c.r(0.55)
    c.line(P["soot"], (lx, 0.95), (lx, 0.3), 0.008)
    c.line(P["soot"], (lx - 0.04, 0.3), (lx + 0.04, 0.3), 0.005)
    for dx in (-0.04, 0.04):
        c.rect(P["soot"], dx + lx - 0.012, 0.3, 0.024, 0.035)
        c.shine(lambda dx=dx: c.rect(P["cream"] if c.night else P["grey"], dx + lx - 0.008, 0.305, 0.016, 0.024))
        c.lamp(lx + dx, 0.318, 0.008)
    person(c, c.r(0.38), 0.96, 0.3, P["soot"], hat="fur")
    person(c, c.r(0.3), 0.95, 0.27, P["soot"], hat="scarf")
    c.rect(P["ochre"], c.r(0.27), 0.88, 0.06, 0.06)
    person(c, c.r(0.12), 0.98, 0.34, P["ink"], hat="cap")


def draw_market(c: Canvas, rng: random.Random) -> None:
    """A NEP shop and market: a shop front with its painted sign and a window of bread and
    sausages, a stall under a striped awning cut on the slant, sacks, a buyer and a seller."""
    c.fill(mix(P["paper"], P["slate"], 0.2))
    facade(c, c.r(1.0), 0.36, 1.0, 0.36, mix(P["ochre"], P["paper"], 0.3), P["soot"], 5, 2, P["ochre"], rng)
    sx, sw = c.r(0.96), 0.5
    c.rect(mix(P["ochre"], P["paper"], 0.15), sx, 0.36, sw, 0.44)
    c.rect(P["red"], sx, 0.36, sw, 0.1)
    slogan(c, "Продукты", sx + 0.04, 0.44, 0.06, P["cream"], width=sw - 0.08)
    c.rect(P["soot"], sx + 0.04, 0.5, 0.33, 0.27)
    c.rect(mix(P["cream"], P["ochre"], 0.2), sx + 0.055, 0.515, 0.33 - 0.03, 0.24)
    c.shine(lambda: c.rect(P["ochre"], sx + 0.055, 0.515, 0.33 - 0.03, 0.24, 150) if c.night else None)
    for i in range(4):
        c.ellipse(mix(P["ochre"], P["deep_red"], 0.35), sx + 0.09 + i * 0.065, 0.73, 0.028, 0.018)
    for i in range(5):
        c.rect(P["deep_red"], sx + 0.08 + i * 0.05, 0.53, 0.012, 0.09)
    c.rect(P["soot"], sx + 0.385, 0.52, 0.09, 0.28)
    # the stall: a striped awning on the diagonal, a counter, sacks
    ax = c.r(0.4)
    for x in (ax + 0.01, ax + 0.39):
        c.line(P["soot"], (x, 0.5), (x, 0.84), 0.007)
    stripes, rise = 6, 0.014
    for i in range(stripes):
        x0, x1 = ax - 0.03 + i * 0.075, ax - 0.03 + (i + 1) * 0.075
        tone = P["red"] if i % 2 == 0 else P["cream"]
        c.poly(tone, [(x0 + 0.05, 0.4 - i * rise), (x1 + 0.05, 0.4 - (i + 1) * rise),
                      (x1, 0.54 - (i + 1) * rise), (x0, 0.54 - i * rise)])
    c.rect(mix(P["ochre"], P["soot"], 0.4), ax, 0.7, 0.4, 0.14)
    for i in range(3):
        c.ellipse(P["grey"], ax + 0.08 + i * 0.12, 0.69, 0.05, 0.03)
    c.poly(c.snow(mix(P["grey"], P["ochre"], 0.3)), [(0, 0.86), (c.W, 0.8), (c.W, 1.0), (0, 1.0)])
    person(c, c.r(0.12), 0.96, 0.36, P["soot"], hat="scarf")
    person(c, c.r(0.62), 0.93, 0.3, P["ink"], hat="fur", lean=0.01)
    c.rect(mix(P["cream"], P["ochre"], 0.3), c.r(0.58), 0.77, 0.045, 0.05)
    snowfall(c, rng, 50, P["cream"], (c.W * 0.55, c.top, c.W, 1.0), 0.003, 170)


def crane(c: Canvas, x: float, base: float, h: float, reach: float, colour: tuple[int, int, int]) -> None:
    """A dockside crane: a lattice tower on splayed legs, a cab, and a long jib cut on the diagonal
    out over the water (leftwards), its hook hanging on a line."""
    top = base - h
    for dx in (-0.035, 0.035):
        c.line(colour, (x + dx * 1.6, base), (x + dx * 0.5, top), 0.006)
    for k in range(5):
        y0, y1 = base - h * k / 5, base - h * (k + 1) / 5
        c.line(colour, (x - 0.05 + 0.035 * k / 5, y0), (x + 0.05 - 0.035 * (k + 1) / 5, y1), 0.003)
    c.rect(colour, x - 0.03, top - 0.05, 0.07, 0.05)
    tip = (x - reach, top - reach * 0.55)
    c.line(colour, (x, top - 0.03), tip, 0.01)
    c.line(colour, (x + 0.02, top - 0.1), tip, 0.003)
    c.line(colour, (x + 0.02, top - 0.1), (x + 0.06, top - 0.02), 0.003)
    c.line(colour, tip, (tip[0], tip[1] + h * 0.7), 0.002)
    c.rect(colour, tip[0] - 0.008, tip[1] + h * 0.7, 0.016, 0.012)


def draw_harbour(c: Canvas, rng: random.Random) -> None:
    """The commercial port: a freighter with a red-banded funnel riding in the roads, cranes whose
    jibs cut long diagonals across the sky, the quay's edge with bollards and crates."""
    c.fill(mix(P["paper"], P["slate"], 0.28))
    c.sun(mix(P["red"], P["paper"], 0.3), c.r(0.3), 0.16, 0.07)
    water = mix(P["steel"], P["paper"], 0.4)
    c.rect(water, 0, 0.6, c.W, 0.4)
    for _ in range(10):
        x, y = rng.uniform(c.W * 0.55, c.W), rng.uniform(0.66, 0.8)
        c.line(P["cream"], (x, y), (x + 0.05 + (y - 0.66) * 0.3, y), 0.003, 140)
    # the freighter
    hull = P["soot"]
    hx0, hx1 = c.r(0.95), c.r(0.3)
    c.poly(hull, [(hx0 - 0.05, 0.52), (hx1, 0.52), (hx1 - 0.02, 0.63), (hx0 + 0.02, 0.63)])
    c.rect(P["deep_red"], hx0, 0.6, hx1 - hx0 - 0.02, 0.02)
    c.rect(P["cream"], c.r(0.62), 0.44, 0.2, 0.08)
    c.rect(P["cream"], c.r(0.58), 0.4, 0.12, 0.04)
    c.poly(P["soot"], [(c.r(0.53), 0.4), (c.r(0.47), 0.4), (c.r(0.475), 0.3), (c.r(0.525), 0.3)])
    c.rect(P["red"], c.r(0.528), 0.32, 0.056, 0.025)
    for k in (0.8, 0.38):
        c.line(P["soot"], (c.r(k), 0.52), (c.r(k), 0.3), 0.004)
    c.line(P["soot"], (c.r(0.8), 0.3), (c.r(0.38), 0.3), 0.0015)
    for i in range(6):
        px = c.r(0.6) + i * 0.03
        c.circle(P["soot"], px, 0.48, 0.007)
        c.shine(lambda px=px: c.circle(P["ochre"], px, 0.48, 0.006) if c.night else None)
    c.lamp(c.r(0.8), 0.3, 0.006)
    c.lamp(c.r(0.38), 0.3, 0.006)
    for i in range(5):
        c.circle(P["grey"], c.r(0.5) - i * 0.04, 0.27 - i * 0.035, 0.02 + i * 0.008, 120 - i * 20)
    # the quay and its cranes
    quay = mix(P["soot"], P["grey"], 0.2)
    c.poly(quay, [(c.r(0.85), 0.82), (c.W, 0.76), (c.W, 1.0), (c.r(0.95), 1.0)])
    c.line(P["cream"], (c.r(0.85), 0.82), (c.W, 0.76), 0.004)
    crane(c, c.r(0.18), 0.8, 0.5, 0.42, P["ink"])
    crane(c, c.r(0.55), 0.84, 0.36, 0.3, mix(P["ink"], P["slate"], 0.25))
    for x in (c.r(0.7), c.r(0.38)):
        c.rect(P["ink"], x, 0.85, 0.025, 0.03)
    c.rect(P["ochre"], c.r(0.12), 0.86, 0.1, 0.07)
    c.rect(mix(P["ochre"], P["soot"], 0.4), c.r(0.1), 0.82, 0.07, 0.04)
    person(c, c.r(0.28), 0.98, 0.26, P["soot"], hat="cap")
