"""The teacher's pages through the test client: accounts, classes with rosters, the class page, a student's
page, deleting. Each runs on SQLite, and on PostgreSQL when KIRA_TEST_POSTGRES is set."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from game.server.accounts import create_teacher
from game.server.store import AnswerRow, Class, Grade, JoinAttempt, PlaythroughRow, StepRow, Student, Teacher
from tests.server.helpers import choose, field, join, play_until, token

PASSWORD = "correct horse battery"
ROSTER = "Ana Lima, 1001\nZoë Ñúñez, Jr.\t2002\nBoris Petrov"


def sign_in(client, name: str = "Ms Rivera", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    page = client.get("/teacher/signin")
    return client.post("/teacher/signin", data={"csrf": field(page.text, "csrf"), "name": name,
                                                 "password": password, "next": "/teacher"})


def make_class(client, title: str = "10B History", roster: str = ROSTER, unknown: str = "allow",  # type: ignore[no-untyped-def]
               assignment: str = "theme_essay.yaml", files=None):
    page = client.get("/teacher/classes/new")
    data = {"csrf": field(page.text, "csrf"), "title": title, "assignment": assignment, "roster": roster,
            "unknown": unknown}
    return client.post("/teacher/classes/new", data=data, files=files)


def code_of(page: str) -> str:
    match = re.search(r'big-code">([^<]+)<', page)
    assert match, "no join code on the class page"
    return match.group(1)


@pytest.fixture
def teacher(server, make_client):  # type: ignore[no-untyped-def]
    """A browser signed in as Ms Rivera."""
    create_teacher(server.engine, "Ms Rivera", PASSWORD)
    client = make_client()
    assert sign_in(client).url.path == "/teacher"
    return client


def count_rows(server, model) -> int:  # type: ignore[no-untyped-def]
    with Session(server.engine) as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


# -- accounts ------------------------------------------------------------------------------------------------

def test_the_password_is_kept_only_as_an_argon2_hash(server):
    create_teacher(server.engine, "Ms Rivera", PASSWORD)
    with Session(server.engine) as db:
        (row,) = db.scalars(select(Teacher))
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash


def test_every_teacher_page_needs_signing_in(client, server):
    create_teacher(server.engine, "Ms Rivera", PASSWORD)
    for path in ("/teacher", "/teacher/classes/new", "/teacher/classes/1", "/teacher/classes/1/live.json",
                 "/teacher/classes/1/students/1", "/teacher/classes/1/delete"):
        page = client.get(path)
        assert page.url.path == "/teacher/signin", path
    assert client.post("/teacher/classes/1/delete", data={"csrf": "x" * 20}).url.path == "/teacher/signin"


def test_a_wrong_password_is_refused_and_counted_then_the_address_waits(client, server):
    create_teacher(server.engine, "Ms Rivera", PASSWORD)
    for _ in range(10):
        page = sign_in(client, password="wrong password!")
        assert page.status_code == 400 and "do not match" in page.text
    assert count_rows(server, JoinAttempt) == 10
    page = sign_in(client)  # even the right password waits now
    assert page.status_code == 429 and "wait ten minutes" in page.text
    assert client.get("/teacher").url.path == "/teacher/signin"


def test_signing_in_with_an_unknown_name_fails_like_a_wrong_password(client, server):
    create_teacher(server.engine, "Ms Rivera", PASSWORD)
    page = sign_in(client, name="Nobody")
    assert page.status_code == 400 and "do not match" in page.text


def test_a_form_without_the_session_token_is_refused(teacher, server):
    page = teacher.post("/teacher/classes/new", data={"csrf": "forged-token-forged", "title": "X",
                                                      "assignment": "theme_essay.yaml"})
    assert page.status_code == 403
    assert count_rows(server, Class) == 3  # only the three classes the fixtures opened


def test_signing_out_ends_the_teacher_session(teacher):
    page = teacher.get("/teacher")
    teacher.post("/teacher/signout", data={"csrf": field(page.text, "csrf")})
    assert teacher.get("/teacher").url.path == "/teacher/signin"


def test_changing_the_password_signs_out_every_other_browser(teacher, server, make_client):
    laptop = make_client()
    assert sign_in(laptop).url.path == "/teacher"  # the same teacher on a second computer
    page = teacher.get("/teacher/password")
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.text
    new = "a much longer passphrase"
    wrong = teacher.post("/teacher/password", data={"csrf": field(page.text, "csrf"), "current": "not it at all",
                                                   "password": new, "again": new})
    assert wrong.status_code == 400 and "not your current password" in wrong.text
    differ = teacher.post("/teacher/password", data={"csrf": field(page.text, "csrf"), "current": PASSWORD,
                                                    "password": new, "again": new + "!"})
    assert differ.status_code == 400 and "not the same" in differ.text
    assert sign_in(make_client()).url.path == "/teacher"  # nothing changed so far
    done = teacher.post("/teacher/password", data={"csrf": field(page.text, "csrf"), "current": PASSWORD,
                                                  "password": new, "again": new})
    assert done.url.path == "/teacher" and "Your password was changed" in done.text
    assert teacher.get("/teacher").url.path == "/teacher"  # this browser stays signed in
    assert laptop.get("/teacher").url.path == "/teacher/signin"  # the other one is signed out
    assert sign_in(make_client()).status_code == 400  # the old password no longer works
    assert sign_in(make_client(), password=new).url.path == "/teacher"


def test_a_forgotten_password_is_reset_on_the_server(teacher, server):
    """``kira serve --reset-password NAME`` on the server's database, with the password on standard input."""
    import os
    import subprocess
    import sys

    from tests.server.live_server import ROOT

    def reset(name: str, password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "game", "serve", "--db", server.engine.url.render_as_string(
            hide_password=False), "--reset-password", name], cwd=ROOT, input=password + "\n",
            capture_output=True, text=True, timeout=120, env=dict(os.environ, SDL_VIDEODRIVER="dummy"))

    new = "a new password for Monday"
    done = reset("ms  rivera", new)
    assert done.returncode == 0, done.stderr
    assert "'Ms Rivera' was changed" in done.stdout and new not in done.stdout + done.stderr
    assert teacher.get("/teacher").url.path == "/teacher/signin"  # signed out everywhere
    assert sign_in(teacher, password=new).url.path == "/teacher"
    unknown = reset("Nobody", new)
    assert unknown.returncode == 1 and "no teacher called 'Nobody'" in unknown.stderr


