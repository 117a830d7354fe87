"""Multi-module fixture projects (``tests/fixtures/projects/<name>/``): leaks that cross
functions, classes and modules, found through the project index.

Each project is copied to a folder of its own and checked as a user would: the engine
file by file, the CLI on the folder, flake8 and pylint on the folder, and flake8 given
only the file that holds the finding (as pre-commit passes the files that changed),
which must report what the CLI reports for the whole project. The ``# expect:`` markers
say where the findings are; ``<name>.out`` pins them (``python -m tests.snapshots``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oomlint.core.rule import all_rules
from tests.conftest import expectations, malformed_markers, oomlint_json, run
from tests.snapshots import PROJECTS, project_output, project_sources, project_snapshot

PROJECT_IDS = [path.name for path in PROJECTS]
# A cache folder left in a fixture project by running oomlint there by hand.
IGNORED = shutil.ignore_patterns(".oomlint_cache")


def marked(root: Path) -> set[tuple[str, int, int, str]]:
    return {
        (path.relative_to(root).as_posix(), line, column, code)
        for path in project_sources(root)
        for _, line, column, code in expectations(path)
    }


def pinned(name: str) -> set[tuple]:
    """``(file, line, column, code, message)`` of the project's snapshot."""
    found = set()
    for entry in project_snapshot(name).read_text(encoding="utf-8").splitlines():
        path, span, code, _fix, message = entry.split(" ", 4)
        line, column = map(int, span.split("-")[0].split(":"))
        found.add((path, line, column, code, message))
    return found


@pytest.fixture
def copy(tmp_path):
    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(Path(__file__).parent / "fixtures" / "projects" / name, target, ignore=IGNORED)
        return target

    return make


@pytest.mark.parametrize("source", PROJECTS, ids=PROJECT_IDS)
def test_engine_reports_the_marked_findings_as_pinned(source, copy):
    root = copy(source.name)
    output = project_output(root)
    assert {(entry.split()[0], *map(int, entry.split()[1].split("-")[0].split(":")), entry.split()[2])
            for entry in output.splitlines()} == marked(root)
    assert output == project_snapshot(source.name).read_text(encoding="utf-8"), "python -m tests.snapshots rewrites it"


