"""Bring a database's schema up to date with Alembic, before any worker starts."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Run every migration the database lacks (nothing when it is current)."""
    cfg = config()
    with engine.connect().execution_options(writing=True) as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        connection.commit()


def head() -> str:
    """The newest migration shipped with this version of kira."""
    return str(ScriptDirectory.from_config(config()).get_current_head())
