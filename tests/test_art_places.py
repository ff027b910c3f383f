"""Each scene of the shipped story shows its own place: its `background:` is checked against
the `location:` beside it, and a scene whose header says "night" shows a night variant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from game.loader.story import load_story
from game.ui.art.draw import NIGHT, is_night, resolve

SHIPPED = Path(__file__).resolve().parent.parent / "story" / "we_the_living"

# Words of a location, and the pictures that may show it. The first rule whose words occur in the
# location (lower case) decides, so the narrow places come before the broad ones.
PLACES: tuple[tuple[str, frozenset[str]], ...] = tuple((words, frozenset(allowed.split())) for words, allowed in (
    ("room at the top of the house", "leo_room"),
    ("leo's room", "leo_room"),
    ("andrei", "andrei_room"),
    ("dunaev", "dunaev_flat"),
    ("victor", "dunaev_flat"),
    ("tenement", "tenement_room"),
    ("platform", "platform"),
    ("siding", "platform"),
    ("toward the latvian border", "train"),
    ("station", "station"),
    ("gorokhovaya", "gpu_office"),
    ("great hall", "party_hall"),
    ("committee room", "office"),
    ("smolny", "office"),
    ("commission", "office party_hall"),
    ("administration", "office"),
    ("trust", "office"),
    ("embankment", "embankment"),
    ("bridge", "embankment"),
    ("port", "harbour"),
    ("garden", "embankment"),
    ("university", "institute"),
    ("office", "office"),
    ("steps", "street_snow"),
    ("institute", "institute"),
    ("corridor", "institute"),
    ("meeting", "party_hall"),
    ("komsomol", "party_hall"),
    ("party club", "party_hall"),
    ("market", "market"),
    ("shop", "market"),
    ("store", "market"),
    ("restaurant", "market"),
    ("courtyard", "market"),
    ("border", "border_night"),
    ("frontier", "border_night"),
    ("yenisei", "border_night"),
    ("monastery", "funeral"),
    ("labour exchange", "street_snow"),
    ("street", "street_snow"),
    ("leningrad", "street_snow party_hall"),
))
NIGHT_WORD = re.compile(r"\b(night|midnight)\b", re.IGNORECASE)


@dataclass
class Header:
    """What a scene's header shows: enough of a scene to judge its picture."""

    id: str
    title: str
    date: str
    location: str
    background: str


def wrong_place(scene: Header) -> str | None:
    """Why this scene's background does not show its location, or None when it does."""
    drawn = resolve(scene.background)
    if drawn is None:
        return f"{scene.id}: background {scene.background!r} is not a drawn place"
    place = drawn if drawn == "border_night" else drawn.removesuffix(NIGHT)
    where = scene.location.lower()
    rule = next(((words, allowed) for words, allowed in PLACES if words in where), None)
    if rule is None:
        return f"{scene.id}: no rule knows the location {scene.location!r}; add one to PLACES"
    if place not in rule[1]:
        return (f"{scene.id}: {scene.location!r} ({rule[0]!r}) shows {scene.background!r}; "
                f"expected one of {sorted(rule[1])}")
    header = " ".join((scene.title, scene.date, scene.location))
    if NIGHT_WORD.search(header) and not is_night(drawn):
        return f"{scene.id}: the header says night but {scene.background!r} is a daytime picture"
    return None


def story_headers() -> list[Header]:
    story = load_story(SHIPPED)
    return [Header(s.id, s.title, s.date, s.location, s.background) for s in story.scenes.values()
            if s.location or s.background]


def test_every_scene_of_the_story_shows_its_own_place():
    headers = story_headers()
    assert len(headers) > 60  # the whole story was read, not an empty folder
    problems = [p for p in map(wrong_place, headers) if p]
    assert problems == []


