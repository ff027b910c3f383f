"""The web application: routes, one database transaction per choice or answer.

Every request finds the student's playthrough by the id in their signed session cookie,
rebuilds it from the database (:class:`game.server.play.Live`) and, for a change, writes
the new state, the step and the playthrough's new version in one transaction. Nothing
about a student lives in a worker's memory, so any worker can answer any request.

The pages are plain HTML forms that work without JavaScript; ``static/kira.js`` only adds
a live word count and saves drafts as the student types.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from game.server import accounts, classreport, grading, pictures, teacher
from game.server.auth import CSRF_FIELD, SecurityHeaders, check_csrf, client_key, csrf_token, server_secret
from game.server.classes import roster_names
from game.server.play import Live, check_name, count, count_words, default_story, load, parse_assignment
from game.server.store import (
    AnswerRow,
    Class,
    JoinAttempt,
    PlaythroughRow,
    StepRow,
    Student,
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
PLAY_CACHE = 500  # replayed playthroughs a worker keeps for the pages that follow a change


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
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        env.globals["count"] = count
        env.globals["picture_name"] = pictures.name_for
        self.templates = Jinja2Templates(env=env)
        sqlite = self.engine.dialect.name == "sqlite"
        self._write_lock: threading.Lock | contextlib.nullcontext[None] = \
            threading.Lock() if sqlite else contextlib.nullcontext()
        self._assignments: dict[int, Any] = {}
        self._plays: dict[tuple[int, int, str], Any] = {}
        self._plays_lock = threading.Lock()
        with self.reading() as db:
            self.secret = server_secret(db)

    # -- transactions --------------------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine) as db:
            yield db

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that takes the write lock at once (SQLite) and commits on success.

        On SQLite the threads of one worker queue for the file's one write lock here, in order,
        instead of inside SQLite, whose busy handler sleeps in growing steps between tries.
        """
        with self._write_lock, self.engine.connect() as connection:
            connection.execution_options(writing=True)
            with Session(bind=connection) as db:
                yield db
                db.commit()

    # -- loading a student's playthrough ------------------------------------------------------------------
    def row(self, db: Session, request: Request, lock: bool = False) -> PlaythroughRow | None:
        """The playthrough this browser's session belongs to (never another student's)."""
        pid, sid = request.session.get("pid"), request.session.get("sid")
        if not isinstance(pid, int) or not isinstance(sid, int):
            return None
        query = select(PlaythroughRow).where(PlaythroughRow.id == pid, PlaythroughRow.student_id == sid)
        if lock:
            query = query.with_for_update()
        return db.scalars(query).first()

    def assignment(self, db: Session, class_id: int) -> Any:
        """A class's assignment (None: free play). A class's assignment never changes, so each worker
        keeps what it has read: a cache of the database, never the only copy of anything."""
        if class_id not in self._assignments:
            klass = db.get(Class, class_id)
            text = klass.assignment_yaml if klass else None
            self._assignments[class_id] = parse_assignment(text, self.story) if text else None
        return self._assignments[class_id]

    def live(self, db: Session, row: PlaythroughRow, reading: bool = False) -> Live:
        """The playthrough rebuilt from its row. A page that only reads may reuse this worker's replay of
        the same playthrough at the same version (the version in the database decides, so a cached replay
        is never stale); a change always replays afresh."""
        assignment = self.assignment(db, row.class_id)
        answers: dict[str, str] = {} if assignment is None else {
            a.question: a.text or "" for a in db.scalars(select(AnswerRow).where(
                AnswerRow.playthrough_id == row.id, AnswerRow.text.is_not(None)))}
        key = (row.id, row.version, row.story_hash)
        cached = self._plays.get(key) if reading else None
        live = Live(self.story, row.state, assignment, answers, started=row.started_at.isoformat(), play=cached)
        if reading and cached is None and not live.notice:
            self.remember(row.id, row.version, row.story_hash, live)
        return live

    def remember(self, pid: int, version: int, story_hash: str, live: Live) -> None:
        """Keep a replayed playthrough for the reads that follow (after its transaction committed).

        Not before the first choice: an assignment that starts at a later chapter moves a fresh
        playthrough there whenever it is wrapped, which must not happen to one shared by threads."""
        if not live.steps:
            return
        with self._plays_lock:
            self._plays[(pid, version, story_hash)] = live.play
            while len(self._plays) > PLAY_CACHE:
                self._plays.pop(next(iter(self._plays)))

    # -- rendering -----------------------------------------------------------------------------------------
    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        session = request.session
        context.setdefault("playing", isinstance(session.get("pid"), int))
        context.setdefault("notice", "")
        context.setdefault("error", "")
        context.update(csrf=csrf_token(session), csrf_field=CSRF_FIELD, hc=bool(session.get("hc")),
                       big=bool(session.get("big")), story_title=self.story.title)
        return self.templates.TemplateResponse(request, template, context, status_code=status)

    def message(self, request: Request, title: str, text: str, status: int, back: str = "/play") -> Response:
        return self.page(request, "message.html", status, title=title, text=text, back=back)


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
        for _ in range(3):  # two first joins of one name at once: the loser finds the winner's row
            try:
                return await run_in_threadpool(do_join, request, form, client)
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
        """Run ``work(*args)`` off the event loop for a student who has joined; send anyone else to join."""
        refused = need_row(request)
        if refused is not None:
            return refused
        return await run_in_threadpool(work, *args)

    def show_play(request: Request) -> Response:
        with server.reading() as db:
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
            notice, row_aftermath = row.notice, row.aftermath
            header = live.header()
            return server.page(request, "scene.html", header=header, paragraphs=live.paragraphs(),
                               choices=live.choices(), aftermath=row_aftermath, at=row.version,
                               can_undo=live.can_undo, undo_allowed=live.undo_allowed, notice=notice,
                               picture=header.background or "default", steps=live.steps,
                               instructions=live.assignment.instructions if live.assignment and not live.steps
                               else "",
                               status_message=request.query_params.get("m", ""))

    async def play(request: Request) -> Response:
        return await with_row(request, show_play, request)

    def do_update(request: Request) -> Response:
        """A story update since this playthrough was stored: replay it on the new story, or move it."""
        with server.writing() as db:
            row = server.row(db, request, lock=True)
            if row is None:
                return see_other("/")
            if row.story_hash != server.story.content_hash:
                live = server.live(db, row)
                row.state, row.story_hash, row.notice = live.state(), server.story.content_hash, live.notice
                row.version += 1
                row.updated_at = now()
        return see_other("/play")

    async def story_update(request: Request) -> Response:
        return await with_row(request, do_update, request)

    def stale(request: Request) -> Response:
        return see_other("/play?m=stale")

    def do_choose(request: Request, form: dict[str, str]) -> Response:
        try:
            at, number = int(form.get("at", "")), int(form.get("choice", ""))
        except ValueError:
            return server.message(request, "That choice was not understood", "Please pick a choice again.", 400)
        with server.writing() as db:
            row = server.row(db, request, lock=True)
            if row is None:
                return see_other("/")
            if at != row.version or row.map_chapter or row.finished_at:
                return stale(request)
            live = server.live(db, row)
            if live.over or live.due():
                return stale(request)
            try:
                outcome = live.choose(number)
            except IndexError:
                return stale(request)
            except Exception as exc:  # a PlayError: the story itself failed; nothing changed
                return server.message(request, "The story could not go on",
                                      f"{exc}. Pick another choice, or take the last one back.", 409)
            version = row.version + 1
            done = db.execute(update(PlaythroughRow).where(PlaythroughRow.id == row.id,
                                                           PlaythroughRow.version == row.version)
                              .values(version=version, state=live.state(), aftermath=outcome.aftermath,
                                      map_chapter=outcome.chapter_ended if not outcome.over else None,
                                      notice="", updated_at=now()))
            if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
                db.rollback()
                return stale(request)
            step = outcome.step
            db.add(StepRow(playthrough_id=row.id, number=version, kind="choose", scene=step["scene"],
                           choice=step["choice"], label=step["label"], target=step["to"], novel=step["novel"]))
            finish(db, row.id, live)
            kept = (row.id, version, row.story_hash)
        server.remember(*kept, live)  # committed: the page that follows can use this replay
        return see_other("/ending/1" if outcome.over else "/play")

    def finish(db: Session, pid: int, live: Live) -> None:
        """Over with every question answered: keep the finished record (once)."""
        if live.finished:
            row = db.get(PlaythroughRow, pid)
            student = db.get(Student, row.student_id) if row else None
            live.student = student.name if student else ""
            db.execute(update(PlaythroughRow).where(PlaythroughRow.id == pid, PlaythroughRow.finished_at.is_(None))
                       .values(finished_at=now(), submission=live.submission()))

    async def choose(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        return await with_row(request, do_choose, request, form)

    def do_undo(request: Request, form: dict[str, str]) -> Response:
        with server.writing() as db:
            row = server.row(db, request, lock=True)
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
            version = row.version + 1
            done = db.execute(update(PlaythroughRow).where(PlaythroughRow.id == row.id,
                                                           PlaythroughRow.version == row.version)
                              .values(version=version, state=live.state(), aftermath="", map_chapter=None,
                                      undo_count=row.undo_count + 1, updated_at=now()))
            if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
                db.rollback()
                return stale(request)
            db.add(StepRow(playthrough_id=row.id, number=version, kind="undo", scene=step["scene"],
                           choice=step["choice"], label=step["label"], target=step["to"], novel=step["novel"]))
        return see_other("/play?m=undone")

    async def undo(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        return await with_row(request, do_undo, request, form)

    def do_continue(request: Request, form: dict[str, str]) -> Response:
        with server.writing() as db:
            row = server.row(db, request, lock=True)
            if row is None:
                return see_other("/")
            if row.map_chapter and form.get("chapter") == row.map_chapter:
                row.map_chapter = None
        return see_other("/play")

    async def go_on(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        return await with_row(request, do_continue, request, form)

    # ---- questions ---------------------------------------------------------------------------------------
    def question_page(request: Request, db: Session, row: PlaythroughRow, live: Live, question: Any,
                      text: str | None = None, problem: str = "", status: int = 200) -> Response:
        if text is None:
            kept = db.scalars(select(AnswerRow).where(AnswerRow.playthrough_id == row.id,
                                                      AnswerRow.question == question.id)).first()
            text = (kept.draft or kept.text or "") if kept else ""
        header = live.header()
        return server.page(request, "question.html", status, question=question, text=text, error=problem,
                           words=count_words(text), picture=live.last_background(), header=header,
                           status_message=request.query_params.get("m", ""))

    def save_draft(db: Session, pid: int, qid: str, text: str) -> None:
        values = {"playthrough_id": pid, "question": qid, "draft": text, "words": count_words(text),
                  "updated_at": now()}
        insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(AnswerRow).values(**values)
        db.execute(statement.on_conflict_do_update(
            index_elements=["playthrough_id", "question"],
            set_={"draft": text, "words": values["words"], "updated_at": values["updated_at"]}))

    def do_answer(request: Request, qid: str, form: dict[str, str]) -> Response:
        text = form.get("text", "")[:MAX_ANSWER_CHARS]
        with server.writing() as db:
            row = server.row(db, request, lock=True)
            if row is None:
                return see_other("/")
            live = server.live(db, row)
            question = live.question(qid)
            if question is None:
                return server.message(request, "Not asked here", "This question is not asked at this point.", 404)
            save_draft(db, row.id, qid, text)
            if form.get("action") == "draft":
                db.commit()
                return see_other("/play?m=draft")
            problem = live.answer(qid, text)
            if problem:
                db.commit()  # the draft is kept even when the answer is too short
                return question_page(request, db, row, live, question, text, problem, 400)
            db.execute(update(AnswerRow).where(AnswerRow.playthrough_id == row.id, AnswerRow.question == qid)
                       .values(text=text.strip(), answered_at=now()))
            row.updated_at = now()
            finish(db, row.id, live)
        return see_other("/play")

    async def answer(request: Request) -> Response:
        form = await form_of(request)
        if isinstance(form, Response):
            return form
        qid = request.path_params["qid"]
        return await with_row(request, do_answer, request, qid, form)

    def do_draft(request: Request, qid: str, text: str) -> Response:
        with server.writing() as db:
            row = server.row(db, request)
            if row is None:
                return JSONResponse({"saved": False}, status_code=403)
            assignment = server.assignment(db, row.class_id)
            if assignment is None or qid not in {q.id for q in assignment.questions}:
                return JSONResponse({"saved": False}, status_code=404)
            save_draft(db, row.id, qid, text[:MAX_ANSWER_CHARS])
        return JSONResponse({"saved": True, "words": count_words(text)})

    async def draft(request: Request) -> Response:
        """Saves a draft as the student types (kira.js); the token comes in a header, the text as the body."""
        if not check_csrf(request.session, request.headers.get("x-csrf-token", "")):
            return JSONResponse({"saved": False}, status_code=403)
        if not isinstance(request.session.get("pid"), int):
            return JSONResponse({"saved": False}, status_code=403)
        body = (await request.body())[: MAX_ANSWER_CHARS * 4].decode("utf-8", "replace")
        return await run_in_threadpool(do_draft, request, request.path_params["qid"], body)

    # ---- the other pages ---------------------------------------------------------------------------------
    def viewing(request: Request, render: Any) -> Response:
        with server.reading() as db:
            row = server.row(db, request)
            if row is None:
                return see_other("/")
            return render(db, row, server.live(db, row, reading=True))

    def map_page(request: Request, live: Live, chapter: str, row: PlaythroughRow, closing: bool = False) -> Response:
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
                           picture=live.last_background() if closing else live.header().background or "default")

    async def chapter_map(request: Request) -> Response:
        chapter = request.path_params["chapter"]
        return await with_row(request,
            viewing, request, lambda db, row, live: map_page(request, live, chapter, row))

    async def history(request: Request) -> Response:
        def render(db: Session, row: PlaythroughRow, live: Live) -> Response:
            return server.page(request, "history.html", passages=live.history(), answered=live.answered(),
                               picture=live.header().background or "default")
        return await with_row(request, viewing, request, render)

    async def codex(request: Request) -> Response:
        def render(db: Session, row: PlaythroughRow, live: Live) -> Response:
            entries = live.codex()
            return server.page(request, "codex.html", characters=[e for e in entries if e["kind"] == "character"],
                               glossary=[e for e in entries if e["kind"] != "character"],
                               picture=live.header().background or "default")
        return await with_row(request, viewing, request, render)

    async def ending(request: Request) -> Response:
        page = request.path_params["page"]

        def render(db: Session, row: PlaythroughRow, live: Live) -> Response:
            data = live.ending()
            if data is None or not 1 <= page <= ENDING_PAGES:
                return see_other("/play")
            return server.page(request, "ending.html", ending=data, number=page, pages=ENDING_PAGES,
                               picture=data["background"])
        return await with_row(request, viewing, request, render)

    async def summary(request: Request) -> Response:
        def render(db: Session, row: PlaythroughRow, live: Live) -> Response:
            data = live.ending()
            if data is None:
                return see_other("/play")
            return server.page(request, "summary.html", summary=live.summary(), ending=data,
                               chapter=live.last_chapter(), due=live.due(), picture=data["background"],
                               free=live.assignment is None)
        return await with_row(request, viewing, request, render)

    async def done(request: Request) -> Response:
        def render(db: Session, row: PlaythroughRow, live: Live) -> Response:
            if not live.over:
                return see_other("/play")
            if live.due():
                return see_other("/play")
            return server.page(request, "done.html", ending=live.ending(), handed_in=row.finished_at is not None
                               and row.submission is not None, answered=live.answered(),
                               picture=(live.ending() or {}).get("background", "title"))
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
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
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

