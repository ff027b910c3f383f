"""The window's start: the title drawn from the front matter before the story is loaded, then made live."""

from __future__ import annotations

import pygame
import pytest
from conftest import FIXTURES
from test_front import copy_tiny
from test_window import make_args

from game.cli import main
from game.loader.front import FrontMatter
from game.loader.story import load_story
from game.runtime.playthrough import Playthrough
from game.session.saves import SaveStore

pytestmark = pytest.mark.usefixtures("headless_window")


def frame(app) -> tuple[bytes, str]:
    return pygame.image.tobytes(app.surface, "RGB"), app.visible_text()


def early_app(story, **overrides):
    from game.ui.window.app import App

    app = App(None, make_args(**overrides), front=FrontMatter.of(story))
    app.first_frame()
    return app


def test_the_title_drawn_before_the_story_is_loaded_is_the_one_shown_after(tiny):
    app = early_app(tiny)
    assert not app.attached
    before = frame(app)
    assert tiny.title in before[1] or tiny.title.partition(":")[0] in before[1]
    app.attach(tiny)
    app.step(wait=False)
    assert app.attached and app.top.name == "title"
    assert frame(app) == before


def test_continue_is_offered_before_loading_exactly_as_after(tiny):
    SaveStore(tiny).save("3", Playthrough(tiny))
    app = early_app(tiny)
    before = frame(app)
    assert "Continue" in before[1] and tiny.scenes[tiny.start].title in before[1]
    app.attach(tiny)
    app.step(wait=False)
    assert frame(app) == before
    assert app.top.focus.focused is not None and app.top.focus.focused.label == "Continue"


def test_a_key_pressed_while_the_story_loads_is_handled_once_it_is_live(tiny):
    app = early_app(tiny)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
    app.attach(tiny)
    app.step(wait=False)
    assert app.top.name == "content-note"  # Enter on "New game", pressed before the menu was live


def test_the_title_art_kept_in_the_cache_is_the_art_drawn(tiny, tmp_path):
    from game.ui.art import draw
    from game.ui.window import kept_art
    from game.ui.window.theme import PAPER

    size = (900, 640)
    drawn = pygame.image.tobytes(draw.background("title", size, False, True), "RGB")
    first = kept_art.title_background(size, PAPER)  # drawn, and kept
    assert pygame.image.tobytes(first, "RGB") == drawn
    assert len(list((tmp_path / "cache" / "pictures").glob("*.rgb"))) == 1
    kept_art._title_background.cache_clear()
    draw._render.cache_clear()
    again = kept_art.title_background(size, PAPER)  # read back, not drawn
    assert draw.cache_info().currsize == 0
    assert pygame.image.tobytes(again, "RGB") == drawn


def test_a_damaged_kept_picture_is_drawn_again(tiny, tmp_path):
    from game.ui.art import draw
    from game.ui.window import kept_art
    from game.ui.window.theme import PAPER

    size = (820, 600)
    kept_art.title_background(size, PAPER)
    [kept] = (tmp_path / "cache" / "pictures").glob("*.rgb")
    kept.write_bytes(kept.read_bytes()[:1000])
    kept_art._title_background.cache_clear()
    picture = kept_art.title_background(size, PAPER)
    assert pygame.image.tobytes(picture, "RGB") == pygame.image.tobytes(draw.background("title", size), "RGB")
    assert kept.stat().st_size > 1000  # kept whole again


@pytest.fixture
def window_calls(monkeypatch):
    """kira play's two ways into the window, recorded instead of run."""
    import game.ui.window as window

    calls: list[tuple[str, str]] = []

    def first(front, args, load):
        story = load()
        calls.append(("title first", front.title if story is not None else "errors"))
        return 0 if story is not None else 1

    def plain(story, args):
        calls.append(("loaded first", story.title))
        return 0

    monkeypatch.setattr(window, "run_window_first", first)
    monkeypatch.setattr(window, "run_window", plain)
    return calls


def test_kira_play_shows_the_title_first_only_when_the_record_matches(tmp_path, window_calls):
    root = copy_tiny(tmp_path)
    args = ["play", "--ui", "pygame", "--story", str(root)]
    assert main(args) == 0
    assert main(args) == 0
    (root / "story.yaml").write_text((root / "story.yaml").read_text().replace("A tiny story", "A changed story"))
    assert main(args) == 0
    assert main(args) == 0
    assert window_calls == [("loaded first", "A tiny story"), ("title first", "A tiny story"),
                            ("loaded first", "A changed story"), ("title first", "A changed story")]


def test_a_story_broken_after_its_title_was_kept_still_reports_its_errors(tmp_path, window_calls, capsys):
    root = copy_tiny(tmp_path)
    args = ["play", "--ui", "pygame", "--story", str(root)]
    assert main(args) == 0
    (root / "scenes.yaml").write_text((root / "scenes.yaml").read_text() + "\n  - id: [broken\n")
    assert main(args) == 1
    assert window_calls == [("loaded first", "A tiny story")]
    assert "error" in capsys.readouterr().err


def test_a_load_that_fails_after_the_first_frame_closes_the_window_and_fails(tiny):
    from game.ui.window.app import run_window_first

    assert run_window_first(FrontMatter.of(tiny), make_args(), lambda: None) == 1
    assert not pygame.display.get_init()


def test_the_front_matter_is_the_loaded_storys():
    story = load_story(FIXTURES / "tiny")
    assert FrontMatter.of(story) == (story.id, story.title, story.author, story.root)
