"""Hangs, memory and unreadable paths: only regular files are read, and none above
``max-file-size``; the work per file grows linearly with its findings; what cannot be
read is reported, with the reason. Linearity is shown by counting work (scans, splits,
characters), never by timing."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import socket
import tempfile
import traceback
import tracemalloc
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from oomlint.hosts import cli
from oomlint.hosts import lsp
from oomlint.kubernetes import edits
from oomlint.core import noqa
from oomlint.core.config import ConfigError, load_config_file
from oomlint.core.findings import Finding
from oomlint.engine import check_bytes, check_file
from oomlint.core.source import NotRead, read_limited
from oomlint.core.rule import all_rules
from tests.conftest import language_server, run

UNBOUNDED = "import functools\n\n\n@functools.cache\ndef load(key):\n    return key\n"
MESSAGE = "functools.cache on 'load', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize"
NOBODY = 65534


# ------------------------------------------------------ only regular files are read


def special_files(directory: Path) -> socket.socket:
    """A FIFO, a socket and symlinks to endless devices, all named like sources; returns
    the socket, for the caller to close."""
    os.mkfifo(directory / "pipe.py")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(directory / "sock.yaml"))
    (directory / "zero.py").symlink_to("/dev/zero")
    (directory / "random.yaml").symlink_to("/dev/urandom")
    return listener


def test_named_fifo_socket_and_devices_are_diagnostics(tmp_path):
    """Before: the FIFO blocked forever, /dev/zero grew memory without end."""
    with special_files(tmp_path):
        result = run("oomlint", "pipe.py", "sock.yaml", "zero.py", "random.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "pipe.py:1:1: OOM001 cannot read file: not a regular file (a FIFO)\n"
        "random.yaml:1:1: OOM001 cannot read file: not a regular file (a character device)\n"
        "sock.yaml:1:1: OOM001 cannot read file: not a regular file (a socket)\n"
        "zero.py:1:1: OOM001 cannot read file: not a regular file (a character device)\n"
        "Found 4 findings (4 files checked).\n"
    )


def test_walk_passes_over_fifo_socket_and_devices_silently(tmp_path):
    (tmp_path / "ok.py").write_text(UNBOUNDED, encoding="utf-8")
    with special_files(tmp_path):
        result = run("oomlint", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        f"ok.py:4:2: OOM301 [*] {MESSAGE}\nFound 1 finding (1 file checked).\n[*] 1 fixable with `oomlint fix`.\n"
    )


def test_fix_leaves_a_fifo_alone_and_says_why(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    result = run("oomlint", "fix", "pipe.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "Fixed 0 findings in 0 files; 0 remaining.\n")
    assert result.stderr == "pipe.py: cannot read file: not a regular file (a FIFO)\n"


def test_a_file_that_became_a_fifo_after_its_stat_is_not_read(tmp_path):
    """The race between ``stat`` and ``open``: here ``stat`` still sees a regular file.
    The open must not wait for a writer (it would, forever) and the open file is looked
    at again. Run apart, so that a regression hangs a child, not the test session."""
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "regular.py").write_text("", encoding="utf-8")
    code = (
        "import os\n"
        "from oomlint.engine import check_file\n"
        "regular = os.stat('regular.py')\n"
        "os.stat = lambda path, *args, **kwargs: regular\n"
        "print(check_file('pipe.py', ()))\n"
    )
    result = run("python", "-c", code, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    expected = Finding("pipe.py", 1, 1, "OOM001", "cannot read file: not a regular file (a FIFO)", "file-not-readable", 1, 1)
    assert result.stdout == f"{[expected]}\n"


# ----------------------------------------------------------------- max-file-size


def sized_source(size: int) -> str:
    """A module of exactly ``size`` bytes with one OOM301 finding (line 4, column 2)."""
    padding = size - len(UNBOUNDED) - 2
    return UNBOUNDED + "#" + "x" * padding + "\n"


def test_files_above_max_file_size_are_a_diagnostic_not_a_check(project):
    root = project({
        "pyproject.toml": "[tool.oomlint]\nmax-file-size = 1000\n",
        "at_limit.py": sized_source(1000),
        "above.py": sized_source(1001),
        "above.yaml": "kind: List\n" + "#" * 1989 + "\n",
    })
    result = run("oomlint", ".", cwd=root)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "above.py:1:1: OOM006 file too large to check: 1,001 bytes (max-file-size is 1,000)\n"
        "above.yaml:1:1: OOM006 file too large to check: 2,001 bytes (max-file-size is 1,000)\n"
        f"at_limit.py:4:2: OOM301 [*] {MESSAGE}\n"
        "Found 3 findings (3 files checked).\n"
        "[*] 1 fixable with `oomlint fix`.\n"
    )
    fixed = run("oomlint", "fix", "above.py", cwd=root)
    assert (fixed.returncode, fixed.stdout) == (1, "Fixed 0 findings in 0 files; 0 remaining.\n")
    assert fixed.stderr == "above.py: file too large to check: 1,001 bytes (max-file-size is 1,000)\n"


def test_a_file_above_the_default_limit_is_not_read(tmp_path):
    """64 MiB (sparse: no disk) cost gigabytes to check; now nothing of it is read."""
    huge = tmp_path / "huge.py"
    with open(huge, "wb") as stream:
        stream.truncate(64 * 1024 * 1024)
    tracemalloc.start()
    try:
        findings = check_file(str(huge), ())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = "file too large to check: 67,108,864 bytes (max-file-size is 16,777,216)"
    assert findings == [Finding(str(huge), 1, 1, "OOM006", message, "file-too-large", 1, 1)]
    assert peak < 64 * 1024


def test_a_stream_is_read_no_further_than_one_byte_past_the_limit():
    stream = io.BytesIO(b"x" * 100_000)  # like a pipe: no size to look up
    with pytest.raises(NotRead) as error:
        read_limited(stream, 1000)
    assert (error.value.code, error.value.message, stream.tell()) == (
        "OOM006", "file too large to check: more than 1,000 bytes (max-file-size is 1,000)", 1001
    )
    assert read_limited(io.BytesIO(b"x" * 1000), 1000) == b"x" * 1000


def test_stdin_above_the_limit_is_a_diagnostic(project):
    root = project({"pyproject.toml": "[tool.oomlint]\nmax-file-size = 1000\n"})
    result = run("oomlint", "--stdin-filename", "svc/app.py", "-", stdin=sized_source(5000), cwd=root)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "svc/app.py:1:1: OOM006 file too large to check: more than 1,000 bytes (max-file-size is 1,000)\n"
        "Found 1 finding (1 file checked).\n"
    )


def test_flake8_and_pylint_apply_the_limit(project):
    root = project({"pyproject.toml": "[tool.oomlint]\nmax-file-size = 1000\n", "above.py": sized_source(1001)})
    flake8 = run("flake8", "--select", "OOM", "above.py", cwd=root)
    assert (flake8.returncode, flake8.stdout) == (
        1, "above.py:1:1: OOM006 file too large to check: 1,001 bytes (max-file-size is 1,000)\n"
    )
    pylint = run("pylint", "--load-plugins=oomlint", "--disable=all", "--enable=file-too-large,unbounded-lru-cache",
                 "--score=n", "--msg-template={line}:{column}:{msg_id}:{symbol}:{msg}", "above.py", cwd=root)
    assert [line for line in pylint.stdout.splitlines() if not line.startswith("*")] == [
        "1:0:W7106:file-too-large:file too large to check: 1,001 bytes (max-file-size is 1,000)"
    ]


@pytest.mark.parametrize("value", ["0", "-1", '"10MB"', "true", "1.5"])
def test_max_file_size_must_be_a_positive_number_of_bytes(project, value):
    root = project({"pyproject.toml": f"[tool.oomlint]\nmax-file-size = {value}\n"})
    with pytest.raises(ConfigError) as error:
        load_config_file(root / "pyproject.toml")
    assert str(error.value) == f"{root / 'pyproject.toml'}: 'tool.oomlint.max-file-size' must be a positive number of bytes"


# ------------------------------------------------ linear in the number of findings


def one_line_manifest(daemonsets: int, comment: str = "") -> bytes:
    """A ``kind: List`` of DaemonSets on one line, as ``kubectl get -o json | jq -c``
    writes it: one fixable OOM501 per DaemonSet."""
    item = (
        '{{"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {{"name": "d{}"}}, "spec": {{"selector": {{}}, '
        '"template": {{"spec": {{"containers": [{{"name": "c", "resources": {{"requests": {{"memory": "256Mi"}}}}}}]}}}}}}}}'
    )
    items = ", ".join(item.format(index) for index in range(daemonsets))
    return f'{{"apiVersion": "v1", "kind": "List", "items": [{items}]}}{comment}\n'.encode()


class CountingPattern:
    """A compiled pattern that counts its searches and splits."""

    def __init__(self, pattern):
        self.pattern, self.searches, self.splits = pattern, 0, 0

    def search(self, *arguments):
        self.searches += 1
        return self.pattern.search(*arguments)

    def split(self, *arguments):
        self.splits += 1
        return self.pattern.split(*arguments)


def manifest_rules():
    return tuple((rule, {option.name: option.default for option in rule.options})
                 for rule in all_rules() if rule.code == "OOM501")


@pytest.mark.parametrize("module, attribute, comment", [
    (edits, "_BREAK", ""),  # the newline of the document, for the fix marker
    (noqa, "NOQA_RE", "  # noqa: OOM502"),  # the noqa comment of the line
])
def test_one_line_manifest_is_scanned_a_fixed_number_of_times(monkeypatch, module, attribute, comment):
    """Before, each fixable finding scanned the whole line: 8,000 DaemonSets took a minute."""
    scans = []
    for daemonsets in (200, 400):
        counter = CountingPattern(getattr(module, attribute))
        monkeypatch.setattr(module, attribute, counter)
        findings = check_bytes(one_line_manifest(daemonsets, comment), "list.json", manifest_rules())
        monkeypatch.undo()
        assert [(f.line, f.code, f.fix) for f in findings] == [(1, "OOM501", "unsafe")] * daemonsets
        scans.append(counter.searches)
    assert scans[0] == scans[1]


class CountingCodec(PositionCodec):
    """pygls' position codec, counting the characters it measures."""

    counted = 0

    def client_num_units(self, string):
        self.counted += len(string)
        return super().client_num_units(string)


