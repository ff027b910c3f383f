"""The teacher's pages in Debian's chromium against a real ``kira serve``: sign in, make a class with a class
list, watch two students (two browser contexts) pick their names and play, grade with the rubric, export,
delete the class. Screenshots of each teacher page at 1366x768 go to $KIRA_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import chromium
from tests.server.conftest import drop_database, fresh_database
from tests.server.live_server import ROOT, LiveServer

playwright_api = chromium.playwright_api
browser = chromium.browser  # the shared fixture: one headless chromium per module

expect = playwright_api.expect

PASSWORD = "correct horse battery"
ROSTER = "Ana Lima, 1001\nBoris Petrov, 1002\nZoë Ñúñez, Jr., 1003"
ANSWER = ("Her family feared that a girl who wanted to build bridges would find no place in the new order, "
          "and that her stubbornness would cost them all. They were right about the danger, but Kira did not "
          "choose for them; she chose the work she could love, and that was hers to decide.")


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    db = fresh_database(tmp_path, "postgresql") if request.param == "postgresql" else None
    server = LiveServer(tmp_path / "data", db=db)
    server.start()
    yield server
    assert server.stop() == 0, "".join(server.output)
    if db:
        drop_database(db)


def shoot(page, name: str, whole: bool = False) -> None:  # type: ignore[no-untyped-def]
    """The 1366x768 window as the teacher sees it (``whole``: the whole page, scrolled, as well)."""
    folder = os.environ.get("KIRA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"teacher-{name}.png"))
        if whole:
            page.screenshot(path=str(Path(folder) / f"teacher-{name}-whole.png"), full_page=True)


def go(page, locator) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        locator.click()


def add_teacher(live: LiveServer, name: str) -> None:
    """``kira serve --add-teacher`` with the password on standard input, on the server's own database."""
    command = [sys.executable, "-m", "game", "serve", "--add-teacher", name]
    if live.db:
        command += ["--db", live.db]
    env = dict(os.environ, KIRA_SERVE_DIR=str(live.data_dir), SDL_VIDEODRIVER="dummy")
    done = subprocess.run(command, cwd=ROOT, env=env, input=PASSWORD + "\n", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr


def sign_in(page, live: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(live.url + "/teacher")
    assert page.url.endswith("/teacher/signin?next=/teacher")
    shoot(page, "signin")
    page.get_by_label("Name").fill("Ms Rivera")
    page.get_by_label("Password").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Sign in"))
    assert page.url.endswith("/teacher")


def student_joins(context, live: LiveServer, code: str, name: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(live.url + "/")
    page.get_by_label("Class code").fill(code)
    go(page, page.get_by_role("button", name="Join and play"))
    assert page.locator("h1").inner_text() == "Who are you?"
    shoot(page, "student-picks-a-name")
    go(page, page.get_by_role("button", name=name))
    assert page.url.endswith("/play")
    return page


def play_to_first_question(page) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if page.locator("form.answer").count():
            return
        if page.locator("form[action='/continue']").count():
            go(page, page.get_by_role("button", name="Continue the story"))
        else:
            go(page, page.locator("button.choice:not([disabled])").first)
    raise AssertionError("no question reached")


def test_a_teacher_runs_a_class_in_the_browser(browser, live: LiveServer, tmp_path: Path) -> None:
    add_teacher(live, "Ms Rivera")
    teacher = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = teacher.new_page()
    sign_in(page, live)
    shoot(page, "classes-empty")

    # a class with a pasted class list, on the shipped assignment (which has a rubric)
    go(page, page.get_by_role("link", name="Make a new class"))
    page.get_by_label("Title").fill("10B History")
    page.get_by_label("Names, one a line").fill(ROSTER)
    page.get_by_label("refuse it").check()
    shoot(page, "new-class")
    go(page, page.get_by_role("button", name="Make the class"))
    assert page.locator("h1").inner_text() == "10B History"
    code, class_url = page.locator(".big-code").inner_text(), page.url
    rows = page.locator("#live tbody tr")
    assert rows.count() == 3 and page.locator("#live").inner_text().count("not started") == 3

    # two students in their own browsers pick their names and play; the class page follows without a reload
    size = {"width": 1366, "height": 768}
    ana_context, boris_context = browser.new_context(viewport=size), browser.new_context(viewport=size)
    ana = student_joins(ana_context, live, code, "Ana Lima")
    boris = student_joins(boris_context, live, code, "Boris Petrov")
    go(boris, boris.locator("button.choice:not([disabled])").first)
    expect(page.locator("#live tbody tr.playing")).to_have_count(2, timeout=20_000)
    assert "not started" in page.locator("tr", has_text="Zoë Ñúñez, Jr.").inner_text()
    play_to_first_question(ana)
    ana.get_by_role("textbox").fill(ANSWER)
    go(ana, ana.get_by_role("button", name="Hand in this answer"))
    expect(page.locator("#live tr", has_text="Ana Lima")).to_contain_text("1 of 5", timeout=20_000)
    shoot(page, "class")
    page.goto(live.url + "/teacher/password")
    shoot(page, "password")
    page.goto(class_url)

    # a student who arrives mid-term is added to the list, and finds their name among the buttons
    page.get_by_text("Add names to the class list").click()
    page.get_by_label("Names, one a line").fill("Dana Cole, 1004")
    shoot(page, "add-names")
    go(page, page.get_by_role("button", name="Add to the list"))
    assert "1 name added to the class list" in page.locator("[role=status]").inner_text()
    expect(page.locator("#live tbody tr")).to_have_count(4)
    dana_context = browser.new_context(viewport=size)
    student_joins(dana_context, live, code, "Dana Cole")
    dana_context.close()
    page.goto(live.url + "/teacher")
    shoot(page, "classes")
    go(page, page.get_by_role("link", name="10B History"))

    # grading: points typed are saved without a button, and are there after a reload
    go(page, page.get_by_role("link", name="Ana Lima"))
    assert ANSWER[:40] in page.inner_text("main")
    shoot(page, "student")
    page.locator("#path-h").scroll_into_view_if_needed()
    shoot(page, "student-path")
    card = page.locator("#q-career")
    card.get_by_label("Points to a moment of your own playthrough").fill("3")
    card.get_by_label("Comment").fill("Clear, and true to her family's fears.")
    card.locator(".saved", has_text="saved").wait_for(timeout=10_000)
    page.reload()
    card = page.locator("#q-career")
    assert card.get_by_label("Points to a moment of your own playthrough").input_value() == "3"
    assert card.get_by_label("Comment").input_value() == "Clear, and true to her family's fears."
    shoot(page, "student-graded", whole=True)
    page.emulate_media(media="print")  # printed: the answers and grades, without the navigation and buttons
    assert not page.locator("header.bar").is_visible() and page.locator("#q-career").is_visible()
    page.emulate_media(media="screen")

    # the report, a transcript and the exports
    class_url = page.url.rsplit("/students/", 1)[0]
    page.goto(class_url + "/report")
    assert "Ana Lima" in page.inner_text("body")
    shoot(page, "report", whole=True)
    page.goto(class_url + "/exports")
    shoot(page, "exports")
    with page.expect_download() as info:
        page.get_by_role("link", name="moodle.csv").click()
    saved = tmp_path / "moodle.csv"
    info.value.save_as(saved)
    rows_read = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig")), dialect="excel"))
    assert {r["Full name"]: r["ID number"] for r in rows_read}["Ana Lima"] == "1001"

    # deleting the class, after a confirm page
    page.goto(class_url)
    go(page, page.get_by_role("link", name="Delete the class…"))
    shoot(page, "delete")
    go(page, page.get_by_role("button", name="Delete for good"))
    assert "10B History" not in page.inner_text("main") and "were deleted" in page.inner_text("main")
    ana.reload()  # the student's own page: the class and her playthrough are gone
    assert ana.url.endswith("/")
    for context in (ana_context, boris_context, teacher):
        context.close()


def test_the_first_teacher_is_made_on_the_setup_page_from_this_computer(browser, live: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(live.url + "/teacher")
    assert page.url.endswith("/teacher/setup")
    shoot(page, "setup")
    page.get_by_label("Your name").fill("Ms Rivera")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Make the account"))
    assert page.url.endswith("/teacher") and "Your classes" in page.inner_text("main")
    page.goto(live.url + "/teacher/setup")
    assert page.url.endswith("/teacher/signin")
    page.close()
