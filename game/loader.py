"""YAML story folder -> :class:`~game.model.Story`, reporting every problem.

Loading runs in two passes: the first collects the ids of all scenes,
endings, chapters and codex entries across the files; the second builds
each scene, compiling its expressions and checking every reference, so a
choice may point to a scene defined in a later file.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import Diagnostic, SourcePos, StoryError, relative_path
from .expressions import NUM, STR, suggest, type_of
from .fields import FieldReader, paragraphs_of
from .model import Chapter, Choice, CodexEntry, Effect, Ending, Paragraph, Route, Scene, Story, Template, Variable

if TYPE_CHECKING:  # only for annotations: PyYAML is imported when a file is first read
    from .yaml_source import Node

STORY_FILE = "story.yaml"
MAX_FILES = 2000
MAX_TOTAL_BYTES = 40_000_000
MAX_CHOICES = 20
MAX_TEXT_CHARS = 20_000

STORY_KEYS = ("id", "title", "author", "start", "content_note", "variables")
FILE_KEYS = ("chapters", "scenes", "endings", "codex", "extend")
VARIABLE_KEYS = ("default", "min", "max", "description")
CHAPTER_KEYS = ("id", "number", "title", "part", "reflection")
SCENE_KEYS = ("id", "title", "chapter", "date", "location", "background", "text", "choices",
              "route", "default", "unlocks", "decisive")
ENDING_KEYS = ("id", "title", "chapter", "date", "location", "background", "epilogue", "state_took",
               "could_not_take", "novel", "reflection", "unlocks")
CHOICE_KEYS = ("label", "to", "if", "locked", "effects", "novel", "aftermath", "axis")
EFFECT_OPS = ("set", "add", "subtract")
CODEX_KEYS = ("id", "kind", "title", "text")
AXES = ("individual", "state", "neutral")


@dataclass
class _Raw:
    """What the first pass found: item nodes by kind, with the file each came from."""

    scenes: dict[str, Node] = field(default_factory=dict)
    endings: dict[str, Node] = field(default_factory=dict)
    chapters: dict[str, Node] = field(default_factory=dict)
    codex: dict[str, Node] = field(default_factory=dict)
    extensions: list[Node] = field(default_factory=list)
    positions: dict[str, SourcePos] = field(default_factory=dict)


PLAN_SUFFIXES = (".plan.yaml", ".plan.yml")  # test plans for `kira explore --plan`, kept beside stories


def story_files(root: Path) -> list[Path]:
    """Every YAML file of a story folder except ``story.yaml`` and test plans, in sorted path order."""
    files = [p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
             and not p.name.endswith(PLAN_SUFFIXES)]
    return sorted((p for p in files if p != root / STORY_FILE), key=lambda p: p.relative_to(root).as_posix())


def load_story(root: str | Path, packs: Sequence[str | Path] = ()) -> Story:
    """Load a story folder (plus optional scene packs); raise :class:`StoryError` listing every problem."""
    story, problems = check_story(root, packs)
    errors = [d for d in problems if d.severity == "error"]
    if errors or story is None:
        raise StoryError(errors or problems)
    return story


def check_story(root: str | Path, packs: Sequence[str | Path] = (), use_cache: bool = True,
                ) -> tuple[Story | None, list[Diagnostic]]:
    """Load a story and return it with every diagnostic; the story is None when errors stop it.

    Big stories come from :mod:`game.story_cache` when their files have not
    changed since they were last loaded; ``use_cache=False`` always parses.
    """
    root, pack_dirs = Path(root), [Path(p) for p in packs]

    def parse() -> tuple[Story | None, list[Diagnostic]]:
        return _Loader(root, pack_dirs).run()

    with _collector_paused():
        if not use_cache or not root.is_dir():
            return parse()
        from .story_cache import cached_load

        files = [root / STORY_FILE, *story_files(root)]
        files += [path for pack in pack_dirs if pack.is_dir() for path in story_files(pack)]
        return cached_load(root, pack_dirs, files, parse)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a story loads.

    Loading allocates millions of small objects that form no cycles; the
    collector would scan them again and again, which was two thirds of the
    time spent loading a 10,000-scene story (docs/BENCHMARKS.md). Before
    it resumes, the objects made so far are moved out of its sight
    (``gc.freeze``): otherwise its first pass would still scan them all.
    They are freed as usual when nothing refers to them any more.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


class _Loader(FieldReader):
    def __init__(self, root: Path, packs: list[Path]):
        super().__init__()
        self.root = root
        self.packs = packs
        self.variables: dict[str, Variable] = {}
        self.types: dict[str, str] = {}
        self.ids: set[str] = set()
        self.raw = _Raw()
        self.hash = hashlib.sha256()
        self.files: list[str] = []

    # -- orchestration --------------------------------------------------------
    def run(self) -> tuple[Story | None, list[Diagnostic]]:
        meta = self.read_meta()
        if meta is None:
            return None, self.problems
        self.read_item_files(self.root, story_files(self.root))
        for pack in self.packs:
            if not pack.is_dir():
                self.error(SourcePos(str(pack)), "the scene pack folder does not exist")
                continue
            self.read_item_files(pack, story_files(pack), pack=True)
        scenes = self.build_scenes()
        chapters = {cid: self.build_chapter(n) for cid, n in self.raw.chapters.items()}
        codex = {cid: self.build_codex(n) for cid, n in self.raw.codex.items()}
        start = self.string(meta, "start", "story.yaml")
        if start and start not in scenes and not any(d.code == "missing-scene" for d in self.problems):
            self.error(meta.value["start"].pos, f"the start scene {start!r} does not exist",
                       suggest(start, list(scenes), "add a scene with that id"), "missing-start")
        self.check_scene_refs(scenes, chapters, codex)
        if any(d.severity == "error" for d in self.problems):
            return None, self.problems
        story = Story(
            id=self.string(meta, "id", "story.yaml"),
            title=self.string(meta, "title", "story.yaml"),
            author=self.string(meta, "author", "story.yaml"),
            start=start,
            content_note=self.string(meta, "content_note", "story.yaml").strip(),
            variables=MappingProxyType(self.variables),
            scenes=MappingProxyType(scenes),
            chapters=MappingProxyType(chapters),
            codex=MappingProxyType(codex),
            root=str(self.root),
            files=tuple(self.files),
            content_hash=self.hash.hexdigest(),
            pos=meta.pos,
        )
        return story, self.problems

    def shown(self, path: Path) -> str:
        return relative_path(path)

    def read(self, path: Path, base: Path) -> Node | None:
        real = path.resolve()
        if not real.is_relative_to(base.resolve()):
            self.error(SourcePos(self.shown(path)), "the file lies outside the story folder (a link?)",
                       "copy the file into the story folder", "unsafe-path")
            return None
        from .yaml_source import read_yaml  # not at import: a story from the cache needs no YAML

        node, problems = read_yaml(path, self.shown(path))
        self.problems.extend(problems)
        try:
            self.hash.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            pass
        self.files.append(self.shown(path))
        return node

    # -- story.yaml -----------------------------------------------------------
    def read_meta(self) -> Node | None:
        path = self.root / STORY_FILE
        if not self.root.is_dir():
            self.error(SourcePos(str(self.root)), "the story folder does not exist",
                       "pass the folder that holds story.yaml", "missing-story")
            return None
        if not path.is_file():
            self.error(SourcePos(self.shown(path)), "the story folder has no story.yaml",
                       "create story.yaml with id, title, author, start and content_note", "missing-story")
            return None
        node = self.read(path, self.root)
        if not self.expect_map(node, "story.yaml"):
            return None
        assert node is not None
        self.check_keys(node, STORY_KEYS, "story.yaml")
        for key in ("id", "title", "author", "start", "content_note"):
            self.require(node, key, "story.yaml")
        if "variables" in node.value and self.expect_map(node.value["variables"], "'variables'"):
            for name, var_node in node.value["variables"].value.items():
                self.read_variable(name, var_node, node.value["variables"].keys[name])
        return node

    def read_variable(self, name: str, node: Node, key_pos: SourcePos) -> None:
        what = f"variable {name!r}"
        if not name.isidentifier() or name.startswith("_") or name in ("and", "or", "not", "true", "false"):
            self.error(key_pos, f"{name!r} cannot be a variable name", "use letters, digits and '_'", "bad-id")
            return
        if not self.expect_map(node, what):
            return
        self.check_keys(node, VARIABLE_KEYS, what)
        default_node = self.require(node, "default", what)
        if default_node is None:
            return
        default = default_node.value
        if default is None or isinstance(default, dict | list):
            self.error(default_node.pos, f"the default of {what} must be a number, true/false or text")
            return
        if not isinstance(default, bool | int | float | str):
            default = default_node.raw
        bounds: list[float | None] = []
        for key in ("min", "max"):
            bound = node.value.get(key)
            if bound is not None and (isinstance(bound.value, bool) or not isinstance(bound.value, int | float)):
                self.error(bound.pos, f"{key!r} of {what} must be a number")
                bound = None
            if bound is not None and type_of(default) != NUM:
                self.error(bound.pos, f"{key!r} only applies to number variables")
            bounds.append(bound.value if bound is not None else None)
        low, high = bounds
        if low is not None and high is not None and low > high:
            self.error(node.pos, f"{what} has min {low} above max {high}")
        elif type_of(default) == NUM and ((low is not None and default < low) or (high is not None and default > high)):
            self.error(default_node.pos, f"the default {default} of {what} lies outside its range")
        description = self.string(node, "description", what)
        self.variables[name] = Variable(name, default, description, low, high, key_pos)
        self.types[name] = type_of(default)

    # -- first pass: collect items --------------------------------------------
    def read_item_files(self, base: Path, paths: Iterable[Path], pack: bool = False) -> None:
        paths = list(paths)
        if len(paths) > MAX_FILES:
            self.error(SourcePos(self.shown(base)), f"the story has {len(paths)} files; the limit is {MAX_FILES}")
            return
        total = sum(p.stat().st_size for p in paths)
        if total > MAX_TOTAL_BYTES:
            self.error(SourcePos(self.shown(base)), f"the story's files add up to {total:,} bytes; "
                       f"the limit is {MAX_TOTAL_BYTES:,}")
            return
        for path in paths:
            node = self.read(path, base)
            if node is None or not self.expect_map(node, "a scene file"):
                continue
            self.check_keys(node, FILE_KEYS, "a scene file")
            for kind in ("chapters", "scenes", "endings", "codex"):
                if kind in node.value:
                    for item in self.expect_list(node.value[kind], f"'{kind}'"):
                        self.collect(kind, item)
            if "extend" in node.value:
                if not pack:
                    self.warn(node.keys["extend"], "'extend' is meant for scene packs; it works here too")
                self.raw.extensions.extend(self.expect_list(node.value["extend"], "'extend'"))

    def collect(self, kind: str, item: Node) -> None:
        if not self.expect_map(item, f"an item of '{kind}'"):
            return
        ident = self.identifier(item, "id", f"an item of '{kind}'")
        if not ident:
            return
        table: dict[str, Node] = getattr(self.raw, kind)
        shared = kind in ("scenes", "endings")
        if ident in table or (shared and ident in self.ids):
            first = self.raw.positions.get(f"{shared and 'scene' or kind}:{ident}")
            where = f" (first defined at {first})" if first else ""
            self.error(item.value["id"].pos, f"duplicate id {ident!r}{where}", "ids must be unique across files",
                       "duplicate-id")
            return
        table[ident] = item
        self.raw.positions[f"{shared and 'scene' or kind}:{ident}"] = item.value["id"].pos
        if shared:
            self.ids.add(ident)

    # -- second pass: build ---------------------------------------------------
    def build_scenes(self) -> dict[str, Scene]:
        extra: dict[str, list[Node]] = {}
        for ext in self.raw.extensions:
            if self.expect_map(ext, "an item of 'extend'"):
                self.check_keys(ext, ("scene", "choices"), "an item of 'extend'")
                target = self.string(ext, "scene", "an item of 'extend'")
                if target and target not in self.raw.scenes:
                    self.error(ext.value["scene"].pos, f"'extend' names an unknown scene {target!r}",
                               suggest(target, list(self.raw.scenes), "check the id"), "missing-scene")
                elif target and "choices" in ext.value:
                    extra.setdefault(target, []).extend(self.expect_list(ext.value["choices"], "'choices'"))
        scenes = {sid: self.build_scene(sid, node, extra.get(sid, [])) for sid, node in self.raw.scenes.items()}
        scenes.update({eid: self.build_ending(eid, node) for eid, node in self.raw.endings.items()})
        return scenes

    def header(self, node: Node, what: str) -> dict[str, str]:
        return {key: self.string(node, key, what, required=False) for key in
                ("chapter", "date", "location", "background")}

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
        parts = {key: self.string(node, key, what).strip() for key in
                 ("epilogue", "state_took", "could_not_take", "novel")}
        reflection = self.string_list(node, "reflection", what)
        if not reflection:
            self.error(node.pos, f"{what} has no reflection questions", "add 'reflection:' with a list",
                       "missing-field")
        epilogue = tuple(Paragraph(Template((p,)), pos=node.pos) for _, p in paragraphs_of(parts["epilogue"]))
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
                       self.integer(node, "part", what), self.string_list(node, "reflection", what), node.pos)

    def build_codex(self, node: Node) -> CodexEntry:
        cid = self.string(node, "id", "a codex entry")
        what = f"codex entry {cid!r}"
        self.check_keys(node, CODEX_KEYS, what)
        kind = self.string(node, "kind", what)
        if kind and kind not in ("glossary", "character"):
            self.error(node.value["kind"].pos, f"the kind of {what} must be 'glossary' or 'character'")
        return CodexEntry(cid, kind, self.string(node, "title", what),
                          " ".join(self.string(node, "text", what).split()), node.pos)

    def check_scene_refs(self, scenes: dict[str, Scene], chapters: dict[str, Chapter],
                         codex: dict[str, CodexEntry]) -> None:
        for scene in scenes.values():
            if scene.chapter and scene.chapter not in chapters:
                self.error(scene.pos, f"scene {scene.id!r} names an unknown chapter {scene.chapter!r}",
                           suggest(scene.chapter, list(chapters), "declare it under 'chapters'"), "missing-chapter")
            for entry in scene.unlocks:
                if entry not in codex:
                    self.error(scene.pos, f"scene {scene.id!r} unlocks an unknown codex entry {entry!r}",
                               suggest(entry, list(codex), "add it under 'codex'"), "missing-codex")
            self.check_background(scene)

    def check_background(self, scene: Scene) -> None:
        name = scene.background
        if not name or name.replace("_", "").isalnum():
            return  # a named, generated background
        path = Path(name)
        base = self.root.resolve()
        if path.is_absolute() or ".." in path.parts or not (base / path).resolve().is_relative_to(base):
            self.error(scene.pos, f"the background {name!r} of scene {scene.id!r} leaves the story folder",
                       "use a path inside the story folder, or a background name", "unsafe-path")
        elif not _is_file(base / path):
            self.error(scene.pos, f"the background file {name!r} of scene {scene.id!r} does not exist",
                       "check the path, relative to the story folder", "missing-asset")


def _is_file(path: Path) -> bool:
    """Path.is_file, but False for names the system refuses (too long, say) instead of raising."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
