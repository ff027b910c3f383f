"""What the writers' tools read from expression trees: comparisons with constants, and plain reads.

The trees themselves are the engine's own (:mod:`game.runtime.syntax`):
every :class:`~game.runtime.expressions.Expression` keeps the tree it was
compiled from, so the linter and the exhaustive explorer reason about
exactly what the engine runs, with no second parser.
"""

from __future__ import annotations

from game.runtime.expressions import Expression
from game.runtime.syntax import (  # noqa: F401  (the tools import the tree's names from here)
    ARITHMETIC,
    COMPARISONS,
    LOGIC,
    Binary,
    Call,
    Const,
    Node,
    Unary,
    Var,
    Visited,
    walk,
)


def tree_of(expression: Expression) -> Node:
    """The tree an expression was compiled from."""
    if expression.tree is None:
        raise ValueError(f"the expression {expression.source!r} was built without its tree")
    return expression.tree


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
