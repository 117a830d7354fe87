"""Adopting oomlint on existing code: a baseline of today's findings, and ``--add-noqa``."""

from __future__ import annotations

import ast
import json

import yaml

from oomlint.python.checker import RUNNING_PYTHON
from tests.conftest import run

UNBOUNDED = "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n"
MESSAGE = "functools.cache on 'f', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize"
MORE = "\n\n@functools.cache\ndef g(x):\n    return x\n"


def test_write_baseline_records_the_findings(project):
    root = project({"app.py": UNBOUNDED, "lib/more.py": UNBOUNDED})
    result = run("oomlint", "check", ".", "--write-baseline", "oomlint-baseline.json", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Wrote 2 findings to the baseline oomlint-baseline.json.\n", "")
    document = json.loads((root / "oomlint-baseline.json").read_text(encoding="utf-8"))
    assert document["oomlint-baseline"] == 1
    assert [{key: entry[key] for key in ("code", "path", "line", "message")} for entry in document["findings"]] == [
        {"code": "OOM301", "path": "app.py", "line": 4, "message": MESSAGE},
        {"code": "OOM301", "path": "lib/more.py", "line": 4, "message": MESSAGE},
    ]
    fingerprints = [entry["fingerprint"] for entry in document["findings"]]
    assert len(set(fingerprints)) == 2 and all(len(value) == 32 for value in fingerprints)


def test_baseline_survives_a_line_shift_and_reports_what_is_new(project):
    root = project({"app.py": UNBOUNDED, "lib/more.py": UNBOUNDED})
    assert run("oomlint", "--write-baseline", "base.json", ".", cwd=root).returncode == 0
    clean = run("oomlint", "--baseline", "base.json", ".", cwd=root)
    assert (clean.returncode, clean.stdout) == (0, "No findings (3 files checked).\n")

    # Lines above move the finding down and re-indenting it changes nothing either.
    (root / "app.py").write_text('"""Docs."""\n\nimport os\n' + UNBOUNDED.replace("@functools.cache", "  @functools.cache".strip()), encoding="utf-8")
    shifted = run("oomlint", "--baseline", "base.json", ".", cwd=root)
    assert (shifted.returncode, shifted.stdout) == (0, "No findings (3 files checked).\n")

    # A second finding on the same text is new (the baseline recorded one), and so is the
    # same finding in a file the baseline never saw.
    (root / "app.py").write_text(UNBOUNDED + MORE, encoding="utf-8")
    (root / "lib" / "new.py").write_text(UNBOUNDED, encoding="utf-8")
    result = run("oomlint", "--baseline", "base.json", ".", cwd=root)
    assert (result.returncode, result.stdout) == (
        1,
        f"app.py:9:2: OOM301 [*] {MESSAGE.replace(chr(39) + 'f' + chr(39), chr(39) + 'g' + chr(39))}\n"
        f"lib/new.py:4:2: OOM301 [*] {MESSAGE}\n"
        "Found 2 findings (4 files checked).\n"
        "[*] 2 fixable with `oomlint fix`.\n",
    )


def test_a_finding_moved_to_another_line_text_is_new(project):
    root = project({"app.py": UNBOUNDED})
    assert run("oomlint", "--write-baseline", "base.json", "app.py", cwd=root).returncode == 0
    (root / "app.py").write_text(UNBOUNDED.replace("@functools.cache", "@functools.cache  # cached"), encoding="utf-8")
    result = run("oomlint", "--baseline", "base.json", "app.py", cwd=root)
    assert (result.returncode, result.stdout.splitlines()[0]) == (1, f"app.py:4:2: OOM301 [*] {MESSAGE}")


def test_baseline_paths_are_relative_to_the_baseline_file(project):
    root = project({"src/app.py": UNBOUNDED})
    assert run("oomlint", "--write-baseline", "oomlint-baseline.json", "src", cwd=root).returncode == 0
    result = run("oomlint", "--baseline", "../oomlint-baseline.json", "app.py", cwd=root / "src")
    assert (result.returncode, result.stdout) == (0, "No findings (1 file checked).\n")


def test_missing_or_corrupt_baseline_is_a_clear_error(project):
    root = project({"app.py": UNBOUNDED, "broken.json": '{"oomlint-baseline": 1,\n  "findings": [}\n', "other.json": "[]\n",
                    "entries.json": '{"oomlint-baseline": 1, "findings": [{"code": "OOM301"}]}\n'})
    (root / "binary.json").write_bytes(b"\xff\xfe{}")
    expected = {
        "missing.json": "cannot read the baseline missing.json: No such file or directory",
        "broken.json": "broken.json:2:16: not an oomlint baseline: Expecting value",
        "other.json": 'other.json: not an oomlint baseline: expected an object with "oomlint-baseline": 1 (written by oomlint check --write-baseline)',
        "entries.json": 'entries.json: not an oomlint baseline: "findings" must be a list of objects with a "fingerprint"',
        "binary.json": "binary.json: not an oomlint baseline: byte 1 is not UTF-8",
    }
    for name, message in expected.items():
        result = run("oomlint", "--baseline", name, "app.py", cwd=root)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", f"oomlint: error: {message}\n")


def test_write_baseline_and_baseline_exclude_each_other(project):
    root = project({"app.py": UNBOUNDED})
    result = run("oomlint", "--baseline", "a.json", "--write-baseline", "a.json", "app.py", cwd=root)
    assert (result.returncode, result.stderr) == (2, "oomlint: error: --write-baseline records every finding: it goes without --baseline\n")
    cannot = run("oomlint", "--write-baseline", "missing/dir/base.json", "app.py", cwd=root)
    assert (cannot.returncode, cannot.stderr) == (2, "oomlint: error: cannot write the baseline missing/dir/base.json: No such file or directory\n")


# ------------------------------------------------------------------ --add-noqa

LEGACY = '''\
import functools
import logging

log = logging.getLogger(__name__)


@functools.cache  # keep it simple
def f(x):
    return x


@functools.cache  # noqa: E501
def g(x):
    return x


def h(user):
    log.info("""{"user": "%s",
    "x": 1}""" % user)
    log.info('{"user": "%s"}' % \\
        user)
    log.info('{"user": "%s"}' % user)   \t
    return "# noqa: OOM1 is not a comment here"
'''
WITH_NOQA = '''\
import functools
import logging

log = logging.getLogger(__name__)


@functools.cache  # keep it simple  # noqa: OOM301
def f(x):
    return x


@functools.cache  # noqa: E501, OOM301
def g(x):
    return x


def h(user):
    log.info("""{"user": "%s",
    "x": 1}""" % user)  # noqa: OOM101
    log.info('{"user": "%s"}' % \\
        user)  # noqa: OOM101
    log.info('{"user": "%s"}' % user)  # noqa: OOM101
    return "# noqa: OOM1 is not a comment here"
'''
DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: shipper}
spec:
  selector: {matchLabels: {app: shipper}}
  template:
    spec:
      containers:
        - name: shipper   # the log shipper
          image: shipper:1
          resources: {requests: {memory: 600MB}}
        - name: sidecar  # noqa: OOM999
          image: sidecar:1
