"""pylint host: one raw-file checker that runs the engine on the module's source.

pylint keeps its own machinery: messages ``W71xy`` named by the rule symbols,
``# pylint: disable=<symbol>``, ``--enable``/``--disable``; rule options appear as
``--<code>-<option>`` and override ``[tool.oomlint]``. Only rules whose message is
enabled run, and the only extra work over pylint's own is one ``ast.parse``.
Kubernetes rules never run here (``rules_for`` gives a Python file Python rules only);
their messages and options are still declared, so that their ids stay reserved and
naming them in a pylintrc shared with the CLI is no error.
"""

from __future__ import annotations

from astroid import nodes
from pylint.checkers import BaseRawFileChecker

from oomlint.core.config import SECTION, ConfigError, find_config
from oomlint.core.findings import DIAGNOSTICS, TOO_LARGE
from oomlint.core.rule import Option, Rule, all_rules
from oomlint.core.source import NotRead, read_limited
from oomlint.engine import check_bytes
from oomlint.python.project import settle_indexes

_PYLINT_TYPES = {bool: "yn", int: "int", str: "string", tuple: "csv"}
# OOM006 as the rules' ids go (OOM301 -> W7131); pylint reports the other diagnostics itself.
_TOO_LARGE_ID = "W7106"


def _pylint_option(rule: type[Rule], option: Option) -> tuple[str, dict]:
    kind = _PYLINT_TYPES[type(option.default)]
    return (
        f"{rule.code.lower()}-{option.name}",
        {
            "default": None,
            "type": kind,
            "metavar": "<value>" if kind != "csv" else "<comma-separated values>",
            "help": f"{option.help} ({rule.code}; default from [tool.oomlint.{rule.code}], else {option.default!r})",
        },
    )


class OomlintChecker(BaseRawFileChecker):
    name = "oomlint"
    msgs = {
        rule.pylint_id(): ("%s", rule.symbol, f"{rule.summary} ({rule.code}; see 'oomlint rule {rule.code}').")
        for rule in all_rules()
    } | {
        _TOO_LARGE_ID: (
            "%s",
            DIAGNOSTICS[TOO_LARGE],
            f"File larger than max-file-size in [{SECTION}], left unchecked ({TOO_LARGE}).",
        )
    }
    options = tuple(
        _pylint_option(rule, option) for rule in all_rules() if rule.language == "python" for option in rule.options
    )

    def open(self) -> None:
        self._config_errors: set[str] = set()
        settle_indexes()

    def process_module(self, node: nodes.Module) -> None:
        path = node.file or node.name
        try:
            config = find_config(path)
        except ConfigError as error:
            self._report_config_error(str(error))
            return
        rules = tuple(
            (rule, self._options(rule, options))
            for rule, options in config.rules_for(path)
            if self.linter.is_message_enabled(rule.pylint_id())
        )
        if not rules:
            return
        try:
            with node.stream() as stream:
                data = read_limited(stream, config.max_file_size)
        except NotRead as error:
            findings = [error.finding(path)]
        else:
            findings = check_bytes(data, path, rules)
        for finding in findings:
            if finding.code in DIAGNOSTICS and finding.code != TOO_LARGE:  # pylint reports unparsable files itself
                continue
            self.add_message(
                finding.symbol,
                line=finding.line,
                col_offset=finding.column - 1,
                end_lineno=finding.end_line,
                end_col_offset=finding.end_column - 1,
                args=(finding.message,),
            )

    def _report_config_error(self, error: str) -> None:
        """pylint's own fatal message for a bad configuration, once per error and process:
        the exit code then has pylint's fatal bit (1), where findings are warnings (4)."""
        if error not in self._config_errors:
            self._config_errors.add(error)
            self.add_message("config-parse-error", args=error)

    def _options(self, rule: type[Rule], configured: dict) -> dict:
        """Options given to pylint win over ``[tool.oomlint]``."""
        options = dict(configured)
        for option in rule.options:
            value = getattr(self.linter.config, f"{rule.code.lower()}_{option.name.replace('-', '_')}", None)
            if value is None:
                continue
            try:
                options[option.name] = option.convert(tuple(value) if isinstance(option.default, tuple) else value)
            except ValueError as error:
                self._report_config_error(f"--{rule.code.lower()}-{option.name}: {error}")
        return options


def register_checker(linter) -> None:
    linter.register_checker(OomlintChecker(linter))
