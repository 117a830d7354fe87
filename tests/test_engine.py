"""The engine: reading and decoding, diagnostics, columns, noqa, the semantic model."""

from __future__ import annotations

import ast
import sys

import pytest

from oomlint.config import Config
from oomlint.engine import Finding, Walker, check_bytes, check_source
from oomlint.rule import Rule, rule_by_code
from oomlint.semantic import SemanticModel

RULES = Config().enabled
UNBOUNDED = b"import functools\n\n@functools.cache\ndef f(x):\n    return x\n"


def codes(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in findings]


# -------------------------------------------------------------- reading files


def test_pep263_declaration_is_honoured():
    source = "# -*- coding: latin-1 -*-\nimport functools\nNAME = 'café'\n@functools.cache\ndef f(x):\n    return x\n"
    findings = check_bytes(source.encode("latin-1"), "latin.py", RULES)
    assert codes(findings) == [(4, 2, "OOM301")]


def test_utf8_bom_is_accepted():
    assert codes(check_bytes(b"\xef\xbb\xbf" + UNBOUNDED, "bom.py", RULES)) == [(3, 2, "OOM301")]


def test_undecodable_file_is_a_diagnostic_with_position():
    data = b"x = 1\ny = 'caf\xe9'\n"
    (finding,) = check_bytes(data, "bad.py", RULES)
    assert (finding.line, finding.column, finding.code) == (2, 9, "OOM002")
    assert finding.message == "cannot decode as utf-8: byte 0xe9 is invalid"


def test_unknown_encoding_declaration_is_a_diagnostic():
    (finding,) = check_bytes(b"# coding: klingon\nx = 1\n", "klingon.py", RULES)
    assert (finding.line, finding.code) == (1, "OOM002")
    assert finding.message.startswith("bad encoding declaration: ")


def test_syntax_error_is_a_diagnostic_with_position():
    (finding,) = check_bytes(b"import functools\n\ndef f(:\n    pass\n", "broken.py", RULES)
    assert (finding.line, finding.column, finding.code, finding.symbol) == (3, 7, "OOM003", "syntax-error")
    assert finding.message == f"cannot parse with Python {sys.version_info.major}.{sys.version_info.minor}: invalid syntax"


def test_null_bytes_are_a_diagnostic():
    (finding,) = check_bytes(b"x = 1\x00\n", "null.py", RULES)
    assert finding.code == "OOM003"


class CallProbe(Rule):
    """Reports every call; not registered (no ``code`` in its own class body)."""

    symbol = "call-probe"
    message = "call"
    summary = "probe"

    def visit_Call(self, node):
        self.report(node)


CallProbe.code = "OOM399"


def test_columns_count_characters_not_utf8_bytes():
    source = "x = 'ééé'; print(x)\n"
    (finding,) = check_source(source, "u.py", [(CallProbe, {})])
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 12, 1, 20)


def test_finding_end_position_spans_the_node():
    (finding,) = check_bytes(UNBOUNDED, "f.py", RULES)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (3, 2, 3, 17)


# ---------------------------------------------------------------------- noqa

NOQA_CASES = [
    ("@functools.cache  # noqa\n", []),
    ("@functools.cache  # noqa: OOM301\n", []),
    ("@functools.cache  # NOQA:OOM301,E501\n", []),
    ("@functools.cache  # noqa: OOM3\n", []),
    ("@functools.cache  # noqa: OOM302\n", [(3, 2, "OOM301")]),
    ("@functools.cache  # noqa: oom301\n", [(3, 2, "OOM301")]),
    ("@functools.cache  # noqa OOM302\n", []),
    ("@functools.cache  # not a noqa comment\n", [(3, 2, "OOM301")]),
]


@pytest.mark.parametrize("decorator_line, expected", NOQA_CASES)
def test_noqa_follows_flake8(decorator_line, expected):
    source = f"import functools\n\n{decorator_line}def f(x):\n    return x\n"
    assert codes(check_source(source, "n.py", RULES)) == expected


def test_noqa_on_a_later_line_of_a_bracketed_statement_does_not_count_as_in_flake8():
    source = (
        "import functools\n"
        "@functools.lru_cache(\n"
        "    maxsize=None,\n"
        ")  # noqa: OOM301\n"
        "def f(x):\n"
        "    return x\n"
    )
    assert codes(check_source(source, "m.py", RULES)) == [(2, 2, "OOM301")]


def test_noqa_after_a_multiline_string_covers_all_its_lines():
    source = 'print("""\none\ntwo\n""")  # noqa: OOM399\nprint(1)\n'
    assert codes(check_source(source, "s.py", [(CallProbe, {})])) == [(5, 1, "OOM399")]


@pytest.mark.parametrize("line_break", ["\r\n", "\r"], ids=["crlf", "old-mac"])
def test_noqa_counts_lines_as_the_parser_does(line_break):
    lines = ["import functools", "", "@functools.cache  # noqa: OOM301", "def f(x):", "    return x", "", "@functools.cache", "def g(x):", "    return x", ""]
    assert codes(check_source(line_break.join(lines), "n.py", RULES)) == [(7, 2, "OOM301")]


def test_noqa_can_be_disabled():
    source = "import functools\n\n@functools.cache  # noqa\ndef f(x):\n    return x\n"
    assert codes(check_source(source, "n.py", RULES, noqa=False)) == [(3, 2, "OOM301")]


# -------------------------------------------------------------- the semantic model


