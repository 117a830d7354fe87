"""OOM101: a log line or logging format whose JSON text is filled with values not JSON-encoded."""

from __future__ import annotations

import ast
import io
import json
import math
import re
import string
import tokenize
from typing import NamedTuple

from oomlint.python.astutil import argument
from oomlint.core.rule import Rule
from oomlint.python.semantic import SemanticModel
from oomlint.python.parsing import parse
from oomlint.rules.python._json_text import (
    JSON_ENCODERS,
    RAW,
    STREAM_WRITES,
    Skeletons,
    describe,
    literal_keys,
    fill_braces,
    fill_percent,
    holds_raw_json,
)

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
FORMATTER = "logging.Formatter"
BASIC_CONFIG = "logging.basicConfig"
DICT_CONFIG = "logging.config.dictConfig"
CALLS_BY_NAME = frozenset({"print", "Formatter", "basicConfig", "dictConfig"})
ATTRIBUTE_CALLS = LOG_METHODS | {"write", "Formatter", "basicConfig", "dictConfig"}
_DOLLAR_FIELD = re.compile(r"\$(?:(\$)|\w+|\{\w+\})")
_NAME_TEXT = 40
# ``%`` then one character: ``%s``, ``%%``, or a form the fix leaves alone (``%r``, ``%5s``, ``%(user)s``).
_PERCENT = re.compile(r"%(.?)", re.DOTALL)
_PERCENT_VALUES = frozenset("sdi")
_FORMATTER = string.Formatter()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON = json.JSONDecoder()
_LINE_ENDS = frozenset({"", "\n", "\r\n"})
# Expressions that need parentheses as the value of a dict display.
_PARENTHESIZED = (ast.Tuple, ast.NamedExpr, ast.Yield, ast.YieldFrom)


