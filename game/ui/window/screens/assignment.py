"""Assignments in the window: the student's name, the teacher's instructions, and handing in.

``kira play --ui pygame --assignment FILE`` runs the same
:class:`~game.session.runner.Session` as the terminal: the
questions come at their moments (a chapter's end, a scene, the ending)
with real text entry and the minimum word counts, and the submission is
written when the story ends and every question is answered.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pygame

from game.classroom.assignment import load_assignment
from game.classroom.handin import default_out, read_answers
from game.errors import StoryError
from game.runtime.playthrough import Playthrough
from game.runtime.summary import count
from game.session.assignment import AssignmentSession, progress_path
from game.ui.window.doc import Doc
from game.ui.window.page import DocPage
from game.ui.window.screens.boxes import ConfirmBox, MessageBox
from game.ui.window.screens.entry import TextField
from game.ui.window.widgets import Button

if TYPE_CHECKING:
    from game.ui.window.app import App
    from game.ui.window.flow import Game


def start_assignment(game: Game) -> None:
    """Read the assignment (and scripted answers); then ask the name or show the instructions."""
    app, args = game.app, game.app.args
    try:
        assignment = load_assignment(args.assignment, app.story)
    except StoryError as exc:
        lines = [d.format() for d in exc.diagnostics[:10]]
        fail(game, "The assignment file has problems", lines)
        return
    if getattr(args, "answers", None):
        game.scripted_answers, problems = read_answers(args.answers)
        if game.scripted_answers is None:
            fail(game, "The answers file has problems", [d.format() for d in problems[:10]])
            return
    game.assignment = assignment
    student = (getattr(args, "student", None) or "").strip()
    if student:
        open_session(game, student)
    elif game.scripted:
        fail(game, "A name is needed", ["A scripted assignment needs --student NAME."])
    else:
        app.replace_all(NameScreen(app))


def fail(game: Game, title: str, lines: list[str]) -> None:
    game.failure = f"{title}: " + " ".join(lines)
    box = MessageBox(game.app, title, lines, [Button("Quit", lambda: game.app.quit(1))])
    game.app.replace_all(box)
    if game.scripted:
        game.app.quit(1)


def open_session(game: Game, student: str, replace: bool = False) -> None:
    """A new session kept in a progress file; or, when the student left one unfinished, the offer to go on.
    A submission already written under this name is never replaced without asking."""

    app = game.app
    out = getattr(app.args, "out", None) or default_out(student)
    if out.exists() and not (replace or getattr(app.args, "replace", False)):
        if game.scripted:
            fail(game, "A submission is already there",
                 [f"{out} already holds a submission; give --replace to write over it, or another --out."])
            return
        app.replace_all(MessageBox(app, "A submission under this name", [
            f"{out} already holds a submission by {student}.",
            "Playing again replaces it when you hand in. To keep it, quit now."],
            [Button("Play again", lambda: open_session(game, student, replace=True)),
             Button("Keep it and quit", lambda: app.quit(0))]))  # the last button has the focus: keeping is safe
        return
    play = Playthrough(app.story, seed=int(getattr(app.args, "seed", 0) or 0))
    assert game.assignment is not None
    progress = None if game.scripted else progress_path(game.assignment, student, app.story)
    game.pending = AssignmentSession(game.assignment, play, student, progress=progress)
    app.replace_all(InstructionsScreen(app))
    kept = AssignmentSession.resume(game.assignment, app.story, student, progress) \
        if progress is not None and progress.exists() else None
    if kept is None:
        return
    chapter = kept.play.chapter
    where = " - ".join(part for part in (chapter.title if chapter else "", kept.play.scene.title) if part)

    def go_on() -> None:
        game.pending = kept

    app.push(ConfirmBox(app, "An unfinished assignment",
                        [f"You stopped at {where}, after {count(len(kept.play.steps), 'choice')}, with "
                         f"{count(len(kept.answers), 'answer')} written.", "Go on from there, or start again?"],
                        go_on, yes="Go on", no="Start again"))


def begin_session(game: Game) -> None:
    """Play the named assignment: its first scene, or, resumed, the questions left open (and the hand-in)."""
    assert game.pending is not None
    game.begin_assignment(game.pending)


class NameScreen(DocPage):
    """The student's name, typed (TEXTINPUT), as the teacher should see it."""

    name = "student-name"
    wants_text = True
    root = True

    def __init__(self, app: App):
        super().__init__(app)
        self.field = TextField(multiline=False, limit=80)
        self.problem = ""

    def fill(self, doc: Doc) -> None:
        game = self.app.game
        assert game.assignment is not None
        self.label(doc, f"Assignment: {game.assignment.title}")
        self.heading(doc, "Your name")
        self.accent_rule(doc)
        self.para(doc, "Type your name as your teacher should see it, then press Enter.")
        self.field_rect = doc.block(round(self.m.body * 2.4), "field", after=self.m.px(10))
        if self.problem:
            self.para(doc, self.problem, color=self.theme.accent)

    def buttons(self) -> list[Button]:
        return [Button("Quit", self.app.quit), Button("Go on", self.submit)]

    def submit(self) -> None:
        name = self.field.text.strip()
        if not name:
            self.problem = "A name is needed to hand in the assignment."
            self.invalidate()
            return
        open_session(self.app.game, name)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            focused = self.focus.focused
            (focused.action if focused is not None else self.submit)()
            return
        if self.field.handle(event):
            self.app.dirty = True
            return
        if event.type == pygame.KEYDOWN and event.key not in (pygame.K_TAB, pygame.K_ESCAPE):
            return
        super().handle(event)

    def draw_extra(self, surface: pygame.Surface) -> None:
        m, theme = self.m, self.theme
        rect = self.doc_rect(self.field_rect)
        surface.fill(theme.hover if not theme.high_contrast else (24, 24, 24), rect)
        pygame.draw.rect(surface, theme.accent, rect, max(2, m.px(2)))
        pygame.key.set_text_input_rect(rect)
        text = self.field.text[:self.field.cursor] + self.field.composing
        x = rect.left + m.px(14)
        y = rect.centery - round(m.body * 0.65)
        if text:
            x = self.cache.draw(surface, "serif", m.body, text, theme.ink, (x, y)).right
        surface.fill(theme.accent, pygame.Rect(x + 1, y + m.px(3), max(2, m.px(2)), m.body + m.px(2)))
        rest = self.field.text[self.field.cursor:]
        if rest:
            self.cache.draw(surface, "serif", m.body, rest, theme.ink, (x + m.px(4), y))


