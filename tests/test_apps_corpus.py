"""benchmarks/apps.py: the application list of issue 15's corpora and how a tree is extracted."""

import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "benchmarks"))  # apps.py imports mirrors.py beside it, as when run
_spec = importlib.util.spec_from_file_location("apps", ROOT / "benchmarks" / "apps.py")
apps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(apps)


def test_the_application_list_is_well_formed():
    listed = apps.load_apps()
    assert Counter(app["set"] for app in listed) == {"c45": 45, "fa": 11, "f3": 6, "f4": 8, "f5": 10, "p12": 10, "p13": 10, "p14": 10, "p15": 10, "p16": 10}
    assert len({app["name"] for app in listed}) == len(listed)
    for app in listed:
        assert re.fullmatch(r"[0-9a-f]{40}", app["commit"]), app["name"]
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", app["repo"]), app["name"]
        assert all(isinstance(path, str) and path for path in app.get("remove", [])), app["name"]
    # a verdict matches a finding by the application's folder name
    verdicts = (ROOT / "benchmarks" / "verdicts.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert {row.split("\t")[0] for row in verdicts} <= {app["name"] for app in listed}


def git(*command: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(work: Path) -> str:
    git("add", "-A", cwd=work)
    git("commit", "-qm", "change", cwd=work)
    return git("rev-parse", "HEAD", cwd=work)


def mirror(tmp_path: Path) -> tuple[str, str]:
    """A bare mirror of owner/name lacking big.bin's blob, as a snapshot lacks its large
    files; its commits without and with a setup.cfg."""
    work = tmp_path / "work"
    (work / "pkg").mkdir(parents=True)
    (work / "pkg" / "a.py").write_text("import os\n")
    (work / "big.bin").write_text("large\n")
    git("init", "-q", ".", cwd=work)
    first = commit(work)
    (work / "setup.cfg").write_text("[metadata]\n")
    second = commit(work)
    bare = tmp_path / "mirrors" / "owner+name" / "repo"
    git("clone", "-q", "--bare", str(work), str(bare), cwd=tmp_path)  # objects stay loose
    blob = git("rev-parse", "HEAD:big.bin", cwd=work)
    (bare / "objects" / blob[:2] / blob[2:]).unlink()
    return first, second


def files(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): path.read_text() for path in sorted(root.rglob("*")) if path.is_file()}


def test_extract_writes_the_tree_less_the_removed_files(tmp_path):
    first, second = mirror(tmp_path)
    listed = [
        {"name": "plain", "repo": "owner/name", "commit": first, "remove": ["big.bin"]},
        {"name": "configured", "repo": "owner/name", "commit": second, "remove": ["big.bin"]},
        {"name": "folder", "repo": "owner/name", "commit": second, "folder": "pkg"},
    ]
    assert apps.extract(listed, tmp_path / "mirrors", tmp_path / "out") == 0
    # an empty pyproject.toml makes the root a project where it had neither that nor setup.cfg
    assert files(tmp_path / "out" / "plain") == {"pkg/a.py": "import os\n", "pyproject.toml": ""}
    assert files(tmp_path / "out" / "configured") == {"pkg/a.py": "import os\n", "setup.cfg": "[metadata]\n"}
    # an application that is one folder of its repository: that folder is the root
    assert files(tmp_path / "out" / "folder") == {"a.py": "import os\n", "pyproject.toml": ""}


def test_extract_names_each_application_it_cannot_extract(tmp_path, capsys):
    first, _ = mirror(tmp_path)
    (tmp_path / "out" / "lacking").mkdir(parents=True)
    listed = [
        {"name": "unfetched", "repo": "owner/other", "commit": first},
        {"name": "old", "repo": "owner/name", "commit": "0" * 40},
        {"name": "stale", "repo": "owner/name", "commit": first, "remove": ["big.bin", "gone.py"]},
        {"name": "nowhere", "repo": "owner/name", "commit": first, "folder": "server"},
        {"name": "lacking", "repo": "owner/name", "commit": first},
        {"name": "fine", "repo": "owner/name", "commit": first, "remove": ["big.bin"]},
    ]
    assert apps.extract(listed, tmp_path / "mirrors", tmp_path / "out") == 5
    lines = capsys.readouterr().err.splitlines()
    mirrors = tmp_path / "mirrors"
    assert lines[:4] == [
        f"unfetched: no mirror of owner/other at {mirrors / 'owner+other'} (fetch github:owner/other)",
        f"old: commit {'0' * 40} is not in the mirror of owner/name ({mirrors / 'owner+name' / 'repo'})",
        f"stale: remove lists gone.py, not in the tree of {first}",
        f"nowhere: {first}:server is not a folder of owner/name",
    ]
    assert lines[4].startswith(f"lacking: git archive {first} failed: ") and "big.bin" in lines[4]
    assert lines[4].endswith("(a file the mirror lacks belongs in remove)")
    assert lines[5:] == ["fine: extracted"]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["fine"]  # no partial tree left
