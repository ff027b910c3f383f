"""Opening a class before the server starts: the database brought up to date, the class found or made."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from game.server import migrate
from game.server.play import (  # the engine's types come through play.py, the server's one door to it
    Story,
    read_assignment,
)
from game.server.store import Class, Student, make_engine, new_code, next_class_id


def open_class(engine: Engine, story: Story, assignment_file: Path | None, title: str = "") -> tuple[str, str]:
    """The class for this assignment (or for free play): the open one made before, or a new one.

    A class is found again by its assignment's exact text, so restarting ``kira serve`` with the same
    file keeps the code on the board; an edited file opens a new class (its students' work stays with
    the version they were given). Returns (code, title).
    """
    assignment, text = read_assignment(assignment_file, story) if assignment_file else (None, None)
    digest = hashlib.sha256(text.encode()).hexdigest() if text is not None else None
    with Session(engine) as db:
        query = select(Class).where(Class.closed_at.is_(None), Class.story_id == story.id,
                                    Class.teacher_id.is_(None))  # a teacher's own classes are made on their pages
        query = query.where(Class.assignment_hash == digest) if digest else query.where(Class.assignment_hash.is_(None))
        klass = db.scalars(query.order_by(Class.id)).first()
        if klass is None:
            klass = Class(id=next_class_id(db), code=new_code(), story_hash=story.content_hash,
                          title=title or (assignment.title if assignment else "Free play"),
                          story_id=story.id, assignment_id=assignment.id if assignment else None,
                          assignment_hash=digest, assignment_yaml=text)
            db.add(klass)
            db.commit()
        return klass.code, klass.title


def open_classes(engine: Engine, story_id: str) -> list[tuple[str, str]]:
    """(code, title) of every open class of the story, oldest first: what the server can be joined with."""
    with Session(engine) as db:
        rows = db.execute(select(Class.code, Class.title).where(Class.closed_at.is_(None), Class.story_id == story_id)
                          .order_by(Class.id))
        return [(code, title) for code, title in rows]


def prepare(url: str, story: Story, assignment_file: Path | None, title: str = "",
            ) -> tuple[str, str, str, list[tuple[str, str]]]:
    """Migrate the database at ``url`` and open the class: (code, title, the URL shown without its password,
    every other open class as (code, title))."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        code, title = open_class(engine, story, assignment_file, title)
        others = [c for c in open_classes(engine, story.id) if c[0] != code]
        return code, title, engine.url.render_as_string(hide_password=True), others
    finally:
        engine.dispose()


def roster_names(db: Session, class_id: int) -> dict[str, str]:
    """The class list the teacher gave, as name key -> name in alphabetical order (empty: no list)."""
    rows = db.execute(select(Student.name_key, Student.name).where(Student.class_id == class_id,
                                                                  Student.on_roster.is_(True))
                      .order_by(Student.name_key))
    return {key: name for key, name in rows}
