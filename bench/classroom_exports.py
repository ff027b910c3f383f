"""How long a class of 300 takes through the exports: the class dump, its reading by ``kira report``, the gradebooks.

``python bench/classroom_exports.py`` plays 300 seeded random playthroughs
of the shipped story under the shipped example assignment (every question
answered with 80 to 140 words, every answer graded on its rubric), then
times, each as the best of three:

* writing the class dump, and ``json.loads`` of the same text alone (the
  limit: what reading costs before the project's own checks);
* reading the dump back (every field checked) and replaying all 300
  submissions (what ``kira report class.json`` does before its figures);
* the three gradebooks (Moodle, Canvas, Google Classroom) and the xAPI
  statements from the records.

``--students`` changes the class size; ``--json`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.classroom.assignment import load_assignment  # noqa: E402
from game.classroom.classdump import dump_text, dump_verdicts, read_class_dump  # noqa: E402
from game.classroom.gradebook import (  # noqa: E402
    ClassRecord,
    StudentRecord,
    canvas_csv,
    google_classroom_csv,
    moodle_csv,
)
from game.classroom.grades import grade_answer  # noqa: E402
from game.classroom.verify import GENUINE  # noqa: E402
from game.classroom.xapi import statements  # noqa: E402
from game.loader.story import load_story  # noqa: E402
from game.runtime.playthrough import Playthrough  # noqa: E402
from game.session.assignment import AssignmentSession  # noqa: E402

SHIPPED = ROOT / "story" / "we_the_living"
EXAMPLE = ROOT / "classroom" / "examples" / "theme_essay.yaml"
WORDS = ("the state took her flat and her work but she kept her own judgement about what a life is for "
         "and she chose again and again what she would not say aloud in the committee room").split()


def make_class(students: int, seed: int) -> ClassRecord:
    """A graded class of ``students`` random playthroughs, each question answered and graded."""
    story = load_story(SHIPPED)
    assignment = load_assignment(EXAMPLE, story)
    rng = random.Random(seed)
    records = []
    for n in range(students):
        session = AssignmentSession(assignment, Playthrough(story, seed=n), f"Student {n:03d}")
        due = list(session.due_at_start())
        while True:
            for question in due:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 140)))
                assert session.answer(question, text) is None
            if session.play.is_over:
                break
            due = session.due_after(session.play.choose(rng.randrange(len(session.play.choices()))))
        record = json.loads(json.dumps(session.submission()))
        rubric = {q.id: q.rubric for q in assignment.questions}
        grades = tuple(grade_answer(rubric[a["question"]], a["question"],
                                    {c.id: str(rng.randint(0, c.points)) for c in rubric[a["question"]]},
                                    "Clear, and tied to your own choices.") for a in record["answers"])
        records.append(StudentRecord(f"Student {n:03d}", f"S-{n:04d}", f"s{n}@school.invalid", record, GENUINE,
                                     grades, 1))
    return ClassRecord("Benchmark class", assignment.title, tuple(records), graded=True)


def best(work: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(students: int, seed: int) -> dict[str, float]:
    klass = make_class(students, seed)
    story = load_story(SHIPPED)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "class.json"
        text = dump_text(klass)
        path.write_text(text, encoding="utf-8")
        figures = {
            "students": float(students),
            "dump_megabytes": round(len(text.encode()) / 1e6, 2),
            "write_dump_s": best(lambda: dump_text(klass)),
            "json_loads_alone_s": best(lambda: json.loads(text)),
            "read_dump_s": best(lambda: read_class_dump(path)),
            "read_and_replay_s": best(lambda: dump_verdicts(read_class_dump(path), story)),
            "gradebooks_s": best(lambda: (moodle_csv(klass), canvas_csv(klass), google_classroom_csv(klass))),
            "xapi_s": best(lambda: [statements(dict(s.submission or {}), "salt", s.grades) for s in klass.students]),
        }
    figures["read_dump_ratio"] = round(figures["read_dump_s"] / figures["json_loads_alone_s"], 2)
    return {k: round(v, 4) for k, v in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = measure(args.students, args.seed)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for name, value in figures.items():
        print(f"{name:<22}{value:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