SEGMENT = "x = '\U0001F600';"


def findings_on_one_line(count: int) -> tuple[str, list[Finding]]:
    """A long line of ``SEGMENT``, whose emoji takes two UTF-16 units, with a finding
    starting at each segment and ending on the next line."""
    source = SEGMENT * count + "\nend\n"
    findings = [Finding("a.py", 1, index * len(SEGMENT) + 1, "OOM301", "m", "s", 2, 4) for index in range(count)]
    return source, findings


def test_lsp_conversion_splits_once_and_measures_each_character_once(monkeypatch):
    """Before, each finding split the whole document again and measured its line from the start."""
    for count in (1000, 2000):
        source, findings = findings_on_one_line(count)
        codec = CountingCodec(types.PositionEncodingKind.Utf16)
        document = TextDocument("file:///a.py", source, position_codec=codec)
        line_breaks = CountingPattern(lsp.LINE_BREAK)
        monkeypatch.setattr(lsp, "LINE_BREAK", line_breaks)
        diagnostics = lsp.diagnostics(findings, document)
        monkeypatch.undo()
        # Line 1 up to the last finding's start, and line 2 up to the end column: less than the document.
        assert (line_breaks.splits, codec.counted) == (1, source.index("\n") - len(SEGMENT) + len("end"))
        reference = TextDocument("file:///a.py", source)
        assert [d.range for d in diagnostics] == [
            reference.position_codec.range_to_client_units(reference.lines, types.Range(
                start=types.Position(line=f.line - 1, character=f.column - 1),
                end=types.Position(line=f.end_line - 1, character=f.end_column - 1),
            ))
            for f in findings
        ]


