"""Parsing the checked code, and the collector's pause while one file is parsed and walked."""

from __future__ import annotations

import ast
import contextlib
import gc
import warnings
from collections.abc import Iterator


def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse`` of the checked code, without the warnings the parser gives about it
    (an invalid escape like ``"\\d"``): they are for the code's own compiler, and would
    clutter every host's stderr. Only the parse is silenced, never oomlint's own code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename, mode)


@contextlib.contextmanager
def one_file() -> Iterator[None]:
    """Python's cycle collector paused while one file is parsed, modelled and walked.

    Everything made for a file lives until the file is done, so a collection in the
    middle frees nothing, yet traverses every node of its tree and model again, more
    often the larger the file: a third of a cold run's time over the standard library.
    What the file leaves in reference cycles (its model's scopes and bindings hold the
    tree) is collected after it, by the next young collection, once; the peak grows
    by one file's cycles at most. Nested and concurrent uses leave the collector on
    whenever one of them found it on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
