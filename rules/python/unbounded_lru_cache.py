"""OOM301: a memoizing decorator whose cache has no size limit."""

from __future__ import annotations

import ast

from oomlint.python.astutil import (
    METHOD_CACHES,
    FunctionNode,
    argument,
    cache_cleared,
    callee,
    connects,
    explicit_parameters,
    few_values_parameter,
    instance_method_owner,
    is_infinite,
    is_none,
    is_private,
    module_facts,
    reads_own_file,
)
from oomlint.core.rule import Option, Rule
from oomlint.python.project import PUBLIC_INPUT, parameter_growth, passes_few_values
from oomlint.python.provenance import TIMESTAMP, names_time
from oomlint.python.runs import caches_instances, runs_of

# Decorators that take ``maxsize`` as their first parameter (default: bounded).
MAXSIZE_DECORATORS = frozenset(
    {
        "functools.lru_cache",
        "async_lru.alru_cache",
        *(f"cachetools.func.{kind}_cache" for kind in ("fifo", "lfu", "lru", "mru", "rr", "ttl")),
    }
)
ALWAYS_UNBOUNDED = frozenset({"functools.cache"})
FIXABLE_CALLS = frozenset({"functools.lru_cache", "async_lru.alru_cache"})
CACHETOOLS_CACHED = frozenset({"cachetools.cached"})
CACHETOOLS_CLASSES = frozenset(
    f"cachetools.{kind}"
    for kind in ("Cache", "FIFOCache", "LFUCache", "LRUCache", "MRUCache", "RRCache", "TLRUCache", "TTLCache")
)
PLAIN_CONTAINERS = frozenset({"builtins.dict", "collections.OrderedDict", "collections.defaultdict"})


def _positive(value: object) -> str | None:
    return None if value > 0 else "must be at least 1"


