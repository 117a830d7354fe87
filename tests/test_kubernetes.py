"""Kubernetes manifests: fixtures through the engine and the CLI, then the loader's
promises (broken documents, templates, aliases, tags, duplicate keys), stdin, noqa,
annotations and LimitRanges across files.

Fixtures are YAML with ``# expect: OOM501:11`` on the flagged line, or JSON with a
``<name>.json.expect`` sidecar of ``LINE:COL:CODE`` lines. Every rule runs over every
fixture, the opt-in ones included, and unmarked lines must stay silent.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from oomlint.core.config import Config
from oomlint.engine import check_bytes, check_file
from oomlint.kubernetes.manifest import MAX_NESTING
from oomlint.core.rule import all_rules
from tests.conftest import ROOT, Expected, expectations, malformed_markers, oomlint_json, run
from tests.snapshots import SUFFIX, render, snapshot_path

FIXTURES = ROOT / "tests" / "fixtures" / "kubernetes"
EVERY_RULE = Config(select=("OOM",)).enabled
KUBERNETES_CODES = {rule.code for rule in all_rules() if rule.language == "kubernetes"}


def fixture_files() -> list[Path]:
    return sorted(path for path in FIXTURES.iterdir() if path.suffix in (".yaml", ".yml", ".json"))


def fixture_expectations(path: Path) -> set[Expected]:
    if path.suffix != ".json":
        return expectations(path)
    sidecar = path.with_name(path.name + ".expect")
    found = set()
    for line in sidecar.read_text(encoding="utf-8").split():
        number, column, code = line.split(":")
        found.add((path.name, int(number), int(column), code))
    return found


def all_expectations() -> set[Expected]:
    return set().union(*(fixture_expectations(path) for path in fixture_files()))


def rendered_expectations() -> set[Expected]:
    """The charts' and kustomizations' findings (see test_rendering.py), in a walk of the fixtures."""
    lines = (FIXTURES / "rendered.txt").read_text(encoding="utf-8").splitlines()
    return {(path, int(line), int(column), rest.split()[0]) for path, line, column, rest in (text.split(":", 3) for text in lines)}


def codes(findings) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in findings]


# ------------------------------------------------------------------ fixtures


def test_every_kubernetes_rule_has_positive_fixtures():
    assert {code for _, _, _, code in all_expectations()} >= KUBERNETES_CODES


@pytest.mark.parametrize("path", fixture_files(), ids=[path.name for path in fixture_files()])
def test_engine_reports_exactly_the_marked_findings_as_pinned(path):
    findings = check_file(str(path), EVERY_RULE)
    assert {(path.name, f.line, f.column, f.code) for f in findings} == fixture_expectations(path)
    assert render(findings) == snapshot_path(path).read_text(encoding="utf-8"), "python -m tests.snapshots rewrites it"


def test_cli_matches_fixtures():
    names = [path.name for path in fixture_files()]
    findings = oomlint_json("--select", "OOM", "-j", "1", *names, cwd=FIXTURES)
    assert {(f["path"], f["line"], f["column"], f["code"]) for f in findings} == all_expectations()
    for name in names:
        pinned = (FIXTURES / name).with_name(name + SUFFIX).read_text(encoding="utf-8")
        assert render([(f["line"], f["column"], f["end_line"], f["end_column"], f["code"], f["fix"], f["message"])
                       for f in findings if f["path"] == name]) == pinned


def test_cli_walks_directories_for_manifests_in_parallel():
    findings = oomlint_json("--select", "OOM", "-j", "2", ".", cwd=FIXTURES)
    assert {(f["path"], f["line"], f["column"], f["code"]) for f in findings} == all_expectations() | rendered_expectations()


def test_fixture_markers_are_well_formed():
    assert malformed_markers(fixture_files()) == []


def test_the_incident_example_is_reported_at_the_container():
    result = run("oomlint", "examples/", cwd=ROOT)
    assert result.returncode == 1
    assert "examples/fluentd-daemonset.yaml:27:11: OOM501 DaemonSet logging/fluentd: container 'fluentd' has no memory limit" in result.stdout


# ------------------------------------------------------------------- loader


def test_a_broken_document_costs_only_itself():
    stream = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    resources: {limits: {memory: 600MB}}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b\nspec: {}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec:\n  containers:\n  - name: c\n    resources: {limits: {memory: lots}}\n"
    )
    findings = check_bytes(stream.encode(), "pods.yaml", EVERY_RULE)
    assert codes(findings) == [(7, 34, "OOM502"), (12, 5, "OOM003"), (20, 34, "OOM502")]
    assert findings[1].message.startswith("cannot parse YAML: ")


def test_a_tab_that_breaks_a_document_is_named():
    stream = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n"
    (finding,) = check_bytes(stream.encode(), "pod.yaml", EVERY_RULE)
    assert (finding.line, finding.column, finding.code) == (4, 1, "OOM003")
    assert finding.message == "cannot parse YAML: found character that cannot start any token (a tab: YAML indents with spaces)"


def test_a_document_cut_in_a_key_is_a_syntax_error():
    """The parser's mark stands one line past a text cut in the middle of a key (found by
    the fuzz test): the diagnostic, not an IndexError."""
    stream = "apiVersion: v1\nkind: LimitRange\nspec:\n  limits:\n    - type: Container\n      d"
    (finding,) = check_bytes(stream.encode(), "limits.yaml", EVERY_RULE)
    assert (finding.line, finding.column, finding.code) == (7, 1, "OOM003")  # where the parser stopped
    assert finding.message == "cannot parse YAML: could not find expected ':'"


def test_billion_laughs_is_walked_in_bounded_time_and_memory():
    """Thirty levels of ten aliases each would expand to 10**30 nodes."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 30)]
    data = "\n".join(lines).encode()
    tracemalloc.start()
    start = time.perf_counter()
    findings = check_bytes(data, "lol.yaml", EVERY_RULE)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert findings == []
    assert elapsed < 1.0
    assert peak < 5_000_000


