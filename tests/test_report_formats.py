"""The formats other tools read (GitLab Code Quality, JUnit, pylint, JSON lines), checked
against the schemas their CI systems publish (tests/schemas/), and ``--format full``."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from oomlint.python.checker import RUNNING_PYTHON
from oomlint.core.findings import Finding
from oomlint.report.formats import render_junit
from tests.conftest import ROOT, run

SCHEMAS = ROOT / "tests" / "schemas"
UNBOUNDED = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n"
MESSAGE = "functools.cache on 'f', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize"
FILES = {"app.py": UNBOUNDED, "broken.py": "def f(:\n", "lib/more.py": UNBOUNDED + UNBOUNDED.replace("def f", "def g").replace("import functools\n", "")}
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def report(format_name: str, *arguments: str, cwd: Path) -> str:
    result = run("oomlint", "--format", format_name, *arguments, cwd=cwd)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_gitlab_report_follows_gitlabs_schema_and_documented_fields(project):
    root = project(FILES)
    issues = json.loads(report("gitlab", ".", cwd=root))
    schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text(encoding="utf-8"))
    assert isinstance(issues, list)
    for issue in issues:
        jsonschema.validate(issue, schema)
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["check_name"], str) and issue["location"]["lines"]["begin"] >= 1
    assert [{key: issue[key] for key in ("description", "check_name", "severity", "location")} for issue in issues] == [
        {"description": f"OOM301 {MESSAGE}", "check_name": "OOM301", "severity": "major",
         "location": {"path": "app.py", "lines": {"begin": 4, "end": 4}}},
        {"description": f"OOM003 cannot parse with {RUNNING_PYTHON}: invalid syntax", "check_name": "OOM003", "severity": "critical",
         "location": {"path": "broken.py", "lines": {"begin": 1, "end": 1}}},
        {"description": f"OOM301 {MESSAGE}", "check_name": "OOM301", "severity": "major",
         "location": {"path": "lib/more.py", "lines": {"begin": 4, "end": 4}}},
        {"description": f"OOM301 {MESSAGE.replace(repr('f'), repr('g'))}", "check_name": "OOM301", "severity": "major",
         "location": {"path": "lib/more.py", "lines": {"begin": 9, "end": 9}}},
    ]
    assert len({issue["fingerprint"] for issue in issues}) == 4


def test_gitlab_paths_are_relative_to_the_project_dir(project, monkeypatch):
    root = project({"src/app.py": UNBOUNDED})
    monkeypatch.setenv("CI_PROJECT_DIR", str(root))
    (issue,) = json.loads(report("gitlab", "app.py", cwd=root / "src"))
    assert issue["location"]["path"] == "src/app.py"


def test_fingerprints_and_severities_agree_across_sarif_github_gitlab_and_the_baseline(project):
    root = project(FILES)
    gitlab = json.loads(report("gitlab", ".", cwd=root))
    sarif = json.loads(report("sarif", ".", cwd=root))["runs"][0]
    github = report("github", ".", cwd=root).splitlines()
    assert run("oomlint", "--write-baseline", "baseline.json", ".", cwd=root).returncode == 0
    baseline = json.loads((root / "baseline.json").read_text())["findings"]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in sarif["tool"]["driver"]["rules"]}
    assert [issue["fingerprint"] for issue in gitlab] == [r["partialFingerprints"]["oomlint/v1"] for r in sarif["results"]]
    assert [issue["fingerprint"] for issue in gitlab] == [entry["fingerprint"] for entry in baseline]
    assert [r["level"] for r in sarif["results"]] == [levels[r["ruleId"]] for r in sarif["results"]] == ["warning", "error", "warning", "warning"]
    assert [line.split(" ", 1)[0] for line in github] == ["::warning", "::error", "::warning", "::warning"]
    assert [issue["severity"] for issue in gitlab] == ["major", "critical", "major", "major"]


def test_junit_report_follows_the_jenkins_junit_schema(project):
    root = project(FILES)
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    text = report("junit", ".", cwd=root)
    schema.validate(text)
    assert text == f"""\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="oomlint" tests="4" failures="3" errors="1">
  <testsuite name="app.py" tests="1" failures="1" errors="0">
    <testcase name="OOM301 unbounded-lru-cache at 4:2" classname="app.py">
      <failure type="OOM301" message="{MESSAGE}">app.py:4:2: OOM301 {MESSAGE}</failure>
    </testcase>
  </testsuite>
  <testsuite name="broken.py" tests="1" failures="0" errors="1">
    <testcase name="OOM003 syntax-error at 1:7" classname="broken.py">
      <error type="OOM003" message="cannot parse with {RUNNING_PYTHON}: invalid syntax">broken.py:1:7: OOM003 cannot parse with {RUNNING_PYTHON}: invalid syntax</error>
    </testcase>
  </testsuite>
  <testsuite name="lib/more.py" tests="2" failures="2" errors="0">
    <testcase name="OOM301 unbounded-lru-cache at 4:2" classname="lib/more.py">
      <failure type="OOM301" message="{MESSAGE}">lib/more.py:4:2: OOM301 {MESSAGE}</failure>
    </testcase>
    <testcase name="OOM301 unbounded-lru-cache at 9:2" classname="lib/more.py">
      <failure type="OOM301" message="{MESSAGE.replace(repr('f'), repr('g'))}">lib/more.py:9:2: OOM301 {MESSAGE.replace(repr('f'), repr('g'))}</failure>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_junit_of_a_clean_run_is_one_passing_case(project):
    root = project({"ok.py": "x = 1\n"})
    result = run("oomlint", "--format", "junit", ".", cwd=root)
    assert result.returncode == 0
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(result.stdout)
    assert result.stdout == """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="oomlint" tests="1" failures="0" errors="0">
  <testsuite name="oomlint" tests="1" failures="0" errors="0">
    <testcase name="No findings (1 file checked)" classname="oomlint" />
  </testsuite>
</testsuites>
"""


