"""What an editor asks of a story folder while the writer types, without any editor protocol.

``kira lsp`` (:mod:`game.cli.lsp`) wraps this in the Language Server
Protocol; tests and other tools can use it directly. A
:class:`StoryWorkspace` loads the story with the editor's unsaved texts
laid over the files on disk, runs the loader and the linter (so load
errors and lint warnings come together), and keeps an index of every id
that files define (scenes, endings, chapters, codex entries, variables),
built file by file so that one broken file does not hide the ids of the
others.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game.authoring.check import check_and_lint
from game.errors import Diagnostic, SourcePos, relative_path
from game.loader.source import Node, read_yaml
from game.loader.story import STORY_FILE, story_files

# The fields whose value names a scene or ending, a chapter, codex entries.
SCENE_FIELDS = ("to", "scene", "start", "default")


@dataclass(frozen=True)
class Symbol:
    """One id a story file defines: where, and what to say about it."""

    kind: str  # "scene", "ending", "chapter", "codex", "variable"
    id: str
    title: str
    pos: SourcePos
    detail: str = ""

    def describe(self) -> str:
        head = f"**{self.title}** ({self.kind} `{self.id}`)" if self.title else f"{self.kind} `{self.id}`"
        return "\n\n".join(part for part in (head, self.detail, f"{self.pos}") if part)


@dataclass
class Result:
    """One check: every diagnostic by absolute file path, and whether the story loaded."""

    by_file: dict[str, list[Diagnostic]] = field(default_factory=dict)
    loaded: bool = False


def absolute(pos_path: str) -> str:
    """A diagnostic's path (shown relative to the working folder) as an absolute path."""
    return os.path.abspath(pos_path)


def find_root(path: Path) -> Path | None:
    """The story folder a file belongs to: the nearest folder above it with a story.yaml."""
    for folder in [path.parent, *path.parent.parents]:
        if (folder / STORY_FILE).is_file():
            return folder
    return None


class StoryWorkspace:
    """A story folder (with packs) as an editor sees it: files on disk, plus unsaved texts."""

    def __init__(self, root: Path, packs: list[Path] | None = None):
        self.root = Path(os.path.abspath(root))
        self.packs = [Path(os.path.abspath(p)) for p in packs or []]
        self.symbols: dict[str, Symbol] = {}
        self.variables: dict[str, Symbol] = {}

    def owns(self, path: Path) -> bool:
        path = Path(os.path.abspath(path))
        return any(path.is_relative_to(folder) for folder in (self.root, *self.packs))

    def files(self) -> list[Path]:
        found = [self.root / STORY_FILE, *story_files(self.root)]
        for pack in self.packs:
            if pack.is_dir():
                found += [p for p in (pack / STORY_FILE,) if p.is_file()] + story_files(pack)
        return found

    def check(self, overlay: Mapping[Path, str]) -> Result:
        """Load and lint with ``overlay`` over the disk; rebuild the index of ids."""
        overlay = {Path(os.path.abspath(p)): text for p, text in overlay.items()}
        story, problems = check_and_lint(self.root, self.packs, overlay)
        result = Result(loaded=story is not None)
        for path in self.files():
            result.by_file[str(path)] = []
        for diagnostic in problems:
            result.by_file.setdefault(absolute(diagnostic.pos.path), []).append(diagnostic)
        self.index(overlay)
        return result

    # -- the index of ids ------------------------------------------------------
    def index(self, overlay: Mapping[Path, str]) -> None:
        symbols: dict[str, Symbol] = {}
        variables: dict[str, Symbol] = {}
        for path in self.files():
            text = overlay.get(path)
            node, _ = read_yaml(path, relative_path(path), text.encode() if text is not None else None)
            if node is None or not node.is_map:
                continue
            if path.name == STORY_FILE:
                variables.update(_variables(node))
            for kind, table in (("scene", "scenes"), ("ending", "endings"), ("chapter", "chapters"),
                                ("codex", "codex")):
                for item in _items(node, table):
                    symbol = _symbol(kind, item)
                    if symbol is not None:
                        symbols.setdefault(f"{'scene' if kind == 'ending' else kind}:{symbol.id}", symbol)
        self.symbols, self.variables = symbols, variables

    def scene(self, ident: str) -> Symbol | None:
        return self.symbols.get(f"scene:{ident}")

    def lookup(self, word: str, line: str) -> Symbol | None:
        """What a word means where it is written: a chapter after 'chapter:', a codex entry in 'unlocks',
        a variable, or else a scene."""
        name = field_of(line)
        if name == "chapter":
            return self.symbols.get(f"chapter:{word}")
        if name == "unlocks":
            return self.symbols.get(f"codex:{word}")
        return self.scene(word) or self.variables.get(word) or self.symbols.get(f"chapter:{word}")

    def completions(self, line: str) -> list[Symbol]:
        """What may be typed at the end of ``line`` (the text before the cursor)."""
        name = field_of(line)
        if name in SCENE_FIELDS:
            return sorted((s for k, s in self.symbols.items() if k.startswith("scene:")), key=lambda s: s.id)
        if name == "chapter":
            return sorted((s for k, s in self.symbols.items() if k.startswith("chapter:")), key=lambda s: s.id)
        if name == "unlocks":
            return sorted((s for k, s in self.symbols.items() if k.startswith("codex:")), key=lambda s: s.id)
        return sorted(self.variables.values(), key=lambda s: s.id)


