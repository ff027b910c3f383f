"""Classes, students, playthroughs with their steps and answers, join attempts, server values.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("story_id", sa.String(100), nullable=False),
        sa.Column("assignment_id", sa.String(100), nullable=True),
        sa.Column("assignment_hash", sa.String(64), nullable=True, index=True),
        sa.Column("assignment_yaml", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("closed_at", WHEN, nullable=True),
    )
    op.create_table(
        "students",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("class_id", sa.Integer(), sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("school_id", sa.String(80), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("class_id", "name_key"),
    )
    op.create_table(
        "playthroughs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("student_id", sa.Integer(), sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("class_id", sa.Integer(), sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("story_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("aftermath", sa.Text(), nullable=False),
        sa.Column("map_chapter", sa.String(100), nullable=True),
        sa.Column("notice", sa.Text(), nullable=False),
        sa.Column("undo_count", sa.Integer(), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("submission", sa.JSON(), nullable=True),
    )
    op.create_table(
        "steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("playthrough_id", sa.Integer(), sa.ForeignKey("playthroughs.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("scene", sa.String(100), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("novel", sa.Boolean(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.UniqueConstraint("playthrough_id", "number"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("playthrough_id", sa.Integer(), sa.ForeignKey("playthroughs.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("question", sa.String(100), nullable=False),
        sa.Column("draft", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.UniqueConstraint("playthrough_id", "question"),
    )
    op.create_table(
        "join_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client", sa.String(64), nullable=False, index=True),
        sa.Column("at", WHEN, nullable=False, index=True),
    )


def downgrade() -> None:
    for table in ("join_attempts", "answers", "steps", "playthroughs", "students", "classes", "meta"):
        op.drop_table(table)
