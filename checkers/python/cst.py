"""libcst helpers for the fixes of Python rules: the block around a statement, and
statements as the body of a new compound statement. Only fixing imports libcst."""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.metadata import ParentNodeProvider, PositionProvider


def statement_span(node: cst.CSTNode, last_line: int, context: CodemodContext):
    """For fixes that restructure a block: ``(block, start, end)``, the indented block (or
    module) around the statement holding ``node``, that statement's index in it, and the
    index of the later statement of the block that ends on ``last_line``. None when the
    statement is in a one-line suite, or no statement of its block ends there."""
    parents = context.wrapper.resolve(ParentNodeProvider)
    positions = context.wrapper.resolve(PositionProvider)
    statement = node
    while not isinstance(parents.get(statement), (cst.IndentedBlock, cst.Module)):
        if statement not in parents or isinstance(statement, cst.SimpleStatementSuite):
            return None
        statement = parents[statement]
    block = parents[statement]
    start = next(index for index, item in enumerate(block.body) if item is statement)
    for end in range(start + 1, len(block.body)):
        if positions[block.body[end]].end.line == last_line:
            return block, start, end
    return None


def indented(statements, header: cst.TrailingWhitespace | None = None) -> cst.IndentedBlock:
    """``statements`` as the body of a new compound statement, ``header`` ending its first
    line; blank lines above the first statement are dropped (comments stay)."""
    first, *rest = statements
    kept = [line for line in first.leading_lines if line.comment is not None]
    return cst.IndentedBlock(
        body=[first.with_changes(leading_lines=kept), *rest], header=header or cst.TrailingWhitespace()
    )
