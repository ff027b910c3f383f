"""Teachers, the classes they own (with the story version and the roster setting), roster students, grades.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "teachers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    # Plain ADD COLUMNs, never a copy of the table: on SQLite a copy drops the old table, and with foreign
    # keys on, dropping "classes" would cascade to every student's work.
    if op.get_bind().dialect.name == "sqlite":  # SQLite takes the reference inside ADD COLUMN itself
        op.execute("ALTER TABLE classes ADD COLUMN teacher_id INTEGER REFERENCES teachers (id) ON DELETE SET NULL")
    else:
        op.add_column("classes", sa.Column("teacher_id", sa.Integer(),
                                           sa.ForeignKey("teachers.id", ondelete="SET NULL"), nullable=True))
    op.add_column("classes", sa.Column("story_hash", sa.String(64), nullable=True))
    op.add_column("classes", sa.Column("unknown_names", sa.String(10), nullable=False, server_default="allow"))
    op.create_index("ix_classes_teacher_id", "classes", ["teacher_id"])
    op.add_column("students", sa.Column("on_roster", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("students", sa.Column("email", sa.String(200), nullable=True))
    op.create_table(
        "grades",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("student_id", sa.Integer(), sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("class_id", sa.Integer(), sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("question", sa.String(100), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.UniqueConstraint("student_id", "question"),
    )


def downgrade() -> None:
    op.drop_table("grades")
    op.drop_column("students", "email")
    op.drop_column("students", "on_roster")
    op.drop_index("ix_classes_teacher_id", "classes")
    for column in ("unknown_names", "story_hash", "teacher_id"):
        op.drop_column("classes", column)
    op.drop_table("teachers")
