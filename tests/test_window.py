"""The game window driven headless with real pygame events: what is shown and what the engine did."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pygame
import pytest
from conftest import FIXTURES, ROOT

from game.loader.story import load_story


def make_args(**overrides) -> argparse.Namespace:
    values = dict(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[], student=None,
                  answers=None, out=None, story=None, ui="pygame")
    values.update(overrides)
    return argparse.Namespace(**values)


pytestmark = pytest.mark.usefixtures("headless_window")


@pytest.fixture
def open_app(tiny):
    from game.ui.window.app import App

    def start(story=None, **overrides):
        app = App(story or tiny, make_args(**overrides))
        app.step(wait=False)
        return app

    return start


def press(app, key, mod=0, unicode=""):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))
    app.step(wait=False)


def click(app, pos):
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    app.step(wait=False)


def type_text(app, text):
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    app.step(wait=False)


def hand_in(app):
    """Ctrl+Enter: hand in (or, when it is empty, skip) the answer in a question's field."""
    press(app, pygame.K_RETURN, mod=pygame.KMOD_CTRL)


def go_on(app):
    """Press on past a page: Enter, or Ctrl+Enter where Enter would start a new line of an answer."""
    (hand_in if app.top.name == "question" else lambda a: press(a, pygame.K_RETURN))(app)


def button(app, label):
    return next(b for b in app.top.focus.buttons if b.label == label)


def focus_on(app, label):
    for _ in range(len(app.top.focus.buttons)):
        if app.top.focus.focused.label == label:
            return
        press(app, pygame.K_DOWN)
    raise AssertionError(f"no button {label!r}")


def start_game(app):
    press(app, pygame.K_RETURN)  # "New game" has the focus on a first run
    assert app.top.name == "content-note"
    press(app, pygame.K_RETURN)  # "Begin the story"
    assert app.top.name == "scene"
    press(app, pygame.K_SPACE)  # complete the typewriter


def test_title_screen_shows_the_menu_and_continue_is_greyed_without_saves(open_app):
    app = open_app()
    shown = app.visible_text()
    assert "We the Living" not in shown  # the fixture story has its own title
    assert "A tiny story" in shown and "New game" in shown and "Endings" in shown
    assert not button(app, "Continue").enabled


def test_new_game_by_keyboard_shows_the_scene_and_a_number_key_chooses(open_app):
    app = open_app()
    start_game(app)
    shown = app.visible_text()
    assert "The Hall" in shown and "A cold hall." in shown and "You have 3 coins." in shown
    assert "Be brave" in shown and "You have too little money." in shown  # the locked choice and its reason
    press(app, pygame.K_2)  # "Hide"
    assert app.game.play.scene_id == "yard" and app.game.play.variables["courage"] == 0
    assert app.top.name == "path-map"  # chapter one closed


def test_arrows_and_enter_choose_the_focused_choice(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_RETURN)
    assert not app.game.play.steps  # no choice is lit until the player moves the focus
    press(app, pygame.K_DOWN)
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)
    assert app.game.play.steps[-1].label == "Hide"


def test_a_click_on_a_choice_takes_it(open_app):
    app = open_app()
    start_game(app)
    target = button(app, "Be brave").rect.center
    click(app, target)
    assert app.game.play.steps[-1].label == "Be brave"
    assert "You feel taller." in app.game.aftermath


def test_the_typewriter_is_off_until_the_player_turns_it_on(open_app):
    from game.session.settings import load_settings

    assert load_settings().text_speed == "instant"
    app = open_app()
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    assert not app.top.revealing and "Be brave" in app.visible_text()  # the whole scene and its choices at once


def test_typewriter_reveals_gradually_and_space_completes_it(open_app):
    from game.session.settings import Settings, save_settings

    save_settings(Settings(text_speed="normal"))
    app = open_app()
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    scene = app.top
    assert scene.revealing
    assert "Be brave" not in app.visible_text()  # choices wait for the text
    press(app, pygame.K_SPACE)
    assert not scene.revealing and "Be brave" in app.visible_text()


