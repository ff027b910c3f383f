"""Submission files from strangers: every field's type is checked, and one bad file never stops the report."""

from __future__ import annotations

import json
import os

import pytest
from classroom_helpers import hand_in, play_through, tiny
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from test_terminal import kira

from game.classroom.records import BadRecord, parse_record, read_record
from game.classroom.verify import UNREADABLE, verify_file


def good_record() -> dict:
    story, assignment = tiny()
    return play_through(story, assignment, "Vera", [0, 0])


GOOD = good_record()


def broken(change) -> str:  # type: ignore[no-untyped-def]
    record = good_record()
    change(record)
    return json.dumps(record)


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r.update(answers=None), "the field 'answers' must be a list, not null"),
    (lambda r: r.update(answers={"first": "x"}), "the field 'answers' must be a list, not an object"),
    (lambda r: r.update(story=["tiny"]), "the field 'story' must be an object, not a list"),
    (lambda r: r["playthrough"].update(steps={"0": {}}), "the field 'playthrough.steps' must be a list"),
    (lambda r: r["playthrough"]["steps"][0].update(choice="1"),
     "the field 'playthrough.steps[0].choice' must be a whole number, not text"),
    (lambda r: r["playthrough"]["steps"][1].pop("scene"), "the field 'playthrough.steps[1].scene' is missing"),
    (lambda r: r["answers"][0].update(words=True), "the field 'answers[0].words' must be a whole number"),
    (lambda r: r["answers"][1].update(answer=["a", "b"]), "the field 'answers[1].answer' must be text, not a list"),
    (lambda r: r.update(student=""), "the field 'student' is empty"),
    (lambda r: r["summary"].update(agreement=7), "the field 'summary.agreement' is not between 0 and 1"),
    (lambda r: r.update(not_reached=None), "the field 'not_reached' must be a list, not null"),
    (lambda r: r.update(summary=None), "the field 'summary' must be an object, not null"),
])
def test_every_field_type_is_checked(change, message):
    with pytest.raises(BadRecord) as info:
        parse_record(broken(change))
    assert message in str(info.value)


def test_numbers_json_has_no_place_for_and_deep_nesting_are_refused():
    text = broken(lambda r: r["summary"].update(agreement=0.5))
    with pytest.raises(BadRecord, match="NaN"):
        parse_record(text.replace('"agreement": 0.5', '"agreement": NaN'))
    with pytest.raises(BadRecord, match="too large"):
        parse_record(text.replace('"agreement": 0.5', '"agreement": 1e999'))
    with pytest.raises(BadRecord, match="nested far too deeply"):
        parse_record('{"kind": "we-the-living-submission", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(BadRecord, match="nested far too deeply"):
        parse_record(text[:-1] + ', "extra": ' + "[" * 50 + "]" * 50 + "}")
    with pytest.raises(BadRecord, match="not a We the Living submission"):
        parse_record("[1, 2, 3]")


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.submission.json"
    with huge.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: 100 MB long, nothing to read
    with pytest.raises(BadRecord, match="the file is 104,857,600 bytes; the limit is 5,000,000; no submission"):
        read_record(huge)
    story, _ = tiny()
    assert verify_file(huge, story).status == UNREADABLE
    pipe = tmp_path / "pipe.submission.json"
    os.mkfifo(pipe)  # kira report DIR/* must not wait forever on a named pipe in the folder
    verdict = verify_file(pipe, story)
    assert verdict.status == UNREADABLE and "FIFO" in verdict.detail


def test_report_of_a_folder_skips_transcripts_and_lists_the_broken_file(tmp_path):
    story, assignment = tiny()
    folder = tmp_path / "inbox"
    folder.mkdir()
    hand_in(folder, play_through(story, assignment, "Anna", [0, 0]), "Anna")
    hand_in(folder, play_through(story, assignment, "Boris", [1, 0]), "Boris")
    (folder / "Clara.submission.json").write_text(broken(lambda r: r.update(answers=None)))
    (folder / "Dora.submission.json").write_text(broken(lambda r: r["summary"].update(agreement=0.5))
                                                 .replace('"agreement": 0.5', '"agreement": NaN'))
    files = sorted(str(p) for p in folder.iterdir())
    assert len(files) == 12  # two submissions with four documents each, and two broken files
    out = tmp_path / "report.html"
    result = kira("report", "--story", str(FIXTURES / "tiny"), *files, "-o", str(out), "--csv",
                  str(tmp_path / "grades.csv"))
    assert result.returncode == 0, result.stderr
    assert "Report of 4 submission(s) (2 not genuine, 2 unreadable), 8 transcript(s) skipped" in result.stdout
    html = out.read_text()
    assert ".transcript." not in html and ".evidence." not in html
    assert "Clara.submission.json" in html and "the field &#39;answers&#39; must be a list, not null" in html
    assert "Dora.submission.json" in html and "NaN" in html
    assert html.count("class=\"status-genuine\"") == 2 and "Anna" in html and "Boris" in html
    assert "The assignment was not checked" in html


def _paths(value, prefix=()):  # type: ignore[no-untyped-def]
    """Every place in a JSON value, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
                           | st.text(max_size=20), lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_no_edit_of_one_field_can_stop_the_report(data):
    """Whatever one field of a submission is changed into, the file is refused with a reason or it goes
    through verification, the class figures, the gradebook, xAPI and the transcripts without an exception."""
    from game.classroom.documents import render
    from game.classroom.report import gather, gradebook_csv, xapi_lines
    from game.classroom.verify import verify_record

    story, assignment = tiny()
    record = GOOD
    edited = json.loads(json.dumps(record))
    path = data.draw(st.sampled_from(sorted((p for p in _paths(edited) if p), key=repr)))
    target = edited
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(JSON_VALUES)
    try:
        checked = parse_record(json.dumps(edited))
    except BadRecord:
        return
    verdict = verify_record(checked, story, "x.json", assignment)
    figures = gather(story, [verdict])
    gradebook_csv(figures)
    xapi_lines(figures, "salt")
    render(checked, story)
