"""Grading one answer with the assignment's rubric: points per criterion and a comment, saved as typed.

With JavaScript (``static/teacher.js``) each change is posted at once and the page shows "saved";
without it, the Save button posts the same form and the page comes back with the grade in place.
Either way the grade is in the database before the answer is shown as graded, so nothing typed is
lost on reload. The novel agreement of the student's path is shown on the page as information only:
it is never part of a grade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from game.server.accounts import need_teacher, read_form, see_other
from game.server.play import grade_from_form, parse_assignment
from game.server.store import Grade, Student, now
from game.server.teacher import own_class

if TYPE_CHECKING:
    from game.server.app import Server


def routes(server: Server) -> list[Route]:
    @need_teacher
    async def grade(request: Request, tid: int) -> Response:
        wants_json = request.headers.get("accept", "").startswith("application/json")
        form = await read_form(server, request)
        if isinstance(form, Response):
            return JSONResponse({"saved": False, "problems": {"form": "the page had expired; reload it"}},
                                status_code=403) if wants_json else form
        data, _ = form
        cid, sid, qid = int(request.path_params["cid"]), int(request.path_params["sid"]), request.path_params["qid"]
        back = f"/teacher/classes/{cid}/students/{sid}"

        def work() -> Response:
            with server.writing() as db:
                klass = own_class(db, tid, cid)
                student = db.get(Student, sid)
                if klass is None or student is None or student.class_id != cid or not klass.assignment_yaml:
                    return server.message(request, "No such answer", "There is no answer of yours to grade here.",
                                          404, back="/teacher")
                question = next((q for q in parse_assignment(klass.assignment_yaml, server.story).questions
                                 if q.id == qid), None)
                if question is None:
                    return server.message(request, "No such question", "The assignment has no such question.", 404,
                                          back=back)
                points = {k[2:]: v for k, v in data.items() if k.startswith("p_")}
                kept, comment, problems = grade_from_form(question, points, data.get("comment", ""))
                if problems:
                    db.rollback()
                    if wants_json:
                        return JSONResponse({"saved": False, "problems": problems}, status_code=400)
                    text = "; ".join(f"{k}: {v}" for k, v in problems.items())
                    return server.message(request, "That grade was not saved", text + ".", 400, back=back)
                # one statement that inserts or updates: two saves of one answer at once (a keystroke's save
                # and the Save button) cannot both insert
                insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
                values = {"student_id": sid, "class_id": cid, "question": qid, "points": dict(kept),
                          "comment": comment, "updated_at": now()}
                db.execute(insert(Grade).values(**values).on_conflict_do_update(
                    index_elements=["student_id", "question"],
                    set_={"points": values["points"], "comment": comment, "updated_at": values["updated_at"]}))
                total = sum(v for g in db.scalars(select(Grade).where(Grade.student_id == sid))
                            for v in (g.points or {}).values() if isinstance(v, int | float))
            if wants_json:
                return JSONResponse({"saved": True, "total": total})
            return see_other(f"{back}?m=graded#q-{qid}")
        return await run_in_threadpool(work)

    return [Route("/teacher/classes/{cid:int}/students/{sid:int}/grade/{qid}", grade, methods=["POST"])]
