"""The teachers' loop end to end: assignment, scripted submissions, verify, report."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_terminal import kira

from game.classroom.assignment import count_words, load_assignment
from game.errors import StoryError
from game.loader.story import load_story

ASSIGNMENT = FIXTURES / "tiny_assignment.yaml"
ANSWERS = FIXTURES / "tiny_answers.yaml"


def submit(tmp_path: Path, student: str, choices: str, answers: Path = ANSWERS) -> Path:
    out = tmp_path / f"{student}.json"
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT),
                  "--choices", choices, "--answers", str(answers), "--student", student, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def class_files(tmp_path):
    files = [submit(tmp_path, "anna", "1,1"), submit(tmp_path, "boris", "2,1"), submit(tmp_path, "clara", "2,1")]
    forged = json.loads(files[2].read_text())
    forged["ending"] = forged["playthrough"]["ending"] = "hero"  # claims the brave ending after hiding
    forged["playthrough"]["scene"] = "hero"
    files[2].write_text(json.dumps(forged))
    return files


def test_assignment_errors_are_located(tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text(ASSIGNMENT.read_text().replace("at: scene", "at: sceen").replace("chapter: one", "chapter: uno"))
    with pytest.raises(StoryError) as info:
        load_assignment(bad, load_story(FIXTURES / "tiny"))
    text = str(info.value)
    assert "a.yaml:14:9:" in text and "'at' must be one of" in text
    assert "a.yaml:11:14:" in text and "unknown chapter 'uno'" in text


def test_submission_holds_everything(class_files):
    record = json.loads(class_files[0].read_text())
    assert record["student"] == "anna" and record["ending"] == "hero"
    assert record["assignment"]["id"] == "tiny_reflection" and len(record["story"]["hash"]) == 64
    assert [a["question"] for a in record["answers"]] == ["first", "yard", "last"]
    assert record["answers"][1]["words"] == count_words("Empty and cold.") == 3
    assert record["summary"]["matched_novel"] == 2 and all(s["time"] for s in record["playthrough"]["steps"])
    for suffix in ("transcript.md", "transcript.html", "evidence.md", "evidence.html"):
        assert class_files[0].with_name(f"anna.{suffix}").exists()
    html = class_files[0].with_name("anna.transcript.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_short_answer_in_a_script_is_an_error_naming_the_question(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("first: Too short\nyard: Empty and cold.\nlast: Fine.\n")
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT),
                  "--choices", "1,1", "--answers", str(answers), "--student", "x", "--out", str(tmp_path / "x.json"))
    assert result.returncode == 1 and "question 'first'" in result.stderr and "at least 3 words" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_interactive_assignment_enforces_the_minimum(tmp_path):
    out = tmp_path / "d.json"
    stdin = "\n".join(["1", "Too short", "It cost me my comfort.", "Empty yard.", "1",
                       "Yes.", "Yes, because I chose it myself."]) + "\n"
    result = kira("--ui", "terminal", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT),
                  "--student", "dora", "--out", str(out), stdin=stdin)
    assert result.returncode == 0, result.stderr
    words = " ".join(result.stdout.split())
    assert "Please write at least 3 words (you wrote 2)" in words and "Undo is switched off" in words
    assert json.loads(out.read_text())["answers"][0]["answer"] == "It cost me my comfort."
    assert "[h]istory [c]odex [q]uit" in words and "[s]ave" not in words  # only the commands that work here


def test_verify_names_the_tampered_file(class_files):
    result = kira("verify", "--story", str(FIXTURES / "tiny"), *map(str, class_files))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("(anna): genuine") and lines[1].endswith("(boris): genuine")
    assert "(clara): tampered: the scene in the record (hero) is not what the choices lead to (coward)" in lines[2]


def test_verify_spots_a_forged_step_and_another_story_version(tmp_path, class_files):
    record = json.loads(class_files[0].read_text())
    record["playthrough"]["steps"][0]["choice"] = 2  # the bribe, which needed money Kira did not have
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(record))
    result = kira("verify", "--story", str(FIXTURES / "tiny"), str(forged))
    assert "step 1 takes" in result.stdout and "not available" in result.stdout
    changed = tmp_path / "tiny2"
    shutil.copytree(FIXTURES / "tiny", changed)
    (changed / "scenes.yaml").write_text((changed / "scenes.yaml").read_text().replace("A cold hall.", "A hall."))
    result = kira("verify", "--story", str(changed), str(class_files[0]))
    assert result.returncode == 0 and "same path, newer wording" in result.stdout  # a prose fix is not a fault
    (changed / "scenes.yaml").write_text((changed / "scenes.yaml").read_text().replace("to: yard\n        novel",
                                                                                       "to: fate\n        novel"))
    result = kira("verify", "--story", str(changed), str(class_files[0]))
    assert result.returncode == 1 and "other version" in result.stdout
    assert "step 2 was taken in the scene" in result.stdout


def test_report_csv_and_xapi(tmp_path, class_files):
    report, grades, xapi = tmp_path / "report.html", tmp_path / "grades.csv", tmp_path / "x.jsonl"
    result = kira("report", "--story", str(FIXTURES / "tiny"), *map(str, class_files), "-o", str(report),
                  "--csv", str(grades), "--xapi", str(xapi), "--salt", "class-7b")
    assert result.returncode == 0, result.stderr
    html = report.read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<svg" in html and "tampered" in html and "What did your first choice cost you?" in html
    rows = list(csv.DictReader(io.StringIO(grades.read_text(encoding="utf-8-sig"))))
    assert [r["Full name"] for r in rows] == ["anna", "boris", "clara"] and {r["ID number"] for r in rows} == {""}
    assert [r["Grade"] for r in rows] == ["100", "100", "0"] and "tampered" in rows[2]["Feedback"]
    statements = [json.loads(line) for line in xapi.read_text().splitlines()]
    verbs = [s["verb"]["display"]["en-US"] for s in statements[:6]]
    assert verbs == ["initialized", "accessed", "selected", "accessed", "selected", "completed"]
    assert all("mbox" not in s["actor"] and "anna" not in json.dumps(s["actor"]) for s in statements)
    assert statements[5]["result"]["response"] == "hero"


def test_report_page_renders_without_running_student_script(tmp_path, class_files):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    report = tmp_path / "report.html"
    kira("report", "--story", str(FIXTURES / "tiny"), *map(str, class_files), "-o", str(report))
    shot = tmp_path / "report.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'p'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=60).stdout
    assert "Class report" in dom and "<script" not in dom.lower()
    subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1200,1600", report.as_uri()],
                   capture_output=True, timeout=60)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_markdown_documents_keep_student_text_inert_without_html_entities(class_files):
    md = class_files[0].with_name("anna.transcript.md").read_text()
    assert "\\<script\\>alert('x')\\</script\\>" in md and "&#39;" not in md


SKIPPING_STORY = {"scenes.yaml": """\
    chapters:
      - {id: one, number: 1, title: "Chapter One"}
      - {id: two, number: 2, title: "Chapter Two"}
    scenes:
      - id: a
        title: A
        chapter: one
        text: The start.
        choices:
          - {label: Go on, to: b, novel: true}
          - {label: Give up, to: early}
      - id: b
        title: B
        chapter: two
        text: The middle.
        choices:
          - {label: Finish, to: late, novel: true}
    endings:
      - {id: early, title: Early, epilogue: Soon., state_took: All., could_not_take: No., novel: No.,
         reflection: [Why?]}
      - {id: late, title: Late, epilogue: Later., state_took: Some., could_not_take: Much., novel: Same.,
         reflection: [Why?]}
    """}
SKIPPING_ASSIGNMENT = """\
id: skip
title: Skipping
story: t
min_words: 1
questions:
  - {id: one, at: chapter_end, chapter: one, text: How did chapter one end?}
  - {id: two, at: chapter_end, chapter: two, text: How did chapter two end?}
  - {id: middle, at: scene, scene: b, text: What happened in the middle?}
  - {id: end, at: ending, text: Why this ending?}
