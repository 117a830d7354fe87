"""Bad input gets a clear message, never a traceback or a wrong answer (issue 12).

Each test meets a defect as a user does (a real flake8, pylint or oomlint process, a
real pipe, an editor session) and asserts the exact message, position and exit code.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import warnings

import pytest
from lsprotocol import types

from oomlint.core.config import Config
from oomlint.engine import check_bytes
from tests.conftest import BIN, language_server, run
from tests.test_cli import MESSAGE, UNBOUNDED
from tests.test_kubernetes import DAEMONSET as DAEMONSET_IN, LIMIT_RANGE
from tests.test_lsp import DAEMONSET, LEAKY

RULES = Config().enabled
PYTHON = f"Python {sys.version_info.major}.{sys.version_info.minor}"
BAD_KEY = '[tool.oomlint]\nselct = ["OOM3"]\n'
UNKNOWN_KEY = "unknown key 'tool.oomlint.selct'"


def pylint(*arguments: str, cwd) -> subprocess.CompletedProcess:
    return run("pylint", "--load-plugins=oomlint", "--disable=all", "--enable=unbounded-lru-cache", "--score=n",
               "--msg-template={path}:{line}:{column}: {msg_id} {msg}", *arguments, cwd=cwd)


# ------------------------------------------------ a bad [tool.oomlint] in flake8 and pylint


@pytest.mark.parametrize("arguments", [["app.py"], ["-j", "2", "."]], ids=["one-file", "parallel"])
def test_flake8_stops_at_a_bad_table_with_one_line_and_exit_2(project, arguments):
    """flake8 exits 1 for findings; a configuration error is its usage error, 2."""
    root = project({"pyproject.toml": BAD_KEY, "app.py": UNBOUNDED, "lib/util.py": UNBOUNDED})
    result = run("flake8", "--select", "OOM", *arguments, cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"oomlint: error: {root / 'pyproject.toml'}: {UNKNOWN_KEY}\n"
    )


def test_flake8_reads_every_table_of_the_files_it_checks_before_checking(project):
    root = project({"app.py": UNBOUNDED, "service/pyproject.toml": BAD_KEY, "service/api.py": UNBOUNDED})
    result = run("flake8", "--select", "OOM", ".", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"oomlint: error: {root / 'service' / 'pyproject.toml'}: {UNKNOWN_KEY}\n"
    )
    excluded = run("flake8", "--select", "OOM", "--extend-exclude", "service", ".", cwd=root)
    assert (excluded.returncode, excluded.stderr) == (1, "")
    assert [line.split(" ")[:2] for line in excluded.stdout.splitlines()] == [["./app.py:4:2:", "OOM301"]]


def test_pylint_reports_a_bad_table_as_its_fatal_configuration_message(project):
    """Once, not per module; pylint's fatal bit (1) in the exit code, where findings set 4."""
    root = project({"pyproject.toml": BAD_KEY, "app.py": UNBOUNDED, "other.py": UNBOUNDED})
    result = pylint("app.py", "other.py", cwd=root)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "************* Module app\n"
        f"app.py:1:0: F0011 error while parsing the configuration: {root / 'pyproject.toml'}: {UNKNOWN_KEY}\n"
    )


# ------------------------------------------------------ a pyproject.toml tomllib cannot read

BROKEN_PYPROJECTS = {
    "not-utf-8": (b'[tool.oomlint]\nselect = ["\xff"]\n', "byte 0xff is not UTF-8 (at line 2, column 12)"),
    "nested": (b"a = " + b"[" * 100_000, "nested too deeply"),
    "long-integer": (b"a = " + b"1" * 1_000_000, f"an integer has more than {sys.get_int_max_str_digits()} digits"),
}


@pytest.mark.parametrize("host", ["oomlint", "flake8"])
@pytest.mark.parametrize("case", list(BROKEN_PYPROJECTS))
def test_unreadable_pyproject_is_a_usage_error(project, host, case):
    data, problem = BROKEN_PYPROJECTS[case]
    root = project({"app.py": UNBOUNDED})
    (root / "pyproject.toml").write_bytes(data)
    result = run(host, "app.py", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"oomlint: error: {root / 'pyproject.toml'}: invalid TOML: {problem}\n"
    )


