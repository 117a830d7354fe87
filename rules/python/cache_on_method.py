"""OOM302: ``lru_cache``/``cache`` on an instance method keeps every ``self`` alive."""

from __future__ import annotations

import ast

from oomlint.python.astutil import METHOD_CACHES, FunctionNode, argument, cache_cleared, callee, instance_method_owner, memo_cache
from oomlint.core.rule import Option, Rule
from oomlint.python.runs import caches_instances


class CacheOnMethod(Rule):
    """
    ## What it does
    Flags `functools.lru_cache` (any `maxsize`), `functools.cache` and async-lru's
    `alru_cache` applied to an instance method, sync or async.

    ## Why is this bad?
    The cache lives on the function, which belongs to the class, and its keys include
    `self`. Every instance the method was ever called on stays reachable from the
    class until its entry is evicted (never, with `maxsize=None`), together with
    everything the instance holds: request objects, buffers, connections. Short-lived
    objects become a leak that grows with traffic.

    A memoizing decorator of the module's own counts as one when it keeps one dict per
    function it decorates, filled by the wrapper it returns with the wrapped function's
    results keyed by what the wrapper is given (`cache[args] = func(*args)`), and takes
    nothing out of it: it is reported once, at that dict, naming a method it decorates.

    ## Known limits
    Static methods, class methods (including the implicit ones: `__new__`,
    `__init_subclass__`, `__class_getitem__`) and methods of `Enum` subclasses (whose
    members live for the whole process anyway) are not flagged.

    Nor are caches whose `maxsize` is a constant of at most `allowed-maxsize` (0:
    `lru_cache(maxsize=0)` stores nothing). Even `maxsize=1` keeps the last instance, and
    all it holds, until another call replaces it: pytest (#9148, `maxsize=1`) and
    Sentry's seer (#2512, `maxsize=8`) took such caches off their methods for that.
    Raise the option where keeping the last few instances is harmless (a view's
    `get_queryset` memo of the last request).

    Nor are methods whose `cache_clear` the module calls or hands out
    (`self.rows.cache_clear()`, `Report.rows.cache_clear`): the module empties that
    cache, and lets the instances go, itself (as OOM301 counts it). A `cache_clear` on
    any function of the same name counts.

    Nor are methods of a class made once per process, whose instances live for the
    whole process anyway: one its module makes only at set-up (`manager = Manager()`,
    in a module-level list, under `if __name__ == "__main__":`, or in a function that
    runs once, such as `main()` or the `__init__` of another such class), that no class
    in the module subclasses and whose methods never build another instance
    (`cls(...)`, `type(self)(...)`, `self.__class__(...)`, except its own lazy singleton:
    `if _DEFAULT is None: _DEFAULT = cls(...)` in a classmethod), unless the project's other
    modules are seen to make it more often (a class made under `__main__` and by a view
    elsewhere is flagged); or one its module
    does not make, when the project's other modules make it only once, at set-up (asked
    of the project index, as for OOM205), or a framework makes it once per process:
    Django's middleware (a subclass of `MiddlewareMixin`, or a class whose `__init__`
    takes `get_response`) and app configs; or a plugin its loader makes (a class of a
    `plugins` package, or derived from a base named `...Plugin`, that no module of the
    project makes by name nor derives from), and what such a plugin's `__init__` makes.

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
    `allowed-maxsize`: the largest constant `maxsize` that is not reported.

    ## Fix
    None: where the cache should live is a design decision.

    ## References
    - [functools FAQ: How do I cache method calls?](https://docs.python.org/3/faq/programming.html#how-do-i-cache-method-calls)
    - [cachetools.cachedmethod](https://cachetools.readthedocs.io/en/latest/#cachetools.cachedmethod)
    """

    code = "OOM302"
    asks_callers = True  # how many instances the project makes of a class
    required_text = ("cache",)  # every decorator it knows: lru_cache, cache, alru_cache
    symbol = "cache-on-method"
    summary = "Memoizing decorator on an instance method keeps every instance alive"
    message = "{decorator} on method '{function}' keeps every instance it is called on alive; cache outside the class or per instance"
    options = (
        Option(
            "allowed-maxsize",
            0,
            "the largest constant maxsize of a method's cache that is not reported (where keeping the last few instances is harmless)",
            validate=lambda value: None if value >= 0 else "must be at least 0",
        ),
    )

    def __init__(self, context, options):
        super().__init__(context, options)
        self.candidates: list[tuple[ast.expr, str, str, ast.ClassDef]] = []
        self.cleared: set[str] = set()
        # Per hand-rolled memoizing decorator of the module (its cache), the methods it
        # decorates: ``(method, class)``.
        self.memoized: dict[ast.expr, tuple[str, list[tuple[str, ast.ClassDef]]]] = {}

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        owner = instance_method_owner(self.model, node)
        if owner is None:
            return
        for decorator in node.decorator_list:
            name, _ = callee(self.model, decorator)
            if name in METHOD_CACHES and not self._keeps_few(decorator):
                self.candidates.append((decorator, name, node.name, owner))
            elif isinstance(decorator, ast.Name):
                binding = self.model.module_binding(decorator)
                cache = memo_cache(binding.node) if binding is not None and binding.kind == "def" else None
                if cache is not None:
                    self.memoized.setdefault(cache, (decorator.id, []))[1].append((node.name, owner))

    visit_AsyncFunctionDef = visit_FunctionDef

    def _keeps_few(self, decorator: ast.expr) -> bool:
        """``lru_cache(maxsize=1)``: a constant size of at most ``allowed-maxsize`` entries."""
        call = decorator if isinstance(decorator, ast.Call) else None
        maxsize = argument(call, 0, "maxsize") if call is not None else None
        return (
            isinstance(maxsize, ast.Constant)
            and type(maxsize.value) is int
            and maxsize.value <= self.settings["allowed-maxsize"]
        )

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """``self.rows.cache_clear()``: the module empties that cache (and lets the instances go)."""
        name = cache_cleared(node)
        if name:
            self.cleared.add(name)

    def finish(self) -> None:
        for decorator, name, function, owner in self.candidates:
            if function not in self.cleared and caches_instances(self.context, owner):
                self.report(decorator, decorator=name, function=function)
        # A decorator of the module's own: reported once, at its cache, which its fix changes.
        for cache, (name, methods) in self.memoized.items():
            function = next((function for function, owner in methods if caches_instances(self.context, owner)), None)
            if function is not None:
                self.report(cache, decorator=name, function=function)
