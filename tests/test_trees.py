"""One parse per file on a cold run, and nothing of a checked file left to the cycle collector.

The project index parses and summarizes a file, then the CLI checks it: the tree the index
parsed is kept for the check (:data:`oomlint.python.parsing.TREES`), within a budget of
source characters, for the files the CLI checks in its own process only.
"""

from __future__ import annotations

import ast
import gc
import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from oomlint.core.config import Config
from oomlint.python import checker
from oomlint.hosts import cli
from oomlint.python import parsing
from oomlint.python.checker import check_source
from oomlint.python.parsing import Shelf
from oomlint.python.project import forget_projects
from tests.snapshots import PROJECTS

PROJECT_IDS = [path.name for path in PROJECTS]
SUMMARIZED_DURING_CHECKS = {"evictions", "body_limits", "body_limits_conditional", "admin_blueprints"}


def _cli_json(root: Path, *options: str) -> list[dict]:
    forget_projects()
    out = io.StringIO()
    with redirect_stdout(out):
        cli.main(["check", "--format", "json", "--no-cache", "--exit-zero", *options, str(root)])
    forget_projects()
    return json.loads(out.getvalue())


@pytest.fixture
def events(monkeypatch):
    """``("parse", path)`` for each module parsed, ``("check", path)`` and ``("checked", path)``
    as each file's check starts and ends."""
    seen: list[tuple[str, str]] = []
    parse, check = ast.parse, checker.check_source

    def parsing_(source, filename="<unknown>", mode="exec", **options):
        if mode == "exec":
            seen.append(("parse", str(Path(filename).resolve())))
        return parse(source, filename, mode, **options)

    def checking(source, path, *arguments, **options):
        seen.append(("check", str(Path(path).resolve())))
        try:
            return check(source, path, *arguments, **options)
        finally:
            seen.append(("checked", str(Path(path).resolve())))

    monkeypatch.setattr(parsing.ast, "parse", parsing_)
    monkeypatch.setattr(checker, "check_source", checking)
    return seen


def _parsed_again_by_their_check(seen: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The files parsed before their check (by the index), and those of them their check
    parsed again (a module's check that asks about another module may still parse that one)."""
    before, again, checked, checking = set(), set(), set(), None
    for what, path in seen:
        if what == "check":
            checking = path
            checked.add(path)
        elif what == "checked":
            checking = None
        elif path == checking and path in before:
            again.add(path)
        elif path not in checked:
            before.add(path)
    return sorted(before), sorted(again)


@pytest.mark.parametrize("source", PROJECTS, ids=PROJECT_IDS)
def test_the_check_walks_the_tree_the_index_parsed_and_finds_the_same(source, tmp_path, events, monkeypatch):
    root = tmp_path / source.name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".oomlint_cache"))
    monkeypatch.setattr(parsing.TREES, "budget", 0)  # nothing kept: each reader parses
    parsed_twice = _cli_json(root, "-j", "1")
    summarized, again = _parsed_again_by_their_check(events)
    # Without the shelf, each file the index parsed before its check is parsed twice. The
    # evictions and admin_blueprints projects' indexes parse nothing first: what another
    # module shrinks, or registers before a blueprint's requests, is summarized when OOM303
    # or OOM403 asks, during the checks; so is the app's body limit of the body_limits
    # projects, when OOM403 asks.
    assert bool(summarized) == (source.name not in SUMMARIZED_DURING_CHECKS) and again == summarized
    events.clear()
    monkeypatch.setattr(parsing.TREES, "budget", 1_000_000)
    assert _cli_json(root, "-j", "1") == parsed_twice
    assert _parsed_again_by_their_check(events) == (summarized, [])
    assert parsing.TREES._trees == {}  # nothing left once the run is over


def test_a_parallel_run_keeps_no_tree_in_the_process_that_forks_the_workers(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    for number in range(cli._PARALLEL_THRESHOLD + 1):
        (tmp_path / f"m{number}.py").write_text("import sqlite3\n\ndef connect():\n    return sqlite3.connect('x')\n")
    kept = []
    original = Shelf.keep

    def keep(self, path, source, tree):
        original(self, path, source, tree)
        kept.append(len(self._trees))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Shelf, "keep", keep)
        _cli_json(tmp_path, "-j", "2")
    assert kept and set(kept) == {0}
    assert parsing.TREES._trees == {}


def test_the_shelf_keeps_the_files_a_host_checks_within_its_budget():
    shelf = Shelf(budget=10)
    one, two = ast.parse("a = 1"), ast.parse("b = 22")
    shelf.keep("one.py", "a = 1", one)  # not a file the host checks
    assert shelf.take("one.py", "a = 1") is None
    shelf.expect(["one.py", "two.py", "three.py"])
    shelf.keep("one.py", "a = 1", one)
    shelf.keep("two.py", "b = 22", two)  # 5 + 6 characters: over the budget, not kept
    assert shelf.take("two.py", "b = 22") is None
    assert shelf.take("one.py", "a = 1", keep=True) is one  # a reader before the last
    assert shelf.take("one.py", "a = 1") is one  # the last reader: no longer kept
    assert shelf.take("one.py", "a = 1") is None
    shelf.keep("two.py", "b = 22", two)  # room again
    assert shelf.take("two.py", "b = 2") is None  # another text: not its tree, and dropped
    assert shelf.take("two.py", "b = 22") is None
    shelf.keep("three.py", "a = 1", one)
    shelf.clear()
    assert shelf.take("three.py", "a = 1") is None


def test_a_checked_file_leaves_no_cycle_that_holds_its_tree():
    """A binding and its scope refer to each other, and so do some rules and the analyses
    they share: once the findings are out, those ties are cut, so the tree is freed with its
    last reference instead of waiting for the collector, which traverses every node first."""
    fixtures = sorted((Path(__file__).parent / "fixtures" / "python").glob("*.py"))
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        found = [check_source(path.read_text(encoding="utf-8"), path.name, Config().enabled) for path in fixtures]
        gc.collect()
        left = [item for item in gc.garbage if isinstance(item, (ast.Module, ast.FunctionDef, ast.ClassDef))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert len(fixtures) > 50 and sum(map(len, found)) > 100  # the rules ran, and found what they look for
    assert left == []
