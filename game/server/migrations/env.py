"""Alembic's entry point: migrations run on a connection that :func:`game.server.migrate.upgrade` passes in."""

from alembic import context

from game.server.store import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
