"""Expected-output files of the fixtures, like pylint's functional tests' ``.txt`` and
ruff's snapshots: each finding's span, code, fix and message, one per line, in
``<fixture>.out`` beside the fixture. The inline ``# expect:`` markers say where the
findings are; these files pin what they say (interpolated messages included).

A fixture may set options in header lines, as an inline TOML table under
``[tool.oomlint]``::

    # oomlint-config: OOM202 = { extra-resources = ["vendor.pool.checkout:release"] }

After a deliberate change, rewrite them and review the diff::

    python -m tests.snapshots
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import shutil
import tempfile

from oomlint import engine
from oomlint.python.project import forget_projects
from oomlint.core.config import Config, find_config, parse_table
from oomlint.core.findings import Finding
from oomlint.engine import check_file

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent
SUFFIX = ".out"
_HEADER = re.compile(r"^#\s*oomlint-config:\s*(.+)$", re.MULTILINE)
# Manifest fixtures run with every rule, the opt-in ones included.
BASE_TABLES = {"python": {}, "kubernetes": {"select": ["OOM"]}}


def fixture_files(language: str) -> list[Path]:
    suffixes = (".py",) if language == "python" else (".yaml", ".yml", ".json")
    return sorted(path for path in (ROOT / "fixtures" / language).iterdir() if path.suffix in suffixes)


def header_table(path: Path) -> dict:
    """The ``[tool.oomlint]`` settings the fixture's header lines ask for."""
    return tomllib.loads("\n".join(_HEADER.findall(path.read_text(encoding="utf-8"))))


def fixture_config(path: Path, language: str) -> Config:
    return parse_table({**BASE_TABLES[language], **header_table(path)}, path)


def render(findings: list[Finding] | list[tuple]) -> str:
    """``LINE:COL-END_LINE:END_COL CODE [fix] message`` per finding, sorted."""
    return "".join(f"{line}:{column}-{end_line}:{end_column} {code} [{fix or '-'}] {message}\n"
                   for line, column, end_line, end_column, code, fix, message in sorted(map(_fields, findings), key=_order))


def _order(fields: tuple) -> tuple:
    """Sorted by every field; a finding with no fix beside one with a fix at the same span too."""
    *span, code, fix, message = fields
    return (*span, code, fix or "", message)


def _fields(finding: Finding | tuple) -> tuple:
    if isinstance(finding, Finding):
        return (finding.line, finding.column, finding.end_line, finding.end_column, finding.code, finding.fix, finding.message)
    return finding


PROJECTS = sorted(path for path in (ROOT / "fixtures" / "projects").iterdir() if path.is_dir())


def project_sources(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def project_snapshot(name: str) -> Path:
    return ROOT / "fixtures" / "projects" / (name + SUFFIX)


def project_output(root: Path) -> str:
    """``FILE LINE:COL-END_LINE:END_COL CODE [fix] message`` per finding of a project,
    each file checked with its project's index (``root`` is a copy: the cache goes there)."""
    lines = []
    for path in project_sources(root):
        relative = path.relative_to(root).as_posix()
        findings = check_file(str(path), find_config(path).rules_for(str(path)))
        lines += [f"{relative} {line}" for line in render(findings).splitlines(keepends=True)]
    return "".join(lines)


def snapshot_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def engine_output(path: Path, language: str) -> str:
    return render(check_file(str(path), fixture_config(path, language).enabled))


def main() -> int:
    engine.use_cache = False  # fixtures are checked in place: no cache folder in the repository
    changed = 0
    for language in BASE_TABLES:
        for path in fixture_files(language):
            snapshot, output = snapshot_path(path), engine_output(path, language)
            if not snapshot.exists() or snapshot.read_text(encoding="utf-8") != output:
                snapshot.write_text(output, encoding="utf-8")
                print(f"wrote {snapshot.relative_to(ROOT.parent)}")
                changed += 1
    for source in PROJECTS:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(shutil.copytree(source, Path(folder) / source.name, ignore=shutil.ignore_patterns(".oomlint_cache")))
            output = project_output(copy)
            forget_projects()
        snapshot = project_snapshot(source.name)
        if not snapshot.exists() or snapshot.read_text(encoding="utf-8") != output:
            snapshot.write_text(output, encoding="utf-8")
            print(f"wrote {snapshot.relative_to(ROOT.parent)}")
            changed += 1
    print(f"{changed} snapshot{'s' if changed != 1 else ''} rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
