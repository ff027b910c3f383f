"""Side by side with ink: the same story, the same random play, in inkjs and in this engine.

``python bench/ink_peer.py`` translates the shipped story into ink (knots
for scenes, VARs for variables, conditional choices with their effects,
routers as conditional diverts, paragraphs with conditions), compiles it
with inkjs's own compiler (the npm package ``inkjs``, installed into a
temporary folder), and plays random choices in Node.js, continuing the
text before every choice as ink must. The same number of steps is then
played here, rendering every scene's text as the players see it. Both
figures go into ``bench/results.json`` through ``bench/run.py``.

The translation is for measuring, not a supported export: ink's integer
division and string handling differ from this engine's, and the story's
presentation fields (dates, places, the codex) are left out.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from engine_figures import SHIPPED, Figure

from game.loader.story import load_story
from game.runtime.model import Choice, Story, Template
from game.runtime.playthrough import Playthrough

INKJS_VERSION = "2.4.0"
_SPECIAL = re.compile(r"([{}\[\]#|~*+\-=/<>\\])")

RUNNER = r"""
const fs = require("fs");
const { Compiler } = require("inkjs/compiler/Compiler");
const { Story } = require("inkjs");
const [source, stepsText] = process.argv.slice(2);
const json = new Compiler(fs.readFileSync(source, "utf8")).Compile().ToJson();
const story = new Story(json);
const steps = Number(stepsText);
let seed = 1;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const start = process.hrtime.bigint();
let playthroughs = 0;
for (let i = 0; i < steps; i++) {
  story.ContinueMaximally();
  const choices = story.currentChoices;
  if (choices.length === 0) { story.ResetState(); playthroughs++; i--; continue; }
  story.ChooseChoiceIndex(Math.floor(random() * choices.length));
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ steps, seconds, playthroughs }));
"""


def _text(template: Template) -> str:
    out = []
    for i, part in enumerate(template.parts):
        out.append("{" + part + "}" if i % 2 else _SPECIAL.sub(r"\\\1", part))
    return "".join(out)


def _knot(scene_id: str) -> str:
    return f"s_{scene_id}"  # a prefix, because ink keeps knots and VARs in one namespace


def _expression(source: str) -> str:
    source = re.sub(r"visited\(\s*'([^']*)'\s*\)|visited\(\s*\"([^\"]*)\"\s*\)",
                    lambda m: _knot(m.group(1) or m.group(2)), source)
    source = re.sub(r"\bTrue\b", "true", re.sub(r"\bFalse\b", "false", source))
    source = re.sub(r"\bmin\(", "MIN(", source)
    source = re.sub(r"\bmax\(", "MAX(", source)
    return re.sub(r"'([^']*)'", r'"\1"', source)


def _effects(story: Story, choice: Choice) -> list[str]:
    lines = []
    for effect in choice.effects:
        value = _expression(effect.value.source)
        name = effect.variable
        if effect.op == "add":
            value = f"{name} + ({value})"
        elif effect.op == "subtract":
            value = f"{name} - ({value})"
        var = story.variables[name]
        if var.minimum is not None and var.maximum is not None and effect.op != "set":
            value = f"MIN(MAX({value}, {var.minimum}), {var.maximum})"
        lines.append(f"    ~ {name} = {value}")
    return lines


def to_ink(story: Story) -> str:
    lines = []
    for name, var in story.variables.items():
        default = json.dumps(var.default) if isinstance(var.default, str) else str(var.default).lower()
        lines.append(f"VAR {name} = {default}")
    lines += ["", f"-> {_knot(story.start)}", ""]
    for scene in story.scenes.values():
        lines.append(f"=== {_knot(scene.id)} ===")
        if scene.is_router:
            lines.append("{")
            for route in scene.routes:
                test = _expression(route.condition.source) if route.condition else "else"
                lines.append(f"  - {test}: -> {_knot(route.target)}")
            lines.append("}")
            continue
        paragraphs = scene.paragraphs
        if scene.ending is not None:
            lines.extend(_SPECIAL.sub(r"\\\1", line) for line in scene.ending.epilogue.splitlines() if line.strip())
            lines.append("-> END")
            continue
        for paragraph in paragraphs:
            text = _text(paragraph.text)
            if paragraph.condition is not None:
                other = "|" + _text(paragraph.otherwise) if paragraph.otherwise else ""
                text = "{" + _expression(paragraph.condition.source) + ": " + text + other + "}"
            lines.append(text)
        for choice in scene.choices:
            test = "{" + _expression(choice.condition.source) + "} " if choice.condition else ""
            lines.append(f"+ {test}[{_text(choice.label)}]")
            lines += _effects(story, choice)
            lines.append(f"    -> {_knot(choice.target)}")
        lines.append("")
    return "\n".join(lines) + "\n"


def ours(story: Story, steps: int) -> float:
    """Steps per second here, reading each scene's text as ink does."""
    rng = random.Random(1)
    play = Playthrough(story, clock=False)
    start = time.perf_counter()
    for _ in range(steps):
        if play.is_over:
            play.restart()
        play.text()
        play.choose(rng.randrange(len(play.choices())))
    return steps / (time.perf_counter() - start)


def ink_peer(runs: int, steps: int = 20_000) -> list[Figure]:
    """The same random play in inkjs (Node.js) and here."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return [Figure("random steps per second, inkjs on the same story", float("nan"), "steps/s", None, None,
                       "(comparison)", True, "skipped: Node.js and npm are not installed")]
    story = load_story(SHIPPED)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "story.ink").write_text(to_ink(story))
        (folder / "run.js").write_text(RUNNER)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", f"inkjs@{INKJS_VERSION}"],
                       cwd=folder, check=True, capture_output=True, timeout=300)
        rates = []
        for _ in range(max(1, runs // 2)):
            done = subprocess.run(["node", "run.js", "story.ink", str(steps)], cwd=folder, check=True,
                                  capture_output=True, text=True, timeout=300)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            rates.append(result["steps"] / result["seconds"])
    ink = sorted(rates)[len(rates) // 2]
    here = sorted(ours(story, steps) for _ in range(max(1, runs // 2)))[max(1, runs // 2) // 2]
    return [Figure("random steps per second, text included: this engine against inkjs on the same story",
                   here, "steps/s", ink, here / ink, "(comparison, no goal)", True,
                   f"inkjs {INKJS_VERSION} on Node.js, story translated to ink by bench/ink_peer.py")]


if __name__ == "__main__":
    for figure in ink_peer(3):
        print(figure)
