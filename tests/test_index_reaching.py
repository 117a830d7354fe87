"""Which modules the project index summarizes to answer who calls a function: of the
files it passed over whose text holds the function's last name, those whose imports can
lead to it (``tests/fixtures/projects/reexports``): through a package's re-export, ``import
pkg.mod as m``, an attribute of an imported module, an alias, or a method of what a project
function returns. A module that only names a function of its own by the same name is
left alone, and the callers found are the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oomlint.python.project import forget_projects, imported_names, project_index

PROJECT = Path(__file__).parent / "fixtures" / "projects" / "reexports"


@pytest.fixture
def index(tmp_path):
    root = tmp_path / "reexports"
    shutil.copytree(PROJECT, root)
    forget_projects()
    yield project_index(str(root / "app" / "logs.py"), frozenset({"sqlite3.connect"}), None)
    forget_projects()


@pytest.mark.parametrize(
    ("called", "sites"),
    [
        ("app.logs.setup_console", [("app.console_jobs", "run_console", True)]),  # re-exported by app/__init__.py
        ("app.logs.setup_file", [("app.file_jobs", "run_files", True)]),  # import app.logs as helpers
        ("app.logs.setup_syslog", [("app.syslog_jobs", "run_syslog", True)]),  # from app import logs
        ("app.logs.setup_stream", [("app.stream_jobs", "run_streams", True)]),  # an alias
        ("app.logs.Console.reset", [("app.reset_jobs", "run_resets", True)]),  # get_console().reset()
        ("app.logs.setup_quiet", [("app.main", "main", False)]),
    ],
)
def test_callers_through_every_kind_of_import_are_found(index, called, sites):
    assert index.callers(called) == sites


def test_a_module_that_only_names_its_own_function_is_not_summarized(index):
    assert "app.quiet" in index.files
    assert index.callers("app.logs.setup_quiet") == [("app.main", "main", False)]
    assert "app.quiet" in index.files
    assert "app.main" not in index.files


def test_the_modules_on_the_way_to_a_reexport_are_summarized(index):
    index.callers("app.logs.setup_console")
    assert {"app", "app.console_jobs"}.isdisjoint(index.files)
    assert {"app.file_jobs", "app.stream_jobs", "app.quiet"} <= set(index.files)


def test_what_a_text_imports_is_read_as_the_semantic_model_binds_it():
    text = (
        "import os.path, sys as system\n"
        "from . import sibling\n"
        "from .store import (Store,  # the store (one of them)\n"
        "    Cache as Kept,\n"
        ")\n"
        "from ..up import *\n"
        "from pkg.sub import a, \\\n    b\n"
        "def f():\n"
        "    import local; from q import r\n"
    )
    assert sorted(imported_names(text, "app.web", False)) == sorted([
        ("os", "os"), ("system", "sys"), ("sibling", "app.sibling"), ("Store", "app.store.Store"),
        ("Kept", "app.store.Cache"), ("a", "pkg.sub.a"), ("b", "pkg.sub.b"), ("local", "local"), ("r", "q.r"),
    ])
    assert imported_names("from . import x\n", "app", True) == [("x", "app.x")]


@pytest.mark.parametrize("text", ["from a . b import c\n", "x = 1\n    import\n"])
def test_an_import_not_read_whole_makes_every_name_possible(text):
    assert imported_names(text, "app.web", False) is None


CONTAINERS = {
    "pyproject.toml": "",
    "app/__init__.py": "from .store import CACHE, Store\n",
    "app/store.py": "import sqlite3\n\nCACHE = {}\n\n\nclass Store:\n    def open(self):\n        return sqlite3.connect('x')\n",
    "app/writer.py": "from app import CACHE\n\n\ndef remember(user_id, value):\n    CACHE[user_id] = value\n",
    "app/evict.py": "import app.store as kept\n\n\ndef forget(user_id):\n    kept.CACHE.pop(user_id, None)\n",
    "app/special.py": "from app import store\n\n\nclass Special(store.Store):\n    pass\n",
    "app/other.py": (
        "CACHE = {}\n\n\nclass Store:\n    pass\n\n\nclass Own(Store):\n    pass\n\n\n"
        "def keep(user_id, value):\n    CACHE[user_id] = value\n    CACHE.pop(user_id)\n"
    ),
}


def index_of(root: Path, files: dict[str, str], checked: str):
    """The index of a project of ``files`` (path: text) written below ``root``, as a check
    of ``checked`` makes it; forgotten afterwards."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    forget_projects()
    yield project_index(str(root / checked), frozenset({"sqlite3.connect"}), None)
    forget_projects()


@pytest.fixture
def containers(tmp_path):
    yield from index_of(tmp_path, CONTAINERS, "app/store.py")


def test_who_writes_evicts_or_derives_is_found_in_the_modules_that_can_name_it(containers):
    """A container or a class is named through imports as a function is: the modules that
    name their own ``CACHE`` and ``Store`` are left alone."""
    assert [module for module, _ in containers.growers("app.store.CACHE")] == ["app.writer"]
    assert containers.shrinkers("app.store.CACHE") == ["app.evict"]
    assert containers.subclasses("app.store.Store") == ["app.special.Special"]
    assert "app.other" in containers.files


LATE_REEXPORT = {
    "pyproject.toml": "",
    "app/__init__.py": "",
    "app/base.py": "def helper():\n    pass\n\n\ndef other():\n    pass\n",
    "app/store.py": "from app.base import helper\n",
    "app/user.py": "from app import store\nfrom app.base import other\n\n\ndef run():\n    store.helper()\n    other()\n",
}


@pytest.fixture
def late(tmp_path):
    yield from index_of(tmp_path, LATE_REEXPORT, "app/base.py")


@pytest.mark.parametrize("first", [None, "app.base.other"])
def test_callers_do_not_depend_on_what_was_asked_before(late, first):
    """``app.user`` calls ``helper`` through ``app.store``'s re-export. Asked about ``other``
    first, the index files ``app.user``'s calls before ``app.store`` is summarized; the
    re-export read later still leads ``helper``'s callers to it."""
    if first is not None:
        assert late.callers(first) == [("app.user", "run", False)]
    assert late.callers("app.base.helper") == [("app.user", "run", False)]