"""
DAEMONSET_WITH_NOQA = DAEMONSET.replace("# the log shipper", "# the log shipper  # noqa: OOM501").replace(
    "{memory: 600MB}}", "{memory: 600MB}}  # noqa: OOM502"
).replace("# noqa: OOM999", "# noqa: OOM999, OOM501")


def test_add_noqa_comments_every_flagged_line_and_nothing_else(project):
    root = project({"legacy.py": LEGACY, "deploy/shipper.yaml": DAEMONSET})
    result = run("oomlint", "check", "--add-noqa", ".", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Added 8 noqa comments to 2 files.\n", "")
    assert (root / "legacy.py").read_text(encoding="utf-8") == WITH_NOQA
    assert (root / "deploy" / "shipper.yaml").read_text(encoding="utf-8") == DAEMONSET_WITH_NOQA
    ast.parse(WITH_NOQA)
    assert list(yaml.safe_load_all(DAEMONSET_WITH_NOQA)) == list(yaml.safe_load_all(DAEMONSET))
    after = run("oomlint", "check", ".", cwd=root)
    assert (after.returncode, after.stdout) == (0, "No findings (2 files checked).\n")
    flake8 = run("flake8", "--select", "OOM", "legacy.py", cwd=root)
    assert (flake8.returncode, flake8.stdout) == (0, "")


def test_add_noqa_is_idempotent(project):
    root = project({"legacy.py": LEGACY, "shipper.yaml": DAEMONSET})
    assert run("oomlint", "check", "--add-noqa", ".", cwd=root).returncode == 0
    again = run("oomlint", "check", "--add-noqa", ".", cwd=root)
    assert (again.returncode, again.stdout, again.stderr) == (0, "Added 0 noqa comments to 0 files.\n", "")
    assert (root / "legacy.py").read_text(encoding="utf-8") == WITH_NOQA
    assert (root / "shipper.yaml").read_text(encoding="utf-8") == DAEMONSET_WITH_NOQA


def test_add_noqa_keeps_line_breaks_and_encoding(project):
    root = project({})
    source = "# -*- coding: latin-1 -*-\r\nimport functools\r\nNAME = 'café'\r\n\r\n\r\n@functools.cache\r\ndef f(x):\r\n    return x\r\n"
    (root / "old.py").write_bytes(source.encode("latin-1"))
    result = run("oomlint", "check", "--add-noqa", "old.py", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Added 1 noqa comment to 1 file.\n")
    assert (root / "old.py").read_bytes() == source.replace("@functools.cache\r\n", "@functools.cache  # noqa: OOM301\r\n").encode("latin-1")


def test_add_noqa_leaves_alone_what_it_cannot_comment(project):
    manifest = DAEMONSET.replace("{memory: 600MB}}", "{memory: 256Mi}}")
    json_manifest = json.dumps(yaml.safe_load(manifest), indent=2) + "\n"
    string_first = "import logging\n\nlog = logging.getLogger()\nlog.info('{\"user\": \"%s\"} # noqa: E1' % user)\n"
    before = {"broken.py": "def f(:\n", "shipper.json": json_manifest, "legacy.py": LEGACY, "tricky.py": string_first}
    root = project(before)
    result = run("oomlint", "check", "--add-noqa", ".", cwd=root)
    assert (result.returncode, result.stdout) == (1, "Added 5 noqa comments to 1 file.\n")
    assert result.stderr == (
        f"broken.py:1:7: OOM003 cannot parse with {RUNNING_PYTHON}: invalid syntax\n"
        "shipper.json: no noqa added: JSON has no comments\n"
        "tricky.py: no noqa added: the line's first '# noqa' is in a string, where a comment would not count\n"
    )
    assert (root / "broken.py").read_text() == before["broken.py"]
    assert (root / "shipper.json").read_text() == json_manifest
    assert (root / "tricky.py").read_text() == string_first


def test_add_noqa_only_for_findings_not_in_the_baseline(project):
    root = project({"app.py": UNBOUNDED})
    assert run("oomlint", "--write-baseline", "base.json", "app.py", cwd=root).returncode == 0
    (root / "app.py").write_text(UNBOUNDED + MORE, encoding="utf-8")
    result = run("oomlint", "--baseline", "base.json", "--add-noqa", "app.py", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Added 1 noqa comment to 1 file.\n")
    assert (root / "app.py").read_text(encoding="utf-8") == UNBOUNDED + MORE.replace("@functools.cache", "@functools.cache  # noqa: OOM301")


def test_add_noqa_refuses_stdin_and_write_baseline():
    result = run("oomlint", "--add-noqa", "-", stdin=UNBOUNDED)
    assert (result.returncode, result.stderr) == (2, "oomlint: error: --add-noqa edits files: it cannot edit stdin\n")
    both = run("oomlint", "--add-noqa", "--write-baseline", "b.json", "x.py")
    assert both.returncode == 2
    assert both.stderr.endswith("oomlint check: error: argument --write-baseline: not allowed with argument --add-noqa\n")
