"""The engine's front door: a file's bytes to its findings, by language.

``check_file`` reads a file and turns anything it cannot read into an ``OOM001``;
``check_bytes`` sends Python source to :mod:`oomlint.python.checker` (after decoding it,
PEP 263) and Kubernetes manifests (by suffix, :func:`oomlint.core.rule.language_of`) to
:mod:`oomlint.kubernetes.manifest`. Every host calls these, so a finding is the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from oomlint.core.findings import DECODE_ERROR, READ_ERROR, Finding, diagnostic
from oomlint.core.rule import Rule, language_of
from oomlint.core.source import SourceDecodeError, decode_source
from oomlint.kubernetes.manifest import check_manifest
from oomlint.python.checker import check_source


def check_file(path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True) -> list[Finding]:
    """Check one file; unreadable or broken files give one ``OOM0xx`` finding."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return [diagnostic(path, READ_ERROR, f"cannot read file: {error.strerror or error}")]
    return check_bytes(data, path, rules, noqa)


def check_bytes(
    data: bytes, path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True, language: str | None = None
) -> list[Finding]:
    """Check a file's bytes; ``language`` overrides the one its suffix implies (stdin)."""
    if (language or language_of(path)) == "kubernetes":
        return check_manifest(data, path, rules, noqa)
    try:
        source = decode_source(data)
    except SourceDecodeError as error:
        return [diagnostic(path, DECODE_ERROR, error.message, error.line, error.column)]
    return check_source(source, path, rules, noqa=noqa)
