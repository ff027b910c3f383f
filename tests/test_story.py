"""The shipped story: it loads cleanly, every part is reachable, and the novel's path ends as the novel does."""

from __future__ import annotations

import importlib.util
import random
import statistics
import sys
from collections import Counter

import pytest
from conftest import ROOT, SHIPPED

from game.loader.story import load_story
from game.runtime.playthrough import Playthrough

ENDINGS = {"unconquered", "airtight", "living_dead", "siberia", "exception", "word_i"}


# Every beat of the bible's novel path (STORY_BIBLE.md, items 1 to 22) and the scenes that carry it.
BEATS = {
    1: ["return_station"], 2: ["family_council"], 3: ["neva_embankment"], 4: ["night_street", "leo_confession"],
    5: ["student_meeting"], 6: ["gpu_summons"], 7: ["soap_and_salt"], 8: ["leo_plan", "the_harbour"],
    9: ["mother_verdict"], 10: ["house_committee"], 11: ["purge_hearing"], 12: ["victor_report"],
    13: ["commissar_appeal", "the_bargain", "andrei_room", "leo_departs"], 14: ["leo_returns", "syerov_shop"],
    15: ["the_ideal_itself"], 16: ["irina_drawings", "victor_refuses", "vasili_promise"], 17: ["andrei_abroad"],
    18: ["two_warnings", "warning_leo"], 19: ["the_search", "andrei_alone"],
    20: ["party_meeting", "andrei_goodbye", "the_funeral"], 21: ["leo_leaves"], 22: ["the_road_west", "train_west"],
}


@pytest.fixture(scope="module")
def story():
    return load_story(SHIPPED)


@pytest.fixture(scope="module")
def reading():
    """bench/story_reading.py, loaded by its path (bench/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("story_reading", ROOT / "bench" / "story_reading.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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


def test_random_play_reaches_every_ending_in_fair_shares_and_reads_in_time(story, reading):
    rng = random.Random(2024)

    def pick(options):
        assert options, "a scene offered no choice (a dead end)"
        return rng.randrange(len(options))

    runs = 2000
    paths = [reading.read_path(story, pick) for _ in range(runs)]
    counts = Counter(path.ending for path in paths)
    assert set(counts) == ENDINGS, counts
    assert max(counts.values()) <= runs / 2, counts
    assert sum(n >= runs * 0.03 for n in counts.values()) >= 4, counts
    assert 24 <= statistics.median(path.minutes for path in paths) <= 38
    assert statistics.median(path.scenes for path in paths) >= 25


def test_novel_path_reads_in_24_to_38_minutes(story, reading):
    path = reading.novel_reading(story)
    assert path.ending == "unconquered"
    assert 24 <= path.minutes <= 38, path.total
    assert path.scenes >= 25


def test_novel_path_covers_every_beat_of_the_bible(story):
    visited = {step.scene for step in novel_path(story).steps}
    missing = {beat: [s for s in scenes if s not in visited] for beat, scenes in BEATS.items()}
    assert not {beat: scenes for beat, scenes in missing.items() if scenes}


def test_example_assignment_fits_the_shipped_story(story):
    from conftest import ROOT

    from game.classroom.assignment import load_assignment

    for path in (ROOT / "classroom" / "examples").glob("*.yaml"):
        assignment = load_assignment(path, story)
        assert assignment.story == story.id and assignment.questions
