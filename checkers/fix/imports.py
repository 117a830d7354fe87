"""A fix's ``import json`` goes where isort would put it: into the standard library's
group of the module's leading imports, among its ``import x`` statements in order (isort's
defaults: ``import x`` before ``from x import y`` in a section, names compared without
case), or as a new group between the ``__future__`` imports and the third-party ones.

Fixes ask for imports with libcst's ``AddImportsVisitor.add_needed_import``; the driver
hands the plain standard-library ones here first and the rest to libcst, which adds them
at the end of the leading imports (where a ``from`` import of a module already imported
merges into it).
"""

from __future__ import annotations

import sys

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor


def place_standard_imports(module: cst.Module, context: CodemodContext) -> cst.Module:
    """``module`` with the plain standard-library imports the fixes asked for, placed as
    isort places them; those requests are taken out of ``context``, the others left."""
    requested = context.scratch.get(AddImportsVisitor.CONTEXT_KEY, [])
    placed = [
        item for item in requested
        if item.obj_name is None and item.alias is None and not item.relative and _is_standard(item.module_name)
    ]
    if not placed or _leading_imports(module)[1] == 0:
        return module  # no import block to sort into: libcst puts it after the docstring
    context.scratch[AddImportsVisitor.CONTEXT_KEY] = [item for item in requested if item not in placed]
    for name in sorted({item.module_name for item in placed}):
        module = _add_import(module, name)
    return module


def _add_import(module: cst.Module, name: str) -> cst.Module:
    if any(_is_import(statement) and name in _plain_names(statement) for statement in module.body):
        return module
    start, end = _leading_imports(module)
    body = list(module.body)
    new = cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(name=cst.parse_expression(name))])])
    standard = [index for index in range(start, end) if _section(body[index]) == "standard"]
    plain = [index for index in standard if _plain_names(body[index])]
    after = [index for index in plain if _sort_key(_plain_names(body[index])[0]) > _sort_key(name)]
    if after:  # before the first that sorts after it, taking the lines above that one
        position = after[0]
        new, body[position] = _take_leading_lines(new, body[position], separate=False)
    elif plain:  # after the last one
        position = plain[-1] + 1
    elif standard:  # before the group's ``from`` imports
        position = standard[0]
        new, body[position] = _take_leading_lines(new, body[position], separate=False)
    else:  # a group of its own, after ``__future__``, before the other imports
        position = next((index for index in range(start, end) if _section(body[index]) != "future"), end)
        if position < end:
            new, body[position] = _take_leading_lines(new, body[position], separate=True)
        else:
            new = new.with_changes(leading_lines=[cst.EmptyLine()])
    body.insert(position, new)
    return module.with_changes(body=body)


def _take_leading_lines(new: cst.SimpleStatementLine, old: cst.SimpleStatementLine, separate: bool):
    """``new`` goes above ``old``: it takes the blank lines above ``old`` (the gap between
    groups); ``old`` keeps its comments, after one blank line when it starts another group."""
    blank = [line for line in old.leading_lines if line.comment is None]
    comments = [line for line in old.leading_lines if line.comment is not None]
    return new.with_changes(leading_lines=blank), old.with_changes(leading_lines=([cst.EmptyLine()] if separate else []) + comments)


def _leading_imports(module: cst.Module) -> tuple[int, int]:
    """The statements ``[start, end)`` of the module's leading imports (after its docstring)."""
    body = module.body
    start = 1 if body and _is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _is_import(body[end]):
        end += 1
    return start, end


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)


def _section(statement: cst.SimpleStatementLine) -> str:
    """isort's section of an import statement: future, standard or other."""
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        if small.relative or small.module is None:
            return "other"
        name = cst.Module(body=[]).code_for_node(small.module)
        return "future" if name == "__future__" else "standard" if _is_standard(name) else "other"
    return "standard" if _is_standard(cst.Module(body=[]).code_for_node(small.names[0].name)) else "other"


def _plain_names(statement: cst.SimpleStatementLine) -> list[str]:
    """The modules an ``import a, b`` statement binds by their own names (none for ``from``)."""
    return [
        cst.Module(body=[]).code_for_node(alias.name)
        for small in statement.body if isinstance(small, cst.Import)
        for alias in small.names if alias.asname is None
    ]


def _is_standard(name: str) -> bool:
    return name.partition(".")[0] in sys.stdlib_module_names


def _sort_key(name: str) -> str:
    return name.lower()
