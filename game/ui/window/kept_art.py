"""The title's picture, drawn once and kept in the cache folder, so the first frame only reads it back.

Drawing the title's background by code (game/ui/art) and importing the
art modules is the largest single cost of the first frame. The finished
picture is kept as raw pixels under the cache folder (copied back into a
surface of the same pixel format, with no conversion), named by the window
size, the theme, and a CRC-32 of the art modules' source, pygame's version,
the pixel format and the season: a change to any of them draws it again, so the picture shown
is always the one the art code would draw now. Anything wrong with a kept
file (missing, damaged, the wrong length) only means drawing it again.
"""

from __future__ import annotations

import functools
import os
import zlib
from pathlib import Path

import pygame

from game.atomic import write_atomic_bytes
from game.loader.cache_folder import cache_dir, cache_enabled, keep_newest, own_folder
from game.loader.files import read_into
from game.ui.window.theme import Theme
from game.ui.window.widgets import art_available, background

ART_DIR = Path(__file__).resolve().parent.parent / "art"
SUFFIX = ".rgb"
MAX_KEPT = 4  # a few window sizes and both themes
MAX_PIXELS = 3840 * 2160  # larger windows are drawn each time rather than kept


def title_background(size: tuple[int, int], theme: Theme) -> pygame.Surface:
    """The title's background at ``size`` in ``theme``: read back when it was kept, else drawn and kept."""
    return _title_background((int(size[0]), int(size[1])), theme)


@functools.lru_cache(maxsize=2)
def _title_background(size: tuple[int, int], theme: Theme) -> pygame.Surface:
    folder = cache_dir() / "pictures"
    width, height = size
    if not cache_enabled() or width * height > MAX_PIXELS or not own_folder(folder):
        return background("title", size, theme)
    kept = pygame.Surface(size)  # the art's own pixel format: the kept bytes are read into it, not converted
    path = folder / f"{_key(kept, theme.high_contrast)}{SUFFIX}"
    pixels = kept.get_buffer()
    try:
        with memoryview(pixels) as view:  # type: ignore[arg-type]  # a BufferProxy exports its pixels
            found = read_into(path, view.cast("B"))
        if found:
            os.utime(path)  # kept longest: the pictures in use
            return kept
    except (OSError, ValueError, TypeError, pygame.error):
        pass
    finally:
        del pixels  # unlocks the surface
    surface = background("title", size, theme)
    if art_available() and surface.get_size() == kept.get_size() and _key(surface, theme.high_contrast) == path.stem:
        try:  # never keep the flat colour drawn when the art failed, nor a picture of another format
            write_atomic_bytes(path, surface.get_buffer().raw, lock=False)
            keep_newest(folder, f"*{SUFFIX}", MAX_KEPT)
        except (OSError, pygame.error):
            pass  # not kept: drawn again next time
    return surface


@functools.cache
def _art_fingerprint() -> str:
    """The CRC-32 of every art module's source (zlib is loaded with pygame; hashlib would cost the first
    frame its OpenSSL import, and noticing an edited module is all this needs)."""
    return ",".join(f"{path.name}:{zlib.crc32(path.read_bytes()):08x}" for path in sorted(ART_DIR.glob("*.py")))


def _key(surface: pygame.Surface, high_contrast: bool) -> str:
    """Names the picture: the size, the theme, and a CRC-32 of the art's source, pygame's version and the
    pixel format (the title is drawn in winter)."""
    (width, height), layout = surface.get_size(), (surface.get_bitsize(), surface.get_masks(), surface.get_pitch())
    made_by = zlib.crc32(f"{_art_fingerprint()}|{pygame.version.ver}|{layout}|winter".encode())
    return f"title-{width}x{height}-{'contrast' if high_contrast else 'paper'}-{made_by:08x}"
