"""The changes of one worker's requests, committed many to a transaction (group commit).

A student's change (a choice, an answer, a draft) is a few short statements, and on a busy server
much of its cost is the transaction around it: taking SQLite's one write lock, BEGIN, COMMIT, and
on PostgreSQL the wait for the commit to reach the disk. So a worker gathers the changes its
requests make at about the same moment and commits them together: a change waits for the requests
already ready on the event loop to add theirs, then one transaction holds them all. On SQLite,
while the other worker holds the file's write lock, the changes wait on the event loop without
blocking it (the worker goes on serving pages) and gather into the next transaction. The busier the
server, the bigger the batches and the fewer the commits.

Each change is a function of the connection that writes, or refuses without writing anything
(an ``UPDATE ... WHERE version = :at`` that matched no row), so the changes of a batch never have
to undo one another. If a batch fails as a whole (a deadlock between the two workers' batches, a
dropped connection, a bug in one change), each of its changes is run again alone, in its own
transaction, and only a change that fails alone gets the error. A request is answered only after
the transaction holding its change has committed, so nothing acknowledged is lost to a crash.

Everything here runs on the worker's event loop: no thread, no lock held across an ``await``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Connection

T = TypeVar("T")
Change = Callable[[Connection], Any]

BATCH = 64  # changes in one transaction at most (a transaction holds SQLite's write lock while it runs)
LOCK_POLL_SECONDS = 0.0005  # how often a batch looks again at a write lock the other worker holds


class Lock(Protocol):
    def try_acquire(self) -> bool: ...
    def release(self) -> None: ...


class GroupCommit:
    """Runs the changes of one event loop's requests, as many per transaction as are waiting."""

    def __init__(self, lock: Lock, transaction: Callable[[], AbstractContextManager[Connection]]):
        self._lock = lock  # the write lock (SQLite's one writer; always free on PostgreSQL)
        self._transaction = transaction  # a writing transaction that commits when its block ends
        self._waiting: list[tuple[Change, asyncio.Future[Any]]] = []
        self._flushing: asyncio.Task[None] | None = None
        self.batches = 0  # transactions committed, and the changes in them (tests, benchmarks)
        self.changes = 0

    async def run(self, change: Callable[[Connection], T]) -> T:
        """``change(connection)`` inside a committed transaction; its result, or the exception it raised."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((change, future))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self._flush())
        return await asyncio.shield(future)  # a request that goes away does not take back its change

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # the requests already ready on the loop add their changes first
        while self._waiting:
            while not self._lock.try_acquire():
                await asyncio.sleep(LOCK_POLL_SECONDS)
            batch, self._waiting = self._waiting[:BATCH], self._waiting[BATCH:]
            try:
                self._commit(batch)
            finally:
                self._lock.release()

    def _commit(self, batch: list[tuple[Change, asyncio.Future[Any]]]) -> None:
        results: list[Any] = []
        try:
            with self._transaction() as db:
                for change, _ in batch:
                    results.append(change(db))
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], error=exc)
                return
            for one in batch:  # the batch as a whole failed: find the change that fails alone
                self._commit([one])
            return
        self.batches += 1
        self.changes += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result=result)


def _settle(future: asyncio.Future[Any], result: Any = None, error: BaseException | None = None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
