"""OOM301: a memoizing decorator whose cache has no size limit."""

from __future__ import annotations

import ast

from oomlint.astutil import FunctionNode, argument, callee, explicit_parameters, is_infinite, is_none
from oomlint.rule import Rule

# Decorators that take ``maxsize`` as their first parameter (default: bounded).
MAXSIZE_DECORATORS = frozenset(
    {
        "functools.lru_cache",
        "async_lru.alru_cache",
        *(f"cachetools.func.{kind}_cache" for kind in ("fifo", "lfu", "lru", "mru", "rr", "ttl")),
    }
)
ALWAYS_UNBOUNDED = frozenset({"functools.cache"})
CACHETOOLS_CACHED = frozenset({"cachetools.cached"})
CACHETOOLS_CLASSES = frozenset(
    f"cachetools.{kind}"
    for kind in ("Cache", "FIFOCache", "LFUCache", "LRUCache", "MRUCache", "RRCache", "TLRUCache", "TTLCache")
)
PLAIN_CONTAINERS = frozenset({"builtins.dict", "collections.OrderedDict", "collections.defaultdict"})


class UnboundedLruCache(Rule):
    """
    ## What it does
    Flags memoizing decorators whose cache never evicts: `functools.cache`,
    `functools.lru_cache(maxsize=None)` (or `lru_cache(None)`), async-lru's
    `alru_cache(maxsize=None)`, and `cachetools.cached` given a plain dict or a cache
    whose `maxsize` is `float("inf")`, `math.inf` or `sys.maxsize`. Import aliases are
    followed (`from functools import lru_cache as memo`).

    Functions that take no arguments (besides `self`/`cls`) are not flagged: their cache
    holds one entry. Nor are nested functions, whose cache dies with the closure, nor
    functions whose `cache_clear` the module calls or hands out (`load.cache_clear()`,
    `self.load.cache_clear()`, `atexit.register(load.cache_clear)`): the module empties
    that cache itself. A `cache_clear` on any function of the same name counts.

    ## Why is this bad?
    The cache keeps every distinct argument tuple and its result for the life of the
    process. On a service the arguments are request data, so the cache grows with
    traffic until the pod is OOM-killed, the "caches that only grow" of the cache runbook.

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
    None.

    ## Fix
    None yet.

    ## References
    - [functools.lru_cache](https://docs.python.org/3/library/functools.html#functools.lru_cache)
    - [cachetools](https://cachetools.readthedocs.io/)
    """

    code = "OOM301"
    symbol = "unbounded-lru-cache"
    summary = "Memoizing decorator with no size limit"
    message = "{decorator} on '{function}' never evicts: every distinct argument stays cached; set a maxsize"

    def __init__(self, context, options):
        super().__init__(context, options)
        self.unbounded: list[tuple[ast.expr, str, str]] = []
        self.cleared: set[str] = set()

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        if self.model.function is not None or not explicit_parameters(self.model, node):
            return
        for decorator in node.decorator_list:
            description = self._unbounded(decorator)
            if description:
                self.unbounded.append((decorator, description, node.name))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Remember ``load.cache_clear``: the module empties that cache itself."""
        if node.attr == "cache_clear":
            name = _function_name(node.value)
            if name:
                self.cleared.add(name)

    def finish(self) -> None:
        for decorator, description, function in self.unbounded:
            if function not in self.cleared:
                self.report(decorator, decorator=description, function=function)

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


def _function_name(expr: ast.expr) -> str | None:
    """``load`` in ``load.cache_clear``, ``self.load.cache_clear`` or ``Loader.load.cache_clear``."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None
