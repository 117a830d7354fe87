"""The project index: what each module of the project returns, binds and defines, so a
rule in one file can follow a value into a helper in another.

Real leaks cross functions and modules (``conn = get_connection()`` imported from
``app/db.py``, which returns ``sqlite3.connect(...)``). Each module gets a
:class:`ModuleSummary` of local facts, made by :class:`Summarizer` in the same walk that
keeps the semantic model: the call each function returns (per tuple element), the call
each module-level name is bound to, the names it imports, its classes' bases and
methods. Following a chain across modules (``get_connection`` -> ``app.db.connect_db`` ->
``sqlite3.connect``) happens when a rule asks (:meth:`ProjectIndex.origin`), bounded in
depth, so a summary depends on its own file only and is cached by that file's content.

Which files are summarized: every Python file of the project (the nearest folder with a
``pyproject.toml``, ``setup.cfg`` or VCS root, :func:`oomlint.core.cache.project_root`)
that can contribute to a chain a rule cares about. Rules name the callables they follow
(``Rule.follows``); a file whose text names none of them, nor a project function or value
already known to lead to one, cannot, and is not parsed.
"""

from __future__ import annotations

import ast
import functools
import gc
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from oomlint.core.cache import Cache, content_key, implementation_key, project_root
from oomlint.core.config import find_config
from oomlint.core.files import PYTHON_SUFFIXES, Target, collect
from oomlint.core.source import MAX_FILE_SIZE, NotRead, SourceDecodeError, decode_source, read_file
from oomlint.python.astutil import (
    ModuleFacts,
    connects,
    constant_entries,
    HANDING_NAMES,
    guarded_functions,
    handed_call,
    is_class_value,
    is_handler,
    is_registered,
    is_script_file,
    last_name,
    module_facts,
    names_few_values,
    packaging_state,
    varying_parameters,
)
from oomlint.python.checker import Walker
from oomlint.python.children import CHILD_FIELDS, walk
from oomlint.python.keyspace import DELETES, EXPIRING_PARAMETERS, POPS, removed_families
from oomlint.python.parsing import TREES, one_file, parse
from oomlint.python.provenance import identity_name, key_growth
from oomlint.python.runs import MANY, ONCE, PER_INSTANCE, UNKNOWN, Runs, bounded_loop, lazy_set_up
from oomlint.python.semantic import TRY_STATEMENTS, Scope, SemanticModel, standard_name
from oomlint.python.web import (
    BODY_LIMITS, DEFAULT_LIMITS, DJANGO, RAISED_SETTINGS, SETTINGS, UPLOAD_TEXTS, WEB_LIBRARIES, WebInputs, admins_only,
    limits_nothing, names_flask_limit, names_setting, raises_limit, reads_size,
)

SUMMARY_FORMAT = "24"
_WORD = re.compile(r"\w+")
CALL_GRAPH = ("calls", "module_calls", "arguments", "in_memory", "literals", "growing")
# The decorator of a web application's or a blueprint's hook that runs before each of its requests.
REQUEST_HOOK = "before_request"
"""The :class:`ModuleSummary` fields that say what calls what."""
CALLERS = "callers of "
SHRINKERS = "shrinkers of "
GROWERS = "growers of "
SUBCLASSES = "subclasses of "
REQUEST_HOOKS = "request hooks of "
# File objects that hold their bytes in memory: an archive over one owns nothing of the OS.
IN_MEMORY_FILES = frozenset({"io.BytesIO", "io.StringIO"})
# How a module names a framework's limit on every request body (the settings of ``BODY_LIMITS``).
LIMIT_TEXTS = ("MAX_CONTENT_LENGTH", "max_content_length", "max_body_size")
# How a module names a framework's limit that is on unless raised (the settings of ``DEFAULT_LIMITS``).
RAISED_TEXTS = ("client_max_size", "DATA_UPLOAD_MAX_MEMORY_SIZE")
FLASK_FRAMEWORK = "Flask"
LIMITS = "limits of "
RAISED = "raised limits of "
SETTINGS_OF = "settings of "
# Methods that take entries out of a dict or set (and ``del X[key]``): an eviction.
SHRINKING_METHODS = frozenset(
    {"pop", "popitem", "clear", "discard", "remove", "difference_update", "intersection_update", "__delitem__"}
)
"""Marks, among the modules a check looked into (:meth:`ProjectIndex.watch`), a question
about the callers of a function."""
CALLED = "()"
"""Appended to what made a value, for what calling that value makes: a call of
``Session = sessionmaker(...)`` gives a ``sqlalchemy.orm.sessionmaker()``."""
# How many project functions a chain may pass through, and how many rounds of files the
# index adds because they name a function or value found in the round before.
_MAX_DEPTH = 6
# Package folders whose classes a plugin loader makes (``flexget/plugins/...``,
# ``lemur/plugins/lemur_sftp/plugin.py``, ``frigate/detectors/plugins/...``); and a base
# named ``...Plugin`` says the same of a class anywhere.
PLUGIN_FOLDERS = frozenset({"plugins", "plugin"})
PLUGIN_SUFFIX = "Plugin"
_MAX_ROUNDS = 3
# Past this many names leading to a function, its callers are looked for in every file that names it.
_MAX_REACHING = 1000
# The longest code of a setting's value kept in a summary.
_SETTING_TEXT = 100
# Callees whose arguments no project function receives.
_STANDARD = frozenset({"builtins", *sys.stdlib_module_names})
ANYTHING = "?"
REGISTERED_INPUT = "what a route or task is given"
PUBLIC_INPUT = "what the callers of a public function pass"
"""An argument that can take any value (see :attr:`ModuleSummary.arguments`)."""
# A class whose instances hold something to give back: it can be closed, and ``with`` closes it.
CLOSING_METHODS = frozenset({"close", "__exit__"})
# Methods that release what a function made (a file, a process, a pool): a function that
# calls one on what it returns gives the caller nothing to release.
RELEASING_METHODS = frozenset(
    {"close", "aclose", "wait", "communicate", "kill", "terminate", "shutdown", "cleanup", "release"}
)
# Factories whose objects ``with`` does not close: an sqlite3 connection's ``with`` commits or
# rolls back. The connection is in a reference cycle with its statement cache, so dropping it
# does not close it either: its descriptor stays open until the cycle collector runs.
WITH_KEEPS_OPEN = frozenset({"sqlite3.connect"})
# Methods whose call on a value, for its effect, says the project releases what made the
# value: what :meth:`ProjectIndex.released_kinds` learns resource kinds from. (Not
# ``release``: a lock or semaphore made in one place is released in another.)
LEARNED_RELEASES = frozenset({"close", "aclose", "shutdown"})
# Decorators whose function gives every caller the same object: not the caller's to release.
SHARED_RESULTS = frozenset({"cache", "lru_cache", "cached", "cached_property", "property", "fixture", "memoize"})


