"""The safe expression language of conditions and effects.

Story files come from strangers, so their expressions are never handed to
``eval``. A small Pratt parser turns each one into a tree once, at load
time, checks names and types, and compiles the tree into nested Python
closures. Anything outside the language (attributes, indexing, calls
other than ``min``/``max``/``visited``, ``**``, huge literals) is a load
error with the column where it starts.

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

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.errors import KiraError

Value = int | float | bool | str
Env = Mapping[str, Value]
Visits = Mapping[str, int]
Compiled = Callable[[Env, Visits], Any]

MAX_SOURCE = 500  # characters in one expression
MAX_NUMBER_DIGITS = 12
MAX_MAGNITUDE = 1e12  # larger intermediate results are a play-time error
MAX_STRING = 2000
MAX_DEPTH = 40  # nesting of parentheses and operators

NUM, BOOL, STR = "number", "boolean", "string"
FUNCTIONS = ("min", "max", "visited")
KEYWORDS = ("and", "or", "not", "true", "false")

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


class EvalError(KiraError, ArithmeticError):
    """An expression failed while playing (division by zero, a number too large)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class Expression:
    """A compiled expression: call ``evaluate(variables, visits)``."""

    source: str
    type: str
    fn: Compiled = field(repr=False, compare=False)
    names: frozenset[str] = frozenset()
    scenes: frozenset[str] = frozenset()

    def evaluate(self, variables: Env, visits: Visits) -> Any:
        return self.fn(variables, visits)


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


class _Parser:
    """Parses tokens into (type, closure, names, scenes) while checking types."""

    def __init__(self, source: str, variables: Mapping[str, str], scenes: Callable[[str], bool] | None):
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.variables = variables  # name -> type
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
    def parse(self) -> tuple[str, Compiled]:
        if self.tok.kind == "end":
            raise ExpressionError("empty expression", 0)
        result = self.parse_or()
        if self.tok.kind != "end":
            raise ExpressionError(f"unexpected {self.tok.text!r}", self.tok.offset,
                                  "join conditions with 'and' / 'or'")
        return result

    def parse_or(self) -> tuple[str, Compiled]:
        return self._logical("or", self.parse_and)

    def parse_and(self) -> tuple[str, Compiled]:
        return self._logical("and", self.parse_not)

    def _logical(self, word: str, operand: Callable[[], tuple[str, Compiled]]) -> tuple[str, Compiled]:
        start = self.tok.offset
        kind, left = operand()
        while self.tok.kind == "name" and self.tok.text == word:
            self.i += 1
            right_start = self.tok.offset
            right_kind, right = operand()
            self._need(kind, BOOL, start, f"left of '{word}'")
            self._need(right_kind, BOOL, right_start, f"right of '{word}'")
            left = _or(left, right) if word == "or" else _and(left, right)
            kind = BOOL
        return kind, left

    def parse_not(self) -> tuple[str, Compiled]:
        if self.tok.kind == "name" and self.tok.text == "not":
            start = self.tok.offset
            self.i += 1
            self.nest()
            kind, inner = self.parse_not()
            self.depth -= 1
            self._need(kind, BOOL, start, "after 'not'")
            return BOOL, lambda v, s: not inner(v, s)
        return self.parse_compare()

    def parse_compare(self) -> tuple[str, Compiled]:
        start = self.tok.offset
        kind, left = self.parse_sum()
        ops = {"==": operator.eq, "!=": operator.ne, "<": operator.lt,
               "<=": operator.le, ">": operator.gt, ">=": operator.ge}
        if self.tok.kind == "op" and self.tok.text in ops:
            op_text = self.tok.text
            self.i += 1
            right_kind, right = self.parse_sum()
            if kind != right_kind:
                raise ExpressionError(f"cannot compare a {kind} with a {right_kind}", start)
            if op_text not in ("==", "!=") and kind == BOOL:
                raise ExpressionError(f"'{op_text}' needs numbers or strings, not true/false", start)
            fn = ops[op_text]
            return BOOL, lambda v, s: fn(left(v, s), right(v, s))
        return kind, left

    def parse_sum(self) -> tuple[str, Compiled]:
        return self._arith(("+", "-"), self.parse_product)

    def parse_product(self) -> tuple[str, Compiled]:
        return self._arith(("*", "/"), self.parse_unary)

    def _arith(self, symbols: tuple[str, ...], operand: Callable[[], tuple[str, Compiled]]) -> tuple[str, Compiled]:
        start = self.tok.offset
        kind, left = operand()
        while self.tok.kind == "op" and self.tok.text in symbols:
            op_text = self.tok.text
            self.i += 1
            right_kind, right = operand()
            if op_text == "+" and kind == STR and right_kind == STR:
                left = _concat(left, right)
                continue
            self._need(kind, NUM, start, f"left of '{op_text}'")
            self._need(right_kind, NUM, start, f"right of '{op_text}'")
            left = _ARITH[op_text](left, right)
            kind = NUM
        return kind, left

    def parse_unary(self) -> tuple[str, Compiled]:
        if self.take("-"):
            start = self.tok.offset
            self.nest()
            kind, inner = self.parse_unary()
            self.depth -= 1
            self._need(kind, NUM, start, "after '-'")
            return NUM, lambda v, s: -inner(v, s)
        return self.parse_atom()

    def parse_atom(self) -> tuple[str, Compiled]:
        tok = self.tok
        self.i += 1
        if tok.kind == "number":
            number: int | float = float(tok.text) if "." in tok.text else int(tok.text)
            return NUM, lambda v, s: number
        if tok.kind == "string":
            text = tok.text[1:-1]
            if len(text) > MAX_STRING:
                raise ExpressionError("string is too long", tok.offset)
            return STR, lambda v, s: text
        if tok.kind == "op" and tok.text == "(":
            self.nest()
            result = self.parse_or()
            self.depth -= 1
            self.expect(")")
            return result
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                flag = tok.text == "true"
                return BOOL, lambda v, s: flag
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.parse_call(tok)
            return self.variable(tok)
        raise ExpressionError(f"unexpected {tok.text or 'end of expression'!r}", tok.offset)

    def variable(self, tok: Token) -> tuple[str, Compiled]:
        name = tok.text
        if name.startswith("_"):
            raise ExpressionError(f"names starting with '_' are not allowed: {name!r}", tok.offset)
        if name in KEYWORDS:
            raise ExpressionError(f"{name!r} needs something after it", tok.offset)
        if name not in self.variables:
            raise ExpressionError(f"unknown variable {name!r}", tok.offset,
                                  _suggest(name, self.variables, "declare it under 'variables' in story.yaml"))
        self.names.add(name)
        return self.variables[name], lambda v, s: v[name]

    def parse_call(self, tok: Token) -> tuple[str, Compiled]:
        name = tok.text
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r}", tok.offset,
                                  "only min(), max() and visited() can be called")
        self.expect("(")
        args: list[tuple[str, Compiled]] = []
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
        for (kind, _), arg_tok in zip(args, arg_tokens, strict=True):
            self._need(kind, NUM, arg_tok.offset, f"in {name}()")
        fns = [fn for _, fn in args]
        pick = min if name == "min" else max
        return NUM, lambda v, s: pick(fn(v, s) for fn in fns)

    def _visited(self, tok: Token, args: list[tuple[str, Compiled]], arg_tokens: list[Token]) -> tuple[str, Compiled]:
        if len(args) != 1 or arg_tokens[0].kind != "string":
            raise ExpressionError("visited() takes one scene id in quotes, e.g. visited('purge')", tok.offset)
        scene = arg_tokens[0].text[1:-1]
        if self.scene_exists is not None and not self.scene_exists(scene):
            raise ExpressionError(f"visited() names an unknown scene {scene!r}", arg_tokens[0].offset)
        self.scenes.add(scene)
        return NUM, lambda v, s: s.get(scene, 0)

    @staticmethod
    def _need(kind: str, wanted: str, offset: int, where: str) -> None:
        if kind != wanted:
            raise ExpressionError(f"expected a {wanted} {where}, got a {kind}", offset)


