"""``oomlint fix``: exact rewrites, idempotence, safety, and byte-for-byte care of files."""

from __future__ import annotations

import ast
import json
import os
import shutil
import stat
import sysconfig
from pathlib import Path
from collections import Counter

import pytest


from oomlint.core.config import Config
from oomlint.fix.driver import fix_file
from oomlint.core.rule import rule_by_code
from tests.conftest import run

BEFORE = """\
import functools
from functools import cache, lru_cache
import async_lru


@functools.lru_cache(maxsize=None)  # profiles by user
def load(user_id):
    return user_id


@lru_cache(None)
def render(template):
    return template


@cache  # hot path
def resolve(name):
    return name


@functools.cache
def parse(raw):
    return raw


@async_lru.alru_cache(maxsize=None, typed=True)
async def fetch(key):
    return key
"""
AFTER = """\
import functools
from functools import lru_cache
import async_lru


@functools.lru_cache(maxsize=1024)  # profiles by user
def load(user_id):
    return user_id


@lru_cache(1024)
def render(template):
    return template


@lru_cache(maxsize=1024)  # hot path
def resolve(name):
    return name


@functools.lru_cache(maxsize=1024)
def parse(raw):
    return raw


@async_lru.alru_cache(maxsize=1024, typed=True)
async def fetch(key):
    return key
"""
RULES = Config().enabled


def test_oom301_fix_exact_text_idempotent_and_clean(tmp_path):
    path = tmp_path / "caches.py"
    path.write_text(BEFORE)
    first = fix_file(str(path), RULES)
    assert (first.problem, len(first.fixed), first.remaining) == (None, 5, [])
    assert path.read_text() == AFTER
    ast.parse(path.read_text())
    second = fix_file(str(path), RULES)
    assert (second.fixed, second.new_text, path.read_text()) == ([], None, AFTER)


def test_fix_maxsize_comes_from_the_config(project):
    root = project({"pyproject.toml": "[tool.oomlint.OOM301]\nfix-maxsize = 256\n", "app.py": BEFORE})
    result = run("oomlint", "fix", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Fixed 5 findings in 1 file; 0 remaining.\n")
    assert (root / "app.py").read_text() == AFTER.replace("1024", "256")


def test_unfixable_forms_are_reported_and_left_alone(project):
    source = "import cachetools\n\n\n@cachetools.cached(cache={})\ndef rates(currency):\n    return currency\n"
    root = project({"rates.py": source})
    result = run("oomlint", "fix", "rates.py", cwd=root)
    assert result.returncode == 1
    assert result.stdout.endswith("Fixed 0 findings in 0 files; 1 remaining.\n")
    assert (root / "rates.py").read_text() == source


def test_diff_writes_nothing(project):
    root = project({"app.py": BEFORE})
    result = run("oomlint", "fix", "--diff", "app.py", cwd=root)
    assert result.returncode == 1
    assert "-@functools.lru_cache(maxsize=None)  # profiles by user\n+@functools.lru_cache(maxsize=1024)  # profiles by user\n" in result.stdout
    assert result.stdout.startswith("--- a/app.py\n+++ b/app.py\n")
    assert result.stdout.endswith("Would fix 5 findings in 1 file.\n")
    assert (root / "app.py").read_text() == BEFORE


def test_encoding_bom_newlines_and_permissions_are_kept(tmp_path):
    latin = tmp_path / "latin.py"
    latin.write_bytes(("# -*- coding: latin-1 -*-\n" + BEFORE.replace("# hot path", "# café")).encode("latin-1"))
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + BEFORE.replace("\n", "\r\n").encode())
    os.chmod(bom, 0o751)
    assert fix_file(str(latin), RULES).problem is None
    assert fix_file(str(bom), RULES).problem is None
    assert latin.read_bytes().decode("latin-1") == "# -*- coding: latin-1 -*-\n" + AFTER.replace("# hot path", "# café")
    assert bom.read_bytes() == b"\xef\xbb\xbf" + AFTER.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(os.stat(bom).st_mode) == 0o751
    assert [name for name in os.listdir(tmp_path) if name.startswith(".oomlint-")] == []