def test_scripted_run_writes_one_picture_per_screen(tmp_path):
    shots = tmp_path / "shots"
    record = tmp_path / "run.json"
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--ui", "pygame", "--story", str(FIXTURES / "tiny"),
         "--choices", "1,1", "--screenshot-dir", str(shots), "--record", str(record)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 0, result.stderr
    names = [p.name for p in sorted(shots.iterdir())]
    assert names[0] == "01-title.png" and "03-scene.png" in names
    assert any("ending" in n for n in names) and any("summary" in n for n in names)
    assert names[-1].endswith("the-end.png")
    assert pygame.image.load(str(shots / names[2])).get_size() == (1280, 720)
    assert '"ending": "hero"' in record.read_text()
    mask = __import__("os").umask(0)
    __import__("os").umask(mask)
    assert record.stat().st_mode & 0o777 == 0o666 & ~mask  # a record is made to be handed on, like the terminal's


def test_shipped_story_opens(open_app):
    app = open_app(load_story(ROOT / "story" / "we_the_living"))
    assert "We the Living" in app.visible_text()


def test_save_quit_restart_and_continue(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_1)  # Be brave: chapter one closes, its map is shown
    press(app, pygame.K_RETURN)  # Continue past the map
    assert app.top.name == "question"
    type_text(app, "Nothing at all.")
    hand_in(app)
    assert app.top.name == "scene" and app.game.play.scene_id == "yard"
    press(app, pygame.K_s)
    assert app.top.name == "save"
    assert app.top.focus.focused.label == "Slot 1"  # the autosave is the game's own
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)  # slot 2
    assert app.top.name == "scene" and "Saved in slot 2." in app.visible_text()
    saved = app.game.play.to_dict()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.step(wait=False)
    assert not app.running
    pygame.display.quit()

    again = open_app()
    assert button(again, "Continue").enabled and "The Yard" in again.visible_text()
    press(again, pygame.K_RETURN)  # Continue has the focus when there is a save
    assert again.top.name == "scene" and again.game.play.to_dict()["variables"] == saved["variables"]
    assert again.game.answers == {"What did you give up?": "Nothing at all."}
    press(again, pygame.K_ESCAPE)
    press(again, pygame.K_ESCAPE)
    press(again, pygame.K_l)
    assert again.top.name == "load" and "The Yard" in again.visible_text() and "Slot 2".upper() in again.visible_text()


def test_pause_menu_by_keyboard_and_undo(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_2)
    press(app, pygame.K_RETURN)  # past the map
    hand_in(app)  # skip the empty reflection
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "pause" and "Undo last choice" in app.visible_text()
    focus_on(app, "Undo last choice")
    press(app, pygame.K_RETURN)
    assert app.top.name == "scene" and app.game.play.scene_id == "hall" and not app.game.play.steps


def test_settings_change_by_keys_and_are_kept(open_app, tmp_path):
    from game.session.settings import load_settings

    app = open_app()
    focus_on(app, "Settings")
    press(app, pygame.K_RETURN)
    assert app.top.name == "settings" and "Medium" in app.visible_text()
    body_before = app.metrics.body
    press(app, pygame.K_RIGHT)
    assert app.settings.text_size == "large" and app.metrics.body > body_before
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)  # the typeface: serif -> sans-serif, drawn at once
    assert app.cache.fonts.family == "sans" and "Sans-serif" in app.visible_text()
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)  # line spacing: normal -> wide
    assert app.settings.line_spacing == "wide" and app.cache.spacing > 1
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)  # letter spacing: normal -> wide, shown in the preview
    assert app.settings.letter_spacing == "wide" and app.cache.letters(app.metrics.body) > 0
    assert "Wide" in app.visible_text()
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)  # the typewriter: off -> slow
    press(app, pygame.K_DOWN)
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)  # high contrast on
    assert app.theme.high_contrast
    kept = load_settings(tmp_path / "config" / "settings.json")
    assert (kept.text_size, kept.font, kept.line_spacing, kept.letter_spacing, kept.text_speed,
            kept.high_contrast) == ("large", "sans", "wide", "wide", "slow", True)


