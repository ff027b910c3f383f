"""Window figures: start-up, idle CPU, frame times and memory of ``kira play --ui pygame``.

The game runs in a child process with SDL's dummy video driver, exactly as
``python main.py`` starts it. A small harness (:data:`HARNESS`) wraps two
pygame functions before the game imports them, so nothing in the game is
changed for measuring: ``pygame.display.flip`` (to see the first frame),
``pygame.event.get`` (its first call is the first input the game handles:
the story is loaded and the title's menu live) and ``pygame.time.Clock``
(to time the work done in each frame, that is the time between the end of
one ``tick`` and the start of the next).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine_figures import ROOT, Figure

HARNESS = r"""
import json, os, sys, time
mode = sys.argv[1]
import pygame
real_flip, RealClock = pygame.display.flip, pygame.time.Clock
frames, state = [], {"flips": 0, "last": None}

def flip():
    real_flip()
    state["flips"] += 1
    if state["flips"] == 1:
        if mode == "first-frame":
            os._exit(0)
        print("first-frame", flush=True)

class Clock:
    def __init__(self):
        self.clock = RealClock()
    def tick(self, fps=0):
        now = time.perf_counter()
        if state["last"] is not None and fps > 30:
            frames.append(now - state["last"])
        result = self.clock.tick(fps)
        state["last"] = time.perf_counter()
        if mode == "reveal" and len(frames) >= 240:
            print(json.dumps(frames), flush=True)
            os._exit(0)
        return result
    def __getattr__(self, name):
        return getattr(self.clock, name)

pygame.display.flip, pygame.time.Clock = flip, Clock
if mode == "ready":  # the first look at the event queue: the story is loaded and the menu live
    def ready(*args, **kwargs):
        os._exit(0)
    pygame.event.get = ready
if mode == "memory":
    import atexit
    def report():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                print("peak-kib", line.split()[1], flush=True)
    atexit.register(report)
if mode == "reveal":
    # Enter on the title (new game) and on the content note; the first scene's text is then revealed.
    pending = [pygame.K_RETURN, pygame.K_RETURN]
    real_get = pygame.event.get
    def get(*args, **kwargs):
        if state["flips"] and pending and time.perf_counter() - state.setdefault("shown", time.perf_counter()) > 0.5:
            state["shown"] = time.perf_counter()
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pending.pop(0), mod=0, unicode="\r",
                                                 scancode=0))
        return real_get(*args, **kwargs)
    pygame.event.get = get
