"""One player's session, the same in every front end.

A front end is a view: it shows the current scene (``session.play``),
passes on what the player did (:meth:`Session.choose`, :meth:`Session.undo`,
:meth:`Session.answer`, :meth:`Session.save`...) and shows, in order, the
*beats* each call returns: the ending's pages, a chapter that closed, the
questions to think about, an assignment's questions, the hand-in. The
session decides all of that, keeps the autosave (free play) or the
progress file (an assignment) after every turn and answer, and records
endings and codex entries in the gallery. The terminal, the window and
the browser edition therefore behave the same by construction, as a Yarn
Spinner dialogue runner makes every game's dialogue behave the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from game.errors import MisuseError
from game.runtime.model import Chapter, Scene, Story
from game.runtime.playthrough import Playthrough, Turn
from game.runtime.summary import Summary, summarize
from game.session.gallery import Gallery
from game.session.saves import AUTOSAVE, SaveStore, SlotInfo

if TYPE_CHECKING:  # a free game never loads the assignment modules: the window's first frame does not wait for them
    from game.classroom.assignment import Question
    from game.session.assignment import AssignmentSession


class EndingReached(NamedTuple):
    """The ending's pages (epilogue, what the state took, the novel) and the summary of the path."""

    scene: Scene


class ChapterClosed(NamedTuple):
    """A chapter ended; ``place`` is the background of the scene it ended in (not the next one's)."""

    chapter: Chapter
    place: str


class Reflect(NamedTuple):
    """Questions to think about (free play): answering is optional; see :meth:`Session.reflect`."""

    heading: str
    questions: tuple[str, ...]
    place: str = ""


class ShowScene(NamedTuple):
    """Show the scene just entered now: the questions after this beat are about it (a front end that ignores
    this beat still asks them, before the scene)."""


class Ask(NamedTuple):
    """An assignment's question, due now: it must be answered (see :meth:`Session.answer`)."""

    question: Question


class HandIn(NamedTuple):
    """The assignment is finished: every due question answered; the submission can be written."""


class TheEnd(NamedTuple):
    """The last page of a free playthrough."""


Beat = EndingReached | ChapterClosed | Reflect | ShowScene | Ask | HandIn | TheEnd


class UndoOff(MisuseError):
    """Undo was asked for in an assignment that switches it off."""


