"""Teachers' accounts: made on the terminal or on a one-time setup page, signed in with a password.

Passwords are kept only as Argon2id hashes (argon2-cffi), never stored or logged in clear. A wrong
sign-in is counted by a keyed hash of the address, like a wrong class code, and ten within ten
minutes make that address wait. The signed-in teacher's id sits in the signed session cookie, with
a fingerprint of their password's hash: changing the password signs out every other browser.

The setup page exists only while the server has no teacher at all, and answers only a browser on
the server's own computer (127.0.0.1) or one that brings the token ``kira serve`` printed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from game.server.auth import CSRF_FIELD, check_csrf, client_key
from game.server.store import Class, JoinAttempt, Meta, Teacher, name_key, now

if TYPE_CHECKING:
    from game.server.app import Server

HASHER = PasswordHasher()  # Argon2id with the library's current recommended cost
MIN_PASSWORD = 10
MAX_PASSWORD = 200
SIGNIN_WINDOW = timedelta(minutes=10)
SIGNIN_FAILURES = 10
SIGNED_IN_FOR = timedelta(hours=12)
SETUP_KEY = "teacher-setup-token"
LOCAL = ("127.0.0.1", "::1", "localhost")
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host")
# A hash to check a password against when no teacher has the name, so a wrong name takes as long as a wrong password.
_DUMMY = HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A name or password that cannot be used; the message says what to do."""


def password_problem(password: str, again: str | None = None) -> str | None:
    if again is not None and password != again:
        return "The two passwords are not the same. Type the same password twice."
    if len(password) < MIN_PASSWORD:
        return f"Please choose a password of at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"Please choose a password of at most {MAX_PASSWORD} characters."
    return None