def test_a_teacher_who_leaves_hands_their_classes_to_another(teacher, server, make_client):
    """``kira serve --remove-teacher NAME --give-classes-to OTHER``: refused while the classes have nowhere to
    go; then the classes, with their students' work, belong to the other teacher, and the account is gone."""
    import os
    import subprocess
    import sys

    from tests.server.live_server import ROOT

    def serve(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "game", "serve", "--db", server.engine.url.render_as_string(
            hide_password=False), *arguments], cwd=ROOT, capture_output=True, text=True, timeout=120,
            env=dict(os.environ, SDL_VIDEODRIVER="dummy"))

    path = make_class(teacher).url.path
    create_teacher(server.engine, "Mr Okafor", PASSWORD)
    alone = serve("--remove-teacher", "Ms Rivera")
    assert alone.returncode == 1 and "has 1 class(es)" in alone.stderr and "--give-classes-to" in alone.stderr
    nobody = serve("--remove-teacher", "Ms Rivera", "--give-classes-to", "Nobody")
    assert nobody.returncode == 1 and "no teacher called 'Nobody'" in nobody.stderr
    assert teacher.get(path).status_code == 200  # nothing changed so far
    done = serve("--remove-teacher", "ms rivera", "--give-classes-to", "Mr Okafor")
    assert done.returncode == 0, done.stderr
    assert "'Ms Rivera' was removed; their 1 class(es) now belong to 'Mr Okafor'" in done.stdout
    assert teacher.get("/teacher").url.path == "/teacher/signin"  # the removed teacher's browser is signed out
    assert sign_in(make_client()).status_code == 400
    okafor = make_client()
    sign_in(okafor, "Mr Okafor")
    page = okafor.get(path)
    assert page.status_code == 200 and "Ana Lima" in page.text
    assert count_rows(server, Teacher) == 1 and count_rows(server, Student) == 3