def model_after(source: str) -> tuple[SemanticModel, ast.Module]:
    tree = ast.parse(source)
    model = SemanticModel(tree)
    Walker(model, []).run(tree)
    return model, tree


def expression(source: str) -> ast.expr:
    return ast.parse(source, mode="eval").body


@pytest.mark.parametrize(
    "imports, expr, expected",
    [
        ("from PIL import Image as I", "I.open", "PIL.Image.open"),
        ("import PIL.Image", "PIL.Image.open", "PIL.Image.open"),
        ("import os.path as p", "p.join", "os.path.join"),
        ("from functools import lru_cache as memo", "memo", "functools.lru_cache"),
        ("import functools\nmemo = functools.cache", "memo", "functools.cache"),
        ("from . import sibling", "sibling.f", ".sibling.f"),
        ("from ..pkg import mod", "mod", "..pkg.mod"),
        ("", "open", "builtins.open"),
        ("def open(): pass", "open", None),
        ("", "undefined_name.attr", None),
        ("import redis\nclient = redis.Redis()", "client.set", None),
    ],
)
def test_qualified_names_through_aliases(imports, expr, expected):
    model, _ = model_after(imports)
    assert model.qualified_name(expression(expr)) == expected


def at_returns(source: str, question) -> list:
    """Walk ``source`` and ask ``question(model, return_node)`` at each ``return``, as a rule would."""
    answers = []

    class Probe:
        def node_types(self):
            return {ast.Return: "visit_Return"}

        def visit_Return(self, node):
            answers.append(question(model, node))

    tree = ast.parse(source)
    model = SemanticModel(tree)
    Walker(model, [Probe()]).run(tree)
    return answers


def test_function_bodies_see_module_names_bound_after_them():
    source = "def f():\n    return later.thing\n\nimport later_module as later\n"
    assert at_returns(source, lambda model, node: model.qualified_name(node.value)) == ["later_module.thing"]


def test_scopes_locals_shadow_imports_and_class_bodies_are_not_visible_in_methods():
    source = (
        "import functools\n"
        "class C:\n"
        "    cache = functools.cache\n"
        "    def method(self, functools):\n"
        "        return functools.cache, cache\n"
    )
    answers = at_returns(source, lambda model, node: [model.qualified_name(item) for item in node.value.elts])
    assert answers == [[None, None]]


def test_resolve_follows_names_with_targets_and_self_attributes():
    source = (
        "import redis\n"
        "class Store:\n"
        "    pool = redis.ConnectionPool()\n"
        "    def save(self):\n"
        "        local = self.client\n"
        "        return local\n"
        "    def __init__(self):\n"
        "        self.client = redis.Redis()\n"
        "    def pipe(self):\n"
        "        with self.client.pipeline() as p:\n"
        "            return p\n"
        "    def shared(self):\n"
        "        return [self.pool for _ in range(2)][0]\n"
    )

    def origin(model, node):
        value = node.value.value if isinstance(node.value, ast.Subscript) else node.value
        if isinstance(value, ast.ListComp):
            value = value.elt
        return ast.unparse(model.resolve(value))

    assert at_returns(source, origin) == ["redis.Redis()", "self.client.pipeline()", "redis.ConnectionPool()"]


def test_nothing_of_a_file_is_retained():
    """Findings are plain values: no tree, model or source is reachable from them."""
    import gc
    import weakref

    tree = ast.parse(UNBOUNDED.decode())
    reference = weakref.ref(tree)
    findings = check_source(UNBOUNDED.decode(), "f.py", RULES, tree=tree)
    del tree
    gc.collect()
    assert reference() is None
    assert all(isinstance(value, (str, int, type(None))) for f in findings for value in vars(f).values())


def test_rule_registry_rejects_bad_metadata():
    with pytest.raises(TypeError, match="symbol must be kebab-case"):
        type("Bad", (Rule,), {"code": "OOM391", "symbol": "bad_symbol1", "message": "m", "summary": "s", "__doc__": "d"})
    assert rule_by_code("OOM391") is None


def test_deeply_nested_generated_code_is_checked():
    """Deeper than the default recursion limit allows the walk (sympy's tables are)."""
    source = "import functools\nx = " + "+".join(["a"] * 900) + "\n@functools.cache\ndef f(x): pass\n"
    assert codes(check_source(source, "deep.py", RULES)) == [(3, 2, "OOM301")]


def test_code_too_deep_to_parse_is_a_diagnostic():
    (finding,) = check_source("x = " + "+".join(["a"] * 100_000) + "\n", "deeper.py", RULES)
    assert (finding.line, finding.column, finding.code, finding.message) == (
        1, 1, "OOM004", "nested too deeply to parse",
    )


def test_rules_sharing_a_collector_are_called_once_per_node():
    seen = []

    class Collector:
        def visit_call(self, node):
            seen.append(node)

    class SharedProbe(Rule):
        """Not registered: no ``code`` in its own class body."""

        symbol = "shared-probe"
        message = "m"
        summary = "s"

        def __init__(self, context, options):
            super().__init__(context, options)
            self.visit_Call = context.shared(Collector, Collector).visit_call

        def visit_Call(self, node):
            """Replaced per instance: the walk sends calls to the shared collector."""

    first = type("First", (SharedProbe,), {})
    second = type("Second", (SharedProbe,), {})
    check_source("f(g())\n", "s.py", [(first, {}), (second, {})])
    assert [ast.unparse(node) for node in seen] == ["f(g())", "g()"]
