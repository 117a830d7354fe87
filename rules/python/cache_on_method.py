"""OOM302: ``lru_cache``/``cache`` on an instance method keeps every ``self`` alive."""

from __future__ import annotations

import ast

from oomlint.python.astutil import FunctionNode, builds_own_instance, cache_cleared, callee, decorator_names, is_main_guard
from oomlint.core.rule import Rule
from oomlint.python.runs import ONCE, runs_of

METHOD_CACHES = frozenset({"functools.lru_cache", "functools.cache", "async_lru.alru_cache"})
NOT_INSTANCE_METHODS = frozenset({"builtins.staticmethod", "builtins.classmethod"})
# Special methods Python calls with the class, never with an instance.
IMPLICIT_CLASS_METHODS = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})
ENUM_BASES = frozenset(
    f"enum.{name}" for name in ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum")
)


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

    ## Known limits
    Static methods, class methods (including the implicit ones: `__new__`,
    `__init_subclass__`, `__class_getitem__`) and methods of `Enum` subclasses (whose
    members live for the whole process anyway) are not flagged.

    Nor are methods whose `cache_clear` the module calls or hands out
    (`self.rows.cache_clear()`, `Report.rows.cache_clear`): the module empties that
    cache, and lets the instances go, itself (as OOM301 counts it). A `cache_clear` on
    any function of the same name counts.

    Nor are methods of a module-level singleton: a class that its module instantiates
    at import time (`manager = Manager()`, or in a module-level list) and never inside
    a function or an `if __name__ == "__main__":` block, that no class in the module
    subclasses, and whose methods never build another instance (`cls(...)`,
    `type(self)(...)`, `self.__class__(...)`). Its instances live for the whole
    process anyway. Nor are methods of a class that its module does not make, when the
    project's other modules make it only once, at set-up (asked of the project index, as
    for OOM205), or a framework makes it once per process: Django's middleware (a subclass of
    `MiddlewareMixin`, or a class whose `__init__` takes `get_response`) and app
    configs.

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
    asks_callers = True  # how many instances the project makes of a class
    required_text = ("cache",)  # every decorator it knows: lru_cache, cache, alru_cache
    symbol = "cache-on-method"
    summary = "Memoizing decorator on an instance method keeps every instance alive"
    message = "{decorator} on method '{function}' keeps every instance it is called on alive; cache outside the class or per instance"

    def __init__(self, context, options):
        super().__init__(context, options)
        self.candidates: list[tuple[ast.expr, str, str, ast.ClassDef | None]] = []
        self.made_at_import: set[str] = set()
        self.made_at_run_time: set[str] = set()
        self.main_guards: set[ast.If] = set()
        self.cleared: set[str] = set()

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        class_def = self.model.class_def
        if class_def is None or decorator_names(self.model, node) & NOT_INSTANCE_METHODS:
            return
        if node.name in IMPLICIT_CLASS_METHODS:
            return
        if any(self.model.qualified_name(base) in ENUM_BASES for base in class_def.bases):
            return
        module_level = class_def if self.model.scope.parent is self.model.module_scope else None
        for decorator in node.decorator_list:
            name, _ = callee(self.model, decorator)
            if name in METHOD_CACHES:
                self.candidates.append((decorator, name, node.name, module_level))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """A subclass's instances share the cache: its base is no singleton."""
        self.made_at_run_time.update(base.id for base in node.bases if isinstance(base, ast.Name))

    def visit_If(self, node: ast.If) -> None:
        """A script's instances (``if __name__ == "__main__":``) are not the module's own."""
        if self.model.at_import_time and is_main_guard(node):
            self.main_guards.add(node)

    def visit_Call(self, node: ast.Call) -> None:
        """Who instantiates which class, and when."""
        func = node.func
        if isinstance(func, ast.Name) and func.id != "cls":
            at_import = self.model.at_import_time and not (
                self.main_guards and any(ancestor in self.main_guards for ancestor in self.model.ancestors(node))
            )
            (self.made_at_import if at_import else self.made_at_run_time).add(func.id)
        elif builds_own_instance(func):
            own_class = self.model.method_class
            if own_class is not None:
                self.made_at_run_time.add(own_class.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """``self.rows.cache_clear()``: the module empties that cache (and lets the instances go)."""
        name = cache_cleared(node)
        if name:
            self.cleared.add(name)

    def finish(self) -> None:
        singletons = self.made_at_import - self.made_at_run_time
        for decorator, name, function, module_level_class in self.candidates:
            if function in self.cleared:
                continue
            if module_level_class is None or not (module_level_class.name in singletons or self._made_once_elsewhere(module_level_class)):
                self.report(decorator, decorator=name, function=function)

    def _made_once_elsewhere(self, class_def: ast.ClassDef) -> bool:
        """One instance for the process, made by the project's other modules at set-up or
        by a framework (Django's middleware). A class this module makes is judged by the
        module alone (above): it may be a library's, made anywhere."""
        if class_def.name in self.made_at_import | self.made_at_run_time:
            return False
        return runs_of(self.context).instances(class_def).kind == ONCE


