"""``kira graph``: draw the story map as DOT, Mermaid or a self-contained HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.atomic import write_atomic
from game.authoring.graph.build import build_map, to_dot
from game.authoring.graph.mermaid import to_mermaid
from game.authoring.lint import lint
from game.cli.common import add_story_arguments, load_or_report

FORMATS = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".html": "html", ".htm": "html"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_story_arguments(parser)
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help="where to write the map: .dot, .mmd (Mermaid) or .html (default: DOT to the screen)")
    parser.add_argument("--format", choices=("dot", "mermaid", "html"), default=None,
                        help="the format, when the file name does not say it")
    parser.add_argument("--layout", choices=("auto", "dot", "builtin"), default="auto",
                        help="who lays out the HTML map: graphviz dot if installed (auto), dot, or the built-in one")
    parser.add_argument("--impact", action="store_true",
                        help="also mark choices without consequence (and the other impact findings) everywhere, "
                        "not only in packs")


def output_format(args: argparse.Namespace) -> str | None:
    if args.format:
        return str(args.format)
    if args.output is None:
        return "dot"
    return FORMATS.get(args.output.suffix.lower())


def run(args: argparse.Namespace) -> int:

    fmt = output_format(args)
    if fmt is None:
        print(f"kira graph: cannot tell the format of {args.output}: name it .dot, .mmd or .html, "
              "or pass --format", file=sys.stderr)
        return 2
    story = load_or_report(args)
    if story is None:
        return 1
    smap = build_map(story, args.pack, lint(story, args.pack, args.impact))
    if fmt == "html":
        text = _html(smap, args.layout)
        if text is None:
            return 1
    else:
        text = to_dot(smap) if fmt == "dot" else to_mermaid(smap)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomic(args.output, text, shared=True)
    lost = len(smap.unreachable)
    flagged = sum(bool(n.findings) for n in smap.nodes.values())
    print(f"Wrote the map of {len(smap.nodes)} scenes to {args.output}"
          + (f"; {lost} cannot be reached from the start" if lost else "")
          + (f"; {flagged} carry lint findings (marked !)" if flagged else "") + ".", file=sys.stderr)
    return 0


def _html(smap, layout: str) -> str | None:
    try:
        from game.authoring.graph.page import render_html

        notes: list[str] = []
        page = render_html(smap, layout, notes)
        for note in notes:
            print(f"kira graph: {note}.", file=sys.stderr)
        return page
    except ImportError:
        print("kira graph: the HTML map needs jinja2; install it with: pip install 'we-the-living[report]'",
              file=sys.stderr)
    except RuntimeError as exc:
        print(f"kira graph: {exc}; try --layout builtin", file=sys.stderr)
    return None
