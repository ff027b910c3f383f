"""A server on a temporary SQLite file (or PostgreSQL when KIRA_TEST_POSTGRES names one), with two classes."""

from __future__ import annotations

import os
import re
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="kira serve's dependencies (the 'serve' extra) are not installed")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.exc import OperationalError, ProgrammingError  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from game.server import migrate  # noqa: E402
from game.server.app import Config, Server, build  # noqa: E402
from game.server.store import make_engine  # noqa: E402

ROOT = Path(__file__).parent.parent.parent
STORY = ROOT / "story" / "we_the_living"
POSTGRES_ENV = "KIRA_TEST_POSTGRES"

ASSIGNMENT = """\
id: web_test
title: "A web test"
story: we_the_living
min_words: 5
allow_undo: {undo}
instructions: Play to the end and answer in your own words.
questions:
  - id: first
    at: chapter_end
    chapter: ch1
    text: "What did Kira's family fear about her choice?"
  - id: last
    at: ending
    text: "What could the state not take?"
    min_words: 3
"""


RUBRIC = """\
rubric:
  - {id: moment, text: "Names a moment of your own playthrough", points: 3}
  - {id: reasons, text: "Gives Kira's reasons in her world", points: 2}
"""


@dataclass
class Classes:
    free: str
    assigned: str
    strict: str  # undo off


def fresh_database(tmp_path: Path, backend: str = "sqlite") -> str:
    """A new empty database: a SQLite file, or a new PostgreSQL database on the server KIRA_TEST_POSTGRES names."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against (.ci/run starts one)")
    name = "kira_test_" + re.sub(r"\W", "", tmp_path.name).lower()[-40:]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    for attempt in range(5):  # CREATE DATABASE fails while another session briefly holds template1
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            break
        except (OperationalError, ProgrammingError):
            if attempt == 4:
                raise
            time.sleep(0.5)
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    """Remove a test database made by :func:`fresh_database` on PostgreSQL (a SQLite file goes with tmp_path)."""
    if url.startswith("sqlite"):
        return
    base = os.environ[POSTGRES_ENV]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def open_classes(url: str, tmp_path: Path) -> Classes:
    from game.loader.story import load_story
    from game.server.classes import open_class

    story = load_story(STORY)
    engine = make_engine(url)
    migrate.upgrade(engine)
    codes = []
    for name, undo in (("assigned", "true"), ("strict", "false")):
        path = tmp_path / f"{name}.yaml"
        text = textwrap.dedent(ASSIGNMENT.format(undo=undo)).replace("web_test", f"web_{name}")
        if name == "strict":  # graded by a rubric, which its students see under each question
            text = text.replace("questions:\n", RUBRIC + "questions:\n", 1)
        path.write_text(text)
        codes.append(open_class(engine, story, path, "")[0])
    free = open_class(engine, story, None, "")[0]
    engine.dispose()
    return Classes(free, *codes)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Classes]]:
    """Every route test runs on SQLite, and on PostgreSQL when KIRA_TEST_POSTGRES is set."""
    url = fresh_database(tmp_path, request.param)
    yield url, open_classes(url, tmp_path)
    drop_database(url)


@pytest.fixture
def server(database: tuple[str, Classes]) -> Iterator[Server]:
    url, _ = database
    srv = Server(Config(url, str(STORY)))
    yield srv
    srv.engine.dispose()


@pytest.fixture
def classes(database: tuple[str, Classes]) -> Classes:
    return database[1]


@pytest.fixture
def client(server: Server) -> TestClient:
    return TestClient(build(server))


@pytest.fixture
def make_client(server: Server):  # type: ignore[no-untyped-def]
    """Another browser (its own cookies) on the same server."""
    app = build(server)
    return lambda: TestClient(app)
