"""What ``oomlint fix`` would change for each finding, to show beside it
(``--format full``) without writing anything."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from oomlint.core.findings import DIAGNOSTICS, Finding
from oomlint.core.source import MAX_FILE_SIZE, NotRead, SourceDecodeError, decode_source, read_file
from oomlint.engine import check_text
from oomlint.fix.driver import fix_source


def fixed_sources(findings: Sequence[Finding], rules_for: Callable[[str], tuple]) -> dict[Finding, str]:
    """For each of ``findings`` that has a fix, safe or unsafe, its file's source with
    that fix alone applied; ``rules_for(path)`` gives a file's rules."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.fix:
            by_path.setdefault(finding.path, []).append(finding)
    fixed = {}
    for path, wanted in by_path.items():
        try:
            source = decode_source(read_file(path, MAX_FILE_SIZE))
        except (NotRead, SourceDecodeError):
            continue  # stdin, or changed meanwhile: nothing to show
        rules = rules_for(path)
        current = check_text(source, path, rules)
        if any(f.code in DIAGNOSTICS for f in current):
            continue
        positions = {(f.code, f.line, f.column): f for f in current}
        for finding in wanted:
            match = positions.get((finding.code, finding.line, finding.column))
            if match is not None:
                result = fix_source(source, path, rules, current, lambda f, match=match: f is match).source
                if result is not None:
                    fixed[finding] = result
    return fixed
