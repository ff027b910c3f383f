"""History: the text read and the choices made so far (:mod:`game.runtime.history`), scrollable.

The playthrough keeps its steps, not the text, so the history is rebuilt
by replaying the steps on a fresh copy: every paragraph reads exactly as
it did, conditions and all. If the story changed so that the steps no
longer fit, the rest is listed as the choices alone.
"""

from __future__ import annotations

from game.runtime.history import passages
from game.ui.window.doc import Doc
from game.ui.window.page import DocPage


class HistoryScreen(DocPage):
    name = "history"

    def background_name(self) -> str:
        return self.place_background()

    def fill(self, doc: Doc) -> None:
        m, theme = self.m, self.theme
        play = self.app.game.play
        assert play is not None
        self.label(doc, "History")
        self.heading(doc, "The story so far")
        self.accent_rule(doc)
        chapter = None
        for passage in passages(play):
            if passage.chapter and passage.chapter != chapter:
                chapter = passage.chapter
                doc.text(chapter.upper(), "serif", m.small, theme.accent, after=0.8, tracking=m.px(2))
            doc.text(passage.title, "serif", round(m.body * 1.2), theme.ink, after=0.35, leading=1.3)
            for para in passage.paragraphs:
                doc.text(para, "serif", m.body, theme.soft, after=0.6)
            if passage.chosen:
                doc.text(f"\u203a {passage.chosen}", "serif", m.body, theme.accent, after=0.3, indent=m.px(12))
            if passage.aftermath:
                doc.text(passage.aftermath, "italic", m.body, theme.soft, after=0.3, indent=m.px(12))
            doc.space(round(m.body * 1.2))
        if not self.version:
            self.version = 1
            self.scroller.offset = 10**9  # open at the most recent scene

    def scripted(self) -> None:
        self.app.pop()
