"""The rooms the story names that are not the Dunaevs' flat: Leo's room, Andrei's room, the house
committee's room, an office in the Smolny, a room in a railwaymen's tenement.

Each keeps the posters' grammar (flat inks, one bold diagonal, cut shapes) and keeps to the right,
so that the wall on the left stays the page the text is printed on.
"""

from __future__ import annotations

import random

from game.ui.art.canvas import PALETTE as P
from game.ui.art.canvas import Canvas, mix, regular_star
from game.ui.art.motifs import banner, beam, diagonal_band, great_dome, person, tea_glass
from game.ui.art.rooms import floor, iron_bed, window_pane


def draw_leo_room(c: Canvas, rng: random.Random) -> None:
    """Leo's room: a tall window on the Neva at dusk, a shelf of books, a narrow iron bed, a bottle
    on the sill, a diagonal of late light across the wall."""
    c.fill(mix(P["paper"], P["steel"], 0.16))
    floor(c, 0.82, mix(P["deep_red"], P["soot"], 0.35), c.r(0.45), boards=7)
    wx, wy, ww, wh = c.r(0.62), 0.06, 0.24, 0.56
    sky = mix(P["steel"], P["night"], 0.35)
    window_pane(c, wx, wy, ww, wh, sky, P["soot"])
    c.rect(mix(P["slate"], P["night"], 0.3), wx, wy + wh * 0.7, ww, wh * 0.3)  # the river
    great_dome(c, wx + ww * 0.35, wy + wh * 0.7, 0.05, mix(P["ochre"], P["soot"], 0.2), sky)
    c.rect(P["soot"], wx - 0.03, wy + wh + 0.015, ww + 0.06, 0.016)
    c.rect(mix(P["steel"], P["soot"], 0.5), wx + ww * 0.7, wy + wh - 0.07, 0.018, 0.07)  # a bottle
    diagonal_band(c, mix(P["ochre"], P["paper"], 0.55), (wx, wy + wh), (c.W * 0.55, 1.0), 0.07, 110)
    sx = c.r(0.3)
    for i in range(3):
        y = 0.2 + i * 0.12
        c.rect(P["soot"], sx, y + 0.09, 0.25, 0.012)
        x = sx + 0.01
        while x < sx + 0.23:
            w = rng.uniform(0.012, 0.022)
            tone = rng.choice((P["deep_red"], P["steel"], P["ochre"], P["soot"]))
            c.rect(tone, x, y + 0.09 - rng.uniform(0.06, 0.085), w, 0.09)
            x += w + 0.003
    iron_bed(c, c.r(0.34), c.r(0.02), P["soot"])


def draw_andrei_room(c: Canvas, rng: random.Random) -> None:
    """Andrei's room: bare and clean, a soldier's cot, a leather jacket on a nail, one shelf of
    books, a red star on the wall and a single bulb; a hard red diagonal cuts the corner."""
    c.fill(mix(P["paper"], P["grey"], 0.28))
    floor(c, 0.84, mix(P["grey"], P["soot"], 0.3), c.r(0.3), boards=5)
    c.poly(P["red"], [(c.r(0.0), c.top), (c.r(0.0), 0.32), (c.r(0.42), c.top)])
    c.poly(P["cream"], regular_star(c.r(0.14), 0.08, 0.05))
    jx = c.r(0.52)
    c.circle(P["soot"], jx, 0.18, 0.006)
    c.poly(mix(P["soot"], P["deep_red"], 0.2), [(jx - 0.06, 0.22), (jx + 0.06, 0.22), (jx + 0.075, 0.52),
                                                 (jx - 0.075, 0.52)])
    c.poly(P["soot"], [(jx - 0.02, 0.2), (jx + 0.02, 0.2), (jx, 0.3)])
    c.rect(P["soot"], c.r(0.36), 0.36, 0.22, 0.012)
    for i in range(6):
        c.rect(mix(P["steel"], P["soot"], 0.3 + 0.1 * (i % 3)), c.r(0.355) + i * 0.03, 0.285, 0.022, 0.075)
    cot_y = 0.74
    c.rect(P["soot"], c.r(0.5), cot_y, 0.46, 0.02)
    c.rect(mix(P["slate"], P["paper"], 0.2), c.r(0.5), cot_y - 0.03, 0.46, 0.03)
    for x in (c.r(0.49), c.r(0.06)):
        c.rect(P["soot"], x, cot_y, 0.012, 0.1)
    bx = c.r(0.7)
    c.line(P["soot"], (bx, c.top), (bx, 0.16), 0.002)
    c.glow(bx, 0.17, 0.014, P["cream"])
    beam(c, (bx, 0.18), 1.5708, 0.9, 0.5, P["cream"], 50)
    tea_glass(c, c.r(0.16), cot_y - 0.03, 0.05, P["soot"], P["ochre"])


