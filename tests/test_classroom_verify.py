"""Verification against the teacher's own assignment, and story files whose wording changed since play."""

from __future__ import annotations

import json
import shutil

from classroom_helpers import ANSWERS, ASSIGNMENT, hand_in, play_through, tiny
from conftest import FIXTURES
from test_terminal import kira

from game.classroom.assignment import load_assignment
from game.classroom.report import grade_of
from game.classroom.verify import GENUINE, NEWER_WORDING, NOT_AS_ASSIGNED, OTHER_VERSION, verify_record
from game.loader.story import load_story


def edited_copy(tmp_path, *edits: str):
    """The student's own copy of the assignment, edited (old, new, old, new...), loaded as the game would."""
    copy = tmp_path / "mine.yaml"
    text = ASSIGNMENT.read_text()
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text
        text = text.replace(old, new)
    copy.write_text(text)
    return load_assignment(copy, load_story(FIXTURES / "tiny"))


def test_a_copy_edited_to_start_later_is_genuine_alone_but_not_as_assigned(tmp_path):
    story, teachers = tiny()
    later = edited_copy(tmp_path, "allow_undo: false\n", "allow_undo: false\nstart_chapter: two\n",
                        "chapter: one", "chapter: two")  # the game refuses a question before the start
    record = play_through(story, later, "Vera", [0])
    assert record["playthrough"]["start"] == "yard" and len(record["playthrough"]["steps"]) == 1
    assert verify_record(record, story).status == GENUINE  # the record alone cannot show it
    verdict = verify_record(record, story, assignment=teachers)
    assert verdict.status == NOT_AS_ASSIGNED and not verdict.genuine and grade_of(verdict) == 0
    assert "starts at the scene 'yard', but the assignment starts at the story's beginning" in verdict.detail


def test_a_copy_edited_to_need_one_word_is_caught(tmp_path):
    story, teachers = tiny()
    lazy = edited_copy(tmp_path, "min_words: 5", "min_words: 1")
    record = play_through(story, lazy, "Vera", [0, 0], ANSWERS | {"last": "Yes."})
    verdict = verify_record(record, story, assignment=teachers)
    assert verdict.status == NOT_AS_ASSIGNED
    assert verdict.detail == "the answer to 'last' has 1 word(s); the assignment asks for at least 5"


def test_questions_reworded_dropped_or_hidden_as_not_reached_are_caught(tmp_path):
    story, teachers = tiny()
    record = play_through(story, teachers, "Vera", [0, 0])
    assert verify_record(record, story, assignment=teachers).status == GENUINE

    easier = json.loads(json.dumps(record))
    easier["answers"][0]["text"] = "Did you like it?"
    assert "the question 'first' reads differently" in verify_record(easier, story, assignment=teachers).detail

    hidden = json.loads(json.dumps(record))  # an unanswered question moved to "not reached"
    answer = hidden["answers"].pop(1)
    hidden["not_reached"].append({"question": answer["question"], "text": answer["text"], "moment": answer["moment"]})
    assert verify_record(hidden, story).status == GENUINE
    verdict = verify_record(hidden, story, assignment=teachers)
    assert verdict.detail == "it lists 'yard' as not reached, but its path reached that moment"

    older = play_through(story, teachers, "Vera", [0])  # stopped in the yard: the ending's question not reached
    del older["not_reached"]  # as submissions were written before they listed such questions
    assert verify_record(older, story, assignment=teachers).status == GENUINE

    dropped = json.loads(json.dumps(record))
    dropped["answers"].pop(2)
    assert verify_record(dropped, story, assignment=teachers).detail == "the question 'last' is missing"

    other = json.loads(json.dumps(record))
    other["assignment"]["id"] = "homework_2"
    assert "made for the assignment 'homework_2', not 'tiny_reflection'" in verify_record(
        other, story, assignment=teachers).detail


def test_the_same_assignment_saved_again_is_genuine_with_a_note(tmp_path):
    story, teachers = tiny()
    record = play_through(story, teachers, "Vera", [0, 0])
    resaved = tmp_path / "resaved.yaml"
    resaved.write_text("# corrected a comment\n" + ASSIGNMENT.read_text())
    verdict = verify_record(record, story, assignment=load_assignment(resaved, story))
    assert verdict.status == GENUINE and "differs from yours" in verdict.notes[0]


def test_verify_says_plainly_what_it_did_not_check_without_the_assignment(tmp_path):
    story, teachers = tiny()
    path = hand_in(tmp_path, play_through(story, teachers, "Vera", [0, 0]), "Vera")
    alone = kira("verify", "--story", str(FIXTURES / "tiny"), str(path))
    assert alone.returncode == 0 and "Not checked: the questions, minimum words and starting chapter" in alone.stdout
    lazy = edited_copy(tmp_path, "min_words: 5", "min_words: 1")
    lazy_path = hand_in(tmp_path, play_through(story, lazy, "Lev", [0, 0], ANSWERS | {"last": "Yes."}), "Lev")
    checked = kira("verify", "--story", str(FIXTURES / "tiny"), "--assignment", str(ASSIGNMENT), str(path),
                   str(lazy_path))
    assert checked.returncode == 1 and "Not checked" not in checked.stdout
    assert "(Lev): not as assigned: the answer to 'last' has 1 word(s)" in checked.stdout
    assert "(Vera): genuine" in checked.stdout


def test_a_prose_fix_to_the_story_is_same_path_newer_wording_with_full_marks(tmp_path):
    story, teachers = tiny()
    record = play_through(story, teachers, "Vera", [0, 0])
    changed = tmp_path / "tiny2"
    shutil.copytree(FIXTURES / "tiny", changed)
    scenes = changed / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("A cold hall.", "A cold, bare hall.")
                      .replace("label: Be brave", "label: Stand up bravely").replace("title: Hero", "title: A hero"))
    newer = load_story(changed)
    assert newer.content_hash != story.content_hash
    verdict = verify_record(record, newer, assignment=teachers)
    assert verdict.status == NEWER_WORDING and verdict.genuine and grade_of(verdict) == 100
    assert "1 choice label(s) read differently now" in verdict.detail
    assert verdict.record["playthrough"]["steps"][0]["label"] == "Stand up bravely"  # the report shows today's words
    assert verdict.record["summary"]["ending_title"] == "A hero" and record["summary"]["ending_title"] == "Hero"

    forged = json.loads(json.dumps(record))  # an older wording is no cover for a changed path
    forged["playthrough"]["steps"][0]["novel"] = False
    assert verify_record(forged, newer).status == OTHER_VERSION


def test_a_name_with_terminal_escapes_prints_as_plain_text(tmp_path):
    story, teachers = tiny()
    record = play_through(story, teachers, "Vera\x1b[2J\x1b]0;owned\x07\u202e", [0, 0])
    path = hand_in(tmp_path, record, "Vera")
    result = kira("verify", "--story", str(FIXTURES / "tiny"), str(path))
    assert "(Vera): genuine" in result.stdout and "\x1b" not in result.stdout and "\u202e" not in result.stdout
