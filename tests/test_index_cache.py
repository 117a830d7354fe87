"""What the project index keeps in the cache beside its summaries, for the next process
(each flake8 or pylint run makes the index again): the modules that mention a name whose
callers were asked, and the sets of names worked out from the summaries. Never stale: each
part of their keys is changed and the answer is worked out again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from oomlint.python import project as project_module
from oomlint.python.project import ProjectIndex, forget_projects, project_index

FOLLOWS = frozenset({"sqlite3.connect"})
DB = "import sqlite3\n\n\ndef open_db():\n    return sqlite3.connect(':memory:')\n"
LOGS = "import logging\n\n\ndef setup_logging():\n    logging.getLogger().addHandler(logging.StreamHandler())\n"
CALLER = "from app.logs import setup_logging\n\n\ndef main():\n    setup_logging()\n"


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    package = tmp_path / "app"
    package.mkdir()
    for name, text in {"__init__.py": "", "db.py": DB, "logs.py": LOGS, "cli.py": CALLER, "other.py": "X = 1\n"}.items():
        (package / name).write_text(text, encoding="utf-8")
    yield tmp_path
    forget_projects()


@pytest.fixture
def searched(monkeypatch) -> list[str]:
    """The words looked for in the passed-over files' text (not served from the cache)."""
    words: list[str] = []
    original = ProjectIndex._mentions

    def counted(self):
        words.append("read")
        return original(self)

    monkeypatch.setattr(ProjectIndex, "_mentions", counted)
    return words


def fresh(root: Path) -> ProjectIndex:
    """The index as the next process makes it: from the cache only."""
    forget_projects()
    return project_index(str(root / "app" / "logs.py"), FOLLOWS, root / ".oomlint_cache")


def callers(index: ProjectIndex) -> list:
    return [(module, caller) for module, caller, _ in index.callers("app.logs.setup_logging")]


