"""``kira serve``: the browser edition for a class, on a laptop or a school server.

The parent process loads and checks the story, brings the database up to date, opens the
class (with ``--assignment``, one for that assignment; without, one that plays freely) and
prints the address and code; then uvicorn starts the workers, each of which loads the story
once and keeps nothing about students in memory.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from game.cli.common import add_story_arguments, load_or_report, print_diagnostics


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


def open_class(server_db, story, assignment_file: Path | None, title: str):  # type: ignore[no-untyped-def]
    """The class for this assignment (or for free play): the open one made before, or a new one."""
    import hashlib

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from game.server.play import read_assignment
    from game.server.store import Class, new_code

    assignment, text = read_assignment(assignment_file, story) if assignment_file else (None, None)
    digest = hashlib.sha256(text.encode()).hexdigest() if text is not None else None
    with Session(server_db) as db:
        query = select(Class).where(Class.closed_at.is_(None), Class.story_id == story.id)
        query = query.where(Class.assignment_hash == digest) if digest else query.where(Class.assignment_hash.is_(None))
        klass = db.scalars(query.order_by(Class.id)).first()
        if klass is None:
            klass = Class(code=new_code(), title=title or (assignment.title if assignment else "Free play"),
                          story_id=story.id, assignment_id=assignment.id if assignment else None,
                          assignment_hash=digest, assignment_yaml=text)
            db.add(klass)
            db.commit()
        return klass.code, klass.title


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from game.server import migrate
        from game.server.store import default_url, make_engine, normalise_url
    except ImportError as exc:
        print(f"error: kira serve needs the 'serve' extra ({exc.name} is missing): "
              "pip install -e '.[serve]', or use make serve", file=sys.stderr)
        return 1
    from game.errors import StoryError

    story = load_or_report(args)
    if story is None:
        return 1
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    url = normalise_url(args.db or default_url())
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        code, title = open_class(engine, story, args.assignment, args.title)
    except StoryError as exc:
        print_diagnostics(exc.diagnostics)
        print(f"error: the assignment {args.assignment} cannot be used; nothing was started.", file=sys.stderr)
        return 1
    except Exception as exc:  # the database could not be reached or written: say which and why
        print(f"error: the database {engine.url.render_as_string(hide_password=True)} cannot be used: {exc}",
              file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    os.environ["KIRA_SERVE_DB"] = url
    os.environ["KIRA_SERVE_STORY"] = str(args.story or "")
    os.environ["KIRA_SERVE_PACKS"] = os.pathsep.join(str(p) for p in args.pack)
    if not args.story:
        os.environ.pop("KIRA_SERVE_STORY")
    shown = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    print(f"{story.title}: open http://{shown}:{args.port}/ in a browser.")
    if args.host == "0.0.0.0":
        print("  (on the students' computers, use this computer's address on the school network)")
    print(f"Class code for {title}: {code}")
    print(f"Stored in {engine.url.render_as_string(hide_password=True)}. Ctrl-C stops the server.", flush=True)
    uvicorn.run("game.server.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                access_log=False, log_level="warning", timeout_graceful_shutdown=5)
    print("Stopped. Every choice and answer is kept; kira serve again goes on.", file=sys.stderr)
    return 0
