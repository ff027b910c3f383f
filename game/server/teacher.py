"""The teacher's pages: their classes, a new class with its roster, the live class page, one student's page.

Every page here is for a signed-in teacher (:func:`game.server.accounts.need_teacher`) and only ever
shows that teacher's own classes: a class id that is not theirs is answered "not found", the same
as one that does not exist. The class page is built from a handful of queries over the whole class
(students, playthroughs, answers, steps, grades), never one query per student.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from game.server.accounts import need_teacher, read_form, see_other, teacher_page
from game.server.play import (
    Live,
    check_assignment,
    count,
    parse_assignment,
    path_of,
    read_roster,
    read_shipped,
    rubric_of,
    shipped_assignments,
    similar_pairs,
    where_in_story,
)
from game.server.store import (
    CLASS_ID_HIGH,
    AnswerRow,
    Class,
    Grade,
    Meta,
    PlaythroughRow,
    StepRow,
    Student,
    name_key,
    new_code,
    next_class_id,
    now,
)

if TYPE_CHECKING:
    from game.server.app import Server

MAX_UPLOAD = 1_000_000  # an assignment or a roster file: far more than any real one
IDLE_GAP = timedelta(minutes=30)  # as in the transcripts: a longer pause is a break, not play
POLL_SECONDS = 5


# -- reading a class --------------------------------------------------------------------------------------

def own_class(db: Session, tid: int, class_id: int) -> Class | None:
    """The class if it is this teacher's (None for another teacher's or a missing one: the same answer)."""
    klass = db.get(Class, class_id)
    return klass if klass is not None and klass.teacher_id == tid else None


def minutes_played(times: list[datetime]) -> int:
    """Minutes between the moves of a playthrough, leaving out pauses longer than half an hour."""
    total = sum((b - a for a, b in zip(times, times[1:], strict=False) if timedelta(0) <= b - a <= IDLE_GAP),
                timedelta(0))
    return round(total.total_seconds() / 60)


@dataclass
class StudentLine:
    """One line of the class page (and of its JSON for the live update)."""

    id: int
    name: str
    school_id: str
    status: str  # "not started", "playing", "finished"
    chapter: str = ""
    scene: str = ""
    minutes: int = 0
    answered: int = 0
    questions: int = 0
    undos: int | None = None  # None: undo was not allowed in this class
    points: float | None = None  # the total of the grades given so far
    flags: list[str] = field(default_factory=list)
    updated: str = ""


def class_lines(server: Server, db: Session, klass: Class) -> list[StudentLine]:
    """Every student of the class, roster students who have not joined included: five queries in all."""
    assignment = server.assignment(db, klass.id)
    questions = {q.id: q for q in assignment.questions} if assignment else {}
    students = list(db.execute(select(Student.id, Student.name, Student.school_id).where(
        Student.class_id == klass.id).order_by(Student.name_key)))
    rows: dict[int, Any] = {}
    for row in db.execute(select(PlaythroughRow.id, PlaythroughRow.student_id, PlaythroughRow.state,
                                 PlaythroughRow.undo_count, PlaythroughRow.started_at, PlaythroughRow.updated_at,
                                 PlaythroughRow.finished_at, PlaythroughRow.version)
                          .where(PlaythroughRow.class_id == klass.id).order_by(PlaythroughRow.id)):
        rows[row.student_id] = row  # the newest playthrough of each student
    owner = {row.id: sid for sid, row in rows.items()}
    answers: dict[int, dict[str, tuple[str, int]]] = defaultdict(dict)
    for pid, qid, text, words in db.execute(
            select(AnswerRow.playthrough_id, AnswerRow.question, AnswerRow.text, AnswerRow.words)
            .join(PlaythroughRow, PlaythroughRow.id == AnswerRow.playthrough_id)
            .where(PlaythroughRow.class_id == klass.id, AnswerRow.text.is_not(None))):
        if pid in owner:
            answers[owner[pid]][qid] = (text or "", words)
    times: dict[int, list[datetime]] = defaultdict(list)
    for pid, at in db.execute(select(StepRow.playthrough_id, StepRow.at)
                              .join(PlaythroughRow, PlaythroughRow.id == StepRow.playthrough_id)
                              .where(PlaythroughRow.class_id == klass.id).order_by(StepRow.playthrough_id,
                                                                                   StepRow.number)):
        times[pid].append(at)
    points: dict[int, float] = defaultdict(float)
    for sid, given in db.execute(select(Grade.student_id, Grade.points).where(Grade.class_id == klass.id)):
        points[sid] += sum(v for v in (given or {}).values() if isinstance(v, int | float))
    names = {sid: name for sid, name, _ in students}
    flags: dict[int, list[str]] = defaultdict(list)
    for qid in questions:
        texts = {sid: given[qid][0] for sid, given in answers.items() if qid in given}
        for a, b, score in similar_pairs(texts):
            what = "the same as" if score >= 1.0 else f"nearly the same ({round(score * 100)}%) as"
            flags[a].append(f"{qid}: {what} {names.get(b, '?')}'s")
            flags[b].append(f"{qid}: {what} {names.get(a, '?')}'s")
    out = []
    for sid, name, school_id in students:
        found = rows.get(sid)
        line = StudentLine(sid, name, school_id or "", "not started", questions=len(questions),
                           points=round(points[sid], 2) if sid in points else None)
        if found is not None:
            row = found
            line.status = "finished" if row.finished_at else "playing"
            line.chapter, line.scene = where_in_story(server.story, row.state)
            stamps = [row.started_at, *times.get(row.id, []), row.updated_at]
            line.minutes = minutes_played([_aware(t) for t in stamps])
            given = answers.get(sid, {})
            line.answered = len([q for q in given if q in questions])
            for qid, (_, words) in given.items():
                question = questions.get(qid)
                if question is not None and question.min_words and words < question.min_words:
                    line.flags.append(f"{qid}: {count(words, 'word')}, under its minimum of {question.min_words}")
            if assignment is None or assignment.allow_undo:
                line.undos = row.undo_count
            line.updated = _aware(row.updated_at).isoformat(timespec="seconds")
        line.flags += flags.get(sid, [])
        out.append(line)
    return out


def _aware(moment: datetime) -> datetime:
    """SQLite hands times back without their zone; every time here was stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- the routes ---------------------------------------------------------------------------------------------