def draw_committee_room(c: Canvas, rng: random.Random) -> None:
    """The house committee's room on the ground floor: a table under red cloth, a bell, a ledger,
    a list of tenants pinned to the wall, a slogan banner, a queue of tenants waiting."""
    c.fill(mix(P["paper"], P["ochre"], 0.2))
    floor(c, 0.82, mix(P["ochre"], P["soot"], 0.45), c.r(0.4), boards=6)
    banner(c, c.r(0.7), 0.04, 0.6, 0.08, P["red"])
    c.letters("ДОМОВЫЙ КОМИТЕТ", c.r(0.68), 0.05, 0.56, 0.05, P["cream"])
    lx, ly = c.r(0.3), 0.2
    c.rect(P["cream"], lx, ly, 0.16, 0.22)
    for k in range(8):
        c.rect(P["soot"], lx + 0.015, ly + 0.02 + k * 0.024, 0.1 + (k * 37 % 4) * 0.008, 0.006)
    c.rect(P["red"], lx + 0.07, ly - 0.01, 0.02, 0.02)
    tx, ty = c.r(0.62), 0.62
    c.poly(P["red"], [(tx, ty), (tx + 0.5, ty), (tx + 0.53, ty + 0.16), (tx - 0.03, ty + 0.16)])
    c.rect(P["deep_red"], tx - 0.03, ty + 0.16, 0.56, 0.02)
    for x in (tx + 0.02, tx + 0.46):
        c.rect(P["soot"], x, ty + 0.18, 0.016, 0.04)
    c.rect(P["soot"], tx + 0.08, ty - 0.012, 0.14, 0.012)  # the ledger
    c.rect(P["cream"], tx + 0.085, ty - 0.02, 0.13, 0.008)
    bell = tx + 0.36
    c.poly(P["ochre"], [(bell - 0.025, ty), (bell + 0.025, ty), (bell + 0.012, ty - 0.04), (bell - 0.012, ty - 0.04)])
    c.rect(P["soot"], bell - 0.003, ty - 0.06, 0.006, 0.02)
    person(c, tx + 0.25, ty + 0.02, 0.2, P["soot"], hat="cap")
    for i in range(3):
        person(c, c.W * 0.42 + i * 0.08, 0.95, 0.24 - i * 0.02, mix(P["soot"], P["grey"], 0.2 + i * 0.1),
               hat=("scarf", "fur", "cap")[i])


