"""Save in a tight loop until killed: the crash test's victim.

usage: save_killer.py STORY_DIR SAVE_DIR READY_FILE

Plays the story (restarting at each ending) and writes slot 1 and the
autosave after every choice, forever. The parent kills it with SIGKILL
at random moments and checks that every file left behind still loads.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from game.errors import PlayError
from game.loader.story import load_story
from game.runtime.playthrough import Playthrough
from game.session.saves import AUTOSAVE, SaveStore


def main() -> None:
    story = load_story(sys.argv[1])
    store = SaveStore(story, Path(sys.argv[2]))
    ready = Path(sys.argv[3])
    rng = random.Random()
    play = Playthrough(story)
    count = 0
    while True:
        if play.is_over:
            play.restart()
        try:
            play.choose(rng.randrange(len(play.choices())))
        except PlayError:
            continue  # the fixture has a deliberately broken choice; pick again
        store.save("1", play)
        store.save(AUTOSAVE, play)
        count += 2
        ready.write_text(str(count))


if __name__ == "__main__":
    main()
