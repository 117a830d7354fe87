"""The pre-commit hook, run for real with ``pre-commit try-repo`` on a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BIN, ROOT, engine_path, helm_cli

pytestmark = pytest.mark.skipif(not (BIN / "pre-commit").exists(), reason="pre-commit is not installed")

LEAKY = "import functools\n\n\n@functools.cache\ndef load(key):\n    return key\n"
FIXED = LEAKY.replace("@functools.cache", "@functools.lru_cache(maxsize=256)")
DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
  namespace: logging
spec:
  selector:
    matchLabels: {app: log-shipper}
  template:
    metadata:
      labels: {app: log-shipper}
    spec:
      containers:
        - name: shipper
          image: registry.example/shipper:1.0
          resources:
            requests:
              memory: 256Mi
"""
LIMITED = DAEMONSET + "            limits:\n              memory: 256Mi\n"
CI_CONFIG = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"


def git(*arguments: str, cwd: Path) -> None:
    subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True)


def try_repo(cwd: Path, home: Path, *files: str, path: str | None = None) -> subprocess.CompletedProcess:
    """The hook on ``files`` (all files when none), with ``path`` as PATH if given."""
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "PATH": path or f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    selection = ["--files", *files] if files else ["--all-files"]
    return subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", str(ROOT), "oomlint", *selection],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=900,
    )


def test_manifest_is_valid():
    result = subprocess.run([str(BIN / "pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_fails_on_leaks_and_passes_once_fixed(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "service"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    git("config", "user.email", "dev@example.com", cwd=repo)
    git("config", "user.name", "dev", cwd=repo)
    (repo / "cache.py").write_text(LEAKY)
    (repo / "deploy").mkdir()
    (repo / "deploy" / "shipper.yaml").write_text(DAEMONSET)
    (repo / ".github").mkdir()
    (repo / ".github" / "ci.yml").write_text(CI_CONFIG)
    git("add", ".", cwd=repo)
    home = tmp_path / "pre-commit-home"

    failing = try_repo(repo, home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "cache.py:4:2: OOM301 " in failing.stdout
    assert "deploy/shipper.yaml:14:11: OOM501 " in failing.stdout
    assert "ci.yml" not in failing.stdout

    (repo / "cache.py").write_text(FIXED)
    (repo / "deploy" / "shipper.yaml").write_text(LIMITED)
    git("add", ".", cwd=repo)
    passing = try_repo(repo, home)
    assert passing.returncode == 0, passing.stdout + passing.stderr


def test_a_change_to_a_charts_helper_checks_the_chart(tmp_path):
    """pre-commit passes the changed files: a chart's ``_helpers.tpl`` checks the chart,
    other files that are neither Python nor YAML/JSON are left alone."""
    repo = tmp_path / "service"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kubernetes" / "charts" / "agent", repo / "charts" / "agent")
    (repo / "README.md").write_text("# service\n")
    (repo / "main.tf.tpl").write_text("bucket = ${name}\n")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    result = try_repo(repo, tmp_path / "home", "charts/agent/templates/_helpers.tpl", "README.md", "main.tf.tpl", path=engine_path(helm_cli()))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "charts/agent/templates/daemonset.yaml:22:11: OOM501 DaemonSet default/release-name-agent: container 'agent' " in result.stdout
    assert "Found 4 findings (0 files, 1 chart, 0 kustomizations, 6 objects checked)." in result.stdout
