"""Questions that several rules ask, answered once: small ones about ``ast`` nodes, which
values take few values whatever the traffic (settings, kinds, classes, options), and,
from the module's top level and one walk of it (:class:`ModuleFacts`), its start-up hooks
and commands and what callers pass its functions. How often a function runs is
:mod:`oomlint.python.runs`'s to say, which asks these facts."""

from __future__ import annotations

import ast
import functools
import math
import os
import re
from collections.abc import Iterator

from oomlint.python.children import CHILD_FIELDS, PARENTED_FIELDS, child_nodes, walk
from oomlint.python.semantic import _SCOPES, SemanticModel, child_blocks, is_none

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_INFINITY = frozenset({"math.inf", "sys.maxsize", "numpy.inf"})
# The comparisons that order two values (a size against a limit), not those that match them.
ORDERINGS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_CLASS_NAMES = frozenset({"__name__", "__qualname__", "__module__"})
_SAME_EVERY_RUN = (
    ast.Constant, ast.Attribute, ast.BinOp, ast.JoinedStr, ast.FormattedValue, ast.Tuple, ast.List, ast.Call,
    ast.keyword, ast.operator, ast.expr_context,
)


def callee(model: SemanticModel, expr: ast.AST) -> tuple[str | None, ast.Call | None]:
    """``(qualified name, call)`` for ``f(...)``, ``(qualified name, None)`` for a bare ``f``.

    A name assigned from a call (``memo = lru_cache(maxsize=None)``) stands for the call.
    """
    expr = model.resolve(expr)
    if isinstance(expr, ast.Call):
        return model.qualified_name(expr.func), expr
    return model.qualified_name(expr), None


def argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    """The expression passed for a parameter, by keyword or at ``position``."""
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    if position is not None and position < len(call.args):
        value = call.args[position]
        if not any(isinstance(arg, ast.Starred) for arg in call.args[: position + 1]):
            return value
    return None


# Calls that run the callable they are given, with the arguments after it, in a worker
# thread or process: the callable's position, and whether their keywords go to it too.
_THREAD_RUNNERS = {
    "asyncio.to_thread": (0, True),
    "anyio.to_thread.run_sync": (0, False),
    "starlette.concurrency.run_in_threadpool": (0, True),
    "fastapi.concurrency.run_in_threadpool": (0, True),
}
_RUNNER_METHODS = {"run_in_executor": (1, False), "submit": (0, True)}
_PARTIAL = "functools.partial"
# The last names of those calls: what a walk over every call tests before asking :func:`handed_call`.
HANDING_NAMES = frozenset({*(name.rpartition(".")[2] for name in _THREAD_RUNNERS), *_RUNNER_METHODS})


def handed_call(model: SemanticModel, call: ast.Call) -> ast.Call | None:
    """The call that a thread pool or an executor makes of what ``call`` gives it:
    ``loop.run_in_executor(None, resize, data)``, ``asyncio.to_thread(resize, data)``,
    ``run_in_threadpool(resize, data)``, ``executor.submit(resize, data)``, also through
    ``functools.partial(resize, data)``, all run ``resize(data)``. A new node, located at
    ``call``; None for any other call."""
    name = model.qualified_name(call.func)
    runner = _THREAD_RUNNERS.get(name) if name is not None else None
    if runner is None and isinstance(call.func, ast.Attribute):
        runner = _RUNNER_METHODS.get(call.func.attr)
    if runner is None:
        return None
    position, passes_keywords = runner
    if len(call.args) <= position or any(isinstance(arg, ast.Starred) for arg in call.args[: position + 1]):
        return None
    func, args = call.args[position], call.args[position + 1:]
    keywords = call.keywords if passes_keywords else []
    if isinstance(func, ast.Call) and func.args and model.qualified_name(func.func) == _PARTIAL:
        func, args, keywords = func.args[0], [*func.args[1:], *args], [*func.keywords, *keywords]
    return ast.copy_location(ast.Call(func=func, args=list(args), keywords=list(keywords)), call)


def last_name(expr: ast.expr) -> str | None:
    """``attr`` of ``x.attr``, ``name`` of ``name``; None for anything else."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


def is_infinite(model: SemanticModel, expr: ast.AST | None) -> bool:
    """``float("inf")``, ``math.inf``, ``sys.maxsize``: a size limit that limits nothing."""
    if expr is None:
        return False
    if model.qualified_name(expr) in _INFINITY:
        return True
    if isinstance(expr, ast.Call) and model.qualified_name(expr.func) == "builtins.float" and expr.args:
        value = expr.args[0]
        return isinstance(value, ast.Constant) and str(value.value).strip().lower().lstrip("+") in ("inf", "infinity")
    return False


_MAX_EXPONENT = 256
_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: a // b if b else None,
    ast.Div: lambda a, b: a / b if b else None,
    ast.Pow: lambda a, b: a**b if abs(b) <= _MAX_EXPONENT else math.inf,
    ast.LShift: lambda a, b: a << b if isinstance(a, int) and isinstance(b, int) and 0 <= b <= _MAX_EXPONENT else None,
}
_NUMBER_CALLS = frozenset({"builtins.int", "builtins.float", "builtins.str"})


def setting_number(model: SemanticModel, expr: ast.AST | None, depth: int = 4) -> float | int | None:
    """The number a limit setting is given (pixels, bytes), ``math.inf`` for none at all
    (``None``, ``float("inf")``, ``sys.maxsize``), or ``None`` when it is not known
    statically. Strings count as the number they spell (environment variables)."""
    if expr is None or depth == 0:
        return None
    if isinstance(expr, ast.Constant):
        value = expr.value
        if value is None:
            return math.inf
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            return _parse_number(value)
        return None
    if is_infinite(model, expr):
        return math.inf
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        value = setting_number(model, expr.operand, depth - 1)
        return -value if value is not None else None
    if isinstance(expr, ast.BinOp) and type(expr.op) in _ARITHMETIC:
        left = setting_number(model, expr.left, depth - 1)
        right = setting_number(model, expr.right, depth - 1)
        if left is None or right is None or math.inf in (left, right):
            return None
        return _ARITHMETIC[type(expr.op)](left, right)
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and model.qualified_name(expr.func) in _NUMBER_CALLS:
        return setting_number(model, expr.args[0], depth - 1)
    if isinstance(expr, ast.Name):
        origin = model.resolve(expr)
        return setting_number(model, origin, depth - 1) if origin is not expr else None
    return None


def _parse_number(text: str) -> float | int | None:
    try:
        return int(text.strip().replace("_", ""))
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def decorator_names(model: SemanticModel, function: FunctionNode) -> set[str]:
    """Qualified names of a function's decorators (``f`` and ``f(...)`` alike)."""
    return {name for name, _ in (callee(model, item) for item in function.decorator_list) if name}


def is_method(model: SemanticModel) -> bool:
    """Whether the function being defined now sits directly in a class body."""
    return model.class_def is not None


# Memoizing decorators whose cache, on a method, holds ``self`` in its keys (OOM302's).
METHOD_CACHES = frozenset({"functools.lru_cache", "functools.cache", "async_lru.alru_cache"})
_NOT_INSTANCE_METHODS = frozenset({"builtins.staticmethod", "builtins.classmethod"})
# Special methods Python calls with the class, never with an instance.
_IMPLICIT_CLASS_METHODS = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})


def instance_method_owner(model: SemanticModel, function: FunctionNode) -> ast.ClassDef | None:
    """The class of ``function``, being defined now, when Python calls it with an instance:
    not a static or class method (``__new__``, ``__init_subclass__``... included), nor a
    method of an ``Enum`` (whose members live for the whole process anyway)."""
    owner = model.class_def
    if owner is None or function.name in _IMPLICIT_CLASS_METHODS or decorator_names(model, function) & _NOT_INSTANCE_METHODS:
        return None
    if any(model.qualified_name(base) in ENUM_BASES for base in owner.bases):
        return None
    return owner


