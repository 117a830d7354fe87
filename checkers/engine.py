"""The engine's front door: a file's bytes to its findings, by language.

``check_file`` reads a file (a regular file, up to ``max-file-size``) and turns anything
it cannot read into an ``OOM001`` or ``OOM006``; ``check_bytes`` sends Python source to
:mod:`oomlint.python.checker` (after decoding it, PEP 263) and Kubernetes manifests (by
suffix, :func:`oomlint.core.rule.language_of`) to :mod:`oomlint.kubernetes.manifest`.
Every host calls these, so a finding is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from oomlint.core.findings import DECODE_ERROR, Finding, diagnostic
from oomlint.core.rule import Rule, followed, language_of
from oomlint.core.source import MAX_FILE_SIZE, NotRead, SourceDecodeError, decode_source, read_file
from oomlint.kubernetes.manifest import check_manifest, check_manifest_text
from oomlint.python.checker import check_source
from oomlint.python.project import ProjectIndex, project_index

# Whether the project index may be read from and written to the project's cache folder
# (``--no-cache`` turns it off for the run).
use_cache = True


def project_for(path: str, rules: Sequence[tuple[type[Rule], dict]]) -> ProjectIndex | None:
    """The index of the project a Python file belongs to, when an enabled rule follows
    values through the project (:attr:`oomlint.core.rule.Rule.follows`)."""
    follows = followed(rules)
    return project_index(path, follows, use_cache) if follows else None


def check_file(
    path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True, max_size: int = MAX_FILE_SIZE
) -> list[Finding]:
    """Check one file; unreadable, oversized or broken files give one ``OOM0xx`` finding."""
    try:
        data = read_file(path, max_size)
    except NotRead as error:
        return [error.finding(path)]
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
    return check_source(source, path, rules, noqa=noqa, project=project_for(path, rules))


def check_text(text: str, path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True) -> list[Finding]:
    """Check text already decoded (an editor's buffer, a file being edited)."""
    if language_of(path) == "kubernetes":
        return check_manifest_text(text, path, rules, noqa)
    return check_source(text, path, rules, noqa=noqa, project=project_for(path, rules))
