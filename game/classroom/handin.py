"""What a student's command needs around an assignment: scripted answers and where the submission goes."""

from __future__ import annotations

import re
from pathlib import Path

from game.errors import Diagnostic, relative_path
from game.loader.fields import FieldReader


def read_answers(path: Path) -> tuple[dict[str, str] | None, list[Diagnostic]]:
    """Scripted answers: a YAML mapping of question id to answer text; None with the problems when it is wrong."""
    from game.loader.source import read_yaml  # YAML only when an assignment is read

    node, problems = read_yaml(path, relative_path(path))
    reader = FieldReader()
    reader.problems.extend(problems)
    answers: dict[str, str] = {}
    if node is not None and reader.expect_map(node, "the answers file"):
        answers = {key: reader.as_string(value, f"the answer to {key!r}") for key, value in node.value.items()}
    if reader.problems:
        return None, list(reader.problems)
    return answers, []


def default_out(student: str) -> Path:
    """``<name>.submission.json`` in the working folder, the name made safe for a file name."""
    slug = re.sub(r"[^\w-]+", "_", student, flags=re.UNICODE).strip("_") or "student"
    return Path(f"{slug}.submission.json")
