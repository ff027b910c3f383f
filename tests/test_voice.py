"""Self-voicing: the offline speech engine really speaks the words (rendered to a WAV file and measured),
and the window reads a scene, its choices and the focused button."""

from __future__ import annotations

import array
import ctypes.util
import wave
from pathlib import Path

import pytest

pyttsx3 = pytest.importorskip("pyttsx3", reason="pyttsx3 is not installed (pip install pyttsx3)")
if ctypes.util.find_library("espeak-ng") is None and ctypes.util.find_library("espeak") is None:
    pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): nothing to speak with",
                allow_module_level=True)


def loudness(path: Path) -> tuple[float, float]:
    """The file's length in seconds and the root mean square of its samples (0 for silence)."""
    with wave.open(str(path)) as wav:
        assert wav.getsampwidth() == 2
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    rms = (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5
    return seconds, rms


def test_speech_is_rendered_to_a_file_and_longer_text_takes_longer(tmp_path):
    from game.ui.voice import render_to_file

    short = render_to_file("Petrograd.", tmp_path / "short.wav")
    long = render_to_file("The train stops with a jolt that throws your mother against the window. "
                          "Four years in the Crimea, and this is where the waiting ends.", tmp_path / "long.wav")
    short_seconds, short_rms = loudness(short)
    long_seconds, long_rms = loudness(long)
    assert 0.3 < short_seconds < 3 and short_rms > 300  # a word, spoken, not silence
    assert long_seconds > 3 * short_seconds and long_rms > 300


def test_the_window_reads_the_scene_and_its_choices(tiny, headless_window, monkeypatch):
    import argparse

    import pygame

    from game.session.settings import Settings, save_settings
    from game.ui.window.app import App

    said: list[str] = []

    class Recorder:
        def __init__(self):
            pass

        def say(self, text):
            said.append(text)

        def close(self):
            pass

    monkeypatch.setattr("game.ui.voice.Voice", Recorder)
    save_settings(Settings(self_voicing=True))
    args = argparse.Namespace(choices=None, screenshot_dir=None, seed=0, record=None, assignment=None, pack=[],
                              student=None, answers=None, out=None, story=None, ui="pygame")
    app = App(tiny, args)
    app.step(wait=False)
    assert said[0].startswith("Reading aloud is on") and "New game" in said[1]  # the title screen's menu
    app.game.new_game()
    app.game._begin_new()
    app.step(wait=False)
    assert "The Hall" in said[-1] and "A cold hall." in said[-1] and "1. Be brave" in said[-1]
    assert "Not available now. You have too little money." in said[-1] or "Hide" in said[-1]
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_DOWN, mod=0, unicode="", scancode=0))
    app.step(wait=False)
    assert said[-1] == "1. Be brave"
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_v, mod=0, unicode="v", scancode=0))
    app.step(wait=False)
    assert said[-1] == "Reading aloud is off." and app.voice is None and not app.settings.self_voicing