def test_absurd_nesting_is_a_diagnostic_not_a_crash():
    data = b"apiVersion: v1\nkind: ConfigMap\ndata: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    (finding,) = check_bytes(data, "deep.yaml", EVERY_RULE)
    assert (finding.line, finding.code) == (1, "OOM004")


@pytest.mark.parametrize(("depth", "expected"), [(MAX_NESTING, []), (MAX_NESTING + 1, [(1, 1, "OOM004")])])
def test_the_nesting_limit_is_oomlints_own_whatever_the_pyyaml_version(depth, expected):
    """The root mapping is one level; PyYAML 6.0.4's libyaml stops at 1,000, older ones never."""
    data = b"apiVersion: v1\nkind: ConfigMap\ndata: " + b"[" * (depth - 1) + b"]" * (depth - 1) + b"\n"
    assert codes(check_bytes(data, "deep.yaml", EVERY_RULE)) == expected


def test_custom_tags_are_labels_not_constructors():
    data = b"apiVersion: v1\nkind: Pod\nmetadata: {name: !Sub '${AWS::StackName}'}\nspec:\n  containers:\n  - !container {name: app}\n"
    assert codes(check_bytes(data, "tags.yaml", EVERY_RULE)) == [(6, 5, "OOM504")]


def test_duplicate_keys_are_reported_at_the_duplicate():
    data = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec: {}\n"
    (finding,) = check_bytes(data, "dup.yaml", EVERY_RULE)
    assert (finding.line, finding.column, finding.code, finding.symbol) == (5, 3, "OOM005", "duplicate-key")
    assert finding.message == "duplicate key 'name' (first at line 4); kubectl rejects the manifest"


def test_non_kubernetes_yaml_and_json_are_ignored_even_when_broken():
    for name, data in {
        "tsconfig.json": b'{\n  // comments are fine in tsconfig\n  "compilerOptions": {"strict": true},\n}\n',
        "values.yaml": b"resources: {}\nkind: [unclosed\n",
        "ci.yml": b"steps:\n  - run: |\n      apiVersion: v1\n      kind: Pod\n  - run: echo a: b\n",
        "package.json": b'{"name": "x", "version": "1.0.0"}',
    }.items():
        assert check_bytes(data, name, EVERY_RULE) == []


# ---------------------------------------------------------------- helm, stdin


HELM_TEMPLATE = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ include "agent.fullname" . }}
spec:
  template:
    spec:
      containers:
        - name: agent
          {{- with .Values.resources }}
          resources: {{- toYaml . | nindent 12 }}
          {{- end }}
