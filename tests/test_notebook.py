"""The notebook: answers formatted as text and written to a new file each time, in the window too."""

from __future__ import annotations

from datetime import datetime

from game.session.notebook import export_notebook, notebook_text


def test_the_notebook_lists_each_question_and_answer_in_order():
    when = datetime(2026, 12, 3, 10, 5)
    text = notebook_text("We the Living", {"Why the Institute?": "Because I chose it.\nNobody else.",
                                           "Was Leo right?": "  Partly.  "}, when)
    assert text.startswith("We the Living: my answers\nWritten down 03 December 2026, 10:05\n")
    assert "1. Why the Institute?\n\nBecause I chose it.\nNobody else.\n\n2. Was Leo right?\n\nPartly.\n" in text
    assert "No answers" in notebook_text("T", {}, when)


def test_each_export_is_a_new_file_and_none_is_overwritten(tmp_path):
    first = export_notebook("story", "T", {"Q?": "A."}, tmp_path, datetime(2026, 12, 3, 10, 5, 1))
    second = export_notebook("story", "T", {"Q?": "B."}, tmp_path, datetime(2026, 12, 3, 10, 5, 2))
    assert first != second and "A." in first.read_text() and "B." in second.read_text()


def test_the_window_notebook_shows_the_answers_and_exports_them(tiny, headless_window, tmp_path):
    import argparse

    import pygame

    from game.ui.window.app import App

    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(tiny, args)
    app.step(wait=False)
    app.game.new_game()
    app.game._begin_new()
    app.game.runner.reflect("What did you give up?", "My coat,\nand my fear.")
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, mod=0, unicode="n", scancode=0))
    app.step(wait=False)
    assert app.top.name == "notebook"
    shown = app.visible_text()
    assert "What did you give up?" in shown and "My coat," in shown and "and my fear." in shown
    export = next(b for b in app.top.focus.buttons if b.label.startswith("Export"))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=export.rect.center, button=1))
    app.step(wait=False)
    assert app.top.name == "message"
    files = list((tmp_path / "saves" / tiny.id).glob("notebook-*.txt"))
    assert len(files) == 1 and "My coat,\nand my fear." in files[0].read_text()
    assert "Notebook exported" in app.visible_text() and "written to" in app.visible_text()
