"""The story language's syntax: tokens, and a typed tree for every condition and effect.

Story files come from strangers, so their expressions are never handed to
``eval``. A recursive-descent parser (one function per precedence level)
turns each one into a tree of small frozen nodes once, at load time,
checking names and types as it goes. Anything outside the language
(attributes, indexing, calls other than ``min``/``max``/``visited``,
``**``, huge literals) is an :class:`ExpressionError` with the column
where it starts. The engine compiles the tree into closures
(:mod:`game.runtime.compiler`); the writers' tools read the same tree.

Grammar, loosest binding first::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | STRING | "true" | "false" | NAME
             | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.errors import KiraError

Value = int | float | bool | str

MAX_SOURCE = 500  # characters in one expression
MAX_NUMBER_DIGITS = 12
MAX_STRING = 2000
MAX_DEPTH = 40  # nesting of parentheses and operators

NUM, BOOL, STR = "number", "boolean", "string"
FUNCTIONS = ("min", "max", "visited")
KEYWORDS = ("and", "or", "not", "true", "false")
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "/")
LOGIC = ("and", "or")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^'\\]*'|"[^"\\]*")
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>==|!=|<=|>=|\*\*|[<>+\-*/(),.\[\]])
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)



class ExpressionError(KiraError, ValueError):
    """A mistake in an expression; ``offset`` is the 0-based column in its source."""

    def __init__(self, message: str, offset: int = 0, hint: str = ""):
        super().__init__(message)
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Token:
    """A piece of an expression's source and the column where it starts."""

    kind: str
    text: str
    offset: int


# -- the tree: equal trees compare equal whatever their types and columns -----------------------------
@dataclass(frozen=True)
class Const:
    """A literal number, text or true/false."""

    value: Value
    type: str = field(default="", compare=False)


@dataclass(frozen=True)
class Var:
    """A story variable read by name."""

    name: str
    type: str = field(default="", compare=False)


@dataclass(frozen=True)
class Visited:
    """``visited('scene')``: how many times the player has entered that scene."""

    scene: str
    type: str = field(default=NUM, compare=False)


@dataclass(frozen=True)
class Unary:
    """``not`` or a minus sign in front of one operand."""

    op: str  # "not" or "-"
    operand: Node
    type: str = field(default="", compare=False)


@dataclass(frozen=True)
class Binary:
    """Arithmetic (``+ - * /``), comparison (``== != < <= > >=``) or logic (``and``, ``or``)."""

    op: str
    left: Node
    right: Node
    type: str = field(default="", compare=False)


@dataclass(frozen=True)
class Call:
    """``min(...)`` or ``max(...)`` over one or more arguments."""

    name: str  # "min" or "max"
    args: tuple[Node, ...]
    type: str = field(default=NUM, compare=False)


Node = Const | Var | Visited | Unary | Binary | Call


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


def type_of(value: Any) -> str:
    """The expression type of a Python value taken from YAML."""
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUM
    return STR


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        kind = match.lastgroup
        if kind is None:
            continue
        text = match.group(kind)
        offset = match.start(kind)
        if kind == "bad":
            hint = "strings need matching quotes" if text in "'\"" else ""
            raise ExpressionError(f"unexpected character {text!r}", offset, hint)
        if kind == "op" and text in ("**", ".", "[", "]"):
            what = {"**": "powers (**)", ".": "attribute access (.)"}.get(text, "indexing ([ ])")
            raise ExpressionError(f"{what} is not part of the story language", offset,
                                  "use + - * / and min(), max()")
        if kind == "number" and len(text.replace(".", "")) > MAX_NUMBER_DIGITS:
            raise ExpressionError(f"number {text[:20]}... is too long", offset,
                                  f"numbers may have at most {MAX_NUMBER_DIGITS} digits")
        tokens.append(Token(kind, text, offset))
    tokens.append(Token("end", "", len(source)))
    return tokens


