"""Typed access to the fields of a YAML mapping, collecting every mistake.

The loader asks "give me the string field ``title``" and gets either the
value or ``None`` with a diagnostic recorded, so one pass reports all the
problems of a file instead of stopping at the first.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import TYPE_CHECKING, Any

from game.errors import Diagnostic, SourcePos
from game.runtime.expressions import Expression, ExpressionError, compile_expression, constant, number_problem
from game.runtime.model import Template

if TYPE_CHECKING:  # only for annotations: reading YAML is imported when a file is read
    from game.loader.source import Node

ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


@functools.lru_cache(maxsize=1024)
def _constant(kind: str, text: str, value: bool | int | float) -> Expression:
    """One expression per literal (a story writes ``add: {spirit: 5}`` hundreds of times), shared because
    expressions are immutable. The type and the written form are in the key, so ``1``, ``1.0`` and
    ``true`` (equal in Python) and ``0.0`` and ``-0.0`` stay apart."""
    return constant(value)


class FieldReader:
    """Reads fields and records diagnostics in ``problems``."""

    def __init__(self) -> None:
        self.problems: list[Diagnostic] = []
        self.compiled: dict[tuple[str, int, int, int, int], Expression] = {}

    # -- reporting ------------------------------------------------------------
    def error(self, pos: SourcePos, message: str, hint: str = "", code: str = "schema") -> None:
        self.problems.append(Diagnostic(code, "error", pos, message, hint))

    def warn(self, pos: SourcePos, message: str, hint: str = "", code: str = "schema") -> None:
        self.problems.append(Diagnostic(code, "warning", pos, message, hint))

    # -- structure ------------------------------------------------------------
    def expect_map(self, node: Node | None, what: str) -> bool:
        if node is None:
            return False
        if not node.is_map:
            self.error(node.pos, f"{what} must be a mapping of fields (name: value)",
                       "check the indentation: fields sit under the item, indented the same")
            return False
        return True

    def expect_list(self, node: Node, what: str) -> list[Node]:
        if not node.is_list:
            self.error(node.pos, f"{what} must be a list (lines starting with '- ')")
            return []
        return node.value

    def check_keys(self, node: Node, allowed: tuple[str, ...], what: str) -> None:
        for key, pos in node.keys.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "allowed fields: " + ", ".join(allowed)
                self.error(pos, f"unknown field {key!r} in {what}", hint, "unknown-field")

    def require(self, node: Node, key: str, what: str) -> Node | None:
        if key not in node.value:
            self.error(node.pos, f"{what} is missing the field {key!r}", code="missing-field")
            return None
        return node.value[key]

    # -- scalars --------------------------------------------------------------
    def string(self, node: Node, key: str, what: str, required: bool = True, default: str = "") -> str:
        child = self.require(node, key, what) if required else node.value.get(key)
        if child is None:
            return default
        return self.as_string(child, f"{key!r} of {what}")

    def as_string(self, child: Node, what: str) -> str:
        value = child.value
        if isinstance(value, str):
            return value
        if isinstance(value, bool) and child.raw.lower() in _YAML11_WORDS:
            self.error(child.pos, f"{what} was read as {str(value).lower()}, not as the text {child.raw!r}",
                       f"put it in quotes: \"{child.raw}\"", "yaml-bool")
            return child.raw
        if value is None:
            self.error(child.pos, f"{what} is empty", "write the text after the colon")
            return ""
        if isinstance(value, dict | list):
            self.error(child.pos, f"{what} must be text, not a {'mapping' if isinstance(value, dict) else 'list'}",
                       "if the text contains ': ', put it in quotes or use a '|' block")
            return ""
        return child.raw  # numbers and dates: keep exactly what the writer typed

    def identifier(self, node: Node, key: str, what: str, required: bool = True) -> str:
        text = self.string(node, key, what, required)
        if text and not ID_PATTERN.match(text):
            self.error(node.value[key].pos, f"{text!r} is not a valid id",
                       "ids use letters, digits and '_', start with a letter, at most 64 characters", "bad-id")
        return text

    def boolean(self, node: Node, key: str, what: str) -> bool:
        child = node.value.get(key)
        if child is None:
            return False
        if not isinstance(child.value, bool):
            self.error(child.pos, f"{key!r} of {what} must be true or false")
            return False
        return child.value

    def integer(self, node: Node, key: str, what: str, required: bool = False, default: int = 0) -> int:
        child = self.require(node, key, what) if required else node.value.get(key)
        if child is None:
            return default
        if isinstance(child.value, bool) or not isinstance(child.value, int):
            self.error(child.pos, f"{key!r} of {what} must be a whole number")
            return default
        return child.value

    def string_list(self, node: Node, key: str, what: str) -> tuple[str, ...]:
        child = node.value.get(key)
        if child is None:
            return ()
        if not child.is_list:
            return (self.as_string(child, f"{key!r} of {what}"),)
        return tuple(self.as_string(item, f"an item of {key!r} in {what}") for item in child.value)

    # -- compiled pieces ------------------------------------------------------
    def expression(self, child: Node, variables: dict[str, str], scenes: set[str], what: str) -> Expression | None:
        value = child.value
        if isinstance(value, bool | int | float) and child.plain:
            if number_problem(value):
                self.error(child.pos, f"{what}: {number_problem(value)}", "write an ordinary number", "bad-number")
                return None
            return _constant(type(value).__name__, repr(value), value)
        if not isinstance(value, str):
            self.error(child.pos, f"{what} must be an expression such as \"spirit >= 40\"")
            return None
        key = (value, id(variables), len(variables), id(scenes), len(scenes))
        compiled = self.compiled.get(key)
        if compiled is not None:
            return compiled  # expressions are immutable, so a repeated condition is compiled once
        try:
            compiled = self.compiled[key] = compile_expression(value, variables, scenes.__contains__)
            return compiled
        except ExpressionError as exc:
            pos = child.pos
            if "\n" not in value:
                pos = SourcePos(pos.path, pos.line, pos.col + exc.offset + (0 if child.plain else 1))
            code = "unknown-variable" if str(exc).startswith("unknown variable") else "expression"
            hint = exc.hint
            if "'='" in str(exc) and "==" not in value:
                hint = "to compare, write '==' (one '=' changes nothing here; changes go under 'effects')"
            self.error(pos, f"{what}: {exc}", hint, code)
            return None

    def template(self, child: Node, text: str, variables: dict[str, str]) -> Template:
        """Split ``{name}`` holes out of text; only declared variable names may stand in braces."""
        if "{" not in text and "}" not in text:
            return Template((text,))
        parts: list[str] = []
        literal: list[str] = []
        start = 0
        for match in _TEMPLATE_TOKEN.finditer(text):
            literal.append(text[start:match.start()])
            start = match.end()
            token = match.group()
            if token in ("{{", "}}"):
                literal.append(token[0])
            elif token == "}":
                self.error(child.pos, "a '}' without its '{' in the text", "write '}}' for a literal brace",
                           "interpolation")
            elif not token.endswith("}"):
                self.error(child.pos, "a '{' without its '}' in the text", "write '{{' for a literal brace",
                           "interpolation")
            elif self.hole_is_valid(child, token[1:-1].strip(), variables):
                parts.append("".join(literal))
                parts.append(token[1:-1].strip())
                literal = []
        literal.append(text[start:])
        parts.append("".join(literal))
        return Template(tuple(parts))

    def hole_is_valid(self, child: Node, name: str, variables: dict[str, str]) -> bool:
        if not ID_PATTERN.match(name) or name.startswith("_"):
            self.error(child.pos, f"only a variable name may stand in braces, not {{{name[:40]}}}",
                       "write {spirit}; expressions are not allowed in text", "interpolation")
            return False
        if name not in variables:
            close = difflib.get_close_matches(name, list(variables), n=1)
            hint = f"did you mean {{{close[0]}}}?" if close else "declare it in story.yaml"
            self.error(child.pos, f"unknown variable {{{name}}} in the text", hint, "unknown-variable")
            return False
        return True


# A literal '{{' or '}}', a hole '{...}' (or an unclosed '{...'), or a stray '}'.
_TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{[^{}]*\}?|\}")


def paragraphs_of(text: str) -> list[tuple[int, str]]:
    """Split prose into paragraphs at blank lines; returns (line offset, paragraph).

    Lines inside a paragraph are joined with spaces so writers may wrap
    their text freely.
    """
    result = []
    line = 0
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not re.fullmatch(r"\n[ \t]*\n", block):
            lead = len(block) - len(block.lstrip("\n"))
            result.append((line + lead, " ".join(block.split())))
        line += block.count("\n")
    return result


def describe(value: Any) -> str:
    return type(value).__name__
