"""The formats other tools read: GitLab Code Quality, JUnit XML, pylint's parseable
lines and JSON lines. Severities follow :func:`oomlint.core.findings.severity` in each
(a rule's finding is a warning, a file that could not be checked an error), as in SARIF
and GitHub annotations."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

from oomlint.core.findings import ERROR, WARNING, Finding, severity
from oomlint.report.fingerprint import fingerprints, relative_path

GITLAB_SEVERITY = {WARNING: "major", ERROR: "critical"}
"""Code Climate's severities are info, minor, major, critical and blocker."""
# XML 1.0 has no way to write these characters, even escaped. A pattern, not a compiled
# expression: its ranges take 9 ms to compile, which every run would pay at import for the
# JUnit format alone (``re`` compiles it on first use and keeps it).
_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def finding_object(finding: Finding) -> dict:
    """A finding as JSON: the keys documented in the README, in that order."""
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "symbol": finding.symbol,
        "message": finding.message,
        "fix": finding.fix,
    }


def render_json_lines(findings: Sequence[Finding]) -> str:
    """One JSON object per line, the keys of ``--format json``; nothing for a clean run."""
    return "".join(json.dumps(finding_object(f)) + "\n" for f in findings)


def render_pylint(findings: Sequence[Finding]) -> str:
    """``path:line: [CODE(symbol)] message``, the lines of pylint's parseable format."""
    return "".join(f"{f.path}:{f.line}: [{f.code}({f.symbol})] {f.message}\n" for f in findings)


def render_gitlab(findings: Sequence[Finding]) -> str:
    """A GitLab Code Quality report: a JSON array of Code Climate issues. Paths are
    relative to the project (``$CI_PROJECT_DIR`` in a GitLab job, else the directory
    oomlint runs in), as GitLab wants them, and so are the fingerprints."""
    root = Path(os.environ.get("CI_PROJECT_DIR") or os.getcwd())
    return json.dumps(
        [
            {
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": GITLAB_SEVERITY[severity(f.code)],
                "location": {"path": relative_path(f.path, root), "lines": {"begin": f.line, "end": f.end_line}},
            }
            for f, fingerprint in zip(findings, fingerprints(findings, root))
        ],
        indent=2,
        ensure_ascii=False,
    ) + "\n"


def render_junit(findings: Sequence[Finding], files_checked: int) -> str:
    """JUnit XML: a test suite per file with findings, a failing test case per finding
    (an ``error`` for a file that could not be checked); a clean run is one passing case."""
    import xml.etree.ElementTree as ElementTree  # for this format only: not at every start-up

    suites = ElementTree.Element("testsuites", name="oomlint")
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path, found in by_path.items():
        suite = ElementTree.SubElement(suites, "testsuite", name=_xml(path), **_totals(found))
        for f in found:
            case = ElementTree.SubElement(suite, "testcase", name=_xml(f"{f.code} {f.symbol} at {f.line}:{f.column}"), classname=_xml(path))
            outcome = ElementTree.SubElement(case, "error" if severity(f.code) == ERROR else "failure", type=f.code, message=_xml(f.message))
            outcome.text = _xml(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")
    if findings:
        suites.attrib.update(_totals(findings))
    else:
        passed = {"tests": "1", "failures": "0", "errors": "0"}
        suites.attrib.update(passed)
        suite = ElementTree.SubElement(suites, "testsuite", name="oomlint", **passed)
        checked = f"{files_checked} file{'s' if files_checked != 1 else ''} checked"
        ElementTree.SubElement(suite, "testcase", name=f"No findings ({checked})", classname="oomlint")
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _totals(found: Sequence[Finding]) -> dict[str, str]:
    errors = sum(severity(f.code) == ERROR for f in found)
    return {"tests": str(len(found)), "failures": str(len(found) - errors), "errors": str(errors)}


def _xml(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced (a path may have any)."""
    return re.sub(_NOT_XML, "\ufffd", text)