def explicit_parameters(model: SemanticModel, function: FunctionNode) -> list[ast.arg]:
    """Parameters a caller passes: ``self``/``cls`` of a method left out."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    if is_method(model) and positional and "builtins.staticmethod" not in decorator_names(model, function):
        positional = positional[1:]
    extra = [arg for arg in (args.vararg, args.kwarg) if arg is not None]
    return [*positional, *args.kwonlyargs, *extra]


# ------------------------------------------------------------ what the module is

# Words in a name that say its values are few per process: settings chosen at deployment,
# the languages, themes and plugins an application ships, the kinds and modes its code defines.
# Registers a function to run when the interpreter exits: what it is given lives until then.
ATEXIT_REGISTER = "atexit.register"
FEW_VALUE_WORDS = frozenset(
    {"locale", "language", "lang", "theme", "settings", "setting", "config", "conf", "cfg", "type", "kind", "mode", "plugin"}
)
# Words that name an account (a wallet holds one's funds): keys named by their ids follow
# the accounts the application keeps, not traffic.
ACCOUNT_WORDS = frozenset(
    {"user", "account", "member", "profile", "customer", "viewer", "owner", "author", "tenant", "organization", "org",
     "team", "guild", "wallet"}
)
# Words of a function named for connecting (``connect``, ``get_client``, ``connection_pool``):
# its callers connect to the endpoints the process is configured with, and one client per
# endpoint is the reuse a cache of what it makes is for.
CONNECTING_WORDS = frozenset({"connect", "connection", "connections", "client", "clients", "pool", "pools"})
# Calls that open a file for reading, and methods of a path that do.
_FILE_OPENERS = frozenset({"builtins.open", "io.open", "codecs.open"})
# Where a web application's own files are: Flask's and Quart's ``app.root_path`` (and a
# blueprint's), the folder of the package that made it.
OWN_TREE_ATTRIBUTES = frozenset({"root_path"})
_PATH_READS = frozenset({"open", "read_text", "read_bytes"})
# A value read from one of these is a setting: ``settings.TIMEOUT``, ``self.config["x"]``.
SETTING_WORDS = frozenset({"settings", "setting", "config", "conf", "cfg", "options"})
# Parameters that hold a class by convention.
CLASS_PARAMETERS = frozenset({"cls", "klass", "mcs", "mcls", "metacls"})
CLASS_SUFFIXES = ("_cls", "_class", "_klass")
# Reading these of a value says it is a class.
CLASS_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__mro__", "__subclasses__", "__bases__"})
CLASS_ANNOTATIONS = frozenset({"builtins.type", "typing.Type", "type", "Type"})
FEW_VALUE_ANNOTATIONS = frozenset({"builtins.bool", "typing.Literal", "typing_extensions.Literal"})
ENUM_BASES = frozenset(
    f"enum.{name}" for name in ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum")
)
_WRAPPERS = frozenset({"typing.Optional", "typing.Annotated", "typing_extensions.Annotated"})
# ``asyncio.run(main)``-style runners: the function they are given runs once (per call of
# the runner: gevent's and eventlet's ``spawn(worker, queue)``, trio's ``start_soon``).
_RUNNERS = frozenset({"run", "run_until_complete", "spawn", "start_soon"})
# A web application's hooks of its life (start-up, shutdown, a lifespan) run once per
# process, whatever their names. Handed over by keyword (Starlette, FastAPI, Litestar:
# ``FastAPI(lifespan=lifespan)``, ``on_startup=[warm]``) or appended to one of aiohttp's
# signals (``app.on_startup.append(open_db)``, ``app.cleanup_ctx.append(session)``);
_LIFE_KEYWORDS = frozenset({"lifespan", "on_startup", "on_shutdown"})
_LIFE_SIGNALS = frozenset({"on_startup", "on_shutdown", "on_cleanup", "cleanup_ctx"})
# registered by a decorator (Quart's and Sanic's serving hooks, Flask's first request), by
# one for an event of the application's life (``@app.on_event("startup")``,
# ``@app.listener("before_server_start")``), or Pyramid's ``@subscriber(ApplicationCreated)``.
_LIFE_DECORATORS = frozenset(
    {
        "before_serving", "after_serving", "while_serving", "before_first_request",
        "before_server_start", "after_server_start", "before_server_stop", "after_server_stop",
    }
)
_LIFE_EVENTS = frozenset({"startup", "shutdown", *_LIFE_DECORATORS})
_LIFE_EVENT_DECORATORS = frozenset({"on_event", "listener"})
_LIFE_SUBSCRIPTIONS = frozenset({"ApplicationCreated"})
# Names of what a process runs once when it starts.
_START_NAMES = frozenset({"main", "create_app", "ready"})
_START_WORDS = frozenset({"setup", "init", "initialize", "configure", "bootstrap"})
_LOGGING_CONFIGURATIONS = frozenset({"basicConfig", "dictConfig", "fileConfig"})
_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})
# Decorators of task queues (Celery, Huey, Dramatiq, RQ): a task runs once per message,
# whatever its name (``setup_experiment``).
_TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task", "db_task", "db_periodic_task", "actor", "job"})
# Command-line frameworks: a function they make a command (or an invoke/fabric task) runs once per process.
_CLI_MODULES = frozenset({"click", "typer", "invoke", "fabric"})
# argparse's calls that hand it a function of the module, by the keyword that names it.
_ARGPARSE_HANDOFFS = {"set_defaults": "func", "add_argument": "type"}
# A Django management command, ``class Command`` of a base named ``...Command`` (Django's
# ``BaseCommand``, ``AppCommand``, ``LabelCommand``, or the project's own base of them,
# ``ImportProductCommand``): ``handle`` runs once per ``manage.py`` run.
_COMMAND_BASE_SUFFIX = "Command"
# Decorators that wrap a function without registering it anywhere: its callers are the module's.
_WRAPPING_DECORATORS = frozenset(
    {"cache", "lru_cache", "alru_cache", "cached", "staticmethod", "classmethod", "contextmanager", "asynccontextmanager"}
)
# The last name of a decorator that registers a request, task or signal handler.
HANDLER_DECORATORS = frozenset(
    {
        "route", "get", "post", "put", "patch", "delete", "head", "options", "websocket", "api_route", "api_view",
        "task", "shared_task", "actor", "receiver", "errorhandler", "before_request", "after_request",
        "teardown_request", "middleware", "login_required", "csrf_exempt", "require_http_methods",
    }
)
# Top-level folders of a project that hold its commands (run by hand, by cron, by CI), not its
# service; also named as a word of the folder's name (``scripts-dev``, ``dev_tools``).
SCRIPT_FOLDERS = frozenset({"scripts", "script", "tools", "bin"})
_FOLDER_WORDS = re.compile(r"[-_.]")
# The package of Ansible's action plugins: one derives from ``ActionBase`` (or another action plugin).
ACTION_PLUGINS = "ansible.plugins.action"
# Interactive shells of the standard library: their ``cmdloop()`` runs a command per line a person types.
INTERACTIVE_SHELLS = frozenset({"cmd.Cmd"})
# The last names of a command-line framework's decorators on a command of a group the
# module made (``@cli.command()``, ``@click.option(...)``).
_COMMAND_DECORATORS = frozenset({"command", "group", "option", "argument", "pass_context", "pass_obj", "callback"})
# Calls that serve until the process is stopped.
SERVING_CALLS = frozenset({"serve_forever", "run_forever"})
_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LOOP_TYPES = frozenset(_LOOPS)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


def is_main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":``"""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    return any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides) and any(
        isinstance(side, ast.Constant) and side.value == "__main__" for side in sides
    )


# Calls that end the process.
PROCESS_EXITS = frozenset({"sys.exit", "os._exit", "builtins.exit", "builtins.quit"})


