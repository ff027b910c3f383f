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
from game.loader.files import MAX_FILE_BYTES, FileRefused, read_limited

try:  # libyaml is about 7x faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()


# Characters a terminal would act on instead of showing (ESC starts colour, title and link codes);
# only double-quoted YAML can hold them, as escapes such as "\e" or "\x1b". Tab and newline are text.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escaped(char: str) -> str:
    return {"\x1b": "\\e", "\x07": "\\a", "\x00": "\\0", "\r": "\\r"}.get(char, f"\\x{ord(char):02x}")


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
    def __init__(self, path: str, anchors: bool = True):
        self.path = path
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()
        # A node reached twice is an alias (*name) of an anchored one (&name). A file without an '&'
        # anywhere has no anchors, so there is nothing to remember for it.
        self.anchors = anchors

    def pos(self, node: yaml.Node) -> SourcePos:
        mark = node.start_mark
        return SourcePos(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, message: str, hint: str = "", code: str = "yaml") -> None:
        self.problems.append(Diagnostic(code, "error", self.pos(node), message, hint))

    def walk(self, node: yaml.Node, depth: int = 0) -> Node | None:
        if depth > MAX_DEPTH:
            self.error(node, f"the file nests deeper than {MAX_DEPTH} levels", "flatten the structure")
            return None
        if self.anchors:
            if id(node) in self.seen:
                self.error(node, "this value is reused through a YAML alias (*name)",
                           "aliases are not allowed in stories: write the value out again", "yaml-alias")
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):  # most nodes, so asked first
            return self.scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                return self.bad_tag(node)
            items = [self.walk(item, depth + 1) for item in node.value]
            return Node([i for i in items if i is not None], self.pos(node))
        return self.scalar(node)

    def bad_tag(self, node: yaml.Node) -> Node | None:
        """Report a tag; the node is dropped (None), so the caller can ``return self.bad_tag(node)``."""
        self.error(node, f"the YAML tag {node.tag!r} is not allowed",
                   "story files use plain text, numbers, true/false, lists and mappings only", "yaml-tag")
        return None

    def control_character(self, node: yaml.ScalarNode) -> Node | None:
        """Report a control character; the node is dropped (None)."""
        found = CONTROL_CHARACTER.search(node.value)
        assert found is not None
        self.error(node, f"the text holds the control character U+{ord(found.group()):04X} "
                   f"(written {_escaped(found.group())} in quotes)",
                   "story text is shown as plain text: remove terminal codes and other control characters",
                   "control-character")
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
            if type(value_node) is yaml.ScalarNode and not self.anchors and depth < MAX_DEPTH:
                value = self.scalar(value_node)  # what walk would do, without its checks for this common case
            else:
                value = self.walk(value_node, depth + 1)
            if value is not None:
                result[key] = value
                mark = key_node.start_mark
                keys[key] = SourcePos(self.path, mark.line + 1, mark.column + 1)
        return Node(result, self.pos(node), keys=keys)

    def scalar(self, node: yaml.ScalarNode) -> Node | None:
        tag = node.tag
        mark = node.start_mark
        pos = SourcePos(self.path, mark.line + 1, mark.column + 1)
        if tag == _STR:  # most values: no constructor needed
            if node.style == '"' and CONTROL_CHARACTER.search(node.value):
                return self.control_character(node)
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
    try:
        if data is None:
            data = read_limited(path, MAX_FILE_BYTES)
        elif len(data) > MAX_FILE_BYTES:
            raise FileRefused(path, f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}")
    except OSError as exc:
        return None, [file_problem(exc, shown_as)]
    return parse_yaml(data, shown_as)


def file_problem(exc: OSError, shown_as: str) -> Diagnostic:
    """The diagnostic for a file that could not be read (missing, a FIFO, a device, too large)."""

    where = SourcePos(shown_as)
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileRefused) and "limit" in reason:
        return Diagnostic("file-too-large", "error", where, reason, "split it into several scene files")
    if isinstance(exc, FileRefused):
        return Diagnostic("file", "error", where, f"cannot read the file: {reason}",
                          "story files must be ordinary text files")
    return Diagnostic("file", "error", where, f"cannot read the file: {reason}")


def _line_of(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column of a byte offset (for faults found before YAML has positions)."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def parse_yaml(data: bytes, shown_as: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse the bytes of one YAML file (already read within the size limit)."""
    where = SourcePos(shown_as)
    if _too_deep(data):
        return None, [Diagnostic("yaml", "error", where, f"the file nests deeper than {MAX_DEPTH} levels",
                                 "flatten the structure")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_of(data, exc.start)
        return None, [Diagnostic("file", "error", SourcePos(shown_as, line, col),
                                 f"the file is not UTF-8 text (byte {exc.start}: {data[exc.start]:#04x})",
                                 "save it as UTF-8")]
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _line_of(data, nul)
        return None, [Diagnostic("file", "error", SourcePos(shown_as, line, col),
                                 "the file holds a NUL byte (it looks like a binary file, not text)",
                                 "remove it, or save the file again as plain UTF-8 text")]
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
    except yaml.reader.ReaderError as exc:  # a raw control character: libyaml says where, as a character index
        line, col = _line_of(data, len(text[:exc.position].encode()))
        return None, [Diagnostic("yaml", "error", SourcePos(shown_as, line, col),
                                 f"the file holds the control character U+{exc.character:04X}"
                                 if isinstance(exc.character, int) else f"YAML: {exc.reason}",
                                 "remove it: story files are plain text")]
    except (yaml.YAMLError, RecursionError) as exc:
        return None, [Diagnostic("yaml", "error", where, f"YAML syntax: {exc}")]
    if root is None:
        return None, [Diagnostic("empty-file", "error", where, "the file is empty")]
    walker = _Walker(shown_as, anchors=b"&" in data)
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
