"""SARIF 2.1.0 output, for code scanning in CI (GitHub, GitLab, Azure DevOps).

Results carry 1-based regions (columns in Unicode code points, as the engine counts
them), URIs relative to the directory oomlint ran in, and a ``partialFingerprints``
entry that stays the same when unrelated lines move, the same fingerprint as a
baseline's and GitLab's (:mod:`oomlint.report.fingerprint`). Levels are the findings'
severities (:func:`oomlint.core.findings.severity`), as in every other format.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from oomlint.core.version import __version__
from oomlint.core.findings import DIAGNOSTICS, Finding, severity
from oomlint.core.rule import all_rules
from oomlint.report.docs import DOCS_URL, SITE_URL, doc_sections, render_rule
from oomlint.report.fingerprint import fingerprints

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"


def render_sarif(findings: Sequence[Finding]) -> str:
    root = Path.cwd()
    rules = _rule_descriptors(findings)
    index = {descriptor["id"]: position for position, descriptor in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "oomlint",
                "version": __version__,
                "informationUri": SITE_URL,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": root.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [
            {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": rules[index[finding.code]]["defaultConfiguration"]["level"],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(finding.path, root), "uriBaseId": SOURCE_ROOT},
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.column,
                                "endLine": finding.end_line,
                                "endColumn": max(finding.end_column, finding.column),
                            },
                        }
                    }
                ],
                "partialFingerprints": {"oomlint/v1": fingerprint},
            }
            for finding, fingerprint in zip(findings, fingerprints(findings, root))
        ],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"


def _rule_descriptors(findings: Sequence[Finding]) -> list[dict]:
    """Every rule (so a clean run still documents them), then the diagnostics that occurred."""
    descriptors = []
    for rule in all_rules():
        sections = doc_sections(rule)
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.symbol,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": sections["What it does"]},
                "help": {"text": sections["Why is this bad?"], "markdown": render_rule(rule)},
                "helpUri": DOCS_URL.format(code=rule.code),
                "defaultConfiguration": {"level": severity(rule.code), "enabled": rule.default_enabled},
            }
        )
    for code in sorted({f.code for f in findings if f.code in DIAGNOSTICS}):
        descriptors.append(
            {
                "id": code,
                "name": DIAGNOSTICS[code],
                "shortDescription": {"text": f"oomlint could not check a file ({DIAGNOSTICS[code]})"},
                "defaultConfiguration": {"level": severity(code)},
            }
        )
    return descriptors


def _uri(path: str, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return absolute.as_uri()
    return "/".join(relative.parts)