"""


def test_a_raw_helm_template_outside_a_chart_is_a_diagnostic_not_a_silent_pass(project):
    root = project({"chart/templates/daemonset.yaml": HELM_TEMPLATE, "chart/values.yaml": "resources: {}\n"})
    result = run("oomlint", "chart", cwd=root)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "chart/templates/daemonset.yaml:11:11: OOM003 cannot parse YAML: could not find expected ':'; a template ({{ ... }}) "
        "outside a Helm chart: check the chart's folder (the one with Chart.yaml), or what the template renders\n"
        "Found 1 finding (2 files checked).\n"
    )


POD_WITHOUT_LIMIT = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: web
    image: nginx:1.27
"""


def test_rendered_manifests_on_stdin_are_recognised():
    for prefix in ("---\n# Source: chart/templates/pod.yaml\n", ""):
        result = run("oomlint", "--extend-select", "OOM504", "-", stdin=prefix + POD_WITHOUT_LIMIT)
        line = 8 + prefix.count("\n")
        assert result.returncode == 1, result.stderr
        assert result.stdout.startswith(f"-:{line}:5: OOM504 Pod shop/web: container 'web' has no memory limit")


def test_stdin_filename_suffix_decides():
    as_json = json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "web"}]}})
    result = run("oomlint", "--extend-select", "OOM504", "--stdin-filename", "k8s/web.json", "-", stdin=as_json)
    assert result.stdout.startswith("k8s/web.json:1:90: OOM504 Pod web: container 'web'")
    python = run("oomlint", "--stdin-filename", "app.py", "-", stdin="kind: str = 'pod'\n")
    assert (python.returncode, python.stdout) == (0, "No findings (1 file checked).\n")


# ------------------------------------------------------- suppression, limits


def test_noqa_can_be_disabled():
    path = FIXTURES / "noqa.yaml"
    suppressed = check_file(str(path), EVERY_RULE)
    everything = check_file(str(path), EVERY_RULE, noqa=False)
    assert len(everything) > len(suppressed)


LIMIT_RANGE = """\
apiVersion: v1
kind: LimitRange
metadata:
  name: memory-defaults
  namespace: logging
spec:
  limits:
  - type: Container
    default:
      memory: 512Mi
"""
DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
  namespace: {namespace}
spec:
  selector:
    matchLabels: {{app: fluentd}}
  template:
    spec:
      containers:
      - name: fluentd
        image: fluent/fluentd:v1.16
"""


def test_a_limit_range_in_another_file_of_the_run_covers_its_namespace(project):
    root = project(
        {
            "platform/limits.yaml": LIMIT_RANGE,
            "apps/fluentd.yaml": DAEMONSET.format(namespace="logging"),
            "apps/other.yaml": DAEMONSET.format(namespace="other"),
        }
    )
    result = run("oomlint", "-v", "-j", "1", ".", cwd=root)
    assert result.returncode == 1
    assert [line.split(": ")[0] for line in result.stdout.splitlines()[:-1]] == ["apps/other.yaml:12:9"]
    assert result.stderr == (
        "oomlint: apps/fluentd.yaml:12:9: OOM501 not reported: "
        "LimitRange logging/memory-defaults (platform/limits.yaml:1) sets a default memory limit\n"
    )
    alone = run("oomlint", "apps/fluentd.yaml", cwd=root)
    assert alone.returncode == 1 and alone.stderr == ""


def test_the_cross_file_pass_also_works_with_worker_processes(project):
    files = {f"apps/ds{index:02}.yaml": DAEMONSET.format(namespace="logging") for index in range(20)}
    root = project({**files, "limits.yaml": LIMIT_RANGE})
    result = run("oomlint", "-j", "2", ".", cwd=root)
    assert (result.returncode, result.stdout) == (0, "No findings (21 files checked).\n")


def test_kubernetes_rules_never_run_on_python_and_back():
    assert check_bytes(POD_WITHOUT_LIMIT.encode(), "pod.py", EVERY_RULE)[0].code == "OOM003"
    assert check_bytes(b"import functools\n", "tool.yaml", EVERY_RULE) == []


def test_an_invalid_minimum_is_a_clear_error(project):
    root = project({"pyproject.toml": '[tool.oomlint.OOM502]\nminimum = "4MB"\n', "pod.yaml": POD_WITHOUT_LIMIT})
    result = run("oomlint", "pod.yaml", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (
        f"oomlint: error: {root / 'pyproject.toml'}: 'tool.oomlint.OOM502.minimum': '4MB' is not a positive quantity\n"
    )
