"""Self-voicing: the screen read aloud by an offline text-to-speech engine (pyttsx3; espeak-ng on Linux).

As with Ren'Py's V key, a player who cannot read the screen comfortably
hears the scene, the choice under the focus and every menu. Speech runs on
a worker thread that owns the engine, so the game never waits for it; a new
utterance replaces one not yet spoken and cuts short the one being spoken.
Nothing here knows about pygame: any front end may use it.
"""

from __future__ import annotations

import contextlib
import io
import queue
import threading
import wave
from pathlib import Path
from typing import Any

RATE = 175  # words per minute: espeak-ng's default, clear for most listeners
_engines: list[Any] = []  # one engine for the process: espeak-ng's callbacks are global to the library


class VoiceUnavailable(RuntimeError):
    """No speech engine could be started (pyttsx3 or espeak-ng missing); the message says what to install."""


def _engine() -> Any:
    if _engines:
        return _engines[0]
    try:
        import pyttsx3
    except ImportError as exc:
        raise VoiceUnavailable("reading aloud needs the pyttsx3 package (pip install pyttsx3)") from exc
    try:
        engine = pyttsx3.init()
    except Exception as exc:  # the driver's own errors: a missing libespeak-ng, no audio back end
        raise VoiceUnavailable("reading aloud needs espeak-ng (on Debian or Ubuntu: apt-get install espeak-ng)"
                               f": {exc}") from exc
    engine.setProperty("rate", RATE)
    _engines.append(engine)
    return engine


def render_to_file(text: str, path: Path, tries: int = 3) -> Path:
    """Speak ``text`` into a WAV file (for tests, and for checking the voice without speakers).

    pyttsx3's espeak-ng driver writes the file when espeak-ng reports the end of the message, and on a
    busy machine that report can come with audio it has not yet buffered, leaving an empty file; the
    text is then synthesised again (at most ``tries`` times in all).
    """
    engine = _engine()
    for _ in range(tries):
        with contextlib.redirect_stdout(io.StringIO()):  # the driver prints "Audio saved to ..."
            engine.save_to_file(text, str(path))
            engine.runAndWait()
        if _frames(path):
            break
    return path


def _frames(path: Path) -> int:
    try:
        with wave.open(str(path)) as wav:
            return wav.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


class Voice:
    """Speaks on a worker thread; :meth:`say` returns at once."""

    def __init__(self) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._ready = threading.Event()
        self._error: VoiceUnavailable | None = None
        self._engine: Any = None
        self._thread = threading.Thread(target=self._run, name="voice", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            self._engine = _engine()
        except VoiceUnavailable as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        while True:
            text = self._queue.get()
            while not self._queue.empty():  # only the newest utterance matters
                text = self._queue.get()
            if text is None:
                return
            self._engine.say(text)
            self._engine.runAndWait()

    def say(self, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if self._engine is not None:
            try:
                self._engine.stop()  # cut short what is being said
            except Exception:
                pass
        self._queue.put(text)

    def close(self) -> None:
        self._queue.put(None)
