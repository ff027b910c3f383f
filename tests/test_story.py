"""The shipped story: it loads cleanly, every part is reachable, and the novel's path ends as the novel does."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from conftest import SHIPPED

from game.engine import Playthrough
from game.loader import load_story

ENDINGS = {"unconquered", "airtight", "living_dead", "siberia", "exception", "word_i"}


@pytest.fixture(scope="module")
def story():
    return load_story(SHIPPED)


def novel_path(story) -> Playthrough:
    """Always take the choice the novel's Kira made (else the first one offered)."""
    play = Playthrough(story, clock=False)
    while not play.is_over:
        options = play.choices()
        pick = next((i for i, view in enumerate(options) if view.novel), 0)
        play.choose(pick)
    return play


def test_has_every_ending(story):
    assert {scene.id for scene in story.endings} == ENDINGS


def test_novel_path_reaches_the_novel_ending(story):
    play = novel_path(story)
    assert play.ending.id == "unconquered"
    assert len(play.steps) >= 25


def test_size_and_shape(story):
    scenes = [s for s in story.scenes.values() if not s.is_router and not s.is_ending]
    part_one = [s for s in scenes if story.chapters[s.chapter].part == 1]
    part_two = [s for s in scenes if story.chapters[s.chapter].part == 2]
    assert len(part_one) >= 30 and len(part_two) >= 30
    assert len({s.chapter for s in part_one}) >= 5
    words = sum(len(" ".join(p.text.raw for p in s.paragraphs).split()) for s in scenes)
    assert words / len(scenes) >= 150
    multi = sum(len(s.choices) >= 2 for s in scenes)
    assert multi / len(scenes) > 0.7
    assert all(chapter.reflection for chapter in story.chapters.values())


def test_codex_is_complete(story):
    kinds = Counter(entry.kind for entry in story.codex.values())
    assert kinds["glossary"] >= 20 and kinds["character"] >= 10
    unlocked = {entry for scene in story.scenes.values() for entry in scene.unlocks}
    assert unlocked == set(story.codex), set(story.codex) ^ unlocked


def test_endings_have_every_part(story):
    for scene in story.endings:
        ending = scene.ending
        assert ending.epilogue and ending.state_took and ending.could_not_take and ending.novel
        assert len(ending.reflection) >= 2


def test_random_play_reaches_varied_endings_without_dead_ends(story):
    rng = random.Random(2024)
    play = Playthrough(story, clock=False)
    counts: Counter[str] = Counter()
    runs = 2000
    for _ in range(runs):
        play.restart()
        while not play.is_over:
            options = play.choices()
            assert options, f"dead end at {play.scene_id}"
            play.choose(rng.randrange(len(options)))
        counts[play.ending.id] += 1
    assert max(counts.values()) <= runs / 2, counts
    assert sum(n >= runs * 0.03 for n in counts.values()) >= 4, counts


def test_example_assignment_fits_the_shipped_story(story):
    from conftest import ROOT

    from game.classroom.assignment import load_assignment

    for path in (ROOT / "classroom" / "examples").glob("*.yaml"):
        assignment = load_assignment(path, story)
        assert assignment.story == story.id and assignment.questions