def test_the_setup_page_is_refused_to_a_remote_browser_without_the_token(client, server):
    from game.server.accounts import setup_token

    page = client.get("/teacher/setup")  # the test client's address is not 127.0.0.1
    assert page.status_code == 403
    token_text = setup_token(server.engine)
    assert token_text
    page = client.get(f"/teacher/setup?token={token_text}")
    assert page.status_code == 200 and 'name="again"' in page.text
    short = client.post("/teacher/setup", data={"csrf": field(page.text, "csrf"), "token": token_text,
                                                "name": "Ms Rivera", "password": "short", "again": "short"})
    assert short.status_code == 400 and "at least 10" in short.text
    made = client.post("/teacher/setup", data={"csrf": field(page.text, "csrf"), "token": token_text,
                                               "name": "Ms Rivera", "password": PASSWORD, "again": PASSWORD})
    assert made.url.path == "/teacher"
    assert count_rows(server, Teacher) == 1
    assert setup_token(server.engine) is None  # once a teacher exists there is no setup any more
    assert client.get(f"/teacher/setup?token={token_text}").url.path == "/teacher/signin"


# -- classes and rosters --------------------------------------------------------------------------------------

def test_a_class_with_a_roster_lists_everyone_as_not_started(teacher, server):
    page = make_class(teacher)
    assert page.status_code == 200 and page.url.path.startswith("/teacher/classes/")
    for name in ("Ana Lima", "Zoë Ñúñez, Jr.", "Boris Petrov"):
        assert name in page.text
    assert page.text.count("not started") >= 3
    with Session(server.engine) as db:
        students = {s.name: s for s in db.scalars(select(Student).where(Student.on_roster.is_(True)))}
        klass = db.scalars(select(Class).where(Class.teacher_id.is_not(None))).one()
    assert students["Ana Lima"].school_id == "1001" and students["Zoë Ñúñez, Jr."].school_id == "2002"
    assert klass.story_hash == server.story.content_hash and klass.assignment_id == "theme_essay_1"


def test_a_bad_assignment_upload_is_refused_with_its_file_line_and_hint(teacher, server):
    bad = b"id: x\ntitle: T\nstory: we_the_living\nmin_words: -3\nquestions:\n  - id: q\n    at: ending\n    text: ''\n"
    page = make_class(teacher, files={"assignment_file": ("mine.yaml", bad, "text/yaml")})
    assert page.status_code == 400
    assert "mine.yaml:4:" in page.text and "min_words" in page.text
    assert "kira-upload" not in page.text  # the temporary folder is not shown
    assert count_rows(server, Class) == 3


def test_a_roster_csv_upload_with_ids_and_emails(teacher, server, make_client):
    csv_text = ("Full name,ID number,Email address\r\nAna Lima,1001,ana@school.example\r\n"
                "\"=HYPERLINK(\"\"x\"\")\",1002,\r\n").encode("utf-8-sig")
    page = make_class(teacher, roster="", files={"roster_file": ("class.csv", csv_text, "text/csv")})
    assert page.status_code == 200
    with Session(server.engine) as db:
        names = {s.name: s.school_id for s in db.scalars(select(Student).where(Student.on_roster.is_(True)))}
    assert names == {"Ana Lima": "1001", '=HYPERLINK("x")': "1002"}
    for name in ("Ana Lima", '=HYPERLINK("x")'):
        student = make_client()
        join(student, code_of(page.text), name)
        choose(student)
    google = teacher.get(page.url.path + "/exports/google-classroom.csv").content.decode("utf-8-sig")
    assert "ana@school.example,Ana,Lima" in google and "'=HYPERLINK" in google


def test_a_roster_naming_someone_twice_is_refused_with_the_line(teacher):
    page = make_class(teacher, roster="Ana Lima\nBoris\nana  lima")
    assert page.status_code == 400 and "pasted roster:3" in page.text


def test_a_student_picks_their_name_from_the_list(teacher, make_client, server):
    code = code_of(make_class(teacher).text)
    student = make_client()
    page = join(student, code, "")
    assert "Who are you?" in page.text and 'value="Boris Petrov"' in page.text
    page = student.post("/join", data={"csrf": token(student, page.text), "code": code, "name": "Boris Petrov"})
    assert page.url.path == "/play"
    with Session(server.engine) as db:
        assert db.scalar(select(func.count()).select_from(Student).where(Student.name_key == "boris petrov")) == 1


