"""``[tool.oomlint]``: discovery, selection, per-file ignores, options, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from oomlint.core.config import Config, ConfigError, find_config, load_config_file
from oomlint.core.rule import all_rules
from tests.conftest import oomlint_json, run

UNBOUNDED = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n"
ON_METHOD = "import functools\n\n\nclass C:\n    @functools.lru_cache(maxsize=64)\n    def m(self, x):\n        return x\n"


def selected(config: Config) -> list[str]:
    return [rule.code for rule, _ in config.enabled]


def test_defaults_select_every_default_rule():
    assert selected(Config()) == [rule.code for rule in all_rules() if rule.default_enabled]
    assert {"OOM301", "OOM302", "OOM303", "OOM304"} <= set(selected(Config()))


@pytest.mark.parametrize(
    "select, extend_select, ignore, expected",
    [
        (("OOM3",), (), ("OOM302",), ["OOM301", "OOM303", "OOM304"]),
        (("OOM3",), (), ("OOM30",), []),
        (("OOM3",), ("OOM301",), ("OOM30",), ["OOM301"]),
        (("OOM302",), (), ("OOM3",), ["OOM302"]),
        (("OOM301", "OOM304"), (), (), ["OOM301", "OOM304"]),
    ],
)
def test_most_specific_prefix_wins(select, extend_select, ignore, expected):
    config = Config(select=select, extend_select=extend_select, ignore=ignore)
    assert selected(config) == expected


def test_nearest_pyproject_with_a_table_is_used(project):
    root = project(
        {
            "pyproject.toml": '[tool.oomlint]\nignore = ["OOM302"]\n',
            "pkg/pyproject.toml": "[project]\nname = 'no-oomlint-table-here'\n",
            "pkg/sub/pyproject.toml": '[tool.oomlint]\nignore = ["OOM301"]\n',
            "pkg/a.py": "",
            "pkg/sub/b.py": "",
        }
    )
    assert find_config(root / "pkg" / "a.py").ignore == ("OOM302",)
    assert find_config(root / "pkg" / "sub" / "b.py").ignore == ("OOM301",)


def test_per_file_ignores_and_exclude_apply_in_the_cli(project):
    root = project(
        {
            "pyproject.toml": (
                "[tool.oomlint]\n"
                'exclude = ["generated"]\n'
                "test-files = []\n"
                "[tool.oomlint.per-file-ignores]\n"
                '"tests/*" = ["OOM301"]\n'
            ),
            "src/app.py": UNBOUNDED,
            "tests/test_app.py": UNBOUNDED + ON_METHOD,
            "generated/out.py": UNBOUNDED,
        }
    )
    findings = oomlint_json(".", cwd=root)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("src/app.py", 4, "OOM301"),
        ("tests/test_app.py", 11, "OOM302"),
    ]


def test_test_code_is_not_checked_by_default(project):
    root = project(
        {
            "pyproject.toml": "[project]\nname = 'no-oomlint-table-here'\n",
            "app/views.py": UNBOUNDED,
            "app/tests/helpers.py": UNBOUNDED,
            "app/test/data.py": UNBOUNDED,
            "app/test_views.py": UNBOUNDED,
            "app/views_test.py": UNBOUNDED,
            "app/views_tests.py": UNBOUNDED,
            "app/tests.py": UNBOUNDED,
            "app/conftest.py": UNBOUNDED,
            "app/testing.py": UNBOUNDED,
            "app/testing/factories.py": UNBOUNDED,
            "integration_tests/server.py": UNBOUNDED,
            "regression/python_test_utils/template_helper.py": UNBOUNDED,
            "app/api_test_helpers/factories.py": UNBOUNDED,
            "load_test/locustfile.py": UNBOUNDED,
            "app/contests/views.py": UNBOUNDED,
            "app/contest_results/views.py": UNBOUNDED,
            "app/attestation/views.py": UNBOUNDED,
            "app/latest.py": UNBOUNDED,
        }
    )
    findings = oomlint_json(".", cwd=root)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("app/attestation/views.py", 4, "OOM301"),
        ("app/contest_results/views.py", 4, "OOM301"),
        ("app/contests/views.py", 4, "OOM301"),
        ("app/latest.py", 4, "OOM301"),
        ("app/testing.py", 4, "OOM301"),
        ("app/views.py", 4, "OOM301"),
    ]


def test_test_code_is_matched_below_the_project_root_from_outside_it(project):
    """A project in a folder named like test code (``~/load_test/``) is checked from its
    parent as from inside; a sample project among a project's test data stays test code;
    a check run from within a project matches below the folder it runs in, which the user
    chose. The project root is what a ``pyproject.toml`` with no ``[tool.oomlint]`` marks."""
    parent = project(
        {
            "load_test/pyproject.toml": "[project]\nname = 'load-test'\n",
            "load_test/app.py": UNBOUNDED,
            "shop/pyproject.toml": "[project]\nname = 'shop'\n",
            "shop/load_test/locustfile.py": UNBOUNDED,
            "shop/views.py": UNBOUNDED,
            "shop/tests/fixtures/sample/pyproject.toml": "[project]\nname = 'sample'\n",
            "shop/tests/fixtures/sample/app.py": UNBOUNDED,
        }
    )
    assert [(f["path"], f["line"], f["code"]) for f in oomlint_json("load_test", "shop", cwd=parent)] == [
        ("load_test/app.py", 4, "OOM301"),
        ("shop/views.py", 4, "OOM301"),
    ]
    assert [(f["path"], f["line"], f["code"]) for f in oomlint_json(".", cwd=parent / "shop")] == [
        ("views.py", 4, "OOM301"),
    ]
    assert [(f["path"], f["line"], f["code"]) for f in oomlint_json(".", cwd=parent / "load_test")] == [
        ("app.py", 4, "OOM301"),
    ]
    assert [(f["path"], f["line"], f["code"]) for f in oomlint_json(".", cwd=parent / "shop" / "load_test")] == [
        ("locustfile.py", 4, "OOM301"),
    ]


def test_test_files_says_what_test_code_is(project):
    root = project(
        {
            "pyproject.toml": '[tool.oomlint]\ntest-files = ["spec"]\n',
            "spec/helpers.py": UNBOUNDED,
            "tests/test_views.py": UNBOUNDED,
        }
    )
    findings = oomlint_json(".", cwd=root)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [("tests/test_views.py", 4, "OOM301")]


def test_test_code_is_not_parsed_so_its_syntax_errors_are_not_reported(project):
    """Test code is not checked, so not parsed (``OOM003`` is for the files rules read);
    with ``test-files = []`` it is checked, and one that does not parse is an ``OOM003``."""
    root = project({"tests/test_app.py": "def f(:\n", "app.py": "x = 1\n"})
    result = run("oomlint", ".", cwd=root)
    assert (result.returncode, result.stdout) == (0, "No findings (2 files checked).\n")
    (root / "pyproject.toml").write_text("[tool.oomlint]\ntest-files = []\n")
    findings = oomlint_json(".", "--no-cache", cwd=root)
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in findings] == [("tests/test_app.py", 1, 7, "OOM003")]


TAB_BROKEN = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n"
TAB_MESSAGE = "cannot parse YAML: found character that cannot start any token (a tab: YAML indents with spaces)"


def test_manifests_and_charts_in_test_code_are_not_parsed_or_rendered(project):
    """As for Python: a manifest or chart no enabled rule reads (test code, or a selection
    of Python rules) is neither parsed nor rendered, so its errors are not reported."""
    root = project(
        {
            "tests/tab.yaml": TAB_BROKEN,
            "tests/chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
            "tests/chart/templates/a.yaml": "kind: {{ .Values.x.y }}\n",
            "deploy/pod.yaml": TAB_BROKEN,
        }
    )
    result = run("oomlint", ".", cwd=root)
    assert (result.returncode, result.stdout) == (
        1,
        f"deploy/pod.yaml:4:1: OOM003 {TAB_MESSAGE}\n"
        "Found 1 finding (2 files, 1 chart, 0 kustomizations, 0 objects checked).\n",
    )
    result = run("oomlint", "--select", "OOM3", "deploy", cwd=root)
    assert (result.returncode, result.stdout) == (0, "No findings (1 file checked).\n")
    (root / "pyproject.toml").write_text("[tool.oomlint]\ntest-files = []\n")
    findings = oomlint_json(".", "--no-cache", cwd=root)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("deploy/pod.yaml", 4, "OOM003"), ("tests/chart/Chart.yaml", 1, "OOM007"), ("tests/tab.yaml", 4, "OOM003"),
    ]


def test_test_code_is_found_below_the_project_only(project):
    """The folders above the project (its checkout under ``/srv/tests/``) do not make it test code."""
    root = project({"tests/checkout/pyproject.toml": "[tool.oomlint]\n", "tests/checkout/app.py": UNBOUNDED})
    assert [f["path"] for f in oomlint_json("app.py", cwd=root / "tests" / "checkout")] == ["app.py"]
    assert [f["path"] for f in oomlint_json("checkout/app.py", cwd=root / "tests")] == ["checkout/app.py"]


def test_test_code_is_skipped_in_every_host(project):
    root = project({"tests/test_app.py": UNBOUNDED + ON_METHOD})
    flake8 = run("flake8", "--select", "OOM", "tests/test_app.py", cwd=root)
    assert (flake8.returncode, flake8.stdout) == (0, "")
    pylint = run("pylint", "--load-plugins=oomlint", "--disable=all", "--enable=unbounded-lru-cache,cache-on-method",
                 "--score=n", "tests/test_app.py", cwd=root)
    assert (pylint.returncode, pylint.stdout) == (0, "")


def test_flake8_and_pylint_read_the_same_table(project):
    root = project({"pyproject.toml": '[tool.oomlint]\nignore = ["OOM301"]\n', "app.py": UNBOUNDED + ON_METHOD})
    flake8 = run("flake8", "--select", "OOM", "app.py", cwd=root)
    assert [line.split(" ")[:2] for line in flake8.stdout.splitlines()] == [["app.py:11:6:", "OOM302"]]
    pylint = run("pylint", "--load-plugins=oomlint", "--disable=all", "--enable=unbounded-lru-cache,cache-on-method",
                 "--score=n", "--msg-template={line}:{symbol}", "app.py", cwd=root)
    assert [line for line in pylint.stdout.splitlines() if not line.startswith("*")] == ["11:cache-on-method"]


@pytest.mark.parametrize(
    "table, message",
    [
        ('selct = ["OOM3"]', "unknown key 'tool.oomlint.selct'"),
        ('test-files = "tests"', "'tool.oomlint.test-files' must be a list of strings"),
        ('select = "OOM3"', "'tool.oomlint.select' must be a list of strings"),
        ('ignore = ["OOM399"]', "'tool.oomlint.ignore': unknown rule code or prefix 'OOM399'"),
        ('ignore = ["E501"]', "'tool.oomlint.ignore': unknown rule code or prefix 'E501'"),
        ('per-file-ignores = ["x"]', "'tool.oomlint.per-file-ignores' must be a table of pattern = [codes]"),
        ('[tool.oomlint.OOM399]\nx = 1', "unknown key 'tool.oomlint.OOM399'"),
        ('[tool.oomlint.OOM301]\nmaxsize = 1', "unknown option 'tool.oomlint.OOM301.maxsize' (options of OOM301: fix-maxsize)"),
        ('[tool.oomlint.OOM301]\nfix-maxsize = 0', "'tool.oomlint.OOM301.fix-maxsize': must be at least 1"),
        ('[tool.oomlint.OOM302]\nallowed-maxsize = -1', "'tool.oomlint.OOM302.allowed-maxsize': must be at least 0"),
        ('[tool.oomlint.OOM303]\ncache-names = "memo"', "'tool.oomlint.OOM303.cache-names': expected a list of strings"),
        ('[tool.oomlint.OOM303]\ncache-names = [1]', "'tool.oomlint.OOM303.cache-names': expected a list of strings"),
        ('[tool.oomlint.OOM502]\nminimum = "lots"', "'tool.oomlint.OOM502.minimum': 'lots' is not a positive quantity"),
        ('[tool.oomlint.OOM202]\nextra-resources = ["checkout"]',
         "'tool.oomlint.OOM202.extra-resources': 'checkout' is not 'package.factory', 'package.factory:method' or"
         " '*.method:release' (a release may be '*.method', a method given the resource back)"),
        ('[tool.oomlint.OOM201]\nextra-resources = ["*.pool.checkout:release"]',
         "'tool.oomlint.OOM201.extra-resources': '*.pool.checkout:release' is not 'package.factory',"
         " 'package.factory:method' or '*.method:release' (a release may be '*.method', a method given the"
         " resource back)"),
        ('[tool.oomlint.OOM202]\nextra-resources = ["myapp.db.checkout:give back"]',
         "'tool.oomlint.OOM202.extra-resources': 'myapp.db.checkout:give back' is not 'package.factory',"
         " 'package.factory:method' or '*.method:release' (a release may be '*.method', a method given the"
         " resource back)"),
        ('[tool.oomlint.per-file-ignores]\n"t/*" = ["OOM9"]',
         "'tool.oomlint.per-file-ignores.t/*': unknown rule code or prefix 'OOM9'"),
    ],
)
def test_bad_config_is_an_error_naming_the_key(project, table, message):
    root = project({"pyproject.toml": "[tool.oomlint]\n" + table + "\n", "app.py": UNBOUNDED})
    with pytest.raises(ConfigError) as error:
        load_config_file(root / "pyproject.toml")
    assert str(error.value) == f"{root / 'pyproject.toml'}: {message}"
    result = run("oomlint", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"oomlint: error: {root / 'pyproject.toml'}: {message}\n"


def test_invalid_toml_is_an_error_with_its_position(project):
    root = project({"pyproject.toml": "[tool.oomlint\n", "app.py": ""})
    result = run("oomlint", "app.py", cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith(f"oomlint: error: {root / 'pyproject.toml'}: invalid TOML: ")
    assert "line 1" in result.stderr


def test_allowed_maxsize_says_which_method_caches_keep_too_few_instances_to_report(project):
    """By default every method cache that stores anything is reported (``maxsize=8`` keeps
    eight instances alive); a project that finds its last few harmless raises the option."""
    few = ON_METHOD.replace("maxsize=64", "maxsize=8")
    root = project({"app.py": few})
    assert [(f["line"], f["column"], f["code"]) for f in oomlint_json("app.py", cwd=root)] == [(5, 6, "OOM302")]
    (root / "pyproject.toml").write_text("[tool.oomlint.OOM302]\nallowed-maxsize = 8\n")
    result = run("oomlint", "--no-cache", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (0, "No findings (1 file checked).\n")


def test_explicit_config_file(project, tmp_path: Path):
    root = project({"custom.toml": '[tool.oomlint]\nselect = ["OOM302"]\n', "app.py": UNBOUNDED + ON_METHOD})
    findings = oomlint_json("--config", "custom.toml", "app.py", cwd=root)
    assert [(f["line"], f["code"]) for f in findings] == [(11, "OOM302")]
    missing = run("oomlint", "--config", "nope.toml", "app.py", cwd=root)
    assert missing.returncode == 2
    assert missing.stderr == f"oomlint: error: {root / 'nope.toml'}: no such config file\n"