@pytest.mark.parametrize(
    "broken_fix, problem",
    [
        ("lambda", "not fixed: the fix would not parse (invalid syntax, line 6)"),
        ("not a name", "not fixed: CSTValidationError: Name 'not a name' is not a valid identifier."),
        (None, "not fixed: the fix left its finding or made new ones"),
    ],
    ids=["does-not-parse", "raises", "leaves-its-finding"],
)
def test_a_bad_fix_leaves_the_file_byte_for_byte_and_says_why(tmp_path, monkeypatch, broken_fix, problem):
    import libcst as cst

    path = tmp_path / "app.py"
    path.write_text(BEFORE)

    def fix(cls, node, options, context, hint=None):
        return node if broken_fix is None else cst.Name(broken_fix)

    monkeypatch.setattr(rule_by_code("OOM301"), "fix", classmethod(fix))
    result = fix_file(str(path), RULES)
    assert (result.problem, result.fixed) == (problem, [])
    assert path.read_bytes() == BEFORE.encode()


UNCALLED_CACHE = """\
import functools


@functools.lru_cache(maxsize=None)
def lookup(key):
    return key.upper()
"""


def test_fixing_a_copy_of_the_stdlib(tmp_path):
    """Only files with fixable findings change, each still compiles, and a second run fixes nothing."""
    source = sysconfig.get_paths()["stdlib"]
    copy = tmp_path / "stdlib"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"), symlinks=True)
    (copy / "pyproject.toml").write_text("[tool.oomlint]\ntest-files = []\n")  # the stdlib's tests too
    # The stdlib's own unbounded function caches show no growing key (OOM301 asks for
    # evidence): a public API nothing calls gives the run an OOM301 fix beside theirs.
    (copy / "lookups.py").write_text(UNCALLED_CACHE)
    before = {path: path.read_bytes() for path in copy.rglob("*.py") if path.is_file()}
    checked = run("oomlint", "check", "--format", "json", "--exit-zero", ".", cwd=copy)
    fixable = {copy / finding["path"] for finding in json.loads(checked.stdout) if finding["fix"]}
    codes = Counter(finding["code"] for finding in json.loads(checked.stdout) if finding["fix"])
    assert {"OOM201", "OOM202", "OOM301"} <= codes.keys()
    first = run("oomlint", "fix", "--unsafe-fixes", ".", cwd=copy)
    assert first.returncode in (0, 1), first.stderr
    changed = {path for path, data in before.items() if path.read_bytes() != data}
    assert changed and changed <= fixable
    for path in changed:
        compile(path.read_bytes(), str(path), "exec")
    # A file the first run left alone had nothing to fix and has not changed since.
    second = run("oomlint", "fix", "--unsafe-fixes", *(str(path.relative_to(copy)) for path in sorted(changed)), cwd=copy)
    assert "Fixed 0 findings in 0 files;" in second.stdout


BOMB_GUARD = """\
from PIL import Image

Image.MAX_IMAGE_PIXELS = None  # scans are huge
"""


