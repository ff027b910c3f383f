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

from game.runtime.expressions import EvalError, Expression, Token, Value, tokenize


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


Atom = tuple[str, float]  # (comparison with the item on the left, constant)


def visit_item(scene: str) -> str:
    """How tools name the visit count of a scene among the variables: ``visited:scene``."""
    return f"visited:{scene}"

_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def item_of(node: Node) -> str | None:
    """The variable name, or ``visited:scene`` for a visit count, that a node reads directly."""
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Visited):
        return visit_item(node.scene)
    return None


def is_number(node: Node) -> bool:
    return isinstance(node, Const) and isinstance(node.value, int | float) and not isinstance(node.value, bool)


def atoms_and_bare_reads(tree: Node) -> tuple[list[tuple[str, Atom]], set[str]]:
    """Comparisons of an item with a constant, and items read any other way."""
    atoms: list[tuple[str, Atom]] = []
    in_atoms: set[int] = set()
    for node in walk(tree):
        if isinstance(node, Binary) and node.op in COMPARISONS:
            for side, other, op in ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op])):
                item = item_of(side)
                if item is not None and is_number(other):
                    assert isinstance(other, Const)
                    atoms.append((item, (op, float(other.value))))
                    in_atoms.add(id(side))
    bare = {item for node in walk(tree) if (item := item_of(node)) is not None and id(node) not in in_atoms}
    return atoms, bare
