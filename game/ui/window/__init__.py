"""The game window (pygame-ce): a text-first player for the story.

``run_window(story, args) -> int`` is what ``kira play`` calls when there
is a display; ``run_window_first(front, args, load)`` when the title can be
shown from the story's front matter before the story is loaded.

The screens live in one module each; :mod:`.app` owns the loop,
:mod:`.theme` the palette and fonts, :mod:`.text` wrapping and the
render cache, and :mod:`.art` the backgrounds drawn by code.
"""

from game.ui.window.app import run_window, run_window_first

__all__ = ["run_window", "run_window_first"]
