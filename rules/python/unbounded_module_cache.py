"""OOM303: a module- or class-level dict/set used as a cache that nothing ever evicts."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from oomlint.python.astutil import (
    ORDERINGS,
    FunctionNode,
    account_id,
    connects,
    constant_entries,
    imports_any,
    is_class_value,
    is_none,
    last_name,
    module_facts,
    name_words,
    names_few_values,
    reads_own_file,
    varying_parameters,
)
from oomlint.core.rule import Option, Rule
from oomlint.python.project import (
    SHRINKING_METHODS,
    evicted_elsewhere,
    grown_elsewhere,
    made_with_few_values,
    made_with_growing,
    parameter_growth,
    passes_few_values,
)
from oomlint.python.provenance import KeyGrowth, key_growth, looked_up_in_database
from oomlint.python.runs import runs_of
from oomlint.python.semantic import Scope, SemanticModel
from oomlint.python.web import WebInputs
from oomlint.rules.python._resources import LOCK_CLASSES

CONTAINER_FACTORIES = {
    "builtins.dict": "dict",
    "builtins.set": "set",
    "collections.OrderedDict": "OrderedDict",
    "collections.defaultdict": "defaultdict",
}
GROW_METHODS = frozenset({"setdefault", "add", "update"})
KEY_ERRORS = frozenset({"builtins.KeyError", "builtins.LookupError"})
# Methods that run when a class is created, not per request: registration, like a decorator
# (and every method of a metaclass, which runs on classes).
CLASS_CREATION = frozenset({"__init_subclass__", "__set_name__", "__class_getitem__"})
# Calls that load code: what they return is a module or one of its classes and functions.
CODE_LOADERS = frozenset({"importlib.import_module", "builtins.__import__"})
METACLASS_BASES = frozenset({"builtins.type", "abc.ABCMeta", "enum.EnumMeta", "enum.EnumType"})
# Tools that load a module as their plugin: its containers live for one run over the project's code.
DEV_TOOLS = frozenset({"pylint", "astroid", "flake8", "mypy"})

Key = tuple[ast.ClassDef | None, str]
"""``(None, name)`` for a module-level container, ``(class, attribute)`` for a class-level one."""
Position = tuple[int, int]


@dataclass(eq=False)
class Container:
    kind: str
    label: str
    class_scope: Scope | None
    node: ast.expr
    """Where it is defined."""


@dataclass(eq=False)
class Growth:
    node: ast.AST
    function: FunctionNode | ast.Lambda
    through_self: bool
    parameters: frozenset[str] | None
    """The writing function's parameters the key is made of, when only they vary (see
    :func:`~oomlint.python.astutil.varying_parameters`); None when something else does."""
    growth: KeyGrowth
    """What the key grows with (:func:`~oomlint.python.provenance.key_growth`)."""


class UnboundedModuleCache(Rule):
    """
    ## What it does
    Flags a dict, set, `collections.defaultdict` or `collections.OrderedDict` created
    empty at module level or in a class body, then filled from inside functions with
    keys known only at run time (`CACHE[key] = value`, `CACHE.setdefault(key, ...)`,
    `SEEN.add(key)`, `CACHE.update(...)`, `GROUPS[key].append(...)` or
    `COUNTS[key] += 1` on a defaultdict; `cls.CACHE[key]`, `ClassName.CACHE[key]` or
    `self.CACHE[key]` for a class attribute the instances never assign themselves), when
    nothing in the module ever takes entries out: no `del CACHE[key]`, `pop`, `popitem`,
    `clear`, `discard` or `remove` (called or passed as a callback), no `global CACHE`
    rebinding it in a function, no `len(CACHE)` compared to a limit; nor in another
    module of the project (`UnitHelper._cache.pop(space_id)` in a signal handler,
    `views._seen.clear()`, `del cache_module.ENTRIES[key]`, asked of the project index). One finding per
    container, at its first write in the source.

    A write from another module of the project (`cache._users[user.id] = user`, with
    `from app.cache import _users`, `Helper._seen.add(key)`, `.setdefault`, `.update`) counts
    as a write of the container's own module, its key judged the same way (few values,
    the writing function's parameters followed to its callers, a value that is code or
    configuration, code that runs once, connections per endpoint; a lookup before it in
    the writing function is a memo): the project index records each module's writes to
    other modules' containers. Such a container is reported at its definition, the message
    naming the writing function and its module. Left out only for writes of the
    container's own module (from another module, such a write counts): a lock per account,
    a key the configuration knows, a key set by the constructor, a write in a registration
    function or at class creation.

    Only caches are flagged: the function that fills the container looks the key up in
    it first (`key in CACHE`, `CACHE.get(key)`, `CACHE[key]` under `except KeyError`),
    or its name says so (see Options). A lookup that refuses a key the container holds
    (`if name in REGISTRY: raise ...`, `assert name not in REGISTRY`) is a duplicate
    check before a registration, not a memo: a cache hands back what it holds. Nor is
    a lookup the write runs past whatever it found (`if TASKS.get(name):
    TASKS[name].cancel()`, then `TASKS[name] = task`): the write replaces what the
    container held, a registry of live things by name.

    And only when the code shows the key grows with traffic or data, the message saying
    with what; a key the code shows no such thing of (a name, a call's result, an
    attribute of a configured object) is silent. The key (or what a set is given) is made
    of:
    - request data, an upload, form input or a network response (as OOM401 and OOM403
      know them: `request.args["q"]`, a FastAPI path parameter, `requests.get(...).json()`);
    - an entity's identity: an attribute named for one (`project.id`, `order.customer_id`,
      `user.email`, `.uuid`, `.address`, `.url`, `.path`, `.output_dir`, `.user`) of an
      object the function handles, not of a module, of an object made at import, or of
      `self` (what a service object was made with), unless `self` is a record (a
      `NamedTuple`, a dataclass, a model), or an item so named (`data["user"]["id"]`);
      anything of a database row (`for row in cursor.fetchall()`, `Model.objects...`,
      `session.query(...)`); a key the value stored picks a row by
      (`CACHE[email] = User.objects.get(email=email)`);
    - a timestamp, a fresh identifier or a counter (`time.time()`, `uuid4()`,
      `next(itertools.count())`, a parameter named `timestamp`, `ts`, `mtime`);
    - a parameter of the writing function that some call in the project passes such a
      value (across modules through the project index, a caller's own parameters followed
      to its callers a few calls deep, a class's calls for its constructor's); of a
      function a decorator registers (a route, a task: what the framework hands it); or of
      a public function the project never calls, when the parameter names an entity's
      identity (`user_by_email(email)`: an API whose callers are unknown; a public
      function of an application taking a `name` mostly takes the names of what it
      configures, and one taking the address of an endpoint, `endpoint_uri`,
      `server_url`, `host_address`, the endpoints its configuration lists).

    ## Why is this bad?
    A module or class attribute lives as long as the process. Every distinct key
    (user id, request path, query text) adds an entry that is never removed, so memory
    grows with traffic until the pod is OOM-killed: the "caches that only grow" of the
    cache runbook. Nothing fails in tests, where the key set is small.

    ## Known limits
    The keys of `CACHE.update(...)` and `CACHE |= ...` are not looked into: nothing shows
    they grow. Even with evidence for its key, a cache is not flagged when one of these
    bounds it, to keep findings certain:
    - keys that cannot grow with traffic, each part of the key being one of: a
      constant, a module-level constant or a name assigned at module level only (one
      value, made at import time; not an import: `time.time()` grows), a class member
      (`Color.RED`); a class (`cls`, `type(obj)`, `obj.__class__`, a parameter
      annotated `type[...]`, named like one, `klass`, `model_class`, or used as one,
      `issubclass(p, ...)`, `p.__name__`) or its `__name__`/`__qualname__`/`__module__`:
      one entry per class of the program, and a class-keyed memo (a generated subclass
      per model, a metaclass's `_instances`) needs every entry; a setting
      (`config.BROKER_URL`, `settings.MODE`, `self.config["x"]`) or a name that says
      it takes few values (`locale`, `lang`, `theme`, `plugin`, `config`, `cfg`,
      `job_type`, `kind`, `mode`); a loop variable over a literal collection (of constants or
      module-level values); a lookup in a table of the module (`IDS.get(symbol)`,
      `IDS[symbol]`, where `IDS`, named in capitals, is bound once to a dict of
      constants); a parameter that takes few values: an option (it has a
      default: `True`, `"-_."`, `None`, `DATA_DIR`), annotated `bool`, `Literal[...]`,
      an `Enum` of the module or `Enum` itself (any enum's members), or named as above. A local name counts as what it
      was assigned (`key = f"{cls.__name__}"`), and what is made of such values only
      (an f-string, a tuple, `+`, `%`, `/`, `a if c else b`, `str(...)`, a method of
      one and its arguments: `locale.replace("-", "_")`, `template.format(x=part)`, a
      function of the module given them: `add_queue_prefix(name)`) takes few values too;
    - keys made of parameters that the configuration knows: the write runs only when
      a setting read with the parameter found something
      (`command = config.get_command(camera_id)`, then `if command is None: return`):
      one entry per configured thing;
    - keys made of the writing function's parameters (as above, with parameters among
      the parts) when every call of the function in the project passes them few
      values: the parameters are followed to the callers, across modules through the
      project index, and a caller's own parameter to its callers in turn (a few calls
      deep; a call from the function itself adds nothing; a call at import time passes
      one value). A parameter the function normalises in place
      (`root = Path(root) if root else None`) is still the parameter, and then its
      default says nothing: the callers decide. Otherwise a caller's parameter with a
      default counts as an option, as the writing function's own does (a metaclass's
      `__call__(cls, spec=None)` then hides what every construction passes). Private
      functions called in their module only with fixed values (or nothing) are silent
      even when the file is checked on its own. A key that is an attribute of `self`
      only the constructor sets, from one of its parameters (`self.broker_url =
      broker_url` in `__init__`, or in a base's that an `__init__(*args, **kwargs)`
      hands its arguments to), is what the class's callers pass for that parameter:
      `RedisBuffer(settings.BROKER_URL, ...)` everywhere in the project is one pool per
      configured broker (not for a class the module subclasses, nor an attribute another
      method sets).
      Calls inside lambdas and nested functions, and a function passed as a callback,
      are not seen as calls: what they pass is missed;
    - a memo of the program's own files: the key is a parameter naming a file the
      writing function reads before the write, from a path made of `__file__` or a
      Flask or Quart application's `root_path` (`os.path.join(app.root_path,
      "file_trees", f"{name}.json")`), at the top of its body or of a `try` whose
      handlers all raise (as OOM301 judges them): a name of no such file raises before
      the write, so the entries are the files the program ships;
    - a table built once: written only under `if not TABLE:` or after
      `if TABLE: return ...` in the same function; warn-once sets, whose name says so
      (`_WARNED_...`): they hold what the code warned about; counts that the module also
      decrements (`COUNTS[k] -= 1`): they count live things;
    - a new lock per account (`LOCKS[wallet_id] = asyncio.Lock()`, every part of the
      key an id named after a user, account, wallet, tenant...): the keys follow the
      accounts the application keeps, and a lock holds no data (a memo of each
      user's data, `load_user(user_id)`, is still reported);
    - caches of the program or its settings: the value stored is code (a module from
      `importlib.import_module`/`__import__`, `getattr` of one, a class) or read from a
      configuration object (`await self.config.guild(g).prefer_lyrics()`), so there is
      one entry per thing they define;
    - writes that run when the module is imported or a class is created: at module
      level, in a registration function (one that returns its own parameter, or that
      the module uses as a decorator), in `__init_subclass__` or `__set_name__`, or in
      a method of a metaclass (it runs on classes: `__new__`, `__setattr__`, a
      singleton's `__call__`);
    - connections per endpoint: a key made of the parameters of a function named for
      connecting (`connect(url)`, `get_client(host, port)`, `connection_pool(dsn)`);
      a process connects to the endpoints it is configured with, and one client per
      endpoint is the reuse such a cache is for (a key read from a request or a
      call's result is still reported);
    - writes in one-shot code: a function that runs only once as its module and the
      project's other modules show it (called at module level, in the
      `if __name__ == "__main__":` block (but not a loop there that only the
      process's end stops: `while True:` with no `break`), from set-up code or from
      such a function, `asyncio.run(main())` and `trio.run(main)` included, and a
      worker such code spawns, `gevent.spawn(worker, queue)`; in a loop
      only of a fixed number of rounds: over a literal collection, a `range` of
      constants, a retry loop; a method that `self.m()` calls reach from the `__init__`
      of a class made once; the constructor (`__init__`, `__post_init__`,
      `__attrs_post_init__`) of a class the project's modules make only at import time
      (at module level), and that no class of the project derives from: a registry
      filled by the nodes it registers when they are imported; a memoized function as
      its callers call it), entry
      points and start-up hooks (`main()`, `create_app`, `setup*`, `init*`,
      `initialize*`, `configure*`, `bootstrap*` when nothing seen calls them more
      often, so not a method its class's `__init__` calls, which runs per instance;
      Django's `ready`, a web application's lifespan, start-up and shutdown hooks
      (`FastAPI(lifespan=...)`, `@app.on_event("startup")`, aiohttp's `on_startup`,
      Pyramid's `@subscriber(ApplicationCreated)`; see OOM201), click and typer
      commands, invoke and fabric tasks, a Django management command's `handle`), and
      every function of a migration (Django `class Migration`, an Alembic revision, any
      module importing alembic) or of a script (see OOM201: a command in the project's
      `scripts/`, `tools/` or `bin/` folder that does not serve: its caches hold one run's keys);
    - a plugin of a linter or type checker (a module importing `pylint`, `astroid`,
      `flake8` or `mypy`): it lives for one run over the project's own code;
    - a container that escapes: passed to anything but a builtin, returned, yielded,
      aliased to another name or attribute, or used as a parameter default. The code
      it escapes to (another module, the callee) may evict it, and we cannot see it;
    - containers local to a function, or to a class defined in one: they die with it.

    ## Example
    ```python
    _user_cache = {}

    def get_user(user_id):
        if user_id not in _user_cache:
            _user_cache[user_id] = db.load_user(user_id)
        return _user_cache[user_id]
    ```

    ## Use instead
    ```python
    import cachetools

    _user_cache = cachetools.TTLCache(maxsize=10_000, ttl=300)

    def get_user(user_id):
        if user_id not in _user_cache:
            _user_cache[user_id] = db.load_user(user_id)
        return _user_cache[user_id]
    ```
    or `functools.lru_cache(maxsize=...)` on the function, or evict explicitly
    (`if len(_user_cache) >= LIMIT: _user_cache.pop(next(iter(_user_cache)))`).

    ## Options
    - `cache-names`: words that make a container a cache by its name alone, without a
      lookup before the write. The name is split at underscores and camelCase humps and
      compared case-insensitively, so `cache` matches `_cache`, `_user_cache` and
      `typeCache`, `memo` matches `MEMO`, `seen` matches `_seen_ids`.

    ## Fix
    None: the right bound (size, TTL, weak references) depends on the data.

    ## References
    - [cachetools](https://cachetools.readthedocs.io/)
    - [functools.lru_cache](https://docs.python.org/3/library/functools.html#functools.lru_cache)
    - [weakref.WeakValueDictionary](https://docs.python.org/3/library/weakref.html#weakref.WeakValueDictionary)
    """

    code = "OOM303"
    asks_callers = True  # what the callers pass for a key parameter
    # What makes an empty container: dict(), set(), OrderedDict(), defaultdict(), {} (with
    # blanks, a line break or a comment between the braces).
    required_text = ("dict", "Dict", "set", "{}", "{ ", "{\t", "{\n", "{\r", "{\\", "{#")
    symbol = "unbounded-module-cache"
    summary = "Module- or class-level dict/set cache that grows and is never evicted"
    message = (
        "{place} {kind} '{name}' grows in '{function}'{writer}, keyed by {evidence}, and is never "
        "evicted: every distinct key stays in memory; bound it or evict entries"
    )
    options = (
        Option(
            "cache-names",
            ("cache", "caches", "cached", "memo", "memos", "memoized", "seen"),
            "Words that mark a container as a cache when they appear in its name "
            "(split at underscores and camelCase, case-insensitive).",
        ),
    )

    def __init__(self, context, options):
        super().__init__(context, options)
        self.cache_words = frozenset(word.lower() for word in options["cache-names"])
        self.containers: dict[Key, Container] = {}
        # Fast rejection: most names and attributes are not containers.
        self.names: set[str] = set()
        self.attributes: set[str] = set()
        self.growth: dict[Key, list[Growth]] = {}
        self.lookups: dict[tuple[Key, ast.AST], list[tuple[Position, ast.If | None]]] = {}
        self.shrunk: set[Key] = set()
        self.escaped: set[Key] = set()
        self.returns_parameter: set[ast.AST] = set()
        self.returns_other: set[ast.AST] = set()
        self.decorator_names: set[str] = set()
        self.key_error_tries: set[ast.AST] = set()
        self.augmented: set[ast.AST] = set()
        self.class_creation: set[ast.AST] = set()
        self.stored: dict[ast.AST, ast.expr] = {}
        self.counted_down: set[Key] = set()
        self.inputs = WebInputs(self.model)

    # ----------------------------------------------------------- definitions

    def visit_Assign(self, node: ast.Assign) -> None:
        self._define(node.targets, node.value)
        self._escape(node.value)
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                self.stored[target] = node.value  # what ``CACHE[key] = value`` stores

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._define([node.target], node.value)
            self._escape(node.value)

    def _define(self, targets: list[ast.expr], value: ast.expr) -> None:
        """Record ``NAME = {}`` in a module or class body; forget a name rebound there."""
        scope = self.model.scope
        if scope.kind not in ("module", "class") or self.model.executing_function is not None:
            return
        kind = self._container_kind(value) if len(targets) == 1 else None
        in_class = scope.kind == "class"
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            key = (scope.node if in_class else None, target.id)
            if kind is None:
                self.containers.pop(key, None)
                continue
            label = f"{scope.node.name}.{target.id}" if in_class else target.id
            self.containers[key] = Container(kind, label, scope if in_class else None, target)
            (self.attributes if in_class else self.names).add(target.id)

    def _container_kind(self, value: ast.expr) -> str | None:
        if isinstance(value, ast.Dict):
            return None if value.keys else "dict"
        if not isinstance(value, ast.Call):
            return None
        kind = CONTAINER_FACTORIES.get(self.model.qualified_name(value.func))
        if kind is None or (kind != "defaultdict" and (value.args or value.keywords)):
            return None
        return kind

    # ------------------------------------------------------------ references

    def _key(self, expr: ast.AST) -> tuple[Key, bool] | None:
        """The container ``expr`` names, and whether it was reached through ``self``/``cls``."""
        if type(expr) is ast.Name:
            if expr.id not in self.names:
                return None
            if self.model.module_binding(expr) is None:
                return None
            key = (None, expr.id)
            return (key, False) if key in self.containers else None
        if type(expr) is not ast.Attribute or expr.attr not in self.attributes:
            return None
        owner, through_self = self._class_of(expr.value)
        key = (owner, expr.attr)
        return (key, through_self) if owner is not None and key in self.containers else None

    def _class_of(self, expr: ast.expr) -> tuple[ast.ClassDef | None, bool]:
        """The class ``self``, ``cls``, ``type(self)``, ``self.__class__`` or ``ClassName`` stands for."""
        if isinstance(expr, ast.Attribute) and expr.attr == "__class__":
            expr = expr.value
        elif (
            isinstance(expr, ast.Call)
            and len(expr.args) == 1
            and self.model.qualified_name(expr.func) == "builtins.type"
        ):
            expr = expr.args[0]
        if not isinstance(expr, ast.Name):
            return None, False
        if self.model.is_self(expr):
            return self.model.method_class, True
        binding = self.model.lookup(expr.id)
        if binding is not None and binding.kind == "class":
            return binding.node, False
        return None, False

    # ----------------------------------------------------------- growth sites

    def _grow(self, expr: ast.expr, site: ast.AST, key: ast.expr | None, defaultdict_only: bool = False) -> None:
        """``site`` adds ``key`` (None: some keys) to the container ``expr`` names, if in a function."""
        found = self._key(expr)
        if found is None or (defaultdict_only and self.containers[found[0]].kind != "defaultdict"):
            return
        function = self.model.executing_function
        if function is None:
            return
        parameters = None if key is None else varying_parameters(self.model, module_facts(self.context), key, function, site)
        if parameters:
            parameters -= self._configured(site)
        if parameters is not None and not parameters:
            return  # a key that takes few values, whatever the traffic
        if parameters is None and key is not None and self._made_with_few_values(key):
            return
        value = self.stored.get(site)
        if value is None and isinstance(site, ast.Call) and site.func.attr == "setdefault" and len(site.args) > 1:
            value = site.args[1]
        if value is not None and (self._settled_value(value, function) or _lock_per_account(key, value)):
            return
        if self._filled_once(found[0], site):
            return
        growth = key_growth(self.model, self.inputs, key, function) if key is not None else KeyGrowth(None, frozenset())
        if growth.evidence is None and value is not None and key is not None and looked_up_in_database(value, key):
            growth = KeyGrowth("the rows it reads", frozenset())
        if growth.evidence is None and key is not None:
            growth = KeyGrowth(self._made_with_growing(key), growth.parameters)
        if growth.evidence is None and not growth.parameters:
            return  # nothing shows the key grows with traffic or data
        self.growth.setdefault(found[0], []).append(Growth(site, function, found[1], parameters, growth))

    def _made_with_few_values(self, key: ast.expr) -> bool:
        """``self.broker_url`` that only the constructor sets, from one of its parameters
        (``self.broker_url = broker_url`` in ``__init__``, or in a base's that an
        ``__init__(*args, **kwargs)`` hands them to): as many values as the class's callers
        across the project pass for it (``RedisBuffer(settings.BROKER_URL, ...)``). Not
        for a class the module subclasses: its callers are not the class's."""
        found = self._constructor_parameter(key)
        return found is not None and made_with_few_values(self.context, self.model.method_class, *found)

    def _constructor_parameter(self, key: ast.expr) -> tuple[str, list[str]] | None:
        """For ``self.<attribute>`` only the constructor of a module-level class no class of
        the module derives from sets, from one of its parameters: that parameter and the
        names the constructor takes by position (:func:`_set_by_constructor`)."""
        if not (isinstance(key, ast.Attribute) and isinstance(key.value, ast.Name) and self.model.is_self(key.value)):
            return None
        owner = self.model.method_class
        classes = {
            statement.name: statement for statement in self.context.tree.body if isinstance(statement, ast.ClassDef)
        }
        if owner is None or classes.get(owner.name) is not owner or any(
            isinstance(base, ast.Name) and base.id == owner.name for item in classes.values() for base in item.bases
        ):
            return None
        return _set_by_constructor(self.model, owner, key.attr, classes)

    def _made_with_growing(self, key: ast.expr) -> str | None:
        """For ``self.name`` that only the constructor sets, from one of its parameters
        (see :meth:`_made_with_few_values`): what some call of the class gives that
        parameter that grows with traffic or data (``Channel(request.args["channel"])``)."""
        found = self._constructor_parameter(key)
        return made_with_growing(self.context, self.model.method_class, *found) if found is not None else None

    def _configured(self, site: ast.AST) -> set[str]:
        """The parameters ``site`` runs only for when the configuration knows them: a
        setting read with the parameter (``command = config.get_command(camera_id)``)
        found something (``if command is None: return``, ``if command:``). There are as
        many as the configuration holds."""
        configured = set()
        for test, value in self.model.guards(site):
            found = _present(test, value)
            binding = self.model.lookup(found.id, at=found) if found is not None else None
            read = binding.value if binding is not None and binding.kind == "assign" else None
            if isinstance(read, ast.Await):
                read = read.value
            if isinstance(read, ast.Call) and isinstance(read.func, ast.Attribute) and names_few_values(read.func.value):
                configured.update(arg.id for arg in read.args if isinstance(arg, ast.Name))
        return configured

    def _settled_value(self, value: ast.expr, function: FunctionNode | ast.Lambda) -> bool:
        """A value that is code (a module or class from ``importlib.import_module``,
        ``__import__``, ``getattr`` of one, a class) or configuration (``await
        self.config.guild(g).prefer_lyrics()``): the cache mirrors the program or its
        settings, one entry per thing they define."""
        value = value.value if isinstance(value, ast.Await) else value
        if is_class_value(self.model, value, function) or names_few_values(value):
            return True
        return self._loads_code(value)

    def _loads_code(self, value: ast.expr, depth: int = 3) -> bool:
        value = self.model.resolve(value)
        if not isinstance(value, ast.Call) or not depth:
            return False
        name = self.model.qualified_name(value.func)
        if name == "builtins.getattr":  # ``getattr(module, name)`` of a module loaded here
            return bool(value.args) and self._loads_code(value.args[0], depth - 1)
        return name in CODE_LOADERS

    def visit_Subscript(self, node: ast.Subscript) -> None:
        context = type(node.ctx)
        if context is ast.Del:
            self._shrink(node.value)
        elif context is ast.Store:
            if node in self.augmented:
                # ``d[k] += 1`` inserts only through a defaultdict's default.
                self._grow(node.value, node, node.slice, defaultdict_only=True)
            else:
                self._grow(node.value, node, node.slice)
            if isinstance(node.value, ast.Subscript):
                self._grow(node.value.value, node.value, node.value.slice, defaultdict_only=True)
        elif self.key_error_tries:
            self._key_error_lookup(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.augmented.add(node.target)
        if isinstance(node.op, ast.Sub) and isinstance(node.target, ast.Subscript):
            found = self._key(node.target.value)
            if found is not None:
                self.counted_down.add(found[0])  # ``COUNTS[k] -= 1``: a count of live things
        if isinstance(node.op, ast.BitOr) and not constant_entries(node.value):
            self._grow(node.target, node.target, None)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in GROW_METHODS:
                if func.attr != "update":
                    if node.args:
                        self._grow(func.value, node, node.args[0])
                elif any(item.arg is None for item in node.keywords) or not all(
                    constant_entries(arg) for arg in node.args
                ):
                    self._grow(func.value, node, None)
            elif func.attr == "get":
                self._looked_up(func.value, node)
            if isinstance(func.value, ast.Subscript):
                # ``GROUPS[key].append(item)``: the defaultdict inserts ``key`` first.
                self._grow(func.value.value, node, func.value.slice, defaultdict_only=True)
        passed = [self._key(arg.value if isinstance(arg, ast.Starred) else arg) for arg in node.args]
        passed += [self._key(item.value) for item in node.keywords]
        if any(passed):
            qualified = self.model.qualified_name(func)
            if qualified is None or not qualified.startswith("builtins."):
                self.escaped.update(found[0] for found in passed if found is not None)

    # ---------------------------------------------------------- cache evidence

    def _looked_up(self, expr: ast.expr, at: ast.AST) -> None:
        """A read of the container: the memoization idiom when it comes before a write."""
        found = self._key(expr)
        function = self.model.executing_function if found is not None else None
        if function is not None:
            self.lookups.setdefault((found[0], function), []).append(((at.lineno, at.col_offset), self._falls_through(at)))

    def _falls_through(self, at: ast.AST) -> ast.If | None:
        """The ``if`` that tests the lookup ``at`` when whatever it finds, the code goes on
        past it: no ``else``, and nothing in its body leaves (``if TASKS.get(name):
        TASKS[name].cancel()``)."""
        statement = self.model.statement(at)
        if not isinstance(statement, ast.If) or statement.orelse:
            return None
        leaves = (ast.Return, ast.Raise, ast.Continue, ast.Break)
        return None if any(isinstance(node, leaves) for item in statement.body for node in ast.walk(item)) else statement

    def visit_Compare(self, node: ast.Compare) -> None:
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)) and not self._refuses_known_key(node):
                self._looked_up(right, node)
            elif isinstance(op, ORDERINGS) or (
                isinstance(op, (ast.Eq, ast.NotEq)) and not (_is_zero(left) or _is_zero(right))
            ):
                self._length_bound(left)
                self._length_bound(right)
            left = right

    def visit_Try(self, node: ast.Try) -> None:
        function = self.model.executing_function
        if function is not None and any(self._catches_key_error(handler.type) for handler in node.handlers):
            self.key_error_tries.add(node)

    if hasattr(ast, "TryStar"):  # Python 3.11+
        visit_TryStar = visit_Try

    def _catches_key_error(self, caught: ast.expr | None) -> bool:
        types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        return any(item is not None and self.model.qualified_name(item) in KEY_ERRORS for item in types)

    def _key_error_lookup(self, node: ast.Subscript) -> None:
        """``CACHE[key]`` read inside ``try: ... except KeyError``."""
        if self._key(node.value) is not None and any(
            holder in self.key_error_tries and block is holder.body for holder, block in self.model.enclosing_blocks(node)
        ):
            self._looked_up(node.value, node)

    # --------------------------------------------------- eviction and escapes

    def _shrink(self, expr: ast.expr) -> None:
        found = self._key(expr)
        if found is not None:
            self.shrunk.add(found[0])

    def _length_bound(self, operand: ast.expr) -> None:
        """``len(CACHE) < LIMIT``: someone bounds or evicts it."""
        if (
            isinstance(operand, ast.Call)
            and len(operand.args) == 1
            and self.model.qualified_name(operand.func) == "builtins.len"
        ):
            self._shrink(operand.args[0])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in SHRINKING_METHODS:
            self._shrink(node.value)
        elif (
            type(node.ctx) is not ast.Load
            and node.attr in self.attributes
            and node not in self.augmented
            and self.model.executing_function is not None
        ):
            # ``cls.CACHE = {}`` or ``self.CACHE = ...``: rebound, or shadowed per instance.
            self._shrink(node)

    def visit_Name(self, node: ast.Name) -> None:
        if (
            type(node.ctx) is not ast.Load
            and node.id in self.names
            and node.id in self.model.scope.global_names
            and node not in self.augmented
        ):
            # ``global CACHE`` then ``CACHE = {}`` (or ``del CACHE``) in a function.
            self.shrunk.add((None, node.id))

    def _escape(self, expr: ast.expr | None) -> None:
        found = self._key(expr) if expr is not None else None
        if found is not None:
            self.escaped.add(found[0])

    def visit_Return(self, node: ast.Return) -> None:
        """``return func``: with no other ``return value``, the function is a decorator."""
        value = node.value
        if value is None:
            return
        binding = self.model.lookup(value.id, at=value) if isinstance(value, ast.Name) else None
        if binding is not None and binding.kind == "param" and binding.scope is self.model.scope:
            self.returns_parameter.add(self.model.scope.node)
        else:
            self.returns_other.add(self.model.scope.node)
        self._escape(value)

    def visit_Yield(self, node: ast.Yield | ast.YieldFrom | ast.NamedExpr) -> None:
        """Yielded or walrus-aliased, the container escapes like a returned one."""
        self._escape(node.value)

    visit_YieldFrom = visit_Yield
    visit_NamedExpr = visit_Yield

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        self.visit_ClassDef(node)
        self.visit_Lambda(node)
        owner = self.model.class_def
        if owner is not None and (
            node.name in CLASS_CREATION or self._is_metaclass(owner)
        ):
            self.class_creation.add(node)

    def _is_metaclass(self, class_def: ast.ClassDef) -> bool:
        return any(self.model.qualified_name(base) in METACLASS_BASES for base in class_def.bases)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: FunctionNode | ast.ClassDef) -> None:
        """Remember decorator names (of classes too): a function used as one fills a registry at import."""
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Name):
                self.decorator_names.add(target.id)
            elif isinstance(target, ast.Attribute):
                self.decorator_names.add(target.attr)

    def visit_Lambda(self, node: FunctionNode | ast.Lambda) -> None:
        """``def f(key, _cache=_cache)``: an alias we cannot follow."""
        for default in (*node.args.defaults, *node.args.kw_defaults):
            self._escape(default)

    # ---------------------------------------------------------------- decide

    def needs_function_bodies(self) -> bool:
        """Containers are module- and class-level names (:meth:`_define`), all known once the
        module's own level is walked: with none, the bodies hold nothing to follow (what
        they grow, look up, evict or hand on is only noted of a container)."""
        return bool(self.containers)

    def finish(self) -> None:
        if imports_any(self.context.tree, DEV_TOOLS):
            return  # a linter's plugin: one lint run, over the project's own code
        for key, container in self.containers.items():
            if key in self.shrunk or key in self.escaped:
                continue
            owner = container.class_scope.node if container.class_scope else None
            if "warned" in name_words(key[1]) or key in self.counted_down:
                continue  # a warn-once set, a reference count
            sites = [
                (site, evidence)
                for site in self.growth.get(key, ())
                if not self._import_time_or_bounded(site)
                and not (site.through_self and owner is not None and self.model.attribute_value(owner, key[1]) is not None)
                and (evidence := self._evidence(site))
            ]
            place = "class-level" if key[0] is not None else "module-level"
            if sites and (self._cache_like(key[1]) or any(self._memoizes(key, site) for site, _ in sites)):
                if evicted_elsewhere(self.context, container.label):
                    continue  # ``UnitHelper._cache.pop(space_id)`` in another module's signal handler
                first, evidence = min(sites, key=lambda found: (found[0].node.lineno, found[0].node.col_offset))
                function = getattr(first.function, "name", "<lambda>")
                self.report(
                    first.node, place=place, kind=container.kind, name=container.label, function=function, writer="",
                    evidence=evidence,
                )
                continue
            # Written from other modules: those writes count as the module's own.
            writes = [
                write for write in grown_elsewhere(self.context, container.label)
                if write.how != "defaultdict" or container.kind == "defaultdict"
            ]
            if not writes or not (self._cache_like(key[1]) or any(write.looked_up for write in writes)):
                continue
            if evicted_elsewhere(self.context, container.label):
                continue
            first = writes[0]
            self.report(
                container.node, place=place, kind=container.kind, name=container.label,
                function=first.function, writer=f" of module '{first.module}'", evidence=first.growth,
            )

    def _evidence(self, site: Growth) -> str | None:
        """What the key of ``site`` grows with: what the key shows, else what the writing
        function's callers pass for the parameters it is made of."""
        if site.growth.evidence is not None:
            return site.growth.evidence
        return next(
            filter(None, (parameter_growth(self.context, site.function, name) for name in sorted(site.growth.parameters))),
            None,
        )

    def _import_time_or_bounded(self, site: Growth) -> bool:
        """Writes that run when the module is imported or a class is created (a decorator,
        ``__init_subclass__``, a metaclass), in a function that runs once (a script's
        ``main``, a private helper called at import), or keyed by a parameter that every
        caller passes a fixed value for."""
        function = site.function
        if getattr(function, "name", None) in self.decorator_names or (
            function in self.returns_parameter and function not in self.returns_other
        ):
            return True
        if function in self.class_creation:
            return True
        if site.parameters is not None and connects(function):
            return True  # one client per configured endpoint: the reuse the cache is for
        runs = runs_of(self.context)
        if runs.once(function):
            return True
        return site.parameters is not None and all(
            runs.passes_fixed(function, parameter) or passes_few_values(self.context, function, parameter)
            or reads_own_file(self.model, function, parameter, before=site.node)
            for parameter in site.parameters
        )

    def _filled_once(self, key: Key, site: ast.AST) -> bool:
        """Written only while the container is empty (``if not TABLE: <fill>``, or after
        ``if TABLE: return ...``): a table built once."""
        for test, value in self.model.guards(site):
            empty = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
            found = self._key(test.operand if empty else test)
            if found is not None and found[0] == key and value is empty:
                return True
        return False

    def _refuses_known_key(self, test: ast.Compare) -> bool:
        """``if name in REGISTRY: raise ...`` or ``assert name not in REGISTRY``: a check for
        duplicates before a registration, not a memo (a cache hands back what it holds)."""
        parent = self.model.parent(test)
        if len(test.ops) != 1:
            return False
        if isinstance(parent, ast.If) and parent.test is test and isinstance(test.ops[0], ast.In):
            return isinstance(parent.body[-1], ast.Raise)
        return isinstance(parent, ast.Assert) and parent.test is test and isinstance(test.ops[0], ast.NotIn)

    def _memoizes(self, key: Key, site: Growth) -> bool:
        """A lookup before the write, that the write depends on: a write after an ``if``
        that goes on whatever the lookup found runs on a hit too, so it replaces what the
        container held instead of handing it back (a registry of live things by name)."""
        written = (site.node.lineno, site.node.col_offset)
        return any(
            position < written
            and (branch is None or any(holder is branch for holder, _ in self.model.enclosing_blocks(site.node)))
            for position, branch in self.lookups.get((key, site.function), ())
        )

    def _cache_like(self, name: str) -> bool:
        return any(word in self.cache_words for word in name_words(name))


def _set_by_constructor(
    model: SemanticModel, owner: ast.ClassDef, attribute: str, classes: dict[str, ast.ClassDef]
) -> tuple[str, list[str]] | None:
    """The parameter of the ``__init__`` (``owner``'s, or a base's of the module that the
    ``__init__`` below only hands ``*args, **kwargs`` to) that ``self.<attribute>`` is set
    from, with the names that constructor takes by position; None when anything else
    sets it (another method, another value)."""
    chain, seen = [], set()
    while owner is not None and owner.name not in seen:
        seen.add(owner.name)
        chain.append(owner)
        bases = [base.id for base in owner.bases if isinstance(base, ast.Name)]
        owner = classes.get(bases[0]) if len(bases) == 1 else None
    sets = [(cls, store) for cls in chain for store in model.attribute_stores(cls, attribute)]
    if len(sets) != 1:
        return None
    cls, store = sets[0]
    init = store.method
    parameters = [arg.arg for arg in (*init.args.posonlyargs, *init.args.args)][1:]
    value = store.value if any(statement is store.statement for statement in init.body) else None
    if init.name != "__init__" or not isinstance(value, ast.Name) or value.id not in (*parameters, *(arg.arg for arg in init.args.kwonlyargs)):
        return None
    for below in chain[:chain.index(cls)]:
        forwarder = next((item for item in below.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
        if forwarder is not None and not _hands_on_arguments(forwarder):
            return None
    return value.id, [*parameters, *(arg.arg for arg in init.args.kwonlyargs)]


def _lock_per_account(key: ast.expr | None, value: ast.expr) -> bool:
    """``LOCKS[wallet_id] = asyncio.Lock()``: a new lock per account (every part of the
    key an account's id). The keys follow the accounts the application keeps, not
    traffic, and a lock holds no data (a memo of each user's data, ``load_user(user_id)``,
    is still a cache)."""
    parts = key.elts if isinstance(key, ast.Tuple) else [key]
    return (
        isinstance(value, ast.Call)
        and not value.args
        and not value.keywords
        and last_name(value.func) in LOCK_CLASSES
        and all(part is not None and account_id(part) for part in parts)
    )


def _hands_on_arguments(init: ast.FunctionDef) -> bool:
    """``def __init__(self, *args, **kwargs)``: the base's constructor decides what it takes."""
    args = init.args
    return len(args.args) == 1 and not args.posonlyargs and not args.kwonlyargs and args.vararg is not None and args.kwarg is not None


def _present(test: ast.expr, value: bool) -> ast.Name | None:
    """The name a guard (``test`` known to be ``value``) shows to hold something:
    ``name``, ``not name`` false, ``name is not None``, ``name is None`` false."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, value = test.operand, not value
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and is_none(test.comparators[0]):
        if isinstance(test.ops[0], (ast.Is, ast.IsNot)):
            test, value = test.left, value == isinstance(test.ops[0], ast.IsNot)
    return test if isinstance(test, ast.Name) and value else None


def _is_zero(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value == 0