@dataclass
class ModuleSummary:
    name: str
    """The module's dotted name (``app.db``)."""
    is_package: bool = False
    """An ``__init__.py``: its relative imports start from itself."""
    returns: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per function (``connect`` or ``Store.connect``): the qualified name of the call it
    returns, per tuple element (``""`` for the value itself, ``"0"``, ``"1"``...)."""
    values: dict[str, list[str]] = field(default_factory=dict)
    """Per module-level name: the qualified name of the call it is bound to, and which
    element of the call's tuple (``""`` for the value itself, ``"0"`` for ``a`` of
    ``a, b = make()``)."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Per module-level imported name: what it stands for (re-exports)."""
    bases: dict[str, list[str]] = field(default_factory=dict)
    """Per class: its bases' qualified names."""
    methods: dict[str, list[str]] = field(default_factory=dict)
    """Per class: the names of the methods it defines."""
    holds: dict[str, list[str]] = field(default_factory=dict)
    """Per class: the qualified names of the callees of the calls its ``__init__`` stores on
    ``self`` (``self._session = session if session else Session()``: ``requests.Session``),
    what each instance may hold (:meth:`ProjectIndex.closes`)."""
    shared: list[str] = field(default_factory=list)
    """Functions of ``returns`` that hand every caller the same object (memoized,
    properties): what they return is made once, not for the caller."""
    calls: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Per function (the keys of ``returns``): the qualified names of the project's
    functions and classes it calls (what :func:`project_name` resolves, and methods of
    what a project function returns: ``app.storage.get_storage().incr``), each with
    whether a call of it is in a loop. Calls in nested functions and lambdas are not
    the function's: they run when the callback does."""
    module_calls: list[str] = field(default_factory=list)
    """What the module calls at import time (module level, class bodies, ``if __name__
    == "__main__":``)."""
    arguments: dict[str, list[list]] = field(default_factory=dict)
    """Per function: what each of its calls (of anything but the builtins and the standard
    library, unless the module is in a package of the same name) gives its arguments, ``[callee, {argument: value}]``, ``argument`` the
    position (as text) or keyword (``"*"`` for ``*args``/``**kwargs``), ``value`` the
    names of the function's own parameters it is made of when only they can vary (``[]``:
    it takes few values), ``"?"`` when anything else can
    (:func:`~oomlint.python.astutil.varying_parameters`; a function a decorator registers
    gets its parameters from outside: ``"?"``)."""
    literals: dict[str, list[list]] = field(default_factory=dict)
    """Per function of ``arguments``: ``[call, {argument: text}]`` for each of its calls
    there that passes string literals (``set_flag("flags:banner", text)``)."""
    growing: dict[str, list[list]] = field(default_factory=dict)
    """Per function of ``arguments``: ``[call, {argument: growth}]`` for each of its calls there
    (``call`` its index in the function's ``arguments``) that gives an argument a value the code
    shows to grow with traffic or data (:func:`~oomlint.python.provenance.key_growth`):
    ``growth`` says what with (``"request data"``, ``"an entity's 'id'"``), or lists the
    function's parameters the value is made of (their callers decide). What a function a
    decorator registers (a route, a task) passes of its parameters is what the framework
    hands it: ``"what a route or task is given"``."""
    in_memory: dict[str, list[list]] = field(default_factory=dict)
    """Per function of ``arguments``: ``[call, [argument, ...]]`` for each of its calls there
    (``call`` its index in the function's ``arguments``) that gives an argument an in-memory
    file object (``io.BytesIO(data)``, or a name the function bound to one)."""
    uploads: dict[str, list[list]] = field(default_factory=dict)
    """Per function of ``arguments``: ``[call, [argument, ...]]`` for each of its calls there
    (``call`` its index in the function's ``arguments``) that gives an argument an upload of a
    web framework (:class:`~oomlint.python.web.WebInputs`, OOM403's own classification:
    ``request.FILES["file"]``, a parameter annotated ``UploadFile``...), where the function
    has checked no size before the call (:func:`~oomlint.python.web.reads_size`) and serves
    more than administrators: what :meth:`ProjectIndex.receives_upload` follows into the
    helpers of other modules."""
    raised_limits: list[str] = field(default_factory=list)
    """The web frameworks whose limit on a body read whole (on unless set: aiohttp's
    ``client_max_size``, Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``) the module raises above
    :data:`~oomlint.python.web.RAISED_LIMIT` or switches off, where nothing conditions it
    (pyaleph's ``web.Application(client_max_size=1024**2 * 64)``, bookwyrm's
    ``settings.py``): :meth:`ProjectIndex.raises_limit`."""
    body_limits: list[str] = field(default_factory=list)
    """The web frameworks whose limit on every request body (off unless set: Flask's
    ``MAX_CONTENT_LENGTH``, Starlette's ``max_body_size``) the module sets to a finite value
    where nothing conditions it (not under an ``if``: Indico sets ``MAX_CONTENT_LENGTH`` only
    when its own setting is not 0, its default), in a config module or class, an
    ``app.config[...]`` or a call's keyword: the app's limit, wherever the routes are
    (:meth:`ProjectIndex.limits_bodies`)."""
    parameters: dict[str, list[str]] = field(default_factory=dict)
    """Per function of ``flows``, ``conditions`` or ``arguments``: its parameters' names,
    positional ones first (a method's without ``self``/``cls``)."""
    annotations: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Per function of ``parameters``: for each annotated parameter, the qualified names of
    the types its annotation allows (``""`` for one with no name), as
    :meth:`SemanticModel.annotation_types` gives them."""
    flows: dict[str, list[list]] = field(default_factory=dict)
    """Per function: the calls of a named callee (qualified) that a parameter's value flows
    into, in the walk's order, each ``[source, callee, argument, methods, step]``:
    ``source`` is the parameter's name, or the index of an earlier flow whose call's result
    it is; ``argument`` the position (or keyword) it is passed at; ``methods`` the
    ``[name, step]`` of the methods then called on the call's result. ``step`` orders a
    function's flows, methods and conditions: ``Image.open(upload).convert()`` is
    ``[["upload", "PIL.Image.open", 0, [["convert", 1]], 0]]``."""
    returned: dict[str, list[int]] = field(default_factory=dict)
    """Per function of ``flows``: the flows whose call's result it returns (``picture =
    Image.open(io.BytesIO(data)); ...; return picture`` is the ``Image.open`` flow), whatever
    it did with it meanwhile (``returns`` holds what a caller owns; this, what it gets)."""
    conditions: dict[str, list[list]] = field(default_factory=dict)
    """Per function: what the tests of its ``if``/``while``/``assert``/conditional
    expressions read of a parameter or a flow's result, ``[source, attribute, step]``
    (``attribute`` ``""`` for the value itself); names assigned from one are followed
    (``w, h = im.size`` then ``if w > limit``)."""
    lends: dict[str, list[list]] = field(default_factory=dict)
    """Per function: what it does with the object each parameter is given, so that a
    caller passing a resource to it knows whether it still holds it. One
    ``[name, positional, kept, methods, calls]`` per parameter in order (a method's without
    ``self``/``cls``): ``kept`` when the object may outlive the call (returned, yielded,
    stored, put in a container, captured by a nested function, passed to a call with no
    name, or what one of its methods returned is kept so); ``methods`` the methods called on
    it (``close``; ``__exit__`` for ``with``); ``calls`` the ``[callee, argument]`` of the
    named calls it is passed to, which decide the rest (:meth:`ProjectIndex.lends`)."""
    settings: dict[str, str] = field(default_factory=dict)
    """Module-level assignments to an attribute of an imported module: its qualified name
    -> the code of the value (``PIL.Image.MAX_IMAGE_PIXELS`` -> ``"50_000_000"``)."""
    shrinks: list[str] = field(default_factory=list)
    """The qualified names of the other modules' dicts and sets (module- or class-level) the
    module takes entries out of (``UnitHelper._cache.pop(key)``, ``views._seen.clear()``,
    ``del cache_module.ENTRIES[key]``): evictions that OOM303 counts where the container is."""
    grows: list[list] = field(default_factory=list)
    """The writes that add keys to other modules' dicts and sets (module- or class-level), in
    the module's functions (``cache._users[user.id] = user``, ``Helper._seen.add(key)``,
    ``.setdefault``, ``.update``), ``[container, function, key, looked_up, how, growth]``:
    ``container`` the qualified name, ``function`` the writing function (as in ``returns``),
    ``key`` the names of its parameters the key is made of when only they vary (as in
    ``arguments``; the callers decide), ``"?"`` when anything else can; ``looked_up`` whether
    the function looks the container up first (``key in X``, ``X.get(key)``: a memo);
    ``how`` ``"defaultdict"`` for a write that adds a key only through a defaultdict's
    default (``X[key].append(item)``, ``X[key] += 1``), else ``""``; ``growth`` what the key
    grows with, as in ``growing`` (``[]``: the code shows nothing). Not recorded: a key
    that takes few values whatever the traffic, a value that is code or configuration,
    writes at import time, in a function that runs once (set-up code, a script), in a
    function named for connecting keyed by its parameters (as OOM303 decides for a
    container's own module, which counts these writes as its own)."""
    removed_keys: list[list[str]] = field(default_factory=list)
    """``[what, family]`` of each Redis key family the module deletes, pops or sweeps
    (:func:`oomlint.python.keyspace.removed_families`): the consumer or the clean-up
    that a write in another module relies on."""
    guarded: list[str] = field(default_factory=list)
    """The functions and methods (``renice``, ``Store.close_quietly``) that cannot raise:
    each body one ``try`` whose handlers catch everything and raise nothing
    (:func:`~oomlint.python.astutil.guarded_functions`)."""
    wraps: dict[str, dict[str, dict[str, list]]] = field(default_factory=dict)
    """Per function of ``returns`` and element: the function's parameters the returned call
    is given as they are, by the call's slot (``"0"``, ``"file"``): ``[name, position]``
    (``return ZipFile(source)``: ``{"": {"0": ["source", 0]}}``). What the archive wraps
    is what the function's caller passes for ``source``."""
    given_names: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    """Per function of ``returns`` and element: the imported names (qualified) the returned
    call is given, by the call's slot (``return Popen(cmd, stdout=PIPE)``: ``{"": {"stdout":
    "subprocess.PIPE"}}``). Whether a ``Popen`` a helper returns holds a pipe is decided
    by what the helper gives it, not by what its caller gives the helper."""
    request_hooks: dict[str, list[str]] = field(default_factory=dict)
    """Per web application or blueprint (qualified) whose ``before_request`` decorates a
    module-level function of the module: the last names of that function's other
    decorators (``@policy_blueprint.before_request`` over ``@admin_required``: every
    request of the blueprint's routes passes that check first)."""
    factories: dict[str, list[str]] = field(default_factory=dict)
    """Per function that returns only a module-level name (a service locator:
    ``get_storage()`` returning ``storage``): the qualified names of the callees of the
    calls that name is ever bound to (at module level, or in a function that declares it
    ``global``: ``storage = RedisStorage(uri)``), when every binding is such a call or
    ``None``. A method called on what it returns (``get_storage().incr(...)``, recorded
    as the callee ``app.storage.get_storage().incr``) is that method of one of those classes."""
    releases: dict[str, list] = field(default_factory=dict)
    """Per callee (qualified; the builtins and in-memory files left out) whose result the
    module's functions bind to a local name or store on ``self``: ``[released, kept,
    methods]``, how many of those values the module then releases with care by a method of
    ``LEARNED_RELEASES`` (``conn = connect(db)`` and ``conn.close()`` in a ``finally``
    clause; ``self.es = AsyncElasticsearch(url)`` and ``self.es.close()`` in a method of
    the class), how many
    it neither releases nor returns, and the methods it released them by (a value released on
    the normal path only, or returned, counts neither way): the project's own
    evidence that the callee makes a resource (:meth:`ProjectIndex.released_kinds`)."""
    forwards: dict[str, list] = field(default_factory=dict)
    """Per function that writes a Redis key its caller names with the expiry its caller
    gives (a wrapper's ``set(self, key, value, ex=None)`` calling
    ``self.client.set(key, value, ex)``): ``[signature, writes]``. ``signature`` is
    ``[positional, variadic, keyword_only, variadic_keywords, defaulted]``, the parameters'
    names (a method's without ``self``/``cls``; ``""`` for no ``*args``/``**kwargs``),
    ``defaulted`` those whose default is something (not None or False). Each write is
    ``[command, how, receiver, arguments]``: the receiver is made by a call of the qualified
    name ``receiver`` (``how`` ``"call"``) or is the module-level value it names
    (``"value"``); ``arguments`` the ``[argument, parameter]`` it passes, ``argument`` the
    position (as text), keyword, ``"*"`` or ``"**"``, ``parameter`` the name of the
    function's parameter it is (for the key: made of), ``"?"`` for anything else (None and
    False, the defaults, left out)."""

    def to_json(self) -> bytes:
        """Its fields as JSON (they hold only strings, numbers, lists and dicts: no copy is
        needed to write them, as ``dataclasses.asdict`` would make)."""
        return json.dumps(vars(self), separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> ModuleSummary:
        return cls(**json.loads(data))


def module_name(path: str | os.PathLike, root: str | os.PathLike) -> tuple[str, bool]:
    """The dotted name the project imports ``path`` by, and whether it is a package's
    ``__init__``: through the packages (``__init__.py``) that hold it, else by its path
    from the project root (a ``src/`` layout's ``src`` left out)."""
    directory, file_name = os.path.split(os.path.abspath(path))
    stem = file_name.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = _package(directory, os.path.abspath(root))
    return ".".join(parts if is_package else (*parts, stem)), is_package


@functools.lru_cache(maxsize=4096)
def _package(directory: str, root: str) -> tuple[str, ...]:
    """The dotted parts of the modules in ``directory``: its packages' names, or its
    path from the project root."""
    if _is_package(directory):
        parts = [os.path.basename(directory)]
        parent = os.path.dirname(directory)
        while _is_package(parent) and os.path.dirname(parent) != parent:
            parts.insert(0, os.path.basename(parent))
            parent = os.path.dirname(parent)
        return tuple(parts)
    relative = os.path.relpath(directory, root)
    if relative == os.curdir or relative.startswith(os.pardir):
        return ()
    parts = tuple(relative.split(os.sep))
    return parts[1:] if parts[0] == "src" else parts


def _is_package(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def absolute_name(name: str, module: str, is_package: bool) -> str:
    """``..db.connect`` imported in ``app.web.views`` is ``app.db.connect``."""
    if not name.startswith("."):
        return name
    level = len(name) - len(name.lstrip("."))
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)]
    rest = name[level:]
    return ".".join([*package, rest] if rest else package)


def project_name(model: SemanticModel, expr: ast.expr, module: str, is_package: bool, scope: Scope | None = None) -> str | None:
    """The qualified name of what ``expr`` names, the module's own definitions included:
    ``app.db.connect`` for ``connect`` defined in or imported into the module, for
    ``db.connect`` after ``from app import db``, and ``app.db.Store.connect`` for
    ``self.connect`` in a method of ``Store`` or ``Store.connect`` in the module."""
    qualified = model.qualified_name(expr, scope)
    if qualified is not None:
        return absolute_name(qualified, module, is_package)
    if isinstance(expr, ast.Name):
        binding = model.lookup(expr.id, scope)
        if binding is not None and binding.kind in ("def", "class", "assign") and binding.scope is model.module_scope:
            return f"{module}.{expr.id}" if module else expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        binding = model.lookup(expr.value.id, scope)
        if binding is not None and binding.kind == "class" and binding.scope is model.module_scope:
            return f"{module}.{expr.value.id}.{expr.attr}" if module else f"{expr.value.id}.{expr.attr}"  # ``Store.open()``
    if isinstance(expr, ast.Attribute) and model.is_self(expr.value, scope):
        method_class = _method_class(scope or model.scope)
        if method_class is not None and method_class.parent is model.module_scope:
            prefix = f"{module}." if module else ""
            return f"{prefix}{method_class.node.name}.{expr.attr}"
    return None


def _inherited(summary: ModuleSummary, rest: str) -> Iterator[str]:
    """For ``Class.method`` of ``summary`` where the class does not define the method: the
    same method of each of its bases, nearest first (``app.base.Client._new_conn`` for
    ``self._new_conn()`` in ``class TLSClient(Client)``)."""
    head, _, tail = rest.partition(".")
    if head in summary.methods and tail and "." not in tail and tail not in summary.methods[head]:
        yield from (f"{base}.{tail}" for base in summary.bases[head] if base)


def _method_class(scope: Scope) -> Scope | None:
    while scope is not None and scope.kind != "function":
        scope = scope.parent
    return scope.enclosing_class() if scope is not None else None


class Summarizer:
    """Collects a module's summary during the engine's walk (the walker calls its
    ``visit_*`` methods like a rule's)."""

    def __init__(self, model: SemanticModel, name: str, is_package: bool, source: str | None = None):
        self.model = model
        self.summary = ModuleSummary(name, is_package)
        self._text = source
        self._names_buffers = source is None or any(name.rpartition(".")[2] in source for name in IN_MEMORY_FILES)
        """Whether the module's text names an in-memory file's class: without it no argument
        is one (:meth:`_in_memory`), and resolving every argument of every call is skipped."""
        self._returns: dict[str, dict[str, set[str]]] = {}
        self._wraps: dict[str, dict[str, dict[str, list]]] = {}
        """Per function and returned element: the parameters its returned call is given."""
        self._given_names: dict[str, dict[str, dict[str, str]]] = {}
        """Per function and returned element: the imported names its returned call is given."""
        self._returned_globals: dict[str, set[str]] = {}
        """Per function: the module-level names it returns (``return storage``)."""
        self._returns_other: set[str] = set()
        """Functions that return something else than a module-level name or ``None``."""
        self._generators: set[str] = set()
        """Functions whose returns give the caller nothing (generators)."""
        self._shared: set[str] = set()
        """Functions that give every caller the same object (memoized, properties)."""
        self._calls: list[tuple[str | None, ast.Call, str]] = []
        """``(function key or None at import time, call, callee)`` of the calls of names."""
        self._loops: dict[str | None, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        self._set_ups: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        """Per function, the spans of its lazy set-up blocks (run once per process)."""
        """Per function (None: module level), the spans of code its loops run again and again."""
        self._flows: dict[str, list[list]] = {}
        self._flow_of: dict[tuple[str, ast.Call], int | None] = {}
        """Each call looked at in a function: the index of its flow in the function's, or None."""
        self._methods_noted: set[ast.Call] = set()
        self._conditions: dict[str, list[list]] = {}
        self._steps: dict[str, int] = {}
        self._shrinks: set[str] = set()
        """What :attr:`ModuleSummary.shrinks` lists."""
        self._grows: list[tuple[str, str, tuple[int, int], list[str] | str, str, list[str] | str]] = []
        """``(function key, container, position, key, how, growth)`` of the writes of
        :attr:`ModuleSummary.grows`."""
        self._looked_up: dict[tuple[str, str], list[tuple[int, int]]] = {}
        """Per ``(function key, container)``: where the function reads the container (``in``, ``.get``)."""
        self._removals: list[tuple[ast.Call, Scope]] = []
        """Calls that may delete or pop Redis keys, with their scope: their keys are
        described at the end, once every ``self.<attr>`` of the module is known."""
        self._expiring_writes: list[tuple[str, ast.Call, Scope]] = []
        """Calls of a command that can expire the key it writes (``x.set(...)``) in the
        functions of ``_scopes``: those that pass their caller's key and expiry on are
        found at the end, once every ``self.<attr>`` of the module is known."""
        self._facts: ModuleFacts | None = None
        """The module's constants, for the arguments (made when first needed)."""
        self._runs: Runs | None = None
        """How often the module's functions run, as the module alone shows it (made when
        first needed: function bodies are walked after the module's top level is bound)."""
        self._released: dict[ast.AST, frozenset[str]] = {}
        self._scopes: dict[str, Scope] = {}
        """The scope of each function that does something (calls, returns, assigns): what
        :func:`_lending` reads its parameters' uses in."""
        self._keys: dict[Scope, str | None] = {}
        """:meth:`_function_key` per function scope: asked at every call, return, test and
        assignment the function makes."""
        self._registered: dict[ast.AST, bool] = {}
        """Whether a decorator registers the function (:func:`is_registered`), per function."""
        self._web = source is None or (
            any(library in source for library in WEB_LIBRARIES) and any(text in source for text in UPLOAD_TEXTS)
        )
        """Whether the module's text names a web library and where uploads come from: without
        them no argument is an upload (:attr:`ModuleSummary.uploads`), and classifying the
        arguments is skipped (most modules of a Django app name Django, few ``FILES``)."""
        self._inputs: WebInputs | None = None
        self._sized: set[str] = set()
        """The functions in which a condition has read a size so far in the walk (OOM403's check)."""
        self._names_limits = source is None or any(text in source for text in LIMIT_TEXTS)
        """Whether the module's text names a framework's body limit (:attr:`ModuleSummary.body_limits`)."""
        self._body_limits: set[str] = set()
        self._names_raised = source is None or any(text in source for text in RAISED_TEXTS)
        self._raised_limits: set[str] = set()
        self._declaring: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, set[str]]] | None = None
        self._made: list[tuple[tuple, str]] = []
        """``(holder, callee)`` of each value a function binds to a local name (holder
        ``(scope, name)``) or stores on ``self`` (``(class, attribute)``) from a call."""
        self._releasing: dict[tuple, set[str]] = {}
        """Per holder: the methods of ``LEARNED_RELEASES`` called on it for their effect."""
        self._handed: set[tuple] = set()
        """Holders (local names) a function returns (the caller's to release) or releases
        on its normal path only: neither released with care nor kept."""
        """The module's functions that declare names ``global``, with those names (:meth:`_bound_to`)."""

    @staticmethod
    def node_types() -> dict[type[ast.AST], str]:
        return {
            ast.Return: "visit_Return", ast.Yield: "visit_Yield", ast.YieldFrom: "visit_Yield",
            ast.Assign: "visit_Assign", ast.ClassDef: "visit_ClassDef",
            ast.Import: "visit_Import", ast.ImportFrom: "visit_Import",
            ast.Call: "visit_Call", ast.Delete: "visit_Delete", ast.For: "visit_Loop", ast.AsyncFor: "visit_Loop", ast.While: "visit_While",
            ast.ListComp: "visit_Loop", ast.SetComp: "visit_Loop", ast.DictComp: "visit_Loop",
            ast.GeneratorExp: "visit_Loop",
            ast.If: "visit_If", ast.IfExp: "visit_If", ast.Assert: "visit_If",
            ast.AugAssign: "visit_AugAssign", ast.Compare: "visit_Compare", ast.AnnAssign: "visit_AnnAssign",
        }

    def visit_Call(self, node: ast.Call) -> None:
        model = self.model
        if self._names_limits:
            for item in node.keywords:
                framework = SETTINGS.get(item.arg.lower()) if item.arg else None
                if framework is not None and not BODY_LIMITS[framework].on_by_default:
                    self._note_body_limit(framework, item.value, node)
        if self._names_raised:
            for item in node.keywords:
                framework = RAISED_SETTINGS.get(item.arg.lower()) if item.arg else None
                if framework is not None:
                    self._note_raised_limit(framework, item.value, node)
        if isinstance(node.func, ast.Attribute) and (node.func.attr in DELETES or node.func.attr in POPS):
            self._removals.append((node, model.scope))
        if isinstance(node.func, ast.Attribute) and node.func.attr in SHRINKING_METHODS:
            self._note_shrink(node.func.value)
        if isinstance(node.func, ast.Attribute):
            self._note_call_growth(node, node.func)
            if node.func.attr in LEARNED_RELEASES and not node.args and not node.keywords:
                self._note_release(node)
        executing = model.executing_function
        if executing is None:
            key = None
        elif executing is model.function:
            key = self._function_key()
            if key is None:
                return
        else:
            return  # a lambda's body runs when the lambda is called
        callee = self._callee(node)
        called = callee if callee is not None else self._located_method(node)
        if called is not None:
            self._calls.append((key, node, called))
        handed = handed_call(model, node) if last_name(node.func) in HANDING_NAMES else None
        if handed is not None:
            # ``pool.submit(work, item)``: a call of ``work`` wherever the hand-off runs.
            worker = self._callee(handed)
            if worker is not None:
                self._calls.append((key, node, worker))
        if key is not None:
            self._scopes.setdefault(key, self._function_scope())
            self._note_flow(node, key, callee)
            if isinstance(node.func, ast.Attribute) and node.func.attr in EXPIRING_PARAMETERS:
                self._expiring_writes.append((key, node, self._function_scope()))
            if called is not None:
                self._note_arguments(node, key, called)

    def _note_release(self, call: ast.Call) -> None:
        """``conn.close()`` in a ``finally`` clause, ``await self.es.close()`` in a method,
        called for its effect (its result is no value the code goes on with): what holds the
        receiver is released with care, the project's sign of a resource. A local name closed
        on the normal path only is tidiness, no sign: the project may close what holds nothing
        (sabnzbd closes its ``RarFile`` subclass, whose ``close()`` does nothing)."""
        parent = self.model.parent(call)
        if isinstance(parent, ast.Await):
            parent = self.model.parent(parent)
        holder = self._holder(call.func.value) if isinstance(parent, ast.Expr) else None
        if holder is None:
            return
        if isinstance(holder[0], ast.ClassDef) or self._in_finally(parent):
            self._releasing.setdefault(holder, set()).add(call.func.attr)
        else:
            self._handed.add(holder)  # released, but says nothing: counted neither way

    def _in_finally(self, statement: ast.stmt) -> bool:
        """Whether ``statement`` is in the ``finally`` clause of a ``try`` of its function."""
        for ancestor in self.model.ancestors(statement):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                return False
            if isinstance(ancestor, TRY_STATEMENTS) and ancestor.finalbody and (
                ancestor.finalbody[0].lineno <= statement.lineno <= ancestor.finalbody[-1].end_lineno
            ):
                return True
        return False

    def _holder(self, expr: ast.expr) -> tuple | None:
        """What holds the value ``expr`` reads, for :attr:`ModuleSummary.releases`: a
        function's local name (``(scope, name)``, also read in a closure), an attribute of
        ``self`` (``(class, attribute)``, in any method of the class); None for anything else."""
        if isinstance(expr, ast.Name):
            binding = self.model.lookup(expr.id, at=expr)
            scope = binding.scope if binding is not None and binding.kind == "assign" else None
            return (scope, expr.id) if scope is not None and scope.kind == "function" else None
        if isinstance(expr, ast.Attribute) and self.model.is_self(expr.value):
            owner = self.model.method_class
            return (owner, expr.attr) if owner is not None else None
        return None

    def _note_made(self, node: ast.Assign) -> None:
        """:attr:`ModuleSummary.releases`: ``name = <call>`` or ``self.<name> = <call>`` (awaited
        or not) in a function, where the call makes a new object: a class or function called
        by its name (``AsyncElasticsearch(url)``, ``connect(path)``) or through a module
        (``pycurl.Curl()``). A method of an object (``connection.cursor()``, ``g.get("db")``,
        ``IOLoop.current()``, ``self._get_session()``) gives a part of its receiver or an
        object the receiver keeps: its receiver is what holds anything."""
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        if len(node.targets) != 1 or not isinstance(value, ast.Call) or not self._made_by_name(value.func):
            return
        callee = self._callee(value)
        if callee is None or callee.startswith("builtins.") or callee in IN_MEMORY_FILES:
            return
        target = node.targets[0]
        if isinstance(target, ast.Name):
            self._made.append(((self._function_scope(), target.id), callee))
        elif isinstance(target, ast.Attribute) and self.model.is_self(target.value) and self.model.method_class is not None:
            self._made.append(((self.model.method_class, target.attr), callee))

    def _made_by_name(self, func: ast.expr) -> bool:
        """``Name(...)``, or ``module.name(...)`` on a module bound by ``import``."""
        while isinstance(func, ast.Attribute):
            func = func.value
            if isinstance(func, ast.Name):
                binding = self.model.lookup(func.id)
                return binding is not None and binding.kind == "import" and isinstance(binding.node, ast.Import)
        return isinstance(func, ast.Name)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                self._note_shrink(target.value)

    def _note_shrink(self, container: ast.expr) -> None:
        """An imported module's or class's container that entries are taken out of."""
        if isinstance(container, (ast.Name, ast.Attribute)):
            qualified = self.model.qualified_name(container)
            if qualified is not None and not qualified.startswith("builtins."):
                self._shrinks.add(absolute_name(qualified, self.summary.name, self.summary.is_package))

    def _note_call_growth(self, node: ast.Call, func: ast.Attribute) -> None:
        """``X.setdefault(key, v)``, ``X.add(key)``, ``X.update(...)``, ``X[key].append(v)``;
        ``X.get(key)`` as a lookup."""
        if func.attr in ("setdefault", "add") and node.args:
            value = node.args[1] if func.attr == "setdefault" and len(node.args) > 1 else None
            self._note_growth(func.value, node, node.args[0], value)
        elif func.attr == "update" and (
            any(item.arg is None for item in node.keywords) or not all(constant_entries(arg) for arg in node.args)
        ):
            self._note_growth(func.value, node, None)
        elif func.attr == "get":
            self._note_lookup(func.value, node)
        if isinstance(func.value, ast.Subscript):
            self._note_growth(func.value.value, node, func.value.slice, how="defaultdict")

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        """``X[key] += 1`` (a defaultdict's default), ``X |= other``."""
        target = node.target
        if isinstance(target, ast.Subscript):
            self._note_growth(target.value, target, target.slice, how="defaultdict")
        elif isinstance(node.op, ast.BitOr) and not constant_entries(node.value):
            self._note_growth(target, node, None)

    def visit_Compare(self, node: ast.Compare) -> None:
        """``key in X``: a lookup of ``X``."""
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                self._note_lookup(right, node)

    def _project_container(self, container: ast.expr) -> str | None:
        """The qualified name of another module's container (imported, or an attribute of
        something imported), None for anything else."""
        if not isinstance(container, (ast.Name, ast.Attribute)):
            return None
        qualified = self.model.qualified_name(container)
        if qualified is None or qualified.partition(".")[0] in _STANDARD:
            return None
        return absolute_name(qualified, self.summary.name, self.summary.is_package)

    def _writer(self) -> str | None:
        """The key of the function whose own code runs now (not a lambda's, not at import time)."""
        executing = self.model.executing_function
        return self._function_key() if executing is not None and executing is self.model.function else None

    def _note_lookup(self, container: ast.expr, at: ast.AST) -> None:
        key = self._writer()
        qualified = self._project_container(container) if key is not None else None
        if qualified is not None:
            self._looked_up.setdefault((key, qualified), []).append(_start(at))

    def _note_growth(
        self, container: ast.expr, site: ast.AST, key: ast.expr | None, value: ast.expr | None = None, how: str = ""
    ) -> None:
        """A write that adds ``key`` (None: some keys) to another module's container, judged
        as OOM303 judges a write of the container's own module: what the key can grow with."""
        function_key = self._writer()
        qualified = self._project_container(container) if function_key is not None else None
        if qualified is None:
            return
        function = self._function_scope().node
        if self._facts is None:
            self._facts = ModuleFacts(self.model.module_scope.node, source=self._text)
        if self._runs is None:
            self._runs = Runs(self.model, self.model.module_scope.node, facts=self._facts)
        if self._runs.once(function):
            return  # set-up code, a migration: one run's keys
        if value is not None:
            value = value.value if isinstance(value, ast.Await) else value
            if is_class_value(self.model, value, function) or names_few_values(value):
                return  # code or configuration: one entry per thing the program defines
        varying = None if key is None else varying_parameters(self.model, self._facts, key, function, site)
        if varying is not None and not varying:
            return  # few values, whatever the traffic
        if varying and connects(function):
            return  # one client per configured endpoint
        if varying and is_registered(function):
            varying = None  # a route, a task: its parameters come from outside
        growth = self._growth(key, function) if key is not None else []
        if varying or isinstance(growth, list) and growth:
            self._note_parameters(function_key)
        self._grows.append((function_key, qualified, _start(site), ANYTHING if varying is None else sorted(varying), how, growth))

    def visit_Loop(self, node: ast.For | ast.AsyncFor | ast.While | ast.comprehension) -> None:
        """What runs again and again: a loop's body (a ``while`` test too), a comprehension
        but its first iterable."""
        model = self.model
        key = self._function_key() if model.executing_function is model.function else None
        if model.executing_function is not None and key is None:
            return
        if bounded_loop(node, model.module_scope.bindings):
            return
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            first = node.test if isinstance(node, ast.While) else node.body[0]
            last = node.body[-1]
        else:
            first, last = node.generators[0].target, getattr(node, "value", None) or node.elt
            first = min((first, last), key=_start)
        self._loops.setdefault(key, []).append((_start(first), (last.end_lineno, last.end_col_offset)))

    def visit_While(self, node: ast.While) -> None:
        """A loop whose test is a condition: what it calls repeats (``while next_call:``
        submitting a task per round), and what its test reads is checked."""
        self.visit_Loop(node)
        self.visit_If(node)

    def visit_Return(self, node: ast.Return) -> None:
        for item in node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]:
            holder = self._holder(item) if isinstance(item, ast.Name) else None
            if holder is not None:
                self._handed.add(holder)
        key = self._function_key()
        if key is not None:
            self._scopes.setdefault(key, self._function_scope())
        if key is None or node.value is None or _is_none(node.value):
            return
        if isinstance(node.value, ast.Name) and self.model.module_binding(node.value) is not None and (
            self.model.lookup(node.value.id, at=node.value) is self.model.module_binding(node.value)
        ):
            self._returned_globals.setdefault(key, set()).add(node.value.id)
        else:
            self._returns_other.add(key)
        flow = self._returned_flow(node.value, key)
        if flow is not None and flow not in self.summary.returned.get(key, ()):
            self.summary.returned.setdefault(key, []).append(flow)
        if key not in self._returns and self._shares_result(self.model.scope.node):
            self._shared.add(key)
        elements = node.value.elts if isinstance(node.value, ast.Tuple) else None
        found = self._returns.setdefault(key, {})
        wraps = self._wraps.setdefault(key, {})
        named = self._given_names.setdefault(key, {})
        for element, value in [("", node.value)] if elements is None else [(str(index), item) for index, item in enumerate(elements)]:
            call = self._origin_call(value)
            found.setdefault(element, set()).add((self._callee(call) if call is not None else None) or "")
            given = self._given_parameters(call) if call is not None else {}
            wraps[element] = given if wraps.get(element, given) == given else {}
            names = self._imported_arguments(call) if call is not None else {}
            named[element] = names if named.get(element, names) == names else {}

    def _note_request_hooks(self) -> None:
        """:attr:`ModuleSummary.request_hooks`: the module-level functions that a
        ``X.before_request`` decorator registers, by ``X``."""
        for statement in self.model.module_scope.node.body:
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            decorators = [item.func if isinstance(item, ast.Call) else item for item in statement.decorator_list]
            hooked = [
                item.value for item in decorators if isinstance(item, ast.Attribute) and item.attr == REQUEST_HOOK
            ]
            others = sorted({last_name(item) or "" for item in decorators if not (isinstance(item, ast.Attribute) and item.attr == REQUEST_HOOK)} - {""})
            for target in hooked:
                name = self._name(target, self.model.module_scope)
                if name is not None:
                    found = self.summary.request_hooks.setdefault(name, [])
                    found.extend(item for item in others if item not in found)

    def _imported_arguments(self, call: ast.Call) -> dict[str, str]:
        """The imported names ``call`` is given (``subprocess.PIPE``), by the call's slot."""
        given = [*((str(index), value) for index, value in enumerate(call.args)), *((item.arg, item.value) for item in call.keywords)]
        found = {}
        for slot, value in given:
            if slot is None or not isinstance(value, (ast.Name, ast.Attribute)):
                continue
            root = value
            while isinstance(root, ast.Attribute):
                root = root.value
            binding = self.model.lookup(root.id, at=root) if isinstance(root, ast.Name) else None
            if binding is not None and binding.kind == "import":
                found[slot] = self.model.qualified_name(value) or ""
        return {slot: name for slot, name in found.items() if name}

    def _given_parameters(self, call: ast.Call) -> dict[str, list]:
        """The function's own parameters ``call`` is given as they are, by the call's slot
        (``"0"``, a keyword): ``[name, position]``, the position among those its callers
        pass by position (``self`` left out; None for a keyword-only one)."""
        if not any(isinstance(value, ast.Name) for value in (*call.args, *(item.value for item in call.keywords))):
            return {}
        scope = self._function_scope()
        args = scope.node.args
        positional = [arg.arg for arg in (*args.posonlyargs, *args.args)]
        if positional and self.model.is_self(ast.Name(positional[0]), scope):
            positional = positional[1:]
        names = {*positional, *(arg.arg for arg in args.kwonlyargs)}
        given = [*((str(index), value) for index, value in enumerate(call.args)), *((item.arg, item.value) for item in call.keywords)]
        found = {}
        for slot, value in given:
            if slot is None or not isinstance(value, ast.Name) or value.id not in names:
                continue
            binding = self.model.lookup(value.id, at=value)
            if binding is not None and binding.kind == "param" and binding.scope is scope:
                found[slot] = [value.id, positional.index(value.id) if value.id in positional else None]
        return found

    def _returned_flow(self, expr: ast.expr, key: str) -> int | None:
        """The flow whose call's result ``expr`` is, through names assigned from it (not
        what its attributes or methods give: ``_source`` follows those)."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, ast.Await):
                expr = expr.value
            elif isinstance(expr, ast.Call):
                return self._flow(expr, key)
            elif isinstance(expr, ast.Name):
                binding = self.model.lookup(expr.id, at=expr)
                if binding is None or binding.scope is not self.model.scope or binding.kind not in ("assign", "with"):
                    return None
                value = binding.value if binding.value is not None else getattr(binding.node, "value", None)
                if not isinstance(value, ast.expr):
                    return None
                expr = value
            else:
                return None
        return None

    def _shares_result(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Memoized functions and properties hand every caller the same object."""
        return any(
            (last_name(decorator.func if isinstance(decorator, ast.Call) else decorator) or "") in SHARED_RESULTS
            for decorator in function.decorator_list
        )

    def visit_Yield(self, node: ast.AST) -> None:
        key = self._function_key()
        if key is not None:
            self._generators.add(key)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self._names_limits and node.value is not None and names_flask_limit(node.target):
            self._note_body_limit(FLASK_FRAMEWORK, node.value, node)

    def _note_body_limit(self, framework: str, value: ast.expr, node: ast.AST) -> None:
        """A setting of ``framework``'s body limit: kept when finite and set unconditionally."""
        if not limits_nothing(self.model, value, BODY_LIMITS[framework]) and self._unconditional(node):
            self._body_limits.add(framework)

    def _note_raised_limit(self, framework: str, value: ast.expr, node: ast.AST) -> None:
        """A setting of ``framework``'s limit that is on by default: kept when raised and set unconditionally."""
        if raises_limit(self.model, value, DEFAULT_LIMITS[framework]) and self._unconditional(node):
            self._raised_limits.add(framework)

    def _unconditional(self, node: ast.AST) -> bool:
        return not any(isinstance(ancestor, (ast.If, ast.IfExp, ast.While)) for ancestor in self.model.ancestors(node))

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._names_limits and any(names_flask_limit(target) for target in node.targets):
            self._note_body_limit(FLASK_FRAMEWORK, node.value, node)
        if self._names_raised and any(names_setting(target, DEFAULT_LIMITS[DJANGO].setting) for target in node.targets):
            self._note_raised_limit(DJANGO, node.value, node)
        if self.model.scope is not self.model.module_scope:
            key = self._function_key()
            if key is not None:
                self._scopes.setdefault(key, self._function_scope())
            self._note_held(node)
            self._note_made(node)
            for target in node.targets:
                if isinstance(target, ast.Subscript):
                    self._note_growth(target.value, target, target.slice, node.value)
                    if isinstance(target.value, ast.Subscript):
                        self._note_growth(target.value.value, target.value, target.value.slice, how="defaultdict")
            return
        if len(node.targets) != 1:
            return
        target = node.targets[0]
        self._note_setting(target, node.value)
        origin = self._callee(node.value) if isinstance(node.value, ast.Call) else None
        if origin is None:
            return
        if isinstance(target, ast.Name):
            self.summary.values[target.id] = [origin, ""]
        elif isinstance(target, ast.Tuple):
            for index, element in enumerate(target.elts):
                if isinstance(element, ast.Name):
                    self.summary.values[element.id] = [origin, str(index)]

    def _note_held(self, node: ast.Assign) -> None:
        """:attr:`ModuleSummary.holds`: ``self.<name> = <call>`` in the ``__init__`` of a
        module-level class, either alternative of ``given or Session()`` included."""
        function, owner, parent = self.model.function, self.model.method_class, self.model.scope.parent
        if function is None or function.name != "__init__" or owner is None or parent is None or parent.parent is not self.model.module_scope:
            return
        if len(node.targets) != 1 or not (isinstance(node.targets[0], ast.Attribute) and self.model.is_self(node.targets[0].value)):
            return
        value = node.value
        alternatives = [value.body, value.orelse] if isinstance(value, ast.IfExp) else value.values if isinstance(value, ast.BoolOp) else [value]
        for item in alternatives:
            call = self._origin_call(item)
            callee = self._callee(call) if call is not None else None
            if callee is not None and callee not in self.summary.holds.get(owner.name, ()):
                self.summary.holds.setdefault(owner.name, []).append(callee)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.model.scope is not self.model.module_scope:
            return
        self.summary.bases[node.name] = [self._name(base) or "" for base in node.bases]
        self.summary.methods[node.name] = [
            item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        if self.model.scope is not self.model.module_scope:
            return
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            binding = self.model.module_scope.bindings.get(bound)
            if binding is not None and binding.kind == "import":
                self.summary.aliases[bound] = absolute_name(binding.qualname, self.summary.name, self.summary.is_package)

    def finish(self) -> ModuleSummary:
        self._call_graph()
        for key, elements in self._returns.items():
            if key in self._generators:
                continue
            agreed = {element: origins.pop() for element, origins in elements.items() if len(origins) == 1}
            agreed = {element: origin for element, origin in agreed.items() if origin}
            if agreed:
                self.summary.returns[key] = agreed
        self.summary.shared = sorted(self._shared & self.summary.returns.keys())
        self._note_request_hooks()
        for key, elements in self._wraps.items():
            given = {element: slots for element, slots in elements.items() if slots and element in self.summary.returns.get(key, {})}
            if given:
                self.summary.wraps[key] = given
        for key, elements in self._given_names.items():
            given = {element: slots for element, slots in elements.items() if slots and element in self.summary.returns.get(key, {})}
            if given:
                self.summary.given_names[key] = given
        for key, names in self._returned_globals.items():
            made = None if key in self._returns_other or key in self._generators else self._bound_to(names)
            if made:
                self.summary.factories[key] = made
        self._note_releases()
        self.summary.flows = {key: flows for key, flows in self._flows.items() if flows}
        self.summary.conditions = self._conditions
        removed = {
            (what, family)
            for call, scope in self._removals
            for what, family, _ in removed_families(self.model, call, lambda expr, scope=scope: self._name(expr, scope), scope)
        }
        self.summary.removed_keys = [list(item) for item in sorted(removed)]
        self.summary.shrinks = sorted(self._shrinks)
        self.summary.body_limits = sorted(self._body_limits)
        self.summary.raised_limits = sorted(self._raised_limits)
        grows = {
            (qualified, function, key if isinstance(key, str) else tuple(key), any(at < position for at in self._looked_up.get((function, qualified), ())), how,
             growth if isinstance(growth, str) else tuple(growth))
            for function, qualified, position, key, how, growth in self._grows
        }
        self.summary.grows = [
            [qualified, function, key if key == ANYTHING else list(key), looked_up, how, growth if isinstance(growth, str) else list(growth)]
            for qualified, function, key, looked_up, how, growth in sorted(grows, key=repr)  # a key is ANYTHING or a tuple
        ]
        for key, call, scope in self._expiring_writes:
            write = self._forwarded_write(call, scope)
            if write is not None:
                self.summary.forwards.setdefault(key, [_signature(self.model, scope), []])[1].append(write)
        for key, scope in self._scopes.items():
            name_of = functools.partial(project_name, self.model, module=self.summary.name, is_package=self.summary.is_package, scope=scope)
            lends = _lending(self.model, scope, name_of)
            if lends:
                self.summary.lends[key] = lends
        return self.summary

    def _forwarded_write(self, call: ast.Call, scope: Scope) -> list | None:
        """``[command, how, receiver, arguments]`` (see :attr:`ModuleSummary.forwards`) for a
        write whose key is made of a parameter and whose expiry a parameter (or the
        caller's ``*args``/``**kwargs``) gives: the caller decides both. None for any other."""
        parameters = {arg.arg for arg in _parameters(scope.node.args)}
        given = [*((str(index), value) for index, value in enumerate(call.args)), *((item.arg or "**", item.value) for item in call.keywords)]
        arguments = []
        for argument, value in given:
            if isinstance(value, ast.Starred):
                argument, value = "*", value.value
            if isinstance(value, ast.Constant) and value.value in (None, False):
                continue
            exact = argument not in ("0", "name")
            arguments.append([argument, self._parameter_of(value, scope, parameters, exact) or ANYTHING])
        passed = dict(arguments)
        expiring = {place for position, keyword in EXPIRING_PARAMETERS[call.func.attr] for place in (str(position), keyword)}
        if passed.get("0", passed.get("name", ANYTHING)) == ANYTHING or not any(
            source != ANYTHING and (argument in expiring or argument in ("*", "**")) for argument, source in arguments
        ):
            return None
        receiver = self._receiver(call.func.value, scope)
        return None if receiver is None else [call.func.attr, *receiver, arguments]

    def _parameter_of(self, value: ast.expr, scope: Scope, parameters: set[str], exact: bool) -> str | None:
        """The parameter ``value`` is (a local name counts as what it was assigned), or,
        unless ``exact``, the one parameter it is made of (``prepare_value(key)``, ``f"app:{key}"``)."""
        value = self.model.resolve(value, scope)
        names = [value] if exact else [node for node in walk(value) if isinstance(node, ast.Name)]
        found = {
            name.id for name in names
            if isinstance(name, ast.Name) and name.id in parameters and not self.model.is_self(name, scope)
        }
        return found.pop() if len(found) == 1 else None

    def _receiver(self, expr: ast.expr, scope: Scope) -> list[str] | None:
        """``["call", name]`` when ``expr`` is made by a call of ``name`` (``self.client``
        assigned ``FlaskRedis()``), ``["value", name]`` when it is the module-level value
        ``name`` (imported or not); None when neither is known."""
        resolved = self.model.resolve(expr, scope)
        if isinstance(resolved, ast.Call):
            name = self._name(resolved.func, scope)
            return None if name is None else ["call", name]
        if isinstance(resolved, ast.Name):
            binding = self.model.lookup(resolved.id, scope, at=resolved)
            if binding is None or binding.scope is not self.model.module_scope:
                return None
        elif not isinstance(resolved, ast.Attribute) or self.model.is_self(resolved.value, scope):
            return None
        name = self._name(resolved, scope)
        return None if name is None else ["value", name]

    def _call_graph(self) -> None:
        module_calls = set()
        for key, call, callee in self._calls:
            if key is None or self._in_set_up(key, call):
                module_calls.add(callee)  # a lazy singleton's set-up runs once, as at import
            else:
                called = self.summary.calls.setdefault(key, {})
                called[callee] = called.get(callee, False) or self._in_loop(key, call)
        self.summary.module_calls = sorted(module_calls)

    def _in_loop(self, key: str, call: ast.Call) -> bool:
        start, end = _start(call), (call.end_lineno, call.end_col_offset)
        return any(first <= start and end <= last for first, last in self._loops.get(key, ()))

    def _in_set_up(self, key: str, call: ast.Call) -> bool:
        """In a lazy set-up block of the function (``if _SOLR is None: _SOLR = Solr(url)``,
        :func:`~oomlint.python.runs.lazy_set_up`), and in no loop there."""
        spans = self._set_ups.get(key)
        if not spans:
            return False
        start, end = _start(call), (call.end_lineno, call.end_col_offset)
        return any(first <= start and end <= last for first, last in spans) and not self._in_loop(key, call)

    # Where parameters go: the facts rules read to follow a value into a helper.

    def _note_flow(self, node: ast.Call, key: str, callee: str | None | object = ...) -> None:
        """``callee``: the call's, when the walk has just found it (its scope is the walk's)."""
        if node in self._methods_noted:
            return
        self._methods_noted.add(node)
        self._flow(node, key, callee)
        if isinstance(node.func, ast.Attribute):
            if isinstance(node.func.value, ast.Call):  # a chain runs inside out
                self._note_flow(node.func.value, key)
            source = self._source(node.func.value, key)
            if isinstance(source, int):
                self._flows[key][source][3].append([node.func.attr, self._step(key)])

    def visit_If(self, node: ast.If | ast.While | ast.IfExp | ast.Assert) -> None:
        key = self._function_key()
        if key is None:
            return
        if self._web and key not in self._sized and any(reads_size(expr) for expr in self._read_in(node.test)):
            self._sized.add(key)
        if type(node) is ast.If and self.model.executing_function is self.model.function:
            if lazy_set_up(node, self._function_scope().global_names):
                first, last = node.body[0], node.body[-1]
                self._set_ups.setdefault(key, []).append((_start(first), (last.end_lineno, last.end_col_offset)))
        read = {}
        sources: dict[ast.expr, str | int | None] = {}
        """What each node of the test is made from: ``x.size`` asks about ``x`` as the
        walk of the test comes to ``x`` too."""
        for expr in self._read_in(node.test):
            expr_type = type(expr)
            if expr_type is ast.Attribute:
                value = expr.value
                source = sources[value] if value in sources else sources.setdefault(value, self._source(value, key))
                if source is not None:
                    read.setdefault((source, expr.attr), None)
            elif expr_type is ast.Name or expr_type is ast.Call:
                source = sources[expr] if expr in sources else sources.setdefault(expr, self._source(expr, key))
                if isinstance(source, int):
                    read.setdefault((source, ""), None)
        if read:
            step = self._step(key)
            self._conditions.setdefault(key, []).extend([source, attribute, step] for source, attribute in read)
            self._note_parameters(key)

    def _read_in(self, test: ast.expr, depth: int = 2):
        """The nodes of ``test``, and of what its names were assigned from (``depth`` deep)."""
        for node in walk(test):
            yield node
            if depth and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                binding = self.model.lookup(node.id, at=node)
                if binding is None or binding.kind != "assign" or binding.scope is not self.model.scope:
                    continue
                value = getattr(binding.node, "value", None)
                if isinstance(value, ast.expr):
                    yield from self._read_in(value, depth - 1)

    def _flow(self, call: ast.Call, key: str, callee: str | None | object = ...) -> int | None:
        """The index of the flow ``call`` is in ``key``'s, recorded when a parameter's
        value (or an earlier flow's result) is one of its arguments (``callee``: the call's,
        when known)."""
        if (key, call) in self._flow_of:
            return self._flow_of[key, call]
        self._flow_of[key, call] = None
        if callee is ...:
            callee = self._callee(call)
        if callee is None:
            return None
        passed = [*enumerate(call.args), *((item.arg, item.value) for item in call.keywords if item.arg)]
        for argument, value in passed:
            if isinstance(value, ast.Starred):
                break
            source = self._source(value, key)
            if source is not None:
                flows = self._flows.setdefault(key, [])
                flows.append([source, callee, argument, [], self._step(key)])
                self._flow_of[key, call] = len(flows) - 1
                self._note_parameters(key)
                break
        return self._flow_of[key, call]

    def _source(self, expr: ast.expr, key: str, depth: int = _MAX_DEPTH) -> str | int | None:
        """The parameter whose value ``expr`` is, or is taken from (its attributes, items,
        what its methods return), or the index of the flow whose result it is."""
        for _ in range(depth):  # asked of every argument of every call: by type, not isinstance
            kind = type(expr)
            if kind is ast.Await or kind is ast.Attribute or kind is ast.Subscript:
                expr = expr.value
            elif kind is ast.Call:
                flow = self._flow(expr, key)
                if flow is not None or type(expr.func) is not ast.Attribute:
                    return flow
                expr = expr.func.value
            elif kind is ast.Name:
                binding = self.model.lookup(expr.id, at=expr)
                if binding is None or binding.scope is not self.model.scope:
                    return None
                if binding.kind == "param":
                    return None if self.model.is_self(expr) else expr.id
                value = binding.value if binding.value is not None else getattr(binding.node, "value", None)
                if binding.kind not in ("assign", "with") or not isinstance(value, ast.expr):
                    return None
                expr = value
            else:
                return None
        return None

    def _note_arguments(self, call: ast.Call, key: str, callee: str) -> None:
        """What ``call`` gives each argument: few values, the caller's parameters, or anything."""
        top = callee.partition(".")[0]
        if top in _STANDARD and top != self.summary.name.partition(".")[0]:
            return  # the standard library's (a project named like one of its modules records its own)
        function = self._function_scope().node
        if self._facts is None:
            self._facts = ModuleFacts(self.model.module_scope.node, source=self._text)
        registered = self._registered.get(function)
        if registered is None:
            registered = self._registered[function] = is_registered(function)
        passed: dict[str, list[str] | str] = {}
        growing: dict[str, list[str] | str] = {}
        given = [*((str(index), value) for index, value in enumerate(call.args)), *((item.arg, item.value) for item in call.keywords)]
        for argument, value in given:
            if argument is None or isinstance(value, ast.Starred):
                passed["*"] = ANYTHING
                continue
            varying = varying_parameters(self.model, self._facts, value, function, call)
            if varying and registered:
                varying = None
            passed[argument] = ANYTHING if varying is None else sorted(varying)
            growth = self._growth(value, function) if varying is None else []
            if growth:
                growing[argument] = growth
            if varying or isinstance(growth, list) and growth:
                self._note_parameters(key)
        calls = self.summary.arguments.setdefault(key, [])
        calls.append([callee, passed])
        if growing:
            self.summary.growing.setdefault(key, []).append([len(calls) - 1, growing])
        literals = {
            argument: value.value for argument, value in given
            if argument is not None and isinstance(value, ast.Constant) and isinstance(value.value, str)
        }
        if literals:
            self.summary.literals.setdefault(key, []).append([len(calls) - 1, literals])
        buffers = self._names_buffers and [
            argument for argument, value in given if argument is not None and self._in_memory(value)
        ]
        if buffers:
            self.summary.in_memory.setdefault(key, []).append([len(calls) - 1, buffers])
        uploads = self._web and key not in self._sized and [
            argument for argument, value in given
            if argument is not None and not isinstance(value, ast.Starred) and self._upload(value)
        ]
        if uploads and not admins_only(self.model):
            self.summary.uploads.setdefault(key, []).append([len(calls) - 1, uploads])
            self._note_parameters(key)

    def _growth(self, value: ast.expr, function: ast.AST) -> list[str] | str:
        """What ``value`` grows with (:attr:`ModuleSummary.growing`): the evidence, or the
        function's parameters it is made of (what a request or task handler is given comes
        from outside: evidence)."""
        if self._inputs is None:
            self._inputs = WebInputs(self.model)
        evidence, parameters = key_growth(self.model, self._inputs, value, function)
        if evidence is None and parameters and is_handler(function):
            return REGISTERED_INPUT
        return evidence or sorted(parameters)

    def _upload(self, value: ast.expr) -> bool:
        """An upload of a web framework, as OOM403 knows one."""
        if self._inputs is None:
            self._inputs = WebInputs(self.model)
        return self._inputs.origin(value).streamed_upload

    def _in_memory(self, value: ast.expr) -> bool:
        """``io.BytesIO(data)``, or a name bound to one: a file object with nothing of the OS behind it."""
        made = self.model.resolve(value)
        return isinstance(made, ast.Call) and self.model.qualified_name(made.func) in IN_MEMORY_FILES

    def _step(self, key: str) -> int:
        step = self._steps.get(key, 0)
        self._steps[key] = step + 1
        return step

    def _note_parameters(self, key: str) -> None:
        if key in self.summary.parameters:
            return
        scope = self._function_scope()
        args = scope.node.args
        positional = [arg.arg for arg in (*args.posonlyargs, *args.args)]
        if positional and self.model.is_self(ast.Name(positional[0]), scope):
            positional = positional[1:]
        self.summary.parameters[key] = [*positional, *(arg.arg for arg in args.kwonlyargs)]
        annotated = {
            arg.arg: [name or "" for name in self.model.annotation_types(arg.annotation)]
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)
            if arg.annotation is not None
        }
        if annotated:
            self.summary.annotations[key] = annotated

    def _note_setting(self, target: ast.expr, value: ast.expr) -> None:
        """``Image.MAX_IMAGE_PIXELS = 50_000_000``: a setting of an imported module."""
        if isinstance(target, ast.Attribute):
            qualified = self.model.qualified_name(target)
            if qualified is not None and not qualified.startswith("builtins."):
                self.summary.settings[qualified] = ast.unparse(value)[:_SETTING_TEXT]

    def _function_scope(self) -> Scope:
        """The scope whose code runs now: a comprehension's is its function's."""
        scope = self.model.scope
        while scope.kind == "comprehension":
            scope = scope.parent
        return scope

    def _function_key(self) -> str | None:
        """``name`` for a module-level function, ``Class.name`` for a method of a
        module-level class (also in a comprehension of one); None for what no other
        module can call."""
        scope = self._function_scope()
        if scope.kind != "function":
            return None
        if scope in self._keys:
            return self._keys[scope]
        key = None
        parent = scope.parent
        if parent is self.model.module_scope:
            key = scope.node.name
        elif parent.kind == "class" and parent.parent is self.model.module_scope:
            key = f"{parent.node.name}.{scope.node.name}"
        self._keys[scope] = key
        return key

    def _origin(self, expr: ast.expr) -> str | None:
        """The callee of the call a fresh returned value comes from (:meth:`_origin_call`)."""
        call = self._origin_call(expr)
        return self._callee(call) if call is not None else None

    def _origin_call(self, expr: ast.expr) -> ast.Call | None:
        """The call a fresh returned value comes from: ``return connect()``, ``conn =
        connect(); ...; return conn``. A value stored elsewhere (``self.conn``, a global)
        is shared, not the caller's; a name bound by ``with`` is closed when returned, unless
        that ``with`` leaves it open (``WITH_KEEPS_OPEN``)."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, ast.Await):
                expr = expr.value
            if isinstance(expr, ast.Call):
                return expr
            if not isinstance(expr, ast.Name):
                return None
            binding = self.model.lookup(expr.id, at=expr)
            if binding is None or binding.scope is not self.model.scope:
                return None
            if binding.kind == "with":
                opened = binding.value
                keeps_open = isinstance(opened, ast.Call) and self._callee(opened) in WITH_KEEPS_OPEN
                return opened if keeps_open else None
            if binding.kind != "assign":
                return None
            if expr.id in self._released_names(self.model.scope.node):
                return None  # ``p.communicate(); return out, p``: nothing left for the caller to release
            expr = binding.value
        return None

    def _note_releases(self) -> None:
        """:attr:`ModuleSummary.releases` from the values made and what became of them."""
        for holder, callee in self._made:
            released, kept, methods = self.summary.releases.setdefault(callee, [0, 0, []])
            done = self._releasing.get(holder)
            if done:
                self.summary.releases[callee] = [released + 1, kept, sorted({*methods, *done})]
            elif holder not in self._handed:
                self.summary.releases[callee][1] = kept + 1

    def _released_names(self, function: ast.AST) -> frozenset[str]:
        """The names ``function`` calls a releasing method on (``p.wait()``, ``f.close()``)
        outside its ``except`` clauses (a factory closes there what it returns otherwise),
        or stores in a module-level container or attribute (``PROCESSES[sid] = p``: a
        registry of live things, whose owner releases them, and the caller shares it):
        one walk per function, however many names it returns."""
        if function not in self._released:
            names = set()
            pending = list(function.body)
            while pending:
                node = pending.pop()
                node_type = type(node)
                if node_type is ast.ExceptHandler:
                    continue
                if (
                    node_type is ast.Call
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in RELEASING_METHODS
                    and isinstance(node.func.value, ast.Name)
                ):
                    names.add(node.func.value.id)
                elif node_type is ast.Assign and isinstance(node.value, ast.Name) and any(
                    self._module_level_root(target) for target in node.targets
                ):
                    names.add(node.value.id)
                for name in CHILD_FIELDS[node_type]:
                    value = getattr(node, name)
                    if type(value) is list:
                        pending.extend(item for item in value if item is not None)
                    elif value is not None:
                        pending.append(value)
            self._released[function] = frozenset(names)
        return self._released[function]

    def _module_level_root(self, target: ast.expr) -> bool:
        """``REGISTRY[key]``, ``state.current`` or ``app.config["sessions"][sid]`` (any
        depth) where the name at the root is the module's (bound or imported there), not
        the function's."""
        if not isinstance(target, (ast.Subscript, ast.Attribute)):
            return False
        while isinstance(target, (ast.Subscript, ast.Attribute)):
            target = target.value
        if not isinstance(target, ast.Name):
            return False
        binding = self.model.lookup(target.id, at=target)
        return binding is not None and binding.scope is self.model.module_scope

    def _callee(self, call: ast.Call) -> str | None:
        return self._name(call.func)

    def _located_method(self, call: ast.Call) -> str | None:
        """For the call graph, a method called on what a function of the project returns
        (``get_storage().incr(...)``, or through a local name bound to that call):
        ``app.storage.get_storage().incr``, which the index resolves through the
        function's :attr:`ModuleSummary.factories`. None for any other call."""
        if not isinstance(call.func, ast.Attribute) or not isinstance(call.func.value, (ast.Call, ast.Name)):
            return None  # ``self.client.get()``: an attribute's value is no locator's call
        made = self.model.resolve(call.func.value)
        if not isinstance(made, ast.Call) or not isinstance(made.func, (ast.Name, ast.Attribute)):
            return None
        factory = self._name(made.func)
        if factory is None or factory.partition(".")[0] != self.summary.name.partition(".")[0]:
            return None  # only the project's own functions (its top package) record what they return
        return f"{factory}().{call.func.attr}"

    def _bound_to(self, names: set[str]) -> list[str] | None:
        """The callees of the calls the module-level ``names`` are ever bound to, at module
        level or in a function that declares them ``global``; None when one of those
        bindings is anything else than such a call or ``None``."""
        found: set[str] = set()
        module = self.model.module_scope.node
        if any(
            binding.kind != "assign" for name in names for binding in self.model.bindings_of(name, self.model.module_scope)
        ):
            return None  # an import, a ``def``, a loop's target: not only what is assigned
        bindings: list[ast.expr | None] = []
        for statement in module.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if any(isinstance(target, ast.Name) and target.id in names for target in targets):
                    bindings.append(statement.value)
        if self._declaring is None:  # one walk of the module, however many names are asked about
            self._declaring = [
                (function, declared) for function in walk(module)
                if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                for declared in [{name for item in function.body if isinstance(item, ast.Global) for name in item.names}]
                if declared
            ]
        for function, declared in self._declaring:
            if not declared & names:
                continue
            for node in walk(function):
                if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id in names for target in node.targets):
                    bindings.append(node.value)
        for value in bindings:
            if value is None or _is_none(value):
                continue
            if not isinstance(value, ast.Call):
                return None
            # Named from the module's scope: the module's classes and imports (a function's
            # own import of the class is not seen, and the binding then gives up).
            callee = self._name(value.func, self.model.module_scope)
            if callee is None:
                return None
            found.add(callee)
        return sorted(found) or None

    def _name(self, expr: ast.expr, scope: Scope | None = None) -> str | None:
        return project_name(self.model, expr, self.summary.name, self.summary.is_package, scope)


