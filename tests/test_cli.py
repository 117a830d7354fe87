"""The ``oomlint`` command as a user runs it: output shapes, exit codes, file walking."""

from __future__ import annotations

import json
import sys

from oomlint.hosts import cli
from tests.conftest import oomlint_json, run

UNBOUNDED = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n"
MESSAGE = "functools.cache on 'f', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize"


def test_clean_run_exits_0(project):
    root = project({"ok.py": "import functools\n\n\n@functools.lru_cache(maxsize=64)\ndef f(x):\n    return x\n"})
    result = run("oomlint", "ok.py", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "No findings (1 file checked).\n", "")


def test_findings_exit_1_with_exact_text(project):
    root = project({"app.py": UNBOUNDED, "lib/more.py": UNBOUNDED})
    result = run("oomlint", "check", ".", cwd=root)
    assert result.returncode == 1
    assert result.stdout == (
        f"app.py:4:2: OOM301 [*] {MESSAGE}\n"
        f"lib/more.py:4:2: OOM301 [*] {MESSAGE}\n"
        "Found 2 findings (2 files checked).\n"
        "[*] 2 fixable with `oomlint fix`.\n"
    )


def test_exit_zero_and_statistics(project):
    root = project({"app.py": UNBOUNDED + UNBOUNDED.replace("def f", "def g").replace("import functools\n", "")})
    result = run("oomlint", "--statistics", "--exit-zero", "app.py", cwd=root)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-3:] == [
        "2  OOM301  unbounded-lru-cache",
        "Found 2 findings (1 file checked).",
        "[*] 2 fixable with `oomlint fix`.",
    ]


def test_statistics_needs_text_format(project):
    root = project({"app.py": ""})
    result = run("oomlint", "--statistics", "--format", "json", "app.py", cwd=root)
    assert (result.returncode, result.stderr) == (2, "oomlint: error: --statistics goes with --format text or full\n")


def test_json_output_schema(project):
    root = project({"app.py": UNBOUNDED})
    assert oomlint_json("app.py", cwd=root) == [
        {
            "path": "app.py",
            "line": 4,
            "column": 2,
            "end_line": 4,
            "end_column": 17,
            "code": "OOM301",
            "symbol": "unbounded-lru-cache",
            "message": MESSAGE,
            "fix": "safe",
        }
    ]


