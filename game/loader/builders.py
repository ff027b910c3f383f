"""Building the story's items (scenes, choices, effects, routers, endings, chapters, codex entries)
from positioned YAML nodes.

:class:`ItemBuilder` holds what is known about the story once every file
has been read (its variables and their types, and every id), so that
each item can check its references as it is built. The loader
(:mod:`game.loader`) finds and reads the files and runs the builders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from game.errors import SourcePos
from game.loader.fields import FieldReader, paragraphs_of
from game.runtime.expressions import NUM, STR, suggest
from game.runtime.model import Chapter, Choice, CodexEntry, Effect, Ending, Paragraph, Route, Scene, Template, Variable

if TYPE_CHECKING:  # only for annotations: PyYAML is imported when a file is first read
    from game.loader.source import Node

MAX_CHOICES = 20
MAX_TEXT_CHARS = 20_000

CHAPTER_KEYS = ("id", "number", "title", "part", "reflection")
SCENE_KEYS = ("id", "title", "chapter", "date", "location", "background", "text", "choices",
              "route", "default", "unlocks", "decisive")
ENDING_KEYS = ("id", "title", "chapter", "date", "location", "background", "epilogue", "state_took",
               "could_not_take", "novel", "reflection", "unlocks")
CHOICE_KEYS = ("label", "to", "if", "locked", "effects", "novel", "aftermath", "axis")
EFFECT_OPS = ("set", "add", "subtract")
CODEX_KEYS = ("id", "kind", "title", "text")
AXES = ("individual", "state", "neutral")


class Header(TypedDict):
    """The fields every scene and ending may have above its text."""

    chapter: str
    date: str
    location: str
    background: str
    background_pos: SourcePos


class ItemBuilder(FieldReader):
    """Builds model items from nodes, given the story's variables and ids (filled in by the loader)."""

    def __init__(self) -> None:
        super().__init__()
        self.variables: dict[str, Variable] = {}
        self.types: dict[str, str] = {}
        self.ids: set[str] = set()

    def header(self, node: Node, what: str) -> Header:
        return Header(chapter=self.string(node, "chapter", what, required=False),
                      date=self.string(node, "date", what, required=False),
                      location=self.string(node, "location", what, required=False),
                      background=self.string(node, "background", what, required=False),
                      background_pos=node.keys.get("background", node.pos))

    def build_scene(self, sid: str, node: Node, extra_choices: list[Node]) -> Scene:
        what = f"scene {sid!r}"
        self.check_keys(node, SCENE_KEYS, what)
        title = self.string(node, "title", what, required="route" not in node.value, default=sid)
        header = self.header(node, what)
        unlocks = self.string_list(node, "unlocks", what)
        if "route" in node.value:
            for key in ("text", "choices"):
                if key in node.value:
                    self.error(node.keys[key], f"router {what} cannot have {key!r}",
                               "a router only has 'route' and 'default'", "router")
            return Scene(sid, title, routes=self.build_routes(node, what), unlocks=unlocks, pos=node.pos, **header)
        if "default" in node.value:
            self.error(node.keys["default"], f"'default' belongs to routers, but {what} has no 'route'")
        paragraphs = self.build_text(node.value.get("text"), what)
        if "text" not in node.value:
            self.error(node.pos, f"{what} has no 'text'", "add the prose under 'text: |'", "missing-field")
        choice_nodes = self.expect_list(node.value["choices"], "'choices'") if "choices" in node.value else []
        choice_nodes = choice_nodes + extra_choices
        if not choice_nodes:
            self.error(node.pos, f"{what} has no choices",
                       "add 'choices', or make it an ending under 'endings'", "no-choices")
        if len(choice_nodes) > MAX_CHOICES:
            self.error(node.pos, f"{what} has {len(choice_nodes)} choices; the limit is {MAX_CHOICES}")
        choices = tuple(c for c in (self.build_choice(i, n, what) for i, n in enumerate(choice_nodes))
                        if c is not None)
        return Scene(sid, title, paragraphs=paragraphs, choices=choices, unlocks=unlocks,
                     decisive=self.boolean(node, "decisive", what), pos=node.pos, **header)

    def build_text(self, node: Node | None, what: str) -> tuple[Paragraph, ...]:
        if node is None:
            return ()
        items = node.value if node.is_list else [node]
        result: list[Paragraph] = []
        for item in items:
            if item.is_map:
                result.extend(self.conditional_paragraph(item, what))
                continue
            text = self.as_string(item, f"the text of {what}")
            if len(text) > MAX_TEXT_CHARS:
                self.error(item.pos, f"the text of {what} is longer than {MAX_TEXT_CHARS:,} characters",
                           "split the scene in two")
                continue
            for offset, para in paragraphs_of(text):
                pos = item.pos
                if item.style == "|":
                    pos = SourcePos(pos.path, pos.line + 1 + offset, pos.col + 2)
                result.append(Paragraph(self.template(item, para, self.types), pos=pos))
        return tuple(result)

    def conditional_paragraph(self, item: Node, what: str) -> list[Paragraph]:
        if "if" not in item.value and len(item.value) == 1 and " " in next(iter(item.value)):
            self.error(item.pos, f"a paragraph of {what} was read as 'key: value' because it contains ': '",
                       "put the whole paragraph in quotes, or use a '|' block", "yaml-colon")
            return []
        self.check_keys(item, ("if", "text", "else"), f"a conditional paragraph of {what}")
        cond_node = self.require(item, "if", f"a conditional paragraph of {what}")
        cond = self.expression(cond_node, self.types, self.ids, "the condition") if cond_node else None
        if cond is not None and cond.type != "boolean":
            self.error(cond_node.pos if cond_node else item.pos, "a paragraph's 'if' must be true or false")
        text = " ".join(self.string(item, "text", f"a conditional paragraph of {what}").split())
        other = " ".join(self.string(item, "else", what, required=False).split())
        return [Paragraph(self.template(item, text, self.types), cond,
                          self.template(item, other, self.types) if other else None, item.pos)]

    def build_choice(self, index: int, node: Node, what: str) -> Choice | None:
        where = f"choice {index + 1} of {what}"
        if not self.expect_map(node, where):
            return None
        self.check_keys(node, CHOICE_KEYS, where)
        label_text = self.string(node, "label", where)
        if "label" in node.value and isinstance(node.value["label"].value, str) and not label_text.strip():
            self.error(node.value["label"].pos, f"{where} has an empty label",
                       "write what the player does: an empty label would show as a blank button", "empty-label")
        target = self.identifier(node, "to", where)
        target_pos = node.value["to"].pos if "to" in node.value else node.pos
        if target and target not in self.ids:
            self.error(target_pos, f"{where} leads to an unknown scene {target!r}",
                       suggest(target, sorted(self.ids), "add a scene with that id"), "missing-scene")
        condition = None
        if "if" in node.value:
            condition = self.expression(node.value["if"], self.types, self.ids, f"the 'if' of {where}")
            if condition is not None and condition.type != "boolean":
                self.error(node.value["if"].pos, f"the 'if' of {where} must be true or false, not a {condition.type}")
        axis = self.string(node, "axis", where, required=False)
        if axis and axis not in AXES:
            self.error(node.value["axis"].pos, f"axis must be one of {', '.join(AXES)}")
        aftermath = self.string(node, "aftermath", where, required=False)
        return Choice(
            index=index,
            label=self.template(node.value.get("label", node), " ".join(label_text.split()), self.types),
            target=target,
            condition=condition,
            locked_reason=self.string(node, "locked", where, required=False),
            effects=self.build_effects(node.value.get("effects"), where),
            novel=self.boolean(node, "novel", where),
            aftermath=self.template(node, " ".join(aftermath.split()), self.types) if aftermath else None,
            axis=axis,
            pos=node.pos,
            target_pos=target_pos,
            condition_pos=node.value["if"].pos if "if" in node.value else node.pos,
        )

    def build_effects(self, node: Node | None, where: str) -> tuple[Effect, ...]:
        if node is None or not self.expect_map(node, f"'effects' of {where}"):
            return ()
        self.check_keys(node, EFFECT_OPS, f"'effects' of {where}")
        effects: list[Effect] = []
        for op in EFFECT_OPS:
            group = node.value.get(op)
            if group is None or not self.expect_map(group, f"'{op}' of {where}"):
                continue
            for name, value_node in group.value.items():
                key_pos = group.keys[name]
                if name not in self.variables:
                    self.error(key_pos, f"'{op}' changes an unknown variable {name!r}",
                               suggest(name, list(self.variables), "declare it in story.yaml"), "unknown-variable")
                    continue
                expr = self.expression(value_node, self.types, self.ids, f"the value of {name!r}")
                if expr is None:
                    continue
                wanted = self.types[name]
                if op != "set" and wanted != NUM:
                    self.error(key_pos, f"'{op}' needs a number variable, but {name!r} is a {wanted}",
                               "use 'set' for true/false and text")
                elif expr.type != wanted:
                    hint = "to set text, quote it twice: \"'word'\"" if wanted == STR else ""
                    self.error(value_node.pos, f"{name!r} is a {wanted}, but this value is a {expr.type}", hint)
                else:
                    effects.append(Effect(op, name, expr, value_node.pos))
        return tuple(effects)

    def build_routes(self, node: Node, what: str) -> tuple[Route, ...]:
        routes: list[Route] = []
        for item in self.expect_list(node.value["route"], f"'route' of {what}"):
            if not self.expect_map(item, f"a route of {what}"):
                continue
            self.check_keys(item, ("if", "to"), f"a route of {what}")
            cond_node = self.require(item, "if", f"a route of {what}")
            cond = self.expression(cond_node, self.types, self.ids, "the route's 'if'") if cond_node else None
            target = self.route_target(item, "to", what)
            if target and cond is not None:
                routes.append(Route(target, cond, item.pos))
        default = self.route_target(node, "default", what) if "default" in node.value else ""
        if not default:
            self.error(node.pos, f"router {what} has no 'default'",
                       "add 'default: scene_id' for when no route matches", "router-without-default")
        else:
            routes.append(Route(default, None, node.value["default"].pos))
        return tuple(routes)

    def route_target(self, node: Node, key: str, what: str) -> str:
        target = self.identifier(node, key, what)
        if target and target not in self.ids:
            self.error(node.value[key].pos, f"{what} routes to an unknown scene {target!r}",
                       suggest(target, sorted(self.ids), "add a scene with that id"), "missing-scene")
        return target

    def build_ending(self, eid: str, node: Node) -> Scene:
        what = f"ending {eid!r}"
        self.check_keys(node, ENDING_KEYS, what)
        written = node.value.get("epilogue")
        if written is not None and written.is_list:  # written like a scene's text: paragraphs may have 'if'
            epilogue = self.build_text(written, what)
            plain = "\n\n".join(p.text.raw for p in epilogue if p.condition is None)
        else:
            plain = self.string(node, "epilogue", what).strip()
            epilogue = tuple(Paragraph(Template((p,)), pos=node.pos) for _, p in paragraphs_of(plain))
        parts = {key: self.string(node, key, what).strip() for key in ("state_took", "could_not_take", "novel")}
        parts["epilogue"] = plain
        reflection = self.build_questions(node, what)
        if not reflection:
            self.error(node.pos, f"{what} has no reflection questions", "add 'reflection:' with a list",
                       "missing-field")
        return Scene(eid, self.string(node, "title", what), paragraphs=epilogue,
                     unlocks=self.string_list(node, "unlocks", what),
                     ending=Ending(parts["epilogue"], parts["state_took"], parts["could_not_take"],
                                   parts["novel"], reflection),
                     pos=node.pos, **self.header(node, what))

    def build_chapter(self, node: Node) -> Chapter:
        cid = self.string(node, "id", "a chapter")
        what = f"chapter {cid!r}"
        self.check_keys(node, CHAPTER_KEYS, what)
        return Chapter(cid, self.integer(node, "number", what, required=True), self.string(node, "title", what),
                       self.integer(node, "part", what), self.build_questions(node, what), node.pos)

    def build_questions(self, node: Node, what: str) -> tuple[Paragraph, ...]:
        """Reflection questions: plain strings, or ``{text, if, else}`` asked only when ``if`` holds."""
        child = node.value.get("reflection")
        if child is None:
            return ()
        items = child.value if child.is_list else [child]
        result: list[Paragraph] = []
        for item in items:
            if item.is_map:
                result.extend(self.conditional_paragraph(item, f"the reflection of {what}"))
            else:
                text = " ".join(self.as_string(item, f"a reflection question of {what}").split())
                result.append(Paragraph(self.template(item, text, self.types), pos=item.pos))
        return tuple(result)

    def build_codex(self, node: Node) -> CodexEntry:
        cid = self.string(node, "id", "a codex entry")
        what = f"codex entry {cid!r}"
        self.check_keys(node, CODEX_KEYS, what)
        kind = self.string(node, "kind", what)
        if kind and kind not in ("glossary", "character"):
            self.error(node.value["kind"].pos, f"the kind of {what} must be 'glossary' or 'character'")
        return CodexEntry(cid, kind, self.string(node, "title", what),
                          " ".join(self.string(node, "text", what).split()), node.pos)
