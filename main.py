"""Start the game: ``python main.py`` is ``kira play``."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
