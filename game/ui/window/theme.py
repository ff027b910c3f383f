"""Colours, typefaces and sizes of the game window.

Two themes: "paper" (cream pages and soot-black ink with a Constructivist
red, laid over the painted backgrounds) and a high-contrast one (white on
black, yellow focus). Every size is derived from the window size, the UI
scale and the text-size setting, so layouts stay proportional when the
window is resized.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pygame

from game.session.settings import Settings

RGB = tuple[int, int, int]

FONT_DIR = Path(__file__).resolve().parents[3] / "assets" / "fonts"
# Each typeface setting names a regular and an italic file (see assets/fonts/ for their licences).
FAMILIES = {
    "serif": {"serif": "PTSerif-Regular.ttf", "italic": "PTSerif-Italic.ttf"},
    "sans": {"serif": "PTSans-Regular.ttf", "italic": "PTSans-Italic.ttf"},
    "dyslexic": {"serif": "OpenDyslexic-Regular.otf", "italic": "OpenDyslexic-Italic.otf"},
}
FACES = FAMILIES["serif"]
BASE_SIZE = (1280, 720)
BODY_PX = {"small": 17, "medium": 19, "large": 22, "largest": 26}
# The interface scale enlarges everything only as far as the window's height leaves this many
# 1280x720-pixels of room: every screen is laid out to fit it (1280x720 at 125 % or 150 % gets about 129 %).
MIN_DESIGN_HEIGHT = 560


class Theme(NamedTuple):
    """A palette. Theme and Metrics are named tuples, not dataclasses: both are defined on the way to the
    first frame, and a named tuple is defined in a fraction of the time."""

    name: str
    paper: RGB  # the reading column and cards
    paper_alpha: int  # how much of the background shows through the column
    ink: RGB  # body text
    soft: RGB  # places, dates, hints
    accent: RGB  # chapter labels, focus, the player's path
    accent2: RGB  # the novel's path, highlights
    rule: RGB  # thin decorative lines
    outline: RGB  # the borders of things to press (at least 3:1 against the paper)
    hover: RGB  # a card under the mouse or keyboard focus
    disabled: RGB  # greyed choices, locked shapes
    backdrop: RGB  # behind everything when a background is missing
    shade: tuple[int, int, int, int]  # dims the screen under a menu
    high_contrast: bool = False


PAPER = Theme(
    name="paper", paper=(240, 233, 217), paper_alpha=255, ink=(33, 29, 27), soft=(92, 80, 70),
    accent=(160, 40, 30), accent2=(128, 86, 20), rule=(206, 192, 170), outline=(130, 116, 100),
    hover=(229, 217, 195), disabled=(100, 91, 82), backdrop=(62, 66, 72), shade=(20, 18, 16, 150),
)
HIGH_CONTRAST = Theme(
    name="high contrast", paper=(0, 0, 0), paper_alpha=255, ink=(255, 255, 255), soft=(225, 225, 225),
    accent=(255, 214, 0), accent2=(90, 210, 255), rule=(190, 190, 190), outline=(190, 190, 190), hover=(48, 48, 48),
    disabled=(170, 170, 170), backdrop=(0, 0, 0), shade=(0, 0, 0, 200), high_contrast=True,
)


def theme_for(settings: Settings) -> Theme:
    return HIGH_CONTRAST if settings.high_contrast else PAPER


class Metrics(NamedTuple):
    """Sizes in pixels for the current window and settings."""

    width: int
    height: int
    unit: float  # 1.0 at 1280x720 and 100 % scale
    body: int  # reading text
    text_factor: float = 1.0  # the text-size setting against "medium": hints and labels grow with it

    @classmethod
    def of(cls, size: tuple[int, int], settings: Settings) -> Metrics:
        width, height = size
        fit = max(0.5, min(width / BASE_SIZE[0], height / BASE_SIZE[1]))
        unit = min(fit * settings.scale, max(fit, height / MIN_DESIGN_HEIGHT))
        body = max(12, round(BODY_PX[settings.text_size] * cls.text_unit(unit)))
        return cls(width, height, unit, body, BODY_PX[settings.text_size] / BODY_PX["medium"])

    @staticmethod
    def text_unit(unit: float) -> float:
        """Text shrinks with the window more slowly than the layout, so small windows stay readable."""
        return unit if unit >= 1 else 0.8 + 0.2 * unit

    def px(self, value: float) -> int:
        """A length given for 1280x720 at 100 %, in pixels now."""
        return max(1, round(value * self.unit))

    def tx(self, value: float) -> int:
        """A font size given for 1280x720 at 100 %, in pixels now (shrinking slowly, like :meth:`text_unit`)."""
        return max(10, round(value * self.text_unit(self.unit)))

    def row(self, px: int, lines: float = 1.0) -> int:
        """The height of a menu row for text of ``px`` pixels (never less than its 1280x720 size)."""
        return max(self.px(46 * lines), round(px * (1.2 * lines + 0.9)))

    @property
    def ui(self) -> int:
        """Menus, buttons and labels: follow the UI scale, not the text size."""
        return max(12, round(20 * self.text_unit(self.unit)))

    def note(self, value: float) -> int:
        """A size for hints, labels and notes given for 1280x720: like :meth:`tx`, grown with the text size."""
        return max(10, round(value * self.text_unit(self.unit) * self.text_factor))

    @property
    def small(self) -> int:
        """Hints, places, lock reasons and word counts: they grow with the text size as the body does."""
        return max(11, round(15 * self.text_unit(self.unit) * self.text_factor))

    @property
    def line_gap(self) -> float:
        return 1.5


class Fonts:
    """Font objects of one typeface setting by face ("serif" for upright, "italic") and pixel size, opened once."""

    def __init__(self, family: str = "serif") -> None:
        self.family = family if family in FAMILIES else "serif"
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}

    def get(self, face: str, px: int) -> pygame.font.Font:
        key = (face, px)
        font = self._fonts.get(key)
        if font is None:
            faces = FAMILIES[self.family]
            path = FONT_DIR / faces.get(face, faces["serif"])
            font = pygame.font.Font(path if path.exists() else None, px)
            self._fonts[key] = font
        return font
