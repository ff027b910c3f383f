"""Buttons, keyboard focus, and the drawing helpers every screen shares.

A :class:`FocusList` makes any list of buttons work the same way by mouse
(hover, click) and by keyboard (arrows or Tab to move, Enter or Space to
press), so every screen is reachable without a mouse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from game.runtime.scenery import winter
from game.ui.window.text import LRU, TextCache
from game.ui.window.theme import Metrics, Theme

ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)
_backgrounds = LRU(6)
_fades = LRU(8)
_sheets = LRU(8)
_art_failed = False


@dataclass(eq=False)
class Button:
    label: str
    action: Callable[[], None]
    enabled: bool = True
    note: str = ""  # a second line: a slot's contents, or why a choice is closed
    key: str = ""  # shown before the label ("1") and pressed directly
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    value: str = ""  # a setting's current value, drawn on the right


def spoken_button(button: Button) -> str:
    """A button as it is read aloud: its number, its label, its value or note, and whether it is closed."""
    parts = [f"{button.key}." if button.key else "", button.label]
    if button.value:
        parts.append(f": {button.value}")
    if not button.enabled:
        parts.append(". Not available now")
    if button.note:
        parts.append(f". {button.note}")
    return " ".join(p for p in parts if p)


class FocusList:
    """Which button has the keyboard focus, and what the mouse is over."""

    def __init__(self, buttons: list[Button] | None = None, vertical: bool = True):
        self.buttons: list[Button] = []
        self.index = -1
        self.hover: Button | None = None
        self.vertical = vertical
        self.set(buttons or [])

    def set(self, buttons: list[Button], focus: int | None = None) -> None:
        old = self.focused
        self.buttons = buttons
        if focus is not None:
            self.index = focus
        elif old is not None and old in buttons:
            self.index = buttons.index(old)
        elif not (0 <= self.index < len(buttons) and buttons[self.index].enabled):
            self.index = next((i for i, b in enumerate(buttons) if b.enabled), -1)
        self.hover = None

    @property
    def focused(self) -> Button | None:
        return self.buttons[self.index] if 0 <= self.index < len(self.buttons) else None

    def move(self, step: int) -> bool:
        enabled = [i for i, b in enumerate(self.buttons) if b.enabled]
        if not enabled:
            return False
        if self.index not in enabled:
            self.index = enabled[0] if step > 0 else enabled[-1]
        else:
            self.index = enabled[(enabled.index(self.index) + step) % len(enabled)]
        return True

    def handle(self, event: pygame.event.Event) -> bool:
        """React to navigation keys and the mouse; True when the event was used."""
        if event.type == pygame.KEYDOWN:
            back, forward = (pygame.K_UP, pygame.K_DOWN) if self.vertical else (pygame.K_LEFT, pygame.K_RIGHT)
            if event.key == back or (event.key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT):
                return self.move(-1)
            if event.key in (forward, pygame.K_TAB):
                return self.move(1)
            if event.key in ACTIVATE_KEYS and self.focused is not None and self.focused.enabled:
                self.focused.action()
                return True
            return False
        if event.type == pygame.MOUSEMOTION:
            hit = self.at(event.pos)
            changed = hit is not self.hover
            self.hover = hit
            if hit is not None and hit.enabled and self.focused is not hit:
                self.index = self.buttons.index(hit)
                changed = True
            return changed
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            hit = self.at(event.pos)
            if hit is not None and hit.enabled:
                self.index = self.buttons.index(hit)
                hit.action()
                return True
        return False

    def at(self, pos: tuple[int, int]) -> Button | None:
        return next((b for b in self.buttons if b.rect.collidepoint(pos)), None)


# -- drawing ---------------------------------------------------------------------------------------
def background(name: str, size: tuple[int, int], theme: Theme, date: str = "") -> pygame.Surface:
    """The scene's painted background, or a quiet flat one if the art module cannot draw it.

    ``date`` is the scene's: out of Petrograd's winter (April to October) no snow is drawn."""
    global _art_failed
    if not _art_failed:
        try:
            from game.ui.art import draw as art

            return art.background(name, size, theme.high_contrast, winter(date) is not False)
        except Exception as exc:  # the art is decoration: never let it stop the game
            _art_failed = True
            import logging  # only on this failure: the first frame does not wait for the logging module

            logging.getLogger(__name__).warning("backgrounds unavailable, using flat colour: %s", exc)
    key = (size, theme.backdrop)
    surface = _backgrounds.lookup(key)
    if surface is None:
        surface = _backgrounds.keep(key, pygame.Surface(size))
        surface.fill(theme.backdrop)
    return surface


def art_available() -> bool:
    """False once the art modules failed and backgrounds are flat colour."""
    return not _art_failed


def panel(surface: pygame.Surface, rect: pygame.Rect, theme: Theme, stripe: int = 0, opaque: bool = False) -> None:
    """The paper column text sits on, with an optional red stripe down its left edge. It is opaque in
    both themes (``opaque`` is kept for callers that ask for it): no picture may show through text, so
    the paper is filled in, not blended over the picture."""
    surface.fill(theme.paper, rect)
    if stripe:
        surface.fill(theme.accent, pygame.Rect(rect.left, rect.top, stripe, rect.height))


def shade(surface: pygame.Surface, theme: Theme) -> None:
    key = (surface.get_size(), theme.shade)
    veil = _sheets.lookup(key)
    if veil is None:
        veil = _sheets.keep(key, pygame.Surface(surface.get_size(), pygame.SRCALPHA))
        veil.fill(theme.shade)
    surface.blit(veil, (0, 0))


def menu_item(surface: pygame.Surface, cache: TextCache, button: Button, theme: Theme, m: Metrics,
              focused: bool, px: int | None = None) -> None:
    """A text-only menu entry: a red bar and tint when focused, grey when disabled."""
    px = px or m.ui
    rect = button.rect
    if focused and button.enabled:
        surface.fill(theme.hover, rect)
        surface.fill(theme.accent, pygame.Rect(rect.left, rect.top, m.px(4), rect.height))
    color = theme.ink if button.enabled else theme.disabled
    pad = m.px(16)
    label_y = rect.top + (rect.height - (px + (m.small + m.px(4) if button.note else 0))) // 2 - m.px(2)
    if button.key:
        cache.draw(surface, "serif", px, button.key, theme.accent if button.enabled else theme.disabled,
                   (rect.left + pad, label_y))
        pad += m.px(30)
    cache.draw(surface, "serif", px, button.label, color, (rect.left + pad, label_y))
    if button.note:
        note = cache.fit("italic", m.small, button.note, rect.right - rect.left - pad - m.px(8))
        cache.draw(surface, "italic", m.small, note, theme.soft if button.enabled else theme.disabled,
                   (rect.left + pad, label_y + px + m.px(6)))
    if button.value:
        cache.draw(surface, "serif", px, button.value, theme.accent if button.enabled else theme.disabled,
                   (rect.right - m.px(16), label_y), anchor="topright")


def small_button(surface: pygame.Surface, cache: TextCache, button: Button, theme: Theme, m: Metrics,
                 focused: bool) -> None:
    """A compact outlined button for rows of actions (Back, Continue, Save)."""
    rect = button.rect
    color = theme.ink if button.enabled else theme.disabled
    if focused and button.enabled:
        surface.fill(theme.hover, rect)
        pygame.draw.rect(surface, theme.accent, rect, max(2, m.px(2)))
    else:
        pygame.draw.rect(surface, theme.outline if button.enabled else theme.disabled, rect, 1)
    cache.draw(surface, "serif", m.ui, button.label, color, rect.center, anchor="center")


def button_row(buttons: list[Button], cache: TextCache, m: Metrics, right: int, bottom: int) -> None:
    """Place small buttons side by side, ending at ``right``, their bottoms on ``bottom``."""
    x = right
    height = round(m.ui * 2.1)
    for button in reversed(buttons):
        width = cache.size("serif", m.ui, button.label)[0] + m.px(44)
        x -= width
        button.rect = pygame.Rect(x, bottom - height, width, height)
        x -= m.px(12)


def header_rows(m: Metrics) -> tuple[int, int, int, int]:
    """Where a screen heading's label, title and hint go, and where the content may start below them."""
    label = m.px(40)
    title = label + m.small + m.px(12)
    hint = title + round(m.tx(34) * 1.25)
    return label, title, hint, hint + round(m.note(17) * 1.5) + m.px(14)


