"""The generated backgrounds: every place renders at any size, the same way every time, with a
calm side for the text, a dark high-contrast variant, and a bounded cache."""

from __future__ import annotations

import random
import statistics

import pygame
import pytest

from game.ui.art import draw as art
from game.ui.art.draw import NIGHT, SCENE_NAMES, background, is_night, resolve

STORY_NAMES = ("andrei_room", "border_night", "dunaev_flat", "embankment", "funeral", "gpu_office", "harbour",
               "institute", "leo_room", "market", "office", "party_hall", "platform", "sickroom", "station",
               "street_snow", "tenement_room", "train")
NIGHTS = tuple(name + NIGHT for name in STORY_NAMES if not is_night(name))
SIZES = ((1280, 720), (800, 600), (1920, 1080), (640, 360), (37, 21))


def luma(surface: pygame.Surface, x: int, y: int) -> float:
    r, g, b, _ = surface.get_at((x, y))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def luminance(surface: pygame.Surface, box: tuple[float, float, float, float], step: int = 4) -> list[float]:
    """Luma samples over box = fractions (x0, y0, x1, y1) of the surface."""
    w, h = surface.get_size()
    x0, y0, x1, y1 = int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)
    return [luma(surface, x, y) for x in range(x0, x1, step) for y in range(y0, y1, step)]


