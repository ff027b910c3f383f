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
from game.ui.window.doc import Doc
from game.ui.window.quickbar import QuickBar, scene_items
from game.ui.window.screens.pause import open_screen
from game.ui.window.widgets import (
    ACTIVATE_KEYS,
    Button,
    background,
    fade_edges,
    lock,
    panel,
    scrollbar,
    spoken_button,
)

if TYPE_CHECKING:
    from game.ui.window.app import App

NUMBER_KEYS = {getattr(pygame, f"K_{n}"): n for n in range(1, 10)}
NUMBER_KEYS.update({getattr(pygame, f"K_KP{n}"): n for n in range(1, 10)})
LEADING = 1.45  # reading text: line height in units of the font size
CARD_LEADING = 1.32
NOTE_MARK = "\x00"  # marks the lines of a closed choice's reason among a card's lines


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
        self.card_px = 0
        self.tray = pygame.Rect(0, 0, 0, 0)
        self.bar = QuickBar([])

    @property
    def play(self):
        assert self.app.game.play is not None
        return self.app.game.play

    @property
    def revealing(self) -> bool:
        return self.shown < self.doc.reveal_total

    # -- layout ----------------------------------------------------------------------------------
    def layout(self) -> None:
        """The text scrolls in the upper part of the column; the choices sit in a tray beneath it that
        never scrolls, so when the text is all there every choice is in view without a key press."""
        m = self.m
        self.sheet = page_panel(self.app)
        pad = m.px(48)
        inner = self.sheet.width - 2 * pad
        left = self.sheet.left + pad
        self.bar = QuickBar(scene_items(self.app))
        bar_top = m.height - m.px(10) - self.bar.height(m)
        self.bar.layout(self.cache, m, left, left + inner, bar_top)
        doc = Doc(self.cache, inner)
        self.write_text(doc)
        self.doc = doc
        top = m.px(34)
        tray_bottom = bar_top - m.px(8)
        room = tray_bottom - top
        # The largest type for the choices that still leaves the text a fair share of the column (two
        # fifths, and never fewer than four lines); the smallest tried is kept when none does.
        least = max(round(m.body * LEADING * 4), round(room * 0.4))
        for px in (m.body, round(m.body * 0.9), round(m.body * 0.8), round(m.body * 0.7)):
            buttons, tray_height = self.place_choices(inner, px)
            if room - tray_height >= least:
                break
        self.card_px = px
        self.tray = pygame.Rect(left, tray_bottom - tray_height, inner, tray_height)
        for _button, rect, _lines in self.cards:
            rect.move_ip(self.tray.left, self.tray.top)
        new_scene = self._scene_key != self.scene_key()
        # No choice has the focus until the player moves it: a lit first choice would nudge.
        self.focus.set(buttons, focus=-1 if new_scene else None)
        self.scroller.view = pygame.Rect(left, top, inner, self.tray.top - m.px(12) - top)
        self.scroller.content = doc.height
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

    def place_choices(self, inner: int, px: int) -> tuple[list[Button], int]:
        """A card per choice, numbered, closed ones greyed with their reason; rectangles relative to the
        tray's top left. Returns the buttons and the tray's height."""
        m = self.m
        self.cards = []
        buttons: list[Button] = []
        number = 0
        y = m.px(12)  # room for the tray's rule
        note_px = min(m.small, px)
        for view in self.play.all_choices():
            if view.enabled:
                number += 1
                button = Button(view.label, lambda i=number - 1: self.choose(i), key=str(number))
            else:
                button = Button(view.label, lambda: None, enabled=False, note=view.locked_reason)
            lines = self.cache.wrap("serif" if view.enabled else "italic", px, view.label, inner - m.px(56),
                                    self.cache.letters(px))
            height = round(px * CARD_LEADING * self.cache.spacing) * len(lines) + m.px(14)
            note_lines: list[str] = []
            if button.note:
                note_lines = self.cache.wrap("italic", note_px, button.note, inner - m.px(56))
                height += round(note_px * 1.35) * len(note_lines)
            rect = pygame.Rect(0, y, inner, height)
            y += height + m.px(6)
            self.cards.append((button, rect, lines + [NOTE_MARK + line for line in note_lines]))
            buttons.append(button)
        return buttons, y - m.px(6) if self.cards else y

    def speech(self, shown: list[str]) -> str:
        """The scene read aloud: what the last choice led to, the title and place, the text, the choices."""
        play = self.play
        scene = play.scene
        parts = [self.app.game.aftermath, scene.title, scene.location, scene.date, *play.text()]
        parts += [spoken_button(button) for button, _rect, _lines in self.cards]
        return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip()) + "."

    def scene_key(self) -> object:
        return (self.play.scene_id, len(self.play.steps), self.app.story_generation)

    # -- input -----------------------------------------------------------------------------------
    def choose(self, index: int) -> None:
        self.app.game.choose(index)

    def finish_reveal(self) -> None:
        self.shown = float(self.doc.reveal_total)
        self.app.dirty = True

    def handle(self, event: pygame.event.Event) -> None:
        if self.bar.handle(event):
            self.app.dirty = True
            return
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
            super().handle(event)
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
                   pygame.K_m: "map", pygame.K_n: "notebook"}
        if event.key in actions:
            open_screen(self.app, actions[event.key])
            return True
        if event.key in (pygame.K_u, pygame.K_BACKSPACE):
            self.app.game.undo()
            return True
        return False

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
        surface.blit(background(self.play.scene.background, self.app.size, theme, self.play.scene.date), (0, 0))
        panel(surface, self.sheet, theme, stripe=m.px(6))
        view = self.scroller.view
        shown = int(self.shown)
        self.doc.draw(surface, (view.left, view.top - self.scroller.offset), view, shown)
        more = self.scroller.more_below(m.body // 2)
        fade_edges(surface, view, theme, m, self.scroller.offset > 0, more)
        scrollbar(surface, view, self.scroller.content, self.scroller.offset, theme, m)
        tray = self.tray
        surface.fill(theme.rule, pygame.Rect(tray.left, tray.top + m.px(4), tray.width, 1))
        if more:  # on the tray's rule, on paper of its own so that no faded line runs through it
            cue = "more text above the choices · wheel or PgDn"
            width, height = self.cache.size("italic", m.small, cue)
            box = pygame.Rect(0, 0, width + m.px(16), height)
            box.midright = (view.right, tray.top + m.px(4))
            surface.fill(theme.paper, box)
            self.cache.draw(surface, "italic", m.small, cue, theme.soft, box.center, anchor="center")
        for button, rect, lines in self.cards:
            button.rect = pygame.Rect(0, 0, 0, 0)
            if not self.revealing:
                button.rect = rect.copy()
                self.draw_card(surface, button, rect, lines)
        if self.revealing:
            self.cache.draw(surface, "italic", m.small, "Space, Enter or a click: show the whole text", theme.soft,
                            (tray.centerx, tray.top + m.px(12) + (tray.height - m.px(12)) // 2), anchor="center")
        self.bar.draw(surface, self.cache, theme, m)

    def draw_card(self, surface: pygame.Surface, button: Button, rect: pygame.Rect, lines: list[str]) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        px = self.card_px
        focused = button is self.focus.focused and button.enabled
        if focused:
            surface.fill(theme.hover, rect)
            pygame.draw.rect(surface, theme.accent, rect, max(2, m.px(2)))
            surface.fill(theme.accent, pygame.Rect(rect.left, rect.top, m.px(5), rect.height))
        else:
            pygame.draw.rect(surface, theme.outline, rect, 1)
        y = rect.top + m.px(7)
        face = "serif" if button.enabled else "italic"
        color = theme.ink if button.enabled else theme.disabled
        if button.key:
            cache.draw(surface, "serif", px, button.key, theme.accent, (rect.left + m.px(20), y))
        else:  # closed for now: the same padlock as the path map's roads not taken
            lock(surface, (rect.left + m.px(26), y + round(px * 0.55)), max(8, round(px * 0.6)), theme.disabled)
        note_px = min(m.small, px)
        for line in lines:
            if line.startswith(NOTE_MARK):
                cache.draw(surface, "italic", note_px, line[1:], theme.soft, (rect.left + m.px(48), y))
                y += round(note_px * 1.35)
            else:
                cache.draw(surface, face, px, line, color, (rect.left + m.px(48), y), tracking=cache.letters(px))
                y += round(px * CARD_LEADING * cache.spacing)

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
