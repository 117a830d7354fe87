"""The engine: reading and decoding, diagnostics, columns, noqa, the semantic model."""

from __future__ import annotations

import ast
import sys

import pytest

from oomlint.core.config import Config
from oomlint.core.findings import Finding
from oomlint.engine import check_bytes
from oomlint.python.checker import Walker, check_source
from oomlint.core.rule import Rule, rule_by_code
from oomlint.python.semantic import SemanticModel

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


def test_a_declaration_after_a_utf8_bom_must_say_utf8_as_python_requires():
    (finding,) = check_bytes(b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n", "bom.py", RULES)
    assert (finding.line, finding.column, finding.code, finding.message) == (
        1, 1, "OOM002", "bad encoding declaration: encoding problem: utf-8"
    )


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


def test_qualified_names_through_parameters_defaulting_to_modules():
    """A parameter that defaults to a module stands for it, also through the attribute of
    ``self`` the initializer stores it in; a default that is no module, none; and a
    parameter asked of from a class made in its function (its base) answers None."""
    model, tree = model_after(
        "import socket\n"
        "class Client:\n"
        "    def __init__(self, socket_module=socket, factory=dict):\n"
        "        self.socket_module = socket_module\n"
        "        self.factory = factory\n"
        "    def connect(self, sockets=socket):\n"
        "        return self.socket_module.socket(), sockets.socket(), self.factory.fromkeys()\n"
        "def wrap(base):\n"
        "    class Wrapped(base):\n"
        "        pass\n"
        "    return Wrapped\n"
    )
    connect = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "connect")
    scope = next(scope for scope in model._scopes if scope.node is connect)
    calls = connect.body[0].value.elts
    assert [model.qualified_name(call.func, scope) for call in calls] == ["socket.socket", "socket.socket", None]
    wrapped = next(scope for scope in model._scopes if scope.kind == "class" and scope.node.name == "Wrapped")
    assert model.qualified_name(wrapped.node.bases[0], wrapped) is None


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


def after_walk(source: str):
    """``(model, tree, scope)`` once ``source`` is walked, ``scope`` being the function's of
    its first ``return``: what a rule that decides in ``finish`` asks with."""
    found = []

    class Probe:
        def node_types(self):
            return {ast.Return: "visit_Return"}

        def visit_Return(self, node):
            found.append(model.scope)

    tree = ast.parse(source)
    model = SemanticModel(tree)
    Walker(model, [Probe()]).run(tree)
    return model, tree, found[0]


def test_a_rule_that_needs_no_function_bodies_is_not_called_in_them():
    """Asked once the module's own level is walked (class bodies included); a rule that
    says no is called for no node of a function or lambda body, the others still are."""
    source = "x = 1\nclass C:\n    y = 2\n    def m(self):\n        z = 3\ndef f():\n    w = lambda: 4\n"
    seen: dict[str, list[int]] = {"done": [], "going": []}

    class Probe:
        def __init__(self, name, needs):
            self.name, self.needs = name, needs

        def node_types(self):
            return {ast.Constant: "visit_Constant"}

        def visit_Constant(self, node):
            seen[self.name].append(node.value)

        def needs_function_bodies(self):
            return self.needs

    tree = ast.parse(source)
    Walker(SemanticModel(tree), [Probe("done", False), Probe("going", True)]).run(tree)
    assert seen == {"done": [1, 2], "going": [1, 2, 3, 4]}


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


def test_a_name_bound_several_times_resolves_to_the_binding_that_reaches_the_use():
    """After the walk (as rules that decide in ``finish`` ask), each use still sees the
    binding before it: ``x = f(x)`` reads the earlier ``x``; a name of an enclosing
    scope is its last binding, as a call sees it."""
    source = (
        "import redis\n"
        "client = redis.Redis()\n"
        "def write(uid):\n"
        "    r = redis.Redis()\n"
        "    r.set(uid, 1)\n"
        "    r = r.pipeline()\n"
        "    r.set(uid, 2)\n"
        "    r = None\n"
        "    return client\n"
        "client = redis.StrictRedis()\n"
    )
    walked_model, tree, scope = after_walk(source)
    function = tree.body[2]
    reads = [node for node in ast.walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in ("r", "client")]
    reads.sort(key=lambda node: (node.lineno, node.col_offset))
    resolved = [(node.lineno, ast.unparse(walked_model.resolve(node, scope))) for node in reads]
    assert resolved == [(5, "redis.Redis()"), (6, "redis.Redis()"), (7, "r.pipeline()"), (9, "redis.StrictRedis()")]


