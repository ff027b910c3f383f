"""Every route of kira serve through Starlette's test client, as a student's browser would use it."""

from __future__ import annotations

import base64
import json
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from game.server.store import AnswerRow, JoinAttempt, PlaythroughRow, StepRow, Student
from tests.server.helpers import choose, field, join, play_until, token


def rows(server, model):  # type: ignore[no-untyped-def]
    with Session(server.engine) as db:
        return list(db.scalars(select(model)))


def test_join_page_is_a_labelled_form_with_a_csrf_token(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<label for="code">' in page.text and '<label for="name">' in page.text
    assert field(page.text, "csrf")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_joining_opens_the_first_scene_and_the_code_may_be_typed_loosely(client, classes):
    page = join(client, classes.free.lower().replace("-", " "), "Ana Lima")
    assert page.url.path == "/play"
    assert 'action="/choose"' in page.text and "<h1>" in page.text
    assert [s.name for s in rows(client.app.state.server, Student)] == ["Ana Lima"]


def test_a_form_without_the_session_token_is_refused(client, classes):
    client.get("/")
    page = client.post("/join", data={"csrf": "forged-token-forged", "code": classes.free, "name": "Ana"})
    assert page.status_code == 403
    assert rows(client.app.state.server, Student) == []


def test_wrong_codes_are_counted_in_the_database_and_then_refused(client, classes, server):
    for _ in range(20):
        assert join(client, "AAAAA-AAAAA", "Ana").status_code == 400
    assert len(rows(server, JoinAttempt)) == 20
    page = join(client, classes.free, "Ana")  # even the right code waits now
    assert page.status_code == 429 and "wait ten minutes" in page.text
    assert rows(server, Student) == []


def test_the_cookie_carries_no_name(client, classes):
    join(client, classes.free, "Zoë Unusualname")
    cookie = client.cookies["kira"]
    payload = base64.b64decode(cookie.split(".")[0] + "==")
    assert "Unusualname" not in payload.decode("utf-8", "replace")
    assert set(json.loads(payload)) >= {"pid", "sid", "csrf"}


def test_a_choice_is_stored_as_a_step_and_a_new_state_in_one_go(client, classes, server):
    join(client, classes.free, "Ana")
    first = client.get("/play").text
    page = choose(client, 0, first)
    assert page.url.path == "/play" and page.text != first
    (row,) = rows(server, PlaythroughRow)
    (step,) = rows(server, StepRow)
    assert row.version == 1 and step.number == 1 and step.kind == "choose"
    assert row.state["steps"][0]["scene"] == step.scene and row.state["scene"] == step.target


def test_a_stale_click_from_a_second_tab_is_refused_and_nothing_forks(client, classes, server):
    join(client, classes.free, "Ana")
    old = client.get("/play").text  # tab 1 and tab 2 both show this page
    choose(client, 0, old)  # tab 1 clicks
    page = choose(client, 1, old)  # tab 2 clicks on its stale page
    assert "out of date" in page.text
    assert len(rows(server, StepRow)) == 1 and rows(server, PlaythroughRow)[0].version == 1


def test_joining_again_on_another_computer_goes_on_where_the_student_was(client, make_client, classes, server):
    join(client, classes.free, "Ana Lima")
    for _ in range(3):
        choose(client)
    where = client.get("/play").text
    other = make_client()
    page = join(other, classes.free, "  ana   LIMA ")
    assert page.text.split("<h1>")[1].split("</h1>")[0] == where.split("<h1>")[1].split("</h1>")[0]
    assert len(rows(server, PlaythroughRow)) == 1


def test_a_tampered_cookie_reads_nobody_s_playthrough(client, make_client, classes):
    join(client, classes.free, "Ana")
    other = make_client()
    join(other, classes.free, "Ben")
    cookie = client.cookies["kira"]
    raw, signature = cookie.split(".", 1)
    data = json.loads(base64.b64decode(raw + "=="))
    data["pid"] += 1  # Ben's playthrough
    forged = base64.b64encode(json.dumps(data).encode()).decode() + "." + signature
    thief = make_client()
    thief.cookies.set("kira", forged)
    page = thief.get("/history")
    assert page.url.path == "/"


def test_undo_takes_back_a_choice_and_is_kept_as_a_step(client, classes, server):
    join(client, classes.free, "Ana")
    start = client.get("/play").text
    page = choose(client, 0, start)
    page = client.post("/undo", data={"csrf": token(client, page.text), "at": field(page.text, "at")})
    assert "taken back" in page.text
    assert page.text.split("<h1>")[1].split("</h1>")[0] == start.split("<h1>")[1].split("</h1>")[0]
    assert [s.kind for s in rows(server, StepRow)] == ["choose", "undo"]
    assert rows(server, PlaythroughRow)[0].undo_count == 1


def test_undo_is_off_when_the_assignment_says_so(client, classes, server):
    join(client, classes.strict, "Ana")
    page = choose(client)
    assert "Take back" not in page.text
    refused = client.post("/undo", data={"csrf": token(client, page.text), "at": field(page.text, "at")})
    assert refused.status_code == 403
    assert [s.kind for s in rows(server, StepRow)] == ["choose"]


def test_a_question_shows_what_the_teacher_looks_for_when_there_is_a_rubric(client, classes):
    join(client, classes.strict, "Ana")
    page = play_until(client, lambda r: 'action="/continue"' in r.text)
    page = client.post("/continue", data={"csrf": token(client, page.text), "chapter": field(page.text, "chapter")})
    assert "What your teacher looks for:" in page.text
    assert "<li>Names a moment of your own playthrough (3 points)</li>" in page.text
    assert "<li>Gives Kira&#39;s reasons in her world (2 points)</li>" in page.text  # escaped like every text
    assert 'aria-describedby="count looks-for"' in page.text


def test_the_first_page_shows_the_teacher_s_instructions(client, classes):
    page = join(client, classes.assigned, "Ana")
    assert "From your teacher" in page.text and "in your own words" in page.text


def test_a_chapter_ends_with_its_path_map_then_the_teacher_s_question(client, classes, server):
    join(client, classes.assigned, "Ana")
    page = play_until(client, lambda r: 'action="/continue"' in r.text)
    assert "Path map" in page.text and "your choice" in page.text
    page = client.post("/continue", data={"csrf": token(client, page.text), "chapter": field(page.text, "chapter")})
    assert "A question from your teacher" in page.text and "family fear" in page.text
    assert "What your teacher looks for" not in page.text  # no rubric in this class
    # the story waits for the answer: a choice posted now is refused
    assert 'name="at"' not in page.text


def test_an_answer_too_short_is_kept_as_a_draft_and_a_long_enough_one_is_handed_in(client, classes, server):
    join(client, classes.assigned, "Ana")
    page = play_until(client, lambda r: "A question from your teacher" in r.text)
    short = client.post("/answer/first", data={"csrf": token(client, page.text), "text": "Too short",
                                               "action": "submit"})
    assert short.status_code == 400 and "at least 5 words" in short.text and "Too short" in short.text
    (answer,) = rows(server, AnswerRow)
    assert answer.draft == "Too short" and answer.text is None
    text = "They feared <b>the engineers</b> would be purged, and they were right."
    page = client.post("/answer/first", data={"csrf": token(client, short.text), "text": text, "action": "submit"})
    assert 'action="/choose"' in page.text
    (answer,) = rows(server, AnswerRow)
    assert answer.text == text and answer.words == 13  # "b" twice: the tags are text like any other
    history = client.get("/history").text
    assert "&lt;b&gt;the engineers&lt;/b&gt;" in history and "<b>the engineers" not in history


def test_drafts_are_saved_as_the_student_types_and_without_script(client, classes, server):
    join(client, classes.assigned, "Ana")
    page = play_until(client, lambda r: "A question from your teacher" in r.text)
    csrf = token(client, page.text)
    saved = client.post("/draft/first", content="Half a thought", headers={"X-CSRF-Token": csrf})
    assert saved.json() == {"saved": True, "words": 3}
    assert client.post("/draft/first", content="x", headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/draft/nosuch", content="x", headers={"X-CSRF-Token": csrf}).status_code == 404
    page = client.post("/answer/first", data={"csrf": csrf, "text": "A whole thought now", "action": "draft"})
    assert "draft is saved" in page.text and "A whole thought now" in page.text
    assert rows(server, AnswerRow)[0].draft == "A whole thought now"


def test_a_free_class_plays_to_an_ending_through_every_ending_page(client, classes, server):
    join(client, classes.free, "Ana")
    page = play_until(client, lambda r: r.url.path.startswith("/ending"))
    assert page.url.path == "/ending/1" and "An ending" in page.text
    for number in (2, 3):
        assert client.get(f"/ending/{number}").status_code == 200
    summary = client.get("/summary")
    assert "how you got here" in summary.text and "%" in summary.text
    ending = server.story.scenes[rows(server, PlaythroughRow)[0].state["scene"]].ending
    assert ending is not None and ending.reflection
    questions = [q for q in summary.text.split('<ul class="reflection">')[1].split("</ul>")[0].split("<li>")[1:]]
    assert questions and all("Paragraph(" not in q and "Template(" not in q for q in questions)
    done = client.get("/done")
    assert "The end" in done.text
    (row,) = rows(server, PlaythroughRow)
    assert row.finished_at is not None and row.submission is None  # free play hands nothing in


def test_an_assignment_is_handed_in_when_the_last_question_is_answered(client, classes, server):
    join(client, classes.assigned, "Ana")

    def answering(r):  # type: ignore[no-untyped-def]
        return "A question from your teacher" in r.text or r.url.path.startswith("/ending")

    page = play_until(client, answering)
    while True:
        if page.url.path.startswith("/ending"):
            break
        qid = page.text.split('action="/answer/')[1].split('"')[0]
        client.post(f"/answer/{qid}", data={"csrf": token(client, page.text), "action": "submit",
                                            "text": "An answer of more than five words here."})
        page = play_until(client, answering)
    assert "Answer your teacher" in client.get("/summary").text
    page = client.get("/play")
    assert "What could the state not take?" in page.text
    page = client.post("/answer/last", data={"csrf": token(client, page.text), "action": "submit",
                                             "text": "Her will to live."})
    assert page.url.path == "/done" and "handed in" in page.text
    (row,) = rows(server, PlaythroughRow)
    assert row.submission["student"] == "Ana" and row.submission["assignment"]["id"] == "web_assigned"
    assert {a["question"] for a in row.submission["answers"]} == {"first", "last"}
    assert row.submission["ending"] == row.state["ending"]


def test_history_codex_and_map_pages(client, classes):
    join(client, classes.free, "Ana")
    for _ in range(3):
        choose(client)
    history = client.get("/history")
    assert history.status_code == 200 and history.text.count('class="chosen"') == 3
    codex = client.get("/codex")
    assert codex.status_code == 200 and "<h1>Codex</h1>" in codex.text
    assert client.get("/map/ch1").status_code == 200
    assert client.get("/map/ch9").status_code == 404  # not reached yet
    assert client.get("/map/nosuch").status_code == 404


def test_pages_need_a_student(client):
    for path in ("/play", "/history", "/codex", "/summary", "/done", "/map/ch1", "/ending/1"):
        assert client.get(path).url.path == "/", path


def test_settings_are_kept_for_this_browser(client, classes):
    page = client.get("/settings")
    page = client.post("/settings", data={"csrf": token(client, page.text), "contrast": "high", "text": "large",
                                          "back": "/"})
    assert '<html lang="en" class="hc big">' in page.text
    assert "-hc.jpg" in page.text
    page = join(client, classes.free, "Ana")  # joining keeps this browser's settings
    assert page.url.path == "/play" and '<html lang="en" class="hc big">' in page.text


def test_pictures_are_jpeg_and_unknown_names_are_not_found(client):
    picture = client.get("/art/street_snow.jpg")
    assert picture.status_code == 200 and picture.content[:3] == b"\xff\xd8\xff"
    assert client.get("/art/street_snow-hc.jpg").content != picture.content
    assert client.get("/art/..%2Fsecret.jpg").status_code == 404
    assert client.get("/art/no_such_place.jpg").status_code == 404
    assert client.get("/art/street_snow_night.jpg").content[:3] == b"\xff\xd8\xff"  # a place at night
    assert client.get("/art/default.jpg").status_code == 200  # what a file path or a typo is shown with
    assert client.get("/static/kira.css").status_code == 200
    summer = client.get("/art/street_snow-summer.jpg")  # the same street without snow
    assert summer.status_code == 200 and summer.content != picture.content
    assert client.get("/art/no_such_place-summer.jpg").status_code == 404


def test_the_style_sheet_and_script_are_kept_by_the_browser_until_they_change(client):
    page = client.get("/")
    for name in ("kira.css", "kira.js"):
        address = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{12}})"', page.text)
        assert address, name
        current = client.get(address.group(1))
        assert current.status_code == 200 and "immutable" in current.headers["cache-control"]
        assert client.get(f"/static/{name}").headers["cache-control"] == "no-cache"  # no version: ask again
        assert client.get(f"/static/{name}?v=000000000000").headers["cache-control"] == "no-cache"  # an old one
        again = client.get(address.group(1), headers={"if-none-match": current.headers["etag"]})
        assert again.status_code == 304


def test_a_scene_out_of_winter_shows_its_place_without_snow(client, classes, server):
    page = join(client, classes.free, "Ana")
    first = server.story.scenes[server.story.start]
    assert "Spring" in first.date and first.background  # the story opens in the spring of 1922
    assert f'src="/art/{first.background}-summer.jpg"' in page.text


def test_a_story_update_moves_a_stranded_playthrough_with_a_message(client, classes, server):
    join(client, classes.free, "Ana")
    for _ in range(2):
        choose(client)
    with Session(server.engine) as db:
        row = db.scalars(select(PlaythroughRow)).one()
        state = dict(row.state)
        state["scene"], state["steps"] = "no_such_scene", []
        row.state, row.story_hash = state, "an older story"
        db.commit()
    page = client.get("/play")
    assert "story was updated" in page.text and 'action="/choose"' in page.text
    with Session(server.engine) as db:
        assert db.scalar(select(func.count()).select_from(PlaythroughRow)
                         .where(PlaythroughRow.story_hash == server.story.content_hash)) == 1
