"""The game being played in the window: new game, choices, what follows a turn, saving and loading.

Screens call :class:`Game` for anything that changes the playthrough; the
Game decides which screens follow (a chapter's path map and reflection,
the ending's pages, an assignment's questions) and keeps the autosave and
the endings gallery up to date.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from game.errors import CorruptSave, PlayError, SaveMismatch, StoryError
from game.runtime.playthrough import Playthrough, Turn
from game.runtime.summary import summarize
from game.session.gallery import Gallery
from game.session.saves import SaveStore

if TYPE_CHECKING:
    from game.classroom.assignment import Question
    from game.session.assignment import AssignmentSession
    from game.ui.window.app import App
    from game.ui.window.base import Screen

Factory = Callable[[], "Screen"]


class Game:
    def __init__(self, app: App):
        self.app = app
        self.scripted = app.script is not None
        self.store: SaveStore | None = None if self.scripted else SaveStore(app.story)
        self.gallery: Gallery | None = None if self.scripted else Gallery(app.story.id)
        self.play: Playthrough | None = None
        self.answers: dict[str, str] = {}
        self.aftermath = ""
        self.session: AssignmentSession | None = None
        self.scripted_answers: dict[str, str] | None = None
        self.script_failed = False
        self.failure = ""  # why a scripted run could not finish
        self.assignment: Any = None

    @property
    def story(self):  # type: ignore[no-untyped-def]
        return self.app.story

    @property
    def can_save(self) -> bool:
        return self.store is not None and self.session is None

    def start(self) -> None:
        from game.ui.window.screens.title import TitleScreen

        if getattr(self.app.args, "assignment", None) is not None:
            from game.ui.window.screens.assignment import start_assignment

            start_assignment(self)
            return
        self.app.replace_all(TitleScreen(self.app))

    # -- starting and ending play ----------------------------------------------------------------
    def new_game(self) -> None:
        from game.ui.window.screens.title import ContentNoteScreen

        self.app.push(ContentNoteScreen(self.app, self._begin_new))

    def _begin_new(self) -> None:
        self.begin(Playthrough(self.story, seed=int(getattr(self.app.args, "seed", 0) or 0)), {})

    def begin(self, play: Playthrough, answers: dict[str, str]) -> None:
        """Show ``play`` from its current scene, replacing whatever was on screen."""
        from game.ui.window.screens.scene import SceneScreen

        self.play = play
        self.answers = dict(answers)
        self.aftermath = ""
        self.app.replace_all(SceneScreen(self.app))
        self.entered()
        if play.is_over:
            self.app.queue(self.ending_flow())

    def to_title(self) -> None:
        from game.ui.window.screens.title import TitleScreen

        self.play = None
        self.app.replace_all(TitleScreen(self.app))

    def entered(self) -> None:
        """A new scene is on screen: autosave and remember the codex entries it opened."""
        assert self.play is not None
        if self.gallery is not None:
            try:
                self.gallery.record_codex(self.play.unlocked_codex())
            except OSError:
                pass  # the gallery is a nicety; never stop play for it
        if self.can_save and not self.play.is_over:
            self.save("autosave", quiet=True)

    def stop(self) -> None:
        """The window is closing: say why a run failed, and write the record a scripted run asked for."""
        if self.failure:
            print(f"error: {self.failure}", file=sys.stderr)
        record = getattr(self.app.args, "record", None)
        if record and self.play is not None:
            from game.ui.window.app import write_record

            data = self.play.to_dict()
            data["summary"] = summarize(self.play).to_dict()
            data["answers"] = dict(self.answers)
            write_record(record, data)

    # -- choosing --------------------------------------------------------------------------------
    def choose(self, index: int) -> bool:
        """Take the index-th available choice; queue what follows. False if the story failed."""
        assert self.play is not None
        try:
            turn = self.play.choose(index)
        except (PlayError, IndexError) as exc:
            self.app.show_error("The story could not go on", [str(exc), "Pick another choice, or undo (U)."])
            return False
        self.aftermath = turn.aftermath
        self.entered()
        self.app.refresh_all()
        self.app.queue(self.after_turn(turn))
        return True

    def after_turn(self, turn: Turn) -> list[Factory]:
        from game.ui.window.screens.pathmap import PathMapScreen

        assert self.play is not None
        steps: list[Factory] = []
        ended = turn.chapter_ended
        if self.play.is_over:
            steps += self.ending_flow(questions=False)  # its last page is this chapter's map
        elif ended is not None:
            steps.append(lambda: PathMapScreen(self.app, ended.id, closing=True))
        if ended is not None and self.session is None and ended.reflection:
            left = self.story.scenes[self.play.steps[-1].scene].background  # where the chapter ended, not the next
            steps += self.reflection_steps(list(ended.reflection), f"The end of {ended.title}", place=left)
        if self.session is not None:
            self.session.play = self.play
            steps += [self.question_step(q) for q in self.session.due_after(turn)]
            if self.play.is_over:
                from game.ui.window.screens.assignment import SubmissionScreen

                steps.append(lambda: SubmissionScreen(self.app))
        elif self.play.is_over:
            steps += self.closing_steps()
        return steps

    def ending_flow(self, questions: bool = True) -> list[Factory]:
        """The ending's pages, the summary and the last chapter's map (and, alone, the questions)."""
        from game.ui.window.screens.ending import EndingPage, SummaryScreen
        from game.ui.window.screens.pathmap import PathMapScreen

        assert self.play is not None and self.play.ending is not None
        if self.gallery is not None:
            try:
                self.gallery.record_ending(self.play.ending.id)
            except OSError:
                pass
        last = self.play.steps[-1].scene if self.play.steps else self.play.start_scene
        chapter = self.story.scenes[last].chapter
        steps: list[Factory] = [lambda page=page: EndingPage(self.app, page) for page in range(3)]
        steps.append(lambda: SummaryScreen(self.app))
        if chapter:
            steps.append(lambda: PathMapScreen(self.app, chapter, closing=True))
        if questions and self.session is None:
            steps += self.closing_steps()
        return steps

    def closing_steps(self) -> list[Factory]:
        from game.ui.window.screens.ending import TheEndScreen

        assert self.play is not None and self.play.ending is not None and self.play.ending.ending is not None
        reflection = list(self.play.ending.ending.reflection)
        return self.reflection_steps(reflection, "Questions to think about") + [lambda: TheEndScreen(self.app)]

    def reflection_steps(self, questions: list[str], heading: str, place: str | None = None) -> list[Factory]:
        """A page for each question; ``place`` is the picture behind them (the current scene's by default)."""
        from game.ui.window.screens.entry import QuestionScreen

        def keep(question: str) -> Callable[[str], str | None]:
            def done(text: str) -> str | None:
                if text.strip():
                    self.answers[question] = text.strip()
                return None
            return done

        total = len(questions)
        return [lambda q=q, i=i: QuestionScreen(self.app, heading, q, keep(q), number=(i + 1, total),
                                                initial=self.answers.get(q, ""), place=place)
                for i, q in enumerate(questions)]

    def question_step(self, question: Question) -> Factory:
        from game.ui.window.screens.entry import QuestionScreen

        assert self.session is not None
        session = self.session
        heading = "A question from your teacher"
        return lambda: QuestionScreen(self.app, heading, question.text, lambda text: session.answer(question, text),
                                      min_words=question.min_words, skippable=False, question_id=question.id)

    def undo(self) -> bool:
        if self.play is None:
            return False
        if self.session is not None and not self.session.assignment.allow_undo:
            self.app.show_error("Undo is off", ["Undo is switched off for this assignment."])
            return False
        if not self.play.undo():
            return False
        del self.app.stack[1:]  # a chapter's map or questions belong to the step just taken back
        self.app.flow = []
        self.aftermath = ""
        self.entered()
        self.app.refresh_all()
        return True

    # -- saves -----------------------------------------------------------------------------------
    def save(self, slot: str, quiet: bool = False) -> bool:
        if self.store is None or self.play is None:
            return False
        try:
            self.store.save(slot, self.play, {"answers": self.answers})
        except OSError as exc:
            self.app.show_error("The game could not be saved", [str(exc)])
            return False
        return True

    def load(self, slot: str, backup: bool = False) -> None:
        """Load a slot; a damaged one offers its backup, an outdated one its chapter's start."""
        from game.ui.window.screens.pause import ConfirmBox

        assert self.store is not None
        try:
            play, extra = self.store.load(slot, backup)
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
            self.offer_chapter_start(slot, exc, backup)
            return
        self.begin(play, dict(extra.get("answers", {})) if isinstance(extra, dict) else {})

    def offer_chapter_start(self, slot: str, problem: SaveMismatch, backup: bool) -> None:
        from game.ui.window.screens.pause import ConfirmBox

        assert self.store is not None
        if not problem.chapter:
            self.app.show_error("This save no longer fits the story", [str(problem)])
            return
        chapter = self.story.chapters.get(problem.chapter)
        name = chapter.title if chapter else problem.chapter
        store = self.store

        def restart_chapter() -> None:
            try:
                play = Playthrough.from_chapter_start(self.story, store.read(slot, backup)["playthrough"])
            except (SaveMismatch, CorruptSave, OSError) as exc:
                self.app.show_error("This save cannot be used", [str(exc)])
                return
            self.begin(play, {})

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
        from game.loader.story import load_story

        root = self.story.root
        packs = list(getattr(self.app.args, "pack", []) or [])
        try:
            story = load_story(root, packs)
        except StoryError as exc:
            lines = [d.format() for d in exc.diagnostics[:12]]
            if len(exc.diagnostics) > 12:
                lines.append(f"... and {len(exc.diagnostics) - 12} more")
            self.app.show_error("The story has errors; still playing the last good version", lines)
            return
        except OSError as exc:
            self.app.show_error("The story could not be read", [str(exc)])
            return
        play = None
        if self.play is not None:
            try:
                play = Playthrough.from_dict(story, self.play.to_dict())
            except SaveMismatch as exc:
                self.app.show_error("Reloaded, but your scene is gone", [str(exc), "Load a save or start again."])
                return
        self._swap_story(story, play)

    def _swap_story(self, story: Any, play: Playthrough | None) -> None:
        self.app.story = story
        self.app.story_generation += 1
        if self.store is not None:
            self.store = SaveStore(story)
        if self.session is not None and play is not None:
            self.session.play = play
        if play is not None:
            self.play = play
        self.app.refresh_all()
