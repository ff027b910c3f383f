"""Compiling a story expression's tree into nested Python closures, for play.

A closure per node, made once at load time: evaluating a condition is a
few function calls, with no tree walk and no ``eval``. Arithmetic checks
its results, so a story cannot grow numbers without bound or divide by
zero without a clear :class:`EvalError`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from game.errors import KiraError
from game.runtime.syntax import MAX_STRING, Binary, Call, Const, Node, Unary, Var, Visited

Env = Mapping[str, Any]
Visits = Mapping[str, int]
Compiled = Callable[[Env, Visits], Any]

MAX_MAGNITUDE = 1e12  # larger intermediate results are a play-time error


class EvalError(KiraError, ArithmeticError):
    """An expression failed while playing (division by zero, a number too large)."""


def compile_tree(node: Node) -> Compiled:
    """The closure that evaluates ``node`` with the variables and visit counts."""
    if isinstance(node, Const):
        value = node.value
        return lambda v, s: value
    if isinstance(node, Var):
        name = node.name
        return lambda v, s: v[name]
    if isinstance(node, Visited):
        scene = node.scene
        return lambda v, s: s.get(scene, 0)
    if isinstance(node, Unary):
        inner = compile_tree(node.operand)
        if node.op == "not":
            return lambda v, s: not inner(v, s)
        return lambda v, s: -inner(v, s)
    if isinstance(node, Call):
        fns = [compile_tree(arg) for arg in node.args]
        pick = min if node.name == "min" else max
        return lambda v, s: pick(fn(v, s) for fn in fns)
    left, right = compile_tree(node.left), compile_tree(node.right)
    return _BINARY[node.op](left, right, node)


def checked(value: Any) -> Any:
    """``value``, or an :class:`EvalError` when a number grew past the bound (or became NaN)."""
    if isinstance(value, float | int) and not isinstance(value, bool) and not abs(value) <= MAX_MAGNITUDE:
        raise EvalError(f"a number grew too large ({value:.3g})" if value == value else "a number became NaN")
    return value


def number_problem(value: Any) -> str:
    """Why a number written in a story file cannot be used ('' when it can): infinity, NaN, or too large."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if value != value or value in (float("inf"), float("-inf")):
        return f"{value} is not a number a story can count with"
    if abs(value) > MAX_MAGNITUDE:
        return f"{value:.3g} is larger than the limit of {MAX_MAGNITUDE:.0e}"
    return ""


def _add(a: Compiled, b: Compiled, node: Binary) -> Compiled:
    if node.type == "string":
        def join(v: Env, s: Visits) -> str:
            text = a(v, s) + b(v, s)
            if len(text) > MAX_STRING:
                raise EvalError("a string grew too long")
            return text
        return join
    return lambda v, s: checked(a(v, s) + b(v, s))


def _sub(a: Compiled, b: Compiled, node: Binary) -> Compiled:
    return lambda v, s: checked(a(v, s) - b(v, s))


def _mul(a: Compiled, b: Compiled, node: Binary) -> Compiled:
    return lambda v, s: checked(a(v, s) * b(v, s))


def _div(a: Compiled, b: Compiled, node: Binary) -> Compiled:
    def divide(v: Env, s: Visits) -> Any:
        divisor = b(v, s)
        if divisor == 0:
            raise EvalError("division by zero")
        return checked(a(v, s) / divisor)
    return divide


def _compare(fn: Callable[[Any, Any], bool]) -> Callable[[Compiled, Compiled, Binary], Compiled]:
    return lambda a, b, node: lambda v, s: fn(a(v, s), b(v, s))


_BINARY: dict[str, Callable[[Compiled, Compiled, Binary], Compiled]] = {
    "+": _add, "-": _sub, "*": _mul, "/": _div,
    "or": lambda a, b, node: lambda v, s: a(v, s) or b(v, s),
    "and": lambda a, b, node: lambda v, s: a(v, s) and b(v, s),
    "==": _compare(operator.eq), "!=": _compare(operator.ne), "<": _compare(operator.lt),
    "<=": _compare(operator.le), ">": _compare(operator.gt), ">=": _compare(operator.ge),
}
