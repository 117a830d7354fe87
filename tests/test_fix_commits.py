"""benchmarks/fixes.py: the recall corpus's case list and how a case is judged."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "benchmarks"))  # fixes.py imports mirrors.py beside it, as when run
_spec = importlib.util.spec_from_file_location("fixes", ROOT / "benchmarks" / "fixes.py")
fixes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixes)

CASE = {
    "id": "demo",
    "family": "OOM2",
    "codes": ["OOM201", "OOM202"],
    "file": "pkg/a.py",
    "before_lines": [10, 14],
    "after_lines": [10, 16],
}


def test_judge_found_when_flagged_before_and_silent_after():
    before = [
        fixes.Finding("pkg/a.py", 9, "OOM202"),  # above the range
        fixes.Finding("pkg/a.py", 12, "OOM301"),  # another code
        fixes.Finding("pkg/b.py", 12, "OOM202"),  # another file
        fixes.Finding("pkg/a.py", 14, "OOM202"),
    ]
    after = [fixes.Finding("pkg/a.py", 17, "OOM202")]  # below the range
    verdict = fixes.judge(CASE, before, after)
    assert verdict == fixes.Verdict("demo", "OOM2", [fixes.Finding("pkg/a.py", 14, "OOM202")], [])
    assert (verdict.found, verdict.outcome) == (True, "found")


def test_judge_not_found_when_the_fixed_code_is_flagged_too():
    verdict = fixes.judge(CASE, [fixes.Finding("pkg/a.py", 10, "OOM201")], [fixes.Finding("pkg/a.py", 16, "OOM201")])
    assert (verdict.found, verdict.outcome) == (False, "not silent after")


def test_judge_missed_when_nothing_in_range_before():
    verdict = fixes.judge(CASE, [fixes.Finding("pkg/a.py", 15, "OOM201")], [])
    assert (verdict.found, verdict.outcome) == (False, "missed")


def test_recall_per_family_and_overall():
    verdicts = [
        fixes.Verdict("a", "OOM3", [fixes.Finding("x.py", 1, "OOM302")], []),
        fixes.Verdict("b", "OOM2", [], []),
        fixes.Verdict("c", "OOM2", [fixes.Finding("x.py", 1, "OOM202")], []),
    ]
    assert fixes.recall(verdicts) == {"OOM2": (1, 2), "OOM3": (1, 1), "all": (2, 3)}


def test_package_inits_of_a_nested_module():
    assert fixes.package_inits("src/pkg/sub/mod.py") == ["src/__init__.py", "src/pkg/__init__.py", "src/pkg/sub/__init__.py"]
    assert fixes.package_inits("top.py") == []


def test_git_dir_of_a_bare_mirror_and_of_a_clone_with_a_work_tree(tmp_path):
    (tmp_path / "a+bare" / "repo").mkdir(parents=True)
    (tmp_path / "a+clone" / "repo" / ".git").mkdir(parents=True)
    assert fixes.git_dir(tmp_path, "a/bare") == tmp_path / "a+bare" / "repo"
    assert fixes.git_dir(tmp_path, "a/clone") == tmp_path / "a+clone" / "repo" / ".git"


def test_extract_writes_both_revisions_with_package_inits(tmp_path):
    git = tmp_path / "mirrors" / "owner+name" / "repo"
    work = tmp_path / "work"
    (work / "pkg").mkdir(parents=True)

    def commit(text):
        (work / "pkg" / "a.py").write_text(text)
        subprocess.run(["git", "-C", str(work), "add", "-A"], check=True)
        subprocess.run(
            ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", text],
            check=True,
        )
        return subprocess.run(["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()

    subprocess.run(["git", "init", "-q", str(work)], check=True)
    (work / "pkg" / "__init__.py").write_text("# package\n")
    parent = commit("f = open('x')\n")
    fixed = commit("with open('x') as f:\n    pass\n")
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(git)], check=True)
    case = dict(CASE, repo="owner/name", commit=fixed, parent=parent, files=["pkg/a.py", "pkg/missing.py"])

    assert fixes.extract([case], tmp_path / "mirrors", tmp_path / "corpus") == 1  # pkg/missing.py
    for side, text in (("before", "f = open('x')\n"), ("after", "with open('x') as f:\n    pass\n")):
        root = tmp_path / "corpus" / "demo" / side
        assert sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) == [
            "pkg/__init__.py",
            "pkg/a.py",
            "pyproject.toml",
        ]
        assert (root / "pkg" / "a.py").read_text() == text
        assert (root / "pyproject.toml").read_text() == ""


def test_the_case_list_is_well_formed():
    cases = fixes.load_cases()
    assert len(cases) >= 40
    assert len({case["id"] for case in cases}) == len(cases)
    for case in cases:
        assert re.fullmatch(r"[0-9a-f]{40}", case["commit"]) and re.fullmatch(r"[0-9a-f]{40}", case["parent"]), case["id"]
        assert case["family"] in {"OOM1", "OOM2", "OOM3", "OOM4"}, case["id"]
        assert case["codes"] and all(code.startswith(case["family"]) for code in case["codes"]), case["id"]
        assert case["file"] in case["files"], case["id"]
        for side in ("before_lines", "after_lines"):
            first, last = case[side]
            assert 1 <= first <= last, case["id"]
        assert case["url"].startswith("https://github.com/" + case["repo"] + "/"), case["id"]
        assert case["what"], case["id"]
