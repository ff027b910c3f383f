"""``make bench`` rows for kira serve: a short school-day load on SQLite, with a kill -9 in its middle.

The full-size runs (1,000 students, PostgreSQL) are ``python bench/serve_load.py --help``; their
figures are in docs/BENCHMARKS.md. Here: STUDENTS students for SECONDS seconds a round.
"""

from __future__ import annotations

from pathlib import Path

from engine_figures import Figure

STUDENTS = 150
SECONDS = 40
RAMP = 10  # the students join over the first 10 s


def serve_load(runs: int) -> list[Figure]:
    import serve_load as load

    first, crash = load.run(STUDENTS, SECONDS, kill=True, ramp=RAMP)
    name = f"kira serve, {STUDENTS} students a step every 3 s, 2 workers, SQLite"
    cpu = first["server_cpu_ms_per_request"] or float("nan")
    return [
        Figure(f"{name}: p99 per choice", first["choice_p99_ms"], "ms", None, None, "under 250 ms",
               first["choice_p99_ms"] < 250,
               f"p50 {first['choice_p50_ms']} ms, {first['requests_per_s']} requests/s, "
               f"load average {first['load_average']:.1f}"),
        Figure(f"{name}: server CPU per request", cpu, "ms", None, None, "(comparison, no goal)", True,
               f"both workers, from /proc, idle time between clicks included; the load generator's own: "
               f"{first['generator_cpu_ms_per_request']} ms"),
        Figure(f"{name}: errors", first["errors"], "", None, None, "none", first["errors"] == 0),
        Figure(f"{name}: acknowledged steps and answers lost to kill -9", crash["steps_lost"] + crash["answers_lost"],
               "", None, None, "none", crash["steps_lost"] + crash["answers_lost"] == 0,
               f"of {crash['acked_steps']} steps and {crash['acked_answers']} answers"),
    ]


CLASS_SIZE = 300


def class_page(runs: int) -> list[Figure]:
    """The teacher's class page of a 300-student class: the whole request, queries and rendering."""
    import random
    import statistics
    import tempfile
    import time

    from sqlalchemy import event
    from sqlalchemy.orm import Session
    from starlette.testclient import TestClient

    from game.server import migrate
    from game.server.accounts import create_teacher
    from game.server.app import Config, Server, build
    from game.server.play import Live, parse_assignment, read_shipped
    from game.server.store import AnswerRow, Class, PlaythroughRow, StepRow, Student, make_engine, name_key, now

    rng = random.Random(16)
    words = ("kira leo andrei family state party ration petrograd engineer freedom price choice house committee "
             "hunger truth lie life own right wrong fear hope love work purge sanatorium winter bread").split()
    with tempfile.TemporaryDirectory(prefix="kira-bench-class-") as folder:
        url = f"sqlite:///{Path(folder) / 'class.sqlite3'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        create_teacher(engine, "Bench Teacher", "bench password 16")
        server = Server(Config(url, str(engine_root() / "story" / "we_the_living")), engine)
        text = read_shipped("theme_essay.yaml") or ""
        assignment = parse_assignment(text, server.story)
        paths = []
        for _ in range(12):  # a dozen different paths, each some way into the story
            live = Live(server.story, None, assignment)
            for _ in range(rng.randint(5, 40)):
                if live.over or not live.choices():
                    break
                enabled = [c.number for c in live.choices() if c.enabled]
                live.choose(rng.choice(enabled))
            paths.append(live.state())
        with Session(engine) as db:
            klass = Class(id=1, code="BENCH-00001", title="Bench", story_id=server.story.id,
                          assignment_id=assignment.id, assignment_yaml=text, teacher_id=1,
                          story_hash=server.story.content_hash)
            db.add(klass)
            db.flush()
            for n in range(CLASS_SIZE):
                student = Student(class_id=1, name=f"Student {n:03d}", name_key=name_key(f"Student {n:03d}"),
                                  school_id=str(10_000 + n), on_roster=True)
                db.add(student)
                db.flush()
                if n % 10 == 9:
                    continue  # one in ten has not started
                state = paths[n % len(paths)]
                row = PlaythroughRow(student_id=student.id, class_id=1, story_hash=server.story.content_hash,
                                     version=len(state["steps"]), state=state, aftermath="", notice="",
                                     undo_count=0, updated_at=now())
                db.add(row)
                db.flush()
                for i, step in enumerate(state["steps"]):
                    db.add(StepRow(playthrough_id=row.id, number=i + 1, kind="choose", scene=step["scene"],
                                   choice=step["choice"], label=step["label"], target=step["to"],
                                   novel=step["novel"]))
                for q in assignment.questions[: rng.randint(0, len(assignment.questions))]:
                    answer = " ".join(rng.choice(words) for _ in range(rng.randint(40, 90)))
                    db.add(AnswerRow(playthrough_id=row.id, question=q.id, draft=answer, text=answer,
                                     words=len(answer.split()), answered_at=now()))
            db.commit()
        client = TestClient(build(server))
        page = client.get("/teacher/signin")
        token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        client.post("/teacher/signin", data={"csrf": token, "name": "Bench Teacher",
                                             "password": "bench password 16", "next": "/teacher"})
        queries = []
        event.listen(engine, "before_cursor_execute", lambda *a, **k: queries.append(1))
        times = []
        for _ in range(max(runs, 5)):
            queries.clear()
            started = time.perf_counter()
            response = client.get("/teacher/classes/1")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200 and "Student 299" in response.text
        per_page = len(queries)
        server.engine.dispose()
    value = statistics.median(times)
    return [Figure(f"teacher's class page, {CLASS_SIZE} students (270 playing, answers compared for likeness)",
                   round(value * 1000, 1), "ms", None, None, "under 1 s", value < 1.0,
                   f"{per_page} SQL statements a page, whole request through the test client, SQLite")]


def engine_root() -> Path:
    return Path(__file__).resolve().parent.parent
