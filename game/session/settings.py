"""The player's settings, kept between runs in the platform's config folder.

Both front ends may read them; the game window changes them. The file is
small JSON written atomically. A damaged or hand-edited file never stops
the game: every value that is missing or not one of the allowed choices
falls back to its default.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from game.atomic import write_atomic
from game.loader.files import read_small_json

TEXT_SIZES = ("small", "medium", "large", "largest")
TEXT_SPEEDS = ("slow", "normal", "fast", "instant")
UI_SCALES = ("90%", "100%", "125%", "150%")
# The reading typeface: PT Serif, PT Sans, or OpenDyslexic (heavier bottoms, for some readers with dyslexia).
FONTS = ("serif", "sans", "dyslexic")
# Room between lines of reading text: "wide" adds a little under a third, which some readers need.
LINE_SPACINGS = ("normal", "wide")
LINE_SPACING = {"normal": 1.0, "wide": 1.3}
# Room between letters of reading text, in ems: wider spacing helps some readers (with dyslexia, or low vision).
LETTER_SPACINGS = ("normal", "wide", "wider")
LETTER_SPACING = {"normal": 0.0, "wide": 0.05, "wider": 0.12}

# Characters revealed per second by the typewriter effect (None: all at once).
CHARS_PER_SECOND: dict[str, float | None] = {"slow": 30.0, "normal": 60.0, "fast": 140.0, "instant": None}

CHOICES: dict[str, tuple[object, ...]] = {
    "text_size": TEXT_SIZES,
    "text_speed": TEXT_SPEEDS,
    "ui_scale": UI_SCALES,
    "high_contrast": (False, True),
    "fullscreen": (False, True),
    "font": FONTS,
    "line_spacing": LINE_SPACINGS,
    "letter_spacing": LETTER_SPACINGS,
    "self_voicing": (False, True),
}


class Settings(NamedTuple):
    """How the player likes to read (size, speed, contrast, scale, font, spacing, reading aloud), kept for next time.

    A named tuple rather than a dataclass: the window reads the settings for its first frame, and a named
    tuple is defined in a fraction of the time."""

    text_size: str = "medium"
    text_speed: str = "instant"  # the typewriter is off until a player turns it on
    high_contrast: bool = False
    fullscreen: bool = False
    ui_scale: str = "100%"
    font: str = "serif"
    line_spacing: str = "normal"
    letter_spacing: str = "normal"
    self_voicing: bool = False  # read the screen aloud (the V key toggles it)

    @property
    def scale(self) -> float:
        return int(self.ui_scale.rstrip("%")) / 100

    @property
    def spacing(self) -> float:
        """Line height of reading text as a multiple of the normal."""
        return LINE_SPACING[self.line_spacing]

    @property
    def tracking(self) -> float:
        """Extra room after each letter of reading text, as a fraction of the type's size."""
        return LETTER_SPACING[self.letter_spacing]

    @property
    def chars_per_second(self) -> float | None:
        return CHARS_PER_SECOND[self.text_speed]

    def cycled(self, name: str, step: int = 1) -> Settings:
        """A copy with ``name`` moved ``step`` places through its choices (wrapping round)."""
        options = CHOICES[name]
        position = options.index(getattr(self, name))
        changes: dict[str, Any] = {name: options[(position + step) % len(options)]}
        return self._replace(**changes)


def settings_path() -> Path:
    override = os.environ.get("KIRA_CONFIG_DIR")
    if override:
        return Path(override) / "settings.json"
    import platformdirs

    return Path(platformdirs.user_config_dir("we-the-living", appauthor=False)) / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults for anything missing or unreadable."""
    path = path or settings_path()
    try:
        data = read_small_json(path)
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    values: dict[str, Any] = {}
    for name, default in Settings._field_defaults.items():
        value = data.get(name)
        if value in CHOICES[name] and type(value) is type(default):
            values[name] = value
    return Settings(**values)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    write_atomic(path or settings_path(), json.dumps(settings._asdict(), indent=1))
