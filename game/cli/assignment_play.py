"""``kira play --assignment FILE``: play an assignment in the terminal and write the submission."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game.atomic import check_target
from game.classroom.assignment import Assignment, load_assignment
from game.classroom.documents import write_submission
from game.classroom.handin import default_out, read_answers
from game.cli.common import print_diagnostics
from game.errors import StoryError
from game.runtime.model import Story
from game.runtime.playthrough import Playthrough
from game.runtime.summary import count
from game.session.assignment import AssignmentSession, progress_path
from game.session.runner import Session
from game.ui.terminal import TerminalPlayer, stdin_line


def run_assignment(story: Story, args: argparse.Namespace) -> int:
    """Play the assignment in the terminal; write the submission when the story ends and all is answered."""
    try:
        assignment = load_assignment(args.assignment, story)
    except StoryError as exc:
        print_diagnostics(exc.diagnostics)
        return 1
    scripted = None
    if args.answers:
        scripted, problems = read_answers(args.answers)
        if scripted is None:
            print_diagnostics(problems)
            return 1
    student = (args.student or "").strip()
    if not student:
        if args.choices is not None:
            print("error: a scripted assignment needs --student NAME", file=sys.stderr)
            return 1
        print("Your name (as your teacher should see it): ", end="", flush=True)
        student = (stdin_line() or "").strip()
        if not student:
            print("error: a name is needed to hand in the assignment", file=sys.stderr)
            return 1
    out = args.out or default_out(student)
    check_target(out)  # a folder, a FIFO or a device is refused now, before any play
    if out.exists() and not getattr(args, "replace", False):
        if args.choices is not None:
            print(f"error: {out} already holds a submission; give --replace to write over it, or another --out",
                  file=sys.stderr)
            return 1
        if not confirm_replace(out):
            print(f"Nothing was changed: {out} is kept. To hand in a second playthrough beside it, give another "
                  "name or --out FILE.", file=sys.stderr)
            return 0
    if args.choices is None:
        session = resume_or_start(assignment, story, student, args.seed)
        if session is None:
            return 0
    else:
        session = AssignmentSession(assignment, Playthrough(story, seed=args.seed), student)
    player = TerminalPlayer(story, session=Session(story, session.play, assignment=session), script=args.choices,
                            scripted_answers=scripted)
    player.run()
    if player.failure:
        print(f"error: {player.failure}", file=sys.stderr)
        return 1
    missing = session.missing()
    if not session.play.is_over or missing:
        print("The assignment is not finished yet"
              + (f" (unanswered: {', '.join(q.id for q in missing)})" if missing else "")
              + "; no submission was written."
              + (" Your place and answers are kept: give the same command and name to go on."
                 if session.progress is not None and session.progress.exists() else ""), file=sys.stderr)
        return 1 if args.choices is not None else 0
    try:
        written = write_submission(session.submission(), out, story)
    except OSError as exc:
        kept = session.progress is not None and session.progress.exists()
        print(f"error: the submission could not be written to {out} ({exc.strerror or exc}), so nothing was handed "
              "in." + (" Your place and answers are kept: free some space or pick another --out, then give the "
                       "same command and name again." if kept else ""), file=sys.stderr)
        return 1
    session.finish()
    print("Submission written: " + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0


def confirm_replace(out: Path) -> bool:
    """Ask before a new playthrough replaces a submission already written under this name."""
    when = ""
    try:
        finished = json.loads(out.read_text(encoding="utf-8")).get("finished", "")
        when = f" (handed in {str(finished).replace('T', ' ')[:16]} UTC)" if finished else ""
    except (OSError, ValueError, AttributeError):
        pass
    print(f"A submission under this name is already in {out}{when}.")
    print("Play again and replace it when you hand in? y replaces it; Enter or n keeps it: ", end="", flush=True)
    answer = stdin_line()
    return answer is not None and answer.strip().lower() in ("y", "yes")


def resume_or_start(assignment: Assignment, story: Story, student: str, seed: int) -> AssignmentSession | None:
    """A new session kept in a progress file, or the student's unfinished one if they want it (None: input ended)."""
    path = progress_path(assignment, student, story)
    kept = AssignmentSession.resume(assignment, story, student, path) if path.exists() else None
    if kept is not None:
        scene = kept.play.scene
        chapter = kept.play.chapter
        where = " - ".join(part for part in (chapter.title if chapter else "", scene.title) if part)
        print(f"You have an unfinished playthrough of this assignment: {where}, after "
              f"{count(len(kept.play.steps), 'choice')}, with {count(len(kept.answers), 'answer')} written.")
        print("Continue it? Enter or y continues; n starts again from the beginning: ", end="", flush=True)
        answer = stdin_line()
        if answer is None:
            return None
        if not answer.strip().lower().startswith("n"):
            return kept
    return AssignmentSession(assignment, Playthrough(story, seed=seed), student, progress=path)
