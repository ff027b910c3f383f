"""Group commit: changes made at about the same moment share one transaction, one bad change spoils none of
the others, and a held write lock makes changes wait without blocking the event loop
(game/server/commits.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine

from game.server.commits import GroupCommit
from game.server.store import WriteLock, make_engine


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'commits.sqlite3'}")
    with engine.begin() as db:
        db.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, note TEXT)"))
        db.execute(text("INSERT INTO t (id, version, note) VALUES (1, 0, '')"))
    return engine


def commits_for(engine: Engine) -> GroupCommit:
    @contextmanager
    def transaction() -> Iterator[Connection]:
        with engine.connect() as db:
            db.execution_options(writing=True)
            yield db
            db.commit()
    return GroupCommit(WriteLock(engine), transaction)


def stored(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as db:
        return [tuple(row) for row in db.execute(text(sql))]


def add(value: int):  # type: ignore[no-untyped-def]
    def change(db: Connection) -> int:
        db.execute(text("INSERT INTO t (id, version, note) VALUES (:id, 0, 'added')"), {"id": value})
        return value
    return change


def test_changes_made_together_share_one_transaction(engine: Engine) -> None:
    commits = commits_for(engine)

    async def scenario() -> list[int]:
        return await asyncio.gather(*[commits.run(add(n)) for n in range(2, 12)])

    assert asyncio.run(scenario()) == list(range(2, 12))  # each request gets its own change's result
    assert (commits.batches, commits.changes) == (1, 10)
    assert [r[0] for r in stored(engine, "SELECT id FROM t ORDER BY id")] == list(range(1, 12))


def test_changes_one_after_another_each_commit(engine: Engine) -> None:
    commits = commits_for(engine)

    async def scenario() -> None:
        for n in (2, 3):
            await commits.run(add(n))
            # what a change wrote is visible to every other connection by the time its request goes on
            assert stored(engine, f"SELECT id FROM t WHERE id = {n}") == [(n,)]

    asyncio.run(scenario())
    assert (commits.batches, commits.changes) == (2, 2)


def test_a_failing_change_spoils_none_of_the_others(engine: Engine) -> None:
    commits = commits_for(engine)

    def broken(db: Connection) -> None:
        db.execute(text("INSERT INTO t (id, version, note) VALUES (1, 0, 'twice')"))  # id 1 exists

    async def scenario() -> list[object]:
        return await asyncio.gather(*[commits.run(c) for c in (add(2), broken, add(3))], return_exceptions=True)

    two, error, three = asyncio.run(scenario())
    assert (two, three) == (2, 3)
    assert "UNIQUE constraint failed" in str(error)  # the broken change alone gets its error
    assert [r[0] for r in stored(engine, "SELECT id FROM t ORDER BY id")] == [1, 2, 3]


def test_a_refused_change_writes_nothing_and_the_first_one_stands(engine: Engine) -> None:
    """Two tabs' changes of one playthrough in one batch: the second, made on the same version, is refused."""
    commits = commits_for(engine)

    def move(note: str):  # type: ignore[no-untyped-def]
        def change(db: Connection) -> bool:
            done = db.execute(text("UPDATE t SET version = 1, note = :note WHERE id = 1 AND version = 0"),
                              {"note": note})
            return done.rowcount == 1
        return change

    async def scenario() -> list[bool]:
        return await asyncio.gather(commits.run(move("tab one")), commits.run(move("tab two")))

    assert asyncio.run(scenario()) == [True, False]
    assert commits.batches == 1
    assert stored(engine, "SELECT version, note FROM t WHERE id = 1") == [(1, "tab one")]


def test_a_held_write_lock_makes_changes_wait_without_blocking_the_loop(engine: Engine) -> None:
    """While another worker writes (it holds the lock file), the loop goes on with other work, and the changes
    made meanwhile are committed together as soon as the lock is free."""
    other_worker = WriteLock(engine)
    commits = commits_for(engine)

    async def scenario() -> tuple[list[str], list[int]]:
        seen: list[str] = []
        assert other_worker.try_acquire()
        changes = asyncio.gather(*[commits.run(add(n)) for n in (2, 3, 4)])
        for _ in range(5):
            await asyncio.sleep(0.01)
            seen.append("served a page")  # the loop is not stuck behind the lock
        assert stored(engine, "SELECT count(*) FROM t") == [(1,)]  # nothing written while the lock is held
        other_worker.release()
        return seen, await changes

    seen, results = asyncio.run(scenario())
    assert seen == ["served a page"] * 5
    assert results == [2, 3, 4]
    assert (commits.batches, commits.changes) == (1, 3)


def test_a_request_that_goes_away_keeps_its_change(engine: Engine) -> None:
    commits = commits_for(engine)

    async def scenario() -> None:
        request = asyncio.ensure_future(commits.run(add(5)))
        await asyncio.sleep(0)
        request.cancel()  # the browser closed the connection
        await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert stored(engine, "SELECT id FROM t WHERE id = 5") == [(5,)]


def test_the_write_lock_is_one_writer_across_workers(tmp_path: Path) -> None:
    """Two workers' locks on one SQLite file: while one holds it, the other cannot take it."""
    url = f"sqlite:///{tmp_path / 'two.sqlite3'}"
    first, second = WriteLock(create_engine(url)), WriteLock(create_engine(url))
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()
