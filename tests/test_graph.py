"""kira graph: the story map as DOT, Mermaid and a self-contained HTML page."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import FIXTURES, SHIPPED

from game.authoring.graph.build import build_map, map_groups, novel_path, to_dot
from game.authoring.graph.layout import layout_map
from game.authoring.graph.mermaid import to_mermaid
from game.authoring.graph.page import render_html
from game.authoring.graph.svg import svg_builtin
from game.cli import main
from game.loader.story import load_story

ORPHAN = """\
chapters:
  - {id: one, number: 1, title: "One <b>bold</b>"}
scenes:
  - id: a
    title: "Start & <script>alert(1)</script>"
    chapter: one
    text: Hello.
    choices:
      - {label: Go on, to: b, novel: true}
      - {label: Stop, to: done}
  - id: b
    title: Middle
    chapter: one
    text: Still here.
    choices:
      - {label: Back, to: a}
      - {label: End, to: done, novel: true}
  - id: end
    title: Nobody comes here
    chapter: one
    text: Lost.
    choices:
      - {label: Out, to: done}
endings:
  - id: done
    title: Done
    epilogue: Over.
    state_took: x
    could_not_take: y
    novel: z
    reflection: ["q1", "q2"]
"""


@pytest.fixture(scope="module")
def shipped():
    return load_story(SHIPPED)


@pytest.fixture(scope="module")
def shipped_map(shipped):
    return build_map(shipped)


@pytest.fixture
def orphan_map(make_story):
    return build_map(load_story(make_story({"scenes.yaml": ORPHAN})))


def test_the_shipped_map_has_every_scene_and_every_scene_is_reachable(shipped, shipped_map):
    assert set(shipped_map.nodes) == set(shipped.scenes)
    assert not shipped_map.unreachable
    assert [c.id for c in shipped_map.chapters] == [c.id for c in shipped.ordered_chapters()]
    assert set(shipped_map.endings) == {s.id for s in shipped.endings}


def test_the_novels_path_runs_from_the_start_to_the_unconquered_through_the_router(shipped):
    path = novel_path(shipped)
    assert path[0][0] == shipped.start
    assert path[-1] == ("fate", "unconquered")
    for (_, target), (source, _) in zip(path, path[1:], strict=False):
        assert target == source  # one unbroken line


def test_choices_to_the_same_scene_become_one_arrow(shipped, shipped_map):
    pairs = [(e.source, e.target) for e in shipped_map.edges]
    assert len(pairs) == len(set(pairs))
    first = next(e for e in shipped_map.edges if e.source == shipped.start)
    assert len(first.labels) == len(shipped.scenes[shipped.start].choices)
    assert first.novel_path and first.novel_choice


def test_unreachable_scenes_are_found_and_coloured(orphan_map):
    assert [n.id for n in orphan_map.unreachable] == ["end"]
    dot = to_dot(orphan_map)
    assert re.search(r'"end" \[[^\]]*fillcolor="#f4a6a0"', dot)
    assert "s_end" in to_mermaid(orphan_map)  # a Mermaid keyword, made safe by the prefix
    assert re.search(r"class [^\n]*s_end[^\n]* unreachable", to_mermaid(orphan_map))


def test_dot_names_every_scene_with_its_file_and_line(shipped, shipped_map):
    dot = to_dot(shipped_map)
    for scene in shipped.scenes.values():
        where = f"{re.escape(str(scene.pos.path))}:{scene.pos.line}"
        pattern = rf'"{scene.id}" \[[^\n]*tooltip="(?:[^"\\]|\\.)*\({scene.id}\)  {where}"'
        assert re.search(pattern, dot), scene.id
        assert f"#L{scene.pos.line}" in dot
    assert dot.count("subgraph cluster_") == len(shipped.chapters) + 2  # chapters, endings, legend
    assert 'ordering=out' in dot and "rank=same" in dot


def test_dot_quotes_hostile_titles(orphan_map):
    dot = to_dot(orphan_map)
    assert 'label="One <b>bold</b>"' in dot
    node = to_dot(build_map(load_story(FIXTURES / "tiny")))
    assert node.startswith("digraph story {")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_graphviz_accepts_the_dot_and_keeps_the_chapters_in_order(shipped, shipped_map):
    done = subprocess.run(["dot", "-Tplain"], input=to_dot(shipped_map), capture_output=True, text=True,
                          check=True, timeout=60)
    ys = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if parts[0] == "node":
            ys[parts[1].strip('"')] = float(parts[3])
    firsts = [shipped.chapter_entry(c.id) for c in shipped.ordered_chapters()]
    heights = [ys[f] for f in firsts]
    assert heights == sorted(heights, reverse=True)  # each chapter's row lies below the one before


def test_mermaid_has_a_subgraph_per_chapter_and_a_thick_novel_path(shipped, shipped_map):
    text = to_mermaid(shipped_map)
    assert text.startswith("flowchart TB")
    assert text.count("  subgraph ") == len(shipped.chapters) + 1
    thick = [line for line in text.splitlines() if "==>" in line]
    assert len(thick) == sum(e.novel_path for e in shipped_map.edges)
    assert "linkStyle" in text and 'click s_return_station href "file://' in text
    assert "s_fate{" in text and "s_unconquered([" in text


def test_the_builtin_layout_reads_left_to_right_without_overlaps(shipped_map):
    lay = layout_map(shipped_map)
    boxes = list(lay.boxes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
    for edge in shipped_map.edges:
        src, dst = lay.boxes[edge.source], lay.boxes[edge.target]
        if src.band == dst.band:
            assert dst.col > src.col, (edge.source, edge.target)
        if edge.novel_path and src.band == dst.band:
            assert src.slot == dst.slot == 0  # the novel's path runs along the top row
    assert [b.id for b in lay.bands][-1] == "endings"


TITLE_CHAR_W = 8.5  # a generous width per character of a 13px bold band title


def _title_boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    """Where each band title is drawn: left, top, right, bottom (from its baseline and length)."""
    found = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" class="band-title">([^<]*)</text>', svg)
    return [(float(x) - 2, float(y) - 12, float(x) + TITLE_CHAR_W * len(t) + 2, float(y) + 3, t) for x, y, t in found]


def _crosses(a: tuple[float, float], b: tuple[float, float], box: tuple[float, float, float, float, str]) -> bool:
    """Whether the segment a-b passes through the box (sampled finely enough for 13px text)."""
    left, top, right, bottom, _ = box
    points = ((a[0] + (b[0] - a[0]) * i / 40, a[1] + (b[1] - a[1]) * i / 40) for i in range(41))
    return any(left <= x <= right and top <= y <= bottom for x, y in points)


def test_no_arrow_strikes_through_a_chapter_title(shipped_map):
    svg = svg_builtin(shipped_map)
    boxes = _title_boxes(svg)
    assert len(boxes) == len(layout_map(shipped_map).bands)
    struck = []
    for found in re.finditer(r'<path class="edge[^"]*" d="([^"]+)".*?<title>([^<]*)</title>', svg):
        # the points of a path, control points included: a curve stays inside the polygon they make
        points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", found.group(1))]
        struck += [(box[4], found.group(2)) for box in boxes
                   if any(_crosses(a, b, box) for a, b in zip(points, points[1:], strict=False))]
    assert struck == []


def test_the_builtin_layout_survives_loops(orphan_map):
    lay = layout_map(orphan_map)
    assert lay.boxes["b"].col > lay.boxes["a"].col


def test_builtin_svg_links_every_node_and_escapes_titles(orphan_map):
    svg = svg_builtin(orphan_map)
    assert "<script>" not in svg and "Start &amp; &lt;script&gt;" in svg
    assert svg.count('<a class="node') == len(orphan_map.nodes)
    assert 'class="node scene unreachable"' in svg
    assert re.search(r'data-where="[^"]*scenes\.yaml:\d+"', svg)


def test_html_page_is_self_contained_with_legend_and_unreachable_list(orphan_map):
    page = render_html(orphan_map, layout="builtin")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>alert(1)" not in page
    assert "Scenes no choice leads to" in page and "Nobody comes here" in page
    assert "the novel's path" in page and "unreachable" in page
    assert not re.search(r'(src|href)="https?://', page)  # nothing fetched from the network


def test_html_layout_names_are_checked(orphan_map):
    with pytest.raises(ValueError):
        render_html(orphan_map, layout="spring")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_html_uses_graphviz_when_it_is_installed(orphan_map):
    page = render_html(orphan_map, layout="auto")
    assert "graphviz dot layout" in page and "<svg" in page and "<?xml" not in page


def test_cli_writes_each_format(tmp_path, capsys):
    story = str(FIXTURES / "tiny")
    for name in ("map.dot", "map.mmd", "map.html"):
        assert main(["graph", "--story", story, "--layout", "builtin", "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / "map.dot").read_text().startswith("digraph")
    assert (tmp_path / "map.mmd").read_text().startswith("flowchart")
    assert "<svg" in (tmp_path / "map.html").read_text()
    assert main(["graph", "--story", story]) == 0
    assert capsys.readouterr().out.startswith("digraph")


def test_cli_refuses_an_unknown_file_kind(tmp_path, capsys):
    assert main(["graph", "--story", str(FIXTURES / "tiny"), "-o", str(tmp_path / "map.png")]) == 2
    assert "name it .dot, .mmd or .html" in capsys.readouterr().err
    assert not (tmp_path / "map.png").exists()


def test_cli_reports_a_broken_story(make_story, capsys):
    root = make_story({"scenes.yaml": "scenes:\n  - id: a\n    title: A\n    text: x\n    choices:\n"
                                      "      - {label: go, to: nowhere}\n"})
    assert main(["graph", "--story", str(root)]) == 1
    assert "nowhere" in capsys.readouterr().err


def test_a_story_whose_start_fails_still_gets_a_map(make_story):
    loop = """\
    scenes:
      - id: a
        route:
          - {if: "n > 100", to: done}
        default: b
      - id: b
        route:
          - {if: "n > 100", to: done}
        default: a
    endings:
      - {id: done, title: Done, epilogue: x, state_took: x, could_not_take: x, novel: x, reflection: [q, r]}
    """
    story_yaml = "id: t\ntitle: T\nauthor: A\nstart: a\ncontent_note: None.\nvariables:\n" \
                 "  n: {default: 5, description: \"a number\"}\n"
    smap = build_map(load_story(make_story({"s.yaml": loop}, story_yaml)))
    assert not any(e.novel_path for e in smap.edges)
    assert "digraph" in to_dot(smap) and "<svg" in svg_builtin(smap)


def test_a_long_chapter_wraps_onto_further_lines(make_story):
    from game.authoring.graph.layout import LINE_COLUMNS

    lines = ["chapters:", "  - {id: one, number: 1, title: One}", "scenes:"]
    for i in range(20):
        target = f"s{i + 1}" if i < 19 else "done"
        lines += [f"  - id: s{i}", f"    title: Scene {i}", "    chapter: one", "    text: Words.",
                  "    choices:", f"      - {{label: Walk on, to: {target}, novel: true}}"]
    lines += ["endings:", "  - {id: done, title: Done, epilogue: x, state_took: x, could_not_take: x, novel: x, "
              "reflection: [q, r]}"]
    story_yaml = "id: t\ntitle: T\nauthor: A\nstart: s0\ncontent_note: None.\n"
    smap = build_map(load_story(make_story({"s.yaml": "\n".join(lines) + "\n"}, story_yaml)))
    lay = layout_map(smap)
    assert max(b.col for b in lay.boxes.values()) == 19
    assert {b.line for b in lay.boxes.values() if b.band == 0} == {0, 1, 2}
    assert max(b.x + b.w for b in lay.boxes.values()) < lay.width
    assert lay.boxes["s8"].line == 1 and lay.boxes["s8"].x == lay.boxes["s0"].x
    assert lay.boxes["s8"].y > lay.boxes["s7"].y + lay.boxes["s7"].h
    assert len({(b.x, b.y) for b in lay.boxes.values()}) == len(lay.boxes) and LINE_COLUMNS == 8
    assert svg_builtin(smap).count("<path class=\"edge novel\"") == 20


def test_without_graphviz_auto_draws_the_map_itself_and_dot_says_what_to_do(orphan_map, monkeypatch, tmp_path,
                                                                           capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot program here
    assert "Drawn by the built-in layout" in render_html(orphan_map, layout="auto")
    with pytest.raises(RuntimeError, match="graphviz dot could not run"):
        render_html(orphan_map, layout="dot")
    out = tmp_path / "map.html"
    assert main(["graph", "--story", str(FIXTURES / "tiny"), "--layout", "dot", "-o", str(out)]) == 1
    assert "try --layout builtin" in capsys.readouterr().err and not out.exists()


# -- graphviz dot runs within bounds: a stranger's huge story cannot take the machine with it ---------------

FAKE_DOTS = {
    "never ends": "exec sleep 600\n",
    "eats memory": "exec {python} -c 'b = bytearray(3 << 30); print(len(b))'\n",
    "crashes": "kill -SEGV $$\n",
}


def _fake_dot(tmp_path, body: str):
    import stat
    import sys

    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + body.format(python=sys.executable))
    dot.chmod(dot.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
@pytest.mark.parametrize("behaviour", FAKE_DOTS)
def test_a_dot_that_runs_away_is_stopped_and_the_map_drawn_anyway(orphan_map, monkeypatch, tmp_path, behaviour):
    import game.authoring.graph.svg as svg

    monkeypatch.setenv("PATH", str(_fake_dot(tmp_path, FAKE_DOTS[behaviour])))
    monkeypatch.setattr(svg, "DOT_TIMEOUT", 3)
    notes: list[str] = []
    page = render_html(orphan_map, layout="auto", notes=notes)
    assert "Drawn by the built-in layout" in page
    [note] = notes
    assert "built-in layout instead" in note and ("stopped" in note or "failed" in note), note
    with pytest.raises(RuntimeError):
        render_html(orphan_map, layout="dot")


def test_a_map_too_big_for_dot_is_not_given_to_it(orphan_map, monkeypatch, tmp_path, capsys):
    import game.authoring.graph.svg as svg

    marker = tmp_path / "dot-ran"
    monkeypatch.setenv("PATH", str(_fake_dot(tmp_path, f"touch {marker}\nexit 1\n")))
    monkeypatch.setattr(svg, "DOT_MAX_NODES", 2)
    assert main(["graph", "--story", str(FIXTURES / "tiny"), "-o", str(tmp_path / "map.html")]) == 0
    assert not marker.exists() and "<svg" in (tmp_path / "map.html").read_text()
    err = capsys.readouterr().err
    assert "more than graphviz dot lays out" in err and "built-in layout instead" in err


# -- lint findings on the map, packs in lanes, graphviz titles ---------------------------------------

PACK = SHIPPED.parent / "packs" / "irina_sasha"


@pytest.fixture(scope="module")
def pack_map():
    story = load_story(SHIPPED, [PACK])
    return story, build_map(story, [PACK])


def test_lint_findings_are_shown_on_their_scenes(make_story, tmp_path, capsys):
    from game.authoring.lint import lint

    root = make_story({"s.yaml": ORPHAN})
    story = load_story(root)
    smap = build_map(story, findings=lint(story))
    assert any("[unreachable-scene]" in f for f in smap.nodes["end"].findings)
    assert smap.nodes["a"].findings == ()
    dot = to_dot(smap)
    node = next(line for line in dot.splitlines() if line.strip().startswith('"end" ['))
    assert 'label="! Nobody comes here"' in node and "[unreachable-scene]" in node
    svg = svg_builtin(smap)
    assert re.search(r'class="node scene unreachable warn"[^>]*data-id="end"', svg)
    out = tmp_path / "map.html"
    assert main(["graph", "--story", str(root), "-o", str(out), "--layout", "builtin"]) == 0
    page = out.read_text()
    assert "Lint findings" in page and "unreachable-scene" in page
    assert "carry lint findings" in capsys.readouterr().err


def test_packs_have_lanes_of_their_own_under_their_chapters(pack_map):
    story, smap = pack_map
    groups = [(gid, members) for gid, _, members in map_groups(smap)]
    ids = [gid for gid, _ in groups]
    assert ids.index("pack_irina_sasha_ch4") == ids.index("ch4") + 1
    assert ids.index("pack_irina_sasha_ch7") == ids.index("ch7") + 1
    for gid, members in groups:
        packed = {smap.nodes[m].pack for m in members}
        assert packed == ({"irina_sasha"} if gid.startswith("pack_") else {""}) or gid == "endings", gid
    lanes = {m for gid, members in groups if gid.startswith("pack_") for m in members}
    assert lanes == {s.id for s in story.scenes.values() if "irina_sasha" in s.pos.path and not s.is_ending}
    assert len(lanes) == 7


def test_the_builtin_layout_keeps_arrows_off_titles_with_a_pack(pack_map):
    svg = svg_builtin(pack_map[1])
    struck = []
    for found in re.finditer(r'<path class="edge[^"]*" d="([^"]+)".*?<title>([^<]*)</title>', svg):
        points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", found.group(1))]
        struck += [(box[4], found.group(2)) for box in _title_boxes(svg)
                   if any(_crosses(a, b, box) for a, b in zip(points, points[1:], strict=False))]
    assert struck == []


def _bezier(points: list[list[float]], steps: int = 30) -> list[tuple[float, float]]:
    out = []
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for k in range(steps + 1):
            t = k / steps
            out.append(tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c + t ** 3 * d
                             for a, b, c, d in zip(p0, p1, p2, p3, strict=True)))
    return out


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
@pytest.mark.parametrize("with_pack", [False, True])
def test_graphviz_draws_no_arrow_through_a_chapter_title_and_keeps_lanes_in_order(with_pack, shipped_map, pack_map):
    import json

    smap = pack_map[1] if with_pack else shipped_map
    done = subprocess.run(["dot", "-Tjson"], input=to_dot(smap), capture_output=True, text=True, check=True,
                          timeout=120)
    graph = json.loads(done.stdout)
    titles = {}
    for obj in graph["objects"]:
        if obj.get("name", "").startswith("title:"):
            x, y = map(float, obj["pos"].split(","))
            w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
            titles[int(obj["name"][6:])] = (x - w / 2 + 4, y - h / 2 + 4, x + w / 2 - 4, y + h / 2 - 4)
    assert len(titles) == len(map_groups(smap))
    rows = sorted(titles, key=lambda i: -titles[i][1])
    assert rows == sorted(titles)  # every row, pack lanes included, in story order from the top
    names = {obj["_gvid"]: obj["name"] for obj in graph["objects"]}
    struck = set()
    for edge in graph["edges"]:
        for op in edge.get("_draw_", []):
            if op["op"] in ("b", "B"):
                for x, y in _bezier(op["points"]):
                    struck |= {(names[edge["tail"]], names[edge["head"]], i) for i, (left, bottom, right, top)
                               in titles.items() if left <= x <= right and bottom <= y <= top}
    assert struck == set()