def busyness(surface: pygame.Surface, box: tuple[float, float, float, float]) -> float:
    """How much the picture changes from point to point over box, at a quarter of its size (so the
    paper grain averages out and only shapes count): the mean luma step to the right and down."""
    w, h = surface.get_size()
    small = pygame.transform.smoothscale(surface, (w // 4, h // 4))
    w, h = small.get_size()
    x0, y0, x1, y1 = int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)
    steps = [abs(luma(small, x, y) - luma(small, x + 1, y)) + abs(luma(small, x, y) - luma(small, x, y + 1))
             for x in range(x0, x1 - 1) for y in range(y0, y1 - 1)]
    return statistics.mean(steps)


def pixels(surface: pygame.Surface) -> bytes:
    return pygame.image.tobytes(surface, "RGB")


def test_every_place_and_the_title_has_its_own_drawing():
    assert set(STORY_NAMES) | {"title"} == set(SCENE_NAMES)


@pytest.mark.parametrize("size", SIZES)
def test_every_name_renders_at_the_size_asked(size):
    for name in (*SCENE_NAMES, *NIGHTS, None, "default"):
        for high_contrast in (False, True):
            surface = background(name, size, high_contrast)
            assert isinstance(surface, pygame.Surface)
            assert surface.get_size() == size


def test_the_drawings_are_all_different():
    seen = {pixels(background(name, (320, 180))) for name in (*SCENE_NAMES, *NIGHTS, None)}
    assert len(seen) == len(SCENE_NAMES) + len(NIGHTS) + 1


def test_a_place_name_with_night_after_it_is_that_place_after_dark():
    assert resolve("street_snow_night") == "street_snow_night"
    assert resolve("border_night") == "border_night"  # a place drawn at night only
    assert resolve("apartment") == "dunaev_flat"  # the old name of the Dunaevs' flat still draws it
    assert resolve("apartment_night") == "dunaev_flat_night"
    for name in ("nowhere_night", "_night", "street_snow_night_night", "images/x.png", None, 3):
        assert resolve(name) is None, name


@pytest.mark.parametrize("name", [n for n in STORY_NAMES if not is_night(n)])
def test_the_night_variant_is_dark_with_its_lights_still_bright(name):
    day, night = background(name, (480, 270)), background(name + NIGHT, (480, 270))
    assert statistics.mean(luminance(night, (0, 0, 1, 1))) < 0.6 * statistics.mean(luminance(day, (0, 0, 1, 1)))
    assert statistics.mean(luminance(night, (0, 0, 1, 1))) < 90


@pytest.mark.parametrize("name", ["street_snow", "embankment", "platform", "leo_room", "market", "dunaev_flat",
                                  "andrei_room", "tenement_room", "office"])
def test_lamps_and_windows_shine_at_night(name):
    night = background(name + NIGHT, (480, 270))
    bright = [v for v in luminance(night, PICTURE_SIDE, step=2) if v > 150]
    assert len(bright) >= 3, f"nothing is lit in {name} at night"


@pytest.mark.parametrize(("name", "centre"), [("embankment", (0.3, 0.24)), ("institute", (0.58, 0.3))])
def test_no_red_sun_in_the_night_sky(name, centre):
    """The sun disc sits centre = (units from the right edge, height) in the day picture."""
    width, height = 1280, 720
    x, y = width - round(centre[0] * height), round(centre[1] * height)
    r, g, b, _ = background(name, (width, height)).get_at((x, y))
    assert r > g + 40, "the test looks where the sun is drawn by day"
    r, g, b, _ = background(name + NIGHT, (width, height)).get_at((x, y))
    assert r < g + 15, f"a red sun in the night sky of {name}: {(r, g, b)}"


def test_the_same_pixels_every_time_whatever_the_global_random_state():
    first = {name: pixels(background(name, (480, 270))) for name in (*SCENE_NAMES, *NIGHTS)}
    art._render.cache_clear()
    random.seed(12345)
    for name in first:
        assert pixels(background(name, (480, 270))) == first[name], name


def test_a_cached_background_is_the_same_surface_and_the_cache_stays_small():
    assert background("station", (500, 300)) is background("station", (500, 300))
    for width in range(300, 300 + 20 * art.CACHE_SIZE, 20):
        background("train", (width, 200))
    info = art.cache_info()
    assert info.maxsize == art.CACHE_SIZE
    assert info.currsize <= art.CACHE_SIZE


@pytest.mark.parametrize("name", [None, "", "nowhere", "images/street.png", "Street_Snow", 42])
def test_unknown_names_fall_back_to_the_quiet_default(name):
    assert pixels(background(name, (320, 180))) == pixels(background(None, (320, 180)))


def test_the_high_contrast_variant_differs_and_is_dark_and_flat():
    for name in (*SCENE_NAMES, None):
        normal, dark = background(name, (320, 180)), background(name, (320, 180), high_contrast=True)
        assert pixels(normal) != pixels(dark)
        dark_luma = luminance(dark, (0, 0, 1, 1))
        assert max(dark_luma) < 110, name
        assert statistics.mean(dark_luma) < 45, name
        assert statistics.mean(luminance(normal, (0, 0, 1, 1))) > statistics.mean(dark_luma) + 60, name


TEXT_SIDE = (0.04, 0.08, 0.5, 0.92)  # under and beside the window's reading column
PICTURE_SIDE = (0.66, 0.0, 1.0, 1.0)  # what shows to its right


@pytest.mark.parametrize("size", [(480, 270), (400, 300)])
@pytest.mark.parametrize("name", [*STORY_NAMES, *NIGHTS, None])
def test_the_text_side_is_calm_and_the_picture_is_on_the_right(name, size):
    surface = background(name, size)
    calm, picture = busyness(surface, TEXT_SIDE), busyness(surface, PICTURE_SIDE)
    assert calm < 6, f"the text side of {name} is busy ({calm:.1f})"
    assert picture > 2.5 * calm, f"{name} has no picture beside the text ({picture:.1f} against {calm:.1f})"
    assert busyness(background(name, size, high_contrast=True), TEXT_SIDE) < 0.5


@pytest.mark.parametrize("size", [(0, 720), (1280, -1)])
def test_an_empty_size_is_refused_with_a_clear_message(size):
    with pytest.raises(ValueError, match="at least 1x1"):
        background("train", size)


def test_the_contact_sheet_command_writes_one_png_of_every_background(tmp_path, capsys):
    out = tmp_path / "sheet.png"
    assert art.main(["--sheet", str(out), "--cell", "96x54"]) == 0
    sheet = pygame.image.load(str(out))
    assert sheet.get_width() > 4 * 96 and sheet.get_height() > 4 * 54
    assert "wrote" in capsys.readouterr().out
