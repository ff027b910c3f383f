"""``kira validate``: load a story, run the lint rules, list every problem as path:line:col."""

from __future__ import annotations

import argparse
import json
import sys
import threading

from game.authoring.check import check_and_lint
from game.authoring.lint import LOAD_CODES, RULES
from game.cli.common import add_story_arguments, default_story_dir, print_diagnostics
from game.runtime.summary import count


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_story_arguments(parser, positional=True)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--rules", action="store_true", help="list the lint rules and exit")
    parser.add_argument("--watch", action="store_true",
                        help="check again whenever a file of the story or its packs changes (Ctrl+C stops)")
    parser.add_argument("--impact", action="store_true",
                        help="run the impact rules (choices without consequence...) on the whole story, "
                        "not only on the packs")


def run(args: argparse.Namespace) -> int:
    if args.rules:
        return _list_rules(args.format)
    if args.watch:
        return _watch(args)
    return _check(args)


def _watch(args: argparse.Namespace, stop_event: threading.Event | None = None) -> int:
    """Check, then check again after every change to a story file (YAML only; plans are not story)."""
    try:
        from watchfiles import watch
    except ImportError:
        print("kira validate --watch needs watchfiles: pip install -e '.[writers]'", file=sys.stderr)
        return 2
    root = args.story or default_story_dir()
    folders = [root, *args.pack]
    status = _check(args)
    print(f"Watching {', '.join(str(f) for f in folders)} for changes (Ctrl+C stops).", file=sys.stderr, flush=True)
    for _changes in watch(*folders, watch_filter=_story_file, stop_event=stop_event, raise_interrupt=False):
        print("\n" + "-" * 60, file=sys.stderr)
        status = _check(args)
        print("Watching for changes.", file=sys.stderr, flush=True)
    return status


def _story_file(change: object, path: str) -> bool:
    return path.endswith((".yaml", ".yml")) and not path.endswith((".plan.yaml", ".plan.yml"))


def _check(args: argparse.Namespace) -> int:
    root = args.story or default_story_dir()
    story, problems = check_and_lint(root, args.pack, impact=args.impact)
    errors = [d for d in problems if d.severity == "error"]
    warnings = [d for d in problems if d.severity == "warning"]
    if args.format == "json":
        print(json.dumps({"story": str(root), "diagnostics": [d.to_json() for d in problems],
                          "errors": len(errors), "warnings": len(warnings),
                          "rules": sorted(RULES)}, indent=2))
    else:
        print_diagnostics(problems)
        if story is not None:

            endings = len(story.endings)
            print(f"{story.title}: {count(len(story.scenes) - endings, 'scene')}, {count(endings, 'ending')}, "
                  f"{len(errors)} error(s), {len(warnings)} warning(s).", file=sys.stderr)
        else:
            print(f"{len(errors)} error(s), {len(warnings)} warning(s).", file=sys.stderr)
    sys.stderr.flush()
    failed = bool(errors) or story is None or (args.strict and bool(warnings))
    return 1 if failed else 0


def _list_rules(form: str) -> int:

    every = [*RULES.values(), *LOAD_CODES.values()]
    if form == "json":
        print(json.dumps([{"id": r.id, "severity": r.severity, "summary": r.summary, "checked": r.source}
                          for r in every], indent=2))
        return 0
    width = max(len(rule.id) for rule in every)
    for title, rules in (("Lint rules", RULES.values()), ("Found while loading", LOAD_CODES.values())):
        print(f"{title}:")
        for rule in rules:
            when = {"loader": " (while loading)", "impact": " (impact: on packs, or with --impact)"}.get(
                rule.source, "") if title == "Lint rules" else ""
            print(f"  {rule.id:<{width}}  {rule.severity:<7}  {rule.summary}{when}")
    return 0