async def opened(root: Path, documents: dict[str, str]) -> dict[str, types.PublishDiagnosticsParams]:
    """Open each document in ``oomlint lsp`` as an editor does; what it publishes for each."""
    published = {}
    async with language_server(root) as (client, received):
        for name, text in documents.items():
            uri = (root / name).as_uri()
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
            )
            published[name] = await asyncio.wait_for(received.get(), 300)
    return published


def test_lsp_answers_with_many_findings_and_for_oversized_documents(project):
    """20,000 findings: before, the time to answer grew with the square of the findings."""
    many = "import functools\n" + "".join(f"\n\n@functools.cache\ndef load{index}(key):\n    return key\n" for index in range(20_000))
    root = project({"small/pyproject.toml": "[tool.oomlint]\nmax-file-size = 1000\n"})
    published = asyncio.run(opened(root, {"many.py": many, "small/above.py": sized_source(1001)}))
    diagnostics = published["many.py"].diagnostics
    assert len(diagnostics) == 20_000
    assert {d.code for d in diagnostics} == {"OOM301"}
    assert [(d.range.start.line, d.range.start.character, d.range.end.character) for d in diagnostics] == [
        (3 + 5 * index, 1, 16) for index in range(20_000)
    ]
    (too_large,) = published["small/above.py"].diagnostics
    assert (too_large.code, too_large.range.start.line, too_large.range.start.character, too_large.message) == (
        "OOM006", 0, 0, "file too large to check: 1,001 bytes (max-file-size is 1,000)"
    )