def add_teacher(db: Session, name: str, password: str) -> Teacher:
    """A new teacher account (raises AccountError for a taken or unusable name, or a weak password)."""
    name = " ".join(name.split())
    if not name or len(name) > 80 or any(not ch.isprintable() for ch in name):
        raise AccountError("Please give a name of 1 to 80 ordinary characters.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if db.scalars(select(Teacher).where(Teacher.name_key == name_key(name))).first() is not None:
        raise AccountError(f"There is already a teacher called {name!r}.")
    teacher = Teacher(name=name, name_key=name_key(name), password_hash=HASHER.hash(password))
    db.add(teacher)
    db.flush()
    return teacher


def create_teacher(engine: Engine, name: str, password: str) -> str:
    """``kira serve --add-teacher``: the account made and committed; returns the name as kept."""
    with Session(engine) as db:
        teacher = add_teacher(db, name, password)
        db.commit()
        return teacher.name


def set_password(teacher: Teacher, password: str, again: str | None = None) -> None:
    """A teacher's new password (raises AccountError for a weak one, or two that differ)."""
    problem = password_problem(password, again)
    if problem:
        raise AccountError(problem)
    teacher.password_hash = HASHER.hash(password)


def reset_password(engine: Engine, name: str, password: str) -> str:
    """``kira serve --reset-password``: for a teacher who forgot theirs; returns the name as kept."""
    with Session(engine) as db:
        teacher = _teacher_called(db, name)
        set_password(teacher, password)
        db.commit()
        return teacher.name


def remove_teacher(engine: Engine, name: str, heir: str | None = None) -> tuple[str, int]:
    """``kira serve --remove-teacher``: a teacher who leaves. Their classes go to ``heir`` (another teacher), so
    no student's work is left without a teacher who can see it; a teacher with classes and no heir is refused.
    Returns the name as kept and the number of classes handed over. Their browsers are signed out."""
    with Session(engine) as db:
        teacher = _teacher_called(db, name)
        classes = list(db.scalars(select(Class).where(Class.teacher_id == teacher.id)))
        if classes and heir is None:
            raise AccountError(f"{teacher.name!r} has {len(classes)} class(es). Give them to another teacher with "
                               "--give-classes-to NAME, or delete them on the class pages first.")
        if classes:
            successor = _teacher_called(db, heir or "")
            if successor.id == teacher.id:
                raise AccountError("A teacher's classes must go to another teacher.")
            for klass in classes:
                klass.teacher_id = successor.id
        kept = teacher.name
        db.delete(teacher)
        db.commit()
        return kept, len(classes)


def _teacher_called(db: Session, name: str) -> Teacher:
    teacher = db.scalars(select(Teacher).where(Teacher.name_key == name_key(name))).first()
    if teacher is None:
        raise AccountError(f"There is no teacher called {' '.join(name.split())!r}.")
    return teacher


def fingerprint(teacher: Teacher) -> str:
    """What the session keeps of the password's hash: a new password makes older sign-ins stop working."""
    return hashlib.sha256(teacher.password_hash.encode()).hexdigest()[:16]


def check_password(db: Session, name: str, password: str) -> Teacher | None:
    """The teacher with this name and password, or None (the same work is done for an unknown name)."""
    teacher = db.scalars(select(Teacher).where(Teacher.name_key == name_key(name))).first()
    try:
        HASHER.verify(teacher.password_hash if teacher else _DUMMY, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    return teacher


def has_teacher(db: Session) -> bool:
    return (db.scalar(select(func.count()).select_from(Teacher)) or 0) > 0


def setup_token(engine: Engine) -> str | None:
    """A new one-time setup token when the server has no teacher (None when it has one).

    Only its SHA-256 is kept, so reading the database does not give the token away."""
    with Session(engine) as db:
        if has_teacher(db):
            return None
        token = secrets.token_urlsafe(18)
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = db.get(Meta, SETUP_KEY)
        if row is None:
            db.add(Meta(key=SETUP_KEY, value=digest))
        else:
            row.value = digest
        db.commit()
        return token


def token_matches(db: Session, token: str) -> bool:
    row = db.get(Meta, SETUP_KEY)
    if row is None or not token:
        return False
    return hmac.compare_digest(row.value, hashlib.sha256(token.encode()).hexdigest())


def signed_in(request: Request) -> int | None:
    """The signed-in teacher's id; None when nobody is, or when the sign-in is older than SIGNED_IN_FOR (the
    cookie lasts for months for the students' sake, a teacher's sign-in for a school day)."""
    tid, since = request.session.get("tid"), request.session.get("tat")
    if not isinstance(tid, int) or not isinstance(since, int | float):
        return None
    if not 0 <= time.time() - since <= SIGNED_IN_FOR.total_seconds():
        return None
    return tid


# -- forms shared by the teacher's pages --------------------------------------------------------------------

async def read_form(server: Server, request: Request) -> tuple[dict[str, str], dict[str, UploadFile]] | Response:
    """The posted fields and files, or a refusal when the form's CSRF token is not this session's."""
    form = await request.form(max_files=4, max_fields=2000)
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    files = {k: v for k, v in form.items() if isinstance(v, UploadFile)}
    if not check_csrf(request.session, data.get(CSRF_FIELD, "")):
        return server.message(request, "This page had expired",
                              "The form was sent from a page that is too old (or from another site). "
                              "Nothing was changed; please try again.", 403, back="/teacher")
    return data, files


def teacher_page(server: Server, request: Request, template: str, status: int = 200, **context: Any) -> Response:
    context.setdefault("teacher_name", request.session.get("tname", ""))
    context.setdefault("signed_in", signed_in(request) is not None)
    context.setdefault("m", request.query_params.get("m", "")[:20])  # what the last action did ("deleted"...)
    return server.page(request, template, status, **context)


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def need_teacher(handler: Callable[[Request, int], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a teacher's page: anyone not signed in is sent to the sign-in page (and back after), and so is a
    browser signed in before the teacher's password was changed, or as an account that no longer exists."""
    async def wrapped(request: Request) -> Response:
        tid = signed_in(request)
        if tid is not None:
            server: Server = request.app.state.server
            with server.reading() as db:
                teacher = db.get(Teacher, tid)
            if teacher is None or request.session.get("tpw") != fingerprint(teacher):
                keep: dict[str, Any] = {k: request.session[k] for k in ("hc", "big") if k in request.session}
                request.session.clear()
                request.session.update(keep)
                tid = None
        if tid is None:
            if request.method == "GET":
                return see_other("/teacher/signin?next=" + request.url.path)
            return see_other("/teacher/signin")
        return await handler(request, tid)
    return wrapped


# -- the routes ---------------------------------------------------------------------------------------------

def routes(server: Server) -> list[Route]:
    def sign_in_as(request: Request, teacher: Teacher) -> None:
        keep: dict[str, Any] = {k: request.session[k] for k in ("hc", "big") if k in request.session}
        request.session.clear()  # a new session: nothing from before signing in carries over
        request.session.update(keep, tid=teacher.id, tname=teacher.name, tat=int(time.time()),
                               tpw=fingerprint(teacher), csrf=secrets.token_urlsafe(24))

    def safe_next(target: str) -> str:
        return target if target.startswith("/teacher") and "//" not in target else "/teacher"

    async def signin(request: Request) -> Response:
        if request.method == "GET":
            with server.reading() as db:
                if not has_teacher(db):
                    return see_other("/teacher/setup")
            return teacher_page(server, request, "teacher/signin.html", name="",
                                next=safe_next(request.query_params.get("next", "")))
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form
        data, _ = form
        client = client_key(server.secret, "signin:" + (request.client.host if request.client else ""))
        name, target = data.get("name", "")[:80], safe_next(data.get("next", ""))

        def attempt() -> Response:
            with server.writing() as db:
                failures = db.scalar(select(func.count()).select_from(JoinAttempt).where(
                    JoinAttempt.client == client, JoinAttempt.at > now() - SIGNIN_WINDOW)) or 0
                if failures >= SIGNIN_FAILURES:
                    return teacher_page(server, request, "teacher/signin.html", 429, name=name, next=target,
                                        error="Too many wrong passwords were tried from this computer. "
                                              "Please wait ten minutes and try again.")
                teacher = check_password(db, name, data.get("password", ""))
                if teacher is None:
                    db.add(JoinAttempt(client=client))
                    db.execute(delete(JoinAttempt).where(JoinAttempt.at < now() - 6 * SIGNIN_WINDOW))
                    db.commit()
                    return teacher_page(server, request, "teacher/signin.html", 400, name=name, next=target,
                                        error="That name and password do not match a teacher here. "
                                              "Check both and try again.")
                sign_in_as(request, teacher)
            return see_other(target)
        return await run_in_threadpool(attempt)

    async def signout(request: Request) -> Response:
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form
        keep: dict[str, Any] = {k: request.session[k] for k in ("hc", "big") if k in request.session}
        request.session.clear()
        request.session.update(keep)
        return see_other("/teacher/signin")

    def allowed_setup(request: Request, db: Session, token: str) -> bool:
        """The server's own computer, or the printed token. A request a reverse proxy passed on also comes
        from 127.0.0.1, whoever sent it: one that carries a proxy's header needs the token."""
        host = request.client.host if request.client else ""
        proxied = any(h in request.headers for h in PROXY_HEADERS)
        return (host in LOCAL and not proxied) or token_matches(db, token)

    async def setup(request: Request) -> Response:
        token = request.query_params.get("token", "")
        form: tuple[dict[str, str], dict[str, UploadFile]] | Response | None = None
        if request.method == "POST":
            form = await read_form(server, request)
            if isinstance(form, Response):
                return form
            token = form[0].get("token", "")

        def work() -> Response:
            with server.writing() as db:
                if has_teacher(db):
                    return see_other("/teacher/signin")
                if not allowed_setup(request, db, token):
                    return server.message(request, "Setting up is done on the server",
                                          "Open this page on the computer that runs kira serve, or use the "
                                          "address with the token it printed.", 403, back="/")
                if form is None:
                    return teacher_page(server, request, "teacher/setup.html", token=token, name="")
                data = form[0]  # type: ignore[index]
                name = data.get("name", "")
                problem = password_problem(data.get("password", ""), data.get("again", ""))
                if problem:
                    return teacher_page(server, request, "teacher/setup.html", 400, token=token, name=name,
                                        error=problem)
                try:
                    teacher = add_teacher(db, name, data.get("password", ""))
                except AccountError as exc:
                    return teacher_page(server, request, "teacher/setup.html", 400, token=token, name=name,
                                        error=str(exc))
                db.execute(delete(Meta).where(Meta.key == SETUP_KEY))
                sign_in_as(request, teacher)
            return see_other("/teacher")
        return await run_in_threadpool(work)

    @need_teacher
    async def password(request: Request, tid: int) -> Response:
        """The signed-in teacher's new password, given with the current one; every other browser signed in
        as them is signed out."""
        if request.method == "GET":
            return teacher_page(server, request, "teacher/password.html")
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form
        data, _ = form
        client = client_key(server.secret, "signin:" + (request.client.host if request.client else ""))

        def work() -> Response:
            with server.writing() as db:
                failures = db.scalar(select(func.count()).select_from(JoinAttempt).where(
                    JoinAttempt.client == client, JoinAttempt.at > now() - SIGNIN_WINDOW)) or 0
                teacher = db.get(Teacher, tid)
                if teacher is None:
                    return see_other("/teacher/signin")
                if failures >= SIGNIN_FAILURES:
                    return teacher_page(server, request, "teacher/password.html", 429,
                                        error="Too many wrong passwords were tried from this computer. "
                                              "Please wait ten minutes and try again.")
                if check_password(db, teacher.name, data.get("current", "")) is None:
                    db.add(JoinAttempt(client=client))
                    db.commit()
                    return teacher_page(server, request, "teacher/password.html", 400,
                                        error="That is not your current password. Nothing was changed.")
                try:
                    set_password(teacher, data.get("password", ""), data.get("again", ""))
                except AccountError as exc:
                    return teacher_page(server, request, "teacher/password.html", 400, error=str(exc))
                db.flush()
                sign_in_as(request, teacher)  # this browser stays signed in; the others are not
            return see_other("/teacher?m=password")
        return await run_in_threadpool(work)

    return [
        Route("/teacher/password", password, methods=["GET", "POST"]),
        Route("/teacher/signin", signin, methods=["GET", "POST"]),
        Route("/teacher/signout", signout, methods=["POST"]),
        Route("/teacher/setup", setup, methods=["GET", "POST"]),
    ]