def test_unknown_names_refused_or_let_in(teacher, make_client):
    strict = code_of(make_class(teacher, title="strict", unknown="refuse").text)
    page = join(make_client(), strict, "Stranger Danger")
    assert page.status_code == 400 and "not on your class&#39;s list" in page.text
    open_code = code_of(make_class(teacher, title="open").text)
    assert join(make_client(), open_code, "Stranger Danger").url.path == "/play"


def test_names_added_to_the_list_later_can_join_a_strict_class(teacher, server, make_client):
    page = make_class(teacher, title="strict", unknown="refuse")
    code, path = code_of(page.text), page.url.path
    assert "not on your class&#39;s list" in join(make_client(), code, "Dana Cole").text
    added = teacher.post(path + "/names", data={"csrf": field(page.text, "csrf"),
                                                "names": "Dana Cole, 3003\nana lima, 9999"})
    assert added.url.path == path and "1 name added to the class list; 1 name was already in the class" in added.text
    assert "Dana Cole" in added.text
    joined = join(make_client(), code, "Dana Cole")
    assert joined.url.path == "/play", joined.text[-1500:]  # now on the list
    with Session(server.engine) as db:
        cid = int(path.rsplit("/", 1)[1])
        students = {s.name: s for s in db.scalars(select(Student).where(Student.class_id == cid))}
    assert students["Dana Cole"].school_id == "3003" and students["Dana Cole"].on_roster
    assert students["Ana Lima"].school_id == "1001"  # a name already there keeps what the teacher gave first
    assert len(students) == 4  # nobody added twice


def test_names_that_cannot_be_read_change_nothing(teacher, server):
    page = make_class(teacher)
    before = count_rows(server, Student)
    refused = teacher.post(page.url.path + "/names", data={"csrf": field(page.text, "csrf"),
                                                          "names": "Ana Lima\nBoris\nana  lima"})
    assert refused.status_code == 400 and "pasted names:3" in refused.text and "Nothing was changed" in refused.text
    empty = teacher.post(page.url.path + "/names", data={"csrf": field(page.text, "csrf"), "names": "  "})
    assert empty.status_code == 400 and "names no students. Nothing was changed." in empty.text
    forged = teacher.post(page.url.path + "/names", data={"csrf": "forged-token-forged", "names": "Eve"})
    assert forged.status_code == 403
    assert count_rows(server, Student) == before


def test_a_closed_class_refuses_joins_until_reopened(teacher, make_client):
    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    teacher.post(path + "/close", data={"csrf": field(page.text, "csrf")})
    assert "No class has that code" in join(make_client(), code, "Ana Lima").text
    teacher.post(path + "/reopen", data={"csrf": field(page.text, "csrf")})
    assert join(make_client(), code, "Ana Lima").url.path == "/play"


def test_a_teacher_cannot_see_another_teachers_class(teacher, server, make_client):
    path = make_class(teacher).url.path
    create_teacher(server.engine, "Mr Okafor", PASSWORD)
    other = make_client()
    sign_in(other, "Mr Okafor")
    with Session(server.engine) as db:
        sid = db.scalars(select(Student.id).where(Student.name == "Ana Lima")).one()
    for suffix in ("", "/live.json", f"/students/{sid}", f"/students/{sid}/transcript", f"/students/{sid}/delete",
                   "/delete", "/report", "/exports", "/exports/moodle.csv", "/exports/class.json"):
        assert other.get(path + suffix).status_code == 404, suffix
    page = other.get("/teacher")
    assert "10B History" not in page.text
    csrf = field(page.text, "csrf")
    for suffix in ("/delete", "/close", f"/students/{sid}/delete", f"/students/{sid}/grade/career"):
        assert other.post(path + suffix, data={"csrf": csrf, "p_evidence": "1"}).status_code == 404, suffix
    assert count_rows(server, Grade) == 0 and count_rows(server, Student) == 3
    assert count_rows(server, Class) == 4


# -- the class page and a student's page ---------------------------------------------------------------------

