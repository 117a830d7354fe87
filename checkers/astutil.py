"""Small questions about ``ast`` nodes that several rules ask, answered once."""

from __future__ import annotations

import ast
import warnings

from oomlint.semantic import SemanticModel

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_INFINITY = frozenset({"math.inf", "sys.maxsize", "numpy.inf"})


def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse`` of the checked code, without the warnings the parser gives about it
    (an invalid escape like ``"\\d"``): they are for the code's own compiler, and would
    clutter every host's stderr. Only the parse is silenced, never oomlint's own code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename, mode)


def callee(model: SemanticModel, expr: ast.AST) -> tuple[str | None, ast.Call | None]:
    """``(qualified name, call)`` for ``f(...)``, ``(qualified name, None)`` for a bare ``f``.

    A name assigned from a call (``memo = lru_cache(maxsize=None)``) stands for the call.
    """
    expr = model.resolve(expr)
    if isinstance(expr, ast.Call):
        return model.qualified_name(expr.func), expr
    return model.qualified_name(expr), None


def argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    """The expression passed for a parameter, by keyword or at ``position``."""
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    if position is not None and position < len(call.args):
        value = call.args[position]
        if not any(isinstance(arg, ast.Starred) for arg in call.args[: position + 1]):
            return value
    return None


def is_none(expr: ast.AST | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def is_infinite(model: SemanticModel, expr: ast.AST | None) -> bool:
    """``float("inf")``, ``math.inf``, ``sys.maxsize``: a size limit that limits nothing."""
    if expr is None:
        return False
    if model.qualified_name(expr) in _INFINITY:
        return True
    if isinstance(expr, ast.Call) and model.qualified_name(expr.func) == "builtins.float" and expr.args:
        value = expr.args[0]
        return isinstance(value, ast.Constant) and str(value.value).strip().lower().lstrip("+") in ("inf", "infinity")
    return False


def decorator_names(model: SemanticModel, function: FunctionNode) -> set[str]:
    """Qualified names of a function's decorators (``f`` and ``f(...)`` alike)."""
    return {name for name, _ in (callee(model, item) for item in function.decorator_list) if name}


def is_method(model: SemanticModel) -> bool:
    """Whether the function being defined now sits directly in a class body."""
    return model.class_def is not None


def explicit_parameters(model: SemanticModel, function: FunctionNode) -> list[ast.arg]:
    """Parameters a caller passes: ``self``/``cls`` of a method left out."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    if is_method(model) and positional and "builtins.staticmethod" not in decorator_names(model, function):
        positional = positional[1:]
    extra = [arg for arg in (args.vararg, args.kwarg) if arg is not None]
    return [*positional, *args.kwonlyargs, *extra]


def child_blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists a compound statement holds (body, handlers, else, finally, cases)."""
    if isinstance(statement, (ast.Try, ast.TryStar)):
        handlers = [handler.body for handler in statement.handlers]
        return [statement.body, *handlers, statement.orelse, statement.finalbody]
    if isinstance(statement, ast.Match):
        return [case.body for case in statement.cases]
    return [getattr(statement, name) for name in ("body", "orelse") if isinstance(getattr(statement, name, None), list)]
