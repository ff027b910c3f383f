"""Constructivist backgrounds drawn by code: one per place in the story, plus the title.
Any place + "_night" (`street_snow_night`) is that place after dark: the finished picture is
multiplied by a cold blue, then the lamps, lit windows and moon the drawing asked for
(`Canvas.shine`, `Canvas.lamp`, `Canvas.sun`) are drawn bright over it.

Flat blocks of muted red, ochre, soot, steel and paper, bold diagonals and geometric
silhouettes of Petrograd. Each picture is composed as a tall poster in the right third of the
window, beside the reading column, while the left stays quiet: a soft wash of the scene's own
ground colour keeps its contrast low. The high-contrast variant pulls every colour towards
near-black so light text reads on a flat, dark ground.

    background("street_snow", (1280, 720))          # a cached pygame.Surface
    background(None, (800, 600), high_contrast=True)  # the quiet default

Nothing is random between runs (each scene is seeded by its name) and nothing needs a
display. The last few renders are kept in a small LRU cache keyed by (name, size, theme),
so resizing a window does not accumulate surfaces. Do not draw on a returned surface: copy
it first.

Speed (bench/art_figures.py; figures in docs/BENCHMARKS.md): a fresh render at 1280x720 takes
about 3 ms of processor time (7 to 11 ms for the slowest), 15 ms at most at 1920x1080; a cached
lookup well under a microsecond.

Contact sheet of every background, for looking at them:
    python -m game.ui.art.draw --sheet art.png [--cell 480x270] [--high-contrast] [--night]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import random
import zlib
from collections.abc import Callable
from pathlib import Path

import pygame

from game.runtime.scenery import NIGHT, resolve
from game.ui.art.canvas import NIGHT_TINT, PALETTE, Canvas

__all__ = ["NIGHT", "PALETTE", "SCENE_NAMES", "background", "cache_info", "contact_sheet", "image_file", "is_night",
           "resolve", "snows"]

Drawer = Callable[[Canvas, random.Random], None]
# Where each place is drawn, as (module of game.ui.art, function). A module is imported the first
# time one of its places is shown, so the game's first frame (the title) waits only for its own.
DRAWINGS: dict[str, tuple[str, str]] = {
    "title": ("city", "draw_title"), "street_snow": ("city", "draw_street_snow"),
    "embankment": ("city", "draw_embankment"), "station": ("city", "draw_station"),
    "funeral": ("city", "draw_funeral"), "border_night": ("city", "draw_border_night"),
    "institute": ("city", "draw_institute"),
    "dunaev_flat": ("rooms", "draw_apartment"), "party_hall": ("rooms", "draw_party_hall"),
    "gpu_office": ("rooms", "draw_gpu_office"), "sickroom": ("rooms", "draw_sickroom"),
    "train": ("rooms", "draw_train"),
    "leo_room": ("homes", "draw_leo_room"), "andrei_room": ("homes", "draw_andrei_room"),
    "tenement_room": ("homes", "draw_tenement_room"),
    "office": ("places", "draw_office"), "platform": ("places", "draw_platform"),
    "market": ("places", "draw_market"), "harbour": ("places", "draw_harbour"),
}
DEFAULT = ("rooms", "draw_default")  # the quiet page, for a name that is no place
SCENE_NAMES: tuple[str, ...] = tuple(sorted(DRAWINGS))
CACHE_SIZE = 4  # the scene, the one before, and both themes of one: a 1080p picture is 8 MB

# The calm area: fully veiled left of VEIL_FULL (fraction of the width), clear right of VEIL_CLEAR,
# where the window's reading column ends and the picture shows.
VEIL_FULL, VEIL_CLEAR = 0.5, 0.66
HC_VEIL = 200


def is_night(name: str) -> bool:
    """Whether a drawable background name shows the place at night."""
    return name.endswith(NIGHT)


def background(name: str | None, size: tuple[int, int], high_contrast: bool = False,
               winter: bool = True) -> pygame.Surface:
    """The background for a scene's `background:` name at this window size.

    ``winter`` False (a scene dated from April to October, see game.runtime.scenery.winter) draws
    the place with no snow: cobbles, open water, a bare field. Unknown names (and None, or a file
    path) get the quiet default; the window draws files itself.
    """
    width, height = (int(v) for v in size)
    if width < 1 or height < 1:
        raise ValueError(f"background size must be at least 1x1 pixels, got {size!r}")
    return _render(resolve(name) or "default", width, height, bool(high_contrast), bool(winter))


def snows(name: str | None, winter: bool = True) -> bool:
    """Whether the picture for ``name`` shows any snow in this season (drawn small, not kept)."""
    return _paint(pygame.Surface((64, 36)), resolve(name) or "default", False, winter).snowed


def image_file(name: str | None, size: tuple[int, int], high_contrast: bool = False, kind: str = "jpg",
               winter: bool = True) -> bytes:
    """A background encoded as an image file ("jpg" or "png"), for front ends that send pictures
    rather than draw them (the browser edition); ``winter`` as for :func:`background`."""
    out = io.BytesIO()
    pygame.image.save(background(name, size, high_contrast, winter), out, f"picture.{kind}")
    return out.getvalue()


def cache_info() -> functools._CacheInfo:
    """How many rendered backgrounds are held (bounded by CACHE_SIZE)."""
    return _render.cache_info()


@functools.lru_cache(maxsize=CACHE_SIZE)
def _render(name: str, width: int, height: int, high_contrast: bool, winter: bool = True) -> pygame.Surface:
    surface = pygame.Surface((width, height))
    canvas = _paint(surface, name, high_contrast, winter)
    strength = max(canvas.veil, HC_VEIL) if high_contrast else canvas.veil
    if strength:
        surface.blit(_veil((width, height), canvas.ground, strength), (0, 0))
    if not high_contrast:
        _grain(surface)
    return surface


def _paint(surface: pygame.Surface, name: str, high_contrast: bool, winter: bool) -> Canvas:
    """Draw the place (by night when the name says so) on ``surface``; the canvas tells what was drawn."""
    canvas = Canvas(surface, high_contrast)
    canvas.winter = winter
    place = name if name in DRAWINGS else name.removesuffix(NIGHT)
    canvas.night = place != name
    drawer(place)(canvas, random.Random(zlib.crc32(place.encode())))
    if canvas.night:
        surface.fill(NIGHT_TINT, special_flags=pygame.BLEND_RGB_MULT)
        canvas.ground = tuple(g * t // 255 for g, t in zip(canvas.ground, NIGHT_TINT, strict=False))
        for light in canvas.lights:
            light()
    return canvas


@functools.cache
def drawer(place: str) -> Drawer:
    """The function that draws ``place`` (the quiet page for an unknown one), its module imported now."""
    module, function = DRAWINGS.get(place, DEFAULT)
    drawing: Drawer = getattr(importlib.import_module(f"game.ui.art.{module}"), function)
    return drawing


def _veil(size: tuple[int, int], colour: tuple[int, ...], top: int) -> pygame.Surface:
    """A soft wash of the scene's ground colour over the text side, for this window size."""
    return pygame.transform.smoothscale(_veil_cells(tuple(colour[:3]), top), size)


