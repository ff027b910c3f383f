"""Expressions as trees, for the tools that reason about a story without playing it.

The engine compiles each condition and effect into closures
(:mod:`game.expressions`) and keeps only its source text, the variables
it reads and the scenes it counts. The linter and the exhaustive
explorer need the shape too: which comparisons a condition makes, which
constants it compares against. This module parses the (already
validated) source again with the engine's own tokenizer and grammar into
small frozen nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..expressions import EvalError, Expression, Token, Value, tokenize


@dataclass(frozen=True)
class Const:
    value: Value


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Visited:
    """``visited('scene')``: how many times the player has entered that scene."""

    scene: str


@dataclass(frozen=True)
class Unary:
    op: str  # "not" or "-"
    operand: Node


@dataclass(frozen=True)
class Binary:
    """Arithmetic (``+ - * /``), comparison (``== != < <= > >=``) or logic (``and``, ``or``)."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str  # "min" or "max"
    args: tuple[Node, ...]


Node = Const | Var | Visited | Unary | Binary | Call
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "/")
LOGIC = ("and", "or")


def tree_of(expression: Expression) -> Node:
    """The tree of a compiled expression (cached: the source never changes)."""
    if not expression.names and not expression.scenes:
        try:  # literal values written straight in YAML carry a Python repr as source
            return Const(expression.fn({}, {}))
        except (EvalError, TypeError):
            pass
    return parse(expression.source)


@lru_cache(maxsize=4096)
def parse(source: str) -> Node:
    """Parse source the engine has already accepted; raises ValueError on anything else."""
    parser = _Parser(tokenize(source))
    node = parser.parse_binary(0)
    if parser.tok.kind != "end":
        raise ValueError(f"unexpected {parser.tok.text!r} in {source!r}")
    return node


# Binding strength of the binary operators, loosest first (as in game.expressions).
_LEVELS: tuple[tuple[str, ...], ...] = (("or",), ("and",), COMPARISONS, ("+", "-"), ("*", "/"))


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text in texts

    def parse_binary(self, level: int) -> Node:
        if level == len(_LEVELS):
            return self.parse_unary()
        if _LEVELS[level] == ("and",):
            left = self.parse_not()
        else:
            left = self.parse_binary(level + 1)
        while self.at(*_LEVELS[level]):
            op = self.tok.text
            self.i += 1
            right = self.parse_not() if op == "and" else self.parse_binary(level + 1)
            left = Binary(op, left, right)
            if op in COMPARISONS:
                break  # comparisons do not chain
        return left

    def parse_not(self) -> Node:
        if self.at("not"):
            self.i += 1
            return Unary("not", self.parse_not())
        return self.parse_binary(2)

    def parse_unary(self) -> Node:
        if self.at("-"):
            self.i += 1
            return Unary("-", self.parse_unary())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        tok = self.tok
        self.i += 1
        if tok.kind == "number":
            return Const(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            return Const(tok.text[1:-1])
        if tok.kind == "op" and tok.text == "(":
            inner = self.parse_binary(0)
            self.i += 1  # ")"
            return inner
        if tok.kind == "name" and tok.text in ("true", "false"):
            return Const(tok.text == "true")
        if tok.kind == "name" and self.at("("):
            return self.parse_call(tok.text)
        if tok.kind == "name":
            return Var(tok.text)
        raise ValueError(f"unexpected {tok.text!r}")

    def parse_call(self, name: str) -> Node:
        self.i += 1  # "("
        args: list[Node] = []
        while not self.at(")"):
            args.append(self.parse_binary(0))
            if self.at(","):
                self.i += 1
        self.i += 1  # ")"
        if name == "visited":
            first = args[0]
            return Visited(str(first.value) if isinstance(first, Const) else "")
        return Call(name, tuple(args))


def walk(node: Node) -> Iterator[Node]:
    """Every node of a tree, parents before children."""
    yield node
    if isinstance(node, Unary):
        yield from walk(node.operand)
    elif isinstance(node, Binary):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)