class HandRolledJsonLog(Rule):
    """
    ## What it does
    Flags a call that emits a log line whose JSON-shaped text (it opens an object `{`
    or array `[` and holds a `"key":` pair) has run-time values put inside its strings
    without JSON encoding (`"user": "%s"`). The calls are:
    - logger calls (`debug`, `info`, `warning`, `warn`, `error`, `exception`,
      `critical`, `fatal`, `log`) on the `logging` module, on loggers from
      `logging.getLogger` (also through a name or a `self.<attr>` assigned from one),
      and on names that say they are loggers: `log`, `logger`, `LOG`, `_logger`,
      `audit_log`, `auditLogger` (but not `catalog` or `dialog`). structlog loggers are
      left alone: structlog renders the event itself;
    - `print(...)`, `sys.stdout.write(...)`, `sys.stderr.write(...)`.

    The text may be built with an f-string, `%`, `str.format`, `+` or `"".join(...)`,
    directly or through a variable, or left to logging's own lazy `%`-formatting:
    `logger.info('{"user": "%s"}', user)` fills `%s` unescaped.

    It also flags logging configuration whose format string is JSON-shaped and holds
    record placeholders (`%(message)s`, `{message}` with `style="{"`, `$message` with
    `style="$"`): `logging.Formatter(...)` and the module's own subclasses of it that
    keep its `__init__`, `logging.basicConfig(format=...)` and the formatters of a
    `logging.config.dictConfig(...)` dict, written in the call or in a variable of the
    module (formatters with their own class, `"()"` or `"class"`, are skipped). A format made by `json.dumps({"msg": "%(message)s"})` counts too: the
    placeholders are filled after the encoding, raw.

    The finding is reported at the call: the log call, `print`/`write`, or the
    `Formatter`/`basicConfig`/`dictConfig` call (its message names the formatter).

    ## Why is this bad?
    A value with a quote, a backslash, a newline or a character the encoder chokes on
    ends the JSON string early or raises half-way, and the line is no longer JSON. This
    is the log-shipper incident: a service's custom logger wrote JSON by hand, an
    exception on characters outside the BMP skipped the closing `}` on 5% of the lines,
    and those malformed lines leaked memory in the fleet's log parser until every
    node's log shipper was OOM-killed.

    ## Known limits
    Not flagged: constant JSON text; values that cannot break JSON: `json.dumps(...)`
    output (also simplejson, ujson, orjson, rapidjson), numbers (`%d`, `{:.2f}`,
    `len(...)`, arithmetic); values put in outside quotes (`{"count": %s}`), taken to
    be numbers or JSON already (a wrong guess breaks every line, not a few, and shows
    at once); values put in keys only (`'{"%s": %s}' % (name, json.dumps(value))`:
    keys are field names the program chooses, the values carry the data); JSON text
    outside of which the run-time values sit (`'%s: {"retry": true}' % name`); JSON
    quoted in a sentence that goes on after the closing bracket on the same line
    (`'set it as {"memory": "%s"}. The setting ...'`: a message for people, not a
    document for a parser); an object the text assigns (`var config = {...}`:
    generated code); structlog-style key/value calls and `extra=`; braces that are not
    JSON: `f"{x}"`, `"set {a, b}"`, Python dict reprs (single quotes, or values put in
    with `%r`/`!r`), Jinja and Mustache templates (`{{`, `{%`). OOM102 reads JSON text
    by the same rules.

    ## Example
    ```python
    import logging

    logger = logging.getLogger(__name__)

    def login(user, ip):
        logger.info(f'{{"event": "login", "user": "{user}", "ip": "{ip}"}}')
        logger.info('{"event": "login", "user": "%s"}', user)

    logging.basicConfig(format='{"level": "%(levelname)s", "msg": "%(message)s"}')
    ```

    ## Use instead
    ```python
    import json
    import logging

    from pythonjsonlogger.json import JsonFormatter

    logger = logging.getLogger(__name__)

    def login(user, ip):
        logger.info(json.dumps({"event": "login", "user": user, "ip": ip}))
        logger.info("login", extra={"user": user, "ip": ip})

    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter("%(levelname)s %(message)s"))
    logging.basicConfig(handlers=[handler])
    ```
    or structlog with `structlog.processors.JSONRenderer()`.

    ## Options
    None.

    ## Fix
    Unsafe (`oomlint fix --unsafe-fixes`): the message becomes
    `json.dumps({"event": "login", "user": user})`, adding `import json`, when it is
    written in the call as an f-string, `"..." % value`, `"..." % (values)`,
    `"...".format(...)` or logging's lazy `logger.info("...", values)` (the rewrite
    uses up those arguments), and its text is exactly one JSON object with constant
    keys, nested objects too. Each value must be a whole placeholder (`"%s"`,
    `"{user}"`, or unquoted `%d`, `{n}`), which becomes its expression, or a JSON
    constant, which becomes the Python constant. Other arguments (`exc_info=`,
    `extra=`, `file=`) are kept; a line break after the object (a JSON line written
    to a stream) stays, as `json.dumps(...) + "\\n"`. Left alone: a placeholder inside
    a longer string (`"user-%s"`), other text outside the object, arrays,
    conversions and format specs (`!r`, `%5s`, `{:>8}`), `%(name)s`, `*args`, a value
    used twice, duplicate keys, a message built elsewhere or with `+` or `join`, a
    rewrite that would drop a comment, the logging configuration findings, and modules
    where `json` names something else.

    Unsafe because the line changes: json.dumps escapes what the template did not and
    writes its own spacing (`", "`, `": "`); values that are not strings are encoded
    as JSON (`5`, not `"5"`; a dict becomes an object; a value json.dumps cannot
    encode raises); the message is formatted when the call runs, not when (or whether)
    the record is emitted; `.format` keywords are evaluated in the order of the keys.

    ## References
    - [json.dumps](https://docs.python.org/3/library/json.html#json.dumps)
    - [python-json-logger](https://nhairs.github.io/python-json-logger/)
    - [structlog: JSONRenderer](https://www.structlog.org/en/stable/api.html#structlog.processors.JSONRenderer)
    - [logging: LogRecord attributes](https://docs.python.org/3/library/logging.html#logrecord-attributes)
    """

    code = "OOM101"
    required_text = tuple(sorted(CALLS_BY_NAME | ATTRIBUTE_CALLS))  # the calls it checks
    symbol = "hand-rolled-json-log"
    fixes = "unsafe"
    summary = "Log line or logging format with JSON text filled by values that are not JSON-encoded"
    message = "{emitter} writes JSON by hand, filled by {how} with values that are not JSON-encoded; use json.dumps or a JSON formatter"

    def __init__(self, context, options):
        super().__init__(context, options)
        self.skeletons = Skeletons(self.model)
        self.formatter_classes: dict[str, list[ast.ClassDef]] = {}
        """The module's subclasses of ``logging.Formatter`` that keep its ``__init__``, by name."""

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        keeps_init = not any(
            isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "__init__" for item in node.body
        )
        if keeps_init and any(self._formatter_class(base) for base in node.bases):
            self.formatter_classes.setdefault(node.name, []).append(node)

    def _formatter_class(self, expr: ast.expr) -> bool:
        """``logging.Formatter``, or one of the module's subclasses of it that keep its ``__init__``."""
        if type(expr) is ast.Name and expr.id in self.formatter_classes:
            binding = self.model.lookup(expr.id)
            return binding is not None and binding.node in self.formatter_classes[expr.id]
        return self.model.qualified_name(expr) == FORMATTER

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if type(func) is ast.Attribute:
            if func.attr not in ATTRIBUTE_CALLS:
                return
            if func.attr in LOG_METHODS and self._is_logger(func.value):
                self._check_log_call(node, func.attr)
                return
        elif type(func) is not ast.Name or func.id not in CALLS_BY_NAME:
            if type(func) is ast.Name and func.id in self.formatter_classes and self._formatter_class(func):
                self._check_format(node, argument(node, 0, "fmt"), argument(node, 2, "style"), "")
            return
        name = self.model.qualified_name(func)
        if name == "builtins.print":
            self._check_print(node)
        elif name in STREAM_WRITES and len(node.args) == 1:
            self._check_text(node, node.args[0])
        elif name == FORMATTER:
            self._check_format(node, argument(node, 0, "fmt"), argument(node, 2, "style"), "")
        elif name == BASIC_CONFIG:
            self._check_format(node, argument(node, None, "format"), argument(node, None, "style"), "")
        elif name == DICT_CONFIG:
            self._check_dict_config(node)

    def _is_logger(self, receiver: ast.expr) -> bool:
        """A logger, but not structlog's: structlog renders the event itself."""
        origin = self.model.logger_origin(receiver)
        return origin is not None and not origin.startswith("structlog.")

    def _check_log_call(self, node: ast.Call, method: str) -> None:
        position = 1 if method == "log" else 0
        if len(node.args) <= position or any(type(arg) is ast.Starred for arg in node.args[: position + 1]):
            return
        message = node.args[position]
        values = node.args[position + 1:]
        text = self.skeletons.of(message)
        how = describe(message, self.model)
        if values:
            # logging runs ``msg % args``; one mapping argument fills ``%(name)s``.
            if len(values) == 1 and type(values[0]) is ast.Dict:
                text = fill_percent(text, None, literal_keys(values[0]), self.skeletons.of)
            else:
                positional = None if any(type(value) is ast.Starred for value in values) else values
                text = fill_percent(text, positional, None, self.skeletons.of)
            if type(self.model.resolve(message)) is ast.Constant:
                how = "logging's %-formatting of the arguments"
        if holds_raw_json(text):
            self.report(node, fix=self._fix(node), emitter=_call_text(node), how=how)

    def _check_print(self, node: ast.Call) -> None:
        separator = argument(node, None, "sep")
        separator_text = " " if separator is None else self.skeletons.of(separator)
        text = separator_text.join(
            RAW if type(arg) is ast.Starred else self.skeletons.of(arg) for arg in node.args
        )
        if holds_raw_json(text):
            how = describe(node.args[0], self.model) if len(node.args) == 1 else "print's arguments"
            self.report(node, fix=self._fix(node), emitter=_call_text(node), how=how)

    def _check_text(self, node: ast.Call, text_expr: ast.expr) -> None:
        if holds_raw_json(self.skeletons.of(text_expr)):
            self.report(node, fix=self._fix(node), emitter=_call_text(node), how=describe(text_expr, self.model))

    def _fix(self, node: ast.Call) -> str | None:
        """``"unsafe"`` when :meth:`fix` rewrites this call's message (and ``json`` is free
        to name the module)."""
        binding = self.model.lookup("json")
        if binding is not None and (binding.kind != "import" or binding.qualname != "json"):
            return None
        return self.fixes if _rewrite(self._code(node)) is not None else None

    def _code(self, node: ast.Call) -> str:
        """The call's source, cut from the file's lines (``ast.get_source_segment`` would
        split the whole file again for each finding)."""
        lines = [line.encode("utf-8") for line in self.context.lines[node.lineno - 1 : node.end_lineno]]
        lines[-1] = lines[-1][: node.end_col_offset]  # ast columns count UTF-8 bytes
        lines[0] = lines[0][node.col_offset :]
        return b"\n".join(lines).decode("utf-8")

    @classmethod
    def fix(cls, node, options, context, hint=None):
        """The message becomes ``json.dumps({...})``: :func:`_rewrite` of the call's code,
        as :meth:`_fix` saw it."""
        import libcst as cst
        from libcst.codemod.visitors import AddImportsVisitor

        rewrite = _rewrite(cst.Module(body=[]).code_for_node(node)) if isinstance(node, cst.Call) else None
        if rewrite is None:
            return None
        AddImportsVisitor.add_needed_import(context, "json")
        dumps = cst.parse_expression(rewrite.message)
        first, last = rewrite.position, rewrite.position + rewrite.consumed
        # The message takes the place, and the comma, of the last argument it consumes.
        message = node.args[first].with_changes(
            value=dumps, comma=node.args[last].comma, whitespace_after_arg=node.args[last].whitespace_after_arg
        )
        return node.with_changes(args=[*node.args[:first], message, *node.args[last + 1:]])

    def _check_format(self, node: ast.Call, fmt: ast.expr | None, style: ast.expr | None, formatter: str) -> bool:
        """Report a JSON-shaped logging format with record placeholders."""
        if fmt is None or not holds_raw_json(self._format_skeleton(fmt, style)):
            return False
        self.report(node, emitter=_call_text(node) + formatter, how="record placeholders")
        return True

    def _format_skeleton(self, fmt: ast.expr, style: ast.expr | None) -> str:
        text = _encoded_constant(self.model, fmt)
        if text is None:
            text = self.skeletons.of(fmt)
        style_text = style.value if type(style) is ast.Constant else "%"
        if style_text == "{":
            return fill_braces(text, None, None)
        if style_text == "$":
            return _DOLLAR_FIELD.sub(lambda field: "$" if field.group(1) else RAW, text)
        return fill_percent(text, None, None)

    def _check_dict_config(self, node: ast.Call) -> None:
        config = argument(node, 0, "config")
        formatters = _entry(self.model.resolve(config), "formatters") if config is not None else None
        formatters = self.model.resolve(formatters) if formatters is not None else None
        if type(formatters) is not ast.Dict:
            return
        for key, value in zip(formatters.keys, formatters.values):
            settings = self.model.resolve(value)
            if key is None or type(settings) is not ast.Dict or not _plain_formatter(settings):
                continue  # ``**defaults`` holds no formatter of its own
            name = key.value if type(key) is ast.Constant else ast.unparse(key)
            fmt, style = _entry(settings, "format"), _entry(settings, "style")
            if self._check_format(node, fmt, style, f" formatter {name!r}"):
                return  # one finding per call


