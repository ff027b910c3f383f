"""kira export --twee: Twee 3 in the SugarCube format, parsed back passage by passage."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from conftest import FIXTURES, SHIPPED

from game.authoring.export import CONTENT_NOTE, FORMAT, FORMAT_VERSION, story_ifid, to_twee
from game.cli import main
from game.loader.story import load_story

STORY_YAML = """\
id: t
title: "A test & a title"
author: A
start: a
content_note: "Some hunger.\\n\\nSome cold."
variables:
  n: {default: 5, min: 0, max: 10, description: "a number"}
  free: {default: 1, description: "an unbounded number"}
  flag: {default: false, description: "a flag"}
  word: {default: "x", description: "a word"}
  aftermath: {default: "", description: "a name the export uses for itself"}
"""

SCENES = """\
chapters:
  - {id: one, number: 1, title: One}
scenes:
  - id: a
    title: The first // room
    chapter: one
    date: May 1922
    location: Petrograd
    text:
      - "It costs $5 and you have {n} coins."
      - if: "flag or visited('b') > 0"
        text: You have been here.
        else: New to you.
    choices:
      - label: "Spend [two] | coins -> b"
        to: b
        novel: true
        aftermath: "You had {n}; now less."
        effects:
          subtract: {n: 2}
          set: {flag: true, word: "'y'"}
          add: {free: "n * 2"}
      - label: Pay a bribe
        to: b
        if: "n >= 8 and not flag"
        locked: You are too poor.
      - label: Think
        to: r
        if: "word == 'x' and min(n, 3) != max(free, 1)"
  - id: b
    title: B
    chapter: one
    text: Bee.
    choices:
      - {label: Back, to: a}
      - {label: Onward, to: r}
  - id: r
    chapter: one
    route:
      - if: "n >= 5"
        to: good
    default: bad
endings:
  - id: good
    title: Good
    epilogue: "Well.\\n\\nVery well."
    state_took: Nothing.
    could_not_take: All.
    novel: The novel differs.
    reflection: ["Why?", "How?"]
  - id: bad
    title: Bad
    epilogue: Not well.
    state_took: All.
    could_not_take: Nothing.
    novel: Same.
    reflection: ["Why?", "How?"]
codex:
  - {id: word_entry, kind: glossary, title: "A [word]", text: "A word."}