# Where an object passed to a function goes. Aliases (``sess = session or self.session``,
# ``with session as s``) stand for the object; a method's result (``resp = sess.get(url)``)
# may hold it (``stream.connect()`` resolves to the stream, ``conn.cursor()`` holds the
# connection): kept when it is returned or stored, while what is got from that result
# (``resp.json()``, ``resp.status_code``) is data.
_ALIASING = (ast.IfExp, ast.BoolOp)
_KEEPING = (
    ast.Return, ast.Yield, ast.YieldFrom, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Starred, ast.AugAssign,
    ast.NamedExpr,
)
# Where a use reads the object and keeps nothing of it.
_READING = (
    ast.IfExp, ast.Expr, ast.Compare, ast.UnaryOp, ast.FormattedValue, ast.JoinedStr, ast.If, ast.While, ast.Assert,
    ast.Delete, ast.For, ast.AsyncFor, ast.comprehension, ast.Subscript, ast.BinOp, ast.Await,
)
_NESTED_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})
_CLIMBED = frozenset({*_ALIASING, ast.Attribute, ast.Call, ast.Await, ast.keyword})
"""The nodes (besides names) whose parent :func:`_note_use` and :func:`_climb` ask for."""


def _lending(model: SemanticModel, scope: Scope, name_of: Callable[[ast.expr], str | None]) -> list[list]:
    """The ``lends`` facts of the function of ``scope`` (see :attr:`ModuleSummary.lends`)."""
    function = scope.node
    args = function.args
    positional = [arg.arg for arg in (*args.posonlyargs, *args.args)]
    static = any(last_name(decorator) == "staticmethod" for decorator in function.decorator_list)
    if positional and not static and model.is_self(ast.Name(positional[0]), scope):
        positional = positional[1:]
    parameters = [*positional, *(arg.arg for arg in args.kwonlyargs)]
    if not parameters:
        return []
    parents: dict[ast.AST, ast.AST] = {}
    loads: dict[str, list[tuple[ast.Name, bool]]] = {}
    """Per name: its loads in the function, each with whether a nested scope holds it."""
    stack = [(statement, function, False) for statement in function.body]
    pop, push = stack.pop, stack.append
    while stack:  # the walk of every function of every summarized module: kept lean
        node, parent, nested = pop()
        node_type = type(node)
        if node_type is ast.Name:
            parents[node] = parent
            if type(node.ctx) is ast.Load:
                loads.setdefault(node.id, []).append((node, nested))
            continue
        fields = CHILD_FIELDS[node_type]
        if not fields:
            continue
        if node_type in _CLIMBED:
            parents[node] = parent
        inner = nested or node_type in _NESTED_SCOPES
        for name in fields:
            value = getattr(node, name)
            if type(value) is list:
                for item in value:
                    if item is not None:
                        push((item, node, inner))
            elif value is not None:
                push((value, node, inner))
    owner = {parameter: parameter for parameter in parameters}
    _find_aliases(owner, loads, parents)
    facts = {parameter: [False, set(), []] for parameter in parameters}
    derived: dict[str, str] = {}
    for name, parameter in owner.items():
        for node, nested in loads.get(name, ()):
            _note_use(facts[parameter], node, nested, parents, name_of, derived, parameter)
    for name, parameter in derived.items():
        if name not in owner and any(
            nested or _held(node, parents) for node, nested in loads.get(name, ())
        ):
            facts[parameter][0] = True
    return [
        [parameter, index < len(positional), kept, sorted(methods), calls]
        for index, (parameter, (kept, methods, calls)) in enumerate(facts.items())
    ]


