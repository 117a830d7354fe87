"""Every rule's fixtures give exactly the findings they mark, through all three hosts.

The engine, the CLI, flake8 and pylint must report the same (file, line, column, code)
set: one engine, so one answer, whichever host the user has.
"""

from __future__ import annotations


import pytest

from oomlint.core.config import Config
from oomlint.engine import check_file
from oomlint.core.rule import all_rules
from tests.conftest import FIXTURES, expectations, fixture_files, malformed_markers, oomlint_json, run

FIXTURE_IDS = [path.name for path in fixture_files()]


def all_expectations() -> set:
    return set().union(*(expectations(path) for path in fixture_files()))


def test_every_rule_has_positive_fixtures():
    flagged = {code for _, _, _, code in all_expectations()}
    assert flagged == {rule.code for rule in all_rules() if rule.language == "python"}


@pytest.mark.parametrize("path", fixture_files(), ids=FIXTURE_IDS)
def test_engine_reports_exactly_the_marked_findings(path):
    findings = check_file(str(path), Config().enabled)
    assert {(path.name, f.line, f.column, f.code) for f in findings} == expectations(path)


def test_cli_matches_fixtures():
    findings = oomlint_json(*FIXTURE_IDS, "-j", "1", cwd=FIXTURES)
    assert {(f["path"], f["line"], f["column"], f["code"]) for f in findings} == all_expectations()


def test_flake8_matches_fixtures():
    result = run(
        "flake8", "--isolated", "--select", "OOM", "--format", "%(path)s:%(row)d:%(col)d:%(code)s",
        *FIXTURE_IDS, cwd=FIXTURES,
    )
    assert result.returncode == 1, result.stderr
    reported = set()
    for line in result.stdout.splitlines():
        path, row, column, code = line.split(":")
        reported.add((path, int(row), int(column), code))
    assert reported == all_expectations()


def test_pylint_matches_fixtures():
    symbols = ",".join(rule.symbol for rule in all_rules() if rule.language == "python")
    result = run(
        "pylint", "--load-plugins=oomlint", "--disable=all", f"--enable={symbols}", "--score=n",
        "--msg-template={path}:{line}:{column}:{msg_id}:{symbol}", *FIXTURE_IDS, cwd=FIXTURES,
    )
    assert result.returncode == 4, result.stdout + result.stderr  # 4: warnings were issued
    by_symbol = {rule.symbol: rule for rule in all_rules()}
    reported = set()
    for line in result.stdout.splitlines():
        if line.startswith("*"):
            continue
        path, row, column, msg_id, symbol = line.split(":")
        rule = by_symbol[symbol]
        assert msg_id == rule.pylint_id()
        reported.add((path, int(row), int(column) + 1, rule.code))  # pylint columns are 0-based
    assert reported == all_expectations()


def test_fixture_markers_are_well_formed():
    assert malformed_markers(fixture_files()) == []
