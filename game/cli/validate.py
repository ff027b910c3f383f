"""``kira validate``: load a story, run the lint rules, list every problem as path:line:col."""

from __future__ import annotations

import argparse
import json
import sys

from game.authoring.lint import RULES, lint
from game.cli.common import add_story_arguments, default_story_dir, print_diagnostics
from game.loader.story import check_story
from game.runtime.summary import count


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_story_arguments(parser, positional=True)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--rules", action="store_true", help="list the lint rules and exit")


def run(args: argparse.Namespace) -> int:

    if args.rules:
        return _list_rules(args.format)
    root = args.story or default_story_dir()
    story, problems = check_story(root, args.pack)
    if story is not None:
        problems += lint(story)
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
    failed = bool(errors) or story is None or (args.strict and bool(warnings))
    return 1 if failed else 0


def _list_rules(form: str) -> int:

    if form == "json":
        print(json.dumps([{"id": r.id, "severity": r.severity, "summary": r.summary, "checked": r.source}
                          for r in RULES.values()], indent=2))
        return 0
    width = max(len(rule_id) for rule_id in RULES)
    for rule in RULES.values():
        when = " (while loading)" if rule.source == "loader" else ""
        print(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.summary}{when}")
    return 0
