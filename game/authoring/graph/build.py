"""The story map: scenes as nodes, choices and routes as edges, drawn as DOT (Mermaid: graph_mermaid).

:func:`build_map` turns a loaded :class:`~game.model.Story` into a plain
:class:`StoryMap` that every drawing (DOT, Mermaid, the HTML page) reads,
so they all agree on what is reachable and where the novel's path runs.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from game.errors import Diagnostic
from game.runtime.model import Choice, Route, Scene, Story
from game.runtime.paths import follow_novel

MAX_NOVEL_STEPS = 1000  # the novel's path is played through the engine; a loop must not hang the map

ENDING_FILL, ENDING_LINE = "#f7d774", "#9a6b00"
UNREACHABLE_FILL, UNREACHABLE_LINE = "#f4a6a0", "#b3261e"
ROUTER_FILL, SCENE_FILL, SCENE_LINE = "#dde6f3", "#ffffff", "#4a5568"
PACK_LINE = "#2b6cb0"
WARN_LINE = "#d97706"  # a scene with lint findings
NOVEL_COLOUR, NOVEL_OTHER, EDGE_COLOUR = "#c0392b", "#e59a91", "#8a94a6"


@dataclass(frozen=True)
class MapNode:
    """One scene, router or ending, with where it was written."""

    id: str
    title: str
    kind: str  # "scene", "router" or "ending"
    chapter: str
    path: str
    line: int
    reachable: bool
    from_pack: bool
    on_novel_path: bool
    pack: str = ""  # the pack folder's name, for a scene a pack adds
    findings: tuple[str, ...] = ()  # lint warnings about this scene: "message [rule-id]"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def href(self) -> str:
        """A file:// link to the line, for editors and browsers that follow such links."""
        if not self.path:
            return ""
        return Path(os.path.abspath(self.path)).as_uri() + (f"#L{self.line}" if self.line else "")


@dataclass(frozen=True)
class MapEdge:
    """All the choices (or routes) from one scene to another, merged into one arrow."""

    source: str
    target: str
    labels: tuple[str, ...]
    route: bool  # a router's route rather than a player's choice
    novel_choice: bool  # some choice here is marked ``novel: true``
    novel_path: bool  # taken when playing Kira's choice at every step
    from_pack: bool  # added by a scene pack (an ``extend:`` choice or a pack scene)


@dataclass(frozen=True)
class MapChapter:
    id: str
    title: str
    nodes: tuple[str, ...]


@dataclass
class StoryMap:
    """Everything a drawing needs, in story order."""

    title: str
    start: str
    nodes: dict[str, MapNode] = field(default_factory=dict)
    edges: list[MapEdge] = field(default_factory=list)
    chapters: list[MapChapter] = field(default_factory=list)
    loose: tuple[str, ...] = ()  # scenes without a chapter (not endings)
    endings: tuple[str, ...] = ()

    @property
    def unreachable(self) -> list[MapNode]:
        return [n for n in self.nodes.values() if not n.reachable]


def reachable_from(story: Story, start: str) -> set[str]:
    """Scenes some sequence of choices and routes could reach, ignoring conditions."""
    seen = {start}
    queue = deque([start])
    while queue:
        for target in story.scenes[queue.popleft()].targets:
            if target not in seen and target in story.scenes:
                seen.add(target)
                queue.append(target)
    return seen


def novel_path(story: Story) -> list[tuple[str, str]]:
    """The arrows taken when the player always picks what Kira does in the novel.

    Played through the engine, so routers send the path where they really
    would. Where a scene offers no novel choice, the path stops.
    """
    play, turns = follow_novel(story)
    if play is None:
        return []
    arrows: list[tuple[str, str]] = []
    for step, turn in zip(play.steps, turns, strict=True):
        scenes = (step.scene, *turn.entered)
        arrows += zip(scenes, scenes[1:], strict=False)
    return arrows


