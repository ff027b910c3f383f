"""How long the generated backgrounds take to draw, printed as JSON.

    SDL_VIDEODRIVER=dummy python bench/art_figures.py [--repeat 5]

For each window size and theme: the median and the slowest of the per-background medians (a
fresh render, the cache cleared before each; every place by day and at night), and what a
cached lookup costs. The window asks for a background on every scene change and resize, so a
fresh render must stay well under a frame budget's worth of work (50 ms) at 1280x720.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.ui.art import draw as art  # noqa: E402

SIZES = ((1280, 720), (800, 600), (1920, 1080))


def fresh_ms(name: str, size: tuple[int, int], high_contrast: bool, repeat: int) -> float:
    """The median time of a render that misses the cache."""
    times = []
    for _ in range(repeat):
        art._render.cache_clear()
        start = time.perf_counter()
        art.background(name, size, high_contrast)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cached_us(size: tuple[int, int]) -> float:
    art.background("station", size)
    start = time.perf_counter()
    for _ in range(1000):
        art.background("station", size)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="renders per background (median taken)")
    args = parser.parse_args()
    art.background("default", (64, 36))  # the paper grain tile is made once per process
    results = []
    for size in SIZES:
        for high_contrast in (False, True):
            names = (*art.SCENE_NAMES, *(n + art.NIGHT for n in art.SCENE_NAMES if not art.is_night(n)), None)
            per_name = {name: fresh_ms(name, size, high_contrast, args.repeat) for name in names}
            slowest = max(per_name, key=lambda n: per_name[n])
            results.append({
                "size": f"{size[0]}x{size[1]}", "high_contrast": high_contrast,
                "median_ms": round(statistics.median(per_name.values()), 1),
                "max_ms": round(per_name[slowest], 1), "slowest": slowest or "default",
            })
    print(json.dumps({"backgrounds": results, "cached_lookup_us": round(cached_us((1280, 720)), 2)}, indent=2))


if __name__ == "__main__":
    main()