def _encoded_constant(model: SemanticModel, expr: ast.expr) -> str | None:
    """The text of ``json.dumps({"msg": "%(message)s"})``: JSON around placeholders that
    logging fills later, unescaped."""
    origin = model.resolve(expr)
    if type(origin) is not ast.Call or model.qualified_name(origin.func) not in JSON_ENCODERS or len(origin.args) != 1:
        return None
    try:
        return json.dumps(ast.literal_eval(model.resolve(origin.args[0])))
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None


def _entry(mapping: ast.AST | None, key: str) -> ast.expr | None:
    """The value of a constant key in a dict display."""
    if type(mapping) is not ast.Dict:
        return None
    for item, value in zip(mapping.keys, mapping.values):
        if type(item) is ast.Constant and item.value == key:
            return value
    return None


def _plain_formatter(settings: ast.Dict) -> bool:
    """A dictConfig formatter made by ``logging.Formatter`` itself, not a custom class."""
    if _entry(settings, "()") is not None:
        return False
    factory = _entry(settings, "class")
    return factory is None or (type(factory) is ast.Constant and factory.value == FORMATTER)


def _call_text(node: ast.Call) -> str:
    text = ast.unparse(node.func)
    return (text if len(text) <= _NAME_TEXT else text[: _NAME_TEXT - 3] + "...") + "()"