class Parser:
    """Parses tokens into a typed tree, checking names and types (``variables`` maps names to types)."""

    def __init__(self, source: str, variables: Mapping[str, str], scenes: Callable[[str], bool] | None):
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.variables = variables
        self.scene_exists = scenes
        self.names: set[str] = set()
        self.scenes: set[str] = set()
        self.depth = 0

    # -- token helpers --------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self, text: str) -> bool:
        if self.tok.kind in ("op", "name") and self.tok.text == text:
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.take(text):
            raise ExpressionError(f"expected {text!r} but found {self.tok.text or 'the end'!r}", self.tok.offset)

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expression is nested too deeply", self.tok.offset,
                                  "split it into simpler conditions")

    # -- grammar --------------------------------------------------------------
    def parse(self) -> Node:
        if len(self.source) > MAX_SOURCE:
            raise ExpressionError(f"expression is longer than {MAX_SOURCE} characters", 0)
        if self.tok.kind == "end":
            raise ExpressionError("empty expression", 0)
        result = self.parse_or()
        if self.tok.kind != "end":
            raise ExpressionError(f"unexpected {self.tok.text!r}", self.tok.offset,
                                  "join conditions with 'and' / 'or'")
        return result

    def parse_or(self) -> Node:
        return self._logical("or", self.parse_and)

    def parse_and(self) -> Node:
        return self._logical("and", self.parse_not)

    def _logical(self, word: str, operand: Callable[[], Node]) -> Node:
        start = self.tok.offset
        left = operand()
        while self.tok.kind == "name" and self.tok.text == word:
            self.i += 1
            right_start = self.tok.offset
            right = operand()
            self._need(left.type, BOOL, start, f"left of '{word}'")
            self._need(right.type, BOOL, right_start, f"right of '{word}'")
            left = Binary(word, left, right, BOOL)
        return left

    def parse_not(self) -> Node:
        if self.tok.kind == "name" and self.tok.text == "not":
            start = self.tok.offset
            self.i += 1
            self.nest()
            inner = self.parse_not()
            self.depth -= 1
            self._need(inner.type, BOOL, start, "after 'not'")
            return Unary("not", inner, BOOL)
        return self.parse_compare()

    def parse_compare(self) -> Node:
        start = self.tok.offset
        left = self.parse_sum()
        if self.tok.kind == "op" and self.tok.text in COMPARISONS:
            op_text = self.tok.text
            self.i += 1
            right = self.parse_sum()
            if left.type != right.type:
                raise ExpressionError(f"cannot compare a {left.type} with a {right.type}", start)
            if op_text not in ("==", "!=") and left.type == BOOL:
                raise ExpressionError(f"'{op_text}' needs numbers or strings, not true/false", start)
            return Binary(op_text, left, right, BOOL)
        return left

    def parse_sum(self) -> Node:
        return self._arith(("+", "-"), self.parse_product)

    def parse_product(self) -> Node:
        return self._arith(("*", "/"), self.parse_unary)

    def _arith(self, symbols: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        start = self.tok.offset
        left = operand()
        while self.tok.kind == "op" and self.tok.text in symbols:
            op_text = self.tok.text
            self.i += 1
            right = operand()
            if op_text == "+" and left.type == STR and right.type == STR:
                left = Binary("+", left, right, STR)
                continue
            self._need(left.type, NUM, start, f"left of '{op_text}'")
            self._need(right.type, NUM, start, f"right of '{op_text}'")
            left = Binary(op_text, left, right, NUM)
        return left

    def parse_unary(self) -> Node:
        if self.take("-"):
            start = self.tok.offset
            self.nest()
            inner = self.parse_unary()
            self.depth -= 1
            self._need(inner.type, NUM, start, "after '-'")
            return Unary("-", inner, NUM)
        return self.parse_atom()

    def parse_atom(self) -> Node:
        tok = self.tok
        self.i += 1
        if tok.kind == "number":
            return Const(float(tok.text) if "." in tok.text else int(tok.text), NUM)
        if tok.kind == "string":
            text = tok.text[1:-1]
            if len(text) > MAX_STRING:
                raise ExpressionError("string is too long", tok.offset)
            return Const(text, STR)
        if tok.kind == "op" and tok.text == "(":
            self.nest()
            result = self.parse_or()
            self.depth -= 1
            self.expect(")")
            return result
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                return Const(tok.text == "true", BOOL)
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.parse_call(tok)
            return self.variable(tok)
        raise ExpressionError(f"unexpected {tok.text or 'end of expression'!r}", tok.offset)

    def variable(self, tok: Token) -> Node:
        name = tok.text
        if name.startswith("_"):
            raise ExpressionError(f"names starting with '_' are not allowed: {name!r}", tok.offset)
        if name in KEYWORDS:
            raise ExpressionError(f"{name!r} needs something after it", tok.offset)
        if name not in self.variables:
            raise ExpressionError(f"unknown variable {name!r}", tok.offset,
                                  suggest(name, self.variables, "declare it under 'variables' in story.yaml"))
        self.names.add(name)
        return Var(name, self.variables[name])

    def parse_call(self, tok: Token) -> Node:
        name = tok.text
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r}", tok.offset,
                                  "only min(), max() and visited() can be called")
        self.expect("(")
        args: list[Node] = []
        arg_tokens: list[Token] = []
        if not self.take(")"):
            while True:
                arg_tokens.append(self.tok)
                self.nest()
                args.append(self.parse_or())
                self.depth -= 1
                if self.take(")"):
                    break
                self.expect(",")
        if name == "visited":
            return self._visited(tok, args, arg_tokens)
        if not args:
            raise ExpressionError(f"{name}() needs at least one number", tok.offset)
        for arg, arg_tok in zip(args, arg_tokens, strict=True):
            self._need(arg.type, NUM, arg_tok.offset, f"in {name}()")
        return Call(name, tuple(args), NUM)

    def _visited(self, tok: Token, args: list[Node], arg_tokens: list[Token]) -> Node:
        if len(args) != 1 or arg_tokens[0].kind != "string":
            raise ExpressionError("visited() takes one scene id in quotes, e.g. visited('purge')", tok.offset)
        scene = arg_tokens[0].text[1:-1]
        if self.scene_exists is not None and not self.scene_exists(scene):
            raise ExpressionError(f"visited() names an unknown scene {scene!r}", arg_tokens[0].offset)
        self.scenes.add(scene)
        return Visited(scene, NUM)

    @staticmethod
    def _need(kind: str, wanted: str, offset: int, where: str) -> None:
        if kind != wanted:
            raise ExpressionError(f"expected a {wanted} {where}, got a {kind}", offset)


def suggest(name: str, known: Mapping[str, Any] | list[str], fallback: str) -> str:
    """"did you mean 'x'?" for a name close to known ones, else ``fallback``."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return fallback
