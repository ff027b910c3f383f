"""The window, its event loop and its stack of screens.

The loop redraws only when something changed (an event a screen used, a
resize, an animation) and otherwise sleeps in ``Clock.tick(30)``, which
costs well under 1 % of a core. A scripted run (``--choices``) plays the
path by itself, writing one PNG per screen shown when ``--screenshot-dir``
is given, and quits.

Start-up shows the title before anything else (:func:`run_window_first`):
the window opens on the title screen drawn from the story's front matter
(game/loader/front.py), and only after that first frame is the story
loaded and the engine imported (:meth:`App.attach`). Events that arrive
meanwhile wait in SDL's queue and are handled once the title is live.
"""

from __future__ import annotations

import argparse
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from game.loader.front import FrontMatter  # noqa: E402
from game.session.saves import SaveStore  # noqa: E402
from game.session.settings import Settings, load_settings, save_settings  # noqa: E402
from game.ui.window.base import Screen  # noqa: E402
from game.ui.window.screens.title import TitleScreen  # noqa: E402
from game.ui.window.text import TextCache  # noqa: E402
from game.ui.window.theme import BASE_SIZE, Fonts, Metrics, Theme, theme_for  # noqa: E402
from game.ui.window.widgets import spoken_button  # noqa: E402

if TYPE_CHECKING:
    from game.runtime.model import Story
    from game.ui.window.flow import Game

IDLE_FPS = 30
ANIMATION_FPS = 60
STALL_FRAMES = 5  # a scripted run that stops moving for this many frames gives up


