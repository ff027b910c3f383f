"""``kira explore``: play a story automatically and report coverage, endings, dead ends and errors."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from game.authoring.explore.plans import plan_files, run_plan
from game.authoring.explore.random import explore_random
from game.authoring.explore.search import DEFAULT_MAX_STATES, explore_exhaustive
from game.cli.common import add_story_arguments, load_or_report
from game.cli.impact import print_impact

LONG_RUN = 2000  # playthroughs from which a progress bar is worth showing


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_story_arguments(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--random", type=_positive, metavar="N", help="play N random playthroughs (the default: 1000)")
    mode.add_argument("--exhaustive", action="store_true",
                      help="search every reachable state breadth-first, merging states that behave alike")
    mode.add_argument("--plan", type=Path, metavar="FILE",
                      help="run a test plan (a YAML list of steps), or every *.plan.yaml in a folder")
    mode.add_argument("--impact", action="store_true",
                      help="what each choice changes that a player can see later; choices without consequence")
    parser.add_argument("--samples", type=_positive, default=2000, metavar="N",
                        help="random playthroughs behind the ending shares of --impact (default 2000)")
    parser.add_argument("--brief", action="store_true", help="with --impact: print only the findings")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random playthroughs (default 0)")
    parser.add_argument("--max-states", type=_positive, default=None, metavar="N",
                        help="stop the exhaustive search after N states (default 100000)")
    parser.add_argument("--max-steps", type=_positive, default=1000, metavar="N",
                        help="give up a random playthrough after N choices (default 1000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def run(args: argparse.Namespace) -> int:
    story = load_or_report(args)
    if story is None:
        return 1
    if args.plan is not None:
        return _run_plan(story, args)
    if args.impact:
        return print_impact(story, args)

    if args.exhaustive:
        cap = args.max_states or DEFAULT_MAX_STATES
        with _progress("Searching", cap, True) as tick:
            report = explore_exhaustive(story, cap, tick)
    else:
        runs = 1000 if args.random is None else args.random
        with _progress("Playing", runs, runs >= LONG_RUN) as tick:
            report = explore_random(story, runs, args.seed, args.max_steps, tick)
    data = report.to_json()
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        _print_report(data, story.title, args)
    return 1 if report.failed else 0


@contextmanager
def _progress(what: str, total: int, show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr for long runs (none when stderr is not a terminal)."""
    if not show or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(f"{what}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done, _total: bar.update(task, completed=done)


def _print_report(data: dict[str, Any], title: str, args: argparse.Namespace) -> None:
    if data["mode"] == "random":
        how = f"{data['playthroughs']:,} random playthroughs (seed {args.seed})"
    else:
        how = f"an exhaustive search ({data['states']:,} states)"
    print(f"{title}: {how} in {data['seconds']:.2f} s, {data['steps']:,} steps "
          f"({data['steps_per_second']:,} a second).")
    if data["mode"] == "exhaustive":
        print(data["message"])
    print(f"Scenes reached: {data['reached_scenes']} of {data['scenes']}. "
          f"Choices taken: {data['taken_choices']} of {data['choices']}.")
    _print_list("Never reached", data["unreached_scenes"])
    _print_list("Never taken (scene:choice)", data["untaken_choices"])
    total = sum(data["reached_endings"].values()) or 1
    print("Endings:" if data["mode"] == "random" else "Endings (with how many searched states step into each):")
    for ending in data["endings"]:
        count = data["reached_endings"].get(ending, 0)
        share = f"  {count / total:6.1%}" if data["mode"] == "random" else ""
        print(f"  {ending:<24} {count:>8,}{share}" if count else f"  {ending:<24}   never reached")
    lengths = {k: f"{v:g}" for k, v in data["path_length"].items()}
    print(f"Path length in choices: min {lengths['min']}, median {lengths['median']}, max {lengths['max']}.")
    if data["unfinished"]:
        print(f"{data['unfinished']} playthrough(s) reached no ending within {args.max_steps} choices.")
    for kind in ("dead_ends", "errors"):
        _print_findings(kind, data[kind], args)
    _print_list("Unresolved", data.get("unresolved", []))


def _print_list(label: str, items: list[str], limit: int = 20) -> None:
    if items:
        shown = ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")
        print(f"{label}: {shown}")


def _print_findings(kind: str, findings: list[dict[str, Any]], args: argparse.Namespace) -> None:
    name = "Dead ends" if kind == "dead_ends" else "Errors"
    if not findings:
        print(f"{name}: none.")
        return
    print(f"{name}: {len(findings)}")
    story = f" --story {args.story}" if args.story else ""
    packs = "".join(f" --pack {p}" for p in args.pack)
    for finding in findings:
        print(f"  {finding['message']} (met {finding['count']:,} time(s))")
        path = " > ".join(f"{step['scene']} [{step['choice']}]" for step in finding["path"]) or "at the start"
        print(f"    path: {path}")
        choices = f" --choices {finding['choices']}" if finding["choices"] else ""
        print(f"    replay: kira play --ui terminal{story}{packs}{choices}")


def _run_plan(story: Any, args: argparse.Namespace) -> int:

    files = plan_files(args.plan)
    if not files:
        print(f"{args.plan}: no test plans (files ending in .plan.yaml) here.", file=sys.stderr)
        return 1
    results = [run_plan(story, path) for path in files]
    if args.json:
        print(json.dumps([result.to_json() for result in results], indent=2))
    else:
        for result in results:
            print(result.text())
    return 0 if all(result.passed for result in results) else 1
