"""``oomlint fix --unsafe-fixes`` on Kubernetes manifests: ``limits.memory`` copied from
``requests.memory`` by inserting text, the rest of the file byte for byte."""

from __future__ import annotations

import difflib
import json

import pytest
import yaml

from oomlint.core.config import Config
from oomlint.engine import check_bytes
from oomlint.fix.driver import fix_file
from oomlint.kubernetes.edits import Edit
from oomlint.core.rule import rule_by_code
from tests.conftest import oomlint_json, run

RULES = Config(extend_select=("OOM504",)).rules_for("manifest.yaml")

BEFORE = """\
# The shipper and its sidecars.
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
  namespace: logging
spec:
  selector:
    matchLabels: {app: fluentd}
  template:
    metadata:
      labels: {app: fluentd}
    spec:
      containers:
        - name: fluentd  # the shipper
          image: fluent/fluentd:v1.16
          resources:
            requests:
              cpu: 100m
              memory: "256Mi"  # measured in March
              # cpu was 200m
            claims: []
        - name: flow
          resources: {requests: {memory: 64Mi}}
        - name: cpu-only
          resources:
            limits:
              cpu: "1"
            requests: {cpu: 500m, memory: 128Mi}
        - name: empty-limits
          resources:
            limits: {}
            requests:
              memory: '32Mi'
        - name: commented-limits
          resources:
            limits:
              # memory: 1Gi
            requests:
              memory: 1Gi
        - name: no-request
          image: busybox
      initContainers:
      - name: setup
        resources:
          requests:
            memory: 16Mi
"""
AFTER = """\
# The shipper and its sidecars.
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
  namespace: logging
spec:
  selector:
    matchLabels: {app: fluentd}
  template:
    metadata:
      labels: {app: fluentd}
    spec:
      containers:
        - name: fluentd  # the shipper
          image: fluent/fluentd:v1.16
          resources:
            requests:
              cpu: 100m
              memory: "256Mi"  # measured in March
              # cpu was 200m
            limits:
              memory: "256Mi"
            claims: []
        - name: flow
          resources: {requests: {memory: 64Mi}, limits: {memory: 64Mi}}
        - name: cpu-only
          resources:
            limits:
              cpu: "1"
              memory: 128Mi
            requests: {cpu: 500m, memory: 128Mi}
        - name: empty-limits
          resources:
            limits: {memory: '32Mi'}
            requests:
              memory: '32Mi'
        - name: commented-limits
          resources:
            limits:
              # memory: 1Gi
              memory: 1Gi
            requests:
              memory: 1Gi
        - name: no-request
          image: busybox
      initContainers:
      - name: setup
        resources:
          requests:
            memory: 16Mi
          limits:
            memory: 16Mi
"""


def findings_of(text: str, name: str = "manifest.yaml"):
    return [(f.line, f.code, f.fix) for f in check_bytes(text.encode(), name, RULES)]


def only_inserted(before: str, after: str) -> bool:
    """All of ``before`` is in ``after``, character for character and in order: the fix
    inserted text and changed nothing else."""
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in opcodes)


def test_the_fix_inserts_limits_exactly_once_and_the_findings_go(tmp_path):
    path = tmp_path / "fluentd.yaml"
    path.write_text(BEFORE)
    assert findings_of(BEFORE) == [(15, "OOM501", "unsafe"), (23, "OOM501", "unsafe"), (25, "OOM501", "unsafe"),
                                   (30, "OOM501", "unsafe"), (35, "OOM501", "unsafe"), (41, "OOM501", None),
                                   (44, "OOM501", "unsafe")]
    first = fix_file(str(path), RULES, unsafe=True)
    assert (first.problem, len(first.fixed)) == (None, 6)
    assert [(f.line, f.code) for f in first.remaining] == [(45, "OOM501")]
    assert path.read_text() == AFTER
    assert only_inserted(BEFORE, AFTER)
    containers = list(yaml.safe_load_all(AFTER))[0]["spec"]["template"]["spec"]["containers"]
    assert [c.get("resources", {}).get("limits", {}).get("memory") for c in containers] == [
        "256Mi", "64Mi", "128Mi", "32Mi", "1Gi", None,
    ]
    second = fix_file(str(path), RULES, unsafe=True)
    assert (second.fixed, second.new_text, path.read_text()) == ([], None, AFTER)


def test_safe_fixes_alone_change_nothing(project):
    root = project({"fluentd.yaml": BEFORE})
    result = run("oomlint", "fix", "fluentd.yaml", cwd=root)
    assert result.returncode == 1
    assert result.stdout.endswith("Fixed 0 findings in 0 files; 7 remaining.\n")
    assert (root / "fluentd.yaml").read_text() == BEFORE


def test_check_counts_the_unsafe_fixes_and_marks_none_as_safe(project):
    root = project({"fluentd.yaml": BEFORE})
    result = run("oomlint", "check", "fluentd.yaml", cwd=root)
    assert result.returncode == 1
    assert "[*]" not in result.stdout
    assert result.stdout.endswith("Found 7 findings (1 file checked).\n6 more fixable with `oomlint fix --unsafe-fixes`.\n")


