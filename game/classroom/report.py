"""The class report: one HTML page (charts as inline SVG), a gradebook CSV and xAPI lines.

Every piece of student text reaches the page through jinja2 with
autoescape on. Charts use matplotlib when it is installed (the ``report``
extra); without it the page says so and shows the tables alone.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from game.classroom.assignment import Assignment
from game.classroom.documents import environment
from game.classroom.gradebook import ClassRecord, StudentRecord, completion_grade, moodle_csv
from game.classroom.grades import Grade, class_totals
from game.classroom.roster import ClassList, Roster, class_list, name_key
from game.classroom.verify import TAMPERED, Verdict
from game.classroom.xapi import statements
from game.runtime.model import Story


@dataclass
class ClassData:
    story: Story
    verdicts: list[Verdict]
    endings: Counter[str] = field(default_factory=Counter)
    agreement: list[tuple[str, float]] = field(default_factory=list)
    splits: dict[str, Counter[str]] = field(default_factory=dict)
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)
    not_reached: dict[str, list[str]] = field(default_factory=dict)  # question id -> students whose path skipped it
    not_yet: dict[str, list[str]] = field(default_factory=dict)  # question id -> students still playing towards it
    left_out: list[str] = field(default_factory=list)  # students whose tampered records the figures do not count
    classes: ClassList = field(default_factory=lambda: ClassList([], []))
    assignment: Assignment | None = None  # the teacher's own, when given: submissions were compared with it
    skipped: list[str] = field(default_factory=list)  # transcripts and other files that are not submissions
    grades: dict[str, tuple[Grade, ...]] = field(default_factory=dict)  # by name_key of a submission's student
    graded: bool = False  # graded by a rubric (from a class dump; the assignment, when given, says so itself)
    live: bool = False  # read from kira serve's database while the class plays, not from handed-in files

    @property
    def not_checked(self) -> str:
        """What could not be checked without the teacher's assignment ('' when it was given)."""
        if self.assignment is not None:
            return ""
        return ("The assignment was not checked: each submission's questions, minimum words and starting chapter "
                "were taken from the submission itself. Give --assignment FILE to compare them with yours.")


def gather(story: Story, verdicts: list[Verdict], roster: Roster | None = None,
           assignment: Assignment | None = None, skipped: list[str] | None = None,
           grades: dict[str, tuple[Grade, ...]] | None = None, graded: bool = False) -> ClassData:
    """The class figures, from the submission that counts for each student (the newest), never summed.
    ``grades`` (by the name_key of a submission's student) come from a class dump, and ``graded`` says the
    dump's class was graded by a rubric (the teacher's assignment, when given, says so itself)."""
    classes = class_list(verdicts, roster)
    data = ClassData(story, verdicts, classes=classes, assignment=assignment, skipped=list(skipped or []),
                     grades=dict(grades or {}), graded=graded)
    splits: dict[str, Counter[str]] = defaultdict(Counter)
    answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for verdict in classes.used:
        record = verdict.record
        assert record is not None
        if verdict.status == TAMPERED:  # what it claims is not what was played: keep it out of the class figures
            data.left_out.append(verdict.student)
        else:
            ending = record.get("ending")
            title = story.scenes[ending].title if isinstance(ending, str) and ending in story.scenes else "unfinished"
            data.endings[title] += 1
            data.agreement.append((verdict.student, float(record["summary"]["agreement"])))
            for step in record["playthrough"]["steps"]:
                scene = story.scenes.get(step["scene"])
                if scene is not None and scene.decisive:
                    splits[scene.title][step["label"]] += 1
        by_question = {g.question: g for g in data.grades.get(name_key(verdict.student), ())}
        for answer in record["answers"]:
            qid = answer["question"]
            data.questions.setdefault(qid, answer["text"])
            answers[qid].append({"student": verdict.student, "answer": answer["answer"],
                                 "words": answer["words"], "status": verdict.status, "grade": by_question.get(qid)})
        for skipped_question in record.get("not_reached", []):
            qid = skipped_question["question"]
            data.questions.setdefault(qid, skipped_question["text"])
            answers.setdefault(qid, [])  # the question gets its heading even when nobody reached it
            # a student still playing has not reached it yet; one whose story ended never will
            playing = not record.get("ending")
            (data.not_yet if playing else data.not_reached).setdefault(qid, []).append(verdict.student)
    data.splits = dict(splits)
    data.answers = dict(answers)
    return data


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.find("<svg"):]  # drop the XML prolog so it can sit inside HTML


def charts(data: ClassData) -> dict[str, str] | None:
    """The two charts as SVG text, or None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        return None
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "none"})
    out: dict[str, str] = {}
    fig, ax = plt.subplots(figsize=(6.4, 0.5 + 0.45 * max(1, len(data.endings))))
    names = [name for name, _ in data.endings.most_common()]
    ax.barh(names[::-1], [data.endings[n] for n in names][::-1], color="#a3261c")
    ax.set_xlabel("students")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    out["endings"] = _svg(fig)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    values = [round(100 * a) for _, a in data.agreement]
    ax.hist(values, bins=range(0, 110, 10), color="#2f4a5e", edgecolor="#f7f3ea")
    ax.set_xlabel("% of choices matching the novel's Kira")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    out["agreement"] = _svg(fig)
    plt.close(fig)
    return out


def html_report(data: ClassData, title: str = "") -> str:
    from markupsafe import Markup

    svgs = charts(data)
    safe = {k: Markup(v) for k, v in svgs.items()} if svgs else None  # our own SVG, no student text inside
    klass = class_record(data, title)
    totals = class_totals([s.total for s in klass.students if s.submission is not None],
                          [g for s in klass.students for g in s.grades])
    template = environment().get_template("report.html.j2")
    return template.render(d=data, charts=safe, title=title or data.story.title, klass=klass, totals=totals)


def grade_of(verdict: Verdict) -> int:
    """The completion grade of one submission (out of 100), as the gradebook gives it without a rubric."""
    return completion_grade(verdict.status, verdict.record)


def class_record(data: ClassData, title: str = "") -> ClassRecord:
    """The class as the exports read it: one record per student, their newest readable submission, their
    grades (from a class dump), and the roster's student id and email."""
    students = []
    for entry in data.classes.entries:
        verdict = entry.used
        member = entry.member
        students.append(StudentRecord(
            name=member.name if member else (verdict.student if verdict else entry.name),
            student_id=entry.student_id, email=member.email if member else "",
            submission=verdict.record if verdict else None, status=verdict.status if verdict else "",
            grades=data.grades.get(name_key(verdict.student), ()) if verdict else (),
            submissions=len(entry.older) + (1 if verdict else 0)))
    assignment = data.assignment
    assignment_title = assignment.title if assignment else next(
        (str(v.record["assignment"]["title"]) for v in data.classes.used if v.record), "")
    graded = assignment.graded if assignment is not None else data.graded
    return ClassRecord(title or data.story.title, assignment_title, tuple(students), graded=graded)


def gradebook_csv(data: ClassData) -> str:
    """The Moodle gradebook of the class (see game.classroom.gradebook for the columns and the grade)."""
    return moodle_csv(class_record(data))


def xapi_lines(data: ClassData, salt: str) -> str:

    lines: list[str] = []
    for verdict in data.classes.used:
        if verdict.status != TAMPERED and verdict.record is not None:  # a forged path is not a learning record
            grades = data.grades.get(name_key(verdict.student), ())
            lines.extend(json.dumps(s, ensure_ascii=False) for s in statements(verdict.record, salt, grades))
    return "\n".join(lines) + ("\n" if lines else "")
