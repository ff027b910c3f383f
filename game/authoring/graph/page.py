"""The story map as one self-contained HTML page: the SVG map, a legend, and every scene with its file and line.

The page is rendered by jinja2 with autoescaping on; the SVG is built with
every story string escaped (:mod:`.graph_svg`), so a title in a story file
can never become markup.
"""

from __future__ import annotations

from collections import Counter

from game.authoring.graph.build import (
    EDGE_COLOUR,
    ENDING_FILL,
    ENDING_LINE,
    NOVEL_COLOUR,
    NOVEL_OTHER,
    PACK_LINE,
    ROUTER_FILL,
    SCENE_FILL,
    SCENE_LINE,
    UNREACHABLE_FILL,
    UNREACHABLE_LINE,
    WARN_LINE,
    StoryMap,
)
from game.authoring.graph.svg import dot_available, svg_builtin, svg_by_dot

LAYOUTS = ("auto", "dot", "builtin")


def map_svg(smap: StoryMap, layout: str = "auto", notes: list[str] | None = None) -> tuple[str, str]:
    """The SVG and the name of the layout that drew it ("dot" or "built-in").

    When ``auto`` falls back from dot to the built-in layout, the reason is appended to ``notes``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
    if layout == "dot" or (layout == "auto" and dot_available()):
        try:
            return svg_by_dot(smap), "graphviz dot"
        except RuntimeError as exc:
            if layout == "dot":
                raise
            if notes is not None:
                notes.append(f"{exc}; the map was drawn with the built-in layout instead")
    return svg_builtin(smap), "built-in"


def render_html(smap: StoryMap, layout: str = "auto", notes: list[str] | None = None) -> str:
    """The whole page as a string (why dot was not used, when it was not, is appended to ``notes``)."""
    import jinja2  # the `report` extra; kira graph says how to install it when missing
    from markupsafe import Markup  # installed with jinja2

    svg, used = map_svg(smap, layout, notes)
    env = jinja2.Environment(loader=jinja2.PackageLoader("game.authoring", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    kinds = Counter(n.kind for n in smap.nodes.values())
    titles = {c.id: c.title for c in smap.chapters}
    pack_lanes = [c.id for c in smap.chapters if c.id.startswith("pack_")]
    scenes = sorted(smap.nodes.values(), key=lambda n: (n.path, n.line))
    return env.get_template("map.html.j2").render(
        smap=smap, svg=svg, layout=used, kinds=kinds, scenes=scenes, chapter_titles=titles, pack_lanes=pack_lanes,
        path_length=sum(1 for n in smap.nodes.values() if n.on_novel_path),
        colours={"edge": EDGE_COLOUR, "novel": NOVEL_COLOUR, "other": NOVEL_OTHER, "pack": PACK_LINE, "warn": WARN_LINE,
                 "ending_fill": ENDING_FILL, "ending_line": ENDING_LINE, "router": ROUTER_FILL,
                 "scene_fill": SCENE_FILL, "scene_line": SCENE_LINE,
                 "bad_fill": UNREACHABLE_FILL, "bad_line": UNREACHABLE_LINE},
        markup=Markup)