def test_a_name_declared_nonlocal_is_the_enclosing_functions_variable():
    """``nonlocal`` as ``global`` is for the module: the inner function's uses and
    assignments are of the variable of the nearest enclosing function that binds it
    (class bodies skipped), not of a variable of its own nor of the module's."""
    source = (
        "import redis\n"
        "client = None\n"
        "def outer():\n"
        "    client = redis.Redis()\n"
        "    class Holder:\n"
        "        client = 1\n"
        "        def method(self):\n"
        "            def reset():\n"
        "                nonlocal client\n"
        "                return client\n"
        "            return reset\n"
        "    def replace():\n"
        "        nonlocal client\n"
        "        client = redis.StrictRedis()\n"
        "        return client\n"
        "    return client\n"
    )

    def question(model, node):
        if not isinstance(node.value, ast.Name) or node.value.id != "client":
            return None
        binding = model.lookup("client")
        return (
            model.scope.node.name,
            binding.scope.node.name,
            [ast.unparse(item.value) for item in model.bindings_of("client", binding.scope)],
            "client" in model.scope.bindings,
        )

    both = ["redis.Redis()", "redis.StrictRedis()"]
    # The walk reaches nested functions after the body around them.
    assert [answer for answer in at_returns(source, question) if answer is not None] == [
        ("outer", "outer", ["redis.Redis()"], True),
        ("replace", "outer", both, False),
        ("reset", "outer", both, False),
    ]


@pytest.mark.parametrize(
    ("source", "expr", "origin"),
    [
        ("import logging\nlog = logging.getLogger(__name__)", "log", "logging.getLogger"),
        ("import logging\nevents = logging.getLogger('events')", "events", "logging.getLogger"),
        ("import logging", "logging", "logging"),
        ("import structlog\nlog = structlog.get_logger()", "log", "structlog.get_logger"),
        ("", "audit_log", "name"),
        ("", "self.logger", "name"),
        ("", "auditLogger", "name"),
        ("", "catalog", None),
        ("", "dialog", None),
        ("import redis\nlog = redis.Redis()", "log", "name"),
    ],
)
def test_one_answer_to_is_this_a_logger(source, expr, origin):
    model, _ = model_after(source)
    assert model.logger_origin(expression(expr)) == origin
    assert model.is_logger(expression(expr)) is (origin is not None)


FLOW = """\
import os
from PIL import Image


def handler(request, limit):
    if request.ok:
        assert limit > 0
        size = len(request.body)
        if not size:
            return size
        while size > limit:
            size -= 1
        else:
            print(size)
        try:
            value = request.read() if size else None
        finally:
            pass
        return value
    return None
"""


def flow_node(tree: ast.Module, source_text: str) -> ast.AST:
    """The first node whose source is ``source_text``."""
    return next(node for node in ast.walk(tree) if ast.get_source_segment(FLOW, node) == source_text)


def test_parents_statements_blocks_and_enclosing_nodes():
    model, tree = model_after(FLOW)
    read = flow_node(tree, "request.read()")
    statement = model.statement(read)
    assert ast.unparse(statement) == "value = request.read() if size else None"
    assert model.block(statement)[0] is statement
    assert isinstance(model.enclosing(read, (ast.Try, ast.With)), ast.Try)
    assert isinstance(model.enclosing(read, ast.FunctionDef), ast.FunctionDef)
    assert model.enclosing(read, ast.ClassDef) is None
    assert [type(node).__name__ for node in model.ancestors(read)] == [
        "IfExp", "Assign", "Try", "If", "FunctionDef", "Module"
    ]
    assert model.imported_packages == {"os", "PIL"}


@pytest.mark.parametrize(
    ("node", "known"),
    [
        ("request.read()", [("size", True), ("not size", False), ("limit > 0", True), ("request.ok", True)]),
        ("size -= 1", [("size > limit", True), ("not size", False), ("limit > 0", True), ("request.ok", True)]),
        ("print(size)", [("size > limit", False), ("not size", False), ("limit > 0", True), ("request.ok", True)]),
        ("return size", [("not size", True), ("limit > 0", True), ("request.ok", True)]),
        ("return None", [("request.ok", False)]),
    ],
)
def test_guards_are_the_tests_known_to_hold(node, known):
    """Enclosing branches, earlier asserts and earlier guard clauses, innermost first."""
    model, tree = model_after(FLOW)
    found = [(ast.unparse(test), value) for test, value in model.guards(flow_node(tree, node))]
    assert found == known