from game.cli import main
sys.exit(main(sys.argv[2:]))
"""

BARE = r"""
import pygame
pygame.display.init()
pygame.font.init()
screen = pygame.display.set_mode((1280, 720), pygame.RESIZABLE)
font = pygame.font.Font(None, 40)
screen.blit(font.render("We the Living", True, (240, 230, 210)), (80, 80))
pygame.display.flip()
"""


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(ROOT),
               PYGAME_HIDE_SUPPORT_PROMPT="1",
               KIRA_SAVE_DIR=str(home / "saves"), KIRA_CACHE_DIR=str(home / "cache"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    env.pop("DISPLAY", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as players run it: with compiled modules cached
    return env


def _game(mode: str, *args: str) -> list[str]:
    return [sys.executable, "-c", HARNESS, mode, "play", "--ui", "pygame", *args]


def _wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def cold_start(runs: int) -> list[Figure]:
    """Cold start to the first title frame, and to the first input handled, against a bare pygame script
    that draws one line. The title is drawn from the front matter kept by the previous start, before the
    story is loaded (docs/WINDOW.md); "ready" is when the story is loaded and the title's menu is live."""
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp))
        bare, first, ready = [], [], []
        _wall(_game("first-frame"), env)  # the first start writes the bytecode caches, the front matter and picture
        for _ in range(runs):  # interleaved, so all three see the same machine load
            bare.append(_wall([sys.executable, "-c", BARE], env))
            first.append(_wall(_game("first-frame"), env))
            ready.append(_wall(_game("ready"), env))
    bare_s, first_s, ready_s = (statistics.median(times) for times in (bare, first, ready))
    ratio, ready_ratio = first_s / bare_s, ready_s / bare_s
    return [Figure("cold start to the first title frame (SDL dummy driver)", first_s * 1000, "ms", bare_s * 1000,
                   ratio, "at most 1.3x a bare pygame script that opens the window and draws one line",
                   ratio <= 1.3, "process start to first flip: the real title, its art and saves, drawn before "
                   "the story is loaded"),
            Figure("cold start until ready for the first input (SDL dummy driver)", ready_s * 1000, "ms",
                   bare_s * 1000, ready_ratio, "reported beside the first frame: what moved after it",
                   True, "process start to the first event handled: the story loaded and the title's menu live")]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start_and_wait_for_frame(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    if "first-frame" not in line:
        child.kill()
        raise RuntimeError(f"the game did not show a frame: {line!r}")
    return child


def idle_cpu(runs: int, seconds: float = 5.0) -> list[Figure]:
    """CPU used by the window over 5 s while the title screen waits for the player."""
    with tempfile.TemporaryDirectory() as tmp:
        child = _start_and_wait_for_frame(_game("idle"), _env(Path(tmp)))
        try:
            time.sleep(1.5)  # let start-up work finish
            before = _cpu_seconds(child.pid)
            time.sleep(seconds)
            used = _cpu_seconds(child.pid) - before
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
    percent = 100 * used / seconds
    return [Figure("idle CPU of the game window over 5 s (title screen)", percent, "% of a core", 2.0,
                   percent / 2.0, "under 2 % of a core", percent < 2.0, "clock ticks of the process, /proc")]


def frame_times(runs: int) -> list[Figure]:
    """Work per frame while a scene's text is revealed letter by letter (typewriter on)."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp))
        # The typewriter is off by default; a player who likes it turns it on in the settings.
        env["KIRA_CONFIG_DIR"] = str(Path(tmp) / "kira-config")
        Path(env["KIRA_CONFIG_DIR"]).mkdir()
        (Path(env["KIRA_CONFIG_DIR"]) / "settings.json").write_text(json.dumps({"text_speed": "normal"}))
        done = subprocess.run(_game("reveal"), env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
                              check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
    if not lines:
        return [Figure("frame time while text is revealed, p99", float("nan"), "ms", 16.7, None, "under 0.5x",
                       False, f"no animated frames seen: {done.stderr.strip()[-200:]}")]
    frames = sorted(json.loads(lines[-1]))
    p99 = frames[min(len(frames) - 1, int(len(frames) * 0.99))] * 1000
    return [Figure("frame time while text is revealed, p99", p99, "ms", 16.7, p99 / 16.7,
                   "under 0.5x a 60 fps frame", p99 / 16.7 < 0.5,
                   f"{len(frames)} animated frames, median {statistics.median(frames) * 1000:.2f} ms")]


def peak_memory(runs: int) -> list[Figure]:
    """Peak memory of the window playing the novel's path through the whole shipped story."""
    path = ",".join(["1"] * 80)
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(_game("memory", "--choices", path, "--screenshot-dir", str(Path(tmp) / "shots")),
                              env=_env(Path(tmp)), cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    peaks = [int(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("peak-kib")]
    if not peaks:
        return [Figure("peak memory playing the shipped story in the window (novel path)", float("nan"), "MB",
                       120.0, None, "under 120 MB", False, f"no figure: {done.stderr.strip()[-200:]}")]
    peak = peaks[-1] / 1024
    return [Figure("peak memory playing the shipped story in the window (novel path)", peak, "MB", 120.0,
                   peak / 120.0, "under 120 MB", peak < 120.0,
                   "peak resident size (VmHWM), every screen drawn and photographed")]
