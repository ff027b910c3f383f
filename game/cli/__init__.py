"""The ``kira`` command line: wiring only.

Each command lives in its own module under :mod:`game.cli` with two
functions, ``add_arguments(parser)`` and ``run(args) -> int``. Modules are
imported lazily so that ``kira play`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

from game import __version__
from game.errors import PlayError

# command name -> (module under game.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "play": ("play", "play the story (the default command)"),
    "serve": ("serve", "the browser edition for a class: students play in any browser, work kept on the server"),
    "validate": ("validate", "check a story folder and list every problem"),
    "verify": ("verify", "replay students' submissions and say which are genuine"),
    "report": ("report", "a class report (HTML), gradebooks, a class dump and xAPI from submissions"),
    "explore": ("explore", "play the story automatically: coverage, endings, dead ends, errors"),
    "graph": ("graph", "draw the story map (DOT, Mermaid or a self-contained HTML page)"),
    "schema": ("schema", "print the JSON Schema of story files, for editors"),
    "export": ("export", "export the story to other tools' formats (Twee 3 for Twine)"),
    "lsp": ("lsp", "a language server for editors: diagnostics as you type, go to scene, completion"),
}


def available_commands() -> dict[str, tuple[str, str]]:
    """The commands whose module is installed (a trimmed installation may lack some)."""
    return {name: entry for name, entry in COMMANDS.items()
            if importlib.util.find_spec(f"game.cli.{entry[0]}") is not None}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command is set up, so that ``kira play`` neither imports
    every other command nor builds their parsers to start (``kira --help`` lists them all)."""
    parser = argparse.ArgumentParser(prog="kira", description="We the Living: an interactive novel.")
    parser.add_argument("--version", action="version", version=f"kira {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if only is not None and importlib.util.find_spec(f"game.cli.{COMMANDS[only][0]}") is not None:
        commands = {only: COMMANDS[only]}
    else:
        commands = available_commands()
    for name, (module, help_text) in commands.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        importlib.import_module(f"game.cli.{module}").add_arguments(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version"):
        args_list.insert(0, "play")  # `kira`, `python main.py` and `python -m game` mean `kira play`
    args = build_parser(args_list[0] if args_list[0] in COMMANDS else None).parse_args(args_list)
    module = importlib.import_module(f"game.cli.{COMMANDS[args.command][0]}")
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except PlayError as exc:  # the story fails before the player could choose (a router loop at the start)
        print(f"kira {args.command}: the story could not go on: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # an output that is a folder or a device, a full disk, a missing folder
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kira {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
