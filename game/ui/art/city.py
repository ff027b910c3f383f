"""The outdoor places and the title: the city under snow, the Neva, the station, the funeral,
the border at night, the Institute. Figures stand on the right and along the bottom; the left
is sky, snow or paper, for the text column."""

from __future__ import annotations

import math
import random

from game.ui.art.canvas import PALETTE as P
from game.ui.art.canvas import Canvas, mix, regular_star
from game.ui.art.lettering import slogan
from game.ui.art.motifs import (
    arch_bridge,
    bare_tree,
    beam,
    chimney,
    diagonal_band,
    facade,
    fir,
    great_dome,
    onion_dome,
    person,
    snowfall,
    spire,
    truss,
)


def draw_title(c: Canvas, rng: random.Random) -> None:
    """Petrograd's skyline before a red sun, cut by a red wedge and a black diagonal."""
    c.fill(P["paper"])
    c.veil = 0
    c.sun(P["red"], c.r(0.55), 0.4, 0.28)
    c.rect(mix(P["steel"], P["paper"], 0.35), 0, 0.8, c.W, 0.08)
    c.rect(P["soot"], 0, 0.88, c.W, 0.12)
    sky = P["soot"]
    for x, w, h in ((0.02, 0.16, 0.2), (0.2, 0.12, 0.14), (0.74, 0.2, 0.16), (0.98, 0.14, 0.11)):
        c.rect(sky, c.r(x + w), 0.8 - h, w, h)
    great_dome(c, c.r(0.58), 0.66, 0.1, sky, P["paper"])
    c.rect(sky, c.r(0.74), 0.66, 0.34, 0.14)
    spire(c, c.r(0.2), 0.8, 0.09, 0.56, sky)
    onion_dome(c, c.r(1.02), 0.69, 0.035, sky)
    chimney(c, c.r(1.2), 0.8, 0.035, 0.2, sky, P["grey"], 120)
    c.poly(P["red"], [(c.r(0.0), 0.14), (c.r(0.0), 0.3), (c.r(0.62), 0.29)])
    start, end = (c.W * 0.42, 1.05), (c.r(-0.05), 0.0)
    reach = (c.top - start[1]) / (end[1] - start[1])
    diagonal_band(c, P["ink"], start, (start[0] + (end[0] - start[0]) * reach, c.top), 0.012)
    snowfall(c, rng, 50, P["cream"], (c.W * 0.45, c.top, c.W, 0.86), 0.003, 170)


def draw_street_snow(c: Canvas, rng: random.Random) -> None:
    """A Petrograd street in winter: tenements, a banner, a queue in the snow, a tram wire."""
    c.fill(mix(P["paper"], P["slate"], 0.22))
    onion_dome(c, c.r(1.0), 0.5, 0.04, mix(P["slate"], P["paper"], 0.4))
    facade(c, c.r(0.95), 0.8, 0.3, 0.42, mix(P["ochre"], P["paper"], 0.25), P["soot"], 3, 4, P["ochre"], rng)
    facade(c, c.r(0.66), 0.8, 0.34, 0.6, P["steel"], P["soot"], 3, 6, P["ochre"], rng)
    facade(c, c.r(0.31), 0.8, 0.33, 0.52, P["ochre"], P["soot"], 3, 5, P["cream"], rng)
    c.rect(P["red"], c.r(0.66), 0.3, 0.34, 0.055)
    c.rect(P["cream"], c.r(0.6), 0.318, 0.22, 0.008)
    c.rect(P["cream"], c.r(0.6), 0.332, 0.14, 0.006)
    c.poly(c.snow(mix(P["grey"], P["ochre"], 0.3)), [(0, 0.84), (c.W, 0.76), (c.W, 1.0), (0, 1.0)])
    c.line(P["soot"], (c.r(0.7), 0.9), (c.r(0.7), 0.36), 0.008)
    c.poly(P["soot"], [(c.r(0.74), 0.36), (c.r(0.66), 0.36), (c.r(0.68), 0.32), (c.r(0.72), 0.32)])
    c.lamp(c.r(0.7), 0.372, 0.012)
    hats = ("fur", "scarf", "cap", "scarf", "fur", "cap", "scarf")
    for i in range(7):
        person(c, c.r(0.1 + i * 0.085), 0.87 + i * 0.006, 0.21 - i * 0.013, P["soot"], hat=hats[i])
    c.line(P["soot"], (c.W * 0.25, c.top), (c.W, 0.2), 0.002)
    c.line(P["soot"], (c.W * 0.35, c.top), (c.W, 0.14), 0.002)
    snowfall(c, rng, 110, P["cream"], (c.W * 0.5, c.top, c.W, 1.0), 0.0035, 190)


