"""Engine figures: loading, playing and memory, each against a limit measured in the same run.

Each function returns a list of :class:`Figure`. The limits are measured
here rather than written down, because these machines are shared and
noisy: a ratio against a baseline taken a moment earlier means more than
an absolute time.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "story" / "we_the_living"
sys.path.insert(0, str(ROOT))

from game.loader.story import STORY_FILE, check_story, story_files  # noqa: E402
from game.runtime.playthrough import Playthrough  # noqa: E402


@dataclass
class Figure:
    """One row of the results: ``value`` against ``limit``, judged by ``goal``."""

    name: str
    value: float
    unit: str
    limit: float | None
    ratio: float | None
    goal: str
    ok: bool
    note: str = ""
    measured: str = ""  # the date and the load average when it was measured (bench/run.py fills it in)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def median_time(action: Callable[[], object], runs: int) -> float:
    """The median wall-clock seconds of ``runs`` calls (after one warm-up call)."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(actions: list[Callable[[], object]], runs: int) -> list[float]:
    """The median wall-clock seconds of each action, run in turn ``runs`` times (after one warm-up each).

    Taking turns, a baseline and the figure compared with it meet the same machine load; measured one
    block after the other, a burst of other work during one block alone would skew their ratio."""
    for action in actions:
        action()
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, kept in zip(actions, times, strict=True):
            start = time.perf_counter()
            action()
            kept.append(time.perf_counter() - start)
    return [statistics.median(kept) for kept in times]


def raw_parse(root: Path) -> Callable[[], object]:
    """The baseline: PyYAML's C loader alone, over the same files the loader reads."""
    files = [root / STORY_FILE, *story_files(root)]

    def parse() -> None:
        for path in files:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return parse


def load_shipped(runs: int) -> list[Figure]:
    # The warm-up call of the cached load fills the cache.
    raw, cached, parsed = interleaved_medians([raw_parse(SHIPPED), lambda: check_story(SHIPPED),
                                               lambda: check_story(SHIPPED, use_cache=False)], runs)
    name = "load and check the shipped story"
    return [
        Figure(f"{name} (cached)", cached * 1000, "ms", raw * 1000, cached / raw, "at most 2x the raw C parse",
               cached / raw <= 2.0, "files unchanged since the last load, as when a student starts the game"),
        Figure(f"{name} (parsed)", parsed * 1000, "ms", raw * 1000, parsed / raw, "at most 2x the raw C parse",
               parsed / raw <= 2.0, "first load after an edit: every file parsed and checked"),
    ]


def load_generated(runs: int, scenes: int = 10_000) -> list[Figure]:
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        root = generate(scenes, Path(tmp) / "synthetic")
        raw = median_time(raw_parse(root), runs)
        parsed = median_time(lambda: check_story(root, use_cache=False), max(1, runs - 2))
        cached = median_time(lambda: check_story(root), runs)  # the warm-up call fills the cache
    name = f"load a generated story of {scenes:,} scenes"
    return [
        Figure(f"{name} (cached)", cached, "s", raw, cached / raw,
               "at most 2x the raw C parse, and under 1.5 s", cached / raw <= 2.0 and cached < 1.5,
               "files unchanged since the last load: the story comes from the cache"),
        Figure(f"{name} (parsed)", parsed, "s", raw, parsed / raw,
               "at most 2x the raw C parse", parsed / raw <= 2.0,
               "first load after an edit: every file parsed and checked"),
    ]


def _random_walk_engine(story: object, steps: int, seed: int) -> None:
    rng = random.Random(seed)
    play = Playthrough(story, clock=False)  # type: ignore[arg-type]
    for _ in range(steps):
        if play.is_over:
            play.restart()
        play.choose(rng.randrange(len(play.choices())))


