"""How often the module's functions run: once (set-up), many times, once per instance,
or unknown. The one answer: every rule, the project index's summaries and its answers
for other modules ask it (:meth:`Runs.of`; :meth:`Runs.once` for "once per process as
its callers call it"; :meth:`Runs.one_shot`), and what the module's callers pass a
private function comes from the same walk (:meth:`Runs.passes_fixed`).

The module answers first:

- once: ``main``, a test (``test_*``: a test runs once), a memoized function
  (``functools.cache``/``lru_cache``: once per arguments; what it calls with a value made
  of its arguments runs once per distinct argument, so as often as its own callers call
  it, as if it were not memoized) or one whose decorator says so
  (``run_once``), a command (click, typer, invoke, fabric; a Django management command's
  ``handle``; argparse's ``set_defaults(func=...)`` and ``add_argument(type=...)``'s converters,
  unless the module calls them more often), a function called only at module level (``if __name__ == "__main__":``
  included, but not its loops) or from functions that run once (a method too, called on
  a local the calling function binds only to instances of the module's class: ``api =
  UserCreation(url)``, then ``api.create_users()``), or handed to a runner
  there (``trio.run(main)``, ``gevent.spawn(worker, queue)``), or only from a lazy set-up
  block (``if not hasattr(SETTINGS, "x"):`` that sets ``SETTINGS.x``, or ``if _SOLR is None:``
  that sets a name the function declares ``global``; the project index records such a
  block's calls as it does calls at import time), the ``__init__`` of a class
  the module instantiates only there (and does not subclass, nor make more of in a
  classmethod, ``cls(...)``), or that a framework makes
  once per process (Django's middleware and app configs); every function of a script
  (:func:`~oomlint.python.astutil.is_script`: a command that does its work and ends, in a
  script folder or declared by the project's packaging, ``[project.scripts]``)
  or of a migration, unless the project's other modules run it more often; a web
  application's hook of its life, whatever its name and nesting (``FastAPI(lifespan=lifespan)``,
  ``@app.on_event("startup")``, aiohttp's ``app.on_startup.append(f)``:
  :func:`~oomlint.python.astutil.life_hooks`, :func:`~oomlint.python.astutil.is_life_hook`); a start-up
  hook by its name (``create_app``, ``setup_db``, ``configure``, Django's ``ready``) or by
  what it does (it configures the process's logging: ``logging.basicConfig``), or a
  server's start (it binds a socket and makes it listen, and is no generator that lends
  it to a ``with`` block: :func:`~oomlint.python.astutil.starts_server`), that nothing seen calls (the module,
  then the project): a process runs it when it starts; a function, a view too, that first
  refuses unless a setting says the deployment is a developer's (``if not settings.DEV:
  raise Http404()``, :func:`development_only`): it never runs in production; a command only
  the owner or an administrator may run (``@commands.is_owner()``, ``@botcmd(admin_only=True)``:
  :data:`ADMIN_CHECKS`): a person runs it by hand, a few times;
- many, shown by the module: a request or task handler (a route, view or task
  decorator, a first parameter named ``request``), a Prometheus collector's ``collect``
  (the registry calls it on every scrape: a subclass of the client's ``Collector``, or a
  class whose instance the module registers, ``REGISTRY.register(Exporter())``), a test's set-up (``setUp``,
  ``setup_method``, a function-scoped ``pytest.fixture``), a ``functools.wraps``
  wrapper nested in its decorator (it runs on every call of what it wraps; ``@wraps`` on a
  module-level function only copies a name and a docstring), a function called in a loop, or
  handed to an executor there (``pool.submit(work, item)``: a call of ``work`` per hand-off) (not
  over a literal collection or a ``range`` of constants, nor a retry loop, nor the loop
  of a recursion that comes back to it; at module level, a loop of the ``__main__``
  block: an import-time loop runs a fixed number of rounds), from a lambda or from code
  that runs many times, the ``__init__`` of a class instantiated there;
- per instance: ``__init__`` (``__new__``, ``__post_init__``, attrs' ``__attrs_post_init__``) and a traitlets ``@default``
  (computed when the trait is first read) when the module does not show how many
  instances are made, and what it calls; once for a class made once (a traitlets
  singleton or application is one per process, and ``launch_instance()`` calls an
  application's ``initialize()`` and ``start()`` once; a lazy singleton its own classmethod
  makes, ``if _DEFAULT is None: _DEFAULT = cls(...)``; with the project, one its modules
  make only at import time, and from which no class of the project derives, and a plugin
  its loader makes, :meth:`~oomlint.python.project.ProjectIndex.made_by_loader`, or a
  class with no base handed as a class to a registration, ``plugin.register(Notifier)``, with
  what its constructor makes; not for the release rules, :func:`release_runs`);
- unknown: the rest: a module-level function nothing in the module calls (public API:
  its callers are in other modules), a method (``self.m()`` calls are followed; other
  callers are not seen), a nested function its parent does not call (a callback), one
  handed on as a value or to a decorator that registers it (a route, a hook: not one
  that wraps it) though its calls here run once, or what only such code calls.

A module-level function, a method of a module-level class, or the ``__init__`` of a
module-level class the module does not make, that is unknown here is asked of the
project index when the file is checked in its project
(:meth:`oomlint.python.project.ProjectIndex.frequency`): its callers (the class's, for
``__init__``) in the other modules decide, by the same rules (a call in a loop or from code that runs many times:
many; only at import time, from ``main`` or from set-up: once). One the module runs once
is asked too: the other modules' callers may run it more often. One that no module can
import (a file in a folder whose name is no identifier), never named in its module nor
called by the project, runs once: a person runs it by hand.

Computed once per file on first use (:func:`runs_of`), from the tree, after the walk:
only files where a rule asks pay for it.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Collection
from dataclasses import dataclass

from oomlint.python.astutil import (
    HANDING_NAMES, HANDLER_DECORATORS, FunctionNode, ModuleFacts, builds_own_instance, handed_call, is_life_hook, is_main_guard,
    is_none, is_private, is_registered, is_runner, is_service_loop, last_name, life_hooks, module_facts, name_words,
    starts_server,
)
from oomlint.python.checker import FileContext
from oomlint.python.children import CHILD_FIELDS, child_nodes, walk
from oomlint.python.semantic import SemanticModel, own_bindings

ONCE, MANY, PER_INSTANCE, UNKNOWN = "once", "many", "per instance", "unknown"
CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__", "__attrs_post_init__"})
MEMOIZERS = frozenset({"functools.cache", "functools.lru_cache", "cachetools.cached", "cachetools.func.lru_cache"})
TEST_SET_UPS = frozenset({"setUp", "asyncSetUp", "setup_method"})
FIXTURE = "pytest.fixture"
FIXTURE_REQUESTS = frozenset({"pytest.FixtureRequest", "_pytest.fixtures.FixtureRequest", "_pytest.fixtures.SubRequest"})
WRAPS = "functools.wraps"
# A traitlets application: ``launch_instance()`` makes it once per process (a subcommand's too)
# and calls these of it once.
APPLICATIONS = frozenset({"traitlets.config.Application", "traitlets.config.application.Application"})
APPLICATION_STEPS = frozenset({"initialize", "start"})
# Bases of the classes a framework makes once per process from its configuration:
# Django's middleware (and any class whose ``__init__`` takes ``get_response``) and app configs.
# And traitlets' singletons (an ``Application`` is one): one instance per process.
MADE_ONCE_BY_FRAMEWORK = frozenset(
    {
        "django.utils.deprecation.MiddlewareMixin", "django.apps.AppConfig", "django.apps.config.AppConfig",
        "traitlets.config.SingletonConfigurable", "traitlets.config.configurable.SingletonConfigurable",
        *APPLICATIONS,
    }
)
# traitlets' dynamic default: computed once per instance, when the trait is first read.
ONCE_PER_INSTANCE = frozenset({"traitlets.default", "traitlets.traitlets.default"})
MIDDLEWARE_PARAMETER = "get_response"
# Prometheus custom collectors: the registry calls ``collect()`` on every scrape of the metrics
# endpoint. One is a subclass of the client's ``Collector``, or an instance registered with a
# registry (the default ``REGISTRY``, or a ``CollectorRegistry()`` the module makes).
COLLECTOR_BASES = frozenset({"prometheus_client.registry.Collector"})
REGISTRIES = frozenset(
    {"prometheus_client.REGISTRY", "prometheus_client.core.REGISTRY", "prometheus_client.registry.REGISTRY"}
)
REGISTRY_CLASSES = frozenset(
    {"prometheus_client.CollectorRegistry", "prometheus_client.core.CollectorRegistry",
     "prometheus_client.registry.CollectorRegistry"}
)
SCRAPED = "collect"
REGISTER = "register"
# Settings that say the deployment is a developer's (``settings.DEBUG``, ``settings.DEV``).
DEVELOPMENT_WORDS = frozenset({"debug", "dev", "development"})
REFUSALS = frozenset({"abort", "exit"})
# Checks that let only the application's owner or an administrator run a command, as a
# decorator (discord.py's ``@commands.is_owner()``) or its keyword (errbot's
# ``@botcmd(admin_only=True)``): a person runs it by hand, a few times, not per request.
ADMIN_CHECKS = frozenset({"is_owner", "owner_only", "admin_only", "superuser_required"})
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LITERALS = (ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Constant)
_LOOP_TYPES = frozenset({*_LOOPS, *_COMPREHENSIONS})
_COMPREHENSION_TYPES = frozenset(_COMPREHENSIONS)


@dataclass(frozen=True)
class Frequency:
    kind: str
    """``ONCE``, ``MANY``, ``PER_INSTANCE`` or ``UNKNOWN``."""
    why: str = ""
    """For ``MANY`` and ``PER_INSTANCE``: why, as the end of a sentence ("runs for every instance of 'Job'")."""


@dataclass(eq=False)
class _Site:
    """Where a function or class is called from: ``caller`` None is module level."""

    caller: FunctionNode | ast.Lambda | None
    in_loop: bool
    """In a loop of its function (at module level: of the ``if __name__ == "__main__":`` block)."""
    set_up: bool = False
    """In a lazy set-up block (``if not hasattr(SETTINGS, "x"): ...; SETTINGS.x = ...``)."""
    call: ast.Call | None = None
    """The call, with the arguments it passes; None when a runner is handed the function."""


@dataclass(eq=False)
class _Def:
    node: FunctionNode
    owner: ast.ClassDef | None
    """The class it is a method of."""
    outer: FunctionNode | None
    """The function it is nested in."""


def runs_of(context: FileContext) -> Runs:
    """The file's one :class:`Runs`, shared by every rule that asks, asking the project
    index about the functions only other modules call."""
    project = context.project
    facts = module_facts(context)
    if project is None:
        return context.shared(Runs, lambda: Runs(context.model, context.tree, facts=facts))
    module = project.module_for(context.path)[0]
    return context.shared(Runs, lambda: Runs(context.model, context.tree, project, module, facts))


def release_runs(context: FileContext) -> Runs:
    """The file's :class:`Runs` for the release rules (OOM201, OOM202): a plugin its loader
    makes counts as made per instance. One plugin holds one session for the process
    (OOM203), but what its own code opens and drops is its author's to fix (the fix
    corpus: beets' ``LastGenrePlugin`` opened its genre tree in ``__init__``), and a
    loader may make it again."""
    return runs_of(context).without_plugins()


def caches_instances(context: FileContext, owner: ast.ClassDef | None) -> bool:
    """Whether a memoizing cache on an instance method of ``owner`` (see
    :func:`~oomlint.python.astutil.instance_method_owner`; None: no instance method) keeps
    instances alive that would otherwise go: those of a class made more than once per
    process (:meth:`Runs.instances`; a class nested in a function or another class is
    made anew with it). One made once, at set-up, lives for the process anyway."""
    if owner is None:
        return False
    runs = runs_of(context)
    runs.index()
    return owner not in runs.top_classes or runs.instances(owner).kind != ONCE


class Runs:
    def __init__(
        self, model: SemanticModel, tree: ast.Module, project=None, module: str = "", facts: ModuleFacts | None = None,
        hooks: bool = True,
    ):
        self.model = model
        self.hooks = hooks
        self.plugins = True
        """Whether a plugin its loader makes is made once (:meth:`_loaded`); False for the
        release rules (:func:`release_runs`)."""
        self._plain: Runs | None = None
        """Whether a start-up hook that nothing seen calls runs once (by its name). False for
        the module's answers that the project combines with the callers it sees in other
        modules (:meth:`~oomlint.python.project.ProjectIndex.local_frequency`): there the
        callers decide, and the name only when no module calls it."""
        self.facts = ModuleFacts(tree) if facts is None else facts
        """What the module's top level says: its summary keys, whether it is a script or a
        migration, its start-up hooks and commands (:class:`~oomlint.python.astutil.ModuleFacts`)."""
        self.keys = self.facts.keys
        """Each function's key in the project's summaries (:func:`~oomlint.python.astutil.summary_keys`)."""
        self.tree = tree
        self.script = self.facts.is_script or self.facts.is_migration
        """A command of the project's script folders (:func:`~oomlint.python.astutil.is_script`),
        or a migration (applied once, by a command that ends with it): what it runs, it runs
        once per run, unless other modules run it more often."""
        self.project = project
        """The :class:`~oomlint.python.project.ProjectIndex` asked about the callers in
        other modules (None: the module alone decides)."""
        self.module = module
        """The module's dotted name in the project."""
        self.defs: dict[FunctionNode, _Def] | None = None
        self.sites: dict[FunctionNode | ast.ClassDef, list[_Site]] = {}
        """Where each function and class of the module is called from."""
        self.top_classes: set[ast.ClassDef] = set()
        """The classes defined at module level (outside functions and other classes)."""
        self.looped: set[ast.Call] = set()
        """The calls that run in a loop of their function (a loop body, a comprehension)."""
        self.subclassed: set[str] = set()
        """Names of the module's classes that a class of the module derives from."""
        self.self_built: set[ast.ClassDef] = set()
        """Classes whose methods make more of their own instances (``cls(...)``)."""
        self.memo: dict[FunctionNode, Frequency] = {}
        self._alone: Runs | None = None
        self.life_hooks: set[FunctionNode] = set()
        """The functions the module hands a web application as hooks of its life
        (``FastAPI(lifespan=lifespan)``, ``app.on_startup.append(open_db)``): once per process."""
        self.named: set[str] = set()
        """The names and attributes the module reads other than as a call's callee
        (``Thread(target=worker)``, ``loaders = [self.load]``): a function handed on as a
        value runs whenever its holder calls it."""

    def of(self, function: FunctionNode) -> Frequency:
        """How often ``function``, a function or method of this module, runs."""
        self.index()
        return self._frequency(function, set())

    def once(self, function: ast.AST | None) -> bool:
        """Whether ``function`` runs once per process for where it is called from (import
        time, ``main``, start-up hooks, commands, set-up code, a script or a migration), as
        its module shows it, and the project's other modules run it no more often: what it
        leaks or caches is one run's. Its own marks do not count: a memoized function runs
        once per arguments, a test or a ``run_once`` function as often as its callers call
        it. False for module-level code (None) and lambdas. The module decides first (the
        project's callers are asked only of what it runs once: most rules ask this of many
        functions, and the callers' modules cost a parse each; of what runs once per
        instance, only where the class's constructions are, :meth:`_made_at_import`)."""
        self.index()
        info = self.defs.get(function)
        if info is None:
            return False
        alone = self._module_alone()
        decorators = {self._decorator_name(item): item for item in function.decorator_list}
        if not self._marked_once(function, decorators):
            found = alone.of(function)
            if found.kind == PER_INSTANCE and (self._made_at_import(info.owner) or self._loaded(info.owner)):
                # Once per instance of a class the project makes only at import time (a
                # registry's class made by the modules it registers fills it once per process).
                found = Frequency(ONCE)
        else:
            found = alone._decide(info, {function}, marks=False)
        if found.kind != ONCE:
            return False
        elsewhere = self.elsewhere(function)
        return elsewhere is None or elsewhere.kind not in (MANY, PER_INSTANCE)

    def callers_unseen(self, function: FunctionNode) -> bool:
        """Whether nothing seen calls ``function``, a module-level function or a method of a
        module-level class: no call of it (of its class, for a constructor) in its module or
        the project's other modules, and not handed on as a value. Library API or a method
        called through an instance: its callers are the users' or the index cannot follow
        them, and they may run it per request. Unknown for want of callers, not because the
        callers seen are unknown themselves."""
        self.index()
        info = self.defs.get(function)
        if info is None or info.outer is not None or function.name in self.named:
            return False
        owner = info.owner
        if owner is not None and function.name in CONSTRUCTORS:
            if self.sites.get(owner) or owner not in self.top_classes:
                return False
            return self.project is None or self.project.callers_frequency(self._key(owner.name), elsewhere=self.module) is None
        return not self.sites.get(function) and self.elsewhere(function) is None

    def _made_at_import(self, owner: ast.ClassDef | None) -> bool:
        """Whether every construction the project shows of ``owner`` (a class of the
        module) runs at import time (module level, in any module: a fixed number of
        instances), and no class of the project derives from it (a subclass made per request
        runs its constructor each time). Only the call sites are read, not how often their
        functions run: cheap enough for every question :meth:`once` gets."""
        if self.project is None or owner is None or owner not in self.top_classes:
            return False
        if owner.name in self.subclassed or owner in self.self_built:
            return False
        key = self._key(owner.name)
        sites = self.project.callers(key)
        return bool(sites) and all(caller is None for _, caller, _ in sites) and not self.project.subclasses(key)

    def without_plugins(self) -> Runs:
        """These answers with a plugin its loader makes counted as made per instance: the
        same walk, a memo of its own."""
        if not self.plugins:
            return self
        if self._plain is None:
            self.index()
            self._plain = copy.copy(self)
            self._plain.plugins = False
            self._plain.memo = {}
            self._plain._alone = None
        return self._plain

    def _loaded(self, owner: ast.ClassDef | None) -> bool:
        """Whether ``owner``, a class of the module it never makes, is a plugin the project
        never makes by its name either: its loader makes it, one instance per process
        (:meth:`~oomlint.python.project.ProjectIndex.made_by_loader`)."""
        if not self.plugins or self.project is None or owner is None or owner not in self.top_classes:
            return False
        if self.sites.get(owner) or owner.name in self.subclassed or owner in self.self_built:
            return False
        return self.project.made_by_loader(self._key(owner.name))

    def _registered_plugin(self, owner: ast.ClassDef) -> bool:
        """Whether ``owner``, a class with no base the project never makes by its name, is
        handed as a class to the module's registration (``plugin.register(IFTTTNotifier,
        "ifttt")``, ``register_plugin(Exporter)``): the application's own loader makes it, one
        instance per process, as for a plugin of a ``plugins`` package (:meth:`_loaded`). A
        framework that makes one per request (a view set, a request handler) wants its base."""
        if not self.plugins or self.sites.get(owner) or owner.name in self.subclassed or owner in self.self_built:
            return False
        if owner.keywords or any(not (isinstance(base, ast.Name) and base.id == "object") for base in owner.bases):
            return False
        if self.project is not None and self.project.callers(self._key(owner.name)):
            return False
        return any(
            isinstance(reference.parent, ast.Call) and reference.node in reference.parent.args
            and (last_name(reference.parent.func) or "").startswith(REGISTER)
            for reference in self.model.variable_references(owner.name, self.tree)
        )

    def _module_alone(self) -> Runs:
        """This module's answers without the project's: the same walk, a memo of its own."""
        if self.project is None:
            return self
        if self._alone is None:
            self._alone = copy.copy(self)
            self._alone.project = None
            self._alone.memo = {}
        return self._alone

    def index(self) -> None:
        """Walk the module once: its functions, and where each is called from."""
        if self.defs is None:
            self.defs = {}
            _Indexer(self).walk(self.tree)

    def key(self, function: FunctionNode) -> str | None:
        """``name`` for a module-level function, ``Class.name`` for a method of a
        module-level class (the keys of the project's summaries); None for the rest."""
        return self.keys.get(function)

    def _frequency(self, function: FunctionNode, visiting: set) -> Frequency:
        if function in self.memo:
            return self.memo[function]
        if function in visiting:
            return Frequency(UNKNOWN)  # recursion: the cycle says nothing
        visiting.add(function)
        info = self.defs[function]
        result = self._decide(info, visiting)
        visiting.discard(function)
        self.memo[function] = result
        return result

    def _decide(self, info: _Def, visiting: set, marks: bool = True) -> Frequency:
        """How often, by the first rule that decides; unknown at the end is once for a
        start-up hook or a command (:attr:`~oomlint.python.astutil.ModuleFacts.entry_points`)
        when nothing seen says otherwise. ``marks`` False: the function's own marks
        (memoized, ``run_once``, a test) are left out."""
        found = self._decide_seen(info, visiting, marks)
        if found.kind == UNKNOWN and self.hooks and (info.node in self.facts.entry_points or starts_server(info.node)):
            # ``create_app``, ``setup_db``, a click command, a server's listening socket: once, when it starts.
            return Frequency(ONCE)
        return found

    def _decide_seen(self, info: _Def, visiting: set, marks: bool) -> Frequency:
        function = info.node
        if self.script:
            return self.elsewhere(function) or Frequency(ONCE)
        sites = self.sites.get(function, [])
        decorators = {self._decorator_name(item): item for item in function.decorator_list}
        if marks and self._marked_once(function, decorators):
            return Frequency(ONCE)
        if function in self.facts.commands:
            # A command-line command (an invoke ``@task`` too), Django's ``handle``.
            return Frequency(ONCE)
        if _administrators_only(function):
            return Frequency(ONCE)
        if function in self.life_hooks or is_life_hook(function):
            # A web application's lifespan, start-up or shutdown hook, however it is nested or named.
            return Frequency(ONCE)
        if function in self.facts.subcommands:
            # argparse's ``set_defaults(func=...)``, a converter of ``add_argument(type=...)``:
            # once per run, unless the module also calls it more often.
            here = self._combine(sites, visiting) if sites else Frequency(ONCE)
            return here if here.kind == MANY else Frequency(ONCE)
        if development_only(function):
            return Frequency(ONCE)  # never in production: a developer runs it by hand
        if {(name or "").rpartition(".")[2] for name in decorators} & HANDLER_DECORATORS or _takes_request(info, self.model):
            return Frequency(MANY, "handles every request")
        if function.name in TEST_SET_UPS or _per_test_fixture(decorators.get(FIXTURE)):
            return Frequency(MANY, "runs for every test")
        if info.owner is not None and function.name == SCRAPED and self._scraped(info.owner):
            return Frequency(MANY, "runs on every scrape of the metrics endpoint")
        if WRAPS in decorators and info.outer is not None:  # a decorator's wrapper is nested in it
            return Frequency(MANY, "wraps a function and runs on each of its calls")
        if info.owner is not None and (function.name in CONSTRUCTORS or decorators.keys() & ONCE_PER_INSTANCE):
            return self._instances(info.owner, visiting)
        if info.owner is None and info.outer is None and function.name == "main":
            return Frequency(ONCE)
        if info.owner is not None and function.name in APPLICATION_STEPS and self._launched(info.owner):
            # A traitlets application's ``start()``: once, unless the module calls it more often.
            here = self._combine(sites, visiting) if sites else Frequency(ONCE)
            return here if here.kind == MANY else Frequency(ONCE)
        if sites:
            here = self._combine(sites, visiting)
            if here.kind != ONCE:
                return here
            if function.name in self.named or is_registered(function):
                # Also handed on as a value, or to a decorator that registers it (a route, a
                # signal, a hook; not one that wraps it): its holder's calls are not seen.
                return Frequency(UNKNOWN)
            # Once as this module shows it: unless the other modules call it more often.
            return self.elsewhere(function) or here
        key = self.key(function) if self.project is not None else None
        if key is None:
            return Frequency(UNKNOWN)
        if self._by_hand(info) and self.elsewhere(function) is None:
            return Frequency(ONCE)
        if not marks:  # the project's answer for its own module counts the marks: its callers alone
            return self.elsewhere(function) or Frequency(UNKNOWN)
        return Frequency(*self.project.frequency(self._key(key), loaders=self.plugins))

    def _by_hand(self, info: _Def) -> bool:
        """A module-level function, undecorated and never named in its module, of a file
        that no module can import (a folder or file name that is no identifier:
        ``.claude/skills/filter-benchmark/``, ``dev-tool.py``): only a person runs it, by
        hand (a developer's shell, a tool), once per run, unless the project calls it."""
        function = info.node
        return (
            info.owner is None and info.outer is None and not function.decorator_list
            and function.name not in self.named
            and not all(part.isidentifier() for part in self.module.split("."))
        )

    def elsewhere(self, function: FunctionNode) -> Frequency | None:
        """How often the project's other modules run ``function`` (a module-level function
        or a method of a module-level class); None when none calls it or there is no project."""
        self.index()
        key = self.key(function) if self.project is not None else None
        if key is None:
            return None
        found = self.project.callers_frequency(self._key(key), elsewhere=self.module, loaders=self.plugins)
        return Frequency(*found) if found is not None else None

    def one_shot(self, function: FunctionNode) -> bool:
        """Whether ``function`` runs once for where it is called from (import time, ``main``,
        start-up code; with the project, in every module that calls it): a failure there
        ends the process. Not a function that is memoized (run again after a failure) or a test."""
        self.index()
        decorators = {self._decorator_name(item): item for item in function.decorator_list}
        return not self._marked_once(function, decorators) and self.of(function).kind == ONCE

    def passes_fixed(self, function: FunctionNode, parameter: str) -> bool:
        """Whether every call of a private function (or ``self._method``) in the module
        passes a value fixed in the source for ``parameter``
        (:meth:`~oomlint.python.astutil.ModuleFacts.is_fixed`), or nothing (its default);
        not one also handed on as a value, whose holder's calls are not seen."""
        self.index()
        sites = self.sites.get(function)
        if not sites or not is_private(function.name) or function.name in self.named:
            return False
        positional = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
        if self.defs[function].owner is not None and "staticmethod" not in self._decorator_names(function):
            positional = positional[1:]  # ``self``/``cls``
        for site in sites:
            call = site.call
            if call is None or any(isinstance(arg, ast.Starred) for arg in call.args):
                return False
            if any(item.arg is None for item in call.keywords):
                return False
            passed = {item.arg: item.value for item in call.keywords}
            passed.update(zip(positional, call.args))
            if parameter in passed and not self.facts.is_fixed(passed[parameter]):
                return False
        return True

    @staticmethod
    def _marked_once(function: FunctionNode, decorators: dict) -> bool:
        """Once by its own marks: memoized (once per arguments), decorated ``run_once``, a test."""
        return bool(decorators.keys() & MEMOIZERS) or any("once" in (name or "").lower() for name in decorators) or (
            function.name.startswith("test")
        )

    def instances(self, owner: ast.ClassDef) -> Frequency:
        """How many instances of ``owner``, a class of this module, are made: ``ONCE`` for
        one (at set-up, or by a framework once per process), as for its ``__init__``."""
        self.index()
        return self._instances(owner, set())

    def _instances(self, owner: ast.ClassDef, visiting: set) -> Frequency:
        """``__init__``: once only for a class made once, at set-up, and never subclassed here.
        Where the module does not make the class, the project's other modules say."""
        why = f"runs for every instance of '{owner.name}'"
        sites = self.sites.get(owner, [])
        if self.script or self._made_once_by_framework(owner):
            return Frequency(ONCE)
        if sites:
            frequency = self._combine(sites, visiting)
            if frequency.kind == ONCE and self.project is not None and owner in self.top_classes:
                # Once as this module shows it (at import, under ``__main__``, at set-up):
                # unless the project's other modules are seen to make it more often (code
                # whose callers the index cannot place does not outweigh what the module shows).
                found = self.project.callers_frequency(self._key(owner.name), elsewhere=self.module, loaders=self.plugins)
                if found is not None and found[0] in (MANY, PER_INSTANCE):
                    frequency = Frequency(*found)
        elif self.project is not None and owner in self.top_classes:
            frequency = Frequency(*self.project.frequency(self._key(owner.name), loaders=self.plugins))
            if frequency.kind == UNKNOWN and (self._loaded(owner) or self._registered_plugin(owner)):
                frequency = Frequency(ONCE)
        else:
            frequency = Frequency(UNKNOWN)
        if frequency.kind == MANY:
            return Frequency(MANY, f"{why}, and '{owner.name}' {frequency.why}")
        if frequency.kind == ONCE and owner.name not in self.subclassed and owner not in self.self_built and not (
            self.project is not None and owner in self.top_classes and self.project.subclasses(self._key(owner.name))
        ):
            return frequency
        return Frequency(PER_INSTANCE, why)

    def _key(self, name: str) -> str:
        """The project's name of the module's ``name``."""
        return f"{self.module}.{name}" if self.module else name

    def _scraped(self, owner: ast.ClassDef) -> bool:
        """A Prometheus collector: derived from the client's ``Collector``, or an instance the
        module registers (``REGISTRY.register(Exporter())``, also through a name bound to it)."""
        if any(self.model.qualified_name(base) in COLLECTOR_BASES for base in owner.bases):
            return True
        for site in self.sites.get(owner, []):
            made = site.call
            parent = self.model.parent(made) if made is not None else None
            if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
                # ``collector = Exporter()`` then ``REGISTRY.register(collector)`` in the same block
                name = parent.targets[0].id
                block = self.model.block(parent)
                later = block[block.index(parent) + 1:] if parent in block else []
                uses = [
                    node for statement in later for node in ast.walk(statement)
                    if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
                ]
            else:
                uses = [made]
            if any(self._registers(self.model.parent(use), use) for use in uses):
                return True
        return False

    def _registers(self, call: ast.AST | None, collector: ast.AST) -> bool:
        """``call`` is ``registry.register(collector)`` of a Prometheus registry."""
        if not (isinstance(call, ast.Call) and call.args and call.args[0] is collector):
            return False
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "register"):
            return False
        if self.model.qualified_name(func.value) in REGISTRIES:
            return True
        made = self._assigned_before(func.value) or self.model.resolve(func.value)
        return isinstance(made, ast.Call) and self.model.qualified_name(made.func) in REGISTRY_CLASSES

    def _assigned_before(self, name: ast.expr) -> ast.expr | None:
        """What an earlier statement of ``name``'s block assigned to it (the walk is over: the
        model resolves names of the module's scope only)."""
        statement = self.model.statement(name)
        if not isinstance(name, ast.Name) or statement is None:
            return None
        block = self.model.block(statement)
        for earlier in reversed(block[:block.index(statement)] if statement in block else []):
            if isinstance(earlier, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == name.id for target in earlier.targets
            ):
                return earlier.value
        return None

    def _launched(self, owner: ast.ClassDef) -> bool:
        """Whether ``owner`` is a traitlets ``Application``, which ``launch_instance()`` makes."""
        return any(self.model.qualified_name(base) in APPLICATIONS for base in owner.bases)

    def _made_once_by_framework(self, owner: ast.ClassDef) -> bool:
        if any(self.model.qualified_name(base) in MADE_ONCE_BY_FRAMEWORK for base in owner.bases):
            return True
        init = next((item for item in owner.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
        positional = [*init.args.posonlyargs, *init.args.args] if init is not None else []
        return len(positional) == 2 and positional[1].arg == MIDDLEWARE_PARAMETER

    def _combine(self, sites: list[_Site], visiting: set) -> Frequency:
        """Many if any caller shows it, else per instance, else unknown, else once."""
        found = {}
        for site in sites:
            caller = site.caller
            if caller is None and site.in_loop:
                frequency = Frequency(MANY, "is called in the service loop of the module's '__main__' block")
            elif caller is None:
                frequency = Frequency(ONCE)
            elif isinstance(caller, ast.Lambda):
                frequency = Frequency(MANY, "is called from a lambda")
            elif site.in_loop and caller in visiting:
                frequency = Frequency(UNKNOWN)  # a loop of a recursion: as many rounds as the data has levels
            elif site.in_loop:
                frequency = Frequency(MANY, f"is called in a loop in '{caller.name}'")
            elif site.set_up:
                frequency = Frequency(ONCE)
            else:
                frequency = self._frequency(caller, visiting)
                if frequency.kind == ONCE and site.call is not None and self._per_argument(caller, site.call):
                    # A memoized function runs once per distinct argument: what it calls with
                    # them runs as often as its callers give new ones.
                    frequency = self._unmarked(caller, visiting)
                if frequency.kind in (MANY, PER_INSTANCE):
                    frequency = Frequency(frequency.kind, f"is called from '{caller.name}', which {frequency.why}")
            found.setdefault(frequency.kind, frequency)
        return next(found[kind] for kind in (MANY, PER_INSTANCE, UNKNOWN, ONCE) if kind in found)

    def _per_argument(self, caller: FunctionNode, call: ast.Call) -> bool:
        """``call``, in ``caller``, a memoized function (``lru_cache``, ``functools.cache``),
        passes a value made of its parameters (``segment = evidence.segment``, then
        ``tokens(segment)``): the call runs once per distinct argument of ``caller``."""
        decorators = {self._decorator_name(item) for item in caller.decorator_list}
        if not decorators & MEMOIZERS:
            return False
        arguments = caller.args
        derived = {arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)} - {"self", "cls"}
        if not derived:
            return False
        assignments = [
            node for node in ast.walk(caller)
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ]
        for _ in range(2):  # a name assigned from one made of a parameter, two deep
            derived |= {
                node.targets[0].id for node in assignments
                if any(isinstance(name, ast.Name) and name.id in derived for name in ast.walk(node.value))
            }
        given = [*call.args, *(item.value for item in call.keywords)]
        return any(isinstance(name, ast.Name) and name.id in derived for value in given for name in ast.walk(value))

    def _unmarked(self, function: FunctionNode, visiting: set) -> Frequency:
        """How often ``function`` runs as its callers call it, its own marks left out."""
        if function in visiting:
            return Frequency(UNKNOWN)
        visiting.add(function)
        found = self._decide(self.defs[function], visiting, marks=False)
        visiting.discard(function)
        return found

    def _decorator_names(self, function: FunctionNode) -> set[str | None]:
        return {last_name(item.func if isinstance(item, ast.Call) else item) for item in function.decorator_list}

    def _decorator_name(self, decorator: ast.expr) -> str | None:
        """The qualified name (module-level imports), else the dotted text (``app.route``)."""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = self.model.qualified_name(target)
        if name is not None:
            return name
        parts = []
        while isinstance(target, ast.Attribute):
            parts.append(target.attr)
            target = target.value
        if isinstance(target, ast.Name):
            parts.append(target.id)
        return ".".join(reversed(parts)) or None


def development_only(function: FunctionNode) -> bool:
    """Whether ``function`` first refuses unless a setting says the deployment is a
    developer's: ``if not settings.DEV: raise Http404()`` (or ``return``, ``abort(404)``),
    WebODM's translation reloader. It never runs in production, where leaks would add up."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    first = body[0] if body else None
    if not (isinstance(first, ast.If) and isinstance(first.test, ast.UnaryOp) and isinstance(first.test.op, ast.Not)):
        return False
    setting = first.test.operand
    if not (isinstance(setting, (ast.Name, ast.Attribute)) and DEVELOPMENT_WORDS & set(name_words(last_name(setting)))):
        return False
    last = first.body[-1]
    return isinstance(last, (ast.Raise, ast.Return)) or (
        isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and last_name(last.value.func) in REFUSALS
    )


def _administrators_only(function: FunctionNode) -> bool:
    """Whether a decorator lets only the owner or an administrator run ``function``
    (:data:`ADMIN_CHECKS`): ``@commands.is_owner()``, ``@botcmd(admin_only=True)``."""
    for item in function.decorator_list:
        called = item.func if isinstance(item, ast.Call) else item
        if last_name(called) in ADMIN_CHECKS:
            return True
        keywords = item.keywords if isinstance(item, ast.Call) else ()
        if any(keyword.arg in ADMIN_CHECKS and _is_true(keyword.value) for keyword in keywords):
            return True
    return False


def _is_true(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


def tested_name(node: ast.If) -> ast.Name | None:
    """The name ``if not NAME:`` or ``if NAME is None:`` tests; None for any other test."""
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand if isinstance(test.operand, ast.Name) else None
    if (
        isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is) and is_none(test.comparators[0])
    ):
        return test.left
    return None


def lazy_set_up(node: ast.If, global_names: Collection[str] = frozenset()) -> bool:
    """``if not hasattr(SETTINGS, "resolver"):`` (or ``if Cache.table is None:``, ``if not
    Cache.table:``) whose body sets that attribute: the body runs once for the object, not
    on every call (``self``'s: once per instance, not counted). Or ``if _SOLR is None:``
    (``if not _SOLR:``) on a module-level name the function declares ``global`` and the
    body binds: a lazy singleton, made once per process."""
    test = node.test
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    operand = test.operand if negated else None
    tested = tested_name(node)
    if tested is not None and tested.id in global_names:
        return any(
            isinstance(item, ast.Name) and isinstance(item.ctx, ast.Store) and item.id == tested.id
            for statement in node.body
            for item in ast.walk(statement)
        )
    if negated and isinstance(operand, ast.Call) and last_name(operand.func) == "hasattr" and len(operand.args) == 2:
        holder, name = operand.args
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            return False
        target = (ast.dump(holder), name.value)
    elif negated and isinstance(operand, ast.Attribute):
        target = (ast.dump(operand.value), operand.attr)
    elif (
        isinstance(test, ast.Compare) and isinstance(test.left, ast.Attribute) and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is) and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None
    ):
        target = (ast.dump(test.left.value), test.left.attr)
    else:
        return False
    if target[0] == ast.dump(ast.Name("self", ast.Load())):
        return False
    return any(
        isinstance(item, ast.Attribute) and isinstance(item.ctx, ast.Store) and (ast.dump(item.value), item.attr) == target
        for statement in node.body
        for item in ast.walk(statement)
    )


def _per_test_fixture(decorator: ast.expr | None) -> bool:
    """``@pytest.fixture`` with the default (function) scope."""
    if decorator is None:
        return False
    scope = next((item.value for item in getattr(decorator, "keywords", ()) if item.arg == "scope"), None)
    return scope is None or (isinstance(scope, ast.Constant) and scope.value == "function")


def _takes_request(info: _Def, model: SemanticModel) -> bool:
    """A view: ``def view(request, ...)``, or ``def get(self, request, ...)`` on a class;
    not a pytest fixture's ``request`` (annotated ``pytest.FixtureRequest``)."""
    positional = [*info.node.args.posonlyargs, *info.node.args.args]
    index = 1 if info.owner is not None else 0
    if len(positional) <= index or positional[index].arg != "request":
        return False
    annotation = positional[index].annotation
    return annotation is None or model.qualified_name(annotation) not in FIXTURE_REQUESTS


class _Indexer:
    """One walk over the module: every function with its class and parent function, and
    where each function and class of the module is called from."""

    def __init__(self, runs: Runs):
        self.runs = runs
        self.module_bindings = runs.model.module_scope.bindings
        self._made: dict[FunctionNode, dict[str, str | None]] = {}

    def walk(self, module: ast.Module) -> None:
        """Iterative: generated code nests deeper than the recursion limit allows outside
        the engine's walk. The order does not matter: a function is noted before its body.
        Each entry: the node, the functions it is in, its class, whether it repeats (in a
        loop), whether it is in a lazy set-up block, whether it is in the module's
        ``if __name__ == "__main__":`` block. There a loop that serves (one that only the
        process's end stops: ``while True:`` with no ``break``) repeats what it calls; the
        others (over the arguments, a poll that ends) are one run of a command, as a loop
        at import time runs a fixed number of rounds."""
        # Each entry: a node and its context ``(frames, owner, in_loop, set_up, main)``, one
        # tuple shared by the nodes that have the same (most nodes pass theirs on as it is).
        # Constants hold nothing: never pushed.
        stack = [(node, ((), None, False, False, False)) for node in module.body]
        append = stack.append

        def push(children, frames, owner, in_loop, set_up, main=False):
            context = (frames, owner, in_loop, set_up, main)
            stack.extend((child, context) for child in children if child is not None)

        while stack:
            node, context = stack.pop()
            node_type = type(node)
            if node_type is ast.Name:
                if type(node.ctx) is ast.Load and (context[0] or not self._before_def(node)):
                    self.runs.named.add(node.id)
                continue
            frames, owner, in_loop, set_up, main = context
            if node_type is ast.FunctionDef or node_type is ast.AsyncFunctionDef:
                caller = frames[-1].function if frames else None
                self.runs.defs[node] = _Def(node, owner, caller if not isinstance(caller, ast.Lambda) else None)
                push([*node.decorator_list, *node.args.defaults, *node.args.kw_defaults], frames, None, in_loop, set_up, main)
                push(node.body, (*frames, _Frame(node)), None, False, False)
            elif node_type is ast.Lambda:
                push([node.body], (*frames, _Frame(node)), None, False, False)
            elif node_type is ast.ClassDef:
                push([*node.decorator_list, *node.bases, *node.keywords], frames, None, in_loop, set_up, main)
                self.runs.subclassed.update(base.id for base in node.bases if isinstance(base, ast.Name))
                if not frames and owner is None:
                    self.runs.top_classes.add(node)
                push(node.body, frames, node, in_loop, set_up, main)
            elif not frames and node_type is ast.If and is_main_guard(node):
                push([node.test, *node.orelse], frames, owner, in_loop, set_up, main)
                push(node.body, frames, owner, in_loop, set_up, True)
            elif not frames and main and node_type is ast.While and is_service_loop(node):
                push(child_nodes(node), frames, owner, True, set_up, main)
            elif frames and node_type in _LOOP_TYPES and not bounded_loop(node, self.module_bindings):
                # The loop's own header runs once (a comprehension's first iterable too); its
                # body (and a comprehension's element, conditions and other loops) repeats.
                if node_type in _COMPREHENSION_TYPES:
                    first, *rest = node.generators
                    head, repeated = [first.iter], [first.target, *first.ifs, *rest, *_results(node)]
                else:
                    head = [node.iter] if node_type is not ast.While else []
                    repeated = [child for child in child_nodes(node) if child not in head]
                push(head, frames, owner, in_loop, set_up, main)
                push(repeated, frames, owner, True, set_up, main)
            elif frames and node_type is ast.If and lazy_set_up(node, frames[-1].global_names):
                push([node.test, *node.orelse], frames, owner, in_loop, set_up)
                push(node.body, frames, owner, in_loop, True)
            elif node_type is ast.Call:
                handed = self.call(node, frames, in_loop, set_up)
                callee = node.func
                if isinstance(callee, (ast.Name, ast.Attribute)):  # called, not handed on
                    push([callee.value] if isinstance(callee, ast.Attribute) else [], frames, owner, in_loop, set_up, main)
                    push([item for item in node.args if item is not handed], frames, owner, in_loop, set_up, main)
                    push(node.keywords, frames, owner, in_loop, set_up, main)
                else:
                    push(child_nodes(node), frames, owner, in_loop, set_up, main)
            else:
                if node_type is ast.Attribute and _own_attribute(node):
                    self.runs.named.add(node.attr)
                # The generic descent, inlined: most nodes pass their context on as it is.
                for name in CHILD_FIELDS[node_type]:
                    value = getattr(node, name)
                    if type(value) is list:
                        for item in value:
                            if item is not None and type(item) is not ast.Constant:
                                append((item, context))
                    elif value is not None and type(value) is not ast.Constant:
                        append((value, context))

    def call(self, node: ast.Call, frames: tuple[_Frame, ...], in_loop: bool, set_up: bool = False) -> ast.Name | None:
        """Note where ``node`` calls a function or class of the module. Returns the name of
        a function handed to a runner that calls it once (``trio.run(main)``,
        ``loop.run_until_complete(serve)``): a call of it, not a value handed on."""
        func = node.func
        caller = frames[-1].function if frames else None
        site = _Site(caller, in_loop, set_up, node)
        if in_loop:
            self.runs.looped.add(node)
        target = handed = None
        if isinstance(func, ast.Name):
            target = self.resolve(func.id, frames)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and frames:
            target = _method_of(frames[-1].function, func.value.id, func.attr, self.runs.defs) or self.instance_method(
                func.value.id, func.attr, frames
            )
        if target is None and node.args and isinstance(node.args[0], ast.Name) and is_runner(func):
            target = self.resolve(node.args[0].id, frames)
            handed = node.args[0] if target is not None else None
            site.call = None
        elif target is None and last_name(func) in HANDING_NAMES:
            # ``pool.submit(work, item)``, ``loop.run_in_executor(None, work, item)``: one call of
            # ``work`` per hand-off, where the hand-off runs (miniwdl's task runner, submitted in a loop).
            given = handed_call(self.runs.model, node)
            if given is not None and isinstance(given.func, ast.Name):
                target = self.resolve(given.func.id, frames)
            elif given is not None and isinstance(given.func, ast.Attribute) and isinstance(given.func.value, ast.Name) and frames:
                target = _method_of(frames[-1].function, given.func.value.id, given.func.attr, self.runs.defs)
            if target is not None:
                handed, site.call = given.func, given
        if target is not None:
            self.runs.sites.setdefault(target, []).append(site)
        for name in life_hooks(node):
            hook = self.resolve(name.id, frames)
            if hook is not None and not isinstance(hook, ast.ClassDef):
                self.runs.life_hooks.add(hook)
        if frames and builds_own_instance(func, frames[-1].function):
            info = self.runs.defs.get(frames[-1].function)
            if info is not None and info.owner is not None:
                if set_up and isinstance(func, ast.Name):
                    # ``if _DEFAULT is None: _DEFAULT = cls(...)`` in a classmethod (the name
                    # declared ``global``): the class's lazy singleton, one construction.
                    self.runs.sites.setdefault(info.owner, []).append(site)
                else:
                    self.runs.self_built.add(info.owner)
        return handed

    def instance_method(self, receiver: str, name: str, frames: tuple[_Frame, ...]) -> FunctionNode | None:
        """``api.create_users()`` in a function that binds ``api`` only to instances of one
        class of the module (``api = UserCreation(url)``): that class's method, called as
        often as the function runs (a script's ``main()`` running its steps once)."""
        frame = frames[-1]
        function = frame.function
        if receiver not in frame.local_names or isinstance(function, ast.Lambda):
            return None
        arguments = function.args
        if receiver in {item.arg for item in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}:
            return None
        made = self._made_locals(function).get(receiver)
        if made is None:
            return None  # also a parameter, a loop's target, another class's instance
        owner = self.resolve(made, frames)
        if not isinstance(owner, ast.ClassDef):
            return None
        return next(
            (item for item in owner.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == name),
            None,
        )

    def _made_locals(self, function: FunctionNode) -> dict[str, str | None]:
        """Per name ``function`` stores: the one callee that every store of it calls
        (``api = UserCreation(url)``), None when another store does anything else. One walk
        per function, not one per method call in it."""
        made = self._made.get(function)
        if made is None:
            made, callee_of = {}, {}
            # Breadth first, a parent before its children: an ``Assign`` before its target. The
            # engine's table of child fields, not ``ast.walk``: this walks every function asked of.
            for node in walk(function):
                if (
                    isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                ):
                    callee_of[node.targets[0]] = node.value.func.id
                elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    callee = callee_of.get(node)
                    made[node.id] = callee if made.get(node.id, callee) == callee else None
            self._made[function] = made
        return made

    def _before_def(self, node: ast.Name) -> bool:
        """A module-level read of a name above the module's ``def`` of it names what it
        was bound to then (an import the ``def`` shadows: ``dump.DumpMaster``), not the function."""
        binding = self.module_bindings.get(node.id)
        return binding is not None and binding.kind in ("def", "class") and node.lineno < binding.node.lineno

    def resolve(self, name: str, frames: tuple[_Frame, ...]) -> FunctionNode | ast.ClassDef | None:
        """The function or class of this module that ``name`` calls, seen from ``frames``."""
        for frame in reversed(frames):
            if name in frame.local_defs:
                return frame.local_defs[name]
            if name in frame.local_names:
                return None
        binding = self.module_bindings.get(name)
        if binding is not None and binding.kind in ("def", "class"):
            return binding.node
        return None


class _Frame:
    """A function being walked, with the names it binds (a local shadows the module's),
    as the semantic model finds them (:func:`~oomlint.python.semantic.own_bindings`)."""

    def __init__(self, function: FunctionNode | ast.Lambda):
        self.function = function
        bindings = own_bindings(function)
        self.local_defs: dict[str, FunctionNode] = bindings.functions
        self.local_names: frozenset[str] = bindings.names
        self.global_names: frozenset[str] = bindings.globals


def _method_of(caller, receiver: str, name: str, defs: dict[FunctionNode, _Def]) -> FunctionNode | None:
    """``self.m()``/``cls.m()`` in a method: the method ``m`` of the same class."""
    info = defs.get(caller) if not isinstance(caller, ast.Lambda) else None
    if info is None or info.owner is None or receiver not in ("self", "cls"):
        return None
    for statement in info.owner.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name:
            return statement
    return None


def _results(node: ast.AST) -> list[ast.expr]:
    """What a comprehension makes for each round: its element, or a dict's key and value."""
    return [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]


def _own_attribute(node: ast.AST) -> bool:
    """``self.load`` or ``cls.load`` read (a method handed on when not called)."""
    return (
        isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)
        and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
    )


def bounded_loop(node: ast.AST, module_bindings) -> bool:
    """A loop over a literal collection, or a module-level name bound to one (``for name in
    ("a", "b")``, ``for name in LOGGERS``), or over a ``range`` of constants (``for _ in
    range(3)``): a fixed number of rounds, each on its own item. Or a retry loop, whose body
    ends in ``break``/``return``: it completes once."""
    if isinstance(node, _LOOPS) and isinstance(node.body[-1], (ast.Break, ast.Return, ast.Raise)):
        return True
    iterables = [node.iter] if isinstance(node, (ast.For, ast.AsyncFor)) else []
    if isinstance(node, _COMPREHENSIONS):
        iterables = [generator.iter for generator in node.generators]
    if not iterables:
        return False  # ``while``
    return all(_fixed_collection(iterable, module_bindings) for iterable in iterables)


def _fixed_collection(iterable: ast.expr, module_bindings) -> bool:
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and not iterable.args:
        iterable = iterable.func.value  # ``.items()``, ``.keys()``, ``.values()``
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range":
        return "range" not in module_bindings and not iterable.keywords and all(
            _fixed_value(item, module_bindings) for item in iterable.args
        )
    return isinstance(_module_value(iterable, module_bindings), _LITERALS)


def _fixed_value(expr: ast.expr, module_bindings) -> bool:
    """A number written in the source, or a module-level name bound to one (``RETRIES``)."""
    value = _module_value(expr, module_bindings)
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        value = value.operand
    return isinstance(value, ast.Constant) and isinstance(value.value, int)


def _module_value(expr: ast.expr, module_bindings) -> ast.expr:
    """What a module-level name is assigned (itself for anything else)."""
    if isinstance(expr, ast.Name):
        binding = module_bindings.get(expr.id)
        if binding is not None and binding.kind == "assign":
            return binding.value
    return expr
