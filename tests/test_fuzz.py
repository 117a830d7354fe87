"""Fuzzing: generated programs and damaged fixtures through the engine and every host.

Whatever the bytes, no host may raise, print a traceback or an internal error, and every
finding must point into the file (line 1 to one past the last line, column 1 or more)
with a rule's code or an ``OOM0xx`` diagnostic. Programs come from hypothesmith (from
Python's grammar, and from libcst's nodes); mutations damage the project's own fixtures
the ways real files get damaged: flipped bytes, NULs, coding declarations (non-text
codecs and unknown names too), BOMs, old-Mac and Windows line breaks, truncation, deep
nesting, very long lines.

Profiles: ``ci`` (the default) is small and derandomized, so every CI run tries the same
inputs; ``OOMLINT_FUZZ=long`` tries thousands (see "Fuzzing" in docs/evaluation.md).
``pytest --hypothesis-show-statistics`` counts the inputs of each kind.
"""

from __future__ import annotations

import argparse
import ast
import codecs
import contextlib
import itertools
import os
import re
import traceback
import warnings
from pathlib import Path
from types import SimpleNamespace

import hypothesmith
import libcst
import pytest
from flake8.processor import FileProcessor
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import TextDocument
from pylint.lint import PyLinter
from pylint.reporters import CollectingReporter

from oomlint.hosts import lsp
from oomlint.hosts.cli import main
from oomlint.core.config import Config, find_config
from oomlint.core.findings import DIAGNOSTICS
from oomlint.core.source import SourceDecodeError, decode_source
from oomlint.engine import check_bytes
from oomlint.fix.driver import fix_file
from oomlint.hosts.flake8_plugin import Flake8Plugin
from oomlint.hosts.pylint_plugin import OomlintChecker
from oomlint.core.rule import all_rules, language_of
from tests.conftest import ROOT

settings.register_profile(
    "ci", max_examples=100, derandomize=True, database=None, deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],  # targeting hypothesmith's complexity scores costs twice the run
)
settings.register_profile("long", max_examples=2000, database=None, deadline=None)
PROFILE = settings.get_profile(os.environ.get("OOMLINT_FUZZ", "ci"))
# hypothesmith compiles what it generates; check_cli records the warnings oomlint lets out.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")


def budget(share: float) -> settings:
    """The profile's settings with ``share`` of its examples (generating some inputs costs more)."""
    return settings(PROFILE, max_examples=max(1, int(PROFILE.max_examples * share)))


EVERY_RULE = Config(select=("OOM",)).enabled
CODES = {rule.code for rule in all_rules()} | set(DIAGNOSTICS)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Where Python, YAML and the language server protocol end a line."""

FIXTURE_FILES = sorted((ROOT / "tests" / "fixtures" / "python").glob("*.py")) + sorted(
    path for path in (ROOT / "tests" / "fixtures" / "kubernetes").iterdir() if path.suffix in (".yaml", ".yml", ".json")
)
FIXTURE_BYTES = {path.name: path.read_bytes() for path in FIXTURE_FILES}


# ------------------------------------------------------------------ the hosts


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """Where inputs are written, under a pyproject.toml that turns every rule on in every host."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "pyproject.toml").write_text('[tool.oomlint]\nselect = ["OOM"]\n', encoding="utf-8")
    return root


_names = itertools.count()


def write_input(workdir: Path, data: bytes, suffix: str) -> Path:
    """A fresh file per input: pylint's astroid caches modules by name."""
    path = workdir / f"input{next(_names)}{suffix}"
    path.write_bytes(data)
    return path


class CheckerUnderTest(OomlintChecker):
    """oomlint's pylint checker, keeping what it raised: pylint turns any exception into
    a crash report, those of its own tokenizer (on lone CRs) too."""

    raised: list[str] = []

    def process_module(self, node) -> None:
        try:
            super().process_module(node)
        except Exception:
            self.raised.append(traceback.format_exc())
            raise


@pytest.fixture(scope="module")
def pylint(workdir) -> PyLinter:
    """One pylint with oomlint's messages only, reused for every input (setting it up is
    what costs)."""
    linter = PyLinter(reporter=CollectingReporter())
    linter.load_default_plugins()
    linter.register_checker(CheckerUnderTest(linter))
    linter.disable("all")
    for rule in all_rules():
        linter.enable(rule.symbol)
    linter.crash_file_path = str(workdir / "pylint-crash-%Y%m%d%H%M%S%f.txt")
    return linter


