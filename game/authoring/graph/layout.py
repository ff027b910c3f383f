"""A layered layout of the story map that needs no graphviz.

Each chapter is a horizontal band, read left to right like a line of
text; a scene's column is its depth from where the chapter is entered
(breadth-first, then pushed right so every arrow inside a band points
forward), and a chapter longer than eight columns wraps onto further
lines. The novel's path runs along the top row of each band, so it reads
as one straight red line per chapter; other scenes stack below. Endings
share the last band. Scenes from a scene pack hang below the story's
own, which keep the places they have without the pack.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from game.authoring.graph.build import StoryMap, map_groups

NODE_W, NODE_H = 156, 46
COL_GAP, ROW_GAP = 44, 14
BAND_TOP, BAND_BOTTOM, BAND_GAP = 30, 16, 18
LINE_COLUMNS, LINE_GAP = 8, 30  # a longer chapter wraps onto further lines, like a paragraph
MARGIN = 34  # room on the left for arrows that come round into a band's first column


@dataclass(frozen=True)
class Box:
    """Where a node is drawn: its top-left corner, size, band and grid cell."""

    x: float
    y: float
    band: int
    col: int
    slot: int
    line: int = 0  # which line of a wrapped band
    w: float = NODE_W
    h: float = NODE_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Band:
    id: str
    title: str
    y: float
    h: float
    line_h: float = 0  # the height of one line of a wrapped band

    def line_top(self, line: int) -> float:
        return self.y + BAND_TOP + line * (self.line_h + LINE_GAP)


@dataclass
class Layout:
    boxes: dict[str, Box] = field(default_factory=dict)
    bands: list[Band] = field(default_factory=list)
    width: float = 0
    height: float = 0

    def column_x(self, col: int) -> float:
        return MARGIN + col * (NODE_W + COL_GAP)


def layout_map(smap: StoryMap) -> Layout:
    """Place every node of the map; see the module docstring for the rules."""
    result = Layout()
    y: float = MARGIN
    max_cols = 1
    for index, (gid, title, members) in enumerate(map_groups(smap)):
        cells = _cells(smap, members, gid == "endings")
        rows = 1 + max(slot for _, slot in cells.values())
        cols = 1 + max(col for col, _ in cells.values())
        lines = -(-cols // LINE_COLUMNS)
        max_cols = max(max_cols, min(cols, LINE_COLUMNS))
        band = Band(gid, title, y, 0, rows * NODE_H + (rows - 1) * ROW_GAP)
        band = Band(gid, title, y, BAND_TOP + lines * band.line_h + (lines - 1) * LINE_GAP + BAND_BOTTOM, band.line_h)
        for nid, (col, slot) in cells.items():
            line = col // LINE_COLUMNS
            result.boxes[nid] = Box(result.column_x(col % LINE_COLUMNS),
                                    band.line_top(line) + slot * (NODE_H + ROW_GAP), index, col, slot, line)
        result.bands.append(band)
        y += band.h + BAND_GAP
    result.width = MARGIN * 2 + max_cols * NODE_W + (max_cols - 1) * COL_GAP
    result.height = y - BAND_GAP + MARGIN
    return result


def _cells(smap: StoryMap, members: tuple[str, ...], as_row: bool) -> dict[str, tuple[int, int]]:
    """(column, slot) of each member of one band."""
    if as_row:
        return {nid: (i, 0) for i, nid in enumerate(members)}
    depth = _depths(smap, members)
    columns: dict[int, list[str]] = {}
    for nid in members:
        columns.setdefault(depth[nid], []).append(nid)
    on_path = [nid for nid in members if smap.nodes[nid].on_novel_path]
    reserved = set(range(min(depth[n] for n in on_path), max(depth[n] for n in on_path) + 1)) if on_path else set()
    cells: dict[str, tuple[int, int]] = {}
    preds = _predecessors(smap, set(members))
    for col in sorted(columns):
        ordered = sorted(columns[col], key=lambda n: (not smap.nodes[n].on_novel_path,
                                                     _barycentre(n, preds, cells), members.index(n)))
        first = 0 if not reserved or col not in reserved or smap.nodes[ordered[0]].on_novel_path else 1
        for slot, nid in enumerate(ordered, start=first):
            cells[nid] = (col, slot)
    return cells


def _predecessors(smap: StoryMap, inside: set[str]) -> dict[str, list[str]]:
    preds: dict[str, list[str]] = {}
    for edge in smap.edges:
        if edge.source in inside and edge.target in inside:
            preds.setdefault(edge.target, []).append(edge.source)
    return preds


def _barycentre(nid: str, preds: dict[str, list[str]], cells: dict[str, tuple[int, int]]) -> float:
    """Mean slot of the already placed scenes leading here: keeps branches near where they start."""
    slots = [cells[p][1] for p in preds.get(nid, []) if p in cells]
    return sum(slots) / len(slots) if slots else 0.0


def _depths(smap: StoryMap, members: tuple[str, ...]) -> dict[str, int]:
    """Each scene's column: the longest way to it from the band's entries, not counting loops.

    Depth-first search from the entries finds the arrows that close a loop;
    without them the band is acyclic, and every other arrow points right.
    """
    inside = set(members)
    succ: dict[str, list[str]] = {nid: [] for nid in members}
    entered = set()
    for edge in smap.edges:
        if edge.source in inside and edge.target in inside:
            succ[edge.source].append(edge.target)
        elif edge.target in inside:
            entered.add(edge.target)
    has_pred = {t for targets in succ.values() for t in targets}
    roots = [n for n in members if n in entered or n == smap.start or n not in has_pred]
    loops = _loop_edges(succ, [*roots, *members])
    # A pack's way back into the story does not push the story's scenes right: the shipped
    # scenes keep their places whether or not a pack is loaded, and the detour hangs below.
    loops |= {(a, b) for a in members for b in succ[a] if smap.nodes[a].from_pack and not smap.nodes[b].from_pack}
    indegree = dict.fromkeys(members, 0)
    for nid, targets in succ.items():
        for nxt in targets:
            if (nid, nxt) not in loops:
                indegree[nxt] += 1
    depth = dict.fromkeys(members, 0)
    ready = deque(n for n in members if indegree[n] == 0)
    while ready:
        nid = ready.popleft()
        for nxt in succ[nid]:
            if (nid, nxt) in loops:
                continue
            depth[nxt] = max(depth[nxt], depth[nid] + 1)
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return depth


def _loop_edges(succ: dict[str, list[str]], starts: list[str]) -> set[tuple[str, str]]:
    """Arrows back to a scene still being explored by an (iterative) depth-first search."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    loops: set[tuple[str, str]] = set()
    for start in starts:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(succ[start]))]
        while stack:
            nid, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                state[nid] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                loops.add((nid, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    return loops
