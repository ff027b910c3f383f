"""The class report, each student's transcript and evidence sheet, and the exports, made from the database.

They are the very files ``kira report`` and ``kira play`` write from handed-in files: the server makes
each student's submission record from their stored playthrough and feeds the same functions
(game/classroom/report.py, documents.py, gradebook.py, xapi.py). A JSON dump of the whole class is a
list of those records with the grades, in the format ``kira report`` reads back.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from game.server.accounts import need_teacher, teacher_page
from game.server.play import (
    StudentWork,
    class_data,
    class_dump_text,
    documents_of,
    exports,
    parse_assignment,
    record_of,
    report_page,
)
from game.server.store import Class, Grade, Student
from game.server.teacher import own_class, student_live

if TYPE_CHECKING:
    from game.server.app import Server

DOWNLOADS = {
    "moodle.csv": ("text/csv; charset=utf-8", "Moodle gradebook (Grades › Import › CSV file)"),
    "canvas.csv": ("text/csv; charset=utf-8", "Canvas gradebook (Grades › Import)"),
    "google-classroom.csv": ("text/csv; charset=utf-8", "Google Classroom (paste or import into a Google Sheet)"),
    "xapi.jsonl": ("application/x-ndjson; charset=utf-8", "xAPI statements, one a line, for a learning record store"),
    "class.json": ("application/json; charset=utf-8", "The whole class as JSON, which kira report reads"),
}
# The report and the documents are the files kira report writes, whole: their styles and charts are inline.
# They may use inline styles (no student text reaches a style: every text is escaped) and nothing else:
# no script at all, nothing from elsewhere.
DOCUMENT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; "
                   "frame-ancestors 'none'; base-uri 'none'")


def document_response(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCUMENT_POLICY, "Cache-Control": "no-store"})


def class_work(server: Server, db: Session, klass: Class) -> list[StudentWork]:
    """Every student of the class with their record and grades (one replay per student who joined)."""
    grades: dict[int, dict[str, tuple[dict[str, Any], str]]] = {}
    for g in db.scalars(select(Grade).where(Grade.class_id == klass.id)):
        grades.setdefault(g.student_id, {})[g.question] = (dict(g.points or {}), g.comment)
    out = []
    for student in db.scalars(select(Student).where(Student.class_id == klass.id).order_by(Student.name_key)):
        row, live = student_live(server, db, klass, student)
        record = None
        if row is not None and live is not None:
            record = row.submission if row.submission else record_of(
                live, student.name, row.finished_at.isoformat() if row.finished_at else None)
        out.append(StudentWork(student.name, student.school_id or "", student.email or "", record,
                               grades.get(student.id, {})))
    return out


def routes(server: Server) -> list[Route]:
    def not_found(request: Request) -> Response:
        return server.message(request, "No such class", "There is no class of yours here.", 404, back="/teacher")

    def gathered(db: Session, klass: Class) -> tuple[Any, list[StudentWork]]:
        assignment = parse_assignment(klass.assignment_yaml, server.story) if klass.assignment_yaml else None
        students = class_work(server, db, klass)
        return class_data(server.story, assignment, students), students

    @need_teacher
    async def report(request: Request, tid: int) -> Response:
        cid = int(request.path_params["cid"])

        def work() -> Response:
            with server.reading() as db:
                klass = own_class(db, tid, cid)
                if klass is None:
                    return not_found(request)
                data, _ = gathered(db, klass)
                return document_response(report_page(data, klass.title))
        return await run_in_threadpool(work)

    @need_teacher
    async def exports_page(request: Request, tid: int) -> Response:
        cid = int(request.path_params["cid"])
        with server.reading() as db:
            klass = own_class(db, tid, cid)
            if klass is None:
                return not_found(request)
            return teacher_page(server, request, "teacher/exports.html", klass=klass, downloads=DOWNLOADS)

    @need_teacher
    async def download(request: Request, tid: int) -> Response:
        cid, name = int(request.path_params["cid"]), request.path_params["name"]
        if name not in DOWNLOADS:
            return not_found(request)

        def work() -> Response:
            with server.reading() as db:
                klass = own_class(db, tid, cid)
                if klass is None:
                    return not_found(request)
                data, students = gathered(db, klass)
                salt = hmac.new(server.secret.encode(), f"xapi:{klass.id}".encode(), "sha256").hexdigest()
                text = (class_dump_text(data, klass.assignment_id or "", klass.title) if name == "class.json"
                        else exports(data, salt, klass.title)[name])
                stem = "".join(ch if ch.isalnum() else "-" for ch in klass.title).strip("-")[:40] or "class"
            return Response(text.encode("utf-8"), media_type=DOWNLOADS[name][0], headers={
                "Content-Disposition": f'attachment; filename="{stem}-{name}"', "Cache-Control": "no-store"})
        return await run_in_threadpool(work)

    @need_teacher
    async def document(request: Request, tid: int) -> Response:
        cid, sid, kind = int(request.path_params["cid"]), int(request.path_params["sid"]), request.path_params["kind"]
        if kind not in ("transcript", "evidence"):
            return not_found(request)

        def work() -> Response:
            with server.reading() as db:
                klass = own_class(db, tid, cid)
                student = db.get(Student, sid)
                if klass is None or student is None or student.class_id != cid:
                    return not_found(request)
                row, live = student_live(server, db, klass, student)
                if row is None or live is None:
                    return server.message(request, "Not started", f"{student.name} has not started yet.", 404,
                                          back=f"/teacher/classes/{cid}/students/{sid}")
                record = row.submission or record_of(live, student.name, None)
                if record is None:
                    return server.message(request, "Free play", "A class without an assignment has no "
                                          "transcript.", 404, back=f"/teacher/classes/{cid}/students/{sid}")
                return document_response(documents_of(record, server.story)[f"{kind}.html"])
        return await run_in_threadpool(work)

    base = "/teacher/classes/{cid:int}"
    return [
        Route(base + "/report", report),
        Route(base + "/exports", exports_page),
        Route(base + "/exports/{name}", download),
        Route(base + "/students/{sid:int}/{kind:str}", document),
    ]
