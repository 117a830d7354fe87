"""What a rule is: its metadata, its options, and the registry that finds every rule.

A rule is a class in its own module under :mod:`oomlint.rules`. Defining the class
registers it; the one list of the codes, :data:`oomlint.rules.CATALOGUE`, is generated
from the classes, so that a selection is checked without importing every rule. The
engine makes one instance per
file, so a rule may keep per-file state on ``self`` and it is dropped with the file.
"""

from __future__ import annotations

import ast
import functools
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

CODE_RE = re.compile(r"^OOM[1-9][0-9][1-9]$")
# pylint's functional-test marker regex rejects digits in symbols.
SYMBOL_RE = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
OPTION_RE = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
DOC_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Known limits",
    "Example",
    "Use instead",
    "Options",
    "Fix",
    "References",
)

VISIT = "visit_"
# Files with these suffixes are Kubernetes manifests; every other file is Python.
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
_REGISTRY: dict[str, type[Rule]] = {}
# What str.splitlines() breaks at: a finding is one line of output.
_LINE_BREAKING = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


class RuleContext(Protocol):
    """What a rule is given of the file being checked; each language has its own
    (:class:`oomlint.python.checker.FileContext`, :class:`oomlint.kubernetes.manifest.ManifestContext`)."""

    path: str
    model: Any
    """The language's semantic model of the file (None for manifests)."""


@dataclass(frozen=True)
class Option:
    """A per-rule setting, read from ``[tool.oomlint.<CODE>]`` and exposed to pylint.

    The type of ``default`` is the option's type: ``int``, ``bool``, ``str`` or a
    ``tuple`` of strings (a list in TOML).
    """

    name: str
    default: int | bool | str | tuple[str, ...]
    help: str
    validate: Callable[[object], str | None] | None = field(default=None, compare=False)
    """Returns what is wrong with a value of the right type, or None."""

    def __post_init__(self):
        if not OPTION_RE.match(self.name):
            raise ValueError(f"option name {self.name!r} must be kebab-case")

    def convert(self, value: object) -> int | bool | str | tuple[str, ...]:
        """Check a configured value against the default's type; raise ``ValueError``."""
        expected = type(self.default)
        if expected is tuple:
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise ValueError("expected a list of strings")
            if not all(isinstance(item, str) for item in value):
                raise ValueError("expected a list of strings")
            value = tuple(value)
        elif expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError("expected an integer")
        elif not isinstance(value, expected):
            raise ValueError(f"expected {expected.__name__}")
        problem = self.validate(value) if self.validate else None
        if problem:
            raise ValueError(problem)
        return value


class Rule:
    """Base class of every rule.

    Subclasses set the metadata below, a docstring with the sections of
    ``DOC_SECTIONS`` (it becomes ``docs/rules/<CODE>.md``), and ``visit_<NodeType>``
    methods that the engine calls for each node of that ``ast`` type, in one walk.
    ``finish`` runs after the walk, for rules that decide on the whole module.
    """

    code: ClassVar[str]
    symbol: ClassVar[str]
    message: ClassVar[str]
    """One-line message; ``str.format`` fields are filled by :meth:`report`."""
    summary: ClassVar[str]
    """One line for the rule table and pylint's message description."""
    default_enabled: ClassVar[bool] = True
    options: ClassVar[tuple[Option, ...]] = ()
    language: ClassVar[str] = "python"
    """What the rule checks: ``"python"`` source or ``"kubernetes"`` manifests (see :func:`language_of`)."""
    fixes: ClassVar[str | None] = None
    """``"safe"`` or ``"unsafe"``: the fix :meth:`fix` makes, for the findings reported with it."""
    follows: ClassVar[frozenset[str]] = frozenset()
    """Qualified names of the callables whose results the rule follows through the
    project's own functions and modules (``sqlite3.connect`` for ``conn = get_db()``):
    the project index summarizes the files that can lead to them."""
    asks_callers: ClassVar[bool] = False
    """Whether the rule asks how often a function runs, which the callers of a function
    in the project's other modules decide: the project index is made for it too."""
    required_text: ClassVar[tuple[str, ...] | None] = None
    """Substrings of a file's source, one of which must occur for the rule to be able to
    report there (the names it matches on: ``("cache",)`` for ``lru_cache``, ``cache``,
    ``cachetools``); the engine does not run the rule on a file with none of them, and
    neither parses nor walks a file no rule can report in. None: every file. A rule whose
    options add names says so in :meth:`text_needed`."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            return
        problems = _metadata_problems(cls)
        if problems:
            raise TypeError(f"rule {cls.__qualname__}: " + "; ".join(problems))
        if cls.code in _REGISTRY and _REGISTRY[cls.code] is not cls:
            raise TypeError(f"rule code {cls.code} is defined twice")
        _REGISTRY[cls.code] = cls

    def __init__(self, context: RuleContext, options: dict[str, object]):
        self.context = context
        self.model = context.model
        self.settings = options

    @classmethod
    def followed(cls, options: dict[str, object]) -> frozenset[str]:
        """:attr:`follows`, with what the rule's ``options`` add to it."""
        return cls.follows

    @classmethod
    def text_needed(cls, options: dict[str, object]) -> tuple[str, ...] | None:
        """:attr:`required_text`, with what ``options`` add (names the user configured)."""
        return cls.required_text

    @classmethod
    def helper_names(cls, project, options: dict[str, object]) -> frozenset[str]:
        """The names of the project's functions and values (``project``: the language's
        project index) through which the rule can find something in a file that has none
        of its :meth:`text_needed`: a file naming none of them is not given to the rule. By
        default, those whose result one of :meth:`followed` makes."""
        followed = cls.followed(options)
        return project.leading_names(followed) if followed else frozenset()

    @classmethod
    def pylint_id(cls) -> str:
        """pylint message id: one checker id ``71``, then family and number (OOM301 -> W7131)."""
        return f"W71{cls.code[3]}{cls.code[5]}"

    @classmethod
    @functools.cache
    def node_types(cls) -> dict[type[ast.AST], str]:
        """The ``ast`` node types this rule visits, mapped to the method name."""
        return {
            getattr(ast, name[len(VISIT):]): name for name in dir(cls) if name.startswith(VISIT)
        }

    def report(self, node: ast.AST, fix: str | None = None, fix_hint: object = None, **fields: object) -> None:
        """Report a finding at ``node`` with this rule's message filled from ``fields``.

        ``fix`` is ``"safe"`` or ``"unsafe"`` when :meth:`fix` can rewrite this finding;
        ``fix_hint`` is what the detection knows and the fix needs (given back to it).
        """
        message = _LINE_BREAKING.sub(_escape, self.message.format(**fields))
        self.context.report(self, node, message, fix, fix_hint)

    @classmethod
    def fix(cls, node, options: dict, context, hint=None):
        """The replacement for the libcst ``node`` at a finding reported with ``fix=``.

        Return the new node, or ``(target, new node)`` to replace ``target``, a node
        around ``node`` (the block a ``try`` restructures). ``context`` is libcst's
        ``CodemodContext``: ``context.wrapper`` resolves metadata
        (``ParentNodeProvider``), and ``AddImportsVisitor.add_needed_import(context, ...)``
        adds the imports the fix needs; ``hint`` is the finding's ``fix_hint``. Return
        None when the node is not what the fix expects: the finding is then left alone.
        """
        return None

    def needs_function_bodies(self) -> bool:
        """Asked once the walk has done the module's own level (its statements, class
        bodies included; the bodies of functions and lambdas come after): False when
        nothing in those bodies can change what the rule reports or asks, and the walk
        then calls none of its ``visit_*`` methods again (:meth:`finish` still runs)."""
        return True

    def finish(self) -> None:
        """Called once after the walk; report what needed the whole module."""


