"""History: the text read and the choices made so far, scrollable (wheel, PgUp/PgDn, Home/End).

The playthrough keeps its steps, not the text, so the history is rebuilt
by replaying the steps on a fresh copy: every paragraph reads exactly as
it did, conditions and all. If the story changed so that the steps no
longer fit, the rest is listed as the choices alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.errors import PlayError
from game.runtime.model import Choice
from game.runtime.playthrough import Playthrough, Step, replay
from game.ui.window.page import DocPage
from game.ui.window.text import Doc


@dataclass(frozen=True)
class Passage:
    chapter: str
    title: str
    paragraphs: tuple[str, ...]
    chosen: str = ""
    aftermath: str = ""


def passages(play: Playthrough) -> list[Passage]:
    """What the player read in each scene and chose there, oldest first, ending with the current scene."""
    story = play.story
    read: list[tuple[str, str, tuple[str, ...]]] = []

    def before_step(again: Playthrough, index: int, step: Step, choice: Choice) -> str:
        read.append((again.chapter.title if again.chapter else "", again.scene.title, tuple(again.text())))
        return ""

    try:
        result = replay(story, play.steps, play.start_scene, seed=play.seed, check=before_step)
    except PlayError:  # a paragraph the story cannot show any more: list the choices alone
        result = None
    done = len(result.turns) if result is not None else 0
    out = [Passage(chapter, title, text, step.label, turn.aftermath)
           for (chapter, title, text), step, turn in zip(read, play.steps, result.turns if result else [],
                                                          strict=False)]
    out += [Passage("", story.scenes[s.scene].title if s.scene in story.scenes else s.scene, (), s.label)
            for s in play.steps[done:]]
    chapter = play.chapter.title if play.chapter else ""
    out.append(Passage(chapter, play.scene.title, tuple(play.text())))
    return out


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
