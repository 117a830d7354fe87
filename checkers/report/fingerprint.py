"""Fingerprints: what identifies a finding from one run to the next.

A baseline, SARIF's ``partialFingerprints`` and GitLab's ``fingerprint`` all use this one.
It hashes the rule's code, the file's path (relative to a root: the baseline's folder,
or the directory oomlint runs in), the flagged line's text with its whitespace
normalized, and the number of earlier findings with the same three in the run. Moving
the line (editing lines above it, re-indenting it) keeps the fingerprint; a finding
that reappears on another line's text, or in another file, gets a new one.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from oomlint.core.findings import Finding
from oomlint.core.source import MAX_FILE_SIZE, NotRead, SourceDecodeError, decode_source, read_file


def fingerprints(findings: Sequence[Finding], root: Path | None = None) -> list[str]:
    """One fingerprint per finding, in order; ``findings`` sorted, as reports are."""
    import hashlib  # imported by the formats that print fingerprints only

    root = Path.cwd() if root is None else root
    lines: dict[str, list[str]] = {}
    seen: Counter = Counter()
    result = []
    for finding in findings:
        if finding.path not in lines:
            lines[finding.path] = source_lines(finding.path)
        text = lines[finding.path]
        line = " ".join(text[finding.line - 1].split()) if 0 < finding.line <= len(text) else ""
        key = f"{finding.code}\0{relative_path(finding.path, root)}\0{line}"
        seen[key] += 1
        result.append(hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()[:32])
    return result


def relative_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes; absolute when outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return absolute.as_posix()


def source_lines(path: str) -> list[str]:
    """The lines of a checked file as the engine numbers them (``\\n``, ``\\r\\n`` or a
    lone ``\\r`` end a line), decoded as it was checked; none if it cannot be read
    (stdin, or a file gone meanwhile)."""
    try:
        data = read_file(path, MAX_FILE_SIZE)
    except NotRead:
        return []
    try:
        text = decode_source(data)
    except SourceDecodeError:
        text = data.decode("utf-8", "replace")
    return io.StringIO(text, newline=None).readlines()
