"""The results cache: a file's findings are served again only when every input of its
check is the same (bytes, path, configuration, noqa, oomlint's code and version, the
Python, the project index's summaries); otherwise the file is checked again. Served means the
stored list: the tests count the checks and tamper with entries to see which is shown."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from oomlint import engine
from oomlint.core import cache as cache_module
from oomlint.core.cache import CACHE_FOLDER, Cache
from oomlint.core.config import Config
from oomlint.core.findings import Finding
from oomlint.core.rule import rule_by_code
from oomlint.python.project import ProjectIndex, forget_projects
from tests.conftest import run

UNBOUNDED = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n"
MESSAGE = "functools.cache on 'f', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize"
FINDING = f"app.py:4:2: OOM301 [*] {MESSAGE}\n"
RULES = Config().enabled


def finding(path: str, line: int) -> Finding:
    return Finding(path, line, 2, "OOM301", MESSAGE, "unbounded-lru-cache", line, 17, "safe", None)


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The paths the engine really checked (not served from the cache), in order."""
    done: list[str] = []
    original = engine.check_bytes

    def counted(data, path, *arguments, **keywords):
        done.append(os.path.basename(path))
        return original(data, path, *arguments, **keywords)

    monkeypatch.setattr(engine, "check_bytes", counted)
    return done


def entries(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.parent.parent.name == engine.RESULTS)


def test_a_second_check_serves_the_stored_findings(tmp_path, checks):
    path = tmp_path / "app.py"
    path.write_text(UNBOUNDED)
    cache = Cache(tmp_path / CACHE_FOLDER)
    first = engine.check_file(str(path), RULES, cache=cache)
    second = engine.check_file(str(path), RULES, cache=cache)
    assert (first, second, checks) == ([finding(str(path), 4)], [finding(str(path), 4)], ["app.py"])
    assert len(entries(tmp_path / CACHE_FOLDER)) == 1


def test_the_fix_hint_comes_back_from_the_cache(tmp_path, checks):
    path = tmp_path / "app.py"
    path.write_text("def load(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n")
    cache = Cache(tmp_path / CACHE_FOLDER)
    first = engine.check_file(str(path), RULES, cache=cache)
    second = engine.check_file(str(path), RULES, cache=cache)
    assert [(f.code, f.line, f.fix, f.fix_hint) for f in first] == [("OOM201", 2, "unsafe", 4)]
    assert [(f.code, f.line, f.fix, f.fix_hint) for f in second] == [("OOM201", 2, "unsafe", 4)]
    assert checks == ["app.py"]


def without(code: str):
    return tuple(item for item in RULES if item[0].code != code)


def with_option(code: str, name: str, value: object):
    return tuple((rule, {**options, name: value} if rule.code == code else options) for rule, options in RULES)


def new_helper(path: Path) -> None:
    """A module beside ``path`` that returns a connection: the project index is not the same."""
    path.with_name("helpers.py").write_text("import sqlite3\n\n\ndef connect():\n    return sqlite3.connect('x')\n")
    forget_projects()  # a new run would make the index again


# Each case changes one part of the key between two checks of the same file.
KEY_PARTS = {
    "content": lambda path, monkeypatch: (path.write_text(UNBOUNDED.replace("import functools\n", "import functools\n\n")), {}),
    "path": lambda path, monkeypatch: (path.rename(path.with_name("other.py")), {"path": path.with_name("other.py")}),
    "rules": lambda path, monkeypatch: (None, {"rules": without("OOM301")}),
    "option": lambda path, monkeypatch: (None, {"rules": with_option("OOM301", "fix-maxsize", 8)}),
    "noqa": lambda path, monkeypatch: (None, {"noqa": False}),
    "dependencies": lambda path, monkeypatch: (new_helper(path), {}),
    "version": lambda path, monkeypatch: (monkeypatch.setattr(cache_module, "__version__", "99.0"), {}),
    "code": lambda path, monkeypatch: (monkeypatch.setattr(engine, "implementation_key", lambda: "changed"), {}),
    "python": lambda path, monkeypatch: (monkeypatch.setattr(engine.sys, "version", "3.99.0"), {}),
}
EXPECTED_AFTER = {
    "content": ["app.py:5:OOM301"],
    "path": ["other.py:4:OOM301"],
    "rules": [],
    "option": ["app.py:4:OOM301"],
    "noqa": ["app.py:4:OOM301"],
    "dependencies": ["app.py:4:OOM301"],
    "version": ["app.py:4:OOM301"],
    "code": ["app.py:4:OOM301"],
    "python": ["app.py:4:OOM301"],
}