class UnboundedLruCache(Rule):
    """
    ## What it does
    Flags memoizing decorators whose cache never evicts: `functools.cache`,
    `functools.lru_cache(maxsize=None)` (or `lru_cache(None)`), async-lru's
    `alru_cache(maxsize=None)`, and `cachetools.cached` given a plain dict or a cache
    whose `maxsize` is `float("inf")`, `math.inf` or `sys.maxsize`. Import aliases are
    followed (`from functools import lru_cache as memo`).

    And only when something shows the arguments grow with traffic or data, the message
    saying with what (OOM303's evidence for a key, the same analysis): a parameter is
    - given request data, an upload, a network response, an entity's identity
      (`order.id`, `data["user"]["id"]`), a database row, the clock or a fresh id by a
      call in the project, directly or through the callers' own parameters (across
      modules through the project index, a few calls deep);
    - a parameter of a function the project's calls get from a route or a task (what
      the framework hands it);
    - named for a point in time (`timestamp`, `start_ts`, `mtime`): every call a new one;
    - a parameter of a public function (no part of its module's or its own name starts
      with `_`) that the project never calls, or that a call passes on from such a
      function's parameters: an API, whose callers are unknown and pass anything (a
      public function of a source checked with no project, through the engine's API, too).
    A function the project calls only with what shows no such thing (the folders a
    glob finds, a command's option, a call's result, an attribute of a configured
    object) is silent, as is one another decorator registers (a template's helper: the
    templates write what it is given).

    ## Why is this bad?
    The cache keeps every distinct argument tuple and its result for the life of the
    process. On a service the arguments are request data, so the cache grows with
    traffic until the pod is OOM-killed, the "caches that only grow" of the cache runbook.

    ## Known limits
    Not flagged, because their cache cannot grow with traffic:
    - functions whose arguments (besides `self`/`cls`) all take few values, if any: an
      option (it has a default: `True`, `"-_."`, `None`, `DATA_DIR`; callers that pass
      it pass settings), a parameter annotated `bool`, `Literal[...]`, an `Enum` of
      the module or `Enum` itself, a class (annotated `type[...]`, named like one, `klass`,
      `model_class`, or used as one, `issubclass(p, ...)`, `p.__name__`; class-keyed
      memoization, a generated subclass per model compared by identity, needs every
      entry), or a parameter named after a setting, a locale, a theme, a plugin or a
      kind (`locale`, `lang`, `theme`, `plugin`, `config`, `cfg`, `settings`,
      `job_type`, `kind`, `mode`). `*args` and `**kwargs` can be anything;
    - client factories: a function named for connecting (`connect(url)`,
      `_vertex_client(model)`, `connection_pool(dsn)`, as OOM303's connections per
      endpoint): a process connects to the endpoints and models it is configured with,
      and one client per endpoint is the reuse the cache is for;
    - functions that always open a file of the program's own tree named by the
      argument (`open(os.path.join(dirname(__file__), "static", path))`, or a path
      under a Flask or Quart application's `root_path`, at the top of the body or of a
      `try` whose handlers all raise, under no `if`): a name of no such file raises,
      and no exception is cached, so the entries are the files the program ships
      (`static_url(path)` of its assets);
    - functions that every call passes few values for each parameter that takes many,
      in the module (a private function's callers: constants, module-level constants,
      class members, `Level.HIGH`) or across the project: the parameters are followed
      to the callers through the project index as OOM303 follows a key's (settings,
      constants, module-level values, what a caller's own parameters get from its
      callers);
    - functions that run once as their callers call them (see OOM303: at module level,
      from set-up code or from such a function, outside loops of more than a fixed
      number of rounds; entry points), and every
      function of a migration or of a script (see OOM201);
    - nested functions, whose cache dies with the closure;
    - instance methods that OOM302 reports (`lru_cache`, `cache` or `alru_cache` on a
      method of a class made more than once): one finding for the decorator, OOM302's,
      since bounding the cache does not let the instances go;
    - functions whose `cache_clear` the module calls or hands out (`load.cache_clear()`,
      `self.load.cache_clear()`, `atexit.register(load.cache_clear)`): the module empties
      that cache itself. A `cache_clear` on any function of the same name counts.

    ## Example
    ```python
    import functools

    @functools.lru_cache(maxsize=None)
    def load_profile(user_id):
        ...
    ```

    ## Use instead
    ```python
    import functools

    @functools.lru_cache(maxsize=1024)
    def load_profile(user_id):
        ...
    ```

    ## Options
    `fix-maxsize`: the `maxsize` that `oomlint fix` writes.

    ## Fix
    Safe: `oomlint fix` rewrites `lru_cache(maxsize=None)`, `lru_cache(None)`,
    `alru_cache(maxsize=None)` and `functools.cache` to a bounded
    `lru_cache(maxsize=1024)` (the `fix-maxsize` option), adding the import it needs.
    The cachetools forms are left to you: which cache class fits is your call.

    ## References
    - [functools.lru_cache](https://docs.python.org/3/library/functools.html#functools.lru_cache)
    - [cachetools](https://cachetools.readthedocs.io/)
    """

    code = "OOM301"
    asks_callers = True  # what the callers pass
    required_text = ("cache",)  # lru_cache, cache, alru_cache, cachetools' *_cache and cached
    symbol = "unbounded-lru-cache"
    fixes = "safe"
    summary = "Memoizing decorator with no size limit"
    options = (Option("fix-maxsize", 1024, "the maxsize `oomlint fix` gives an unbounded cache", validate=_positive),)
    message = (
        "{decorator} on '{function}', keyed by {evidence}, never evicts: every distinct argument stays cached; "
        "set a maxsize"
    )

    def __init__(self, context, options):
        super().__init__(context, options)
        self.unbounded: list[tuple[ast.expr, str, FunctionNode, bool, ast.ClassDef | None]] = []
        self.cleared: set[str] = set()

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        if self.model.function is not None:
            return
        parameters = explicit_parameters(self.model, node)
        if all(few_values_parameter(self.model, node, arg.arg) for arg in parameters):
            return  # no arguments, or only arguments that take few values: flags, enum members, classes, settings
        owner = instance_method_owner(self.model, node)
        for decorator in node.decorator_list:
            description = self._unbounded(decorator)
            if description:
                # On an instance method, OOM302's decorators hold the instances too: OOM302 tells (below).
                per_instance = owner if callee(self.model, decorator)[0] in METHOD_CACHES else None
                self.unbounded.append((decorator, description, node, self._fixable(decorator), per_instance))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Remember ``load.cache_clear``: the module empties that cache itself."""
        name = cache_cleared(node)
        if name:
            self.cleared.add(name)

    def finish(self) -> None:
        facts = module_facts(self.context) if self.unbounded else None
        for decorator, description, function, fixable, per_instance in self.unbounded:
            if (
                function.name in self.cleared
                or caches_instances(self.context, per_instance)
                or runs_of(self.context).once(function)
                or connects(function)
                or self._fixed_arguments(facts, function)
            ):
                continue
            evidence = self._evidence(function, decorator)
            if evidence is None:
                continue  # nothing shows the arguments grow with traffic or data
            self.report(
                decorator, fix="safe" if fixable else None, decorator=description, function=function.name, evidence=evidence
            )

    def _evidence(self, function: FunctionNode, decorator: ast.expr) -> str | None:
        """What some argument of the cache grows with, as OOM303 asks of a key: a parameter
        named for the clock, what a call in the project passes (request data, an entity's
        id, a row...), what a route or task is given; whatever the callers of a public
        function the project never calls pass (an API's)."""
        for parameter in explicit_parameters(self.model, function):
            name = parameter.arg
            if few_values_parameter(self.model, function, name):
                continue
            found = TIMESTAMP if names_time(name) else parameter_growth(self.context, function, name, decorator)
            if found:
                return found
        # A source checked with no project (the engine's API): nothing shows a public function's callers.
        return PUBLIC_INPUT if self.context.project is None and not is_private(function.name) else None

    def _fixed_arguments(self, facts, function: FunctionNode) -> bool:
        """Every parameter takes few values, or every caller passes it few values (a
        private function's in the module, or any function's in the project): its cache
        holds those few calls."""
        args = function.args
        if args.vararg is not None or args.kwarg is not None:
            return False
        return all(
            few_values_parameter(self.model, function, name)
            or runs_of(self.context).passes_fixed(function, name)
            or passes_few_values(self.context, function, name)
            or reads_own_file(self.model, function, name)
            for name in facts.positional(function) + [arg.arg for arg in args.kwonlyargs]
        )

    def _fixable(self, decorator: ast.expr) -> bool:
        """Written out where it is used: a call of a functools or async-lru decorator, or ``cache``."""
        if isinstance(decorator, ast.Call):
            return self.model.qualified_name(decorator.func) in FIXABLE_CALLS
        return self.model.qualified_name(decorator) in ALWAYS_UNBOUNDED

    @classmethod
    def fix(cls, node, options, context, hint=None):
        import libcst as cst
        from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

        maxsize = cst.Integer(str(options["fix-maxsize"]))
        if isinstance(node, cst.Call):
            for index, arg in enumerate(node.args):
                keyword = arg.keyword.value if arg.keyword else None
                if keyword == "maxsize" or (keyword is None and index == 0):
                    return node.with_changes(args=[*node.args[:index], arg.with_changes(value=maxsize), *node.args[index + 1:]])
            return None
        bounded = cst.Arg(
            keyword=cst.Name("maxsize"),
            value=maxsize,
            equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
        )
        if isinstance(node, cst.Attribute):
            return cst.Call(func=node.with_changes(attr=cst.Name("lru_cache")), args=[bounded])
        if isinstance(node, cst.Name):
            AddImportsVisitor.add_needed_import(context, "functools", "lru_cache")
            RemoveImportsVisitor.remove_unused_import(context, "functools", "cache", asname=None if node.value == "cache" else node.value)
            return cst.Call(func=cst.Name("lru_cache"), args=[bounded])
        return None

    def _unbounded(self, decorator: ast.expr) -> str | None:
        """How to name the decorator in the message, if its cache is unbounded."""
        name, call = callee(self.model, decorator)
        if name in ALWAYS_UNBOUNDED:
            return name
        if call is None:
            return None
        if name in MAXSIZE_DECORATORS:
            maxsize = argument(call, 0, "maxsize")
            if is_none(maxsize) or is_infinite(self.model, maxsize):
                return f"{name}(maxsize={ast.unparse(maxsize)})"
        elif name in CACHETOOLS_CACHED and self._is_unbounded_cache(argument(call, 0, "cache")):
            return f"{name}(cache={ast.unparse(argument(call, 0, 'cache'))})"
        return None

    def _is_unbounded_cache(self, cache: ast.expr | None) -> bool:
        if cache is None:
            return False
        cache = self.model.resolve(cache)
        if isinstance(cache, ast.Dict):
            return True
        name, call = callee(self.model, cache)
        if call is None:
            return False
        if name in PLAIN_CONTAINERS:
            return True
        return name in CACHETOOLS_CLASSES and is_infinite(self.model, argument(call, 0, "maxsize"))
