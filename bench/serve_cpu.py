"""The CPU time kira serve's application spends per request, measured in one process, without HTTP.

The students of bench/serve_load.py (join, then a page and a choice, a chapter map's Continue, a
draft and an answer at each question) play through direct ASGI calls into the application, one
worker's worth, on a fresh SQLite file or ``--db`` a PostgreSQL database (its tables are emptied).
The figure is the process's CPU time per request (the database server's own is not in it), which
the other work on a shared machine moves much less than the wall-clock time of a load test;
``--profile`` prints where it goes (cProfile, with the work run on the event loop as the server does).

    python bench/serve_cpu.py
    python bench/serve_cpu.py --db postgresql+psycopg://kira:kira@127.0.0.1/kira_bench --students 20
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import random
import re
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import serve_load as load  # noqa: E402

FORM = [("content-type", "application/x-www-form-urlencoded")]


class Browser:
    """One student's cookie, and requests sent straight into the ASGI application."""

    def __init__(self, app: Any):
        self.app, self.cookie = app, ""

    async def call(self, method: str, path: str, body: bytes = b"",
                   headers: list[tuple[str, str]] | None = None) -> tuple[int, dict[str, str], str]:
        path, _, query = path.partition("?")
        sent = [(b"host", b"127.0.0.1"), (b"content-length", str(len(body)).encode())]
        sent += [(k.encode(), v.encode()) for k, v in headers or []]
        if self.cookie:
            sent.append((b"cookie", b"kira=" + self.cookie.encode()))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "root_path": "", "headers": sent, "client": ("127.0.0.1", 5555), "server": ("127.0.0.1", 8000)}
        messages: list[dict[str, Any]] = []
        given = False

        async def receive() -> dict[str, Any]:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)  # a client that stays connected
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        await self.app(scope, receive, send)
        found: dict[str, str] = {}
        for key, value in messages[0]["headers"]:
            found[key.decode()] = value.decode()
            if key == b"set-cookie" and value.startswith(b"kira="):
                self.cookie = value[5:].decode().split(";", 1)[0]
        return messages[0]["status"], found, b"".join(m.get("body", b"") for m in messages[1:]).decode()

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.call("POST", path, urllib.parse.urlencode(data).encode(), FORM)


async def student(app: Any, name: str, code: str, steps: int, rng: random.Random) -> int:
    """Join and play ``steps`` actions; the number of requests sent."""
    browser = Browser(app)
    _, _, page = await browser.call("GET", "/")
    status, found, _ = await browser.post("/join", {"csrf": load.field_value(page, "csrf"), "code": code,
                                                     "name": name})
    assert found.get("location") == "/play", status
    sent = 2
    for _ in range(steps):
        status, found, page = await browser.call("GET", "/play")
        sent += 1
        if status == 303:
            if found["location"].startswith("/done"):
                break
            status, found, page = await browser.call("GET", found["location"])
            sent += 1
        csrf = load.field_value(page, "csrf")
        if 'action="/continue"' in page:
            await browser.post("/continue", {"csrf": csrf, "chapter": load.field_value(page, "chapter")})
        elif 'action="/answer/' in page:
            qid = page.split('action="/answer/')[1].split('"')[0]
            text = load.essay(rng)
            await browser.call("POST", f"/draft/{qid}", text[:400].encode(),
                               [("x-csrf-token", csrf or ""), ("content-type", "text/plain")])
            await browser.post(f"/answer/{qid}", {"csrf": csrf, "text": text, "action": "submit"})
            sent += 1
        else:
            choices = len(re.findall(r'name="choice" value="\d+"', page))
            status, found, _ = await browser.post("/choose", {"csrf": csrf, "at": load.field_value(page, "at"),
                                                              "choice": str(rng.randrange(max(choices, 1)))})
            assert status == 303 and "stale" not in found["location"], status
        sent += 1
    return sent


def measure(db: str | None, students: int, steps: int, profile: bool) -> tuple[int, float]:
    """(requests, CPU seconds) of ``students`` playing ``steps`` actions each, after a warm-up."""
    from game.server.app import Config, Server, build

    folder = Path(tempfile.mkdtemp(prefix="kira-cpu-"))
    url = db or f"sqlite:///{folder / 'cpu.sqlite3'}"
    if db:
        load.empty_database(db)
    codes = load.open_classes(url, 2, folder)
    server = Server(Config(url, str(ROOT / "story" / "we_the_living")))
    app = build(server)
    rng = random.Random(1)

    async def play(first: int, count: int, steps: int) -> int:
        done = await asyncio.gather(*[student(app, f"Student {first + i}", codes[i % 2], steps,
                                              random.Random(rng.random())) for i in range(count)])
        return sum(done)

    asyncio.run(play(0, 4, 3))  # templates compiled, assignments parsed, statements cached
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    started = time.process_time()
    requests = asyncio.run(play(100, students, steps))
    cpu = time.process_time() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)
    server.engine.dispose()
    commits = server.commits
    print(f"  {commits.changes} changes in {commits.batches} transactions "
          f"({commits.changes / max(commits.batches, 1):.1f} a transaction)", flush=True)
    return requests, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (its tables are emptied); default: SQLite")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--steps", type=int, default=25, help="actions per student")
    parser.add_argument("--runs", type=int, default=3, help="the figure is the lowest of these runs")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    figures = []
    for _ in range(1 if args.profile else max(1, args.runs)):
        requests, cpu = measure(args.db, min(args.students, 200), min(args.steps, 100), args.profile)
        figures.append(cpu / requests * 1000)
        print(f"{requests} requests, {figures[-1]:.2f} ms of CPU each", flush=True)
    print(f"lowest of {len(figures)}: {min(figures):.2f} ms of CPU per request (the client's part included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