def edit(path: Path, text: str) -> None:
    """Write ``text`` and move the modification time on, as a later save would."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_the_files_mentioning_a_name_are_read_once_per_state_of_the_projects_files(root, searched):
    first = fresh(root)
    assert "app.cli" in first.files  # passed over by the index: found through its text
    assert callers(first) == [("app.cli", "main")]
    assert searched == ["read"]
    assert callers(fresh(root)) == [("app.cli", "main")]
    assert searched == ["read"]  # the next process reads no passed-over file
    edit(root / "app" / "other.py", CALLER.replace("def main", "def other"))  # a file's content
    assert callers(fresh(root)) == [("app.cli", "main"), ("app.other", "other")]
    assert searched == ["read"] * 2
    edit(root / "app" / "new.py", CALLER.replace("def main", "def new"))  # a new file
    assert callers(fresh(root)) == [("app.cli", "main"), ("app.new", "new"), ("app.other", "other")]
    assert searched == ["read"] * 3
    (root / "app" / "cli.py").unlink()  # a file gone
    assert callers(fresh(root)) == [("app.new", "new"), ("app.other", "other")]
    assert searched == ["read"] * 4


def test_the_mentions_of_another_name_are_searched_for_it(root, searched):
    assert callers(fresh(root)) == [("app.cli", "main")]
    assert fresh(root).callers("app.db.open_db") == []
    assert searched == ["read", "read"]


def test_the_mentions_do_not_depend_on_what_was_summarized_first(root, searched):
    """A module summarized on demand before the callers are asked is still among the
    mentions kept for the next process, which may not have summarized it."""
    first = fresh(root)
    first.value("app.cli.main")  # follows the name into app/cli.py: summarized now
    assert "app.cli" not in first.files
    assert callers(first) == [("app.cli", "main")]
    assert callers(fresh(root)) == [("app.cli", "main")]
    assert searched == ["read"]


def test_names_worked_out_from_the_summaries_are_keyed_by_every_summary_they_saw(root):
    computed: list[str] = []

    def names(index: ProjectIndex, label: str):
        return index.sealed_names("test", lambda: computed.append(label) or sorted(index.modules))

    assert names(fresh(root), "sealed") == {"app.db"}
    assert names(fresh(root), "again") == {"app.db"}
    assert computed == ["sealed"]  # the next process reads it
    index = fresh(root)
    index.value("app.cli.main")  # a summary made on demand since the index was sealed
    assert names(index, "since") == {"app.db", "app.cli"}
    assert computed == ["sealed", "since"]
    index = fresh(root)
    index.value("app.cli.main")
    assert names(index, "same since") == {"app.db", "app.cli"}
    assert computed == ["sealed", "since"]
    # What the summary made on demand says, in a save the files' sizes and times do not show
    # (same size, same modification time): the summary is made from the text.
    cli = root / "app" / "cli.py"
    status = cli.stat()
    cli.write_text(CALLER.replace("    setup_logging()", "    setup_loggimg()"), encoding="utf-8")
    os.utime(cli, ns=(status.st_atime_ns, status.st_mtime_ns))
    index = fresh(root)
    index.value("app.cli.main")
    assert names(index, "changed") == {"app.db", "app.cli"}
    assert computed == ["sealed", "since", "changed"]
    edit(root / "app" / "other.py", "X = 2\n")  # any file of the project: it may be followed into
    assert names(fresh(root), "files") == {"app.db"}
    assert computed == ["sealed", "since", "changed", "files"]
    edit(root / "app" / "db.py", DB + "\n\ndef other_db():\n    return sqlite3.connect('x')\n")  # the index's digest
    assert names(fresh(root), "digest") == {"app.db"}
    assert computed == ["sealed", "since", "changed", "files", "digest"]


def test_nothing_is_kept_without_a_cache(root, searched):
    forget_projects()
    index = project_index(str(root / "app" / "logs.py"), FOLLOWS, None)
    assert callers(index) == [("app.cli", "main")]
    assert not (root / ".oomlint_cache").exists()
    assert index.sealed_names("test", lambda: ["a"]) == {"a"}


JOB = "def main(items):\n    for item in items:\n        work(item)\n\n\ndef work(item):\n    pass\n"


def test_how_often_a_module_runs_its_functions_is_kept_by_text_path_and_root(root, monkeypatch):
    made: list[str] = []
    original = project_module._local_runs

    def counted(text, path, project_root):
        made.append(os.path.basename(path))
        return original(text, path, project_root)

    monkeypatch.setattr(project_module, "_local_runs", counted)
    package = root / "app"
    (package / "job.py").write_text(JOB, encoding="utf-8")

    def work(module: str = "app.job", where: Path = root) -> tuple[str, str] | None:
        forget_projects()
        index = project_index(str(where / "app" / "logs.py"), FOLLOWS, where / ".oomlint_cache")
        index.value(f"{module}.main")  # summarized on demand
        return index.local_frequency(module, "work")

    assert work() == ("many", "is called in a loop in 'main'")
    assert work() == ("many", "is called in a loop in 'main'")
    assert made == ["job.py"]  # the next process reads it
    (package / "job.py").write_text(JOB.replace("for item in items:\n        work(item)", "work(items)"), encoding="utf-8")
    assert work() == ("once", "")  # its text
    assert made == ["job.py"] * 2
    (package / "copy.py").write_text(JOB, encoding="utf-8")
    assert work("app.copy") == ("many", "is called in a loop in 'main'")  # its path
    assert made == ["job.py", "job.py", "copy.py"]
    (package / "job.py").write_text(JOB, encoding="utf-8")
    assert work() == ("many", "is called in a loop in 'main'")
    assert made == ["job.py", "job.py", "copy.py"]  # the text seen before
    moved = shutil.copytree(root, root.parent / "moved", ignore=shutil.ignore_patterns(".oomlint_cache"))
    assert work(where=moved) == ("many", "is called in a loop in 'main'")  # the project's place: root and path
    assert made == ["job.py", "job.py", "copy.py", "job.py"]
