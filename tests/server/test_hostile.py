"""Story files come from strangers: nothing in them becomes markup or script in the browser."""

from __future__ import annotations

import shutil
from pathlib import Path

from starlette.testclient import TestClient

from game.loader.story import load_story
from game.server.app import Config, Server, build
from game.server.classes import prepare
from tests.server.helpers import join

TINY = Path(__file__).parent.parent / "fixtures" / "tiny"


def test_markup_in_a_story_is_shown_as_text(tmp_path: Path) -> None:
    story_dir = tmp_path / "story"
    shutil.copytree(TINY, story_dir)
    scenes = story_dir / "scenes.yaml"
    scenes.write_text(scenes.read_text()
                      .replace("A cold hall.", "<script>alert(1)</script> <img src=x onerror=alert(2)>")
                      .replace("label: Be brave", "label: \"Be <b onclick='x()'>brave</b>\"")
                      .replace("title: The Hall", "title: \"</title><script>t()</script>\""))
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    code, *_ = prepare(url, load_story(story_dir), None)
    server = Server(Config(url, str(story_dir)))
    client = TestClient(build(server))
    page = join(client, code, "Ana").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "Be &lt;b onclick=&#39;x()&#39;&gt;brave&lt;/b&gt;" in page
    assert "<script>t()" not in page
    assert page.count("<script") == 1  # the server's own script file, nothing else
    server.engine.dispose()