def test_the_class_page_follows_students_as_they_play(teacher, make_client, server):
    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    ana = make_client()
    join(ana, code, "Ana Lima")
    choose(ana)
    choose(ana)
    rows = {s["name"]: s for s in teacher.get(path + "/live.json").json()["students"]}
    assert rows["Ana Lima"]["status"] == "playing" and rows["Ana Lima"]["chapter"]
    assert rows["Ana Lima"]["scene"] and rows["Ana Lima"]["answered"] == 0 and rows["Ana Lima"]["questions"] == 5
    assert rows["Boris Petrov"]["status"] == "not started"
    assert rows["Ana Lima"]["undos"] is None  # the shipped assignment switches undo off


def answer_first(client, text: str) -> None:  # type: ignore[no-untyped-def]
    page = play_until(client, lambda r: 'class="answer"' in r.text, 300)
    qid = re.search(r'action="/answer/([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post(f"/answer/{qid}", data={"csrf": token(client, page.text), "text": text, "action": "hand-in"})
    assert done.status_code == 200 and 'class="error"' not in done.text, done.text[:300]


COPIED = ("Her family feared that an engineer's career would mean nothing under the new order, and that "
          "Kira would be left with neither a trade nor a place; they were partly right about the danger "
          "but wrong about her, because she meant to build whatever the state thought of her work.")


def test_nearly_the_same_answers_are_flagged_with_whose(teacher, make_client):
    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    ana, boris = make_client(), make_client()
    join(ana, code, "Ana Lima")
    join(boris, code, "Boris Petrov")
    answer_first(ana, COPIED)
    answer_first(boris, COPIED.replace("partly right", "somewhat right"))
    rows = {s["name"]: s for s in teacher.get(path + "/live.json").json()["students"]}
    assert rows["Ana Lima"]["answered"] == 1
    assert any("nearly the same" in f and "Boris Petrov" in f for f in rows["Ana Lima"]["flags"])
    assert any("Ana Lima" in f for f in rows["Boris Petrov"]["flags"])


def test_a_students_page_shows_answers_path_and_undone_moments(teacher, make_client, server):
    page = make_class(teacher, assignment="theme_essay.yaml")
    path = page.url.path
    # the shipped assignment has undo off: use a class of the fixtures' own with undo on for the undo rows
    with Session(server.engine) as db:
        tid = db.scalars(select(Teacher.id)).one()
        klass = db.scalars(select(Class).where(Class.assignment_id == "web_assigned")).one()
        klass.teacher_id = tid
        db.commit()
        assigned, code = klass.id, klass.code
    ana = make_client()
    join(ana, code, "Ana Lima")
    first = ana.get("/play").text
    choose(ana, 0, first)
    page = ana.get("/play").text
    ana.post("/undo", data={"csrf": token(ana, page), "at": field(page, "at")})
    answer_first(ana, "Her family feared hunger and the loss of the old life for all of them.")
    with Session(server.engine) as db:
        sid = db.scalars(select(Student.id).where(Student.class_id == assigned)).one()
    page = teacher.get(f"/teacher/classes/{assigned}/students/{sid}")
    assert page.status_code == 200
    assert "What did Kira&#39;s family fear about her choice?" in page.text
    assert "Her family feared hunger" in page.text
    assert "Moments taken back" in page.text and "took back" in page.text
    assert "never a score" in page.text and "Path maps" in page.text
    assert "their choice" in page.text and "your choice" not in page.text  # the students' map, in the third person
    assert teacher.get(path).status_code == 200


# -- deleting -------------------------------------------------------------------------------------------------

def test_deleting_a_class_removes_it_from_every_table(teacher, make_client, server):
    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    ana = make_client()
    join(ana, code, "Ana Lima")
    answer_first(ana, COPIED)
    before = {m: count_rows(server, m) for m in (Student, PlaythroughRow, StepRow, AnswerRow)}
    assert before[AnswerRow] == 1 and before[StepRow] > 0
    confirm = teacher.get(path + "/delete")
    assert "Delete for good" in confirm.text and "3 students" in confirm.text
    done = teacher.post(path + "/delete", data={"csrf": field(confirm.text, "csrf")})
    assert done.url.path == "/teacher" and "were deleted" in done.text
    assert count_rows(server, AnswerRow) == 0 and count_rows(server, StepRow) == 0
    assert count_rows(server, PlaythroughRow) == 0 and count_rows(server, Grade) == 0
    assert count_rows(server, Student) == 0
    assert teacher.get(path).status_code == 404
    # a class made after it never gets its id back (each worker keeps assignments by class id)
    again = make_class(teacher, title="Next term")
    assert again.url.path != path


def test_deleting_one_student_keeps_the_others(teacher, make_client, server):
    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    ana = make_client()
    join(ana, code, "Ana Lima")
    choose(ana)
    with Session(server.engine) as db:
        sid = db.scalars(select(Student.id).where(Student.name == "Ana Lima")).one()
    confirm = teacher.get(f"{path}/students/{sid}/delete")
    teacher.post(f"{path}/students/{sid}/delete", data={"csrf": field(confirm.text, "csrf")})
    assert count_rows(server, StepRow) == 0 and count_rows(server, PlaythroughRow) == 0
    assert count_rows(server, Student) == 2


# -- grading, the report, the documents and the exports ---------------------------------------------------------

def graded_class(teacher, make_client, server):  # type: ignore[no-untyped-def]
    """A class of the shipped assignment (it has a rubric) where Ana answered the first question."""
    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    ana = make_client()
    join(ana, code, "Ana Lima")
    answer_first(ana, COPIED)
    with Session(server.engine) as db:
        sid = db.scalars(select(Student.id).where(Student.name == "Ana Lima")).one()
    return path, sid


def test_a_grade_is_saved_by_criterion_and_comes_back_on_reload(teacher, make_client, server):
    path, sid = graded_class(teacher, make_client, server)
    page = teacher.get(f"{path}/students/{sid}")
    assert 'name="p_evidence"' in page.text and "/ 4" in page.text
    saved = teacher.post(f"{path}/students/{sid}/grade/career", headers={"Accept": "application/json"},
                         data={"csrf": field(page.text, "csrf"), "p_evidence": "3", "p_context": "2",
                               "p_reasoning": "", "comment": "Good use of the exam scene."})
    assert saved.json() == {"saved": True, "total": 5}
    again = teacher.get(f"{path}/students/{sid}")
    assert 'name="p_evidence" inputmode="numeric" pattern="[0-9]*" size="3" value="3"' in again.text
    assert "Good use of the exam scene." in again.text
    with Session(server.engine) as db:
        (grade,) = db.scalars(select(Grade))
    assert grade.points == {"evidence": 3, "context": 2, "reasoning": None}


def test_a_grade_out_of_range_is_refused_and_nothing_changes(teacher, make_client, server):
    path, sid = graded_class(teacher, make_client, server)
    page = teacher.get(f"{path}/students/{sid}")
    bad = teacher.post(f"{path}/students/{sid}/grade/career", headers={"Accept": "application/json"},
                       data={"csrf": field(page.text, "csrf"), "p_evidence": "9"})
    assert bad.status_code == 400 and "evidence" in bad.json()["problems"]
    plain = teacher.post(f"{path}/students/{sid}/grade/career", data={"csrf": field(page.text, "csrf"),
                                                                     "p_evidence": "-1"})
    assert plain.status_code == 400 and "not saved" in plain.text
    assert count_rows(server, Grade) == 0
    forged = teacher.post(f"{path}/students/{sid}/grade/career", data={"csrf": "forged-token-forged",
                                                                      "p_evidence": "1"})
    assert forged.status_code == 403 and count_rows(server, Grade) == 0


def test_the_grade_form_without_javascript_saves_and_returns_to_the_answer(teacher, make_client, server):
    path, sid = graded_class(teacher, make_client, server)
    page = teacher.get(f"{path}/students/{sid}")
    done = teacher.post(f"{path}/students/{sid}/grade/career", data={
        "csrf": field(page.text, "csrf"), "p_evidence": "4", "p_context": "3", "p_reasoning": "3", "comment": ""})
    assert done.url.path == f"{path}/students/{sid}" and "The grade was saved" in done.text


def test_the_report_documents_and_exports_come_from_the_database(teacher, make_client, server):
    import csv
    import io
    import json

    path, sid = graded_class(teacher, make_client, server)
    page = teacher.get(f"{path}/students/{sid}")
    teacher.post(f"{path}/students/{sid}/grade/career", data={
        "csrf": field(page.text, "csrf"), "p_evidence": "4", "p_context": "3", "p_reasoning": "1"})
    report = teacher.get(path + "/report")
    assert report.status_code == 200 and "Ana Lima" in report.text and "Boris Petrov" in report.text
    # the class is still playing: its work is read as it stands, and later questions are not there yet
    assert "have started, read from the server as their work stands now" in report.text
    assert "file(s) read" not in report.text
    assert "Still playing, not there yet: Ana Lima" in report.text
    assert "Not reached on their path" not in report.text
    transcript = teacher.get(f"{path}/students/{sid}/transcript")
    assert transcript.status_code == 200 and "Ana Lima" in transcript.text and "engineer" in transcript.text
    assert teacher.get(f"{path}/students/{sid}/evidence").status_code == 200
    moodle = teacher.get(path + "/exports/moodle.csv")
    assert moodle.headers["content-type"].startswith("text/csv") and "attachment" in moodle.headers[
        "content-disposition"]
    assert moodle.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(moodle.content.decode("utf-8-sig")), dialect="excel"))
    by_name = {r["Full name"]: r for r in rows}
    assert by_name["Ana Lima"]["ID number"] == "1001"
    assert teacher.get(path + "/exports/canvas.csv").status_code == 200
    assert "Email Address" in teacher.get(path + "/exports/google-classroom.csv").text
    statements = [json.loads(line) for line in teacher.get(path + "/exports/xapi.jsonl").text.splitlines()]
    assert statements and all("Ana Lima" not in json.dumps(s) for s in statements)  # actors are hashed
    dump = teacher.get(path + "/exports/class.json").json()
    ana = next(s for s in dump["students"] if s["name"] == "Ana Lima")
    assert ana["submission"]["answers"][0]["answer"] == COPIED
    assert dump["kind"] == "we-the-living-class" and dump["version"] == 1 and dump["title"] == "10B History"
    assert ana["student_id"] == "1001" and ana["grades"] == [{"question": "career", "comment": "", "scores": [
        {"criterion": "evidence", "points": 4, "out_of": 4}, {"criterion": "context", "points": 3, "out_of": 3},
        {"criterion": "reasoning", "points": 1, "out_of": 3}]}]
    assert teacher.get(path + "/exports/secrets.txt").status_code == 404


