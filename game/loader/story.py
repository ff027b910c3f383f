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

from game.errors import Diagnostic, SourcePos, StoryError, relative_path
from game.loader.builders import (  # noqa: F401  (the key tables are read from here by the schema)
    AXES,
    CHAPTER_KEYS,
    CHOICE_KEYS,
    CODEX_KEYS,
    EFFECT_OPS,
    ENDING_KEYS,
    MAX_CHOICES,
    MAX_TEXT_CHARS,
    SCENE_KEYS,
    ItemBuilder,
)
from game.loader.cache import cached_load
from game.runtime.expressions import NUM, suggest, type_of
from game.runtime.model import Chapter, CodexEntry, Scene, Story, Variable

if TYPE_CHECKING:  # only for annotations: PyYAML is imported when a file is first read
    from game.loader.source import Node

STORY_FILE = "story.yaml"
MAX_FILES = 2000
MAX_TOTAL_BYTES = 40_000_000

STORY_KEYS = ("id", "title", "author", "start", "content_note", "variables")
FILE_KEYS = ("chapters", "scenes", "endings", "codex", "extend")
VARIABLE_KEYS = ("default", "min", "max", "description")


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


class _Loader(ItemBuilder):
    def __init__(self, root: Path, packs: list[Path]):
        super().__init__()
        self.root = root
        self.packs = packs
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
        from game.loader.source import read_yaml  # not at import: a story from the cache needs no YAML

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