def test_unsafe_fixes_through_the_cli_and_the_diff(project):
    root = project({"fluentd.yaml": BEFORE})
    diff = run("oomlint", "fix", "--unsafe-fixes", "--diff", "fluentd.yaml", cwd=root)
    assert diff.returncode == 1
    assert diff.stdout.startswith("--- a/fluentd.yaml\n+++ b/fluentd.yaml\n")
    assert "               # cpu was 200m\n+            limits:\n+              memory: \"256Mi\"\n             claims: []\n" in diff.stdout
    assert diff.stdout.endswith("Would fix 6 findings in 1 file.\n")
    assert (root / "fluentd.yaml").read_text() == BEFORE
    fixed = run("oomlint", "fix", "--unsafe-fixes", "fluentd.yaml", cwd=root)
    assert fixed.returncode == 1  # the container without a request is left
    assert fixed.stdout.endswith("Fixed 6 findings in 1 file; 1 remaining.\n")
    assert (root / "fluentd.yaml").read_text() == AFTER


POD = """\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: app
    resources:
      requests:
        memory: 1Gi
"""


def test_old_mac_line_breaks_split_documents_and_lines_as_yaml_does(tmp_path):
    """A lone CR breaks lines in YAML: two documents, the right lines, noqa on its own
    line, and CRs in what the fix inserts."""
    silenced = POD.replace("  - name: app\n", "  - name: app  # noqa: OOM504\n")
    path = tmp_path / "pods.yaml"
    path.write_bytes((silenced + "---\n" + POD).replace("\n", "\r").encode())
    assert findings_of(path.read_bytes().decode(), "pods.yaml") == [(16, "OOM504", "unsafe")]
    result = fix_file(str(path), RULES, unsafe=True)
    assert (result.problem, len(result.fixed), result.remaining) == (None, 1, [])
    expected = silenced + "---\n" + POD + "      limits:\n        memory: 1Gi\n"
    assert path.read_bytes() == expected.replace("\n", "\r").encode()


def test_crlf_and_a_bom_are_kept(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + POD.replace("\n", "\r\n").encode())
    result = fix_file(str(path), RULES, unsafe=True)
    assert (result.problem, len(result.fixed), result.remaining) == (None, 1, [])
    expected = POD + "      limits:\n        memory: 1Gi\n"
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


def test_the_last_line_without_a_line_break_stays_without_one(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(POD.rstrip("\n"))
    assert fix_file(str(path), RULES, unsafe=True).problem is None
    assert path.read_text() == POD + "      limits:\n        memory: 1Gi"


MULTI = """\
# Namespace first, then two workloads.
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: fine, namespace: shop}
spec:
  selector: {matchLabels: {app: fine}}
  template:
    spec:
      containers:
      - name: fine
        resources:
          requests: {memory: 256Mi}
          limits: {memory: 256Mi}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    spec:
      containers:
      - name: api
        resources:
          requests: {memory: 512Mi}
...
"""


def test_a_multi_document_file_has_the_right_document_fixed(tmp_path):
    path = tmp_path / "shop.yaml"
    path.write_text(MULTI)
    assert findings_of(MULTI) == [(27, "OOM504", "unsafe")]
    result = fix_file(str(path), RULES, unsafe=True)
    assert (result.problem, len(result.fixed), result.remaining) == (None, 1, [])
    assert path.read_text() == MULTI.replace("          requests: {memory: 512Mi}\n", "          requests: {memory: 512Mi}\n          limits: {memory: 512Mi}\n")
    assert len(list(yaml.safe_load_all(path.read_text()))) == 3


def test_json_stays_json(tmp_path):
    manifest = {
        "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": {"spec": {"containers": [
            {"name": "agent", "resources": {"requests": {"memory": "256Mi"}}},
            {"name": "probe", "resources": {"limits": {}, "requests": {"memory": "64Mi"}}},
        ]}}},
    }
    before = json.dumps(manifest, indent=2) + "\n"
    path = tmp_path / "agent.json"
    path.write_text(before)
    result = fix_file(str(path), RULES, unsafe=True)
    assert (result.problem, len(result.fixed), result.remaining) == (None, 2, [])
    after = path.read_text()
    assert '"memory": "256Mi"\n              },\n              "limits": {"memory": "256Mi"}\n            }' in after
    assert '"limits": {"memory": "64Mi"},' in after
    assert [c["resources"]["limits"] for c in json.loads(after)["spec"]["template"]["spec"]["containers"]] == [
        {"memory": "256Mi"}, {"memory": "64Mi"},
    ]
    assert only_inserted(before, after)


UNFIXABLE = """\
apiVersion: v1
kind: Pod
metadata: {name: odd}
spec:
  containers:
  - name: milli
    resources:
      requests: {memory: 3500m}
  - name: templated
    resources:
      requests: {memory: "{{ .Values.memory }}"}
  - name: anchored
    resources:
      requests:
        memory: &memory 1Gi
  - name: aliased
    resources:
      requests:
        memory: *memory
  - name: shared
    resources: &resources
      requests: {memory: 1Gi}
  - name: merged
    resources:
      <<: {requests: {memory: 1Gi}}
  - name: tagged
    resources:
      requests: {memory: !!str 1Gi}
  - name: null-limits
    resources:
      limits: ~
      requests: {memory: 1Gi}
"""