# ----------------------------------------------------------------- permissions


def run_unprivileged(arguments: list[str], cwd: Path) -> tuple[int, str, str]:
    """``oomlint ARGUMENTS`` in a child process that file permissions bind: as root (the
    CI), the child first becomes nobody. It is forked, not started afresh, because the
    interpreter may live where nobody may not go (``/root/.pyenv``)."""
    all_rules()  # imported before the fork: as nobody, the child may not read the modules they import
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        status = 1
        try:
            os.close(reader)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            os.chdir(cwd)
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(arguments)
            with os.fdopen(writer, "w") as pipe:
                json.dump([code, out.getvalue(), err.getvalue()], pipe)
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        output = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0, "the unprivileged run failed: see the captured stderr"
    code, out, err = json.loads(output)
    return code, out, err


@pytest.fixture
def shared_directory():
    """A folder anyone may enter (pytest's own is the owner's only), removed afterwards."""
    with tempfile.TemporaryDirectory() as directory:
        os.chmod(directory, 0o755)
        yield Path(directory)


def test_unreadable_directories_and_files_are_permission_denied(shared_directory):
    """Before: a folder that cannot be listed was passed over (exit 0, no files checked) and a
    file in a folder that cannot be searched was "No such file or directory"."""
    root = shared_directory
    for relative, text in {
        "pkg/ok.py": UNBOUNDED, "pkg/locked.py": UNBOUNDED, "pkg/private/hidden.py": UNBOUNDED,
        "pkg/listonly/listed.py": UNBOUNDED, "noexec/app.py": UNBOUNDED,
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    modes = {"pkg/locked.py": 0o000, "pkg/private": 0o000, "pkg/listonly": 0o444, "noexec": 0o444}
    for relative, mode in modes.items():
        os.chmod(root / relative, mode)
    try:
        code, out, err = run_unprivileged(["check", "pkg", "noexec/app.py"], root)
    finally:
        for relative in modes:
            os.chmod(root / relative, 0o755)
    assert (code, err) == (1, "")
    assert out == (
        "noexec/app.py:1:1: OOM001 cannot read file: Permission denied\n"
        "pkg/listonly/listed.py:1:1: OOM001 cannot read file: Permission denied\n"
        "pkg/locked.py:1:1: OOM001 cannot read file: Permission denied\n"
        f"pkg/ok.py:4:2: OOM301 [*] {MESSAGE}\n"
        "pkg/private:1:1: OOM001 cannot read directory: Permission denied\n"
        "Found 5 findings (3 files checked).\n"
        "[*] 1 fixable with `oomlint fix`.\n"
    )