def header(surface: pygame.Surface, cache: TextCache, theme: Theme, m: Metrics, x: int, label: str, title: str,
           hint: str = "", width: int = 0) -> None:
    """A screen heading: small red capitals, a title, and an italic line of help. The line of help grows
    with the text size; in a narrow sheet (``width``) it is set smaller, down to its medium size, to
    stay on one line."""
    label_y, title_y, hint_y, _ = header_rows(m)
    cache.draw(surface, "serif", m.small, label.upper(), theme.accent, (x, label_y), tracking=m.px(3))
    cache.draw(surface, "serif", m.tx(34), title, theme.ink, (x, title_y))
    if hint:
        cache.draw(surface, "italic", hint_px(cache, m, hint, width), hint, theme.soft, (x, hint_y))


def hint_px(cache: TextCache, m: Metrics, hint: str, width: int = 0) -> int:
    """The size of a heading's line of help: the text size's, made smaller (not below medium's) to fit ``width``."""
    px = m.note(17)
    while width and px > m.tx(17) and cache.size("italic", px, hint)[0] > width:
        px -= 1
    return px


def lock(surface: pygame.Surface, center: tuple[int, int], size: int, color: tuple[int, int, int]) -> None:
    """A small padlock, drawn: the mark of something not yet reached."""
    cx, cy = center
    body = pygame.Rect(0, 0, size, round(size * 0.75))
    body.midtop = (cx, cy - round(size * 0.1))
    shackle = pygame.Rect(0, 0, round(size * 0.62), round(size * 0.8))
    shackle.midbottom = (cx, body.top + round(size * 0.3))
    pygame.draw.ellipse(surface, color, shackle, max(2, size // 7))
    surface.fill(color, body)


def fade_edges(surface: pygame.Surface, view: pygame.Rect, theme: Theme, m: Metrics, top: bool,
               bottom: bool) -> None:
    """Soften text cut by the edges of a scrolled view, so it reads as "there is more"."""
    height = m.px(28)
    key = (view.width, height, theme.paper, theme.paper_alpha)
    strip = _fades.lookup(key)
    if strip is None:
        strip = pygame.Surface((view.width, height), pygame.SRCALPHA)
        for row in range(height):
            alpha = round(theme.paper_alpha * (1 - row / height) ** 1.5)
            strip.fill((*theme.paper, alpha), pygame.Rect(0, row, view.width, 1))
        _fades.keep(key, strip)
    if top:
        surface.blit(strip, (view.left, view.top - m.px(2)))
    if bottom:
        surface.blit(pygame.transform.flip(strip, False, True), (view.left, view.bottom - height + m.px(2)))


def scrollbar(surface: pygame.Surface, view: pygame.Rect, content: int, offset: int, theme: Theme,
              m: Metrics) -> None:
    """A thin bar at the right of ``view`` showing where in a long text the reader is."""
    if content <= view.height:
        return
    track = pygame.Rect(view.right + m.px(8), view.top, max(2, m.px(3)), view.height)
    surface.fill(theme.rule, track)
    thumb_h = max(m.px(24), round(view.height * view.height / content))
    thumb_y = track.top + round((view.height - thumb_h) * offset / max(1, content - view.height))
    surface.fill(theme.soft, pygame.Rect(track.left, thumb_y, track.width, thumb_h))
