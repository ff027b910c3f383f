"""The student's notebook: every reflection answer written in one playthrough, as a text file to keep.

Answers are kept by the front end as question -> answer in the order they
were written; this module only formats them and writes the file, so the
window, the terminal and the browser edition can share it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from game.atomic import write_atomic
from game.session.saves import default_save_root


def notebook_text(story_title: str, answers: dict[str, str], now: datetime | None = None) -> str:
    """The answers as plain text: a heading, then each question followed by its answer."""
    now = now or datetime.now().astimezone()
    lines = [f"{story_title}: my answers", f"Written down {now:%d %B %Y, %H:%M}", ""]
    if not answers:
        lines.append("No answers written yet in this playthrough.")
    for number, (question, answer) in enumerate(answers.items(), start=1):
        lines += [f"{number}. {question}", "", answer.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def export_notebook(story_id: str, story_title: str, answers: dict[str, str], folder: Path | None = None,
                    now: datetime | None = None) -> Path:
    """Write the notebook beside the story's saves (or into ``folder``) and return the file's path.

    Each export is a new file named by its time, so an earlier export is never overwritten.
    """
    now = now or datetime.now().astimezone()
    folder = folder or default_save_root() / story_id
    path = folder / f"notebook-{now:%Y-%m-%d-%H%M%S}.txt"
    write_atomic(path, notebook_text(story_title, answers, now), shared=True)
    return path
