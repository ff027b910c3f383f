"""Reading untrusted YAML safely while keeping every value's position.

PyYAML's fast C parser composes the file into nodes (nothing is
constructed, so no tag can build an object), then this module walks the
nodes into :class:`Node` values that remember file, line and column. On
the way it rejects what a story never needs and an attacker would use:
tags other than the plain YAML types, aliases (expansion bombs), merge
keys, duplicate keys (PyYAML silently keeps the last), deep nesting and
oversized files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from game.errors import Diagnostic, SourcePos

try:  # libyaml is about 7x faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()


_NO_KEYS: Mapping[str, SourcePos] = MappingProxyType({})


class Node:
    """A YAML value with its position.

    ``value`` is a ``dict[str, Node]`` for mappings, a ``list[Node]`` for
    sequences, or a plain Python scalar. ``raw`` is a scalar's source text
    and ``plain`` tells whether it was written without quotes; ``style`` is
    PyYAML's scalar style (``"|"`` for literal blocks); ``keys`` holds a
    mapping's key positions. A slotted class: big stories make hundreds of
    thousands of these.
    """

    __slots__ = ("value", "pos", "raw", "plain", "style", "keys")

    def __init__(self, value: Any, pos: SourcePos, raw: str = "", plain: bool = False,
                 style: str | None = None, keys: Mapping[str, SourcePos] = _NO_KEYS):
        self.value = value
        self.pos = pos
        self.raw = raw
        self.plain = plain
        self.style = style
        self.keys = keys

    def __repr__(self) -> str:
        return f"Node({self.value!r}, {self.pos})"

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


class _Walker:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()

    def pos(self, node: yaml.Node) -> SourcePos:
        mark = node.start_mark
        return SourcePos(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, message: str, hint: str = "", code: str = "yaml") -> None:
        self.problems.append(Diagnostic(code, "error", self.pos(node), message, hint))

    def walk(self, node: yaml.Node, depth: int = 0) -> Node | None:
        if depth > MAX_DEPTH:
            self.error(node, f"the file nests deeper than {MAX_DEPTH} levels", "flatten the structure")
            return None
        if id(node) in self.seen:
            self.error(node, "this value is reused through a YAML alias (*name)",
                       "aliases are not allowed in stories: write the value out again", "yaml-alias")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                return self.bad_tag(node)
            items = [self.walk(item, depth + 1) for item in node.value]
            return Node([i for i in items if i is not None], self.pos(node))
        return self.scalar(node)

    def bad_tag(self, node: yaml.Node) -> None:
        self.error(node, f"the YAML tag {node.tag!r} is not allowed",
                   "story files use plain text, numbers, true/false, lists and mappings only", "yaml-tag")
        return None

    def mapping(self, node: yaml.MappingNode, depth: int) -> Node | None:
        if node.tag != _TAG + "map":
            return self.bad_tag(node)
        result: dict[str, Node] = {}
        keys: dict[str, SourcePos] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.error(key_node, "merge keys (<<) are not allowed", "write the fields out", "yaml-alias")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.error(key_node, "a mapping key must be a plain name")
                continue
            key = str(key_node.value)
            if key in result:
                first = keys[key]
                self.error(key_node, f"duplicate key {key!r} (first at line {first.line})",
                           "YAML would silently keep only the last one: remove or rename one", "duplicate-key")
                continue
            value = self.walk(value_node, depth + 1)
            if value is not None:
                result[key] = value
                keys[key] = self.pos(key_node)
        return Node(result, self.pos(node), keys=keys)

    def scalar(self, node: yaml.ScalarNode) -> Node | None:
        tag = node.tag
        mark = node.start_mark
        pos = SourcePos(self.path, mark.line + 1, mark.column + 1)
        if tag == _STR:  # most values: no constructor needed
            return Node(node.value, pos, node.value, not node.style, node.style or None)
        if tag not in _SCALAR_TAGS:
            return self.bad_tag(node)
        try:
            value = _constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.error(node, f"cannot read this value: {exc}")
            return None
        return Node(value, pos, node.value, not node.style, node.style or None)


_BRACKETS = re.compile(rb"[\[\]{}]")
_DASH_PAIR = re.compile(rb"-[ \t]+-")  # cheap test first: the chain search is slow on big files
_DASH_CHAIN = re.compile(rb"(?:-[ \t]+){%d}" % MAX_DEPTH)
_DEEP_INDENT = re.compile(rb"\n {%d}" % (MAX_DEPTH * 8))


def _too_deep(data: bytes) -> bool:
    """A cheap guard before the C parser: flow brackets or ``- - -`` chains nested absurdly deep.

    The composer recurses once per level, so a hostile file must be
    stopped before it is parsed, not after.
    """
    if (_DASH_PAIR.search(data) and _DASH_CHAIN.search(data)) or _DEEP_INDENT.search(data):
        return True
    depth = 0
    for bracket in _BRACKETS.findall(data):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > MAX_DEPTH * 4:
            return True
    return False


def read_yaml(path: Path, shown_as: str, data: bytes | None = None) -> tuple[Node | None, list[Diagnostic]]:
    """Read one YAML file into a :class:`Node` tree; problems come back as diagnostics.

    ``data`` stands in for the file's bytes (an editor's unsaved text)."""
    where = SourcePos(shown_as)
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > MAX_FILE_BYTES:
            return None, [Diagnostic("file-too-large", "error", where,
                                     f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                                     "split it into several scene files")]
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        return None, [Diagnostic("file", "error", where, f"cannot read the file: {exc.strerror}")]
    if _too_deep(data):
        return None, [Diagnostic("yaml", "error", where, f"the file nests deeper than {MAX_DEPTH} levels",
                                 "flatten the structure")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic("file", "error", where, f"the file is not UTF-8 text (byte {exc.start})",
                                 "save it as UTF-8")]
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if "could not find expected ':'" in message and exc.context_mark is not None:
            mark = exc.context_mark  # libyaml notices on the next line; the colon is missing where the key began
            key = text[mark.index:].split("\n", 1)[0].split(" ", 1)[0][:40]
            message = f"could not find the ':' after {key!r}"
        pos = SourcePos(shown_as, mark.line + 1, mark.column + 1) if mark else where
        if mark is not None and text[mark.index:mark.index + 1] == "\t":
            message += " (a tab)"  # libyaml's words for a tab at the start of a line say nothing of tabs
        return None, [Diagnostic("yaml", "error", pos, f"YAML syntax: {message}", _yaml_hint(message))]
    except (yaml.YAMLError, RecursionError) as exc:
        return None, [Diagnostic("yaml", "error", where, f"YAML syntax: {exc}")]
    if root is None:
        return None, [Diagnostic("empty-file", "error", where, "the file is empty")]
    walker = _Walker(shown_as)
    result = walker.walk(root)
    return result, walker.problems


def _yaml_hint(message: str) -> str:
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted, or written as a block with '|'"
    if "found character '\\t'" in message or message.endswith("(a tab)"):
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in message or "could not find the ':'" in message:
        return "write a field as 'name: value' (with ': '); a line that continues text must be indented further"
    return "check indentation and quotes around this place"