def test_no_fix_is_offered_where_it_could_go_wrong(project):
    """An invalid or templated request, an alias, an anchor, a tag, a merge or a null
    ``limits``: reported as before, without a fix, and ``fix`` leaves the file alone."""
    assert [(line, code, fix) for line, code, fix in findings_of(UNFIXABLE) if code == "OOM504"] == [
        (6, "OOM504", None), (9, "OOM504", None), (12, "OOM504", None), (16, "OOM504", None),
        (20, "OOM504", None), (23, "OOM504", None), (26, "OOM504", None), (29, "OOM504", None),
    ]
    root = project({"odd.yaml": UNFIXABLE})
    result = run("oomlint", "fix", "--unsafe-fixes", "--extend-select", "OOM504", "odd.yaml", cwd=root)
    assert result.returncode == 1
    # Nine: the eight OOM504s and the milli-byte request's OOM502; a templated request is
    # an unknown value, not an invalid one (issue 16).
    assert result.stdout.endswith("Fixed 0 findings in 0 files; 9 remaining.\n")
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()[:-1]].count("OOM502") == 1
    assert (root / "odd.yaml").read_text() == UNFIXABLE


def test_covered_containers_have_no_finding_to_fix(tmp_path):
    covered = POD.replace("spec:\n  containers:", "spec:\n  resources: {limits: {memory: 2Gi}}\n  containers:")
    limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults}\nspec:\n  limits:\n  - type: Container\n    default: {memory: 1Gi}\n---\n"
    for text in (covered, limit_range + POD):
        path = tmp_path / "pod.yaml"
        path.write_text(text)
        result = fix_file(str(path), RULES, unsafe=True)
        assert (result.fixed, result.remaining, path.read_text()) == ([], [], text)


def test_a_limit_range_in_another_file_keeps_its_namespace_unfixed_as_check_does(project):
    """``fix`` sees the LimitRanges of every file of the run, like ``check``: a container
    one of them covers is neither reported nor given a limit; others still are."""
    limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: apps}\nspec:\n  limits:\n  - type: Container\n    default: {memory: 1Gi}\n"
    covered = POD.replace("metadata: {name: app}", "metadata: {name: app, namespace: apps}")
    pyproject = '[tool.oomlint]\nextend-select = ["OOM504"]\n'
    root = project({"pyproject.toml": pyproject, "limits.yaml": limit_range, "covered.yaml": covered, "other.yaml": POD})
    assert run("oomlint", "check", ".", cwd=root).stdout.startswith("other.yaml:6:5: OOM504 ")
    result = run("oomlint", "fix", "--unsafe-fixes", ".", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Fixed 1 finding in 1 file; 0 remaining.\n")
    assert (root / "covered.yaml").read_text() == covered
    assert (root / "other.yaml").read_text() == POD + "      limits:\n        memory: 1Gi\n"


@pytest.mark.parametrize(
    "edit, problem",
    [
        (Edit(0, "{"), "not fixed: the fix would not parse (cannot parse YAML: "),
        (Edit(0, "# nothing\n"), "not fixed: the fix left its finding or made new ones"),
    ],
    ids=["does-not-parse", "leaves-its-finding"],
)
def test_a_bad_fix_leaves_the_manifest_byte_for_byte_and_says_why(tmp_path, monkeypatch, edit, problem):
    path = tmp_path / "pod.yaml"
    path.write_bytes(POD.encode())
    monkeypatch.setattr(rule_by_code("OOM504"), "fix", classmethod(lambda cls, node, options, document, hint=None: [edit]))
    result = fix_file(str(path), RULES, unsafe=True)
    assert result.problem.startswith(problem)
    assert (result.fixed, path.read_bytes()) == ([], POD.encode())


def test_a_manifest_with_a_broken_document_is_not_fixed(tmp_path):
    """Not even a document that is no Kubernetes object, which the checks skip."""
    text = POD + "---\nnotes: [unclosed\n"
    path = tmp_path / "pod.yaml"
    path.write_text(text)
    assert findings_of(text) == [(6, "OOM504", "unsafe")]
    result = fix_file(str(path), RULES, unsafe=True)
    assert result.problem.startswith("not fixed: UnparsableDocument: cannot parse YAML: ")
    assert result.problem.endswith(", line 12")
    assert (result.fixed, path.read_text()) == ([], text)


def test_the_fix_needs_the_opt_in_rule_selected(project):
    root = project({"pod.yaml": POD})
    assert oomlint_json("pod.yaml", cwd=root) == []
    result = run("oomlint", "fix", "--unsafe-fixes", "--extend-select", "OOM504", "pod.yaml", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Fixed 1 finding in 1 file; 0 remaining.\n")
