"""The notebook: every answer the student has written in this playthrough, and a button to keep them.

Answers are easy to lose between chapters; the notebook shows them all in
one place (the question in italics, the answer beneath) and writes them to
a text file the student can hand in or keep.
"""

from __future__ import annotations

from game.session.notebook import export_notebook
from game.ui.window.doc import Doc
from game.ui.window.page import DocPage
from game.ui.window.widgets import Button


class NotebookScreen(DocPage):
    name = "notebook"

    def background_name(self) -> str:
        return self.place_background()

    def answers(self) -> dict[str, str]:
        """This playthrough's answers: the reflections, and a teacher's questions during an assignment."""
        game = self.app.game
        answers = dict(game.answers)
        session = game.session
        if session is not None:
            for answer in session.answers.values():
                answers.setdefault(answer.question.text, answer.text)
        return answers

    def fill(self, doc: Doc) -> None:
        m, theme = self.m, self.theme
        self.label(doc, "Notebook")
        self.heading(doc, "My answers")
        self.accent_rule(doc)
        answers = self.answers()
        if not answers:
            self.para(doc, "Nothing written yet. At the end of each chapter a question asks what you think; "
                           "your answers gather here, and Export keeps them in a text file.", face="italic",
                      color=theme.soft)
        for question, answer in answers.items():
            doc.text(question, "italic", m.body, theme.soft, after=0.4, leading=1.4)
            for part in answer.split("\n"):
                doc.text(part or " ", "serif", m.body, theme.ink, after=0.2, indent=m.px(16), leading=1.45)
            doc.space(round(m.body * 1.1))

    def buttons(self) -> list[Button]:
        return [Button("Export as a text file", self.export, enabled=bool(self.answers())),
                Button("Back", self.app.pop)]

    def export(self) -> None:
        story = self.app.story
        try:
            path = export_notebook(story.id, story.title, self.answers())
        except OSError as exc:
            self.app.show_error("The notebook could not be written", [str(exc)])
            return
        self.app.show_error("Notebook exported", ["Your answers were written to:", str(path)])

    def scripted(self) -> None:
        self.app.pop()