def test_history_shows_earlier_text_and_choices(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_1)
    press(app, pygame.K_RETURN)
    hand_in(app)
    press(app, pygame.K_h)
    assert app.top.name == "history"
    press(app, pygame.K_HOME)
    shown = app.visible_text()
    assert "The Hall" in shown and "A cold hall." in shown and "\u203a Be brave" in shown


def test_codex_and_endings_gallery(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_c)
    assert app.top.name == "codex" and "Petrograd" in app.visible_text() and "The city." in app.visible_text()
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_ESCAPE)
    focus_on(app, "Title screen")
    press(app, pygame.K_RETURN)
    assert app.top.name == "title"
    focus_on(app, "Endings")
    press(app, pygame.K_RETURN)
    assert app.top.name == "endings" and "0 of 2 endings reached" in app.visible_text()


def test_reaching_an_ending_shows_its_pages_and_opens_it_in_the_gallery(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_1)
    press(app, pygame.K_RETURN)  # map
    hand_in(app)  # skip reflection
    press(app, pygame.K_SPACE)
    press(app, pygame.K_1)  # Go on: the router sends the brave to "hero"
    seen = []
    while app.top.name != "the-end" and len(seen) < 30:
        seen.append(app.top.name)
        if app.top.name == "ending-1":
            assert "You were brave." in app.visible_text()
        go_on(app)
    assert seen[:5] == ["ending-1", "ending-2", "ending-3", "summary", "path-map"] and "question" in seen
    assert app.game.gallery.reached("hero")


def test_f5_reloads_the_story_keeping_the_place_and_shows_errors(make_story, open_app):
    import shutil

    root = make_story({})
    shutil.copytree(FIXTURES / "tiny", root, dirs_exist_ok=True)
    app = open_app(load_story(root))
    start_game(app)
    press(app, pygame.K_1)
    press(app, pygame.K_RETURN)
    hand_in(app)
    scenes = root / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("The yard is empty.", "The yard is full of snow."))
    press(app, pygame.K_F5)
    press(app, pygame.K_SPACE)
    assert app.game.play.scene_id == "yard" and "The yard is full of snow." in app.visible_text()
    scenes.write_text(scenes.read_text().replace("to: fate", "to: nowhere"))
    press(app, pygame.K_F5)
    assert app.top.name == "message" and "nowhere" in app.visible_text()
    press(app, pygame.K_RETURN)
    assert app.top.name == "scene" and app.game.play.scene_id == "yard"


def test_resizing_lays_everything_out_again(open_app):
    app = open_app()
    start_game(app)
    pygame.display.set_mode((800, 600), pygame.RESIZABLE)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(800, 600), w=800, h=600))
    app.step(wait=False)
    assert app.size == (800, 600) and app.top.sheet.right <= 800
    assert button(app, "Be brave").rect.right <= 800


def test_assignment_in_the_window_with_typed_answers(open_app, tmp_path):
    import json

    out = tmp_path / "ada.submission.json"
    app = open_app(assignment=FIXTURES / "tiny_assignment.yaml", out=out)
    assert app.top.name == "student-name"
    type_text(app, "Ada Łukasiewicz")
    press(app, pygame.K_RETURN)
    assert app.top.name == "instructions" and "Undo is switched off" in app.visible_text()
    press(app, pygame.K_RETURN)
    press(app, pygame.K_SPACE)
    press(app, pygame.K_1)
    press(app, pygame.K_RETURN)  # past the chapter's map
    assert app.top.name == "question" and "What did your first choice cost you?" in app.visible_text()
    type_text(app, "Some")
    hand_in(app)
    assert "at least 3 words" in app.visible_text()
    type_text(app, " of my comfort, naïvely.")
    hand_in(app)
    # The question about the yard waits until the yard has been read: it comes when the student goes on.
    press(app, pygame.K_SPACE)
    assert app.top.name == "scene" and "The yard is empty." in app.visible_text()
    press(app, pygame.K_1)
    assert app.top.name == "question" and "Describe the yard" in app.visible_text()
    assert app.game.play.scene_id == "yard"  # no choice was taken
    type_text(app, "Cold, empty.")
    hand_in(app)
    press(app, pygame.K_SPACE)
    press(app, pygame.K_1)
    for _ in range(30):
        if app.top.name == "question":
            break
        press(app, pygame.K_RETURN)
    type_text(app, "Yes, because I chose it and paid for it.")
    hand_in(app)
    assert app.top.name == "submission" and "Handed in" in app.visible_text()
    record = json.loads(out.read_text())
    assert record["student"] == "Ada Łukasiewicz" and record["ending"] == "hero"
    assert [a["answer"] for a in record["answers"]][0] == "Some of my comfort, naïvely."


