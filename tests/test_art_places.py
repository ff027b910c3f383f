"""Each scene's picture is the place its text names, at the time of day it names.

The rules read a scene's location, title and first sentence as a reader would: a named person's room gets that room,
a platform the station, a night scene a night picture (no sun; darker than its day). A scene whose
location no rule covers may show any picture."""

from __future__ import annotations

import re

import pygame
import pytest
from conftest import SHIPPED

from game.loader.story import load_story
from game.ui.art.draw import NIGHT, NIGHT_PLACES, SCENE_NAMES, background

# (pattern over "location | title", the picture it must show)
RULES = [
    (r"Leo's room|room at the top of the house", "leo_room"),
    (r"Andrei('s| Taganov's) room", "andrei_room"),
    (r"committee room", "committee_room"),
    (r"Smolny", "smolny_office"),
    (r"tenement", "tenement_room"),
    (r"railway platform|Station\b", "station"),
    (r"Dunaevs' flat", "apartment"),
    (r"GPU headquarters", "gpu_office"),
    (r"Embankment|Bridge|on the Neva", "embankment"),
]
NIGHT_WORDS = re.compile(r"\b(at night|by night|Night|after dark)\b|A Stranger by the Canal|Leo's Friends")


def opening(scene) -> str:
    """The first sentence of the scene's text, where it says when it happens ("after dark")."""
    if not scene.paragraphs:
        return ""
    parts = scene.paragraphs[0].text.parts
    return "".join(part for part in parts if isinstance(part, str)).split(". ")[0]


@pytest.fixture(scope="module")
def story():
    return load_story(SHIPPED)


def expected(scene) -> str | None:
    """The picture a scene must show by its location and title, or None when no rule applies."""
    text = f"{scene.location} | {scene.title}"
    place = next((picture for pattern, picture in RULES if re.search(pattern, text)), None)
    night = bool(NIGHT_WORDS.search(f"{text} | {opening(scene)}"))
    if place is not None and night and place in NIGHT_PLACES:
        return place + NIGHT
    if place is None and night and scene.background and scene.background.removesuffix(NIGHT) in NIGHT_PLACES:
        return scene.background.removesuffix(NIGHT) + NIGHT
    return place


def test_every_scene_shows_the_place_its_location_names(story):
    wrong = []
    checked = 0
    for scene in story.scenes.values():
        if scene.is_router:
            continue
        want = expected(scene)
        if want is None:
            continue
        checked += 1
        if scene.background != want:
            wrong.append(f"{scene.id} ({scene.location!r}, {scene.title!r}): shows {scene.background}, "
                         f"its place is {want}")
    assert not wrong, "\n".join(wrong)
    assert checked >= 35  # the rules cover most of the story, not a handful


def test_no_more_than_a_few_scenes_of_the_novels_path_share_one_room(story):
    from game.runtime.playthrough import Playthrough

    play = Playthrough(story, clock=False)
    shown = []
    while not play.is_over:
        shown.append(play.scene.background)
        play.choose(next(i for i, view in enumerate(play.choices()) if view.novel))
    assert max(shown.count(name) for name in set(shown)) <= 8, sorted(shown)


def mean_luma(surface: pygame.Surface, box: tuple[float, float, float, float]) -> float:
    w, h = surface.get_size()
    small = pygame.transform.smoothscale(surface, (64, 36))
    x0, y0, x1, y1 = int(box[0] * 64), int(box[1] * 36), int(box[2] * 64), int(box[3] * 36)
    values = [0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b
              for c in (small.get_at((x, y)) for x in range(x0, x1) for y in range(y0, y1))]
    return sum(values) / len(values)


@pytest.mark.parametrize("place", NIGHT_PLACES)
def test_a_night_picture_is_darker_than_its_day_and_has_no_red_sun(headless_window, place):
    pygame.display.init()
    day = background(place, (640, 360))
    night = background(place + NIGHT, (640, 360))
    assert place + NIGHT in SCENE_NAMES
    assert mean_luma(night, (0.66, 0, 1, 1)) < 0.7 * mean_luma(day, (0.66, 0, 1, 1))
    small = pygame.transform.smoothscale(night, (64, 36))
    reds = [c for c in (small.get_at((x, y)) for x in range(42, 64) for y in range(0, 18))
            if c.r > 150 and c.r > c.g * 1.6]
    assert not reds, f"{place} at night still has a red sun in its sky"
