"""Boxes drawn over the screen: a message, and a yes/no question."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.ui.window.base import Screen
from game.ui.window.widgets import Button, button_row, panel, shade, small_button

if TYPE_CHECKING:
    from game.ui.window.app import App


class Box(Screen):
    """A centred box drawn over a dimmed screen."""

    overlay = True

    def box_rect(self, height: int) -> pygame.Rect:
        m = self.m
        width = min(m.width - m.px(40), m.px(620))
        rect = pygame.Rect(0, 0, width, min(m.height - m.px(20), height))
        rect.center = (m.width // 2, m.height // 2)
        return rect

    def draw_box(self, surface: pygame.Surface, rect: pygame.Rect, title: str) -> int:
        """Shade the screen, draw the box and its title; returns where content starts."""
        m, theme = self.m, self.theme
        shade(surface, theme)
        panel(surface, rect, theme, stripe=m.px(6))
        if theme.high_contrast:
            pygame.draw.rect(surface, theme.rule, rect, 2)
        self.cache.draw(surface, "serif", m.tx(30), title, theme.ink, (rect.left + m.px(40), rect.top + m.px(28)))
        return rect.top + self.heading_height()

    def heading_height(self) -> int:
        """From the top of the box to its first line below the title (the title shrinks more slowly than
        the box in a small window, so this is not a fixed length)."""
        m = self.m
        return m.px(28) + round(m.tx(30) * 1.25) + m.px(16)


class MessageBox(Box):
    """Something the player should know (a failed save, errors in an edited story file)."""

    name = "message"

    def __init__(self, app: App, title: str, lines: list[str], buttons: list[Button] | None = None):
        super().__init__(app)
        self.title = title
        self.lines = lines
        self.buttons = buttons or [Button("OK", app.pop)]

    def layout(self) -> None:
        m = self.m
        width = self.box_rect(0).width - m.px(80)
        self.wrapped = [self.cache.wrap("serif", m.ui, line, width) for line in self.lines]
        count = sum(len(w) for w in self.wrapped)
        height = self.heading_height() + count * round(m.ui * 1.4) + len(self.lines) * m.px(8) + m.px(90)
        self.rect = self.box_rect(height)
        self.focus.vertical = False
        self.focus.set(self.buttons, focus=len(self.buttons) - 1)
        button_row(self.buttons, self.cache, m, self.rect.right - m.px(40), self.rect.bottom - m.px(28))

    def draw(self, surface: pygame.Surface) -> None:
        m, theme = self.m, self.theme
        y = self.draw_box(surface, self.rect, self.title)
        clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-m.px(20), -m.px(100)).move(0, -m.px(30)))
        for lines in self.wrapped:
            for line in lines:
                self.cache.draw(surface, "serif", m.ui, line, theme.ink, (self.rect.left + m.px(40), y))
                y += round(m.ui * 1.4)
            y += m.px(8)
        surface.set_clip(clip)
        for button in self.buttons:
            small_button(surface, self.cache, button, theme, m, button is self.focus.focused)

    def scripted(self) -> None:
        self.app.quit(2)  # a scripted run does not get past an error


class ConfirmBox(MessageBox):
    name = "confirm"

    def __init__(self, app: App, title: str, lines: list[str], action: Callable[[], None], yes: str = "Yes",
                 no: str = "Cancel"):
        def accept() -> None:
            app.pop()
            action()

        super().__init__(app, title, lines, [Button(no, app.pop), Button(yes, accept)])