def test_output_file(project):
    root = project({"app.py": UNBOUNDED})
    result = run("oomlint", "--format", "json", "--output", "report.json", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (1, "")
    assert json.loads((root / "report.json").read_text())[0]["code"] == "OOM301"


def test_select_ignore_on_the_command_line(project):
    root = project({"app.py": UNBOUNDED})
    assert run("oomlint", "--ignore", "OOM301", "app.py", cwd=root).returncode == 0
    assert run("oomlint", "--select", "OOM302", "app.py", cwd=root).returncode == 0
    assert run("oomlint", "--select", "OOM302", "--extend-select", "oom301", "app.py", cwd=root).returncode == 1
    bad = run("oomlint", "--select", "XYZ1", "app.py", cwd=root)
    assert (bad.returncode, bad.stderr) == (2, "oomlint: error: --select: unknown rule code or prefix 'XYZ1'\n")
    empty = run("oomlint", "--select", "", "app.py", cwd=root)
    assert (empty.returncode, empty.stderr.splitlines()[-1]) == (2, "oomlint check: error: argument --select: no rule code or prefix given")


def test_usage_error_exits_2(project):
    result = run("oomlint", "--jobs", "0", "x.py")
    assert result.returncode == 2
    assert "must be at least 1" in result.stderr


def test_jobs_that_is_not_a_number_is_named(project):
    result = run("oomlint", "fix", "-j", "x", "x.py")
    assert (result.returncode, result.stderr.splitlines()[-1]) == (2, "oomlint fix: error: argument -j/--jobs: 'x' is not a whole number")


def test_directories_skip_vcs_virtualenvs_builds_and_caches(project):
    skipped = [".git/hooks/x.py", ".venv/lib/x.py", "env/x.py", "build/x.py", "dist/x.py",
               "node_modules/pkg/x.py", "__pycache__/x.py", ".tox/py/x.py", "pkg.egg-info/x.py"]
    files = {path: UNBOUNDED for path in skipped}
    files["env/pyvenv.cfg"] = "home = /usr/bin\n"
    files["src/app.py"] = UNBOUNDED
    files["src/notes.txt"] = UNBOUNDED
    root = project(files)
    assert [f["path"] for f in oomlint_json(cwd=root)] == ["src/app.py"]


def test_explicit_files_are_checked_even_in_excluded_folders_unless_forced(project):
    root = project({"build/gen.py": UNBOUNDED})
    assert [f["path"] for f in oomlint_json("build/gen.py", cwd=root)] == ["build/gen.py"]
    assert oomlint_json("--force-exclude", "build/gen.py", cwd=root) == []


def test_parallel_run_gives_the_same_findings(project):
    root = project({f"pkg/m{index:02}.py": UNBOUNDED for index in range(40)})
    serial = run("oomlint", "-j", "1", "pkg", cwd=root)
    parallel = run("oomlint", "-j", "2", "pkg", cwd=root)
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert serial.stdout.endswith("Found 40 findings (40 files checked).\n[*] 40 fixable with `oomlint fix`.\n")


def test_stdin(project):
    result = run("oomlint", "--stdin-filename", "svc/app.py", "-", stdin=UNBOUNDED)
    assert (result.returncode, result.stdout) == (1, f"svc/app.py:4:2: OOM301 [*] {MESSAGE}\nFound 1 finding (1 file checked).\n[*] 1 fixable with `oomlint fix`.\n")


def test_stdin_filename_without_a_path_reads_stdin(project):
    """As in ruff, which editor integrations call that way; with other paths and no -, it is an error, not ignored."""
    root = project({"app.py": "x = 1\n"})
    result = run("oomlint", "--stdin-filename", "svc/app.py", cwd=root, stdin=UNBOUNDED)
    assert (result.returncode, result.stdout) == (1, f"svc/app.py:4:2: OOM301 [*] {MESSAGE}\nFound 1 finding (1 file checked).\n[*] 1 fixable with `oomlint fix`.\n")
    named = run("oomlint", "--stdin-filename", "svc/app.py", "app.py", cwd=root, stdin=UNBOUNDED)
    assert (named.returncode, named.stdout, named.stderr) == (
        2, "", "oomlint: error: --stdin-filename names the source read from stdin: add - to the paths\n"
    )


def test_broken_files_are_diagnostics_not_tracebacks(project):
    root = project({"syntax.py": "def f(:\n", "ok.py": UNBOUNDED})
    (root / "latin.py").write_bytes(b"name = 'caf\xe9'\n")
    result = run("oomlint", ".", "missing.py", cwd=root)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout == (
        "latin.py:1:12: OOM002 cannot decode as utf-8: byte 0xe9 is invalid\n"
        "missing.py:1:1: OOM001 cannot read file: No such file or directory\n"
        f"ok.py:4:2: OOM301 [*] {MESSAGE}\n"
        f"syntax.py:1:7: OOM003 cannot parse with Python {sys.version_info.major}.{sys.version_info.minor}: invalid syntax\n"
        "Found 4 findings (3 files checked).\n"
        "[*] 1 fixable with `oomlint fix`.\n"
    )


def test_a_file_named_twice_or_inside_a_folder_named_is_checked_once(project):
    root = project({"app.py": UNBOUNDED, "lib/more.py": UNBOUNDED})
    result = run("oomlint", "app.py", "./app.py", "lib/more.py", ".", cwd=root)
    assert (result.returncode, result.stdout) == (1, (
        f"app.py:4:2: OOM301 [*] {MESSAGE}\n"
        f"lib/more.py:4:2: OOM301 [*] {MESSAGE}\n"
        "Found 2 findings (2 files checked).\n"
        "[*] 2 fixable with `oomlint fix`.\n"
    ))


def test_a_run_with_nothing_to_check_counts_files_only(project):
    """No chart or kustomization was named: the summary does not count them."""
    root = project({"docs/index.md": "# docs\n"})
    result = run("oomlint", "missing.py", "docs", cwd=root)
    assert (result.returncode, result.stdout) == (
        1,
        "missing.py:1:1: OOM001 cannot read file: No such file or directory\nFound 1 finding (0 files checked).\n",
    )
    assert result.stderr == "oomlint: warning: docs: no Python file or Kubernetes manifest to check\n"


def test_unreadable_file_is_a_diagnostic(project):
    """A dangling symlink is listed by the walk but cannot be opened, even by root."""
    root = project({"pkg/ok.py": ""})
    (root / "pkg" / "dangling.py").symlink_to(root / "nowhere.py")
    result = run("oomlint", "pkg", cwd=root)
    assert (result.returncode, result.stdout) == (
        1,
        "pkg/dangling.py:1:1: OOM001 cannot read file: No such file or directory\nFound 1 finding (2 files checked).\n",
    )


def test_internal_failure_is_reported_and_exits_2(project, monkeypatch, capsys):
    root = project({"a.py": UNBOUNDED, "b.py": UNBOUNDED})

    def explode(path, rules, *options, **keywords):
        if path.endswith("a.py"):
            raise RuntimeError("rule bug")
        return original(path, rules, *options, **keywords)

    original = cli.check_file
    monkeypatch.setattr(cli, "check_file", explode)
    monkeypatch.chdir(root)
    assert cli.main(["-j", "1", "a.py", "b.py"]) == 2
    out, err = capsys.readouterr()
    assert out == f"b.py:4:2: OOM301 [*] {MESSAGE}\nFound 1 finding (2 files checked).\n[*] 1 fixable with `oomlint fix`.\n"
    assert err == "oomlint: internal error while checking a.py: RuntimeError: rule bug\n"


def test_an_index_that_cannot_be_made_is_an_internal_error_per_file_not_a_traceback(project, monkeypatch, capsys):
    """With workers, the index is made once before they start: a bug there is reported
    like any other internal failure, for each file whose check needs the index."""
    root = project({f"m{number:02}.py": "x = 1\n" for number in range(20)})

    def explode(path, rules, cache=None):
        raise RuntimeError("index bug")

    monkeypatch.setattr(cli.engine, "project_for", explode)
    monkeypatch.chdir(root)
    assert cli.main(["-j", "2", "."]) == 2
    out, err = capsys.readouterr()
    assert out == "No findings (20 files checked).\n"
    assert err.splitlines() == [f"oomlint: internal error while checking m{number:02}.py: RuntimeError: index bug" for number in range(20)]


# ------------------------------------------------------- day-to-day flags

TWO = UNBOUNDED + UNBOUNDED.replace("def f", "def g").replace("import functools\n", "")


def test_quiet_prints_the_findings_only(project):
    root = project({"app.py": UNBOUNDED, "ok.py": "x = 1\n", "empty/notes.txt": ""})
    result = run("oomlint", "--quiet", "app.py", "ok.py", "empty", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (1, f"app.py:4:2: OOM301 [*] {MESSAGE}\n", "")
    clean = run("oomlint", "-q", "ok.py", cwd=root)
    assert (clean.returncode, clean.stdout) == (0, "")
    fixed = run("oomlint", "fix", "-q", "app.py", cwd=root)
    assert (fixed.returncode, fixed.stdout) == (0, "")


def test_a_folder_with_nothing_to_check_is_a_warning(project):
    root = project({"docs/index.md": "# docs\n", "app.py": "x = 1\n"})
    result = run("oomlint", "docs", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (0, "No findings (1 file checked).\n")
    assert result.stderr == "oomlint: warning: docs: no Python file or Kubernetes manifest to check\n"
    fixed = run("oomlint", "fix", "docs", cwd=root)
    assert (fixed.returncode, fixed.stderr) == (0, "oomlint: warning: docs: no Python file or Kubernetes manifest to check\n")


def test_show_fixes_lists_what_fix_changed_per_file_and_code(project):
    root = project({"app.py": TWO, "lib/more.py": UNBOUNDED, "ok.py": "x = 1\n"})
    result = run("oomlint", "fix", "--show-fixes", ".", cwd=root)
    assert (result.returncode, result.stdout) == (0, (
        "Fixed 3 findings:\n"
        "- app.py:\n"
        "    2 × OOM301 (unbounded-lru-cache)\n"
        "- lib/more.py:\n"
        "    1 × OOM301 (unbounded-lru-cache)\n"
        "Fixed 3 findings in 2 files; 0 remaining.\n"
    ))
    nothing = run("oomlint", "fix", "--show-fixes", ".", cwd=root)
    assert (nothing.returncode, nothing.stdout) == (0, "Fixed 0 findings in 0 files; 0 remaining.\n")


def test_show_fixes_with_diff_says_what_would_be_fixed(project):
    root = project({"app.py": UNBOUNDED})
    result = run("oomlint", "fix", "--diff", "--show-fixes", "app.py", cwd=root)
    assert result.returncode == 1
    assert result.stdout.endswith("Would fix 1 finding:\n- app.py:\n    1 × OOM301 (unbounded-lru-cache)\nWould fix 1 finding in 1 file.\n")
    assert (root / "app.py").read_text() == UNBOUNDED


def test_exit_non_zero_on_fix(project):
    root = project({"app.py": UNBOUNDED, "b.py": UNBOUNDED})
    assert run("oomlint", "fix", "app.py", cwd=root).returncode == 0
    result = run("oomlint", "fix", "--exit-non-zero-on-fix", "b.py", cwd=root)
    assert (result.returncode, result.stdout) == (1, "Fixed 1 finding in 1 file; 0 remaining.\n")
    again = run("oomlint", "fix", "--exit-non-zero-on-fix", "b.py", cwd=root)
    assert (again.returncode, again.stdout) == (0, "Fixed 0 findings in 0 files; 0 remaining.\n")


def test_fix_does_not_offer_stdin(project):
    root = project({"app.py": UNBOUNDED})
    assert "- reads stdin" in run("oomlint", "check", "--help", cwd=root).stdout
    assert "stdin" not in run("oomlint", "fix", "--help", cwd=root).stdout
    result = run("oomlint", "fix", "-", cwd=root, stdin=UNBOUNDED)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "oomlint: error: fix edits files: it cannot read stdin (oomlint check - can)\n"
    )


def test_lsp_without_pygls_says_what_to_install(monkeypatch, capsys):
    """oomlint is not on PyPI yet: the message names what pip can install."""
    monkeypatch.setitem(sys.modules, "oomlint.hosts.lsp", None)
    assert cli.main(["lsp"]) == 2
    assert capsys.readouterr().err == "oomlint: error: the language server needs pygls (oomlint's lsp extra): pip install 'pygls>=2.0'\n"


def test_fix_says_it_leaves_charts_to_check(project):
    """A chart is checked as rendered: fix has no text to fix, and its '0 remaining' would hide the chart's findings."""
    root = project({"app.py": UNBOUNDED, "deploy/agent/Chart.yaml": "apiVersion: v2\nname: agent\nversion: 0.1.0\n"})
    result = run("oomlint", "fix", ".", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "Fixed 1 finding in 1 file; 0 remaining.\n",
        "oomlint: warning: deploy/agent: Helm chart left out: checked as rendered, it has no text to fix; "
        "'oomlint check' reports its findings\n",
    )
    quiet = run("oomlint", "fix", "-q", ".", cwd=root)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
