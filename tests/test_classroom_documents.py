"""The transcripts beside a submission: student text stays text, reads in its own direction, and the paper
says what the path did not reach and how long the student played."""

from __future__ import annotations

import re

from classroom_helpers import ANSWERS, hand_in, play_through, tiny
from markdown_it import MarkdownIt

from game.classroom.documents import markdown_text, render, time_played
from game.classroom.report import gather, gradebook_csv, html_report
from game.classroom.verify import verify_record

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
MARKUP = ("<h1", "<h2", "<h3", "<h4", "<h5", "<h6", "<ul", "<ol", "<li", "<blockquote", "<a ", "<img", "<em",
          "<strong", "<code", "<pre", "<table", "<hr", "<del", "<s>", "<script", "<b>")


def as_html(markdown: str) -> str:
    """The Markdown as a CommonMark renderer with GitHub's tables and strikethrough shows it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def test_no_answer_becomes_markup_in_the_markdown_transcript():
    hostile = ("# I am a heading\n## So am I\nTitle\n=====\n- a list\n+ another\n* and another\n"
               "1. numbered\n2) numbered\n> a quote\n    indented code\n```\nfenced\n```\n~~~\n"
               "| a | table |\n| --- | --- |\n| x | y |\n***\n[a link](http://example.invalid) "
               "![img](x.png) <b>bold</b> &lt;tag&gt; &#x202E; *em* __strong__ ~~gone~~ `code`")
    html = as_html(markdown_text(hostile))
    assert not [tag for tag in MARKUP if tag in html], html
    assert html.count("<p>") == 1 and html.count("<br />") == hostile.count("\n")  # line breaks are kept
    text = re.sub(r"<[^>]+>", "", html)
    for piece in ("# I am a heading", "[a link](http://example.invalid)", "&amp;#x202E;", "~~gone~~", "`code`",
                  "1. numbered", "| a | table |"):
        assert piece in text, piece


def test_the_transcript_of_a_hostile_answer_has_no_heading_but_its_own():
    story, assignment = tiny()
    record = play_through(story, assignment, "Vera", [0, 0],
                          ANSWERS | {"yard": "# Empty\n\n## and cold\n- indeed, *very*"})
    page = as_html(render(record, story)["transcript.md"])
    headings = re.findall(r"<h(\d)>(.*?)</h\1>", page)
    assert [text for _, text in headings] == [
        "A tiny story: transcript", "The path", "Reflections", "What did your first choice cost you?",
        "Describe the yard in a few words.", "Was the ending fair? Why?"]
    assert "# Empty" in page and "## and cold" in page and "- indeed, *very*" in page


def test_a_direction_override_cannot_flip_the_rest_of_an_answer():
    story, assignment = tiny()
    answer = f"It was fair {RLO}because I chose it{PDF} and {LRI}knew the price{PDI}, said Kira."
    record = play_through(story, assignment, f"Vera{RLO}", [0, 0], ANSWERS | {"last": answer})
    docs = render(record, story)
    for name, text in docs.items():
        assert not set(text) & {RLO, PDF, LRI, PDI}, name
    assert "It was fair because I chose it and knew the price, said Kira." in docs["transcript.html"]
    assert '<div class="answer" dir="auto">' in docs["transcript.html"]  # Arabic or Hebrew reads right to left
    verdict = verify_record(record, story)
    data = gather(story, [verdict])
    for text in (verdict.line(), html_report(data), gradebook_csv(data)):
        assert not set(text) & {RLO, PDF, LRI, PDI}


def test_the_transcript_lists_questions_not_reached_and_the_time_played(tmp_path):
    story, assignment = tiny()
    record = play_through(story, assignment, "Vera", [0])  # stops in the yard, before the ending
    record["started"] = "2026-03-02T09:00:00+00:00"
    record["playthrough"]["steps"][0]["time"] = "2026-03-02T09:12:00+00:00"
    record["finished"] = "2026-03-03T10:05:00+00:00"  # the next lesson: the night between is not play
    assert [q["question"] for q in record["not_reached"]] == ["last"]
    assert time_played(record) == "about 12 min (breaks of more than 30 minutes not counted)"
    path = hand_in(tmp_path, record, "Vera")
    md = path.with_name("Vera.submission.transcript.md").read_text()
    html = path.with_name("Vera.submission.transcript.html").read_text()
    assert "- Time played: about 12 min (breaks of more than 30 minutes not counted)" in md
    assert "## Questions this path did not reach" in md and "- Was the ending fair? Why? (at the ending)" in md
    assert "Questions this path did not reach" in html and "Was the ending fair? Why?" in html
    record["finished"] = "2026-03-02T09:40:00+00:00"  # handed in in the same lesson
    assert time_played(record) == "about 40 min"
    record["finished"] = record["started"] = record["playthrough"]["steps"][0]["time"]
    assert time_played(record) == "under a minute"


def test_a_time_without_its_zone_is_read_as_utc_beside_ones_with_it():
    story, assignment = tiny()
    record = play_through(story, assignment, "Vera", [0])
    record["started"] = "2026-03-02T09:00:00"  # as a database without time zones hands it back
    record["playthrough"]["steps"][0]["time"] = "2026-03-02T09:12:00+00:00"
    record["finished"] = "2026-03-02T09:20:00+00:00"
    assert time_played(record) == "about 20 min"