"""


@dataclass
class Passage:
    name: str
    tags: list[str]
    meta: dict
    text: str


def parse_twee(text: str) -> dict[str, Passage]:
    """A Twee 3 reader written from the specification, independent of the exporter."""
    passages: dict[str, Passage] = {}
    header = re.compile(r"^:: ((?:\\.|[^\\\[\]{}])+?)\s*(?:\[((?:\\.|[^\]])*)\])?\s*(\{.*\})?\s*$")
    current: Passage | None = None
    for line in text.splitlines():
        if line.startswith("::"):
            match = header.match(line)
            assert match, f"not a passage header: {line!r}"
            name = re.sub(r"\\(.)", r"\1", match.group(1))
            assert name not in passages, f"two passages named {name!r}"
            meta = json.loads(match.group(3)) if match.group(3) else {}
            current = Passage(name, (match.group(2) or "").split(), meta, "")
            passages[name] = current
        elif current is not None:
            current.text += line + "\n"
    return passages


def link_targets(text: str) -> list[str]:
    targets = []
    for inner in re.findall(r"\[\[(.*?)\]\]", text):
        link = inner.split("][")[0]
        targets.append(link.rsplit("|", 1)[-1] if "|" in link else link.rsplit("->", 1)[-1])
    return targets


@pytest.fixture
def small(make_story):
    return load_story(make_story({"scenes.yaml": SCENES}, STORY_YAML))


@pytest.fixture(scope="module")
def shipped():
    return load_story(SHIPPED)


def test_the_shipped_story_parses_back_and_every_link_lands(shipped):
    passages = parse_twee(to_twee(shipped))
    assert set(shipped.scenes) <= set(passages)
    data = json.loads(passages["StoryData"].text)
    assert data["format"] == FORMAT == "SugarCube" and data["format-version"] == FORMAT_VERSION
    assert data["start"] in passages and passages["StoryTitle"].text.strip() == shipped.title
    for passage in passages.values():
        for target in link_targets(passage.text):
            assert target in passages, (passage.name, target)
    for scene in shipped.scenes.values():
        tags = passages[scene.id].tags
        assert (scene.chapter in tags) if scene.chapter else True
        assert ("ending" in tags) == scene.is_ending and ("router" in tags) == scene.is_router
        assert set(link_targets(passages[scene.id].text)) == set(scene.targets)
        assert re.fullmatch(r"\d+,\d+", passages[scene.id].meta["position"])


def test_the_ifid_is_a_stable_uppercase_uuid_from_the_story_id(shipped, small):
    ifid = story_ifid(shipped)
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", ifid)
    assert story_ifid(load_story(SHIPPED)) == ifid != story_ifid(small)
    assert json.loads(parse_twee(to_twee(shipped))["StoryData"].text)["ifid"] == ifid


def test_the_content_note_comes_first_and_leads_to_the_start(small):
    passages = parse_twee(to_twee(small))
    note = passages[CONTENT_NOTE].text
    assert "Some hunger.\n\nSome cold." in note and link_targets(note) == ["a"]
    assert "<<set $n to 5>>" in passages["StoryInit"].text and '<<set $word to "x">>' in passages["StoryInit"].text


def test_effects_become_clamped_setters_with_the_aftermath_first(small):
    text = parse_twee(to_twee(small))["a"].text
    link = next(line for line in text.splitlines() if line.startswith("[[Spend"))
    setter = link.split("][", 1)[1]
    assert setter.index("aftermath to") < setter.index("$n to")
    assert '"You had " + String($n) + "; now less."' in setter
    assert "$flag to true" in setter and "$word to 'y'" in setter
    assert "$n to Math.clamp($n - 2, 0, 10)" in setter
    assert "_e2 to $n * 2" in setter and "$free to $free + _e2" in setter  # reads n before the choice
    assert link.startswith("[[Spend (two) / coins → b|b][")  # link metacharacters made harmless


def test_conditions_translate_to_twinescript(small):
    text = parse_twee(to_twee(small))["a"].text
    assert "<<if $n >= 8 and not $flag>>[[Pay a bribe|b]]<<else>>" in text
    assert "<<else>>Pay a bribe //(You are too poor.)//<</if>>" in text
    assert "<<if $word === 'x' and Math.min($n, 3) !== Math.max($free, 1)>>" in text
    assert "<<if $flag or visited('b') > 0>>You have been here.<<else>>New to you.<</if>>" in text


def test_prose_with_markup_is_kept_literal_and_holes_print_variables(small):
    text = parse_twee(to_twee(small))["a"].text
    assert '"""It costs $5 and you have""" <<= $n>> coins.' in text
    assert "''\"\"\"The first // room\"\"\"''" in text and "//May 1922 · Petrograd//" in text


def test_the_aftermath_variable_never_clashes_with_the_storys_own(small):
    twee = to_twee(small)
    assert "$kira_aftermath to" in twee and '<<set $aftermath to "">>' in twee  # the story's own default


def test_routers_go_on_at_once_and_endings_show_every_part(small):
    passages = parse_twee(to_twee(small))
    assert passages["r"].text.splitlines()[1] == "<<if $n >= 5>><<goto [[good]]>><<else>><<goto [[bad]]>><</if>>"
    good = passages["good"].text
    for part in ("Well.\n\nVery well.", "!!What the state took", "!!In the novel", "* Why?", "Engine.restart()"):
        assert part in good


def test_codex_entries_are_passages_of_their_own(small):
    passages = parse_twee(to_twee(small))
    entry = passages["Codex: A [word]"]
    assert entry.tags == ["codex", "glossary"]


def test_cli_writes_the_file(tmp_path, capsys):
    out = tmp_path / "story.twee"
    assert main(["export", "--twee", "--story", str(FIXTURES / "tiny"), "-o", str(out)]) == 0
    assert "Twee 3" in capsys.readouterr().err
    assert "hall" in parse_twee(out.read_text())
    assert main(["export", "--story", str(FIXTURES / "tiny")]) == 0
    assert ":: StoryData" in capsys.readouterr().out


def test_the_file_starts_with_a_passage_and_says_what_is_left_out(small):
    twee = to_twee(small)
    assert twee.startswith(":: StoryTitle\n")
    assert "Not carried over: chapter titles" in parse_twee(twee)["StoryInit"].text


def test_what_twine_cannot_use_is_kept_in_comments(shipped):
    passages = parse_twee(to_twee(shipped))
    start = passages[shipped.start].text
    first_chapter = shipped.chapter_of(shipped.start)
    assert f"/* {first_chapter.title} begins here; asked when it ends: {first_chapter.reflection[0].text.raw}" in start
    assert "/* unlocks the codex entries: " in start
    novel = next(c for c in shipped.scenes[shipped.start].choices if c.novel)
    assert re.search(rf"\|{novel.target}\]\[[^\n]*\]\] /\* novel: what Kira does in the novel", start)
    decisive = next(s for s in shipped.scenes.values() if s.decisive)
    assert "/* decisive: reports show how players split here */" in passages[decisive.id].text


def test_the_written_file_is_readable_like_any_new_file(tmp_path):
    import os
    import stat

    out = tmp_path / "story.twee"
    assert main(["export", "--story", str(FIXTURES / "tiny"), "-o", str(out)]) == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