def _find_aliases(owner: dict[str, str], loads: dict, parents: dict) -> None:
    """Names bound to a parameter's object (``s = session``, ``s = session or default``,
    ``with session as s``), in ``owner`` (name -> parameter), as far as they chain."""
    pending = list(owner)
    while pending:
        name = pending.pop()
        for node, nested in loads.get(name, ()):
            if nested:
                continue
            child, parent = _climb(node, parents)
            target = None
            if isinstance(parent, ast.Assign) and parent.value is child and len(parent.targets) == 1:
                target = parent.targets[0]
            elif isinstance(parent, ast.AnnAssign) and parent.value is child:
                target = parent.target
            elif isinstance(parent, ast.withitem) and parent.context_expr is child:
                target = parent.optional_vars
            if isinstance(target, ast.Name) and target.id not in owner:
                owner[target.id] = owner[name]
                pending.append(target.id)


def _climb(node: ast.expr, parents: dict) -> tuple[ast.expr, ast.AST]:
    """``node`` and its parent, above the expressions whose value may be it (``a or b``)."""
    child, parent = node, parents.get(node)
    while isinstance(parent, _ALIASING) and not (isinstance(parent, ast.IfExp) and parent.test is child):
        child, parent = parent, parents.get(parent)
    return child, parent


def _note_use(fact: list, node: ast.Name, nested: bool, parents: dict, name_of, derived: dict, parameter: str) -> None:
    """One load of a name that holds ``parameter``'s object, into its ``[kept, methods, calls]``."""
    if nested:
        fact[0] = True  # a nested function or class keeps it
        return
    child, parent = _climb(node, parents)
    if isinstance(parent, ast.Attribute):
        call = parents.get(parent)
        if isinstance(call, ast.Call) and call.func is parent:
            fact[1].add(parent.attr)
            holder = parents.get(call)
            if isinstance(holder, ast.Await):
                call, holder = holder, parents.get(holder)
            if isinstance(holder, ast.Assign) and holder.value is call and len(holder.targets) == 1:
                target = holder.targets[0]
                if isinstance(target, ast.Name):
                    derived.setdefault(target.id, parameter)
                else:
                    fact[0] = True
            elif isinstance(holder, _KEEPING):
                fact[0] = True
        return
    if isinstance(parent, ast.keyword):
        call = parents.get(parent)
        callee = name_of(call.func) if parent.arg is not None else None
        if callee is None:
            fact[0] = True
        else:
            fact[2].append([callee, parent.arg])
    elif isinstance(parent, ast.Call):
        if parent.func is child:
            return
        position = next(index for index, item in enumerate(parent.args) if item is child)
        callee = name_of(parent.func)
        if callee is None or any(isinstance(item, ast.Starred) for item in parent.args[:position]):
            fact[0] = True
        else:
            fact[2].append([callee, position])
    elif isinstance(parent, ast.withitem):
        fact[1].add("__exit__")
    elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if parent.value is not child or len(targets) != 1 or not isinstance(targets[0], ast.Name):
            fact[0] = True  # stored (``self.conn = conn``, ``cache[key] = conn``) or unpacked
    elif not isinstance(parent, _READING):
        fact[0] = True


def _held(node: ast.Name, parents: dict) -> bool:
    """A use of a method's result that keeps it: returned, yielded, stored, in a container."""
    child, parent = _climb(node, parents)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return parent.value is child and not all(isinstance(target, ast.Name) for target in targets)
    return isinstance(parent, _KEEPING)


def _parameters(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *filter(None, (args.vararg,)), *args.kwonlyargs, *filter(None, (args.kwarg,))]


def _signature(model: SemanticModel, scope: Scope) -> list:
    """``[positional, variadic, keyword_only, variadic_keywords, defaulted]`` of the
    function ``scope`` (see :attr:`ModuleSummary.forwards`)."""
    args = scope.node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [*[None] * (len(positional) - len(args.defaults)), *args.defaults, *args.kw_defaults]
    named = [*positional, *args.kwonlyargs]
    defaulted = [
        arg.arg for arg, default in zip(named, defaults)
        if default is not None and not (isinstance(default, ast.Constant) and default.value in (None, False))
    ]
    if positional and model.is_self(ast.Name(positional[0].arg), scope):
        positional = positional[1:]
    return [
        [arg.arg for arg in positional], args.vararg.arg if args.vararg else "",
        [arg.arg for arg in args.kwonlyargs], args.kwarg.arg if args.kwarg else "", defaulted,
    ]


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


class Lent(NamedTuple):
    """What a function does with an object it is given (:meth:`ProjectIndex.lends`)."""

    kept: bool
    """It may outlive the call: returned, stored, handed on."""
    methods: frozenset[str]
    """The methods called on it (``close``; ``__exit__`` for ``with``)."""


