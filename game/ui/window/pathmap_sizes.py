"""How big each box of the path map is, how its titles are set, and where its columns go.

Titles are set at the text-size setting's size. Each column of boxes is made as wide as its titles
need to fit the band's height in at most MAX_LINES lines (and about 170 pixels at 1280x720 when
there is room), so a column of six endings gets wide one-line boxes and a lone scene a tall one. A
long chapter wraps onto a second (or third) band when its columns are too wide together; only when
nothing fits the window is the type made smaller.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui.window.pathmap_layout import ChapterMap, MapNode
from game.ui.window.text import TextCache
from game.ui.window.theme import Metrics

# Titles: 15 px at 1280x720 and medium text, growing with the text size; made smaller only when a
# chapter does not fit the window otherwise, and never below LABEL_LAST. Lengths are 1280x720 pixels.
LABEL_PX, LABEL_LAST, LABEL_LEADING = 15, 9, 1.15
MAX_LINES = 4
ROUTER = 48  # the box a router's diamond is drawn in
EXIT_WIDTH = 0.9  # chapter and ending boxes are a little narrower than scenes
ROAD_ROOM = 52  # the least room between two columns of boxes, for the roads and their dots
ROW_GAP = 14  # the least room between two boxes of one column
BAND_MARGIN = 24  # room above and below a band's boxes

Column = tuple[dict[str, int], float]  # each box's height, and the distance between the column's rows


@dataclass
class MapSizes:
    """The path map's measures for one chapter at one window size."""

    px: int  # the titles' type size
    bands: int  # rows of columns (a long chapter turns back on a second band)
    widths: dict[str, int]  # each node's box
    heights: dict[str, int]
    steps: dict[int, float]  # each column's distance between rows
    lefts: dict[int, float]  # each column's left edge