def draw_embankment(c: Canvas, rng: random.Random) -> None:
    """The Neva (in ice in winter): the fortress spire across the water, a bridge, the granite parapet."""
    c.fill(mix(P["paper"], P["cream"], 0.4))
    c.sun(mix(P["red"], P["paper"], 0.35), c.r(0.3), 0.24, 0.12)
    far = mix(P["slate"], P["paper"], 0.25)
    c.rect(far, c.r(1.0), 0.44, 1.0, 0.04)
    spire(c, c.r(0.5), 0.45, 0.06, 0.38, mix(P["ochre"], P["soot"], 0.25))
    c.rect(far, c.r(0.62), 0.4, 0.22, 0.05)
    river = mix(P["steel"], P["paper"], 0.45 if c.winter else 0.2)
    c.rect(river, 0, 0.48, c.W, 0.52)
    for _ in range(16):
        x, y = rng.uniform(c.W * 0.45, c.W), rng.uniform(0.6, 0.8)
        s = 0.02 + (y - 0.6) * 0.3
        if c.winter:  # ice floes
            c.poly(c.snow(P["cream"]), [(x - s, y), (x - s * 0.7, y - s * 0.12), (x + s, y - s * 0.12),
                                        (x + s * 0.8, y)])
        else:  # open water: the light on its ripples
            c.line(mix(P["steel"], P["cream"], 0.6), (x - s, y), (x + s, y - s * 0.1), 0.003, 170)
    arch_bridge(c, c.r(0.9), c.r(-0.02), 0.5, 0.07, P["soot"], river, 4)
    c.poly(P["deep_red"], [(c.W * 0.22, 1.0), (c.W, 0.74), (c.W, 1.0)])
    c.poly(mix(P["deep_red"], P["soot"], 0.5), [(c.W * 0.22, 1.0), (c.W, 0.74), (c.W, 0.77), (c.W * 0.3, 1.0)])
    lamp = c.r(0.16)
    c.line(P["soot"], (lamp, 0.9), (lamp, 0.42), 0.009)
    c.rect(P["soot"], lamp - 0.012, 0.8, 0.024, 0.1)
    c.line(P["soot"], (lamp - 0.05, 0.44), (lamp + 0.05, 0.44), 0.005)
    for dx in (-0.05, 0.05):
        c.circle(P["cream"], lamp + dx, 0.415, 0.016)
        c.lamp(lamp + dx, 0.415, 0.016)
        c.rect(P["soot"], lamp + dx - 0.003, 0.425, 0.006, 0.015)
    c.poly(P["soot"], [(lamp - 0.01, 0.42), (lamp + 0.01, 0.42), (lamp, 0.37)])
    snowfall(c, rng, 60, P["cream"], (c.W * 0.5, c.top, c.W, 0.9), 0.0035, 180)


def draw_station(c: Canvas, rng: random.Random) -> None:
    """A train shed: an iron arch over converging rails, an engine's round face, steam, a clock."""
    c.fill(mix(P["paper"], P["grey"], 0.3))
    vx, vy = c.r(0.4), 0.6
    c.circle(mix(P["slate"], P["paper"], 0.35), vx, 0.82, 0.66)
    for i in range(4):
        c.arc(P["soot"], vx, 0.82, 0.66 - i * 0.06, 0, math.pi, 0.006 - i * 0.001)
    for a in range(1, 8):
        ang = a * math.pi / 8
        c.line(P["soot"], (vx + 0.48 * math.cos(ang), 0.82 - 0.48 * math.sin(ang)),
               (vx + 0.66 * math.cos(ang), 0.82 - 0.66 * math.sin(ang)), 0.003)
    c.poly(mix(P["grey"], P["soot"], 0.25), [(vx - 0.03, vy + 0.12), (vx + 0.03, vy + 0.12), (c.r(-0.1), 1.0),
                                            (c.W * 0.3, 1.0)])
    for dx in (-0.05, 0.05):
        c.line(P["soot"], (vx + dx * 0.3, vy + 0.12), (vx + dx * 9, 1.0), 0.004)
    c.rect(P["soot"], vx - 0.1, vy - 0.03, 0.2, 0.16)
    c.circle(P["soot"], vx, vy - 0.02, 0.085)
    c.circle(mix(P["soot"], P["grey"], 0.3), vx, vy - 0.02, 0.06)
    c.rect(P["soot"], vx - 0.022, vy - 0.2, 0.044, 0.1)
    c.rect(P["red"], vx - 0.12, vy + 0.08, 0.24, 0.03)
    c.circle(P["cream"], vx, vy - 0.02, 0.016)
    for i in range(6):
        c.circle(P["cream"], vx + 0.02 + i * 0.045, vy - 0.24 - i * 0.06, 0.035 + i * 0.014, 170 - i * 22)
    clock = c.r(0.08)
    c.line(P["soot"], (clock, 0.9), (clock, 0.34), 0.008)
    c.circle(P["soot"], clock, 0.3, 0.05)
    c.circle(P["cream"], clock, 0.3, 0.04)
    c.line(P["soot"], (clock, 0.3), (clock, 0.268), 0.004)
    c.line(P["soot"], (clock, 0.3), (clock + 0.024, 0.31), 0.004)
    person(c, c.r(0.18), 0.95, 0.22, P["soot"], hat="fur")
    person(c, c.r(0.24), 0.94, 0.19, P["soot"], hat="scarf")
    c.rect(P["ochre"], c.r(0.33), 0.87, 0.07, 0.06)
    c.rect(mix(P["ochre"], P["soot"], 0.4), c.r(0.33), 0.885, 0.07, 0.006)
    # the banner across the station front that the story's first scene reads
    # (it starts where the reading column ends, so no letters show through the page)
    slogan(c, "All power to the Soviets", c.r(0.57), 0.15, 0.03, P["cream"], P["red"], angle=6, width=0.53)