@dataclass
class Session:
    """A player's session: the playthrough plus everything around it; see the module docstring.

    ``store`` keeps saves (None: saving is off, as in scripted runs and
    assignments); ``assignment`` makes it an assignment session (its
    questions, no saving, its own progress file); ``gallery`` records
    endings and codex entries across playthroughs.
    """

    story: Story
    play: Playthrough
    store: SaveStore | None = None
    gallery: Gallery | None = None
    assignment: AssignmentSession | None = None
    reflections: dict[str, str] = field(default_factory=dict)
    aftermath: str = ""
    on_keep_error: Callable[[OSError], None] | None = None

    def __post_init__(self) -> None:
        if self.assignment is not None:
            self.store = None  # an assignment is one playthrough, kept in its progress file
            self.play = self.assignment.play  # it may start at a later chapter

    @classmethod
    def new(cls, story: Story, seed: int = 0, **options: Any) -> Session:
        return cls(story, Playthrough(story, seed=seed), **options)

    # -- what the front end may offer --------------------------------------------------
    @property
    def can_save(self) -> bool:
        return self.store is not None

    @property
    def undo_allowed(self) -> bool:
        return self.assignment is None or self.assignment.assignment.allow_undo

    @property
    def can_undo(self) -> bool:
        return self.undo_allowed and self.play.can_undo

    # -- playing --------------------------------------------------------------------------
    def opening(self) -> list[Beat]:
        """What to show when the session is (re)opened on its current scene: questions left open in a
        resumed assignment, or the ending's pages for a playthrough that has already ended."""
        self._entered()
        beats: list[Beat] = []
        if self.play.is_over:
            beats += self._ending_beats()
        if self.assignment is not None:
            about = [] if self.play.is_over else self.assignment.due_in_scene()
            beats += [Ask(q) for q in self.assignment.due_at_start() if q not in about]
            beats += self._about_scene(about)
            if self.play.is_over:
                beats.append(HandIn())
        elif self.play.is_over:
            beats += self._closing()
        return beats

    def choose(self, index: int) -> list[Beat]:
        """Take the index-th available choice; the beats to show before the next scene.

        Raises :class:`~game.errors.PlayError` when the story fails (nothing changed) and
        :class:`~game.errors.ChoiceUnavailable` for a number that is not on offer.
        """
        turn = self.play.choose(index)
        self.aftermath = turn.aftermath
        self._entered()
        return self._after(turn)

    def _after(self, turn: Turn) -> list[Beat]:
        play = self.play
        beats: list[Beat] = []
        if play.is_over:
            beats += self._ending_beats()
        ended = turn.chapter_ended
        if ended is not None:
            left = self.story.scenes[play.steps[-1].scene].background  # where the chapter ended, not the next
            beats.append(ChapterClosed(ended, left))
            asked = tuple(play.questions(ended.reflection))  # the ones this path meets
            if self.assignment is None and asked:
                beats.append(Reflect(f"The end of {ended.title}", asked, left))
        if self.assignment is not None:
            beats += [Ask(q) for q in self.assignment.due_after(turn, scenes=False)]
            if play.is_over:
                beats.append(HandIn())
            else:
                beats += self._about_scene(self.assignment.due_in_scene())
        elif play.is_over:
            beats += self._closing()
        return beats

    @staticmethod
    def _about_scene(questions: list[Question]) -> list[Beat]:
        """Questions about the scene now entered come after it is shown, never before it is read."""
        return [ShowScene(), *(Ask(q) for q in questions)] if questions else []

    def _ending_beats(self) -> list[Beat]:
        ending = self.play.ending
        assert ending is not None
        self._remember(lambda gallery: gallery.record_ending(ending.id))
        return [EndingReached(ending)]

    def _closing(self) -> list[Beat]:
        ending = self.play.ending
        assert ending is not None and ending.ending is not None
        return [Reflect("Questions to think about", tuple(self.play.questions(ending.ending.reflection))), TheEnd()]

    def undo(self) -> bool:
        """Take back the last choice; False when there is nothing to undo. Raises :class:`UndoOff`
        in an assignment that switches undo off."""
        if not self.undo_allowed:
            raise UndoOff("Undo is switched off for this assignment.")
        if not self.play.undo():
            return False
        self.aftermath = ""
        self._entered()
        return True

    def restart(self, seed: int | None = None) -> None:
        """A new game from the start (free play)."""
        self.play = Playthrough(self.story, seed=self.play.seed if seed is None else seed)
        self.reflections = {}
        self.aftermath = ""

    # -- answers --------------------------------------------------------------------------
    def reflect(self, question: str, text: str) -> None:
        """Keep (or, when blank, drop) an answer to a question to think about."""
        if text.strip():
            self.reflections[question] = text.strip()
        else:
            self.reflections.pop(question, None)
        self._keep()

    def answer(self, question: Question, text: str) -> str | None:
        """Record an assignment answer; returns a one-line problem to show instead when it is not enough."""
        assert self.assignment is not None, "answer() is for assignment questions; reflect() for the others"
        return self.assignment.answer(question, text)

    def missing(self) -> list[Question]:
        """Assignment questions still to answer before handing in."""
        return self.assignment.missing() if self.assignment is not None else []

    @property
    def finished(self) -> bool:
        """The playthrough has ended and nothing is left to answer."""
        return self.play.is_over and not self.missing()

    # -- keeping ---------------------------------------------------------------------------
    def _entered(self) -> None:
        """A new scene is shown: remember its codex entries and keep the session."""
        self._remember(lambda gallery: gallery.record_codex(self.play.unlocked_codex()))
        if self.assignment is not None:
            self.assignment.play = self.play
        self._keep()

    def _keep(self) -> None:
        if self.assignment is not None:
            self.assignment.keep()
        elif self.store is not None and not self.play.is_over:
            try:
                self.save(AUTOSAVE)
            except OSError as exc:
                if self.on_keep_error is not None:
                    self.on_keep_error(exc)

    def _remember(self, record: Callable[[Gallery], object]) -> None:
        """Write to the gallery: it is a nicety, so a disk problem never stops play."""
        if self.gallery is None or self.assignment is not None:
            return
        try:
            record(self.gallery)
        except OSError:
            pass

    # -- saves -----------------------------------------------------------------------------
    def save(self, slot: str) -> Path:
        """Write a slot (raises ``OSError`` when the disk refuses)."""
        if self.store is None:
            raise MisuseError("saving is off in this session")
        return self.store.save(slot, self.play, {"answers": self.reflections})

    def slots(self) -> list[SlotInfo]:
        return self.store.slots() if self.store is not None else []

    def latest(self) -> SlotInfo | None:
        """The slot "Continue" loads: the most recent readable save."""
        return self.store.latest() if self.store is not None else None

    def load(self, slot: str, backup: bool = False) -> list[Beat]:
        """Load a slot (or its backup) and return the opening beats.

        Raises ``FileNotFoundError`` for an empty slot, :class:`~game.errors.CorruptSave` for a damaged
        one (its backup may still load) and :class:`~game.errors.SaveMismatch` for one that no longer fits
        the story (``exc.chapter`` names a chapter whose start :meth:`load_chapter_start` can offer).
        """
        if self.store is None:
            raise MisuseError("loading is off in this session")
        play, extra = self.store.load(slot, backup)
        self._use(play, extra)
        return self.opening()

    def load_chapter_start(self, slot: str, backup: bool = False) -> list[Beat]:
        """Load an outdated save at the start of its chapter, keeping its variables."""
        if self.store is None:
            raise MisuseError("loading is off in this session")
        data = self.store.read(slot, backup)
        self._use(Playthrough.from_chapter_start(self.story, data["playthrough"]), {})
        return self.opening()

    def _use(self, play: Playthrough, extra: dict[str, Any]) -> None:
        self.play = play
        answers = extra.get("answers") if isinstance(extra, dict) else None
        self.reflections = {str(k): str(v) for k, v in answers.items()} if isinstance(answers, dict) else {}
        self.aftermath = ""

    # -- writers' reload -------------------------------------------------------------------
    def swap_story(self, story: Story, play: Playthrough) -> None:
        """Carry on in a reloaded story (see :func:`game.loader.watch.reload_play`)."""
        self.story = story
        self.play = play
        if self.store is not None:
            self.store.story = story
        if self.assignment is not None:
            self.assignment.play = play

    # -- records ---------------------------------------------------------------------------
    def summary(self) -> Summary:
        return summarize(self.play)

    def record(self) -> dict[str, Any]:
        """The playthrough as JSON data with its summary and answers (``kira play --record``)."""
        data = self.play.to_dict()
        data["summary"] = self.summary().to_dict()
        if self.assignment is not None:
            data["answers"] = {qid: answer.text for qid, answer in self.assignment.answers.items()}
        else:
            data["answers"] = dict(self.reflections)
        return data