def exits_on_failure(model: SemanticModel, function: ast.AST) -> bool:
    """Whether ``function`` ends the process when something it does fails: an ``except``
    clause of its own body that calls ``sys.exit(...)`` (``os._exit``, ``exit``) or raises
    ``SystemExit``, for a failure (not ``except KeyboardInterrupt:``). Code that would
    rather stop the program than go on is start-up code, a command or a worker's set-up,
    not a request's path: it does not run again after a failure."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue  # runs apart
        stack.extend(child_nodes(node))  # handlers are in a child field: contexts and operators are not looked at
        if not isinstance(node, ast.ExceptHandler) or _catches_only_interruptions(model, node):
            continue
        for statement in node.body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                if model.qualified_name(statement.value.func) in PROCESS_EXITS:
                    return True
            elif isinstance(statement, ast.Raise) and statement.exc is not None:
                raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
                if model.qualified_name(raised) == "builtins.SystemExit":
                    return True
    return False


_INTERRUPTIONS = frozenset({"builtins.KeyboardInterrupt", "builtins.SystemExit", "builtins.GeneratorExit"})


def _catches_only_interruptions(model: SemanticModel, handler: ast.ExceptHandler) -> bool:
    """``except KeyboardInterrupt:``: the person or the system stopping it, no failure."""
    if handler.type is None:
        return False
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return all(model.qualified_name(item) in _INTERRUPTIONS for item in caught)


def is_constant(expr: ast.expr) -> bool:
    """A value fixed in the source: a literal, a tuple of them, an f-string with no holes."""
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Tuple):
        return all(is_constant(item) for item in expr.elts)
    return isinstance(expr, ast.JoinedStr) and all(isinstance(item, ast.Constant) for item in expr.values)


def name_words(name: str) -> list[str]:
    """``_user_cache`` and ``userCache`` -> ``["user", "cache"]`` (lower case)."""
    return list(_name_words(name))


@functools.lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, ...]:
    """Split once per name: a module's summary asks for the same parameters' and callees'
    words at every call that passes them."""
    return tuple(word.lower() for word in _WORD.findall(name))


class ModuleFacts:
    """What a rule needs to know about the module as a whole, found from its top level
    (:func:`module_facts`): whether it is a migration or a script, its start-up hooks and
    commands, its constants, and, from one walk of its tree the first time a rule asks,
    what the callers of a private function pass it. How often a function runs is
    :class:`oomlint.python.runs.Runs`'s question, which asks these facts."""

    def __init__(self, module: ast.Module, is_script: bool = False, source: str | None = None):
        """``source``: the module's text, when at hand: a function configures logging only
        if the text names a configuration call (:func:`_configures_logging`, a walk of
        every function otherwise)."""
        self.is_migration = _is_migration(module)
        self.is_script = is_script
        """A command of the project's script folders (:func:`is_script`): it runs once per run."""
        self.functions: dict[str, FunctionNode] = {}
        self.methods: dict[tuple[ast.ClassDef, str], FunctionNode] = {}
        self.method_class: dict[FunctionNode, ast.ClassDef] = {}
        self.keys: dict[FunctionNode, str] = summary_keys(module)
        """The key of each module-level function (``name``) and of each method of a
        module-level class (``Class.name``) in the project's summaries, in source order
        (:func:`summary_keys`)."""
        self.constants: set[str] = set()
        """Module-level names bound once, to a constant."""
        self.lookup_tables: set[str] = set()
        """Module-level names in capitals bound once to a dict of constants (``SYMBOLS =
        {"USDC": 36}``): what a lookup in one gives is one of its values."""
        self.entry_points: set[ast.AST] = set()
        """What a process runs once, from outside the module: ``main()``, start-up hooks
        (``create_app``, ``setup``, ``init_db``, ``configure``, Django's ``ready``),
        command-line commands (click, typer), a Django management command's ``handle``
        (:class:`~oomlint.python.runs.Runs`: once when nothing seen says otherwise)."""
        self.commands: set[ast.AST] = set()
        """The entry points that a command-line framework registers (click, typer, invoke,
        fabric) and Django management commands' ``handle``: once per process, whatever the
        decorator is called (an invoke ``@task`` is no task queue's)."""
        rebound: set[str] = set()
        assigned: set[str] = set()
        command_line: set[str] = set()
        logging = source is None or not source.isascii() or any(name in source for name in _LOGGING_CONFIGURATIONS)
        for statement in module.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[statement.name] = statement
                registered = any(_root_name(item) in _CLI_MODULES for item in statement.decorator_list)
                if registered or _starts_process(statement, logging):
                    self.entry_points.add(statement)
                    command_line.add(statement.name)
                if registered:
                    self.commands.add(statement)
            elif isinstance(statement, ast.ClassDef):
                command = statement.name == "Command" and any(
                    (last_name(base) or "").endswith(_COMMAND_BASE_SUFFIX) for base in statement.bases
                )
                for item in statement.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.methods[statement, item.name] = item
                        self.method_class[item] = statement
                        if command and item.name == "handle":
                            self.commands.add(item)
                        if (command and item.name == "handle") or _starts_process(item, logging):
                            self.entry_points.add(item)
            elif isinstance(statement, ast.ImportFrom) and (statement.module or "").partition(".")[0] in _CLI_MODULES:
                command_line.update(alias.asname or alias.name for alias in statement.names)  # ``from invoke import task``
            elif (isinstance(statement, ast.Assign) and len(statement.targets) == 1) or (
                isinstance(statement, ast.AnnAssign) and statement.value is not None  # ``SYMBOLS: Final = {...}``
            ):
                target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
                if isinstance(target, ast.Name):
                    (self.constants if is_constant(statement.value) else rebound).add(target.id)
                    if target.id in assigned:
                        self.lookup_tables.discard(target.id)  # bound twice: which table is not known
                    elif target.id.isupper() and _constant_dict(statement.value):
                        self.lookup_tables.add(target.id)
                    assigned.add(target.id)
                    if _root_name(statement.value) in _CLI_MODULES:
                        command_line.add(target.id)  # ``app = typer.Typer()``
        self.constants -= rebound
        # ``@cli.command()`` on a group the module made with click or typer, and on its
        # subgroups (``@cli.group() def plugins``, then ``@plugins.command()``).
        found = True
        while found:
            found = False
            for function in self.functions.values():
                if function.name not in command_line and any(_root_name(item) in command_line for item in function.decorator_list):
                    self.entry_points.add(function)
                    self.commands.add(function)
                    command_line.add(function.name)
                    found = True
        self._module = module

    @functools.cached_property
    def subcommands(self) -> frozenset[FunctionNode]:
        """The module's functions that argparse runs: ``parser.set_defaults(func=envsetup)``
        names the function a subcommand runs (``args.func(args)``), once per run of the
        program, like a click command (:attr:`commands`); ``add_argument(..., type=parse_file)``
        a converter it calls while it parses the command line, once per argument given."""
        named = {
            keyword.value.id
            for node in walk(self._module)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in _ARGPARSE_HANDOFFS
            for keyword in node.keywords
            if keyword.arg == _ARGPARSE_HANDOFFS[node.func.attr] and isinstance(keyword.value, ast.Name)
        }
        return frozenset(self.functions[name] for name in named if name in self.functions)

    @functools.cached_property
    def released(self) -> frozenset[str]:
        """The last names of what the module calls ``release()`` on anywhere (``lock`` of
        ``self.lock.release()``, ``pool`` of ``pool.release(conn)``)."""
        return frozenset(
            last_name(node.func.value) for node in walk(self._module)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "release"
        )

    @functools.cached_property
    def global_names(self) -> frozenset[str]:
        """The module-level names some function rebinds (``global NAME``)."""
        return frozenset(name for node in self._statements if isinstance(node, ast.Global) for name in node.names)

    @functools.cached_property
    def loop_bodies(self) -> dict[str, list[tuple[tuple[int, int], tuple[int, int], ast.For | ast.AsyncFor]]]:
        """Per name some ``for`` loop of the module binds (``name`` or each name of ``a, b``):
        where the bodies of those loops start and end, and the loop."""
        found: dict[str, list[tuple[tuple[int, int], tuple[int, int], ast.For | ast.AsyncFor]]] = {}
        for node in self._statements:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                first, last = node.body[0], node.body[-1]
                span = ((first.lineno, first.col_offset), (last.end_lineno, last.end_col_offset), node)
                for name in _target_names(node.target):
                    found.setdefault(name, []).append(span)
        return found

    @functools.cached_property
    def _statements(self) -> list[ast.stmt]:
        """Every statement of the module, found by a walk of the statement lists alone
        (no expression holds a statement)."""
        found = []
        pending = list(self._module.body)
        while pending:
            statement = pending.pop()
            found.append(statement)
            if type(statement) in _COMPOUND:  # most statements hold no block: not asked
                for block in child_blocks(statement):
                    pending.extend(block)
        return found

    def positional(self, function: FunctionNode) -> list[str]:
        """The names of the parameters a call passes by position (``self``/``cls`` of a method left out)."""
        positional = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
        static = any(isinstance(item, ast.Name) and item.id == "staticmethod" for item in function.decorator_list)
        if function in self.method_class and positional and not static:
            positional = positional[1:]
        return positional

    def is_fixed(self, expr: ast.expr) -> bool:
        """A constant, a module-level name bound once to one (and rebound by no function's
        ``global``), or a member of a class (``Color.RED``, an enum member or a class
        constant)."""
        if is_constant(expr):
            return True
        if isinstance(expr, ast.Name):
            return expr.id in self.constants and expr.id not in self.global_names
        return (
            isinstance(expr, ast.Attribute)
            and isinstance(expr.value, ast.Name)
            and expr.value.id[:1].isupper()
            and expr.attr[:1].isupper()
        )


def summary_keys(module: ast.Module) -> dict[FunctionNode, str]:
    """The key of each module-level function (``name``) and of each method of a
    module-level class (``Class.name``) in the project's summaries, in source order. Module
    level includes the blocks of its compound statements (``if``, ``try``, ``with``, a
    loop): a function defined under ``try:`` or ``if sys.platform ...:`` is the module's."""
    keys: dict[FunctionNode, str] = {}
    pending = [(statement, None) for statement in reversed(module.body)]
    while pending:
        statement, owner = pending.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            keys[statement] = statement.name if owner is None else f"{owner.name}.{statement.name}"
        elif isinstance(statement, ast.ClassDef):
            if owner is None:
                pending.extend((item, statement) for item in reversed(statement.body))
        else:
            pending.extend((item, owner) for item in reversed([item for block in child_blocks(statement) for item in block]))
    return keys


def module_facts(context) -> ModuleFacts:
    """The file's :class:`ModuleFacts`, made once and shared by every rule that asks."""
    return context.shared(ModuleFacts, lambda: ModuleFacts(context.tree, is_script(context), context.source))


def is_script(context) -> bool:
    """:func:`is_script_file` for the file being checked, in its project."""
    return is_script_file(context.path, context.project.root if context.project is not None else None, context.tree)


def is_script_file(path: str, root, module: ast.Module) -> bool:
    """Whether the file is a command of the project's own that does its work and ends: in
    a top-level ``scripts/``, ``script/``, ``tools/`` or ``bin/`` folder (or one with such a
    word in its name: ``scripts-dev/``, ``dev_tools/``) and run as a
    program (an ``if __name__ == "__main__":`` block, or a call of one of its functions in
    its module-level code, in a loop or a branch there too; or a module of a package there
    that has a ``__main__.py``, run with ``python -m``), by hand, by cron or by CI: a
    process per run, so what it leaks or caches lives for one run. Not a module of helpers there (loaded in a shell, imported), and
    not a command that serves: a ``while`` loop that only the process's end stops
    (``while True:`` or on a flag, with no ``break`` or ``return`` of its own), a
    ``serve_forever``/``run_forever``, or a request or task handler's decorator. Anywhere
    in the project, an Ansible action plugin, a process per task (:func:`_runs_per_task`), and
    a program that is an interactive shell (:func:`_interactive_shell`). And a module the
    project's packaging declares as a command (:func:`declared_commands`), unless it serves
    or registers callbacks (a bot's handlers)."""
    relative = os.path.relpath(os.path.abspath(path), root) if root is not None else path
    parts = relative.replace(os.sep, "/").split("/")
    top = parts[0] if len(parts) > 1 else ""  # a folder: not a file at the root (``make_script.py``)
    if _runs_per_task(module):
        return True
    if _interactive_shell(module) and _runs_as_program(module) and not _serves(module):  # cheapest first
        return True
    if root is not None and "/".join(parts) in declared_commands(str(root)):
        return not _serves(module) and not _registers_callbacks(module)
    if not _script_folder(top) or _serves(module):
        return False
    return _runs_as_program(module) or (root is not None and _in_program_package(str(root), parts))


