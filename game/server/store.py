"""The server's tables, and the database engine for SQLite or PostgreSQL.

Everything a worker needs lives here, never in a worker's memory: any
``kira serve`` worker (or machine) can answer any request. A playthrough
is kept two ways at once, in one transaction per choice or answer:

* ``steps``: append-only, one row per choice (and per undo), so the path
  can always be replayed and checked, and the teacher's pages (classes,
  rosters, grading) can show every moment, the undone ones too;
* ``playthroughs.state``: the current :meth:`Playthrough.to_dict`, with a
  ``version`` (the number of steps) that makes a stale click from a second
  tab fail instead of forking the path (optimistic concurrency).

The schema is created and upgraded by the Alembic migrations in
``game/server/migrations`` (run on start); the table definitions here are
what the code reads and writes through.
"""

from __future__ import annotations

import os
import secrets
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

try:
    import fcntl as _fcntl
except ImportError:  # Windows: SQLite's own waiting does it, more slowly
    _fcntl = None  # type: ignore[assignment]

SQLITE_FILE = "kira-serve.sqlite3"


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Server-wide values shared by every worker: the cookie signing secret, the schema's story."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Class(Base):
    """A class that plays together: its join code, and the assignment it plays (none: free play).

    The assignment is kept as the teacher's file text, so every worker loads the same one and a
    later edit of the file on disk cannot change what a class was given.
    """

    __tablename__ = "classes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    story_id: Mapped[str] = mapped_column(String(100))
    assignment_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    assignment_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    assignment_yaml: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the teacher's pages (migration 0002): whose class, the story version it was made on, who may join
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id", ondelete="SET NULL"), nullable=True,
                                                   index=True)
    story_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    unknown_names: Mapped[str] = mapped_column(String(10), default="allow")  # "allow" or "refuse" (with a roster)


