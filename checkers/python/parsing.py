"""Parsing the checked code, the collector's pause while one file is parsed and walked, and
the trees kept between the project index and the check of one file."""

from __future__ import annotations

import ast
import contextlib
import gc
import os
import warnings
from collections.abc import Iterable, Iterator


def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse`` of the checked code, without the warnings the parser gives about it
    (an invalid escape like ``"\\d"``): they are for the code's own compiler, and would
    clutter every host's stderr. Only the parse is silenced, never oomlint's own code.
    A module written for a newer Python is parsed as :mod:`oomlint.python.newer_syntax`
    reads it; what neither reads raises this Python's ``SyntaxError``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(source, filename, mode)
        except SyntaxError:
            if mode != "exec":
                raise
            from oomlint.python.newer_syntax import downlevel  # libcst: only for such a module

            older = downlevel(source)
            if older is None:
                raise
        return ast.parse(older, filename, mode)


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


class Shelf:
    """Trees parsed by one reader of a file, kept for the next reader in the same process:
    on a cold run the project index parses and summarizes a file, then the file's check
    would parse it again. The host names the files it checks here (:meth:`expect`); a tree
    of one of them is kept from its summary to its check, within ``budget`` characters
    of source (a tree takes about 30 bytes per character), first come first kept, as
    files are summarized and checked in the same order. A tree is handed out only for
    the same text, so it is the tree ``parse`` would give; readers do not change trees."""

    def __init__(self, budget: int):
        self.budget = budget
        self._expected: set[str] = set()
        self._trees: dict[str, tuple[str, ast.AST]] = {}
        self._kept = 0
        self._held: dict[str, tuple[str, ast.AST]] = {}
        """The trees of the files being checked (:meth:`holding`)."""

    def expect(self, paths: Iterable[str]) -> None:
        """The files this process will check: only their trees are worth keeping."""
        self._expected.update(map(os.path.abspath, paths))

    def keep(self, path: str, source: str, tree: ast.AST) -> None:
        path = os.path.abspath(path)
        if path in self._expected and path not in self._trees and self._kept + len(source) <= self.budget:
            self._trees[path] = (source, tree)
            self._kept += len(source)

    def take(self, path: str, source: str, keep: bool = False) -> ast.AST | None:
        """The tree kept for ``path`` if it was parsed from ``source``; it is no longer kept
        unless ``keep`` (a reader before the last: a check is the last)."""
        path = os.path.abspath(path)
        held = self._held.get(path)
        if held is not None and held[0] == source:
            return held[1]
        entry = self._trees.get(path)
        if entry is None:
            return None
        if not keep or entry[0] != source:
            del self._trees[path]
            self._kept -= len(entry[0])
        return entry[1] if entry[0] == source else None

    @contextlib.contextmanager
    def holding(self, path: str, source: str, tree: ast.AST) -> Iterator[None]:
        """``tree`` handed out for ``path`` while its check runs (a question about how often
        its own functions run reads the module), whatever the budget: it is in memory anyway."""
        path = os.path.abspath(path)
        self._held[path] = (source, tree)
        try:
            yield
        finally:
            self._held.pop(path, None)

    def clear(self) -> None:
        self._expected.clear()
        self._trees.clear()
        self._kept = 0


TREES = Shelf(budget=1_000_000)
"""This process's :class:`Shelf`; empty unless a host says which files it checks."""