def _escape(match: re.Match) -> str:
    """A line break in a value a message quotes (a manifest's ``name: "a\\nb"``), written
    as repr() writes it."""
    return repr(match.group())[1:-1]


def _metadata_problems(cls: type[Rule]) -> list[str]:
    problems = []
    if not CODE_RE.match(cls.code):
        problems.append(f"code {cls.code!r} is not OOM<family><0-9><1-9>")
    if not SYMBOL_RE.match(getattr(cls, "symbol", "")):
        problems.append("symbol must be kebab-case letters and hyphens")
    for attribute in ("message", "summary"):
        if not isinstance(cls.__dict__.get(attribute), str):
            problems.append(f"missing {attribute}")
    for name in dir(cls):
        if name.startswith(VISIT) and not isinstance(getattr(ast, name[len(VISIT):], None), type):
            problems.append(f"{name} names no ast node type")
    if cls.fixes not in (None, "safe", "unsafe"):
        problems.append("fixes must be None, 'safe' or 'unsafe'")
    if not (cls.__doc__ or "").strip():
        problems.append("missing docstring")
    return problems


def language_of(path: str) -> str:
    """Which rules check a file, by its suffix: ``"kubernetes"`` or ``"python"``."""
    return "kubernetes" if path.lower().endswith(MANIFEST_SUFFIXES) else "python"


def all_rules(language: str | None = None) -> list[type[Rule]]:
    """Every registered rule, by code; only those of ``language`` when given, so that a
    run imports the rule modules of the languages it checks and no others. Importing
    the rule modules registers them."""
    _import_rule_modules(language)
    return [rule for code, rule in sorted(_REGISTRY.items()) if language in (None, rule.language)]


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.upper()
    _import_rule_modules(known_codes().get(code))
    return _REGISTRY.get(code)


def known_codes() -> dict[str, str]:
    """Every rule's code and language, without importing a rule: the catalogue that
    :mod:`oomlint.report.docs` generates into :mod:`oomlint.rules` from the rules."""
    import oomlint.rules

    return oomlint.rules.CATALOGUE


_imported: set[str | None] = set()


def _import_rule_modules(language: str | None = None) -> None:
    """Import the rule modules of ``language`` (its package under :mod:`oomlint.rules`),
    or of every language."""
    if language in _imported or None in _imported:
        return
    import oomlint.rules

    package = oomlint.rules if language is None else importlib.import_module(f"oomlint.rules.{language}")
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
    _imported.add(language)


def followed(rules: Iterable[tuple[type[Rule], dict]]) -> frozenset[str]:
    """What the enabled ``rules`` follow through the project, together."""
    return frozenset().union(*(rule_class.followed(options) for rule_class, options in rules))


def use_project(rules: Iterable[tuple[type[Rule], dict]]) -> bool:
    """Whether one of the enabled ``rules`` asks the project index (follows a value, or
    asks who calls a function)."""
    return any(rule_class.followed(options) or rule_class.asks_callers for rule_class, options in rules)
