"""The endings gallery: every ending as a card, reached ones open to read again, the others locked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.runtime.model import Scene
from game.session.saves import describe_time
from game.ui.window.base import Screen, page_panel
from game.ui.window.doc import Doc
from game.ui.window.page import DocPage
from game.ui.window.widgets import Button, background, button_row, header, header_rows, lock, panel, small_button

if TYPE_CHECKING:
    from game.ui.window.app import App


class GalleryScreen(Screen):
    name = "endings"

    def layout(self) -> None:
        m = self.m
        game = self.app.game
        self.endings = self.app.story.endings
        reached = {e.id for e in self.endings if game.gallery and game.gallery.reached(e.id)}
        if game.play is not None and game.play.is_over:
            reached.add(game.play.scene_id)
        self.reached = reached
        self.sheet = page_panel(self.app, wide=True)
        self.cards = [Button(e.title if e.id in reached else "Not yet reached",
                             lambda e=e: self.app.push(EndingReader(self.app, e)), enabled=e.id in reached,
                             value=e.id) for e in self.endings]
        self.back = Button("Back", self.app.pop)
        self.focus.set(self.cards + [self.back])
        self.columns = 3 if self.sheet.width >= round(m.note(15) * 56) else 2  # a card keeps ~16 words a line
        rows = max(1, -(-len(self.cards) // self.columns))
        gap = m.px(16)
        top, bottom = header_rows(m)[3], m.height - m.px(100)
        width = (self.sheet.width - 2 * m.px(56) - gap * (self.columns - 1)) // self.columns
        height = min(m.px(200), (bottom - top - gap * (rows - 1)) // rows)
        for index, card in enumerate(self.cards):
            row, column = divmod(index, self.columns)
            card.rect = pygame.Rect(self.sheet.left + m.px(56) + column * (width + gap), top + row * (height + gap),
                                    width, height)
        button_row([self.back], self.cache, m, self.sheet.right - m.px(56), m.height - m.px(34))

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.focus.move(1 if event.key == pygame.K_RIGHT else -1)
            self.app.dirty = True
            return
        super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        surface.blit(background("title", self.app.size, theme), (0, 0))
        panel(surface, self.sheet, theme, stripe=m.px(6), opaque=True)
        x = self.sheet.left + m.px(56)
        header(surface, cache, theme, m, x, "Endings", f"{len(self.reached)} of {len(self.endings)} endings reached",
               "Every ending you reach, in any playthrough, opens here to read again.",
               width=self.sheet.width - 2 * (x - self.sheet.left))
        for card, ending in zip(self.cards, self.endings, strict=True):
            self.draw_card(surface, card, ending)
        small_button(surface, cache, self.back, theme, m, self.back is self.focus.focused)

    def draw_card(self, surface: pygame.Surface, card: Button, ending: Scene) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        rect = card.rect
        focused = card is self.focus.focused
        if card.enabled:
            surface.fill(theme.hover if focused else theme.paper, rect)
            surface.fill(theme.accent, pygame.Rect(rect.left, rect.top, rect.width, m.px(5)))
            outline = theme.accent if focused else theme.outline
            pygame.draw.rect(surface, outline, rect, max(2, m.px(2)) if focused else 1)
            x, y = rect.left + m.px(18), rect.top + m.px(14)
            room = rect.width - m.px(36)
            title_px, note_px, text_px = m.note(22), m.note(14), m.note(15)
            cache.draw(surface, "serif", title_px, cache.fit("serif", title_px, ending.title, room), theme.ink, (x, y))
            y += round(title_px * 1.35)
            first = self.app.game.gallery.endings.get(ending.id, {}) if self.app.game.gallery else {}
            note = f"First reached {describe_time(first['first'])}" if first.get("first") else "Reached"
            cache.draw(surface, "italic", note_px, cache.fit("italic", note_px, note, room), theme.soft, (x, y))
            y += round(note_px * 1.5) + m.px(6)
            opening = ending.ending.epilogue if ending.ending else ""
            lines = cache.wrap("italic", text_px, " ".join(opening.split()), room)
            step = round(text_px * 1.35)
            for line in lines[: max(0, (rect.bottom - y - m.px(8)) // step)]:
                cache.draw(surface, "italic", text_px, line, theme.soft, (x, y))
                y += step
        else:
            pygame.draw.rect(surface, theme.accent if focused else theme.disabled, rect, 1)
            lock(surface, (rect.centerx, rect.centery - m.px(12)), m.px(26), theme.disabled)
            cache.draw(surface, "italic", m.note(16), "Not yet reached", theme.disabled,
                       (rect.centerx, rect.centery + m.px(22)), anchor="midtop")

    def scripted(self) -> None:
        self.app.pop()


class EndingReader(DocPage):
    """A reached ending, to read again from the gallery."""

    name = "ending-reader"

    def __init__(self, app: App, ending: Scene):
        super().__init__(app)
        self.ending = ending

    def background_name(self) -> str:
        return self.ending.background or "title"

    def place_date(self) -> str:
        return self.ending.date  # the ending's own season, whatever scene is being played

    def fill(self, doc: Doc) -> None:
        parts = self.ending.ending
        assert parts is not None
        self.label(doc, "An ending")
        self.heading(doc, self.ending.title)
        self.accent_rule(doc)
        self.para(doc, parts.epilogue)
        for heading, text in (("What the state took", parts.state_took),
                              ("What it could not take", parts.could_not_take),
                              ("How the novel ends", parts.novel)):
            doc.space(self.m.px(8))
            self.subheading(doc, heading)
            self.para(doc, text)