class InstructionsScreen(DocPage):
    name = "instructions"
    root = True

    def fill(self, doc: Doc) -> None:
        session = self.app.game.pending
        assert session is not None
        assignment = session.assignment
        self.label(doc, "Assignment")
        self.heading(doc, assignment.title)
        self.accent_rule(doc)
        self.para(doc, assignment.instructions or "Play the story and answer the questions when they come.")
        count = len(assignment.questions)
        self.para(doc, f"{count} question{'s' if count != 1 else ''} will be asked as you play. "
                       f"Playing as {session.student}.", face="italic", color=self.theme.soft)
        if not assignment.allow_undo:
            self.para(doc, "Undo is switched off for this assignment.", face="italic", color=self.theme.soft)

    def buttons(self) -> list[Button]:
        return [Button("Begin", lambda: begin_session(self.app.game))]

    def scripted(self) -> None:
        begin_session(self.app.game)


class SubmissionScreen(DocPage):
    """At the end: write the submission (when every question is answered) and say where it went."""

    name = "submission"
    root = True

    def __init__(self, app: App):
        super().__init__(app)
        self.written: list[str] = []
        self.error = ""
        self.hand_in()

    def hand_in(self) -> None:
        from game.classroom.documents import write_submission

        session = self.app.game.session
        assert session is not None
        missing = session.missing()
        if missing:
            self.error = "Unanswered: " + ", ".join(q.id for q in missing) + ". No submission was written."
            return
        out = getattr(self.app.args, "out", None) or default_out(session.student)
        try:
            self.written = [str(p) for p in write_submission(session.submission(), out, self.app.story)]
        except OSError as exc:
            self.error = f"The submission could not be written: {exc}"
            return
        session.finish()
        print("Submission written: " + ", ".join(self.written), file=sys.stderr)

    def fill(self, doc: Doc) -> None:
        session = self.app.game.session
        assert session is not None
        self.label(doc, "Assignment")
        self.heading(doc, f"Handed in by {session.student}" if self.written else "Not handed in")
        self.accent_rule(doc)
        if self.written:
            self.para(doc, "Thank you. Your playthrough and your answers were saved for your teacher:")
            for path in self.written:
                self.para(doc, path, face="italic", color=self.theme.soft, after=0.2)
        else:
            self.para(doc, self.error, color=self.theme.accent)

    def buttons(self) -> list[Button]:
        return [Button("Quit", lambda: self.app.quit(0 if self.written else 1))]

    def scripted(self) -> None:
        self.app.quit(0 if self.written else 1)