def _in_program_package(root: str, parts: list[str]) -> bool:
    """Whether the module ``parts`` (below ``root``, in a script folder) lies in a package
    that is a program, one with a ``__main__.py`` (``python -m tools.bench``): its modules
    are the program's, each run a process (rotki's ``tools/bench/runner.py``)."""
    return any(os.path.isfile(os.path.join(root, *parts[:end], "__main__.py")) for end in range(2, len(parts)))


# The groups of a package's entry points that install a command (``pip install`` writes a
# program that imports the module and calls its function, then exits).
SCRIPT_GROUPS = ("console_scripts", "gui_scripts")
_ENTRY_POINT = re.compile(r"\s*[\w.-]+\s*=\s*([\w.]+)\s*:\s*[\w.]+\s*(?:\[.*\])?\s*")


PACKAGING_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
"""The files at a project's root that declare its commands (:func:`declared_commands`)."""


def packaging_state(root: str) -> str:
    """The sizes and modification times of the packaging files at ``root``, as a key: what
    :func:`declared_commands` answers from, and so part of the key of every answer kept
    that depends on which modules are commands (the project index's digest, its cached
    frequencies), as the index trusts the project's Python files by the same."""
    state = []
    for name in PACKAGING_FILES:
        try:
            status = os.stat(os.path.join(root, name))
        except OSError:
            continue
        state.append(f"{name}:{status.st_mtime_ns}:{status.st_size}")
    return ",".join(state)


def declared_commands(root: str) -> frozenset[str]:
    """:func:`_declared_commands` of the packaging files at ``root`` as they are now: an
    editor's server sees an edit of them at its next check."""
    return _declared_commands(root, packaging_state(root))


@functools.lru_cache(maxsize=64)
def _declared_commands(root: str, state: str) -> frozenset[str]:
    """The files (relative to ``root``, with ``/``) of the modules that the project's packaging
    declares as commands: ``[project.scripts]``/``gui-scripts`` and ``[tool.poetry.scripts]``
    of its pyproject.toml, ``console_scripts``/``gui_scripts`` of setup.cfg's or setup.py's
    entry points (``synctl = "synapse._scripts.synctl:main"``). Each run of such a command is
    a process of its own that ends when the function returns: a program, like a file of a
    script folder (:func:`is_script_file`). A module is looked for as a file and as a package
    (``__init__.py``), at the root and under ``src/``. ``state``: :func:`packaging_state`,
    the key this is kept under."""
    modules: set[str] = set()
    for text in _pyproject_scripts(os.path.join(root, "pyproject.toml")):
        modules.add(text.partition(":")[0].strip())
    for reference in [*_setup_cfg_scripts(os.path.join(root, "setup.cfg")), *_setup_py_scripts(os.path.join(root, "setup.py"))]:
        match = _ENTRY_POINT.fullmatch(reference)
        if match is not None:
            modules.add(match.group(1))
    files = set()
    for module in modules:
        base = module.replace(".", "/")
        for prefix in ("", "src/"):
            files.update((f"{prefix}{base}.py", f"{prefix}{base}/__init__.py"))
    return frozenset(files)


def _pyproject_scripts(path: str) -> list[str]:
    """``module:function`` of each command a pyproject.toml declares (PEP 621, Poetry)."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return []
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):  # a broken file declares nothing (TOMLDecodeError is one)
        return []
    project = document.get("project")
    poetry = document.get("tool", {}).get("poetry") if isinstance(document.get("tool"), dict) else None
    tables = [
        project.get("scripts") if isinstance(project, dict) else None,
        project.get("gui-scripts") if isinstance(project, dict) else None,
        poetry.get("scripts") if isinstance(poetry, dict) else None,
    ]
    found = []
    for table in tables:
        for value in table.values() if isinstance(table, dict) else ():
            reference = value.get("reference", value.get("callable")) if isinstance(value, dict) else value
            if isinstance(reference, str) and ":" in reference:
                found.append(reference)
    return found


def _setup_cfg_scripts(path: str) -> list[str]:
    """``name = module:function`` lines of setup.cfg's ``[options.entry_points]`` command groups."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return []
    if not parser.has_section("options.entry_points"):
        return []
    return [
        line for group in SCRIPT_GROUPS
        for line in parser.get("options.entry_points", group, fallback="").splitlines() if line.strip()
    ]


def _setup_py_scripts(path: str) -> list[str]:
    """The strings of a setup.py's ``"console_scripts"``/``"gui_scripts"`` entries (``entry_points={...}``)."""
    try:
        with open(path, "rb") as file:
            tree = ast.parse(file.read())
    except (OSError, SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value in SCRIPT_GROUPS:
                    items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
                    found.extend(item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str))
    return found


def _registers_callbacks(module: ast.Module) -> bool:
    """A function of the module that a decorator hands to something else to call (a bot's
    message handler, a signal), other than a command-line framework's command: the module
    also serves what calls it."""
    for node in ast.walk(module):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_registered(node):
            if not all(_root_name(item) in _CLI_MODULES or last_name(_called(item)) in _WRAPPING_DECORATORS
                       or last_name(_called(item)) in _COMMAND_DECORATORS for item in node.decorator_list):
                return True
    return False


def _script_folder(name: str) -> bool:
    """``scripts``, ``tools``..., alone or as a word of the name (``scripts-dev``, ``dev_tools``,
    ``ci.scripts``): a folder of commands; not a word within a word (``manuscripts``)."""
    return name in SCRIPT_FOLDERS or not SCRIPT_FOLDERS.isdisjoint(_FOLDER_WORDS.split(name))


def _runs_per_task(module: ast.Module) -> bool:
    """An Ansible action plugin (a class deriving from ``ActionBase`` or another action
    plugin): the worker process forked per task and host runs it, and ends with the task.
    Not an Ansible module, though each task runs one in a process of its own: its
    maintainers fix what it leaks (the fix corpus: ``ansible-letsencrypt-mkstemp``,
    ``ansible-lineinfile-mkstemp-fd``)."""
    action = set()
    for statement in module.body:
        if isinstance(statement, ast.ImportFrom) and not statement.level:
            name = statement.module or ""
            if name == ACTION_PLUGINS or name.startswith(ACTION_PLUGINS + "."):
                action.update(alias.asname or alias.name for alias in statement.names)  # ``ActionBase``, another plugin
    return bool(action) and any(
        isinstance(statement, ast.ClassDef) and any(_base_name(base) in action for base in statement.bases)
        for statement in module.body
    )


def _interactive_shell(module: ast.Module) -> bool:
    """A module that defines an interactive shell (a class deriving from ``cmd.Cmd``, imported
    as ``cmd``) and runs its ``cmdloop()``: one person types its commands, in a process of
    their own that ends with the session; what a command leaks there lives for one session.
    Run as a program (:func:`_runs_as_program`) and serving nothing else: a shell a server
    imports is not a program of its own."""
    aliases, shells = set(), set()
    for statement in module.body:
        if isinstance(statement, ast.Import):
            aliases |= {alias.asname or alias.name for alias in statement.names if alias.name == "cmd"}
        elif isinstance(statement, ast.ImportFrom) and statement.module == "cmd" and not statement.level:
            shells |= {alias.asname or alias.name for alias in statement.names if f"cmd.{alias.name}" in INTERACTIVE_SHELLS}
    defined = any(
        isinstance(statement, ast.ClassDef)
        and any(
            (isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id in aliases
             and f"cmd.{base.attr}" in INTERACTIVE_SHELLS)
            or _base_name(base) in shells
            for base in statement.bases
        )
        for statement in module.body
    )
    return defined and any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cmdloop"
        for node in ast.walk(module)
    )


def _base_name(base: ast.expr) -> str | None:
    return base.id if isinstance(base, ast.Name) else None


def _runs_as_program(module: ast.Module) -> bool:
    """An ``if __name__ == "__main__":`` block, or a call of one of its functions in the
    module's own code (``main()``, or in its loops and branches: a script that is its
    module-level code)."""
    defined = {statement.name for statement in module.body if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return any(is_main_guard(statement) for statement in module.body) or any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in defined
        for node in _module_code(module.body)
    )


def _module_code(nodes: list[ast.AST]) -> Iterator[ast.AST]:
    """The nodes of the code that runs at import time: not into function, lambda or class bodies."""
    for node in nodes:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            yield node
            yield from _module_code(list(child_nodes(node)))


def _serves(module: ast.Module) -> bool:
    """A service loop, a server's call or a request handler anywhere in the module."""
    for node in ast.walk(module):
        if isinstance(node, ast.While) and is_service_loop(node):
            return True
        if isinstance(node, ast.Call) and last_name(node.func) in SERVING_CALLS:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            last_name(_called(item)) in HANDLER_DECORATORS for item in node.decorator_list
        ):
            return True
    return False


def is_service_loop(loop: ast.While) -> bool:
    """``while True:`` or ``while not stop.is_set():`` (a test on a constant, an attribute or
    a call: not a counter of its own) that nothing in its body leaves. Not a loop that only
    sleeps (``while pid_running(pid): time.sleep(0.2)``): it waits for its test to change,
    and serves nothing."""
    test = loop.test.operand if isinstance(loop.test, ast.UnaryOp) and isinstance(loop.test.op, ast.Not) else loop.test
    if all(_sleeps(statement) for statement in loop.body):
        return False
    if isinstance(test, ast.Constant):
        if not test.value:
            return False
    elif not isinstance(test, (ast.Attribute, ast.Call)):
        return False
    stack = list(loop.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Break, ast.Return)):
            return False
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            stack.extend(child for child in walk(node) if isinstance(child, ast.Return))  # its breaks are its own
            continue
        stack.extend(child_nodes(node))
    return True


