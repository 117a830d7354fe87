"""``[tool.oomlint]`` in the nearest pyproject.toml, and rule selection.

Every host reads the same settings, so a finding that one host reports the others
report too. Anything wrong in the table is a :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from oomlint.core.cache import project_root
from oomlint.core.findings import DIAGNOSTICS, SYNTAX_ERROR, Finding
from oomlint.core.patterns import matches_any, path_matches
from oomlint.core.rule import Rule, all_rules, known_codes, language_of, rule_by_code
from oomlint.core.source import MAX_FILE_SIZE, byte_position

SECTION = "tool.oomlint"
_TOP_LEVEL_KEYS = {
    "select", "ignore", "extend-select", "per-file-ignores", "exclude", "max-file-size", "helm", "test-files", "cache-dir",
}
# [tool.oomlint.helm]: value files (glob patterns, relative to each chart) that each
# render the chart once more, and set-values (``--set``) applied to every render.
_HELM_KEYS = ("values", "set")
_CODE_PREFIX = re.compile(r"^OOM[0-9]{0,3}$")
_RUNNING_VERSION = ".".join(map(str, sys.version_info[:3]))
# Folders never worth descending into when a directory is checked.
# Test code: its leaks and caches end with the test run and its images are its own, so
# the rules do not check it unless ``test-files`` says otherwise (docs/evaluation.md has
# the review behind this default).
# A name with the word ``test`` after others (``python_test_utils/``, ``load_test/``) says the
# same as ``tests/``. Not ``test_*``: with no configuration file and no project root, a path
# outside the current directory is matched whole, and the folders above a project
# (``~/test_env/``, pytest's ``test_name0/``) are often so named.
DEFAULT_TEST_FILES = (
    "test_*.py", "*_test.py", "*_tests.py", "tests.py", "conftest.py", "tests", "test", "testing", "*_tests",
    "*_test", "*_test_*",
)


class ConfigError(Exception):
    """A configuration problem the user must fix; the message names the key."""


@dataclass(frozen=True)
class Config:
    root: Path | None = None
    """Directory of the pyproject.toml the settings came from (None: defaults)."""
    requires_python: str | None = None
    """``[project] requires-python`` of the nearest pyproject.toml that sets one, no
    farther than the one the settings came from."""
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int = MAX_FILE_SIZE
    """Larger files get an ``OOM006`` instead of a check (see :data:`oomlint.core.source.MAX_FILE_SIZE`)."""
    helm_values: tuple[str, ...] = ()
    helm_set: tuple[str, ...] = ()
    test_files: tuple[str, ...] = DEFAULT_TEST_FILES
    """Globs of test code, which no rule checks (an empty tuple: test code is checked too)."""
    cache_dir: Path | None = None
    """``cache-dir``, made absolute against the configuration's folder (None: the default,
    :data:`oomlint.core.cache.CACHE_FOLDER` at the project root)."""
    rule_options: dict[str, dict[str, object]] = field(default_factory=dict, hash=False, compare=False)

    def with_overrides(
        self,
        select: list[str] | None = None,
        extend_select: list[str] = (),
        ignore: list[str] = (),
    ) -> Config:
        """Command-line selection on top of the file's: ``select`` replaces, the others add."""
        for key, codes in (("--select", select or ()), ("--extend-select", extend_select), ("--ignore", ignore)):
            _check_codes(key, codes)
        return replace(
            self,
            select=tuple(select) if select is not None else self.select,
            extend_select=self.extend_select + tuple(extend_select),
            ignore=self.ignore + tuple(ignore),
        )

    @functools.cached_property
    def enabled(self) -> tuple[tuple[type[Rule], dict], ...]:
        """The selected rules with their options, before per-file ignores."""
        return self.enabled_in(None)

    def enabled_in(self, language: str | None) -> tuple[tuple[type[Rule], dict], ...]:
        """The selected rules of ``language`` (None: of all) with their options; only
        that language's rule modules are imported."""
        if language not in self._enabled_by_language:
            self._enabled_by_language[language] = tuple(
                (rule, self.options_for(rule))
                for rule in all_rules(language)
                if self.is_selected(rule.code, rule.default_enabled)
            )
        return self._enabled_by_language[language]

    @functools.cached_property
    def _enabled_by_language(self) -> dict[str | None, tuple[tuple[type[Rule], dict], ...]]:
        return {}

    def is_selected(self, code: str, default_enabled: bool = True) -> bool:
        """Most specific prefix wins: ``ignore = ["OOM3"]`` with ``select = ["OOM301"]`` keeps OOM301."""
        if self.select is None:
            chosen = len(code) if default_enabled else _longest_prefix(code, self.extend_select)
        else:
            chosen = _longest_prefix(code, self.select + self.extend_select)
        return chosen > _longest_prefix(code, self.ignore)

    def reports_diagnostic(self, finding) -> bool:
        """``OOM0xx`` diagnostics are shown whatever is selected, unless ignored for the file."""
        return _longest_prefix(finding.code, self.ignore + self.ignored_for(finding.path)) < 0

    def options_for(self, rule: type[Rule]) -> dict[str, object]:
        configured = self.rule_options.get(rule.code, {})
        return {option.name: configured.get(option.name, option.default) for option in rule.options}

    def with_python_requirement(self, findings: list[Finding]) -> list[Finding]:
        """A Python file's findings, its ``OOM003`` also naming the Pythons the project
        requires when the running one is not among them: the file likely uses newer syntax."""
        if self.requires_python is None or not _excludes_running_python(self.requires_python):
            return findings
        hint = f"; the project requires Python {self.requires_python}"
        return [replace(f, message=f.message + hint) if f.code == SYNTAX_ERROR else f for f in findings]

    def rules_for(self, path: str, language: str | None = None) -> tuple[tuple[type[Rule], dict], ...]:
        """The enabled rules of the file's language (by suffix, unless given) less those
        that ``per-file-ignores`` turns off for ``path``; none for test code."""
        if self.is_test_code(path):
            return ()
        language = language or language_of(path)
        ignored = self.ignored_for(path)
        return tuple(item for item in self.enabled_in(language) if not item[0].code.startswith(ignored))

    def ignored_for(self, path: str) -> tuple[str, ...]:
        relative = self.relative(path)
        codes: tuple[str, ...] = ()
        for pattern, pattern_codes in self.per_file_ignores:
            if path_matches(relative, pattern):
                codes += pattern_codes
        return codes

    def is_test_code(self, path: str) -> bool:
        """Whether ``test-files`` matches the path below the configuration's folder (or,
        with no configuration file or a path outside its folder, below the project's root,
        else the current directory): the folders above a project say nothing about it,
        wherever the check is run from."""
        if not self.test_files:
            return False
        relative = self.relative(path) if self.root is not None else None
        if relative is None or os.path.isabs(relative):  # outside the configuration's folder
            relative = _below_project(path)
        return matches_any(relative, self.test_files)

    def is_excluded(self, path: str) -> bool:
        return matches_any(self.relative(path), self.exclude)

    def relative(self, path: str) -> str:
        absolute = os.path.abspath(path)
        relative = _relative_posix(absolute, str(self.root)) if self.root is not None else None
        return absolute.replace(os.sep, "/") if relative is None else relative


