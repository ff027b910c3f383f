"""The rooms people live in, each its own: Leo's room under the roof, Andrei's bare Party room,
and a room in a railwaymen's tenement. The Dunaevs' crowded flat is in rooms.py. As in every
room, the furniture keeps to the right and the wall on the left is the page."""

from __future__ import annotations

import random

from game.ui.art.canvas import PALETTE as P
from game.ui.art.canvas import Canvas, mix, regular_star
from game.ui.art.motifs import chimney, great_dome, person, spire
from game.ui.art.rooms import floor, window_pane

GREEN_SHADE = (72, 108, 84)  # Andrei's lamp: "a lamp with a green glass shade"


def kerosene_lamp(c: Canvas, x: float, base: float, h: float, metal: tuple[int, int, int]) -> None:
    """A table lamp: a footed base, a round fount, a tall glass chimney; its flame shines at night."""
    c.poly(metal, [(x - h * 0.22, base), (x + h * 0.22, base), (x + h * 0.08, base - h * 0.12),
                   (x - h * 0.08, base - h * 0.12)])
    c.ellipse(metal, x, base - h * 0.26, h * 0.2, h * 0.15)
    c.poly(mix(P["cream"], P["slate"], 0.3), [(x - h * 0.07, base - h * 0.38), (x + h * 0.07, base - h * 0.38),
                                              (x + h * 0.05, base - h), (x - h * 0.05, base - h)])
    c.shine(lambda: c.circle(P["ochre"], x, base - h * 0.55, h * 0.06))
    c.lamp(x, base - h * 0.55, h * 0.07)


def draw_leo_room(c: Canvas, rng: random.Random) -> None:
    """The room at the top of the house: the roof's slope cuts the wall on a bold diagonal, a
    skylight shows the city's roofs and dome, an old gilt mirror, a divan under a red cover,
    books piled on the floor and a kerosene lamp on a small table."""
    c.fill(mix(P["paper"], P["steel"], 0.14))
    floor(c, 0.82, mix(P["ochre"], P["soot"], 0.35), c.r(0.4), 8)
    slope = mix(P["steel"], P["soot"], 0.35)
    eave = (c.r(0.02), 0.5)
    c.poly(slope, [(c.r(0.98), c.top), (c.W, c.top), (c.W, eave[1] + 0.02), eave])
    for k in range(1, 5):
        t = k / 5
        a = (c.r(0.98) + (c.W - c.r(0.98)) * t, c.top)
        c.line(mix(slope, P["soot"], 0.5), a, (a[0] + (eave[0] - c.r(0.98)) * 1.0, a[1] + (eave[1] - c.top)), 0.006)
    # the skylight, set into the slope: a parallelogram of sky with the city in it
    sky = mix(P["slate"], P["cream"], 0.35)
    win = [(c.r(0.62), 0.05), (c.r(0.36), 0.05), (c.r(0.2), 0.3), (c.r(0.46), 0.3)]
    c.poly(P["soot"], [(x + dx, y + dy) for (x, y), (dx, dy) in
                       zip(win, ((-0.02, -0.02), (0.02, -0.02), (0.02, 0.02), (-0.02, 0.02)), strict=False)])
    c.poly(sky, win)
    c.sun(mix(P["red"], P["paper"], 0.2), c.r(0.36), 0.12, 0.035)
    roofs = mix(P["night"], P["slate"], 0.3)
    great_dome(c, c.r(0.43), 0.3, 0.035, roofs, sky)
    c.poly(roofs, [(c.r(0.51), 0.3), (c.r(0.5), 0.26), (c.r(0.47), 0.26), (c.r(0.46), 0.3)])
    chimney(c, c.r(0.29), 0.3, 0.016, 0.06, roofs)
    c.shine(lambda: c.rect(P["ochre"], c.r(0.335), 0.27, 0.012, 0.014))
    c.line(P["soot"], ((win[0][0] + win[1][0]) / 2, 0.05), ((win[2][0] + win[3][0]) / 2, 0.3), 0.008)
    # the gilt mirror, left from another life, with a slant of reflected light
    mx, my, mw, mh = c.r(0.78), 0.26, 0.13, 0.44
    c.rect(P["ochre"], mx - 0.016, my - 0.03, mw + 0.032, mh + 0.046)
    c.rect(mix(P["slate"], P["cream"], 0.4), mx, my, mw, mh)
    c.poly(P["cream"], [(mx, my + 0.18), (mx + mw, my + 0.05), (mx + mw, my + 0.12), (mx, my + 0.25)], 150)
    c.poly(P["ochre"], [(mx + mw / 2 - 0.03, my - 0.03), (mx + mw / 2 + 0.03, my - 0.03), (mx + mw / 2, my - 0.07)])
    # the divan under a red cover, a cushion, a pile of books
    dx = c.r(0.6)
    c.rect(mix(P["deep_red"], P["soot"], 0.3), dx, 0.6, 0.46, 0.1)
    c.rect(P["red"], dx, 0.66, 0.46, 0.12)
    c.poly(P["deep_red"], [(dx + 0.04, 0.78), (dx + 0.46, 0.78), (dx + 0.46, 0.84), (dx, 0.84)])
    c.rect(P["cream"], dx + 0.02, 0.6, 0.1, 0.055)
    for i, (w, tone) in enumerate(((0.1, P["steel"]), (0.085, P["ochre"]), (0.095, P["soot"]), (0.07, P["red"]))):
        c.rect(tone, c.r(0.66) - w / 2, 0.86 - (i + 1) * 0.022, w, 0.02)
    tx = c.r(0.08)
    wood = mix(P["ochre"], P["soot"], 0.5)
    c.rect(wood, tx - 0.05, 0.62, 0.1, 0.014)
    c.rect(wood, tx - 0.007, 0.63, 0.014, 0.2)
    c.rect(wood, tx - 0.04, 0.82, 0.08, 0.012)
    kerosene_lamp(c, tx, 0.62, 0.12, P["soot"])