@pytest.mark.parametrize("case", list(BROKEN_PYPROJECTS))
def test_unreadable_pyproject_is_a_fatal_message_in_pylint(project, case):
    """In a sub-project: pylint reads the pyproject.toml of its working directory itself,
    before any plugin is loaded (and crashes on these three)."""
    data, problem = BROKEN_PYPROJECTS[case]
    root = project({"service/app.py": UNBOUNDED})
    (root / "service" / "pyproject.toml").write_bytes(data)
    result = pylint("service/app.py", cwd=root)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "************* Module app\n"
        "service/app.py:1:0: F0011 error while parsing the configuration: "
        f"{root / 'service' / 'pyproject.toml'}: invalid TOML: {problem}\n"
    )


def test_config_option_naming_a_folder(project):
    root = project({"app.py": UNBOUNDED, "settings/pyproject.toml": ""})
    result = run("oomlint", "--config", "settings", "app.py", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"oomlint: error: {root / 'settings'}: is a directory, not a pyproject.toml file\n"
    )


# --------------------------------------------------------- coding cookies Python cannot use

COOKIES = [
    (b"# -*- coding: hex -*-\nx = 1\n", 1, "bad encoding declaration: 'hex' is not a text encoding"),
    (b"#!/usr/bin/env python\n# coding=zlib\nx = 1\n", 2, "bad encoding declaration: 'zlib' is not a text encoding"),
    (b"# vim: set fileencoding=rot13 :\nx = 1\n", 1, "bad encoding declaration: 'rot13' is not a text encoding"),
    (b"# coding: undefined\nx = 1\n", 1, "cannot decode as undefined"),
    (b"# coding: idna\nhost = socket.xn--zz\n", 1, "cannot decode as idna"),
]


@pytest.mark.parametrize("data, line, message", COOKIES)
def test_a_codec_python_cannot_read_source_with_is_oom002(project, data, line, message):
    root = project({})
    (root / "cookie.py").write_bytes(data)
    result = run("oomlint", "cookie.py", cwd=root)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == f"cookie.py:{line}:1: OOM002 {message}\nFound 1 finding (1 file checked).\n"


# ------------------------------------------------- quantities beyond Kubernetes' int64 bytes

TOO_LARGE = "more than Kubernetes can hold (it counts bytes in a 64-bit integer: at most 2^63 - 1, just under 8Ei)"


@pytest.mark.parametrize(
    "memory, problem",
    [
        ("99999999999999999999999Ei", f"'99999999999999999999999Ei' is 1.153e+41 bytes, {TOO_LARGE}"),
        ("1" * 1_000_000, f"'{'1' * 20}...{'1' * 10}' (1000000 characters) is 1.111e+999999 bytes, {TOO_LARGE}"),
        ("1" * 1_000_000 + "Ei", f"'{'1' * 20}...{'1' * 8}Ei' (1000002 characters) is 1.281e+1000017 bytes, {TOO_LARGE}"),
        ("0." + "0" * 1_000_000 + "1", f"'0.{'0' * 18}...{'0' * 9}1' (1000003 characters) is 1.000e-1000001 bytes, "
                                       "below the 4Mi floor, too little for a container to start"),
    ],
    ids=["exbibytes", "million-digits", "million-digit-exbibytes", "million-digit-fraction"],
)
def test_absurd_memory_quantity_is_oom502(project, memory, problem):
    root = project({"shipper.yaml": DAEMONSET.replace("requests: {memory: 256Mi}", f"limits: {{memory: {memory}}}")})
    result = run("oomlint", "shipper.yaml", cwd=root)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        f"shipper.yaml:12:30: OOM502 DaemonSet logging/shipper: container 'shipper' memory limit {problem}\n"
        "Found 1 finding (1 file checked).\n"
    )


# ------------------------------------------------------- a reader that stops reading early