@pytest.mark.parametrize("part", sorted(KEY_PARTS))
def test_changing_any_part_of_the_key_checks_the_file_again(part, tmp_path, checks, monkeypatch):
    path = tmp_path / "app.py"
    path.write_text(UNBOUNDED)
    cache = Cache(tmp_path / CACHE_FOLDER)
    arguments = {"path": path, "rules": RULES, "noqa": True}
    first = engine.check_file(str(path), RULES, cache=cache)
    _, changed = KEY_PARTS[part](path, monkeypatch)
    arguments.update(changed)
    second = engine.check_file(str(arguments["path"]), arguments["rules"], arguments["noqa"], cache=cache)
    assert [f"{Path(f.path).name}:{f.line}:{f.code}" for f in first] == ["app.py:4:OOM301"]
    assert [f"{Path(f.path).name}:{f.line}:{f.code}" for f in second] == EXPECTED_AFTER[part]
    assert len(checks) == 2
    # And the changed inputs are served in turn.
    third = engine.check_file(str(arguments["path"]), arguments["rules"], arguments["noqa"], cache=cache)
    assert (third, len(checks)) == (second, 2)


def test_the_version_is_a_folder_of_its_own(tmp_path, checks, monkeypatch):
    path = tmp_path / "app.py"
    path.write_text(UNBOUNDED)
    engine.check_file(str(path), RULES, cache=Cache(tmp_path / CACHE_FOLDER))
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    engine.check_file(str(path), RULES, cache=Cache(tmp_path / CACHE_FOLDER))
    assert sorted(entry.parts[-4] for entry in entries(tmp_path / CACHE_FOLDER)) == ["0.1.0", "99.0"]


@pytest.mark.parametrize(
    "name, data, code",
    [("broken.py", b"def f(:\n", "OOM003"), ("latin.py", b"x = '\xe9'\n", "OOM002"), ("bad.yaml", b"kind: [\n", None)],
)
def test_results_with_a_diagnostic_are_never_stored(name, data, code, tmp_path, checks):
    path = tmp_path / name
    path.write_bytes(data)
    cache = Cache(tmp_path / CACHE_FOLDER)
    results = [engine.check_file(str(path), RULES, cache=cache) for _ in range(2)]
    if code is None:  # a broken document that is no Kubernetes object: nothing to report, stored
        assert (results, checks) == ([[], []], [name])
        return
    assert [[f.code for f in result] for result in results] == [[code], [code]]
    assert (checks, entries(tmp_path / CACHE_FOLDER)) == ([name, name], [])


def test_an_unreadable_file_is_never_stored(tmp_path, checks):
    cache = Cache(tmp_path / CACHE_FOLDER)
    results = [engine.check_file(str(tmp_path / "gone.py"), RULES, cache=cache) for _ in range(2)]
    assert [[f.code for f in result] for result in results] == [["OOM001"], ["OOM001"]]
    assert (checks, (tmp_path / CACHE_FOLDER).exists()) == ([], False)


def test_a_damaged_entry_is_checked_again_and_replaced(tmp_path, checks):
    path = tmp_path / "app.py"
    path.write_text(UNBOUNDED)
    cache = Cache(tmp_path / CACHE_FOLDER)
    engine.check_file(str(path), RULES, cache=cache)
    (entry,) = entries(tmp_path / CACHE_FOLDER)
    for damage in (b"{not json", b'{"findings": [[4]]}', b"[]"):
        entry.write_bytes(damage)
        assert engine.check_file(str(path), RULES, cache=cache) == [finding(str(path), 4)]
    assert len(checks) == 4
    assert engine.check_file(str(path), RULES, cache=cache) == [finding(str(path), 4)]
    assert len(checks) == 4


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path, checks):
    path = tmp_path / "app.py"
    path.write_text(UNBOUNDED)
    (tmp_path / "taken").write_text("a file, not a folder")
    cache = Cache(tmp_path / "taken")
    results = [engine.check_file(str(path), RULES, cache=cache) for _ in range(2)]
    assert (results, len(checks), cache.enabled) == ([[finding(str(path), 4)]] * 2, 2, False)


LIMIT_RANGE = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: logging\nspec:\n  limits:\n  - type: Container\n    default:\n      memory: 512Mi\n"
DAEMONSET = (
    "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\n  namespace: {namespace}\nspec:\n"
    "  selector:\n    matchLabels: {{app: fluentd}}\n  template:\n    spec:\n      containers:\n"
    "      - name: fluentd\n        image: fluent/fluentd:v1.16\n"
)


def test_a_manifest_comes_back_with_what_the_cross_file_pass_needs(tmp_path, checks):
    path = tmp_path / "fluentd.yaml"
    path.write_text(
        LIMIT_RANGE + "---\n" + DAEMONSET.format(namespace="logging") + "---\n" + DAEMONSET.format(namespace="other")
    )
    cache = Cache(tmp_path / CACHE_FOLDER)
    first = engine.check_file(str(path), RULES, cache=cache)
    second = engine.check_file(str(path), RULES, cache=cache)
    assert checks == ["fluentd.yaml"]
    assert type(second) is type(first) and list(second) == list(first)
    assert [(f.line, f.code) for f in second] == [(37, "OOM501")]
    state = lambda result: (result.objects, result.covered, result.limit_ranges, result.coverable)  # noqa: E731
    assert state(second) == state(first)
    assert second.objects == 3 and second.limit_ranges == {"logging": f"LimitRange logging/defaults ({path}:1)"}
    assert list(second.coverable.values()) == ["other"]


