"""Who reaches which ending, and how much of herself each Kira gave up on the way.

``python bench/story_fates.py`` plays seeded random playthroughs of the
shipped story (each choice picked uniformly among those on offer, as
``kira explore --random`` does) and prints, for every ending, its share of
the runs and the average of ``compromise`` (how many of the state's words
Kira learned to say) and ``spirit`` at the end, beside the averages over all
runs. The Exception, the escape that must stay rare, is meant to be reached
by few runs, and by Kiras who compromised less than most: these figures are
how that is checked (tests/test_story_continuity.py asserts the same).
``--runs`` and ``--seed`` change the sample; ``--json`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.loader.story import load_story  # noqa: E402
from game.runtime.model import Story  # noqa: E402
from game.runtime.playthrough import Playthrough  # noqa: E402

SHIPPED = ROOT / "story" / "we_the_living"


@dataclass(frozen=True)
class Run:
    """The end of one random playthrough."""

    ending: str
    variables: dict[str, object]


def random_runs(story: Story, runs: int, seed: int) -> list[Run]:
    """Play ``runs`` playthroughs, each choice uniform among the ones offered."""
    rng = random.Random(seed)
    done: list[Run] = []
    for _ in range(runs):
        play = Playthrough(story, clock=False)
        while not play.is_over:
            play.choose(rng.randrange(len(play.choices())))
        assert play.ending is not None
        done.append(Run(play.ending.id, dict(play.variables)))
    return done


def fates(done: list[Run]) -> dict[str, dict[str, float]]:
    """Per ending (and ``all``): share of runs, mean compromise, mean spirit."""
    groups: dict[str, list[Run]] = defaultdict(list)
    for run in done:
        groups[run.ending].append(run)
    groups["all"] = done
    return {name: {"share": len(group) / len(done),
                   "compromise": statistics.fmean(float(r.variables["compromise"]) for r in group),  # type: ignore[arg-type]
                   "spirit": statistics.fmean(float(r.variables["spirit"]) for r in group)}  # type: ignore[arg-type]
            for name, group in sorted(groups.items(), key=lambda kv: -len(kv[1]))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    table = fates(random_runs(load_story(SHIPPED), args.runs, args.seed))
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    print(f"{args.runs:,} random playthroughs (seed {args.seed})")
    print(f"{'ending':<14}{'share':>8}{'compromise':>12}{'spirit':>8}")
    for name, row in table.items():
        print(f"{name:<14}{row['share']:>8.1%}{row['compromise']:>12.1f}{row['spirit']:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
