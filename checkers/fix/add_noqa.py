"""``oomlint check --add-noqa`` and the language server's "disable for this line": a
``# noqa: CODE`` comment where each finding is reported, so that adopting oomlint on
existing code starts from a clean run.

The comment goes where flake8 looks for it (:mod:`oomlint.core.noqa`): in Python, at the
end of the last line of the finding's logical line (the finding's own line, unless it is
inside a multi-line string or joined to the next line by a backslash); in YAML, on the
finding's own line. Codes are merged into a ``# noqa: CODES`` comment already there,
since flake8 reads only the first. No other line is touched. The result must mean the
same to Python or YAML (the same syntax tree or event stream: only comments changed)
and have lost exactly the findings given, else the file is left alone. Files are written
like ``oomlint fix`` writes them (:func:`oomlint.fix.driver.encode_and_write`).
"""

from __future__ import annotations

import ast
import io
from collections.abc import Sequence
from typing import NamedTuple

import yaml

from oomlint.core.findings import DIAGNOSTICS, Finding
from oomlint.core.noqa import NOQA_RE, logical_lines, split_codes
from oomlint.core.rule import Rule, language_of
from oomlint.core.source import MAX_FILE_SIZE, NotRead, decode_source, read_file_and_status
from oomlint.engine import check_bytes, check_text
from oomlint.fix.driver import encode_and_write

Rules = Sequence[tuple[type[Rule], dict]]


class NoqaAdded(NamedTuple):
    source: str | None
    """The source with the comments; None when nothing was added."""
    added: int
    """How many lines got a comment or more codes in theirs."""
    problem: str | None = None
    """Why nothing was added."""


def add_noqa_to_file(path: str, rules: Rules, wanted: set[tuple[str, int, int]], max_size: int = MAX_FILE_SIZE) -> NoqaAdded:
    """Add the comments for the findings of ``path`` at the ``(code, line, column)``
    positions ``wanted`` (those the run reported) and write the file."""
    try:
        data, as_read = read_file_and_status(path, max_size)
    except NotRead as error:
        return NoqaAdded(None, 0, f"no noqa added: {error.message}")
    findings = check_bytes(data, path, rules)
    broken = next((f for f in findings if f.code in DIAGNOSTICS), None)
    if broken is not None:
        return NoqaAdded(None, 0, f"no noqa added: {broken.message} ({broken.code}, line {broken.line})")
    targets = [f for f in findings if (f.code, f.line, f.column) in wanted]
    if not targets:
        return NoqaAdded(None, 0)
    result = add_noqa(decode_source(data), path, targets, rules, findings)
    if result.source is not None:
        problem = encode_and_write(path, result.source, data, as_read, doing="given its noqa comments")
        if problem:
            return NoqaAdded(None, 0, f"no noqa added: {problem}")
    return result


def add_noqa(source: str, path: str, targets: Sequence[Finding], rules: Rules, findings: Sequence[Finding] | None = None) -> NoqaAdded:
    """``source`` with a noqa comment for each of ``targets`` (findings of ``source``,
    whose findings are ``findings``, checked anew when not given)."""
    python = language_of(path) == "python"
    if not python and path.lower().endswith(".json"):
        return NoqaAdded(None, 0, "no noqa added: JSON has no comments")
    lines = io.StringIO(source, newline="").readlines()  # keeps each line's own line break
    codes_at: dict[int, set[str]] = {}
    last_line = _last_line_of_run(source, len(lines)) if python else {}
    for finding in targets:
        codes_at.setdefault(last_line.get(finding.line, finding.line), set()).add(finding.code)
    for number, codes in codes_at.items():
        lines[number - 1] = with_noqa(lines[number - 1], codes)
    new_source = "".join(lines)
    if findings is None:
        findings = check_text(source, path, rules)
    problem = _same_meaning(source, new_source, python) or _only_targets_gone(new_source, path, rules, findings, targets)
    if problem:
        return NoqaAdded(None, 0, f"no noqa added: {problem}")
    return NoqaAdded(new_source, len(codes_at))


def with_noqa(line: str, codes: set[str]) -> str:
    """``line`` with ``codes`` in its ``# noqa: CODES`` comment, or in a new one at its end."""
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    match = NOQA_RE.search(body)
    if match and match.group("codes"):
        listed = split_codes(match.group("codes"))
        merged = [*listed, *sorted(codes - set(listed))]
        end = match.start("codes") + len(match.group("codes").rstrip(", \t"))
        return f"{body[:match.start()]}# noqa: {', '.join(merged)}{body[end:]}{ending}"
    code = body.rstrip(" \t")
    return f"{code}  # noqa: {', '.join(sorted(codes))}{ending}"


def _last_line_of_run(source: str, line_count: int) -> dict[int, int]:
    """Each line's last line of its run (:func:`oomlint.core.noqa.logical_lines`), for
    the lines of runs longer than one."""
    return {number: last for first, last in logical_lines(source, line_count) if last > first for number in range(first, last + 1)}


def _same_meaning(old: str, new: str, python: bool) -> str | None:
    """Why ``new`` does not mean what ``old`` does (None if it does: only comments changed)."""
    if python:
        try:
            same = ast.dump(ast.parse(old)) == ast.dump(ast.parse(new))
        except SyntaxError as error:
            return f"the comment would not parse ({error.msg}, line {error.lineno})"
        return None if same else "the line's first '# noqa' is in a string, where a comment would not count"
    try:
        same = _events(old) == _events(new)
    except yaml.YAMLError as error:
        return f"the comment would not parse ({str(error).splitlines()[0]})"
    return None if same else "a flagged line ends inside a multi-line string"


def _events(text: str) -> list[tuple]:
    """The YAML event stream, which comments are not part of (aliases stay unexpanded)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return [
        (type(event).__name__, getattr(event, "anchor", None), getattr(event, "tag", None), getattr(event, "value", None))
        for event in yaml.parse(text, Loader=loader)
    ]


def _only_targets_gone(new_source: str, path: str, rules: Rules, before: Sequence[Finding], targets: Sequence[Finding]) -> str | None:
    """Why the comments did not suppress exactly ``targets`` (None if they did)."""
    after = {(f.code, f.line, f.column) for f in check_text(new_source, path, rules)}
    expected = {(f.code, f.line, f.column) for f in before} - {(f.code, f.line, f.column) for f in targets}
    if after != expected:
        return "a noqa comment already on the line (in a string?) keeps the new one from counting"
    return None