def _excludes_running_python(requires_python: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for a file that does not parse

    try:
        return not SpecifierSet(requires_python).contains(_RUNNING_VERSION)
    except InvalidSpecifier:  # not oomlint's to judge; the packaging tools say so
        return False


def _below_project(path: str) -> str:
    absolute = os.path.abspath(path)
    relative = _relative_posix(absolute, _project_folder(absolute))
    return absolute.replace(os.sep, "/") if relative is None else relative


def _project_folder(absolute: str) -> str:
    """The folder test code is named below: the current directory when the check runs
    within the path's project (the folder the user chose) or there is no project;
    otherwise the path's project root, or the outermost project holding it up to the
    current directory (a sample project in ``tests/fixtures/`` is the checked project's
    test data, not a project of its own)."""
    cwd = os.getcwd()
    root = project_root(absolute)
    if root is None or (_relative_posix(cwd, str(root)) is not None and _relative_posix(absolute, cwd) is not None):
        return cwd
    folder = str(root)
    while folder != cwd and _relative_posix(folder, cwd) is not None:
        outer = project_root(os.path.dirname(folder))
        if outer is None or _relative_posix(str(outer), cwd) is None:
            break
        folder = str(outer)
    return folder


def _relative_posix(absolute: str, folder: str) -> str | None:
    """``Path(absolute).relative_to(folder).as_posix()``, None outside ``folder``: without
    pathlib, whose paths cost more than the rest of a walk's questions about each file."""
    if os.path.normcase(absolute) == os.path.normcase(folder):
        return "."
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    if not os.path.normcase(absolute).startswith(os.path.normcase(prefix)):
        return None
    return absolute[len(prefix):].replace(os.sep, "/")


def _longest_prefix(code: str, prefixes: tuple[str, ...]) -> int:
    return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=-1)


# -------------------------------------------------------------------- discovery


def find_config(start: str | os.PathLike) -> Config:
    """Settings for a file or directory: the nearest pyproject.toml with ``[tool.oomlint]``."""
    start = os.path.abspath(start)
    return _config_for_directory(start if os.path.isdir(start) else os.path.dirname(start))


@functools.lru_cache(maxsize=256)
def _config_for_directory(directory: str) -> Config:
    candidate = Path(directory, "pyproject.toml")
    # isfile() is False too where a directory may not be searched
    document = _read_document(candidate) if os.path.isfile(candidate) else {}
    table = _oomlint_table(document)
    parent = os.path.dirname(directory)
    if table is not None:
        config = parse_table(table, candidate)
    elif parent == directory:
        config = Config()
    else:
        config = _config_for_directory(parent)
    return _with_requires_python(config, document)


