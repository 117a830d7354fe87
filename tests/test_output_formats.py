"""CI formats: SARIF 2.1.0 for code scanning, GitHub workflow annotations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from oomlint.core.findings import Finding
from oomlint.report.output import render_github
from tests.conftest import ROOT, run

SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
UNBOUNDED = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n"


def sarif(*arguments: str, cwd: Path) -> dict:
    result = run("oomlint", "--format", "sarif", *arguments, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def schema() -> dict:
    if not SCHEMA.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SCHEMA} is missing in CI")
        pytest.skip(f"{SCHEMA} is not beside this checkout")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_sarif_validates_and_points_at_the_exact_region(project, schema):
    root = project({"src/app.py": UNBOUNDED, "src/broken.py": "def f(:\n"})
    document = sarif("src", cwd=root)
    jsonschema.validate(document, schema)
    (run_,) = document["runs"]
    results = {result["ruleId"]: result for result in run_["results"]}
    location = results["OOM301"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 4, "startColumn": 2, "endLine": 4, "endColumn": 17}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    rules = run_["tool"]["driver"]["rules"]
    rule = rules[results["OOM301"]["ruleIndex"]]
    assert (rule["id"], rule["name"]) == ("OOM301", "unbounded-lru-cache")
    assert rule["helpUri"].endswith("/rules/OOM301/")
    assert rule["help"]["markdown"].startswith("# OOM301: unbounded-lru-cache\n")
    assert {"shortDescription", "fullDescription", "defaultConfiguration"} <= set(rule)
    assert rules[results["OOM003"]["ruleIndex"]]["id"] == "OOM003"


def test_sarif_of_a_clean_run_still_lists_the_rules(project, schema):
    root = project({"ok.py": "x = 1\n"})
    document = sarif("ok.py", cwd=root)
    jsonschema.validate(document, schema)
    assert document["runs"][0]["results"] == []
    assert len(document["runs"][0]["tool"]["driver"]["rules"]) >= 4


def test_fingerprints_are_stable_across_runs_and_line_moves(project):
    root = project({"app.py": UNBOUNDED + "\n\n" + UNBOUNDED.replace("def f", "def g").replace("import functools\n", "")})
    first = [r["partialFingerprints"] for r in sarif("app.py", cwd=root)["runs"][0]["results"]]
    assert first == [r["partialFingerprints"] for r in sarif("app.py", cwd=root)["runs"][0]["results"]]
    assert len({fingerprint["oomlint/v1"] for fingerprint in first}) == 2
    (root / "app.py").write_text("# a new first line\n" + (root / "app.py").read_text())
    moved = [r["partialFingerprints"] for r in sarif("app.py", cwd=root)["runs"][0]["results"]]
    assert moved == first


def test_github_annotations_escape_what_github_requires():
    finding = Finding("dir,x/a:b.py", 3, 5, "OOM301", "100% bad\nreally, truly", "unbounded-lru-cache", 3, 9)
    assert render_github([finding]) == (
        "::warning file=dir%2Cx/a%3Ab.py,line=3,col=5,endLine=3,endColumn=9,title=OOM301"
        "::OOM301 100%25 bad%0Areally, truly\n"
    )


def test_github_format_from_the_cli(project):
    root = project({"app.py": UNBOUNDED})
    result = run("oomlint", "--format", "github", "app.py", cwd=root)
    assert result.returncode == 1
    assert result.stdout.startswith("::warning file=app.py,line=4,col=2,endLine=4,endColumn=17,title=OOM301::OOM301 ")
