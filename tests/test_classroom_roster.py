"""The roster: who has not handed in, one line per student however often they handed in, and a gradebook CSV
that spreadsheets and Moodle read as it is."""

from __future__ import annotations

import csv
import io

import pytest
from classroom_helpers import hand_in, play_through, tiny
from conftest import FIXTURES
from test_terminal import kira

from game.classroom.gradebook import MOODLE_COLUMNS
from game.classroom.report import gather, gradebook_csv
from game.classroom.roster import Member, load_roster
from game.classroom.verify import verify_file
from game.errors import StoryError

HYPERLINK = '=HYPERLINK("http://example.invalid/x","Click")'
ROSTER_CSV = ('Full name,ID number,Email address\r\nAnna Karpova,S-1001,anna@school.invalid\r\n'
              'Boris Lenz,S-1002,boris@school.invalid\r\n"Zoë Ñúñez, Jr.",S-1003,zoe@school.invalid\r\n')


def test_a_csv_roster_with_ids_and_a_plain_list(tmp_path):
    sheet = tmp_path / "class.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + ROSTER_CSV.encode())  # as Excel saves "CSV UTF-8"
    roster = load_roster(sheet)
    assert roster.members == [Member("Anna Karpova", "S-1001", "anna@school.invalid"),
                              Member("Boris Lenz", "S-1002", "boris@school.invalid"),
                              Member("Zoë Ñúñez, Jr.", "S-1003", "zoe@school.invalid")]
    plain = tmp_path / "class.txt"
    plain.write_text("# 7B, spring\nAnna Karpova\t1001\nBoris Lenz, 1002\nZoë Ñúñez, Jr.\n\n")
    assert load_roster(plain).members == [Member("Anna Karpova", "1001"), Member("Boris Lenz", "1002"),
                                          Member("Zoë Ñúñez, Jr.", "")]
    assert load_roster(plain).find("  anna   KARPOVA ") == Member("Anna Karpova", "1001")
    assert load_roster(plain).find("Zoe\u0308 N\u0303u\u0301n\u0303ez, Jr.") is not None  # combining accents
    semicolons = tmp_path / "export.csv"  # as a spreadsheet set to a European locale saves it
    semicolons.write_text("Last name;First name;Student ID\nKarpova;Anna;1001\nLenz;Boris;1002\n")
    assert load_roster(semicolons).members == [Member("Anna Karpova", "1001"), Member("Boris Lenz", "1002")]
    twice = tmp_path / "twice.txt"
    twice.write_text("Anna\nanna\n")
    with pytest.raises(StoryError, match=r"twice.txt:2:0: error: the roster names .anna. again \(first on line 1\)"):
        load_roster(twice)


@pytest.fixture
def inbox(tmp_path):
    story, assignment = tiny()
    folder = tmp_path / "inbox"
    folder.mkdir()
    hand_in(folder, play_through(story, assignment, "Anna Karpova", [1, 0]), "anna-monday",
            finished="2026-03-02T09:40:00+00:00")  # hid: the Coward ending
    hand_in(folder, play_through(story, assignment, "anna karpova", [0, 0]), "anna-tuesday",
            finished="2026-03-03T09:40:00+00:00")  # played again, bravely: the Hero ending
    hand_in(folder, play_through(story, assignment, HYPERLINK, [0, 0]), "link")
    sheet = tmp_path / "class.csv"
    sheet.write_text(ROSTER_CSV, encoding="utf-8")
    return folder, sheet


def test_verify_with_a_roster_names_who_has_not_handed_in_and_shows_duplicates(inbox):
    folder, sheet = inbox
    files = sorted(str(p) for p in folder.glob("*.json"))
    result = kira("verify", "--story", str(FIXTURES / "tiny"), "--roster", str(sheet), *files, files[0])
    assert "3 genuine, 0 not genuine." in result.stdout  # the file named twice is read once
    assert "Not handed in (2): Boris Lenz (S-1002), Zoë Ñúñez, Jr. (S-1003)" in result.stdout
    assert "Anna Karpova handed in 2 files; the newest counts: " in result.stdout
    assert result.stdout.split("the newest counts: ")[1].startswith(str(folder / "anna-tuesday.submission.json"))
    assert "Not on the roster (check the spelling): " + HYPERLINK in result.stderr


def test_the_newest_submission_counts_once_in_figures_and_gradebook(inbox):
    folder, sheet = inbox
    story, _ = tiny()
    verdicts = [verify_file(p, story) for p in sorted(folder.glob("*.json"))]
    data = gather(story, verdicts, load_roster(sheet))
    assert dict(data.endings) == {"Hero": 2}  # Anna's Monday ending is shown in her row but not counted
    assert [len(items) for items in data.answers.values()] == [2, 2, 2]
    rows = list(csv.reader(io.StringIO(gradebook_csv(data).removeprefix("\ufeff")), dialect="excel"))
    assert rows[0] == MOODLE_COLUMNS == ["ID number", "Email address", "Full name", "Grade", "Feedback"]
    assert [[r[0], r[2], r[3]] for r in rows[1:]] == [["S-1001", "Anna Karpova", "100"], ["", "'" + HYPERLINK, "100"]]
    assert "the newest of 2 submissions" in rows[1][4]


def test_the_gradebook_file_is_utf8_with_bom_and_no_cell_is_a_formula(tmp_path, inbox):
    folder, _ = inbox
    story, assignment = tiny()
    hand_in(folder, play_through(story, assignment, "Zoë Ñúñez, Jr.", [0, 0]), "zoe")
    hand_in(folder, play_through(story, assignment, "+1 Sneaky", [0, 0]), "plus")
    hand_in(folder, play_through(story, assignment, "@SUM(A1)", [0, 0]), "at")
    roster = tmp_path / "names.txt"
    roster.write_text("Anna Karpova\t1001\n=cmd|'/c calc'!A0\t2002\nZoë Ñúñez, Jr.\t3003\n")
    grades = tmp_path / "grades.csv"
    result = kira("report", "--story", str(FIXTURES / "tiny"), *map(str, sorted(folder.glob("*.json"))),
                  "--roster", str(roster), "-o", str(tmp_path / "r.html"), "--csv", str(grades))
    assert result.returncode == 0, result.stderr
    raw = grades.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Zoë Ñúñez".encode() in raw
    with grades.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, dialect="excel"))
    by_name = {r["Full name"]: r for r in rows}
    assert by_name["Zoë Ñúñez, Jr."]["ID number"] == "3003" and by_name["Zoë Ñúñez, Jr."]["Grade"] == "100"
    assert {"'" + HYPERLINK, "'+1 Sneaky", "'@SUM(A1)"} <= set(by_name)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    html = (tmp_path / "r.html").read_text()
    assert "Who has not handed in" in html and "=cmd|&#39;/c calc&#39;!A0" in html
