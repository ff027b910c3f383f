"""The places' pictures for the browser: the window's backgrounds drawn by code, as JPEG files.

Each picture is drawn once per worker, on its first request, off screen (SDL's dummy video
driver), and kept in memory; browsers are told to keep it for a day. 1280x720 JPEG is about
130 kB, the weight of the whole page around it a tenth of that.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache

from game.server.play import SUMMER  # a summer scene's picture: the same place without snow

SIZE = (1280, 720)
_lock = threading.Lock()


def name_for(picture: object) -> str:
    """The picture to show for a scene's picture (its ``background:`` value, with ``-summer`` out of
    winter; see play.picture_of): the drawing it names (a place, or a place at night), or "default" for
    anything else (a file path, a typo), so every URL made from it is served."""
    from game.ui.art.draw import resolve

    text = str(picture)
    summer = text.endswith(SUMMER)
    drawing = resolve(text.removesuffix(SUMMER) if summer else picture) or "default"
    return drawing + SUMMER if summer and drawing != "default" else drawing


def known(name: str) -> bool:
    """Whether ``name`` is a picture this server sends (its own name for a drawing, or the default)."""
    return name == "default" or name_for(name) == name


@lru_cache(maxsize=128)  # every place by day and night, in both seasons and both themes
def jpeg(name: str, high_contrast: bool = False) -> bytes:
    """The picture for a picture name (as :func:`name_for` gives), as JPEG bytes."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    summer = name.endswith(SUMMER)
    drawing = name.removesuffix(SUMMER)
    with _lock:  # pygame's drawing is not meant to be shared between threads
        from game.ui.art.draw import image_file

        return image_file(drawing if drawing != "default" else None, SIZE, high_contrast, "jpg", winter=not summer)
