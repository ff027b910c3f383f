"""How long the shipped story takes to read, path by path.

``python bench/story_reading.py`` prints the words of every scene, then the
words a player reads along the novel's path (every ``novel: true`` choice)
and along seeded random playthroughs, with minutes at 250 words a minute
and the number of scenes passed. ``--json`` prints the same figures as JSON.

Words are counted as the terminal player shows them. The story's words,
which the reading time is measured on, are each scene's text as rendered,
every choice label shown (greyed-out ones with their reason), the
aftermath of the choice taken, and the ending (epilogue, what the state
took and could not take, the novel's ending, the questions). The rest of
what is on screen is reported beside them: the content note, scene headers,
the questions at each chapter's end and the summary of the path, which the
engine writes.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.loader.story import load_story  # noqa: E402
from game.runtime.model import Scene, Story  # noqa: E402
from game.runtime.playthrough import ChoiceView, Playthrough  # noqa: E402
from game.runtime.summary import summarize  # noqa: E402

WORDS_PER_MINUTE = 250
STORY_PARTS = ("text", "choices", "aftermath", "ending")  # what the reading time counts
SHIPPED = ROOT / "story" / "we_the_living"

Picker = Callable[[list[ChoiceView]], int]


def words(text: str) -> int:
    return len(text.split())


@dataclass
class Reading:
    """The words one playthrough put in front of the player, by kind."""

    ending: str = ""
    scenes: int = 0
    parts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """The story's own words on this path (see the module docstring)."""
        return sum(self.parts[part] for part in STORY_PARTS)

    @property
    def on_screen(self) -> int:
        """Every word shown, with the content note, headers, chapter questions and summary."""
        return sum(self.parts.values())

    @property
    def minutes(self) -> float:
        return self.total / WORDS_PER_MINUTE


def scene_screen(play: Playthrough) -> Counter[str]:
    """Words on the screen of the current scene: header, text, and every choice shown."""
    scene = play.scene
    seen: Counter[str] = Counter()
    seen["headers"] = words(" ".join((scene.title, scene.location, scene.date)))
    seen["text"] = sum(words(p) for p in play.text())
    seen["choices"] = sum(words(v.label) + words(v.locked_reason) for v in play.all_choices())
    return seen


def ending_screen(play: Playthrough) -> Counter[str]:
    """Words of the ending: its four parts, the path summary and the questions."""
    scene = play.scene
    assert scene.ending is not None
    parts = scene.ending
    seen: Counter[str] = Counter()
    epilogue = " ".join(play.text())  # the paragraphs of the epilogue this path meets
    seen["ending"] = words(" ".join((scene.title, epilogue, parts.state_took, parts.could_not_take,
                                     parts.novel, *play.questions(parts.reflection))))
    seen["summary"] = sum(words(line) for line in summarize(play).lines())
    return seen


def read_path(story: Story, pick: Picker) -> Reading:
    """Play once, taking ``pick(choices)`` at every scene, and count what was read."""
    play = Playthrough(story, clock=False)
    reading = Reading()
    reading.parts["intro"] = words(" ".join((story.title, story.author, story.content_note)))
    while not play.is_over:
        reading.scenes += 1
        reading.parts.update(scene_screen(play))
        turn = play.choose(pick(play.choices()))
        reading.parts["aftermath"] += words(turn.aftermath)
        if turn.chapter_ended is not None:
            asked = play.questions(turn.chapter_ended.reflection)
            reading.parts["chapter questions"] += sum(words(q) for q in asked)
    reading.parts.update(ending_screen(play))
    reading.ending = play.scene_id
    return reading


def novel_pick(options: list[ChoiceView]) -> int:
    """The choice the novel's Kira made, else the first one offered."""
    return next((i for i, view in enumerate(options) if view.novel), 0)


def novel_reading(story: Story) -> Reading:
    return read_path(story, novel_pick)


def random_readings(story: Story, runs: int, seed: int) -> list[Reading]:
    """``runs`` playthroughs picking uniformly among the choices offered, from one seeded generator."""
    rng = random.Random(seed)
    return [read_path(story, lambda options: rng.randrange(len(options))) for _ in range(runs)]


