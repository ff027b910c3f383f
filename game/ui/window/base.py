"""What every screen has: layout on resize, focus, scrolling, Escape, and a scripted step."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.window.text import TextCache
from game.ui.window.theme import Metrics, Theme
from game.ui.window.widgets import FocusList, background, fade_edges, panel

if TYPE_CHECKING:
    from game.ui.window.app import App
    from game.ui.window.doc import Doc


class Screen:
    """A full screen (or, with ``overlay``, a box drawn over the screen below).

    ``root`` screens open the pause menu on Escape; others go back.
    """

    name = "screen"  # used in screenshot file names
    overlay = False
    root = False

    def __init__(self, app: App):
        self.app = app
        self.focus = FocusList()
        self._layout_key: object = None

    @property
    def theme(self) -> Theme:
        return self.app.theme

    @property
    def m(self) -> Metrics:
        return self.app.metrics

    @property
    def cache(self) -> TextCache:
        return self.app.cache

    def ensure_layout(self) -> None:
        key = (self.app.size, self.app.settings, self.app.story_generation)
        if key != self._layout_key:
            self._layout_key = key
            self.layout()

    def invalidate(self) -> None:
        self._layout_key = None
        self.app.dirty = True

    def layout(self) -> None:
        """Place everything for the current window size and settings."""

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.escape()
            return
        if self.focus.handle(event):
            self.app.dirty = True

    def escape(self) -> None:
        if self.root:
            self.app.open_pause()
        else:
            self.app.pop()

    def update(self, dt: float) -> bool:
        """Advance animations by ``dt`` seconds; True while something still moves."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        raise NotImplementedError

    def place_background(self) -> str:
        """The picture of the scene being played, or the title's when no game is under way."""
        play = self.app.game.play
        return play.scene.background if play is not None else "title"

    def place_date(self) -> str:
        """The date of the scene being played (its picture follows the season), or none."""
        play = self.app.game.play
        return play.scene.date if play is not None else ""

    def draw_backdrop(self, surface: pygame.Surface, sheet: pygame.Rect, opaque: bool = False) -> None:
        """The place's picture with the paper sheet of a menu screen over it."""
        surface.blit(background(self.place_background(), self.app.size, self.theme, self.place_date()), (0, 0))
        panel(surface, sheet, self.theme, stripe=self.m.px(6), opaque=opaque)

    def speech(self, shown: list[str]) -> str:
        """What is read aloud when this screen shows: by default every piece of text it drew, in order."""
        seen: list[str] = []
        for text in shown:
            if text not in seen and text.strip():
                seen.append(text)
        return ". ".join(seen)

    def scripted(self) -> None:
        """What a scripted run does on this screen once it has been shown."""
        self.app.quit()


class Scroller:
    """A vertical offset into a document taller than its view, moved by wheel and keys."""

    def __init__(self) -> None:
        self.offset = 0
        self.content = 0
        self.view = pygame.Rect(0, 0, 0, 0)

    @property
    def limit(self) -> int:
        return max(0, self.content - self.view.height)

    def set(self, offset: int) -> bool:
        new = max(0, min(self.limit, round(offset)))
        changed = new != self.offset
        self.offset = new
        return changed

    def more_below(self, slack: int = 0) -> bool:
        return self.limit - self.offset > slack

    def show(self, top: int, bottom: int) -> bool:
        """Scroll just enough to show the document rows ``top`` to ``bottom``."""
        if top < self.offset:
            return self.set(top)
        if bottom > self.offset + self.view.height:
            return self.set(bottom - self.view.height)
        return False

    def handle(self, event: pygame.event.Event, line: int) -> bool:
        if event.type == pygame.MOUSEWHEEL:
            return self.set(self.offset - event.y * line * 3)
        if event.type != pygame.KEYDOWN:
            return False
        page = max(line, self.view.height - line * 2)
        moves = {pygame.K_PAGEDOWN: page, pygame.K_PAGEUP: -page}
        if event.key in moves:
            return self.set(self.offset + moves[event.key])
        if event.key == pygame.K_HOME:
            return self.set(0)
        if event.key == pygame.K_END:
            return self.set(self.limit)
        return False


def side_panel(app: App) -> pygame.Rect:
    """The paper column on the left used by the title and menu screens."""
    m = app.metrics
    width = min(m.width - 2 * m.px(40), max(m.px(440), round(m.width * 0.36)))
    left = round(m.width * 0.07) if m.width > m.px(900) else (m.width - width) // 2
    return pygame.Rect(left, 0, width, m.height)


def page_panel(app: App, wide: bool = False) -> pygame.Rect:
    """The column for reading (or a wide sheet for tables and maps)."""
    m = app.metrics
    if wide:
        margin = max(m.px(24), round(m.width * 0.05))
        return pygame.Rect(margin, 0, m.width - 2 * margin, m.height)
    width = min(m.width - 2 * m.px(24), max(round(m.width * 0.58), min(m.width, round(m.body * 34))),
                round(m.body * 40))
    left = round(m.width * 0.07) if m.width - width > m.px(200) else (m.width - width) // 2
    return pygame.Rect(left, 0, width, m.height)


def draw_doc(surface: pygame.Surface, doc: Doc, scroller: Scroller, shown: int | None = None,
             theme: Theme | None = None, m: Metrics | None = None) -> None:
    """Draw a document at its scroll position; with a theme, fade the edges where text continues."""
    view = scroller.view
    doc.draw(surface, (view.left, view.top - scroller.offset), view, shown)
    if theme is not None and m is not None:

        fade_edges(surface, view, theme, m, scroller.offset > 0, scroller.more_below(m.body))
