"""The quick menu at the foot of a scene: Back, History, Save, Load, Map, Codex, Menu.

As in Ren'Py's quick bar, every action the keyboard shortcuts reach is
also a visible word to click, so a player with only a mouse or a touchpad
can save, load, undo and open every screen. Each entry shows its key in
red before its name, which teaches the shortcuts to those who want them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from game.ui.window.text import TextCache
from game.ui.window.theme import Metrics, Theme

if TYPE_CHECKING:
    from game.ui.window.app import App


@dataclass(eq=False)
class QuickItem:
    key: str  # the keyboard shortcut shown before the name
    label: str
    action: Callable[[], None]
    enabled: bool = True
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))


def scene_items(app: App) -> list[QuickItem]:
    """The entries for a scene being played, greyed where the game does not allow them now."""
    from game.ui.window.screens.pause import open_screen

    game = app.game
    play = game.play
    has_chapter = play is not None and bool(play.scene.chapter)
    return [
        QuickItem("U", "Back", game.undo, enabled=game.runner is not None and game.runner.can_undo),
        QuickItem("H", "History", lambda: open_screen(app, "history")),
        QuickItem("S", "Save", lambda: open_screen(app, "save"), enabled=game.can_save),
        QuickItem("L", "Load", lambda: open_screen(app, "load"), enabled=game.can_save),
        QuickItem("M", "Map", lambda: open_screen(app, "map"), enabled=has_chapter),
        QuickItem("C", "Codex", lambda: open_screen(app, "codex")),
        QuickItem("N", "Notebook", lambda: open_screen(app, "notebook")),
        QuickItem("Esc", "Menu", app.open_pause),
    ]


class QuickBar:
    """A row of clickable words; lays itself out to fit a width, shrinking its type if it must."""

    def __init__(self, items: list[QuickItem]):
        self.items = items
        self.hover: QuickItem | None = None
        self.px = 0
        self.gap = 0

    def height(self, m: Metrics) -> int:
        return round(m.small * 2.0)

    def layout(self, cache: TextCache, m: Metrics, left: int, right: int, top: int) -> None:
        height = self.height(m)
        for px in range(m.small, 9, -1):
            gap = max(m.px(6), round(px * 0.9))
            widths = [self._width(cache, px, item) for item in self.items]
            if sum(widths) + gap * (len(widths) - 1) <= right - left:
                break
        self.px, self.gap = px, gap
        x = left
        for item, width in zip(self.items, widths, strict=True):
            item.rect = pygame.Rect(x, top, width, height)
            x += width + gap

    def _width(self, cache: TextCache, px: int, item: QuickItem) -> int:
        return cache.size("serif", px, item.key)[0] + round(px * 0.35) + cache.size("serif", px, item.label)[0] \
            + round(px * 0.6)

    def at(self, pos: tuple[int, int]) -> QuickItem | None:
        return next((item for item in self.items if item.rect.collidepoint(pos)), None)

    def handle(self, event: pygame.event.Event) -> bool:
        """Hover and click; True when the event was the bar's."""
        if event.type == pygame.MOUSEMOTION:
            hit = self.at(event.pos)
            changed = hit is not self.hover
            self.hover = hit
            return changed
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            hit = self.at(event.pos)
            if hit is not None:
                if hit.enabled:
                    hit.action()
                return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            return self.at(event.pos) is not None
        return False

    def draw(self, surface: pygame.Surface, cache: TextCache, theme: Theme, m: Metrics) -> None:
        px = self.px or m.small
        for item in self.items:
            rect = item.rect
            if item is self.hover and item.enabled:
                surface.fill(theme.hover, rect)
                pygame.draw.rect(surface, theme.accent, rect, max(1, m.px(2)))
            key_color = theme.accent if item.enabled else theme.disabled
            color = theme.ink if item.enabled else theme.disabled
            x = rect.left + round(px * 0.3)
            x = cache.draw(surface, "serif", px, item.key, key_color, (x, rect.centery), anchor="midleft").right
            face = "serif" if item.enabled else "italic"
            cache.draw(surface, face, px, item.label, color, (x + round(px * 0.35), rect.centery), anchor="midleft")
