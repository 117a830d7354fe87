"""Baselines: adopt oomlint on existing code by recording today's findings, then
reporting only the findings that are not among them.

``oomlint check --write-baseline FILE`` writes the findings of the run to ``FILE``;
``oomlint check --baseline FILE`` drops the findings whose fingerprint
(:mod:`oomlint.report.fingerprint`) the file records. Paths are fingerprinted relative
to the baseline's folder, so the baseline works from whichever directory oomlint runs
in, and can be committed with the code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from oomlint.core.findings import Finding
from oomlint.report.fingerprint import fingerprints, relative_path

FORMAT_KEY = "oomlint-baseline"
FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline that cannot be read or written; the message names the file and why."""


def write_baseline(path: str, findings: Sequence[Finding]) -> None:
    """Record ``findings`` in ``path``, replacing it whole or not at all."""
    root = _root(path)
    entries = [
        {"fingerprint": fingerprint, "code": f.code, "path": relative_path(f.path, root), "line": f.line, "message": f.message}
        for f, fingerprint in zip(findings, fingerprints(findings, root))
    ]
    text = json.dumps({FORMAT_KEY: FORMAT_VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"
    import tempfile  # only when a baseline is written

    try:
        handle, temporary = tempfile.mkstemp(dir=root, prefix=".oomlint-baseline-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise BaselineError(f"cannot write the baseline {path}: {error.strerror or error}") from None


def load_baseline(path: str) -> frozenset[str]:
    """The fingerprints ``path`` records."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as error:
        raise BaselineError(f"cannot read the baseline {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise BaselineError(f"{path}: not an oomlint baseline: byte {error.start + 1} is not UTF-8") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}:{error.lineno}:{error.colno}: not an oomlint baseline: {error.msg}") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise BaselineError(
            f"{path}: not an oomlint baseline: expected an object with \"{FORMAT_KEY}\": {FORMAT_VERSION} "
            "(written by oomlint check --write-baseline)"
        )
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise BaselineError(f"{path}: not an oomlint baseline: \"findings\" must be a list of objects with a \"fingerprint\"")
    return frozenset(entry["fingerprint"] for entry in entries)


def new_findings(findings: Sequence[Finding], baseline: frozenset[str], path: str) -> list[Finding]:
    """The findings that the baseline at ``path`` does not record."""
    return [f for f, fingerprint in zip(findings, fingerprints(findings, _root(path))) if fingerprint not in baseline]


def _root(path: str) -> Path:
    """The baseline's folder, which its paths are relative to."""
    return Path(os.path.dirname(os.path.abspath(path)))
