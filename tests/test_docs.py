"""Rule metadata and the documentation generated from it."""

from __future__ import annotations

import re

import pytest

from oomlint.core.config import Config
from oomlint.report.docs import doc_sections, expected_files, render_rule
from oomlint.engine import check_bytes
from oomlint.core.rule import DOC_SECTIONS, all_rules, rule_by_code
from tests.conftest import ROOT, run

RULES = all_rules()


def test_generated_docs_are_in_sync():
    stale = [
        str(path.relative_to(ROOT))
        for path, content in expected_files(ROOT).items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    assert stale == [], "run `python -m oomlint.report.docs` to regenerate"


def test_no_stray_rule_pages():
    pages = {path.stem for path in (ROOT / "docs" / "rules").glob("*.md")} - {"index"}
    assert pages == {rule.code for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_page_has_every_section_in_order(rule):
    page = render_rule(rule)
    positions = [page.index(f"\n## {heading}\n") for heading in DOC_SECTIONS]
    assert positions == sorted(positions)
    assert page.startswith(f"# {rule.code}: {rule.symbol}\n")


def test_codes_symbols_and_pylint_ids_are_unique():
    for attribute in ("code", "symbol", "pylint_id"):
        values = [getattr(rule, attribute)() if attribute == "pylint_id" else getattr(rule, attribute) for rule in RULES]
        assert len(values) == len(set(values)), attribute


def test_pylint_ids_follow_the_code():
    assert {rule.code: rule.pylint_id() for rule in RULES if rule.code in ("OOM301", "OOM304")} == {
        "OOM301": "W7131",
        "OOM304": "W7134",
    }


def test_pylint_ids_do_not_clash_with_pylint_or_its_extensions():
    """Our ``W71xy`` ids and symbols (the rules', and OOM006's) must be free even with every
    pylint extension loaded."""
    import pylint.extensions
    import pkgutil

    from oomlint.hosts.pylint_plugin import OomlintChecker

    messages = [(message_id, symbol) for message_id, (_, symbol, _) in OomlintChecker.msgs.items()]
    assert {(rule.pylint_id(), rule.symbol) for rule in RULES} < set(messages)
    extensions = ",".join(
        f"pylint.extensions.{module.name}" for module in pkgutil.iter_modules(pylint.extensions.__path__)
        if not module.name.startswith("_")
    )
    result = run("pylint", f"--load-plugins={extensions}", "--list-msgs")
    assert result.returncode == 0, result.stderr
    for message_id, symbol in messages:
        assert f"({message_id})" not in result.stdout
        assert f":{symbol} " not in result.stdout
    with_ours = run("pylint", f"--load-plugins={extensions},oomlint", "--list-msgs")
    assert with_ours.returncode == 0, with_ours.stderr
    for message_id, symbol in messages:
        assert f":{symbol} ({message_id})" in with_ours.stdout


def test_cli_prints_the_rule_page():
    result = run("oomlint", "rule", "OOM301")
    assert (result.returncode, result.stdout) == (0, (ROOT / "docs" / "rules" / "OOM301.md").read_text(encoding="utf-8"))
    by_symbol = run("oomlint", "rule", "cache-on-method")
    assert (by_symbol.returncode, by_symbol.stdout) == (0, render_rule(rule_by_code("OOM302")))


def test_cli_rejects_an_unknown_rule():
    result = run("oomlint", "rule", "OOM999")
    assert result.returncode == 2
    assert result.stderr == "oomlint: error: unknown rule 'OOM999'; 'oomlint rules' lists them\n"


def test_cli_lists_the_rules():
    result = run("oomlint", "rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[:4] for line in lines] == [
        [rule.code, rule.symbol, "on" if rule.default_enabled else "off", rule.fixes or "-"] for rule in RULES
    ]
    assert lines[6] == "OOM301  unbounded-lru-cache                on   safe    Memoizing decorator with no size limit"


FENCE = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)
SUFFIXES = {"python": ".py", "yaml": ".yaml", "json": ".json"}


def code_blocks(text: str) -> list[tuple[str, str]]:
    return [(language, body) for language, body in FENCE.findall(text) if language in SUFFIXES]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_examples_fire_and_fixes_stay_silent(rule):
    """Every "Example" block is flagged by its rule; every "Use instead" block is not."""
    sections = doc_sections(rule)
    options = Config().with_overrides(extend_select=[rule.code]).options_for(rule)
    examples, better = code_blocks(sections["Example"]), code_blocks(sections["Use instead"])
    assert examples and better
    for blocks, should_fire in ((examples, True), (better, False)):
        for language, body in blocks:
            findings = check_bytes(body.encode(), "example" + SUFFIXES[language], [(rule, options)])
            codes = {finding.code for finding in findings}
            assert (rule.code in codes) is should_fire, body
            assert codes <= {rule.code}, (codes, body)


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_pages_leave_comparisons_to_the_evaluation(rule):
    """How other tools compare is measured in docs/evaluation.md, not told on the rule page."""
    page = render_rule(rule)
    others = ("Checkov", "kube-score", "kube-linter", "Polaris", "Trivy", "Kyverno", "Datree", "bugbear", "UP033", "W1201")
    assert [name for name in others if name in page] == []
