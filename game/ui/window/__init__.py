"""The game window (pygame-ce): a text-first player for the story.

``run_window(story, args) -> int`` is what ``kira play`` calls when there
is a display. The screens live in one module each; :mod:`.app` owns the
loop, :mod:`.theme` the palette and fonts, :mod:`.text` wrapping and the
render cache, and :mod:`.art` the backgrounds drawn by code.
"""

from game.ui.window.app import run_window

__all__ = ["run_window"]