class _Rewrite(NamedTuple):
    """How a call's message becomes ``json.dumps({...})``."""

    position: int
    """The message argument."""
    consumed: int
    """The lazy arguments after it, which the new message uses up."""
    message: str
    """The new message's code."""


def _rewrite(code: str) -> _Rewrite | None:
    """The rewrite of a reported logger, ``print`` or ``write`` call, from its ``code``;
    None when the message is not written in the call as exactly one JSON object with
    constant keys, each value a whole placeholder or a JSON constant, or when the
    rewrite would drop a comment.

    The rule and the fix both ask, from the same code: a finding is reported fixable
    exactly when the fix will be made.
    """
    try:
        call = parse(code, mode="eval").body
        func = call.func
        lazy = type(func) is ast.Attribute and func.attr in LOG_METHODS
        position = 1 if lazy and func.attr == "log" else 0
        if len(call.args) <= position or any(type(arg) is ast.Starred for arg in call.args):
            return None
        message, extra = call.args[position], call.args[position + 1:]
        if extra and not lazy:
            return None  # ``print(a, b)``: the line is not one message
        template = _placeholders(message, extra)
        document = _json_object(*template) if template is not None else None
        if document is None or _drops_a_comment(code, message, call.args[position + len(extra)], template[1]):
            return None
        entries, line_end = document
        new_line = f" + {_string_literal(line_end)}" if line_end else ""
        return _Rewrite(position, len(extra), f"json.dumps({_render(entries, code)}){new_line}")
    except (SyntaxError, ValueError, RecursionError):
        return None


