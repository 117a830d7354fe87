"""flake8 host: flake8 hands over its tree and lines; the engine does the rest.

Selection and ``# noqa`` are flake8's own (``--select``, ``--extend-ignore``, ...),
applied on top of ``[tool.oomlint]``; so the engine's noqa handling is off here.
"""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
import sys
from collections.abc import Iterator

from flake8.discover_files import expand_paths

from oomlint.core.config import ConfigError, find_config
from oomlint.core.source import too_large
from oomlint.core.version import __version__
from oomlint.engine import project_for
from oomlint.python.checker import check_source
from oomlint.python.project import settle_indexes


class Flake8Plugin:
    name = "oomlint"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]):
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Read the settings of every file flake8 will check, once, before it checks any.

        A bad ``[tool.oomlint]`` then stops the run as a bad option does: one line on
        stderr and exit 2, where a failure while checking would be a traceback in a worker
        and exit 1, which in flake8 means findings. flake8 calls this in its workers too,
        when they do not fork: the main process has already checked by then.

        The project indexes the files need are made here too, once, before flake8 forks
        its workers (``-j``, all cores by default), which inherit them: else each worker
        would make each index again on its first file.
        """
        if multiprocessing.parent_process() is not None:
            return
        settle_indexes()
        files = expand_paths(
            paths=options.filenames,
            stdin_display_name=options.stdin_display_name,
            filename_patterns=options.filename,
            exclude=(*options.exclude, *options.extend_exclude),
        )
        folders: dict[str, list[str]] = {}
        for path in files:
            folders.setdefault(os.path.dirname(options.stdin_display_name if path == "-" else path), []).append(path)
        try:
            for directory in folders:
                find_config(directory or os.curdir)
        except ConfigError as error:
            print(f"oomlint: error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        for paths in folders.values():
            # A folder's files share their project: the first that needs its index makes it.
            for path in paths:
                if path != "-" and project_for(path, find_config(path).rules_for(path)) is not None:
                    break

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        config = find_config(self.filename)
        rules = config.rules_for(self.filename)
        source = "".join(self.lines)
        # flake8 has read the file already: the limit applies to the text it hands over.
        size = len(source.encode("utf-8"))
        findings = too_large(self.filename, size, config.max_file_size) or check_source(
            source, self.filename, rules, tree=self.tree, noqa=False, project=project_for(self.filename, rules)
        )
        for finding in findings:
            # flake8 columns are 0-based; it adds 1 when it prints them.
            yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)
