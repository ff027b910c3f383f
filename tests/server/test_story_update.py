"""A writer edits the story between two starts of kira serve: no student is stranded, nothing is lost."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from game.server.app import Config, Server, build
from game.server.store import PlaythroughRow, StepRow
from tests.server.conftest import STORY, Classes
from tests.server.helpers import choose, join

CHAPTER_ONE = Path("part1") / "ch1_return.yaml"


def start(url: str, story: Path) -> tuple[Server, TestClient]:
    server = Server(Config(url, str(story)))
    return server, TestClient(build(server))


def played_two_steps(database: tuple[str, Classes], tmp_path: Path) -> tuple[Path, Server, TestClient]:
    """A copy of the story served, and a student two choices in (at the family council, in chapter one)."""
    url, classes = database
    story = tmp_path / "story"
    shutil.copytree(STORY, story)
    server, client = start(url, story)
    join(client, classes.free, "Ana")
    choose(client)
    choose(client)
    assert "Your future is settled" in client.get("/play").text
    return story, server, client


def restart(url: str, story: Path, old: Server, old_client: TestClient) -> tuple[Server, TestClient]:
    """kira serve stopped and started again on the edited story; the student's browser keeps its cookie."""
    old.engine.dispose()
    server, client = start(url, story)
    client.cookies.update(old_client.cookies)
    return server, client


def stored(server: Server) -> tuple[str, int, int]:
    with Session(server.engine) as db:
        row = db.scalars(select(PlaythroughRow)).one()
        steps = db.scalar(select(func.count()).select_from(StepRow).where(StepRow.playthrough_id == row.id)) or 0
        return row.story_hash, row.version, steps


def test_an_edited_scene_text_is_read_where_the_student_was(database, tmp_path):
    story, server, client = played_two_steps(database, tmp_path)
    old_hash = server.story.content_hash
    chapter = story / CHAPTER_ONE
    chapter.write_text(chapter.read_text().replace(
        "Your future is settled, in your mother's mind,", "Over the millet porridge your mother settles your future:"))
    server, client = restart(database[0], story, server, client)
    assert server.story.content_hash != old_hash

    page = client.get("/play")
    assert "Over the millet porridge your mother settles your future" in page.text
    assert "story was updated" not in page.text  # the place is still there: no message, nothing moved
    story_hash, version, steps = stored(server)
    assert story_hash == server.story.content_hash and steps == 2
    after = choose(client)  # and the student plays on
    assert after.status_code == 200 and "stale" not in str(after.url) and stored(server)[2] == 3


def test_a_removed_scene_moves_the_student_to_the_chapter_start_with_a_message(database, tmp_path):
    story, server, client = played_two_steps(database, tmp_path)
    for path in story.rglob("*.yaml"):  # the family council scene renamed: the place the student reached is gone
        text = path.read_text()
        if "family_council" in text:
            path.write_text(re.sub(r"\bfamily_council\b", "family_supper", text))
    server, client = restart(database[0], story, server, client)

    page = client.get("/play")
    assert "story was updated" in page.text and "Chapter One" in page.text
    assert 'action="/choose"' in page.text
    story_hash, version, steps = stored(server)
    assert story_hash == server.story.content_hash
    assert steps == 2 and version == 3  # the steps already taken stay stored; the move is a change of its own

    page = choose(client)
    assert "stale" not in str(page.url) and stored(server)[2] == 3
    assert "story was updated" not in page.text  # the message is shown until the next choice, then gone