def build_map(story: Story, packs: Sequence[str | Path] = (), findings: Sequence[Diagnostic] = ()) -> StoryMap:
    """The map of a loaded story; ``packs`` are the pack folders it was loaded with (to mark their parts,
    and to give them lanes of their own); ``findings`` are lint diagnostics to show on their scenes."""
    pack_roots = [Path(os.path.abspath(p)) for p in packs]

    def pack_of(path: str) -> str:
        where = Path(os.path.abspath(path))
        return next((root.name for root in pack_roots if where.is_relative_to(root)), "")

    def in_pack(path: str) -> bool:
        return bool(pack_of(path))

    found = findings_by_scene(story, findings)

    reachable = reachable_from(story, story.start)
    path_edges = set(novel_path(story))
    path_nodes = {story.start} | {target for _, target in path_edges}
    smap = StoryMap(story.title, story.start)
    for scene in story.scenes.values():
        smap.nodes[scene.id] = MapNode(
            scene.id, scene.title if not scene.is_router else scene.id, _kind(scene), scene.chapter,
            scene.pos.path, scene.pos.line, scene.id in reachable, in_pack(scene.pos.path),
            scene.id in path_nodes, pack_of(scene.pos.path), tuple(found.get(scene.id, ())))
    for scene in story.scenes.values():
        smap.edges.extend(_edges_of(scene, path_edges, in_pack))
    story_scenes = [s for s in story.scenes.values() if not s.is_ending and not smap.nodes[s.id].pack]
    pack_scenes = [s for s in story.scenes.values() if not s.is_ending and smap.nodes[s.id].pack]
    lanes = dict.fromkeys(smap.nodes[s.id].pack for s in pack_scenes)
    for chapter in story.ordered_chapters():
        members = tuple(s.id for s in story_scenes if s.chapter == chapter.id)
        if members:
            smap.chapters.append(MapChapter(chapter.id, chapter.title, members))
        for pack in lanes:  # each pack in a lane of its own, under the chapter its scenes belong to
            lane = tuple(s.id for s in pack_scenes if s.chapter == chapter.id and smap.nodes[s.id].pack == pack)
            if lane:
                smap.chapters.append(MapChapter(f"pack_{pack}_{chapter.id}", f"Pack {pack}", lane))
    smap.loose = tuple(s.id for s in [*story_scenes, *pack_scenes]
                       if not s.chapter or s.chapter not in story.chapters)
    smap.endings = tuple(s.id for s in story.scenes.values() if s.is_ending)
    return smap


def findings_by_scene(story: Story, findings: Sequence[Diagnostic]) -> dict[str, list[str]]:
    """Each finding under the scene written at or above its line in its file (warnings and errors alike)."""
    starts: dict[str, list[tuple[int, str]]] = {}
    for scene in story.scenes.values():
        starts.setdefault(scene.pos.path, []).append((scene.pos.line, scene.id))
    for places in starts.values():
        places.sort()
    found: dict[str, list[str]] = {}
    for d in findings:
        places = starts.get(d.pos.path, [])
        index = bisect_right(places, (d.pos.line, "\uffff")) - 1
        if index >= 0:
            found.setdefault(places[index][1], []).append(f"{d.message} [{d.code}]")
    return found


def _kind(scene: Scene) -> str:
    return "ending" if scene.is_ending else "router" if scene.is_router else "scene"


def _edges_of(scene: Scene, path_edges: set[tuple[str, str]], in_pack: Callable[[str], bool]) -> list[MapEdge]:
    grouped: dict[str, list[Choice | Route]] = {}
    items: list[Choice | Route] = [*scene.choices, *scene.routes]
    for item in items:
        grouped.setdefault(item.target, []).append(item)
    edges = []
    for target, items in grouped.items():
        choices = [c for c in items if isinstance(c, Choice)]
        edges.append(MapEdge(
            scene.id, target, tuple(c.label.raw for c in choices), route=not choices,
            novel_choice=any(c.novel for c in choices),
            novel_path=(scene.id, target) in path_edges,
            from_pack=in_pack(scene.pos.path) or any(in_pack(c.pos.path) for c in choices)))
    return edges


# -- DOT ----------------------------------------------------------------------
def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_attrs(**attrs: object) -> str:
    return "[" + ", ".join(f"{k}={_dot_quote(str(v))}" for k, v in attrs.items() if v != "") + "]"