def test_a_damaged_save_offers_its_backup(open_app, tiny):
    from game.runtime.playthrough import Playthrough
    from game.session.saves import SaveStore

    store = SaveStore(tiny)
    play = Playthrough(tiny)
    store.save("4", play)
    play.choose(1)
    store.save("4", play)  # the first save is now the backup
    store.path("4").write_text("{not json")
    app = open_app()
    focus_on(app, "Load a saved game")
    press(app, pygame.K_RETURN)
    assert "This save is damaged." in app.visible_text()
    focus_on(app, "Slot 4")
    press(app, pygame.K_RETURN)
    assert app.top.name == "confirm" and "Load the previous save of this slot?" in app.visible_text()
    press(app, pygame.K_RETURN)  # "Load the previous save" has the focus
    assert app.top.name == "scene" and app.game.play.scene_id == "hall"


def test_f11_switches_fullscreen_and_back(open_app):
    app = open_app()
    press(app, pygame.K_F11)
    assert app.settings.fullscreen and pygame.display.get_surface() is app.surface
    press(app, pygame.K_F11)
    assert not app.settings.fullscreen and app.size == (1280, 720)
    assert "New game" in app.visible_text()


def test_escape_on_the_title_goes_to_quit_without_a_box_repeating_the_menu(open_app):
    app = open_app()
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "title" and len(app.stack) == 1 and app.top.focus.focused.label == "Quit"
    press(app, pygame.K_RETURN)
    assert not app.running


def test_text_field_edits_by_keys_and_pastes():
    from game.ui.window.screens.entry import TextField

    pygame.display.init()
    pygame.display.set_mode((100, 100))
    field = TextField("ab")
    for event in (pygame.event.Event(pygame.TEXTINPUT, text="ё"),
                  pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LEFT, mod=0),
                  pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0),
                  pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0)):
        assert field.handle(event)
    assert field.text == "a\nё" and field.words == 2
    pygame.scrap.put_text("  Невский проспект")
    field.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_END, mod=0))
    field.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_v, mod=pygame.KMOD_CTRL))
    assert field.text.endswith("Невский проспект")
    field.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=pygame.KMOD_CTRL))
    assert field.text.endswith("Невский ")


def test_a_fault_in_a_screen_is_shown_not_fatal(open_app, monkeypatch, capsys):
    from game.ui.window.screens.title import TitleScreen

    app = open_app()

    def broken(self, event):
        raise ValueError("a broken screen")

    monkeypatch.setattr(TitleScreen, "handle", broken)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    assert app.run() == 0
    assert app.top.name == "message" and "ValueError: a broken screen" in app.top.lines
    assert "a broken screen" in capsys.readouterr().err


def test_undo_from_the_menu_on_a_chapter_map_returns_to_the_scene(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_1)
    assert app.top.name == "path-map"
    press(app, pygame.K_ESCAPE)
    focus_on(app, "Undo last choice")
    press(app, pygame.K_RETURN)
    assert [s.name for s in app.stack] == ["scene"] and not app.flow and app.game.play.scene_id == "hall"


def test_a_scripted_number_not_on_screen_says_why_and_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--ui", "pygame", "--story", str(FIXTURES / "tiny"), "--choices", "7"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 2 and "there is no choice 7 in the scene 'hall' (choices 1 to 2)" in result.stderr


