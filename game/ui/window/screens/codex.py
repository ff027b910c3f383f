"""The codex: people and glossary entries met so far (in any playthrough), the rest locked.

Up and Down walk the list on the left; the entry with the focus is shown
on the right.
"""

from __future__ import annotations

import pygame

from game.runtime.model import CodexEntry
from game.ui.window.base import Screen, Scroller, draw_doc, page_panel
from game.ui.window.doc import Doc
from game.ui.window.widgets import Button, button_row, header, header_rows, lock, scrollbar, small_button

GROUPS = (("character", "People"), ("glossary", "Glossary"))


class CodexScreen(Screen):
    name = "codex"

    def __init__(self, app):
        super().__init__(app)
        self.list_scroll = Scroller()
        self.text_scroll = Scroller()
        self.shown_entry = ""

    def unlocked(self) -> set[str]:
        game = self.app.game
        found = set(game.gallery.codex) if game.gallery else set()
        if game.play is not None:
            found |= set(game.play.unlocked_codex())
        return found

    def layout(self) -> None:
        m = self.m
        story = self.app.story
        unlocked = self.unlocked()
        self.sheet = page_panel(self.app, wide=True)
        left = self.sheet.left + m.px(56)
        list_w = min(m.px(340), self.sheet.width // 3)
        top, bottom = header_rows(m)[2], m.height - m.px(100)
        self.rows: list[tuple[str, Button | None]] = []  # group headings have no button
        buttons: list[Button] = []
        for kind, heading in GROUPS:
            entries = sorted((e for e in story.codex.values() if e.kind == kind), key=lambda e: e.title)
            known = [e for e in entries if e.id in unlocked]
            self.rows.append((f"{heading} ({len(known)} of {len(entries)})", None))
            for entry in known:
                button = Button(entry.title, self.show_focused, value=entry.id)
                self.rows.append(("", button))
                buttons.append(button)
            waiting = len(entries) - len(known)
            if waiting:  # one quiet line for what is still to come, not a row of locks that looks broken
                noun = "to meet" if kind == "character" else "to find"
                button = Button(f"{waiting} more {noun} in the story", self.show_focused, enabled=False)
                self.rows.append(("", button))
                buttons.append(button)
        self.back = Button("Back", self.app.pop)
        self.focus.set(buttons + [self.back])
        # A long name wraps onto more lines of its row rather than being cut: the list shows every name whole.
        px, row_h = self.list_px, m.row(self.list_px, 0.74)
        self.labels: dict[int, list[str]] = {}
        self.heading_y: list[int] = []
        y = 0
        for _heading, row_button in self.rows:
            if row_button is None:
                y += m.px(14) if y else 0
                self.heading_y.append(y)
                y += row_h
            else:
                face, room = ("serif", list_w - m.px(24)) if row_button.enabled else ("italic", list_w - m.px(44))
                lines = self.cache.wrap(face, px if row_button.enabled else self.quiet_px, row_button.label, room)
                self.labels[id(row_button)] = lines
                height = row_h + (len(lines) - 1) * round(px * 1.2)
                row_button.rect = pygame.Rect(0, y, list_w, height)
                y += height
        self.list_scroll.view = pygame.Rect(left, top, list_w, bottom - top)
        self.list_scroll.content = y
        text_left = left + list_w + m.px(48)
        self.text_scroll.view = pygame.Rect(text_left, top, self.sheet.right - m.px(56) - text_left, bottom - top)
        button_row([self.back], self.cache, m, self.sheet.right - m.px(56), m.height - m.px(34))
        self.build_entry()

    @property
    def list_px(self) -> int:
        """The size of the names in the list: it grows with the text-size setting."""
        return self.m.note(18)

    @property
    def quiet_px(self) -> int:
        """The size of the "more to meet" lines."""
        return self.m.note(16)

    def current(self) -> CodexEntry | None:
        focused = self.focus.focused
        if focused is not None and focused.value:
            return self.app.story.codex.get(focused.value)
        return None

    def build_entry(self) -> None:
        m, theme = self.m, self.theme
        doc = Doc(self.cache, self.text_scroll.view.width)
        entry = self.current()
        if entry is None:
            doc.text("Choose an entry on the left. New ones open as people and places appear in the story.",
                     "italic", m.body, theme.soft)
        else:
            doc.text("PERSON" if entry.kind == "character" else "GLOSSARY", "serif", m.small, theme.accent,
                     after=0.8, tracking=m.px(3))
            doc.text(entry.title, "serif", round(m.body * 1.6), theme.ink, after=0.4, leading=1.2)
            doc.rule(m.px(48), theme.accent, max(2, m.px(2)), after=round(m.body * 0.9))
            for para in entry.text.split("\n\n"):
                doc.text(" ".join(para.split()), "serif", m.body, theme.ink, after=0.7)
        self.entry_doc = doc
        self.text_scroll.content = doc.height
        if entry is None or entry.id != self.shown_entry:
            self.text_scroll.offset = 0
            self.shown_entry = entry.id if entry else ""

    def show_focused(self) -> None:
        self.build_entry()
        self.app.dirty = True

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEWHEEL:
            pos = pygame.mouse.get_pos()
            scroller = self.text_scroll if self.text_scroll.view.collidepoint(pos) else self.list_scroll
            if scroller.handle(event, self.m.body):
                self.app.dirty = True
            return
        if self.text_scroll.handle(event, self.m.body):
            self.app.dirty = True
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP):
            event = self.list_event(event)
        before = self.focus.focused
        super().handle(event)
        if self.focus.focused is not before and self.focus.focused is not self.back:
            self.build_entry()
            self.reveal_focus()

    def list_event(self, event: pygame.event.Event) -> pygame.event.Event:
        """Mouse positions inside the list, moved into list coordinates (the list scrolls)."""
        view = self.list_scroll.view
        x, y = event.pos
        if view.collidepoint(x, y):
            pos = (x - view.left, y - view.top + self.list_scroll.offset)
        elif self.back.rect.collidepoint(x, y):
            return event
        else:
            pos = (-1, -1)
        return pygame.event.Event(event.type, {**event.dict, "pos": pos})

    def reveal_focus(self) -> None:
        focused = self.focus.focused
        if focused is not None and focused is not self.back:
            self.list_scroll.show(focused.rect.top - self.m.px(40), focused.rect.bottom)

    def draw(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        self.draw_backdrop(surface, self.sheet, opaque=True)
        x = self.sheet.left + m.px(56)
        header(surface, cache, theme, m, x, "Codex", "People and words of the time")
        self.draw_list(surface)
        draw_doc(surface, self.entry_doc, self.text_scroll, theme=theme, m=m)
        scrollbar(surface, self.text_scroll.view, self.entry_doc.height, self.text_scroll.offset, theme, m)
        small_button(surface, cache, self.back, theme, m, self.back is self.focus.focused)

    def draw_list(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        view = self.list_scroll.view
        clip = surface.get_clip()
        surface.set_clip(view)
        headings = iter(self.heading_y)
        for heading, button in self.rows:
            if button is None:
                y = next(headings)
                cache.draw(surface, "serif", m.small, heading.upper(), theme.accent,
                           (view.left, view.top + y - self.list_scroll.offset + m.px(8)), tracking=m.px(2))
                continue
            rect = button.rect.move(view.left, view.top - self.list_scroll.offset)
            if not rect.colliderect(view):
                continue
            focused = button is self.focus.focused
            if focused:
                surface.fill(theme.hover, rect)
                surface.fill(theme.accent, pygame.Rect(rect.left, rect.top, m.px(4), rect.height))
            lines = self.labels[id(button)]
            px = self.list_px if button.enabled else self.quiet_px
            step = round(self.list_px * 1.2)
            y = rect.centery - (len(lines) - 1) * step // 2
            if not button.enabled:
                lock(surface, (rect.left + m.px(22), rect.centery), m.px(11), theme.disabled)
            for line in lines:
                if button.enabled:
                    cache.draw(surface, "serif", px, line, theme.ink, (rect.left + m.px(16), y), anchor="midleft")
                else:
                    cache.draw(surface, "italic", px, line, theme.disabled, (rect.left + m.px(36), y),
                               anchor="midleft")
                y += step
        surface.set_clip(clip)
        scrollbar(surface, view, self.list_scroll.content, self.list_scroll.offset, theme, m)

    def scripted(self) -> None:
        self.app.pop()