def tally(what: str) -> None:
    """Tally ``what`` for ``--hypothesis-show-statistics``; plain tests run the hosts too."""
    if currently_in_test_context():
        event(what)


def line_bound(data: bytes) -> int:
    """One past the last line, as the parsers count lines; the most of any decoding the
    hosts may use (the declared one, or Latin-1 when that fails)."""
    texts = [data.decode("latin-1")]
    with contextlib.suppress(SourceDecodeError, LookupError, UnicodeError):
        texts.append(decode_source(data))
    return max(len(LINE_BREAK.split(text)) for text in texts) + 1


def assert_well_formed(findings, data: bytes) -> None:
    last = line_bound(data)
    for finding in findings:
        assert finding.code in CODES, finding
        assert 1 <= finding.line <= last and finding.column >= 1, finding
        assert (finding.end_line, finding.end_column) >= (finding.line, finding.column), finding
        assert len(finding.message.splitlines()) == 1, finding


def check_engine(data: bytes, suffix: str) -> None:
    assert_well_formed(check_bytes(data, f"input{suffix}", EVERY_RULE), data)


FLAKE8_OPTIONS = argparse.Namespace(hang_closing=False, indent_size=4, max_line_length=79, max_doc_length=None, verbose=0)
FLAKE8_OWN_FAILURES = (OSError, LookupError, UnicodeError, SyntaxError, ValueError, RecursionError, MemoryError)
"""What flake8 reports itself (E902, E999), or fails on, before it would call a plugin."""


def check_flake8(path: Path, data: bytes) -> None:
    """The plugin as flake8's file checker calls it: flake8's lines, flake8's tree."""
    try:
        processor = FileProcessor(str(path), FLAKE8_OPTIONS)
        tree = processor.build_ast()
    except FLAKE8_OWN_FAILURES:
        tally("flake8: not handed over (flake8 reports E902/E999 or fails itself)")
        return
    last = line_bound(data)
    for line, column, text, _ in Flake8Plugin(tree, str(path), processor.lines).run():
        assert 1 <= line <= last and column >= 0 and text.split(" ", 1)[0] in CODES, (line, column, text)


def check_pylint(linter: PyLinter, path: Path, data: bytes) -> None:
    """A pylint run on the file."""
    linter.reporter = CollectingReporter()
    CheckerUnderTest.raised.clear()
    linter.check([str(path)])
    assert CheckerUnderTest.raised == []
    last = line_bound(data)
    for message in linter.reporter.messages:
        if message.msg_id.startswith("W71"):
            assert 1 <= message.line <= last and message.column >= 0, message
        elif message.symbol == "astroid-error":
            tally("pylint: crashed on its own")


def check_fix(path: Path, data: bytes) -> None:
    """Unsafe fixes, first without writing (the file stays as it was), then written: the
    file then holds exactly the fixed text, and it still parses."""
    dry = fix_file(str(path), EVERY_RULE, unsafe=True, write=False)
    assert path.read_bytes() == data
    # What is left is checked on the fixed text (fixes may add lines: a ``try``/``finally``).
    assert_well_formed(dry.remaining, data if dry.new_text is None else dry.new_text.encode("utf-8"))
    result = fix_file(str(path), EVERY_RULE, unsafe=True, write=True)
    assert result.new_text == dry.new_text
    if result.new_text is None:
        assert path.read_bytes() == data
        return
    tally("fix: written")
    written = path.read_bytes()
    assert decode_source(written) == result.new_text
    if language_of(str(path)) == "python":
        ast.parse(result.new_text)
    else:
        assert [f for f in check_bytes(written, str(path), EVERY_RULE) if f.code in DIAGNOSTICS] == []


class Editor:
    """What :func:`oomlint.hosts.lsp.publish` needs of pygls' server: the open document, and
    where the diagnostics go."""

    def __init__(self, document: TextDocument):
        self.workspace = SimpleNamespace(get_text_document=lambda uri: document)
        self.settings = lsp.Settings()
        self.published: list[types.PublishDiagnosticsParams] = []

    def text_document_publish_diagnostics(self, params: types.PublishDiagnosticsParams) -> None:
        self.published.append(params)

    def window_show_message(self, params: types.ShowMessageParams) -> None:
        raise AssertionError(params.message)


