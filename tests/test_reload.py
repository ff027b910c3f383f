"""Reloading a story during play: the player keeps their place, broken edits change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from rich.console import Console

from game.loader.story import load_story
from game.loader.watch import StoryWatch, reload_play
from game.runtime.playthrough import Playthrough
from game.ui.terminal import TerminalPlayer


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_watch_sees_edits_new_files_and_removals_once(story_dir):
    watch = StoryWatch(story_dir)
    assert not watch.changed()
    _edit(story_dir / "scenes.yaml", "A cold hall.", "A freezing hall.")
    assert watch.changed() and not watch.changed()
    (story_dir / "more.yaml").write_text("codex: []\n")
    assert watch.changed()
    (story_dir / "more.yaml").unlink()
    assert watch.changed()


def test_an_edit_keeps_the_steps_and_shows_the_new_text(story_dir):
    play = Playthrough(load_story(story_dir))
    play.choose(0)
    _edit(story_dir / "scenes.yaml", "The yard is empty.", "The yard is full of snow.")
    result = reload_play(play, story_dir)
    assert not result.failed and result.play.scene_id == "yard"
    assert result.play.text()[0] == "The yard is full of snow."
    assert len(result.play.steps) == 1 and result.play.can_undo
    assert result.play.variables == play.variables


def test_a_broken_edit_changes_nothing_and_names_the_line(story_dir):
    play = Playthrough(load_story(story_dir))
    play.choose(0)
    _edit(story_dir / "scenes.yaml", "        to: fate\n        novel: true", "        to: fat\n        novel: true")
    result = reload_play(play, story_dir)
    assert result.failed and result.play is play and result.story is play.story
    assert any("scenes.yaml" in d.pos.path and d.pos.line > 0 and "fat" in d.message for d in result.problems)


def test_a_removed_scene_sends_the_player_to_its_chapter_start(story_dir):
    play = Playthrough(load_story(story_dir))
    play.choose(0)
    scenes = story_dir / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("id: yard", "id: courtyard").replace("to: yard", "to: courtyard"))
    result = reload_play(play, story_dir)
    assert not result.failed and "start of its chapter" in result.note
    assert result.play.scene_id == "courtyard"
    assert result.play.variables["courage"] == play.variables["courage"]


def test_the_terminal_player_reloads_when_the_files_change(story_dir, tmp_path):
    lines = iter(["", "1", "", "q"])
    scenes = story_dir / "scenes.yaml"

    def read_line() -> str | None:
        line = next(lines, None)
        if line == "1":
            _edit(scenes, "A cold hall.", "A hall with frost on the inside of the windows.")
        return line

    console = Console(record=True, width=100, color_system=None)
    story = load_story(story_dir)
    player = TerminalPlayer(story, console=console, read_line=read_line, watch=StoryWatch(story_dir))
    player.run()
    out = console.export_text()
    assert "Reloaded the story." in out and "Your answer \"1\" was not taken" in out
    assert "frost on the inside" in out and out.index("A cold hall.") < out.index("frost on the inside")
    assert player.play.scene_id == "hall" and player.story is not story


def test_the_terminal_reload_command_reports_errors_and_keeps_playing(story_dir):
    lines = iter(["r", "1", "", "q"])
    _edit(story_dir / "scenes.yaml", "default: coward", "default: cowardd")
    console = Console(record=True, width=120, color_system=None)
    story = load_story(FIXTURES / "tiny")
    player = TerminalPlayer(story, console=console, read_line=lambda: next(lines, None),
                            watch=StoryWatch(story_dir))
    player.run()
    out = " ".join(console.export_text().split())
    assert "unknown" in out and "cowardd" in out and "nothing changed" in out
    assert player.play.scene_id == "yard"


def test_an_answer_typed_as_a_broken_edit_is_read_is_not_taken(story_dir):
    lines = iter(["1", "1", "", "q"])
    scenes = story_dir / "scenes.yaml"

    def read_line() -> str | None:
        line = next(lines, None)
        if line == "1" and "cowardd" not in scenes.read_text():
            _edit(scenes, "default: coward", "default: cowardd")  # saved just before the player pressed Enter
        return line

    console = Console(record=True, width=120, color_system=None)
    player = TerminalPlayer(load_story(story_dir), console=console, read_line=read_line, watch=StoryWatch(story_dir))
    player.run()
    out = " ".join(console.export_text().split())
    assert "nothing changed" in out and "Your answer \"1\" was not taken: fix the file first" in out
    assert player.play.steps[0].label == "Be brave" and len(player.play.steps) == 1  # the second 1 was taken