class ProjectIndex:
    """The summaries of a project's modules, by dotted name and by path."""

    def __init__(self, root: Path, cache: Cache, summaries: Iterable[tuple[str, ModuleSummary]] = ()):
        self.root = root
        self.cache = cache
        self.tests: set[str] = set()
        """The project's test files, left out (see :meth:`own_module`)."""
        self.files: dict[str, str] = {}
        """Modules of the project not summarized yet, by name: their paths. A rule that
        follows a name into one (a base class, a re-export) has it summarized then."""
        self.follows: frozenset[str] = frozenset()
        """The qualified names of the callables the rules follow (``sqlite3.connect``)."""
        self.followed_modules: frozenset[str] = frozenset()
        """The first parts of the names the rules follow (``sqlite3`` of ``sqlite3.connect``)."""
        self.modules: dict[str, ModuleSummary] = {}
        self.digest = ""
        """Names what the index held when it was made (its summaries, the project's modules):
        a check's results depend on it, and on the modules it :meth:`watch` es beyond it."""
        self.files_state = ""
        """Names the paths, sizes and modification times of every file of the project when
        the index was made: while they are the same, so is every summary a question may
        load beyond the sealed ones, and what a check looked into needs no look again."""
        self._eager: frozenset[str] = frozenset()
        self._paths: dict[str, str] = {}
        self._local_runs: dict[str, dict[str, tuple[str, str]]] = {}
        self._watching: dict[str, str] | None = None
        self.by_path: dict[str, ModuleSummary] = {}
        self._closing_classes: frozenset[str] | None = None
        self._removed_keys: list[tuple[str, str, str]] | None = None
        self._forwarding_names: frozenset[str] | None = None
        self._released_kinds: dict[str, tuple[str, ...]] | None = None
        self._leading: dict[frozenset[str], frozenset[str]] = {}
        self._request_hooks: dict[str, list[str]] = {}
        """:meth:`request_hook_decorators`' answers, by name."""
        self._callers: dict[str, list[tuple[str, str | None, bool]]] = {}
        """The inverted call graph: per callee, ``(module, caller key or None at import
        time, in a loop)`` of each call of it, over the modules in :attr:`_called_from`."""
        self._filed_under: dict[str, set[str]] = {}
        """Per module, the callees of :attr:`_callers` whose names start with it: those its
        re-exports may lead further once it is summarized (:meth:`_refile`)."""
        self._called_from: set[str] = set()
        self._searched: set[str] = set()
        """Last names whose mentions in the files not summarized yet were all summarized."""
        self._reached: set[str] = set()
        """Names whose callers were looked for in the files not summarized yet (:meth:`_summarize_reaching`)."""
        self._words: dict[str, list[str]] | None = None
        self._word_sets: dict[str, frozenset[str]] = {}
        self._imports: dict[str, list[tuple[str, str]] | None] | None = None
        """Per module the index passed over: what its text imports (:func:`imported_names`)."""
        self._exports: tuple[dict[str, list[tuple[str, str]]], ...] | None = None
        """:meth:`_export_tables`, made once."""
        self._roots: tuple[dict[str, list[str]], dict[str, set[str]], list[str]] | None = None
        """:meth:`_root_table`, made once."""
        self._passed_over: dict[str, str] = {}
        """:attr:`files` when the index was sealed."""
        self._keys: dict[str, str] = {}
        """:meth:`_key_of` each summary, by module."""
        self._added = 0
        """How many summaries :meth:`add` took: with the count of :attr:`files`, the state
        the answers of :meth:`_kept_answers` hold for."""
        self._answers: dict[object, str] = {}
        self._answers_state: tuple[int, int] = (-1, -1)
        self._origins: dict[tuple[str, str], str] = {}
        """:meth:`leading_origin`'s answers, kept until a module they looked for is added."""
        self._origin_users: dict[str, list[tuple[str, str]]] = {}
        """Per module name: the answers of :attr:`_origins` that looked for it."""
        self._origins_files = 0
        self._looked_for: list[str] | None = None
        """While :meth:`leading_origin` works one out: the modules :meth:`_split` looks for."""
        for path, summary in summaries:
            self.add(path, summary)

    def add(self, path: str, summary: ModuleSummary) -> None:
        self.modules[summary.name] = summary
        self.by_path[os.path.abspath(path)] = summary
        self._paths[summary.name] = path
        self._closing_classes = None
        self._leading = {}
        self._request_hooks = {}
        self._keys.pop(summary.name, None)
        self._added += 1
        for answer in self._origin_users.pop(summary.name, ()):
            self._origins.pop(answer, None)

    def own_module(self, path: str) -> tuple[str, bool]:
        """:meth:`module_for` of a file being checked; test code checked all the same
        (``test-files = []``, or named on the command line) gets its summary then."""
        name, is_package = self.module_for(path)
        if name not in self.modules and os.path.abspath(path) in self.tests:
            self._load(path)
        return name, is_package

    def leading_names(self, follows: frozenset[str]) -> frozenset[str]:
        """The last names of the project's functions and module values whose result,
        followed through the index, one of ``follows`` makes, and the names the summarized
        modules import them by: a file that names none of them gets nothing ``follows``
        makes from the project."""
        follows = frozenset(follows)
        if follows not in self._leading:
            self._leading[follows] = self.sealed_names(f"leading {sorted(follows)}", lambda: self._leading_names(follows))
        return self._leading[follows]

    def _leading_names(self, follows: frozenset[str]) -> set[str]:
        leading = _leading_to(self, follows)
        names = {name.rpartition(".")[2] for name in leading}
        canonical = self._kept_answers()  # the same for every set of followed names
        for summary in list(self.modules.values()):
            for alias in summary.aliases:
                qualified = f"{summary.name}.{alias}"
                target = canonical.get(qualified)
                if target is None:
                    target = canonical[qualified] = self._canonical(qualified)
                if target in leading:
                    names.add(alias)
        return names

    def sealed_names(self, name: str, compute: Callable[[], Iterable[str]]) -> frozenset[str]:
        """``compute()``, a set of names worked out from the summaries (which helpers lead
        to a resource, which decode an image), kept in the cache under what it is worked
        out from, so that the next process (a flake8 or pylint run, a pre-commit hook)
        reads it instead of following every summary again: the index's digest, the
        summaries made on demand since it was sealed (a question about callers, asked
        first, adds some), and the state of the project's files (a question may follow a
        name into a module the index passed over, and have it summarized then)."""
        if not self.cache.enabled or not self.digest:
            return frozenset(compute())
        since = sorted(self.modules.keys() - self._eager)
        key = content_key(
            self.digest, self.files_state, name, implementation_key(),
            *(f"{module}:{self._key_of(self.modules[module])}" for module in since),
        )
        cached = self.cache.get("derived", key)
        if cached is not None:
            try:
                return frozenset(json.loads(cached))
            except ValueError:
                pass  # a damaged entry: worked out again
        names = frozenset(compute())
        self.cache.put("derived", key, json.dumps(sorted(names)).encode())
        return names

    def closing_classes(self) -> frozenset[str]:
        """The qualified names of the project's classes whose instances are resources
        (:meth:`closes`): what making one of them, or calling a helper that returns one,
        acquires."""
        if self._closing_classes is None:
            self._closing_classes = frozenset(
                f"{summary.name}.{name}"
                for summary in list(self.modules.values())
                for name, methods in summary.methods.items()
                if "close" in methods and self.closes(f"{summary.name}.{name}")
            )
        return self._closing_classes

    def owning_classes(self) -> frozenset[str]:
        """The :meth:`closing_classes` that :meth:`owns`: what the project's helpers return
        of them is followed like a factory's resource (``init_client(cfg)``)."""
        return frozenset(name for name in self.closing_classes() if self.owns(name))

    def closing_class_names(self) -> frozenset[str]:
        """The last names of :meth:`closing_classes`."""
        return frozenset(name.rpartition(".")[2] for name in self.closing_classes())

    def removed_keys(self) -> list[tuple[str, str, str]]:
        """``(module, what, family)`` of the Redis key families the project's modules
        delete, pop or sweep (``ModuleSummary.removed_keys``): of the modules summarized
        when the index was made, so that every host and every file sees the same."""
        if self._removed_keys is None:
            self._removed_keys = [
                (name, what, family)
                for name in sorted(self._eager)
                for what, family in self.modules[name].removed_keys
            ]
        return self._removed_keys

    def released_kinds(self) -> dict[str, tuple[str, ...]]:
        """Resource kinds the project teaches: the origin (:meth:`leading_origin`) of each
        callee whose results the project's modules release (:attr:`ModuleSummary.releases`)
        at least as often as they leave them neither released nor returned, with the methods
        they release them by. ``AsyncElasticsearch(url)`` closed in one class is a resource
        in another; a project ``connect()`` whose connection one function closes is an
        acquire where another drops it. A callee released once among many kept (a streamed
        ``requests.get``, closed in one download helper) is no kind. Of the modules summarized
        when the index was made, so that every host and every file sees the same."""
        if self._released_kinds is None:
            counts: dict[str, list] = {}
            for name in sorted(self._eager):
                for callee, (released, kept, methods) in self.modules[name].releases.items():
                    total = counts.setdefault(self.leading_origin(callee), [0, 0, set()])
                    total[0] += released
                    total[1] += kept
                    total[2].update(methods)
            self._released_kinds = {
                origin: tuple(sorted(methods))
                for origin, (released, kept, methods) in counts.items()
                if released and released >= kept and origin not in IN_MEMORY_FILES and not origin.startswith("builtins.")
                and not self.closes(origin)  # a resource already, as the project defines it (:meth:`closes`)
            }
        return self._released_kinds

    def forwarding_names(self) -> frozenset[str]:
        """The last names of the functions of :meth:`forwards` in the modules summarized
        when the index was made: a call by another name passes no key on."""
        if self._forwarding_names is None:
            self._forwarding_names = frozenset(
                key.rpartition(".")[2] for name in self._eager for key in self.modules[name].forwards
            )
        return self._forwarding_names

    def forwards(self, qualified: str, depth: int = 0) -> list | None:
        """``[signature, writes]`` of the project function ``qualified`` (also through
        re-exports) when it writes a Redis key with the expiry its caller gives
        (:attr:`ModuleSummary.forwards`)."""
        summary, rest = self._split(qualified)
        if summary is None or depth > _MAX_DEPTH:
            return None
        if rest in summary.forwards:
            return summary.forwards[rest]
        head, _, tail = rest.partition(".")
        if head in summary.aliases:
            return self.forwards(summary.aliases[head] + (f".{tail}" if tail else ""), depth + 1)
        return None

    def closes(self, qualified: str) -> bool:
        """Whether the project class ``qualified`` (or a project class it inherits from)
        defines ``close`` and ``__exit__`` (its instances hold something to close, and
        ``with`` closes it), or defines ``close`` and its ``__init__`` stores what one of
        the followed factories makes (``self._session = session or Session()``): its
        instances own that resource, and ``close()`` is the way to release it."""
        methods = self.class_methods(qualified) or set()
        return CLOSING_METHODS <= methods or ("close" in methods and self.owns(qualified))

    def owns(self, qualified: str) -> bool:
        """Whether the ``__init__`` of the project class ``qualified`` stores on ``self`` what
        one of the followed factories makes (:attr:`ModuleSummary.holds`): its instances
        own an OS resource, not only wrap what they are given (a cursor wrapper)."""
        summary, rest = self._split(qualified)
        held = summary.holds.get(rest, ()) if summary is not None else ()
        return any(self.leading_origin(callee) in self.follows for callee in held)

    def module_for(self, path: str) -> tuple[str, bool]:
        """The dotted name of a file of the project (summarized or not)."""
        summary = self.by_path.get(os.path.abspath(path))
        if summary is not None:
            return summary.name, summary.is_package
        return module_name(path, self.root)

    def wrapped(self, qualified: str, element: str, slots: tuple[str, ...]) -> tuple[str, int | None] | None:
        """The parameter of the project function ``qualified`` (``(name, position)``) that
        the call it returns (its ``element`` of a tuple) is given in one of ``slots``, the
        first found (:attr:`ModuleSummary.wraps`); None when no summary says."""
        summary, rest = self._split(qualified)
        given = summary.wraps.get(rest, {}).get(element, {}) if summary is not None else {}
        found = next((given[slot] for slot in slots if slot in given), None)
        return (found[0], found[1]) if found is not None else None

    def given_names(self, qualified: str, element: str) -> dict[str, str]:
        """The imported names the call the project function ``qualified`` returns (its
        ``element`` of a tuple) is given, by slot (:attr:`ModuleSummary.given_names`)."""
        summary, rest = self._split(qualified)
        return summary.given_names.get(rest, {}).get(element, {}) if summary is not None else {}

    def origin(self, qualified: str, element: str = "", depth: int = 0, shared: bool = False) -> str:
        """What a call of ``qualified`` gives, followed through the project: the
        qualified name of the call outside the project (or of a project function that
        returns nothing it can follow) that makes it. ``element`` picks a tuple element.
        With ``shared``, also through functions that give every caller the same object
        (a memoized ``get_redis()``): what it is, not whether the caller owns it."""
        if depth > _MAX_DEPTH or qualified in self.follows:
            return qualified  # ``requests.Session`` is what rules know, also where the project vendors ``requests``
        # A module the index passed over calls nothing that leads where rules follow: not
        # loaded, unless the name goes on through a module rules follow (``deps.sqlite3.connect``
        # after ``from app.deps import sqlite3``): it may re-export it.
        summary, rest = self._split(qualified, load=self._through_followed_module(qualified))
        if summary is None:
            return qualified
        if rest in summary.returns:
            returned = summary.returns[rest].get(element)
            if returned is None or (rest in summary.shared and not shared):
                return qualified
            return self.origin(returned, "", depth + 1, shared)
        if rest in summary.methods and not element:
            # ``FTP(timeout)`` where ``class FTP(ftplib.FTP)``: an instance of a subclass is
            # what its base makes, with the base's release (inherited).
            for base in summary.bases.get(rest, ()):
                made = self.origin(base, "", depth + 1, shared) if base else None
                if made in self.follows:
                    return made
        for inherited in _inherited(summary, rest):
            # ``self._new_conn()`` in a subclass: what the method a project base defines makes.
            made = self.origin(inherited, element, depth + 1, shared)
            if made != inherited:
                return made
        made = summary.factories.get(rest, ())
        if shared and len(made) == 1 and not element:
            # ``get_redis()`` returning the module's ``_client``, made at import or on the
            # first call: every caller gets the same object, what that call made.
            return self.origin(made[0], "", depth + 1, shared)
        if rest in summary.values and not element:
            # ``Session()`` where ``Session = sessionmaker(...)``: what the made object makes.
            return self.origin(*summary.values[rest], depth + 1, shared) + CALLED
        if rest.partition(".")[0] in summary.aliases:
            head, _, tail = rest.partition(".")
            target = summary.aliases[head] + (f".{tail}" if tail else "")
            return self.origin(target, element, depth + 1, shared) if target != qualified else qualified
        return qualified

    def leading_origin(self, qualified: str, element: str = "") -> str:
        """:meth:`origin` with ``shared``, kept: :meth:`leading_names` asks it of every
        function and value of every summary, once per set of followed names (the release
        rules', another rule's) and again after each summary a question adds, and the
        answers are the same for each. An answer depends on the index through the modules
        :meth:`_split` looked for on the way (found or not): it is dropped when one of them
        is added, and all are when the files passed over grow (a module looked for in
        vain may be among them). Not kept while a check notes the modules it looks into
        (:meth:`watch`), which a kept answer would skip; nor an answer whose making
        summarized a module (what it looked for before saw another index)."""
        if self._watching is not None:
            return self.origin(qualified, element, shared=True)
        if len(self.files) > self._origins_files:
            self._origins.clear()
            self._origin_users.clear()
        self._origins_files = len(self.files)
        key = (qualified, element)
        found = self._origins.get(key)
        if found is None:
            state = (self._added, len(self.files))
            self._looked_for = looked_for = []
            try:
                found = self.origin(qualified, element, shared=True)
            finally:
                self._looked_for = None
            if (self._added, len(self.files)) == state:
                self._origins[key] = found
                users = self._origin_users
                for module in set(looked_for):
                    users.setdefault(module, []).append(key)
        return found

    def _kept_answers(self) -> dict[object, str]:
        """Answers worked out from the summaries and files the index holds now, dropped as
        soon as it holds others (a summary added, a file summarized on demand)."""
        state = (self._added, len(self.files))
        if state != self._answers_state:
            self._answers, self._answers_state = {}, state
        return self._answers

    def _through_followed_module(self, qualified: str) -> bool:
        return not self.followed_modules.isdisjoint(qualified.split(".")[1:-1])

    def value(self, qualified: str, depth: int = 0) -> str | None:
        """For a module-level name of the project (``app.redis_store``, also through
        re-exports): the qualified name of the call that made its value, followed."""
        if depth > _MAX_DEPTH:
            return None
        summary, rest = self._split(qualified)
        if summary is None:
            return None
        if rest in summary.values:
            return self.origin(*summary.values[rest], depth + 1, shared=True)
        if rest in summary.aliases:
            return self.value(summary.aliases[rest], depth + 1)
        return None

    def function(self, qualified: str, depth: int = 0) -> tuple[ModuleSummary, str] | None:
        """The summary that holds the facts of the project function ``qualified`` (also
        through re-exports), and the function's key in it."""
        summary, rest = self._split(qualified)
        if summary is None or depth > _MAX_DEPTH:
            return None
        if rest in summary.flows or rest in summary.conditions or rest in summary.returns:
            return summary, rest
        if rest.partition(".")[0] in summary.aliases:
            head, _, tail = rest.partition(".")
            return self.function(summary.aliases[head] + (f".{tail}" if tail else ""), depth + 1)
        return None

    def cannot_raise(self, qualified: str) -> bool:
        """Whether the project function or method ``qualified`` cannot raise
        (:attr:`ModuleSummary.guarded`), through re-exports."""
        summary, rest = self._split(qualified)
        if summary is not None and rest not in summary.guarded and rest.partition(".")[0] in summary.aliases:
            summary, rest = self._split(self._canonical(qualified))
        return summary is not None and rest in summary.guarded

    def lends(
        self, qualified: str, argument: int | str, outside: Callable[[str, int | str], Lent | None], depth: int = 0,
        visiting: frozenset = frozenset(),
    ) -> Lent | None:
        """What the project function ``qualified`` (a class: its ``__init__``) does with the
        object passed at ``argument`` (a position, or a keyword), followed through the
        project functions it passes it to (``outside`` answers for the others: None, kept):
        whether it may keep it, and the methods called on it. None when no summary says.
        A function that passes it back to itself (recursion) is decided by its other uses."""
        found = self._lent_fact(qualified, argument) if depth <= _MAX_DEPTH else None
        if found is None:
            return None
        module, key, (parameter, _, kept, methods, calls) = found
        methods = set(methods)
        visiting = visiting | {(module, key, parameter)}
        for callee, passed in calls:
            if kept:
                break
            inner_fact = self._lent_fact(callee, passed)
            if inner_fact is not None and (inner_fact[0], inner_fact[1], inner_fact[2][0]) in visiting:
                continue
            inner = self.lends(callee, passed, outside, depth + 1, visiting) if inner_fact else outside(callee, passed)
            kept = inner is None or inner.kept
            methods |= inner.methods if inner is not None else set()
        return Lent(kept, frozenset(methods))

    def hands_to(
        self, qualified: str, argument: int | str, callees: frozenset[str], depth: int = 0,
        visiting: frozenset = frozenset(),
    ) -> bool:
        """Whether the project function ``qualified`` passes what it is given at ``argument``
        to one of ``callees`` (outside the project), itself or through the project functions
        it passes it to: a clean-up helper ``robust_rmtree(path)`` that calls
        ``shutil.rmtree(path)`` removes the directory it is given."""
        found = self._lent_fact(qualified, argument) if depth <= _MAX_DEPTH else None
        if found is None:
            return False
        module, key, (parameter, _, _, _, calls) = found
        visiting = visiting | {(module, key, parameter)}
        for callee, passed in calls:
            if callee in callees:
                return True
            inner = self._lent_fact(callee, passed)
            if inner is not None and (inner[0], inner[1], inner[2][0]) not in visiting:
                if self.hands_to(callee, passed, callees, depth + 1, visiting):
                    return True
        return False

    def _lent_fact(self, qualified: str, argument: int | str) -> tuple[str, str, list] | None:
        """``(module, function key, its lends fact)`` for the parameter ``argument`` fills."""
        found = self._lender(qualified)
        if found is None:
            return None
        summary, key = found
        facts = summary.lends[key]
        if isinstance(argument, int):
            positional = [fact for fact in facts if fact[1]]
            fact = positional[argument] if argument < len(positional) else None
        else:
            fact = next((fact for fact in facts if fact[0] == argument), None)
        return None if fact is None else (summary.name, key, fact)  # None: ``*args``/``**kwargs``

    def _lender(self, qualified: str, depth: int = 0) -> tuple[ModuleSummary, str] | None:
        """The summary and key holding the ``lends`` facts of the project function
        ``qualified``: through re-exports, a class to its ``__init__``, a method to the one
        a project base class defines."""
        summary, rest = self._split(qualified)
        if summary is None or depth > _MAX_DEPTH:
            return None
        if rest in summary.methods:
            rest = f"{rest}.__init__"
        if rest in summary.lends:
            return summary, rest
        head, _, tail = rest.partition(".")
        if head in summary.aliases:
            return self._lender(summary.aliases[head] + (f".{tail}" if tail else ""), depth + 1)
        for inherited in _inherited(summary, rest):
            found = self._lender(inherited, depth + 1)
            if found is not None:
                return found
        return None

    def class_methods(self, qualified: str, depth: int = 0) -> set[str] | None:
        """The methods a project class defines or inherits from project classes (what
        it inherits from other classes is not known here); None when it is no project class."""
        summary, rest = self._split(qualified)
        if summary is None or depth > _MAX_DEPTH:
            return None
        if rest in summary.aliases:
            return self.class_methods(summary.aliases[rest], depth + 1)
        if rest not in summary.methods:
            return None
        methods = set(summary.methods[rest])
        for base in summary.bases[rest]:
            methods |= self.class_methods(base, depth + 1) or set()
        return methods

    def self_calls(self, qualified: str, method: str, depth: int = 0) -> set[str] | None:
        """The names of the methods that ``method`` of the project class ``qualified`` (its
        own or the nearest inherited from project classes) calls on ``self``; None when no
        project class in reach defines it."""
        summary, rest = self._split(qualified)
        if summary is None or depth > _MAX_DEPTH:
            return None
        if rest in summary.aliases:
            return self.self_calls(summary.aliases[rest], method, depth + 1)
        if rest not in summary.methods:
            return None
        if method in summary.methods[rest]:
            prefix = f"{summary.name}.{rest}."
            called = summary.calls.get(f"{rest}.{method}", {})
            return {callee[len(prefix):] for callee in called if callee.startswith(prefix) and "." not in callee[len(prefix):]}
        for base in summary.bases[rest]:
            found = self.self_calls(base, method, depth + 1)
            if found is not None:
                return found
        return None

    def callers(self, qualified: str) -> list[tuple[str, str | None, bool]]:
        """Where the project calls the function or class ``qualified``: ``(module, caller
        key, in a loop)`` per calling function (caller None: at import time), through
        re-exports. The files the index passed over that can call it are summarized first
        (:meth:`_summarize_reaching`): a caller is never missed for want of a summary, and
        a project pays for the names asked only."""
        self._summarize_reaching(qualified)
        new = [summary for name, summary in self.modules.items() if name not in self._called_from]
        self._refile(summary.name for summary in new)
        for summary in new:
            self._called_from.add(summary.name)
            for caller, called in [*summary.calls.items(), (None, dict.fromkeys(summary.module_calls, False))]:
                for callee, in_loop in called.items():
                    for target in self._targets(callee):
                        self._file(target, (summary.name, caller, in_loop))
        sites = sorted(self._callers.get(self._canonical(qualified), []), key=repr)
        if self._watching is not None:
            self._watching[CALLERS + qualified] = _sites_key(self, qualified, sites)
        return sites

    def _file(self, callee: str, site: tuple[str, str | None, bool]) -> None:
        """Note in :attr:`_callers` that ``site`` calls ``callee`` (canonical as far as the
        modules summarized so far lead)."""
        sites = self._callers.get(callee)
        if sites is None:
            sites = self._callers[callee] = []
            parts = callee.split(".")
            for cut in range(1, len(parts)):
                self._filed_under.setdefault(".".join(parts[:cut]), set()).add(callee)
        sites.append(site)

    def _refile(self, modules: Iterable[str]) -> None:
        """Move the callers filed before ``modules`` were summarized to where their
        re-exports lead (:meth:`_canonical`): ``app.store.helper``, filed while ``app.store``
        was passed over, is ``app.base.helper`` once it is read. Without this, who calls a
        function would depend on which questions the index was asked first."""
        for module in modules:
            for callee in self._filed_under.pop(module, ()):
                canonical = self._canonical(callee)
                if canonical != callee and callee in self._callers:
                    for site in self._callers.pop(callee):
                        self._file(canonical, site)

    def shrinkers(self, qualified: str) -> list[str]:
        """The modules that take entries out of the container ``qualified`` (a module's or
        a class's dict or set: ``app.units.UnitHelper._cache``), through re-exports
        (:attr:`ModuleSummary.shrinks`). As for :meth:`callers`, the files the index passed
        over that can name it are summarized first (:meth:`_summarize_reaching`: a module
        names another's container through its imports, as it names a function): an
        eviction is never missed for want of a summary."""
        self._summarize_reaching(qualified)
        canonical = self._canonical(qualified)
        found = sorted(
            name for name, summary in self.modules.items()
            if any(self._canonical(item) == canonical for item in summary.shrinks)
        )
        if self._watching is not None:
            self._watching[SHRINKERS + qualified] = content_key(*found)
        return found

    def request_hook_decorators(self, qualified: str) -> list[str]:
        """The decorators (last names) of the functions the project registers to run before
        each request of the application or blueprint ``qualified`` (see
        :attr:`ModuleSummary.request_hooks`). As for :meth:`callers`, the files the index
        passed over that could register one (their text holds ``before_request``) are
        summarized first."""
        found = self._request_hooks.get(qualified)
        if found is None:
            # Only a module whose text holds ``before_request`` registers such a hook: those
            # are summarized by the first question.
            self._summarize_mentioning(REQUEST_HOOK)
            canonical = self._canonical(qualified)
            found = self._request_hooks[qualified] = sorted({
                decorator for summary in self.modules.values() for target, decorators in summary.request_hooks.items()
                if self._canonical(target) == canonical for decorator in decorators
            })
        if self._watching is not None:
            self._watching[REQUEST_HOOKS + qualified] = content_key(*found)
        return found

    def subclasses(self, qualified: str) -> list[str]:
        """The project's classes (``module.Class``) that name the class ``qualified`` among
        their bases, through re-exports. As for :meth:`callers`, the files the index passed
        over that can name it are summarized first (:meth:`_summarize_reaching`): a subclass
        is never missed for want of a summary."""
        self._summarize_reaching(qualified)
        canonical = self._canonical(qualified)
        found = sorted(
            f"{name}.{owner}" for name, summary in self.modules.items() for owner, bases in summary.bases.items()
            if any(base and self._canonical(base) == canonical for base in bases)
        )
        if self._watching is not None:
            self._watching[SUBCLASSES + qualified] = content_key(*found)
        return found

    def made_by_loader(self, qualified: str) -> bool:
        """Whether the project's class ``qualified`` is a plugin its loader makes: a class
        of a ``plugins`` package, or one derived from a base named ``...Plugin``, that no
        module of the project makes by its name (it is registered, listed or named in
        configuration, and the loader makes it from there) and no class of the project
        derives from (a base of plugins). A loader makes one instance of each plugin per
        process (per configured use); its constructor runs that often."""
        summary, rest = self._split(qualified)
        if summary is None or rest not in summary.bases:
            return False
        packages = set(summary.name.split(".")[:-1] if not summary.is_package else summary.name.split("."))
        named = any(base.rpartition(".")[2].endswith(PLUGIN_SUFFIX) for base in summary.bases[rest])
        if not (packages & PLUGIN_FOLDERS or named):
            return False
        return not self.callers(qualified) and not self.subclasses(qualified)

    def growers(self, qualified: str) -> list[tuple[str, list]]:
        """``(module, write)`` for each write of another module that adds keys to the
        container ``qualified`` (:attr:`ModuleSummary.grows`), through re-exports. As for
        :meth:`shrinkers`, the files the index passed over that can name it are summarized first."""
        self._summarize_reaching(qualified)
        canonical = self._canonical(qualified)
        found = sorted(
            ((name, write) for name, summary in self.modules.items() for write in summary.grows
             if self._canonical(write[0]) == canonical),
            key=repr,
        )
        if self._watching is not None:
            self._watching[GROWERS + qualified] = content_key(json.dumps(found))
        return found

    def _summarize_mentioning(self, last: str) -> None:
        """Summarize the files passed over whose text holds ``last`` (once per name)."""
        if last not in self._searched and self.files:
            self._searched.add(last)
            for module in self._mentioning(last):
                if module in self.files:
                    self._load(self.files.pop(module))

    def _summarize_reaching(self, qualified: str) -> None:
        """Summarize the files passed over that can call ``qualified``: a call names it, so
        their text holds its last name, through what the module imports or defines, which
        must lead to it (:meth:`_naming`). A generic last name (``get``, ``close``) is in
        most files; few of them import its module."""
        last = qualified.rpartition(".")[2]
        if last in self._searched or qualified in self._reached or not self.files:
            return
        self._reached.add(qualified)
        mentioning = [module for module in self._mentioning(last) if module in self.files]
        if not mentioning:
            return
        naming = self._naming(qualified, set(mentioning))
        for module in mentioning:
            if module in self.files and (naming is None or module in naming):
                self._load(self.files.pop(module))

    def _naming(self, qualified: str, mentioning: set[str]) -> set[str] | None:
        """Of ``mentioning`` (modules passed over whose text holds the last name of
        ``qualified``), those that can name it, or a method of what a project function
        returns that is it (``get_storage().incr``, see :meth:`_targets`), with those whose
        imports lead there (:meth:`_reaching`); None: any of them can (too many names)."""
        reaching = self._reaching({qualified, self._canonical(qualified)}, mentioning)
        if reaching is None:
            return None
        found: set[str] = set()
        for name, through in reaching.items():
            naming = self._modules_naming(name) & mentioning
            if naming:
                found |= naming | through
        method = qualified.rpartition(".")[2]
        modules = self._eager | self._passed_over.keys()
        made = {name.rpartition(".")[0]: through for name, through in reaching.items() if name.endswith("." + method)}
        made = {name: through for name, through in made.items() if name not in modules}
        factories = {
            f"{summary.name}.{key}" for summary in list(self.modules.values()) for key, classes in summary.factories.items()
            if any(self._canonical(f"{made_by}.{method}") in reaching or f"{made_by}.{method}" in reaching for made_by in classes)
        }
        # A module passed over that can name a class of ``made`` may hold such a function:
        # what it, or a function of it, is imported as.
        factories.update(module for name in made for module in self._modules_naming(name))
        located = self._reaching(factories, mentioning, loose=True) if factories else {}
        if located is None:
            return None
        for name, through in located.items():
            naming = self._modules_naming(name, loose=True) & mentioning
            if naming:
                found |= naming | through | {module for chain in made.values() for module in chain}
        return found

    def _reaching(self, names: set[str], mentioning: set[str], loose: bool = False) -> dict[str, frozenset[str]] | None:
        """The dotted names that lead to one of ``names`` through the imports of the
        modules summarized or in ``mentioning`` (those :meth:`_canonical` may follow when
        they are asked about), each with the modules of ``mentioning`` it goes through:
        ``names``, and to a fixed point, ``module.bound`` for each import of one of them
        or of what holds one (``app.Store.get`` for ``app.store.Store.get`` after ``from
        .store import Store`` in ``app/__init__.py``), and where such an import of one
        leads; bounded like :meth:`_canonical`. With ``loose``, ``names`` are modules, and
        the imports of their functions count (``from app.storage import get_storage`` for
        ``app.storage``). None when too many to narrow anything."""
        by_target, by_bound, within = self._export_tables()
        reaching = dict.fromkeys(names, frozenset())
        pending = [(name, 0) for name in names]
        while pending:
            name, depth = pending.pop()
            if depth > _MAX_DEPTH:
                continue  # as many imports as :meth:`_canonical` follows
            through = reaching[name]
            parts = name.split(".")
            found = [(module, bound) for module, bound in within.get(name, ())] if loose else []
            for cut in range(1, len(parts) + 1):
                head, rest = ".".join(parts[:cut]), "".join(f".{part}" for part in parts[cut:])
                if rest and not self._spelled(parts[cut:], mentioning):
                    continue  # what any name made from it ends with is in none of their texts
                found.extend((module, other + rest) for module, other in (*by_target.get(head, ()), *by_bound.get(head, ())))
            for module, other in found:
                if other not in reaching and (module in mentioning or module in self.modules):
                    reaching[other] = through | {module} if module in mentioning else through
                    pending.append((other, depth + 1))
            if len(reaching) > _MAX_REACHING:
                return None
        return reaching

    def _modules_naming(self, name: str, loose: bool = False) -> set[str]:
        """The modules passed over whose text can name ``name``: it imports it or what
        holds it (``import app`` for ``app.store.Store``, when its text has ``store`` and
        ``Store``), or is or holds it itself, or its imports are not all known. With
        ``loose``, also those that import a function of it (a module)."""
        roots, within, unknown = self._root_table()
        found = set(unknown)
        if loose:
            found.update(within.get(name, ()))
        parts = name.split(".")
        for cut in range(1, len(parts) + 1):
            rest = parts[cut:]
            for module in roots.get(".".join(parts[:cut]), ()):
                if module not in found and all(module in self._word_set(part) for part in rest):
                    found.add(module)
        return found

    def _spelled(self, words: list[str], modules: set[str]) -> bool:
        """Whether the text of one of ``modules`` holds each of ``words``."""
        found = modules
        for word in words:
            found = self._word_set(word).intersection(found)
            if not found:
                return False
        return True

    def _word_set(self, word: str) -> frozenset[str]:
        found = self._word_sets.get(word)
        if found is None:
            found = self._word_sets[word] = frozenset(self._mentioning(word))
        return found

    def _root_table(self) -> tuple[dict[str, list[str]], dict[str, set[str]], list[str]]:
        """Per name a passed-over module's text imports (its own name, and ``builtins``,
        included): those modules; per module: the modules that import a name of it that is
        no module (``app.store`` for ``from app.store import get_store``); and the modules
        whose imports are not all known."""
        if self._roots is None:
            roots: dict[str, list[str]] = {}
            within: dict[str, set[str]] = {}
            unknown = []
            modules = self._eager | self._passed_over.keys()
            for module, imports in self._import_tables().items():
                if imports is None:
                    unknown.append(module)
                    continue
                targets = {target for _, target in imports}
                for name in {module, "builtins", *targets}:
                    roots.setdefault(name, []).append(module)
                for name in targets - modules:
                    within.setdefault(name.rpartition(".")[0], set()).add(module)
            self._roots = roots, within, unknown
        return self._roots

    def _export_tables(self) -> tuple[dict[str, list[tuple[str, str]]], ...]:
        """The imports of every module, as ``(module, module.bound)`` per what it imports,
        ``(module, what)`` per ``module.bound``, and ``(module, module.bound)`` per module
        of a name it imports that is no module: of the modules
        summarized when the index was made, their summaries' aliases; of those passed
        over, their text (:func:`imported_names`)."""
        if self._exports is None:
            by_target: dict[str, list[tuple[str, str]]] = {}
            by_bound: dict[str, list[tuple[str, str]]] = {}
            within: dict[str, list[tuple[str, str]]] = {}
            modules = self._eager | self._passed_over.keys()
            every = [
                *((name, self.modules[name].aliases.items()) for name in sorted(self._eager)),
                *((module, imports or ()) for module, imports in self._import_tables().items()),
            ]
            for module, imports in every:
                for bound, target in imports:
                    bound = f"{module}.{bound}" if module else bound
                    by_target.setdefault(target, []).append((module, bound))
                    by_bound.setdefault(bound, []).append((module, target))
                    if target not in modules:
                        within.setdefault(target.rpartition(".")[0], []).append((module, bound))
            self._exports = by_target, by_bound, within
        return self._exports

    def _import_tables(self) -> dict[str, list[tuple[str, str]] | None]:
        """:attr:`_imports`, kept in the cache beside :meth:`_mentioning`'s answers."""
        if self._imports is None:
            key = self._imports_key()
            cached = self.cache.get("mentions", key) if key is not None else None
            if cached is not None:
                try:
                    self._imports = {
                        module: [(bound, target) for bound, target in imports] if imports is not None else None
                        for module, imports in json.loads(cached).items()
                    }
                except (ValueError, TypeError, AttributeError):
                    pass  # a damaged entry: read again
            if self._imports is None:
                self._mentions()
        return self._imports

    def _imports_key(self) -> str | None:
        return content_key(self.files_state, "imports") if self.cache.enabled and self.files_state else None

    def _mentioning(self, word: str) -> list[str]:
        """The modules the index passed over whose text holds ``word``. Kept in the cache
        under :attr:`files_state` (the paths, sizes and modification times of every file
        of the project, the trust the index's manifest places in them), so that the next
        process (each flake8 or pylint run) asking for the same word reads none of them."""
        key = content_key(self.files_state, word) if self.cache.enabled and self.files_state else None
        if key is not None:
            cached = self.cache.get("mentions", key)
            if cached is not None:
                try:
                    return [str(module) for module in json.loads(cached)]
                except (ValueError, TypeError):
                    pass  # a damaged entry: searched again
        found = (self._words if self._words is not None else self._mentions()).get(word, [])
        if key is not None:
            self.cache.put("mentions", key, json.dumps(found).encode())
        return found

    def _mentions(self) -> dict[str, list[str]]:
        """The modules the index passed over, by each word their text holds: read once,
        when a caller is first looked for, not once per name asked. Those summarized on
        demand since are read too, so that the answer does not depend on what was asked first."""
        if self._words is None:
            self._words, imports = {}, {}
            for module, path in self._passed_over.items():
                text = _source(path)
                for word in set(_WORD.findall(text)) if text is not None else ():
                    self._words.setdefault(sys.intern(word), []).append(module)
                imports[module] = imported_names(text, *module_name(path, self.root)) if text is not None else []
            if self._imports is None:
                self._imports = imports
                key = self._imports_key()
                if key is not None:
                    self.cache.put("mentions", key, json.dumps(imports).encode())
        return self._words

    def passes_few_values(
        self, qualified: str, parameter: str, positional: list[str], depth: int = 0, visiting: frozenset[str] = frozenset()
    ) -> bool:
        """Whether every call of the project function ``qualified`` gives its
        ``parameter`` (``positional``: the names its calls pass by position) a value that
        takes few values whatever the traffic: a constant, a setting, a class... (see
        :attr:`ModuleSummary.arguments`), nothing (the default), or parameters of the
        caller that every call of the caller gives such values, followed up to
        ``_MAX_DEPTH`` callers (a call from the function itself adds nothing). A call at
        import time gives a fixed number of values. False when the project shows no
        call: a library's API, a view or a handler, whose values come from outside."""
        if depth > _MAX_DEPTH:
            return False
        canonical = self._canonical(qualified)
        visiting |= {canonical}
        called = False
        for module, caller, _ in self.callers(qualified):
            if caller is not None and f"{module}.{caller}" in visiting:
                continue
            called = True
            if caller is None:
                continue
            summary = self.modules[module]
            for value in self._passed(summary, caller, canonical, parameter, positional) or [ANYTHING]:
                if value == ANYTHING:
                    return False
                for source in value:
                    if not self.passes_few_values(
                        f"{module}.{caller}", source, summary.parameters.get(caller, []), depth + 1, visiting
                    ):
                        return False
        return called

    def always_given(self, qualified: str, parameter: str, positional: list[str]) -> bool:
        """Whether every call the project makes of ``qualified`` gives its ``parameter``
        a value (``positional``: the names its calls pass by position), so that its default
        is never taken: warehouse's one ``MessageVerifier(..., session=request.http)``.
        False when the project shows no call, a call at import time, or one that passes
        ``*args`` or ``**kwargs``."""
        canonical = self._canonical(qualified)
        place = str(positional.index(parameter)) if parameter in positional else None
        called = False
        for module, caller, _ in self.callers(qualified):
            if caller is None:
                return False
            calls = [passed for callee, passed in self.modules[module].arguments.get(caller, ()) if canonical in self._targets(callee)]
            if not calls or any("*" in passed or (parameter not in passed and place not in passed) for passed in calls):
                return False
            called = True
        return called

    def passes_growing(
        self, qualified: str, parameter: str, positional: list[str], depth: int = 0, visiting: frozenset[str] = frozenset(),
        public: bool = True, api: bool = False,
    ) -> str | None:
        """What some call of the project function ``qualified`` gives its ``parameter``
        (``positional``: the names its calls pass by position) that grows with traffic or
        data (:attr:`ModuleSummary.growing`), following a caller's own parameters to its
        callers up to ``_MAX_DEPTH``; None when no call shows any. A public function the
        project never calls is an API whose callers are unknown: it is given what they
        pass (``PUBLIC_INPUT``), when ``parameter`` names an entity's identity
        (``user_id``, ``email``; a public function of an application mostly takes names of
        the things it configures); not with ``public`` false (a class's constructor: what
        an instance is made with is what it serves, unless a call shows otherwise). With
        ``api``, whatever the parameter's name: the keys of a memoized API (OOM301), which a
        library offers to callers it does not know."""
        if depth > _MAX_DEPTH:
            return None
        canonical = self._canonical(qualified)
        visiting |= {canonical}
        place = str(positional.index(parameter)) if parameter in positional else None
        called = False
        # A constructor is called by its class's name (``Router(request.path)``).
        owner = qualified.removesuffix(".__init__")
        calls = itertools.chain(self._calls_of(qualified), self._calls_of(owner) if owner != qualified else ())
        for call in calls:
            called = True
            if call is None:
                continue  # at import time: one value
            summary, caller, index = call
            given = next((given for at, given in summary.growing.get(caller, ()) if at == index), {})
            growth = given.get(parameter, given.get(place)) if place is not None else given.get(parameter)
            if growth is None:  # made of the caller's parameters only (or few values): ``arguments``
                passed = summary.arguments[caller][index][1]
                growth = passed.get(parameter, passed.get(place)) if place is not None else passed.get(parameter)
                growth = growth if isinstance(growth, list) else None
            if isinstance(growth, str):
                return growth
            caller_name = f"{summary.name}.{caller}"
            if not growth or caller_name in visiting:
                continue
            for source in growth:
                found = self.passes_growing(
                    caller_name, source, summary.parameters.get(caller, []), depth + 1, visiting, api=api
                )
                if found:
                    return found
        public = public and not any(part.startswith("_") and not part.startswith("__") for part in qualified.split("."))
        return PUBLIC_INPUT if not called and public and (api or identity_name(parameter)) else None

    def passed_literals(self, qualified: str, parameter: str, positional: list[str]) -> list[str] | None:
        """The string literals every call the project makes of the function ``qualified``
        gives ``parameter`` (``positional``: the names a call passes by position), sorted;
        None when the project shows no call, or a call passes anything else (a name, a
        value made at run time, nothing: its default) or is made at import time."""
        place = str(positional.index(parameter)) if parameter in positional else None
        found: set[str] = set()
        for call in self._calls_of(qualified):
            if call is None:
                return None
            summary, caller, index = call
            given = next((given for at, given in summary.literals.get(caller, ()) if at == index), {})
            value = given.get(parameter, given.get(place)) if place is not None else given.get(parameter)
            if value is None:
                return None
            found.add(value)
        return sorted(found) or None

    def passes_in_memory(self, qualified: str, parameter: str, positional: list[str]) -> bool:
        """Whether every call the project makes of the function ``qualified`` gives
        ``parameter`` (``positional``: the names a call passes by position) an in-memory file
        object (:attr:`ModuleSummary.in_memory`). False when the project shows no call, or a
        call at import time or by a name the call graph cannot follow: unknown callers."""
        place = str(positional.index(parameter)) if parameter in positional else None
        called = False
        for call in self._calls_of(qualified):
            if call is None:
                return False
            summary, caller, index = call
            called = True
            buffers = next((given for at, given in summary.in_memory.get(caller, ()) if at == index), ())
            if parameter not in buffers and place not in buffers:
                return False
        return called

    def _calls_of(self, qualified: str) -> Iterator[tuple[ModuleSummary, str, int] | None]:
        """Each call the project makes of the function ``qualified``: the caller's summary,
        its key and the call's index in its :attr:`ModuleSummary.arguments`; None for a
        caller at import time (whose arguments no summary records)."""
        canonical = self._canonical(qualified)
        for module, caller, _ in self.callers(qualified):
            if caller is None:
                yield None
                continue
            summary = self.modules[module]
            for index, (callee, _passed) in enumerate(summary.arguments.get(caller, ())):
                if canonical in self._targets(callee):
                    yield summary, caller, index

    def settings_anywhere(self, qualified: str) -> list[tuple[str, str]]:
        """``(module, value's code)`` for each module of the project (not a test) that sets
        the imported module's attribute ``qualified`` at import time (``PIL.Image.MAX_IMAGE_PIXELS
        = 30_000_000`` in ``settings.py``: :attr:`ModuleSummary.settings`): a process-wide
        setting, whichever module the process imported it from. The files the index passed
        over that name it are summarized first."""
        self._summarize_mentioning(qualified.rpartition(".")[2])
        found = sorted(
            (name, summary.settings[qualified]) for name, summary in self.modules.items()
            if qualified in summary.settings and not _is_test(name)
        )
        if self._watching is not None:
            self._watching[SETTINGS_OF + qualified] = content_key(json.dumps(found))
        return found

    def limits_bodies(self, framework: str, package: str) -> bool:
        """Whether a module of the top-level package ``package`` (the application's; not a
        test) sets ``framework``'s limit on every request body
        (:attr:`ModuleSummary.body_limits`): the app's configuration, a module the routes'
        module need not import. Another package of the project may be another application.
        The files the index passed over that name the setting are summarized first."""
        found = self._limiting(f"{framework}:{package}")
        if self._watching is not None:
            self._watching[LIMITS + f"{framework}:{package}"] = content_key(*found)
        return bool(found)

    def raises_limit(self, framework: str, package: str) -> bool:
        """Whether a module of the top-level package ``package`` (not a test) raises
        ``framework``'s limit on a body read whole, which is on by default
        (:attr:`ModuleSummary.raised_limits`): the app's configuration, a module the
        handlers' module need not import, as for :meth:`limits_bodies`."""
        found = self._raising(f"{framework}:{package}")
        if self._watching is not None:
            self._watching[RAISED + f"{framework}:{package}"] = content_key(*found)
        return bool(found)

    def _limiting(self, question: str) -> list[str]:
        return self._setting_modules(question, LIMIT_TEXTS, "body_limits")

    def _raising(self, question: str) -> list[str]:
        return self._setting_modules(question, RAISED_TEXTS, "raised_limits")

    def _setting_modules(self, question: str, texts: tuple[str, ...], field_name: str) -> list[str]:
        """The modules of a package (``question``: ``framework:package``) whose summary's
        ``field_name`` lists the framework; the files naming one of ``texts`` summarized first."""
        framework, _, package = question.partition(":")
        for word in texts:
            self._summarize_mentioning(word)
        return sorted(
            name for name, summary in self.modules.items()
            if framework in getattr(summary, field_name) and name.partition(".")[0] == package and not _is_test(name)
        )

    def receives_upload(
        self, qualified: str, parameter: str, positional: list[str], depth: int = 0, visiting: frozenset[str] = frozenset()
    ) -> bool:
        """Whether a call the project makes of the function ``qualified`` gives ``parameter``
        (``positional``: the names a call passes by position) an upload whose size its
        caller did not check (:attr:`ModuleSummary.uploads`), or passes on a parameter of
        its own that a call of the caller gives one, followed up to ``_MAX_DEPTH`` callers:
        a helper of another module that reads the parameter whole reads the upload whole."""
        if depth > _MAX_DEPTH:
            return False
        canonical = self._canonical(qualified)
        visiting |= {canonical}
        place = str(positional.index(parameter)) if parameter in positional else None
        for module, caller, _ in self.callers(qualified):
            if caller is None or f"{module}.{caller}" in visiting:
                continue
            summary = self.modules[module]
            uploads = {index: given for index, given in summary.uploads.get(caller, ())}
            for index, (callee, passed) in enumerate(summary.arguments.get(caller, ())):
                if self._canonical(callee) != canonical:
                    continue
                if parameter in uploads.get(index, ()) or place in uploads.get(index, ()):
                    return True
                value = passed.get(parameter, passed.get(place, []))
                if value == ANYTHING:
                    continue
                for source in value:
                    if self.receives_upload(
                        f"{module}.{caller}", source, summary.parameters.get(caller, []), depth + 1, visiting
                    ):
                        return True
        return False

    def _passed(self, summary: ModuleSummary, caller: str, canonical: str, parameter: str, positional: list[str]):
        """What each call of ``canonical`` in ``caller`` gives ``parameter``: ``[]`` for
        nothing (its default), else as :attr:`ModuleSummary.arguments` says (keyword-only
        parameters come after the positional ones in ``positional``: no valid call passes
        that many by position). No entry for a call the call graph shows: not recorded
        (a callee named like a standard module): anything."""
        place = str(positional.index(parameter)) if parameter in positional else None
        return [
            ANYTHING if "*" in passed else passed.get(parameter, passed.get(place, []))
            for callee, passed in summary.arguments.get(caller, ())
            if canonical in self._targets(callee)
        ]

    def frequency(
        self, qualified: str, depth: int = 0, visiting: frozenset[str] = frozenset(), loaders: bool = True
    ) -> tuple[str, str]:
        """How often the project function ``qualified`` runs, ``(kind, why)`` as
        :class:`oomlint.python.runs.Frequency`: as its module shows it, else as its callers
        across the project do (many if one calls it in a loop or runs many times, else per
        instance, else unknown, else once); unknown without callers. ``loaders`` False: a
        plugin its loader makes counts as made per instance (:func:`~oomlint.python.runs.release_runs`)."""
        summary, rest = self._split(qualified)
        local = self.local_frequency(summary.name, rest) if summary is not None else None
        if local is not None:
            owner = rest.partition(".")[0]
            if loaders and local[0] == PER_INSTANCE and owner != rest and self.made_by_loader(f"{summary.name}.{owner}"):
                return ONCE, ""  # once per instance of a plugin its loader makes once
            return local
        return self.callers_frequency(qualified, depth, visiting, loaders=loaders) or (UNKNOWN, "")

    def callers_frequency(
        self, qualified: str, depth: int = 0, visiting: frozenset[str] = frozenset(), elsewhere: str = "",
        loaders: bool = True,
    ) -> tuple[str, str] | None:
        """How often the project function ``qualified`` runs as its callers (outside the
        module ``elsewhere``) show it, by the rules of :meth:`frequency`; None without callers."""
        if depth > _MAX_DEPTH or qualified in visiting:
            return UNKNOWN, ""
        found: dict[str, tuple[str, str]] = {}
        for module, caller, in_loop in self.callers(qualified):
            if module == elsewhere:
                continue
            name = f"{module}.{caller}" if caller else module
            if caller is None:
                kind, why = ONCE, ""
            elif in_loop and (name == qualified or name in visiting):
                kind, why = UNKNOWN, ""  # a loop of a recursion: as many rounds as the data has levels
            elif in_loop:
                kind, why = MANY, f"is called in a loop in '{name}'"
            else:
                kind, why = self.frequency(name, depth + 1, visiting | {qualified}, loaders)
                if kind in (MANY, PER_INSTANCE):
                    why = f"is called from '{name}', which {why}"
            found.setdefault(kind, (kind, why))
        return next((found[kind] for kind in (MANY, PER_INSTANCE, UNKNOWN, ONCE) if kind in found), None)

    def local_frequency(self, module: str, key: str) -> tuple[str, str] | None:
        """How often a function (``name`` or ``Class.name``) of a summarized module runs as
        its module shows it, None when the module does not decide. Worked out when first
        asked (only questions about callers need it: OOM205's, the release rules'), from the module's file."""
        if module not in self._local_runs:
            self._local_runs[module] = self._runs_of(self._paths.get(module))
        return self._local_runs[module].get(key)

    def _runs_of(self, path: str | None) -> dict[str, tuple[str, str]]:
        """:func:`_local_runs` of a module's file, kept in the cache under its text, path, the
        project's root and its packaging files (which modules are commands: what it is worked out from), so that the next process asking
        about the callers of a function does not parse and walk their modules again."""
        text = _source(path) if path is not None else None
        if text is None:
            return {}
        key = content_key(
            text, os.path.abspath(path), str(self.root), packaging_state(str(self.root)), implementation_key()
        ) if self.cache.enabled else None
        if key is not None:
            cached = self.cache.get("runs", key)
            if cached is not None:
                try:
                    return {function: (str(kind), str(why)) for function, (kind, why) in json.loads(cached).items()}
                except (ValueError, TypeError, AttributeError):
                    pass  # a damaged entry: worked out again
        found = _local_runs(text, path, self.root)
        if key is not None:
            self.cache.put("runs", key, json.dumps(found).encode())
        return found

    def _canonical(self, qualified: str, depth: int = 0) -> str:
        """``qualified`` through the re-exports of the summarized modules it passes
        (``app.Store.save`` for ``app.store.Store.save`` imported into ``app``)."""
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            summary = self.modules.get(".".join(parts[:cut]))
            if summary is not None:
                target = summary.aliases.get(parts[cut])
                if target is None or depth > _MAX_DEPTH:
                    return qualified
                return self._canonical(".".join([target, *parts[cut + 1:]]), depth + 1)
        return qualified

    def _targets(self, callee: str) -> list[str]:
        """What the call graph's ``callee`` calls, canonical: itself; for a method of what a
        project function returns (``app.storage.get_storage().incr``), that method of each
        class the function's :attr:`ModuleSummary.factories` names (none when it names none)."""
        factory, marker, method = callee.partition("().")
        if not marker:
            return [self._canonical(callee)]
        summary, rest = self._split(self._canonical(factory))
        made = summary.factories.get(rest, ()) if summary is not None else ()
        return [self._canonical(f"{made_by}.{method}") for made_by in made]

    def _split(self, qualified: str, load: bool = True) -> tuple[ModuleSummary | None, str]:
        """The summary of the longest module of the project ``qualified`` starts with
        (with ``load``, summarized now if the index passed over it), and the rest of the name."""
        parts = qualified.split(".")
        looked_for = self._looked_for
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if looked_for is not None:
                looked_for.append(module)
            summary = self.modules.get(module)
            if summary is None and load and module in self.files:
                summary = self._load(self.files.pop(module))
            if summary is not None:
                if self._watching is not None and module not in self._eager:
                    self._watching[module] = self._key_of(summary)
                return summary, ".".join(parts[cut:])
        return None, qualified

    def seal(self, followed: dict[str, str] | None = None) -> dict[str, str]:
        """The index as made: what :attr:`digest` names, and the modules summarized later
        (on demand) that :meth:`watch` notes. ``followed``: the keys of what each summarized
        file's summary says beyond its call graph (:func:`_followed`), by path, as the last
        run worked them out; returned for the next one."""
        self._eager = frozenset(self.modules)
        self._passed_over = dict(self.files)
        followed = followed or {}
        for path, summary in self.by_path.items():
            if path not in followed:
                followed[path] = content_key(_followed(summary))
        self._removed_keys = None
        self._forwarding_names = None
        self._released_kinds = None
        every = sorted({*self.modules, *self.files})
        self.digest = content_key(
            *(followed[os.path.abspath(self._paths[name])] for name in sorted(self.modules)), *every,
            packaging_state(str(self.root)),
        )
        return followed

    def watch(self) -> dict[str, str]:
        """From now on, note the modules beyond the sealed ones that questions look into
        (module -> the key of its summary), in the dict returned."""
        self._watching = {}
        return self._watching

    def unchanged(self, looked_into: dict[str, str]) -> bool:
        """Whether the modules a check looked into (:meth:`watch`) still have the summaries it
        saw, and the questions it asked across them (callers, growers...) the same answers."""
        answers: dict[str, Callable[[str], str]] = {
            CALLERS: lambda called: _sites_key(self, called, self.callers(called)),
            GROWERS: lambda name: content_key(json.dumps(self.growers(name))),
            SETTINGS_OF: lambda name: content_key(json.dumps(self.settings_anywhere(name))),
            LIMITS: lambda name: content_key(*self._limiting(name)),
            RAISED: lambda name: content_key(*self._raising(name)),
            SHRINKERS: lambda name: content_key(*self.shrinkers(name)),
            SUBCLASSES: lambda name: content_key(*self.subclasses(name)),
            REQUEST_HOOKS: lambda name: content_key(*self.request_hook_decorators(name)),
        }
        for module, key in looked_into.items():
            question = next((prefix for prefix in answers if module.startswith(prefix)), None)
            if question is not None:
                if answers[question](module.removeprefix(question)) != key:
                    return False
                continue
            summary, _ = self._split(module + ".*")
            if summary is None or summary.name != module or self._key_of(summary) != key:
                return False
        return True

    def _key_of(self, summary: ModuleSummary) -> str:
        """What a check that looked into ``summary`` depends on: its facts, encoded once."""
        if summary.name not in self._keys:
            self._keys[summary.name] = content_key(summary.to_json())
        return self._keys[summary.name]

    def _load(self, path: str) -> ModuleSummary | None:
        text = _source(path)
        summary = _summary(text, path, self.root, self.cache)[0] if text is not None else None
        if summary is not None:
            self.add(path, summary)
        return summary