def scene_text_words(scene: Scene) -> int:
    """A scene's own text as written (conditional paragraphs counted once, without their 'else')."""
    return sum(words(p.text.raw) for p in scene.paragraphs)


def playable_scenes(story: Story) -> list[Scene]:
    return [s for s in story.scenes.values() if not s.is_router and not s.is_ending]


def average_scene_words(story: Story) -> float:
    scenes = playable_scenes(story)
    return sum(scene_text_words(s) for s in scenes) / len(scenes)


def spread(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def figures(story: Story, runs: int, seed: int) -> dict[str, object]:
    """Every figure the script reports, as plain data."""
    novel = novel_reading(story)
    randoms = random_readings(story, runs, seed)
    median = sorted(randoms, key=lambda r: r.total)[len(randoms) // 2]
    endings = Counter(r.ending for r in randoms)
    return {
        "scenes": {s.id: {"text": scene_text_words(s),
                          "choices": sum(words(c.label.raw) for c in s.choices),
                          "aftermath": sum(words(c.aftermath.raw) for c in s.choices if c.aftermath)}
                   for s in playable_scenes(story)},
        "average_scene_words": round(average_scene_words(story), 1),
        "novel_path": {"words": novel.total, "minutes": round(novel.minutes, 1), "scenes": novel.scenes,
                       "words_on_screen": novel.on_screen, "ending": novel.ending, "parts": dict(novel.parts)},
        "random": {"runs": runs, "seed": seed,
                   "words": spread([r.total for r in randoms]),
                   "words_on_screen": spread([r.on_screen for r in randoms]),
                   "minutes": {k: round(v / WORDS_PER_MINUTE, 1)
                               for k, v in spread([r.total for r in randoms]).items()},
                   "scenes": spread([r.scenes for r in randoms]),
                   "median_parts": dict(median.parts),
                   "endings": {k: round(v / runs, 4) for k, v in endings.most_common()}},
    }


def print_table(data: dict[str, object]) -> None:
    scenes: dict[str, dict[str, int]] = data["scenes"]  # type: ignore[assignment]
    print(f"{'scene':<24}{'text':>6}{'labels':>8}{'aftermath':>11}")
    for sid, row in scenes.items():
        flag = "  long" if row["text"] > 180 else ""
        print(f"{sid:<24}{row['text']:>6}{row['choices']:>8}{row['aftermath']:>11}{flag}")
    print(f"\naverage words per scene: {data['average_scene_words']} over {len(scenes)} scenes")
    novel: dict = data["novel_path"]  # type: ignore[assignment]
    print(f"novel path: {novel['words']} words, {novel['minutes']} min, {novel['scenes']} scenes, "
          f"ending {novel['ending']} ({novel['words_on_screen']} words on screen in all)")
    print("  " + ", ".join(f"{k} {v}" for k, v in sorted(novel["parts"].items())))
    rnd: dict = data["random"]  # type: ignore[assignment]
    w, m, s = rnd["words"], rnd["minutes"], rnd["scenes"]
    print(f"random ({rnd['runs']} runs, seed {rnd['seed']}): words {w['min']}/{w['median']}/{w['max']} "
          f"(min/median/max), minutes {m['min']}/{m['median']}/{m['max']}, scenes {s['min']}/{s['median']}/{s['max']}")
    o = rnd["words_on_screen"]
    print(f"  words on screen in all: {o['min']}/{o['median']}/{o['max']}")
    print("  median path: " + ", ".join(f"{k} {v}" for k, v in sorted(rnd["median_parts"].items())))
    print("  endings: " + ", ".join(f"{k} {v:.1%}" for k, v in rnd["endings"].items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story", type=Path, default=SHIPPED, help="story folder (default: the shipped story)")
    parser.add_argument("--runs", type=int, default=2000, help="random playthroughs (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random playthroughs (default 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    data = figures(load_story(args.story), args.runs, args.seed)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print_table(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
