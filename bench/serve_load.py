"""A school on ``kira serve``: simulated students in classes of 30 play, answer, and the server is killed.

Localhost only, bounded in students and in seconds, and it stops by itself. It starts a real
``kira serve --workers 2`` on 127.0.0.1 (a fresh SQLite file, or ``--db`` a PostgreSQL URL whose
database it empties first), opens one class per 30 students with an assignment, and lets every
student join and play: the students arrive over ``--ramp`` seconds (30: a school's classes do not
all log in within the same moment), then make a choice every few seconds (``--think``) and write
answers of a few hundred words at the questions, until the playthrough ends or time is up. It
reports requests per second, the latency of each choice (p50/p95/p99) and of joining, errors,
steps lost, and the CPU time per request of the server and of this generator, which share the
machine's cores.

With ``--kill`` it then runs a second round in which the server is killed with SIGKILL (its
workers too) in the middle of the load, starts it again on the same database, and checks that
every step and answer the server had acknowledged (answered with its redirect) is stored.

    python bench/serve_load.py --students 300 --duration 60 --kill
    python bench/serve_load.py --db postgresql+psycopg://kira:kira@127.0.0.1/kira_bench --students 300
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import textwrap
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server.live_server import LiveServer  # noqa: E402

CLASS_SIZE = 30
MAX_STUDENTS = 1000
MAX_SECONDS = 600
ASSIGNMENT = """\
id: load_{n}
title: "Load test class {n}"
story: we_the_living
min_words: 40
allow_undo: true
questions:
  - id: career
    at: chapter_end
    chapter: ch1
    text: "What did Kira's family fear about her choice of study?"
  - id: committee
    at: chapter_end
    chapter: ch3
    text: "What did each side ask Kira to give up?"
  - id: ending
    at: ending
    text: "What did the state take from your Kira, and what could it not take?"