def test_junit_escapes_markup_and_replaces_what_xml_cannot_hold():
    finding = Finding("a<b>&\x01.py", 1, 1, "OOM301", 'say "<&>"', "unbounded-lru-cache", 1, 2)
    text = render_junit([finding], 1)
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(text)
    assert 'name="a&lt;b&gt;&amp;\ufffd.py"' in text
    assert 'message="say &quot;&lt;&amp;&gt;&quot;"' in text


def test_pylint_and_json_lines(project):
    root = project(FILES)
    assert report("pylint", ".", cwd=root) == (
        f"app.py:4: [OOM301(unbounded-lru-cache)] {MESSAGE}\n"
        f"broken.py:1: [OOM003(syntax-error)] cannot parse with {RUNNING_PYTHON}: invalid syntax\n"
        f"lib/more.py:4: [OOM301(unbounded-lru-cache)] {MESSAGE}\n"
        f"lib/more.py:9: [OOM301(unbounded-lru-cache)] {MESSAGE.replace(repr('f'), repr('g'))}\n"
    )
    lines = report("json-lines", ".", cwd=root).splitlines()
    assert [json.loads(line) for line in lines] == json.loads(report("json", ".", cwd=root))
    assert len(lines) == 4


def test_output_format_variable_sets_the_default(project, monkeypatch):
    root = project({"app.py": UNBOUNDED})
    monkeypatch.setenv("OOMLINT_OUTPUT_FORMAT", "pylint")
    default = run("oomlint", "app.py", cwd=root)
    assert (default.returncode, default.stdout) == (1, f"app.py:4: [OOM301(unbounded-lru-cache)] {MESSAGE}\n")
    chosen = run("oomlint", "--format", "text", "--quiet", "app.py", cwd=root)
    assert chosen.stdout == f"app.py:4:2: OOM301 [*] {MESSAGE}\n"
    monkeypatch.setenv("OOMLINT_OUTPUT_FORMAT", "xml")
    bad = run("oomlint", "app.py", cwd=root)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == (
        "oomlint: error: OOMLINT_OUTPUT_FORMAT='xml' is not a format; "
        "choose from text, full, json, json-lines, sarif, github, gitlab, junit, pylint\n"
    )


# ------------------------------------------------------------------------ full

SERVICE = """\
import functools
import redis

r = redis.Redis()


@functools.cache
def avatar(user):
\treturn r.set("k:" + user, "文字")
"""
FULL = f"""\
app.py:7:2: OOM301 [*] functools.cache on 'avatar', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize
  |
6 |
7 | @functools.cache
  |  ^^^^^^^^^^^^^^^ OOM301
8 | def avatar(user):
  |
  = fix: oomlint fix
    7 - @functools.cache
    7 + @functools.lru_cache(maxsize=1024)

app.py:9:11: OOM304 Redis set('k:' + user, ...) writes a key with no TTL and this function never expires it: it stays until deleted
  |
8 | def avatar(user):
9 |     return r.set("k:" + user, "文字")
  |              ^^^^^^^^^^^^^^^^^^^^^^^^ OOM304
  |

Found 2 findings (1 file checked).
[*] 1 fixable with `oomlint fix`.
"""


@pytest.fixture
def plain(monkeypatch):
    """Colour left to the tests that ask for it."""
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_full_shows_the_source_the_span_and_the_fix(project, plain):
    root = project({"app.py": SERVICE})
    assert report("full", "app.py", cwd=root) == FULL


def test_full_in_colour_when_forced_unless_no_color(project, plain):
    root = project({"app.py": SERVICE})
    plain.setenv("FORCE_COLOR", "1")
    coloured = report("full", "app.py", cwd=root)
    assert coloured.splitlines()[:5] == [
        "\x1b[1mapp.py:7:2: OOM301 [*] functools.cache on 'avatar', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize\x1b[0m",
        "\x1b[1;34m  |\x1b[0m",
        "\x1b[1;34m6 |\x1b[0m",
        "\x1b[1;34m7 |\x1b[0m @functools.cache",
        "\x1b[1;34m  |\x1b[0m  \x1b[1;31m^^^^^^^^^^^^^^^ OOM301\x1b[0m",
    ]
    assert "\x1b[32m    7 + @functools.lru_cache(maxsize=1024)\x1b[0m" in coloured.splitlines()
    plain.setenv("NO_COLOR", "1")
    assert report("full", "app.py", cwd=root) == FULL


def test_full_without_a_source_to_show(project, plain):
    result = run("oomlint", "--format", "full", "--stdin-filename", "svc.py", "-", stdin=UNBOUNDED)
    assert (result.returncode, result.stdout) == (1, f"svc.py:4:2: OOM301 [*] {MESSAGE}\n\nFound 1 finding (1 file checked).\n[*] 1 fixable with `oomlint fix`.\n")
