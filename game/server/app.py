"""The web application: routes, one database transaction per choice or answer.

Every request finds the student's playthrough by the id in their signed session cookie,
reads its row from the database, rebuilds it (:class:`game.server.play.Live`, or the replay
this worker kept of exactly that stored version) and, for a change, writes the new state, the
step and the playthrough's new version in one transaction that checks the version it was made
on. The database is the only record of a student, so any worker can answer any request.

A student's requests are a few SQLAlchemy Core statements and some hundred microseconds of
Python each, run on the worker's event loop; the changes that requests make at about the same moment
are committed together, many to a transaction (:mod:`game.server.commits`), and waiting for SQLite's
write lock never stops the loop (docs/BENCHMARKS.md has the figures).

The pages are plain HTML forms that work without JavaScript; ``static/kira.js`` only adds
a live word count and saves drafts as the student types.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.templating import Jinja2Templates

from game.server import accounts, classreport, grading, pictures, teacher
from game.server.assets import Assets
from game.server.auth import CSRF_FIELD, SecurityHeaders, check_csrf, client_key, csrf_token, server_secret
from game.server.classes import roster_names
from game.server.commits import GroupCommit
from game.server.play import Live, check_name, count, count_words, default_story, load, parse_assignment
from game.server.store import (
    ANSWERS,
    CLASSES,
    PLAYTHROUGHS,
    STEPS,
    STUDENTS,
    Class,
    JoinAttempt,
    PlaythroughRow,
    Student,
    WriteLock,
    clean_code,
    default_url,
    make_engine,
    name_key,
    now,
)

HERE = Path(__file__).parent
JOIN_WINDOW = timedelta(minutes=10)
JOIN_FAILURES = 20  # wrong codes from one address within JOIN_WINDOW before joins from it are refused
MAX_ANSWER_CHARS = 20_000
ENDING_PAGES = 3
PLAY_CACHE = 1000  # replays a worker keeps for the clicks that follow (about 40 kB each: 40 MB a worker)


@dataclass
class Config:
    """What a worker needs to start; ``from_env`` reads what ``kira serve`` hands its workers."""

    db: str
    story: str
    packs: list[str] = field(default_factory=list)

    @classmethod
    def from_env(cls) -> Config:
        packs = [p for p in os.environ.get("KIRA_SERVE_PACKS", "").split(os.pathsep) if p]
        return cls(os.environ.get("KIRA_SERVE_DB") or default_url(),
                   os.environ.get("KIRA_SERVE_STORY") or str(default_story()), packs)


class Server:
    """The story, the database engine and the templates of one worker (nothing per student)."""

    def __init__(self, config: Config, engine: Engine | None = None):
        self.story = load(config.story, config.packs)
        self.engine = engine or make_engine(config.db)
        # compiled once; auto_reload off: no look at the template files' times on every page
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                 auto_reload=False)
        env.globals["count"] = count
        env.globals["picture_name"] = pictures.name_for
        self.assets = Assets(HERE / "static")
        env.globals["static_url"] = self.assets.url
        self.templates = Jinja2Templates(env=env)
        self._write_lock = WriteLock(self.engine)
        self.commits = GroupCommit(self._write_lock, self.committing)  # the students' changes, many a transaction
        self._postgres = self.engine.dialect.name == "postgresql"
        self._assignments: dict[int, Any] = {}
        self._lives: OrderedDict[tuple[Any, ...], Live] = OrderedDict()
        self._latest: dict[int, tuple[Any, ...]] = {}  # a playthrough's id -> the key of its newest kept replay
        self._lives_lock = threading.Lock()
        with self.reading() as db:
            self.secret = server_secret(db)

    # -- transactions --------------------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Session]:
        """An ORM session that only reads (the pages that are not on a student's every step use these)."""
        with Session(self.engine) as db:
            yield db

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """An ORM transaction that takes the write lock at once (SQLite) and commits on success."""
        with self._write_lock, self.engine.connect() as connection:
            connection.execution_options(writing=True)
            with Session(bind=connection) as db:
                yield db
                db.commit()

    @contextmanager
    def looking(self) -> Iterator[Connection]:
        """A connection for Core statements that only read (a student's pages).

        On PostgreSQL it reads outside a transaction: each read is one round trip, without a BEGIN and a
        ROLLBACK around it. Every page reads the playthrough's row first and a change checks its version
        when it writes, so nothing depends on two reads seeing the same moment."""
        with self.engine.connect() as db:
            if self._postgres:
                db.execution_options(isolation_level="AUTOCOMMIT")
            yield db

    @contextmanager
    def changing(self) -> Iterator[Connection]:
        """A Core transaction that takes the write lock at once (SQLite) and commits on success.

        On SQLite the writers of one server queue for the file's one write lock here, in order
        (:class:`WriteLock`), instead of inside SQLite, whose busy handler sleeps between tries.
        ``db.rollback()`` inside gives up what was written; nothing is committed then.
        """
        with self._write_lock, self.committing() as db:
            yield db

    @contextmanager
    def committing(self) -> Iterator[Connection]:
        """:meth:`changing` for a caller that already holds the write lock (:attr:`commits`)."""
        with self.engine.connect() as db:
            db.execution_options(writing=True)
            yield db
            db.commit()

    # -- loading a student's playthrough ------------------------------------------------------------------
    def row(self, db: Connection | Session, request: Request, state: bool = False) -> Any:
        """The playthrough this browser's session belongs to (never another student's), as a row of the
        columns a page needs; ``state`` adds the stored state. Nothing is locked: a change checks, as it
        writes, that the playthrough is still at the version it was worked out on."""
        pid, sid = request.session.get("pid"), request.session.get("sid")
        if not isinstance(pid, int) or not isinstance(sid, int):
            return None
        return db.execute(ROW_WITH_STATE if state else ROW_TO_SHOW, {"pid": pid, "sid": sid}).first()

    def assignment(self, db: Connection | Session, class_id: int) -> Any:
        """A class's assignment (None: free play). A class's assignment never changes, so each worker
        keeps what it has read: a cache of the database, never the only copy of anything."""
        if class_id not in self._assignments:
            text = db.execute(select(CLASSES.c.assignment_yaml).where(CLASSES.c.id == class_id)).scalar()
            self._assignments[class_id] = parse_assignment(text, self.story) if text else None
        return self._assignments[class_id]

    def live(self, db: Connection | Session, row: Any, reading: bool = False) -> Live:
        """The playthrough rebuilt from its row.

        A worker keeps the replays it made, keyed by the playthrough as stored now: its version (every
        choice and undo) and the time of its last change (every answer too), read from the database on
        each request, so a kept replay is never stale. A page that only reads uses one as it is; a change
        takes it out of the cache and works on it (a failed change leaves it with nobody), and puts the
        result back under its new key once it is committed (:meth:`remember`). Requests run on the worker's
        event loop, and a change owns the replay it took while it waits for its commit, so no page reads a
        replay that a change is working on (a page in between replays the stored version itself)."""
        key = cache_key(row)
        with self._lives_lock:
            cached = self._lives.get(key) if reading else self._lives.pop(key, None)
            if cached is not None and not reading and self._latest.get(row.id) == key:
                del self._latest[row.id]
        if cached is not None:
            return cached
        assignment = self.assignment(db, row.class_id)
        answers: dict[str, str] = {} if assignment is None or not assignment.questions else {
            qid: text or "" for qid, text in db.execute(ANSWERED, {"pid": row.id})}
        state = row.state if "state" in row._fields else db.execute(STATE, {"pid": row.id}).scalar()
        live = Live(self.story, state, assignment, answers, started=row.started_at.isoformat())
        if reading and not live.notice:
            self.remember(key, live)
        return live

    def remember(self, key: tuple[Any, ...], live: Live) -> None:
        """Keep a replayed playthrough for the requests that follow (a change calls this after its commit)."""
        with self._lives_lock:
            self._lives[key] = live
            self._lives.move_to_end(key)
            self._latest[key[0]] = key
            while len(self._lives) > PLAY_CACHE:
                old, _ = self._lives.popitem(last=False)
                if self._latest.get(old[0]) == old:
                    del self._latest[old[0]]

    def take_kept(self, pid: int, version: int) -> tuple[tuple[Any, ...], Live] | None:
        """The replay this worker keeps of playthrough ``pid`` at ``version``, taken out of the cache, with its
        key; a change made on it must check, as it writes, that the key is still what is stored."""
        with self._lives_lock:
            key = self._latest.get(pid)
            if key is None or key[1] != version or key not in self._lives:
                return None
            del self._latest[pid]
            return key, self._lives.pop(key)

    # -- rendering -----------------------------------------------------------------------------------------
    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        session = request.session
        context.setdefault("playing", isinstance(session.get("pid"), int))
        context.setdefault("notice", "")
        context.setdefault("error", "")
        context.update(csrf=csrf_token(session), csrf_field=CSRF_FIELD, hc=bool(session.get("hc")),
                       big=bool(session.get("big")), story_title=self.story.title)
        body = self.templates.get_template(template).render(context)
        return HTMLResponse(body, status_code=status)

    def message(self, request: Request, title: str, text: str, status: int, back: str = "/play") -> Response:
        return self.page(request, "message.html", status, title=title, text=text, back=back)


P = PLAYTHROUGHS
# what a page reads of a playthrough on every request: everything but the stored state and the submission
PAGE_COLUMNS = [P.c.id, P.c.student_id, P.c.class_id, P.c.story_hash, P.c.version, P.c.aftermath, P.c.map_chapter,
                P.c.notice, P.c.undo_count, P.c.started_at, P.c.updated_at, P.c.finished_at]


ROW_TO_SHOW = select(*PAGE_COLUMNS).where(P.c.id == bindparam("pid"), P.c.student_id == bindparam("sid"))
ROW_WITH_STATE = select(*PAGE_COLUMNS, P.c.state).where(P.c.id == bindparam("pid"), P.c.student_id == bindparam("sid"))
STATE = select(P.c.state).where(P.c.id == bindparam("pid"))
ANSWERED = select(ANSWERS.c.question, ANSWERS.c.text).where(ANSWERS.c.playthrough_id == bindparam("pid"),
                                                            ANSWERS.c.text.is_not(None))
# a change of a playthrough, only if it is still at the version the change was made on (another tab's
# change in between makes it change nothing: the click is refused as stale); the values to set are named
# by the parameters given with it
CHANGE = update(P).where(P.c.id == bindparam("at_id"), P.c.student_id == bindparam("at_sid"),
                         P.c.version == bindparam("at_version"))
# the same for a change worked out on a worker's kept replay: the stored playthrough must be the very one it
# was made from (story and last change too), with no chapter map due and not finished
CHANGE_KEPT = CHANGE.where(P.c.story_hash == bindparam("at_story"), P.c.updated_at == bindparam("at_changed"),
                           P.c.map_chapter.is_(None), P.c.finished_at.is_(None))
ADD_STEP = insert(STEPS)
# the finished record, kept once
FINISH = update(P).where(P.c.id == bindparam("at_id"), P.c.finished_at.is_(None))
STUDENT_NAME = select(STUDENTS.c.name).where(STUDENTS.c.id == bindparam("sid"))


def cache_key(row: Any, version: int | None = None, changed: datetime | None = None) -> tuple[Any, ...]:
    """A playthrough as stored now (or with the ``version`` and ``changed`` time a change just wrote): its id,
    version, story and last change, the time in the same form however the database hands it back (SQLite
    without its zone, PostgreSQL with it)."""
    changed = changed or row.updated_at
    if changed is not None and changed.tzinfo is not None:
        changed = changed.astimezone(UTC).replace(tzinfo=None)
    return (row.id, row.version if version is None else version, row.story_hash, changed)


def retrying(work: Callable[..., Response], *args: Any) -> Response:
    """``work(*args)``, run once more if the database had dropped the connection it was given.

    That happens after PostgreSQL restarts (the pool does not ping each connection before use: a round
    trip on every request); SQLAlchemy then renews the whole pool. A change that did reach the database
    before the connection dropped is refused as stale the second time by its version check (or is
    written again unchanged, for an answer or a draft), so nothing is ever stored twice."""
    try:
        return work(*args)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        return work(*args)


async def retrying_async(work: Callable[..., Awaitable[Response]], *args: Any) -> Response:
    """:func:`retrying` for a request that awaits its change's commit (:class:`GroupCommit`)."""
    try:
        return await work(*args)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        return await work(*args)


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# -- the routes ---------------------------------------------------------------------------------------------

def build(server: Server) -> Starlette:
    """The Starlette application around ``server``."""

    async def form_of(request: Request) -> dict[str, str] | Response:
        """The posted form, or a refusal when its CSRF token is not this session's."""
        form = await request.form()
        data = {k: v for k, v in form.items() if isinstance(v, str)}
        if not check_csrf(request.session, data.get(CSRF_FIELD, "")):
            return server.message(request, "This page had expired",
                                  "The form was sent from a page that is too old (or from another site). "
                                  "Nothing was changed; please try again.", 403, back="/")
        return data

    # ---- joining -----------------------------------------------------------------------------------------
    async def home(request: Request) -> Response:
        if isinstance(request.session.get("pid"), int):
            return see_other("/play")
        return server.page(request, "join.html", code="", name="")

    def do_join(request: Request, form: dict[str, str], client: str) -> Response:
        code, name = clean_code(form.get("code", "")), " ".join(form.get("name", "").split())
        with server.writing() as db:
            since = now() - JOIN_WINDOW
            failures = db.scalar(select(func.count()).select_from(JoinAttempt).where(
                JoinAttempt.client == client, JoinAttempt.at > since)) or 0
            if failures >= JOIN_FAILURES:
                return server.page(request, "join.html", 429, code="", name=name,
                                   error="Too many wrong class codes were tried from this computer. "
                                         "Please wait ten minutes, then type the code on the board again.")
            klass = db.scalars(select(Class).where(Class.code == code, Class.closed_at.is_(None))).first()
            if klass is None:
                db.add(JoinAttempt(client=client))
                db.execute(delete(JoinAttempt).where(JoinAttempt.at < now() - 6 * JOIN_WINDOW))
                db.commit()
                return server.page(request, "join.html", 400, code=form.get("code", "")[:20], name=name,
                                   error="No class has that code. Check the code on the board and type it again.")
            listed = roster_names(db, klass.id)  # with a class list, the student picks their name from it
            if listed and (not name or (klass.unknown_names == "refuse" and name_key(name) not in listed)):
                return server.page(request, "pick.html", 400 if name else 200, code=code, names=list(listed.values()),
                                   allow=klass.unknown_names != "refuse", error="" if not name else
                                   "That name is not on your class's list. Pick your name below, or ask your teacher.")
            problem = check_name(name)
            if problem:
                return server.page(request, "join.html", 400, code=code, name=name, error=problem)
            student = db.scalars(select(Student).where(Student.class_id == klass.id,
                                                       Student.name_key == name_key(name))).first()
            if student is None:
                student = Student(class_id=klass.id, name=name, name_key=name_key(name))
                db.add(student)
                db.flush()
            row = db.scalars(select(PlaythroughRow).where(PlaythroughRow.student_id == student.id)
                             .order_by(PlaythroughRow.id.desc())).first()
            if row is None:
                assignment = parse_assignment(klass.assignment_yaml, server.story) if klass.assignment_yaml else None
                live = Live(server.story, None, assignment)
                row = PlaythroughRow(student_id=student.id, class_id=klass.id, story_hash=server.story.content_hash,
                                     version=0, state=live.state(), aftermath="", notice="", undo_count=0)
                db.add(row)
                db.flush()
            ids = (row.id, student.id)
        # this browser's settings
        keep: dict[str, Any] = {k: request.session[k] for k in ("hc", "big") if k in request.session}
        request.session.clear()
        request.session.update(keep, pid=ids[0], sid=ids[1], csrf=secrets.token_urlsafe(24))
        return see_other("/play")

    async def join(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        client = client_key(server.secret, request.client.host if request.client else "")
        # on the event loop, like every student's request: a thread would take turns with the loop at the
        # interpreter lock, and on PostgreSQL each of the loop's round trips could then wait for it
        for _ in range(3):  # two first joins of one name at once: the loser finds the winner's row
            try:
                return retrying(do_join, request, form, client)
            except IntegrityError:
                continue
        return server.message(request, "Please try again", "The server was busy; nothing was lost.", 503, back="/")

    async def leave(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        keep: dict[str, Any] = {k: request.session[k] for k in ("hc", "big") if k in request.session}
        request.session.clear()
        request.session.update(keep)
        return see_other("/")

    # ---- playing -----------------------------------------------------------------------------------------
    def need_row(request: Request) -> Response | None:
        if not isinstance(request.session.get("pid"), int):
            return see_other("/")
        return None

    async def with_row(request: Request, work: Callable[..., Response], *args: Any) -> Response:
        """``work(*args)`` for a student who has joined; anyone else is sent to join.

        The work runs on the worker's event loop, not in a thread: it is a few statements on a local
        database and some hundred microseconds of Python, and handing it to a thread and back cost
        more than that (the threads take turns at the interpreter lock anyway)."""
        refused = need_row(request)
        if refused is not None:
            return refused
        return retrying(work, *args)

    async def changing_row(request: Request, change: Callable[..., Awaitable[Response]], *args: Any) -> Response:
        """:func:`with_row` for a request that changes the playthrough: ``change`` reads, works out the
        change and hands its writes to :attr:`Server.commits`, to be committed with the others waiting."""
        refused = need_row(request)
        if refused is not None:
            return refused
        return await retrying_async(change, *args)

    def show_play(request: Request) -> Response:
        with server.looking() as db:
            row = server.row(db, request)
            if row is None:
                request.session.clear()
                return see_other("/")
            if row.story_hash != server.story.content_hash:
                return see_other("/update")
            live = server.live(db, row, reading=True)
            if row.map_chapter:
                return map_page(request, live, row.map_chapter, row, closing=True)
            due = live.due()
            if due:
                return question_page(request, db, row, live, due[0])
            if live.over:
                return see_other("/done" if row.finished_at else "/ending/1")
            header = live.header()
            return server.page(request, "scene.html", header=header, paragraphs=live.paragraphs(),
                               choices=live.choices(), aftermath=row.aftermath, at=row.version,
                               can_undo=live.can_undo, undo_allowed=live.undo_allowed, notice=row.notice,
                               picture=live.picture(), steps=live.steps,
                               instructions=live.assignment.instructions if live.assignment and not live.steps
                               else "",
                               status_message=request.query_params.get("m", ""))

    async def play(request: Request) -> Response:
        return await with_row(request, show_play, request)

    async def do_update(request: Request) -> Response:
        """A story update since this playthrough was stored: replay it on the new story, or move it."""
        with server.looking() as db:
            row = server.row(db, request, state=True)
            if row is None:
                return see_other("/")
            if row.story_hash == server.story.content_hash:
                return see_other("/play")
            live = server.live(db, row)
        moved = update(P).where(P.c.id == row.id, P.c.version == row.version).values(
            state=live.state(), story_hash=server.story.content_hash, notice=live.notice,
            version=row.version + 1, updated_at=now())
        await server.commits.run(lambda db: db.execute(moved))  # another tab's update first: it stands
        return see_other("/play")

    async def story_update(request: Request) -> Response:
        return await changing_row(request, do_update, request)

    def stale(request: Request) -> Response:
        return see_other("/play?m=stale")

    async def do_choose(request: Request, form: dict[str, str]) -> Response:
        """A choice: worked out from the playthrough as read, then written only if it is still at that version.

        Nothing is locked while the story engine works: the write is one short transaction (the new state,
        the version and the step together) whose UPDATE ... WHERE version = :at refuses the click as stale
        if another tab changed the playthrough in between. Only a change bumps the version, and nothing
        that happens without one (an answer handed in, a chapter's map closed) can make a choice that was
        open at that version wrong.

        A choice on a page this worker has just served starts from the replay it kept and reads nothing
        first: its UPDATE checks the whole key of that replay (version, story, last change) and that no
        map is due and nothing is finished; if anything differs, the choice is worked out again from the
        database as below."""
        try:
            at, number = int(form.get("at", "")), int(form.get("choice", ""))
        except ValueError:
            return server.message(request, "That choice was not understood", "Please pick a choice again.", 400)
        pid, sid = request.session.get("pid"), request.session.get("sid")
        if not isinstance(pid, int) or not isinstance(sid, int):
            return see_other("/")
        kept = server.take_kept(pid, at)
        if kept is not None:
            key, live = kept
            done = await choose_and_store(request, live, number, pid, sid, at, key[2], key)
            if done is not None:
                return done
        with server.looking() as db:
            row = server.row(db, request)
            if row is None:
                return see_other("/")
            if at != row.version or row.map_chapter or row.finished_at:
                return stale(request)
            live = server.live(db, row)
        return await choose_and_store(request, live, number, pid, sid, at, row.story_hash) or stale(request)

    async def choose_and_store(request: Request, live: Live, number: int, pid: int, sid: int, at: int, story: str,
                         kept: tuple[Any, ...] | None = None) -> Response | None:
        """Take choice ``number`` on ``live`` (at version ``at``, of the story whose hash is ``story``) and store
        it; None: the stored playthrough is no longer at that version, or no longer the one ``kept`` was the
        key of (the caller reads it again)."""
        if live.over or live.due():
            return None if kept else stale(request)
        try:
            outcome = live.choose(number)
        except IndexError:
            return None if kept else stale(request)
        except Exception as exc:  # a PlayError: the story itself failed; nothing changed
            return server.message(request, "The story could not go on",
                                  f"{exc}. Pick another choice, or take the last one back.", 409)
        version, changed, step = at + 1, now(), outcome.step
        change = {"at_id": pid, "at_version": at, "at_sid": sid, "version": version, "state": live.state(),
                  "aftermath": outcome.aftermath, "map_chapter": outcome.chapter_ended if not outcome.over else None,
                  "notice": "", "updated_at": changed}
        if kept:
            change.update(at_story=kept[2], at_changed=kept[3].replace(tzinfo=UTC) if kept[3] else None)
        added = {"playthrough_id": pid, "number": version, "kind": "choose", "scene": step["scene"],
                 "choice": step["choice"], "label": step["label"], "target": step["to"], "novel": step["novel"],
                 "at": changed}

        def store(db: Connection) -> bool:
            """The new state, the version and the step together; nothing written if the version moved."""
            if db.execute(CHANGE_KEPT if kept else CHANGE, change).rowcount != 1:
                return False
            db.execute(ADD_STEP, added)
            if live.finished:
                live.student = db.execute(STUDENT_NAME, {"sid": sid}).scalar() or ""
                db.execute(FINISH, {"at_id": pid, "finished_at": changed, "submission": live.submission()})
            return True

        if not await server.commits.run(store):
            return None
        # committed: the page that follows can use this replay
        server.remember((pid, version, story, changed.replace(tzinfo=None)), live)
        return see_other("/ending/1" if outcome.over else "/play")

    def finish(db: Connection, row: Any, live: Live) -> None:
        """Over with every question answered: keep the finished record (once)."""
        if live.finished:
            live.student = db.execute(STUDENT_NAME, {"sid": row.student_id}).scalar() or ""
            db.execute(FINISH, {"at_id": row.id, "finished_at": now(), "submission": live.submission()})

    async def choose(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        return await changing_row(request, do_choose, request, form)

    async def do_undo(request: Request, form: dict[str, str]) -> Response:
        with server.looking() as db:
            row = server.row(db, request, state=True)
            if row is None:
                return see_other("/")
            if str(row.version) != form.get("at") or row.finished_at:
                return stale(request)
            live = server.live(db, row)
        if not live.undo_allowed:
            return server.message(request, "Undo is off", "Your teacher switched undo off for this class.", 403)
        step = live.undo()
        if step is None:
            return see_other("/play?m=nothing")
        version, changed = row.version + 1, now()

        def store(db: Connection) -> bool:
            """The state before the last choice, and an undo step; nothing if another tab changed it first."""
            done = db.execute(update(P).where(P.c.id == row.id, P.c.version == row.version)
                              .values(version=version, state=live.state(), aftermath="", map_chapter=None,
                                      undo_count=row.undo_count + 1, updated_at=changed))
            if done.rowcount != 1:
                return False
            db.execute(insert(STEPS).values(playthrough_id=row.id, number=version, kind="undo", scene=step["scene"],
                                            choice=step["choice"], label=step["label"], target=step["to"],
                                            novel=step["novel"], at=changed))
            return True

        if not await server.commits.run(store):
            return stale(request)
        return see_other("/play?m=undone")

    async def undo(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        return await changing_row(request, do_undo, request, form)

    async def do_continue(request: Request, form: dict[str, str]) -> Response:
        chapter = form.get("chapter")
        pid, sid = request.session.get("pid"), request.session.get("sid")
        if chapter and isinstance(sid, int):
            # one statement: the map is closed only if it is the one shown
            closing = update(P).where(P.c.id == pid, P.c.student_id == sid, P.c.map_chapter == chapter) \
                .values(map_chapter=None)
            await server.commits.run(lambda db: db.execute(closing))
        return see_other("/play")

    async def go_on(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        return await changing_row(request, do_continue, request, form)

    # ---- questions ---------------------------------------------------------------------------------------
    def question_page(request: Request, db: Connection | None, row: Any, live: Live, question: Any,
                      text: str | None = None, problem: str = "", status: int = 200) -> Response:
        if text is None:
            kept = db.execute(select(ANSWERS.c.draft, ANSWERS.c.text).where(
                ANSWERS.c.playthrough_id == row.id, ANSWERS.c.question == question.id)).first() if db else None
            text = (kept.draft or kept.text or "") if kept else ""
        header = live.header()
        return server.page(request, "question.html", status, question=question, text=text, error=problem,
                           words=count_words(text), picture=live.last_picture(), header=header,
                           status_message=request.query_params.get("m", ""))

    def save_draft(db: Connection, pid: int, qid: str, text: str) -> None:
        values = {"playthrough_id": pid, "question": qid, "draft": text, "words": count_words(text),
                  "updated_at": now()}
        upsert = pg_insert if db.dialect.name == "postgresql" else sqlite_insert
        statement = upsert(ANSWERS).values(**values)
        db.execute(statement.on_conflict_do_update(
            index_elements=["playthrough_id", "question"],
            set_={"draft": text, "words": values["words"], "updated_at": values["updated_at"]}))

    async def do_answer(request: Request, qid: str, form: dict[str, str]) -> Response:
        """An answer handed in (or kept as a draft). It needs no version check: no choice can be made while
        a question is due, and handing in the same answer twice stores it once."""
        text = form.get("text", "")[:MAX_ANSWER_CHARS]
        with server.looking() as db:
            row = server.row(db, request, state=True)
            if row is None:
                return see_other("/")
            live = server.live(db, row)
        question = live.question(qid)
        if question is None:
            return server.message(request, "Not asked here", "This question is not asked at this point.", 404)
        handing_in = form.get("action") != "draft"
        problem = live.answer(qid, text) if handing_in else None
        changed = now()

        def store(db: Connection) -> None:
            save_draft(db, row.id, qid, text)  # the draft is kept even when the answer is too short
            if handing_in and not problem:
                db.execute(update(ANSWERS).where(ANSWERS.c.playthrough_id == row.id, ANSWERS.c.question == qid)
                           .values(text=text.strip(), answered_at=changed))
                db.execute(update(P).where(P.c.id == row.id).values(updated_at=changed))
                finish(db, row, live)

        await server.commits.run(store)
        if not handing_in:
            return see_other("/play?m=draft")
        if problem:
            return question_page(request, None, row, live, question, text, problem, 400)
        return see_other("/play")

    async def answer(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        qid = request.path_params["qid"]
        return await changing_row(request, do_answer, request, qid, form)

    async def do_draft(request: Request, qid: str, text: str) -> Response:
        with server.looking() as db:
            row = server.row(db, request)
            if row is None:
                return JSONResponse({"saved": False}, status_code=403)
            assignment = server.assignment(db, row.class_id)
            if assignment is None or qid not in {q.id for q in assignment.questions}:
                return JSONResponse({"saved": False}, status_code=404)
        await server.commits.run(lambda db: save_draft(db, row.id, qid, text[:MAX_ANSWER_CHARS]))
        return JSONResponse({"saved": True, "words": count_words(text)})

    async def draft(request: Request) -> Response:
        """Saves a draft as the student types (kira.js); the token comes in a header, the text as the body."""
        if not check_csrf(request.session, request.headers.get("x-csrf-token", "")):
            return JSONResponse({"saved": False}, status_code=403)
        if not isinstance(request.session.get("pid"), int):
            return JSONResponse({"saved": False}, status_code=403)
        body = (await request.body())[: MAX_ANSWER_CHARS * 4].decode("utf-8", "replace")
        return await retrying_async(do_draft, request, request.path_params["qid"], body)

    # ---- the other pages ---------------------------------------------------------------------------------
    def viewing(request: Request, render: Any) -> Response:
        with server.looking() as db:
            row = server.row(db, request)
            if row is None:
                return see_other("/")
            return render(db, row, server.live(db, row, reading=True))

    def map_page(request: Request, live: Live, chapter: str, row: Any, closing: bool = False) -> Response:
        scenes = live.path_map(chapter)
        if scenes is None:
            return server.message(request, "No map here", "You have not been in that chapter yet.", 404)
        chapters = live.chapters_seen()
        ids = [c for c, _ in chapters]
        index = ids.index(chapter)
        title = dict(chapters)[chapter]
        reflection = live.reflection(chapter) if closing and live.assignment is None else []
        return server.page(request, "map.html", scenes=scenes, chapter=chapter, title=title, closing=closing,
                           previous=ids[index - 1] if index > 0 else "", following=ids[index + 1]
                           if index + 1 < len(ids) else "", reflection=reflection, at=row.version,
                           picture=live.last_picture() if closing else live.picture())

    async def chapter_map(request: Request) -> Response:
        chapter = request.path_params["chapter"]
        return await with_row(request,
            viewing, request, lambda db, row, live: map_page(request, live, chapter, row))

    async def history(request: Request) -> Response:
        def render(db: Connection, row: Any, live: Live) -> Response:
            return server.page(request, "history.html", passages=live.history(), answered=live.answered(),
                               picture=live.picture())
        return await with_row(request, viewing, request, render)

    async def codex(request: Request) -> Response:
        def render(db: Connection, row: Any, live: Live) -> Response:
            entries = live.codex()
            return server.page(request, "codex.html", characters=[e for e in entries if e["kind"] == "character"],
                               glossary=[e for e in entries if e["kind"] != "character"],
                               picture=live.picture())
        return await with_row(request, viewing, request, render)

    async def ending(request: Request) -> Response:
        page = request.path_params["page"]

        def render(db: Connection, row: Any, live: Live) -> Response:
            data = live.ending()
            if data is None or not 1 <= page <= ENDING_PAGES:
                return see_other("/play")
            return server.page(request, "ending.html", ending=data, number=page, pages=ENDING_PAGES,
                               picture=data["background"])
        return await with_row(request, viewing, request, render)

    async def summary(request: Request) -> Response:
        def render(db: Connection, row: Any, live: Live) -> Response:
            data = live.ending()
            if data is None:
                return see_other("/play")
            return server.page(request, "summary.html", summary=live.summary(), ending=data,
                               chapter=live.last_chapter(), due=live.due(), picture=data["background"],
                               free=live.assignment is None)
        return await with_row(request, viewing, request, render)

    async def done(request: Request) -> Response:
        def render(db: Connection, row: Any, live: Live) -> Response:
            if not live.over:
                return see_other("/play")
            if live.due():
                return see_other("/play")
            handed_in = row.finished_at is not None and \
                db.execute(select(P.c.submission).where(P.c.id == row.id)).scalar() is not None
            return server.page(request, "done.html", ending=live.ending(), handed_in=handed_in,
                               answered=live.answered(), picture=(live.ending() or {}).get("background", "title"))
        return await with_row(request, viewing, request, render)

    async def settings(request: Request) -> Response:
        if request.method == "POST":
            form = await form_of(request)
            if isinstance(form, Response):
                return form
            request.session["hc"] = form.get("contrast") == "high"
            request.session["big"] = form.get("text") == "large"
            back = form.get("back", "/play")
            return see_other(back if back in ("/", "/play") else "/play")
        return server.page(request, "settings.html", picture="title")

    async def picture(request: Request) -> Response:
        name = request.path_params["name"]
        high = name.endswith("-hc")
        base = name[:-3] if high else name
        if not pictures.known(base):
            return Response("no such picture", status_code=404, media_type="text/plain")
        data = await run_in_threadpool(pictures.jpeg, base, high)
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "public, max-age=86400"})

    async def health(request: Request) -> Response:
        return Response("ok", media_type="text/plain")

    routes = [
        Route("/", home),
        Route("/join", join, methods=["POST"]),
        Route("/leave", leave, methods=["POST"]),
        Route("/play", play),
        Route("/update", story_update),
        Route("/choose", choose, methods=["POST"]),
        Route("/undo", undo, methods=["POST"]),
        Route("/continue", go_on, methods=["POST"]),
        Route("/answer/{qid}", answer, methods=["POST"]),
        Route("/draft/{qid}", draft, methods=["POST"]),
        Route("/history", history),
        Route("/codex", codex),
        Route("/map/{chapter}", chapter_map),
        Route("/ending/{page:int}", ending),
        Route("/summary", summary),
        Route("/done", done),
        Route("/settings", settings, methods=["GET", "POST"]),
        Route("/art/{name}.jpg", picture),
        Route("/health", health),
        Mount("/static", server.assets, name="static"),
        *accounts.routes(server), *teacher.routes(server), *grading.routes(server),
        *classreport.routes(server),  # the teacher's pages
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=server.secret, session_cookie="kira", max_age=180 * 24 * 3600,
                   same_site="lax", https_only=os.environ.get("KIRA_SERVE_HTTPS") == "1"),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.server = server
    return app


def create_app() -> Starlette:
    """The application for uvicorn's workers (``factory=True``), configured from the environment."""
    return build(Server(Config.from_env()))

