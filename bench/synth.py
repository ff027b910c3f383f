"""Generate a large synthetic story for load and play benchmarks.

``python bench/synth.py 10000 /tmp/synth10k`` writes a story folder of
10,000 scenes in the shipped story's format: chapters of 100 scenes in
one file each, every scene with about 150 words of text, conditional
paragraphs, two or three choices with conditions and effects, a router
at the end of every chapter, and six endings. The output is
deterministic for a given size, so benchmark runs compare like with like.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

SCENES_PER_CHAPTER = 100
VARIABLES = ("spirit", "suspicion", "hope", "trust", "money", "doubt")
WORDS = (
    "snow window bread street tram frost bridge river lamp coat stairs ration card queue "
    "committee banner station letter stove candle table door morning evening night silence "
    "voice hand face paper pencil drawing engine factory smoke canal ice cathedral market "
    "soldier student teacher mother father sister cousin friend stranger clerk guard"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def story_yaml(size: int) -> str:
    lines = [
        "id: synthetic",
        f'title: "A synthetic story of {size} scenes"',
        'author: "bench/synth.py"',
        "start: s0",
        'content_note: "Generated text for benchmarks."',
        "variables:",
    ]
    for name in VARIABLES:
        lines.append(f'  {name}: {{default: 50, min: 0, max: 100, description: "A generated measure."}}')
    lines.append('  marked: {default: false, description: "A generated flag."}')
    return "\n".join(lines) + "\n"


def scene_yaml(index: int, size: int, chapter: int, rng: random.Random) -> str:
    last_of_chapter = (index + 1) % SCENES_PER_CHAPTER == 0 or index == size - 1
    out = [
        f"  - id: s{index}",
        f"    title: Scene {index}",
        f"    chapter: c{chapter}",
        "    date: Spring 1922",
        "    location: Petrograd",
        "    background: street_snow",
        "    text:",
        f"      - {paragraph(rng, 4)}",
        f"      - {paragraph(rng, 3)}",
        f"      - if: \"{rng.choice(VARIABLES)} > {rng.randint(20, 80)}\"",
        f"        text: {paragraph(rng, 2)}",
        f"      - Your {{{rng.choice(VARIABLES)}}} is what it is. {sentence(rng)}",
        "    choices:",
    ]
    if last_of_chapter:
        targets = [f"r{chapter}"]
    else:
        targets = [f"s{index + 1}", f"s{min(index + 2, size - 1)}", f"s{index + 1}"]
    for number, target in enumerate(targets[: rng.randint(2, 3)] if len(targets) > 1 else targets):
        var, other = rng.sample(VARIABLES, 2)
        out += [
            f"      - label: {sentence(rng)}",
            f"        to: {target}",
        ]
        if number == 0:
            out.append("        novel: true")
        else:
            out.append(f'        if: "{var} >= {rng.randint(0, 40)} or marked"')
        out += [
            "        effects:",
            f"          add: {{{var}: {rng.randint(1, 9)}}}",
            f"          subtract: {{{other}: {rng.randint(1, 9)}}}",
            *([f"          set: {{marked: {str(number == 2).lower()}}}"] if number and index % 7 == 0 else []),
            f"        aftermath: {sentence(rng)}",
        ]
    return "\n".join(out)


def router_yaml(chapter: int, size: int) -> str:
    next_scene = (chapter + 1) * SCENES_PER_CHAPTER
    default = f"s{next_scene}" if next_scene < size else "e_default"
    return "\n".join([
        f"  - id: r{chapter}",
        f"    title: Crossroads {chapter}",
        f"    chapter: c{chapter}",
        "    route:",
        '      - if: "suspicion >= 95"',
        "        to: e_siberia",
        '      - if: "spirit <= 3"',
        "        to: e_broken",
        f"    default: {default}",
    ])


ENDINGS = ("e_default", "e_siberia", "e_broken", "e_escape", "e_exception", "e_silence")


def endings_yaml(rng: random.Random) -> str:
    out = ["endings:"]
    for ending in ENDINGS:
        out += [
            f"  - id: {ending}",
            f"    title: Ending {ending}",
            f"    epilogue: {paragraph(rng, 3)}",
            f"    state_took: {sentence(rng)}",
            f"    could_not_take: {sentence(rng)}",
            f"    novel: {sentence(rng)}",
            "    reflection:",
            f'      - "{sentence(rng)}"',
            f'      - "{sentence(rng)}"',
        ]
    return "\n".join(out) + "\n"


def generate(size: int, out: Path) -> Path:
    """Write a story of ``size`` scenes (plus routers and endings) into ``out``; return it."""
    rng = random.Random(size)
    if out.exists():
        shutil.rmtree(out)
    (out / "scenes").mkdir(parents=True)
    (out / "story.yaml").write_text(story_yaml(size))
    chapters = (size + SCENES_PER_CHAPTER - 1) // SCENES_PER_CHAPTER
    for chapter in range(chapters):
        first = chapter * SCENES_PER_CHAPTER
        scenes = [scene_yaml(i, size, chapter, rng) for i in range(first, min(first + SCENES_PER_CHAPTER, size))]
        text = "\n".join([
            "chapters:",
            f"  - id: c{chapter}",
            f"    number: {chapter + 1}",
            f'    title: "Chapter {chapter + 1}"',
            "scenes:",
            *scenes,
            router_yaml(chapter, size),
        ])
        (out / "scenes" / f"chapter_{chapter:04d}.yaml").write_text(text + "\n")
    (out / "endings.yaml").write_text(endings_yaml(rng))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="number of scenes")
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    args = parser.parse_args()
    generate(args.size, args.out)
    print(f"wrote {args.size} scenes to {args.out}")


if __name__ == "__main__":
    main()
