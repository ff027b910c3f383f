"""A whole class in one JSON file: written from records, read back by ``kira report`` as its students."""

from __future__ import annotations

import csv
import io
import json

import pytest
from classroom_helpers import ASSIGNMENT, play_through, tiny
from conftest import FIXTURES
from test_terminal import kira

from game.classroom.classdump import dump_text, is_class_dump, read_class_dump
from game.classroom.gradebook import ClassRecord, StudentRecord
from game.classroom.grades import grade_answer
from game.classroom.records import BadRecord, read_record
from game.classroom.rubric import Criterion
from game.classroom.verify import GENUINE

RUBRIC = (Criterion("evidence", "Uses a moment", 4), Criterion("reasoning", "Explains why", 6))
ZOE = "Zoë Ñúñez, Jr."


def graded(record: dict, points: tuple[str, str]) -> tuple:
    return tuple(grade_answer(RUBRIC, a["question"], {"evidence": points[0], "reasoning": points[1]},
                              f"About {a['question']}.") for a in record["answers"])


@pytest.fixture
def dump(tmp_path):
    """A graded class of three as the server would write it: Zoë and Boris handed in, Anton did not."""
    story, assignment = tiny()
    zoe, boris = play_through(story, assignment, ZOE, [0, 0]), play_through(story, assignment, "Boris Lenz", [1, 0])
    klass = ClassRecord("Period 3", assignment.title, (
        StudentRecord(ZOE, "S-1003", "zoe@school.invalid", zoe, GENUINE, graded(zoe, ("4", "6")), 1),
        StudentRecord("Boris Lenz", "S-1002", "boris@school.invalid", boris, GENUINE, graded(boris, ("2", "1")), 2),
        StudentRecord("Anton Absent", "S-1004", "anton@school.invalid")), graded=True)
    path = tmp_path / "period3.class.json"
    path.write_text(dump_text(klass, assignment.id, "2026-12-03T14:00:00+00:00"), encoding="utf-8")
    return path


def test_a_dump_reads_back_with_every_student_and_grade(dump):
    assert is_class_dump(dump) and not is_class_dump(FIXTURES / "tiny_assignment.yaml")
    back = read_class_dump(dump)
    assert (back.title, back.graded, back.assignment) == ("Period 3", True, {"id": "tiny_reflection",
                                                                             "title": "Courage and its cost"})
    assert [(s.name, s.student_id, s.email) for s in back.students] == [
        (ZOE, "S-1003", "zoe@school.invalid"), ("Boris Lenz", "S-1002", "boris@school.invalid"),
        ("Anton Absent", "S-1004", "anton@school.invalid")]
    assert back.students[2].submission is None and back.students[0].grades[0].points == 10
    with pytest.raises(BadRecord, match="class dump"):
        read_record(dump)  # handed to the single-submission reader, it says what it is


def test_kira_report_reads_a_class_dump_end_to_end(tmp_path, dump):
    grades, canvas, google, xapi = (tmp_path / n for n in ("m.csv", "c.csv", "g.csv", "x.jsonl"))
    result = kira("report", "--story", str(FIXTURES / "tiny"), str(dump), "-o", str(tmp_path / "r.html"),
                  "--csv", str(grades), "--canvas", str(canvas), "--google", str(google),
                  "--xapi", str(xapi), "--salt", "period-3")
    assert result.returncode == 0, result.stderr
    assert "Report of 2 submission(s) (0 not genuine)" in result.stdout
    assert "Not handed in: 1 of 3." in result.stdout  # the dump's list of students is the roster
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h2>Grades</h2>" in page and "<td>Boris Lenz</td><td>9 of 30</td><td>30</td><td>3 of 3</td>" in page
    assert "Class report: Period 3" in page  # the dump's title
    assert "3 of 10 points (evidence: 2/4, reasoning: 1/6). Comment: About last." in page
    with grades.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, dialect="excel"))
    assert [(r["ID number"], r["Full name"], r["Grade"]) for r in rows] == [("S-1003", ZOE, "100"),
                                                                            ("S-1002", "Boris Lenz", "30")]
    assert rows[0]["Feedback"].startswith("30 of 30 points") and "About last." in rows[0]["Feedback"]
    canvas_rows = list(csv.reader(io.StringIO(canvas.read_text(encoding="utf-8-sig")), dialect="excel"))
    assert canvas_rows[2][:3] == [ZOE, "", "S-1003"] and canvas_rows[2][-1] == "100"
    google_rows = list(csv.reader(io.StringIO(google.read_text(encoding="utf-8-sig")), dialect="excel"))
    assert google_rows[1] == ["zoe@school.invalid", "Zoë", "Ñúñez, Jr.", "100"]
    statements = [json.loads(line) for line in xapi.read_text().splitlines()]
    scored = [s for s in statements if s["verb"]["display"]["en-US"] == "scored"]
    assert len(scored) == 6 and scored[0]["result"]["score"] == {"scaled": 1.0, "raw": 10, "min": 0, "max": 10}
    completed = [s for s in statements if s["verb"]["display"]["en-US"] == "completed"]
    assert [c["result"]["score"]["raw"] for c in completed] == [30, 9]
    for statement in completed:  # the novel agreement is information, never a score
        assert statement["result"]["score"]["scaled"] == round(statement["result"]["score"]["raw"] / 30, 4)
        assert 0 <= statement["result"]["extensions"]["https://we-the-living.invalid/classroom/novel-agreement"] <= 1


