"""Shared fixtures: small stories written on the fly, and the shipped ones."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from game.loader.story import check_story, load_story
from game.runtime.playthrough import Playthrough

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "story" / "we_the_living"

STORY_YAML = """\
id: t
title: T
author: A
start: a
content_note: None.
variables:
  n: {default: 5, min: 0, max: 10, description: "a number"}
  flag: {default: false, description: "a flag"}
  word: {default: "x", description: "a word"}
"""


@pytest.fixture(autouse=True)
def _isolated_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's saves or story cache."""
    monkeypatch.setenv("KIRA_SAVE_DIR", str(tmp_path / "saves"))
    monkeypatch.setenv("KIRA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def headless_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """SDL without a screen or sound card, settings in a temporary folder; the display closed after."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("KIRA_CONFIG_DIR", str(tmp_path / "config"))
    yield
    import pygame

    pygame.display.quit()


@pytest.fixture
def make_story(tmp_path: Path):
    """Write a story folder from YAML strings: make_story({"scenes.yaml": "..."}) -> Path."""

    def make(files: dict[str, str], story_yaml: str = STORY_YAML) -> Path:
        root = tmp_path / "story"
        root.mkdir(exist_ok=True)
        (root / "story.yaml").write_text(textwrap.dedent(story_yaml))
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return root

    return make


@pytest.fixture
def problems(make_story):
    """Load files and return the diagnostics."""

    def run(files: dict[str, str], story_yaml: str = STORY_YAML):
        _, found = check_story(make_story(files, story_yaml))
        return found

    return run


@pytest.fixture
def tiny():
    return load_story(FIXTURES / "tiny")


@pytest.fixture(params=["plain", "json_round_trip"])
def fresh(request):
    """Each engine test runs twice (ink's JSON round-trip mode): once plainly, and once with the
    playthrough saved to JSON and restored after every choice and undo, so saving can never drift
    from playing."""

    class Driver:
        def __init__(self, story, **options):
            self.play = Playthrough(story, **({"seed": 7} | options))

        def _round_trip(self) -> None:
            if request.param == "json_round_trip":
                data = json.loads(json.dumps(self.play.to_dict()))
                self.play = Playthrough.from_dict(self.play.story, data)
                assert self.play.to_dict() == data

        def choose(self, index: int):
            turn = self.play.choose(index)
            self._round_trip()
            return turn

        def undo(self) -> bool:
            done = self.play.undo()
            self._round_trip()
            return done

    return Driver


def saves_folder(root: Path, story_dir: Path = FIXTURES / "tiny") -> Path:
    """The folder that keeps a story's saves under ``root`` (its id plus a fingerprint of where it lives)."""
    from game.session.saves import story_folder

    return story_folder(load_story(story_dir), root)