def routes(server: Server) -> list[Route]:
    def not_found(request: Request) -> Response:
        return server.message(request, "No such class", "There is no class of yours here.", 404, back="/teacher")

    def class_id(request: Request) -> int:
        return int(request.path_params["cid"])

    @need_teacher
    async def home(request: Request, tid: int) -> Response:
        def work() -> Response:
            with server.reading() as db:
                classes = list(db.scalars(select(Class).where(Class.teacher_id == tid).order_by(Class.id.desc())))
                ownerless = list(db.scalars(select(Class).where(Class.teacher_id.is_(None), Class.closed_at.is_(None))
                                            .order_by(Class.id)))
                titles = {k.id: (server.assignment(db, k.id).title if k.assignment_yaml else "free play")
                          for k in classes + ownerless}
                return teacher_page(server, request, "teacher/classes.html", classes=classes, titles=titles,
                                    ownerless=ownerless, story_hash=server.story.content_hash)
        return await run_in_threadpool(work)

    # ---- a new class ----------------------------------------------------------------------------------
    def new_form(request: Request, status: int = 200, problems: list[str] | None = None,
                 values: dict[str, str] | None = None) -> Response:
        return teacher_page(server, request, "teacher/new_class.html", status, shipped=shipped_assignments(),
                            problems=problems or [], values=values or {})

    async def text_of(upload: UploadFile | None) -> tuple[str, str] | None:
        """An uploaded file's (name, text), None when none was chosen; raises ValueError for a bad one."""
        if upload is None or not upload.filename:
            return None
        data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise ValueError(f"{upload.filename}: the file is larger than 1 MB; no assignment or roster is")
        try:
            return upload.filename, data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{upload.filename}: the file is not UTF-8 text "
                             "(save it as 'CSV UTF-8' or as plain text)") from exc

    @need_teacher
    async def new_class(request: Request, tid: int) -> Response:
        if request.method == "GET":
            return new_form(request)
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form
        data, files = form
        problems: list[str] = []
        try:
            assignment_upload = await text_of(files.get("assignment_file"))
            roster_upload = await text_of(files.get("roster_file"))
        except ValueError as exc:
            return new_form(request, 400, [str(exc)], data)
        title = " ".join(data.get("title", "").split())[:200]
        if not title:
            problems.append("Give the class a title, for example the class's name and the term.")
        if assignment_upload is not None:
            filename, text = assignment_upload
        else:
            filename = data.get("assignment", "")
            text = read_shipped(filename) or ""
            if not text:
                problems.append("Choose one of the shipped assignments, or upload your own YAML file.")
        assignment = None
        if text:
            assignment, found = check_assignment(text, filename, server.story)
            problems += found
        members: list[tuple[str, str, str]] = []
        if roster_upload is not None:
            members, problem = read_roster(roster_upload[1], roster_upload[0])
            problems += [problem] if problem else []
        elif data.get("roster", "").strip():
            members, problem = read_roster(data["roster"], "the pasted roster")
            problems += [problem] if problem else []
        long_names = [n for n, _, _ in members if len(n) > 60]
        if long_names:
            problems.append(f"The roster name {long_names[0]!r} is longer than 60 characters.")
        if problems or assignment is None:
            return new_form(request, 400, problems, data)
        unknown = "refuse" if data.get("unknown") == "refuse" and members else "allow"

        def work() -> Response:
            with server.writing() as db:
                klass = Class(id=next_class_id(db), code=new_code(), title=title, story_id=server.story.id,
                              assignment_id=assignment.id, assignment_hash=hashlib.sha256(text.encode()).hexdigest(),
                              assignment_yaml=text,
                              teacher_id=tid, story_hash=server.story.content_hash, unknown_names=unknown)
                db.add(klass)
                db.flush()
                for name, school_id, email in members:
                    db.add(Student(class_id=klass.id, name=name, name_key=name_key(name),
                                   school_id=school_id or None, email=email[:200] or None, on_roster=True))
                new_id = klass.id
            return see_other(f"/teacher/classes/{new_id}")
        return await run_in_threadpool(work)

    # ---- the class page -------------------------------------------------------------------------------
    @need_teacher
    async def class_page(request: Request, tid: int) -> Response:
        cid = class_id(request)

        def work() -> Response:
            with server.reading() as db:
                klass = own_class(db, tid, cid)
                if klass is None:
                    return not_found(request)
                lines = class_lines(server, db, klass)
                assignment = server.assignment(db, klass.id)
                return teacher_page(server, request, "teacher/class.html", klass=klass, lines=lines,
                                    assignment=assignment, poll=POLL_SECONDS,
                                    newer_story=klass.story_hash not in (None, server.story.content_hash))
        return await run_in_threadpool(work)

    @need_teacher
    async def class_json(request: Request, tid: int) -> Response:
        cid = class_id(request)

        def work() -> Response:
            with server.reading() as db:
                klass = own_class(db, tid, cid)
                if klass is None:
                    return JSONResponse({"error": "not found"}, status_code=404)
                lines = class_lines(server, db, klass)
            return JSONResponse({"students": [asdict(line) for line in lines], "at": now().isoformat()},
                                headers={"Cache-Control": "no-store"})
        return await run_in_threadpool(work)

    @need_teacher
    async def open_or_close(request: Request, tid: int) -> Response:
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form
        cid, closing = class_id(request), request.url.path.endswith("/close")

        def work() -> Response:
            with server.writing() as db:
                klass = own_class(db, tid, cid)
                if klass is None:
                    return not_found(request)
                klass.closed_at = now() if closing else None
            return see_other(f"/teacher/classes/{cid}")
        return await run_in_threadpool(work)

    @need_teacher
    async def claim(request: Request, tid: int) -> Response:
        """A class opened with ``kira serve --assignment`` has no owner: the first teacher to take it owns it."""
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form
        cid = class_id(request)

        def work() -> Response:
            with server.writing() as db:
                klass = db.get(Class, cid)
                if klass is None or klass.teacher_id is not None:
                    return not_found(request)
                klass.teacher_id = tid
            return see_other(f"/teacher/classes/{cid}")
        return await run_in_threadpool(work)

    @need_teacher
    async def add_names(request: Request, tid: int) -> Response:
        """Names added to the class list after the class was made (a student who arrives mid-term). A name
        that already joined is put on the list as it is, with their work; nobody is ever added twice."""
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form
        data, _ = form
        cid = class_id(request)
        members, problem = read_roster(data.get("names", ""), "the pasted names")
        too_long = [n for n, _, _ in members if len(n) > 60]
        if too_long:
            problem = f"The name {too_long[0]!r} is longer than 60 characters."

        def work() -> Response:
            with server.writing() as db:
                klass = own_class(db, tid, cid)
                if klass is None:
                    return not_found(request)
                if problem:
                    return server.message(request, "No names were added",
                                          f"{problem.rstrip('.')}. Nothing was changed.", 400,
                                          back=f"/teacher/classes/{cid}")
                known = {s.name_key: s for s in db.scalars(select(Student).where(Student.class_id == cid))}
                added = 0
                for name, school_id, email in members:
                    student = known.get(name_key(name))
                    if student is None:
                        db.add(Student(class_id=cid, name=name, name_key=name_key(name), school_id=school_id or None,
                                       email=email[:200] or None, on_roster=True))
                        added += 1
                        continue
                    student.on_roster = True
                    student.school_id = student.school_id or school_id or None
                    student.email = student.email or email[:200] or None
            return see_other(f"/teacher/classes/{cid}?m=names-{added}-{len(members) - added}")
        return await run_in_threadpool(work)

    # ---- one student ----------------------------------------------------------------------------------
    @need_teacher
    async def student_page(request: Request, tid: int) -> Response:
        cid, sid = class_id(request), int(request.path_params["sid"])

        def work() -> Response:
            with server.reading() as db:
                klass = own_class(db, tid, cid)
                student = db.get(Student, sid)
                if klass is None or student is None or student.class_id != klass.id:
                    return not_found(request)
                view = student_view(server, db, klass, student)
                return teacher_page(server, request, "teacher/student.html", klass=klass, student=student, **view)
        return await run_in_threadpool(work)

    # ---- deleting -------------------------------------------------------------------------------------
    @need_teacher
    async def delete_class(request: Request, tid: int) -> Response:
        cid = class_id(request)
        if request.method == "GET":
            def confirm() -> Response:
                with server.reading() as db:
                    klass = own_class(db, tid, cid)
                    if klass is None:
                        return not_found(request)
                    students = len(list(db.scalars(select(Student.id).where(Student.class_id == cid))))
                    return teacher_page(server, request, "teacher/confirm.html", what=f"the class {klass.title}",
                                        detail=f"{count(students, 'student')} with every choice, answer and "
                                               "grade", action=f"/teacher/classes/{cid}/delete",
                                        back=f"/teacher/classes/{cid}")
            return await run_in_threadpool(confirm)
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form

        def work() -> Response:
            with server.writing() as db:
                if own_class(db, tid, cid) is None:
                    return not_found(request)
                erase_class(db, cid)
            return see_other("/teacher?m=deleted")
        return await run_in_threadpool(work)

    @need_teacher
    async def delete_student(request: Request, tid: int) -> Response:
        cid, sid = class_id(request), int(request.path_params["sid"])
        if request.method == "GET":
            def confirm() -> Response:
                with server.reading() as db:
                    klass = own_class(db, tid, cid)
                    student = db.get(Student, sid)
                    if klass is None or student is None or student.class_id != cid:
                        return not_found(request)
                    return teacher_page(server, request, "teacher/confirm.html", what=student.name,
                                        detail=f"every choice, answer and grade of theirs in {klass.title}",
                                        action=f"/teacher/classes/{cid}/students/{sid}/delete",
                                        back=f"/teacher/classes/{cid}/students/{sid}")
            return await run_in_threadpool(confirm)
        form = await read_form(server, request)
        if isinstance(form, Response):
            return form

        def work() -> Response:
            with server.writing() as db:
                student = db.get(Student, sid)
                if own_class(db, tid, cid) is None or student is None or student.class_id != cid:
                    return not_found(request)
                erase_students(db, [sid])
            return see_other(f"/teacher/classes/{cid}?m=deleted")
        return await run_in_threadpool(work)

    base = "/teacher/classes/{cid:int}"
    return [
        Route("/teacher", home),
        Route("/teacher/classes/new", new_class, methods=["GET", "POST"]),
        Route(base, class_page),
        Route(base + "/live.json", class_json),
        Route(base + "/close", open_or_close, methods=["POST"]),
        Route(base + "/reopen", open_or_close, methods=["POST"]),
        Route(base + "/claim", claim, methods=["POST"]),
        Route(base + "/names", add_names, methods=["POST"]),
        Route(base + "/delete", delete_class, methods=["GET", "POST"]),
        Route(base + "/students/{sid:int}", student_page),
        Route(base + "/students/{sid:int}/delete", delete_student, methods=["GET", "POST"]),
    ]


