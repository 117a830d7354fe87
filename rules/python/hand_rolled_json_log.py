"""OOM101: a log line or logging format whose JSON text is filled with values not JSON-encoded."""

from __future__ import annotations

import ast
import json
import re

from oomlint.astutil import argument
from oomlint.rule import Rule
from oomlint.semantic import SemanticModel
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
LOGGER_FACTORIES = frozenset({"logging.getLogger", "logging.LoggerAdapter", "logging.Logger"})
LOGGING_MODULE = frozenset({"logging", "logging.root"})
FORMATTER = "logging.Formatter"
BASIC_CONFIG = "logging.basicConfig"
DICT_CONFIG = "logging.config.dictConfig"
CALLS_BY_NAME = frozenset({"print", "Formatter", "basicConfig", "dictConfig"})
ATTRIBUTE_CALLS = LOG_METHODS | {"write", "Formatter", "basicConfig", "dictConfig"}
_DOLLAR_FIELD = re.compile(r"\$(?:(\$)|\w+|\{\w+\})")
_NAME_TEXT = 40


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
    `style="$"`): `logging.Formatter(...)`, `logging.basicConfig(format=...)` and the
    formatters of a `logging.config.dictConfig(...)` dict, written in the call or in a
    variable of the module (formatters with their own class, `"()"` or `"class"`, are
    skipped). A format made by `json.dumps({"msg": "%(message)s"})` counts too: the
    placeholders are filled after the encoding, raw.

    The finding is reported at the call: the log call, `print`/`write`, or the
    `Formatter`/`basicConfig`/`dictConfig` call (its message names the formatter).

    Not flagged: constant JSON text; values that cannot break JSON: `json.dumps(...)`
    output (also simplejson, ujson, orjson, rapidjson), numbers (`%d`, `{:.2f}`,
    `len(...)`, arithmetic); values put in outside quotes (`{"count": %s}`), taken to
    be numbers or JSON already (a wrong guess breaks every line, not a few, and shows
    at once); JSON text outside of which the run-time values sit
    (`'%s: {"retry": true}' % name`); structlog-style key/value calls and `extra=`;
    braces that are not JSON: `f"{x}"`, `"set {a, b}"`, Python dict reprs (single
    quotes, or values put in with `%r`/`!r`), Jinja and Mustache templates (`{{`, `{%`).

    ## Why is this bad?
    A value with a quote, a backslash, a newline or a character the encoder chokes on
    ends the JSON string early or raises half-way, and the line is no longer JSON. This
    is the log-shipper incident: a service's custom logger wrote JSON by hand, an
    exception on characters outside the BMP skipped the closing `}` on 5% of the lines,
    and those malformed lines leaked memory in the fleet's log parser until every
    node's log shipper was OOM-killed. Linters that check logging calls (pylint
    W1201-W1203, flake8-logging LOG011, ruff G00x) look at eager formatting only, not
    inside the string.

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
    None yet.

    ## References
    - [json.dumps](https://docs.python.org/3/library/json.html#json.dumps)
    - [python-json-logger](https://nhairs.github.io/python-json-logger/)
    - [structlog: JSONRenderer](https://www.structlog.org/en/stable/api.html#structlog.processors.JSONRenderer)
    - [logging: LogRecord attributes](https://docs.python.org/3/library/logging.html#logrecord-attributes)
    """

    code = "OOM101"
    symbol = "hand-rolled-json-log"
    summary = "Log line or logging format with JSON text filled by values that are not JSON-encoded"
    message = "{emitter} writes JSON by hand, filled by {how} with values that are not JSON-encoded; use json.dumps or a JSON formatter"

    def __init__(self, context, options):
        super().__init__(context, options)
        self.skeletons = Skeletons(self.model)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if type(func) is ast.Attribute:
            if func.attr not in ATTRIBUTE_CALLS:
                return
            if func.attr in LOG_METHODS and self._is_logger(func.value):
                self._check_log_call(node, func.attr)
                return
        elif type(func) is not ast.Name or func.id not in CALLS_BY_NAME:
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
        if self.model.qualified_name(receiver) in LOGGING_MODULE:
            return True
        origin = self.model.resolve(receiver)
        if type(origin) is ast.Call:
            factory = self.model.qualified_name(origin.func) or ""
            if factory in LOGGER_FACTORIES:
                return True
            if factory.startswith("structlog."):
                return False
        if type(receiver) is ast.Name:
            return _names_a_logger(receiver.id)
        if type(receiver) is ast.Attribute:
            return _names_a_logger(receiver.attr)
        return False

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
            self.report(node, emitter=_call_text(node), how=how)

    def _check_print(self, node: ast.Call) -> None:
        separator = argument(node, None, "sep")
        separator_text = " " if separator is None else self.skeletons.of(separator)
        text = separator_text.join(
            RAW if type(arg) is ast.Starred else self.skeletons.of(arg) for arg in node.args
        )
        if holds_raw_json(text):
            how = describe(node.args[0], self.model) if len(node.args) == 1 else "print's arguments"
            self.report(node, emitter=_call_text(node), how=how)

    def _check_text(self, node: ast.Call, text_expr: ast.expr) -> None:
        if holds_raw_json(self.skeletons.of(text_expr)):
            self.report(node, emitter=_call_text(node), how=describe(text_expr, self.model))

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


def _names_a_logger(name: str) -> bool:
    """``log``, ``logger``, ``LOG``, ``_logger``, ``audit_log``, ``auditLogger``; not ``catalog``."""
    lower = name.lower()
    return lower.endswith("logger") or lower.lstrip("_") == "log" or lower.endswith("_log") or name.endswith("Log")


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