def call_origin(
    context, func: ast.expr, element: str = "", scope: Scope | None = None, shared: bool = False
) -> str | None:
    """What makes the value a call of ``func`` returns (its ``element`` of a tuple):
    the callee's qualified name, followed through the project's functions when the file
    is checked in its project (``get_db()`` -> ``sqlite3.connect``); with ``shared``,
    also through memoized ones (see :meth:`ProjectIndex.origin`)."""
    project = context.project
    if project is None:
        return None if element else context.model.qualified_name(func, scope)
    name = _project_name(context, func, scope)
    return None if name is None else project.origin(name, element, shared=shared)


def wrapped_parameter(
    context, func: ast.expr, element: str, slots: tuple[str, ...], scope: Scope | None = None
) -> tuple[str, int | None] | None:
    """The parameter of the project function ``func`` names that the call it returns is
    given in one of ``slots`` (see :meth:`ProjectIndex.wrapped`); None when the file is
    checked alone or no summary says."""
    project = context.project
    if project is None:
        return None
    name = _project_name(context, func, scope)
    return None if name is None else project.wrapped(name, element, slots)


def returned_call_names(context, func: ast.expr, element: str, scope: Scope | None = None) -> dict[str, str] | None:
    """The imported names, by slot, that the call the project function ``func`` names
    returns is given (see :meth:`ProjectIndex.given_names`); None when the file is checked
    alone or ``func`` is no project function."""
    project = context.project
    if project is None:
        return None
    name = _project_name(context, func, scope)
    return None if name is None else project.given_names(name, element)


