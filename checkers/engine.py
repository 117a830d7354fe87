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
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from oomlint.core.cache import CACHE_FOLDER, Cache, content_key, implementation_key, project_root
from oomlint.core.config import Config, find_config
from oomlint.core.findings import DECODE_ERROR, DIAGNOSTICS, Finding, diagnostic
from oomlint.core.rule import Rule, followed, language_of, use_project
from oomlint.core.source import MAX_FILE_SIZE, NotRead, SourceDecodeError, decode_source, read_file
from oomlint.kubernetes.objects import ManifestFindings

if TYPE_CHECKING:
    from oomlint.python.project import ProjectIndex

# Whether the project index and the results may be read from and written to the cache
# folder (``--no-cache`` turns it off for the run).
use_cache = True
FIND_PROJECT = object()
"""For ``check_bytes``: the index of the project the path belongs to (the default)."""


def cache_folder(directory: str, config: Config, chosen: str | None = None) -> Path:
    """Where the project of ``directory`` keeps its cache: ``--cache-dir`` (``chosen``),
    else ``cache-dir`` of its configuration, else ``.oomlint_cache`` at the project's root
    (``directory`` itself when it is in no project)."""
    if chosen:
        return Path(os.path.abspath(chosen))
    directory = os.path.abspath(directory or os.curdir)
    return config.cache_dir or (project_root(directory) or Path(directory)) / CACHE_FOLDER


def project_for(path: str, rules: Sequence[tuple[type[Rule], dict]], cache: Cache | None = None) -> ProjectIndex | None:
    """The index of the project a Python file belongs to, when an enabled rule follows
    values through the project (:attr:`oomlint.core.rule.Rule.follows`) or asks who
    calls a function (:attr:`~oomlint.core.rule.Rule.asks_callers`); kept in
    ``cache``'s folder, else in the one of the file's configuration."""
    if not use_project(rules):
        return None
    from oomlint.python.project import project_index  # Python's machinery: only for Python files

    follows = followed(rules)
    folder = None
    own = use_cache and cache is not None and cache.enabled
    if use_cache:
        folder = cache.directory if own else cache_folder(os.path.dirname(os.path.abspath(path)), find_config(path))
    return project_index(path, follows, folder)


def check_file(
    path: str,
    rules: Sequence[tuple[type[Rule], dict]],
    noqa: bool = True,
    max_size: int = MAX_FILE_SIZE,
    *,
    cache: Cache | None = None,
) -> list[Finding]:
    """Check one file; unreadable, oversized or broken files give one ``OOM0xx`` finding.

    With ``cache``, findings stored under the same :func:`results_key` are served instead
    of a check: for a Python file, the key holds the project index's summaries (its
    :attr:`~oomlint.python.project.ProjectIndex.digest`), and the entry the summaries of
    the modules the check looked into beyond them, which must still be the same: looked
    at only when a file of the project changed since the entry was last seen to hold.
    """
    try:
        data = read_file(path, max_size)
    except NotRead as error:
        return [error.finding(path)]
    project = project_for(path, rules, cache) if language_of(path) == "python" else None
    if cache is None or not cache.enabled:
        return check_bytes(data, path, rules, noqa, project=project)
    key = results_key(data, path, rules, noqa, project.digest if project is not None else "")
    state = project.files_state if project is not None else ""
    stored = cache.get(RESULTS, key)
    decoded = _decode_results(stored, path) if stored is not None else None
    if decoded is not None:
        findings, looked_into, checked_in = decoded
        if not looked_into or checked_in == state:
            return findings
        if project.unchanged(looked_into):
            # Seen to hold in this state of the project's files: the next run need not look.
            _store(cache, key, findings, looked_into, state)
            return findings
    looked_into = project.watch() if project is not None else {}
    findings = check_bytes(data, path, rules, noqa, project=project)
    _store(cache, key, findings, looked_into, state)
    return findings


