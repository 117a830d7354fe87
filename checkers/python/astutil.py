"""Small questions about ``ast`` nodes that several rules ask, answered once."""

from __future__ import annotations

import ast

from oomlint.python.semantic import SemanticModel

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_INFINITY = frozenset({"math.inf", "sys.maxsize", "numpy.inf"})
_CLASS_NAMES = frozenset({"__name__", "__qualname__", "__module__"})
_SAME_EVERY_RUN = (
    ast.Constant, ast.Attribute, ast.BinOp, ast.JoinedStr, ast.FormattedValue, ast.Tuple, ast.List, ast.Call,
    ast.keyword, ast.operator, ast.expr_context,
)


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


def last_name(expr: ast.expr) -> str | None:
    """``attr`` of ``x.attr``, ``name`` of ``name``; None for anything else."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


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




def builds_own_instance(func: ast.expr) -> bool:
    """``cls(...)``, ``type(self)(...)`` or ``self.__class__(...)``: a class making more of itself."""
    if isinstance(func, ast.Name):
        return func.id == "cls"
    if isinstance(func, ast.Attribute):
        return func.attr == "__class__"
    return isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "type"


def made_per_run(model: SemanticModel, expr: ast.expr) -> bool:
    """Whether ``expr`` is a new object each time the code being walked runs: a call, a lambda,
    a nested function, a local name or ``self.<attr>`` assigned from one, or a method bound to
    any of these (``self.close`` is a new object per instance). Module-level objects,
    parameters (even with a default made in the body) and what cannot be followed are not."""
    for _ in range(8):
        if isinstance(expr, (ast.Call, ast.Lambda)):
            return True
        if isinstance(expr, ast.Name):
            binding = model.lookup(expr.id, at=expr)
            if binding is None or binding.scope is model.module_scope or model.is_parameter(expr.id):
                return False
            if binding.kind == "def":
                return True
            if binding.kind not in ("assign", "with") or binding.value is None:
                return False
            expr = binding.value
        elif isinstance(expr, ast.Attribute):
            if model.is_self(expr.value):
                value = model.instance_attribute(expr.attr)
                if value is not None:
                    return isinstance(value, (ast.Call, ast.Lambda))
                member = model.class_member(expr.attr)
                return member is not None and member.kind == "def"
            expr = expr.value
        else:
            return False
    return False


def same_every_run(model: SemanticModel, expr: ast.expr) -> bool:
    """Whether ``expr`` has the same value each time the code being walked runs, as far as
    names tell: literals, module-level names, ``__name__``, a class's
    ``__name__``/``__qualname__``/``__module__`` (``self.__class__.__name__`` included), and
    what operators, f-strings and calls build from them only (``Defaults.log_name()``,
    ``"{}.jobs".format(__name__)``). Parameters, locals and other attributes of ``self``
    are not."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Attribute) and node.attr in _CLASS_NAMES:
            continue
        if isinstance(node, ast.Name):
            binding = model.lookup(node.id, at=node)
            if binding is not None and binding.scope is not model.module_scope:
                return False
            continue
        if not isinstance(node, _SAME_EVERY_RUN):
            return False
        stack.extend(ast.iter_child_nodes(node))
    return True
