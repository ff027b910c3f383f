"""Typing: a text field fed by pygame's TEXTINPUT events, and the question screen built on it.

TEXTINPUT carries whole characters as the operating system composed
them, so accents, Cyrillic and input methods work; TEXTEDITING shows a
composition in progress. Keys only move the cursor and delete.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pygame

from game.classroom.assignment import count_words
from game.ui.window.doc import Doc
from game.ui.window.page import DocPage
from game.ui.window.widgets import Button, scrollbar

if TYPE_CHECKING:
    from game.ui.window.app import App

MAX_CHARS = 4000


class TextField:
    """Editable text with a cursor; in a ``multiline`` field Enter starts a new line."""

    def __init__(self, text: str = "", multiline: bool = True, limit: int = MAX_CHARS):
        self.text = text
        self.cursor = len(text)
        self.composing = ""
        self.multiline = multiline
        self.limit = limit

    def insert(self, text: str) -> None:
        text = text if self.multiline else text.replace("\n", " ")
        room = self.limit - len(self.text)
        text = text[:max(0, room)]
        self.text = self.text[:self.cursor] + text + self.text[self.cursor:]
        self.cursor += len(text)

    def handle(self, event: pygame.event.Event) -> bool:
        """Edit for TEXTINPUT, TEXTEDITING and editing keys; True when the field changed."""
        if event.type == pygame.TEXTINPUT:
            self.composing = ""
            self.insert(event.text)
            return True
        if event.type == pygame.TEXTEDITING:
            self.composing = event.text
            return True
        if event.type != pygame.KEYDOWN:
            return False
        key, ctrl = event.key, event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if key == pygame.K_BACKSPACE and self.cursor > 0:
            cut = self._word_start() if ctrl else self.cursor - 1
            self.text, self.cursor = self.text[:cut] + self.text[self.cursor:], cut
        elif key == pygame.K_DELETE and self.cursor < len(self.text):
            self.text = self.text[:self.cursor] + self.text[self.cursor + 1:]
        elif key == pygame.K_LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif key == pygame.K_RIGHT:
            self.cursor = min(len(self.text), self.cursor + 1)
        elif key == pygame.K_HOME:
            self.cursor = 0
        elif key == pygame.K_END:
            self.cursor = len(self.text)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not ctrl and self.multiline:
            self.insert("\n")
        elif key == pygame.K_v and ctrl:
            self.paste()
        else:
            return False
        return True

    def _word_start(self) -> int:
        position = self.cursor
        while position > 0 and self.text[position - 1].isspace():
            position -= 1
        while position > 0 and not self.text[position - 1].isspace():
            position -= 1
        return position

    def paste(self) -> None:
        try:
            text = pygame.scrap.get_text()  # SDL's clipboard; needs no scrap.init() in pygame-ce
        except (pygame.error, AttributeError):
            text = ""
        if text:
            self.insert(text.replace("\r\n", "\n"))

    @property
    def words(self) -> int:
        return count_words(self.text)


class QuestionScreen(DocPage):
    """One question with a field to answer it: a chapter's reflection, an ending's, or a teacher's."""

    name = "question"
    root = True
    wants_text = True

    def __init__(self, app: App, heading: str, question: str, done: Callable[[str], str | None],
                 number: tuple[int, int] | None = None, min_words: int = 0, skippable: bool = True,
                 question_id: str = "", initial: str = "", place: str | None = None, date: str | None = None,
                 looks_for: Sequence[str] = ()):
        super().__init__(app)
        self.looks_for = tuple(looks_for)  # the rubric's criteria, as the student reads them
        self.place = place  # the picture behind the question, when not the scene being played
        self.date = date  # and the date of its scene, for the season
        self.heading_text = heading
        self.question = question
        self.done = done
        self.number = number
        self.min_words = min_words
        self.skippable = skippable
        self.question_id = question_id
        scripted = app.game.scripted_answers
        if question_id and scripted is not None:
            initial = scripted.get(question_id, initial)  # shown typed in the run's screenshots
        self.field = TextField(initial)
        self.problem = ""
        self.field_rect = pygame.Rect(0, 0, 0, 0)
        self.field_view = pygame.Rect(0, 0, 0, 0)  # the field on screen, for the wheel
        self.field_first = 0  # the first line of the answer shown in the field
        self.follow_caret = True
        self.on_buttons = False  # after Tab, Enter presses the focused button

    def background_name(self) -> str:
        return self.place_background() if self.place is None else self.place

    def place_date(self) -> str:
        return super().place_date() if self.date is None else self.date

    def fill(self, doc: Doc) -> None:
        m, theme = self.m, self.theme
        label = self.heading_text
        if self.number and self.number[1] > 1:
            label += f" · question {self.number[0]} of {self.number[1]}"
        self.label(doc, label)
        doc.text(self.question, "italic", round(m.body * 1.2), theme.ink, after=0.8, leading=1.4)
        # Seven lines to write in, fewer when large text or a large interface leaves less room on screen.
        below = m.px(12) + round(m.small * 1.6) + m.px(4) + round(m.small * 1.5) * 2
        room = self.view_height() - doc.height - below - m.px(24)
        lines = max(3, min(7, room // round(m.body * 1.5)))
        self.field_rect = doc.block(round(m.body * 1.5) * lines + m.px(24), "field", after=m.px(12))
        self.count_rect = doc.block(round(m.small * 1.6), "count", after=m.px(4))
        hint = "Type your answer; Enter starts a new line. Ctrl+Enter or the button hands it in."
        if self.skippable:
            hint += " You may also skip the question."
        doc.text(hint, "italic", m.small, theme.soft, after=0.8 if self.looks_for else 0)
        if self.looks_for:  # under the field, so the field stays in view on a small screen
            doc.text("What your teacher looks for: " + "; ".join(self.looks_for) + ".", "regular", m.small,
                     theme.soft)

    def buttons(self) -> list[Button]:
        save = Button("Save answer" if self.skippable else "Hand in answer", self.submit)
        return ([Button("Skip", self.skip)] if self.skippable else []) + [save]

    def submit(self) -> None:
        text = self.field.text.strip()
        if not text and self.skippable:
            self.skip()
            return
        problem = self.done(text)
        if problem:
            self.problem = problem
            self.app.dirty = True
            return
        self.app.advance()

    def skip(self) -> None:
        self.app.advance()

    def handle(self, event: pygame.event.Event) -> None:
        """Typing goes to the field (Enter is a new line); Ctrl+Enter hands the answer in; Tab moves to the
        buttons, where Enter presses one; the wheel over the field scrolls a long answer."""
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
                self.submit()
                return
            if self.on_buttons and self.focus.focused is not None:
                self.focus.focused.action()
                return
        if event.type == pygame.MOUSEWHEEL and self.field_view.collidepoint(pygame.mouse.get_pos()):
            self.field_first = max(0, self.field_first - event.y)
            self.follow_caret = False
            self.app.dirty = True
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_TAB:
            self.on_buttons = True
        elif event.type in (pygame.TEXTINPUT, pygame.TEXTEDITING):
            self.on_buttons = False
        if self.field.handle(event):
            self.problem = ""
            self.follow_caret = True
            self.app.dirty = True
            return
        if event.type == pygame.KEYDOWN and event.key not in (pygame.K_TAB, pygame.K_ESCAPE, pygame.K_PAGEUP,
                                                              pygame.K_PAGEDOWN):
            return  # typing keys belong to the field, not to the buttons
        super().handle(event)

    def draw_extra(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        rect = self.doc_rect(self.field_rect)
        surface.fill(theme.hover if not theme.high_contrast else (24, 24, 24), rect)
        pygame.draw.rect(surface, theme.accent, rect, max(2, m.px(2)))
        pygame.key.set_text_input_rect(rect)
        inner = rect.inflate(-m.px(24), -m.px(20))
        before = self.field.text[:self.field.cursor] + self.field.composing
        after = self.field.text[self.field.cursor:]
        lines = cache.wrap("serif", m.body, before + "\u2502" + after, inner.width - m.px(10))
        step = round(m.body * 1.5)
        visible = max(1, inner.height // step)
        caret_line = next((i for i, line in enumerate(lines) if "\u2502" in line), len(lines) - 1)
        if self.follow_caret:  # typing keeps the caret in view; the wheel may then look elsewhere
            self.field_first = min(self.field_first, caret_line)
            self.field_first = max(self.field_first, caret_line - visible + 1)
        first = self.field_first = max(0, min(self.field_first, len(lines) - visible))
        self.field_view = rect
        if len(lines) > visible:
            scrollbar(surface, inner.inflate(-m.px(10), 0).move(-m.px(10), 0), len(lines) * step, first * step,
                      theme, m)
        y = inner.top
        for line in lines[first:first + visible]:
            head, bar, tail = line.partition("\u2502")
            x = inner.left
            if head:
                x = cache.draw(surface, "serif", m.body, head, theme.ink, (x, y)).right
            if bar:
                surface.fill(theme.accent, pygame.Rect(x + 1, y + m.px(3), max(2, m.px(2)), m.body + m.px(2)))
                x += m.px(4)
            if tail:
                cache.draw(surface, "serif", m.body, tail, theme.ink, (x, y))
            y += step
        words = self.field.words
        count = f"{words} word{'s' if words != 1 else ''}"
        if self.min_words:
            count += f" (at least {self.min_words})"
        color = theme.accent if self.problem else theme.soft
        count_rect = self.doc_rect(self.count_rect)
        cache.draw(surface, "italic", m.small, self.problem or count, color, count_rect.topleft)

    def scripted(self) -> None:
        game = self.app.game
        if self.question_id and game.scripted_answers is not None:
            self.field = TextField(game.scripted_answers.get(self.question_id, ""))
            problem = self.done(self.field.text.strip()) if self.field.text.strip() else "no answer given"
            if problem:
                game.failure = f"question {self.question_id!r}: {problem}"
                self.app.quit(1)
                return
            self.app.advance()
        elif self.skippable:
            self.skip()
        else:
            game.failure = f"question {self.question_id!r} needs an answer (give them with --answers FILE)"
            self.app.quit(1)