def test_oom402_fix_is_unsafe_and_restores_pillows_limit(project):
    root = project({"scan.py": BOMB_GUARD})
    safe_only = run("oomlint", "fix", "scan.py", cwd=root)
    assert safe_only.returncode == 1
    assert (root / "scan.py").read_text() == BOMB_GUARD
    result = run("oomlint", "fix", "--unsafe-fixes", "scan.py", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Fixed 1 finding in 1 file; 0 remaining.\n")
    assert (root / "scan.py").read_text() == BOMB_GUARD.replace("= None", "= 89478485")
    ast.parse((root / "scan.py").read_text())
    again = run("oomlint", "fix", "--unsafe-fixes", "scan.py", cwd=root)
    assert again.stdout == "Fixed 0 findings in 0 files; 0 remaining.\n"


RELEASES = """\
import asyncio
import threading

lock = threading.Lock()


def load(pool, key):
    conn = pool.getconn()

    # look it up
    rows = conn.execute("select", key)
    pool.putconn(conn)  # give it back
    return rows


def bump(counter):
    lock.acquire()  # serialise
    counter.value += compute()
    lock.release()


async def tick(gate: asyncio.Lock, counter):
    await gate.acquire()
    await counter.bump()
    gate.release()


def bump_noted(counter):
    lock.acquire()
    counter.value += compute()
    lock.release()  # keep this note


def copy(source, target):
    reader = open(source, "rb")
    writer = open(target, "wb")
    writer.write(reader.read())
    writer.close()
    reader.close()


def read(path):
    handle = open(path)  # the config
    # parse it
    data = handle.read()
    size = len(data)
    return data, size
"""
RELEASES_FIXED = """\
import asyncio
import threading

lock = threading.Lock()


def load(pool, key):
    conn = pool.getconn()

    try:
        # look it up
        rows = conn.execute("select", key)
    finally:
        pool.putconn(conn)  # give it back
    return rows


def bump(counter):
    with lock:  # serialise
        counter.value += compute()


async def tick(gate: asyncio.Lock, counter):
    async with gate:
        await counter.bump()


def bump_noted(counter):
    lock.acquire()
    try:
        counter.value += compute()
    finally:
        lock.release()  # keep this note


def copy(source, target):
    reader = open(source, "rb")
    try:
        writer = open(target, "wb")
        try:
            writer.write(reader.read())
        finally:
            writer.close()
    finally:
        reader.close()


def read(path):
    with open(path) as handle:  # the config
        # parse it
        data = handle.read()
    size = len(data)
    return data, size
"""


def test_oom201_and_oom202_fixes_exact_text_idempotent_and_clean(project):
    """try/finally after the acquire, with for bare lock acquires, nested resources over
    two passes, with-as for an open-like resource; comments kept."""
    root = project({"app.py": RELEASES})
    safe_only = run("oomlint", "fix", "app.py", cwd=root)
    assert (safe_only.returncode, (root / "app.py").read_text()) == (1, RELEASES)
    result = run("oomlint", "fix", "--unsafe-fixes", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Fixed 7 findings in 1 file; 0 remaining.\n")
    assert (root / "app.py").read_text() == RELEASES_FIXED
    ast.parse(RELEASES_FIXED)
    again = run("oomlint", "fix", "--unsafe-fixes", "app.py", cwd=root)
    assert (again.stdout, (root / "app.py").read_text()) == ("Fixed 0 findings in 0 files; 0 remaining.\n", RELEASES_FIXED)


UNFIXABLE_RELEASES = """\
import sqlite3


def released_in_a_branch(path, fast):
    f = open(path)
    data = f.read()
    if fast:
        f.close()
    return data


def released_twice(lock, job):
    lock.acquire()
    if job.cancelled:
        lock.release()
        return None
    result = job.run()
    lock.release()
    return result


def transaction_not_close(path):
    conn = sqlite3.connect(path)
    return conn.execute("select 1").fetchall()


def used_outside_its_block(path, retry):
    if retry:
        f = open(path)
        f.readline()
    print(f.name)
"""


def test_release_findings_the_fix_cannot_restructure_are_not_marked_fixable(project):
    """A release in another block or several releases, a connection that ``with`` would not
    close, a name used outside the block: reported with no fix, left byte-for-byte."""
    root = project({"app.py": UNFIXABLE_RELEASES})
    checked = run("oomlint", "check", "--format", "json", "app.py", cwd=root)
    assert [(f["line"], f["code"], f["fix"]) for f in json.loads(checked.stdout)] == [
        (5, "OOM201", None), (13, "OOM201", None), (23, "OOM202", None), (29, "OOM202", None),
    ]
    result = run("oomlint", "fix", "--unsafe-fixes", "app.py", cwd=root)
    assert result.stdout.endswith("Fixed 0 findings in 0 files; 4 remaining.\n")
    assert (root / "app.py").read_text() == UNFIXABLE_RELEASES


def test_every_rule_with_a_fix_says_which_kind_and_its_findings_agree():
    """``fixes`` feeds the rules table: set exactly on the rules that define ``fix``, and a
    finding is never offered another kind of fix than its rule's."""
    from oomlint.engine import check_file
    from oomlint.kubernetes.objects import KubernetesRule
    from oomlint.core.rule import Rule, all_rules

    bases = {Rule.fix.__func__, KubernetesRule.fix.__func__}
    assert {rule.code for rule in all_rules() if rule.fix.__func__ not in bases} == {
        rule.code for rule in all_rules() if rule.fixes
    }
    fixtures = Path(__file__).parent / "fixtures"
    rules = Config(select=("OOM",)).enabled
    offered = {
        (finding.code, finding.fix)
        for path in sorted(fixtures.rglob("*.*"))
        for finding in check_file(str(path), rules)
        if finding.fix
    }
    assert offered == {(code, rule_by_code(code).fixes) for code, _ in offered}
    assert {code for code, _ in offered} >= {"OOM201", "OOM202", "OOM301", "OOM402", "OOM501"}


def test_a_fix_the_files_encoding_cannot_hold_leaves_it_byte_for_byte(project):
    """A latin-1 file whose fix would write a character latin-1 lacks: told why, unchanged."""
    source = '# -*- coding: latin-1 -*-\nimport logging\n\nlog = logging.getLogger("caf\xe9")\n\n\ndef ship(order):\n    log.info(\'{"city": "\\u4e2d", "id": "%s"}\', order)\n'
    root = project({})
    (root / "ship.py").write_bytes(source.encode("latin-1"))
    result = run("oomlint", "fix", "--unsafe-fixes", "ship.py", cwd=root)
    assert result.returncode == 1
    assert result.stderr == "ship.py: not fixed: the fix writes '中', which iso-8859-1 cannot encode\n"
    assert (root / "ship.py").read_bytes() == source.encode("latin-1")


def test_an_internal_failure_while_fixing_is_reported_and_exits_2(project, monkeypatch, capsys):
    """One file's failure costs only that file: the others are fixed, the run exits 2."""
    from oomlint.fix import driver as fixes
    from oomlint.hosts import cli

    root = project({"a.py": BEFORE, "b.py": BEFORE})

    def explode(data, path, rules, *rest):
        if path.endswith("a.py"):
            raise RuntimeError("rule bug")
        return original(data, path, rules, *rest)

    original = fixes.check_bytes
    monkeypatch.setattr(fixes, "check_bytes", explode)
    monkeypatch.chdir(root)
    assert cli.main(["fix", "-j", "1", "a.py", "b.py"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("Fixed 5 findings in 1 file; 0 remaining.\n", "oomlint: internal error while fixing a.py: RuntimeError: rule bug\n")
    assert ((root / "a.py").read_text(), (root / "b.py").read_text()) == (BEFORE, AFTER)


SETTLED = """\
import flask
from PIL import Image

Image.MAX_IMAGE_PIXELS = None
app = flask.Flask(__name__)


@app.post("/avatar")
def avatar():
    image = Image.open(flask.request.files["avatar"]).convert("RGB")
    return str(image.size)
"""


def test_a_finding_the_fix_settles_on_the_way_counts_as_fixed(project):
    """Pillow's limit, set lower than its default, also stops the image bomb: both findings go in one pass."""
    root = project({"app.py": SETTLED, "pyproject.toml": "[tool.oomlint.OOM402]\nfix-max-image-pixels = 24000000\n"})
    checked = run("oomlint", "check", "--format", "json", "app.py", cwd=root)
    assert [(f["line"], f["code"], f["fix"]) for f in json.loads(checked.stdout)] == [(4, "OOM402", "unsafe"), (10, "OOM401", None)]
    result = run("oomlint", "fix", "--unsafe-fixes", "app.py", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Fixed 2 findings in 1 file; 0 remaining.\n", "")
    assert (root / "app.py").read_text() == SETTLED.replace("= None", "= 24000000")
