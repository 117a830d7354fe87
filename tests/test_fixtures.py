"""Every rule's fixtures give exactly the findings they mark, with the messages, spans
and fixes their expected-output files pin (:mod:`tests.snapshots`), through every host.

The engine, the CLI, flake8 and pylint must report the same findings: one engine, so one
answer, whichever host the user has. Fixtures with an ``oomlint-config`` header run in a
folder of their own whose pyproject.toml holds those settings, as a user's project would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from oomlint.core.rule import all_rules
from tests.conftest import expectations, malformed_markers, oomlint_json, run
from tests.snapshots import engine_output, fixture_files, header_table, snapshot_path

FIXTURES = fixture_files("python")
FIXTURE_IDS = [path.name for path in FIXTURES]


def all_expectations() -> set:
    return set().union(*(expectations(path) for path in FIXTURES))


def pinned() -> set[tuple]:
    """``(file, line, column, end line, end column, code, fix, message)`` of every snapshot."""
    found = set()
    for path in FIXTURES:
        for entry in snapshot_path(path).read_text(encoding="utf-8").splitlines():
            span, code, fix, message = entry.split(" ", 3)
            start, end = span.split("-")
            line, column, end_line, end_column = map(int, (*start.split(":"), *end.split(":")))
            found.add((path.name, line, column, end_line, end_column, code, None if fix == "[-]" else fix[1:-1], message))
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The fixtures as a user's project: header settings in a pyproject.toml of their own."""
    root = tmp_path_factory.mktemp("fixtures")
    for path in FIXTURES:
        table = header_table(path)
        folder = root / path.stem if table else root
        folder.mkdir(exist_ok=True)
        shutil.copy(path, folder / path.name)
        if table:
            (folder / "pyproject.toml").write_text(_pyproject(table), encoding="utf-8")
    return root


def _pyproject(table: dict) -> str:
    """``[tool.oomlint]`` as TOML; JSON writes TOML's strings, numbers and arrays."""
    top = [f"{key} = {json.dumps(value)}" for key, value in table.items() if not isinstance(value, dict)]
    rules = [f"\n[tool.oomlint.{code}]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in options.items())
             for code, options in table.items() if isinstance(options, dict)]
    return "[tool.oomlint]\n" + "".join(line + "\n" for line in top) + "".join(rules)


def test_every_rule_has_positive_fixtures():
    flagged = {code for _, _, _, code in all_expectations()}
    assert flagged == {rule.code for rule in all_rules() if rule.language == "python"}


@pytest.mark.parametrize("path", FIXTURES, ids=FIXTURE_IDS)
def test_engine_reports_exactly_the_marked_findings_as_pinned(path):
    output = engine_output(path, "python")
    assert {(path.name, *map(int, entry.split("-")[0].split(":")), entry.split()[1]) for entry in output.splitlines()} == expectations(path)
    assert output == snapshot_path(path).read_text(encoding="utf-8"), "python -m tests.snapshots rewrites it"


def test_cli_matches_fixtures(project):
    findings = oomlint_json("-j", "1", ".", cwd=project)
    assert {(Path(f["path"]).name, f["line"], f["column"], f["end_line"], f["end_column"], f["code"], f["fix"], f["message"])
            for f in findings} == pinned()


def test_flake8_matches_fixtures(project):
    result = run("flake8", "--select", "OOM", "--format", "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    reported = set()
    for line in result.stdout.splitlines():
        path, row, column, code, message = line.split(":", 4)
        reported.add((Path(path).name, int(row), int(column), code, message))
    assert reported == {(name, line, column, code, message) for name, line, column, _, _, code, _, message in pinned()}


def test_pylint_matches_fixtures(project):
    symbols = ",".join(rule.symbol for rule in all_rules() if rule.language == "python")
    result = run(
        "pylint", "--load-plugins=oomlint", "--disable=all", f"--enable={symbols}", "--score=n", "--recursive=y",
        "--msg-template={path}:{line}:{column}:{end_line}:{end_column}:{msg_id}:{symbol}:{msg}", ".", cwd=project,
    )
    assert result.returncode == 4, result.stdout + result.stderr  # 4: warnings were issued
    by_symbol = {rule.symbol: rule for rule in all_rules()}
    reported = set()
    for line in result.stdout.splitlines():
        if line.startswith("*"):
            continue
        path, row, column, end_line, end_column, msg_id, symbol, message = line.split(":", 7)
        rule = by_symbol[symbol]
        assert msg_id == rule.pylint_id()
        # pylint columns are 0-based
        reported.add((Path(path).name, int(row), int(column) + 1, int(end_line), int(end_column) + 1, rule.code, message))
    assert reported == {(name, line, column, end_line, end_column, code, message)
                        for name, line, column, end_line, end_column, code, _, message in pinned()}


def test_fixture_markers_are_well_formed():
    assert malformed_markers(FIXTURES) == []


def test_every_fixture_has_its_expected_output_and_no_stray_one():
    outputs = {path.name for path in (FIXTURES[0].parent).glob("*.out")}
    assert outputs == {snapshot_path(path).name for path in FIXTURES}
