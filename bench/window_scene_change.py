"""What a scene change and a redraw cost in the game window, printed as JSON.

Plays the novel's path through the shipped story in a window (SDL's dummy
driver) and times, for every choice, the whole turn as the player feels
it: the engine's move with the autosave, then laying out the new scene
and drawing its first frame (a background not drawn before included). Then times redrawing an unchanged scene, which
renders no text at all thanks to the render cache. Start-up and idle CPU
are measured by ``bench/window_figures.py``.

    python bench/window_scene_change.py [--size 1280x720] [--letter-spacing wider]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(size: tuple[int, int], letter_spacing: str = "normal") -> dict[str, float | int | str]:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["KIRA_SAVE_DIR"] = tempfile.mkdtemp()
    os.environ["KIRA_CONFIG_DIR"] = tempfile.mkdtemp()
    from game.loader.story import load_story
    from game.session.settings import Settings
    from game.ui.window.app import App

    story = load_story(ROOT / "story" / "we_the_living")
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[])
    app = App(story, args, size)
    # Every line of the scene is drawn in its first frame; letter-spaced text is set glyph by glyph.
    app.change_settings(Settings(text_speed="instant", letter_spacing=letter_spacing))
    app.game.new_game()
    app.top.begin()
    moves, frames, redraws, renders = [], [], [], []
    while not app.game.play.is_over:
        novel = next((i for i, v in enumerate(app.game.play.choices()) if v.novel), 0)
        start = time.perf_counter()
        app.game.choose(novel)  # the engine's move and the autosave
        del app.stack[1:]  # leave the chapter maps and questions aside: time the scene itself
        middle = time.perf_counter()
        before = app.cache.renders
        app.top.ensure_layout()
        app.draw()
        end = time.perf_counter()
        moves.append(middle - start)
        frames.append(end - middle)
        renders.append(app.cache.renders - before)
        app.draw()
        redraws.append(time.perf_counter() - end)

    def ms(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)
    return {
        "size": f"{size[0]}x{size[1]}",
        "letter_spacing": letter_spacing,
        "turns": len(moves),
        "choice_and_autosave_median_ms": ms(moves, 0.5),
        "new_scene_first_frame_median_ms": ms(frames, 0.5),
        "new_scene_first_frame_p95_ms": ms(frames, 0.95),
        "redraw_median_ms": ms(redraws, 0.5),
        "lines_rendered_per_scene_median": statistics.median(renders),
        "frame_budget_ms": 16.7,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--letter-spacing", default="normal", choices=("normal", "wide", "wider"))
    options = parser.parse_args()
    size = tuple(int(n) for n in options.size.split("x"))
    print(json.dumps(measure(size, options.letter_spacing), indent=1))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
