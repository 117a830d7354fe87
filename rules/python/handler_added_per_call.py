"""OOM205: a logging handler, atexit hook or listener added where code runs many times."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass

from oomlint.core.rule import Option, Rule
from oomlint.python.astutil import ATEXIT_REGISTER, FunctionNode, argument, made_per_run, name_words, same_every_run
from oomlint.python.project import self_calls_of
from oomlint.python.runs import MANY, PER_INSTANCE, Frequency, runs_of
from oomlint.python.semantic import ATTRIBUTE, AUGMENTED, ITEM_TARGET, Reference, Scope, SemanticModel

HANDLER, HOOK, LISTENER = "handler", "hook", "listener"
ACTIONS = {
    HANDLER: "handler added to a process-wide logger",
    HOOK: "atexit hook registered",
    LISTENER: "listener added to module-level emitter '{emitter}'",
}
# ``getLogger(f"job.{job_id}")``: ``logging`` keeps each logger it hands out for good.
NAMED_PER_RUN_ACTION = "handler added to a logger named per run, which logging never frees,"
NAMED_PER_RUN_ADVICE = "remove and close the handler when the run ends, or log through one logger with the id in the record"
ADVICE = {
    HANDLER: "add handlers once at set-up, or guard with 'if not logger.handlers'",
    HOOK: "register once, unregister it when done, or use weakref.finalize",
    LISTENER: "add it once, or remove it when done",
}
WATCHED = frozenset({"addHandler", "register", "on", "add_listener"})
GET_LOGGER = "logging.getLogger"
ROOT_LOGGER = "logging.root"
EXIT_METHODS = ("__exit__", "__aexit__")
# Holders of the clean-ups of temporary files a run made: at exit they delete files, they free no memory.
TEMPORARY_HOLDERS = frozenset({"contextlib.ExitStack"})
WEAK_REFERENCES = frozenset({"weakref.ref", "weakref.proxy", "weakref.WeakMethod"})
# A hook named for releasing what it is given (``connect.Disconnect(si)``, ``close_connection(conn)``):
# given an object made in this run, it is that object's ``close`` put off until exit.
RELEASING_WORDS = frozenset({"close", "disconnect", "shutdown", "release", "dispose", "logout", "terminate", "stop"})
LOGGING_CONFIG = frozenset({"logging.config.dictConfig", "logging.config.fileConfig"})
BASIC_CONFIG = "logging.basicConfig"
# What takes each kind back off its registry (``logger.handlers.clear()`` and
# ``logger.handlers = [...]`` count for handlers too; see ``_removes``).
REMOVALS = {
    HANDLER: frozenset({"removeHandler"}),
    HOOK: frozenset({"unregister"}),
    LISTENER: frozenset({"remove_listener", "remove_all_listeners"}),
}
# A test that reads the registry: ``if not logger.handlers``, ``if logger.hasHandlers()``.
REGISTRY_READS = frozenset({"handlers", "hasHandlers", "listeners", "listener_count"})
MUTATORS = frozenset({"add", "append", "update", "setdefault", "extend"})
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class _Candidate:
    node: ast.expr
    function: FunctionNode
    owner: ast.ClassDef | None
    kind: str
    emitter: str = ""
    attribute: str | None = None
    """``handler`` of ``addHandler(self.handler)``: what users of the instance may remove;
    ``close`` of ``atexit.register(self.close)``: what the hook releases."""
    scope: Scope | None = None
    """The scope it is made in, where the names of its guards are looked up."""
    named_per_run: bool = False
    """A handler added to a logger whose name is made per run: one more logger each run."""
    named_here: bool = False
    """Its name is made in the function (``f"jobs.{job_id}"``), not given as a parameter
    (which callers may give the same few names): a new logger each run, for certain."""


class HandlerAddedPerCall(Rule):
    """
    ## What it does
    Flags a registration that nothing undoes, made in code that runs many times:

    - `logger.addHandler(handler)` on a logger that `logging` keeps for the whole
      process (`logging.getLogger(...)`, the root logger, directly or through a name
      or `self.<attr>` assigned from one) whose name is the same on every run, with a
      handler made anew on each run;
    - `atexit.register(...)` (also as a decorator) of something that keeps objects
      alive: `self.close`, a method of an object made in the call, a lambda, a nested
      function, a `functools.partial`, or `self` passed along; or a function named for
      releasing (`connect.Disconnect`, `close_connection`: close, disconnect, shutdown,
      release, stop...) given an object made in the call (`atexit.register(connect.Disconnect,
      si)` keeps the connection `si` until exit, as `atexit.register(si.close)` would);
    - `emitter.on(event, listener)` / `add_listener(...)` on a module-level pyee
      `EventEmitter` (or a module class derived from one), with a listener made anew
      on each run (a bound method of `self`, a lambda, a nested function, `@emitter.on`
      on a nested function).

    Code that runs many times, as its module (or, for a function only other modules
    call, the project) shows it: a request or task handler (a
    route, view or task decorator such as `@app.route`, `@router.get`, `@app.task`,
    `@receiver`; a first parameter named `request`), a Prometheus collector's `collect`
    (run on every scrape: a subclass of `prometheus_client`'s `Collector`, or a class
    whose instance the module registers, `REGISTRY.register(Exporter())`), a test's set-up (`setUp`,
    `setup_method`, a function-scoped `pytest.fixture`), a `functools.wraps` wrapper
    nested in its decorator, a function called in a loop, from a lambda or from any of these, or handed
    to an executor there (`pool.submit(run_task, job)`, `loop.run_in_executor(None, run_task, job)`:
    one call per hand-off), and the `__init__` of a class made there. Handlers are also reported in `__init__` (and the methods it
    calls) when the module does not show how many instances are made: every instance
    adds one more to the same logger. A logger named by a parameter with a default the
    same on every run (`def create_logger(name="", ...)`: `getLogger(name)`) counts as
    the same logger each run: the callers that leave the name out, or pass one of a few
    names, add to the same loggers. A logger whose name is made per run
    (`getLogger(f"job.{job_id}")`) is reported too: `logging` never frees a logger, so
    each run leaves one more, with its handler (and a `FileHandler`'s open file), and a
    name that comes again (the same VM restarted) adds to the same logger.

    ## Why is this bad?
    The memory-leak runbook puts "event listeners not removed" first: a listener
    registered per request that nothing removes, so the list behind it grows with
    traffic. A logger from `logging.getLogger` lives as long as the process; each run
    adds one more handler (and, for a `FileHandler`, one more open file), every record
    is then written once per handler, and memory and file descriptors grow until the
    pod is OOM-killed. `atexit.register(self.close)` closes the object at exit but keeps
    every instance alive until then, and the atexit list grows with every call.

    ## Known limits
    Not flagged:
    - one-time set-up: module level, `main`, functions called only from module level
      (the `if __name__ == "__main__":` block included, its loops over the arguments
      too, but not a loop there that serves: `while True:` with no `break`, a handler
      per connection is reported) or from functions that run once
      (`anyio.run(start)` calls `start`), loops over
      a literal collection or a `range` of constants, retry loops, the loop of a
      recursion (as many rounds as the data has levels), the `__init__` of a class the module
      instantiates only at set-up, every function of a script (see OOM201: a command
      in the project's `scripts/`, `tools/` or `bin/` folder that does not serve) or of a
      migration, commands of click, typer, invoke and fabric and a Django management
      command's `handle`, start-up hooks (`create_app`, `setup*`, `init*`, `configure*`,
      see OOM201) that nothing seen calls more often,
      memoized functions (`functools.cache`, `lru_cache`),
      functions whose decorator is named like `run_once`, tests (`test_*`);
    - guarded registrations: under (or after an early `return` on) a test that reads the
      registry (`if not logger.handlers`, `if handler not in logger.handlers`,
      `if logger.hasHandlers()`, a flag computed from `logger.handlers`,
      `emitter.listeners(...)`, a predicate given the logger: `if not
      has_handlers(logger)`) or a once-only flag that the guarded code sets
      (`self._configured = True`, a `global` flag, a registry dict or set it fills,
      `setattr`); code under `if 0:`. A test of the handlers of a logger whose name the
      function makes per run (`getLogger(f"jobs.{job_id}")`) guards nothing: each run
      gets a new logger, whose handlers are always empty;
    - registrations undone in the same function or, for a method, anywhere in its class
      or the module's classes it derives from, or, for what `__init__` stores on `self`,
      by the module's users of the instance (a fixture that calls
      `logger.removeHandler(capture.handler)` after the test): `removeHandler`,
      `logger.handlers.clear()`, `logger.handlers = [...]`,
      `logging.config.dictConfig`/`fileConfig` and `logging.basicConfig(force=True)`
      (they replace the handlers), `atexit.unregister`,
      `remove_listener`/`remove_all_listeners`;
    - handlers and listeners that are the same object on every run (a module-level
      handler: `addHandler` ignores one the logger already has; pyee keys listeners by
      function), a logger or handler passed in as a parameter, a logger whose name is
      made per run (`getLogger(f"job.{job_id}")`, or a parameter without a default:
      one logger each),
      `logging.Logger(...)` made directly;
    - `atexit.register` of a module-level function given plain values
      (`atexit.register(os.remove, path)`: it keeps a few bytes), or given only
      parameters and module-level objects, or given a weak
      reference (`weakref.ref(self)`, `weakref.WeakMethod`), and the `close` of a local
      `contextlib.ExitStack()` (it deletes the temporary files the run extracted,
      `importlib.resources.as_file`);
    - `loop.add_signal_handler` and `signal.signal`: they replace the handler of the
      signal, so nothing accumulates; blinker and Django signals hold weak references
      by default.

    How often a function runs is decided by its module, and, for a module-level
    function or a method that nothing in its module calls, by its callers in the
    project's other modules (called in a loop, or from code that runs many times:
    reported; called only at import time, from `main` or from set-up: not). Where
    neither says, nothing is reported:
    - a public function nothing in the project calls (library API: its callers are the
      users'), or one only called from code whose frequency is not known either; a
      function called once from each of several entry points (`main` of several
      commands) runs once per process;
    - a method other than `__init__` is reported only when its callers are seen
      (`self.m()` from `__init__`, a loop, a handler; `Class.m()` from other modules):
      calls through an instance (`app.m()`) are not followed, and applications
      configure logging in methods of objects they make once;
    - atexit hooks and listeners added in `__init__` are reported when the project
      shows the class made many times (in a loop, from a request handler), or when the
      class is a context manager whose `__exit__` (its own or inherited) releases what
      the hook releases (`atexit.register(self.close)` and `self.close()` in
      `__exit__`): one instance per `with`, like a file, a connection or a document;
      otherwise only with the
      `hooks-in-init` option: on real code almost every other such registration
      belonged to an object made once per process (a server, an application, a
      profiler per decorated function). A class the project makes only at set-up
      (`main`, import time) runs its `__init__` once, handlers included.

    ## Example
    ```python
    import logging

    class ReportJob:
        def __init__(self, name):
            self.log = logging.getLogger("reports")
            self.log.addHandler(logging.FileHandler(f"/var/log/reports/{name}.log"))
    ```

    ## Use instead
    ```python
    import logging

    logging.getLogger("reports").addHandler(logging.FileHandler("/var/log/reports/jobs.log"))

    class ReportJob:
        def __init__(self, name):
            self.log = logging.LoggerAdapter(logging.getLogger("reports"), {"job": name})
    ```
    or configure logging once, at start-up, with `logging.config.dictConfig`; a helper
    that must add a handler checks `if not logger.handlers:` first. For per-object
    clean-up at exit, `weakref.finalize(self, ...)` does not keep the object alive.

    ## Options
    - `hooks-in-init`: also report atexit hooks and listeners added in `__init__` (and
      the methods it calls) of classes that are no context managers, when the project
      does not show how many instances are made.
      Worth turning on in libraries whose objects users create many of (clients,
      connections, documents).

    ## Fix
    None: whether to add the handler once, guard it or remove it is a decision about
    the code, and a guard such as `if not logger.handlers:` changes what is logged
    when the logger already has handlers configured elsewhere.

    ## References
    - [Logging cookbook: using logging in multiple modules](https://docs.python.org/3/howto/logging-cookbook.html#using-logging-in-multiple-modules)
    - [logging.Logger.addHandler](https://docs.python.org/3/library/logging.html#logging.Logger.addHandler)
    - [atexit](https://docs.python.org/3/library/atexit.html) and [weakref.finalize](https://docs.python.org/3/library/weakref.html#weakref.finalize)
    - [pyee](https://pyee.readthedocs.io/)
    """

    code = "OOM205"
    # addHandler, atexit's register, and pyee, whose emitters' on/add_listener it watches.
    required_text = ("addHandler", "register", "pyee")
    asks_callers = True
    symbol = "handler-added-per-call"
    summary = "Logging handler, atexit hook or listener added in code that runs many times, never removed"
    message = "{action} in '{function}', which {why}, and never removed: {advice}"
    options = (
        Option(
            "hooks-in-init",
            False,
            "Also report atexit hooks and listeners added in __init__ (and what it calls) of classes that are "
            "no context managers, when the project does not show how many instances are made; handlers there "
            "are always reported.",
        ),
    )

    def __init__(self, context, options):
        super().__init__(context, options)
        self.candidates: list[_Candidate] = []

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if type(func) is not ast.Attribute or func.attr not in WATCHED:
            return
        function = self.model.function
        if function is None or self.model.executing_function is not function:
            return  # import time, or a lambda: not a body we follow
        model = self.model
        if func.attr == "addHandler":
            if node.args and self._kept_logger(func.value) and made_per_run(model, node.args[0]):
                per_run = not self._same_logger_each_run(func.value)
                self._add(node, function, HANDLER, registered=node.args[0], named_per_run=per_run,
                          named_here=per_run and self._named_here(func.value))
        elif func.attr == "register":
            if model.qualified_name(func) == ATEXIT_REGISTER and self._keeps_objects(node):
                self._add(node, function, HOOK, registered=node.args[0])
        elif self._module_emitter(func.value) and (len(node.args) < 2 or made_per_run(model, node.args[1])):
            # ``on(event)`` decorates a new function
            self._add(node, function, LISTENER, func.value.id, node.args[1] if len(node.args) > 1 else None)

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        """``@atexit.register`` on a function defined inside another: registered per run."""
        function = self.model.function
        if function is None or self.model.executing_function is not function:
            return
        for decorator in node.decorator_list:
            if self.model.qualified_name(decorator) == ATEXIT_REGISTER:
                self._add(decorator, function, HOOK)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _add(
        self,
        node: ast.expr,
        function: FunctionNode,
        kind: str,
        emitter: str = "",
        registered: ast.expr | None = None,
        named_per_run: bool = False,
        named_here: bool = False,
    ) -> None:
        attribute = registered.attr if isinstance(registered, ast.Attribute) and self.model.is_self(registered.value) else None
        self.candidates.append(
            _Candidate(
                node, function, self.model.method_class, kind, emitter, attribute, self.model.scope, named_per_run, named_here
            )
        )

    def _kept_logger(self, expr: ast.expr) -> bool:
        """A logger ``logging`` keeps for the rest of the process: the root logger, or one
        from ``logging.getLogger`` whatever its name (the manager never frees a logger, nor
        its handlers). A logger passed in is the caller's choice."""
        origin = self.model.logger_origin(expr)
        if origin == ROOT_LOGGER:
            return True
        return origin == GET_LOGGER and not (isinstance(expr, ast.Name) and self.model.is_parameter(expr.id))

    def _same_logger_each_run(self, expr: ast.expr) -> bool:
        """A kept logger (:meth:`_kept_logger`) whose name is the same on every run: each run
        adds one more handler to it. Else each run leaves one more logger, with its handler."""
        if self.model.logger_origin(expr) == ROOT_LOGGER:
            return True
        name = argument(self.model.resolve(expr), 0, "name")
        return name is None or same_every_run(self.model, name) or self._default_name(name)

    def _named_here(self, expr: ast.expr) -> bool:
        """The logger's name is built in the function (``f"jobs.{job_id}"``, ``"t:" + run_id``,
        ``getChild(...)``), rather than a parameter passed on as it is."""
        name = argument(self.model.resolve(expr), 0, "name")
        return name is not None and not (isinstance(name, ast.Name) and self.model.is_parameter(name.id))

    def _default_name(self, name: ast.expr) -> bool:
        """``getLogger(name)`` where ``name`` is a parameter of the function with a default
        the same on every run (``def create_logger(name="", ...)``): callers that leave it
        out, or pass one of a few names, get the same logger each run. A parameter
        without a default may be a name made per request or job: one logger each."""
        if not isinstance(name, ast.Name) or not self.model.is_parameter(name.id):
            return False
        function = self.model.function
        args = function.args
        positional = [*args.posonlyargs, *args.args]
        defaults = dict(zip([arg.arg for arg in positional][len(positional) - len(args.defaults):], args.defaults))
        defaults.update((arg.arg, default) for arg, default in zip(args.kwonlyargs, args.kw_defaults) if default is not None)
        default = defaults.get(name.id)
        return default is not None and not _is_none(default) and same_every_run(self.model, default)

    def _keeps_objects(self, call: ast.Call) -> bool:
        """``atexit.register(self.close)``, a closure, a method of an object made here, or
        ``self`` passed along: the hook keeps objects of this run alive until exit. A
        module-level function given a path (``atexit.register(os.remove, path)``) keeps
        a few bytes; ``weakref.ref(self)`` among the arguments lets the instance die."""
        if not call.args or self._weak(call):
            return False
        callback, *arguments = call.args
        arguments += [keyword.value for keyword in call.keywords]
        if self._removes_temporaries(callback):
            return False
        if made_per_run(self.model, callback) or any(self.model.is_self(item) for item in arguments):
            return True
        if self._releases(callback) and any(made_per_run(self.model, item) for item in arguments):
            return True
        while isinstance(callback, ast.Attribute):
            callback = callback.value
        return self.model.is_self(callback)  # ``self.close``, ``self.pool.close``, inherited too

    @staticmethod
    def _releases(callback: ast.expr) -> bool:
        """A function named for releasing (``connect.Disconnect``, ``close_connection``): given
        an object of this run, the hook keeps it, as ``atexit.register(conn.close)`` does.
        Removing files (``os.remove``, ``shutil.rmtree``) is not one: a path is a few bytes."""
        name = callback.attr if isinstance(callback, ast.Attribute) else getattr(callback, "id", "")
        return not RELEASING_WORDS.isdisjoint(name_words(name))

    def _removes_temporaries(self, callback: ast.expr) -> bool:
        """``stack.close`` of a local ``contextlib.ExitStack()``: the hook deletes the
        temporary files the run extracted (``importlib.resources.as_file``) when the process
        exits; it keeps their paths, not memory."""
        if not isinstance(callback, ast.Attribute) or not isinstance(callback.value, ast.Name):
            return False
        made = self.model.resolve(callback.value)
        return isinstance(made, ast.Call) and self.model.qualified_name(made.func) in TEMPORARY_HOLDERS

    def _weak(self, call: ast.Call) -> bool:
        for value in (*call.args, *(keyword.value for keyword in call.keywords)):
            for node in ast.walk(value):
                origin = self.model.resolve(node) if isinstance(node, ast.Name) else node
                if isinstance(origin, ast.Call) and self.model.qualified_name(origin.func) in WEAK_REFERENCES:
                    return True
        return False

    def _module_emitter(self, expr: ast.expr) -> bool:
        """A module-level name bound to a pyee emitter (or the module's subclass of one)."""
        if type(expr) is not ast.Name:
            return False
        binding = self.model.module_binding(expr)
        if binding is None or binding.kind != "assign":
            return False
        if not isinstance(binding.value, ast.Call):
            return False
        made_by = binding.value.func
        classes = [made_by]
        if type(made_by) is ast.Name:
            own = self.model.module_binding(made_by, self.model.module_scope)
            if own is not None and own.kind == "class":
                classes = own.node.bases
        return any((self.model.qualified_name(item) or "").startswith("pyee.") for item in classes)

    def finish(self) -> None:
        if not self.candidates:
            return
        runs = runs_of(self.context)
        for candidate in self.candidates:
            frequency = runs.of(candidate.function)
            if frequency.kind == PER_INSTANCE and candidate.kind != HANDLER and not self.settings["hooks-in-init"]:
                if not self._made_per_use(candidate):
                    continue
                frequency = Frequency(PER_INSTANCE, f"{frequency.why}, a context manager made for each 'with'")
            if frequency.kind not in (MANY, PER_INSTANCE) or self._undone(candidate) or self._guarded(candidate):
                continue
            function = candidate.function.name
            self.report(
                candidate.node,
                action=NAMED_PER_RUN_ACTION if candidate.named_per_run else ACTIONS[candidate.kind].format(emitter=candidate.emitter),
                function=f"{candidate.owner.name}.{function}" if candidate.owner is not None else function,
                why=frequency.why,
                advice=NAMED_PER_RUN_ADVICE if candidate.named_per_run else ADVICE[candidate.kind],
            )

    def _made_per_use(self, candidate: _Candidate) -> bool:
        """A context manager whose ``with`` block releases what the hook or listener
        releases (``atexit.register(self.close)`` where ``__exit__``, its own or inherited
        from the module's or the project's classes, calls ``self.close()``) is a resource
        made for a ``with`` block at a time, as many as there are uses: the hook keeps each
        one (a file, a connection, a document). A mixin's ``__exit__`` that releases
        something else (its storage) says nothing about how many there are."""
        owner, released = candidate.owner, candidate.attribute
        if owner is None or released is None:
            return False
        return any(released in self_calls_of(self.context, owner, method) for method in EXIT_METHODS)

    def _guarded(self, candidate: _Candidate) -> bool:
        """Known to run only when a test that reads the registry or a once-only flag allows
        it (an enclosing ``if``, an earlier ``if ...: return``), or never (``if 0:``). A
        logger whose name the function makes per run is a new one each run, its handlers
        always empty: reading them guards nothing (plombery's ``if not logger.handlers:`` on
        ``plombery.<run id>``)."""
        state = None
        for test, value in self.model.guards(candidate.node):
            if _never_true(test) and value:
                return True  # debugging code switched off
            state = state or _State(self.model, candidate.function, candidate.scope)
            fresh = candidate.named_here
            if state.guards(test, None if fresh else _receiver(candidate.node), not fresh):
                return True
        return False

    def _undone(self, candidate: _Candidate) -> bool:
        """A removal in the same function, or for a method anywhere in its class or the
        module's classes it derives from (``setUp`` here, ``tearDown`` in a base), or of the
        instance's ``self.<attribute>`` anywhere in the module (a fixture that removes
        ``listener.handler`` after the test)."""
        scopes = [candidate.function] if candidate.owner is None else self._lineage(candidate.owner)
        if any(self._removes(node, candidate.kind) for scope in scopes for node in ast.walk(scope)):
            return True
        return candidate.attribute is not None and any(
            isinstance(node, ast.Call)
            and self._removes(node, candidate.kind)
            and any(_outside_attribute(arg, candidate.attribute) for arg in node.args)
            for node in ast.walk(self.context.tree)
        )

    def _lineage(self, owner: ast.ClassDef) -> list[ast.ClassDef]:
        classes = [owner]
        for klass in classes:
            for base in klass.bases:
                binding = self.model.module_binding(base, self.model.module_scope) if isinstance(base, ast.Name) else None
                if binding is not None and binding.kind == "class" and binding.node not in classes:
                    classes.append(binding.node)
        return classes

    def _removes(self, node: ast.AST, kind: str) -> bool:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in REMOVALS[kind]:
                return True
            if kind != HANDLER:
                return False
            if isinstance(func, ast.Attribute) and func.attr == "clear":
                return _names_handlers(func.value)
            name = self.model.qualified_name(func)
            if name == BASIC_CONFIG:
                force = argument(node, None, "force")
                return isinstance(force, ast.Constant) and force.value is True
            return name in LOGGING_CONFIG
        if kind == HANDLER and isinstance(node, (ast.Assign, ast.Delete)):
            return any(_names_handlers(target) for target in node.targets)
        return False


def _outside_attribute(expr: ast.expr, attribute: str) -> bool:
    """``capture.handler``: an instance's attribute, reached from outside its class."""
    return (
        isinstance(expr, ast.Attribute)
        and expr.attr == attribute
        and not (isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls"))
    )


def _names_handlers(expr: ast.expr) -> bool:
    """``logger.handlers`` or ``logger.handlers[:]``."""
    if isinstance(expr, ast.Subscript):
        expr = expr.value
    return isinstance(expr, ast.Attribute) and expr.attr == "handlers"


class _State:
    """What a function leaves for its next run (once-only flags), and what its locals say
    about the registry. Names are variables, found through the model (a nested function's
    ``global`` is not this function's); attributes are found by their name."""

    def __init__(self, model: SemanticModel, function: FunctionNode, scope: Scope):
        self.model = model
        self.function = function
        self.scope = scope
        self.flags: list[tuple[ast.AST, str]] = []
        """``(where, name)`` of the attribute state each statement leaves for the next run:
        attributes it assigns, attributes it fills (``self.registry[name] = ...``,
        ``self.seen.add(name)``), ``setattr(x, "name", ...)``."""
        for node in ast.walk(function):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute):
                        self.flags.append((node, target.value.attr))
                    elif isinstance(target, ast.Attribute):
                        self.flags.append((node, target.attr))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                if isinstance(node.func.value, ast.Attribute):
                    self.flags.append((node, node.func.value.attr))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                self.flags.extend((node, arg.value) for arg in node.args[1:2] if isinstance(arg, ast.Constant))

    def guards(self, test: ast.expr, receiver: str | None, registry: bool = True) -> bool:
        """``test`` reads the registry (unless ``registry`` is False), directly or through a
        predicate given the logger or emitter (``receiver``, dumped: ``if not
        has_handlers(logger)``), or a flag that the function sets after it (a flag set
        before, ``self.debug = debug``, is configuration, not a record of the last run)."""
        if registry and _reads_registry(test):
            return True
        if receiver is not None and any(
            isinstance(node, ast.Call) and any(ast.dump(item) == receiver for item in node.args)
            for node in ast.walk(test)
        ):
            return True
        after = (test.end_lineno, test.end_col_offset)
        flags = {name for where, name in self.flags if (where.lineno, where.col_offset) > after}
        for node in ast.walk(test):
            if isinstance(node, ast.Attribute) and node.attr in flags:
                return True
            if isinstance(node, ast.Name) and self._flag_variable(node, after, registry):
                return True
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in flags:
                return True  # ``getattr(logger, "_configured", False)``
        return False

    def _flag_variable(self, name: ast.Name, after: tuple[int, int], registry: bool) -> bool:
        """The variable ``name`` holds what the registry says (assigned from a read of it, or
        in a loop over it: ``for h in logger.handlers: found = True``; unless ``registry``
        is False), or the function's
        own code records the run in it after ``after``: fills it (``registry[name] = ...``,
        ``seen.add(name)``) or, when it outlives the run (``global``, ``nonlocal``), sets it."""
        model = self.model
        binding = model.lookup(name.id, self.scope, at=name)
        if binding is None:
            return False
        bindings = model.bindings_of(name.id, binding.scope)
        if registry and any(isinstance(item.node, ast.Assign) and self._reads_registry_into(item.node) for item in bindings):
            return True
        outlives = name.id in self.declared
        if outlives and any(self._own_after(item.node, after) for item in bindings):
            return True
        return any(
            self._records(reference, outlives) and self._own_after(reference.node, after)
            for item in bindings
            for reference in model.references(item)
        )

    @staticmethod
    def _records(reference: Reference, outlives: bool) -> bool:
        role = reference.role
        if role == ITEM_TARGET:
            return type(reference.parent.ctx) is ast.Store
        if role == ATTRIBUTE:
            return reference.parent.attr in MUTATORS
        return role == AUGMENTED and outlives

    @functools.cached_property
    def declared(self) -> frozenset[str]:
        """The names the function's own ``global`` and ``nonlocal`` statements declare."""
        scope = self.scope  # the call's: the function's, or a lambda's or comprehension's in it
        while scope.node is not self.function and scope.parent is not None:
            scope = scope.parent
        return frozenset(scope.global_names | scope.nonlocal_names)

    def _reads_registry_into(self, assign: ast.Assign) -> bool:
        """``found = bool(logger.handlers)``, or an assignment in a loop over the registry."""
        return _reads_registry(assign.value) or any(
            isinstance(holder, (ast.For, ast.AsyncFor)) and block is holder.body and _reads_registry(holder.iter)
            for holder, block in self.model.enclosing_blocks(assign)
        )

    def _own_after(self, node: ast.AST, after: tuple[int, int]) -> bool:
        """``node`` is code of the function's own (not of a function nested in it), after ``after``."""
        return (node.lineno, node.col_offset) > after and self.model.enclosing(node, FUNCTIONS) is self.function


def _receiver(node: ast.expr) -> str | None:
    """The logger or emitter of ``logger.addHandler(...)``, dumped; None for the rest."""
    func = node.func if isinstance(node, ast.Call) else None
    return ast.dump(func.value) if isinstance(func, ast.Attribute) else None


def _reads_registry(expr: ast.expr) -> bool:
    """``logger.handlers``, ``logger.hasHandlers()``, ``emitter.listeners(...)``."""
    return any(isinstance(node, ast.Attribute) and node.attr in REGISTRY_READS for node in ast.walk(expr))


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _never_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and not test.value