def draw_andrei_room(c: Canvas, rng: random.Random) -> None:
    """Andrei's room: whitewash and order. A narrow iron cot made tight, a plain table with books
    squared up, the lamp with a green glass shade, a leather jacket on a nail, a poster of cut
    red and black shapes pinned to the wall, and a tall bare window."""
    c.fill(mix(P["paper"], P["cream"], 0.45))
    floor(c, 0.84, mix(P["grey"], P["soot"], 0.15), c.r(0.45), 6)
    wx, wy, ww, wh = c.r(0.32), 0.1, 0.18, 0.46
    window_pane(c, wx, wy, ww, wh, mix(P["slate"], P["paper"], 0.4), P["soot"])
    spire(c, wx + ww * 0.3, wy + wh, 0.03, 0.3, mix(P["slate"], P["soot"], 0.3))
    # the poster: a red wedge driving into a black square, a white band on the diagonal
    px, py, pw, ph = c.r(0.74), 0.12, 0.22, 0.3
    c.rect(P["cream"], px, py, pw, ph)
    c.rect(P["soot"], px + pw * 0.45, py + ph * 0.3, pw * 0.45, ph * 0.5)
    c.poly(P["red"], [(px + 0.015, py + ph * 0.55), (px + pw * 0.7, py + ph * 0.35), (px + pw * 0.7, py + ph * 0.6)])
    c.line(P["red"], (px + pw * 0.1, py + ph * 0.92), (px + pw * 0.92, py + ph * 0.12), 0.008)
    c.poly(P["red"], regular_star(px + pw * 0.22, py + ph * 0.22, 0.03))
    # the cot, tight as a soldier's
    bx0, bx1 = c.r(0.7), c.r(0.36)
    iron = P["soot"]
    for x, top in ((bx0, 0.56), (bx1, 0.6)):
        c.rect(iron, x - 0.006, top, 0.012, 0.86 - top)
    c.rect(iron, bx0, 0.72, bx1 - bx0, 0.012)
    c.rect(mix(P["steel"], P["soot"], 0.2), bx0 + 0.006, 0.665, bx1 - bx0 - 0.012, 0.055)
    c.rect(P["cream"], bx0 + 0.01, 0.645, 0.08, 0.025)
    c.rect(P["red"], bx0 + 0.1, 0.665, 0.012, 0.055)
    # the jacket on its nail
    jx = c.r(0.4)
    c.poly(P["ink"], [(jx - 0.035, 0.2), (jx + 0.035, 0.2), (jx + 0.055, 0.42), (jx - 0.055, 0.42)])
    c.poly(mix(P["ink"], P["steel"], 0.25), [(jx - 0.012, 0.2), (jx + 0.012, 0.2), (jx, 0.3)])
    c.rect(P["soot"], jx - 0.003, 0.18, 0.006, 0.022)
    # the table, the squared books, the green lamp
    tx = c.r(0.16)
    wood = mix(P["ochre"], P["soot"], 0.45)
    c.rect(wood, tx - 0.12, 0.62, 0.24, 0.016)
    for dx in (-0.11, 0.1):
        c.rect(wood, tx + dx, 0.635, 0.012, 0.21)
    for i, tone in enumerate((P["steel"], P["soot"], P["deep_red"])):
        c.rect(tone, tx - 0.1, 0.62 - (i + 1) * 0.018, 0.1, 0.017)
    lx = tx + 0.06
    c.rect(P["soot"], lx - 0.004, 0.5, 0.008, 0.12)
    c.rect(P["soot"], lx - 0.025, 0.61, 0.05, 0.01)
    c.poly(GREEN_SHADE, [(lx - 0.05, 0.52), (lx + 0.05, 0.52), (lx + 0.03, 0.47), (lx - 0.03, 0.47)])
    c.shine(lambda: c.rect(mix(P["cream"], P["ochre"], 0.4), lx - 0.045, 0.52, 0.09, 0.006))
    c.lamp(lx, 0.53, 0.012)
    c.shine(lambda: c.poly(P["ochre"], [(lx - 0.045, 0.525), (lx + 0.045, 0.525), (lx + 0.12, 0.62),
                                        (lx - 0.12, 0.62)], 60 if c.night else 0))


