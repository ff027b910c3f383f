"""Saving and loading: the autosave and nine slots as cards, each with its chapter, scene and time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pygame

from game.session.saves import AUTOSAVE, SlotInfo, describe_time
from game.ui.window.base import Screen, Scroller, page_panel
from game.ui.window.screens.boxes import ConfirmBox
from game.ui.window.widgets import Button, button_row, header, header_rows, scrollbar, small_button

if TYPE_CHECKING:
    from game.ui.window.app import App

COLUMNS = 2


class SaveLoadScreen(Screen):
    def __init__(self, app: App, saving: bool):
        super().__init__(app)
        self.saving = saving
        self.scroller = Scroller()
        self.name = "save" if saving else "load"

    def layout(self) -> None:
        m = self.m
        store = self.app.game.store
        assert store is not None
        self.infos = store.slots()
        self.sheet = page_panel(self.app, wide=True)
        self.cards: list[tuple[Button, SlotInfo]] = []
        for info in self.infos:
            button = Button(info.label, lambda slot=info.slot: self.pick(slot), enabled=self.usable(info))
            self.cards.append((button, info))
        self.back = Button("Back", self.app.pop)
        self.focus.set([b for b, _ in self.cards] + [self.back])
        rows = -(-len(self.cards) // COLUMNS)
        top, gap = header_rows(m)[3], m.px(12)
        bottom = m.height - m.px(100)
        width = (self.sheet.width - 2 * m.px(56) - gap * (COLUMNS - 1)) // COLUMNS
        needed = m.small + m.px(18) + round(m.note(19) * 1.3) + round(m.note(15) * 1.4)
        height = max(needed, min(m.px(96), (bottom - top - gap * (rows - 1)) // rows))
        self.places = []  # each card's rectangle in the grid, which scrolls when the window is too short for it
        for index in range(len(self.cards)):
            column, row = divmod(index, rows)
            self.places.append(pygame.Rect(self.sheet.left + m.px(56) + column * (width + gap),
                                           row * (height + gap), width, height))
        self.rows = rows
        # Narrow cards (large text, a small window) give every save's time in its short form, so that no
        # slot's name and time run into each other.
        longest = max(self.cache.size("serif", m.small, b.label.upper(), m.px(2))[0] for b, _ in self.cards)
        date = self.cache.size("italic", m.small, describe_time("2026-11-24T14:03:00"))[0]
        self.short_dates = m.px(20) + longest + m.px(12) + date + m.px(16) > width
        self.scroller.view = pygame.Rect(self.sheet.left + m.px(56), top, self.sheet.width - 2 * m.px(56),
                                         bottom - top)
        self.scroller.content = rows * height + (rows - 1) * gap
        self.scroller.set(self.scroller.offset)
        self.place_cards()
        button_row([self.back], self.cache, m, self.sheet.right - m.px(56), m.height - m.px(34))

    def place_cards(self) -> None:
        """Cards on screen at the scroll position; the part of a card outside the grid's view takes no clicks."""
        view = self.scroller.view
        for (button, _), place in zip(self.cards, self.places, strict=True):
            button.rect = place.move(0, view.top - self.scroller.offset).clip(view)

    def card_rect(self, index: int) -> pygame.Rect:
        return self.places[index].move(0, self.scroller.view.top - self.scroller.offset)

    def show_focused(self) -> None:
        index = self.focus.index
        if 0 <= index < len(self.cards) and self.scroller.show(self.places[index].top, self.places[index].bottom):
            self.place_cards()

    def usable(self, info: SlotInfo) -> bool:
        if self.saving:
            return info.slot != AUTOSAVE
        return info.exists

    def pick(self, slot: str) -> None:
        game = self.app.game
        if not self.saving:
            game.load(slot)
            return
        info = next(i for i in self.infos if i.slot == slot)

        def write() -> None:
            if game.save(slot):
                self.app.pop()
                self.app.toast(f"Saved in slot {slot}.")

        if info.exists:
            detail = info.scene_title or "a damaged save"
            self.app.push(ConfirmBox(self.app, f"Replace slot {slot}?",
                                     [f"It holds {detail}. The save it replaces is kept as a backup."],
                                     write, yes="Replace"))
        else:
            write()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            index = self.focus.index + (self.rows if event.key == pygame.K_RIGHT else -self.rows)
            if 0 <= index < len(self.cards) and self.cards[index][0].enabled:
                self.focus.index = index
                self.show_focused()
                self.app.dirty = True
            return
        if event.type == pygame.MOUSEWHEEL and self.scroller.handle(event, self.m.body):
            self.place_cards()
            self.app.dirty = True
            return
        before = self.focus.index
        super().handle(event)
        if self.focus.index != before and event.type == pygame.KEYDOWN:
            self.show_focused()

    def draw(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        self.draw_backdrop(surface, self.sheet, opaque=True)
        x = self.sheet.left + m.px(56)
        title = "Save your place" if self.saving else "Load a saved game"
        hint = ("The autosave is kept by the game at every scene." if self.saving
                else "Arrows choose a slot, Enter loads it.")
        header(surface, cache, theme, m, x, "Saved games", title, hint,
               width=self.sheet.width - 2 * (x - self.sheet.left))
        clip = surface.get_clip()
        surface.set_clip(self.scroller.view.inflate(m.px(8), 0))
        for index, (button, info) in enumerate(self.cards):
            self.draw_card(surface, button, info, button is self.focus.focused, self.card_rect(index))
        surface.set_clip(clip)
        scrollbar(surface, self.scroller.view, self.scroller.content, self.scroller.offset, theme, m)
        small_button(surface, cache, self.back, theme, m, self.back is self.focus.focused)

    def draw_card(self, surface: pygame.Surface, button: Button, info: SlotInfo, focused: bool,
                  rect: pygame.Rect) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        if focused and button.enabled:
            surface.fill(theme.hover, rect)
            surface.fill(theme.accent, pygame.Rect(rect.left, rect.top, m.px(4), rect.height))
        else:
            pygame.draw.rect(surface, theme.outline, rect, 1)
        x, y = rect.left + m.px(20), rect.top + m.px(10)
        ink = theme.ink if button.enabled else theme.disabled
        cache.draw(surface, "serif", m.small, info.label.upper(), theme.accent if button.enabled else theme.disabled,
                   (x, y), tracking=m.px(2))
        if info.saved_at and not info.error:
            when = short_time(info.saved_at) if self.short_dates else describe_time(info.saved_at)
            cache.draw(surface, "italic", m.small, when, theme.soft, (rect.right - m.px(16), y), anchor="topright")
        y += m.small + m.px(6)
        if info.error:
            cache.draw(surface, "serif", m.note(17), "This save is damaged.", theme.accent, (x, y))
            note = "Load it to be offered its backup." if info.has_backup else info.error
            note = cache.fit("italic", m.note(15), note, rect.width - m.px(40))
            cache.draw(surface, "italic", m.note(15), note, theme.soft, (x, y + round(m.note(17) * 1.35)))
        elif info.exists:
            room = rect.width - m.px(40)
            title = cache.fit("serif", m.note(19), info.scene_title, room)
            cache.draw(surface, "serif", m.note(19), title, ink, (x, y))
            cache.draw(surface, "italic", m.note(15), cache.fit("italic", m.note(15), info.chapter_title, room),
                       theme.soft, (x, y + round(m.note(19) * 1.3)))
        else:
            cache.draw(surface, "italic", m.note(17), "Empty", theme.disabled, (x, y + m.px(2)))

    def scripted(self) -> None:
        self.app.pop()


def short_time(saved_at: str) -> str:
    """A save's time in few characters, "24.11.26 14:03", for a card too narrow for the long form."""
    try:
        moment = datetime.fromisoformat(saved_at)
    except ValueError:
        return saved_at
    return f"{moment:%d.%m.%y %H:%M}"
