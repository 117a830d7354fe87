"""``--format full``: each finding with the source it points at, as ruff and rustc show
them: the flagged lines and one line around them, numbered in a gutter, carets under
the span, then the change ``oomlint fix`` would make, when it has one. In colour on a
terminal (:func:`wants_colour`)."""

from __future__ import annotations

import difflib
import io
import os
import unicodedata
from collections.abc import Mapping

from oomlint.core.findings import Finding
from oomlint.report.fingerprint import source_lines

MAX_SPAN_LINES = 8
"""A span longer than this (a whole ``try`` block) shows its first lines only."""
_TAB = 4
_RESET, _BOLD, _RED, _GREEN, _BLUE = "\x1b[0m", "\x1b[1m", "\x1b[1;31m", "\x1b[32m", "\x1b[1;34m"


def wants_colour(stream) -> bool:
    """Python's own rule (3.13's ``_colorize``): ``NO_COLOR`` set and not empty turns
    colour off, else ``FORCE_COLOR`` turns it on; else only a terminal that is not
    ``TERM=dumb`` gets it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class SourceView:
    """Renders findings with their source; reads each file once."""

    def __init__(self, colour: bool = False, fixed_sources: Mapping[Finding, str] | None = None):
        self.colour = colour
        self.fixed_sources = fixed_sources or {}
        """The source of a finding's file once its fix is applied, for the findings that have one."""
        self._lines: dict[str, list[str]] = {}

    def __call__(self, header: str, finding: Finding) -> str:
        """``header`` (the finding's text line), then its source and fix, then a blank line."""
        if finding.path not in self._lines:
            self._lines[finding.path] = [line.rstrip("\n") for line in source_lines(finding.path)]
        lines = self._lines[finding.path]
        block = [self._paint(_BOLD, header)]
        if 0 < finding.line <= len(lines):
            block += self._snippet(finding, lines)
        if finding in self.fixed_sources:
            block += self._fix(finding, lines, self.fixed_sources[finding])
        return "\n".join(block) + "\n"

    def _snippet(self, finding: Finding, lines: list[str]) -> list[str]:
        last = min(finding.end_line, len(lines), finding.line + MAX_SPAN_LINES - 1)
        shown = range(max(1, finding.line - 1), min(len(lines), last + 1) + 1)
        width = len(str(shown[-1]))
        gutter = self._paint(_BLUE, " " * width + " |")
        rows = [gutter]
        for number in shown:
            text = lines[number - 1]
            rows.append(self._paint(_BLUE, f"{number:>{width}} |") + (" " + _expand(text) if text else ""))
            if number == finding.line:
                start = finding.column - 1
                end = finding.end_column - 1 if finding.end_line == finding.line else len(text)
                before = _display_width(text[:start])
                carets = "^" * max(1, _display_width(text[start:end]))
                rows.append(gutter + " " + " " * before + self._paint(_RED, f"{carets} {finding.code}"))
            if number == last and last < min(finding.end_line, len(lines)):
                rows.append(self._paint(_BLUE, " " * width + " :") + " ...")
        rows.append(gutter)
        return rows

    def _fix(self, finding: Finding, lines: list[str], fixed_source: str) -> list[str]:
        """The lines the fix removes and adds, numbered in the file before and after."""
        new_lines = [line.rstrip("\n") for line in io.StringIO(fixed_source, newline=None).readlines()]
        label = "fix: oomlint fix" if finding.fix == "safe" else "unsafe fix: oomlint fix --unsafe-fixes"
        rows = [self._paint(_BLUE, "  =") + f" {label}"]
        changes = difflib.SequenceMatcher(None, lines, new_lines, autojunk=False).get_opcodes()
        width = len(str(max(len(lines), len(new_lines), 1)))
        for tag, old_start, old_end, new_start, new_end in changes:
            if tag == "equal":
                continue
            rows += [self._paint(_RED, f"    {n + 1:>{width}} - {_expand(lines[n])}".rstrip()) for n in range(old_start, old_end)]
            rows += [self._paint(_GREEN, f"    {n + 1:>{width}} + {_expand(new_lines[n])}".rstrip()) for n in range(new_start, new_end)]
        return rows

    def _paint(self, style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if self.colour else text


def _expand(text: str) -> str:
    return text.expandtabs(_TAB)


def _display_width(text: str) -> int:
    """Terminal columns: tabs to the next stop, wide (East Asian) characters two, combining ones none."""
    return sum(
        0 if unicodedata.combining(character) else 2 if unicodedata.east_asian_width(character) in "WF" else 1
        for character in _expand(text)
    )