# -- one student's work -------------------------------------------------------------------------------------

def student_live(server: Server, db: Session, klass: Class, student: Student) -> tuple[PlaythroughRow | None,
                                                                                        Live | None]:
    """The student's newest playthrough, replayed (None, None before they joined)."""
    row = db.scalars(select(PlaythroughRow).where(PlaythroughRow.student_id == student.id)
                     .order_by(PlaythroughRow.id.desc())).first()
    if row is None:
        return None, None
    assignment = parse_assignment(klass.assignment_yaml, server.story) if klass.assignment_yaml else None
    answers = {a.question: a.text or "" for a in db.scalars(select(AnswerRow).where(
        AnswerRow.playthrough_id == row.id, AnswerRow.text.is_not(None)))}
    live = Live(server.story, row.state, assignment, answers, student=student.name,
                started=_aware(row.started_at).isoformat())
    return row, live


def student_view(server: Server, db: Session, klass: Class, student: Student) -> dict[str, Any]:
    """What the student page shows: the path against the novel, the maps, each answer by its question
    (with its grade), the moments undone."""
    row, live = student_live(server, db, klass, student)
    assignment = server.assignment(db, klass.id)
    grades = {g.question: g for g in db.scalars(select(Grade).where(Grade.student_id == student.id))}
    view: dict[str, Any] = {"row": row, "summary": None, "path": [], "maps": [], "undone": [], "items": [],
                            "grades": grades, "assignment": assignment, "reached": set(),
                            "total": sum(v for g in grades.values() for v in (g.points or {}).values()
                                         if isinstance(v, int | float))}
    answers: dict[str, AnswerRow] = {}
    if row is not None and live is not None:
        view["summary"] = live.summary()
        view["path"] = path_of(live)
        view["maps"] = [(title, live.path_map(chapter) or []) for chapter, title in live.chapters_seen()]
        view["undone"] = list(db.scalars(select(StepRow).where(StepRow.playthrough_id == row.id,
                                                               StepRow.kind == "undo").order_by(StepRow.number)))
        answers = {a.question: a for a in db.scalars(select(AnswerRow).where(AnswerRow.playthrough_id == row.id))}
        view["reached"] = {q.id for q, _ in live.answered()} | {q.id for q in live.due()}
    for question in assignment.questions if assignment else ():
        answer = answers.get(question.id)
        view["items"].append({"question": question, "moment": question.describe_moment(server.story),
                              "rubric": rubric_of(question),
                              "answer": answer.text if answer and answer.text else "",
                              "draft": answer.draft if answer and not answer.text else "",
                              "words": answer.words if answer else 0})
    return view


