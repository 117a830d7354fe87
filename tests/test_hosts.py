"""Host specifics beyond the shared fixtures: pylint's own controls, flake8's defaults."""

from __future__ import annotations

from tests.conftest import run

# OOM302 on the method (line 5), OOM301 on the function (line 10): one finding per decorator,
# each line carrying the same comment, which the tests below rewrite.
ON_METHOD = (
    "import functools\n\n\n"
    "class Report:\n"
    "    @functools.lru_cache(maxsize=None)  # pylint: disable=cache-on-method\n"
    "    def rows(self, month):\n"
    "        return month\n\n\n"
    "@functools.lru_cache(maxsize=None)  # pylint: disable=cache-on-method\n"
    "def totals(month):\n"
    "    return month\n"
)


def pylint_lines(*arguments: str, cwd) -> list[str]:
    result = run("pylint", "--load-plugins=oomlint", "--score=n", "--msg-template={line}:{column}:{msg_id}:{symbol}",
                 "--disable=all", "--enable=unbounded-lru-cache,cache-on-method", *arguments, cwd=cwd)
    return [line for line in result.stdout.splitlines() if not line.startswith("*")]


def test_pylint_disable_comment_and_flags(project):
    root = project({"report.py": ON_METHOD})
    assert pylint_lines("report.py", cwd=root) == ["10:1:W7131:unbounded-lru-cache"]
    assert pylint_lines("--disable=unbounded-lru-cache", "report.py", cwd=root) == []


def test_pylint_honours_noqa_like_every_host(project):
    root = project({"report.py": ON_METHOD.replace("# pylint: disable=cache-on-method", "# noqa: OOM3")})
    assert pylint_lines("report.py", cwd=root) == []


def test_flake8_reports_oom_codes_by_default(project):
    root = project({"report.py": ON_METHOD.replace("  # pylint: disable=cache-on-method", "")})
    result = run("flake8", "--isolated", "report.py", cwd=root)
    assert result.returncode == 1
    assert [line.split(" ")[:2] for line in result.stdout.splitlines()] == [
        ["report.py:5:6:", "OOM302"],
        ["report.py:10:2:", "OOM301"],
    ]


def test_flake8_per_line_noqa_and_extend_ignore(project):
    root = project({"report.py": ON_METHOD.replace("# pylint: disable=cache-on-method", "# noqa: OOM302")})
    result = run("flake8", "--isolated", "report.py", cwd=root)
    assert [line.split(" ")[1] for line in result.stdout.splitlines()] == ["OOM301"]
    ignored = run("flake8", "--isolated", "--extend-ignore=OOM301", "report.py", cwd=root)
    assert (ignored.returncode, ignored.stdout) == (0, "")


LEDGER = (
    "_ledger = {}\n\n\n"
    "def record(order_id, total):\n"
    "    _ledger[order_id] = total\n"
)


def test_rule_options_reach_every_host(project):
    """``cache-names`` from [tool.oomlint.OOM303] makes '_ledger' a cache everywhere."""
    root = project({"pyproject.toml": '[tool.oomlint.OOM303]\ncache-names = ["ledger"]\n', "shop.py": LEDGER})
    cli = run("oomlint", "shop.py", cwd=root)
    assert cli.stdout.splitlines()[0].startswith("shop.py:5:5: OOM303 ")
    flake8 = run("flake8", "--select", "OOM", "shop.py", cwd=root)
    assert flake8.stdout.splitlines()[0].startswith("shop.py:5:5: OOM303 ")
    assert pylint_lines("--enable=unbounded-module-cache", "shop.py", cwd=root) == ["5:4:W7133:unbounded-module-cache"]


def test_pylint_option_overrides_the_table(project):
    root = project({"shop.py": LEDGER})
    assert pylint_lines("--enable=unbounded-module-cache", "shop.py", cwd=root) == []
    assert pylint_lines("--enable=unbounded-module-cache", "--oom303-cache-names=ledger,memo", "shop.py", cwd=root) == [
        "5:4:W7133:unbounded-module-cache"
    ]


CHECKOUT = "def count(pool):\n    lease = pool.checkout()\n    return lease.rows\n"


def test_pylint_option_is_checked_like_the_table(project):
    root = project({"db.py": CHECKOUT})
    result = run("pylint", "--load-plugins=oomlint", "--score=n", "--disable=all", "--enable=resource-never-released",
                 "--msg-template={line}:{msg_id}:{msg}", "--oom202-extra-resources=checkout", "db.py", cwd=root)
    assert result.returncode == 1  # pylint's fatal bit, as for a bad [tool.oomlint]
    assert result.stdout.splitlines()[1:] == [
        "1:F0011:error while parsing the configuration: --oom202-extra-resources: 'checkout' is not"
        " 'package.factory', 'package.factory:method' or '*.method:release' (a release may be '*.method',"
        " a method given the resource back)"
    ]
    configured = run("pylint", "--load-plugins=oomlint", "--score=n", "--disable=all", "--enable=resource-never-released",
                     "--msg-template={line}:{msg_id}", "--oom202-extra-resources=*.checkout:release", "db.py", cwd=root)
    assert configured.stdout.splitlines()[1:] == ["2:W7122"]
