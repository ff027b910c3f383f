"""The ending: its pages from the story, the summary of the player's path, and the last screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.runtime.summary import count, summarize
from game.ui.window.doc import Doc
from game.ui.window.page import DocPage
from game.ui.window.screens.pause import open_screen
from game.ui.window.widgets import Button

if TYPE_CHECKING:
    from game.ui.window.app import App

PAGES = ("epilogue", "what was taken", "the novel")


class EndingPage(DocPage):
    """Page 0: the epilogue; 1: what the state took and could not take; 2: how the novel ends."""

    root = True

    def __init__(self, app: App, page: int):
        super().__init__(app)
        self.page = page
        self.name = f"ending-{page + 1}"

    @property
    def ending(self):
        play = self.app.game.play
        assert play is not None and play.ending is not None
        return play.ending

    def background_name(self) -> str:
        return self.ending.background or "title"

    def fill(self, doc: Doc) -> None:
        ending, m, theme = self.ending, self.m, self.theme
        parts = ending.ending
        self.label(doc, f"An ending · {PAGES[self.page]}")
        self.heading(doc, ending.title, after=0.25)
        where = " · ".join(p for p in (ending.location, ending.date) if p)
        if where:
            doc.text(where, "italic", round(m.body * 0.9), theme.soft, after=0.3)
        self.accent_rule(doc)
        if self.page == 0:
            play = self.app.game.play
            text = (play.text() if play is not None else []) or [parts.epilogue]
            for para in text:
                self.para(doc, para)
        elif self.page == 1:
            self.subheading(doc, "What the state took")
            self.para(doc, parts.state_took, after=1.2)
            self.subheading(doc, "What it could not take")
            self.para(doc, parts.could_not_take)
        else:
            self.subheading(doc, "How the novel ends")
            self.para(doc, parts.novel)

    def buttons(self) -> list[Button]:
        return [Button("Continue", self.app.advance)]

    def scripted(self) -> None:
        self.app.advance()


class SummaryScreen(DocPage):
    """How the player's path compares with the novel: agreement, decisive choices, departures."""

    name = "summary"
    root = True

    def background_name(self) -> str:
        return self.place_background()

    def fill(self, doc: Doc) -> None:
        m, theme = self.m, self.theme
        play = self.app.game.play
        assert play is not None
        summary = summarize(play)
        self.label(doc, "Your path")
        self.heading(doc, f"{summary.ending_title}: how you got here")
        self.accent_rule(doc)
        big = round(m.body * 2.6)
        doc.text(f"{summary.agreement:.0%}", "serif", big, theme.accent, after=0.05, leading=1.1)
        doc.text(f"of the time you chose as the novel's Kira did: {summary.matched} of "
                 f"{count(summary.novel_moments, 'moment')} where she faced the same choice. You made "
                 f"{count(summary.choices_made, 'choice')} in all.", "serif", m.body, theme.ink, after=1.0)
        if summary.decisive:
            self.subheading(doc, "The choices that decided most")
            for title, label in summary.decisive:
                doc.text(title, "serif", m.body, theme.ink, after=0.0)
                doc.text(label, "italic", m.body, theme.soft, after=0.6, indent=m.px(24))
            doc.space(m.px(10))
        if summary.departures:
            self.subheading(doc, "Where you left the novel's road")
            for departure in summary.departures:
                doc.text(departure.scene_title, "serif", m.body, theme.ink, after=0.0)
                doc.text(f"You: {departure.chosen}", "italic", m.body, theme.soft, indent=m.px(24))
                doc.text(f"Kira: {departure.novel}", "italic", m.body, theme.accent2, after=0.6, indent=m.px(24))

    def buttons(self) -> list[Button]:
        return [Button("Continue", self.app.advance)]

    def scripted(self) -> None:
        self.app.advance()


class TheEndScreen(DocPage):
    name = "the-end"
    root = True

    def background_name(self) -> str:
        play = self.app.game.play
        return play.scene.background if play is not None and play.scene.background else "title"

    def fill(self, doc: Doc) -> None:
        m, theme = self.m, self.theme
        game = self.app.game
        play = game.play
        assert play is not None and play.ending is not None
        self.label(doc, "The end")
        self.heading(doc, play.ending.title)
        self.accent_rule(doc)
        endings = self.app.story.endings
        gallery = game.gallery
        reached = sum(1 for e in endings if gallery.reached(e.id)) if gallery is not None else 1
        if len(endings) == 1:
            line = "This story has one ending, and you have reached it."
        else:
            line = (f"You have reached {reached} of the story's {len(endings)} endings. Each other one is a "
                    "different answer to what a life is worth; the road to it begins with one different choice.")
        doc.text(line, "serif", m.body, theme.ink, after=0.8)
        answers = game.answers
        if answers:  # the student's own thinking, gathered: what this playthrough leaves them with
            self.subheading(doc, "What you wrote along the way")
            for question, answer in answers.items():
                doc.text(question, "italic", m.body, theme.soft, after=0.3, leading=1.4)
                doc.text(answer, "serif", m.body, theme.ink, after=0.8, indent=m.px(16), leading=1.45)
            doc.text("The notebook (N) keeps them and exports them as a text file.", "italic", m.small,
                     theme.soft, after=0.5)

    def buttons(self) -> list[Button]:
        game = self.app.game

        def gallery() -> None:

            open_screen(self.app, "gallery")

        def notebook() -> None:
            from game.ui.window.screens.pause import open_screen

            open_screen(self.app, "notebook")

        extra = [Button("Notebook", notebook)] if game.answers else []
        return extra + [Button("Endings", gallery), Button("Title screen", game.to_title),
                        Button("Play again", game.new_game)]

    def scripted(self) -> None:
        self.app.quit()