def test_an_answer_takes_new_lines_with_enter_scrolls_and_is_handed_in_with_ctrl_enter(open_app):
    app = open_app()
    start_game(app)
    press(app, pygame.K_1)
    press(app, pygame.K_RETURN)  # past the map
    assert app.top.name == "question"
    for number in range(12):
        type_text(app, f"Line {number}")
        press(app, pygame.K_RETURN)  # a new line, not the end of the answer
    assert app.top.name == "question" and app.top.field.text.count("\n") == 12
    question = app.top
    assert question.field_first > 0  # the caret's line is in view: the box has scrolled down
    pygame.mouse.set_pos(question.field_view.center)  # the wheel over the field scrolls the answer up
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=3, flipped=False, precise_x=0, precise_y=3))
    before = question.field_first
    app.step(wait=False)
    assert question.field_first < before
    hand_in(app)
    assert app.top.name == "scene"
    assert app.game.answers["What did you give up?"] == "\n".join(f"Line {n}" for n in range(12))


def test_wide_line_spacing_opens_up_the_scenes_lines(open_app):
    app = open_app()
    start_game(app)
    normal = app.top.doc.lines
    gaps = {b.y - a.y for a, b in zip(normal, normal[1:], strict=False) if a.px == b.px == app.metrics.body}
    app.change_settings(app.settings._replace(line_spacing="wide"))
    app.top.invalidate()
    app.step(wait=False)
    wide = app.top.doc.lines
    wide_gaps = {b.y - a.y for a, b in zip(wide, wide[1:], strict=False) if a.px == b.px == app.metrics.body}
    assert min(wide_gaps) > min(gaps)


def test_letter_spacing_spreads_the_reading_text_and_still_wraps_inside_the_column(open_app):
    app = open_app(load_story(ROOT / "story" / "we_the_living"))  # long paragraphs
    start_game(app)
    body = app.metrics.body
    normal = [line for line in app.top.doc.lines if line.px == body and line.face == "serif"]
    assert normal and all(line.tracking == 0 for line in normal)
    app.change_settings(app.settings._replace(letter_spacing="wider"))
    app.top.invalidate()
    app.step(wait=False)
    doc = app.top.doc
    spaced = [line for line in doc.lines if line.px == body and line.face == "serif"]
    assert all(line.tracking == app.cache.letters(body) > 0 for line in spaced)
    assert len(spaced) > len(normal)  # wider letters: the same paragraphs take more lines
    for line in spaced:  # and every line still fits the column, measured as it is drawn
        drawn = app.cache.render(line.face, line.px, line.text, line.color, line.tracking)
        assert line.x + drawn.get_width() <= doc.width, line.text
    heading = [line for line in doc.lines if line.px > body]  # the scene's title is not letter-spaced
    assert heading and all(line.tracking == 0 for line in heading)


def test_the_settings_preview_shows_whole_sentences_in_the_chosen_spacing(open_app):
    from game.ui.window.screens.settings import SAMPLE, SCREEN_READERS, SettingsScreen

    app = open_app()
    app.change_settings(app.settings._replace(text_size="largest", letter_spacing="wider", line_spacing="wide"))
    app.push(SettingsScreen(app))
    app.step(wait=False)
    assert SCREEN_READERS in app.visible_text()
    whole = " ".join(SAMPLE)
    sample = " ".join(line for line in app.cache.shown if line and line in whole and line not in ("Wide", "Wider"))
    assert sample in [" ".join(SAMPLE[:count]) for count in range(1, len(SAMPLE) + 1)]  # whole sentences only


def test_a_misspelt_background_is_warned_about_and_drawn_as_the_quiet_page(open_app, make_story):
    from game.authoring.lint import lint
    from game.ui.art.draw import background

    root = make_story({"scenes.yaml": """\
        scenes:
          - id: a
            title: A street
            date: July 1926
            background: stret_snow
            text: The rain stops.
            choices:
              - {label: Go on, to: end}
        endings:
          - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
        """})
    story = load_story(root)
    warned = [d for d in lint(story) if d.code == "unknown-background"]
    assert len(warned) == 1 and warned[0].pos.line == 5 and "street_snow" in warned[0].hint
    app = open_app(story)
    start_game(app)
    app.draw()
    quiet = background(None, app.size)
    corner = (app.size[0] - 2, 2)  # beside the column, where the picture shows
    assert app.surface.get_at(corner)[:3] == quiet.get_at(corner)[:3]
    assert app.surface.get_at(corner)[:3] != background("street_snow", app.size, winter=False).get_at(corner)[:3]