class App:
    """Owns the display, the settings, the screens and the game being played.

    Made with a story, it is ready at once. Made with only the story's front matter, it shows the title
    (its first frame, :meth:`first_frame`) and waits for :meth:`attach` to give it the loaded story."""

    story: Story  # set by attach()
    game: Game  # set by attach()

    def __init__(self, story: Story | None, args: argparse.Namespace, size: tuple[int, int] = BASE_SIZE,
                 front: FrontMatter | None = None):
        pygame.display.init()
        pygame.font.init()
        if front is None:
            if story is None:
                raise ValueError("the window needs a story or its front matter")
            front = FrontMatter.of(story)
        self._front = front
        self.attached = False
        self.args = args
        self.settings = load_settings()
        self.story_generation = 0
        self.windowed_size = size
        self.surface = self._open(size)
        pygame.display.set_caption(front.title)
        pygame.display.set_icon(_icon())
        pygame.key.set_repeat(350, 35)
        pygame.key.stop_text_input()
        self.cache = TextCache(Fonts(self.settings.font))
        self.cache.spacing = self.settings.spacing
        self.cache.letter_spacing = self.settings.tracking
        self.clock = pygame.time.Clock()
        self.stack: list[Screen] = []
        self.flow: list[Any] = []  # screens still to come after the current one (chapter ends, endings)
        self.dirty = True
        self.running = True
        self.exit_code = 0
        self.frames = 0
        self._metrics: tuple[Any, Metrics] | None = None
        self._last_tick = time.perf_counter()
        choices = getattr(args, "choices", None)
        self.script = iter(choices) if choices is not None else None
        self.shot_dir: Path | None = getattr(args, "screenshot_dir", None)
        self.shots: list[Path] = []
        self._shown_key: object = None
        self._stalled = 0
        self._typing = False
        self._pending: list[pygame.event.Event] = []
        self._toast: tuple[str, float] | None = None
        self.voice: Any = None  # a game.ui.voice.Voice while the screen is read aloud
        self._spoken: tuple[object, object] = (None, None)
        self._title_store: SaveStore | None = None
        if story is not None:
            self.attach(story)
        else:
            if self.script is None and getattr(args, "assignment", None) is None:
                self._title_store = SaveStore(front)  # the same folder the game's store will read
            self.replace_all(TitleScreen(self))

    def first_frame(self) -> None:
        """Draw the screen on top and show it, without handling any event (they wait in SDL's queue)."""
        self.top.ensure_layout()
        self.draw()
        pygame.display.flip()

    def attach(self, story: Story) -> None:
        """Play ``story``: the game's view of a session takes over, starting at the title (or an assignment)."""
        from game.ui.window.flow import Game  # the engine: imported after the first frame

        self.story = story
        self.attached = True
        if story.title != self._front.title:
            pygame.display.set_caption(story.title)
        self.game = Game(self)
        self.game.start()
        self._title_store = None
        if self.settings.self_voicing and self.script is None:
            self._voice_on()

    @property
    def front(self) -> FrontMatter:
        """What the title shows of the story: the loaded story's, or the front matter read before it."""
        return FrontMatter.of(self.story) if self.attached else self._front

    @property
    def title_store(self) -> SaveStore | None:
        """The saves the title lists; before the story is loaded, the same folder read through its front matter."""
        return self.game.store if self.attached else self._title_store

    # -- display ---------------------------------------------------------------------------------
    def _open(self, size: tuple[int, int]) -> pygame.Surface:
        if self.settings.fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                pass
        size = (max(size[0], MIN_WINDOW[0]), max(size[1], MIN_WINDOW[1]))
        surface = pygame.display.set_mode(size, pygame.RESIZABLE)
        _keep_minimum_size()
        return surface

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    @property
    def theme(self) -> Theme:
        return theme_for(self.settings)

    @property
    def metrics(self) -> Metrics:
        key = (self.size, self.settings)
        if self._metrics is None or self._metrics[0] != key:
            self._metrics = (key, Metrics.of(self.size, self.settings))
        return self._metrics[1]

    def change_settings(self, settings: Settings) -> None:
        """Apply and keep new settings (reopening the window when fullscreen changed)."""
        old = self.settings
        self.settings = settings
        if settings.font != old.font:
            self.cache = TextCache(Fonts(settings.font))
        self.cache.spacing = settings.spacing
        self.cache.letter_spacing = settings.tracking
        if settings.self_voicing != old.self_voicing:
            self._voice_on() if settings.self_voicing else self._voice_off()
        if settings.fullscreen != old.fullscreen:
            if not old.fullscreen:
                self.windowed_size = self.size
            self.surface = self._open(self.windowed_size)
        if self.script is None:
            try:
                save_settings(settings)
            except OSError as exc:
                self.show_error("Settings could not be saved", [str(exc)])
        self.dirty = True

    # -- screens ---------------------------------------------------------------------------------
    @property
    def top(self) -> Screen:
        return self.stack[-1]

    def push(self, screen: Screen) -> None:
        self.stack.append(screen)
        self.dirty = True

    def pop(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()
        self.dirty = True

    def replace_all(self, screen: Screen) -> None:
        self.stack = [screen]
        self.flow = []
        self.dirty = True

    def refresh_all(self) -> None:
        """Lay every screen out again (the playthrough or the story changed under them)."""
        for screen in self.stack:
            screen.invalidate()
        self.dirty = True

    def queue(self, factories: list[Any]) -> None:
        """Show these screens one after another (each calls :meth:`advance` when done)."""
        self.flow = list(factories)
        self.advance(pop=False)

    def advance(self, pop: bool = True) -> None:
        if pop:
            self.pop()
        if self.flow:
            self.push(self.flow.pop(0)())

    def open_pause(self) -> None:
        from game.ui.window.screens.pause import PauseMenu  # screens load when first shown

        self.push(PauseMenu(self))

    def toast(self, text: str, seconds: float = 2.5) -> None:
        """A short note at the foot of the window ("Saved in slot 2."), gone after a few seconds."""
        self._toast = (text, time.perf_counter() + seconds)
        self.dirty = True

    def show_error(self, title: str, lines: list[str]) -> None:
        from game.ui.window.screens.boxes import MessageBox  # screens load when first shown

        self.push(MessageBox(self, title, lines))

    # -- the loop --------------------------------------------------------------------------------
    def run(self) -> int:
        """Loop until the player quits. A fault in a screen is shown in a box rather than closing the
        game (the autosave is at the last scene); the same fault again and again is raised."""
        failures = 0
        while self.running:
            try:
                self.step()
                failures = 0
            except Exception as exc:
                failures += 1
                if failures > 3 or self.script is not None:
                    raise
                traceback.print_exc()
                self.show_error("Something went wrong", [f"{type(exc).__name__}: {exc}",
                                                          "Your place is kept in the autosave."])
        return self.exit_code

    def step(self, wait: bool = True) -> None:
        """One turn of the loop: events, animation, a redraw if needed, then sleep."""
        self._pending.extend(pygame.event.get())
        while self._pending:  # one at a time, so a fault in one leaves the rest for the next step
            self.dispatch(self._pending.pop(0))
            if not self.running:
                return
        now = time.perf_counter()
        dt, self._last_tick = min(0.1, now - self._last_tick), now  # a stall must not skip animation
        self.top.ensure_layout()
        self._text_input(bool(getattr(self.top, "wants_text", False)))
        animating = self.top.update(dt)
        if self._toast is not None and now > self._toast[1]:
            self._toast = None
            self.dirty = True
        if self.dirty or animating:
            self.draw()
            pygame.display.flip()
            self.dirty = False
            if self.voice is not None:
                self._speak_changes()
        if self.script is not None and not animating:
            self.direct()
        if wait:
            self.clock.tick(ANIMATION_FPS if animating else IDLE_FPS)

    def _text_input(self, wanted: bool) -> None:
        """Ask the system for composed text only while a text field is on screen."""
        if wanted != self._typing:
            self._typing = wanted
            (pygame.key.start_text_input if wanted else pygame.key.stop_text_input)()

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
        elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self.surface = pygame.display.get_surface() or self.surface
            if not self.settings.fullscreen:
                self.windowed_size = self.size
            self.dirty = True
        elif event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWSHOWN,
                            pygame.WINDOWFOCUSGAINED):
            self.dirty = True
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F5:
            self.game.reload_story()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.change_settings(self.settings.cycled("fullscreen"))
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_v and not getattr(self.top, "wants_text", False):
            self.change_settings(self.settings.cycled("self_voicing"))
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 3:
            self.top.ensure_layout()
            self.top.escape()  # as in Ren'Py: the right button opens the menu, and closes it or goes back
        else:
            self.top.ensure_layout()
            self.top.handle(event)

    def draw(self) -> None:
        self.cache.shown = []
        base = max((i for i, s in enumerate(self.stack) if not s.overlay), default=0)
        for screen in self.stack[base:]:
            screen.ensure_layout()
            screen.draw(self.surface)
        if self._toast is not None:
            self._draw_toast(self._toast[0])
        self.frames += 1

    # -- self-voicing ----------------------------------------------------------------------------
    def _voice_on(self) -> None:
        from game.ui.voice import Voice, VoiceUnavailable

        try:
            self.voice = Voice()
        except VoiceUnavailable as exc:
            self.voice = None
            self.show_error("Reading aloud is not available", [str(exc)])
            return
        self.voice.say("Reading aloud is on. Press V to turn it off.")
        self._spoken = (None, None)

    def _voice_off(self) -> None:
        if self.voice is not None:
            self.voice.say("Reading aloud is off.")
            self.voice.close()
        self.voice = None

    def _speak_changes(self) -> None:
        """Read a screen when it first shows (or its scene changes), then the button the focus moves to."""
        top = self.top
        screen_key = (id(top), getattr(top, "version", 0))
        focused = top.focus.focused
        if screen_key != self._spoken[0]:
            self.voice.say(top.speech(self.cache.shown))
        elif focused is not None and focused is not self._spoken[1]:
            self.voice.say(spoken_button(focused))
        self._spoken = (screen_key, focused)

    def _draw_toast(self, text: str) -> None:
        m, theme = self.metrics, self.theme
        width = self.cache.size("serif", m.ui, text)[0] + m.px(48)
        rect = pygame.Rect(0, 0, width, round(m.ui * 2.2))
        rect.midtop = (m.width // 2, m.px(14))
        pygame.draw.rect(self.surface, theme.ink, rect, border_radius=rect.height // 2)
        self.cache.draw(self.surface, "serif", m.ui, text, theme.paper, rect.center, anchor="center")

    def visible_text(self) -> str:
        """Every piece of text drawn in the last frame, joined (tests read the screen with it)."""
        return "\n".join(self.cache.shown)

    # -- scripted runs ---------------------------------------------------------------------------
    def direct(self) -> None:
        """In a scripted run, photograph each new screen once and then act on it."""
        top = self.top
        key = (id(top), getattr(top, "version", 0), len(self.stack))
        if key == self._shown_key:
            self._stalled += 1
            if self._stalled > STALL_FRAMES:
                self.exit_code = self.exit_code or 2
                self.quit()
            return
        self._shown_key, self._stalled = key, 0
        if self.dirty:
            self.draw()
        if self.shot_dir is not None:
            self.screenshot(top.name)
        top.scripted()

    def screenshot(self, name: str) -> Path:
        assert self.shot_dir is not None
        self.shot_dir.mkdir(parents=True, exist_ok=True)
        path = self.shot_dir / f"{len(self.shots) + 1:02d}-{name}.png"
        pygame.image.save(self.surface, str(path))
        self.shots.append(path)
        return path

    def next_scripted_choice(self) -> int | None:
        return next(self.script, None) if self.script is not None else None

    def quit(self, code: int | None = None) -> None:
        if code is not None:
            self.exit_code = code
        if self.running:
            self.running = False
            if self.voice is not None:
                self.voice.close()
            if self.attached:
                self.game.stop()


MIN_WINDOW = (800, 600)  # the smallest window every screen is laid out for



def _keep_minimum_size() -> None:
    """Stop the player shrinking the window below what the screens are laid out for (menus would not fit)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # pygame-ce warns about drawing through Window
            pygame.Window.from_display_module().minimum_size = MIN_WINDOW
    except (AttributeError, pygame.error):
        pass  # an older pygame: the window may be made smaller, and still works


def _icon() -> pygame.Surface:
    """The window's icon, drawn: a red square crossed by a black diagonal, on paper."""
    icon = pygame.Surface((32, 32))
    icon.fill((240, 233, 217))
    icon.fill((160, 40, 30), pygame.Rect(5, 5, 18, 18))
    pygame.draw.line(icon, (33, 29, 27), (3, 29), (29, 3), 4)
    return icon


def run_window(story: Story, args: argparse.Namespace) -> int:
    """Play ``story`` in a window until the player quits; the exit code for ``kira play``."""
    app = App(story, args)
    try:
        return app.run()
    finally:
        pygame.display.quit()


def run_window_first(front: FrontMatter, args: argparse.Namespace, load: Callable[[], Story | None]) -> int:
    """Show the title drawn from ``front`` first, then ``load()`` the story and play it; 1 (the window
    closed, the errors printed by ``load``) when it cannot be played."""
    try:
        app = App(None, args, front=front)
        app.first_frame()
        story = load()
        if story is None:
            return 1
        app.attach(story)
        return app.run()
    finally:
        pygame.display.quit()