@functools.lru_cache(maxsize=32)
def _veil_cells(colour: tuple[int, ...], top: int) -> pygame.Surface:
    """The wash drawn small (64x36 cells), to be enlarged smoothly to any window."""
    cols, rows = 64, 36
    small = pygame.Surface((cols, rows), pygame.SRCALPHA)
    for x in range(cols):
        fx = (x + 0.5) / cols
        across = 1.0 if fx <= VEIL_FULL else max(0.0, 1 - (fx - VEIL_FULL) / (VEIL_CLEAR - VEIL_FULL))
        across = across * across * (3 - 2 * across)
        for y in range(rows):
            fy = (y + 0.5) / rows
            down = min(1.0, fy / 0.08, (1 - fy) / 0.12)
            small.set_at((x, y), (*colour, round(top * across * (0.55 + 0.45 * down))))
    return small


@functools.cache
def _grain_tile() -> pygame.Surface:
    """A 256-pixel tile of faint paper grain, the same in every run."""
    side = 256
    rng = random.Random(1922)
    table = bytes(min(9, (b * b) >> 12) for b in range(256))
    grey = pygame.image.frombytes(rng.randbytes(side * side).translate(table), (side, side), "P")
    grey.set_palette([(v, v, v) for v in range(256)])
    tile = pygame.Surface((side, side), 0, 32)
    tile.blit(grey, (0, 0))
    return tile


def _grain(surface: pygame.Surface) -> None:
    tile = _grain_tile()
    step = tile.get_width()
    for x in range(0, surface.get_width(), step):
        for y in range(0, surface.get_height(), step):
            surface.blit(tile, (x, y), special_flags=pygame.BLEND_RGB_SUB)


def contact_sheet(cell: tuple[int, int] = (480, 270), high_contrast: bool = False,
                  night: bool = False) -> pygame.Surface:
    """Every background side by side with its name (or every place at night), to judge them together."""
    pygame.font.init()
    font = pygame.font.Font(None, 22)
    names = tuple(n + NIGHT for n in SCENE_NAMES if not is_night(n)) if night else (*SCENE_NAMES, "default")
    cols = 4
    rows = -(-len(names) // cols)
    pad, label = 12, 24
    sheet = pygame.Surface((cols * (cell[0] + pad) + pad, rows * (cell[1] + pad + label) + pad))
    sheet.fill((70, 68, 66))
    for i, name in enumerate(names):
        x = pad + (i % cols) * (cell[0] + pad)
        y = pad + (i // cols) * (cell[1] + pad + label)
        sheet.blit(background(name, cell, high_contrast), (x, y))
        sheet.blit(font.render(name, True, (235, 230, 220)), (x, y + cell[1] + 5))
    return sheet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render every background to one PNG.")
    parser.add_argument("--sheet", type=Path, required=True, help="where to write the contact sheet PNG")
    parser.add_argument("--cell", default="480x270", help="size of each background, WIDTHxHEIGHT")
    parser.add_argument("--high-contrast", action="store_true", help="the high-contrast variant")
    parser.add_argument("--night", action="store_true", help="every place's night variant")
    args = parser.parse_args(argv)
    try:
        cell = tuple(int(v) for v in args.cell.lower().split("x"))
        if len(cell) != 2 or min(cell) < 1:
            raise ValueError
    except ValueError:
        parser.error(f"--cell must look like 480x270, got {args.cell!r}")
    pygame.image.save(contact_sheet(cell, args.high_contrast, args.night), str(args.sheet))
    print(f"wrote {args.sheet}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