def test_what_a_check_looked_into_is_looked_at_again_only_after_a_file_changed(tmp_path, checks, monkeypatch):
    """``app/logs.py``'s findings depend on callers in other modules (questions beyond the
    index's digest). While no file of the project changed, a new process serves them without
    asking the index again; after any change it asks once, and the entry then holds again."""
    root = tmp_path / "handlers"
    shutil.copytree(Path(__file__).parent / "fixtures" / "projects" / "handlers", root)
    asked: list[str] = []
    original = ProjectIndex.unchanged

    def unchanged(index, looked_into):
        asked.append(sorted(looked_into)[0])
        return original(index, looked_into)

    monkeypatch.setattr(ProjectIndex, "unchanged", unchanged)
    logs, cache = str(root / "app" / "logs.py"), Cache(root / CACHE_FOLDER)

    def check() -> list[int]:
        forget_projects()  # as a new run
        return [finding.line for finding in engine.check_file(logs, RULES, cache=cache)]

    assert check() == [11, 19, 26, 50, 64, 81]
    assert (check(), asked) == ([11, 19, 26, 50, 64, 81], [])
    with open(root / "app" / "cli.py", "a", encoding="utf-8") as stream:
        stream.write("# an edit\n")
    assert (check(), asked) == ([11, 19, 26, 50, 64, 81], ["app.base"])  # what it looked into, first by name
    assert (check(), len(asked), checks) == ([11, 19, 26, 50, 64, 81], 1, ["logs.py"])


# --------------------------------------------------------------------- the CLI


def tamper(folder: Path, message: str) -> int:
    """Rewrite every stored OOM301 finding's message: a run that shows it was served."""
    count = 0
    for entry in entries(folder):
        state = json.loads(entry.read_bytes())
        for fields in state["findings"]:
            fields[3] = message
            count += 1
        entry.write_text(json.dumps(state))
    return count


def test_the_cli_caches_at_the_project_root_and_serves_a_warm_run(project):
    root = project({"pyproject.toml": "[project]\nname = 'x'\n", "src/app.py": UNBOUNDED})
    first = run("oomlint", "app.py", cwd=root / "src")
    assert (first.returncode, first.stdout.splitlines()[0]) == (1, FINDING.strip())
    assert [entry.relative_to(root).parts[:3] for entry in entries(root / CACHE_FOLDER)] == [(CACHE_FOLDER, "0.1.0", "results")]
    assert (root / CACHE_FOLDER / ".gitignore").read_text() == "# Created by oomlint automatically.\n*\n"
    assert tamper(root / CACHE_FOLDER, "served") == 1
    second = run("oomlint", "app.py", cwd=root / "src")
    assert second.stdout.splitlines()[0] == "app.py:4:2: OOM301 [*] served"


def test_parallel_workers_share_the_cache(project):
    root = project({f"m{index:02}.py": UNBOUNDED for index in range(20)} | {"pyproject.toml": ""})
    first = run("oomlint", "-j", "2", ".", cwd=root)
    assert first.stdout.splitlines()[-2] == "Found 20 findings (20 files checked)."
    assert tamper(root / CACHE_FOLDER, "served") == 20
    second = run("oomlint", "-j", "2", "-q", ".", cwd=root)
    assert second.stdout == "".join(f"m{index:02}.py:4:2: OOM301 [*] served\n" for index in range(20))


def test_no_cache_neither_reads_nor_writes(project):
    root = project({"app.py": UNBOUNDED, "pyproject.toml": ""})
    run("oomlint", "app.py", cwd=root)
    tamper(root / CACHE_FOLDER, "served")
    result = run("oomlint", "--no-cache", "-q", "app.py", cwd=root)
    assert result.stdout == FINDING
    (root / "b.py").write_text(UNBOUNDED)
    run("oomlint", "--no-cache", "b.py", cwd=root)
    assert len(entries(root / CACHE_FOLDER)) == 1


def test_cache_dir_on_the_command_line_and_in_the_configuration(project):
    root = project({"app.py": UNBOUNDED, "pyproject.toml": "[tool.oomlint]\ncache-dir = 'build/lint-cache'\n"})
    run("oomlint", "app.py", cwd=root)
    assert len(entries(root / "build" / "lint-cache")) == 1
    run("oomlint", "--cache-dir", "elsewhere", "app.py", cwd=root)
    assert len(entries(root / "elsewhere")) == 1
    assert not (root / CACHE_FOLDER).exists()