def _sleeps(statement: ast.stmt) -> bool:
    """``time.sleep(...)``, ``await asyncio.sleep(...)`` as a statement."""
    value = statement.value if isinstance(statement, ast.Expr) else None
    if isinstance(value, ast.Await):
        value = value.value
    return isinstance(value, ast.Call) and last_name(value.func) == "sleep"


def is_registered(function: ast.AST, wrapper: ast.expr | None = None) -> bool:
    """Whether a decorator hands ``function`` to something that calls it (a route, a task,
    a signal): its callers are not the module's or the project's to see. ``wrapper``: a
    decorator known to wrap (OOM301's memoizer, however it is imported or named)."""
    return not all(
        item is wrapper or last_name(_called(item)) in _WRAPPING_DECORATORS for item in getattr(function, "decorator_list", ())
    )


def is_handler(function: ast.AST) -> bool:
    """Whether a decorator registers ``function`` as a request, task or signal handler (see
    ``HANDLER_DECORATORS``): what it is given comes from the clients, the queue, the sender."""
    return any(last_name(_called(item)) in HANDLER_DECORATORS for item in getattr(function, "decorator_list", ()))


def is_private(name: str) -> bool:
    """``_helper``, not ``__init__`` nor ``helper``."""
    return name.startswith("_") and not name.startswith("__")


def is_runner(func: ast.expr) -> bool:
    """``asyncio.run``, ``trio.run``, ``loop.run_until_complete``: a call that runs what it is handed once."""
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in _RUNNERS


def life_hooks(call: ast.Call) -> list[ast.Name]:
    """The functions ``call`` hands a web application as hooks of its life (see
    ``_LIFE_KEYWORDS``, ``_LIFE_SIGNALS``): what a process runs once, when the application
    starts or stops."""
    func = call.func
    if (
        isinstance(func, ast.Attribute) and func.attr == "append" and isinstance(func.value, ast.Attribute)
        and func.value.attr in _LIFE_SIGNALS and len(call.args) == 1
    ):
        handed = call.args
    else:
        handed = []
        for keyword in call.keywords:
            if keyword.arg in _LIFE_KEYWORDS:
                value = keyword.value
                handed.extend(value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value])
    return [item for item in handed if isinstance(item, ast.Name)]


def is_life_hook(function: ast.AST) -> bool:
    """Whether a decorator registers ``function`` as a hook of a web application's life
    (see ``_LIFE_DECORATORS``): it runs once per process, when the application starts or stops."""
    for item in getattr(function, "decorator_list", ()):
        name = last_name(_called(item))
        if name in _LIFE_DECORATORS:
            return True
        arguments = item.args if isinstance(item, ast.Call) else []
        if name in _LIFE_EVENT_DECORATORS and arguments and isinstance(arguments[0], ast.Constant):
            if arguments[0].value in _LIFE_EVENTS:
                return True
        if name == "subscriber" and any(last_name(argument) in _LIFE_SUBSCRIPTIONS for argument in arguments):
            return True
    return False


def imports_any(module: ast.Module, packages: frozenset[str] | set[str]) -> bool:
    """Whether the module imports one of ``packages`` (or a module of one) at its top level."""
    for statement in module.body:
        if isinstance(statement, ast.ImportFrom) and not statement.level:
            if (statement.module or "").partition(".")[0] in packages:
                return True
        elif isinstance(statement, ast.Import):
            if any(alias.name.partition(".")[0] in packages for alias in statement.names):
                return True
    return False


