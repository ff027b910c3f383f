"""The story map as a Mermaid flowchart, which GitHub and many Markdown editors draw."""

from __future__ import annotations

from game.authoring.graph.build import (
    ENDING_FILL,
    ENDING_LINE,
    NOVEL_COLOUR,
    PACK_LINE,
    ROUTER_FILL,
    SCENE_LINE,
    UNREACHABLE_FILL,
    UNREACHABLE_LINE,
    MapNode,
    StoryMap,
    map_groups,
)


def _mermaid_text(text: str) -> str:
    return '"' + text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;") + '"'


def to_mermaid(smap: StoryMap) -> str:
    """A Mermaid flowchart (GitHub and many editors draw these in Markdown)."""
    mid = {nid: f"s_{nid}" for nid in smap.nodes}  # a prefix keeps ids like "end" from clashing with keywords
    out = ["flowchart TB", f"  %% {smap.title}"]
    for cid, title, members in map_groups(smap):
        out.append(f"  subgraph g_{cid}[{_mermaid_text(title)}]")
        out.append("    direction LR")
        for nid in members:
            out.append("    " + _mermaid_node(smap.nodes[nid], mid[nid]))
        out.append("  end")
    novel_links: list[int] = []
    for index, edge in enumerate(smap.edges):
        arrow = "==>" if edge.novel_path else "-.->" if edge.route else "-->"
        out.append(f"  {mid[edge.source]} {arrow} {mid[edge.target]}")
        if edge.novel_path:
            novel_links.append(index)
    out.extend(_mermaid_classes(smap, mid))
    if novel_links:
        out.append(f"  linkStyle {','.join(map(str, novel_links))} stroke:{NOVEL_COLOUR},stroke-width:4px")
    for node in smap.nodes.values():
        if node.href:
            out.append(f"  click {mid[node.id]} href {_mermaid_text(node.href)} {_mermaid_text(node.where)}")
    return "\n".join(out) + "\n"


def _mermaid_node(node: MapNode, ident: str) -> str:
    text = _mermaid_text(node.title)
    if node.kind == "ending":
        return f"{ident}([{text}])"
    if node.kind == "router":
        return f"{ident}{{{text}}}"
    return f"{ident}[{text}]"


def _mermaid_classes(smap: StoryMap, mid: dict[str, str]) -> list[str]:
    out = [f"  classDef ending fill:{ENDING_FILL},stroke:{ENDING_LINE},stroke-width:3px",
           f"  classDef router fill:{ROUTER_FILL},stroke:{SCENE_LINE}",
           f"  classDef unreachable fill:{UNREACHABLE_FILL},stroke:{UNREACHABLE_LINE},stroke-width:3px",
           f"  classDef pack stroke:{PACK_LINE},stroke-dasharray:5 3"]
    for cls, test in (("ending", lambda n: n.kind == "ending"), ("router", lambda n: n.kind == "router"),
                      ("pack", lambda n: n.from_pack), ("unreachable", lambda n: not n.reachable)):
        members = [mid[n.id] for n in smap.nodes.values() if test(n)]
        if members:
            out.append(f"  class {','.join(members)} {cls}")
    return out
