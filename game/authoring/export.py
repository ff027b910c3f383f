"""Export a story to Twee 3 for Twine, in the SugarCube story format.

What carries over: every scene, router and ending as a passage (tagged with
its chapter, and ``ending``/``router``); choices as links whose setters
apply the effects (clamped to each variable's range) and show the
aftermath; conditions as ``<<if>>``; conditional paragraphs; variables
and their defaults (``StoryInit``); ``visited()``; routers as ``<<goto>>``;
the content note as the first passage; the codex as unlinked passages.
What Twine cannot use (chapter titles and reflections, codex unlocking,
``decisive``, ``novel``, ``axis``, backgrounds) is kept in SugarCube
comments beside the passage or link it belongs to; the rest (saves, the
teachers' tools) is listed in docs/AUTHORING.md.

SugarCube fits best: its ``<<set>>``/``<<if>>`` and link setters express
every effect and condition the story language has.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from game.authoring.graph.build import build_map, map_groups
from game.authoring.graph.layout import layout_map
from game.runtime.expressions import tokenize
from game.runtime.model import Choice, Effect, Paragraph, Scene, Story, Template, Variable

FORMAT, FORMAT_VERSION = "SugarCube", "2.37.3"
CONTENT_NOTE = "Content note"  # passage names with a space can never clash with a scene id
AFTERMATH = "aftermath"  # a story variable name the export adds; renamed if the story has its own
TILE, BAND_GAP = 150, 100  # Twine's passage grid, in pixels
NOT_CARRIED = (
    "chapter titles and reflection questions, codex unlocking, 'decisive' and 'axis' marks, "
    "backgrounds, the comparison with the novel at the end, saves and the teachers' tools"
)
_MARKUP = re.compile(r"''|//|__|==|\^\^|~~|@@|<|>|\[\[|\]\]|\{\{\{|\}\}\}|/\*|\*/|\$|\"\"\"|^[!*#>]")
_LINK_UNSAFE = str.maketrans({"[": "(", "]": ")", "|": "/"})


def story_ifid(story: Story) -> str:
    """A stable IFID: a UUID in version-4 form made from the story id, so every export of a story shares it."""
    digest = hashlib.sha256(f"we-the-living:{story.id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4)).upper()


def to_twee(story: Story) -> str:
    """The whole story as Twee 3 text."""
    aftermath = AFTERMATH if AFTERMATH not in story.variables else "kira_aftermath"
    exporter = _Exporter(story, aftermath)
    return exporter.render()


class _Exporter:
    def __init__(self, story: Story, aftermath: str):
        self.story = story
        self.aftermath = aftermath
        self.positions = _positions(story)

    def render(self) -> str:
        story = self.story
        data = {"ifid": story_ifid(story), "format": FORMAT, "format-version": FORMAT_VERSION,
                "start": CONTENT_NOTE, "tag-colors": {"ending": "yellow", "router": "blue", "codex": "purple"},
                "zoom": 0.6}
        out = [":: StoryTitle", story.title, "", ":: StoryData", json.dumps(data, indent=2), ""]
        out += self.passage("StoryInit", [], self.story_init(), (25, 25))
        out += self.passage("PassageHeader", [], [f"<<if ${self.aftermath}>>//<<- ${self.aftermath}>>//"
                                                  f"<<set ${self.aftermath} to \"\">><</if>>"], (175, 25))
        out += self.passage(CONTENT_NOTE, [], [f"''{_plain(story.title)}''", "", _plain(story.content_note), "",
                                               f"[[Begin|{story.start}]]"], (325, 25))
        for scene in story.scenes.values():
            body = self.ending(scene) if scene.is_ending else self.router(scene) if scene.is_router \
                else self.scene(scene)
            out += self.passage(scene.id, self.tags(scene), body, self.positions.get(scene.id, (25, 25)))
        for index, entry in enumerate(story.codex.values()):
            out += self.passage(f"Codex: {entry.title}", ["codex", entry.kind],
                                [f"''{_plain(entry.title)}''", "", _plain(entry.text)],
                                (25 + (index % 12) * TILE, self.codex_top() + (index // 12) * TILE))
        return "\n".join(out).rstrip() + "\n"

    # -- passages ---------------------------------------------------------------
    @staticmethod
    def passage(name: str, tags: list[str], body: list[str], pos: tuple[int, int]) -> list[str]:
        tag_block = f" [{' '.join(tags)}]" if tags else ""
        meta = json.dumps({"position": f"{pos[0]},{pos[1]}", "size": "100,100"}, separators=(",", ":"))
        return [f":: {_escape_name(name)}{tag_block} {meta}", *body, ""]

    @staticmethod
    def tags(scene: Scene) -> list[str]:
        tags = [scene.chapter] if scene.chapter else []
        if scene.is_ending:
            tags.append("ending")
        if scene.is_router:
            tags.append("router")
        return tags

    def story_init(self) -> list[str]:
        note = f"/* Exported from {self.story.id} by kira export --twee. Not carried over: {NOT_CARRIED}. */"
        lines = [f"<<set ${name} to {_js_value(var.default)}>>" for name, var in self.story.variables.items()]
        return [note, *lines, f"<<set ${self.aftermath} to \"\">>"]

    def heading(self, scene: Scene) -> list[str]:
        where = " · ".join(part for part in (scene.date, scene.location) if part)
        head = [f"''{_plain(scene.title)}''"] + ([f"//{_plain(where)}//"] if where else [])
        return head + self.kept_as_comments(scene) + [""]

    def kept_as_comments(self, scene: Scene) -> list[str]:
        """What Twine cannot use, kept in SugarCube comments so that nothing written is lost."""
        notes = []
        chapter = self.story.chapters.get(scene.chapter)
        if chapter is not None and self.story.chapter_entry(chapter.id) == scene.id:
            asked = " ".join(q.text.raw for q in chapter.reflection)
            notes.append(f"{chapter.title} begins here" + (f"; asked when it ends: {asked}" if asked else ""))
        if scene.background:
            notes.append(f"background: {scene.background}")
        if scene.unlocks:
            notes.append(f"unlocks the codex entries: {', '.join(scene.unlocks)}")
        if scene.decisive:
            notes.append("decisive: reports show how players split here")
        return [_comment(note) for note in notes]

    def scene(self, scene: Scene) -> list[str]:
        body = self.heading(scene)
        for para in scene.paragraphs:
            body += [self.paragraph(para), ""]
        body += [self.choice(choice) for choice in scene.choices]
        return body

    def paragraph(self, para: Paragraph) -> str:
        text = self.template(para.text)
        if para.condition is None:
            return text
        other = f"<<else>>{self.template(para.otherwise)}" if para.otherwise else ""
        return f"<<if {self.expression(para.condition.source)}>>{text}{other}<</if>>"

    def choice(self, choice: Choice) -> str:
        label = choice.label.raw.translate(_LINK_UNSAFE).replace("->", "→").replace("<-", "←")
        setter = self.setter(choice)
        link = f"[[{label}|{choice.target}][{setter}]]" if setter else f"[[{label}|{choice.target}]]"
        marks = ", ".join(m for m in ("novel: what Kira does in the novel" if choice.novel else "",
                                      f"axis: {choice.axis}" if choice.axis else "") if m)
        link += f" {_comment(marks)}" if marks else ""
        if choice.condition is None:
            return link
        locked = f"<<else>>{_plain(label)} //({_plain(choice.locked_reason)})//" if choice.locked_reason else ""
        return f"<<if {self.expression(choice.condition.source)}>>{link}{locked}<</if>>"

    def router(self, scene: Scene) -> list[str]:
        parts = []
        for index, route in enumerate(scene.routes):
            if route.condition is None:
                parts.append(f"<<else>><<goto [[{route.target}]]>>" if index else f"<<goto [[{route.target}]]>>")
            else:
                word = "if" if index == 0 else "elseif"
                parts.append(f"<<{word} {self.expression(route.condition.source)}>><<goto [[{route.target}]]>>")
        closing = "<</if>>" if scene.routes and scene.routes[0].condition is not None else ""
        return ["/* a router: it sends the player on at once */", "".join(parts) + closing]

    def ending(self, scene: Scene) -> list[str]:
        ending = scene.ending
        assert ending is not None
        body = [*self.heading(scene), _plain(ending.epilogue), ""]
        for title, text in (("What the state took", ending.state_took),
                            ("What it could not take", ending.could_not_take), ("In the novel", ending.novel)):
            if text:
                body += [f"!!{title}", _plain(text), ""]
        body += ["!!Questions to think about", *[f"* {_plain(q.text.raw)}" for q in ending.reflection], "",
                 "<<link \"Start again\">><<run Engine.restart()>><</link>>"]
        return body

    def codex_top(self) -> int:
        return max((y for _, y in self.positions.values()), default=0) + TILE + BAND_GAP

    # -- expressions, effects and text ------------------------------------------
    def expression(self, source: str) -> str:
        """The story language in TwineScript: variables get a ``$``, min/max come from Math."""
        words = {"min": "Math.min", "max": "Math.max", "==": "===", "!=": "!==",
                 "True": "true", "False": "false"}  # a YAML true/false is kept as Python's repr
        out: list[str] = []
        previous = ""
        for tok in tokenize(source)[:-1]:  # the last token marks the end
            if tok.kind == "name" and tok.text in self.story.variables:
                text = f"${tok.text}"
            elif tok.kind in ("name", "op"):
                text = words.get(tok.text, tok.text)  # and, or, not, true, false are TwineScript too
            else:
                text = tok.text
            call = tok.text == "(" and previous in ("min", "max", "visited")
            if out and not (text in (")", ",") or previous == "(" or call):
                out.append(" ")
            out.append(text)
            previous = tok.text
        return "".join(out)

    def setter(self, choice: Choice) -> str:
        """The link's setter: the aftermath first (it shows the variables before the choice), then the effects.

        Effects read the variables as they were before the choice, as in the engine;
        values that read variables are taken into temporary variables first.
        """
        parts = []
        if choice.aftermath is not None:
            parts.append(f"${self.aftermath} to {self.template_js(choice.aftermath)}")
        values = []
        for index, effect in enumerate(choice.effects):
            value = self.expression(effect.value.source)
            if effect.value.names or effect.value.scenes:
                parts.append(f"_e{index} to {value}")
                value = f"_e{index}"
            values.append(value)
        for effect, value in zip(choice.effects, values, strict=True):
            parts.append(f"${effect.variable} to {self.effect_value(effect, value)}")
        return "; ".join(parts).replace("]", "\\u005D").replace("[", "\\u005B")

    def effect_value(self, effect: Effect, value: str) -> str:
        var: Variable = self.story.variables[effect.variable]
        if effect.op == "set":
            combined = value
        else:
            combined = f"${effect.variable} {'+' if effect.op == 'add' else '-'} {value}"
        if var.minimum is not None and var.maximum is not None:
            return f"Math.clamp({combined}, {_js_value(var.minimum)}, {_js_value(var.maximum)})"
        if var.minimum is not None:
            return f"Math.max({combined}, {_js_value(var.minimum)})"
        if var.maximum is not None:
            return f"Math.min({combined}, {_js_value(var.maximum)})"
        return combined

    def template(self, template: Template | None) -> str:
        """Text with ``{name}`` holes as SugarCube passage text: holes become ``<<= $name>>``."""
        if template is None:
            return ""
        parts = template.parts
        return "".join(_inline(p) if i % 2 == 0 else f"<<= ${p}>>" for i, p in enumerate(parts))

    def template_js(self, template: Template) -> str:
        parts = template.parts
        pieces = [json.dumps(p) if i % 2 == 0 else f"String(${p})" for i, p in enumerate(parts) if p or i % 2]
        return " + ".join(pieces) or '""'


def _plain(text: str) -> str:
    """Prose kept as written: paragraphs on one line each, any SugarCube markup inside nowiki quotes."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(f'"""{p}"""' if _MARKUP.search(p) and '"""' not in p else p for p in paragraphs)


def _comment(text: str) -> str:
    return "/* " + " ".join(text.replace("*/", "* /").split()) + " */"


def _inline(text: str) -> str:
    """A piece of a line between variable holes: like :func:`_plain`, but keeping the spaces at its ends."""
    if not text.strip():
        return " " if text else ""
    lead, trail = " " if text[0].isspace() else "", " " if text[-1].isspace() else ""
    body = " ".join(text.split())
    return lead + (f'"""{body}"""' if _MARKUP.search(body) and '"""' not in body else body) + trail


def _js_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value)


def _escape_name(name: str) -> str:
    return re.sub(r"([\\\[\]{}])", r"\\\1", name)


def _positions(story: Story) -> dict[str, tuple[int, int]]:
    """Twine map positions from the story map's layout: one band of tiles per chapter."""
    smap = build_map(story)
    lay = layout_map(smap)
    top, out = 25 + TILE, {}
    for _, _, members in map_groups(smap):
        for nid in members:
            box = lay.boxes[nid]
            out[nid] = (25 + box.col * TILE, top + box.slot * TILE)
        top += (1 + max(lay.boxes[m].slot for m in members)) * TILE + BAND_GAP
    return out