def _is_migration(module: ast.Module) -> bool:
    """A Django migration (``class Migration(migrations.Migration)``), an Alembic
    revision (``revision = ...`` and ``def upgrade()``) or any module that imports
    alembic (its ``env.py``, a migration runner): applied once, by a command that ends
    with it."""
    if imports_any(module, {"alembic"}):
        return True  # alembic only ever runs migrations
    names = set()
    for statement in module.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Migration":
            if any(last_name(base) == "Migration" for base in statement.bases):
                return True
        elif isinstance(statement, ast.Assign):
            names.update(target.id for target in statement.targets if isinstance(target, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(statement.name + "()")
    return {"revision", "down_revision", "upgrade()"} <= names


def _starts_process(function: FunctionNode, logging: bool = True) -> bool:
    """``main``, ``create_app``, ``ready`` and ``setup``/``init``/``initialize``/
    ``configure``/``bootstrap`` hooks (``setup_db``), and a function that configures the
    process's logging (:func:`_configures_logging`; not looked for without ``logging``):
    code a process runs when it starts. Not ``__init__``, which runs per instance, nor a
    task of a task queue."""
    name = function.name
    if name.startswith("__") or any(last_name(_called(item)) in _TASK_DECORATORS for item in function.decorator_list):
        return False
    words = name_words(name)
    return name in _START_NAMES or (bool(words) and words[0] in _START_WORDS) or (logging and _configures_logging(function))


def _configures_logging(function: FunctionNode) -> bool:
    """``logging.basicConfig(...)``, ``logging.config.dictConfig(...)`` or ``fileConfig(...)``
    in the function: the configuration of the whole process's logging (a second
    ``basicConfig`` does nothing), written to run when the process starts (Mailu's
    ``socrate.system.set_env``, which each container's start script calls once)."""
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _LOGGING_CONFIGURATIONS
        for node in walk(function)
    )


def starts_server(function: FunctionNode) -> bool:
    """Whether ``function`` makes a server's listening socket: it binds a socket and makes it
    listen (``sock.bind(address)``, then ``sock.listen(backlog)``, on the same name or
    attribute). A server does that once per address it serves, when it starts, and a failed
    bind ends the start: not code that runs per request or per connection. Not when the
    function catches the bind's failure and goes on (an IPv6 socket, then an IPv4 one):
    what the failed attempt leaves is not the end of the start. Nor a generator (a
    ``@contextmanager`` that yields the address to a ``with`` block): each ``with`` opens a
    listener for its block (an SSH tunnel's local port), as often as its callers enter it."""
    if _yields(function):
        return False
    caught = {
        id(node) for statement in walk(function) if isinstance(statement, ast.Try) and statement.handlers
        for item in statement.body for node in walk(item)
    }
    bound, tried, listening = set(), set(), set()
    for node in walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("bind", "listen"):
            receiver = ast.dump(node.func.value)
            if node.func.attr == "listen":
                listening.add(receiver)
            else:
                (tried if id(node) in caught else bound).add(receiver)
    return bool((bound & listening) - tried)


def _yields(function: FunctionNode) -> bool:
    """Whether ``function`` itself (not a function nested in it) yields."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))
    return False


def _root_name(expr: ast.expr) -> str | None:
    """``click`` of ``@click.command(...)``, ``cli`` of ``@cli.group()``."""
    expr = _called(expr)
    while isinstance(expr, ast.Attribute):
        expr = _called(expr.value)
    return expr.id if isinstance(expr, ast.Name) else None


def _called(expr: ast.expr) -> ast.expr:
    return expr.func if isinstance(expr, ast.Call) else expr


# ------------------------------------------------------ values that take few values


def is_class_value(model: SemanticModel, expr: ast.expr, function: ast.AST | None) -> bool:
    """Whether ``expr`` is a class: ``type(x)``, ``x.__class__``, a class of the module, or a
    parameter that holds one (see :func:`few_values_parameter`)."""
    if isinstance(expr, ast.Attribute) and expr.attr == "__class__":
        return True
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and model.qualified_name(expr.func) == "builtins.type":
        return True
    if not isinstance(expr, ast.Name):
        return False
    binding = model.lookup(expr.id)
    if binding is None:
        return False
    if binding.kind == "class":
        return True
    return binding.kind == "param" and function is not None and _class_parameter(model, function, binding.node)


def constant_entries(expr: ast.expr) -> bool:
    """``{"a": 1}``, ``("a", "b")``: a literal whose keys are all constants."""
    if isinstance(expr, ast.Dict):
        return all(key is not None and is_constant(key) for key in expr.keys)
    if isinstance(expr, (ast.Set, ast.List, ast.Tuple)):
        return all(is_constant(item) for item in expr.elts)
    return is_constant(expr)


def names_few_values(expr: ast.expr) -> bool:
    """Whether a name says its value is one of few: ``locale``, ``job_type``, ``self.theme``
    (see ``FEW_VALUE_WORDS``), or a setting read from a configuration object
    (``settings.TIMEOUT``, ``self.config["mode"]``, ``app.config.get("x")``)."""
    name = last_name(expr)
    if name is not None and any(word in FEW_VALUE_WORDS for word in name_words(name)):
        return True
    while isinstance(expr, (ast.Attribute, ast.Subscript, ast.Call)):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
        name = last_name(expr)
        if name is not None and any(word in SETTING_WORDS for word in name_words(name)):
            return True
    return False


# What a request says of the route it matched, by framework: Django's ``resolver_match``,
# Flask's ``endpoint``/``url_rule``/``blueprint``, Pyramid's ``matched_route``. One value per
# route the application declares.
ROUTE_READS = frozenset(
    {
        ("resolver_match", "url_name"), ("resolver_match", "view_name"), ("resolver_match", "route"),
        ("resolver_match", "app_name"), ("resolver_match", "namespace"),
        ("endpoint",), ("url_rule", "rule"), ("url_rule", "endpoint"), ("blueprint",),
        ("matched_route", "name"), ("matched_route", "pattern"),
    }
)


def route_name(expr: ast.expr) -> bool:
    """Whether ``expr`` reads which route a request matched (``request.resolver_match.url_name``,
    ``request.endpoint``, ``self.request.url_rule.rule``): the application's own routes, few
    values whatever the traffic. Not the path itself (``request.path``), nor the route's
    arguments (``resolver_match.kwargs``)."""
    attributes = []
    while isinstance(expr, ast.Attribute) and last_name(expr) != "request":
        attributes.append(expr.attr)
        expr = expr.value
    return bool(attributes) and last_name(expr) == "request" and tuple(reversed(attributes)) in ROUTE_READS


def parameter_defaults(args: ast.arguments) -> dict[str, ast.expr | None]:
    """The default of each parameter that has one, by name (a keyword-only parameter
    without one: None)."""
    positional = [*args.posonlyargs, *args.args]
    return dict(zip(
        [arg.arg for arg in [*positional[len(positional) - len(args.defaults):], *args.kwonlyargs]],
        [*args.defaults, *args.kw_defaults],
    ))


def few_values_parameter(model: SemanticModel, function: ast.AST, name: str, options: bool = True) -> bool:
    """Whether a parameter of ``function`` takes few values in a process, whatever the
    traffic: an option (its default is a literal or a name: ``True``, ``0``, ``"-_."``,
    ``None``, ``DATA_DIR``; callers that pass it pass settings), annotated ``bool``, ``Literal[...]``, an
    ``Enum`` of the module or ``Enum`` itself, a class (see :func:`is_class_value`), or named after a
    setting, a locale, a theme or a kind (``locale``, ``theme_name``, ``config``,
    ``job_type``). With ``options`` false, a default says nothing."""
    args = function.args
    parameters = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    parameter = next((arg for arg in parameters if arg.arg == name), None)
    if parameter is None:
        return False
    if options and isinstance(parameter_defaults(args).get(name), (ast.Constant, ast.Name, ast.Attribute)):
        return True
    if parameter.annotation is not None and _few_values_annotation(model, parameter.annotation):
        return True
    if any(word in FEW_VALUE_WORDS for word in name_words(name)):
        return True
    return _class_parameter(model, function, parameter)


def id_words(expr: ast.expr) -> list[str]:
    """The words of an id's name with its owner's (``["user", "id"]`` for ``user.id``);
    empty when it names no id."""
    name = last_name(expr)
    words = name_words(name) if name is not None else []
    if words[-1:] not in (["id"], ["pk"]):
        return []
    if len(words) == 1:
        owner = last_name(expr.value) if isinstance(expr, ast.Attribute) else None
        words = [*name_words(owner), *words] if owner else words
    return words


def account_id(expr: ast.expr) -> bool:
    """``user.id``, ``request.user.pk``, ``user_id``, ``self.account_id``: an id, named
    after a user or account."""
    return any(word in ACCOUNT_WORDS for word in id_words(expr))


def connects(function: ast.AST) -> bool:
    """Whether ``function`` is named for connecting (see ``CONNECTING_WORDS``): what it
    makes of its parameters is one client per endpoint the process is configured with."""
    return not CONNECTING_WORDS.isdisjoint(name_words(getattr(function, "name", "")))


def reads_own_file(model: SemanticModel, function: FunctionNode, parameter: str, before: ast.AST | None = None) -> bool:
    """Whether ``function`` always opens a file of the program's own tree named by
    ``parameter``: a path made of the parameter and ``__file__`` or a web application's
    ``root_path`` (Flask's and Quart's apps and blueprints: the folder of their package)
    (``os.path.join(__file__, "..", "static", path)``), opened or read at the top of its
    body (or of a ``with`` there, or of a ``try`` whose handlers all raise), under no
    ``if`` or loop, and (with ``before``) before that node. For a name of no such file
    the call raises, and a memoizing decorator caches no exception, nor does a write after
    it run: its entries are the files the program ships, whatever the callers ask."""
    assigned: dict[str, list[ast.expr]] = {}
    for node in walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.setdefault(node.targets[0].id, []).append(node.value)
    statements = list(function.body)
    while statements:
        statement = statements.pop()
        if before is not None and (statement.lineno, statement.col_offset) >= (before.lineno, before.col_offset):
            continue
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            statements.extend(statement.body)
            opened = [item.context_expr for item in statement.items]
        elif isinstance(statement, ast.Try) and statement.handlers and all(
            handler.body and isinstance(handler.body[-1], ast.Raise) for handler in statement.handlers
        ):
            statements.extend(statement.body)
            continue
        elif isinstance(statement, (ast.Assign, ast.Expr, ast.Return)) and statement.value is not None:
            opened = [statement.value]
        else:
            continue
        for expr in opened:
            for call in (node for node in ast.walk(expr) if isinstance(node, ast.Call)):
                path = _opened_path(model, call)
                if path is None:
                    continue
                names = _names_behind(path, assigned)
                if parameter in names and ("__file__" in names or OWN_TREE_ATTRIBUTES & _attributes_behind(path, assigned)):
                    return True
    return False


def _opened_path(model: SemanticModel, call: ast.Call) -> ast.expr | None:
    """The path ``call`` opens or reads: ``open(path)``, ``path.read_text()``."""
    if model.qualified_name(call.func) in _FILE_OPENERS:
        return argument(call, 0, "file")
    if isinstance(call.func, ast.Attribute) and call.func.attr in _PATH_READS:
        return call.func.value
    return None


def _attributes_behind(expr: ast.expr, assigned: dict[str, list[ast.expr]], depth: int = 4) -> set[str]:
    """The attribute names ``expr`` reads (``root_path`` of ``app.root_path``), a local name
    standing for what it was assigned."""
    found = {node.attr for node in ast.walk(expr) if isinstance(node, ast.Attribute)}
    if depth:
        for name in {node.id for node in ast.walk(expr) if isinstance(node, ast.Name)}:
            for value in assigned.get(name, ()):
                found |= _attributes_behind(value, assigned, depth - 1)
    return found


def _names_behind(expr: ast.expr, assigned: dict[str, list[ast.expr]], depth: int = 4) -> set[str]:
    """The names ``expr`` is made of, a local name standing for what it was assigned."""
    names = {node.id for node in ast.walk(expr) if isinstance(node, ast.Name)}
    if depth:
        for name in list(names):
            for value in assigned.get(name, ()):
                names |= _names_behind(value, assigned, depth - 1)
    return names


def varying_parameters(
    model: SemanticModel, facts: ModuleFacts, expr: ast.expr, function: ast.AST, site: ast.AST, depth: int = 2
) -> frozenset[str] | None:
    """What the value of ``expr`` (at ``site``, in ``function``, as the walk stands) can
    grow with, whatever the traffic: nothing (an empty set) when it takes few values; the
    names of the parameters of ``function`` it is made of when only they can vary (what
    the callers pass decides); None when something else can (a call's result, data read
    from an object, ``self``).

    Few values: a constant, a module-level constant, a class member (``Color.RED``); a
    class or its name (``cls``, ``type(self)``, ``cls.__name__``); a setting or a name that
    says so (``config.MODE``, ``locale``, ``job_type``); a loop variable over a literal
    collection (of constants or module-level values); a lookup in a table of the module
    (:attr:`ModuleFacts.lookup_tables`); a name assigned at module level
    only (one value, made at import time); a parameter that takes few values
    (:func:`few_values_parameter`). What is made of such values and parameters
    (:func:`_made_of`: an f-string, a tuple, ``+``/``%``/``/``, ``a if c else b``,
    ``str(...)``, a method of one and its arguments: ``locale.replace("-", "_")``, a
    function of the module given them: ``add_prefix(name)``) varies with those
    parameters only; a local name counts as what it was assigned
    (``depth`` assignments deep)."""
    if facts.is_fixed(expr) or is_class_value(model, expr, function) or names_few_values(expr):
        return frozenset()
    if _constant_lookup(facts, expr):
        return frozenset()
    if isinstance(expr, ast.Attribute) and expr.attr in _CLASS_NAMES | CLASS_ATTRIBUTES:
        return frozenset() if is_class_value(model, expr.value, function) else None
    made_of = _made_of(expr)
    if made_of is None:
        made_of = _given_to_module_function(model, expr)
    if made_of is not None:
        found = frozenset()
        for item in made_of:
            varying = varying_parameters(model, facts, item, function, site, depth)
            if varying is None:
                return None
            found |= varying
        return found
    if not isinstance(expr, ast.Name):
        return None
    binding = model.lookup(expr.id, at=site)
    if binding is None:
        return None
    if binding.scope is model.module_scope:
        return frozenset() if _module_value(model, facts, expr) else None  # one value, made at import time
    if binding.scope.node is function and expr.id in _parameter_names(function):
        # A parameter, even if normalised in place (``root = Path(root) if root else None``):
        # what callers pass decides, its default then says nothing.
        if model.is_self(expr, binding.scope):
            return None
        options = binding.kind == "param"
        return frozenset() if few_values_parameter(model, function, expr.id, options) else frozenset({expr.id})
    if binding.kind == "assign" and binding.value is not None and depth:
        return varying_parameters(model, facts, binding.value, function, site, depth - 1)  # ``key = f"{cls.__name__}"``
    return frozenset() if _fixed_loop_variable(model, facts, expr, site) else None


def _constant_lookup(facts: ModuleFacts, expr: ast.expr) -> bool:
    """``SYMBOLS.get(name)`` or ``SYMBOLS[name]`` of a module-level lookup table
    (:attr:`ModuleFacts.lookup_tables`): one of its values (or the default ``get`` is
    given), whatever the key."""
    if isinstance(expr, ast.Subscript):
        table = expr.value
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get":
        table = expr.func.value
        if not all(facts.is_fixed(default) for default in expr.args[1:]):
            return False
    else:
        return False
    return isinstance(table, ast.Name) and table.id in facts.lookup_tables and table.id not in facts.global_names


def _constant_dict(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Dict) and all(
        key is not None and is_constant(key) and is_constant(value) for key, value in zip(expr.keys, expr.values)
    )


def _parameter_names(function: ast.AST) -> set[str]:
    args = function.args
    return {arg.arg for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)}


def _made_of(expr: ast.expr) -> list[ast.expr] | None:
    """The values a key is built from, when building cannot add values: the holes of an
    f-string, the items of a tuple, the operands of ``+``/``%``/``/`` (a path joined to
    constants), either value of a conditional expression, the argument of ``str()``, the
    receiver of a method and what it is given (``name.replace("-", "_")``,
    ``template.format(extra=part)``)."""
    if isinstance(expr, ast.JoinedStr):
        return [value.value for value in expr.values if isinstance(value, ast.FormattedValue)]
    if isinstance(expr, ast.Tuple):
        return expr.elts
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod, ast.Div)):
        return [expr.left, expr.right]
    if isinstance(expr, ast.IfExp):
        return [expr.body, expr.orelse]
    if not isinstance(expr, ast.Call):
        return None
    if isinstance(expr.func, ast.Name) and expr.func.id in ("str", "repr") and len(expr.args) == 1 and not expr.keywords:
        return [expr.args[0]]
    given = [*expr.args, *(item.value for item in expr.keywords)]
    if isinstance(expr.func, ast.Attribute) and all(item.arg for item in expr.keywords):
        if not any(isinstance(arg, ast.Starred) for arg in expr.args):
            return [expr.func.value, *given]
    return None


def _given_to_module_function(model: SemanticModel, expr: ast.expr) -> list[ast.expr] | None:
    """What a function defined in the module is given (``add_queue_name_prefix(name)``),
    when it is given something: its code makes one result of one input, so the result
    takes as many values as its arguments do."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and (expr.args or expr.keywords)):
        return None
    if any(isinstance(arg, ast.Starred) for arg in expr.args) or not all(item.arg for item in expr.keywords):
        return None
    binding = model.module_binding(expr.func)
    if binding is None or binding.kind != "def":
        return None
    return [*expr.args, *(item.value for item in expr.keywords)]


def _fixed_loop_variable(model: SemanticModel, facts: ModuleFacts, name: ast.Name, site: ast.AST) -> bool:
    """``for name in ("a", "b"):`` around ``site``, in the code of its function: ``name``
    takes a fixed set of values. Only the loops that bind ``name`` and whose bodies span
    ``site`` are looked at, each down to ``site`` (no map of the module's parents)."""
    spans = facts.loop_bodies.get(name.id)
    if not spans:
        return False
    where = getattr(site, "lineno", None), getattr(site, "col_offset", None)
    if where[0] is not None and where[1] is not None:
        return any(
            start <= where <= end and _holds_in_body(loop, site, where) and _fixed_collection(model, facts, loop.iter)
            for start, end, loop in spans
        )
    child = site
    for holder in model.ancestors(site):  # the blocks around ``site`` within its function
        if isinstance(holder, _SCOPES):
            return False
        if (
            isinstance(holder, (ast.For, ast.AsyncFor))
            and isinstance(child, ast.stmt)
            and any(item is child for item in holder.body)  # its body, not its ``else``
            and name.id in _target_names(holder.target)
            and _fixed_collection(model, facts, holder.iter)
        ):
            return True
        child = holder
    return False


def _holds_in_body(loop: ast.For | ast.AsyncFor, site: ast.AST, where: tuple[int, int]) -> bool:
    """Whether ``site`` (which starts at ``where``) is in the body of ``loop`` (not its
    ``else``) with no function, lambda or class between them."""
    for statement in loop.body:
        if (statement.lineno, statement.col_offset) <= where <= (statement.end_lineno, statement.end_col_offset) or isinstance(
            statement, _DECORATED
        ):
            path = _path_to(statement, site, where)
            if path is not None:
                return not any(isinstance(node, _SCOPES) for node in path[:-1])
    return False


_DECORATED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _path_to(node: ast.AST, site: ast.AST, where: tuple[int, int]) -> list[ast.AST] | None:
    """The nodes from ``node`` down to ``site``, following only the children whose source
    spans ``where`` (a node without a position, or a decorated definition, whose
    decorators start before it, is looked into)."""
    if node is site:
        return [node]
    for child in _parented_children(node):
        start = getattr(child, "lineno", None)
        if start is not None and child.end_lineno is not None:
            if (child.end_lineno, child.end_col_offset) < where:
                continue
            if (start, child.col_offset) > where and not isinstance(child, _DECORATED):
                continue
        path = _path_to(child, site, where)
        if path is not None:
            return [node, *path]
    return None


_COMPOUND = frozenset(
    node_type for node_type in CHILD_FIELDS
    if issubclass(node_type, ast.stmt) and {"body", "orelse", "handlers", "finalbody", "cases"} & set(node_type._fields)
)
"""The statements that hold blocks of statements (:func:`~oomlint.python.semantic.child_blocks`)."""


def _parented_children(node: ast.AST) -> Iterator[ast.AST]:
    """The children the semantic model's map of parents knows (imports' names too)."""
    for name in PARENTED_FIELDS[type(node)]:
        value = getattr(node, name)
        if type(value) is list:
            yield from (item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            yield value


def _fixed_collection(model: SemanticModel, facts: ModuleFacts, expr: ast.expr) -> bool:
    """A literal collection of constants or module-level names (each one value)."""
    if isinstance(expr, ast.Name):
        binding = model.module_binding(expr)
        if binding is None:
            return False
        expr = binding.value
    return isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and all(
        is_constant(item) or _module_value(model, facts, item) for item in expr.elts
    )


def _module_value(model: SemanticModel, facts: ModuleFacts, expr: ast.expr) -> bool:
    """A name assigned at module level only (no function rebinds it with ``global``): one
    value per process. Not an import: ``time.time()`` is made of more than ``time``."""
    if not isinstance(expr, ast.Name):
        return False
    binding = model.module_binding(expr)
    return binding is not None and binding.kind == "assign" and expr.id not in facts.global_names


def _target_names(target: ast.expr) -> set[str]:
    """The names a ``for`` loop binds: ``name`` or each name of ``a, b``."""
    targets = target.elts if isinstance(target, ast.Tuple) else [target]
    return {item.id for item in targets if isinstance(item, ast.Name)}


def _class_parameter(model: SemanticModel, function: ast.AST, parameter: ast.arg) -> bool:
    """``cls`` (of a class method, ``__init_subclass__``, a metaclass), a parameter named
    like a class (``klass``, ``model_class``), annotated ``type[...]``, or that the
    function uses as one (``issubclass(p, ...)``, ``p.__name__``, a base class)."""
    name = parameter.arg
    if name in CLASS_PARAMETERS or name.endswith(CLASS_SUFFIXES):
        return True
    annotation = parameter.annotation
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    if annotation is not None and (model.qualified_name(annotation) in CLASS_ANNOTATIONS or last_name(annotation) in CLASS_ANNOTATIONS):
        return True
    return name in _names_used_as_classes(model, function)


def _names_used_as_classes(model: SemanticModel, function: ast.AST) -> frozenset[str]:
    """The names ``function`` uses as classes (``p.__name__``, ``issubclass(p, ...)``, a
    base class), worked out once per function and kept on its node (as pyflakes keeps a
    node's parent): every argument of every call in it asks."""
    found = getattr(function, "_oomlint_class_names", None)
    if found is None:
        names = set()
        pending = [function]
        pop, push, extend = pending.pop, pending.append, pending.extend
        while pending:  # once per function a call in it passes a parameter to: kept lean
            node = pop()
            node_type = type(node)
            if node_type is ast.Attribute:
                if node.attr in CLASS_ATTRIBUTES and type(node.value) is ast.Name:
                    names.add(node.value.id)
            elif node_type is ast.Call:
                if node.args and type(node.args[0]) is ast.Name and model.qualified_name(node.func) == "builtins.issubclass":
                    names.add(node.args[0].id)
            elif node_type is ast.ClassDef:
                names.update(base.id for base in node.bases if isinstance(base, ast.Name))
            for name in CHILD_FIELDS[node_type]:
                value = getattr(node, name)
                if type(value) is list:
                    extend(item for item in value if item is not None)
                elif value is not None:
                    push(value)
        found = function._oomlint_class_names = frozenset(names)
    return found


def _few_values_annotation(model: SemanticModel, annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Subscript):
        base = model.qualified_name(annotation.value)
        if base in _WRAPPERS:
            inner = annotation.slice.elts[0] if isinstance(annotation.slice, ast.Tuple) else annotation.slice
            return _few_values_annotation(model, inner)
        return base in FEW_VALUE_ANNOTATIONS
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        return all(is_none(side) or _few_values_annotation(model, side) for side in sides)
    if model.qualified_name(annotation) in FEW_VALUE_ANNOTATIONS | ENUM_BASES:  # ``member: Enum``: any enum's members
        return True
    binding = model.lookup(annotation.id) if isinstance(annotation, ast.Name) else None
    return (
        binding is not None
        and binding.kind == "class"
        and any(model.qualified_name(base) in ENUM_BASES for base in binding.node.bases)
    )


def memo_cache(function: ast.AST) -> ast.expr | None:
    """The dict a hand-rolled memoizing decorator fills, once per function it decorates:
    ``def cached(func): cache = {}``, then a nested ``wrapper(*args)`` it returns that stores
    ``cache[args] = func(*args)``, keyed by what the wrapper is given (on a method, ``self``
    among it). None for any other function, or when anything in it takes entries out of
    the dict (``pop``, ``popitem``, ``clear``, ``del``): then it bounds its cache."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or len(function.args.args) != 1:
        return None
    wrapped = function.args.args[0].arg
    dicts = {
        statement.targets[0].id: statement.value
        for statement in function.body
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name)
        and _empty_dict(statement.value)
    }
    returned = {
        statement.value.id for statement in function.body
        if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Name)
    }
    emptied = {
        target.value.id
        for node in ast.walk(function)
        for target in (node.targets if isinstance(node, ast.Delete) else [node.func] if isinstance(node, ast.Call) else [])
        if isinstance(target, (ast.Subscript, ast.Attribute)) and isinstance(target.value, ast.Name)
        and (isinstance(target, ast.Subscript) or target.attr in ("pop", "popitem", "clear"))
    }
    for wrapper in function.body:
        if not isinstance(wrapper, (ast.FunctionDef, ast.AsyncFunctionDef)) or wrapper.name not in returned:
            continue
        given = {arg.arg for arg in (*wrapper.args.posonlyargs, *wrapper.args.args, wrapper.args.vararg, wrapper.args.kwarg) if arg}
        for node in ast.walk(wrapper):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript)):
                continue
            target, value = node.targets[0], node.value.value if isinstance(node.value, ast.Await) else node.value
            if (
                isinstance(target.value, ast.Name) and target.value.id in dicts and target.value.id not in emptied
                and isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == wrapped
                and any(isinstance(part, ast.Name) and part.id in given for part in ast.walk(target.slice))
            ):
                return dicts[target.value.id]
    return None


def _empty_dict(value: ast.expr) -> bool:
    """``{}`` or ``dict()``."""
    if isinstance(value, ast.Dict):
        return not value.keys
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" and not value.args and not value.keywords


def cache_cleared(node: ast.Attribute) -> str | None:
    """``load`` for ``load.cache_clear``, ``self.load.cache_clear`` or ``Loader.load.cache_clear``:
    the function whose memoizing cache the module empties (or hands out to be emptied)."""
    if node.attr != "cache_clear":
        return None
    target = node.value
    if isinstance(target, ast.Name):
        return target.id
    return target.attr if isinstance(target, ast.Attribute) else None


def builds_own_instance(func: ast.expr, function: FunctionNode) -> bool:
    """``cls(...)``, ``type(self)(...)`` or ``self.__class__(...)`` in ``function``: a class
    making more of itself. ``cls`` only as the method's first parameter (a classmethod's):
    one that defaults to another class (discord.py's ``get_context(message, *,
    cls=Context)``) makes that class."""
    if isinstance(func, ast.Name):
        positional = [*function.args.posonlyargs, *function.args.args]
        return func.id == "cls" and bool(positional) and positional[0].arg == "cls"
    if isinstance(func, ast.Attribute):
        return func.attr == "__class__"
    return isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "type"


def made_per_run(model: SemanticModel, expr: ast.expr) -> bool:
    """Whether ``expr`` is a new object each time the code being walked runs: a call, a lambda,
    a nested function, a local name or ``self.<attr>`` assigned from one, or a method bound to
    any of these (``self.close`` is a new object per instance). Module-level objects,
    parameters (even with a default made in the body) and what cannot be followed are not."""
    for _ in range(8):
        if isinstance(expr, (ast.Call, ast.Lambda)):
            return True
        if isinstance(expr, ast.Name):
            binding = model.lookup(expr.id, at=expr)
            if binding is None or binding.scope is model.module_scope or model.is_parameter(expr.id):
                return False
            if binding.kind == "def":
                return True
            if binding.kind not in ("assign", "with") or binding.value is None:
                return False
            expr = binding.value
        elif isinstance(expr, ast.Attribute):
            if model.is_self(expr.value):
                value = model.instance_attribute(expr.attr)
                if value is not None:
                    return isinstance(value, (ast.Call, ast.Lambda))
                member = model.class_member(expr.attr)
                return member is not None and member.kind == "def"
            expr = expr.value
        else:
            return False
    return False


def same_every_run(model: SemanticModel, expr: ast.expr) -> bool:
    """Whether ``expr`` has the same value each time the code being walked runs, as far as
    names tell: literals, module-level names, ``__name__``, a class's
    ``__name__``/``__qualname__``/``__module__`` (``self.__class__.__name__`` included), and
    what operators, f-strings and calls build from them only (``Defaults.log_name()``,
    ``"{}.jobs".format(__name__)``). Parameters, locals and other attributes of ``self``
    are not."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Attribute) and node.attr in _CLASS_NAMES:
            continue
        if isinstance(node, ast.Name):
            binding = model.lookup(node.id, at=node)
            if binding is not None and binding.scope is not model.module_scope:
                return False
            continue
        if not isinstance(node, _SAME_EVERY_RUN):
            return False
        stack.extend(ast.iter_child_nodes(node))
    return True