def load_config_file(path: str | os.PathLike) -> Config:
    """Settings from an explicitly named pyproject.toml (``--config``)."""
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, not a pyproject.toml file")
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    document = _read_document(path)
    return _with_requires_python(parse_table(_oomlint_table(document) or {}, path), document)


def _read_document(path: Path) -> dict:
    """A pyproject.toml; whatever stops tomllib is an error naming the file."""
    if sys.version_info >= (3, 11):  # imported when a file is read: a run may have none
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line, column = byte_position(data, error.start)
        problem = f"byte 0x{data[error.start]:02x} is not UTF-8 (at line {line}, column {column})"
    except tomllib.TOMLDecodeError as error:
        problem = str(error)
    except ValueError:  # the only other one tomllib lets out: int()'s limit on digits
        problem = f"an integer has more than {sys.get_int_max_str_digits()} digits"
    except RecursionError:
        problem = "nested too deeply"
    raise ConfigError(f"{path}: invalid TOML: {problem}")


def _oomlint_table(document: dict) -> object | None:
    tool = document.get("tool")
    return tool.get("oomlint") if isinstance(tool, dict) else None


def _with_requires_python(config: Config, document: dict) -> Config:
    project = document.get("project")
    requires_python = project.get("requires-python") if isinstance(project, dict) else None
    return replace(config, requires_python=requires_python) if isinstance(requires_python, str) else config


def parse_table(table: object, path: Path) -> Config:
    """Validate ``[tool.oomlint]``; every error names the offending key."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{SECTION}] must be a table")
    values: dict[str, object] = {}
    rule_options: dict[str, dict[str, object]] = {}
    for key, value in table.items():
        if key in known_codes():
            rule_options[key] = _parse_rule_options(rule_by_code(key), value, path)
        elif key in _TOP_LEVEL_KEYS:
            values[key] = value
        else:
            raise ConfigError(f"{path}: unknown key '{SECTION}.{key}'")
    per_file = values.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: '{SECTION}.per-file-ignores' must be a table of pattern = [codes]")
    helm = values.get("helm", {})
    if not isinstance(helm, dict):
        raise ConfigError(f"{path}: '{SECTION}.helm' must be a table (values, set)")
    for key in helm:
        if key not in _HELM_KEYS:
            raise ConfigError(f"{path}: unknown key '{SECTION}.helm.{key}' (keys: {', '.join(_HELM_KEYS)})")
    return Config(
        root=path.parent,
        select=_code_list(values, "select", path) if "select" in values else None,
        extend_select=_code_list(values, "extend-select", path),
        ignore=_code_list(values, "ignore", path),
        per_file_ignores=tuple(
            (pattern, _code_list(per_file, pattern, path, f"{SECTION}.per-file-ignores.")) for pattern in per_file
        ),
        exclude=_string_list(values, "exclude", path),
        max_file_size=_byte_count(values, "max-file-size", path),
        helm_values=_string_list(helm, "values", path, f"{SECTION}.helm."),
        helm_set=_string_list(helm, "set", path, f"{SECTION}.helm."),
        test_files=_string_list(values, "test-files", path) if "test-files" in values else DEFAULT_TEST_FILES,
        cache_dir=_folder(values, "cache-dir", path),
        rule_options=rule_options,
    )


def _string_list(values: dict, key: str, path: Path, prefix: str = SECTION + ".") -> tuple[str, ...]:
    value = values.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: '{prefix}{key}' must be a list of strings")
    return tuple(value)


def _folder(values: dict, key: str, path: Path) -> Path | None:
    value = values.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: '{SECTION}.{key}' must be a folder's path (a string)")
    return path.parent / os.path.expanduser(value)


def _byte_count(values: dict, key: str, path: Path) -> int:
    value = values.get(key, MAX_FILE_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{path}: '{SECTION}.{key}' must be a positive number of bytes")
    return value


def _code_list(values: dict, key: str, path: Path, prefix: str = SECTION + ".") -> tuple[str, ...]:
    codes = _string_list(values, key, path, prefix)
    try:
        _check_codes(f"'{prefix}{key}'", codes)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    return codes


def _check_codes(key: str, codes) -> None:
    known = [*known_codes(), *DIAGNOSTICS]
    for code in codes:
        if not _CODE_PREFIX.match(code) or not any(known_code.startswith(code) for known_code in known):
            raise ConfigError(f"{key}: unknown rule code or prefix {code!r}")


def _parse_rule_options(rule: type[Rule], value: object, path: Path) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: '{SECTION}.{rule.code}' must be a table of options")
    options = {option.name: option for option in rule.options}
    parsed = {}
    for name, setting in value.items():
        key = f"{SECTION}.{rule.code}.{name}"
        if name not in options:
            known = ", ".join(options) or "none"
            raise ConfigError(f"{path}: unknown option '{key}' (options of {rule.code}: {known})")
        try:
            parsed[name] = options[name].convert(setting)
        except ValueError as error:
            raise ConfigError(f"{path}: '{key}': {error}") from None
    return parsed
