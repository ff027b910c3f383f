"""``python -m game`` is ``kira``."""

import sys

from .cli import main

sys.exit(main())