def draw_tenement_room(c: Canvas, rng: random.Random) -> None:
    """A room in a railwaymen's tenement: plank bunks, a railwayman's lantern on a hook, a
    table with a map spread under a lamp, and in the small window a signal arm across the yard."""
    c.fill(mix(P["paper"], P["grey"], 0.3))
    c.rect(mix(P["grey"], P["soot"], 0.35), 0, 0.8, c.W, 0.2)
    c.rect(mix(P["grey"], P["steel"], 0.3), c.r(0.9), 0.5, 0.9, 0.3)
    # the window: the yard, a signal mast and its arm on the diagonal, wagons
    wx, wy, ww, wh = c.r(0.5), 0.14, 0.2, 0.22
    c.rect(P["soot"], wx - 0.018, wy - 0.018, ww + 0.036, wh + 0.036)
    c.rect(mix(P["slate"], P["cream"], 0.45), wx, wy, ww, wh)
    c.rect(c.snow(mix(P["grey"], P["soot"], 0.3)), wx, wy + wh * 0.7, ww, wh * 0.3)
    c.rect(P["soot"], wx, wy + wh * 0.55, ww * 0.7, wh * 0.18)
    for i in range(3):
        c.rect(mix(P["soot"], P["grey"], 0.3), wx + 0.01 + i * 0.045, wy + wh * 0.58, 0.03, 0.012)
    mast = wx + ww * 0.82
    c.line(P["soot"], (mast, wy + wh), (mast, wy + 0.03), 0.005)
    c.line(P["red"], (mast, wy + 0.05), (mast - 0.08, wy + 0.11), 0.012)
    c.shine(lambda: c.circle(P["red"] if c.night else P["soot"], mast + 0.012, wy + 0.06, 0.007))
    c.rect(P["soot"], wx + ww / 2 - 0.004, wy, 0.008, wh)
    # the bunks
    bx = c.r(0.9)
    wood = mix(P["ochre"], P["soot"], 0.5)
    for y in (0.42, 0.7):
        c.rect(wood, bx, y, 0.32, 0.03)
        c.rect(mix(P["steel"], P["grey"], 0.4), bx + 0.02, y - 0.03, 0.28, 0.032)
    for x in (bx, bx + 0.31):
        c.rect(wood, x, 0.3, 0.016, 0.52)
    c.rect(P["red"], bx + 0.2, 0.375, 0.09, 0.015)
    # the lantern and a cap on their hooks
    hx = c.r(0.56)
    c.rect(P["soot"], hx - 0.002, 0.44, 0.004, 0.03)
    c.rect(P["soot"], hx - 0.025, 0.47, 0.05, 0.07)
    c.shine(lambda: c.rect(P["ochre"], hx - 0.016, 0.48, 0.032, 0.045))
    c.lamp(hx, 0.5, 0.008)
    c.rect(P["soot"], hx + 0.06, 0.47, 0.06, 0.02)
    c.rect(P["soot"], hx + 0.09, 0.485, 0.05, 0.008)
    # the table with the map on it, and the two who bend over it
    tx = c.r(0.24)
    c.rect(P["soot"], tx - 0.16, 0.64, 0.32, 0.02)
    for dx in (-0.15, 0.135):
        c.rect(P["soot"], tx + dx, 0.66, 0.014, 0.17)
    c.poly(P["cream"], [(tx - 0.13, 0.645), (tx + 0.1, 0.645), (tx + 0.12, 0.628), (tx - 0.1, 0.628)])
    c.line(P["red"], (tx - 0.1, 0.64), (tx + 0.08, 0.632), 0.003)
    person(c, c.r(0.05), 0.86, 0.34, P["soot"], hat="cap", lean=-0.03)
    kerosene_lamp(c, tx + 0.02, 0.63, 0.1, P["soot"])
