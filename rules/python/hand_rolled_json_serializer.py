"""OOM102: a function that assembles JSON text piecewise from values not JSON-encoded."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from oomlint.python.astutil import FunctionNode
from oomlint.core.rule import Rule
from oomlint.rules.python._json_text import STREAM_WRITES, Skeletons, describe, holds_raw_json

# How a function lets its text out.
LIST, STREAM, STRING, RETURN = "list", "stream", "string", "return"
_JSON_PUNCTUATION = frozenset('{["')
_STRING_METHODS = frozenset({"format", "format_map", "join"})
_OUTPUT_METHODS = frozenset({"append", "extend", "write", "join"})
_NAME_TEXT = 40


@dataclass(eq=False)
class Output:
    """Text a function builds piece by piece: a list it appends to, a stream it writes
    to, a string it grows with ``+=``, or a value it returns."""

    name: str
    """The list, stream or string (``parts``, ``self.stream``); for a return, how its value is built."""
    kind: str | None = None
    """``LIST``, ``STREAM``, ``STRING`` or ``RETURN``; None while the name is only assigned."""
    emitted: bool = False
    """Whether the text leaves the function: a list once it is joined; the others always."""
    pieces: list[tuple[ast.AST, str]] = field(default_factory=list)
    """``(site, skeleton)`` in source order."""
    spliced: list[Output] = field(default_factory=list)
    """Other outputs whose text is part of this one (``"{" + ",".join(parts) + "}"``)."""

    def text(self) -> str:
        return "".join(skeleton for _, skeleton in self.pieces)

    def sites(self, seen: set[int]) -> list[ast.AST]:
        """Where JSON punctuation is added, here and in the spliced outputs."""
        seen.add(id(self))
        sites = [site for site, skeleton in self.pieces if not _JSON_PUNCTUATION.isdisjoint(skeleton)]
        for other in self.spliced:
            if id(other) not in seen:
                sites += other.sites(seen)
        return sites

    def how(self) -> str:
        name = _shorten(self.name)
        if self.kind == LIST:
            return f"appends to {name} and joins it"
        if self.kind == STREAM:
            return f"writes to {name}"
        if self.kind == STRING:
            return f"+= on {name}"
        return f"returns text built by {self.name}"


@dataclass(eq=False)
class Builder:
    """What one function builds."""

    name: str
    outputs: dict[str, Output] = field(default_factory=dict)
    returns: list[Output] = field(default_factory=list)
    splicing: list[Output] = field(default_factory=list)
    """Outputs spliced into the piece being read now."""


class HandRolledJsonSerializer(Rule):
    """
    ## What it does
    Flags a function or method that assembles JSON text piecewise: literal braces or
    brackets, quoted keys followed by `:`, `","` separators, with run-time values put
    inside its string values as they are (`'"%s": "%s"' % (key, value)`), and lets the
    text out by one of:
    - appending the pieces to a list that it joins (`parts.append(...)`, `parts.extend([...])`,
      `parts += [...]`, then `"".join(parts)`);
    - writing them to a stream or buffer (`out.write(...)`, `self.stream.write(...)`);
    - growing a string (`line += ...`, `line = line + ...`);
    - returning the text (`return '{"id": "%s"}' % self.id`).

    The pieces of one list, stream or string are read together in source order, so
    `write("{")`, a loop of `write('"%s": "%s",' % (key, value))` and `write("}")` is
    JSON text with raw values. The usual culprits are the `format()` of
    `logging.Formatter` subclasses, the `emit()` of `logging.Handler` subclasses and
    `to_json()` helpers. One finding per function, at the first statement or call that
    adds JSON punctuation to the text, naming the function.

    ## Why is this bad?
    Every value must be escaped (quotes, backslashes, control characters, lone
    surrogates) and every opened `{` closed, on every path. A hand-written serializer
    gets one of them wrong: in the log-shipper incident a custom logger's formatter
    wrote `{`, the fields in a loop, then `}`; characters outside the BMP raised
    mid-way, 5% of the lines lost their closing brace, and the malformed lines leaked
    memory in the fleet's log parser until every node's log shipper was OOM-killed.

    ## Known limits
    Not flagged: text whose values are all JSON-encoded (`json.dumps(...)` output,
    numbers), put in outside quotes (taken to be numbers or JSON already) or only in
    keys (`'"%s": %s' % (name, json.dumps(value))`: keys are field names the program
    chooses, the values carry the data), whose JSON is only constant, or that is not
    JSON: Python reprs (`%r`, `!r`), generated code that assigns the object
    (`TYPES = {`) or markup (text that starts with a tag: an HTML widget's page and
    its script), JSON quoted in a sentence that goes on after the closing bracket on
    the same line (`'for example {"memory": "%s"}. The setting ...'`: a message for
    people, not a document for a parser), CSS, SQL, Jinja and Mustache templates
    (`{{`, `{%`); OOM101 reads JSON text by the same rules. A write to
    `sys.stdout`/`sys.stderr` that is a whole JSON line by
    itself is OOM101's finding, not this rule's. Lists that are never joined, strings
    that are built but never grown, written or returned, text stored elsewhere
    (`params["body"] = ...`) and `yield`ed pieces are not followed.

    ## Example
    ```python
    import io
    import logging

    class JsonFormatter(logging.Formatter):
        def format(self, record):
            out = io.StringIO()
            out.write("{")
            for key, value in vars(record).items():
                out.write(f'"{key}": "{value}", ')
            out.write(f'"message": "{record.getMessage()}"}}')
            return out.getvalue()
    ```

    ## Use instead
    ```python
    import json
    import logging

    class JsonFormatter(logging.Formatter):
        def format(self, record):
            fields = {key: str(value) for key, value in vars(record).items()}
            fields["message"] = record.getMessage()
            return json.dumps(fields)
    ```
    or python-json-logger's `JsonFormatter`, or structlog's `JSONRenderer`.

    ## Options
    None.

    ## Fix
    None yet.

    ## References
    - [json.dumps](https://docs.python.org/3/library/json.html#json.dumps)
    - [python-json-logger](https://nhairs.github.io/python-json-logger/)
    - [structlog: JSONRenderer](https://www.structlog.org/en/stable/api.html#structlog.processors.JSONRenderer)
    - [RFC 8259: strings](https://www.rfc-editor.org/rfc/rfc8259#section-7)
    """

    code = "OOM102"
    symbol = "hand-rolled-json-serializer"
    summary = "Function that assembles JSON text piecewise instead of json.dumps"
    message = "'{function}' assembles JSON by hand ({how}) with values that are not JSON-encoded; an exception or a quote mid-way leaves it malformed: use json.dumps"

    def __init__(self, context, options):
        super().__init__(context, options)
        self.builders: dict[FunctionNode, Builder] = {}
        self.builder: Builder | None = None
        self.skeletons = Skeletons(self.model, self._splice)

    # Collecting ----------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if type(func) is not ast.Attribute or func.attr not in _OUTPUT_METHODS:
            return
        if len(node.args) != 1 or node.keywords or self.model.function is None:
            return
        method = func.attr
        builder = self._builder()
        value = node.args[0]
        if method == "join":
            output = builder.outputs.get(_key(value))
            if output is not None and output.kind == LIST:
                output.emitted = True
            return
        key = _key(func.value)
        if method == "write":
            skeleton = self.skeletons.of(value)
            if self.model.qualified_name(func) in STREAM_WRITES and holds_raw_json(skeleton):
                return  # a whole JSON log line: OOM101's
            self._add(key or ast.unparse(func.value), node, skeleton, STREAM)
        elif key is not None and method == "append":
            self._add(key, node, self.skeletons.of(value), LIST)
        elif key is not None and type(value) in (ast.List, ast.Tuple):  # extend
            for item in value.elts:
                self._add(key, node, self.skeletons.of(item), LIST)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        key = _key(node.target)
        if type(node.op) is not ast.Add or key is None or self.model.function is None:
            return
        self._builder()
        if type(node.value) in (ast.List, ast.Tuple):
            for item in node.value.elts:
                self._add(key, node, self.skeletons.of(item), LIST)
        else:
            self._add(key, node, self.skeletons.of(node.value), STRING)

    def visit_Assign(self, node: ast.Assign) -> None:
        """``line = "{"`` starts the text that ``line += ...`` grows; ``line = line + ...`` grows it."""
        value = node.value
        is_list = type(value) in (ast.List, ast.Tuple)
        if not (_builds_text(value) or is_list and any(_builds_text(item) for item in value.elts)):
            return
        key = _key(node.targets[0]) if len(node.targets) == 1 else None
        if key is None or self.model.function is None:
            return
        self._builder()
        if is_list:
            for item in value.elts:
                self._add(key, node, self.skeletons.of(item))
            return
        grown = _grown(value, key)
        if grown is None:
            self._add(key, node, self.skeletons.of(value))
        else:
            self._add(key, node, "".join(self.skeletons.of(item) for item in grown), STRING)

    def visit_Return(self, node: ast.Return) -> None:
        value = node.value
        if value is None or self.model.function is None:
            return
        if not (_builds_text(value) or type(value) in (ast.Name, ast.Attribute) or _is_getvalue(value)):
            return
        builder = self._builder()
        output = Output(describe(value, self.model), RETURN, emitted=True)
        output.pieces.append((node, self.skeletons.of(value)))
        output.spliced = builder.splicing
        builder.returns.append(output)

    # Deciding --------------------------------------------------------------------

    def finish(self) -> None:
        for builder in self.builders.values():
            found = None
            for output in (*builder.outputs.values(), *builder.returns):
                if not output.emitted or not holds_raw_json(output.text()):
                    continue
                sites = output.sites(set())
                site = min(sites, key=_position) if sites else output.pieces[0][0]
                if found is None or _position(site) < _position(found[0]):
                    found = (site, output)
            if found is not None:
                self.report(found[0], function=builder.name, how=found[1].how())

    # Helpers ---------------------------------------------------------------------

    def _builder(self) -> Builder:
        """The current function's builder, made current, with nothing spliced yet."""
        function = self.model.function
        builder = self.builders.get(function)
        if builder is None:
            owner = self.model.method_class
            name = f"{owner.name}.{function.name}" if owner is not None else function.name
            builder = self.builders[function] = Builder(name)
        builder.splicing = []
        self.builder = builder
        return builder

    def _splice(self, expr: ast.expr, joined: bool) -> str | None:
        """The text built so far by an output of this function that ``expr`` stands for:
        a list being joined, ``stream.getvalue()``, or a string grown with ``+=``."""
        stream = _is_getvalue(expr)
        output = self.builder.outputs.get(_key(expr.func.value if stream else expr))
        if output is None or output.kind != (LIST if joined else STREAM if stream else STRING):
            return None
        self.builder.splicing.append(output)
        return output.text()

    def _add(self, key: str, site: ast.AST, skeleton: str, kind: str | None = None) -> None:
        builder = self.builder
        output = builder.outputs.get(key)
        if output is None:
            output = builder.outputs[key] = Output(key)
        output.pieces.append((site, skeleton))
        output.spliced += builder.splicing
        builder.splicing = []
        if kind is not None and output.kind is None:
            output.kind = kind
            output.emitted = kind != LIST


def _builds_text(value: ast.expr) -> bool:
    """A string literal, an f-string, ``+``/``%``, or a string's ``format``/``join``."""
    kind = type(value)
    if kind is ast.Constant:
        return isinstance(value.value, (str, bytes))
    if kind is ast.JoinedStr:
        return True
    if kind is ast.BinOp:
        return type(value.op) in (ast.Add, ast.Mod)
    return kind is ast.Call and type(value.func) is ast.Attribute and value.func.attr in _STRING_METHODS


def _is_getvalue(expr: ast.expr) -> bool:
    return type(expr) is ast.Call and type(expr.func) is ast.Attribute and expr.func.attr == "getvalue"


def _grown(value: ast.expr, key: str) -> list[ast.expr] | None:
    """The added operands of ``key + a + b``, the right side of ``line = line + ...``."""
    operands = []
    while type(value) is ast.BinOp and type(value.op) is ast.Add:
        operands.append(value.right)
        value = value.left
    if not operands or _key(value) != key:
        return None
    return operands[::-1]


def _key(expr: ast.expr) -> str | None:
    """``parts``, ``self.parts``, ``sys.stdout``: a dotted name, else None."""
    if type(expr) is ast.Name:
        return expr.id
    if type(expr) is ast.Attribute:
        base = _key(expr.value)
        return f"{base}.{expr.attr}" if base is not None else None
    return None


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _shorten(text: str) -> str:
    return text if len(text) <= _NAME_TEXT else text[: _NAME_TEXT - 3] + "..."
