"""What a scene's header asks of its picture: the places a `background:` may name, and the season of its date.

The pictures themselves are drawn by the window (game/ui/art/); the names live here so that the
linter can warn about a misspelt one without importing any drawing code, and the season rule
(snow only in Petrograd's winter) is one function every front end and test shares.
"""

from __future__ import annotations

import re

# Every place the art draws (tests/test_art_places.py checks this list against the drawings).
PLACES: tuple[str, ...] = (
    "andrei_room", "border_night", "dunaev_flat", "embankment", "funeral", "gpu_office", "harbour", "institute",
    "leo_room", "market", "office", "party_hall", "platform", "sickroom", "station", "street_snow",
    "tenement_room", "title", "train",
)
NIGHT = "_night"  # `street_snow_night`: the place after dark
ALIASES = {"apartment": "dunaev_flat"}  # older names still drawn, for stories written before

# Snow lies in Petrograd from about November to March; a date naming a month or a season says which.
WINTER_MONTHS = frozenset({11, 12, 1, 2, 3})
MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
SEASONS = {"winter": True, "spring": False, "summer": False, "autumn": False, "fall": False}
_WORD = re.compile(r"[a-z]+")


def resolve(name: object) -> str | None:
    """The drawable name a `background:` value stands for (a place, or a place + "_night"),
    or None when it names no drawing (a file, a typo)."""
    if not isinstance(name, str):
        return None
    name = ALIASES.get(name, name)
    if name in PLACES:
        return name
    base = name.removesuffix(NIGHT)
    base = ALIASES.get(base, base)
    return base + NIGHT if base != name and base in PLACES else None


def known_names() -> list[str]:
    """Every name a `background:` may give, for messages: the places, their night variants, and the aliases."""
    nights = [p + NIGHT for p in PLACES if not p.endswith(NIGHT)]
    return sorted({*PLACES, *nights, *ALIASES})


def winter(date: str) -> bool | None:
    """Whether a scene dated ``date`` ("December 1922", "Summer 1923") falls when snow lies in Petrograd.

    None when the date names neither a month nor a season ("1927", or nothing): the picture is left as drawn.
    """
    for word in _WORD.findall(date.lower()):
        if word in MONTHS:
            return MONTHS[word] in WINTER_MONTHS
        if word in SEASONS:
            return SEASONS[word]
    return None
