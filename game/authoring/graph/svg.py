"""The story map as SVG: drawn here from :mod:`.graph_layout`, or by graphviz's ``dot`` when it is installed.

Every node is a link to its file and line, with a tooltip that names
both, so a writer can go from the map straight to the scene.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import escape

try:
    import resource  # POSIX: the limits given to graphviz dot
except ImportError:  # pragma: no cover - Windows: dot runs with the time limit only
    resource = None  # type: ignore[assignment]

from game.authoring.graph.build import (
    EDGE_COLOUR,
    NOVEL_COLOUR,
    NOVEL_OTHER,
    MapEdge,
    MapNode,
    StoryMap,
    _wrap,
    edge_style,
    node_style,
    to_dot,
)
from game.authoring.graph.layout import BAND_GAP, COL_GAP, LINE_GAP, MARGIN, ROW_GAP, Box, Layout, layout_map

# graphviz dot is a stranger's story's map away from using all the memory there is (6,000 scenes took
# 63 s and 12.9 GB): it runs within these bounds, and a map too big for it is drawn by the built-in layout.
DOT_TIMEOUT = 20  # seconds of wall time; the shipped story takes well under one
DOT_CPU_SECONDS = 20
DOT_MEMORY = 1 << 30  # bytes of address space
DOT_MAX_NODES = 1500
RADIUS = 10  # corner radius of arrows that turn through the gaps between columns and bands


def dot_available() -> bool:
    return shutil.which("dot") is not None


def _bounded() -> None:  # pragma: no cover - runs in the child, between fork and exec
    if resource is None:
        return
    resource.setrlimit(resource.RLIMIT_AS, (DOT_MEMORY, DOT_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (DOT_CPU_SECONDS, DOT_CPU_SECONDS))


def too_big_for_dot(smap: StoryMap) -> str:
    """Why dot is not even tried on this map ('' when it may be)."""
    if len(smap.nodes) > DOT_MAX_NODES:
        return f"the map has {len(smap.nodes):,} scenes, more than graphviz dot lays out in reasonable time and memory"
    return ""


def svg_by_dot(smap: StoryMap) -> str:
    """Run ``dot -Tsvg`` within time and memory bounds; raise :class:`RuntimeError` saying why if it fails."""
    too_big = too_big_for_dot(smap)
    if too_big:
        raise RuntimeError(too_big)
    try:
        done = subprocess.run(["dot", "-Tsvg"], input=to_dot(smap, legend=False), capture_output=True, text=True,
                              timeout=DOT_TIMEOUT, check=False, preexec_fn=_bounded if resource is not None else None)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"graphviz dot took longer than {DOT_TIMEOUT} s and was stopped") from exc
    except OSError as exc:
        raise RuntimeError(f"graphviz dot could not run: {exc}") from exc
    if done.returncode != 0:
        if done.returncode < 0 or "memory" in done.stderr.lower():
            raise RuntimeError(f"graphviz dot went past its limits ({DOT_MEMORY >> 20} MB of memory, "
                               f"{DOT_CPU_SECONDS} s of processor time) and was stopped")
        raise RuntimeError(f"graphviz dot failed: {done.stderr.strip()[:500]}")
    svg = done.stdout
    svg = svg[svg.find("<svg"):] if "<svg" in svg else svg
    # dot sizes the drawing in points (1.33 px each); in pixels it matches the built-in map's scale
    return re.sub(r'(<svg[^>]*?\b(?:width|height)="[\d.]+)pt"', r'\1"', re.sub(
        r'(<svg[^>]*?\b(?:width|height)="[\d.]+)pt"', r'\1"', svg, count=1), count=1)


def svg_builtin(smap: StoryMap) -> str:
    """Draw the map with the built-in layered layout."""
    lay = layout_map(smap)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'width="{lay.width:.0f}" height="{lay.height:.0f}" viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" '
           f'class="story-map" role="img" aria-label="{escape(smap.title)}: story map">',
           _defs()]
    # A band's title starts over its first column: arrows that come down into the band drop through
    # the gaps between columns (the first one left of MARGIN), so none strikes through the title.
    for index, band in enumerate(lay.bands):
        fill = "#f4f1ea" if index % 2 else "#eef2f6"
        out.append(f'<g class="band"><rect x="4" y="{band.y:.0f}" width="{lay.width - 8:.0f}" '
                   f'height="{band.h:.0f}" rx="6" fill="{fill}" stroke="#c9ced6"/>'
                   f'<text x="{MARGIN}" y="{band.y + 20:.0f}" class="band-title">{escape(band.title)}</text></g>')
    edges = sorted(smap.edges, key=lambda e: (e.novel_path, e.novel_choice))  # the novel's path on top
    lanes: dict[tuple[str, float], int] = {}
    out.append('<g class="edges">')
    out.extend(_edge_svg(edge, lay, lanes) for edge in edges if edge.source in lay.boxes and edge.target in lay.boxes)
    out.append("</g><g class=\"nodes\">")
    out.extend(_node_svg(smap.nodes[nid], box) for nid, box in lay.boxes.items())
    out.append("</g></svg>")
    return "\n".join(out)


def _defs() -> str:
    marker = ('<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" '
              'markerWidth="{size}" markerHeight="{size}" orient="auto-start-reverse">'
              '<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    return "<defs>" + "".join(marker.format(name=n, size=s, colour=c) for n, s, c in
                              (("plain", 9, EDGE_COLOUR), ("novel", 13, NOVEL_COLOUR),
                               ("other", 10, NOVEL_OTHER))) + "</defs>"


def _node_svg(node: MapNode, box: Box) -> str:
    style = node_style(node)
    tip = escape(f"{node.title} ({node.id})\n{node.where}" + "".join(f"\n! {f}" for f in node.findings))
    classes = " ".join(["node", node.kind, "unreachable" if not node.reachable else "",
                        "pack" if node.from_pack else "", "novel" if node.on_novel_path else "",
                        "warn" if node.findings else ""]).split()
    dash = ' stroke-dasharray="5 3"' if node.from_pack and node.reachable else ""
    width = 3 if node.kind == "ending" or not node.reachable or node.findings else 1.3
    if node.kind == "router":
        x, y, cx, cy, right, bottom = box.x, box.y, box.cx, box.cy, box.x + box.w, box.y + box.h
        shape = (f'<polygon points="{x:.0f},{cy:.0f} {cx:.0f},{y:.0f} {right:.0f},{cy:.0f} {cx:.0f},{bottom:.0f}" '
                 f'fill="{style["fill"]}" stroke="{style["line"]}" stroke-width="{width}"{dash}/>')
        lines = [node.id]
    else:
        radius = 16 if node.kind == "ending" else 6
        shape = (f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="{radius}" '
                 f'fill="{style["fill"]}" stroke="{style["line"]}" stroke-width="{width}"{dash}/>')
        lines = _wrap(("! " if node.findings else "") + node.title, 21)[:2]
    text = _text_lines(lines, box)
    href = escape(node.href)
    return (f'<a class="{" ".join(classes)}" href="{href}" xlink:href="{href}" data-id="{escape(node.id)}" '
            f'data-where="{escape(node.where)}"><title>{tip}</title>{shape}{text}</a>')


def _text_lines(lines: list[str], box: Box) -> str:
    step = 14
    top = box.cy - (len(lines) - 1) * step / 2 + 4
    spans = "".join(f'<tspan x="{box.cx:.0f}" y="{top + i * step:.0f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text text-anchor="middle" class="label">{spans}</text>'


def _edge_svg(edge: MapEdge, lay: Layout, lanes: dict[tuple[str, float], int]) -> str:
    style = edge_style(edge)
    src, dst = lay.boxes[edge.source], lay.boxes[edge.target]
    path = _edge_path(src, dst, lay, lanes)
    marker = "novel" if edge.novel_path else "other" if edge.novel_choice else "plain"
    dash = ' stroke-dasharray="6 4"' if style["dash"] else ""
    tip = escape(" | ".join(edge.labels) if edge.labels else "a router's route")
    return (f'<path class="edge{" novel" if edge.novel_path else ""}" d="{path}" fill="none" '
            f'stroke="{style["colour"]}" stroke-width="{style["width"]}"{dash} '
            f'marker-end="url(#arrow-{marker})"><title>{edge.source} → {edge.target}: {tip}</title></path>')


def _edge_path(src: Box, dst: Box, lay: Layout, lanes: dict[tuple[str, float], int]) -> str:
    """A curve between neighbours on a line; elsewhere a rounded path through the gaps, never over a node."""
    x1, y1 = src.x + src.w, src.cy
    x2, y2 = dst.x, dst.cy
    if src.band == dst.band and src.line == dst.line and dst.col > src.col:
        bend = max(COL_GAP, (x2 - x1) / 2)
        return f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} {x2 - 2:.0f},{y2:.0f}"
    gap_x = x1 + COL_GAP / 2 + _lane(lanes, ("col", x1))
    entry_x = x2 - COL_GAP / 2 + _lane(lanes, ("col", x2))
    band = lay.bands[dst.band]
    if src.band == dst.band and dst.line > src.line:  # on to a later line: along the gap above it
        top = band.line_top(dst.line)
        channel = top - LINE_GAP / 2 + _lane(lanes, ("line", top))
    elif src.band == dst.band:  # backwards: along the band's bottom margin
        channel = band.y + band.h - 7 + _lane(lanes, ("bottom", band.y))
    elif dst.band > src.band:  # down: along the gap above the target's band
        channel = band.y - BAND_GAP / 2 + _lane(lanes, ("gap", band.y))
    else:  # up: along the gap below the target's band
        channel = band.y + band.h + BAND_GAP / 2 + _lane(lanes, ("gap", band.y + band.h))
    points = [(x1, y1), (gap_x, y1), (gap_x, channel), (entry_x, channel), (entry_x, y2), (x2 - 2, y2)]
    return _rounded(points)


def _lane(lanes: dict[tuple[str, float], int], key: tuple[str, float]) -> float:
    """Spread arrows that share a gap a few pixels apart, so they stay distinguishable."""
    count = lanes.get(key, 0)
    lanes[key] = count + 1
    offset = ((count + 1) // 2) * 4.0
    return min(offset, ROW_GAP / 2 + 6) * (1 if count % 2 else -1)


def _rounded(points: list[tuple[float, float]]) -> str:
    """A polyline with its corners rounded off by quadratic curves."""
    points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    out = [f"M{points[0][0]:.0f},{points[0][1]:.0f}"]
    for prev, corner, nxt in zip(points, points[1:], points[2:], strict=False):
        r1 = min(RADIUS, _dist(prev, corner) / 2)
        r2 = min(RADIUS, _dist(corner, nxt) / 2)
        a = _towards(corner, prev, r1)
        b = _towards(corner, nxt, r2)
        out.append(f"L{a[0]:.0f},{a[1]:.0f} Q{corner[0]:.0f},{corner[1]:.0f} {b[0]:.0f},{b[1]:.0f}")
    out.append(f"L{points[-1][0]:.0f},{points[-1][1]:.0f}")
    return " ".join(out)


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def _towards(origin: tuple[float, float], target: tuple[float, float], length: float) -> tuple[float, float]:
    total = _dist(origin, target) or 1
    return (origin[0] + (target[0] - origin[0]) * length / total, origin[1] + (target[1] - origin[1]) * length / total)