def request_hook_decorators(context, target: ast.expr, scope: Scope | None = None) -> list[str]:
    """The decorators of the project's hooks that run before each request of the
    application or blueprint ``target`` names (see :meth:`ProjectIndex.request_hook_decorators`);
    empty when the file is checked alone."""
    project = context.project
    if project is None:
        return []
    name = _project_name(context, target, scope)
    return [] if name is None else project.request_hook_decorators(name)


def lent_to(
    context, call: ast.Call, argument: int | str, scope: Scope | None, outside: Callable[[str, int | str], Lent | None]
) -> Lent | None:
    """What the project function ``call`` calls does with its ``argument`` (see
    :meth:`ProjectIndex.lends`); None when the file is checked alone or no summary says."""
    project = context.project
    if project is None:
        return None
    name = _project_name(context, call.func, scope)
    return None if name is None else project.lends(name, argument, outside)


def handed_to(context, call: ast.Call, argument: int | str, scope: Scope | None, callees: frozenset[str]) -> bool:
    """Whether the project function ``call`` calls passes its ``argument`` on to one of
    ``callees`` (see :meth:`ProjectIndex.hands_to`); False when the file is checked alone."""
    project = context.project
    if project is None:
        return False
    name = _project_name(context, call.func, scope)
    return name is not None and project.hands_to(name, argument, callees)


def value_origin(context, expr: ast.expr, scope: Scope | None = None) -> str | None:
    """What made the module-level value ``expr`` names in another module of the project
    (``redis_store`` after ``from app import redis_store``, ``app.redis_store.r``): the
    qualified name of the call, followed; None when no summary says."""
    project = context.project
    if project is None:
        return None
    name = _project_name(context, expr, scope)
    return None if name is None else project.value(name)


def class_methods_of(context, owner: ast.ClassDef) -> set[str]:
    """The names of the methods the class ``owner`` defines or inherits from classes of
    its module and, when the file is checked in its project, of the project's other
    modules (what it inherits from other libraries is not known)."""
    methods = _defined(owner)
    for ancestor in _ancestors(context, owner):
        if isinstance(ancestor, ast.ClassDef):
            methods |= _defined(ancestor)
        else:
            methods |= context.project.class_methods(ancestor) or set()
    return methods


def class_methods_of_value(context, value: ast.expr, scope: Scope | None = None) -> set[str] | None:
    """The methods of the class of ``value``, an instance a call makes or a parameter
    annotated with a class, when the module or the project defines that class
    (:func:`class_methods_of`); None when that is not known: a library's class, what a
    function returns, a module the index did not summarize."""
    kind = value.func if isinstance(value, ast.Call) else _parameter_annotation(context.model, value)
    if isinstance(kind, ast.Name):
        binding = context.model.lookup(kind.id, scope)
        if binding is not None and binding.kind == "class":
            return class_methods_of(context, binding.node)
    project = context.project
    name = None if project is None or not isinstance(kind, (ast.Name, ast.Attribute)) else _project_name(context, kind, scope)
    return None if name is None else project.class_methods(name)


