"""A page of text in the reading column with a row of buttons: the shape of many screens.

Subclasses fill a :class:`~.doc.Doc` and name their buttons; scrolling
(wheel, PgUp/PgDn, Home/End, and Up/Down when no button row needs them),
the background and the layout are shared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.window.base import Screen, Scroller, draw_doc, page_panel
from game.ui.window.doc import Doc
from game.ui.window.widgets import Button, background, button_row, panel, scrollbar, small_button

if TYPE_CHECKING:
    from game.ui.window.app import App


class DocPage(Screen):
    backdrop = "title"
    wide = False

    def __init__(self, app: App):
        super().__init__(app)
        self.scroller = Scroller()
        self.version = 0

    def fill(self, doc: Doc) -> None:
        raise NotImplementedError

    def buttons(self) -> list[Button]:
        return [Button("Back", self.app.pop)]

    def background_name(self) -> str:
        return self.backdrop

    def label(self, doc: Doc, text: str) -> None:
        doc.text(text.upper(), "serif", self.m.small, self.theme.accent, after=0.9, tracking=self.m.px(3))

    def heading(self, doc: Doc, text: str, after: float = 0.5) -> None:
        doc.text(text, "serif", round(self.m.body * 1.75), self.theme.ink, after=after, leading=1.2)

    def subheading(self, doc: Doc, text: str) -> None:
        doc.text(text, "serif", round(self.m.body * 1.15), self.theme.accent, after=0.4, leading=1.3)

    def para(self, doc: Doc, text: str, face: str = "serif", color: tuple[int, int, int] | None = None,
             after: float = 0.75, indent: int = 0) -> None:
        for part in text.split("\n\n"):
            doc.text(" ".join(part.split()), face, self.m.body, color or self.theme.ink, after=after, indent=indent)

    def accent_rule(self, doc: Doc) -> None:
        doc.rule(self.m.px(48), self.theme.accent, max(2, self.m.px(2)), after=round(self.m.body * 1.1))

    def layout(self) -> None:
        m = self.m
        self.sheet = page_panel(self.app, wide=self.wide)
        pad = m.px(48)
        inner = self.sheet.width - 2 * pad
        doc = Doc(self.cache, inner)
        self.fill(doc)
        self.doc = doc
        buttons = self.buttons()
        self.focus.vertical = False
        self.focus.set(buttons, focus=None if self.focus.buttons else len(buttons) - 1)
        if len(self.focus.buttons) == len(buttons) and self.focus.index < 0:
            self.focus.index = len(buttons) - 1
        button_row(buttons, self.cache, m, self.sheet.right - pad, m.height - m.px(30))
        self.scroller.view = pygame.Rect(self.sheet.left + pad, m.px(44), inner, self.view_height())
        self.scroller.content = doc.height
        self.scroller.set(self.scroller.offset)

    def view_height(self) -> int:
        """The height of the scrolling text, between the top margin and the row of buttons."""
        m = self.m
        return m.height - m.px(30) - round(m.ui * 2.1) - m.px(24) - m.px(44)

    def handle(self, event: pygame.event.Event) -> None:
        if self.scroller.handle(event, self.m.body):
            self.app.dirty = True
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            step = self.m.body * 3 * (1 if event.key == pygame.K_DOWN else -1)
            if self.scroller.set(self.scroller.offset + step):
                self.app.dirty = True
            return
        super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        m, theme = self.m, self.theme
        surface.blit(background(self.background_name(), self.app.size, theme, self.place_date()), (0, 0))
        panel(surface, self.sheet, theme, stripe=m.px(6))
        draw_doc(surface, self.doc, self.scroller, theme=theme, m=m)
        clip = surface.get_clip()
        surface.set_clip(self.scroller.view)  # blocks drawn over the text scroll away with it
        self.draw_extra(surface)
        surface.set_clip(clip)
        scrollbar(surface, self.scroller.view, self.doc.height, self.scroller.offset, theme, m)
        for button in self.focus.buttons:
            small_button(surface, self.cache, button, theme, m, button is self.focus.focused)
        if self.scroller.more_below(m.body // 2):
            self.draw_more_cue(surface)

    def draw_more_cue(self, surface: pygame.Surface) -> None:
        """Say that the page goes on below, beside the buttons, so that no one presses on without it."""
        m = self.m
        right = min((b.rect.left for b in self.focus.buttons if b.rect.width), default=self.sheet.right)
        room = right - m.px(16) - self.scroller.view.left
        row = next((b.rect for b in self.focus.buttons if b.rect.width), None)
        y = row.centery if row is not None else m.height - m.px(40)
        cue = self.cache.fit("italic", m.small, "more below · wheel or PgDn", room)
        if room > m.px(40):
            self.cache.draw(surface, "italic", m.small, cue, self.theme.soft, (self.scroller.view.left, y),
                            anchor="midleft")

    def draw_extra(self, surface: pygame.Surface) -> None:
        """Anything drawn over the document (blocks reserved in it)."""

    def doc_rect(self, rect: pygame.Rect) -> pygame.Rect:
        """A rectangle reserved in the document, in screen coordinates now."""
        view = self.scroller.view
        return rect.move(view.left, view.top - self.scroller.offset)