def run_into_closed_pipe(*arguments: str, cwd, buffered: bool) -> subprocess.CompletedProcess:
    """``oomlint ... | head -0``: stdout is a pipe whose reader is gone before the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    if not buffered:
        environment["PYTHONUNBUFFERED"] = "1"
    try:
        return subprocess.run([str(BIN / "oomlint"), *arguments], cwd=cwd, stdout=write_end, stderr=subprocess.PIPE,
                              text=True, env=environment, timeout=600)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "arguments, exit_code",
    [(["rules"], 0), (["rule", "OOM301"], 0), (["check", "app.py"], 1), (["check", "clean.py"], 0), (["fix", "--diff", "app.py"], 1)],
    ids=["rules", "rule", "findings", "clean", "fix-diff"],
)
def test_a_closed_pipe_ends_the_output_not_the_verdict(project, arguments, exit_code, buffered):
    root = project({"app.py": UNBOUNDED, "clean.py": "x = 1\n"})
    result = run_into_closed_pipe(*arguments, cwd=root, buffered=buffered)
    assert (result.returncode, result.stderr) == (exit_code, "")


def test_stderr_still_speaks_after_stdout_is_closed(project):
    root = project({
        "limits.yaml": LIMIT_RANGE, "fluentd.yaml": DAEMONSET_IN.format(namespace="logging"), "app.py": UNBOUNDED,
    })
    result = run_into_closed_pipe("check", "-v", "app.py", "limits.yaml", "fluentd.yaml", cwd=root, buffered=True)
    assert (result.returncode, result.stderr) == (
        1, "oomlint: fluentd.yaml:12:9: OOM501 not reported: "
           "LimitRange logging/memory-defaults (limits.yaml:1) sets a default memory limit\n"
    )


# ----------------------------------------------- the checked code's warnings stay its own

ESCAPES = (
    "import functools\n"
    "import logging\n"
    "import re\n\n"
    'PATTERN = re.compile("\\d+")\n'
    "logger = logging.getLogger(__name__)\n\n\n"
    "@functools.cache\n"
    "def words(text):\n"
    "    return PATTERN.findall(text)\n\n\n"
    "def report(user):\n"
    '    logger.info(\'{"user": "%s"}\' % PATTERN.sub("\\d", user))\n'
)


# OOM403 parses the text of a string annotation: there the escape is the parser's to warn about.
ESCAPE_IN_ANNOTATION = (
    "from typing import Annotated\n\n"
    "from fastapi import FastAPI, UploadFile\n\n"
    "app = FastAPI()\n\n\n"
    '@app.post("/avatar")\n'
    "async def avatar(file: \"Annotated[UploadFile, '\\\\d']\"):\n"
    "    return await file.read()\n"
)


@pytest.mark.parametrize(
    "source, expected",
    [(ESCAPES, [(9, 2, "OOM301"), (15, 5, "OOM101")]), (ESCAPE_IN_ANNOTATION, [(10, 18, "OOM403")])],
    ids=["file-and-logging-call", "string-annotation"],
)
def test_parser_warnings_of_checked_code_are_not_shown_but_ours_are(source, expected):
    """``"\\d"`` makes the parser warn, of the whole file and of the code that rules parse
    again; none of it reaches the warnings machinery, whose filters are left as they were."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        findings = check_bytes(source.encode(), "escapes.py", RULES)
        warnings.warn("a warning of oomlint's own", UserWarning)
    assert [(f.line, f.column, f.code) for f in findings] == expected
    assert [str(warning.message) for warning in caught] == ["a warning of oomlint's own"]


@pytest.mark.parametrize("command", [["check"], ["fix", "--diff"]])
def test_cli_stderr_stays_clean_of_the_checked_codes_warnings(project, command):
    """``fix`` parses the fixed code again, to verify it."""
    root = project({"escapes.py": ESCAPES})
    result = subprocess.run([str(BIN / "oomlint"), *command, "escapes.py"], cwd=root, capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "default"}, timeout=600)
    assert (result.returncode, result.stderr) == (1, "")


# ------------------------------------------------------- syntax newer than the running Python

