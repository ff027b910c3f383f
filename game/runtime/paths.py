"""Paths through a story that tools and maps share: the novel's own path.

The novel's path is played through the engine, never guessed from the
files, so routers send it where they really would.
"""

from __future__ import annotations

from game.errors import PlayError
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough, Turn

MAX_NOVEL_STEPS = 10_000


def follow_novel(story: Story) -> tuple[Playthrough | None, list[Turn]]:
    """Play choosing what Kira does in the novel (``novel: true``) while there is such a choice.

    Returns the playthrough where it stopped (an ending, or a scene with no
    novel choice) and the turns taken. A story that fails at its start
    (a router loop) gives no playthrough; ``kira validate`` says why.
    """
    try:
        play = Playthrough(story, clock=False)
    except PlayError:
        return None, []
    turns: list[Turn] = []
    while not play.is_over and len(turns) < MAX_NOVEL_STEPS:
        try:
            novel = next((i for i, view in enumerate(play.choices()) if view.novel), None)
            if novel is None:
                break
            turns.append(play.choose(novel))
        except PlayError:
            break
    return play, turns
