"""Redis keys as text a project's modules can compare: which key family a write makes and
which families the project deletes, pops or sweeps, wherever it does.

A key's *family* is its text with ``*`` for what changes from call to call:
``f"session:{sid}"`` is ``session:*``, ``PREFIX + name`` is ``{app.keys.PREFIX}*`` (a
module-level name by its qualified name, as every module that imports it spells it),
``settings.CALLBACK_QUEUE`` is ``{django.conf.settings.CALLBACK_QUEUE}``,
a key builder ``policy_key(pid)`` is ``{app.keys.policy_key()}``. ``self.<attr>`` stands
for what the class assigned it, a local name for its value, a key walked from a scan
(``for key in r.scan_iter("names:*")``) for the scan's pattern. The project index keeps,
per module, the families its code removes (:func:`removed_families`), so that a rule
checking one module sees a consumer or a clean-up in another.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Callable

from oomlint.python.astutil import argument
from oomlint.python.semantic import Scope, SemanticModel

# Commands that delete the keys passed to them (every positional argument).
DELETES = frozenset({"delete", "unlink", "getdel"})
# Commands that take the entries out of a list, one by one, and their key parameter (the
# first; the blocking ones take a key or a list of keys): a list they drain is a queue,
# and Redis deletes a list when its last entry is popped.
POPS = {
    **dict.fromkeys(("lpop", "rpop", "blpop", "brpop", "rpoplpush", "brpoplpush"), "keys"),
    **dict.fromkeys(("lmove", "blmove"), "first_list"),
}
# (position, keyword) of the parameters through which a command expires the key it writes.
EXPIRING_PARAMETERS = {"set": ((2, "ex"), (3, "px"), (6, "keepttl"), (8, "exat"), (9, "pxat"))}
# Commands that walk the keys matching a pattern, and their pattern parameter.
SCANS = {"scan_iter": (0, "match"), "scan": (1, "match"), "keys": (0, "pattern")}
DELETE, POP, SWEEP = "delete", "pop", "sweep"
"""What a module does to a family: deletes keys of it, pops it (a queue), or deletes the
keys a scan of it walked (a consumer that drains every key of it)."""

_DEPTH = 8
_HOLE = "*"
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
_PERCENT_FIELD = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")

Qualify = Callable[[ast.expr], "str | None"]
"""The qualified name of what an expression names, the module's own definitions included."""


def key_family(model: SemanticModel, key: ast.expr, qualify: Qualify, scope: Scope | None = None) -> tuple[str | None, bool]:
    """The family of ``key`` (see the module's docstring), None when nothing of it is
    fixed (a parameter, ``str(path)``); and whether the key was walked from a scan."""
    walked = []
    text = "".join(_pieces(model, key, qualify, scope, _DEPTH, walked))
    text = re.sub(r"\*+", _HOLE, text)
    return (text if text.strip(_HOLE) else None), bool(walked)


def same_family(written: str, removed: str, what: str) -> bool:
    """Whether keys of the family ``written`` are among those a ``what`` of the family
    ``removed`` removes: the same family, or for a sweep keys its pattern matches
    (``jobs:*`` sweeps ``jobs:*:state``)."""
    return written == removed or (what == SWEEP and fnmatch.fnmatchcase(written, removed))