def _drops_a_comment(code: str, first: ast.expr, last: ast.expr, kept: list[ast.expr]) -> bool:
    """Whether a comment sits in the code the rewrite replaces (from ``first`` to ``last``)
    outside the expressions it keeps."""
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            where = (token.start[0], len(token.line[: token.start[1]].encode("utf-8")))  # ast counts bytes
            if _within(where, first, last) and not any(_within(where, value, value) for value in kept):
                return True
    return False


def _within(where: tuple[int, int], first: ast.expr, last: ast.expr) -> bool:
    return (first.lineno, first.col_offset) <= where < (last.end_lineno, last.end_col_offset)


def _placeholders(message: ast.expr, lazy: list[ast.expr]) -> tuple[str, list[ast.expr]] | None:
    """The message's text with ``RAW`` for each placeholder, and the expressions that fill
    them, in order; None when a placeholder formats its value (``!r``, ``%5s``, ``{:>8}``)
    or a value is not used exactly once."""
    if lazy:
        return _percent(message.value, lazy) if _is_text(message) else None
    if type(message) is ast.JoinedStr:
        parts, values = [], []
        for part in message.values:
            if type(part) is ast.Constant:
                parts.append(part.value)
            elif part.conversion == -1 and part.format_spec is None:
                parts.append(RAW)
                values.append(part.value)
            else:
                return None
        return "".join(parts), values
    if type(message) is ast.BinOp and type(message.op) is ast.Mod and _is_text(message.left):
        values = message.right.elts if type(message.right) is ast.Tuple else [message.right]
        return _percent(message.left.value, values)
    if type(message) is ast.Call and type(message.func) is ast.Attribute and message.func.attr == "format":
        if _is_text(message.func.value):
            return _braces(message.func.value.value, message.args, message.keywords)
    return None


def _is_text(expr: ast.expr) -> bool:
    return type(expr) is ast.Constant and type(expr.value) is str


def _percent(text: str, values: list[ast.expr]) -> tuple[str, list[ast.expr]] | None:
    """``text % values`` with ``%s``, ``%d``, ``%i`` and ``%%`` only."""
    if any(type(value) is ast.Starred for value in values):
        return None
    pieces = _PERCENT.split(text)  # text, conversion, text, ...
    parts, fields = [pieces[0]], 0
    for conversion, literal in zip(pieces[1::2], pieces[2::2]):
        if conversion == "%":
            parts.append("%")
        elif conversion in _PERCENT_VALUES:
            parts.append(RAW)
            fields += 1
        else:
            return None
        parts.append(literal)
    return ("".join(parts), values) if fields == len(values) else None


