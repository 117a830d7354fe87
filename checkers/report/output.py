"""Output formats of the CLI. Each takes the sorted findings and returns the text."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence

from oomlint.core.findings import Finding, severity
from oomlint.report.formats import finding_object, render_gitlab, render_json_lines, render_junit, render_pylint
from oomlint.report.full import SourceView
from oomlint.report.sarif import render_sarif

FORMATS = ("text", "full", "json", "json-lines", "sarif", "github", "gitlab", "junit", "pylint")
SUMMARIZED = ("text", "full")
"""The formats for people, which end with a summary (and take ``--statistics``)."""
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def render(
    format_name: str,
    findings: Sequence[Finding],
    files_checked: int,
    statistics: bool = False,
    quiet: bool = False,
    source_view: SourceView | None = None,
    rendered: tuple[int, int, int] | None = None,
) -> str:
    """The report in ``format_name``. ``quiet``: the findings only, no summary.
    ``source_view`` renders ``full``'s findings (colour, fixes). ``rendered``: the charts,
    kustomizations and Kubernetes objects checked, for the summary of a run that rendered any."""
    if format_name == "json":
        return render_json(findings)
    if format_name == "json-lines":
        return render_json_lines(findings)
    if format_name == "sarif":
        return render_sarif(findings)
    if format_name == "github":
        return render_github(findings)
    if format_name == "gitlab":
        return render_gitlab(findings)
    if format_name == "junit":
        return render_junit(findings, files_checked)
    if format_name == "pylint":
        return render_pylint(findings)
    if format_name == "full":
        view = source_view or SourceView()

        def with_source(finding: Finding) -> str:
            return view(finding_line(finding), finding)

        return render_text(findings, files_checked, statistics, quiet, with_source, rendered)
    return render_text(findings, files_checked, statistics, quiet, rendered=rendered)


def render_text(
    findings: Sequence[Finding],
    files_checked: int,
    statistics: bool = False,
    quiet: bool = False,
    describe: Callable[[Finding], str] | None = None,
    rendered: tuple[int, int, int] | None = None,
) -> str:
    """``path:line:col: CODE message`` lines (or what ``describe`` makes of each
    finding), then (optionally) counts per code, then a summary unless ``quiet``."""
    lines = [(describe or finding_line)(f) for f in findings]
    if statistics:
        lines += _statistics(findings)
    if quiet:
        return "".join(line + "\n" for line in lines)
    counts = [(files_checked, "file")]
    if rendered is not None:
        counts += zip(rendered, ("chart", "kustomization", "object"))
    files = ", ".join(f"{count} {noun}{'s' if count != 1 else ''}" for count, noun in counts) + " checked"
    if findings:
        count = len(findings)
        lines.append(f"Found {count} finding{'s' if count != 1 else ''} ({files}).")
        lines += _fixable_summary(findings)
    else:
        lines.append(f"No findings ({files}).")
    return "\n".join(lines) + "\n"


def finding_line(finding: Finding) -> str:
    """One finding as text; ``[*]`` marks what ``oomlint fix`` fixes safely (ruff's marker)."""
    marker = "[*] " if finding.fix == "safe" else ""
    return _escape_controls(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {marker}{finding.message}")


def _escape_controls(text: str) -> str:
    """Control characters and line separators as Python writes them in a string (``\\n``,
    ``\\x1b``): a file name or a quoted value holding one must not break the one line
    per finding, nor reach the terminal as an escape sequence."""
    return _CONTROLS.sub(lambda match: repr(match.group())[1:-1], text)


def _fixable_summary(findings: Sequence[Finding]) -> list[str]:
    safe = sum(f.fix == "safe" for f in findings)
    unsafe = sum(f.fix == "unsafe" for f in findings)
    lines = [f"[*] {safe} fixable with `oomlint fix`."] if safe else []
    if unsafe:
        lines.append(f"{unsafe} more fixable with `oomlint fix --unsafe-fixes`.")
    return lines


def render_json(findings: Sequence[Finding]) -> str:
    """A JSON array, one object per finding; the schema is documented in the README."""
    return json.dumps([finding_object(f) for f in findings], indent=2) + "\n"


def render_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: one annotation per finding on the pull request,
    a warning or an error as the finding's severity says."""
    return "".join(
        f"::{severity(f.code)} file={_escape_property(f.path)},line={f.line},col={f.column},"
        f"endLine={f.end_line},endColumn={f.end_column},title={_escape_property(f.code)}"
        f"::{_escape_data(f'{f.code} {f.message}')}\n"
        for f in findings
    )


def _escape_data(text: str) -> str:
    """GitHub's escaping for a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub's escaping for a command's ``key=value`` properties."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _statistics(findings: Sequence[Finding]) -> list[str]:
    """Counts per code, most frequent first."""
    counts = Counter((f.code, f.symbol) for f in findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(count)) for _, count in rows), default=1)
    return [f"{count:>{width}}  {code}  {symbol}" for (code, symbol), count in rows]