def draw_funeral(c: Canvas, rng: random.Random) -> None:
    """A procession in the snow: a red coffin on the bearers' shoulders, banners with black
    ribbons, bare trees, a black band of mourning across the sky."""
    c.fill(mix(P["paper"], P["grey"], 0.35))
    start, end = (c.W * 0.5, c.top - 0.05), (c.r(-0.1), 0.36)
    diagonal_band(c, P["soot"], start, end, 0.11)
    slope = (end[1] - start[1]) / (end[0] - start[0])
    c.poly(c.snow(mix(P["grey"], P["soot"], 0.25)), [(0, 0.78), (c.W, 0.7), (c.W, 1.0), (0, 1.0)])
    for x in (0.06, 0.2):
        bare_tree(c, c.r(x), 0.72, 0.5, mix(P["soot"], P["grey"], 0.3), rng)
    x = c.W * 0.68  # the words the Party buries Andrei with, over the trees, clear of the page
    slogan(c, "Hero of the Collective", x, start[1] + (x - start[0]) * slope + 0.024, 0.042, P["cream"],
           angle=-math.degrees(math.atan(slope)), width=c.r(0.04) - x)
    count = 11
    walkers = []
    for i in range(count):
        t = i / (count - 1)
        walkers.append((c.r(0.1 + t * 0.95), 0.97 - t * 0.2, 0.25 - t * 0.12))
    (x1, b1, h1), (x4, b4, h4) = walkers[0], walkers[3]
    y1, y4 = b1 - h1 * 1.08, b4 - h4 * 1.08
    for x, base, h in walkers[:4]:
        c.line(P["soot"], (x - h * 0.08, base - h * 0.78), (x - h * 0.06, base - h * 1.09), h * 0.05)
    c.poly(P["red"], [(x1 + 0.05, y1), (x4 - 0.04, y4), (x4 - 0.04, y4 - 0.04), (x1 + 0.05, y1 - 0.055)])
    c.poly(P["ink"], [(x1 + 0.05, y1 - 0.04), (x4 - 0.04, y4 - 0.029), (x4 - 0.04, y4 - 0.04),
                      (x1 + 0.05, y1 - 0.055)])
    hats = ("fur", "cap", "fur", "cap", "scarf", "cap", "fur", "scarf", "cap", "fur", "scarf")
    for i, (x, base, h) in enumerate(walkers):
        if i in (5, 7, 9):
            pole = (x + h * 0.16, base - h * 1.65)
            c.line(P["soot"], (x + h * 0.16, base - h * 0.5), pole, 0.004)
            c.rect(P["red"], pole[0], pole[1], h * 0.55, h * 0.36)
            c.poly(P["ink"], [(pole[0] + h * 0.3, pole[1]), (pole[0] + h * 0.4, pole[1]),
                              (pole[0] + h * 0.2, pole[1] + h * 0.36), (pole[0] + h * 0.1, pole[1] + h * 0.36)])
        person(c, x, base, h, P["soot"], hat=hats[i])
    snowfall(c, rng, 60, P["cream"], (c.W * 0.5, c.top, c.W, 1.0), 0.0032, 170)