# Syntax of a newer Python that oomlint does not rewrite for the running one (PEP 810's
# lazy imports, 3.15's), where the running one stops and what it says; no Python after
# 3.15 is known, so there, plain broken syntax. The syntax of 3.12 to 3.14 is read under
# 3.11 (see "newer syntax read through libcst's parser" below).
if sys.version_info < (3, 15):
    NEWER_SYNTAX = ("lazy import json\n", 1, 6, "invalid syntax")
else:
    NEWER_SYNTAX = ("def f(:\n", 1, 7, "invalid syntax")
NEXT_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor + 1}"


def test_oom003_names_the_python_that_parsed():
    source, line, column, message = NEWER_SYNTAX
    (finding,) = check_bytes(source.encode(), "newer.py", RULES)
    assert (finding.line, finding.column, finding.code, finding.message) == (
        line, column, "OOM003", f"cannot parse with {PYTHON}: {message}"
    )


@pytest.mark.parametrize(
    "requires_python, hint",
    [(f">={NEXT_PYTHON}", f"; the project requires Python >={NEXT_PYTHON}"), (">=3.10", ""), ("not a specifier", "")],
)
def test_oom003_names_the_python_the_project_requires_when_it_is_not_this_one(project, requires_python, hint):
    source, line, column, message = NEWER_SYNTAX
    root = project({"pyproject.toml": f'[project]\nname = "app"\nrequires-python = "{requires_python}"\n',
                    "src/app/newer.py": source})
    expected = f"src/app/newer.py:{line}:{column}: OOM003 cannot parse with {PYTHON}: {message}{hint}\n"
    check = run("oomlint", "src", cwd=root)
    assert (check.returncode, check.stderr) == (1, "")
    assert check.stdout == expected + "Found 1 finding (1 file checked).\n"
    fix = run("oomlint", "fix", "src", cwd=root)
    assert fix.stdout == expected + "Fixed 0 findings in 0 files; 1 remaining.\n"


def test_the_nearest_requires_python_counts(project):
    source, line, column, message = NEWER_SYNTAX
    root = project({
        "pyproject.toml": '[project]\nname = "monorepo"\nrequires-python = ">=3.8"\n[tool.oomlint]\nignore = ["OOM302"]\n',
        "service/pyproject.toml": f'[project]\nname = "service"\nrequires-python = ">={NEXT_PYTHON}"\n',
        "service/newer.py": source,
        "legacy/newer.py": source,
    })
    result = run("oomlint", ".", cwd=root)
    assert result.stdout == (
        f"legacy/newer.py:{line}:{column}: OOM003 cannot parse with {PYTHON}: {message}\n"
        f"service/newer.py:{line}:{column}: OOM003 cannot parse with {PYTHON}: {message}; "
        f"the project requires Python >={NEXT_PYTHON}\n"
        "Found 2 findings (2 files checked).\n"
    )


# ------------------------------------------------- newer syntax read through libcst's parser

# The syntax of Pythons 3.12 to 3.14 (PEP 695 aliases and type parameters, over several
# lines too; PEP 701 f-strings nesting their own quotes, with a non-ASCII character before
# a leak on the same line; PEP 758's unparenthesized except): checked under any Python,
# each finding where the newer Python would put it.
NEWER_MODULE = (
    "import sqlite3\n"
    "\n"
    "type Rows[T] = list[T]\n"
    "type Pairs[\n"
    "    K,\n"
    "    V,\n"
    "] = dict[K, V]\n"
    "\n"
    "\n"
    "class Store[T]:\n"
    "    def first[U](self, path: str, row: dict[str, U]) -> U:\n"
    '        label = f"{row["é"]}"; conn = sqlite3.connect(path)\n'
    '        return conn.execute(f"SELECT {row["name"]}").fetchone()\n'
    "\n"
    "    def count(self, path: str) -> int:\n"
    "        conn = sqlite3.connect(path)\n"
    "        try:\n"
    '            total = conn.execute("SELECT count(*) FROM t").fetchone()[0]\n'
    "        except KeyError, IndexError:\n"
    "            total = 0\n"
    "        conn.close()\n"
    "        return total\n"
)


