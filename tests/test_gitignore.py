"""Walking a git work tree: what git ignores is passed over, git being asked once per
repository; without git, nothing is filtered."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import oomlint_json, run

UNBOUNDED = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n"
GIT = shutil.which("git")


def git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repository(project, tmp_path, monkeypatch):
    """A work tree whose .gitignore, info/exclude and global excludes each ignore files."""
    excludes = tmp_path.parent / f"{tmp_path.name}-global-excludes"
    excludes.write_text("*.scratch.py\n")
    config = tmp_path.parent / f"{tmp_path.name}-gitconfig"
    config.write_text(f"[core]\n\texcludesFile = {excludes}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    root = project({
        ".gitignore": "generated/\n*_pb2.py\n!keep_pb2.py\n",
        "src/app.py": UNBOUNDED,
        "src/api_pb2.py": UNBOUNDED,
        "src/keep_pb2.py": UNBOUNDED,
        "src/notes.scratch.py": UNBOUNDED,
        "src/local.py": UNBOUNDED,
        "generated/deep/model.py": UNBOUNDED,
        "generated/chart.yaml": "apiVersion: v1\nkind: DaemonSet\n",
        "tracked/old_pb2.py": UNBOUNDED,
    })
    git(root, "init", "-q")
    (root / ".git" / "info" / "exclude").write_text("local.py\n")
    git(root, "add", "-f", "tracked/old_pb2.py")
    return root


def paths(*arguments: str, cwd: Path) -> list[str]:
    return sorted({finding["path"] for finding in oomlint_json(*arguments, cwd=cwd)})


def test_what_git_ignores_is_not_walked(repository):
    assert paths(".", cwd=repository) == ["src/app.py", "src/keep_pb2.py", "tracked/old_pb2.py"]
    assert paths(cwd=repository / "src") == ["app.py", "keep_pb2.py"]


def test_named_paths_and_no_respect_gitignore_are_checked(repository):
    assert paths("src/api_pb2.py", "generated", cwd=repository) == ["generated/deep/model.py", "src/api_pb2.py"]
    assert paths("--no-respect-gitignore", ".", cwd=repository) == [
        "generated/deep/model.py", "src/api_pb2.py", "src/app.py", "src/keep_pb2.py", "src/local.py",
        "src/notes.scratch.py", "tracked/old_pb2.py",
    ]


def test_fix_walks_the_same_files(repository):
    result = run("oomlint", "fix", ".", cwd=repository)
    assert result.stdout == "Fixed 3 findings in 3 files; 0 remaining.\n"
    assert (repository / "src" / "api_pb2.py").read_text() == UNBOUNDED


def test_a_nested_repository_has_its_own_ignores(repository):
    nested = repository / "vendor" / "lib"
    nested.mkdir(parents=True)
    git(nested, "init", "-q")
    (nested / ".gitignore").write_text("build_out.py\n")
    (nested / "build_out.py").write_text(UNBOUNDED)
    (nested / "lib.py").write_text(UNBOUNDED)
    assert paths("vendor", cwd=repository) == ["vendor/lib/lib.py"]


def test_git_is_asked_once_per_repository(repository, tmp_path, monkeypatch):
    for index in range(30):
        (repository / "src" / f"pkg{index % 3}" / f"m{index}.py").parent.mkdir(exist_ok=True)
        (repository / "src" / f"pkg{index % 3}" / f"m{index}.py").write_text("x = 1\n")
    wrapper = tmp_path.parent / f"{tmp_path.name}-bin"
    wrapper.mkdir()
    log = wrapper / "calls"
    (wrapper / "git").write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {GIT} "$@"\n')
    (wrapper / "git").chmod(0o755)
    monkeypatch.setenv("PATH", str(wrapper))
    assert len(oomlint_json("-j", "1", ".", cwd=repository)) == 3
    assert log.read_text().splitlines() == [
        "-c core.fsmonitor=false ls-files --others --ignored --exclude-standard --directory -z"
    ]


def test_without_git_or_outside_a_work_tree_nothing_is_filtered(project, tmp_path, monkeypatch):
    root = project({".gitignore": "generated/\n", "generated/model.py": UNBOUNDED, "app.py": UNBOUNDED})
    assert paths(".", cwd=root) == ["app.py", "generated/model.py"]
    git(root, "init", "-q")
    assert paths(".", cwd=root) == ["app.py"]
    empty = tmp_path.parent / f"{tmp_path.name}-no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert paths(".", cwd=root) == ["app.py", "generated/model.py"]
