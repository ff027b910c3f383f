"""The pause menu (Escape, everywhere), message boxes and yes/no questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.ui.window.base import Screen
from game.ui.window.widgets import Button, button_row, menu_item, panel, shade, small_button

if TYPE_CHECKING:
    from game.ui.window.app import App


def open_screen(app: App, which: str) -> None:
    """Open one of the game's other screens by name (from the pause menu or a shortcut key)."""
    game = app.game
    if which in ("save", "load") and not game.can_save:
        app.show_error("Saving is off", ["Saving and loading are switched off while playing an assignment."]
                       if game.session else ["Saving is switched off in a scripted run."])
        return
    if which == "map" and (game.play is None or not game.play.scene.chapter):
        return
    if which == "save":
        from game.ui.window.screens.saveload import SaveLoadScreen

        app.push(SaveLoadScreen(app, saving=True))
    elif which == "load":
        from game.ui.window.screens.saveload import SaveLoadScreen

        app.push(SaveLoadScreen(app, saving=False))
    elif which == "history":
        from game.ui.window.screens.history import HistoryScreen

        app.push(HistoryScreen(app))
    elif which == "codex":
        from game.ui.window.screens.codex import CodexScreen

        app.push(CodexScreen(app))
    elif which == "gallery":
        from game.ui.window.screens.gallery import GalleryScreen

        app.push(GalleryScreen(app))
    elif which == "notebook":
        from game.ui.window.screens.notebook import NotebookScreen

        app.push(NotebookScreen(app))
    elif which == "settings":
        from game.ui.window.screens.settings import SettingsScreen

        app.push(SettingsScreen(app))
    elif which == "map":
        from game.ui.window.screens.pathmap import PathMapScreen

        assert game.play is not None
        app.push(PathMapScreen(app, game.play.scene.chapter, closing=False))


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
        return rect.top + m.px(28) + m.px(52)


class PauseMenu(Box):
    name = "pause"

    def layout(self) -> None:
        app, game = self.app, self.app.game
        playing = game.play is not None
        go = lambda which: (lambda: self.then(lambda: open_screen(app, which)))  # noqa: E731
        items = [Button("Resume", app.pop)]
        if playing:
            items += [Button("Save game", go("save"), enabled=game.can_save),
                      Button("Load game", go("load"), enabled=game.can_save),
                      Button("History", go("history")),
                      Button("Path map of this chapter", go("map"), enabled=bool(game.play.scene.chapter)),
                      Button("Codex", go("codex")),
                      Button("Notebook: my answers", go("notebook")),
                      Button("Settings", go("settings")),
                      Button("Undo last choice", lambda: self.then(game.undo),
                             enabled=game.play.can_undo and not game.play.is_over),
                      Button("Title screen", game.to_title, enabled=game.session is None)]
        else:
            items += [Button("Settings", go("settings")), Button("Codex", go("codex")),
                      Button("Endings", go("gallery"))]
        items.append(Button("Quit", app.quit))
        self.focus.set(items, focus=0)
        m = self.m
        row = m.row(m.ui, 0.9)
        self.rect = self.box_rect(m.px(110) + row * len(items) + m.px(24))
        row = max(round(m.ui * 1.4), min(row, (self.rect.height - m.px(120)) // len(items)))  # a short window
        y = self.rect.top + m.px(96)
        for item in items:
            item.rect = pygame.Rect(self.rect.left + m.px(28), y, self.rect.width - m.px(56), row - m.px(4))
            y += row

    def then(self, action: Callable[[], None]) -> None:
        self.app.pop()
        action()

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_box(surface, self.rect, "Paused")
        for item in self.focus.buttons:
            menu_item(surface, self.cache, item, self.theme, self.m, item is self.focus.focused)

    def escape(self) -> None:
        self.app.pop()


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
        height = m.px(92) + count * round(m.ui * 1.4) + len(self.lines) * m.px(8) + m.px(90)
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