def _bare_machine(story: object) -> tuple[object, Callable[[int, int], None]]:
    """A plain transitions Machine with the story's states and transitions and no callbacks."""
    from transitions import Machine

    scenes = story.scenes  # type: ignore[attr-defined]
    transitions, triggers = [], {}
    for scene in scenes.values():
        names = []
        for choice in scene.choices:
            name = f"choice_{choice.index}"
            transitions.append({"trigger": name, "source": scene.id, "dest": choice.target})
            names.append(name)
        for number, route in enumerate(scene.routes):
            transitions.append({"trigger": f"route_{number}", "source": scene.id, "dest": route.target})
            names.append(f"route_{number}")
        triggers[scene.id] = names

    class Model:
        state = ""

    machine = Machine(model=None, states=list(scenes), transitions=transitions,
                      initial=story.start, auto_transitions=False)  # type: ignore[attr-defined]
    model = Model()
    machine.add_model(model)

    def walk(steps: int, seed: int) -> None:
        rng = random.Random(seed)
        events = machine.events
        for _ in range(steps):
            names = triggers[model.state]
            if not names:
                machine.set_state(story.start, model=model)  # type: ignore[attr-defined]
                continue
            events[names[rng.randrange(len(names))]].trigger(model)
    return machine, walk


def play_steps(runs: int, steps: int = 30_000) -> list[Figure]:
    story, _ = check_story(SHIPPED)
    _, bare_walk = _bare_machine(story)
    bare_s, ours_s = interleaved_medians([lambda: bare_walk(steps, 1), lambda: _random_walk_engine(story, steps, 1)],
                                         runs)
    bare, ours = steps / bare_s, steps / ours_s
    ratio = ours / bare
    return [Figure("random playthrough steps per second (shipped story)", ours, "steps/s", bare, ratio,
                   "at least 0.6x a bare transitions Machine, and at least 15,000 steps/s",
                   ratio >= 0.6 and ours >= 15_000,
                   "through Playthrough: conditions, effects, routers, visits, undo history")]


def exhaustive(runs: int) -> list[Figure]:
    """``kira explore --exhaustive`` on the shipped story, as a writer would run it."""
    command = [sys.executable, "-m", "game", "explore", "--exhaustive", "--json"]
    times, cpu, summary = [], [], {}
    for _ in range(max(1, runs // 2)):
        start, used = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - used)
        if done.returncode not in (0, 1) or not done.stdout.strip().startswith("{"):
            return [Figure("exhaustive exploration of the shipped story", float("nan"), "s", None, None,
                           "under 10 s", False, f"kira explore failed: {done.stderr.strip()[-200:]}")]
        summary = json.loads(done.stdout)
    seconds = statistics.median(times)
    states = summary.get("states") or summary.get("playthroughs")
    return [Figure("exhaustive exploration of the shipped story", seconds, "s", 10.0, seconds / 10.0,
                   "under 10 s", seconds < 10.0,
                   f"whole command, start-up included; {states} states; {statistics.median(cpu):.1f} s of "
                   "processor time, which the machine's other work moves much less than the wall time")]


def _children_cpu() -> float:
    """Processor seconds (user and system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


MEMORY_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from game import Playthrough, load_story, summarize
story = load_story({story!r})
play = Playthrough(story)
while not play.is_over:
    play.choose(0)
summarize(play)
print(peak_kib())
"""

# The peak resident size of this process alone: /proc's VmHWM starts afresh at exec, whereas
# getrusage's ru_maxrss keeps the high-water mark of the parent that forked it.
PEAK_KIB = """
def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""


def peak_memory(runs: int) -> list[Figure]:
    script = PEAK_KIB + MEMORY_SCRIPT.format(root=str(ROOT), story=str(SHIPPED))
    peaks = []
    for _ in range(max(1, runs // 2)):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        peaks.append(int(done.stdout.split()[-1]) / 1024)
    peak = statistics.median(peaks)
    return [Figure("peak memory playing the shipped story (engine, novel path)", peak, "MB", 120.0, peak / 120.0,
                   "under 120 MB", peak < 120.0, "peak resident size (VmHWM) of the whole process")]
