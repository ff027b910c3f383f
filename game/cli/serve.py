"""``kira serve``: the browser edition for a class, on a laptop or a school server.

The parent process loads and checks the story, brings the database up to date, opens the
class (with ``--assignment``, one for that assignment; without, one that plays freely) and
prints the address and code; then uvicorn starts the workers, each of which loads the story
once and keeps nothing about students in memory.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.cli.common import add_story_arguments, load_or_report, print_diagnostics
from game.errors import StoryError

try:  # the 'serve' extra: without it, `kira serve` says what to install (other commands still work)
    import uvicorn

    from game.server import migrate
    from game.server.accounts import (
        AccountError,
        create_teacher,
        password_problem,
        remove_teacher,
        reset_password,
        setup_token,
    )
    from game.server.classes import prepare
    from game.server.store import default_url, make_engine, normalise_url

    MISSING = ""
except ImportError as exc:
    MISSING = exc.name or str(exc)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_story_arguments(parser)
    parser.add_argument("--db", metavar="URL", default=None,
                        help="database URL (default: a SQLite file in your data folder; "
                             "postgresql://user:password@host/name for PostgreSQL)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this computer only; "
                             "0.0.0.0 lets the class's computers reach it)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1; one per core is plenty)")
    parser.add_argument("--assignment", type=Path, default=None, metavar="FILE",
                        help="open a class for this assignment and print its code")
    parser.add_argument("--title", default="", help="the class's title (default: the assignment's, or 'Free play')")
    parser.add_argument("--add-teacher", metavar="NAME", default=None,
                        help="make a teacher account (asks for the password twice, or reads one line from "
                             "standard input when it is not a terminal) and stop")
    parser.add_argument("--remove-teacher", metavar="NAME", default=None,
                        help="remove a teacher's account and stop; their classes go to the teacher named by "
                             "--give-classes-to")
    parser.add_argument("--give-classes-to", metavar="NAME", default=None,
                        help="with --remove-teacher: the teacher who takes over the classes")
    parser.add_argument("--reset-password", metavar="NAME", default=None,
                        help="give a teacher who forgot their password a new one (asked for as with "
                             "--add-teacher) and stop; their browsers are signed out")


def read_password(whose: str = "the new teacher") -> str | None:
    """The new password: typed twice without echo on a terminal, or one line of piped input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {whose} (at least 10 characters): ")
    second = getpass.getpass("The same password again: ")
    problem = password_problem(first, second)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return None
    return first


def with_password(url: str, whose: str, change: Callable[[Any, str], str], refused: str, done: str) -> int:
    """Ask for a password, then ``change(engine, password)`` the accounts (it returns the name as kept);
    ``done`` says what happened, with ``{name}``. An AccountError prints what to do, and ``refused``."""
    password = read_password(whose)
    if password is None:
        return 1
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        kept = change(engine, password)
    except AccountError as exc:
        print(f"error: {exc} {refused}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(done.format(name=repr(kept)))
    return 0


def add_teacher(url: str, name: str) -> int:
    return with_password(url, "the new teacher", lambda engine, password: create_teacher(engine, name, password),
                         "No account was made.", "Teacher account {name} made. Sign in at /teacher on the "
                         "server's address.")


def new_password(url: str, name: str) -> int:
    return with_password(url, repr(" ".join(name.split())),
                         lambda engine, password: reset_password(engine, name, password), "Nothing was changed.",
                         "The password of {name} was changed; browsers signed in as them were signed out.")


def remove(url: str, name: str, heir: str | None) -> int:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        kept, handed = remove_teacher(engine, name, heir)
    except AccountError as exc:
        print(f"error: {exc} Nothing was changed.", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    given = f"; their {handed} class(es) now belong to {' '.join((heir or '').split())!r}" if handed else ""
    print(f"The account of {kept!r} was removed{given}.")
    return 0


def lan_addresses() -> list[str]:
    """This computer's addresses on its networks, for the board (nothing is sent anywhere to find them)."""
    found: list[str] = []
    try:
        found += [a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")]
    except OSError:
        pass
    try:  # the address a packet to a private network would leave from (a UDP "connect" sends nothing)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    return list(dict.fromkeys(a for a in found if not a.startswith("127.")))


def run(args: argparse.Namespace) -> int:
    if MISSING:
        print(f"error: kira serve needs the 'serve' extra ({MISSING} is missing): "
              "pip install -e '.[serve]', or use make serve", file=sys.stderr)
        return 1
    story = load_or_report(args)
    if story is None:
        return 1
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    url = normalise_url(args.db or default_url())
    if args.add_teacher is not None:
        return add_teacher(url, args.add_teacher)
    if args.reset_password is not None:
        return new_password(url, args.reset_password)
    if args.remove_teacher is not None:
        return remove(url, args.remove_teacher, args.give_classes_to)
    try:
        code, title, shown_url, others = prepare(url, story, args.assignment, args.title)
    except StoryError as exc:
        print_diagnostics(exc.diagnostics)
        print(f"error: the assignment {args.assignment} cannot be used; nothing was started.", file=sys.stderr)
        return 1
    except Exception as exc:  # the database could not be reached or written: say which and why
        where = url.split("@")[-1] if "@" in url else url
        print(f"error: the database {where} cannot be used: {exc}", file=sys.stderr)
        return 1
    os.environ["KIRA_SERVE_DB"] = url
    os.environ["KIRA_SERVE_STORY"] = str(args.story or "")
    os.environ["KIRA_SERVE_PACKS"] = os.pathsep.join(str(p) for p in args.pack)
    if not args.story:
        os.environ.pop("KIRA_SERVE_STORY")
    shown = ["localhost"] if args.host in ("127.0.0.1", "::1", "localhost") else \
        lan_addresses() if args.host in ("0.0.0.0", "::") else [args.host]
    print(f"{story.title}: open " + " or ".join(f"http://{host}:{args.port}/" for host in shown or ["localhost"])
          + " in a browser.")
    print(f"Class code for {title}: {code}")
    for other_code, other_title in others:
        print(f"  also open: {other_title}: {other_code}")
    engine = make_engine(url)
    token = setup_token(engine)
    engine.dispose()
    host = shown[0] if shown else "localhost"
    if token:
        print(f"No teacher account yet: open http://{host}:{args.port}/teacher/setup?token={token} to make one "
              "(or run kira serve --add-teacher NAME).")
    else:
        print(f"Teachers sign in at http://{host}:{args.port}/teacher")
    print(f"Stored in {shown_url}. Ctrl-C stops the server.", flush=True)
    uvicorn.run("game.server.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                access_log=False, log_level="warning", timeout_graceful_shutdown=5,
                timeout_keep_alive=30)  # a student reads for a while between clicks: keep the connection
    print("Stopped. Every choice and answer is kept; kira serve again goes on.", file=sys.stderr)
    return 0