"""


def test_a_path_that_skips_a_question_can_still_hand_in(make_story, tmp_path):
    from game.classroom.report import gather, html_report
    from game.classroom.verify import verify_record
    from game.runtime.playthrough import Playthrough
    from game.session.assignment import AssignmentSession

    story = load_story(make_story(SKIPPING_STORY))
    (tmp_path / "skip.yaml").write_text(SKIPPING_ASSIGNMENT)
    assignment = load_assignment(tmp_path / "skip.yaml", story)
    session = AssignmentSession(assignment, Playthrough(story), "Clara")
    assert [q.id for q in session.due_after(session.play.choose(1))] == ["one", "end"]  # straight to an ending
    for question in (assignment.questions[0], assignment.questions[3]):
        assert session.answer(question, "Quickly.") is None
    assert session.missing() == [] and [q.id for q in session.not_reached()] == ["two", "middle"]
    record = session.submission()
    assert [s["question"] for s in record["not_reached"]] == ["two", "middle"]
    verdict = verify_record(json.loads(json.dumps(record)), story)
    assert verdict.genuine
    page = html_report(gather(story, [verdict]))
    assert "How did chapter two end?" in page and "Not reached on their path: Clara" in page

    longer = AssignmentSession(assignment, Playthrough(story), "Anna")
    longer.play.choose(0)
    assert [q.id for q in longer.missing()] == ["one", "middle"]  # chapter two has not ended yet


def test_verify_spots_a_changed_label_or_novel_flag(class_files):
    from game.classroom.verify import verify_record

    story = load_story(FIXTURES / "tiny")
    record = json.loads(class_files[0].read_text())
    assert verify_record(record, story).genuine
    relabelled = json.loads(json.dumps(record))
    relabelled["playthrough"]["steps"][0]["label"] = "Refuse to play"  # the report's splits show labels
    verdict = verify_record(relabelled, story)
    assert verdict.status == "tampered" and "step 1 has its label changed" in verdict.detail
    unflagged = json.loads(json.dumps(record))
    unflagged["playthrough"]["steps"][1]["novel"] = False
    assert "step 2 has its novel's choice flag changed" in verify_record(unflagged, story).detail


def test_the_class_figures_leave_out_what_a_tampered_record_claims(class_files):
    from game.classroom.report import gather, xapi_lines
    from game.classroom.verify import verify_file

    story = load_story(FIXTURES / "tiny")
    data = gather(story, [verify_file(path, story) for path in class_files])  # clara's record claims "hero"
    assert dict(data.endings) == {"Hero": 1, "Coward": 1} and data.left_out == ["clara"]
    assert [student for student, _ in data.agreement] == ["anna", "boris"]
    assert "clara" in [a["student"] for items in data.answers.values() for a in items]  # shown, marked tampered
    assert xapi_lines(data, "salt").count('"completed"') == 2


def test_assignment_checks_words_blank_texts_and_questions_before_the_start(tmp_path):
    story = load_story(FIXTURES / "tiny")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'id: homework\ntitle: "   "\nstory: tiny\nstart_chapter: two\nmin_words: 0\nquestions:\n'
        '  - {id: a, at: chapter_end, chapter: one, text: What did it cost?}\n'
        '  - {id: b, at: scene, scene: hall, text: What is in the hall?, min_words: -3}\n'
        '  - {id: c, at: ending, text: "", min_words: 100000}\n'
        '  - {id: d, at: scene, scene: yard, text: Describe the yard.}\n')
    with pytest.raises(StoryError) as info:
        load_assignment(bad, story)
    lines = str(info.value).splitlines()
    expected = [
        "bad.yaml:2:8: error: 'title' of the assignment is blank",
        "bad.yaml:5:12: error: 'min_words' of the assignment is 0; it must be from 1 to 2000",
        "bad.yaml:7:39: error: question 'a' is in Chapter One, before Chapter Two, where play starts",
        "bad.yaml:8:76: error: 'min_words' of question 'b' is -3; it must be from 1 to 2000",
        "bad.yaml:8:31: error: question 'b' is in Chapter One, before Chapter Two",
        "bad.yaml:9:31: error: 'text' of question 'c' is blank",
        "bad.yaml:9:46: error: 'min_words' of question 'c' is 100000; it must be from 1 to 2000",
    ]
    for want in expected:
        assert any(want in line for line in lines), (want, lines)
    assert not any("question 'd'" in line for line in lines)  # the yard is in chapter two: fine
