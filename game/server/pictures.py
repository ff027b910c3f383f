"""The places' pictures for the browser: the window's backgrounds drawn by code, as JPEG files.

Each picture is drawn once per worker, on its first request, off screen (SDL's dummy video
driver), and kept in memory; browsers are told to keep it for a day. 1280x720 JPEG is about
130 kB, the weight of the whole page around it a tenth of that.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache

SIZE = (1280, 720)
_lock = threading.Lock()


def names() -> tuple[str, ...]:
    from game.ui.art.draw import SCENE_NAMES

    return SCENE_NAMES


def known(name: str) -> bool:
    """Whether ``name`` is a picture the art draws (anything else gets the quiet default)."""
    return name in names() or name == "default"


@lru_cache(maxsize=64)
def jpeg(name: str, high_contrast: bool = False) -> bytes:
    """The picture for a scene's ``background:`` name, as JPEG bytes."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    with _lock:  # pygame's drawing is not meant to be shared between threads
        from game.ui.art.draw import image_file

        return image_file(name if name in names() else None, SIZE, high_contrast, "jpg")
