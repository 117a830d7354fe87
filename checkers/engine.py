"""The engine's front door: a file's bytes to its findings, by language.

``check_file`` reads a file (a regular file, up to ``max-file-size``) and turns anything
it cannot read into an ``OOM001`` or ``OOM006``; ``check_bytes`` sends Python source to
:mod:`oomlint.python.checker` (after decoding it, PEP 263) and Kubernetes manifests (by
suffix, :func:`oomlint.core.rule.language_of`) to :mod:`oomlint.kubernetes.manifest`.
Every host calls these, so a finding is the same everywhere.

With a :class:`~oomlint.core.cache.Cache`, ``check_file`` serves a file's findings from
the last run whose inputs were the same (see :func:`results_key`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence

from oomlint.core.cache import Cache, content_key, implementation_key
from oomlint.core.findings import DECODE_ERROR, DIAGNOSTICS, Finding, diagnostic
from oomlint.core.rule import Rule, language_of
from oomlint.core.source import MAX_FILE_SIZE, NotRead, SourceDecodeError, decode_source, read_file
from oomlint.kubernetes.manifest import ManifestFindings, check_manifest, check_manifest_text
from oomlint.python.checker import check_source


def check_file(
    path: str,
    rules: Sequence[tuple[type[Rule], dict]],
    noqa: bool = True,
    max_size: int = MAX_FILE_SIZE,
    *,
    cache: Cache | None = None,
    dependencies: str = "",
    extra_tokens: Mapping[str, Iterable[str]] | None = None,
) -> list[Finding]:
    """Check one file; unreadable, oversized or broken files give one ``OOM0xx`` finding.

    With ``cache``, findings stored under the same :func:`results_key` are served instead
    of a check; ``dependencies`` names what the file's findings depend on beyond its own
    bytes (the project index's summaries of the modules it uses), "" for nothing.
    ``extra_tokens``: see :func:`oomlint.python.checker.check_source`.
    """
    try:
        data = read_file(path, max_size)
    except NotRead as error:
        return [error.finding(path)]
    if cache is None or not cache.enabled:
        return check_bytes(data, path, rules, noqa, extra_tokens=extra_tokens)
    key = results_key(data, path, rules, noqa, dependencies, extra_tokens)
    stored = cache.get(RESULTS, key)
    if stored is not None:
        findings = _decode_results(stored, path)
        if findings is not None:
            return findings
    findings = check_bytes(data, path, rules, noqa, extra_tokens=extra_tokens)
    encoded = _encode_results(findings)
    if encoded is not None:
        cache.put(RESULTS, key, encoded)
    return findings


def check_bytes(
    data: bytes,
    path: str,
    rules: Sequence[tuple[type[Rule], dict]],
    noqa: bool = True,
    language: str | None = None,
    *,
    extra_tokens: Mapping[str, Iterable[str]] | None = None,
    syntax_errors: bool = True,
) -> list[Finding]:
    """Check a file's bytes; ``language`` overrides the one its suffix implies (stdin).
    ``extra_tokens`` and ``syntax_errors``: see :func:`oomlint.python.checker.check_source`."""
    if (language or language_of(path)) == "kubernetes":
        return check_manifest(data, path, rules, noqa)
    try:
        source = decode_source(data)
    except SourceDecodeError as error:
        return [diagnostic(path, DECODE_ERROR, error.message, error.line, error.column)]
    return check_source(source, path, rules, noqa=noqa, extra_tokens=extra_tokens, syntax_errors=syntax_errors)


def check_text(text: str, path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True) -> list[Finding]:
    """Check text already decoded (an editor's buffer, a file being edited)."""
    if language_of(path) == "kubernetes":
        return check_manifest_text(text, path, rules, noqa)
    return check_source(text, path, rules, noqa=noqa)


# ------------------------------------------------------------------ results cache

RESULTS = "results"
"""The cache namespace of :func:`check_file`'s findings."""


def results_key(
    data: bytes,
    path: str,
    rules: Sequence[tuple[type[Rule], dict]],
    noqa: bool,
    dependencies: str,
    extra_tokens: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """Everything a file's findings are a function of: its bytes and path (the path is in
    every finding and picks the language), the rules that run with their options (the
    configuration as it applies to this file: selection, per-file ignores, test files,
    rule options), noqa, the code of oomlint itself (its version is the cache's folder),
    the Python that parses, ``dependencies`` and the ``extra_tokens`` that make rules run."""
    configuration = repr(sorted((rule.code, sorted(options.items())) for rule, options in rules))
    tokens = repr(sorted((code, sorted(names)) for code, names in (extra_tokens or {}).items()))
    return content_key(data, path, configuration, str(noqa), implementation_key(), sys.version, dependencies, tokens)


def _encode_results(findings: list[Finding]) -> bytes | None:
    """JSON, never pickle: a cache folder is not code, and a checkout may bring one.
    None for what is not stored: results with a diagnostic (they are rare and some depend
    on the machine: the recursion limit, what could be read) and hints JSON cannot hold."""
    if any(finding.code in DIAGNOSTICS for finding in findings):
        return None
    state: dict[str, object] = {"findings": [_finding_fields(f) for f in findings]}
    if isinstance(findings, ManifestFindings):
        index = {finding: number for number, finding in enumerate(findings)}
        state["manifest"] = {
            "objects": findings.objects,
            "covered": findings.covered,
            "limit_ranges": list(findings.limit_ranges.items()),
            "coverable": [(index[f], namespace) for f, namespace in findings.coverable.items() if f in index],
        }
    try:
        return json.dumps(state, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return None


def _finding_fields(finding: Finding) -> list:
    return [
        finding.line, finding.column, finding.code, finding.message, finding.symbol,
        finding.end_line, finding.end_column, finding.fix, finding.fix_hint,
    ]


def _decode_results(data: bytes, path: str) -> list[Finding] | None:
    """What :func:`_encode_results` stored; None for an entry that is not (a damaged file:
    the file is then checked again)."""
    try:
        state = json.loads(data)
        findings = [Finding(path, *fields) for fields in state["findings"]]
        manifest = state.get("manifest")
        if manifest is None:
            return findings
        result = ManifestFindings()
        result.extend(findings)
        result.objects = manifest["objects"]
        result.covered = list(manifest["covered"])
        result.limit_ranges = {namespace: where for namespace, where in manifest["limit_ranges"]}
        result.coverable = {findings[number]: namespace for number, namespace in manifest["coverable"]}
        return result
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
