"""OOM203: a resource stored on an object that never releases it."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from oomlint.python.astutil import ATEXIT_REGISTER, last_name
from oomlint.python.children import walk
from oomlint.python.project import WITH_KEEPS_OPEN, call_origin, class_methods_of
from oomlint.python.runs import MANY, ONCE, runs_of
from oomlint.python.semantic import TRY_STATEMENTS, child_blocks
from oomlint.core.rule import Option, Rule
from oomlint.rules.python._resources import (
    ACCEPTED_SOCKET,
    EXTRA_RESOURCES_HELP,
    REGISTRATIONS,
    RELEASED_ELSEWHERE,
    TEMPORARY_PATHS,
    USES,
    TemporaryPath,
    accepted_socket,
    called_for_result,
    followed_factories,
    in_configured_folder,
    opening_methods,
    release_helper_names,
    released_before,
    removes_path,
    sends_through,
    shared_analysis,
    short_code,
    switched_off,
    texts_needed,
)

# Methods that end an object's life: a class with one of them (or inheriting one from a
# project class) has a place that releases what it holds, or is meant to get one.
LIFECYCLE_METHODS = frozenset(
    {"close", "aclose", "__exit__", "__aexit__", "__del__", "shutdown", "stop", "dispose", "cleanup",
     "terminate", "disconnect", "release", "teardown", "tearDown", "unload", "cog_unload", "on_shutdown"}
)


@dataclass(eq=False)
class _Owned:
    attribute: str
    statement: ast.Assign | ast.AnnAssign
    method: ast.FunctionDef | ast.AsyncFunctionDef
    acquire: str
    releases: tuple[str, ...]
    factory: str | None = None
    path: TemporaryPath | None = None
    """For a path on disk (``tempfile.mkdtemp()``): removed by a function given it, not a method."""


class ResourceOwnerNeverReleased(Rule):
    """
    ## What it does
    Flags `self.<name> = <resource>` in a method, when the class never releases it:
    no method calls `self.<name>.close()` (or the resource's other release), uses it in
    `with` (but an sqlite3 connection, whose `with` only ends a transaction), or hands it to a call (`weakref.finalize(self, self.<name>.close)`,
    `stack.enter_context(self.<name>)`) or out (`return self.<name>`), and the class has
    no `close()`, `__exit__`, `__del__`, `shutdown()`, `stop()` or other life-cycle
    method of its own or from a project base class. Reported at the assignment. A method
    called for its result (`ws = await self.session.ws_connect(url)`, `async with
    self.session.ws_connect(url) as ws:`, `for line in self.session.iter_lines(url):`) uses
    the resource, whatever its name: only one called for its effect may release it.

    `atexit.register(self.<name>.close)` releases it when the process exits: enough
    where the class is made once or a few times (errbot's fix of its flow executor's
    pool), but not where the module or the project shows it made many times (in a loop,
    per request): each instance then keeps its resource, and itself, until exit (OOM205
    reports the hook there too).

    Also where a class ends with life-cycle methods (`stop()`, `close()`...) none of
    which, nor any method of the class they call on `self`, mentions the attribute at
    all (madedotcom/atomicpuppy's `stop()` ended the polling, never the session), when
    the module shows every method that could: the class has no base class, or only
    bases of its own module with the same property (and `abc.ABC`, `typing.Generic`,
    `typing.Protocol`), whose life-cycle methods count as the class's, and no module of
    the project derives from it; what the module's classes derived from it end counts
    too (aiovk's `TokenSession` kept an HTTP driver that its base's `__aexit__()` and
    empty `close()` never closed). A class with a base elsewhere is left alone, its base
    may end the attribute.

    Also where the class does release it: a method that stores a new resource in the
    attribute `__init__` filled with one (`connect()` doing `self.sock = socket.socket()`
    over the constructor's socket), without first releasing the one there (a call on it
    other than a use, handing it to a call, or a test of it around the store: `if
    self.sock is None:`). Each call drops the earlier resource, open. Reported at the
    new store.

    Also where the class does release it, but its `__init__` raises (a `raise` of its
    own, not inside a `try` that may catch it) after storing the resource and before
    releasing it (`self.close()` or `self.sock.close()` first): the caller gets no object,
    so nothing can call its `close()` (pg8000's connection raised the server's error after
    connecting). Not flagged: a raise on another branch than the store, before it, in a
    `finally`, in the `except` clause of a `try` in which nothing after the store can
    raise (what the store raised left nothing stored), in an `except ImportError:`
    clause (an installation without the module fails there every time), or before a client
    that connects lazily (`paramiko.SSHClient()`, `smtplib.SMTP()` without a host,
    `requests.Session()`) is connected (`self.client.connect(host)`) or handed to a call:
    it holds nothing of the OS yet. Reported at the `raise`.

    The resources are OOM202's (files, sockets, database connections, HTTP sessions,
    pools...), also when a project function makes them (`self.con = db.connect()`
    where `db.connect` returns `sqlite3.connect(...)`; see OOM202 for the project index),
    a project class that defines `close()` and whose `__init__` stores one of them on
    `self` (`self.driver = HttpDriver()`, whose `close()` closes the session it made), and
    what the object makes when its caller gave none (`self.driver = HttpDriver() if
    driver is None else driver`; not when every call of the class the project makes gives
    one, as warehouse's `MessageVerifier(..., session=request.http)`),
    and the connection a listening socket accepts (`conn, addr = sock.accept()`). What
    the method first binds to a local name and then stores counts the same
    (`con = db.connect(); con.execute(...); self.con = con`), unless the method itself
    closes the name, uses it in `with` or returns it.

    Also the resources no garbage collector releases, which outlive the object: a
    directory from `tempfile.mkdtemp()` or a descriptor from `os.open()` stored on `self`,
    also the one a constructor makes when the caller gave none (`if out is None: out =
    tempfile.mkdtemp()` ... `self.out = out`). Only giving the attribute to what removes
    or closes it (`shutil.rmtree(self.out)`, `os.close(self.fd)`, `os.fdopen(self.fd)`,
    also through `weakref.finalize(self, shutil.rmtree, self.out)` or from elsewhere in the
    module: `shutil.rmtree(job.out)`) releases it; handing the path to other calls
    (`os.path.join(self.out, name)`) uses it. Every instance leaves a directory behind
    (pydicom/deid and deepchem fixed exactly this). Not flagged: a directory made in the
    folder the application's configuration names for its temporary files, a constant's
    name (`tempfile.mkdtemp(dir=config.TEMP_DIR)`, `dir=settings.MEDIA_TMP`), which
    applications sweep on their own (Indico's daily `temp_cleanup`); one made in a folder
    given as a value (`dir=folder`) is flagged.

    ## Why is this bad?
    Every instance opens one more connection or file, and nothing but the garbage
    collector ever gives it back: where instances are made per request or per job,
    descriptors and buffers pile up until the process hits its file limit or its
    memory limit. Nobody can release it either, since the class offers no way to.

    ## Known limits
    Not flagged: a subclass of a resource class (`class Connection(http.client.HTTPConnection)`
    storing `self.sock` as its base does), whose inherited `close()` releases what its
    base stores: the instance is itself the resource, its maker's to release (OOM202); a
    class the module makes only once (a module-level singleton lives as
    long as the process, and one connection does not grow), or that the project's
    modules make only at import time or in a lazy set-up block (`global _SOLR; if
    _SOLR is None: _SOLR = Solr(url)`), a plugin its loader makes (a class of a `plugins`
    package, or derived from a base named `...Plugin`, that no module of the project
    makes by name nor derives from: one instance per process), an attribute that code
    elsewhere in the module releases through the object (`inventory.con.close()`),
    resources acquired in `__enter__`, `setUp` and the like (released by their pair),
    what any method of a class made once stores (`self.session = self._login(config)` in
    a plugin's task hook: the one object holds one session at a time, and a new one drops
    the one before; a directory from `mkdtemp()` is left on disk by each store, and is
    checked), a plugin the module registers as a class with no base
    (`plugin.register(IFTTTNotifier, "ifttt")`: the application's loader makes one),
    and archives over file objects, in-memory databases and spooled files that never spill,
    as in OOM202, and a store under a switch left off in the source
    (`if _DEBUG_INPUT: self.log = open(path, "ab")` where `_DEBUG_INPUT = False` at module
    level; see OOM201).

    ## Example
    ```python
    import sqlite3


    class Inventory:
        def __init__(self, path):
            self.con = sqlite3.connect(path)

        def count(self):
            return self.con.execute("select count(*) from items").fetchone()[0]
    ```

    ## Use instead
    ```python
    import sqlite3


    class Inventory:
        def __init__(self, path):
            self.con = sqlite3.connect(path)

        def count(self):
            return self.con.execute("select count(*) from items").fetchone()[0]

        def close(self):
            self.con.close()

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            self.close()
    ```

    ## Options
    - `extra-resources`: more factories, as for OOM202.

    ## Fix
    None: when an object's resources should be released is a decision about its life
    (a `close()`, a context manager, a finalizer), not a rewrite.

    ## References
    - [The with statement and context managers](https://docs.python.org/3/reference/datamodel.html#context-managers)
    - [weakref.finalize](https://docs.python.org/3/library/weakref.html#weakref.finalize)
    """

    code = "OOM203"
    symbol = "resource-owner-never-released"
    summary = "Resource stored on an object whose class never releases it"
    message = "'self.{attribute}' holds {acquire} {lost}: {advice}"
    options = (Option("extra-resources", (), EXTRA_RESOURCES_HELP),)

    @classmethod
    def followed(cls, options):
        return followed_factories(options["extra-resources"])

    @classmethod
    def text_needed(cls, options):
        return texts_needed(options["extra-resources"])

    @classmethod
    def helper_names(cls, project, options):
        return release_helper_names(project, options["extra-resources"])

    def __init__(self, context, options):
        super().__init__(context, options)
        self.analysis = shared_analysis(context, options["extra-resources"])
        self.owned: dict[ast.ClassDef, list[_Owned]] = {}
        self.handled: dict[ast.ClassDef, set[str]] = {}
        """Attributes of ``self`` that a method of the class releases, manages with ``with``,
        hands to a call or gives out: anything but reading them through a method."""
        self.managed: dict[ast.ClassDef, set[str]] = {}
        """Attributes of ``self`` a method manages with ``with self.<name>:``: a release,
        but for an sqlite3 connection, whose ``with`` only ends a transaction."""
        self.released_outside: set[str] = set()
        """Attributes released from outside their object (``store.con.close()``)."""
        self.removed: dict[ast.ClassDef, set[str]] = {}
        """Attributes of ``self`` given to a function that removes a path (``shutil.rmtree(self.tmp)``,
        ``weakref.finalize(self, shutil.rmtree, self.tmp)``): what ends a temporary directory."""
        self.removed_outside: set[str] = set()
        """Attributes removed from outside their object (``shutil.rmtree(cleaner.tmp)``)."""
        self.closed_at_exit: dict[ast.ClassDef, set[str]] = {}
        """Attributes of ``self`` handed to ``atexit.register``: released when the process
        exits, which is enough for an object made once or a few times, not for one made
        many times (each keeps its resource, and itself, until exit)."""

    def visit_Attribute(self, node: ast.Attribute) -> None:
        owner = self._owner(node.value)
        removal = self._removal(node)
        if removal is not None:
            if owner is None:
                self.removed_outside.add(node.attr)
            else:
                released = self.closed_at_exit if removal.func is not None and self._exit_hook(removal) else self.removed
                released.setdefault(owner, set()).add(node.attr)
        if owner is not None and _hands_over(node, self.model.parent):
            if isinstance(self.model.parent(node), ast.withitem):
                released = self.managed  # ``with self.con:``
            else:
                released = self.closed_at_exit if self._exit_hook(node) else self.handled
            released.setdefault(owner, set()).add(node.attr)

    def _exit_hook(self, node: ast.Attribute | ast.Call) -> bool:
        """``atexit.register(self.con.close)``: released when the process exits."""
        parent = node if isinstance(node, ast.Call) else self.model.parent(node)
        if isinstance(parent, ast.Attribute):
            parent = self.model.parent(parent)
        return isinstance(parent, ast.Call) and self.model.qualified_name(parent.func) == ATEXIT_REGISTER

    def _removal(self, node: ast.Attribute) -> ast.Call | None:
        """The call that removes the path ``<x>.<name>`` holds: ``shutil.rmtree(self.tmp)``, or a
        call handed both a path removal and the path (``weakref.finalize(self, shutil.rmtree,
        self.tmp)``, ``atexit.register(shutil.rmtree, self.tmp)``)."""
        call = self.model.parent(node)
        if isinstance(call, ast.keyword):
            call = self.model.parent(call)
        if not isinstance(call, ast.Call) or call.func is node:
            return None
        return call if removes_path(call, node, _PATH_REMOVALS, self.model.qualified_name) else None

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            type(func) is ast.Attribute and type(func.value) is ast.Attribute and func.attr not in USES
            and self._owner(func.value.value) is None and not called_for_result(node, self.model.parent)
        ):
            self.released_outside.add(func.value.attr)

    def _owner(self, expr: ast.expr) -> ast.ClassDef | None:
        """The class whose method's ``self`` ``expr`` is, also in closures of the method."""
        if type(expr) is not ast.Name:
            return None
        binding = self.model.lookup(expr.id)
        scope = binding.scope if binding is not None and binding.kind == "param" else None
        owner = scope.enclosing_class() if scope is not None else None  # a lambda's parameter has none
        if owner is None or not self.model.is_self(expr, scope):
            return None
        return owner.node

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1:
            self._stored(node.targets[0], node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._stored(node.target, node)

    def _stored(self, target: ast.expr, statement: ast.Assign | ast.AnnAssign) -> None:
        value = _made_unless_given(statement.value)
        unless_given = value is not statement.value
        if isinstance(value, ast.Await):
            value = value.value
        if not (isinstance(target, ast.Attribute) and isinstance(value, (ast.Call, ast.Name)) and self.model.is_self(target.value)):
            return
        method, owner = self.model.function, self.model.method_class
        if owner is None or method.name in RELEASED_ELSEWHERE:
            return
        if unless_given and self._always_given(statement.value, method, owner):
            return
        made = self._made(value, statement, method)
        if made is not None and not switched_off(self.context, statement):
            self.owned.setdefault(owner, []).append(_Owned(target.attr, statement, method, *made))

    def _always_given(self, choice: ast.IfExp, method, owner: ast.ClassDef) -> bool:
        """Whether every call of ``owner`` the project makes gives the constructor's
        parameter ``choice`` falls back from: the object never makes its own."""
        given = choice.orelse if isinstance(choice.orelse, ast.Name) else choice.body
        project = self.context.project
        if project is None or method.name != "__init__" or owner not in self.context.tree.body:
            return False
        arguments = method.args
        positional = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)][1:] + [arg.arg for arg in arguments.kwonlyargs]
        if given.id not in positional:
            return False
        module = project.module_for(self.context.path)[0]
        return project.always_given(f"{module}.{owner.name}" if module else owner.name, given.id, positional)

    def _made(
        self, value: ast.Call | ast.Name, statement: ast.stmt, method
    ) -> tuple[str, tuple[str, ...], str | None, TemporaryPath | None] | None:
        """What ``value`` acquires (its code, releases and factory): a factory's call, or a local
        name the method bound to one and stores on ``self`` without releasing it itself
        (``conn, addr = sock.accept()`` ... ``self.connection = conn``)."""
        if isinstance(value, ast.Name):
            binding = self.model.lookup(value.id, at=statement)
            if binding is None or binding.kind != "assign" or binding.scope is None or binding.scope.node is not method:
                return None
            if _releases_local(method, value.id, self.model):
                return None
            if accepted_socket(binding.node, value.id):
                return short_code(binding.node.value.func) + "()", self.analysis.table.get(ACCEPTED_SOCKET, ("close",)), ACCEPTED_SOCKET, None
            made = binding.value.value if isinstance(binding.value, ast.Await) else binding.value
            if not isinstance(made, ast.Call):
                return None
            value = made
        factory = call_origin(self.context, value.func)
        path = TEMPORARY_PATHS.get(factory)
        if path is not None:
            if in_configured_folder(value, factory):
                return None  # in the application's folder for temporary files, which it sweeps
            return short_code(value.func) + "()", path.removals, None, path
        acquire = self.analysis.factory_acquire(value)
        if acquire is not None:
            return short_code(value.func) + "()", acquire.releases, acquire.factory, None
        project = self.context.project
        if factory is not None and project is not None and project.owns(factory) and project.closes(factory):
            # ``self.driver = HttpDriver(timeout)``: a project class whose instances own a
            # session it makes, and whose close() releases it
            return short_code(value.func) + "()", ("close",), factory, None
        return None

    def finish(self) -> None:
        if not self.owned:
            return
        runs = runs_of(self.context)
        for owner, stored in self.owned.items():
            ends = None
            if class_methods_of(self.context, owner) & LIFECYCLE_METHODS or self._inherits_release(owner):
                self._replaced(owner, stored, runs)
                self._raised_from_init(owner, stored, runs)
                family = self._family(owner)
                ends = None if family is None else _ends_of_its_own(*family)
                if ends is None:
                    continue
            handled = self.handled.get(owner, set())
            managed = self.managed.get(owner, set())
            if ends is not None:  # what the class's bases and subclasses release counts too
                for kin in family[0][1:] + family[1]:
                    handled = handled | self.handled.get(kin, set())
                    managed = managed | self.managed.get(kin, set())
            removed = self.removed.get(owner, set())
            for item in stored:
                if item.path is not None:
                    if item.attribute in removed or item.attribute in self.removed_outside:
                        continue
                elif item.attribute in handled or item.attribute in self.released_outside:
                    continue
                if item.attribute in managed and item.factory not in WITH_KEEPS_OPEN:
                    continue
                frequency = runs.of(item.method).kind
                if frequency == ONCE or (item.attribute in self.closed_at_exit.get(owner, ()) and frequency != MANY):
                    continue
                if item.path is None and runs.instances(owner).kind == ONCE:
                    continue  # one object holds one at a time: a store drops the one before
                if ends is not None:
                    methods, mentioned = ends
                    if item.attribute in mentioned or item is not self._first_store(stored, item):
                        continue
                    names = ", ".join(f"{name}()" for name in sorted(methods))
                    release = (
                        f"{item.releases[0]}(self.{item.attribute})" if item.path is not None
                        else f"self.{item.attribute}.{item.releases[0]}()"
                    )
                    self.report(
                        item.statement, attribute=item.attribute, acquire=item.acquire,
                        lost=f"and '{owner.name}' ends with {names}, which never releases it",
                        advice=f"call {release} there",
                    )
                    continue
                if item.path is not None:  # no collector removes a directory or closes a descriptor
                    lost = f"that outlives each '{owner.name}', and nothing releases it"
                    advice = f"give '{owner.name}' a close() that calls {item.releases[0]}(self.{item.attribute}), or {item.path.instead}"
                else:
                    lost = f"for the life of each '{owner.name}', and nothing releases it"
                    advice = f"give '{owner.name}' a close() that calls self.{item.attribute}.{item.releases[0]}()"
                self.report(item.statement, attribute=item.attribute, acquire=item.acquire, lost=lost, advice=advice)

    def _family(self, owner: ast.ClassDef) -> tuple[list[ast.ClassDef], list[ast.ClassDef]] | None:
        """``owner``'s lineage (itself, then its bases, nearest first) and the module's classes
        derived from it, when every base is a class of the module or one that ends nothing
        (``object``, ``abc.ABC``): then the module shows every method that may end what the
        class holds (aiovk's ``TokenSession`` kept an aiohttp session its base's ``close()``,
        an empty hook, never closed). None when a base lies elsewhere, a class of the family
        takes keywords (a metaclass), or a module of the project derives from ``owner``."""
        lineage = self._lineage(owner, set())
        if lineage is None:
            return None
        project = self.context.project
        if project is not None and owner in self.context.tree.body:
            module = project.module_for(self.context.path)[0]
            key = f"{module}.{owner.name}" if module else owner.name
            if any(not name.startswith(f"{module}.") or "." in name[len(module) + 1:] for name in project.subclasses(key)):
                return None
        derived = []
        for node in self.context.tree.body:
            if isinstance(node, ast.ClassDef) and node is not owner:
                kin = self._lineage(node, set())
                if kin is not None and owner in kin:
                    derived.append(node)
        return lineage, derived

    def _lineage(self, owner: ast.ClassDef, seen: set) -> list[ast.ClassDef] | None:
        """``owner`` and its bases, nearest first, when each base is a class of the module
        (or one of :data:`_NEUTRAL_BASES`) and no class of them takes keywords; else None."""
        if owner.keywords or owner in seen:
            return None
        seen.add(owner)
        lineage = [owner]
        for base in owner.bases:
            if self.model.qualified_name(base) in _NEUTRAL_BASES or (isinstance(base, ast.Name) and base.id == "object"):
                continue
            binding = self.model.module_binding(base) if isinstance(base, ast.Name) else None
            if binding is None or binding.kind != "class":
                return None
            above = self._lineage(binding.node, seen)
            if above is None:
                return None
            lineage.extend(above)
        return lineage

    @staticmethod
    def _first_store(stored: list[_Owned], item: _Owned) -> _Owned:
        """The first store of ``item``'s attribute: a class that ends with a method reports once."""
        return next(other for other in stored if other.attribute == item.attribute)

    def _inherits_release(self, owner: ast.ClassDef) -> bool:
        """A subclass of a resource class (``class Connection(http.client.HTTPConnection)``)
        inherits its release: the library's ``close()`` releases what the library stores, and
        the instance is itself the resource, its maker's to release (OOM202)."""
        scope = self.model.module_scope
        return any(call_origin(self.context, base, scope=scope) in self.analysis.table for base in owner.bases)

    def _replaced(self, owner: ast.ClassDef, stored: list[_Owned], runs) -> None:
        """A class that releases what it holds, but a method that stores a new resource where
        ``__init__`` stored one, without releasing the one there first (``connect()`` making
        a new socket over the constructor's): each call drops one, open."""
        first = {
            item.attribute: item for item in stored
            if item.method.name == "__init__" and self.model.parent(item.statement) is item.method
        }
        for item in stored:
            made = first.get(item.attribute)
            if made is None or item.method is made.method:
                continue
            if runs.of(item.method).kind == ONCE and runs.of(made.method).kind == ONCE:
                continue
            if _released_before(item.method, item.attribute, item.statement, self.model):
                continue
            self.report(
                item.statement, attribute=item.attribute, acquire=made.acquire,
                lost=f"from '__init__', and '{item.method.name}' replaces it here without releasing it",
                advice=f"call self.{item.attribute}.{made.releases[0]}() before storing the new one",
            )

    def _raised_from_init(self, owner: ast.ClassDef, stored: list[_Owned], runs) -> None:
        """A class that releases what it holds, but whose ``__init__`` raises after storing a
        resource on ``self`` and before releasing it: the caller gets no object, so nothing
        can call its ``close()`` (pg8000's connection raising the server's error after
        connecting). Only the constructor's own ``raise`` statements, not caught around them:
        its deliberate error paths."""
        made = [item for item in stored if item.method.name == "__init__" and runs.of(item.method).kind != ONCE]
        if not made:
            return
        init = made[0].method
        for node in walk(init):
            if not isinstance(node, ast.Raise) or self.model.enclosing(node, _FUNCTIONS) is not init:
                continue
            preceding = _preceding(node, init, self.model)
            if preceding is None:
                continue
            held = next((item for item in made if _stored_before(item.statement, preceding, self.model)), None)
            if held is None or _ends_before(held, preceding, self.model) or not _connected_before(held, preceding, self.model):
                continue
            self.report(
                node, attribute=held.attribute, acquire=held.acquire,
                lost=f"and '__init__' raises here without releasing it, so its caller gets no '{owner.name}' to close",
                advice=f"call self.{held.attribute}.{held.releases[0]}() before raising",
            )


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# Bases that define no method ending what an instance holds.
_NEUTRAL_BASES = frozenset({"abc.ABC", "typing.Generic", "typing.Protocol"})


def _preceding(node: ast.stmt, function: ast.AST, model) -> list[ast.stmt | ast.ExceptHandler] | None:
    """What runs before ``node`` on its way through ``function``: the statements before it
    and before each statement around it in their blocks, in order, and the ``except``
    clauses it lies in. None when a ``try`` around it may catch what it raises, or it lies
    in a ``finally`` or in a clause for a missing module (``except ImportError:``): an
    installation without it fails there on every call, and the feature cannot work at all."""
    preceding: list = []
    child = node
    for ancestor in model.ancestors(node):
        if isinstance(ancestor, ast.ExceptHandler):
            if _names_missing_module(ancestor):
                return None
            preceding.insert(0, ancestor)
            block = ancestor.body
        elif isinstance(ancestor, TRY_STATEMENTS):
            if isinstance(child, ast.ExceptHandler):
                block = []  # its ``try`` body ran up to what raised: see :func:`_stored_before`
            elif any(child is item for item in ancestor.finalbody):
                return None
            elif any(child is item for item in ancestor.orelse):
                preceding[:0] = ancestor.body
                block = ancestor.orelse
            elif ancestor.handlers:
                return None
            else:
                block = ancestor.body
        elif isinstance(ancestor, (ast.stmt, ast.match_case)):
            block = next((block for block in child_blocks(ancestor) if any(child is item for item in block)), [])
            if isinstance(ancestor, ast.match_case):
                block = ancestor.body
        else:
            continue
        index = next((index for index, item in enumerate(block) if item is child), 0)
        preceding[:0] = [item for item in block[:index] if item is not child]
        if ancestor is function:
            return preceding
        child = ancestor
    return None


def _names_missing_module(handler: ast.ExceptHandler) -> bool:
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(last_name(item) in _MISSING_MODULE for item in caught if item is not None)


_MISSING_MODULE = frozenset({"ImportError", "ModuleNotFoundError"})


def _stored_before(store: ast.stmt, preceding: list, model) -> bool:
    """Whether ``store`` ran before: in a statement before, or in the body of a ``try`` whose
    ``except`` clause is around the raise, with statements after it that may have raised
    (what the store itself raised left nothing stored)."""
    for item in preceding:
        if isinstance(item, ast.ExceptHandler):
            attempt = model.parent(item)
            index = next((index for index, statement in enumerate(attempt.body) if _contains(statement, store)), None)
            if index is not None and any(map(_may_raise, attempt.body[index + 1:])):
                return True
        elif _contains(item, store):
            return True
    return False


def _connected_before(held: _Owned, preceding: list, model) -> bool:
    """Whether ``self.<attribute>`` holds something of the OS by the raise: a client that
    connects lazily (``paramiko.SSHClient()``, ``requests.Session()``) holds nothing until a
    statement before, on the raise's path, connects it (``self.client.connect(host)``) or
    hands it to a call."""
    opening = opening_methods(held.factory, held.statement.value, model.qualified_name)
    if opening is None:
        return True
    positional = [*held.method.args.posonlyargs, *held.method.args.args]
    client = f"{positional[0].arg}.{held.attribute}" if positional else held.attribute
    statements = (statement for item in preceding for statement in (item.body if isinstance(item, ast.ExceptHandler) else [item]))
    return any(sends_through(node, client, opening) for statement in statements for node in walk(statement))


def _ends_before(held: _Owned, preceding: list, model) -> bool:
    """Whether a statement before the raise, on its path (not in an ``except`` clause it
    does not lie in), ends ``self.<attribute>``: one of its releases called
    (``self.sock.close()``), ``self.close()`` (a life-cycle method), ``with self.sock:``, or
    the attribute given to what takes over its cleanup (``stack.enter_context(self.sock)``).
    Given to another call it is read (``context.wrap_socket(self.sock)`` wraps it, still held)."""
    positional = [*held.method.args.posonlyargs, *held.method.args.args]
    this = positional[0].arg if positional else None
    for item in preceding:
        statements = item.body if isinstance(item, ast.ExceptHandler) else [item]
        for node in (node for statement in statements for node in _outside_handlers(statement)):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == this):
                continue
            parent = model.parent(node)
            if node.attr in LIFECYCLE_METHODS and isinstance(parent, ast.Call) and parent.func is node:
                return True
            if node.attr != held.attribute or type(node.ctx) is not ast.Load:
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in held.releases:
                return True
            if isinstance(parent, ast.keyword):
                parent = model.parent(parent)
            if isinstance(parent, ast.withitem) or (
                isinstance(parent, ast.Call) and parent.func is not node and last_name(parent.func) in REGISTRATIONS
            ):
                return True
    return False


def _outside_handlers(statement: ast.stmt):
    """The nodes of ``statement`` but those of its ``except`` clauses (another path)."""
    pending = [statement]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.ExceptHandler))


def _may_raise(statement: ast.stmt) -> bool:
    """Whether ``statement`` calls, awaits, subscripts or raises: ``self.ready = True`` cannot."""
    return any(isinstance(node, (ast.Call, ast.Await, ast.Subscript, ast.Raise, ast.Assert)) for node in walk(statement))


def _contains(statement: ast.AST, node: ast.AST) -> bool:
    return any(item is node for item in walk(statement))


def _ends_of_its_own(lineage: list[ast.ClassDef], derived: list[ast.ClassDef]) -> tuple[set[str], set[str]] | None:
    """For a class whose ``lineage`` (itself and its bases, nearest first: see
    ``_family``) defines life-cycle methods: their names, and the attributes of ``self``
    they, or the methods of the lineage they call on ``self``, mention at all
    (``self.session.close()``, ``self.session = None``, ``del self.session``), also in the
    life-cycle methods of the ``derived`` classes. None when a method may end any
    attribute (``getattr(self, name).close()``)."""
    defined = _methods(lineage)
    ends = set(defined) & LIFECYCLE_METHODS
    if not ends:
        return None
    mentioned = _mentioned(defined, ends)
    for kin in derived:
        own = _methods([kin])
        more = None if mentioned is None else _mentioned({**defined, **own}, set(own) & LIFECYCLE_METHODS)
        mentioned = None if more is None else mentioned | more
    return None if mentioned is None else (ends, mentioned)


def _made_unless_given(value: ast.expr | None) -> ast.expr | None:
    """The call of ``Driver(timeout) if driver is None else driver``: what the object makes
    when its caller gave nothing, and then owns (the other branch, a name, is the caller's)."""
    if not isinstance(value, ast.IfExp):
        return value
    made, given = (value.body, value.orelse) if isinstance(value.body, (ast.Call, ast.Await)) else (value.orelse, value.body)
    return made if isinstance(made, (ast.Call, ast.Await)) and isinstance(given, ast.Name) else value


def _methods(lineage: list[ast.ClassDef]) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The methods the classes of ``lineage`` define, by name: the nearest class's wins."""
    return {
        item.name: item
        for owner in reversed(lineage) for item in owner.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _mentioned(defined: dict, ends: set[str]) -> set[str] | None:
    """The attributes of ``self`` the methods ``ends`` of ``defined`` mention, also through the
    methods of ``defined`` they call on ``self``; None when one may end any attribute."""
    mentioned: set[str] = set()
    pending, seen = list(ends), set()
    while pending:
        name = pending.pop()
        if name in seen or name not in defined:
            continue
        seen.add(name)
        method = defined[name]
        positional = [*method.args.posonlyargs, *method.args.args]
        this = positional[0].arg if positional else None
        for node in walk(method):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == this:
                mentioned.add(node.attr)
                pending.append(node.attr)  # ``self._cleanup()``: what it mentions counts too
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "vars"):
                return None  # ``getattr(self, name).close()``: any attribute may be ended
    return mentioned


def _released_before(method: ast.AST, attribute: str, statement: ast.stmt, model) -> bool:
    """Whether ``method`` may end ``self.<attribute>`` before ``statement`` stores a new one
    (see :func:`released_before`)."""
    positional = [*method.args.posonlyargs, *method.args.args]
    this = positional[0].arg if positional else None

    def holds(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Attribute) and node.attr == attribute and isinstance(node.value, ast.Name)
            and node.value.id == this
        )

    return released_before(method, holds, statement, model)


def _releases_local(method: ast.AST, name: str, model) -> bool:
    """Whether ``method`` itself ends what its local ``name`` holds: ``name.close()`` (any
    method but a use), ``shutil.rmtree(name)`` (a path), ``with name:``, or ``return name``."""
    for node in walk(method):
        if isinstance(node, ast.Call) and any(isinstance(arg, ast.Name) and arg.id == name for arg in node.args):
            if model.qualified_name(node.func) in _PATH_REMOVALS:
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if (
                isinstance(receiver, ast.Name) and receiver.id == name and node.func.attr not in USES
                and not called_for_result(node, model.parent)
            ):
                return True
        elif isinstance(node, ast.withitem) and isinstance(node.context_expr, ast.Name):
            if node.context_expr.id == name:
                return True
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id == name:
            return True
    return False


def _hands_over(node: ast.Attribute, parent_of) -> bool:
    """Whether ``self.<name>`` here is released (``self.con.close()``, or any method that may
    release it), managed, handed to a call or given out, rather than used."""
    parent = parent_of(node)
    if isinstance(parent, ast.Attribute):
        call = parent_of(parent)
        # ``self.con.execute(...)`` uses it, as does a method whose result is kept (``ws =
        # self.session.ws_connect(url)``); ``self.con.close`` handed over (finalize, callback) ends it.
        if not (isinstance(call, ast.Call) and call.func is parent):
            return True
        return parent.attr not in USES and not called_for_result(call, parent_of)
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
        return parent.value is node  # another name now holds it
    return isinstance(parent, _HANDED_TO)


# What ends a path resource given it: removes the directory, closes the descriptor, or takes
# it over (``os.fdopen(self.fd)``: the file closes it).
_PATH_REMOVALS = frozenset(removal for path in TEMPORARY_PATHS.values() for removal in (*path.removals, *path.takers))

_HANDED_TO = (
    ast.Call, ast.keyword, ast.withitem, ast.Return, ast.Yield, ast.YieldFrom, ast.Tuple, ast.List, ast.Dict, ast.Set
)