def _checked(value: Any) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) > MAX_MAGNITUDE:
        raise EvalError(f"a number grew too large ({value:.3g})")
    return value


def _add(a: Compiled, b: Compiled) -> Compiled:
    return lambda v, s: _checked(a(v, s) + b(v, s))


def _sub(a: Compiled, b: Compiled) -> Compiled:
    return lambda v, s: _checked(a(v, s) - b(v, s))


def _mul(a: Compiled, b: Compiled) -> Compiled:
    return lambda v, s: _checked(a(v, s) * b(v, s))


def _div(a: Compiled, b: Compiled) -> Compiled:
    def divide(v: Env, s: Visits) -> Any:
        divisor = b(v, s)
        if divisor == 0:
            raise EvalError("division by zero")
        return _checked(a(v, s) / divisor)
    return divide


_ARITH: dict[str, Callable[[Compiled, Compiled], Compiled]] = {"+": _add, "-": _sub, "*": _mul, "/": _div}


def _concat(a: Compiled, b: Compiled) -> Compiled:
    def join(v: Env, s: Visits) -> str:
        text = a(v, s) + b(v, s)
        if len(text) > MAX_STRING:
            raise EvalError("a string grew too long")
        return text
    return join


def _or(a: Compiled, b: Compiled) -> Compiled:
    return lambda v, s: a(v, s) or b(v, s)


def _and(a: Compiled, b: Compiled) -> Compiled:
    return lambda v, s: a(v, s) and b(v, s)


def _suggest(name: str, known: Mapping[str, Any] | list[str], fallback: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return fallback


def type_of(value: Any) -> str:
    """The expression type of a Python value taken from YAML."""
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUM
    return STR


def compile_expression(source: str, variables: Mapping[str, str],
                       scene_exists: Callable[[str], bool] | None = None) -> Expression:
    """Parse and type-check ``source``; ``variables`` maps each name to its type.

    Raises :class:`ExpressionError` with the offending column.
    """
    if len(source) > MAX_SOURCE:
        raise ExpressionError(f"expression is longer than {MAX_SOURCE} characters", 0)
    parser = _Parser(source, variables, scene_exists)
    kind, fn = parser.parse()
    return Expression(source, kind, fn, frozenset(parser.names), frozenset(parser.scenes))


def constant(value: Value) -> Expression:
    """An expression that always gives ``value`` (for literal numbers and flags in YAML)."""
    return Expression(repr(value), type_of(value), lambda v, s: value)


suggest = _suggest