def test_the_scenes_the_review_found_wrong_now_show_their_place():
    by_id = {h.id: h for h in story_headers()}
    assert resolve(by_id["leo_departs"].background).startswith("platform")
    assert by_id["commissar_appeal"].background == "office"
    assert resolve(by_id["border_plan"].background).startswith("tenement_room")
    rooms = {by_id[i].background.removesuffix(NIGHT) for i in ("leo_room_vow", "andrei_room", "victor_price",
                                                                  "house_committee")}
    assert len(rooms) == 4


@pytest.mark.parametrize(("location", "background", "complaint"), [
    ("A railway platform, Leningrad", "train", "expected one of ['platform']"),
    ("An office in the Smolny", "party_hall", "expected one of ['office']"),
    ("A room in a railwaymen's tenement", "street_snow", "expected one of ['tenement_room']"),
    ("Andrei Taganov's room", "dunaev_flat", "expected one of ['andrei_room']"),
    ("The Liteiny Bridge at night", "embankment", "the header says night"),
    ("A lighthouse", "embankment", "no rule knows"),
    ("Leo's room", "leo_rooom", "not a drawn place"),
])
def test_a_scene_showing_the_wrong_place_is_caught(location, background, complaint):
    problem = wrong_place(Header("x", "A scene", "1924", location, background))
    assert problem is not None and complaint in problem


def test_night_in_the_title_or_date_asks_for_a_night_picture_too():
    assert "night" in wrong_place(Header("x", "The Night They Came", "May 1926", "The Dunaevs' flat", "dunaev_flat"))
    assert wrong_place(Header("x", "The Night They Came", "May 1926", "The Dunaevs' flat", "dunaev_flat_night")) is None
    assert wrong_place(Header("x", "Knightly", "1926", "Leo's room", "leo_room")) is None


def test_the_places_the_linter_knows_are_the_places_drawn():
    from game.runtime.scenery import PLACES
    from game.ui.art.draw import SCENE_NAMES

    assert set(PLACES) == set(SCENE_NAMES)


def test_snow_falls_only_on_the_scenes_dated_in_petrograds_winter():
    from game.runtime.scenery import winter
    from game.ui.art.draw import snows

    story = load_story(SHIPPED)
    summer, winter_scenes, thawed = [], [], []
    for scene in story.scenes.values():
        season = winter(scene.date)
        if not scene.background or season is None:
            continue
        shown = snows(scene.background, season)
        if season:
            winter_scenes.append((scene.id, shown))
        else:
            summer.append(f"{scene.id} ({scene.date}, {scene.background})" if shown else "")
            thawed.append(snows(scene.background, True))
    assert [s for s in summer if s] == []  # no snow from April to October
    assert len(summer) > 20 and len(winter_scenes) > 20  # the whole story was read, in both seasons
    assert sum(thawed) >= 8  # the summer scenes include places that are snowy in winter: the season changed them
    assert all(shown for scene_id, shown in winter_scenes
               if story.scenes[scene_id].background.removesuffix(NIGHT) in ("street_snow", "embankment", "funeral"))


@pytest.mark.parametrize("name", ["street_snow", "embankment_night", "market", "platform", "train", "tenement_room",
                                  "funeral", "border_night"])
def test_each_snowy_place_has_a_picture_without_snow(name):
    import pygame

    from game.ui.art.draw import background, snows

    assert snows(name, True) and not snows(name, False)
    winter_picture = background(name, (320, 180), winter=True)
    summer_picture = background(name, (320, 180), winter=False)
    assert pygame.image.tobytes(winter_picture, "RGB") != pygame.image.tobytes(summer_picture, "RGB")


def test_the_window_draws_each_scene_in_the_season_of_its_date(headless_window):
    from game.ui.art.draw import background
    from game.ui.window.theme import PAPER
    from game.ui.window.widgets import background as window_background

    size = (320, 180)
    assert window_background("street_snow", size, PAPER, "July 1926") is background("street_snow", size, False, False)
    assert window_background("street_snow", size, PAPER, "December 1926") is background("street_snow", size)
    assert window_background("street_snow", size, PAPER, "1927") is background("street_snow", size)  # as drawn
