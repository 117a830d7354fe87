"""Which fields of an ``ast`` node can hold the nodes a walk visits: every walk of the
package (the engine's, :class:`oomlint.python.astutil.ModuleFacts`') reads them from one
table instead of asking ``ast.iter_child_nodes``, which tries every field of every node."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

# Fields that never hold nodes a rule visits: names, flags, and operator/context
# singletons (rules read ``node.op`` from the parent instead).
_SCALAR_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment", "conversion",
     "is_async", "simple", "names", "tag", "lineno", "op", "ops", "kwd_attrs", "rest", "asname"}
)


def _child_fields(node_type: type) -> tuple[str, ...]:
    return tuple(name for name in node_type._fields if name not in _SCALAR_FIELDS)


CHILD_FIELDS = {
    node_type: _child_fields(node_type)
    for node_type in vars(ast).values()
    if isinstance(node_type, type) and issubclass(node_type, ast.AST)
}
CHILD_FIELDS[ast.Constant] = CHILD_FIELDS[ast.MatchSingleton] = ()
PARENTED_FIELDS = {
    node_type: (*fields, "names") if "names" in node_type._fields else fields
    for node_type, fields in CHILD_FIELDS.items()
}
"""The fields whose nodes the semantic model's map of parents knows: :data:`CHILD_FIELDS`,
and the ``alias`` nodes of imports (``Global`` names are strings, skipped by type)."""


def child_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes directly below ``node`` in its :data:`CHILD_FIELDS`, in field order
    (``None`` holes of lists, as in a dict's ``**`` keys, left out)."""
    for name in CHILD_FIELDS[type(node)]:
        value = getattr(node, name)
        if type(value) is list:
            for item in value:
                if item is not None:
                    yield item
        elif value is not None:
            yield value


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk``: ``node`` and every node below it, breadth first in the same order,
    less what :data:`CHILD_FIELDS` leaves out (operator and context singletons, import
    aliases), which no search of expressions looks for; read from the table, not from
    every field of every node."""
    pending = deque([node])
    while pending:
        node = pending.popleft()
        for name in CHILD_FIELDS[type(node)]:
            value = getattr(node, name)
            if type(value) is list:
                pending.extend(item for item in value if item is not None)
            elif value is not None:
                pending.append(value)
        yield node


def preorder(nodes: list[ast.AST]) -> Iterator[ast.AST]:
    """Each of ``nodes`` and every node below it, depth first in source order (a node
    before what it holds, the first field's nodes before the next's), less what
    :data:`CHILD_FIELDS` leaves out: for a walk whose findings depend on meeting code in
    the order it is written."""
    pending = list(reversed(nodes))
    while pending:
        node = pending.pop()
        yield node
        pending.extend(reversed(list(child_nodes(node))))
