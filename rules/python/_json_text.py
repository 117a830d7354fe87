"""What text a string expression builds, and whether it is JSON with values put in as is.

Shared by OOM101 (hand-rolled-json-log) and OOM102 (hand-rolled-json-serializer).

An expression is reduced to a *skeleton*: the text it builds, with one marker
character standing for each value known only at run time. The marker says whether that
value can break JSON (``RAW``: a string put in as is, where one quote, backslash or
newline ends the string early) or not (``ENCODED``: `json.dumps` output, a number), or
whether it is a Python repr (``REPR``: the text is Python, not JSON).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable

from oomlint.python.semantic import SemanticModel

RAW = "\x00"
ENCODED = "\x01"
REPR = "\x02"
MARKERS = RAW + ENCODED + REPR

JSON_ENCODERS = frozenset(
    {"json.dumps", "simplejson.dumps", "ujson.dumps", "rapidjson.dumps", "orjson.dumps"}
)
JSON_ENCODER_CLASSES = frozenset({"json.JSONEncoder", "json.encoder.JSONEncoder", "simplejson.JSONEncoder"})
NUMBER_FUNCTIONS = frozenset(
    {"builtins.len", "builtins.int", "builtins.float", "builtins.round"}
    | {f"time.{name}" for name in ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns")}
)
# The process's own output streams: what is written there is a log line (OOM101's).
STREAM_WRITES = frozenset({"sys.stdout.write", "sys.stderr.write"})

# Conversions whose output holds no quote, backslash or control character.
_NUMERIC_CONVERSIONS = frozenset("bdiueEfFgGnoxX%")
_PERCENT_FIELD = re.compile(
    r"%(?:\(([^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d*))?[hlL]?([diouxXeEfFgGcrsa%])"
)
_OPENER = re.compile(r"[{\[]")
# A quoted key right after ``{``, ``[`` or ``,``, followed by ``:``.
_KEY = re.compile(r'[{\[,]\s*"[^"\n]*"\s*:')
_ASSIGNED = re.compile(r"(?<![=!<>])=\s*$")
_KEY_FOLLOWS = re.compile(r"\s*:")
# Words going on after a JSON object or array, on its line: a sentence quoting JSON.
_PROSE_FOLLOWS = re.compile(r"[ \t.,;:!?]*[A-Za-z]")
_FORMATTER = string.Formatter()
_DEPTH = 6

Splice = Callable[[ast.expr, bool], "str | None"]
"""``splice(expr, joined)``: the text ``expr`` stands for (``joined``: as the items of
a ``join``), or None."""


def holds_raw_json(skeleton: str) -> bool:
    """Whether the text opens a JSON object or array (``{``/``[`` ... the matching
    close, or the end) that holds a ``"key":`` pair and, inside a JSON string value, a
    value put in as is. OOM101 (a log line) and OOM102 (a serializer's output) ask
    the same question: both are about documents that a parser will read.

    Only values between quotes count: there the value's content (a quote, a newline, a
    lone surrogate) decides whether the line is JSON. A value put in outside quotes
    (``{"count": %s}``) is taken to be a number or JSON already. Values put in keys do
    not count: keys are field names the program chooses; the data is in the values.
    Python reprs (``%r``) and template languages (``{{``, ``{%``: Jinja, Mustache) are
    not JSON, nor is an object or array the text assigns (``types = {``,
    ``var config = {``): that text is generated code, nor is text that starts with a
    tag (HTML, XML: a page whose JSON-like parts are script). Nor is JSON after which a
    sentence goes on, on its line (``for example {"memory": "%s"}. The setting``): that
    is quoted in a message for people, not a document for a parser.
    """
    if RAW not in skeleton or '"' not in skeleton or "{{" in skeleton or "{%" in skeleton:
        return False
    if skeleton.lstrip().startswith("<"):
        return False  # markup: JSON-like text in a page is script or attribute text
    start = 0
    while True:
        opener = _OPENER.search(skeleton, start)
        if opener is None:
            return False
        end, raw_in_value = _scan(skeleton, opener.start())
        if raw_in_value and not _PROSE_FOLLOWS.match(skeleton, end):
            region = skeleton[opener.start():end]
            if REPR not in region and _KEY.search(region) and not _ASSIGNED.search(skeleton, 0, opener.start()):
                return True
        start = end


def _scan(text: str, start: int) -> tuple[int, bool]:
    """Just past the bracket that closes the one at ``start`` (or the end of the text),
    and whether a ``RAW`` value sits inside a string value (not a key) before it."""
    depth = 0
    in_string = escaped = raw_here = raw_in_value = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                if not _KEY_FOLLOWS.match(text, index + 1):
                    raw_in_value |= raw_here
            elif char == RAW:
                raw_here = True
        elif char == '"':
            in_string, raw_here = True, False
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1, raw_in_value
    return len(text), raw_in_value or (in_string and raw_here)


def has_text(skeleton: str) -> bool:
    """Whether the skeleton has literal text, not only run-time values."""
    return bool(skeleton.strip(MARKERS))


def fill_percent(
    text: str,
    positional: list[ast.expr] | None,
    mapping: dict[str, ast.expr] | None,
    value_of: Callable[[ast.expr], str] | None = None,
) -> str:
    """``text % values``: each ``%`` field replaced by its value's skeleton.

    ``positional``/``mapping`` are the values when they are known; unknown values are ``RAW``.
    """
    if "%" not in text:
        return text
    parts = []
    last = index = 0
    for field in _PERCENT_FIELD.finditer(text):
        parts.append(text[last:field.start()])
        last = field.end()
        key, conversion = field.groups()
        if conversion == "%":
            parts.append("%")
            continue
        if key is None:
            value = positional[index] if positional is not None and index < len(positional) else None
            index += 1
        else:
            value = mapping.get(key) if mapping is not None else None
        parts.append(_field(value, conversion, value_of))
    parts.append(text[last:])
    return "".join(parts)


def fill_braces(
    text: str,
    positional: list[ast.expr] | None,
    keywords: dict[str, ast.expr] | None,
    value_of: Callable[[ast.expr], str] | None = None,
) -> str:
    """``text.format(...)``: each ``{field}`` replaced by its value's skeleton."""
    if "{" not in text and "}" not in text:
        return text
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError:
        return RAW
    parts = []
    automatic = 0
    for literal, name, spec, conversion in parsed:
        parts.append(literal)
        if name is None:
            continue
        head = re.match(r"[^.\[]*", name).group()
        if head == "":
            head = str(automatic)
            automatic += 1
        if head.isdigit():
            number = int(head)
            value = positional[number] if positional is not None and number < len(positional) else None
        else:
            value = keywords.get(head) if keywords is not None else None
        if len(head) < len(name):  # ``{user.name}``, ``{row[0]}``: some part of the value
            value = None
        kind = "r" if conversion in ("r", "a") else (spec[-1:] if spec and "{" not in spec else "s")
        parts.append(_field(value, kind, value_of))
    return "".join(parts)


def _field(value: ast.expr | None, conversion: str, value_of: Callable[[ast.expr], str] | None) -> str:
    if conversion in ("r", "a"):
        return REPR
    if conversion in _NUMERIC_CONVERSIONS:
        return ENCODED
    if value is None or value_of is None:
        return RAW
    return value_of(value)


class Skeletons:
    """Skeletons of string expressions, as seen from the model's current scope.

    Names and ``self.<attr>`` are followed to what they were assigned. ``splice``, when
    given, is asked first about every expression: it may stand for text the caller has
    collected itself (a string accumulated with ``+=``, a list joined later).
    """

    def __init__(self, model: SemanticModel, splice: Splice | None = None):
        self.model = model
        self.splice = splice

    def of(self, expr: ast.expr, depth: int = 0) -> str:
        if self.splice is not None:
            spliced = self.splice(expr, False)
            if spliced is not None:
                return spliced
        kind = type(expr)
        if kind is ast.Constant:
            return _constant(expr.value)
        if depth >= _DEPTH:
            return RAW
        if kind is ast.JoinedStr:
            return "".join(self._formatted(value, depth) for value in expr.values)
        if kind is ast.BinOp:
            return self._operation(expr, depth)
        if kind is ast.Call:
            return self._call(expr, depth)
        if kind is ast.IfExp:
            # Either branch may be taken: keep the text of both.
            return self.of(expr.body, depth + 1) + self.of(expr.orelse, depth + 1)
        if kind is ast.Attribute and self._reassigned(expr):
            return RAW
        if kind is ast.Name or kind is ast.Attribute:
            origin = self.model.resolve(expr)
            if origin is not expr:
                return self.of(origin, depth + 1)
        return RAW

    def _reassigned(self, expr: ast.Attribute) -> bool:
        """``self.<attr>`` that the class assigns in more than one place: the model follows
        it to the first assignment (``self.output = ''`` in ``__init__``), a placeholder
        for what the other methods store there at run time."""
        owner = self.model.method_class
        if owner is None or not self.model.is_self(expr.value):
            return False
        return len(self.model.attribute_stores(owner, expr.attr)) > 1

    def _formatted(self, value: ast.expr, depth: int) -> str:
        if type(value) is ast.Constant:
            return _constant(value.value)
        conversion = "r" if value.conversion in (ord("r"), ord("a")) else "s"
        spec = value.format_spec
        if conversion == "s" and spec is not None and all(type(part) is ast.Constant for part in spec.values):
            conversion = "".join(part.value for part in spec.values)[-1:] or conversion
        return _field(value.value, conversion, lambda inner: self.of(inner, depth + 1))

    def _operation(self, expr: ast.BinOp, depth: int) -> str:
        op = type(expr.op)
        if op is ast.Add:
            operands = []
            node: ast.expr = expr
            while type(node) is ast.BinOp and type(node.op) is ast.Add:
                operands.append(node.right)
                node = node.left
            operands.append(node)
            return "".join(self.of(operand, depth + 1) for operand in reversed(operands))
        if op is ast.Mod:
            template = self.of(expr.left, depth + 1)
            if not has_text(template):
                return RAW
            values = expr.right
            if type(values) is ast.Tuple:
                positional = None if any(type(item) is ast.Starred for item in values.elts) else values.elts
                return fill_percent(template, positional, None, self._value_of(depth))
            if type(values) is ast.Dict:
                return fill_percent(template, None, literal_keys(values), self._value_of(depth))
            return fill_percent(template, [values], None, self._value_of(depth))
        return ENCODED  # arithmetic: a number

    def _call(self, call: ast.Call, depth: int) -> str:
        func = call.func
        name = self.model.qualified_name(func)
        if name in JSON_ENCODERS or name in NUMBER_FUNCTIONS:
            return ENCODED
        if name == "builtins.repr":
            return REPR
        if name == "builtins.str" and len(call.args) == 1 and not call.keywords:
            return self.of(call.args[0], depth + 1)
        if type(func) is not ast.Attribute:
            return RAW
        method = func.attr
        if method == "decode":  # orjson.dumps(value).decode()
            return self.of(func.value, depth + 1)
        if method == "encode":  # json.JSONEncoder().encode(value)
            origin = self.model.resolve(func.value)
            if type(origin) is ast.Call and self.model.qualified_name(origin.func) in JSON_ENCODER_CLASSES:
                return ENCODED
            return RAW
        if method not in ("format", "format_map", "join"):
            return RAW
        text = self.of(func.value, depth + 1)
        if not has_text(text) and not _is_string(self.model.resolve(func.value)):
            return RAW  # not a string's method: ``os.path.join``, ``Formatter.format``
        if method == "format":
            positional = None if any(type(arg) is ast.Starred for arg in call.args) else call.args
            return fill_braces(text, positional, _keywords(call), self._value_of(depth))
        if method == "format_map":
            return fill_braces(text, None, None)
        if len(call.args) != 1 or call.keywords:
            return RAW
        return self._join(text, call.args[0], depth)

    def _join(self, separator: str, items: ast.expr, depth: int) -> str:
        if self.splice is not None:
            spliced = self.splice(items, True)
            if spliced is not None:
                return spliced + separator
        items = self.model.resolve(items)
        kind = type(items)
        if kind in (ast.List, ast.Tuple, ast.Set):
            return separator.join(self.of(item, depth + 1) for item in items.elts)
        if kind in (ast.ListComp, ast.GeneratorExp, ast.SetComp):
            return self.of(items.elt, depth + 1) + separator
        return RAW

    def _value_of(self, depth: int) -> Callable[[ast.expr], str]:
        return lambda value: self.of(value, depth + 1)


def _constant(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return ENCODED  # numbers, True, None: not run-time values


def _is_string(expr: ast.AST) -> bool:
    return type(expr) is ast.Constant and isinstance(expr.value, (str, bytes))


def literal_keys(mapping: ast.Dict) -> dict[str, ast.expr] | None:
    """The entries of a dict display with string keys; None when ``**`` hides some."""
    entries = {}
    for key, value in zip(mapping.keys, mapping.values):
        if key is None:
            return None
        if type(key) is ast.Constant and isinstance(key.value, str):
            entries[key.value] = value
    return entries


def _keywords(call: ast.Call) -> dict[str, ast.expr] | None:
    if any(item.arg is None for item in call.keywords):
        return None
    return {item.arg: item.value for item in call.keywords}


def describe(expr: ast.expr, model: SemanticModel) -> str:
    """How an expression builds its text, in words for a message."""
    expr = model.resolve(expr)
    kind = type(expr)
    if kind is ast.JoinedStr:
        return "an f-string"
    if kind is ast.BinOp:
        return "%-formatting" if type(expr.op) is ast.Mod else "concatenation"
    if kind is ast.Call and type(expr.func) is ast.Attribute:
        if expr.func.attr in ("format", "format_map"):
            return "str.format"
        if expr.func.attr == "join":
            return "str.join"
    return "interpolation"