class Student(Base):
    """A student of a class, known by the name they typed (``name_key`` folds case and spaces)."""

    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("class_id", "name_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))
    school_id: Mapped[str | None] = mapped_column(String(80), nullable=True)  # from a roster (the teacher's pages)
    on_roster: Mapped[bool] = mapped_column(Boolean, default=False)  # listed by the teacher, joined or not yet
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)  # from a roster: Google Classroom's key
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class PlaythroughRow(Base):
    """A student's playthrough: the current state, its version, and where the pages stand.

    ``map_chapter`` is a chapter whose path map is due (set when a chapter closes, cleared by
    Continue); ``aftermath`` is the text the last choice left, shown over the next scene.
    ``submission`` is the finished record (:meth:`AssignmentSession.submission`).
    """

    __tablename__ = "playthroughs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    story_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    aftermath: Mapped[str] = mapped_column(Text, default="")
    map_chapter: Mapped[str | None] = mapped_column(String(100), nullable=True)
    notice: Mapped[str] = mapped_column(Text, default="")  # a one-time message (a story update moved the player)
    undo_count: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submission: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class StepRow(Base):
    """One thing the student did, in order: a choice (``kind`` "choose") or taking one back ("undo")."""

    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("playthrough_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    playthrough_id: Mapped[int] = mapped_column(ForeignKey("playthroughs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the playthrough's version after this step
    kind: Mapped[str] = mapped_column(String(10))
    scene: Mapped[str] = mapped_column(String(100))
    choice: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(100))
    novel: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class AnswerRow(Base):
    """A reflection answer: ``draft`` is saved as the student types, ``text`` once it is handed in."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("playthrough_id", "question"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    playthrough_id: Mapped[int] = mapped_column(ForeignKey("playthroughs.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(100))
    draft: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    words: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Teacher(Base):
    """A teacher's account: the password only as an Argon2id hash (game/server/accounts.py)."""

    __tablename__ = "teachers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Grade(Base):
    """A teacher's grade of one answer: points per rubric criterion and a comment, kept as they are typed."""

    __tablename__ = "grades"
    __table_args__ = (UniqueConstraint("student_id", "question"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(100))
    points: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # criterion id -> points given
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class JoinAttempt(Base):
    """A join with a wrong class code, by a keyed hash of the address (no address kept in clear)."""

    __tablename__ = "join_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)


# The same tables for SQLAlchemy Core statements: the pages and the choices read and write through these
# (an ORM object costs about a millisecond a query in loading and bookkeeping, a Core row a tenth of it).
CLASSES: Table = Base.metadata.tables["classes"]
STUDENTS: Table = Base.metadata.tables["students"]
PLAYTHROUGHS: Table = Base.metadata.tables["playthroughs"]
STEPS: Table = Base.metadata.tables["steps"]
ANSWERS: Table = Base.metadata.tables["answers"]


# -- the engine --------------------------------------------------------------------------------------------

def default_url() -> str:
    """A SQLite file in the platform's data folder (KIRA_SERVE_DIR overrides the folder)."""
    from platformdirs import user_data_dir

    folder = Path(os.environ.get("KIRA_SERVE_DIR") or user_data_dir("we-the-living", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / SQLITE_FILE}"


def normalise_url(url: str) -> str:
    """``postgresql://`` means the psycopg 3 driver (SQLAlchemy would otherwise look for psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url``.

    SQLite runs in WAL mode, waits for a busy lock instead of failing, and takes the write lock at the
    start of a writing transaction so two workers never deadlock upgrading a read. Its ``synchronous``
    is NORMAL: a commit is in the write-ahead log before the student's page moves on, so a killed or
    crashed server loses nothing acknowledged; only a power cut of the server machine itself can lose
    its last moments. FULL (``KIRA_SERVE_SQLITE_SYNC=FULL``) closes that too, at 8.6 ms a write against
    3.5 ms on this machine's disk, which caps a SQLite server near 110 choices a second.
    """
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        # No "ping" before each use of a pooled connection: it was a round trip on every request. A
        # connection the database dropped (a restart) fails at its first statement instead; SQLAlchemy
        # then renews the whole pool, and the server runs the student's request once more (app.py).
        return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=False, pool_recycle=3600)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    sync = "FULL" if os.environ.get("KIRA_SERVE_SQLITE_SYNC", "").upper() == "FULL" else "NORMAL"

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sync}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = connection.get_execution_options().get("writing", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def new_code() -> str:
    """A class code: 10 letters and digits that cannot be misread (no 0/O, 1/I/L), shown as XXXXX-XXXXX.

    31**10 (8e14) codes: at the join rate limit, trying them would take longer than the universe has.
    """
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


CLASS_ID_HIGH = "class-id-high"


def next_class_id(db: Any) -> int | None:
    """An id no class has ever had on this server. SQLite would hand a deleted class's id to the next
    class, and every worker keeps each class's assignment by id: a reused id could show a new class the
    old one's questions. Deleting a class records its id (:func:`game.server.teacher.erase_class`).
    PostgreSQL's sequence never gives an id twice, so there the database chooses (None), and two
    teachers making a class at the same moment cannot pick the same number."""
    if db.get_bind().dialect.name != "sqlite":
        return None
    highest = db.scalar(select(func.max(Class.id))) or 0
    kept = db.get(Meta, CLASS_ID_HIGH)
    return max(highest, int(kept.value) if kept else 0) + 1


def clean_code(text: str) -> str:
    """What a student typed, as a code: upper case, spaces and dashes dropped, then the dash put back."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())[:10]
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else raw


def name_key(name: str) -> str:
    """A student's name folded for finding them again ("Ana  Lima" and "ana lima" are one student)."""
    return " ".join(name.split()).casefold()


class WriteLock:
    """The one writer at a time that SQLite allows, taken in order and woken at once.

    SQLite lets a writer that finds the file busy sleep 1, 2, 5, 10 ms and more between tries, and a
    worker serves its requests one after another on its event loop, so every such sleep would stall
    all of that worker's students. The threads of a worker queue on a lock, and the workers of one
    server on an advisory lock of the file beside the database (POSIX), which wakes the next writer
    as soon as the last one commits. On PostgreSQL, which locks rows, this does nothing.
    """

    def __init__(self, engine: Engine):
        self._thread = threading.Lock()
        database = engine.url.database or ""
        self._path = database + ".lock" if engine.dialect.name == "sqlite" and database not in ("", ":memory:") \
            and _fcntl is not None else ""
        self._enabled = engine.dialect.name == "sqlite"
        self._fd = -1

    def __enter__(self) -> None:
        if not self._enabled:
            return
        self._thread.acquire()
        if self._path and _fcntl is not None:
            _fcntl.flock(self._file(), _fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        self.release()

    def try_acquire(self) -> bool:
        """Take the lock only if it is free: the event loop's writers wait for it without blocking
        (:class:`game.server.commits.GroupCommit`); True when it is taken."""
        if not self._enabled:
            return True
        if not self._thread.acquire(blocking=False):
            return False
        if self._path and _fcntl is not None:
            try:
                _fcntl.flock(self._file(), _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            except BlockingIOError:
                self._thread.release()
                return False
        return True

    def release(self) -> None:
        if not self._enabled:
            return
        if self._fd >= 0 and _fcntl is not None:
            _fcntl.flock(self._fd, _fcntl.LOCK_UN)
        self._thread.release()

    def _file(self) -> int:
        if self._fd < 0:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

