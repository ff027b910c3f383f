"""Timings of the writers' tools: what `kira lsp` runs after each pause in typing, the impact analysis,
and the exhaustive search on a story whose effects compute (``python bench/writers_figures.py``).

Prints one line per figure (the median of several runs); docs/BENCHMARKS.md quotes them.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.authoring.check import check_and_lint  # noqa: E402
from game.authoring.explore.impact import analyse_impact  # noqa: E402
from game.authoring.explore.search import explore_exhaustive  # noqa: E402
from game.loader.story import load_story  # noqa: E402

STORY = ROOT / "story" / "we_the_living"
PACK = ROOT / "story" / "packs" / "irina_sasha"


def median_seconds(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def computed_copy(folder: Path) -> Path:
    """The shipped story with one effect that divides (the case that used to stop at the state cap)."""
    copy = folder / "story"
    shutil.copytree(STORY, copy)
    ship = copy / "part1" / "ch3_ship.yaml"
    text = ship.read_text()
    ship.write_text(text.replace("add: {money: 10, suspicion: 6}", 'add: {money: "spirit / 10", suspicion: 6}', 1))
    return copy


def main() -> None:
    unsaved = {STORY / "part1" / "ch1_return.yaml": (STORY / "part1" / "ch1_return.yaml").read_text()}
    print(f"check and lint, the story: {median_seconds(lambda: check_and_lint(STORY, (), unsaved)):.2f} s")
    print(f"check and lint, story and pack: {median_seconds(lambda: check_and_lint(STORY, [PACK], unsaved)):.2f} s")
    story = load_story(STORY, [PACK])
    print(f"impact analysis, no samples: {median_seconds(lambda: analyse_impact(story, samples=0)):.2f} s")
    print(f"impact analysis, 2,000 samples: {median_seconds(lambda: analyse_impact(story), 3):.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        computed = load_story(computed_copy(Path(folder)))
        started = time.perf_counter()
        data = explore_exhaustive(computed).to_json()
        print(f"exhaustive search with 'spirit / 10': {time.perf_counter() - started:.1f} s, {data['states']:,} "
              f"states, {data['reached_scenes']} of {data['scenes']} scenes, complete={data['complete']}, "
              f"{len(data['unresolved'])} unresolved")


if __name__ == "__main__":
    main()
