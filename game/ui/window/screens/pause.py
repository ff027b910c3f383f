"""The pause menu (Escape, everywhere), and opening the other screens by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.ui.window.screens.boxes import Box
from game.ui.window.widgets import Button, menu_item

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
        from game.ui.window.screens.saveload import SaveLoadScreen  # screens load when first shown

        app.push(SaveLoadScreen(app, saving=True))
    elif which == "load":
        from game.ui.window.screens.saveload import SaveLoadScreen  # screens load when first shown

        app.push(SaveLoadScreen(app, saving=False))
    elif which == "history":
        from game.ui.window.screens.history import HistoryScreen  # replays the path: loaded when first opened

        app.push(HistoryScreen(app))
    elif which == "codex":
        from game.ui.window.screens.codex import CodexScreen  # screens load when first shown

        app.push(CodexScreen(app))
    elif which == "gallery":
        from game.ui.window.screens.gallery import GalleryScreen  # screens load when first shown

        app.push(GalleryScreen(app))
    elif which == "notebook":
        from game.ui.window.screens.notebook import NotebookScreen

        app.push(NotebookScreen(app))
    elif which == "settings":
        from game.ui.window.screens.settings import SettingsScreen  # screens load when first shown

        app.push(SettingsScreen(app))
    elif which == "map":
        from game.ui.window.screens.pathmap import PathMapScreen  # the map's layout: loaded when first opened

        assert game.play is not None
        app.push(PathMapScreen(app, game.play.scene.chapter, closing=False))


class PauseMenu(Box):
    name = "pause"

    def layout(self) -> None:
        app, game = self.app, self.app.game
        play = game.play
        playing = play is not None
        go = lambda which: (lambda: self.then(lambda: open_screen(app, which)))  # noqa: E731
        items = [Button("Resume", app.pop)]
        if playing:
            items += [Button("Save game", go("save"), enabled=game.can_save),
                      Button("Load game", go("load"), enabled=game.can_save),
                      Button("History", go("history")),
                      Button("Path map of this chapter", go("map"),
                             enabled=play is not None and bool(play.scene.chapter)),
                      Button("Codex", go("codex")),
                      Button("Notebook: my answers", go("notebook")),
                      Button("Settings", go("settings")),
                      Button("Undo last choice", lambda: self.then(game.undo),
                             enabled=play is not None and play.can_undo and not play.is_over),
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

    def then(self, action: Callable[[], object]) -> None:
        self.app.pop()
        action()

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_box(surface, self.rect, "Paused")
        for item in self.focus.buttons:
            menu_item(surface, self.cache, item, self.theme, self.m, item is self.focus.focused)

    def escape(self) -> None:
        self.app.pop()
