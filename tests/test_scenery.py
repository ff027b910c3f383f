"""The season of a scene's date, and the background names a story may give."""

from __future__ import annotations

import pytest

from game.runtime.scenery import PLACES, known_names, resolve, winter


@pytest.mark.parametrize(("date", "snow"), [
    ("December 1926", True), ("January 1924", True), ("February 1923", True), ("March 1922", True),
    ("November 1922", True), ("Winter 1925", True), ("a night in december", True),
    ("April 1924", False), ("Summer 1923", False), ("July 1926", False), ("October 1926", False),
    ("Spring 1922", False), ("Autumn 1925", False), ("September 1922", False),
])
def test_a_date_says_whether_snow_lies(date, snow):
    assert winter(date) is snow


@pytest.mark.parametrize("date", ["", "1927", "The year after", "Mayday"])
def test_a_date_with_no_month_or_season_says_nothing(date):
    assert winter(date) is None


def test_names_resolve_to_places_their_night_and_older_aliases():
    assert resolve("street_snow") == "street_snow"
    assert resolve("street_snow_night") == "street_snow_night"
    assert resolve("apartment") == "dunaev_flat"
    assert resolve("apartment_night") == "dunaev_flat_night"
    assert resolve("stret_snow") is None and resolve("scenes/room.png") is None and resolve(None) is None
    names = known_names()
    assert set(PLACES) <= set(names) and "leo_room_night" in names and "apartment" in names
