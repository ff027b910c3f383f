"""The safe expression language of conditions and effects: parse once, compile once, evaluate often.

:func:`compile_expression` parses a condition or an effect's value into a
typed tree (:mod:`game.runtime.syntax`) and compiles the tree into
closures (:mod:`game.runtime.compiler`). An :class:`Expression` keeps
both: the engine calls ``fn``, the writers' tools read ``tree``. There is
one grammar and one parser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.runtime.compiler import MAX_MAGNITUDE, Compiled, Env, EvalError, Visits, checked, compile_tree, number_problem
from game.runtime.syntax import (
    BOOL,
    FUNCTIONS,
    KEYWORDS,
    MAX_SOURCE,
    NUM,
    STR,
    Const,
    ExpressionError,
    Node,
    Parser,
    Token,
    Value,
    suggest,
    tokenize,
    type_of,
)

__all__ = ["BOOL", "FUNCTIONS", "KEYWORDS", "MAX_MAGNITUDE", "MAX_SOURCE", "NUM", "STR", "Compiled", "Env",
           "EvalError", "Expression", "ExpressionError", "Token", "Value", "Visits", "checked", "compile_expression",
           "constant", "number_problem", "suggest", "tokenize", "type_of"]


@dataclass(frozen=True)
class Expression:
    """A compiled expression: ``evaluate(variables, visits)``; ``tree`` is its parsed form, for tools."""

    source: str
    type: str
    fn: Compiled = field(repr=False, compare=False)
    names: frozenset[str] = frozenset()
    scenes: frozenset[str] = frozenset()
    tree: Node | None = field(default=None, repr=False, compare=False)

    def evaluate(self, variables: Env, visits: Visits) -> Any:
        return self.fn(variables, visits)


def compile_expression(source: str, variables: Mapping[str, str],
                       scene_exists: Callable[[str], bool] | None = None) -> Expression:
    """Parse and type-check ``source``; ``variables`` maps each name to its type.

    Raises :class:`ExpressionError` with the offending column.
    """
    parser = Parser(source, variables, scene_exists)
    tree = parser.parse()
    return Expression(source, tree.type, compile_tree(tree), frozenset(parser.names), frozenset(parser.scenes), tree)


def constant(value: Value) -> Expression:
    """An expression that always gives ``value`` (for literal numbers and flags in YAML)."""
    tree = Const(value, type_of(value))
    return Expression(repr(value), tree.type, compile_tree(tree), tree=tree)