"""
WORDS = ("the state the individual Kira Leo Andrei Petrograd committee bread ration card institute engineer "
         "family choice price freedom purge party meeting winter river bridge letter truth lie courage").split()


def essay(rng: random.Random, words: int = 250) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acked_steps: dict[str, int] = field(default_factory=dict)  # student -> playthrough version acknowledged
    acked_answers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    finished: int = 0
    joined: int = 0
    server_cpu: float = 0.0
    generator_cpu: float = 0.0  # this process's own CPU seconds in the round (it shares the machine's cores)


def field_value(page: str, name: str) -> str | None:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    return match.group(1) if match else None


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]
    text: str


class Browser:
    """A student's browser, as lean as it can be so that the load, not the load generator, is measured:
    one keep-alive HTTP/1.1 connection, a cookie jar of one cookie, bodies read by Content-Length."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookie = ""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
                      ) -> Reply:
        reused = self.writer is not None and not self.writer.is_closing()
        if not reused:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            return await self._send(method, path, body, headers)
        except (OSError, asyncio.IncompleteReadError) as exc:
            if not reused or not getattr(exc, "nothing_read", False):
                raise
            # the server closed an idle kept-alive connection as the request went out: a browser
            # sends it again on a new connection, and so do we (the server never saw it)
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            return await self._send(method, path, body, headers)

    async def _send(self, method: str, path: str, body: bytes, headers: dict[str, str] | None) -> Reply:
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        if self.cookie:
            lines.append(f"Cookie: kira={self.cookie}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        try:
            self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            self.writer = None
            exc.nothing_read = not getattr(exc, "partial", b"")  # type: ignore[union-attr]
            raise
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        found: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                key, value = line.split(":", 1)
                key, value = key.strip().lower(), value.strip()
                if key == "set-cookie" and value.startswith("kira="):
                    self.cookie = value[5:].split(";", 1)[0]
                found[key] = value
        data = await self.reader.readexactly(int(found.get("content-length", "0")))
        return Reply(int(status_line.split()[1]), found, data.decode("utf-8", "replace"))

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, Any] | None = None, content: str | None = None,
             headers: dict[str, str] | None = None) -> Any:
        if data is not None:
            body = urllib.parse.urlencode({k: v or "" for k, v in data.items()}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        else:
            body = (content or "").encode()
            headers = {"Content-Type": "text/plain;charset=UTF-8", **(headers or {})}
        return self.request("POST", path, body, headers)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def timed(tally: Tally, kind: str, request) -> Reply | None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        response = await request
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        tally.errors[f"{kind}: {type(exc).__name__}"] += 1
        return None
    tally.requests += 1
    tally.latencies[kind].append(time.perf_counter() - start)
    if response.status_code >= 400:
        tally.errors[f"{kind}: HTTP {response.status_code}"] += 1
        return None
    return response


async def student(name: str, code: str, base: str, tally: Tally, stop_at: float, think: float,
                  rng: random.Random, delay: float) -> None:
    await asyncio.sleep(delay)
    host, port = base.split("//", 1)[1].split(":")
    client = Browser(host, int(port))
    try:
        page = await timed(tally, "join page", client.get("/"))
        if page is None:
            return
        joined = await timed(tally, "join", client.post("/join", data={
            "csrf": field_value(page.text, "csrf"), "code": code, "name": name}))
        if joined is None or joined.headers.get("location") != "/play":
            tally.errors["join refused"] += 1
            return
        tally.joined += 1
        while time.monotonic() < stop_at:
            page = await timed(tally, "page", client.get("/play"))
            if page is None:
                await asyncio.sleep(think)
                continue
            if page.status_code == 303:
                where = page.headers.get("location", "")
                if where.startswith("/done"):
                    tally.finished += 1
                    return
                page = await timed(tally, "page", client.get(where))
                if page is None:
                    continue
            text = page.text
            csrf = field_value(text, "csrf")
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            if time.monotonic() >= stop_at:
                return
            if 'action="/continue"' in text:
                await timed(tally, "continue", client.post("/continue", data={
                    "csrf": csrf, "chapter": field_value(text, "chapter")}))
            elif 'action="/answer/' in text:
                qid = text.split('action="/answer/')[1].split('"')[0]
                body = essay(rng)
                # a draft saved as the student types, then the answer handed in
                await timed(tally, "draft", client.post(f"/draft/{qid}", content=body[:400],
                                                        headers={"X-CSRF-Token": csrf or ""}))
                reply = await timed(tally, "answer", client.post(f"/answer/{qid}", data={
                    "csrf": csrf, "text": body, "action": "submit"}))
                if reply is not None and reply.status_code == 303:
                    tally.acked_answers[name].add(qid)
            elif field_value(text, "at") is not None:
                at = int(field_value(text, "at") or 0)
                choices = len(re.findall(r'name="choice" value="\d+"', text))
                reply = await timed(tally, "choice", client.post("/choose", data={
                    "csrf": csrf, "at": str(at), "choice": str(rng.randrange(max(choices, 1)))}))
                if reply is not None and reply.status_code == 303:
                    if "m=stale" in reply.headers.get("location", ""):
                        tally.errors["choice refused as stale"] += 1
                    else:
                        tally.acked_steps[name] = at + 1
            else:
                tally.errors["page without a form"] += 1
    finally:
        await client.close()


def server_cpu(live: LiveServer) -> float:
    """CPU seconds used so far by the server and its workers (its process group), from /proc."""
    if live.process is None:
        return 0.0
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == live.process.pid:  # the process group kira serve started
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def open_classes(db_url: str, count: int, folder: Path) -> list[str]:
    """One class per 30 students, each with its own assignment, opened as ``kira serve --assignment`` does."""
    from game.loader.story import load_story
    from game.server import migrate
    from game.server.classes import open_class
    from game.server.store import make_engine

    story = load_story(ROOT / "story" / "we_the_living")
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    codes = []
    for n in range(count):
        path = folder / f"class{n}.yaml"
        path.write_text(textwrap.dedent(ASSIGNMENT.format(n=n)))
        codes.append(open_class(engine, story, path, "")[0])
    engine.dispose()
    return codes


async def run_round(live: LiveServer, codes: list[str], students: int, seconds: float, think: float,
                    tally: Tally, seed: int, kill_after: float | None = None, ramp: float = 30.0) -> float:
    rng = random.Random(seed)
    stop_at = time.monotonic() + seconds
    tasks = [asyncio.create_task(student(f"Student {i:04d} of class {i // CLASS_SIZE}", codes[i // CLASS_SIZE],
                                         live.url, tally, stop_at, think, random.Random(rng.random()),
                                         delay=rng.uniform(0, max(ramp, think))))
             for i in range(students)]
    start = time.monotonic()
    cpu, own = server_cpu(live), time.process_time()
    if kill_after is None:
        await asyncio.gather(*tasks)
        tally.server_cpu = server_cpu(live) - cpu
        tally.generator_cpu = time.process_time() - own
        return time.monotonic() - start
    if kill_after is not None:
        await asyncio.sleep(kill_after)
        live.stop(sig=9)
        print(f"  killed the server with SIGKILL after {kill_after:.0f} s", flush=True)
    await asyncio.gather(*tasks)
    return time.monotonic() - start


def run_loop(work: Any) -> float:
    """Run a round on uvloop when it is installed (kira serve's extra brings it): the generator's own CPU,
    taken from the same two cores as the server's, is then about half of what asyncio's own loop costs."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(work)
    return uvloop.run(work)


def stored(db_url: str) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Per student: the playthrough version in the database, and the questions with a handed-in answer."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from game.server.store import AnswerRow, PlaythroughRow, StepRow, Student, make_engine

    engine = make_engine(db_url)
    versions: dict[str, int] = {}
    answers: dict[str, set[str]] = defaultdict(set)
    with Session(engine) as db:
        for name, version, pid in db.execute(select(Student.name, PlaythroughRow.version, PlaythroughRow.id)
                                             .join(PlaythroughRow, PlaythroughRow.student_id == Student.id)):
            steps = db.scalars(select(StepRow.number).where(StepRow.playthrough_id == pid)).all()
            versions[name] = min(version, len(steps))  # both the state and every step row must be there
        for name, qid in db.execute(select(Student.name, AnswerRow.question)
                                    .join(PlaythroughRow, PlaythroughRow.student_id == Student.id)
                                    .join(AnswerRow, AnswerRow.playthrough_id == PlaythroughRow.id)
                                    .where(AnswerRow.text.is_not(None))):
            answers[name].add(qid)
    engine.dispose()
    return versions, answers


def report(label: str, tally: Tally, seconds: float) -> dict:
    choice = tally.latencies["choice"]
    figures = {
        "round": label, "students": tally.joined, "finished": tally.finished, "seconds": round(seconds, 1),
        "requests": tally.requests, "requests_per_s": round(tally.requests / seconds, 1) if seconds else 0,
        "choices": len(choice), "choice_p50_ms": round(percentile(choice, 0.50) * 1000, 1),
        "choice_p95_ms": round(percentile(choice, 0.95) * 1000, 1),
        "choice_p99_ms": round(percentile(choice, 0.99) * 1000, 1),
        "page_p99_ms": round(percentile(tally.latencies["page"], 0.99) * 1000, 1),
        "answer_p99_ms": round(percentile(tally.latencies["answer"], 0.99) * 1000, 1),
        "join_p99_ms": round(percentile(tally.latencies["join page"] + tally.latencies["join"], 0.99) * 1000, 1),
        "errors": sum(tally.errors.values()), "error_kinds": dict(tally.errors),
        "server_cpu_ms_per_request": round(tally.server_cpu / tally.requests * 1000, 2) if tally.server_cpu else None,
        "generator_cpu_ms_per_request": round(tally.generator_cpu / tally.requests * 1000, 2)
        if tally.generator_cpu else None,
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(figures), flush=True)
    return figures


def empty_database(db: str) -> None:
    """Drop kira serve's tables (and Alembic's record of them) from the database at ``db``."""
    from game.server.store import Base, make_engine

    engine = make_engine(db)
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def run(students: int, duration: float, think: float = 3.0, workers: int = 2, db: str | None = None,
        kill: bool = False, ramp: float = 30.0) -> list[dict]:
    """One load round (and with ``kill`` a second one with kill -9 in the middle); the figures of each."""
    students = max(1, min(students, MAX_STUDENTS))
    seconds = max(5.0, min(duration, MAX_SECONDS))
    folder = Path(tempfile.mkdtemp(prefix="kira-load-"))
    if db:
        empty_database(db)
    live = LiveServer(folder / "data", db=db, workers=workers)
    classes = (students + CLASS_SIZE - 1) // CLASS_SIZE
    print(f"kira serve --workers {workers} on {db or 'SQLite'}: {students} students in {classes} classes, "
          f"{seconds:.0f} s, a step every {think} s or so, arriving over {max(ramp, think):.0f} s", flush=True)
    db_url = db or f"sqlite:///{folder / 'data' / 'kira-serve.sqlite3'}"
    (folder / "data").mkdir()
    codes = open_classes(db_url, classes, folder)
    live.start()
    results = []
    tally = Tally()
    try:
        elapsed = run_loop(run_round(live, codes, students, seconds, think, tally, seed=1, ramp=ramp))
        results.append(report("load", tally, elapsed))
        if kill:
            crash = Tally()
            elapsed = run_loop(run_round(live, codes, students, seconds, think, crash, seed=2,
                                         kill_after=seconds / 2, ramp=ramp))
            figures = report("kill -9 mid-load", crash, elapsed)
            live.start()  # the same database, as a teacher would restart it
            versions, answers = stored(db_url)
            acked = {**tally.acked_steps, **crash.acked_steps}
            lost = sum(max(0, version - versions.get(name, 0)) for name, version in acked.items())
            answers_acked = defaultdict(set, {k: set(v) for k, v in tally.acked_answers.items()})
            for name, qids in crash.acked_answers.items():
                answers_acked[name] |= qids
            answers_lost = sum(len(qids - answers.get(name, set())) for name, qids in answers_acked.items())
            figures.update(acked_steps=sum(acked.values()), steps_lost=lost,
                           acked_answers=sum(len(q) for q in answers_acked.values()), answers_lost=answers_lost)
            print(f"  after the restart: {figures['acked_steps']} acknowledged steps, {lost} lost; "
                  f"{figures['acked_answers']} acknowledged answers, {answers_lost} lost", flush=True)
            results.append(figures)
    finally:
        live.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=300, help=f"simulated students (at most {MAX_STUDENTS})")
    parser.add_argument("--duration", type=float, default=60, help=f"seconds of load per round (at most {MAX_SECONDS})")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between a student's actions")
    parser.add_argument("--ramp", type=float, default=30.0,
                        help="seconds over which the students arrive and join (a school's classes do not all "
                             "log in within the same three seconds); at least --think")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default=None,
                        help="a PostgreSQL URL (its tables are emptied); default: a new SQLite file")
    parser.add_argument("--kill", action="store_true", help="a second round with kill -9 in the middle, then check")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    results = run(args.students, args.duration, args.think, args.workers, args.db, args.kill, args.ramp)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