def draw_smolny_office(c: Canvas, rng: random.Random) -> None:
    """An office in the Smolny: a tall white window between pilasters, a wide desk with two
    telephones, a portrait, a map of the city with red pins, and a diagonal shaft of light."""
    c.fill(mix(P["paper"], P["cream"], 0.5))
    c.rect(mix(P["deep_red"], P["soot"], 0.2), 0, 0.82, c.W, 0.18)
    wx, wy, ww, wh = c.r(0.4), 0.02, 0.16, 0.6
    for x in (wx - 0.06, wx + ww + 0.02):
        c.rect(mix(P["grey"], P["paper"], 0.3), x, c.top, 0.04, 0.82 - c.top)
    window_pane(c, wx, wy, ww, wh, P["snow"], mix(P["grey"], P["soot"], 0.4))
    diagonal_band(c, P["cream"], (wx + ww / 2, wy + wh), (c.W * 0.45, 1.0), 0.12, 120)
    mx, my = c.r(0.17), 0.14
    c.rect(P["soot"], mx - 0.01, my - 0.01, 0.17, 0.25)
    c.rect(mix(P["slate"], P["paper"], 0.5), mx, my, 0.15, 0.23)
    c.line(P["steel"], (mx, my + 0.12), (mx + 0.15, my + 0.09), 0.01)  # the Neva across the map
    for _ in range(6):
        c.circle(P["red"], mx + rng.uniform(0.02, 0.13), my + rng.uniform(0.03, 0.2), 0.006)
    px, py = c.r(0.64), 0.12
    c.rect(P["soot"], px, py, 0.14, 0.2)
    c.rect(P["grey"], px + 0.012, py + 0.012, 0.116, 0.176)
    c.circle(P["soot"], px + 0.07, py + 0.08, 0.026)
    c.poly(P["soot"], [(px + 0.03, py + 0.188), (px + 0.11, py + 0.188), (px + 0.095, py + 0.12),
                       (px + 0.045, py + 0.12)])
    dx = c.r(0.7)
    c.rect(P["soot"], dx, 0.62, 0.6, 0.04)
    c.rect(P["soot"], dx + 0.03, 0.66, 0.12, 0.18)
    c.rect(P["soot"], dx + 0.45, 0.66, 0.12, 0.18)
    c.rect(P["deep_red"], dx + 0.2, 0.605, 0.2, 0.015)
    for k, hx in enumerate((dx + 0.1, dx + 0.5)):
        tone = P["soot"] if k else mix(P["soot"], P["ochre"], 0.3)
        c.rect(tone, hx - 0.006, 0.56, 0.012, 0.06)
        c.ellipse(tone, hx, 0.617, 0.024, 0.008)
        c.circle(tone, hx, 0.557, 0.011)


def draw_tenement_room(c: Canvas, rng: random.Random) -> None:
    """A room in a railwaymen's tenement: a small window on the yard with a lamp lit across it, a
    stove, bunks, a railway lantern, a map of the line pinned to the wall."""
    c.fill(mix(P["paper"], P["slate"], 0.3))
    floor(c, 0.8, mix(P["soot"], P["grey"], 0.35), c.r(0.35), boards=8)
    wx, wy, ww, wh = c.r(0.42), 0.16, 0.16, 0.24
    window_pane(c, wx, wy, ww, wh, mix(P["night"], P["steel"], 0.2), P["soot"])
    for i in range(3):
        c.lit_rect(P["ochre"], wx + 0.02 + i * 0.045, wy + 0.14, 0.02, 0.03)
    lx, ly = c.r(0.7), 0.24
    c.rect(P["cream"], lx, ly, 0.2, 0.12)
    c.line(P["soot"], (lx + 0.01, ly + 0.1), (lx + 0.19, ly + 0.02), 0.006)  # the line west
    for k in range(5):
        c.rect(P["soot"], lx + 0.02 + k * 0.04, ly + 0.09 - k * 0.017, 0.008, 0.008)
    c.rect(P["red"], lx + 0.185, ly + 0.01, 0.012, 0.012)
    bx = c.r(0.34)
    for y in (0.5, 0.72):
        c.rect(P["soot"], bx, y, 0.3, 0.02)
        c.rect(mix(P["steel"], P["grey"], 0.4), bx, y - 0.03, 0.3, 0.03)
    c.rect(P["soot"], bx, 0.42, 0.014, 0.42)
    c.rect(P["soot"], bx + 0.29, 0.42, 0.014, 0.42)
    sx = c.r(0.52)
    c.rect(P["soot"], sx, 0.6, 0.1, 0.22)
    c.rect(P["red"], sx + 0.02, 0.68, 0.06, 0.03)
    c.line(P["soot"], (sx + 0.05, 0.6), (sx + 0.05, c.top), 0.016)
    lantern = c.r(0.1)
    c.rect(P["soot"], lantern - 0.02, 0.62, 0.04, 0.06)
    c.glow(lantern, 0.65, 0.012, P["ochre"])
    c.line(P["soot"], (lantern - 0.015, 0.62), (lantern, 0.59), 0.003)
    c.line(P["soot"], (lantern + 0.015, 0.62), (lantern, 0.59), 0.003)
    diagonal_band(c, P["deep_red"], (c.W * 0.5, 1.05), (c.r(-0.05), 0.55), 0.03)


PLACE_SCENES = {
    "leo_room": draw_leo_room,
    "andrei_room": draw_andrei_room,
    "committee_room": draw_committee_room,
    "smolny_office": draw_smolny_office,
    "tenement_room": draw_tenement_room,
}
