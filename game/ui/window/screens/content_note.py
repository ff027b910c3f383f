"""The content note shown before a new game."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from game.ui.window.doc import Doc
from game.ui.window.page import DocPage
from game.ui.window.widgets import Button

if TYPE_CHECKING:
    from game.ui.window.app import App


class ContentNoteScreen(DocPage):
    """The story's content note; the game starts only when the player goes on."""

    name = "content-note"

    def __init__(self, app: App, begin: Callable[[], None]):
        super().__init__(app)
        self.begin = begin

    def fill(self, doc: Doc) -> None:
        self.label(doc, "Before you begin")
        self.heading(doc, "A note on what this story contains")
        self.accent_rule(doc)
        self.para(doc, self.app.story.content_note)
        self.para(doc, "You can save at any time with Save at the foot of each scene (or the menu: Esc or the right "
                       "mouse button), and the game keeps an autosave at every scene. With a screen reader, play "
                       "in the terminal instead (kira play --ui terminal --plain).", face="italic",
                  color=self.theme.soft)

    def buttons(self) -> list[Button]:
        return [Button("Back", self.app.pop), Button("Begin the story", self.begin)]

    def scripted(self) -> None:
        self.begin()