@pytest.mark.parametrize("source", PROJECTS, ids=PROJECT_IDS)
def test_cli_flake8_and_pylint_agree_with_the_engine(source, copy):
    root = copy(source.name)
    expected = pinned(source.name)
    cli = {(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in oomlint_json("-j", "1", ".", cwd=root)}
    assert cli == expected
    assert _flake8(root, ".") == expected
    assert _pylint(root) == expected


@pytest.mark.parametrize("source", PROJECTS, ids=PROJECT_IDS)
def test_flake8_given_one_file_reports_what_the_whole_project_shows(source, copy):
    root = copy(source.name)
    expected = pinned(source.name)
    for path in sorted({entry[0] for entry in expected}):
        assert _flake8(root, path) == {entry for entry in expected if entry[0] == path}


@pytest.mark.parametrize("source", PROJECTS, ids=PROJECT_IDS)
def test_a_rule_alone_reports_what_it_reports_among_all(source, copy):
    """The index holds what the enabled rules follow; no rule's findings may depend on
    which others are enabled (``--select OOM202`` against the whole set)."""
    root = copy(source.name)
    every = oomlint_json("--no-cache", "--select", "OOM", ".", cwd=root)
    for code in sorted({finding["code"] for finding in every}):
        alone = oomlint_json("--no-cache", "--select", code, ".", cwd=root)
        assert alone == [finding for finding in every if finding["code"] == code], code


def test_the_index_is_cached_and_a_changed_helper_is_seen(copy):
    """The second run reads summaries from ``.oomlint_cache``; after a helper stops
    returning a connection, its callers are no longer reported."""
    root = copy("helpers")
    first = oomlint_json(".", cwd=root)
    assert sorted((root / ".oomlint_cache").glob("*/summaries/*/*"))
    assert sorted((root / ".oomlint_cache").glob("*/derived/*/*"))  # which helpers lead to a resource
    assert (root / ".oomlint_cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert oomlint_json(".", cwd=root) == first
    helper = root / "src" / "shop" / "db.py"
    helper.write_text(
        helper.read_text(encoding="utf-8").replace(
            "def open_connection():\n    conn = connect()\n    return conn\n",
            "def open_connection():\n    return _shared\n",
        ),
        encoding="utf-8",
    )
    after = oomlint_json(".", cwd=root)
    assert [f["line"] for f in first if f["path"] == "src/shop/views.py"] == [11, 16, 23, 55, 60]
    assert [f["line"] for f in after if f["path"] == "src/shop/views.py"] == [16, 23, 55, 60]


def test_a_wrapper_that_now_expires_every_key_is_seen_through_the_cache(copy):
    """Whether ``redis_store.set(key, data)`` writes a key with no TTL is decided by the
    wrapper's ``set`` in another module: the cached results of its callers depend on it."""
    root = copy("redis_wrappers")
    first = oomlint_json("--select", "OOM304", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in first] == [
        ("app/redis_client.py", 31), ("app/settings_store.py", 14), ("app/views.py", 9), ("app/views.py", 19),
        ("app/views.py", 23), ("app/views.py", 39), ("app/views.py", 46),
    ]
    wrapper = root / "app" / "redis_client.py"
    wrapper.write_text(
        wrapper.read_text(encoding="utf-8").replace("_prepared(value), ex, px)", "_prepared(value), ex or 60, px)"),
        encoding="utf-8",
    )
    after = oomlint_json("--select", "OOM304", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in after] == [
        ("app/settings_store.py", 14), ("app/views.py", 23), ("app/views.py", 39),
    ]


def test_a_new_caller_in_another_module_is_seen_through_the_cache(copy):
    """Whether ``setup_logging`` adds a handler many times is decided by its callers in
    other modules: the cached results of ``app/logs.py`` depend on them, also on a
    module that called nothing of it before."""
    root = copy("handlers")
    first = oomlint_json(".", cwd=root)
    assert [f["line"] for f in first] == [11, 19, 26, 50, 64, 81]
    package = root / "app" / "__init__.py"
    package.write_text(
        "from app.logs import setup_logging\n\n\ndef reload(times):\n    for _ in range(times):\n        setup_logging()\n",
        encoding="utf-8",
    )
    after = oomlint_json(".", cwd=root)
    assert [(f["line"], f["message"].split(", and")[0]) for f in after if f["line"] == 32] == [
        (32, "handler added to a process-wide logger in 'setup_logging', which is called in a loop in 'app.reload'")
    ]


def _edit(path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) with ``new`` in the file at ``path``."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_eviction_removed_in_another_module_is_seen_through_the_cache(copy):
    """Whether a cache is evicted can be decided by another module (a signal handler that
    pops an entry): the cached results of the cache's module depend on it."""
    root = copy("evictions")
    first = oomlint_json("--select", "OOM303", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in first] == [("app/units.py", 20), ("app/units.py", 40)]
    _edit(root / "app" / "signals.py", "UnitHelper._base_units.pop(space_id, None)", "print(space_id)")
    after = oomlint_json("--select", "OOM303", ".", cwd=root)
    assert [(f["path"], f["line"], f["message"].split(", keyed by")[0]) for f in after] == [
        ("app/units.py", 14, "class-level dict 'UnitHelper._base_units' grows in 'base_units'"),
        ("app/units.py", 20, "class-level dict 'UnitHelper._aliases' grows in 'alias'"),
        ("app/units.py", 40, "module-level set '_labels' grows in 'label_seen'"),
    ]


def test_a_write_changed_in_another_module_is_seen_through_the_cache(copy):
    """Whether a cache grows can be decided by another module that writes it (a
    serializer keyed by ``project.id``): the cached results of the cache's module depend
    on those writes, and on the evictions beside them."""
    root = copy("shared_caches")
    first = oomlint_json("--select", "OOM303", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in first] == [("app/cache.py", line) for line in (5, 6, 12, 13, 17)]
    _edit(root / "app" / "serializers.py", "_attributes_cache[project.id] = ", "_attributes_cache['all'] = ")
    after = oomlint_json("--select", "OOM303", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in after] == [("app/cache.py", line) for line in (6, 12, 13, 17)]
    _edit(root / "app" / "signals.py", "cache._evicted_cache.pop(project_id, None)", "print(project_id)")
    last = oomlint_json("--select", "OOM303", ".", cwd=root)
    assert [(f["path"], f["line"], f["message"].split(", keyed by")[0]) for f in last] == [
        ("app/cache.py", 6, "module-level dict '_profiles' grows in 'profile' of module 'app.views'"),
        ("app/cache.py", 8, "module-level dict '_evicted_cache' grows in 'TaskSerializer.members' of module 'app.serializers'"),
        ("app/cache.py", 12, "module-level defaultdict '_groups_cache' grows in 'group' of module 'app.views'"),
        ("app/cache.py", 13, "module-level dict '_words_cache' grows in 'split' of module 'app.views'"),
        ("app/cache.py", 17, "class-level dict 'Registry._cache' grows in 'token' of module 'app.views'"),
    ]


@pytest.mark.parametrize(
    "project, before, edited, old, new, line, message",
    [
        (
            # Whether ``engine_for``'s cache grows is decided by what its callers in other modules pass.
            "caches", [("app/store.py", line) for line in (20, 34, 41)], "app/jobs.py",
            "engine_for(DEFAULT_URL)", "engine_for(input())", 27, "module-level dict '_engines' grows in 'engine_for'",
        ),
        (
            # A key the constructor sets (``self.broker_url``) is what the class's callers pass.
            "instances", [("app/buffers.py", 39)], "app/jobs.py",
            "RedisBuffer(broker_url, key)", "RedisBuffer(input(), key)", 25,
            "class-level dict 'RedisBuffer._pools' grows in 'pool'",
        ),
    ],
)
def test_a_caller_that_now_passes_anything_is_seen_through_the_cache(copy, project, before, edited, old, new, line, message):
    """Whether a cache grows is decided by what the callers in other modules pass: the
    cached results of the cache's module depend on those arguments."""
    root = copy(project)
    first = oomlint_json("--select", "OOM303", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in first] == before
    caller = root / edited
    caller.write_text(caller.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    after = oomlint_json("--select", "OOM303", ".", cwd=root)
    assert [(f["line"], f["message"]) for f in after if f["line"] == line] == [
        (line, f"{message}, keyed by user input, and is never evicted: every distinct key stays in memory; bound it or evict entries")
    ]


def test_a_literal_a_caller_now_passes_is_seen_through_the_cache(copy):
    """The keys a storage adapter writes are the texts its callers pass: ``"banned"``,
    whose fields ``forgive`` takes out, then ``"blocked"``, which nothing takes out. Only
    the literal changed, not the kind of argument."""
    root = copy("redis_locators")
    first = oomlint_json("--select", "OOM304", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in first] == [("app/storage.py", line) for line in (40, 48, 64)]
    _edit(root / "app" / "flags.py", 'inc_hash("banned", request.remote_addr)', 'inc_hash("blocked", request.remote_addr)')
    after = oomlint_json("--select", "OOM304", ".", cwd=root)
    assert [(f["path"], f["line"]) for f in after] == [("app/storage.py", line) for line in (40, 44, 48, 64)]


def test_no_cache_leaves_no_cache_folder(copy):
    root = copy("helpers")
    findings = oomlint_json("--no-cache", ".", cwd=root)
    assert [f["line"] for f in findings if f["path"] == "src/shop/views.py"] == [11, 16, 23, 55, 60]
    assert not (root / ".oomlint_cache").exists()


def test_a_folder_in_no_project_is_indexed_where_the_cli_keeps_its_cache(copy, tmp_path):
    """Without a project marker the files beside each other make the index, and the folder
    is its project's root: the CLI keeps their summaries in its cache folder (a warm run
    reads them), and so do flake8 and pylint, in the folder's ``.oomlint_cache`` as the CLI
    without ``--cache-dir`` does, so that each of their runs does not summarize the folder again."""
    root = copy("helpers")
    (root / "pyproject.toml").unlink()
    cache = tmp_path / "cli-cache"
    findings = oomlint_json("--cache-dir", str(cache), "src/shop", cwd=root)
    assert [f["line"] for f in findings if f["path"] == "src/shop/views.py"] == [11, 16, 23, 55, 60]
    assert sorted(cache.glob("*/summaries/*/*"))
    assert oomlint_json("--cache-dir", str(cache), "src/shop", cwd=root) == findings
    assert not list(root.rglob(".oomlint_cache"))
    for _ in range(2):  # the second run reads the index the first one kept
        flake8 = run("flake8", "--select", "OOM202", "src/shop/views.py", cwd=root)
        assert flake8.stdout.splitlines()[0].startswith("src/shop/views.py:11:12: OOM202 'conn' from open_connection()")
        assert [path.relative_to(root).as_posix() for path in root.rglob(".oomlint_cache")] == ["src/shop/.oomlint_cache"]
        assert sorted((root / "src" / "shop" / ".oomlint_cache").glob("*/summaries/*/*"))
    assert oomlint_json("src/shop", cwd=root) == findings  # the CLI's own default folder is the same


# Makes the index of a project in a fresh process, then prints how many objects the
# cycle collector no longer traverses (gc.freeze) and the index's module names.
SETTLE_PROBE = """
import gc, sys
from oomlint.python import project
if sys.argv[2] == "settled":
    project.settle_indexes()
index = project.project_index(sys.argv[1], frozenset({"sqlite3.connect"}), None)
print(gc.get_freeze_count() > 0, sorted(index.modules))
"""


@pytest.mark.parametrize("host, frozen", [("settled", "True"), ("editor", "False")])
def test_a_host_that_keeps_its_indexes_takes_them_out_of_the_collectors_reach(copy, host, frozen):
    """The CLI, flake8 and pylint keep their indexes to their end: once made, the cycle
    collector stops traversing them. An editor's server, which makes a new one after
    each save, leaves them to it. (``shop.stock`` closes what it opens: the index reads it
    to learn resource kinds.)"""
    root = copy("helpers")
    result = run("python", "-c", SETTLE_PROBE, str(root / "src" / "shop" / "views.py"), host)
    assert (result.returncode, result.stdout) == (
        0, f"{frozen} ['shop.archive', 'shop.catalog', 'shop.db', 'shop.stock', 'shop.views']\n"
    )


def test_project_markers_are_well_formed():
    assert malformed_markers([path for project in PROJECTS for path in project_sources(project)]) == []


def _flake8(root: Path, target: str) -> set[tuple]:
    result = run("flake8", "--select", "OOM", "--format", "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s", target, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    reported = set()
    for line in result.stdout.splitlines():
        path, row, column, code, message = line.split(":", 4)
        reported.add((Path(path).as_posix().removeprefix("./"), int(row), int(column), code, message))
    return reported


def _pylint(root: Path) -> set[tuple]:
    symbols = ",".join(rule.symbol for rule in all_rules() if rule.language == "python")
    result = run(
        "pylint", "--load-plugins=oomlint", "--disable=all", f"--enable={symbols}", "--score=n", "--recursive=y",
        "--msg-template={path}:{line}:{column}:{msg_id}:{symbol}:{msg}", ".", cwd=root,
    )
    assert result.returncode in (0, 4), result.stdout + result.stderr
    by_symbol = {rule.symbol: rule for rule in all_rules()}
    reported = set()
    for line in result.stdout.splitlines():
        if line.startswith("*"):
            continue
        path, row, column, _msg_id, symbol, message = line.split(":", 5)
        reported.add((Path(path).as_posix(), int(row), int(column) + 1, by_symbol[symbol].code, message))
    return reported


def test_a_consumer_gone_from_another_module_is_seen_through_the_cache(copy):
    """Whether a list pushed in ``app/dispatch.py`` is a queue is decided by the module
    that pops it: the cached results of the writer depend on it."""
    root = copy("redis_lifecycles")
    first = oomlint_json(".", cwd=root)
    assert [f["line"] for f in first if f["path"] == "app/dispatch.py"] == [22, 29, 42]
    worker = root / "app" / "worker.py"
    worker.write_text(
        worker.read_text(encoding="utf-8").replace("self.redis.blpop(self.queue_name, timeout=1)", "self.redis.lindex(self.queue_name, 0)"),
        encoding="utf-8",
    )
    after = oomlint_json(".", cwd=root)
    assert [(f["line"], f["message"]) for f in after if f["path"] == "app/dispatch.py"][0] == (
        18, "Redis rpush(self.queue, ...) writes a key with no TTL and this function never expires it: it stays until deleted"
    )
    assert [f["line"] for f in after if f["path"] == "app/dispatch.py"] == [18, 22, 29, 42]