def catches_everything(handler: ast.ExceptHandler, in_coroutine: bool, qualified) -> bool:
    """A bare ``except:``, ``except BaseException:``; ``except Exception:`` too, except in a
    coroutine, where cancellation (``asyncio.CancelledError``) is no ``Exception``. By
    qualified name (``qualified`` names an expression): not a class of the module's own
    that is called ``Exception``."""
    caught = {"builtins.BaseException"} if in_coroutine else {"builtins.BaseException", "builtins.Exception"}
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(kind is None or qualified(kind) in caught for kind in kinds)


def guarded_functions(tree: ast.Module, qualified) -> frozenset[str]:
    """Keys (``name``, ``Class.name``) of the module's functions and methods (each name
    defined once in it) whose body is one ``try`` with no ``else`` or ``finally``, whose
    handlers catch everything (see :func:`catches_everything`) and raise nothing, beside
    statements that cannot raise (a docstring, ``ip = host``, ``return ip``, an early
    ``if not value: return``): a call of one cannot raise, as ``self._resolve_name(host)``
    that logs and returns the name it was given on any failure, or a helper that renices
    a child and ignores any failure. Only the module's top level and its classes' bodies
    are read, and a ``raise`` is looked for in the handlers' own subtrees."""
    definitions = [
        (f"{holder.name}.{item.name}" if isinstance(holder, ast.ClassDef) else item.name, item)
        for holder in (tree, *(node for node in tree.body if isinstance(node, ast.ClassDef)))
        for item in holder.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    counts: dict[str, int] = {}
    for _, item in definitions:
        counts[item.name] = counts.get(item.name, 0) + 1
    guarded = set()
    for key, item in definitions:
        attempts = [statement for statement in item.body if isinstance(statement, ast.Try)]
        if counts[item.name] != 1 or len(attempts) != 1 or not all(map(_cannot_raise, item.body)):
            continue
        attempt = attempts[0]
        in_coroutine = isinstance(item, ast.AsyncFunctionDef)
        # A walk of the one try's handlers for a re-raise: the model keeps no raises per block.
        if (
            not attempt.orelse and not attempt.finalbody
            and any(catches_everything(handler, in_coroutine, qualified) for handler in attempt.handlers)
            and not any(isinstance(node, ast.Raise) for handler in attempt.handlers for node in ast.walk(handler))
        ):
            guarded.add(key)
    return frozenset(guarded)


def _cannot_raise(statement: ast.stmt) -> bool:
    """A ``try`` (judged by its handlers), a docstring or ``pass``, ``name = value`` or
    ``return value`` of a name or a constant, an ``if`` on plain values (names, constants,
    a module's or an object's attribute, compared or negated) around such statements."""
    if isinstance(statement, (ast.Try, ast.Pass)):
        return True
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Constant)
    if isinstance(statement, ast.Assign):
        return all(isinstance(target, ast.Name) for target in statement.targets) and isinstance(statement.value, (ast.Name, ast.Constant))
    if isinstance(statement, ast.If):
        return _plain_test(statement.test) and all(map(_cannot_raise, statement.body)) and all(map(_cannot_raise, statement.orelse))
    return isinstance(statement, ast.Return) and (statement.value is None or isinstance(statement.value, (ast.Name, ast.Constant)))


def _plain_test(test: ast.expr) -> bool:
    """``not value or os.name == "nt"``: names, constants and attributes of names, under
    ``not``, ``and``/``or`` and comparisons, with no call or subscript that could raise."""
    if isinstance(test, (ast.Name, ast.Constant)):
        return True
    if isinstance(test, ast.Attribute):
        return isinstance(test.value, ast.Name)
    if isinstance(test, ast.UnaryOp):
        return isinstance(test.op, ast.Not) and _plain_test(test.operand)
    if isinstance(test, ast.BoolOp):
        return all(map(_plain_test, test.values))
    if isinstance(test, ast.Compare):
        return all(isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)) for op in test.ops) and all(
            map(_plain_test, [test.left, *test.comparators])
        )
    return False