BLOCKS = """\
if ready:
    def load(key, kind):
        for name in ("a", "b"):
            try:
                cache[name] = key
            except KeyError:
                match kind:
                    case "x":
                        retry(lambda: cache.pop(key))
        else:
            done()
"""


@pytest.mark.parametrize(
    ("node", "scopes", "blocks"),
    [
        ("cache[name] = key", False, [("Try", "body"), ("For", "body")]),
        ("retry(lambda: cache.pop(key))", False,
         [("match_case", "body"), ("ExceptHandler", "body"), ("For", "body")]),
        ("cache.pop(key)", False, []),
        ("done()", False, [("For", "orelse")]),
        ("done()", True, [("For", "orelse"), ("FunctionDef", "body"), ("If", "body"), ("Module", "body")]),
    ],
)
def test_enclosing_blocks_name_the_statement_list_that_holds_a_node(node, scopes, blocks):
    """Innermost first, stopping at the function (a lambda is one) unless asked to go on."""
    model, tree = model_after(BLOCKS)
    target = next(node_ for node_ in ast.walk(tree) if ast.get_source_segment(BLOCKS, node_) == node)
    found = [
        (type(holder).__name__, next(name for name in ("body", "orelse", "finalbody") if getattr(holder, name, None) is block))
        for holder, block in model.enclosing_blocks(target, scopes)
    ]
    assert found == blocks


@pytest.mark.parametrize(
    ("node", "path"),
    [
        ("cache[name] = key", ["For", "Try", "Assign"]),
        ("key", ["For", "Try", "Assign"]),
        ("retry(lambda: cache.pop(key))", ["For", "Try", "Match", "Expr"]),
        ("cache.pop(key)", []),
        ("done()", ["For", "Expr"]),
    ],
)
def test_statement_path_is_the_statements_of_the_function_around_a_node(node, path):
    """Outermost first, the function's own statements only (a lambda's code has none)."""
    model, tree = model_after(BLOCKS)
    target = next(
        node_ for node_ in ast.walk(tree) if not isinstance(node_, ast.arg) and ast.get_source_segment(BLOCKS, node_) == node
    )
    assert [type(item).__name__ for item in model.statement_path(target)] == path


@pytest.mark.parametrize(
    ("node", "statement", "nested"),
    [
        ("cache[name] = key", "try:", False),
        ("key", "cache[name] = key", False),
        ("cache.pop(key)", "retry(lambda: cache.pop(key))", True),
        ("done()", 'for name in ("a", "b"):', False),  # the statement done() itself
        ("kind", "match kind:", False),
    ],
)
def test_own_statement_is_the_function_statement_that_holds_a_node(node, statement, nested):
    """Of the function's own code: a lambda's body belongs to the statement that holds the
    lambda (and is nested); a statement's own statement is the one around it."""
    model, tree = model_after(BLOCKS)
    function = next(item for item in ast.walk(tree) if isinstance(item, ast.FunctionDef))
    target = next(
        node_ for node_ in ast.walk(tree) if not isinstance(node_, ast.arg) and ast.get_source_segment(BLOCKS, node_) == node
    )
    found, is_nested = model.own_statement(target, function)
    assert (ast.get_source_segment(BLOCKS, found).splitlines()[0], is_nested) == (statement, nested)


@pytest.mark.parametrize(
    ("annotation", "element", "types"),
    [
        ("Optional[UploadFile]", False, ["fastapi.UploadFile"]),
        ("UploadFile | None", False, ["fastapi.UploadFile"]),
        ("Union[bytes, UploadFile]", False, ["builtins.bytes", "fastapi.UploadFile"]),
        ("Annotated[UploadFile, File()]", False, ["fastapi.UploadFile"]),
        ("'UploadFile'", False, ["fastapi.UploadFile"]),
        ("list[UploadFile]", True, ["fastapi.UploadFile"]),
        ("dict[str, str]", False, [None]),
    ],
)
def test_annotation_types_see_through_optional_union_annotated_and_quotes(annotation, element, types):
    model, _ = model_after("from typing import Annotated, Optional, Union\nfrom fastapi import File, UploadFile\n")
    assert list(model.annotation_types(expression(annotation), element)) == types