def _store(cache: Cache, key: str, findings: list[Finding], looked_into: dict[str, str], state: str) -> None:
    encoded = _encode_results(findings, looked_into, state)
    if encoded is not None:
        cache.put(RESULTS, key, encoded)


def check_bytes(
    data: bytes,
    path: str,
    rules: Sequence[tuple[type[Rule], dict]],
    noqa: bool = True,
    language: str | None = None,
    *,
    project: ProjectIndex | None | object = FIND_PROJECT,
) -> list[Finding]:
    """Check a file's bytes; ``language`` overrides the one its suffix implies (stdin);
    ``project``: the project index to use (by default, the one of ``path``'s project)."""
    if (language or language_of(path)) == "kubernetes":
        from oomlint.kubernetes.manifest import check_manifest  # PyYAML: only when a manifest is checked

        return check_manifest(data, path, rules, noqa)
    try:
        source = decode_source(data)
    except SourceDecodeError as error:
        return [diagnostic(path, DECODE_ERROR, error.message, error.line, error.column)]
    if project is FIND_PROJECT:
        project = project_for(path, rules)
    from oomlint.python.checker import check_source  # Python's machinery: only for Python files

    return check_source(source, path, rules, noqa=noqa, project=project)


def check_text(text: str, path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True) -> list[Finding]:
    """Check text already decoded (an editor's buffer, a file being edited)."""
    if language_of(path) == "kubernetes":
        from oomlint.kubernetes.manifest import check_manifest_text

        return check_manifest_text(text, path, rules, noqa)
    from oomlint.python.checker import check_source

    return check_source(text, path, rules, noqa=noqa, project=project_for(path, rules))


# ------------------------------------------------------------------ results cache

RESULTS = "results"
"""The cache namespace of :func:`check_file`'s findings."""


def results_key(
    data: bytes, path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool, dependencies: str
) -> str:
    """Everything a file's findings are a function of: its bytes and path (the path is in
    every finding and picks the language), the rules that run with their options (the
    configuration as it applies to this file: selection, per-file ignores, test files,
    rule options), noqa, the code of oomlint itself (its version is the cache's folder),
    the Python that parses, and ``dependencies`` (the project index's digest)."""
    configuration = repr(sorted((rule.code, sorted(options.items())) for rule, options in rules))
    return content_key(data, path, configuration, str(noqa), implementation_key(), sys.version, dependencies)


def _encode_results(findings: list[Finding], looked_into: dict[str, str], state: str) -> bytes | None:
    """JSON, never pickle: a cache folder is not code, and a checkout may bring one.
    None for what is not stored: results with a diagnostic (they are rare and some depend
    on the machine: the recursion limit, what could be read) and hints JSON cannot hold.
    ``looked_into``: the modules the check read of the project index beyond its digest;
    ``state``: the project's files when they were last seen to be as ``looked_into`` says
    (:attr:`~oomlint.python.project.ProjectIndex.files_state`)."""
    if any(finding.code in DIAGNOSTICS for finding in findings):
        return None
    state: dict[str, object] = {"findings": [_finding_fields(f) for f in findings], "looked_into": looked_into, "state": state}
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


def _decode_results(data: bytes, path: str) -> tuple[list[Finding], dict[str, str], str] | None:
    """What :func:`_encode_results` stored; None for an entry that is not (a damaged file:
    the file is then checked again)."""
    try:
        state = json.loads(data)
        findings = [Finding(path, *fields) for fields in state["findings"]]
        looked_into, checked_in = dict(state["looked_into"]), str(state["state"])
        manifest = state.get("manifest")
        if manifest is None:
            return findings, looked_into, checked_in
        result = ManifestFindings()
        result.extend(findings)
        result.objects = manifest["objects"]
        result.covered = list(manifest["covered"])
        result.limit_ranges = {namespace: where for namespace, where in manifest["limit_ranges"]}
        result.coverable = {findings[number]: namespace for number, namespace in manifest["coverable"]}
        return result, looked_into, checked_in
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