def test_a_module_of_newer_syntax_is_checked_where_the_newer_python_would_point():
    findings = check_bytes(NEWER_MODULE.encode(), "store.py", RULES)
    assert [(finding.line, finding.column, finding.code) for finding in findings] == [
        (12, 39, "OOM202"), (16, 16, "OOM201"),
    ]
    assert findings[0].message.startswith("'conn' from sqlite3.connect() is never released")
    assert findings[1].message.startswith("'conn' from sqlite3.connect() is released by conn.close() on the normal path only")


@pytest.mark.parametrize(
    "nested, position",
    [
        ("(" * 3000 + "1" + ")" * 3000, (2, 205)),  # this Python's tokenizer stops at the 201st first
        ("not " * 20_000 + "1", (1, 6)),
        ("a" + "[0]" * 20_000, (1, 6)),
        ("a" + ".b" * 20_000, (1, 6)),
    ],
    ids=["brackets", "prefixes", "subscripts", "attributes"],
)
def test_newer_syntax_beside_nesting_no_parser_survives_stays_a_syntax_error(nested, position):
    # libcst's parser overflows its stack on such nesting (a crash, not an exception), or
    # takes minutes: the module is not given to it.
    source = f"type Vector = list[float]\nx = {nested}\n"
    (finding,) = check_bytes(source.encode(), "deep.py", RULES)
    assert (finding.line, finding.column, finding.code) == (*position, "OOM003")


def test_what_neither_parser_reads_stays_a_syntax_error():
    (finding,) = check_bytes(b'x = f"{row["id"]}" +\n', "broken.py", RULES)
    assert (finding.line, finding.code) == (1, "OOM003")


# --------------------------------------------------------------- file names with a line break


def test_a_line_break_in_a_file_name_is_escaped_in_text_not_in_json(project):
    root = project({"bad\nname.py": UNBOUNDED})
    text = run("oomlint", ".", cwd=root)
    assert text.stdout == (
        f"bad\\nname.py:4:2: OOM301 [*] {MESSAGE}\nFound 1 finding (1 file checked).\n[*] 1 fixable with `oomlint fix`.\n"
    )
    as_json = run("oomlint", "--format", "json", ".", cwd=root)
    assert [finding["path"] for finding in json.loads(as_json.stdout)] == ["bad\nname.py"]


# --------------------------------------------------------------------- the language server

LATIN_1 = (
    "# -*- coding: latin-1 -*-\n"
    "import logging\n\n"
    "logger = logging.getLogger(__name__)\n\n\n"
    "def report(user):\n"
    '    label = "café"; logger.info("{\\"user\\": \\"%s\\", \\"label\\": \\"%s\\"}" % (user, label))\n'
)


def test_language_server_on_encodings_and_unopened_documents(tmp_path):
    async def steps(client, received):
        never_opened = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=(tmp_path / "never_opened.py").as_uri()),
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        latin = (tmp_path / "latin.py").as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=latin, language_id="python", version=1, text=LATIN_1)
        ))
        latin_published = await asyncio.wait_for(received.get(), 30)
        leaky = (tmp_path / "leaky.py").as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=leaky, language_id="python", version=1, text=LEAKY)
        ))
        opened = await asyncio.wait_for(received.get(), 30)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=leaky, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="# -*- coding: hex -*-\n" + LEAKY)],
        ))
        changed = await asyncio.wait_for(received.get(), 30)
        return never_opened, latin_published, opened, changed

    async def scenario():
        async with language_server(tmp_path) as (client, received):
            return await steps(client, received)

    never_opened, latin, opened, changed = asyncio.run(scenario())
    assert list(never_opened) == []
    assert [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
            for d in latin.diagnostics] == [("OOM101", 7, 20, 7, 88)]
    assert [d.code for d in opened.diagnostics] == ["OOM301"]
    assert [(d.code, d.message, d.range.start.line, d.range.start.character) for d in changed.diagnostics] == [
        ("OOM002", "bad encoding declaration: 'hex' is not a text encoding", 0, 0)
    ]