def draw_border_night(c: Canvas, rng: random.Random) -> None:
    """A moonlit frontier: firs, a watchtower and its searchlight, wire running into the dark."""
    sky = mix(P["night"], P["slate"], 0.3)
    c.fill(sky)
    c.veil = 0
    for _ in range(40):
        c.circle(P["cream"], rng.uniform(c.W * 0.5, c.W), rng.uniform(c.top + 0.02, 0.4), 0.0018, 200)
    c.circle(P["cream"], c.r(0.42), 0.14, 0.055)
    c.circle(sky, c.r(0.4), 0.13, 0.05)
    snow = mix(c.snow(mix(P["soot"], P["steel"], 0.3)), P["slate"], 0.35)
    c.poly(snow, [(0, 0.6), (c.W, 0.52), (c.W, 1.0), (0, 1.0)])
    dark = P["night"]
    for i in range(16):
        x = c.r(0.02 + i * 0.06)
        fir(c, x, 0.53 + i * 0.0055, 0.16 + (i * 37 % 7) * 0.015, dark)
    tx = c.r(0.28)
    for dx in (-0.055, 0.055):
        c.line(dark, (tx + dx, 0.76), (tx + dx * 0.4, 0.3), 0.008)
    c.line(dark, (tx - 0.045, 0.66), (tx + 0.036, 0.46), 0.004)
    c.line(dark, (tx + 0.045, 0.66), (tx - 0.036, 0.46), 0.004)
    c.rect(dark, tx - 0.05, 0.24, 0.1, 0.07)
    c.poly(dark, [(tx - 0.065, 0.24), (tx + 0.065, 0.24), (tx, 0.19)])
    beam(c, (tx - 0.04, 0.27), math.radians(158), math.radians(11), 1.2, P["cream"], 60)
    c.circle(P["cream"], tx - 0.045, 0.27, 0.012)
    for i in range(9):
        t = i / 8
        x, base, h = c.r(0.04 + t * 0.9), 0.98 - t * 0.36, 0.2 - t * 0.13
        c.line(dark, (x, base), (x, base - h), 0.008 - t * 0.005)
    for k in (0.3, 0.6, 0.9):
        c.line(dark, (c.r(0.04), 0.98 - 0.2 * k), (c.r(0.94), 0.62 - 0.07 * k), 0.002)


def draw_institute(c: Canvas, rng: random.Random) -> None:
    """The Technological Institute's columns, and a blueprint of a truss bridge with dividers."""
    c.fill(mix(P["paper"], P["cream"], 0.3))
    c.sun(mix(P["red"], P["paper"], 0.15), c.r(0.58), 0.3, 0.2)
    wall = mix(P["ochre"], P["paper"], 0.2)
    left, right = c.r(1.05), c.r(0.08)
    c.rect(wall, left, 0.42, right - left, 0.4)
    c.poly(wall, [(left - 0.03, 0.42), (right + 0.03, 0.42), ((left + right) / 2, 0.27)])
    c.rect(P["cream"], left - 0.03, 0.4, right - left + 0.06, 0.03)
    for i in range(7):
        x = left + 0.04 + i * (right - left - 0.12) / 6
        c.rect(mix(P["ochre"], P["soot"], 0.35), x - 0.012, 0.44, 0.06, 0.38)
        c.rect(P["cream"], x, 0.44, 0.04, 0.38)
    for i in range(3):
        c.rect(mix(P["grey"], P["paper"], 0.2 * i), left - 0.05 - i * 0.02, 0.82 + i * 0.03,
               right - left + 0.1 + i * 0.04, 0.03)
    sheet = [(c.r(0.95), 0.97), (c.r(0.9), 0.74), (c.r(0.02), 0.68), (c.r(-0.04), 0.93)]
    c.poly(P["steel"], [(x, y + 0.012) for x, y in sheet])
    c.poly(mix(P["steel"], P["night"], 0.2), sheet)
    truss(c, c.r(0.82), c.r(0.12), 0.88, 0.09, P["cream"], 6, 0.004)
    hinge = (c.r(0.3), 0.62)
    c.line(P["soot"], hinge, (c.r(0.42), 0.93), 0.007)
    c.line(P["soot"], hinge, (c.r(0.16), 0.92), 0.007)
    c.circle(P["soot"], *hinge, 0.014)
    c.poly(P["red"], regular_star(c.r(0.58), 0.3, 0.04))
