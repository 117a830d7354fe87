"""Renders started before the checker is imported (:mod:`oomlint.kubernetes.prerender`):
the ``oomlint`` command starts them from its arguments alone, the check takes exactly
the ones it would have started itself, and what it does not take is stopped."""

from __future__ import annotations

import os
import subprocess
import threading

import pytest

from oomlint.core.config import Config
from oomlint.core.files import collect
from oomlint.hosts import cli
from oomlint.kubernetes import prerender, rendering
from tests.conftest import ROOT, helm_cli, run
from tests.test_rendering import FIXTURE_CONFIG, engine

FIXTURES = ROOT / "tests" / "fixtures" / "kubernetes"


@pytest.fixture
def renders(monkeypatch):
    """Two CPUs' worth of renders (four), with the pinned helm first on PATH; none left behind."""
    monkeypatch.setattr(prerender.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PATH", engine("helm"))
    yield prerender._started
    prerender.discard()


def helm_template(root: str, *values: str) -> tuple[tuple[str, ...], None]:
    command = [str(helm_cli()), "template", "release-name", root, "--namespace", "default"]
    for path in values:
        command += ["--values", path]
    return tuple(command), None


def test_the_charts_named_are_rendered_with_their_defaults_and_ci_values(renders, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    prerender.start(["--select", "OOM5", "charts/agent", "charts/limited/values.yaml"])
    assert list(renders) == [
        helm_template("charts/agent"),
        helm_template("charts/agent", "charts/agent/ci/limited-values.yaml"),
        helm_template("charts/agent", "charts/agent/ci/typo-values.yaml"),
        helm_template("charts/limited"),
    ]


def test_the_check_takes_the_renders_it_asks_for_and_reports_the_same(renders, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    expected = rendering.check_root("chart", "charts/agent", FIXTURE_CONFIG)
    prerender.start(["charts/agent"])
    assert len(renders) == 3
    assert rendering.check_root("chart", "charts/agent", FIXTURE_CONFIG) == expected
    assert renders == {}


def test_a_configured_render_is_not_taken_from_the_started_ones(renders, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    prerender.start(["charts/limited"])
    configured = Config(test_files=(), helm_set=("resources.limits.memory=1Gi",))
    rendering.check_root("chart", "charts/limited", configured)
    assert list(renders) == [helm_template("charts/limited")]


def test_what_the_check_did_not_ask_for_is_stopped(renders, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    prerender.start(["charts/limited"])
    (process,) = renders.values()
    prerender.discard()
    assert (renders, process.poll() is not None) == ({}, True)


def test_no_more_than_two_renders_per_cpu_start(renders, monkeypatch):
    monkeypatch.setattr(prerender.os, "cpu_count", lambda: 1)
    monkeypatch.chdir(FIXTURES)
    prerender.start(["charts/agent", "charts/limited"])
    assert list(renders) == [helm_template("charts/agent"), helm_template("charts/agent", "charts/agent/ci/limited-values.yaml")]


def test_another_process_does_not_take_them(renders, monkeypatch):
    """A worker forked from the command holds copies of the started processes, which are
    not its children: waiting for one there would read a failed render as a success."""
    monkeypatch.chdir(FIXTURES)
    prerender.start(["charts/limited"])
    (command, _), = renders
    monkeypatch.setattr(prerender, "_owner", os.getpid() + 1)
    assert prerender.take(list(command)) is None


@pytest.mark.parametrize("argv", [["rules"], ["lsp"], ["--version"], ["-"], ["fix", "charts/limited"]])
def test_commands_that_render_nothing_start_nothing(renders, monkeypatch, argv):
    monkeypatch.chdir(FIXTURES)
    prerender.start(argv)
    assert renders == {}


def test_without_helm_the_sdk_renders_every_values_set_in_one_process(monkeypatch):
    monkeypatch.setenv("PATH", engine("helm-python-sdk"))
    monkeypatch.chdir(FIXTURES)
    prerender.start(["charts/agent"])
    try:
        ((command, request),) = prerender._started
        assert (list(command), request) == (
            prerender.SDK_RENDERER,
            '{"chart": "charts/agent", "renders": [{"files": [], "set": []}, '
            '{"files": ["charts/agent/ci/limited-values.yaml"], "set": []}, '
            '{"files": ["charts/agent/ci/typo-values.yaml"], "set": []}]}',
        )
        expected = {(f.path, f.line, f.code) for f in rendering.check_root("chart", "charts/agent", FIXTURE_CONFIG)}
        assert (prerender._started, len(expected)) == ({}, 4)
    finally:
        prerender.discard()


def _thread(task) -> tuple[int, int]:
    return task, threading.get_ident()


@pytest.mark.parametrize("jobs", [1, 2])
def test_renders_are_checked_side_by_side_in_threads_and_reported_in_order(jobs):
    """Charts and kustomizations mostly wait for helm or kustomize: a tree of many (222
    kustomizations in Kubeflow's manifests) is built one per CPU at a time, not one by one."""
    tasks = list(range(20))
    here = [task % 5 == 0 for task in tasks]
    results = list(cli._map(_thread, tasks, jobs, (False, None), here))
    assert [task for task, _ in results] == tasks
    assert {ident for task, ident in results if task % 5 == 0}.isdisjoint({threading.get_ident()})
    assert {ident for task, ident in results if task % 5 and jobs == 1} <= {threading.get_ident()}


def test_a_library_chart_is_not_rendered(renders, tmp_path, monkeypatch):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "Chart.yaml").write_text("apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n")
    monkeypatch.chdir(tmp_path)
    prerender.start(["common"])
    assert renders == {}


def test_charts_are_spelled_as_the_file_walk_spells_them(tmp_path, monkeypatch):
    for chart in ("charts/a", "deploy/helm/b", "deep/er/still/c", ".hidden/d", "node_modules/e", "charts/a/charts/sub"):
        (tmp_path / chart).mkdir(parents=True)
        (tmp_path / chart / "Chart.yaml").write_text("name: x\n")
    (tmp_path / "charts" / "a" / "templates").mkdir()
    (tmp_path / "app.py").write_text("")
    monkeypatch.chdir(tmp_path)
    walked = [target.path for target in collect(["."], lambda path: Config()) if target.kind == "chart"]
    assert walked == [".hidden/d", "charts/a", "deep/er/still/c", "deploy/helm/b"]
    assert list(prerender._charts(["-j", "1", ".", "app.py", "missing", "charts/a/templates"])) == [".hidden/d", "charts/a", "deploy/helm/b"]


FAKE_HELM = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/calls.log"
cat <<'YAML'
---
# Source: agent/templates/daemonset.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: agent
          image: agent:1
YAML
"""
CHART_FILES = {
    "charts/agent/Chart.yaml": "apiVersion: v2\nname: agent\nversion: 0.1.0\n",
    "charts/agent/values.yaml": "{}\n",
    "charts/agent/ci/small-values.yaml": "{}\n",
    "charts/agent/templates/daemonset.yaml": (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: agent\n          image: agent:1\n"
    ),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_renders_each_values_set_once_also_beside_many_python_files(project, tmp_path, jobs):
    """The renders the command starts are the ones the check uses, in a run of one process
    and in a parallel one (where charts are checked in the command's own process)."""
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "helm").write_text(FAKE_HELM)
    (tools / "helm").chmod(0o755)
    sources = {f"app/module_{number}.py": "import os\n" for number in range(20)}
    root = project({"pyproject.toml": "", **CHART_FILES, **sources})
    result = run("oomlint", "-j", jobs, ".", cwd=root, path=f"{tools}{os.pathsep}{os.environ['PATH']}")
    assert (result.returncode, result.stdout.splitlines()[0], result.stdout.splitlines()[-1]) == (
        1,
        "charts/agent/templates/daemonset.yaml:9:11: OOM501 DaemonSet agent: container 'agent' has no memory "
        "limit, so a leak grows until the node runs out and the kubelet evicts other pods; set "
        "resources.limits.memory (with values.yaml, ci/small-values.yaml)",
        "Found 1 finding (20 files, 1 chart, 0 kustomizations, 2 objects checked).",
    )
    assert sorted((tools / "calls.log").read_text().splitlines()) == [
        "template release-name charts/agent --namespace default",
        "template release-name charts/agent --namespace default --values charts/agent/ci/small-values.yaml",
    ]
