"""The window's view of a session: screens for the beats the session runner returns.

Everything that changes the playthrough goes through the
:class:`~game.session.runner.Session` (choices, undo, saves, answers,
the autosave and the gallery); :class:`Game` only turns its beats into
screens: an ending's pages, a chapter's path map, questions, the hand-in.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from game.atomic import write_atomic
from game.errors import ChoiceUnavailable, CorruptSave, PlayError, SaveMismatch
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough
from game.session.gallery import Gallery
from game.session.runner import (
    Ask,
    Beat,
    ChapterClosed,
    EndingReached,
    HandIn,
    Reflect,
    Session,
    ShowScene,
    TheEnd,
    UndoOff,
)
from game.session.saves import SaveStore, story_folder_name
from game.ui.window.screens.boxes import ConfirmBox
from game.ui.window.screens.content_note import ContentNoteScreen
from game.ui.window.screens.title import TitleScreen

if TYPE_CHECKING:
    from game.classroom.assignment import Assignment, Question
    from game.session.assignment import AssignmentSession
    from game.ui.window.app import App
    from game.ui.window.base import Screen

Factory = Callable[[], "Screen"]


class Game:
    def __init__(self, app: App):
        self.app = app
        self.scripted = app.script is not None
        self.store: SaveStore | None = None if self.scripted else SaveStore(app.story)
        self.gallery: Gallery | None = None if self.scripted else Gallery(story_folder_name(app.story))
        self.runner: Session | None = None
        self.scripted_answers: dict[str, str] | None = None
        self.script_failed = False
        self.failure = ""  # why a scripted run could not finish
        self.assignment: Assignment | None = None
        self.pending: AssignmentSession | None = None  # named, not yet begun (the instructions are on screen)
        self.after_reading: list[Factory] = []  # questions about the scene on screen, asked when the player goes on

    # -- what screens read ---------------------------------------------------------------
    @property
    def story(self) -> Story:
        return self.app.story

    @property
    def play(self) -> Playthrough | None:
        return self.runner.play if self.runner is not None else None

    @property
    def session(self) -> AssignmentSession | None:
        """The assignment being played, if any."""
        return self.runner.assignment if self.runner is not None else None

    @property
    def answers(self) -> dict[str, str]:
        return self.runner.reflections if self.runner is not None else {}

    @property
    def aftermath(self) -> str:
        return self.runner.aftermath if self.runner is not None else ""

    @property
    def can_save(self) -> bool:
        return self.runner is not None and self.runner.can_save

    def start(self) -> None:
        if getattr(self.app.args, "assignment", None) is not None:
            from game.ui.window.screens.assignment import start_assignment  # screens load when first shown

            start_assignment(self)
            return
        self.app.replace_all(TitleScreen(self.app))

    # -- starting and ending play ----------------------------------------------------------------
    def _free_session(self, play: Playthrough) -> Session:
        return Session(self.story, play, store=self.store, gallery=self.gallery,
                       on_keep_error=lambda exc: self.app.show_error("The game could not be saved", [str(exc)]))

    def new_game(self) -> None:
        self.app.push(ContentNoteScreen(self.app, self._begin_new))

    def _begin_new(self) -> None:
        seed = int(getattr(self.app.args, "seed", 0) or 0)
        self.show(self._free_session(Playthrough(self.story, seed=seed)))

    def begin_assignment(self, session: AssignmentSession) -> None:
        self.show(Session(self.story, session.play, assignment=session))

    def show(self, runner: Session, beats: list[Beat] | None = None) -> None:
        """Show ``runner``'s current scene, replacing whatever was on screen, then its opening beats."""

        from game.ui.window.screens.scene import SceneScreen  # screens load when first shown

        self.runner = runner
        self.app.replace_all(SceneScreen(self.app))
        steps = self.screens_for(runner.opening() if beats is None else beats)
        if steps:
            self.app.queue(steps)

    def to_title(self) -> None:
        self.runner = None
        self.app.replace_all(TitleScreen(self.app))

    def stop(self) -> None:
        """The window is closing: say why a run failed, and write the record a scripted run asked for."""
        if self.failure:
            print(f"error: {self.failure}", file=sys.stderr)
        record = getattr(self.app.args, "record", None)
        if record and self.runner is not None:

            write_atomic(record, json.dumps(self.runner.record(), ensure_ascii=False, indent=1), shared=True)

    # -- choosing --------------------------------------------------------------------------------
    def choose(self, index: int) -> bool:
        """Take the index-th available choice; queue what follows. False if the story failed."""
        assert self.runner is not None
        if self.after_reading:  # the scene has been read: its questions come before the next choice
            steps, self.after_reading = self.after_reading, []
            self.app.queue(steps)
            return False
        try:
            beats = self.runner.choose(index)
        except (PlayError, ChoiceUnavailable) as exc:
            self.app.show_error("The story could not go on", [str(exc), "Pick another choice, or undo (U)."])
            return False
        self.app.refresh_all()
        self.app.queue(self.screens_for(beats))
        return True

    def screens_for(self, beats: list[Beat]) -> list[Factory]:
        """The screens that show the session's beats, in order. Beats after a ShowScene are about the scene
        now on screen: they wait in ``after_reading`` until the student goes on (a scripted run takes them
        at once)."""
        steps: list[Factory] = []
        self.after_reading = []
        held = False
        for beat in beats:
            if isinstance(beat, ShowScene):
                held = not self.scripted
            elif held:
                self.after_reading += self._screens_of(beat)
            else:
                steps += self._screens_of(beat)
        return steps

    def _screens_of(self, beat: Beat) -> list[Factory]:
        from game.ui.window.screens.assignment import SubmissionScreen  # screens load when first shown
        from game.ui.window.screens.ending import EndingPage, SummaryScreen, TheEndScreen
        from game.ui.window.screens.pathmap import PathMapScreen

        if isinstance(beat, EndingReached):
            return [*(lambda page=page: EndingPage(self.app, page) for page in range(3)),
                    lambda: SummaryScreen(self.app)]
        if isinstance(beat, ChapterClosed):
            chapter = beat.chapter.id
            return [lambda: PathMapScreen(self.app, chapter, closing=True)]
        if isinstance(beat, Reflect):
            return self.reflection_steps(list(beat.questions), beat.heading, place=beat.place or None,
                                         date=self.left_date() if beat.place else None)
        if isinstance(beat, Ask):
            return [self.question_step(beat.question)]
        if isinstance(beat, HandIn):
            return [lambda: SubmissionScreen(self.app)]
        if isinstance(beat, TheEnd):
            return [lambda: TheEndScreen(self.app)]
        return []

    def left_date(self) -> str:
        """The date of the scene the last choice was made in (a closed chapter's questions show its season)."""
        play = self.play
        scene = self.story.scenes.get(play.steps[-1].scene) if play is not None and play.steps else None
        return scene.date if scene is not None else ""

    def reflection_steps(self, questions: list[str], heading: str, place: str | None = None,
                         date: str | None = None) -> list[Factory]:
        """A page for each question; ``place`` is the picture behind them (the current scene's by default),
        drawn in the season of ``date``."""

        from game.ui.window.screens.entry import QuestionScreen  # screens load when first shown

        runner = self.runner
        assert runner is not None

        def keep(question: str) -> Callable[[str], str | None]:
            def done(text: str) -> str | None:
                if text.strip():
                    runner.reflect(question, text)
                return None
            return done

        total = len(questions)
        return [lambda q=q, i=i: QuestionScreen(self.app, heading, q, keep(q), number=(i + 1, total),
                                                initial=runner.reflections.get(q, ""), place=place, date=date)
                for i, q in enumerate(questions)]

    def question_step(self, question: Question) -> Factory:
        from game.ui.window.screens.entry import QuestionScreen  # screens load when first shown

        runner = self.runner
        assert runner is not None
        heading = "A question from your teacher"
        return lambda: QuestionScreen(self.app, heading, question.text, lambda text: runner.answer(question, text),
                                      min_words=question.min_words, skippable=False, question_id=question.id,
                                      looks_for=question.looks_for())

    def undo(self) -> bool:
        if self.runner is None:
            return False
        try:
            if not self.runner.undo():
                return False
        except UndoOff as exc:
            self.app.show_error("Undo is off", [str(exc)])
            return False
        del self.app.stack[1:]  # a chapter's map or questions belong to the step just taken back
        self.app.flow = []
        self.after_reading = []
        self.app.refresh_all()
        return True

    # -- saves -----------------------------------------------------------------------------------
    def save(self, slot: str, quiet: bool = False) -> bool:
        if self.runner is None or not self.runner.can_save:
            return False
        try:
            self.runner.save(slot)
        except OSError as exc:
            self.app.show_error("The game could not be saved", [str(exc)])
            return False
        return True

    def load(self, slot: str, backup: bool = False) -> None:
        """Load a slot; a damaged one offers its backup, an outdated one its chapter's start."""

        runner = self.runner if self.runner is not None and self.runner.can_save else \
            self._free_session(Playthrough(self.story))
        try:
            beats = runner.load(slot, backup)
        except FileNotFoundError:
            self.app.show_error("Nothing to load", ["That slot is empty."])
            return
        except CorruptSave as exc:
            lines = [f"This save cannot be read: {exc.reason}. The file was left untouched."]
            if not backup and exc.path.with_name(exc.path.name + ".bak").exists():
                self.app.push(ConfirmBox(self.app, "A damaged save", lines + ["Load the previous save of this slot?"],
                                         lambda: self.load(slot, backup=True), yes="Load the previous save"))
            else:
                self.app.show_error("A damaged save", lines)
            return
        except SaveMismatch as exc:
            self.offer_chapter_start(runner, slot, exc, backup)
            return
        except OSError as exc:
            self.app.show_error("The save cannot be read", [str(exc)])
            return
        self.show(runner, beats)

    def offer_chapter_start(self, runner: Session, slot: str, problem: SaveMismatch, backup: bool) -> None:
        if not problem.chapter:
            self.app.show_error("This save no longer fits the story", [str(problem)])
            return
        chapter = self.story.chapters.get(problem.chapter)
        name = chapter.title if chapter else problem.chapter

        def restart_chapter() -> None:
            try:
                beats = runner.load_chapter_start(slot, backup)
            except (SaveMismatch, CorruptSave, OSError) as exc:
                self.app.show_error("This save cannot be used", [str(exc)])
                return
            self.show(runner, beats)

        self.app.push(ConfirmBox(self.app, "This save no longer fits the story",
                                 [f"{problem}.", f"Start again at the beginning of {name}, keeping the effects "
                                  "of your choices so far?"], restart_chapter, yes=f"Start {name}"))

    def continue_latest(self) -> None:
        latest = self.store.latest() if self.store else None
        if latest is not None:
            self.load(latest.slot)

    # -- writers' reload -------------------------------------------------------------------------
    def reload_story(self) -> None:
        """F5: read the story files again and carry on from the same place, or show what is wrong."""
        packs = list(getattr(self.app.args, "pack", []) or [])
        play = self.runner.play if self.runner is not None else Playthrough(self.story)
        try:
            from game.loader.watch import reload_play  # a writer's reload only: players never need it

            result = reload_play(play, Path(self.story.root), packs)
        except OSError as exc:
            self.app.show_error("The story could not be read", [str(exc)])
            return
        if result.failed:
            lines = [d.format() for d in result.problems[:12]]
            if len(result.problems) > 12:
                lines.append(f"... and {len(result.problems) - 12} more")
            self.app.show_error("The story has errors; still playing the last good version", lines)
            return
        self._swap_story(result.story, result.play if self.runner is not None else None)

    def _swap_story(self, story: Story, play: Playthrough | None) -> None:
        self.app.story = story
        self.app.story_generation += 1
        if self.store is not None:
            self.store.story = story
        if self.runner is not None and play is not None:
            self.runner.swap_story(story, play)
        self.app.refresh_all()