@pytest.mark.parametrize(
    ("body", "types"),
    [
        ("    if isinstance(upload, UploadFile):\n        return upload\n", ["fastapi.UploadFile"]),
        ("    if not isinstance(upload, (bytes, UploadFile)):\n        raise TypeError\n    return upload\n",
         ["builtins.bytes", "fastapi.UploadFile"]),
        ("    assert upload and isinstance(upload, UploadFile)\n    return upload\n", ["fastapi.UploadFile"]),
        ("    if isinstance(other, UploadFile):\n        return upload\n", []),
        ("    if isinstance(upload, UploadFile):\n        pass\n    return upload\n", []),
    ],
)
def test_narrowed_types_come_from_the_isinstance_known_to_hold(body, types):
    source = "from fastapi import UploadFile\ndef handle(upload, other):\n" + body
    assert at_returns(source, lambda model, node: list(model.narrowed_types(node.value))) == [types]


NAMES = """\
def outer(f, xs):
    f.write("a")
    def closure():
        return f.name
    def shadowing(f=f):
        return f
    def declared():
        nonlocal f
        f = None
    seen = [f for f in xs]
    other = [x for x in f]
    return lambda f: f, seen, other
"""


def test_name_uses_are_the_variables_of_the_scope_asked_about():
    """A closure's use and a ``nonlocal`` count; a parameter, a comprehension variable or a
    lambda parameter of the same name is another variable (a default is evaluated outside)."""
    from oomlint.python.semantic import name_uses

    function = ast.parse(NAMES).body[0]
    assert sorted((node.lineno, node.col_offset) for node in name_uses("f", function)) == [
        (2, 4), (4, 15), (5, 20), (9, 8), (11, 24),
    ]


ROLES = """\
import asyncio
def f(x, default=None):
    g(x, key=x, *x)
    x()
    x.attr
    x.attr = 1
    x[0]
    x[0] = 1
    other = x
    holder.attr = x
    holder[0] = x
    items = [x, (x,), {x}, {x: x}]
    for _ in x:
        pass
    with x:
        pass
    if x and not x:
        assert x
    x is None
    await x
    del x[0]
    x += 1
    print(f"{x}")
    def inner(p=x):
        return x
    yield x
    raise x
"""


def test_references_name_the_role_of_each_use():
    model, tree = model_after(ROLES)
    function = tree.body[1]
    roles = [(reference.node.lineno, reference.role, reference.nested) for reference in model.variable_references("x", function)]
    assert roles == [
        (3, "argument", False), (3, "argument", False), (3, "argument", False), (4, "called", False),
        (5, "attribute", False), (6, "attribute target", False), (7, "subscript", False), (8, "item target", False),
        (9, "alias", False), (10, "attribute store", False), (11, "item store", False),
        (12, "container", False), (12, "container", False), (12, "container", False), (12, "container", False),
        (12, "container", False), (13, "iterated", False), (15, "context", False), (17, "test", False),
        (17, "test", False), (18, "test", False), (19, "compared", False), (20, "awaited", False),
        (21, "item target", False), (22, "augmented", False), (23, "other", False), (24, "default", False),
        (25, "return", True), (26, "yield", False), (27, "raised", False),
    ]


def test_references_belong_to_the_binding_that_reaches_them():
    """Each use in the scope belongs to the binding before it (``r = r.pipeline()`` reads the
    first ``r``); a closure sees the last one; a method does not see its class's names; a
    nested function with a parameter of the same name has a variable of its own."""
    source = (
        "import redis\n"
        "def write(uid):\n"
        "    r = redis.Redis()\n"
        "    r.set(uid, 1)\n"
        "    r = r.pipeline()\n"
        "    r.execute()\n"
        "    def later():\n"
        "        return r\n"
        "    def own(r):\n"
        "        return r\n"
        "    return later\n"
        "class Store:\n"
        "    r = 1\n"
        "    size = r + 1\n"
        "    def get(self):\n"
        "        return r\n"
    )
    walked, tree, scope = after_walk(source)
    first, second = walked.bindings_of("r", scope)
    assert [(use.node.lineno, use.role) for use in walked.references(first)] == [(4, "attribute"), (5, "attribute")]
    assert [(use.node.lineno, use.nested) for use in walked.references(second)] == [(6, False), (8, True)]
    klass = walked.lookup("Store", walked.module_scope).node
    assert [use.node.lineno for use in walked.variable_references("r", klass)] == [14]
    module_redis = walked.module_scope.bindings["redis"]
    assert [use.node.lineno for use in walked.references(module_redis)] == [3]


