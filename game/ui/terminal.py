"""The terminal player, drawn with rich: a view over :class:`game.session.runner.Session`.

It works in three ways: at an interactive terminal (numbered choices and
one-letter commands), with input piped in (one answer per line, so tests
and scripts can drive it), and scripted with ``--choices 1,2,1`` (no
input at all: the whole transcript is printed). What follows a choice
(an ending, a closed chapter, questions) comes from the session as
beats; this module only shows them and reads answers.
"""

from __future__ import annotations

import select
import sys
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from game.atomic import backup_path
from game.classroom.assignment import Question
from game.errors import ChoiceUnavailable, CorruptSave, PlayError, SaveMismatch
from game.loader.watch import StoryWatch, reload_play
from game.runtime.model import Scene, Story
from game.runtime.playthrough import Playthrough
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
from game.session.saves import AUTOSAVE, SLOTS, describe_time
from game.ui.plain_text import choice_number, plain

TEXT_WIDTH = 76
COMMANDS = "[s]ave  [l]oad  [u]ndo  [h]istory  [c]odex  [r]eload  [q]uit"
COMMAND_WORDS = {"s": "save", "l": "load", "u": "undo", "h": "history", "c": "codex", "r": "reload", "q": "quit"}


class TerminalPlayer:
    """Plays one session in a terminal; :meth:`run` returns the playthrough when it stops."""

    def __init__(self, story: Story, console: Console | None = None, session: Session | None = None,
                 script: list[int] | None = None, read_line: Callable[[], str | None] | None = None,
                 scripted_answers: dict[str, str] | None = None, watch: StoryWatch | None = None,
                 read_pending: Callable[[], list[str]] | None = None, plain_lines: bool | None = None):
        self.session = session or Session.new(story)
        self.console = console or Console(highlight=False)
        # Plain lines (no box rules, no lines padded with spaces) for screen readers, pipes and files:
        # asked for with --plain, and the default whenever the output is not a terminal.
        self.plain_lines = not self.console.is_terminal if plain_lines is None else plain_lines
        self.script: Iterator[int] | None = iter(script) if script is not None else None
        self.read_line = read_line or stdin_line
        # Lines that arrived together with the last one (a paste): never choices or commands.
        self.read_pending = read_pending or (stdin_pending if read_line is None else (lambda: []))
        self.scene_on_screen = False  # shown already by a ShowScene beat, before its questions
        self.quit = False
        self.script_failed = False
        self.scripted_answers = scripted_answers
        self.failure = ""  # why a scripted run could not complete
        self.watch = watch if self.session.assignment is None else None  # an assignment keeps its story

    @property
    def story(self) -> Story:
        return self.session.story

    @property
    def play(self) -> Playthrough:
        return self.session.play

    @property
    def commands(self) -> str:
        """The one-letter commands that work now (saving, loading and reloading are off in an assignment)."""
        if self.session.assignment is None:
            return COMMANDS
        undo = "[u]ndo  " if self.session.undo_allowed else ""
        return f"{undo}[h]istory  [c]odex  [q]uit"

    # -- output helpers -------------------------------------------------------
    def say(self, text: str = "", style: str = "") -> None:
        """Print wrapped text; leading spaces indent every wrapped line, not just the first."""
        if not text:
            self.console.print()
            return
        body = text.lstrip(" ")
        indent = 2 + len(text) - len(body)
        if self.plain_lines:  # one paragraph a line, wrapped by the reader's own terminal or screen reader
            self.console.print(Text(plain(body), style=style), soft_wrap=True)
            return
        self.console.print(Padding(Text(plain(body), style=style), (0, 0, 0, indent), expand=False),
                           width=TEXT_WIDTH + 2)

    def say_item(self, marker: str, text: str, style: str = "") -> None:
        """A numbered line whose wrapped lines hang under its text, not under its number."""
        if self.plain_lines:
            self.console.print(Text(plain(f"{marker} {text}"), style=style), soft_wrap=True)
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(Text(marker, style=style), Text(plain(text), style=style))
        self.console.print(Padding(grid, (0, 0, 0, 2), expand=False), width=TEXT_WIDTH + 2)

    def rule(self, title: str | Text = "") -> None:
        if self.plain_lines:
            if str(title).strip():
                self.console.print(Text(plain(title)) if isinstance(title, str) else title, soft_wrap=True)
            return
        self.console.print(Rule(Text(plain(title)) if isinstance(title, str) else title), width=TEXT_WIDTH + 2)

    def boxed(self, body: str, title: str, border_style: str) -> None:
        """A framed note (the content note, an assignment's instructions); plain: its title, then its text."""
        if self.plain_lines:
            self.console.print(Text(plain(f"{title}:")), soft_wrap=True)
            self.console.print(Text(plain(" ".join(body.split()))), soft_wrap=True)
            return
        self.console.print(Panel(Text(plain(body)), title=Text(plain(title)), width=TEXT_WIDTH + 4,
                                 border_style=border_style))

    def show_intro(self) -> None:
        self.rule(Text(plain(self.story.title), style="bold"))
        self.say(self.story.author, "italic")  # the byline as story.yaml writes it, as on the window's title
        self.say()
        self.boxed(self.story.content_note, "Content note", "yellow")

    def show_scene(self) -> None:
        play = self.play
        scene = play.scene
        chapter = play.chapter
        self.console.print()
        if chapter:
            self.rule(Text(plain(chapter.title), style="bold red"))
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
        if not self.play.choices():
            self.say_dead_end()
        if self.script is None:
            self.say(self.commands, "dim")

    def say_dead_end(self) -> None:
        """A scene that is not an ending with no choice open: a mistake in the story, said as one."""
        scene = self.play.scene
        self.say(f"This is a dead end: no choice is open in the scene '{scene.id}' ({scene.pos}), and it is not "
                 "an ending. It is a mistake in the story (kira validate and kira explore report it).", "yellow")
        if self.script is not None:
            self.quit = self.script_failed = True
        else:
            self.say("Undo (u), load a save (l) or quit (q).", "yellow")

    def show_ending(self, ending_scene: Scene) -> None:
        parts = ending_scene.ending
        assert parts is not None
        self.console.print()
        self.rule(Text(plain(f"The end: {ending_scene.title}"), style="bold red"))
        epilogue = "\n\n".join(self.play.text()) or parts.epilogue  # the paragraphs this path meets
        for heading, body in (("", epilogue), ("What the state took", parts.state_took),
                              ("What it could not take", parts.could_not_take),
                              ("How the novel ends", parts.novel)):
            if heading:
                self.say(heading, "bold")
            for para in body.split("\n\n"):
                self.say(" ".join(para.split()))
                self.say()
        self.rule("Your path")
        for line in self.session.summary().lines():
            self.say(line)
        self.say()
        gallery = self.session.gallery
        if gallery is not None and self.session.assignment is None:
            endings = self.story.endings
            reached = sum(gallery.reached(each.id) for each in endings)
            self.say(f"Endings reached in all your playthroughs: {reached} of {len(endings)}.")
            self.say()

    def ask_reflection(self, questions: tuple[str, ...], title: str) -> None:
        if not questions:
            return
        self.say(title, "bold")
        for question in questions:
            self.say(f"\u2022 {question}", "italic")
            if self.script is None and not self.quit:
                self.say("Write an answer and press Enter (or just Enter to skip):", "dim")
                answer = self.read_line()
                if answer is None:
                    self.quit = True
                    continue
                answer = "\n".join([answer, *self.read_pending()])  # a pasted answer stays one answer
                if answer.strip():
                    self.session.reflect(question, answer)
        self.say()

    # -- the loop -------------------------------------------------------------
    def run(self) -> Playthrough:
        self.show_intro()
        if self.session.can_save and self.script is None:
            self.offer_continue()
        if self.session.assignment is not None:
            self.show_instructions()
        if not self.quit:
            self.show_beats(self.session.opening())
        while not self.quit and not self.play.is_over:
            if not self.scene_on_screen:
                self.show_scene()
                self.show_save_notices()
            self.scene_on_screen = False
            self.show_choices()
            self.prompt_until_choice()
        return self.play

    def show_save_notices(self) -> None:
        """Say what the save store had to deal with (a damaged autosave set aside)."""
        store = self.session.store
        for notice in store.take_notices() if store is not None else ():
            self.say(notice, "yellow")

    def show_beats(self, beats: list[Beat]) -> None:
        """Show what the session says follows a turn, in its order."""
        for beat in beats:
            if self.quit:
                return
            if isinstance(beat, EndingReached):
                self.show_ending(beat.scene)
            elif isinstance(beat, ChapterClosed):
                if self.session.assignment is not None:
                    self.say()
                    self.say(f"End of {beat.chapter.title}", "bold")
            elif isinstance(beat, Reflect):
                self.console.print()
                heading = beat.heading.replace("The end of ", "End of ")
                self.ask_reflection(beat.questions, heading)
            elif isinstance(beat, ShowScene):
                self.show_scene()
                self.scene_on_screen = True
            elif isinstance(beat, Ask):
                self.ask_question(beat.question)
            elif isinstance(beat, HandIn | TheEnd):
                pass  # the command that started play writes the submission; the transcript ends here

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
                kept = " your progress is in the autosave." if self.session.can_save else ""
                self.say(f"(Input ended;{kept})" if kept else "(Input ended.)", "dim")
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
            number = choice_number(entry)
            if number is None:  # "²", other scripts' digits, or thousands of digits
                self.say(f"Type a choice's number with the digits 0-9, from 1 to {len(self.play.choices())}.",
                         "yellow")
                return False
            return self.pick(number)
        key = next((k for k, word in COMMAND_WORDS.items() if entry in (k, word)), None)  # a whole word, never a
        # sentence that happens to start with one ("quite right" must not quit)
        command = {"s": self.save_prompt, "l": self.load_prompt, "u": self.undo, "h": self.history,
                   "c": self.codex, "r": self.reload, "q": self.stop}.get(key or "")
        if command is None:
            count = len(self.play.choices())
            if count == 0:
                self.say_dead_end()
                return False
            self.say(f"Type a number from 1 to {count}, or one of: {self.commands}", "yellow")
            return False
        return command()

    def pick(self, number: int) -> bool:
        count = len(self.play.choices())
        if count == 0:
            self.say_dead_end()
            return False
        if not 1 <= number <= count:
            self.say(f"There is no choice {number}; pick a number from 1 to {count}.", "yellow")
            return False
        try:
            beats = self.session.choose(number - 1)
        except (PlayError, ChoiceUnavailable) as exc:
            self.say(f"The story could not go on: {exc}. Pick another choice or undo (u).", "red")
            return False
        if self.session.aftermath:
            self.say()
            self.say(self.session.aftermath, "italic")
        self.show_beats(beats)
        return True

    # -- assignments ----------------------------------------------------------
    def show_instructions(self) -> None:
        assert self.session.assignment is not None
        assignment = self.session.assignment.assignment
        body = assignment.instructions or "Play the story and answer the questions when they come."
        if not assignment.allow_undo:
            body += "\n\nUndo is switched off for this assignment."
        self.boxed(body, f"Assignment: {assignment.title}", "cyan")

    def ask_question(self, question: Question) -> None:
        """Ask an assignment question until the answer is long enough (or take it from the script)."""
        self.say()
        self.say(question.text, "bold magenta")
        if question.min_words:
            self.say(f"(at least {question.min_words} words)", "dim")
        if question.rubric:
            self.say("What your teacher looks for:", "dim")
            for criterion in question.looks_for():
                self.say(f"  - {criterion}", "dim")
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
        self.say("Goodbye." + (" Your place is kept in the autosave." if self.session.can_save else ""), "dim")
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
        self.session.swap_story(result.story, result.play)
        self.say(result.note, "green")
        return True

    def undo(self) -> bool:
        try:
            undone = self.session.undo()
        except UndoOff as exc:
            self.say(str(exc), "yellow")
            return False
        if undone:
            self.say("You take back your last choice.", "dim")
            return True  # redraw the scene
        self.say("There is nothing to undo.", "yellow")
        return False

    def history(self) -> bool:
        if not self.play.steps:
            self.say("No choices yet.", "dim")
        for step in self.play.steps:
            title = self.story.scenes[step.scene].title if step.scene in self.story.scenes else step.scene
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

    def save_prompt(self) -> bool:
        if not self.session.can_save:
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
        try:
            self.session.save(slot)
        except OSError as exc:
            self.say(f"Could not save: {exc}", "red")
            return False
        self.say(f"Saved in slot {slot}.", "green")
        return False

    def load_prompt(self) -> bool:
        if not self.session.can_save:
            self.say("Loading is off in this mode.", "yellow")
            return False
        for info in self.session.slots():
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

    def load_slot(self, slot: str, backup: bool = False) -> bool:
        """Load one slot, offering the backup of a damaged one and the chapter's start for an outdated one."""
        try:
            beats = self.session.load(slot, backup)
        except FileNotFoundError:
            self.say("That slot is empty.", "yellow")
            return False
        except CorruptSave as exc:
            if backup:
                self.say(f"The backup cannot be loaded either: {exc}", "red")
                return False
            self.say(str(exc), "red")
            if backup_path(exc.path).exists():
                self.say("The previous save of this slot is kept. Load it instead? (y/n)", "bold")
                if (self.read_line() or "").strip().lower().startswith("y"):
                    return self.load_slot(slot, backup=True)
            return False
        except SaveMismatch as exc:
            return self.offer_chapter_start(slot, exc, backup)
        except OSError as exc:
            self.say(f"The save cannot be read: {exc}", "red")
            return False
        self.say(f"Loaded the previous save of {slot}." if backup else f"Loaded {slot}.", "green")
        self.show_beats(beats)
        return True

    def offer_continue(self) -> None:
        """Before the first scene, offer the place kept by the last session (starting anew replaces the autosave)."""
        latest = self.session.latest()
        if latest is None:
            return
        where = " - ".join(part for part in (latest.chapter_title, latest.scene_title) if part)
        self.say(f"Your last game: {where} ({latest.label.lower()}, {describe_time(latest.saved_at)}).")
        self.say("Continue it? Enter or y continues; n starts a new game, which replaces the autosave.", "bold")
        while True:
            answer = self.read_line()
            if answer is None:
                self.quit = True
                return
            word = answer.strip().lower()
            if word in ("", "y", "yes"):
                self.load_slot(latest.slot)
                return
            if word in ("n", "no"):
                return
            self.say(f"\"{answer.strip()[:40]}\" is neither y nor n. Type y (or press Enter) to continue, "
                     "n to start a new game.", "yellow")

    def offer_chapter_start(self, slot: str, problem: SaveMismatch, backup: bool = False) -> bool:
        """An old save whose scene was removed: say so and offer the start of its chapter."""
        self.say(f"This save no longer fits the story: {problem}.", "yellow")
        if not problem.chapter:
            return False
        chapter = self.story.chapters.get(problem.chapter)
        name = chapter.title if chapter else problem.chapter
        self.say(f"Start again at the beginning of {name}, keeping your choices' effects? (y/n)", "bold")
        if not (self.read_line() or "").strip().lower().startswith("y"):
            return False
        try:
            beats = self.session.load_chapter_start(slot, backup)
        except (SaveMismatch, CorruptSave, OSError) as exc:
            self.say(str(exc), "red")
            return False
        self.say(f"You are at the start of {name}.", "green")
        self.show_beats(beats)
        return True


def stdin_pending(wait: float = 0.05) -> list[str]:
    """Lines already typed or pasted after the one just read (at a terminal; piped input is a script)."""
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


def stdin_line() -> str | None:
    """One line typed (or piped) by the player; None at the end of input."""
    line = sys.stdin.readline()
    if not line:
        return None
    if not sys.stdin.isatty():
        print(line.rstrip("\n"))  # echo piped input so the transcript reads naturally
    return line.rstrip("\n")
