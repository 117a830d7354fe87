"""OOM201/OOM202 beyond the fixtures: against pylint's consider-using-with, and configured."""

from __future__ import annotations

import ast

from oomlint.python.checker import FileContext
from oomlint.rules.python._resources import shared_analysis
from tests.conftest import oomlint_json, run

# pylint's consider-using-with (R1732) situations. The first five are exception-safe
# (try/finally, a lock released in finally, consumed at once, a with later); the last
# four are not: released on the normal path only, or never. The chain consumed at once
# runs at import time here: where nothing calls its function, OOM202 reports it too
# (CPython's reference counting closes it, maintainers still fix it: OOM202_used_once.py).
CONSIDER_USING_WITH = '''\
"""consider-using-with's situations: exception-safe code, and code that is not."""

import socket
import sqlite3
import tempfile
import threading
import zipfile

LOCK = threading.Lock()


def read_in_finally(path):
    handle = open(path, encoding="utf-8")
    try:
        return handle.read()
    finally:
        handle.close()


def lock_in_finally(counter):
    LOCK.acquire()
    try:
        counter["n"] += 1
    finally:
        LOCK.release()


def archive_in_finally(path):
    archive = zipfile.ZipFile(path)
    try:
        return archive.namelist()
    finally:
        archive.close()


def consumed_at_once(path):
    words = open(path, encoding="utf-8").read().split()
    return words


def managed_later(data):
    scratch = tempfile.NamedTemporaryFile()
    with scratch:
        scratch.write(data)


def read_then_close(path):
    handle = open(path, encoding="utf-8")
    text = handle.read()
    handle.close()
    return text


def lock_then_release(counter):
    LOCK.acquire()
    counter["n"] += 1
    LOCK.release()


def socket_then_close(host):
    sock = socket.create_connection((host, 7))
    sock.sendall(b"ping")
    sock.close()


def connection_never_closed(path):
    conn = sqlite3.connect(path)
    return conn.execute("SELECT count(*) FROM users").fetchone()


WORDS = consumed_at_once("/usr/share/dict/words")
'''
EXCEPTION_SAFE = {13, 21, 29, 37, 42}
NOT_EXCEPTION_SAFE = {48, 55, 61, 67}


def pylint_messages(root) -> set[tuple[int, str]]:
    result = run(
        "pylint", "--disable=all", "--enable=consider-using-with,release-not-in-finally,resource-never-released",
        "--load-plugins=oomlint", "--score=n", "--msg-template={line}:{symbol}", "sample.py", cwd=root,
    )
    return {
        (int(line), symbol)
        for line, symbol in (item.split(":") for item in result.stdout.splitlines() if not item.startswith("*"))
    }


def test_silent_where_consider_using_with_fires_on_safe_code(project):
    messages = pylint_messages(project({"sample.py": CONSIDER_USING_WITH}))
    ours = {(line, symbol) for line, symbol in messages if symbol != "consider-using-with"}
    theirs = {line for line, symbol in messages if symbol == "consider-using-with"}

    assert ours == {
        (48, "release-not-in-finally"),  # open / read / close
        (55, "release-not-in-finally"),  # lock.acquire / += / release
        (61, "release-not-in-finally"),  # a socket: consider-using-with does not know it
        (67, "resource-never-released"),  # a sqlite3 connection, never closed
    }
    assert theirs == {13, 21, 29, 37, 48, 55}
    # consider-using-with fires on four exception-safe functions; we fire on none of them.
    assert {line for line, _ in ours} & EXCEPTION_SAFE == set()
    assert theirs & EXCEPTION_SAFE == {13, 21, 29, 37}
    # We report every unsafe one; it misses the socket and the connection.
    assert {line for line, _ in ours} == NOT_EXCEPTION_SAFE
    assert NOT_EXCEPTION_SAFE - theirs == {61, 67}


PARAMIKO = '''\
import pysftp

from myapp.db import checkout


def uptime(host):
    client = pysftp.Connection(host)
    client.cwd("/")
    return client.execute("uptime")


def load(key):
    session = checkout()
    value = session.get(key)
    session.give_back()
    return value
'''


def test_extra_resources_from_the_table(project):
    root = project({
        "pyproject.toml": (
            '[tool.oomlint.OOM201]\nextra-resources = ["myapp.db.checkout:give_back"]\n'
            '[tool.oomlint.OOM202]\nextra-resources = ["pysftp.Connection", "myapp.db.checkout:give_back"]\n'
        ),
        "remote.py": PARAMIKO,
    })
    findings = oomlint_json("remote.py", cwd=root)
    assert [(f["line"], f["column"], f["code"]) for f in findings] == [(7, 14, "OOM202"), (13, 15, "OOM201")]
    assert "session.give_back()" in findings[1]["message"]
    assert oomlint_json("remote.py", cwd=project({"pyproject.toml": "[tool.oomlint]\n"})) == []


def test_both_rules_share_one_analysis_per_file():
    context = FileContext("x.py", "", ast.parse(""))
    assert shared_analysis(context, ()) is shared_analysis(context, ())
    assert shared_analysis(context, ("a.b",)) is not shared_analysis(context, ())
