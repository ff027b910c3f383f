"""A chapter's scenes as a small layered flowchart, and which parts of it a player and the novel took.

Pure data, no drawing: columns are the longest distance from the places
the chapter can be entered, rows are ordered to keep edges short
(barycentre passes), and the roads out of the chapter end in one last
column of exits (the next chapter, or an ending).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.runtime.model import Story
from game.runtime.paths import follow_novel
from game.runtime.playthrough import Playthrough

_novel_cache: dict[tuple[int, str], frozenset[str]] = {}


@dataclass(frozen=True)
class MapNode:
    id: str
    title: str
    kind: str  # "scene", "router", "chapter" (an exit to another chapter) or "ending"
    column: int
    row: float  # centred on 0 within its column


@dataclass(frozen=True)
class MapEdge:
    """One road out of a scene: a choice (``choice`` is its position in the scene) or a router's route."""

    src: str
    dst: str
    choice: int
    route: bool = False
    novel: bool = False


@dataclass
class ChapterMap:
    chapter: str
    nodes: dict[str, MapNode] = field(default_factory=dict)
    edges: list[MapEdge] = field(default_factory=list)
    columns: int = 0
    rows: int = 0

    def roads(self, src: str) -> list[MapEdge]:
        return [edge for edge in self.edges if edge.src == src]


def exit_key(story: Story, target: str) -> tuple[str, str, str]:
    """The node that stands for a scene outside the chapter: (id, title, kind)."""
    scene = story.scenes[target]
    if scene.is_ending:
        return target, scene.title, "ending"
    chapter = story.chapters.get(scene.chapter)
    if chapter is not None:
        return f"chapter:{chapter.id}", chapter.title, "chapter"
    return target, scene.title, "router" if scene.is_router else "scene"


def chapter_map(story: Story, chapter_id: str) -> ChapterMap:
    inside = [s for s in story.scenes.values() if s.chapter == chapter_id and not s.is_ending]
    ids = {s.id for s in inside}
    graph = ChapterMap(chapter_id)
    succ: dict[str, list[str]] = {s.id: [] for s in inside}
    exits: dict[str, tuple[str, str]] = {}
    for scene in inside:
        roads = [(c.target, c.index, False, c.novel) for c in scene.choices]
        roads += [(r.target, i, True, False) for i, r in enumerate(scene.routes)]
        for target, index, route, novel in roads:
            node = target if target in ids else exit_key(story, target)[0]
            if target not in ids:
                exits[node] = exit_key(story, target)[1:]
            graph.edges.append(MapEdge(scene.id, node, index, route, novel))
            if node not in succ[scene.id]:
                succ[scene.id].append(node)
    entered_from_outside = {t for s in story.scenes.values() if s.chapter != chapter_id for t in s.targets}
    roots = [s.id for s in inside if s.id in entered_from_outside or s.id == story.chapter_entry(chapter_id)]
    column = _longest_paths(succ, roots or [s.id for s in inside[:1]], [s.id for s in inside])
    last = max(column.values(), default=-1) + 1
    for node in exits:
        column[node] = last
    order = _order_rows(column, [(e.src, e.dst) for e in graph.edges], [s.id for s in inside] + list(exits))
    titles = {s.id: (s.title, "router" if s.is_router else "scene") for s in inside} | exits
    for col, members in order.items():
        for index, node in enumerate(members):
            title, kind = titles[node]
            graph.nodes[node] = MapNode(node, title, kind, col, index - (len(members) - 1) / 2)
    graph.columns = last + 1 if exits else last
    graph.rows = max((len(m) for m in order.values()), default=0)
    return graph


def _longest_paths(succ: dict[str, list[str]], roots: list[str], order: list[str]) -> dict[str, int]:
    """Column of each scene: its longest distance from a root, ignoring edges that loop back."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        stack = [(node, iter(succ.get(node, [])))]
        state[node] = 1
        while stack:
            current, children = stack[-1]
            child = next((c for c in children if c in succ), None)
            if child is None:
                state[current] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((current, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ[child])))

    for root in roots + order:
        if root not in state:
            visit(root)
    column = {node: 0 for node in order}
    changed = True
    while changed:
        changed = False
        for src in order:
            for dst in succ[src]:
                if dst in column and (src, dst) not in back and column[dst] < column[src] + 1:
                    column[dst] = column[src] + 1
                    changed = True
    return column


def _order_rows(column: dict[str, int], edges: list[tuple[str, str]], file_order: list[str]) -> dict[int, list[str]]:
    """Rows within each column: file order first, then two barycentre passes over predecessors."""
    order: dict[int, list[str]] = {}
    for node in file_order:
        order.setdefault(column[node], []).append(node)
    preds: dict[str, list[str]] = {}
    for src, dst in edges:
        preds.setdefault(dst, []).append(src)
    for _ in range(2):
        position = {n: i - (len(m) - 1) / 2 for m in order.values() for i, n in enumerate(m)}
        for col in sorted(order)[1:]:
            order[col].sort(key=lambda node, col=col, position=position: _centre(node, col, preds, column, position))
            position.update({n: i - (len(order[col]) - 1) / 2 for i, n in enumerate(order[col])})
    return dict(sorted(order.items()))


def _centre(node: str, col: int, preds: dict[str, list[str]], column: dict[str, int],
            position: dict[str, float]) -> float:
    """The mean row of a node's predecessors in earlier columns (its own row when it has none)."""
    sources = [position[p] for p in preds.get(node, []) if column.get(p, col) < col]
    return sum(sources) / len(sources) if sources else position[node]


def novel_path(story: Story) -> frozenset[str]:
    """The scenes the novel's Kira passes: play choosing ``novel: true`` choices while there are any."""
    key = (id(story), story.content_hash)
    cached = _novel_cache.get(key)
    if cached is not None:
        return cached
    play, _ = follow_novel(story)
    scenes = frozenset(set(play.visits) | {play.scene_id}) if play is not None else frozenset()
    _novel_cache.clear()
    _novel_cache[key] = scenes
    return scenes


def player_path(play: Playthrough) -> tuple[frozenset[str], frozenset[tuple[str, int, bool]]]:
    """The scenes this player entered, and the roads taken as (scene, choice or route index, is_route)."""
    story = play.story
    scenes = set(play.visits) | {play.scene_id}
    roads: set[tuple[str, int, bool]] = set()
    for step in play.steps:
        scene = story.scenes.get(step.scene)
        if scene is None or not 0 <= step.choice < len(scene.choices):
            continue
        roads.add((step.scene, step.choice, False))
        target = story.scenes.get(scene.choices[step.choice].target)
        if target is not None and target.is_router:
            index = next((i for i, r in enumerate(target.routes) if r.target == step.target), -1)
            roads.add((target.id, index, True))
    return frozenset(scenes), frozenset(roads)
