"""Upgrading a database made by an older kira serve keeps every student's work (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from game.server import migrate
from game.server.store import make_engine
from tests.server.conftest import drop_database, fresh_database


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_from_the_first_schema_keeps_classes_students_and_steps(tmp_path: Path, backend: str) -> None:
    url = fresh_database(tmp_path, backend)
    engine = make_engine(url)
    try:
        config = migrate.config()
        with engine.connect().execution_options(writing=True) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
            connection.execute(text("INSERT INTO classes (id, code, title, story_id, created_at) "
                                    "VALUES (1, 'AAAAA-BBBBB', 'Old', 'we_the_living', CURRENT_TIMESTAMP)"))
            connection.execute(text("INSERT INTO students (id, class_id, name, name_key, created_at) "
                                    "VALUES (1, 1, 'Ana', 'ana', CURRENT_TIMESTAMP)"))
            connection.commit()
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT title, teacher_id, unknown_names FROM classes")).all() == [
                ("Old", None, "allow")]
            assert connection.execute(text("SELECT name, on_roster FROM students")).all() == [("Ana", False)]
            assert connection.execute(text("SELECT count(*) FROM teachers")).scalar() == 0
    finally:
        engine.dispose()
        drop_database(url)
