"""Reading a story folder's YAML into a :class:`~game.runtime.model.Story`, reporting every problem.

Reading runs in two passes: the first collects the ids of all scenes,
endings, chapters and codex entries across the files; the second builds
each scene, compiling its expressions and checking every reference, so a
choice may point to a scene defined in a later file. A story that comes
back from the cache (game/loader/cache.py) never imports this module.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from game.errors import Diagnostic, SourcePos, relative_path
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
from game.loader.files import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    STORY_FILE,
    FileRefused,
    read_limited,
    scan_story_files,
)
from game.runtime.expressions import NUM, number_problem, suggest, type_of
from game.runtime.model import Chapter, CodexEntry, Scene, Story, Variable

if TYPE_CHECKING:  # only for annotations: PyYAML is imported when a file is first read
    from game.loader.source import Node

STORY_KEYS = ("id", "title", "author", "start", "content_note", "variables")
FILE_KEYS = ("chapters", "scenes", "endings", "codex", "extend")
VARIABLE_KEYS = ("default", "min", "max", "description")
PACK_STORY_KEYS = ("title", "author", "variables")  # what a pack's own story.yaml may hold


@dataclass
class _Raw:
    """What the first pass found: item nodes by kind, with the file each came from."""

    scenes: dict[str, Node] = field(default_factory=dict)
    endings: dict[str, Node] = field(default_factory=dict)
    chapters: dict[str, Node] = field(default_factory=dict)
    codex: dict[str, Node] = field(default_factory=dict)
    extensions: list[Node] = field(default_factory=list)
    positions: dict[str, SourcePos] = field(default_factory=dict)


class StoryReader(ItemBuilder):
    """One read of a story folder (and its packs): ``run()`` gives the story, or None, and every problem."""


    def __init__(self, root: Path, packs: list[Path], overlay: Mapping[Path, str] | None = None):
        super().__init__()
        self.root = root
        self.packs = packs
        self.overlay = {Path(os.path.abspath(p)): text.encode() for p, text in (overlay or {}).items()}
        self.raw = _Raw()
        self.hash = hashlib.sha256()
        self.files: list[str] = []
        self.unreadable: list[str] = []  # files that could not be read at all (YAML syntax...)
        self.partial: Story | None = None  # when errors stop the load: what could be built, for the linter

    # -- orchestration --------------------------------------------------------
    def run(self) -> tuple[Story | None, list[Diagnostic]]:
        meta = self.read_meta()
        if meta is None:
            return None, self.problems
        packs = [pack for pack in self.packs if pack.is_dir()]
        for pack in self.packs:
            if not pack.is_dir():
                self.error(SourcePos(str(pack)), "the scene pack folder does not exist",
                           "pass the folder that holds the pack's scene files", "missing-story")
        for pack in packs:
            self.read_pack_meta(pack)
        self.read_item_files(self.root, self.files_of(self.root))
        for pack in packs:
            self.read_item_files(pack, self.files_of(pack), pack=True)
        scenes = self.build_scenes()
        chapters = {cid: self.build_chapter(n) for cid, n in self.raw.chapters.items()}
        codex = {cid: self.build_codex(n) for cid, n in self.raw.codex.items()}
        start = self.string(meta, "start", "story.yaml")
        if start and start not in scenes and not any(d.code == "missing-scene" for d in self.problems):
            self.error(meta.value["start"].pos, f"the start scene {start!r} does not exist",
                       suggest(start, list(scenes), "add a scene with that id"), "missing-start")
        self.check_scene_refs(scenes, chapters, codex)
        if self.unreadable:
            self.hold_back_follow_ons()
        self.point_hints_at_packs()
        if any(d.severity == "error" for d in self.problems):
            if start in scenes:
                self.partial = self.make_story(meta, start, _linked_only(scenes), chapters, codex)
            return None, self.problems
        return self.make_story(meta, start, scenes, chapters, codex), self.problems

    def make_story(self, meta: Node, start: str, scenes: dict[str, Scene], chapters: dict[str, Chapter],
                   codex: dict[str, CodexEntry]) -> Story:
        return Story(
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

    def hold_back_follow_ons(self) -> None:
        """Drop "unknown scene/chapter/codex" errors while a file cannot be read: its ids are missing, so
        those errors are most likely wrong (a tab in one file gave "did you mean" errors in another)."""
        follow_ons = ("missing-scene", "missing-start", "missing-chapter", "missing-codex")
        kept = [d for d in self.problems if d.code not in follow_ons]
        if len(kept) == len(self.problems):
            return
        held = len(self.problems) - len(kept)
        files = ", ".join(self.unreadable)
        self.problems = kept
        self.problems.append(Diagnostic("held-back", "warning", SourcePos(self.unreadable[0]),
                                        f"{held} error(s) about unknown scenes, chapters or codex entries are not "
                                        f"shown until {files} can be read: they may name ids defined there",
                                        "fix the YAML error first"))

    def files_of(self, folder: Path) -> list[Path]:
        files, problem = scan_story_files(folder)
        if problem is not None:
            self.problems.append(problem)
        return files

    def shown(self, path: Path) -> str:
        return relative_path(path)

    def read(self, path: Path, base: Path) -> Node | None:
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a loop of links
            self.error(SourcePos(self.shown(path)), "the file is a link that leads round in a loop",
                       "replace the link with the file itself", "unsafe-path")
            return None
        if not real.is_relative_to(base.resolve()):
            self.error(SourcePos(self.shown(path)), "the file lies outside the story folder (a link?)",
                       "copy the file into the story folder", "unsafe-path")
            return None
        from game.loader.source import file_problem, parse_yaml  # a cached story needs no YAML

        self.files.append(self.shown(path))
        unsaved = self.overlay.get(Path(os.path.abspath(path)))  # an editor's text, not yet saved
        try:
            data = read_limited(path, MAX_FILE_BYTES) if unsaved is None else unsaved
            if len(data) > MAX_FILE_BYTES:
                raise FileRefused(path, f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        except OSError as exc:
            self.problems.append(file_problem(exc, self.shown(path)))
            self.unreadable.append(self.shown(path))
            return None
        node, problems = parse_yaml(data, self.shown(path))
        self.problems.extend(problems)
        if node is None:
            self.unreadable.append(self.shown(path))
        self.hash.update(path.relative_to(base).as_posix().encode() + b"\0" + data + b"\0")
        return node

    # -- a pack's own story.yaml ----------------------------------------------
    def read_pack_meta(self, pack: Path) -> None:
        """A pack may declare its own variables in its story.yaml (and name itself); nothing else."""
        path = pack / STORY_FILE
        if not path.is_file():
            return
        node = self.read(path, pack)
        what = f"the pack's {STORY_FILE}"
        if node is None or not self.expect_map(node, what):
            return
        for key, pos in node.keys.items():
            if key not in PACK_STORY_KEYS:
                why = "the story's own story.yaml decides it" if key in STORY_KEYS else "no story.yaml has it"
                self.error(pos, f"a pack's story.yaml cannot set {key!r}: {why}",
                           f"a pack's story.yaml may hold only {', '.join(PACK_STORY_KEYS)}", "pack-story")
        for key in ("title", "author"):
            if key in node.value:
                self.string(node, key, what)
        table = node.value.get("variables")
        if table is None or not self.expect_map(table, "'variables'"):
            return
        for name, var_node in table.value.items():
            if name in self.variables:
                first = self.variables[name].pos
                self.error(table.keys[name], f"the pack declares {name!r} again (first declared at {first})",
                           "use the story's variable as it is, or give the pack's own a new name", "duplicate-id")
                continue
            self.read_variable(name, var_node, table.keys[name])

    def point_hints_at_packs(self) -> None:
        """"Declare it in story.yaml" means the pack's own story.yaml when the mistake is in a pack."""
        for i, d in enumerate(self.problems):
            if d.code != "unknown-variable" or "story.yaml" not in d.hint:
                continue
            for pack in self.packs:
                shown = self.shown(pack)
                if d.pos.path.startswith(shown + os.sep):
                    hint = d.hint.replace("story.yaml", f"{os.path.join(shown, STORY_FILE)} (a pack may declare "
                                          "its own variables there)")
                    self.problems[i] = Diagnostic(d.code, d.severity, d.pos, d.message, hint)
                    break

    # -- story.yaml -----------------------------------------------------------
    def read_meta(self) -> Node | None:
        path = self.root / STORY_FILE
        if not self.root.is_dir():
            self.error(SourcePos(str(self.root)), "the story folder does not exist",
                       "pass the folder that holds story.yaml", "missing-story")
            return None
        if not os.path.lexists(path):  # a FIFO or a link by that name is read, and refused with its reason
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
        if "id" in node.value:
            self.identifier(node, "id", "story.yaml")  # it names the folder of the story's saves
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
        if number_problem(default):
            self.error(default_node.pos, f"the default of {what}: {number_problem(default)}",
                       "write an ordinary number", "bad-number")
            return
        bounds: list[float | None] = []
        for key in ("min", "max"):
            bound = node.value.get(key)
            if bound is not None and (isinstance(bound.value, bool) or not isinstance(bound.value, int | float)):
                self.error(bound.pos, f"{key!r} of {what} must be a number")
                bound = None
            if bound is not None and number_problem(bound.value):
                self.error(bound.pos, f"{key!r} of {what}: {number_problem(bound.value)}", "write an ordinary number",
                           "bad-number")
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

        total = sum(size for size in map(_size, paths) if size <= MAX_FILE_BYTES)  # larger ones are named when read
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
                        self.collect(kind, item, base if pack else None)
            if "extend" in node.value:
                if not pack:
                    self.warn(node.keys["extend"], "'extend' is meant for scene packs; it works here too")
                self.raw.extensions.extend(self.expect_list(node.value["extend"], "'extend'"))

    def collect(self, kind: str, item: Node, pack: Path | None = None) -> None:
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
            pack_prefix = self.shown(pack) + os.sep if pack is not None else ""
            if pack is not None and first is not None and not first.path.startswith(pack_prefix):
                what = kind[:-1] if kind != "codex" else "codex entry"
                hint = (f"to add choices to it, use 'extend' with 'scene: {ident}'; to add a new {what}, "
                        "give it a new id") if shared else f"give the pack's {what} a new id"
                self.error(item.value["id"].pos, f"a pack cannot replace the story's {what} {ident!r}{where}",
                           hint, "duplicate-id")
                return
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


def _size(path: Path) -> int:
    """A file's size for the total limit; a name that cannot be looked at is reported when it is read."""
    try:
        return path.stat().st_size
    except (OSError, ValueError):
        return 0


def _linked_only(scenes: dict[str, Scene]) -> dict[str, Scene]:
    """The scenes with their choices and routes to unknown scenes removed."""
    return {sid: replace(scene, choices=tuple(c for c in scene.choices if c.target in scenes),
                         routes=tuple(r for r in scene.routes if r.target in scenes))
            for sid, scene in scenes.items()}


def _is_file(path: Path) -> bool:
    """Path.is_file, but False for names the system refuses (too long, say) instead of raising."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