def test_a_bad_cache_dir_setting_is_a_configuration_error(project):
    root = project({"app.py": UNBOUNDED, "pyproject.toml": "[tool.oomlint]\ncache-dir = 3\n"})
    result = run("oomlint", "app.py", cwd=root)
    assert (result.returncode, result.stderr) == (
        2, f"oomlint: error: {root / 'pyproject.toml'}: 'tool.oomlint.cache-dir' must be a folder's path (a string)\n"
    )


def test_a_configuration_change_checks_again(project):
    root = project({"app.py": UNBOUNDED, "pyproject.toml": ""})
    run("oomlint", "app.py", cwd=root)
    tamper(root / CACHE_FOLDER, "served")
    (root / "pyproject.toml").write_text("[tool.oomlint.OOM301]\nfix-maxsize = 8\n")
    assert run("oomlint", "-q", "app.py", cwd=root).stdout == FINDING
    (root / "pyproject.toml").write_text("[tool.oomlint]\nper-file-ignores = {'app.py' = ['OOM3']}\n")
    assert run("oomlint", "-q", "app.py", cwd=root).stdout == ""


# A command's stop(): the pid file read per worker its loop goes over.
STOPPER = "import os\n\n\ndef stop(pidfile):\n    return int(open(pidfile).read())\n\n\ndef main(paths):\n    for path in paths:\n        os.kill(stop(path), 15)\n"


@pytest.mark.parametrize(
    ("packaging", "declaring"),
    [
        ("pyproject.toml", "[project]\nname = 'x'\n\n[project.scripts]\nctl = 'ctl:main'\n"),
        ("setup.cfg", "[options.entry_points]\nconsole_scripts =\n    ctl = ctl:main\n"),
    ],
)
def test_declaring_a_module_a_command_checks_it_again(project, packaging, declaring):
    """Which modules are commands, that run once per process, is read from the packaging
    files: the results, and the index's answers kept in the cache, follow their edits."""
    root = project({"ctl.py": STOPPER, "pyproject.toml": "[project]\nname = 'x'\n"})
    leak = run("oomlint", "-q", "ctl.py", cwd=root).stdout
    assert leak.startswith("ctl.py:5:16: OOM202 ") and leak.count("\n") == 1
    (root / packaging).write_text(declaring)
    assert run("oomlint", "-q", "ctl.py", cwd=root).stdout == ""
    (root / packaging).unlink()
    if packaging == "pyproject.toml":
        (root / packaging).write_text("[project]\nname = 'x'\n")
    assert run("oomlint", "-q", "ctl.py", cwd=root).stdout == leak


def test_add_noqa_and_fix_are_not_served_stale_results(project):
    root = project({"a.py": UNBOUNDED, "b.py": UNBOUNDED, "pyproject.toml": ""})
    assert run("oomlint", "-q", "a.py", "b.py", cwd=root).stdout == FINDING.replace("app", "a") + FINDING.replace("app", "b")
    assert run("oomlint", "--add-noqa", "-q", "a.py", cwd=root).returncode == 0
    assert run("oomlint", "fix", "-q", "b.py", cwd=root).returncode == 0
    after = run("oomlint", "a.py", "b.py", cwd=root)
    assert (after.returncode, after.stdout) == (0, "No findings (2 files checked).\n")
    assert "# noqa: OOM301" in (root / "a.py").read_text() and "maxsize" in (root / "b.py").read_text()


def test_clean_removes_the_cache_folder(project):
    root = project({"app.py": UNBOUNDED, "pyproject.toml": ""})
    run("oomlint", "app.py", cwd=root)
    result = run("oomlint", "clean", cwd=root)
    assert (result.returncode, result.stdout, (root / CACHE_FOLDER).exists()) == (0, f"Removed {root / CACHE_FOLDER}\n", False)
    again = run("oomlint", "clean", cwd=root)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_clean_names_a_path_that_does_not_exist_and_cleans_the_others(project):
    root = project({"app.py": UNBOUNDED, "pyproject.toml": ""})
    run("oomlint", "app.py", cwd=root)
    result = run("oomlint", "clean", "missing", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (2, f"Removed {root / CACHE_FOLDER}\n")
    assert result.stderr == "oomlint: error: missing: no such file or directory\n"
    assert not (root / CACHE_FOLDER).exists()


def test_clean_leaves_a_folder_that_is_not_a_cache(project):
    root = project({"src/app.py": UNBOUNDED})
    result = run("oomlint", "clean", "--cache-dir", "src", cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"oomlint: error: {root / 'src'} is not an oomlint cache folder (no CACHEDIR.TAG of oomlint's): left alone\n"
    assert (root / "src" / "app.py").read_text() == UNBOUNDED
