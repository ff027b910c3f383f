"""The title screen: the first frame the player sees (the story is loaded right after it is drawn)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.session.saves import describe_time
from game.ui.window.base import Screen, side_panel
from game.ui.window.kept_art import title_background
from game.ui.window.widgets import Button, menu_item, panel

if TYPE_CHECKING:
    pass


def split_title(title: str) -> tuple[str, str]:
    """"We the Living: an interactive novel" -> ("We the Living", "an interactive novel")."""
    main, _, sub = title.partition(":")
    return main.strip(), sub.strip()


def when(saved_at: str) -> str:
    """An ISO time as a reader says it: "24 November 2026, 14:03"."""
    return describe_time(saved_at)


class TitleScreen(Screen):
    name = "title"
    root = True

    def layout(self) -> None:
        store = self.app.title_store
        latest = store.latest() if store else None
        has_saves = store is not None and any(info.exists for info in store.slots())
        note = ""
        if latest is not None:
            note = " · ".join(p for p in (latest.scene_title, when(latest.saved_at)) if p)
        items = [
            Button("New game", self.new_game),
            Button("Continue", self.continue_latest, enabled=latest is not None, note=note),
            Button("Load a saved game", self.open_load, enabled=has_saves),
            Button("Settings", self.open_settings),
            Button("Codex", self.open_codex),
            Button("Endings", self.open_gallery),
            Button("Quit", self.app.quit),
        ]
        self.focus.set(items, focus=1 if latest is not None and self.focus.focused is None else None)
        self.sheet = side_panel(self.app)
        self.place_menu(items)

    def place_menu(self, items: list[Button]) -> None:
        """The menu under the title, ending above the line of help; in a short window (or at a large
        interface scale) it moves up, and then its rows share the room left."""
        m, gap = self.m, self.m.px(4)
        heights = [m.row(m.ui, 1.45) if item.note else m.row(m.ui) for item in items]
        least = [round(m.ui * 1.4 + (m.small * 1.3 if item.note else 0)) for item in items]
        top = self.title_bottom() + m.px(16)
        limit = self.help_top() - m.px(8)  # the line of help at the foot
        total = sum(heights) + gap * (len(items) - 1)
        y = max(top, min(round(m.height * 0.42), limit - total))
        if y + total > limit:
            share = max(0.0, (limit - y - gap * (len(items) - 1)) / sum(heights))
            heights = [max(low, round(height * share)) for height, low in zip(heights, least, strict=True)]
        for item, height in zip(items, heights, strict=True):
            item.rect = pygame.Rect(self.sheet.left + m.px(28), y, self.sheet.width - m.px(56), height)
            y += height + gap

    def title_lines(self) -> list[str]:
        main, _ = split_title(self.app.front.title)
        return self.cache.wrap("serif", self.m.tx(58), main, self.sheet.width - self.m.px(80))

    def kicker(self) -> list[str]:
        """The small capitals above the title ("AN INTERACTIVE NOVEL"), wrapped to the sheet: they grow
        with the text size."""
        _, sub = split_title(self.app.front.title)
        return self.cache.wrap("serif", self.m.small, (sub or "an interactive novel").upper(),
                               self.sheet.width - self.m.px(72), self.m.px(3))

    def title_bottom(self) -> int:
        """Where the title block drawn by :meth:`draw` ends (below its red rule)."""
        m = self.m
        return (round(m.height * 0.11) + len(self.kicker()) * round(m.small * 1.3) + m.px(10)
                + self.title_height() + m.px(6)
                + len(self.byline()) * round(m.tx(19) * 1.3) + m.px(14) + max(2, m.px(3)))

    def title_height(self) -> int:
        """The height of the title's lines: 1.08 of the type's size apart, and the last one down to the foot of
        its letters (the dyslexia font's descenders reach further than that, and would touch the byline)."""
        lines, px = self.title_lines(), self.m.tx(58)
        if not lines:
            return 0
        step = round(px * 1.08)
        ink = self.cache.render("serif", px, lines[-1], self.theme.ink).get_bounding_rect().bottom
        # the byline comes 6 px after this, so at least 2 px below the lowest letter
        return step * (len(lines) - 1) + max(step, ink - self.m.px(4))

    def help_top(self) -> int:
        """The top of the line of help at the foot of the sheet."""
        return self.m.height - self.m.px(16) - round(self.m.small * 1.3)

    def byline(self) -> list[str]:
        """The story's author, as its story.yaml gives it (every story has its own), wrapped to the sheet."""
        return self.cache.wrap("italic", self.m.tx(19), self.app.front.author, self.sheet.width - self.m.px(80))

    def escape(self) -> None:
        """The title is its own menu: Escape (or the right button) moves the focus to Quit instead of
        opening a box that would repeat it."""
        self.focus.index = len(self.focus.buttons) - 1
        self.app.dirty = True

    def new_game(self) -> None:
        self.app.game.new_game()

    def continue_latest(self) -> None:
        self.app.game.continue_latest()

    def open_load(self) -> None:
        from game.ui.window.screens.saveload import SaveLoadScreen  # screens load when first shown

        self.app.push(SaveLoadScreen(self.app, saving=False))

    def open_settings(self) -> None:
        from game.ui.window.screens.settings import SettingsScreen  # screens load when first shown

        self.app.push(SettingsScreen(self.app))

    def open_codex(self) -> None:
        from game.ui.window.screens.codex import CodexScreen  # screens load when first shown

        self.app.push(CodexScreen(self.app))

    def open_gallery(self) -> None:
        from game.ui.window.screens.gallery import GalleryScreen  # screens load when first shown

        self.app.push(GalleryScreen(self.app))

    def draw(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        surface.blit(title_background(self.app.size, theme), (0, 0))
        panel(surface, self.sheet, theme, stripe=m.px(6))
        x = self.sheet.left + m.px(44)
        y = round(m.height * 0.11)
        for line in self.kicker():
            cache.draw(surface, "serif", m.small, line, theme.accent, (x, y), tracking=m.px(3))
            y += round(m.small * 1.3)
        title_px = m.tx(58)
        y += m.px(10)
        for number, line in enumerate(self.title_lines()):
            cache.draw(surface, "serif", title_px, line, theme.ink, (x, y + number * round(title_px * 1.08)))
        y += self.title_height() + m.px(6)
        for line in self.byline():
            cache.draw(surface, "italic", m.tx(19), line, theme.soft, (x, y))
            y += round(m.tx(19) * 1.3)
        surface.fill(theme.accent, pygame.Rect(x, y + m.px(14), m.px(64), max(2, m.px(3))))
        for item in self.focus.buttons:
            menu_item(surface, cache, item, theme, m, item is self.focus.focused)
        cache.draw(surface, "italic", m.small, "Arrows and Enter, or the mouse", theme.soft, (x, self.help_top()))

    def scripted(self) -> None:
        self.app.game.new_game()