def check_lsp(path: Path, data: bytes) -> None:
    """The document as an editor holds it (decoded as Python would; else as UTF-8, what
    is not showing as U+FFFD), published as the engine's findings on the file, with
    ranges in UTF-16 units on the protocol's lines."""
    try:
        text = decode_source(data)
    except (SourceDecodeError, LookupError, UnicodeError):
        text = data.decode("utf-8", "replace")
        expected = None
    else:
        expected = check_bytes(data, str(path), find_config(path).rules_for(str(path)))
    document = TextDocument(path.as_uri(), text)
    editor = Editor(document)
    lsp.publish(editor, document.uri)
    (published,) = editor.published
    lines = LINE_BREAK.split(text)

    def position(line: int, column: int) -> types.Position:
        prefix = lines[line - 1][: column - 1] if line <= len(lines) else ""
        return types.Position(line=line - 1, character=len(prefix.encode("utf-16-le")) // 2)

    if expected is not None:
        tally("lsp: compared with the engine")
        assert [(d.code, d.message, d.range) for d in published.diagnostics] == [
            (f.code, f.message, types.Range(position(f.line, f.column), position(f.end_line, f.end_column)))
            for f in expected
        ]
    for diagnostic in published.diagnostics:
        assert diagnostic.code in CODES, diagnostic
        start, end = diagnostic.range.start, diagnostic.range.end
        assert 0 <= start.line <= len(lines) and start.character >= 0, diagnostic
        assert (end.line, end.character) >= (start.line, start.character), diagnostic


def check_cli(capsys, path: Path) -> None:
    """``oomlint check FILE`` in-process: exit 0 or 1 as the report says, and nothing on
    stderr but oomlint's own notices (no traceback, no internal error, no warning)."""
    capsys.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.filterwarnings("ignore", category=category)  # hidden by Python's default filters
        status = main(["check", "-j", "1", str(path)])
    output = capsys.readouterr()
    assert [f"{warning.category.__name__}: {warning.message}" for warning in caught] == []
    assert [line for line in output.err.splitlines() if not line.startswith("oomlint: ") or "internal error" in line] == []
    lines = output.out.splitlines()
    count = sum(line.startswith(f"{path}:") for line in lines)
    summary = f"Found {count} finding{'s' if count != 1 else ''} (1 file checked)." if count else "No findings (1 file checked)."
    assert (status, lines[count]) == (1 if count else 0, summary), output


def through_every_host(workdir: Path, linter: PyLinter, capsys, data: bytes, suffix: str) -> None:
    """The engine under both languages' names; every host of the input's own language."""
    check_engine(data, ".py")
    check_engine(data, ".yaml")
    path = write_input(workdir, data, suffix)
    tally(f"hosts of {language_of(str(path))}")
    if language_of(str(path)) == "python":
        check_flake8(path, data)
        check_pylint(linter, path, data)
    check_lsp(path, data)
    check_cli(capsys, path)
    check_fix(path, data)


def host_settings(share: float) -> settings:
    """``capsys`` is one fixture for all examples of a test: :func:`check_cli` empties it first."""
    return settings(budget(share), suppress_health_check=[HealthCheck.function_scoped_fixture])


# ----------------------------------------------------------------- programs


@host_settings(2)
@given(program=hypothesmith.from_grammar())
def test_programs_from_the_grammar(workdir, pylint, capsys, program):
    through_every_host(workdir, pylint, capsys, program.encode("utf-8"), ".py")


@host_settings(0.2)
@given(program=hypothesmith.from_node(libcst.Module))
def test_programs_from_libcst_nodes(workdir, pylint, capsys, program):
    through_every_host(workdir, pylint, capsys, program.encode("utf-8"), ".py")


# ---------------------------------------------------------------- mutations


def _insert(draw, data: bytes, piece: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + piece + data[at:]


def _insert_line(draw, data: bytes, line: bytes) -> bytes:
    """``line`` (ending with its line break) at the start of one of the lines."""
    starts = [0] + [match.end() for match in re.finditer(rb"\n", data)]
    at = draw(st.sampled_from(starts))
    return data[:at] + line + data[at:]


def flip_bytes(draw, data: bytes) -> bytes:
    damaged = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if damaged:
            damaged[draw(st.integers(0, len(damaged) - 1))] ^= draw(st.integers(1, 255))
    return bytes(damaged)


def insert_nul(draw, data: bytes) -> bytes:
    return _insert(draw, data, b"\0" * draw(st.integers(1, 3)))


def insert_bytes(draw, data: bytes) -> bytes:
    return _insert(draw, data, draw(st.binary(min_size=1, max_size=16)))


CODECS = (
    "utf-8", "latin-1", "cp1252", "ascii", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "utf-7", "cp037",
    "shift_jis", "unicode_escape", "raw_unicode_escape", "punycode", "idna", "undefined", "mbcs",
    "hex", "base64", "zlib", "bz2", "uu", "quopri", "rot13", "klingon", "",
)
COOKIES = ("# -*- coding: {} -*-", "# vim: set fileencoding={} :", "#coding={}", "# coding: {}")


def coding_cookie(draw, data: bytes) -> bytes:
    """A PEP 263 declaration on the first or second line, naming a codec, a non-text
    codec or nothing known; the rest sometimes written in that codec."""
    name = draw(st.sampled_from(CODECS) | st.from_regex(r"[a-z][a-z0-9_.-]{0,15}", fullmatch=True))
    event(f"coding: {name if name in CODECS else 'a made-up name'}")
    cookie = draw(st.sampled_from(COOKIES)).format(name).encode("ascii") + b"\n"
    if draw(st.booleans()):
        with contextlib.suppress(LookupError, UnicodeError, TypeError):
            data = data.decode("utf-8", "replace").encode(name, "replace")
    if draw(st.booleans()):
        return cookie + data
    first_line = data.find(b"\n") + 1
    return data[:first_line] + cookie + data[first_line:]


BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
BOM_CODECS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def byte_order_mark(draw, data: bytes) -> bytes:
    """A BOM, before the text as it was or the text written in the BOM's encoding."""
    index = draw(st.integers(0, len(BOMS) - 1))
    if draw(st.booleans()):
        data = data.decode("utf-8", "replace").encode(BOM_CODECS[index])
    return BOMS[index] + data


def line_breaks(draw, data: bytes) -> bytes:
    """Some or all line breaks made lone CRs (old Mac) or CRLFs (Windows)."""
    breaks = draw(st.sampled_from([b"\r", b"\r\n", b"\n\r"]))
    every = draw(st.booleans())
    chosen = draw(st.randoms(use_true_random=False))
    return re.sub(rb"\r?\n", lambda match: breaks if every or chosen.random() < 0.5 else match.group(), data)


def odd_line_separators(draw, data: bytes) -> bytes:
    """Characters that str.splitlines() takes for line breaks and Python does not:
    form feed, vertical tab, file/group/record separators, NEL, U+2028/2029."""
    separator = draw(st.sampled_from(["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]))
    return _insert(draw, data, separator.encode("utf-8"))


def unicode_text(draw, data: bytes) -> bytes:
    """Characters whose UTF-8, UTF-16 and code-point lengths differ, combining and
    bidirectional marks; in strings and comments they still parse."""
    text = draw(st.sampled_from(["é", "中文", "\U0001f600", "e\u0301", "\u202e", "\ufeff", "\U0010ffff"]))
    return _insert(draw, data, text.encode("utf-8") * draw(st.integers(1, 3)))


def truncate(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


NESTING = (
    "x = {open}1{close}\n", "x = {open}{close}\n", "x = not {repeat}1\n", "x = a{repeat}\n",
    "a: {open}{close}\n", "a:{repeat}\n", "- {repeat}a\n",
)


def deep_nesting(draw, data: bytes) -> bytes:
    """Thousands of brackets, unary operators, attributes, YAML collections; or blocks
    nested one indentation level deeper each."""
    if draw(st.integers(0, 3)) == 0:  # Python allows 100 levels; the block's size grows with their square
        depth = draw(st.sampled_from([99, 100, 101, 1000]))
        block = "".join(" " * level + "if x:\n" for level in range(depth)) + " " * depth + "pass\n"
        return _insert_line(draw, data, block.encode())
    depth = draw(st.sampled_from([99, 100, 199, 200, 201, 499, 500, 501, 1000, 3000, 20_000]))
    template = draw(st.sampled_from(NESTING))
    opening, closing = draw(st.sampled_from([("(", ")"), ("[", "]"), ("{", "}"), ("{a: ", "}")]))
    repeat = draw(st.sampled_from(["not ", ".b", "[0]", " -", "\n  a:", " [", "- "]))
    line = template.format(open=opening * depth, close=closing * depth, repeat=repeat * depth)
    return _insert_line(draw, data, line.encode())


def long_line(draw, data: bytes) -> bytes:
    length = draw(st.sampled_from([1_000, 10_000, 100_000, 300_000]))
    text = draw(st.sampled_from(["x = '{}'\n", "# {}\n", "x = [{}]\n", "  note: {}\n"]))
    filler = draw(st.sampled_from(["a", "é", "\U0001f600", "1, "]))
    return _insert_line(draw, data, text.format(filler * length).encode("utf-8"))


QUANTITY = re.compile(rb"(?<=memory:)[ \t]*[^\s,}\]#]*")
ODD_QUANTITIES = (
    "", "~", "0", "-1Gi", "+1Gi", ".5Gi", "1.Gi", "1e", "1E", "1e-3", "1e308", "1e999999999", "1E+5", "0x10",
    "1_000", "128MiB", "128 Mi", "\uff11\uff12\uff18Mi", "NaN", "Infinity", "9" * 5_000, "9" * 1_000_000 + "Ei",
)


def memory_quantity(draw, data: bytes) -> bytes:
    """A manifest's memory request or limit replaced by what a quantity parser may choke on."""
    places = list(QUANTITY.finditer(data))
    if not places:
        return data
    place = draw(st.sampled_from(places))
    numbers = st.from_regex(r"[-+]?[0-9]{0,40}(\.[0-9]{0,40})?([eE][-+]?[0-9]{1,12}|[KMGTPE]i|[numkMGTPE])?", fullmatch=True)
    value = draw(st.sampled_from(ODD_QUANTITIES) | numbers)
    return data[: place.start()] + b" " + value.encode("utf-8") + data[place.end():]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def delete_lines(draw, data: bytes) -> bytes:
    """Line edits keep most of the file parsing, so the rules see the damage."""
    lines = _lines(data)
    start = draw(st.integers(0, len(lines) - 1))
    return b"".join(lines[:start] + lines[start + draw(st.integers(1, 3)):])


def duplicate_lines(draw, data: bytes) -> bytes:
    lines = _lines(data)
    start = draw(st.integers(0, len(lines) - 1))
    end = start + draw(st.integers(1, 3))
    return b"".join(lines[:end] + lines[start:end] + lines[end:])


def swap_lines(draw, data: bytes) -> bytes:
    lines = _lines(data)
    first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[first], lines[second] = lines[second], lines[first]
    return b"".join(lines)


def splice_fixture(draw, data: bytes) -> bytes:
    """Lines of another fixture (a manifest in Python, a rule's example in a manifest)."""
    other = _lines(FIXTURE_BYTES[draw(st.sampled_from(sorted(FIXTURE_BYTES)))])
    start = draw(st.integers(0, len(other) - 1))
    return _insert_line(draw, data, b"".join(other[start:start + draw(st.integers(1, 20))]))


MUTATIONS = (
    flip_bytes, insert_nul, insert_bytes, coding_cookie, byte_order_mark, line_breaks, odd_line_separators, unicode_text,
    truncate, deep_nesting, long_line, memory_quantity, delete_lines, duplicate_lines, swap_lines, splice_fixture,
)


@st.composite
def damaged_fixtures(draw) -> tuple[str, bytes]:
    """A fixture's name and its bytes after one to three mutations."""
    name = draw(st.sampled_from(sorted(FIXTURE_BYTES)))
    data = FIXTURE_BYTES[name]
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        event(f"mutation: {mutation.__name__}")
        data = mutation(draw, data)
    return name, data


def _with(name: str, old: bytes, new: bytes) -> tuple[str, bytes]:
    """A fixture with one change: the inputs the fuzzing found defects with."""
    return name, FIXTURE_BYTES[name].replace(old, new, 1)


@host_settings(1.2)
@given(case=damaged_fixtures())
@example(case=_with("OOM501.yaml", b"name: fluentd\n", b"name: flu\0entd\n"))
@example(case=_with("daemonset.json", b'"name": "node-agent"', b'"name": "\\u2028node-agent"'))
@example(case=("OOM101.py", b"\x0c" + FIXTURE_BYTES["OOM101.py"]))
@example(case=_with("OOM301.py", b"\n", "\n# -*- coding: latin-1 -*-\ncaf\u00e9 = 1\n".encode("latin-1")))
def test_damaged_fixtures(workdir, pylint, capsys, case):
    name, data = case
    through_every_host(workdir, pylint, capsys, data, Path(name).suffix)


# ------------------------------------------------ what the fuzzing found, exactly


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_a_character_yaml_forbids_is_an_oom003_where_it_is(line_break):
    """PyYAML's reader error has no mark and says where in a second line of its message."""
    text = "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\u00e9\U0001f600\0\n"
    (finding,) = check_bytes(text.replace("\n", line_break).encode(), "pod.yaml", EVERY_RULE)
    assert (finding.line, finding.column, finding.code) == (8, 14, "OOM003")
    assert finding.message == "cannot parse YAML: unacceptable character #x0000: control characters are not allowed"


def test_line_breaks_in_quoted_names_are_escaped_in_messages():
    data = (
        b'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: "flu\\nentd", namespace: "log\\u2028ging"}\n'
        b"spec:\n  selector: {matchLabels: {app: fluentd}}\n  template:\n    spec:\n      containers:\n"
        b'        - name: "a\\rb\\x85"\n          image: fluentd\n'
    )
    (finding,) = check_bytes(data, "ds.yaml", EVERY_RULE)
    assert (finding.line, finding.column, finding.code) == (9, 11, "OOM501")
    assert finding.message == (
        "DaemonSet log\\u2028ging/flu\\nentd: container 'a\\rb\\x85' has no memory limit, so a leak grows until "
        "the node runs out and the kubelet evicts other pods; set resources.limits.memory"
    )


def published(path: Path, text: str) -> list[tuple[str, int, int, int, int]]:
    document = TextDocument(path.as_uri(), text)
    editor = Editor(document)
    lsp.publish(editor, document.uri)
    (params,) = editor.published
    return [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in params.diagnostics]


UNBOUNDED = "@functools.cache\ndef load(key):\n    return key\n"


@pytest.mark.parametrize("separator", ["\x0c", "\x1c", "\x85", "\u2028"], ids=["FF", "FS", "NEL", "LS"])
def test_lsp_ranges_are_on_the_protocols_lines(workdir, separator):
    """str.splitlines() breaks at these, Python and the protocol do not: the range of a
    finding below one was measured on the wrong line (here too short, and with a
    character of two UTF-16 units)."""
    text = f"import functools\n\nX = '{separator}\U0001f600'\n" + UNBOUNDED
    assert published(workdir / "editor.py", text) == [("OOM301", 3, 1, 3, 16)]


def test_lsp_does_not_decode_the_editors_text_again(workdir):
    """The editor honoured the Latin-1 declaration; applying it to the text once more made
    ``café`` a false syntax error."""
    text = "# -*- coding: latin-1 -*-\nimport functools\n\n\n@functools.cache\ndef caf\u00e9(key):\n    return key\n"
    assert published(workdir / "latin.py", text) == [("OOM301", 4, 1, 4, 16)]


def found(data: bytes, suffix: str, name: str):
    return pytest.param(data, suffix, id=name)


# Inputs with which the fuzzing found defects (fixed): through every host once more.
DEFECTS_FOUND = [
    found(b"# -*- coding: hex -*-\nx = 1\n", ".py", "coding-hex"),
    found(b"# coding: rot13\nx = 1\n", ".py", "coding-rot13"),
    found(b"# coding: undefined\nx = 1\n", ".py", "coding-undefined"),
    found(b"# coding: punycode\nx: 1\n", ".yaml", "coding-punycode"),
    found(_with("OOM501.yaml", b"memory: 256Mi", b"memory: " + b"9" * 1_000_000 + b"Ei")[1], ".yaml", "quantity-of-a-million-digits"),
]


@pytest.mark.parametrize(("data", "suffix"), DEFECTS_FOUND)
def test_inputs_that_found_defects(workdir, pylint, capsys, data, suffix):
    through_every_host(workdir, pylint, capsys, data, suffix)


def test_syntax_warnings_stay_off_stderr(workdir, capsys):
    """Python 3.12 turned invalid escapes into a SyntaxWarning that ast.parse prints."""
    check_cli(capsys, write_input(workdir, b'PATTERN = "\\d+"\n', ".py"))
