"""flake8 host: flake8 hands over its tree and lines; the engine does the rest.

Selection and ``# noqa`` are flake8's own (``--select``, ``--extend-ignore``, ...),
applied on top of ``[tool.oomlint]``; so the engine's noqa handling is off here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oomlint.core.config import find_config
from oomlint.core.source import too_large
from oomlint.core.version import __version__
from oomlint.python.checker import check_source


class Flake8Plugin:
    name = "oomlint"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]):
        self.tree = tree
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        config = find_config(self.filename)
        rules = config.rules_for(self.filename)
        source = "".join(self.lines)
        # flake8 has read the file already: the limit applies to the text it hands over.
        size = len(source.encode("utf-8"))
        findings = too_large(self.filename, size, config.max_file_size) or check_source(
            source, self.filename, rules, tree=self.tree, noqa=False
        )
        for finding in findings:
            # flake8 columns are 0-based; it adds 1 when it prints them.
            yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)