def _braces(text: str, args: list[ast.expr], keywords: list[ast.keyword]) -> tuple[str, list[ast.expr]] | None:
    """``text.format(...)`` with plain ``{}``, ``{0}`` and ``{name}`` fields."""
    if any(type(arg) is ast.Starred for arg in args) or any(item.arg is None for item in keywords):
        return None
    given: dict[int | str, ast.expr] = dict(enumerate(args)) | {item.arg: item.value for item in keywords}
    try:
        fields = list(_FORMATTER.parse(text))
    except ValueError:
        return None
    parts, used, automatic = [], [], 0
    for literal, name, spec, conversion in fields:
        parts.append(literal)
        if name is None:
            continue
        if spec or conversion or not (name == "" or name.isdigit() or name.isidentifier()):
            return None
        if name == "":
            name, automatic = str(automatic), automatic + 1
        parts.append(RAW)
        used.append(int(name) if name.isdigit() else name)
    if len(used) != len(given) or set(used) != set(given):
        return None  # an argument left out, or used twice (the rewrite would run it twice)
    return "".join(parts), [given[key] for key in used]


def _json_object(text: str, values: list[ast.expr]) -> tuple[list, str] | None:
    """The entries of the JSON object that is the whole ``text`` (but for a line break
    ending a JSON line), each ``RAW`` marker filled from ``values`` in order, and that
    line break; None (or ``ValueError``) when the text is anything else."""
    if text.count(RAW) != len(values):
        return None  # the message's own text holds the marker
    entries, end = _object(text, 0, iter(values))
    return (entries, text[end:]) if text[end:] in _LINE_ENDS else None


def _object(text: str, index: int, values) -> tuple[list, int]:
    """The entries of the object opening at ``index``, and the index just past it;
    ``ValueError`` when it is not one that the fix rewrites."""
    if not text.startswith("{", index):
        raise ValueError("not an object")
    entries, keys = [], set()
    index = _JSON_SPACE.match(text, index + 1).end()
    if text.startswith("}", index):
        return entries, index + 1
    while True:
        if not text.startswith('"', index):
            raise ValueError("not a key")
        key, index = _JSON.raw_decode(text, index)  # a marker in a string is not JSON
        if key in keys:
            raise ValueError("duplicate key")
        keys.add(key)
        index = _JSON_SPACE.match(text, index).end()
        if not text.startswith(":", index):
            raise ValueError("no colon")
        value, index = _value(text, _JSON_SPACE.match(text, index + 1).end(), values)
        entries.append((key, value))
        index = _JSON_SPACE.match(text, index).end()
        if text.startswith("}", index):
            return entries, index + 1
        if not text.startswith(",", index):
            raise ValueError("no comma")
        index = _JSON_SPACE.match(text, index + 1).end()


def _value(text: str, index: int, values) -> tuple[object, int]:
    """A whole placeholder (its expression), a nested object (its entries) or a JSON
    constant (its Python source), and the index just past it."""
    if text.startswith(RAW, index):
        return next(values), index + 1
    if text.startswith(f'"{RAW}"', index):
        return next(values), index + 3
    if text.startswith("{", index):
        return _object(text, index, values)
    value, end = _JSON.raw_decode(text, index)
    if type(value) is str:
        return _string_literal(value), end
    if value is None or type(value) is bool:
        return repr(value), end
    if type(value) in (int, float) and math.isfinite(value):
        return text[index:end], end  # JSON's number is Python's
    raise ValueError("an array, NaN or Infinity")


def _render(entries: list, code: str) -> str:
    """The dict display of an object's entries; placeholders are written as in ``code``."""
    items = []
    for key, value in entries:
        if type(value) is list:
            value = _render(value, code)
        elif isinstance(value, ast.expr):
            value = _source(value, code)
        items.append(f"{_string_literal(key)}: {value}")
    return "{" + ", ".join(items) + "}"


def _source(expr: ast.expr, code: str) -> str:
    segment = ast.get_source_segment(code, expr)
    # Before Python 3.12, positions inside f-strings were not always right: check them.
    if segment is None or ast.dump(parse(f"({segment})", mode="eval").body) != ast.dump(expr):
        raise ValueError(f"no source for a placeholder of {code!r}")
    return f"({segment})" if isinstance(expr, _PARENTHESIZED) else segment


def _string_literal(text: str) -> str:
    """``text`` as a double-quoted Python string, characters that do not print escaped."""
    return '"' + "".join('\\"' if char == '"' else repr(char)[1:-1] for char in text) + '"'
