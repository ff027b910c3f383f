"""Two workers on one database: the replays a worker keeps never override what another worker stored."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from game.server.app import Config, Server, build
from game.server.store import PlaythroughRow, StepRow
from tests.server.conftest import POSTGRES_ENV, STORY
from tests.server.helpers import field, join, token


def two_workers(url: str) -> tuple[Server, TestClient, Server, TestClient]:
    first, second = Server(Config(url, str(STORY))), Server(Config(url, str(STORY)))
    client = TestClient(build(first), follow_redirects=False)
    other = TestClient(build(second), follow_redirects=False)
    return first, client, second, other


def stored(server: Server) -> tuple[int, int, str]:
    with Session(server.engine) as db:
        row = db.scalars(select(PlaythroughRow)).one()
        steps = db.scalar(select(func.count()).select_from(StepRow)) or 0
        return row.version, steps, row.state["scene"]


def post_choice(client: TestClient, page: str, number: int = 0) -> str:
    reply = client.post("/choose", data={"csrf": token(client, page), "at": field(page, "at"), "choice": str(number)})
    assert reply.status_code == 303
    return reply.headers["location"]


def test_a_click_on_a_page_served_before_another_worker_s_change_is_refused(database):
    url, classes = database
    first, client, second, other = two_workers(url)
    try:
        join(client, classes.free, "Ana")
        other.cookies.update(client.cookies)  # the same browser, its next request served by the other worker
        page = client.get("/play").text  # the first worker serves the page, and keeps its replay
        assert post_choice(other, other.get("/play").text, 1) == "/play"  # a second tab, on the other worker
        version, steps, scene = stored(first)
        assert (version, steps) == (1, 1)

        # the first worker's kept replay is of version 0: the old page's click is refused, nothing forks
        assert post_choice(client, page, 0) == "/play?m=stale"
        assert stored(first) == (version, steps, scene)

        # and a click on the page it serves now goes on from what the other worker stored
        assert post_choice(client, client.get("/play").text, 0) == "/play"
        assert stored(first)[:2] == (2, 2)
    finally:
        first.engine.dispose()
        second.engine.dispose()


def test_a_kept_replay_is_not_used_once_a_chapter_s_map_is_due(database):
    url, classes = database
    first, client, second, other = two_workers(url)
    try:
        join(client, classes.free, "Ana")
        other.cookies.update(client.cookies)
        page = client.get("/play").text  # kept by the first worker at version 0
        with Session(first.engine) as db:  # a change behind its back that keeps the version: a map is due
            row = db.scalars(select(PlaythroughRow)).one()
            row.map_chapter = "ch1"
            db.commit()
        assert post_choice(client, page, 0) == "/play?m=stale"  # a chapter's map is due: no choice now
        assert stored(first)[:2] == (0, 0)
    finally:
        first.engine.dispose()
        second.engine.dispose()


def test_connections_the_database_dropped_cost_no_request(database, server, client):
    """PostgreSQL restarted under a running server (its connections cut): the next clicks just work."""
    url, classes = database
    if not url.startswith("postgresql"):
        pytest.skip("SQLite has no connections to drop")
    join(client, classes.free, "Ana")
    client.get("/play")
    admin = create_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        cut = connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                      "WHERE datname = :name AND pid <> pg_backend_pid()"),
                                 {"name": url.rsplit("/", 1)[1]}).all()
    admin.dispose()
    assert cut  # the server's pooled connections were there, and are gone
    page = client.get("/play")
    assert page.status_code == 200 and 'action="/choose"' in page.text
    reply = client.post("/choose", data={"csrf": token(client, page.text), "at": field(page.text, "at"),
                                         "choice": "0"}, follow_redirects=False)
    assert reply.headers["location"] == "/play"
    with Session(server.engine) as db:
        assert db.scalar(select(func.count()).select_from(StepRow)) == 1
