"""OOM302: ``lru_cache``/``cache`` on an instance method keeps every ``self`` alive."""

from __future__ import annotations

from oomlint.astutil import FunctionNode, callee, decorator_names
from oomlint.rule import Rule

METHOD_CACHES = frozenset({"functools.lru_cache", "functools.cache", "async_lru.alru_cache"})
NOT_INSTANCE_METHODS = frozenset({"builtins.staticmethod", "builtins.classmethod"})
ENUM_BASES = frozenset(
    f"enum.{name}" for name in ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum")
)


class CacheOnMethod(Rule):
    """
    ## What it does
    Flags `functools.lru_cache` (any `maxsize`), `functools.cache` and async-lru's
    `alru_cache` applied to an instance method, sync or async.

    Static methods, class methods and methods of `Enum` subclasses (whose members live
    for the whole process anyway) are not flagged.

    ## Why is this bad?
    The cache lives on the function, which belongs to the class, and its keys include
    `self`. Every instance the method was ever called on stays reachable from the
    class until its entry is evicted (never, with `maxsize=None`), together with
    everything the instance holds: request objects, buffers, connections. Short-lived
    objects become a leak that grows with traffic.

    ## Example
    ```python
    import functools

    class Report:
        @functools.lru_cache(maxsize=256)
        def rows(self, month):
            ...
    ```

    ## Use instead
    ```python
    import functools

    class Report:
        def __init__(self):
            self.rows = functools.lru_cache(maxsize=256)(self._rows)

        def _rows(self, month):
            ...
    ```
    or `cachetools.cachedmethod` with a cache stored on the instance, or
    `functools.cached_property` for a method that takes no arguments.

    ## Options
    None.

    ## Fix
    None: where the cache should live is a design decision.

    ## References
    - [functools FAQ: How do I cache method calls?](https://docs.python.org/3/faq/programming.html#how-do-i-cache-method-calls)
    - [cachetools.cachedmethod](https://cachetools.readthedocs.io/en/latest/#cachetools.cachedmethod)
    """

    code = "OOM302"
    symbol = "cache-on-method"
    summary = "Memoizing decorator on an instance method keeps every instance alive"
    message = "{decorator} on method '{function}' keeps every instance it is called on alive; cache outside the class or per instance"

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        class_def = self.model.class_def
        if class_def is None or decorator_names(self.model, node) & NOT_INSTANCE_METHODS:
            return
        if any(self.model.qualified_name(base) in ENUM_BASES for base in class_def.bases):
            return
        for decorator in node.decorator_list:
            name, _ = callee(self.model, decorator)
            if name in METHOD_CACHES:
                self.report(decorator, decorator=name, function=node.name)

    visit_AsyncFunctionDef = visit_FunctionDef