def test_a_dumped_submission_is_replayed_again_and_a_bad_student_spoils_only_itself(tmp_path, dump):
    data = json.loads(dump.read_text(encoding="utf-8"))
    data["students"][1]["submission"]["summary"]["agreement"] = 1.0  # an edited claim: the replay catches it
    data["students"].append({"name": "Nadia", "submission": {"kind": "we-the-living-submission", "answers": None}})
    data["students"].append("not a student")
    data["students"][0]["grades"].append({"question": "last", "comment": "", "scores": [
        {"criterion": "evidence", "points": 99, "out_of": 4}]})
    dump.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    grades = tmp_path / "m.csv"
    result = kira("report", "--story", str(FIXTURES / "tiny"), str(dump), "-o", str(tmp_path / "r.html"),
                  "--csv", str(grades))
    assert result.returncode == 0, result.stderr
    assert "Report of 4 submission(s) (3 not genuine, 2 unreadable)" in result.stdout
    assert f"warning: {ZOE}: a grade was left out" in result.stderr
    result = kira("verify", "--story", str(FIXTURES / "tiny"), str(dump))
    assert f"{dump} [Boris Lenz] (Boris Lenz): tampered" in result.stdout
    assert f"{dump} [Nadia] (Nadia): unreadable: the field 'student' is missing" in result.stdout
    assert "[a student without a name]: unreadable: student 5 in the list is not an object" in result.stdout


def test_files_become_a_dump_that_reports_the_same(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    story, assignment = tiny()
    for name, choices in (("anna", [0, 0]), ("=HYPERLINK(\"x\")", [1, 0])):
        (folder / f"{len(name)}.json").write_text(json.dumps(play_through(story, assignment, name, choices)))
    files = sorted(map(str, folder.glob("*.json")))
    first, second, out = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "class.json"
    args = ("report", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT), "-o",
            str(tmp_path / "r.html"))
    assert kira(*args, *files, "--csv", str(first), "--dump", str(out)).returncode == 0
    result = kira(*args, str(out), "--csv", str(second))
    assert result.returncode == 0, result.stderr
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in second.read_text(encoding="utf-8")


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(version=2), "format version 2; this version of the game reads version 1"),
    (lambda d: d.update(students={"a": 1}), "'students' must be a list"),
])
def test_a_dump_this_version_cannot_read_is_refused_with_the_reason(tmp_path, dump, change, message):
    data = json.loads(dump.read_text(encoding="utf-8"))
    change(data)
    dump.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BadRecord, match=message):
        read_class_dump(dump)
    dump.write_text(dump.read_text().replace('"Period 3"', "NaN"))
    with pytest.raises(BadRecord, match="NaN"):
        read_class_dump(dump)


def test_a_huge_dump_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.write(b'{"kind": "we-the-living-class", ')
        f.truncate(100 * 1024 * 1024)  # sparse: 100 MB long, nothing to read
    with pytest.raises(BadRecord, match="the limit is 64,000,000"):
        read_class_dump(path)
