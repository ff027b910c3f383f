"""The terminal player, drawn with rich.

It works in three ways: at an interactive terminal (numbered choices and
one-letter commands), with input piped in (one answer per line, so tests
and scripts can drive it), and scripted with ``--choices 1,2,1`` (no
input at all: the whole transcript is printed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from game.atomic import backup_path
from game.classroom.assignment import Question
from game.errors import CorruptSave, PlayError, SaveMismatch
from game.loader.watch import StoryWatch, reload_play
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough, Turn
from game.runtime.summary import summarize
from game.session.assignment import AssignmentSession
from game.session.gallery import Gallery
from game.session.saves import AUTOSAVE, SLOTS, SaveStore, describe_time

TEXT_WIDTH = 76
COMMANDS = "[s]ave  [l]oad  [u]ndo  [h]istory  [c]odex  [r]eload  [q]uit"
COMMAND_WORDS = {"s": "save", "l": "load", "u": "undo", "h": "history", "c": "codex", "r": "reload", "q": "quit"}


@dataclass
class Answers:
    """Reflection answers typed during play, keyed by the question."""

    items: dict[str, str] = field(default_factory=dict)


class TerminalPlayer:
    """Plays one story in a terminal; :meth:`run` returns the playthrough when it stops."""

    def __init__(self, story: Story, console: Console | None = None, play: Playthrough | None = None,
                 script: list[int] | None = None, store: SaveStore | None = None,
                 read_line: Callable[[], str | None] | None = None, autosave: bool = True,
                 session: AssignmentSession | None = None, scripted_answers: dict[str, str] | None = None,
                 watch: StoryWatch | None = None, read_pending: Callable[[], list[str]] | None = None):
        self.story = story
        self.console = console or Console(highlight=False)
        self.play = play or Playthrough(story)
        self.script: Iterator[int] | None = iter(script) if script is not None else None
        self.store = store
        self.read_line = read_line or _stdin_line
        # Lines that arrived together with the last one (a paste): never choices or commands.
        self.read_pending = read_pending or (_stdin_pending if read_line is None else (lambda: []))
        self.autosave = autosave and store is not None and script is None
        self.answers = Answers()
        self.quit = False
        self.script_failed = False
        self.session = session
        self.scripted_answers = scripted_answers
        self.failure = ""  # why a scripted run could not complete
        self.watch = watch if session is None else None  # an assignment plays the story it started with
        # Endings and codex entries reached count across playthroughs, in the window's gallery as well.
        self.gallery = Gallery(story.id, store.folder.parent) if self.autosave and session is None else None

    @property
    def commands(self) -> str:
        """The one-letter commands that work now (saving, loading and reloading are off in an assignment)."""
        if self.session is None:
            return COMMANDS
        undo = "[u]ndo  " if self.session.assignment.allow_undo else ""
        return f"{undo}[h]istory  [c]odex  [q]uit"

    # -- output helpers -------------------------------------------------------
    def say(self, text: str = "", style: str = "") -> None:
        """Print wrapped text; leading spaces indent every wrapped line, not just the first."""
        if not text:
            self.console.print()
            return
        body = text.lstrip(" ")
        indent = 2 + len(text) - len(body)
        self.console.print(Padding(Text(body, style=style), (0, 0, 0, indent), expand=False), width=TEXT_WIDTH + 2)

    def say_item(self, marker: str, text: str, style: str = "") -> None:
        """A numbered line whose wrapped lines hang under its text, not under its number."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(Text(marker, style=style), Text(text, style=style))
        self.console.print(Padding(grid, (0, 0, 0, 2), expand=False), width=TEXT_WIDTH + 2)

    def rule(self, title: str | Text = "") -> None:
        self.console.print(Rule(title), width=TEXT_WIDTH + 2)

    def show_intro(self) -> None:
        self.rule(Text(self.story.title, style="bold"))
        self.say(self.story.author, "italic")  # the byline as story.yaml writes it, as on the window's title
        self.say()
        self.console.print(Panel(self.story.content_note, title="Content note", width=TEXT_WIDTH + 4,
                                 border_style="yellow"))

    def show_scene(self) -> None:
        play = self.play
        scene = play.scene
        chapter = play.chapter
        self.console.print()
        if chapter:
            self.rule(Text(chapter.title, style="bold red"))
        where = " · ".join(part for part in (scene.location, scene.date) if part)
        self.say(scene.title.upper(), "bold")
        if where:
            self.say(where, "dim italic")
        self.say()
        for para in play.text():
            self.say(para)
            self.say()

    def show_choices(self) -> None:
        number = 0
        for view in self.play.all_choices():
            if view.enabled:
                number += 1
                self.say_item(f"{number}.", view.label, "bold cyan")
            else:
                self.say_item("-.", f"{view.label} ({view.locked_reason})", "dim")
        if self.script is None:
            self.say(self.commands, "dim")

    def show_ending(self) -> None:
        ending = self.play.ending
        assert ending is not None and ending.ending is not None
        parts = ending.ending
        self.console.print()
        self.rule(Text(f"The end: {ending.title}", style="bold red"))
        for heading, body in (("", parts.epilogue), ("What the state took", parts.state_took),
                              ("What it could not take", parts.could_not_take),
                              ("How the novel ends", parts.novel)):
            if heading:
                self.say(heading, "bold")
            for para in body.split("\n\n"):
                self.say(" ".join(para.split()))
                self.say()
        self.rule("Your path")
        for line in summarize(self.play).lines():
            self.say(line)
        self.say()
        if self.gallery is not None:
            self.remember(lambda gallery: gallery.record_ending(ending.id))
            endings = self.story.endings
            reached = sum(self.gallery.reached(each.id) for each in endings)
            self.say(f"Endings reached in all your playthroughs: {reached} of {len(endings)}.")
            self.say()
        if self.session is not None:
            return  # the assignment's own questions are asked instead
        self.ask_reflection(list(parts.reflection), "Questions to think about")

    def remember(self, record: Callable[[Gallery], object]) -> None:
        """Write to the gallery; it is a nicety, so a disk problem never stops play."""
        assert self.gallery is not None
        try:
            record(self.gallery)
        except OSError:
            pass

    def ask_reflection(self, questions: list[str], title: str) -> None:
        if not questions:
            return
        self.say(title, "bold")
        for question in questions:
            self.say(f"• {question}", "italic")
            if self.script is None and not self.quit:
                self.say("Write an answer and press Enter (or just Enter to skip):", "dim")
                answer = self.read_line()
                if answer is None:
                    self.quit = True
                elif answer.strip():
                    self.answers.items[question] = answer.strip()
        self.say()

    # -- the loop -------------------------------------------------------------
    def run(self) -> Playthrough:
        self.show_intro()
        if self.autosave and self.session is None:
            self.offer_continue()
        if self.session is not None:
            self.show_instructions()
            shown_later = [] if self.play.is_over else self.session.due_in_scene()  # asked once the scene is shown
            for question in self.session.due_at_start():
                if question not in shown_later and not self.quit:
                    self.ask_question(question)
        while not self.quit:
            if self.play.is_over:
                if self.session is None:
                    self.show_ending()
                else:  # a session resumed after its ending: the questions still to answer
                    for question in self.session.missing():
                        if not self.quit:
                            self.ask_question(question)
                break
            self.show_scene()
            if self.session is not None:
                for question in self.session.due_in_scene():
                    if not self.quit:
                        self.ask_question(question)
                if self.quit:
                    break
            if self.autosave:
                self.save("autosave", quiet=True)
            if self.gallery is not None:
                self.remember(lambda gallery: gallery.record_codex(self.play.unlocked_codex()))
            self.show_choices()
            self.prompt_until_choice()
        return self.play

    def prompt_until_choice(self) -> None:
        """Ask until the player picks a choice (or quits); commands and mistakes ask again."""
        while not self.quit:
            if self.script is not None:
                number = next(self.script, None)
                if number is None:
                    self.say(f"(The scripted choices ran out at the scene '{self.play.scene_id}'.)", "dim")
                    self.quit = True
                    return
                self.say(f"> {number}", "dim")
                if self.pick(number):
                    return
                self.quit = self.script_failed = True  # a bad scripted number is not retried
                return
            self.console.print(Text("> ", style="bold"), end="")
            line = self.read_line()
            if self.watch is not None and self.watch.changed():
                reloaded = self.reload()
                if line and line.strip():  # typed before the edit was read: the scene may not say that any more
                    self.say(f"(Your answer \"{line.strip()}\" was not taken: the story's files changed. "
                             "Read the scene again and answer.)" if reloaded else
                             f"(Your answer \"{line.strip()}\" was not taken: fix the file first, or type it "
                             "again to go on with the last good version.)", "yellow")
                if reloaded:
                    return  # the scene is shown again as the edited files now tell it
                if line is not None:
                    continue
            if line is None:
                self.say("(Input ended; your progress is in the autosave.)" if self.autosave else "(Input ended.)",
                         "dim")
                self.quit = True
                return
            if self.read_pending():
                self.say("That was several lines at once (pasted text?), so none of it was taken as a choice or a "
                         f"command. Type a number, or one of: {self.commands}", "yellow")
                continue
            if self.handle(line.strip().lower()):
                return

    def handle(self, entry: str) -> bool:
        """Act on one line typed by the player; True when a choice was made."""
        if entry.isdigit():
            return self.pick(int(entry))
        key = next((k for k, word in COMMAND_WORDS.items() if entry in (k, word)), None)  # a whole word, never a
        # sentence that happens to start with one ("quite right" must not quit)
        command = {"s": self.save_prompt, "l": self.load_prompt, "u": self.undo, "h": self.history,
                   "c": self.codex, "r": self.reload, "q": self.stop}.get(key or "")
        if command is None:
            count = len(self.play.choices())
            self.say(f"Type a number from 1 to {count}, or one of: {self.commands}", "yellow")
            return False
        return command()

    def pick(self, number: int) -> bool:
        count = len(self.play.choices())
        if not 1 <= number <= count:
            self.say(f"There is no choice {number}; pick a number from 1 to {count}.", "yellow")
            return False
        try:
            turn = self.play.choose(number - 1)
        except PlayError as exc:
            self.say(f"The story could not go on: {exc}. Pick another choice or undo (u).", "red")
            return False
        self.after_turn(turn)
        return True

    def after_turn(self, turn: Turn) -> None:
        if turn.aftermath:
            self.say()
            self.say(turn.aftermath, "italic")
        if turn.chapter_ended and turn.chapter_ended.reflection and self.session is None:
            self.console.print()
            self.ask_reflection(list(turn.chapter_ended.reflection), f"End of {turn.chapter_ended.title}")
        if self.session is not None:
            self.session.play = self.play
            if turn.chapter_ended:
                self.say()
                self.say(f"End of {turn.chapter_ended.title}", "bold")
            if self.play.is_over:
                self.show_ending()
            for question in self.session.due_after(turn, scenes=False):  # scene questions come once it is shown
                self.ask_question(question)

    # -- assignments ----------------------------------------------------------
    def show_instructions(self) -> None:
        assert self.session is not None
        assignment = self.session.assignment
        body = assignment.instructions or "Play the story and answer the questions when they come."
        if not assignment.allow_undo:
            body += "\n\nUndo is switched off for this assignment."
        self.console.print(Panel(body, title=f"Assignment: {assignment.title}", width=TEXT_WIDTH + 4,
                                 border_style="cyan"))

    def ask_question(self, question: Question) -> None:
        """Ask an assignment question until the answer is long enough (or take it from the script)."""
        assert self.session is not None
        self.say()
        self.say(question.text, "bold magenta")
        if question.min_words:
            self.say(f"(at least {question.min_words} words)", "dim")
        if self.scripted_answers is not None:
            text = self.scripted_answers.get(question.id, "")
            problem = self.session.answer(question, text) if text else f"no answer for the question {question.id!r}"
            if problem:
                self.failure = f"question {question.id!r}: {problem}"
                self.quit = self.script_failed = True
            else:
                self.say(text, "italic")
            return
        while not self.quit:
            line = self.read_line()
            if line is None:
                self.quit = True
                return
            line = "\n".join([line, *self.read_pending()])  # a pasted answer of several lines is one answer
            problem = self.session.answer(question, line)
            if problem is None:
                self.say("Answer saved.", "green")
                return
            self.say(problem, "yellow")

    # -- commands -------------------------------------------------------------
    def stop(self) -> bool:
        self.quit = True
        self.say("Goodbye." + (" Your place is kept in the autosave." if self.autosave else ""), "dim")
        return True

    def reload(self) -> bool:
        """Load the story files again, keeping the player's place (for writers editing them)."""
        if self.watch is None:
            self.say("Reloading is for writers playing a story from its folder, outside assignments.", "yellow")
            return False
        result = reload_play(self.play, self.watch.root, self.watch.packs)
        for problem in result.problems:
            self.say(problem.format(), "red" if problem.severity == "error" else "yellow")
        if result.failed:
            self.say(result.note + " Fix the file and press Enter, or type r.", "red")
            return False
        self.story, self.play = result.story, result.play
        if self.store is not None:
            self.store.story = result.story
        self.say(result.note, "green")
        return True

    def undo(self) -> bool:
        if self.session is not None and not self.session.assignment.allow_undo:
            self.say("Undo is switched off for this assignment.", "yellow")
            return False
        if self.play.undo():
            self.say("You take back your last choice.", "dim")
            return True  # redraw the scene
        self.say("There is nothing to undo.", "yellow")
        return False

    def history(self) -> bool:
        if not self.play.steps:
            self.say("No choices yet.", "dim")
        for step in self.play.steps:
            title = self.story.scenes[step.scene].title
            self.say(f"{title}: {step.label}", "dim")
        self.show_choices()
        return False

    def codex(self) -> bool:
        entries = [self.story.codex[e] for e in self.play.unlocked_codex() if e in self.story.codex]
        if not entries:
            self.say("The codex is empty so far.", "dim")
        for kind, heading in (("character", "People"), ("glossary", "Glossary")):
            chosen = sorted((e for e in entries if e.kind == kind), key=lambda e: e.title)
            if chosen:
                self.rule(f"{heading} ({len(chosen)} of {sum(e.kind == kind for e in self.story.codex.values())})")
            for entry in chosen:
                self.say(entry.title, "bold")
                self.say(entry.text)
                self.say()
        self.show_choices()
        return False

    def save(self, slot: str, quiet: bool = False) -> None:
        if self.store is None:
            return
        try:
            self.store.save(slot, self.play, {"answers": self.answers.items})
        except OSError as exc:
            self.say(f"Could not save: {exc}", "red")
            return
        if not quiet:
            self.say(f"Saved in slot {slot}.", "green")

    def save_prompt(self) -> bool:
        if self.store is None:
            self.say("Saving is off in this mode.", "yellow")
            return False
        self.say("Save in which slot (1-9)? Enter alone cancels.", "bold")
        slot = (self.read_line() or "").strip()
        if not slot:
            self.say("Not saved.", "dim")
            return False
        if slot not in SLOTS:
            self.say("Slots are numbered 1 to 9.", "yellow")
            return False
        self.save(slot)
        return False

    def load_prompt(self) -> bool:
        if self.store is None:
            self.say("Loading is off in this mode.", "yellow")
            return False
        for info in self.store.slots():
            if info.error:
                self.say(f"{info.label}: damaged ({info.error})" + ("; a backup exists" if info.has_backup else ""),
                         "red")
            elif info.exists:
                self.say(f"{info.label}: {info.chapter_title} - {info.scene_title} ({describe_time(info.saved_at)})")
        self.say("Load which slot (1-9, or Enter for the autosave)? ", "bold")
        slot = (self.read_line() or "").strip().lower() or AUTOSAVE
        if slot in ("a", "auto"):
            slot = AUTOSAVE
        if slot != AUTOSAVE and slot not in SLOTS:
            self.say(f"There is no slot {slot!r}: type a number from 1 to 9, or press Enter for the autosave.",
                     "yellow")
            return False
        return self.load_slot(slot)

    def load_slot(self, slot: str) -> bool:
        """Load one slot, offering the backup of a damaged one and the chapter's start for an outdated one."""
        assert self.store is not None
        try:
            self.play, extra = self.store.load(slot)
        except FileNotFoundError:
            self.say("That slot is empty.", "yellow")
            return False
        except CorruptSave as exc:
            self.say(str(exc), "red")
            if backup_path(exc.path).exists():
                self.say("The previous save of this slot is kept. Load it instead? (y/n)", "bold")
                if (self.read_line() or "").strip().lower().startswith("y"):
                    return self.load_backup(slot)
            return False
        except SaveMismatch as exc:
            return self.offer_chapter_start(slot, exc)
        self.answers.items.update(extra.get("answers", {}))
        self.say(f"Loaded {slot}.", "green")
        return True

    def offer_continue(self) -> None:
        """Before the first scene, offer the place kept by the last session (starting anew replaces the autosave)."""
        latest = self.store.latest() if self.store is not None else None
        if latest is None:
            return
        where = " - ".join(part for part in (latest.chapter_title, latest.scene_title) if part)
        self.say(f"Your last game: {where} ({latest.label.lower()}, {describe_time(latest.saved_at)}).")
        self.say("Continue it? Enter or y continues; n starts a new game, which replaces the autosave.", "bold")
        answer = self.read_line()
        if answer is None:
            self.quit = True
        elif not answer.strip().lower().startswith("n"):
            self.load_slot(latest.slot)

    def load_backup(self, slot: str) -> bool:
        try:
            self.play, extra = self.store.load(slot, backup=True) if self.store else (self.play, {})
        except (OSError, CorruptSave, SaveMismatch) as exc:
            self.say(f"The backup cannot be loaded either: {exc}", "red")
            return False
        self.answers.items.update(extra.get("answers", {}))
        self.say(f"Loaded the previous save of {slot}.", "green")
        return True

    def offer_chapter_start(self, slot: str, problem: SaveMismatch) -> bool:
        """An old save whose scene was removed: say so and offer the start of its chapter."""
        self.say(f"This save no longer fits the story: {problem}.", "yellow")
        if not problem.chapter or self.store is None:
            return False
        chapter = self.story.chapters.get(problem.chapter)
        name = chapter.title if chapter else problem.chapter
        self.say(f"Start again at the beginning of {name}, keeping your choices' effects? (y/n)", "bold")
        if not (self.read_line() or "").strip().lower().startswith("y"):
            return False
        try:
            self.play = Playthrough.from_chapter_start(self.story, self.store.read(slot)["playthrough"])
        except SaveMismatch as exc:
            self.say(str(exc), "red")
            return False
        self.say(f"You are at the start of {name}.", "green")
        return True


def _stdin_pending(wait: float = 0.05) -> list[str]:
    """Lines already typed or pasted after the one just read (at a terminal; piped input is a script)."""
    import select

    if not sys.stdin.isatty():
        return []
    lines: list[str] = []
    try:
        while select.select([sys.stdin], [], [], wait)[0]:
            line = sys.stdin.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
    except (OSError, ValueError):  # no select on this console (Windows): take lines one at a time
        pass
    return lines


def _stdin_line() -> str | None:
    line = sys.stdin.readline()
    if not line:
        return None
    if not sys.stdin.isatty():
        print(line.rstrip("\n"))  # echo piped input so the transcript reads naturally
    return line.rstrip("\n")