def field_of(line: str) -> str:
    """The YAML field whose value the end of ``line`` is in ('to' in '  - label: X\\n    to: ret')."""
    match = re.search(r"([A-Za-z_]+)\s*:\s*[^:]*$", line)
    return match.group(1) if match else ""


def _items(node: Node, table: str) -> list[Node]:
    value = node.value.get(table)
    return [item for item in value.value if item.is_map] if value is not None and value.is_list else []


def _symbol(kind: str, item: Node) -> Symbol | None:
    ident = item.value.get("id")
    if ident is None or not isinstance(ident.value, str):
        return None
    title = item.value.get("title")
    detail = ""
    if kind == "scene":
        parts = [str(item.value[k].value) for k in ("chapter", "date", "location") if k in item.value]
        detail = ", ".join(parts)
    return Symbol(kind, ident.value, str(title.value) if title is not None else "", ident.pos, detail)


def _variables(node: Node) -> dict[str, Symbol]:
    table = node.value.get("variables")
    if table is None or not table.is_map:
        return {}
    found = {}
    for name, var in table.value.items():
        if not var.is_map:
            continue
        facts = [f"default {var.value['default'].raw or var.value['default'].value}" if "default" in var.value else ""]
        if "min" in var.value or "max" in var.value:
            low = var.value["min"].value if "min" in var.value else "..."
            high = var.value["max"].value if "max" in var.value else "..."
            facts.append(f"from {low} to {high}")
        description = str(var.value["description"].value) if "description" in var.value else ""
        detail = "; ".join(f for f in facts if f) + (f". {description}" if description else "")
        found[name] = Symbol("variable", name, "", table.keys.get(name, var.pos), detail)
    return found


# -- quick fixes ------------------------------------------------------------------------------------

_QUOTED = re.compile(r"'([^']+)'|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def did_you_mean(diagnostic: Diagnostic) -> tuple[str, str] | None:
    """(wrong, right) when the diagnostic's hint suggests a replacement for a name in its message."""
    if "did you mean" not in diagnostic.hint:
        return None
    suggestion = _QUOTED.search(diagnostic.hint.split("did you mean", 1)[1])
    names = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(diagnostic.message)]
    if suggestion is None or not names:
        return None
    right = next(g for g in suggestion.groups() if g)
    wrong = max(names, key=lambda name: difflib.SequenceMatcher(None, name, right).ratio())
    return (wrong, right) if wrong != right else None


def fix_range(line: str, col: int, wrong: str) -> tuple[int, int] | None:
    """Where on a line (0-based start and end columns) ``wrong`` stands, from ``col`` (1-based) on."""
    for match in re.finditer(rf"(?<![A-Za-z0-9_]){re.escape(wrong)}(?![A-Za-z0-9_])", line):
        if match.end() >= col - 1:
            return match.start(), match.end()
    return None


def token_end(line: str, col: int) -> int:
    """The end (0-based, exclusive) of the word or value starting at 1-based ``col``: the underline."""
    start = max(0, col - 1)
    match = re.compile(r"[^\s,\]\}]+").match(line, start)
    return match.end() if match else min(len(line), start + 1)
