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


_paused = False
"""Whether :func:`one_file` turned the collector off (a file checked or summarized now)."""


@contextlib.contextmanager
def one_file() -> Iterator[None]:
    """Python's cycle collector paused while one file is parsed, modelled and walked.

    Everything made for a file lives until the file is done, so a collection in the
    middle frees nothing, yet traverses every node of its tree and model again, more
    often the larger the file: a third of a cold run's time over the standard library.
    What the file leaves in reference cycles (its model's scopes and bindings hold the
    tree) is collected after it, by the next young collection, once. A file summarized
    while another is checked (the project index following a call) has its cycles
    collected as it ends, so the peak grows by one file's at most. A host that turned
    the collector off keeps it off."""
    global _paused
    if _paused:
        try:
            yield
        finally:
            gc.collect(0)  # only what was made since the last collection is young: traversed once
        return
    if not gc.isenabled():
        yield
        return
    gc.disable()
    _paused = True
    try:
        yield
    finally:
        _paused = False
        gc.enable()