def test_stores_to_self_attributes_are_one_query():
    """Through each method's first parameter, in closures too; a nested function's own
    ``self`` is another object; ``del`` stores nothing; the value when one is stored."""
    source = (
        "class Job:\n"
        "    def __init__(self, out):\n"
        "        self.out = out\n"
        "        self.a = self.b = None\n"
        "        self.c, self.d = 1, 2\n"
        "    def run(me):\n"
        "        me.out += 'x'\n"
        "        def done():\n"
        "            me.out = ''\n"
        "        def other(self):\n"
        "            self.out = None\n"
        "        del me.out\n"
        "    @staticmethod\n"
        "    def make():\n"
        "        return Job(1)\n"
    )
    model, tree = model_after(source)
    owner = tree.body[0]
    stores = model.attribute_stores(owner, "out")
    assert [(store.method.name, store.target.lineno, store.value and ast.unparse(store.value)) for store in stores] == [
        ("__init__", 3, "out"), ("run", 7, None), ("run", 9, "''"),
    ]
    assert [ast.unparse(store.value) for store in model.attribute_stores(owner, "b")] == ["None"]
    assert [store.value for store in model.attribute_stores(owner, "d")] == [None]
    assert model.attribute_stores(owner, "missing") == []


def test_the_value_of_a_self_attribute_is_the_initializers_first_store():
    """One answer, from the stores: an initializer's first value, else the first value
    stored anywhere (a method defined before ``__init__`` still sees what it sets)."""
    source = (
        "class Job:\n"
        "    def run(self):\n"
        "        self.out = 'run'\n"
        "        self.later = 'run'\n"
        "        self.a = self.b = 'chained'\n"
        "        return self.out\n"
        "    def __init__(self, out):\n"
        "        self.out += 'x'\n"
        "        self.out = out\n"
        "        self.c, self.d = 1, 2\n"
    )
    model, tree = model_after(source)
    owner = tree.body[0]
    values = {name: model.attribute_value(owner, name) for name in ("out", "later", "b", "d", "missing")}
    assert {name: value and ast.unparse(value) for name, value in values.items()} == {
        "out": "out", "later": "'run'", "b": "'chained'", "d": None, "missing": None,
    }
    assert at_returns(source, lambda model, node: ast.unparse(model.instance_attribute(node.value.attr))) == ["out"]


def test_module_binding_is_the_one_bound_at_import():
    source = "KEY = 'k'\ndef f(key):\n    local = 'x'\n    return KEY, key, local\n"
    walked, tree, scope = after_walk(source)
    names = tree.body[1].body[-1].value.elts
    assert [walked.module_binding(name, scope) is not None for name in names] == [True, False, False]


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


def test_the_cycle_collector_is_paused_while_a_file_is_checked_only():
    """Off while a file is checked, as it was once the check returns or fails; a host
    that turned it off keeps it off."""
    import gc

    seen = []

    class GcProbe(Rule):
        """Not registered: no ``code`` in its own class body."""

        symbol = "gc-probe"
        message = "m"
        summary = "s"
        fail = False

        def visit_Module(self, node):
            seen.append(gc.isenabled())
            if self.fail:
                raise ZeroDivisionError

    assert check_source("x = 1\n", "f.py", [(GcProbe, {})]) == []
    assert (seen, gc.isenabled()) == ([False], True)
    GcProbe.fail = True
    with pytest.raises(ZeroDivisionError):
        check_source("x = 1\n", "f.py", [(GcProbe, {})])
    assert (seen, gc.isenabled()) == ([False, False], True)
    gc.disable()
    try:
        with pytest.raises(ZeroDivisionError):
            check_source("x = 1\n", "f.py", [(GcProbe, {})])
        assert (seen, gc.isenabled()) == ([False, False, False], False)
    finally:
        gc.enable()


def test_a_file_summarized_while_another_is_checked_leaves_no_cycle_behind():
    """The collector stays off for the outer file, and the inner one's cycles are gone when it ends."""
    import gc
    import weakref

    from oomlint.python.parsing import one_file

    class Cycle:
        pass

    with one_file():
        with one_file():
            inner = Cycle()
            inner.self = inner
            reference = weakref.ref(inner)
            del inner
        assert (reference(), gc.isenabled()) == (None, False)
    assert gc.isenabled()


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
