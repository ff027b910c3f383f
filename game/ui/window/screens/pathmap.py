"""The path map: a chapter's scenes as a flowchart, with every choice drawn as its own road.

The player's roads are lit red, the novel's Kira's roads are ochre, and
the roads and scenes not taken are grey locked shapes, so a student sees
that other ways existed without replaying. Shown when a chapter closes,
at the end (where Left and Right browse every chapter), and from the
pause menu (M).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.runtime.summary import count
from game.ui.window.base import Screen, page_panel
from game.ui.window.pathmap_layout import ChapterMap, MapEdge, MapNode, chapter_map, novel_path, player_path
from game.ui.window.pathmap_sizes import EXIT_WIDTH, LABEL_LEADING, MAX_LINES, Sizer, label_room
from game.ui.window.theme import Metrics
from game.ui.window.widgets import Button, background, button_row, header, header_rows, lock, panel, small_button

if TYPE_CHECKING:
    from game.ui.window.app import App

Point = tuple[float, float]


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 24) -> list[Point]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append((u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
                    u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1]))
    return out


HERE = "you are here"
LEGEND = (("lit", "your path"), ("novel", "the novel's path"), ("locked", "not taken"))
LEGEND_HELP = "Left and Right: other chapters · hover or Up and Down: read a road"


class PathMapScreen(Screen):
    name = "path-map"

    def __init__(self, app: App, chapter: str, closing: bool):
        super().__init__(app)
        self.chapter = chapter
        self.closing = closing  # shown as a chapter closes (Continue goes on) rather than from the menu
        self.root = closing  # in the flow of play, Escape opens the menu; opened from the menu, it goes back
        self.version = 0
        self.dots: list[tuple[MapEdge, tuple[int, int]]] = []
        self.dot_focus = -1

    @property
    def m(self) -> Metrics:
        """The map is a drawing that needs the whole window, so it is laid out at the window's size
        without the interface scale (which would leave a 1280x720 window no room for a long chapter)."""
        key = (self.app.size, self.app.settings)
        if getattr(self, "_own_metrics", (None,))[0] != key:
            settings = self.app.settings
            unscaled = Metrics.of(self.app.size, settings._replace(ui_scale="100%")) if settings.scale > 1 else None
            self._own_metrics = (key, unscaled or self.app.metrics)
        return self._own_metrics[1]

    # -- data ------------------------------------------------------------------------------------
    def chapters(self) -> list[str]:
        """The chapters the player has been in, in story order (those the map can browse)."""
        play = self.app.game.play
        assert play is not None
        seen = {self.app.story.scenes[s].chapter for s in play.visits if s in self.app.story.scenes}
        return [c.id for c in self.app.story.ordered_chapters() if c.id in seen or c.id == self.chapter]

    def browse(self, step: int) -> None:
        chapters = self.chapters()
        index = chapters.index(self.chapter) + step
        if 0 <= index < len(chapters):
            self.chapter = chapters[index]
            self.version += 1
            self.dot_focus = -1
            self.invalidate()

    def layout(self) -> None:
        m = self.m
        story, play = self.app.story, self.app.game.play
        assert play is not None
        self.map: ChapterMap = chapter_map(story, self.chapter)
        self.visited, self.taken = player_path(play)
        self.novel = novel_path(story)
        self.sheet = page_panel(self.app, wide=True)
        top = header_rows(m)[3] + m.px(40)
        left = self.sheet.left + m.px(56)
        buttons = self.make_buttons(short=False)
        if left + self.legend_width() + m.px(16) > buttons[0].rect.left:  # a large interface: shorter labels
            buttons = self.make_buttons(short=True)
        self.legend_y = m.height - m.px(28) - self.legend_height()
        if left + self.legend_width() + m.px(16) > buttons[0].rect.left:  # still no room: the legend goes above
            self.legend_y = buttons[0].rect.top - m.px(16) - self.legend_height()
        self.area = pygame.Rect(left, top, self.sheet.width - m.px(112), self.legend_y - m.px(104) - top)
        self.place()

    def make_buttons(self, short: bool) -> list[Button]:
        """Previous, next (when there are chapters to browse) and Continue or Back, placed at the foot."""
        m = self.m
        chapters = self.chapters()
        index = chapters.index(self.chapter)
        buttons = []
        if len(chapters) > 1:
            buttons += [Button("‹ Previous" if short else "‹ Previous chapter", lambda: self.browse(-1),
                               enabled=index > 0),
                        Button("Next ›" if short else "Next chapter ›", lambda: self.browse(1),
                               enabled=index < len(chapters) - 1)]
        done = Button("Continue" if self.closing else "Back", self.app.advance if self.closing else self.app.pop)
        buttons.append(done)
        self.focus.vertical = False
        self.focus.set(buttons, focus=len(buttons) - 1)
        button_row(buttons, self.cache, m, self.sheet.right - m.px(56), m.height - m.px(34))
        return buttons

    def place(self) -> None:
        """Pixel centres of nodes (long chapters wrap onto a second band), and each road's curve and dot."""
        m, graph, area = self.m, self.map, self.area
        sizes = Sizer(m, self.cache, graph, area).sizes()
        self.label_px, self.bands, self.widths, self.heights = sizes.px, sizes.bands, sizes.widths, sizes.heights
        scenes = [n for n in graph.nodes if graph.nodes[n].kind != "router"]
        self.node_w = max((self.widths[n] for n in scenes), default=m.px(170))
        self.node_h = max((self.heights[n] for n in scenes), default=m.px(40))
        per_band = -(-max(1, graph.columns) // self.bands)
        band_h = area.height / self.bands
        self.centres = {}
        self.band_of = {}
        for node in graph.nodes.values():
            band = min(node.column // per_band, self.bands - 1)
            self.band_of[node.id] = band
            self.centres[node.id] = (round(sizes.lefts[node.column] + self.widths[node.id] / 2),
                                     round(area.top + band_h * (band + 0.5) + node.row * sizes.steps[node.column]))
        self.band_h = band_h
        self.curves: list[tuple[MapEdge, list[Point]]] = []
        self.dots = []
        for src in dict.fromkeys(e.src for e in graph.edges):
            roads = graph.roads(src)
            for dst in dict.fromkeys(e.dst for e in roads):
                group = [e for e in roads if e.dst == dst]
                spread = (len(group) - 1) / 2 * m.px(30)
                for k, edge in enumerate(group):
                    offset = k * m.px(30) - spread
                    points = self.curve(src, dst, offset, spread)
                    self.curves.append((edge, points))
                    mid = points[len(points) // 2]
                    self.dots.append((edge, (round(mid[0]), round(mid[1]))))

    def node_rect(self, node_id: str) -> pygame.Rect:
        """The node's box on screen (exit nodes a little narrower; a router is a small diamond)."""
        node = self.map.nodes[node_id]
        if node.kind == "router":
            r = round(self.half_width(node_id))
            return pygame.Rect(self.centres[node_id][0] - r, self.centres[node_id][1] - r, 2 * r, 2 * r)
        width = round(self.widths[node_id] * EXIT_WIDTH) if node.kind in ("chapter", "ending") else self.widths[node_id]
        rect = pygame.Rect(0, 0, width, self.heights[node_id])
        rect.center = self.centres[node_id]
        return rect

    def label_lines(self, node_id: str) -> list[str]:
        """The node's title, wrapped to its width."""
        title = self.map.nodes[node_id].title
        return self.cache.wrap("serif", self.label_px, title, label_room(self.m, self.widths[node_id]))[:MAX_LINES]

    def half_width(self, node_id: str) -> float:
        node = self.map.nodes[node_id]
        if node.kind == "router":
            return self.heights[node_id] * 0.35
        return self.widths[node_id] * (EXIT_WIDTH / 2 if node.kind in ("chapter", "ending") else 0.5)

    def curve(self, src: str, dst: str, offset: float, spread: float = 0) -> list[Point]:
        """A road from one node to another; ``offset`` fans out roads that share both ends (``spread`` is
        the largest offset among them)."""
        (sx, sy), (dx, dy) = self.centres[src], self.centres[dst]
        m = self.m
        if self.band_of[dst] != self.band_of[src]:  # down to the next band
            sh, dh = self.heights[src] / 2, self.heights[dst] / 2
            if abs(sx - dx) < self.node_w:  # the turn at the end of a band: bow out past the side
                side = 1 if sx > self.area.centerx else -1
                start: tuple[float, float] = (sx + side * self.half_width(src), sy)
                end: tuple[float, float] = (dx + side * self.half_width(dst), dy)
                # Fanned out by ``offset``, and never past the edge of the page (a curve reaches 3/4 of its bow).
                edge = self.sheet.right - max(start[0], end[0]) if side > 0 else min(start[0], end[0]) - self.sheet.left
                widest = m.px(60) + spread * 3
                room = max(m.px(12), (edge - m.px(12)) / 0.75)
                bow = side * (m.px(60) + (offset + spread) * 1.5) * min(1.0, room / widest)
                return bezier(start, (start[0] + bow, sy), (end[0] + bow, dy), end, 32)
            start, end = (sx, sy + sh), (dx, dy - dh)
            drop = (end[1] - start[1]) * 0.5
            return bezier(start, (sx + offset * 2, start[1] + drop), (dx + offset * 2, end[1] - drop), end, 32)
        direction = -1 if self.band_of[src] % 2 else 1
        start, end = (sx + direction * self.half_width(src), sy), (dx - direction * self.half_width(dst), dy)
        forward = (dx - sx) * direction > 0
        if not forward:  # a road back to an earlier scene: loop below the nodes
            drop = max(self.heights[src], self.heights[dst]) + abs(offset) + m.px(30)
            return bezier((sx, sy + self.heights[src] / 2), (sx, sy + drop), (dx, dy + drop),
                          (dx, dy + self.heights[dst] / 2))
        span = self.map.nodes[dst].column - self.map.nodes[src].column
        lift = -(span - 1) * (self.node_h * 0.9 + m.px(20))  # roads that skip a scene arc over it
        reach = (end[0] - start[0]) * 0.45
        arc = max(lift * 1.3, self.highest_bend(start[1], end[1]) + spread * 2.2)  # never above the map area
        bend = offset * 2.2 + arc
        return bezier(start, (start[0] + reach, sy + bend), (end[0] - reach, dy + bend), end)

    def highest_bend(self, sy: float, dy: float, steps: int = 24) -> float:
        """How far up a road between these heights may bend before it leaves the top of the map area
        (into the heading above it). A road's height is its straight line plus ``bend * 3t(1-t)``."""
        top = self.area.top + self.m.px(10)  # room for the widest line and a dot
        limit = -float("inf")
        for i in range(1, steps):
            t = i / steps
            straight = (1 - t) ** 2 * (1 + 2 * t) * sy + t * t * (3 - 2 * t) * dy
            limit = max(limit, (top - straight) / (3 * t * (1 - t)))
        return limit

    def is_taken(self, edge: MapEdge) -> bool:
        return (edge.src, edge.choice, edge.route) in self.taken

    # -- input -----------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.browse(-1 if event.key == pygame.K_LEFT else 1)
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            visible = [i for i, (edge, _) in enumerate(self.dots) if edge.src in self.visited]
            if visible:
                pos = visible.index(self.dot_focus) if self.dot_focus in visible else -1
                step = 1 if event.key == pygame.K_DOWN else -1
                self.dot_focus = visible[(pos + step) % len(visible)] if pos >= 0 else visible[0]
                self.app.dirty = True
            return
        if event.type == pygame.MOUSEMOTION:
            near = [i for i, (_, p) in enumerate(self.dots)
                    if (p[0] - event.pos[0]) ** 2 + (p[1] - event.pos[1]) ** 2 < self.m.px(14) ** 2]
            new = near[0] if near else -1
            if new != self.dot_focus:
                self.dot_focus = new
                self.app.dirty = True
        super().handle(event)

    def scripted(self) -> None:
        (self.app.advance if self.closing else self.app.pop)()

    # -- drawing ---------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        surface.blit(background("title", self.app.size, theme), (0, 0))
        panel(surface, self.sheet, theme, stripe=m.px(6), opaque=True)
        chapter = self.app.story.chapters.get(self.chapter)
        x = self.sheet.left + m.px(56)
        heading = "THE ROAD YOU TOOK" if self.closing else "THE ROAD SO FAR"
        header(surface, cache, theme, m, x, heading, chapter.title if chapter else self.chapter, self.tally(),
               width=self.sheet.width - 2 * (x - self.sheet.left))
        for edge, points in self.curves:
            self.draw_road(surface, edge, points)
        for node in self.map.nodes.values():
            self.draw_node(surface, node)
        for index, (edge, pos) in enumerate(self.dots):
            self.draw_dot(surface, edge, pos, index == self.dot_focus)
        self.draw_here(surface)
        self.draw_caption(surface)
        self.draw_legend(surface)
        for button in self.focus.buttons:
            small_button(surface, cache, button, theme, m, button is self.focus.focused)

    def tally(self) -> str:
        moments = [e for e in self.map.edges if e.novel and not e.route and e.src in self.visited]
        agreed = sum(1 for e in moments if self.is_taken(e))
        played = sum(1 for e in moments if any(self.is_taken(r) for r in self.map.roads(e.src)))
        if not played:
            return "Red: the scenes and choices that were yours. Ochre: the novel's road. Locks: roads not taken."
        return (f"Here you chose as the novel's Kira did at {agreed} of {count(played, 'moment')}. "
                "Each lock is a road you did not take.")

    def draw_road(self, surface: pygame.Surface, edge: MapEdge, points: list[Point]) -> None:
        m, theme = self.m, self.theme
        if self.is_taken(edge):
            if edge.novel:
                pygame.draw.lines(surface, theme.accent2, False, points, max(3, m.px(8)))
            pygame.draw.lines(surface, theme.accent, False, points, max(2, m.px(4)))
        elif edge.novel:
            for i in range(0, len(points) - 1, 2):
                pygame.draw.line(surface, theme.accent2, points[i], points[i + 1], max(2, m.px(3)))
        else:
            pygame.draw.lines(surface, theme.disabled, False, points, 1)

    def draw_node(self, surface: pygame.Surface, node: MapNode) -> None:
        m, theme = self.m, self.theme
        if node.kind == "router":
            self.draw_router(surface, node)
            return
        rect = self.node_rect(node.id)
        exit_node = node.kind in ("chapter", "ending")
        reached = self.exit_reached(node) if exit_node else node.id in self.visited
        radius = min(rect.height // 2, m.px(18)) if exit_node else m.px(4)
        if reached:
            pygame.draw.rect(surface, theme.accent, rect, border_radius=radius)
            if node.id in self.novel or (exit_node and self.exit_novel(node)):
                pygame.draw.rect(surface, theme.accent2, rect.inflate(m.px(8), m.px(8)), max(2, m.px(3)),
                                 border_radius=radius + m.px(4))
            self.node_label(surface, node.id, rect, theme.paper)
        else:
            pygame.draw.rect(surface, theme.paper, rect, border_radius=radius)
            novel = node.id in self.novel or (exit_node and self.exit_novel(node))
            pygame.draw.rect(surface, theme.accent2 if novel else theme.disabled, rect,
                             max(2, m.px(3)) if novel else 1, border_radius=radius)
            lock(surface, rect.center, m.px(16), theme.disabled)

    def draw_here(self, surface: pygame.Surface) -> None:
        """"you are here" under the scene being played (from the menu), on paper over any road beneath it."""
        m, cache, play = self.m, self.cache, self.app.game.play
        if self.closing or play is None or play.scene_id not in self.centres:
            return
        rect = self.node_rect(play.scene_id)
        width, height = cache.size("italic", m.small, HERE)
        x = max(self.area.left + width // 2, min(self.area.right - width // 2, rect.centerx))  # kept inside the map
        label = pygame.Rect(0, 0, width + m.px(8), height)
        label.midtop = (x, rect.bottom + m.px(6))
        others = [self.node_rect(n) for n in self.map.nodes if n != play.scene_id]
        if label.collidelist(others) >= 0:  # another scene's box beneath: above the node instead
            label.midbottom = (x, rect.top - m.px(6))
            if label.collidelist(others) >= 0 or label.top < self.area.top - m.px(40):
                label.midtop = (x, rect.bottom + m.px(6))
        surface.fill(self.theme.paper, label)
        cache.draw(surface, "italic", m.small, HERE, self.theme.accent, label.center, anchor="center")

    def draw_router(self, surface: pygame.Surface, node: MapNode) -> None:
        """A router is the story deciding, not a scene: a small diamond with no title."""
        cx, cy = self.centres[node.id]
        r = round(self.half_width(node.id))
        points = [(cx - r, cy), (cx, cy - r), (cx + r, cy), (cx, cy + r)]
        lit = node.id in self.visited
        pygame.draw.polygon(surface, self.theme.accent if lit else self.theme.paper, points)
        pygame.draw.polygon(surface, self.theme.accent if lit else self.theme.disabled, points, max(1, self.m.px(2)))

    def node_label(self, surface: pygame.Surface, node_id: str, rect: pygame.Rect, color: tuple[int, int, int]) -> None:
        """The title in the node, centred, at the size :meth:`sizes` chose for the whole map."""
        px, step = self.label_px, round(self.label_px * LABEL_LEADING)
        lines = self.label_lines(node_id)
        y = rect.centery - len(lines) * step // 2
        for line in lines:
            self.cache.draw(surface, "serif", px, line, color, (rect.centerx, y), anchor="midtop")
            y += step

    def exit_reached(self, node: MapNode) -> bool:
        if node.kind == "ending":
            return node.id in self.visited
        chapter = node.id.split(":", 1)[1]
        return any(self.app.story.scenes[s].chapter == chapter for s in self.visited if s in self.app.story.scenes)

    def exit_novel(self, node: MapNode) -> bool:
        if node.kind == "ending":
            return node.id in self.novel
        chapter = node.id.split(":", 1)[1]
        return any(self.app.story.scenes[s].chapter == chapter for s in self.novel if s in self.app.story.scenes)

    def draw_dot(self, surface: pygame.Surface, edge: MapEdge, pos: tuple[int, int], focused: bool) -> None:
        m, theme = self.m, self.theme
        radius = m.px(7)
        if focused:
            pygame.draw.circle(surface, theme.ink, pos, radius + m.px(5), max(2, m.px(2)))
        if self.is_taken(edge):
            pygame.draw.circle(surface, theme.accent, pos, radius)
            if edge.novel:
                pygame.draw.circle(surface, theme.accent2, pos, radius + m.px(2), max(2, m.px(2)))
        elif edge.novel:
            pygame.draw.circle(surface, theme.accent2, pos, radius - m.px(1))
        else:
            pygame.draw.circle(surface, theme.paper, pos, radius + m.px(2))
            lock(surface, pos, m.px(11), theme.disabled)

    def draw_caption(self, surface: pygame.Surface) -> None:
        """Under the map: the road under the mouse or focus (only for scenes the player has seen)."""
        m, theme = self.m, self.theme
        if not 0 <= self.dot_focus < len(self.dots):
            return
        edge = self.dots[self.dot_focus][0]
        scene = self.app.story.scenes.get(edge.src)
        if scene is None or edge.src not in self.visited:
            return
        if edge.route:
            text = "The story chose this road for you, by what you had done."
        else:
            variables = self.app.game.play.variables if self.app.game.play is not None else self.app.story.defaults()
            label = scene.choices[edge.choice].label.render(variables)
            whose = ("your choice, and the novel's" if edge.novel else "your choice") if self.is_taken(edge) \
                else ("the novel's Kira chose this" if edge.novel else "a road you did not take")
            text = f"\u201c{label}\u201d \u2014 {whose}"
        width = self.area.width
        lines = self.cache.wrap("italic", m.note(17), text, width)[:2]
        y = self.area.bottom + m.px(18)
        for line in lines:
            self.cache.draw(surface, "italic", m.note(17), line, theme.ink, (self.area.left, y))
            y += m.px(22)

    def legend_height(self) -> int:
        """The legend's row and the line of help under it (both grow with the text size)."""
        return round(self.m.small * 1.55) + round(self.m.small * 1.25)

    def legend_width(self) -> int:
        """How wide the legend and the line of help under it are."""
        m, cache = self.m, self.cache
        entries = sum(m.px(14) * 2 + m.px(8) + cache.size("serif", m.small, label)[0] + m.px(26)
                      for _, label in LEGEND)
        return max(entries, cache.size("italic", m.small, LEGEND_HELP)[0])

    def draw_legend(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        x, y = self.area.left, self.legend_y
        size = m.px(14)
        for kind, label in LEGEND:
            box = pygame.Rect(x, y, size * 2, size)
            if kind == "lit":
                pygame.draw.rect(surface, theme.accent, box, border_radius=m.px(3))
            elif kind == "novel":
                pygame.draw.rect(surface, theme.accent2, box, max(2, m.px(3)), border_radius=m.px(3))
            else:
                lock(surface, box.center, size, theme.disabled)
            rect = cache.draw(surface, "serif", m.small, label, theme.soft, (box.right + m.px(8), y - m.px(3)))
            x = rect.right + m.px(26)
        cache.draw(surface, "italic", m.small, LEGEND_HELP, theme.soft, (self.area.left, y + round(m.small * 1.55)))