def test_the_report_may_use_inline_styles_but_never_a_script(teacher, make_client, server):
    path, _ = graded_class(teacher, make_client, server)
    report = teacher.get(path + "/report")
    policies = report.headers.get_list("content-security-policy")
    assert len(policies) == 1 and "style-src 'unsafe-inline'" in policies[0] and "script" not in policies[0]
    assert "default-src 'none'" in policies[0]
    assert teacher.get(path).headers.get_list("content-security-policy") == [
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"]


def test_the_class_page_runs_the_same_few_queries_for_any_number_of_students(teacher, make_client, server):
    from sqlalchemy import event

    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    statements: list[str] = []
    event.listen(server.engine, "before_cursor_execute", lambda *args, **kw: statements.append(args[2]))

    def queries() -> int:
        statements.clear()
        assert teacher.get(path + "/live.json").status_code == 200
        return len(statements)

    join(make_client(), code, "Ana Lima")
    few = queries()
    for n in range(6):
        student = make_client()
        join(student, code, f"Extra Student {n}")
        choose(student)
    # the class, its students, playthroughs, answers, steps and grades, with SQLite's BEGIN; and the
    # teacher's row, read in a transaction of its own, to check the sign-in is still good
    assert queries() == few <= 9


def test_an_answer_under_its_minimum_is_flagged(teacher, make_client, server):
    """The game refuses a short answer when it is handed in; one stored any other way (a database repaired
    or filled by hand) is still shown for what it is."""
    page = make_class(teacher)
    code, path = code_of(page.text), page.url.path
    join(make_client(), code, "Ana Lima")
    with Session(server.engine) as db:
        pid = db.scalars(select(PlaythroughRow.id)).one()
        db.add(AnswerRow(playthrough_id=pid, question="career", draft="Too short.", text="Too short.", words=2))
        db.commit()
    rows = {s["name"]: s for s in teacher.get(path + "/live.json").json()["students"]}
    assert rows["Ana Lima"]["answered"] == 1
    assert rows["Ana Lima"]["flags"] == ["career: 2 words, under its minimum of 40"]


def test_a_class_opened_on_the_command_line_can_be_taken_by_one_teacher(teacher, server, make_client, classes):
    page = teacher.get("/teacher")
    assert "Classes opened on the server" in page.text and classes.assigned in page.text
    with Session(server.engine) as db:
        cid = db.scalars(select(Class.id).where(Class.code == classes.assigned)).one()
    taken = teacher.post(f"/teacher/classes/{cid}/claim", data={"csrf": field(page.text, "csrf")})
    assert taken.url.path == f"/teacher/classes/{cid}" and classes.assigned in taken.text
    create_teacher(server.engine, "Mr Okafor", PASSWORD)
    other = make_client()
    sign_in(other, "Mr Okafor")
    page = other.get("/teacher")
    assert classes.assigned not in page.text  # taken: no longer offered
    assert other.post(f"/teacher/classes/{cid}/claim", data={"csrf": field(page.text, "csrf")}).status_code == 404
    assert other.get(f"/teacher/classes/{cid}").status_code == 404


def test_a_free_play_class_taken_by_a_teacher_shows_its_students_and_paths(teacher, server, make_client, classes):
    ana = make_client()
    join(ana, classes.free, "Ana Lima")
    choose(ana)
    page = teacher.get("/teacher")
    with Session(server.engine) as db:
        cid = db.scalars(select(Class.id).where(Class.code == classes.free)).one()
        sid = db.scalars(select(Student.id)).one()
    teacher.post(f"/teacher/classes/{cid}/claim", data={"csrf": field(page.text, "csrf")})
    assert "Free play" in teacher.get(f"/teacher/classes/{cid}").text
    student = teacher.get(f"/teacher/classes/{cid}/students/{sid}")
    assert student.status_code == 200 and "The path against the novel" in student.text
    assert teacher.get(f"/teacher/classes/{cid}/students/{sid}/transcript").status_code == 404
    assert teacher.get(f"/teacher/classes/{cid}/report").status_code == 200
    assert teacher.get(f"/teacher/classes/{cid}/exports/moodle.csv").status_code == 200


def test_a_teacher_sign_in_lasts_a_school_day(teacher, monkeypatch):
    import time

    assert teacher.get("/teacher").url.path == "/teacher"
    later = time.time() + 13 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert teacher.get("/teacher").url.path == "/teacher/signin"


def test_kira_report_reads_the_class_downloaded_from_the_server(teacher, make_client, server, tmp_path):
    import os
    import subprocess
    import sys

    from tests.server.conftest import ROOT

    path, sid = graded_class(teacher, make_client, server)
    page = teacher.get(f"{path}/students/{sid}")
    teacher.post(f"{path}/students/{sid}/grade/career", data={
        "csrf": field(page.text, "csrf"), "p_evidence": "4", "p_context": "2", "p_reasoning": "1",
        "comment": "Names the exam scene."})
    dump = tmp_path / "class.json"
    dump.write_bytes(teacher.get(path + "/exports/class.json").content)
    moodle = tmp_path / "grades.csv"
    done = subprocess.run([sys.executable, "-m", "game", "report", str(dump), "-o", str(tmp_path / "r.html"),
                           "--csv", str(moodle)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert done.returncode == 0, done.stderr
    assert "Not handed in: 2 of 3." in done.stdout  # Boris and Zoë, from the class list
    report = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Class report: 10B History" in report and "Names the exam scene." in report
    assert "7 of 10 points" in report


def test_the_setup_page_trusts_the_servers_own_address_but_not_through_a_proxy(server):
    from starlette.testclient import TestClient

    from game.server.app import build

    local = TestClient(build(server), client=("127.0.0.1", 50000))
    assert local.get("/teacher/setup").status_code == 200
    proxied = local.get("/teacher/setup", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403  # nginx on the same machine: the request is from the internet
