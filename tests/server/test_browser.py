"""Real-browser tests: Debian's chromium, driven by Playwright, against a real ``kira serve`` on 127.0.0.1.

They run on SQLite, and on PostgreSQL when KIRA_TEST_POSTGRES names a server (``.ci/run`` starts one).
Screenshots of every page at a Chromebook's 1366x768 and a phone's 390x844 are written to
$KIRA_SCREENSHOTS when it is set, to be looked at.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import chromium
from tests.server.conftest import ASSIGNMENT, drop_database, fresh_database
from tests.server.live_server import LiveServer

playwright_api = chromium.playwright_api
browser = chromium.browser  # the shared fixture: one headless chromium per module


SIZES = {"chromebook": (1366, 768), "phone": (390, 844)}
LONG_ANSWER = "Kira kept the one thing no committee could file: her own judgement of what her life was for."


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    db = fresh_database(tmp_path, "postgresql") if request.param == "postgresql" else None
    assignment = tmp_path / "assignment.yaml"
    assignment.write_text(textwrap.dedent(ASSIGNMENT.format(undo="true")))
    server = LiveServer(tmp_path / "data", db=db, assignment=assignment).start()
    yield server
    assert server.stop() == 0, "".join(server.output)
    if db:
        drop_database(db)


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("KIRA_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"{name}-{size}.png"))
    page.set_viewport_size(original)


def join(page, live: LiveServer, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live.url + "/")
    page.get_by_label("Class code").fill(live.code)
    page.get_by_label("Your name").fill(name)
    go(page, page.get_by_role("button", name="Join and play"))


def go(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Click something that loads a new page, and wait for that page."""
    with page.expect_navigation():
        locator.click()


def heading(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("h1").inner_text()


def play_by_mouse(page, shots: set[str]) -> None:  # type: ignore[no-untyped-def]
    """Click through to the hand-in page, answering every question, shooting each kind of page once."""
    for _ in range(300):
        path = page.url.split("/", 3)[3]
        if path.startswith("done"):
            return
        kind = ("map" if page.locator("form[action='/continue']").count() else
                "question" if page.locator("form.answer").count() else
                path.split("/")[0].split("?")[0] or "join")
        if kind not in shots and kind in ("play", "map", "question", "ending", "summary"):
            shots.add(kind)
            shoot(page, kind)
        if kind == "map":
            go(page, page.get_by_role("button", name="Continue the story"))
        elif kind == "question":
            page.get_by_role("textbox").fill(LONG_ANSWER)
            go(page, page.get_by_role("button", name="Hand in this answer"))
        elif kind in ("ending", "summary"):
            go(page, page.locator("main a.button.primary"))
        else:
            go(page, page.locator("button.choice:not([disabled])").first)
    raise AssertionError("no ending reached")


def test_join_play_to_an_ending_by_mouse_and_answer_the_questions(browser, live: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(live.url + "/")
    shoot(page, "join")
    join(page, live, "Ana Lima")
    assert page.url.endswith("/play")
    assert "From your teacher" in page.content()
    play_by_mouse(page, set())
    assert "handed in" in page.inner_text("main")
    shoot(page, "done")
    for path in ("history", "codex", "settings", "map/ch1"):
        page.goto(f"{live.url}/{path}")
        shoot(page, path.replace("/", "-"))
    page.close()


def tab_to(page, selector: str, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element with focus matches ``selector`` (a keyboard user's only way)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_play_to_an_ending_by_keyboard_alone(browser, live: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(live.url + "/")
    tab_to(page, "#code")
    page.keyboard.type(live.code)
    page.keyboard.press("Tab")
    page.keyboard.type("Ben Keys")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/play")
    focus_ring = None
    for _ in range(300):
        if "/done" in page.url:
            break
        if page.locator("form[action='/continue']").count():
            tab_to(page, "form[action='/continue'] button")
        elif page.locator("form.answer").count():
            tab_to(page, "textarea")
            page.keyboard.type(LONG_ANSWER)
            tab_to(page, "button[value=submit]")
        elif "/ending" in page.url or "/summary" in page.url:
            tab_to(page, "main a.button.primary")
        else:
            tab_to(page, "button.choice:not([disabled])")
            if focus_ring is None:  # the focused choice shows a visible outline
                focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "/done" in page.url and "handed in" in page.inner_text("main")
    assert focus_ring == "solid"
    page.close()


def test_a_draft_is_kept_as_the_student_types_and_after_the_browser_closes(browser, live: LiveServer) -> None:
    context = browser.new_context()
    page = context.new_page()
    join(page, live, "Chloe Draft")
    for _ in range(80):
        if page.locator("form.answer").count():
            break
        if page.locator("form[action='/continue']").count():
            go(page, page.get_by_role("button", name="Continue the story"))
        else:
            go(page, page.locator("button.choice:not([disabled])").first)
    box = page.get_by_role("textbox")
    box.press_sequentially("Half of a first thought")
    assert page.locator(".count .n").inner_text() == "5 words"
    page.locator(".count .saved").filter(has_text="draft saved").wait_for()
    question = heading(page)
    context.close()  # the browser is closed: its cookies are gone

    again = browser.new_context()
    page = again.new_page()
    join(page, live, "chloe draft")
    assert heading(page) == question
    assert page.get_by_role("textbox").input_value() == "Half of a first thought"
    again.close()


def test_closing_the_browser_and_joining_again_goes_on_at_the_same_scene(browser, live: LiveServer) -> None:
    context = browser.new_context()
    page = context.new_page()
    join(page, live, "Dmitri")
    for _ in range(3):
        go(page, page.locator("button.choice:not([disabled])").first)
    where = heading(page)
    steps = page.locator(".steps").inner_text()
    context.close()
    page = browser.new_context().new_page()
    join(page, live, "Dmitri")
    assert heading(page) == where and page.locator(".steps").inner_text() == steps == "3 choices made so far."


def test_two_tabs_never_fork_the_playthrough(browser, live: LiveServer) -> None:
    context = browser.new_context()
    first = context.new_page()
    join(first, live, "Eva Tabs")
    second = context.new_page()
    second.goto(live.url + "/play")
    assert heading(first) == heading(second)
    go(first, first.locator("button.choice:not([disabled])").first)
    moved_to = heading(first)
    go(second, second.locator("button.choice:not([disabled])").last)  # a different choice, on a stale page
    assert "out of date" in second.inner_text("main")
    assert heading(second) == moved_to
    assert re.search(r"1 choice made", second.inner_text("main"))
    context.close()


def test_high_contrast_and_larger_text_settings(browser, live: LiveServer) -> None:
    page = browser.new_page()
    join(page, live, "Fyodor")
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.text p')).fontSize)")
    page.goto(live.url + "/settings")
    page.get_by_label("High contrast (white and yellow on black)").check()
    page.get_by_label("Larger").check()
    go(page, page.get_by_role("button", name="Save settings"))
    assert page.evaluate("document.documentElement.className").split() == ["hc", "big"]
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.text p')).fontSize)")
    assert after > before * 1.15
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(255, 255, 255)"
    shoot(page, "play-high-contrast")
    page.close()


def test_pages_weigh_little_and_load_nothing_from_elsewhere(browser, live: LiveServer) -> None:
    page = browser.new_page()
    hosts, sizes = set(), []
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.on("response", lambda r: sizes.append((r.url, len(r.body()))))
    join(page, live, "Galina")
    page.wait_for_load_state("networkidle")
    assert hosts == {f"127.0.0.1:{live.port}"}
    html_and_code = sum(n for url, n in sizes if not url.endswith(".jpg"))
    assert html_and_code < 40_000, sizes