def _wrap(text: str, width: int = 22) -> list[str]:
    """Break a title into lines of about ``width`` characters, at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def node_style(node: MapNode) -> dict[str, str]:
    """Fill, outline and shape of a node, shared by DOT and the built-in drawing."""
    fill, line = SCENE_FILL, SCENE_LINE
    shape = {"ending": "doubleoctagon", "router": "diamond"}.get(node.kind, "box")
    if node.kind == "ending":
        fill, line = ENDING_FILL, ENDING_LINE
    elif node.kind == "router":
        fill = ROUTER_FILL
    if not node.reachable:
        fill, line = UNREACHABLE_FILL, UNREACHABLE_LINE
    elif node.findings:
        line = WARN_LINE
    elif node.from_pack:
        line = PACK_LINE
    return {"fill": fill, "line": line, "shape": shape}


def edge_style(edge: MapEdge) -> dict[str, str]:
    """Colour, width and dash of an arrow, shared by DOT and the built-in drawing."""
    if edge.novel_path:
        return {"colour": NOVEL_COLOUR, "width": "3.5", "dash": ""}
    colour = NOVEL_OTHER if edge.novel_choice else EDGE_COLOUR
    return {"colour": colour, "width": "1.8" if edge.novel_choice else "1.2",
            "dash": "dashed" if edge.route or edge.from_pack else ""}


def to_dot(smap: StoryMap, legend: bool = True) -> str:
    """Graphviz DOT: chapters as clusters stacked top to bottom, each read left to right.

    ``legend=False`` leaves out the legend and the title, for a page that shows its own.
    """
    title = f"label={_dot_quote(smap.title)}; labelloc=t; " if legend else ""  # a page around it has its own
    out = ["digraph story {", "  newrank=true; rankdir=LR; remincross=false; nodesep=0.25; ranksep=0.45;",
           f"  {title}fontname=\"Helvetica\"; fontsize=20;",
           '  node [fontname="Helvetica", fontsize=11, style="filled,rounded", margin="0.12,0.06"];',
           '  edge [arrowsize=0.7];']
    groups = map_groups(smap)
    entries: list[str] = []
    titles: list[str] = []
    for index, (cid, title, members) in enumerate(groups):
        lane = cid.startswith("pack_")
        indent = "    "
        block = [f"{indent[:-2]}subgraph cluster_{index} {{",
                 f"{indent}label=\"\"; style=filled; fillcolor=\"{_row_fill(index, lane)}\"; color=\"#c9ced6\";"]
        # The title is a node at the row's left, not the cluster's label: graphviz routes arrows around
        # nodes, but draws them straight through cluster labels.
        titles.append(f"title:{index}")  # ':' is never in a scene id
        block.append(f"{indent}{_dot_quote(titles[-1])} " + _dot_attrs(
            label="\n".join(_wrap(title, 18)), shape="plaintext", style="filled", fillcolor="transparent",
            fontsize="15", fontname="Helvetica-Bold", fontcolor=PACK_LINE if lane else "#2d3748"))
        for nid in members:
            block.append(indent + _dot_node(smap.nodes[nid]))
        if cid == "endings":  # invisible links lay the endings out in one row, like a chapter
            block.extend(f"{indent}{_dot_quote(a)} -> {_dot_quote(b)} [style=invis];" for a, b in pairwise(members))
        first = _first_in_group(smap, members)
        block.append(f"{indent}{_dot_quote(titles[-1])} -> {_dot_quote(first)} [style=invis, weight=10];")
        block.append(f"{indent[:-2]}}}")
        out.extend(block)
        entries.append(first)
    group_of = {nid: g[0] for g in groups for nid in g[2]}
    entry_of = {g[0]: e for g, e in zip(groups, entries, strict=True)}
    for edge in smap.edges:
        out.append("  " + _dot_edge(edge, group_of, entry_of))
    if legend:
        out.extend(_dot_legend())
    # One row per group, in story order: every group's first scene sits in the leftmost rank, and an
    # invisible "spine" node whose out-edges keep their written order (ordering=out) stacks the rows.
    firsts = [_dot_quote(e) for e in [*titles, "legend:scene" if legend else ""] if e]
    out.append(f"  {{ rank=same; {' '.join(firsts)} }}")
    out.append('  "layout:spine" [shape=point, style=invis, ordering=out];')  # ':' is never in a scene id
    out.extend(f'  "layout:spine" -> {first} [style=invis];' for first in firsts)
    # Flat edges along the titles' rank keep the rows in story order (a pack's lane under its chapter).
    out.extend(f"  {a} -> {b} [style=invis];" for a, b in pairwise(firsts))
    out.append("}")
    return "\n".join(out) + "\n"


def _row_fill(index: int, lane: bool) -> str:
    return "#e6eef8" if lane else "#f4f1ea" if index % 2 else "#eef2f6"


def map_groups(smap: StoryMap) -> list[tuple[str, str, tuple[str, ...]]]:
    """The rows of a map: (id, title, node ids) for each chapter, loose scenes, then endings."""
    groups = [(c.id, c.title, c.nodes) for c in smap.chapters]
    if smap.loose:
        groups.append(("no_chapter", "Scenes without a chapter", smap.loose))
    if smap.endings:
        groups.append(("endings", "Endings", smap.endings))
    return groups


def _first_in_group(smap: StoryMap, members: Sequence[str]) -> str:
    """The scene a group starts from: the first one entered from outside it (or the first written)."""
    inside = set(members)
    entered = {e.target for e in smap.edges if e.target in inside and e.source not in inside}
    if smap.start in inside:
        return smap.start
    return next((m for m in members if m in entered), members[0] if members else "")


def _dot_node(node: MapNode) -> str:
    style = node_style(node)
    label = "\n".join(_wrap(node.title)) if node.kind != "router" else node.id
    if node.findings:
        label = f"! {label}"
    extra = "filled,rounded,dashed" if node.from_pack and node.reachable else "filled,rounded"
    tooltip = f"{node.title} ({node.id})  {node.where}" + "".join(f"\n! {f}" for f in node.findings)
    return _dot_quote(node.id) + " " + _dot_attrs(
        label=label, shape=style["shape"], fillcolor=style["fill"], color=style["line"],
        penwidth="2.5" if node.kind == "ending" or not node.reachable or node.findings else "1.2",
        style=extra, tooltip=tooltip, URL=node.href, target="_top")


def _dot_edge(edge: MapEdge, group_of: dict[str, str], entry_of: dict[str, str]) -> str:
    """One arrow. An arrow into the next row's first scene is written backwards (``dir=back``)
    so that it ranks that scene at the left; other arrows between rows do not rank at all."""
    style = edge_style(edge)
    tooltip = " | ".join(edge.labels) if edge.labels else "route"
    attrs = _dot_attrs(color=style["colour"], penwidth=style["width"], style=style["dash"], tooltip=tooltip,
                       weight="3" if edge.novel_path else "")
    source, target = _dot_quote(edge.source), _dot_quote(edge.target)
    target_group = group_of.get(edge.target)
    if group_of.get(edge.source) == target_group:
        return f"{source} -> {target} {attrs}"
    if target_group != "endings" and not (target_group or "").startswith("pack_") \
            and entry_of.get(target_group or "") == edge.target:
        return f"{target} -> {source} {attrs[:-1]}, dir=back]"
    return f"{source} -> {target} {attrs[:-1]}, constraint=false]"


def _dot_legend() -> list[str]:
    items = [
        ("legend:scene", "scene", "box", SCENE_FILL, SCENE_LINE, "filled,rounded"),
        ("legend:ending", "ending", "doubleoctagon", ENDING_FILL, ENDING_LINE, "filled"),
        ("legend:router", "router", "diamond", ROUTER_FILL, SCENE_LINE, "filled"),
        ("legend:unreachable", "unreachable", "box", UNREACHABLE_FILL, UNREACHABLE_LINE, "filled,rounded"),
        ("legend:pack", "from a pack", "box", SCENE_FILL, PACK_LINE, "filled,rounded,dashed"),
        ("legend:warn", "! lint finding", "box", SCENE_FILL, WARN_LINE, "filled,rounded"),
    ]
    out = ['  subgraph cluster_legend {', '    label="Legend"; style=filled; fillcolor="#ffffff"; color="#c9ced6";']
    for nid, label, shape, fill, line, style in items:
        attrs = _dot_attrs(label=label, shape=shape, fillcolor=fill, color=line, style=style)
        out.append(f"    {_dot_quote(nid)} {attrs}")
    out.append('    "legend:a" [label="", shape=point, width=0.05]; "legend:b" [label="", shape=point, width=0.05];')
    out.append('    "legend:a" -> "legend:b" ' + _dot_attrs(label="novel's path", color=NOVEL_COLOUR, penwidth="3.5",
                                                       fontname="Helvetica", fontsize="11"))
    out.append('    "legend:c" [label="", shape=point, width=0.05]; "legend:d" [label="", shape=point, width=0.05];')
    out.append('    "legend:c" -> "legend:d" ' + _dot_attrs(label="Kira's choice, off the path", color=NOVEL_OTHER,
                                                       penwidth="1.8", fontname="Helvetica", fontsize="11"))
    chain = [_dot_quote(n) for n, *_ in items] + ['"legend:a"']
    out.extend(f"    {a} -> {b} [style=invis];" for a, b in pairwise(chain))
    out.append('    "legend:b" -> "legend:c" [style=invis];')
    out.append("  }")
    return out
