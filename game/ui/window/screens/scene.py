"""The scene: a header, the text in a readable column revealed like a typewriter, and the choices.

The typewriter blits growing parts of cached lines, so it renders nothing
new while it runs; a click, Space or Enter shows the rest at once. Choices
appear when the text is complete and are taken with the mouse, the number
keys, or the arrows and Enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.window.base import Screen, Scroller, page_panel
from game.ui.window.screens.pause import open_screen
from game.ui.window.text import Doc
from game.ui.window.widgets import ACTIVATE_KEYS, Button, background, fade_edges, lock, panel, scrollbar

if TYPE_CHECKING:
    from game.ui.window.app import App

NUMBER_KEYS = {getattr(pygame, f"K_{n}"): n for n in range(1, 10)}
NUMBER_KEYS.update({getattr(pygame, f"K_KP{n}"): n for n in range(1, 10)})
LEADING = 1.45  # reading text: line height in units of the font size
CARD_LEADING = 1.32
HINTS = "Esc menu · H history · S save · L load · U undo · M map · C codex"


class SceneScreen(Screen):
    name = "scene"
    root = True

    def __init__(self, app: App):
        super().__init__(app)
        self.scroller = Scroller()
        self.shown = 0.0
        self.follow = True
        self.version = 0
        self._scene_key: object = None
        self.cards: list[tuple[Button, pygame.Rect, list[str]]] = []

    @property
    def play(self):
        assert self.app.game.play is not None
        return self.app.game.play

    @property
    def revealing(self) -> bool:
        return self.shown < self.doc.reveal_total

    # -- layout ----------------------------------------------------------------------------------
    def layout(self) -> None:
        m = self.m
        self.sheet = page_panel(self.app)
        pad = m.px(48)
        inner = self.sheet.width - 2 * pad
        doc = Doc(self.cache, inner)
        self.write_text(doc)
        buttons = self.place_choices(doc, inner)
        self.doc = doc
        new_scene = self._scene_key != self.scene_key()
        # No choice has the focus until the player moves it: a lit first choice would nudge.
        self.focus.set(buttons, focus=-1 if new_scene else None)
        top = m.px(34)
        self.scroller.view = pygame.Rect(self.sheet.left + pad, top, inner, m.height - top - m.px(50))
        self.scroller.content = doc.height + m.px(16)
        if new_scene:
            self._scene_key = self.scene_key()
            self.version += 1
            self.scroller.offset = 0
            self.follow = True
            speed = self.app.settings.chars_per_second
            self.shown = 0.0 if speed and self.app.script is None else float(doc.reveal_total)
        self.scroller.set(self.scroller.offset)

    def write_text(self, doc: Doc) -> None:
        """The previous choice's consequence, the header, and the scene's paragraphs (revealed)."""
        m, theme, play = self.m, self.theme, self.play
        scene = play.scene
        if self.app.game.aftermath:
            doc.text(self.app.game.aftermath, "italic", m.body, theme.soft, after=0.3, leading=LEADING)
            doc.rule(m.px(28), theme.rule, 1, after=m.px(16))
        chapter = play.chapter
        if chapter:
            doc.text(chapter.title.upper(), "serif", m.small, theme.accent, after=0.7, tracking=m.px(2))
        doc.text(scene.title, "serif", round(m.body * 1.6), theme.ink, after=0.2, leading=1.2)
        where = " · ".join(part for part in (scene.location, scene.date) if part)
        if where:
            doc.text(where, "italic", round(m.body * 0.9), theme.soft, after=0.3)
        doc.rule(m.px(48), theme.accent, max(2, m.px(2)), after=round(m.body * 0.9))
        for para in play.text():
            doc.text(para, "serif", m.body, theme.ink, after=0.6, reveal=True, leading=LEADING)
        doc.space(round(m.body * 0.3))

    def place_choices(self, doc: Doc, inner: int) -> list[Button]:
        """A card per choice, numbered; closed ones greyed with their reason."""
        m = self.m
        self.cards = []
        buttons: list[Button] = []
        number = 0
        for view in self.play.all_choices():
            if view.enabled:
                number += 1
                button = Button(view.label, lambda i=number - 1: self.choose(i), key=str(number))
            else:
                button = Button(view.label, lambda: None, enabled=False, note=view.locked_reason)
            lines = self.cache.wrap("serif" if view.enabled else "italic", m.body, view.label, inner - m.px(56))
            height = round(m.body * CARD_LEADING) * len(lines) + m.px(14)
            if button.note:
                height += round(m.small * 1.5)
            rect = doc.block(height, button, after=m.px(6), after_reveal=True)
            self.cards.append((button, rect, lines))
            buttons.append(button)
        return buttons

    def scene_key(self) -> object:
        return (self.play.scene_id, len(self.play.steps), self.app.story_generation)

    # -- input -----------------------------------------------------------------------------------
    def choose(self, index: int) -> None:
        self.app.game.choose(index)

    def finish_reveal(self) -> None:
        self.shown = float(self.doc.reveal_total)
        self.app.dirty = True

    def handle(self, event: pygame.event.Event) -> None:
        if self.scroller.handle(event, self.m.body):
            self.follow = False  # the reader took the scroll: stop following the typewriter
            self.app.dirty = True
            return
        if self.revealing and (event.type == pygame.MOUSEBUTTONUP and event.button == 1
                               or event.type == pygame.KEYDOWN and event.key in ACTIVATE_KEYS):
            self.finish_reveal()
            return
        if event.type == pygame.KEYDOWN and self.shortcut(event):
            return
        if not self.revealing:
            before = self.focus.focused
            super().handle(event)
            if self.focus.focused is not before and event.type == pygame.KEYDOWN:
                self.scroll_to_focus()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.escape()

    def shortcut(self, event: pygame.event.Event) -> bool:
        """Number keys choose; letters open the other screens."""
        if event.key in NUMBER_KEYS:
            number = NUMBER_KEYS[event.key]
            if self.revealing:
                self.finish_reveal()
            elif number <= len(self.play.choices()):
                self.choose(number - 1)
            return True

        actions = {pygame.K_h: "history", pygame.K_s: "save", pygame.K_l: "load", pygame.K_c: "codex",
                   pygame.K_m: "map"}
        if event.key in actions:
            open_screen(self.app, actions[event.key])
            return True
        if event.key in (pygame.K_u, pygame.K_BACKSPACE):
            self.app.game.undo()
            return True
        return False

    def scroll_to_focus(self) -> None:
        for button, rect, _ in self.cards:
            if button is self.focus.focused:
                self.scroller.show(rect.top - self.m.px(12), rect.bottom + self.m.px(12))

    def update(self, dt: float) -> bool:
        if not self.revealing:
            return False
        speed = self.app.settings.chars_per_second or 1e9
        self.shown = min(float(self.doc.reveal_total), self.shown + speed * dt)
        bottom = self.doc.revealed_y(int(self.shown))
        if self.follow and bottom > self.scroller.offset + self.scroller.view.height:
            self.scroller.set(bottom - self.scroller.view.height + self.m.body * 2)
        return True

    # -- drawing ---------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        m, theme = self.m, self.theme
        surface.blit(background(self.play.scene.background, self.app.size, theme), (0, 0))
        panel(surface, self.sheet, theme, stripe=m.px(6))
        view = self.scroller.view
        shown = int(self.shown)
        self.doc.draw(surface, (view.left, view.top - self.scroller.offset), view, shown)
        origin = (view.left, view.top - self.scroller.offset)
        clip = surface.get_clip()
        surface.set_clip(view)
        for button, rect, lines in self.cards:
            button.rect = pygame.Rect(0, 0, 0, 0)
            if self.revealing:
                continue
            screen_rect = rect.move(origin)
            if screen_rect.colliderect(view):
                button.rect = screen_rect.clip(view)
                self.draw_card(surface, button, screen_rect, lines)
        surface.set_clip(clip)
        more = self.scroller.more_below(m.body)
        fade_edges(surface, view, theme, m, self.scroller.offset > 0, more)
        scrollbar(surface, view, self.scroller.content, self.scroller.offset, theme, m)
        if more and not self.revealing:
            self.cache.draw(surface, "italic", m.small, "more below · scroll or PgDn", theme.soft,
                            (view.right, view.bottom + m.px(6)), anchor="topright")
        hints = "Space, Enter or a click: show the whole text" if self.revealing else HINTS
        self.cache.draw(surface, "serif", m.small, hints, theme.soft, (view.left, m.height - m.px(30)))

    def draw_card(self, surface: pygame.Surface, button: Button, rect: pygame.Rect, lines: list[str]) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        focused = button is self.focus.focused and button.enabled
        if focused:
            surface.fill(theme.hover, rect)
            surface.fill(theme.accent, pygame.Rect(rect.left, rect.top, m.px(4), rect.height))
        else:
            pygame.draw.rect(surface, theme.rule, rect, 1)
        y = rect.top + m.px(7)
        face = "serif" if button.enabled else "italic"
        color = theme.ink if button.enabled else theme.disabled
        if button.key:
            cache.draw(surface, "serif", m.body, button.key, theme.accent, (rect.left + m.px(20), y))
        else:  # closed for now: the same padlock as the path map's roads not taken
            lock(surface, (rect.left + m.px(26), y + round(m.body * 0.55)), m.tx(12), theme.disabled)
        for line in lines:
            cache.draw(surface, face, m.body, line, color, (rect.left + m.px(48), y))
            y += round(m.body * CARD_LEADING)
        if button.note:
            cache.draw(surface, "italic", m.small, button.note, theme.soft, (rect.left + m.px(48), y))

    def scripted(self) -> None:
        number = self.app.next_scripted_choice()
        if number is None:
            self.app.quit()
            return
        count = len(self.play.choices())
        if not 1 <= number <= count:
            self.app.game.script_failed = True
            self.app.game.failure = (f"there is no choice {number} in the scene {self.play.scene_id!r} "
                                     f"(choices 1 to {count})")
            self.app.quit(2)
            return
        self.choose(number - 1)
