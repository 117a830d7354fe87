"""Parsing the checked code."""

from __future__ import annotations

import ast
import warnings


def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse`` of the checked code, without the warnings the parser gives about it
    (an invalid escape like ``"\\d"``): they are for the code's own compiler, and would
    clutter every host's stderr. Only the parse is silenced, never oomlint's own code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename, mode)