def _parameter_annotation(model: SemanticModel, value: ast.expr) -> ast.expr | None:
    """The annotation of the parameter that the name ``value`` is, in the function around
    it: which may be another method than the one asking (``self.x`` resolved to the
    ``__init__`` parameter it was stored from)."""
    if not isinstance(value, ast.Name):
        return None
    function = model.enclosing(value, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
    args = function.args if function is not None else None
    every = () if args is None else (*args.posonlyargs, *args.args, *args.kwonlyargs)
    return next((arg.annotation for arg in every if arg.arg == value.id), None)


def self_calls_of(context, owner: ast.ClassDef, method: str) -> set[str]:
    """The names of the methods that ``method`` of ``owner`` (its own, else the nearest
    inherited one the module or the project shows) calls on ``self``: what
    ``__exit__`` releases, for one."""
    for ancestor in (owner, *_ancestors(context, owner)):
        if not isinstance(ancestor, ast.ClassDef):
            found = context.project.self_calls(ancestor, method)
        elif method in _defined(ancestor):
            found = _self_calls(next(item for item in ancestor.body if getattr(item, "name", None) == method))
        else:
            continue
        if found is not None:
            return found
    return set()


def _ancestors(context, owner: ast.ClassDef, seen: frozenset = frozenset()):
    """The classes ``owner`` derives from, nearest first: the module's as their
    ``ClassDef``, the project's other modules' as qualified names (the index follows
    their own bases)."""
    model = context.model
    for base in owner.bases:
        binding = model.module_binding(base, model.module_scope) if isinstance(base, ast.Name) else None
        if binding is not None and binding.kind == "class":
            if binding.node not in seen:
                yield binding.node
                yield from _ancestors(context, binding.node, seen | {owner})
        elif context.project is not None:
            name = _project_name(context, base, model.module_scope)
            if name is not None:
                yield name


def _defined(owner: ast.ClassDef) -> set[str]:
    return {item.name for item in owner.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _self_calls(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """``close`` for ``self.close()`` in ``function``, a method (``self`` is its first parameter)."""
    positional = [*function.args.posonlyargs, *function.args.args]
    if not positional:
        return set()
    receiver = positional[0].arg
    return {
        node.func.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == receiver
    }


def _project_name(context, expr: ast.expr, scope: Scope | None) -> str | None:
    project = context.project
    module, is_package = context.shared(ProjectIndex, lambda: project.own_module(context.path))
    return project_name(context.model, expr, module, is_package, scope)


# ------------------------------------------------------------------ building


@one_file()
def _local_runs(text: str, path: str, root: Path) -> dict[str, tuple[str, str]]:
    """How often each function of a module's file runs, as the module alone shows it."""
    tree = TREES.take(path, text, keep=True)  # the module's check comes later: left for it
    if tree is None:
        try:
            tree = parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return {}
    model = SemanticModel(tree)
    try:
        Walker(model, []).run(tree)
        facts = ModuleFacts(tree, is_script_file(path, root, tree), text)
        runs = Runs(model, tree, facts=facts, hooks=False)
        found = {}
        for function, key in facts.keys.items():
            frequency = runs.of(function)
            if frequency.kind != UNKNOWN:
                found[key] = (frequency.kind, frequency.why)
        return found
    finally:
        model.close()


@one_file()
def summarize(source: str, path: str, name: str, is_package: bool) -> ModuleSummary | None:
    """A module's summary, or None when it does not parse (its own check says why). The
    tree is kept for the file's check in this process (:data:`~oomlint.python.parsing.TREES`);
    a module summarized during its own check (a rule asking about it) reads the check's tree."""
    tree = TREES.take(path, source, keep=True)
    parsed = tree is None
    if parsed:
        try:
            tree = parse(source, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    model = SemanticModel(tree)
    summarizer = Summarizer(model, name, is_package, source)
    try:
        try:
            Walker(model, [summarizer]).run(tree)
        except RecursionError:
            return None
        summary = summarizer.finish()
        if "except" in source:
            summary.guarded = sorted(guarded_functions(tree, functools.partial(model.qualified_name, scope=model.module_scope)))
    finally:
        model.close()
    if parsed:
        TREES.keep(path, source, tree)
    return summary


def build_index(root: Path, follows: Iterable[str], cache: Cache, files: Iterable[str] | None = None) -> ProjectIndex:
    """The index of the project at ``root``: its Python files that can lead to one of the
    callables ``follows`` names (qualified names), each summarized or read from ``cache``.

    Round by round (test code left out): the files that call one of the wanted names (``connect(``), then
    those that call a function or value of the project found to lead to one, up to
    ``_MAX_ROUNDS``. When no file changed since the last run (same paths, sizes and
    modification times), the last run's choice is read from the cache instead."""
    follows = frozenset(follows)
    index = ProjectIndex(root, cache)
    index.follows = follows
    index.followed_modules = frozenset(name.partition(".")[0] for name in follows if "." in name) - {"builtins"}
    # Test code is not checked (unless ``test-files`` says otherwise), and production code
    # does not import it: its helpers lead nowhere a finding is.
    paths = []
    for path in files if files is not None else project_files(root):
        if find_config(path).is_test_code(path):
            index.tests.add(os.path.abspath(path))
        else:
            paths.append(path)
    wanted = {name.rpartition(".")[2].removesuffix(CALLED) for name in follows}
    stats = _stats(paths)
    manifest_key = content_key(str(root), *sorted(wanted), SUMMARY_FORMAT, implementation_key())
    previous = _previous_choice(cache, manifest_key, stats)
    if previous is None:
        chosen, followed = _choose(index, paths, wanted, follows), None
    else:
        chosen, followed = previous
        for path, key in chosen.items():
            summary = _cached_summary(cache, key)
            if summary is None:  # an entry gone since: made again
                text = _source(path)
                summary = _summary(text, path, root, cache)[0] if text is not None else None
            if summary is not None:
                index.add(path, summary)
    for path in paths:
        if path not in chosen:
            index.files.setdefault(module_name(path, root)[0], path)
    index.files_state = content_key(manifest_key, json.dumps([stats, _stats(sorted(index.tests))]))
    followed = index.seal(followed)
    if previous is None:
        cache.put("manifests", manifest_key, json.dumps({"stats": stats, "chosen": chosen, "followed": followed}).encode())
    return index


def _choose(index: ProjectIndex, paths: list[str], wanted: set[str], follows: frozenset[str]) -> dict[str, str]:
    """Summarize the files that can lead to ``wanted``, round by round, and those that can
    teach a resource kind (:func:`_teaches`, :meth:`ProjectIndex.released_kinds`), into
    ``index``; their paths and summary keys."""
    chosen: dict[str, str] = {}
    pending, seen = paths, set()
    for number in range(_MAX_ROUNDS):
        new = wanted - seen
        if not new or not pending:
            break
        seen |= new
        passed_over = []
        for path in pending:
            text = _source(path)  # read again each round: no project's text is kept
            if text is None or not (_calls_one_of(text, new) or (number == 0 and _teaches(text))):
                passed_over.append(path)
                continue
            summary, key = _summary(text, path, index.root, index.cache)
            if summary is not None:
                index.add(path, summary)
                chosen[path] = key
        pending = passed_over
        wanted = seen | {name.rpartition(".")[2] for name in _leading_to(index, follows)}
    return chosen


# ``conn = connect(db)``, ``self.es = await make_client()`` (``%s``: the names looked for);
# ``conn.close()``, ``await self.es.aclose()``. A name is a whole word: a match starts where
# one does (``(?<!\w)``), not again at each of its letters after the word fails to match.
_MADE = r"(?<!\w)(?:%s)\s*=\s*(?:await\s+)?[\w.]+\s*\("
_RELEASED = re.compile(r"(?<!\w)(\w+)\s*\.\s*(?:%s)\s*\(\s*\)" % "|".join(sorted(LEARNED_RELEASES)))


def _teaches(text: str) -> bool:
    """Whether ``text`` can teach a resource kind (:attr:`ModuleSummary.releases`): it binds
    what a call makes to a name and calls a method of ``LEARNED_RELEASES`` on a value of that
    name: a file that only closes what it was given, or defines ``close``, teaches nothing,
    and most files that name ``close`` are such (summarizing them all, to learn from the few
    others, cost every cold run)."""
    if not any(word in text for word in LEARNED_RELEASES):
        return False
    released = set(_RELEASED.findall(text))
    # A search for the few names released, not a list of every ``name = call(`` of the text.
    return bool(released) and re.search(_MADE % "|".join(sorted(released)), text) is not None


def _calls_one_of(text: str, names: set[str]) -> bool:
    """Whether ``text`` calls one of ``names`` or something of theirs (``connect(``,
    ``db.connect (``, ``Image.open(``): a scan of the text for each name (fast), a regular
    expression only for a name not followed by ``(`` or ``.`` where it first shows."""
    found = []
    for name in names:
        if name in text:
            if name + "(" in text or name + "." in text:
                return True  # also ``reopen(`` for ``open``: one file more to summarize, no harm
            found.append(name)
    return bool(found) and re.search(r"\b(?:%s)\s*[(.]" % "|".join(map(re.escape, found)), text) is not None


def _leading_to(index: ProjectIndex, follows: frozenset[str]) -> set[str]:
    """The qualified names of the project's functions and module values whose result,
    followed through the index, is made by one of the callables ``follows`` names."""
    found = set()
    for summary in list(index.modules.values()):
        for key, elements in summary.returns.items():
            qualified = f"{summary.name}.{key}"
            if any(index.leading_origin(qualified, element) in follows for element in elements):
                found.add(qualified)
        for name in (*summary.values, *summary.methods, *summary.factories):
            if index.leading_origin(f"{summary.name}.{name}") in follows:
                found.add(f"{summary.name}.{name}")
    return found


def _stats(paths: list[str]) -> dict[str, list[int]]:
    stats = {}
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            continue
        stats[path] = [status.st_mtime_ns, status.st_size]
    return stats


def _previous_choice(cache: Cache, key: str, stats: dict[str, list[int]]) -> tuple[dict[str, str], dict[str, str]] | None:
    """The files the last run summarized, with their summary keys, and the keys of what
    their summaries say beyond the call graph (see :meth:`ProjectIndex.seal`), if no file
    changed since."""
    stored = cache.get("manifests", key)
    if stored is None:
        return None
    try:
        previous = json.loads(stored)
        return (dict(previous["chosen"]), dict(previous["followed"])) if previous["stats"] == stats else None
    except (ValueError, KeyError, TypeError):
        return None


def project_files(root: Path) -> list[str]:
    """The project's Python files, as a directory check walks them (excludes, git)."""
    return [
        target.path
        for target in collect([str(root)], find_config)
        if isinstance(target, Target) and target.path.endswith(PYTHON_SUFFIXES)
    ]


_SPACE = r"(?:[ \t\f]|\\\r?\n)"
_FROM = re.compile(rf"\bfrom{_SPACE}*(\.[\w.]*|[\w.]+){_SPACE}*import\b")
_IMPORT = re.compile(rf"\bimport{_SPACE}+")
_STATEMENT = re.compile(r"^[ \t]*(from\b[^\n]*\bimport\b|import\b)", re.MULTILINE)
_ALIAS = re.compile(r"([\w.*]+)(?:\s+as\s+(\w+))?")
_COMMENT = re.compile(r"#[^\n]*")


def imported_names(text: str, module: str, is_package: bool) -> list[tuple[str, str]] | None:
    """What a module's text imports, anywhere in it, as ``(bound name, absolute qualified
    name)`` the way the semantic model binds them: ``("Store", "app.store.Store")`` for
    ``from .store import Store`` in ``app/web.py``, ``("os", "os")`` for ``import
    os.path``. A superset (an import in a string counts too); None when a line that starts
    an import is not read (``from a . b import c``): it may import anything."""
    found: list[tuple[str, str]] = []
    read: set[int] = set()
    taken: set[int] = set()  # the ``import`` keywords of ``from ... import``
    for match in _FROM.finditer(text):
        read.add(match.start())
        taken.add(match.end() - len("import"))
        source = match.group(1)
        for name, bound in _ALIAS.findall(_import_list(text, match.end())):
            if name != "*":
                qualified = f"{source.rstrip('.')}.{name}" if source.strip(".") else source + name
                found.append((bound or name, absolute_name(standard_name(qualified), module, is_package)))
    for match in _IMPORT.finditer(text):
        if match.start() in taken:
            continue
        read.add(match.start())
        for name, bound in _ALIAS.findall(_import_list(text, match.end())):
            top = name.partition(".")[0]
            found.append((bound, standard_name(name)) if bound else (top, top))
    if any(match.start(1) not in read for match in _STATEMENT.finditer(text)):
        return None
    return found


def _import_list(text: str, start: int) -> str:
    """The names of an import statement's list from ``start``: to the end of its logical
    line, or its closing parenthesis; comments and continuations left out."""
    opened = text[start:start + 200].lstrip(" \t\f\\\r\n").startswith("(")
    names = []
    position = start
    while True:
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        line = _COMMENT.sub("", text[position:end])
        closing = line.find(")") if opened else -1
        semicolon = line.find(";") if not opened else -1
        if closing != -1 or semicolon != -1:
            names.append(line[:max(closing, semicolon)])
            break
        names.append(line)
        if end == len(text) or not (opened or line.rstrip().endswith("\\")):
            break
        position = end + 1
    return " ".join(names).replace("\\", " ").replace("(", " ")


def _source(path: str) -> str | None:
    try:
        return decode_source(read_file(path, MAX_FILE_SIZE))
    except (NotRead, SourceDecodeError):
        return None


def _start(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _followed(summary: ModuleSummary) -> bytes:
    """The summary less its call graph, for the index's digest: what callers a check
    asked about is noted apart (:meth:`ProjectIndex.callers`), so that editing a call
    does not invalidate the results of every file."""
    facts = {name: value for name, value in vars(summary).items() if name not in CALL_GRAPH}
    return json.dumps(facts, separators=(",", ":"), sort_keys=True).encode()


def _is_test(module: str) -> bool:
    """A test module (``tests.test_app``, ``app.conftest``): its settings are the tests'."""
    return any(part in ("test", "tests", "conftest") or part.startswith("test_") for part in module.split("."))


def _sites_key(index: ProjectIndex, qualified: str, sites: list[tuple[str, str | None, bool]]) -> str:
    """What a frequency or the values passed learned from the call sites of
    ``qualified`` depend on: the sites, what the callers' modules say about how often
    each caller runs, and what each call gives the arguments."""
    local = [index.local_frequency(module, caller) if caller else None for module, caller, _ in sites]
    canonical = index._canonical(qualified)
    passed = [
        [arguments for callee, arguments in index.modules[module].arguments.get(caller, ()) if canonical in index._targets(callee)]
        + index.modules[module].in_memory.get(caller, [])
        + index.modules[module].uploads.get(caller, [])
        + index.modules[module].literals.get(caller, [])
        + index.modules[module].growing.get(caller, [])
        for module, caller, _ in sites
        if caller
    ]
    return content_key(json.dumps([sites, local, passed]))


def passed_literals(context, function: ast.FunctionDef | ast.AsyncFunctionDef, parameter: str) -> list[str] | None:
    """The string literals every call the project makes of ``function`` (a function of
    the module checked, or a method of one of its module-level classes) gives
    ``parameter`` (:meth:`ProjectIndex.passed_literals`); None for a file checked on its
    own, a nested function, one a decorator registers, or any other value passed."""
    qualified = _project_function(context, function)
    return None if qualified is None else context.project.passed_literals(
        qualified, parameter, module_facts(context).positional(function)
    )


def passes_few_values(context, function: ast.FunctionDef | ast.AsyncFunctionDef, parameter: str) -> bool:
    """Whether every call the project makes of ``function`` (a function of the module
    checked, or a method of one of its module-level classes) gives ``parameter`` few
    values (:meth:`ProjectIndex.passes_few_values`). False for a file checked on its own,
    a nested function, or one a decorator registers (a route, a task: called from outside)."""
    qualified = _project_function(context, function)
    return qualified is not None and context.project.passes_few_values(
        qualified, parameter, module_facts(context).positional(function)
    )


def _project_function(
    context, function: ast.FunctionDef | ast.AsyncFunctionDef, wrapper: ast.expr | None = None
) -> str | None:
    """The project's name of ``function`` (a function of the module checked, or a method of
    one of its module-level classes) when the project may show its callers; None for a file
    checked on its own, a nested function, or one a decorator other than ``wrapper``
    registers (called from outside)."""
    project = context.project
    if project is None or is_registered(function, wrapper):
        return None
    facts = module_facts(context)
    key = facts.keys.get(function)
    if key is None or (function not in facts.method_class and facts.functions.get(function.name) is not function):
        return None  # nested, under a module-level block, or a module-level function defined again further on
    module, _ = context.shared(ProjectIndex, lambda: project.own_module(context.path))
    return f"{module}.{key}" if module else key


def parameter_growth(
    context, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, parameter: str, memoizer: ast.expr | None = None
) -> str | None:
    """What the callers of ``function`` (a function of the module checked, or a method of one
    of its module-level classes) give ``parameter`` that grows with traffic or data
    (:meth:`ProjectIndex.passes_growing`): for a function a decorator registers (a route, a
    task: :func:`~oomlint.python.astutil.is_handler`), what the framework hands it. None when
    nothing shows such input, for a function another decorator registers (a template's
    helper: the templates write what it is given), a file checked on its own or a nested
    function. ``memoizer``: the decorator that caches ``function``'s results (OOM301's),
    which registers nothing; the arguments are then the cache's keys, and those of a public
    function the project never calls are whatever an API's callers pass (``api``)."""
    if is_handler(function):
        return REGISTERED_INPUT
    qualified = _project_function(context, function, memoizer) if not isinstance(function, ast.Lambda) else None
    return context.project.passes_growing(
        qualified, parameter, module_facts(context).positional(function), api=memoizer is not None
    ) if qualified else None


def passed_in_memory(context, function: ast.FunctionDef | ast.AsyncFunctionDef, parameter: str) -> bool:
    """Whether every call the project makes of ``function`` (a function of the module
    checked, or a method of one of its module-level classes) gives ``parameter`` an
    in-memory file object (:meth:`ProjectIndex.passes_in_memory`). False for a file checked
    on its own, a nested function, or one a decorator registers (called from outside)."""
    qualified = _project_function(context, function)
    return qualified is not None and context.project.passes_in_memory(
        qualified, parameter, module_facts(context).positional(function)
    )


def evicted_elsewhere(context, label: str) -> bool:
    """Whether another module of the project takes entries out of the container ``label``
    (``_cache`` or ``Class._cache``) of the module checked (:meth:`ProjectIndex.shrinkers`).
    False for a file checked on its own."""
    project = context.project
    if project is None:
        return False
    module, _ = context.shared(ProjectIndex, lambda: project.own_module(context.path))
    return any(name != module for name in project.shrinkers(f"{module}.{label}" if module else label))


class Write(NamedTuple):
    """A write of another module that adds keys to a container (:meth:`ProjectIndex.growers`)."""

    module: str
    function: str
    looked_up: bool
    how: str
    growth: str
    """What its key grows with (see :attr:`ModuleSummary.growing`)."""


def grown_elsewhere(context, label: str) -> list[Write]:
    """The writes of other modules of the project that add keys to the container ``label``
    (``_cache`` or ``Class._cache``) of the module checked and whose keys grow with traffic
    or data: the key shows it (``project.id``), or is made of parameters of the writing
    function that some call of it in the project gives such values, or that a public
    function the project never calls takes (:meth:`ProjectIndex.passes_growing`); not when
    every call passes few values (:meth:`ProjectIndex.passes_few_values`). Empty for a file
    checked on its own."""
    project = context.project
    if project is None:
        return []
    module, _ = context.shared(ProjectIndex, lambda: project.own_module(context.path))
    found = []
    for name, (_, function, key, looked_up, how, growth) in project.growers(f"{module}.{label}" if module else label):
        if name == module:
            continue
        qualified = f"{name}.{function}"
        positional = project.modules[name].parameters.get(function, [])
        if key != ANYTHING and all(project.passes_few_values(qualified, parameter, positional) for parameter in key):
            continue  # every caller passes few values
        if not isinstance(growth, str):
            growth = next(filter(None, (project.passes_growing(qualified, parameter, positional) for parameter in growth)), None)
        if growth:
            found.append(Write(name, function, looked_up, how, growth))
    return found


def made_with_few_values(context, owner: ast.ClassDef, parameter: str, positional: list[str]) -> bool:
    """Whether every call the project makes of the module-level class ``owner`` gives its
    constructor's ``parameter`` (``positional``: the names a call passes by position, ``self``
    left out) few values (:meth:`ProjectIndex.passes_few_values`)."""
    project = context.project
    if project is None:
        return False
    module, _ = context.shared(ProjectIndex, lambda: project.own_module(context.path))
    return project.passes_few_values(f"{module}.{owner.name}" if module else owner.name, parameter, positional)


def made_with_growing(context, owner: ast.ClassDef, parameter: str, positional: list[str]) -> str | None:
    """What some call the project makes of the module-level class ``owner`` gives its
    constructor's ``parameter`` that grows with traffic or data (:meth:`ProjectIndex.passes_growing`)."""
    project = context.project
    if project is None:
        return None
    module, _ = context.shared(ProjectIndex, lambda: project.own_module(context.path))
    return project.passes_growing(f"{module}.{owner.name}" if module else owner.name, parameter, positional, public=False)


def _summary(text: str, path: str, root: Path, cache: Cache) -> tuple[ModuleSummary | None, str]:
    """A file's summary, from the cache when its text was summarized before, and its key there."""
    name, is_package = module_name(path, root)
    key = content_key(text, name, str(is_package), SUMMARY_FORMAT, implementation_key())
    summary = _cached_summary(cache, key)
    if summary is None:
        summary = summarize(text, path, name, is_package)
        if summary is not None and cache.enabled:
            cache.put("summaries", key, summary.to_json())
    return summary, key


def _cached_summary(cache: Cache, key: str) -> ModuleSummary | None:
    cached = cache.get("summaries", key)
    if cached is None:
        return None
    try:
        return ModuleSummary.from_json(cached)
    except (ValueError, TypeError):
        return None  # a damaged entry: made again


_INDEXES: dict[tuple[Path, bool, frozenset[str], Path | None], ProjectIndex] = {}
_settled = False


def settle_indexes() -> None:
    """This process keeps the indexes it makes to its end (a CLI, flake8 or pylint run):
    each, once made, is taken out of the cycle collector's reach (``gc.freeze``, with what
    the process holds then), else every later full collection traverses its summaries
    again, which cost a flake8 run more than the plugin's checks. Not for an editor's
    server, which makes a new index after each save."""
    global _settled
    _settled = True


def project_index(path: str, follows: frozenset[str], cache_dir: Path | None) -> ProjectIndex:
    """The index of the project ``path`` belongs to, made once per process (flake8 and
    pylint check file by file; each file's check asks again), its summaries cached in
    ``cache_dir`` (None: not cached). A file in no project (no marker above it) is
    indexed with the Python files beside it only, never a walk of the home folder or the
    whole disk; every host caches that index where the CLI does (the folder is its own
    project's root: :func:`oomlint.engine.cache_folder`), so that each flake8 or pylint
    process does not summarize the folder again."""
    root = project_root(path)
    alone = root is None
    if alone:
        root = Path(os.path.dirname(os.path.abspath(path)))
    key = (root, alone, follows, cache_dir)
    if key not in _INDEXES:
        cache = Cache(cache_dir)
        files = _beside(root) if alone else None
        _INDEXES[key] = build_index(root, follows, cache, files)
        if _settled:
            # No collection first: a summary leaves no cycle (its model is closed), and a
            # young collection here only traversed the new summaries, alive, once per index
            # (over the stdlib's 47 folders: 0.23 s of CPU to free 299 objects in all).
            gc.freeze()
    return _INDEXES[key]


def known_projects() -> dict:
    """The indexes made so far, to hand to worker processes (:func:`install_projects`)."""
    return dict(_INDEXES)


def install_projects(indexes: dict) -> None:
    _INDEXES.update(indexes)


def forget_projects() -> None:
    """Drop the indexes made so far (an editor saved a file; a test changed a project)."""
    _INDEXES.clear()


def _beside(folder: Path) -> list[str]:
    try:
        return [entry.path for entry in os.scandir(folder) if entry.name.endswith(PYTHON_SUFFIXES) and entry.is_file()]
    except OSError:
        return []