class Sizer:
    """Works out :class:`MapSizes` for a chapter's map in an area of the window."""

    def __init__(self, m: Metrics, cache: TextCache, graph: ChapterMap, area: pygame.Rect):
        self.m, self.cache, self.graph, self.area = m, cache, graph, area

    def sizes(self) -> MapSizes:
        m, graph, area = self.m, self.graph, self.area
        columns = max(1, graph.columns)
        for px in range(m.note(LABEL_PX), LABEL_LAST - 1, -1):
            for bands in range(2 if columns > 6 else 1, 4):
                per_band = -(-columns // bands)
                if bands > 1 and per_band < 2:
                    break
                found = self.fit(px, per_band, area.height / bands)
                if found is not None:
                    widths, heights, steps = found
                    return MapSizes(px, bands, widths, heights, steps, self.column_lefts(bands, per_band, widths))
        # Nothing fits (no shipped chapter, at any size the window allows): the smallest type, rows evenly spread.
        rows = max(1, graph.rows)
        height = round((area.height - m.px(BAND_MARGIN)) / rows - m.px(ROW_GAP))
        step_y = (area.height - m.px(BAND_MARGIN) - height) / max(1, rows - 1)
        widths = dict.fromkeys(graph.nodes, round(area.width / columns - m.px(ROAD_ROOM)))
        return MapSizes(LABEL_LAST, 1, widths, dict.fromkeys(graph.nodes, height),
                        dict.fromkeys(range(columns), step_y), self.column_lefts(1, columns, widths))

    def fit(self, px: int, per_band: int, band_h: float) -> tuple[dict[str, int], dict[str, int],
                                                                   dict[int, float]] | None:
        """Widths, heights and row distances when titles of ``px`` fit bands of ``per_band`` columns
        ``band_h`` high, every column narrow enough to leave room for the roads; None when they do not."""
        m, graph, area = self.m, self.graph, self.area
        by_column: dict[int, list[MapNode]] = {}
        for node in graph.nodes.values():
            by_column.setdefault(node.column, []).append(node)
        preferred = round(m.px(170) * px / m.tx(LABEL_PX))
        widest = round(area.width - (per_band - 1) * m.px(ROAD_ROOM)) if per_band > 1 else area.width
        least: dict[int, int] = {}
        for column, nodes in by_column.items():
            nodes.sort(key=lambda n: n.row)
            width = self.least_width(nodes, px, band_h, widest)
            if width is None:
                return None
            least[column] = width
        bands = range(-(-max(1, graph.columns) // per_band))
        for band in bands:
            members = [c for c in least if c // per_band == band]
            if sum(least[c] for c in members) + (len(members) - 1) * m.px(ROAD_ROOM) > area.width:
                return None
        # Room to spare goes to the narrow columns, up to the preferred width.
        widths: dict[int, int] = {}
        for band in bands:
            members = [c for c in least if c // per_band == band]
            spare = area.width - (len(members) - 1) * m.px(ROAD_ROOM) - sum(least[c] for c in members)
            wanted = sum(max(0, preferred - least[c]) for c in members)
            share = min(1.0, spare / wanted) if wanted else 0.0
            for c in members:
                widths[c] = least[c] + round(max(0, preferred - least[c]) * share)
        node_widths: dict[str, int] = {}
        heights: dict[str, int] = {}
        steps: dict[int, float] = {}
        for column, nodes in by_column.items():
            # A column wider than its least width has no more lines, so it still fits; the least width if not.
            found = self.column_fit(nodes, px, widths[column], band_h)
            if found is None:
                widths[column] = least[column]
                found = self.column_fit(nodes, px, least[column], band_h)
            assert found is not None
            heights.update(found[0])
            steps[column] = found[1]
            node_widths.update(dict.fromkeys((n.id for n in nodes), widths[column]))
        return node_widths, heights, steps

    def least_width(self, nodes: list[MapNode], px: int, band_h: float, widest: int) -> int | None:
        """The narrowest width (in steps of a few pixels) at which a column's boxes fit the band."""
        m = self.m
        if all(n.kind == "router" for n in nodes):
            return m.px(ROUTER)
        words = max((self.cache.size("serif", px, w)[0] for n in nodes if n.kind != "router" for w in n.title.split()),
                    default=0)
        width = max(m.px(60), -(-(words + m.px(22)) // EXIT_WIDTH))
        while width <= widest:
            if self.column_fit(nodes, px, round(width), band_h) is not None:
                return round(width)
            width += m.px(8)
        return None

    def column_fit(self, nodes: list[MapNode], px: int, width: int, band_h: float) -> Column | None:
        """Each box's height (one for the whole column, so that it reads as a column) and the column's
        distance between rows, or None when they do not fit the band."""
        m = self.m
        lines = lines_needed(self.cache, m, [n.title for n in nodes if n.kind != "router"], px, width)
        if lines is None or lines > MAX_LINES:
            return None
        tall = max(m.px(30), lines * round(px * LABEL_LEADING) + m.px(14))
        heights = {n.id: m.px(ROUTER) if n.kind == "router" else tall for n in nodes}
        span, tallest = nodes[-1].row - nodes[0].row, max(heights.values())
        if span == 0:
            return (heights, 0.0) if tallest + m.px(BAND_MARGIN) <= band_h else None
        room = (band_h - m.px(BAND_MARGIN) - tallest) / span
        need = max((heights[a.id] / 2 + heights[b.id] / 2 + m.px(ROW_GAP)) / (b.row - a.row)
                   for a, b in zip(nodes, nodes[1:], strict=False))
        return (heights, min(max(m.px(120), need), room)) if need <= room else None

    def column_lefts(self, bands: int, per_band: int, widths: dict[str, int]) -> dict[int, float]:
        """The left edge of each column: a band's columns spread evenly across the map, the second band
        running right to left like a road that turns back."""
        area, graph = self.area, self.graph
        columns = max(1, graph.columns)
        width_of = {c: max((widths[n.id] for n in graph.nodes.values() if n.column == c), default=0)
                    for c in range(columns)}
        lefts: dict[int, float] = {}
        for band in range(bands):
            members = list(range(band * per_band, min(columns, (band + 1) * per_band)))
            if not members:
                continue
            if band % 2:
                members.reverse()
            gap = (area.width - sum(width_of[c] for c in members)) / max(1, len(members) - 1)
            x = float(area.left) if len(members) > 1 else area.centerx - width_of[members[0]] / 2
            for column in members:
                lefts[column] = x
                x += width_of[column] + gap
        return lefts


def lines_needed(cache: TextCache, m: Metrics, titles: list[str], px: int, width: int) -> int | None:
    """How many lines the longest title takes in boxes ``width`` wide (None if a word does not fit)."""
    room = label_room(m, width)
    if room <= 0:
        return None
    most = 1
    for title in titles:
        if any(cache.size("serif", px, word)[0] > room for word in title.split()):
            return None
        most = max(most, len(cache.wrap("serif", px, title, room)))
    return most


def label_room(m: Metrics, width: int) -> int:
    """The width a title may take inside a box (exit boxes are drawn a little narrower)."""
    return round(width * EXIT_WIDTH) - m.px(22)