def removed_families(
    model: SemanticModel, call: ast.Call, qualify: Qualify, scope: Scope | None = None
) -> list[tuple[str, str, ast.expr]]:
    """``(what, family, key)`` for each key ``call`` deletes (``DELETE``, or ``SWEEP`` when
    a scan walked the key) or pops (``POP``), when its family is known; empty for any
    other call."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return []
    if func.attr in DELETES:
        keys = list(call.args)
    elif func.attr in POPS:
        key = argument(call, 0, POPS[func.attr])
        keys = key.elts if isinstance(key, (ast.List, ast.Tuple)) else [key] if key is not None else []
    else:
        return []
    found = []
    for key in keys:
        family, walked = key_family(model, key, qualify, scope)
        if family is not None:
            found.append((POP if func.attr in POPS else SWEEP if walked else DELETE, family, key))
    return found


def _pieces(model: SemanticModel, expr: ast.expr, qualify: Qualify, scope: Scope | None, depth: int, walked: list) -> list[str]:
    """The text of ``expr`` as a key, piece by piece, ``*`` for what changes."""
    if depth == 0:
        return [_HOLE]
    deeper = depth - 1

    def pieces(item: ast.expr) -> list[str]:
        return _pieces(model, item, qualify, scope, deeper, walked)

    if isinstance(expr, ast.Constant):
        return [str(expr.value)] if isinstance(expr.value, (str, int)) else [_HOLE]
    if isinstance(expr, ast.JoinedStr):
        return [piece for value in expr.values for piece in pieces(value.value if isinstance(value, ast.FormattedValue) else value)]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return [*pieces(expr.left), *pieces(expr.right)]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod) and _is_text(expr.left):
        return [_PERCENT_FIELD.sub(_HOLE, str(expr.left.value))]
    if isinstance(expr, ast.Starred):
        return pieces(expr.value)
    if isinstance(expr, ast.Call):
        return _call_pieces(model, expr, qualify, scope, pieces, walked)
    if isinstance(expr, ast.Name):
        return _name_pieces(model, expr, qualify, scope, pieces, walked)
    if isinstance(expr, ast.Attribute):
        if model.is_self(expr.value, scope):
            value = model.resolve(expr, scope)
            return pieces(value) if value is not expr else [_HOLE]
        name = qualify(expr)
        return [f"{{{name}}}"] if name is not None else [_HOLE]
    return [_HOLE]


def _call_pieces(model, call: ast.Call, qualify: Qualify, scope, pieces, walked: list) -> list[str]:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "format" and _is_text(func.value):
        return [_FORMAT_FIELD.sub(_HOLE, str(func.value.value))]
    if isinstance(func, ast.Attribute) and func.attr in SCANS:
        # ``delete(*r.keys("jobs:*"))``: the keys the scan walks.
        pattern = argument(call, *SCANS[func.attr])
        if pattern is None:
            return [_HOLE]
        walked.append(call)
        return pieces(pattern)
    name = qualify(func)
    if name == "builtins.str" and len(call.args) == 1 and not call.keywords:
        return pieces(call.args[0])
    if name == "builtins.getattr" and len(call.args) in (2, 3) and _is_text(call.args[1]):
        # ``getattr(settings, "QUEUE", "")`` reads ``settings.QUEUE``.
        owner = qualify(call.args[0])
        return [f"{{{owner}.{call.args[1].value}}}"] if owner is not None else [_HOLE]
    if name is None:
        return [_HOLE]
    # A helper given different texts makes different families: ``key("lock", tile)`` is not
    # ``key("data", tile)`` (deleting the lock leaves the data).
    given = ",".join(str(arg.value) if _is_text(arg) else _HOLE for arg in call.args) if any(map(_is_text, call.args)) else ""
    return [f"{{{name}({given})}}"]


def _name_pieces(model, name: ast.Name, qualify: Qualify, scope, pieces, walked: list) -> list[str]:
    binding = model.lookup(name.id, scope, at=name)
    if binding is None or binding.kind == "param":
        return [_HOLE]
    loop = binding.node
    if binding.kind == "assign" and isinstance(loop, (ast.For, ast.AsyncFor)) and _target_is(loop.target, name.id):
        # ``for key in r.scan_iter("names:*")``: a key of the pattern.
        if isinstance(loop.iter, ast.Call) and isinstance(loop.iter.func, ast.Attribute) and loop.iter.func.attr in SCANS:
            return pieces(loop.iter)
        return [_HOLE]
    if binding.scope is model.module_scope:
        # By its qualified name, which every module that imports it spells the same.
        qualified = qualify(name)
        return [f"{{{qualified}}}"] if qualified is not None else [_HOLE]
    if binding.kind == "assign" and binding.value is not None:
        return pieces(binding.value)
    return [_HOLE]


def _target_is(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Name) and target.id == name


def _is_text(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and isinstance(expr.value, str)