# -- erasing ------------------------------------------------------------------------------------------------

def erase_students(db: Session, student_ids: list[int]) -> None:
    """Every row of these students, in every table, in one transaction (not left to ON DELETE CASCADE:
    a SQLite database opened without foreign keys would keep the rows)."""
    if not student_ids:
        return
    pids = list(db.scalars(select(PlaythroughRow.id).where(PlaythroughRow.student_id.in_(student_ids))))
    if pids:
        db.execute(delete(StepRow).where(StepRow.playthrough_id.in_(pids)))
        db.execute(delete(AnswerRow).where(AnswerRow.playthrough_id.in_(pids)))
        db.execute(delete(PlaythroughRow).where(PlaythroughRow.id.in_(pids)))
    db.execute(delete(Grade).where(Grade.student_id.in_(student_ids)))
    db.execute(delete(Student).where(Student.id.in_(student_ids)))


def erase_class(db: Session, cid: int) -> None:
    erase_students(db, list(db.scalars(select(Student.id).where(Student.class_id == cid))))
    db.execute(delete(Grade).where(Grade.class_id == cid))
    db.execute(delete(PlaythroughRow).where(PlaythroughRow.class_id == cid))
    db.execute(delete(Class).where(Class.id == cid))
    kept = db.get(Meta, CLASS_ID_HIGH)
    if kept is None:
        db.add(Meta(key=CLASS_ID_HIGH, value=str(cid)))
    elif int(kept.value) < cid:
        kept.value = str(cid)
