"""The semantic model shared by all rules: scopes, bindings and qualified names.

The engine's walker keeps it up to date as it goes, pyflakes-style: module and class
bodies are walked in order, function bodies are deferred until the enclosing module
has been walked, so a function sees every module-level import and assignment, as it
would at run time. Initializers (``__init__``...) run first among them, so every
method sees the ``self.<attr>`` assignments they make. Rules ask the model; they never track imports themselves.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from oomlint.python.children import PARENTED_FIELDS, child_nodes
from oomlint.python.parsing import parse

BUILTIN_NAMES = frozenset(dir(builtins))
TRY_STATEMENTS = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)
"""``try`` and, from Python 3.11, ``try``/``except*``."""
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)
_NESTED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})
_TERMINATORS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
ANNOTATION_WRAPPERS = frozenset(
    f"{module}.{name}" for module in ("typing", "typing_extensions") for name in ("Optional", "Union", "Annotated")
)
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
SEQUENCES = frozenset(
    {"builtins.list", "builtins.tuple", "builtins.set", "typing.List", "typing.Tuple", "typing.Sequence",
     "typing.Iterable", "collections.abc.Sequence", "collections.abc.Iterable"}
)
ISINSTANCE = "builtins.isinstance"
LOGGING_MODULES = frozenset({"logging", "logging.root"})
LOGGER_FACTORIES = frozenset({"logging.getLogger", "logging.LoggerAdapter", "logging.Logger"})
# A logger's methods that log a record (``logger.info(...)``, ``logging.error(...)``).
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
_RESOLVE_DEPTH = 8
# ``six.moves`` (also vendored as ``django.utils.six.moves``) names standard modules by
# their Python 2 names: ``http_client`` is ``http.client``. The others keep their name.
SIX_MOVES_PREFIXES = ("six.moves.", "django.utils.six.moves.")
SIX_MOVES = {
    "http_client": "http.client", "http_cookiejar": "http.cookiejar", "http_cookies": "http.cookies",
    "html_parser": "html.parser", "html_entities": "html.entities", "urllib_parse": "urllib.parse",
    "urllib_error": "urllib.error", "urllib_robotparser": "urllib.robotparser", "xmlrpc_client": "xmlrpc.client",
    "xmlrpc_server": "xmlrpc.server", "BaseHTTPServer": "http.server", "SimpleHTTPServer": "http.server",
    "CGIHTTPServer": "http.server", "cPickle": "pickle", "StringIO": "io.StringIO", "cStringIO": "io.StringIO",
    "reduce": "functools.reduce", "getcwd": "os.getcwd", "shlex_quote": "shlex.quote",
}
INITIALIZERS = frozenset({"__init__", "__new__", "__post_init__", "setUp", "setup", "__enter__", "__aenter__"})
"""Methods that set an object up before its other methods run."""

# What a reference does with the value it reads (:attr:`Reference.role`), from the node that holds it.
ARGUMENT = "argument"  # f(name), f(key=name), f(*name)
CALLED = "called"  # name(...)
ATTRIBUTE = "attribute"  # name.attr read (a method call's receiver too)
ATTRIBUTE_TARGET = "attribute target"  # name.attr = value, del name.attr, name.attr += value
SUBSCRIPT = "subscript"  # name[key] read
ITEM_TARGET = "item target"  # name[key] = value, del name[key]
RETURN = "return"
YIELD = "yield"  # yield name, yield from name
AWAITED = "awaited"
ALIAS = "alias"  # other = name, a, b = name, (other := name)
ATTRIBUTE_STORE = "attribute store"  # obj.attr = name
ITEM_STORE = "item store"  # obj[key] = name
CONTAINER = "container"  # [name], (name,), {name}, {key: name}, {name: value}
DEFAULT = "default"  # def f(p=name)
ITERATED = "iterated"  # for _ in name, [_ for _ in name]
CONTEXT = "context"  # with name:
TEST = "test"  # if name:, while name:, name and other, not name, assert name
COMPARED = "compared"  # name is None, name == other
RAISED = "raised"
DELETED = "deleted"  # del name
AUGMENTED = "augmented"  # name += value: read, then bound again
OTHER = "other"  # an operand, an f-string's hole, a key or an index...


@dataclass(eq=False)
class Binding:
    """What a name is bound to in one scope."""

    kind: str
    """``import``, ``assign``, ``with``, ``def``, ``class``, ``param``, ``global`` or ``other``."""
    node: ast.AST
    value: ast.expr | None = None
    """The assigned expression, for a plain one-target assignment (or ``with ... as``)."""
    qualname: str | None = None
    """For imports: the fully qualified name the binding stands for."""
    scope: Scope | None = None
    """The scope it binds the name in (set when bound)."""
    name: str = ""
    """The name it binds (set when bound)."""


@dataclass(eq=False, slots=True)
class Reference:
    """One use of a binding's value (pyflakes' and ruff's references): a load of its name,
    ``del`` of it, or ``name += ...``."""

    node: ast.Name
    parent: ast.AST
    """The node that holds it."""
    grandparent: ast.AST | None
    statement: ast.stmt | None
    """The innermost statement that holds it (None in a lambda's or comprehension's own scope)."""
    nested: bool
    """In a function, lambda, class or comprehension nested in the binding's scope (a closure's use)."""

    @property
    def role(self) -> str:
        """What the use does with the value: :data:`ARGUMENT`, :data:`RETURN`, :data:`ALIAS`... (see the constants)."""
        return _role(self.node, self.parent, self.grandparent)


@dataclass(eq=False, slots=True)
class AttributeStore:
    """``self.<attr> = value`` (or any store to it: ``+=``, a ``for`` or ``with`` target) in a method."""

    method: ast.FunctionDef | ast.AsyncFunctionDef
    target: ast.Attribute
    statement: ast.stmt
    value: ast.expr | None
    """What is stored, when the statement stores one value there (``self.a = self.b = v``
    included; not ``+=``, unpacking, ``for`` or ``with``)."""


@dataclass(eq=False)
class Scope:
    kind: str
    """``module``, ``class``, ``function``, ``lambda`` or ``comprehension``."""
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, Binding] = field(default_factory=dict)
    """Each name's binding as the scope ends (at run time, what a later call sees)."""
    earlier: dict[str, list[Binding]] = field(default_factory=dict)
    """For names bound more than once: their bindings before the last, in source order."""
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    """Names a function declares ``nonlocal``: they are the enclosing function's variables."""

    def enclosing_class(self) -> Scope | None:
        """The class scope of a method's function scope (the class it is defined in)."""
        if self.kind == "function" and self.parent is not None and self.parent.kind == "class":
            return self.parent
        return None


class SemanticModel:
    """Per-file model; created for one file and dropped with it."""

    def __init__(self, module: ast.Module):
        self.module_scope = Scope("module", module, None)
        self.scope = self.module_scope
        self._scopes: list[Scope] = [self.module_scope]
        """Every scope made, for :meth:`close`."""
        self.imported_packages: set[str] = set()
        """Top-level packages imported anywhere in the module so far (``PIL`` for ``from PIL import Image``)."""
        self._parents: dict[ast.AST, ast.AST] | None = None
        self._references: dict[tuple[Scope, str], dict[Binding, list[Reference]]] = {}
        self._scope_references: dict[ast.AST, dict[str, list[Reference]]] = {}
        self.import_fallback = False
        """Set by the walker while it walks the body of ``except ImportError:`` (see :meth:`bind`)."""

    # ------------------------------------------------------------ tree shape
    # Answered from a map of parents made on the first question (most files never ask).

    def parent(self, node: ast.AST) -> ast.AST | None:
        if self._parents is None:
            self._parents = _parents(self.module_scope.node)
        return self._parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        """The nodes around ``node``, innermost first, up to the module."""
        node = self.parent(node)
        while node is not None:
            yield node
            node = self.parent(node)

    def statement(self, node: ast.AST) -> ast.stmt | None:
        """The innermost statement holding ``node`` (``node`` itself if it is one)."""
        while node is not None and not isinstance(node, ast.stmt):
            node = self.parent(node)
        return node

    def block(self, statement: ast.stmt) -> list[ast.stmt]:
        """The statement list ``statement`` stands in (a body, an ``else``, a handler...)."""
        holder = self.parent(statement)
        blocks = [holder.body] if isinstance(holder, (ast.Module, ast.ExceptHandler, ast.match_case)) else child_blocks(holder)
        return next(block for block in blocks if any(item is statement for item in block))

    def statement_path(self, node: ast.AST) -> list[ast.stmt]:
        """The statements around ``node`` in the code of its function (or lambda, class,
        module), outermost first, down to the innermost one that holds it (``node`` itself
        if it is a statement): the compound statements whose blocks lead to it."""
        path = [node] if isinstance(node, ast.stmt) else []
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, _SCOPES):
                break
            if isinstance(ancestor, ast.stmt):
                path.append(ancestor)
        path.reverse()
        return path

    def own_statement(self, node: ast.AST, function: ast.AST) -> tuple[ast.stmt | None, bool]:
        """The statement of ``function``'s own code that holds ``node`` (for a node in a
        nested function or class, that scope's ``def``/``class``; in a lambda, the statement
        holding the lambda), and whether ``node`` is in such a nested scope (a closure's
        use). ``node`` itself is not counted: a statement's own statement is the one around it."""
        statement, nested = None, False
        ancestor = self.parent(node)
        while ancestor is not function and ancestor is not None:
            if type(ancestor) in _NESTED:
                nested, statement = True, ancestor if isinstance(ancestor, ast.stmt) else None
            elif statement is None and isinstance(ancestor, ast.stmt):
                statement = ancestor
            ancestor = self.parent(ancestor)
        return statement, nested

    def enclosing_blocks(self, node: ast.AST, scopes: bool = False) -> Iterator[tuple[ast.AST, list[ast.stmt]]]:
        """``(holder, block)`` for each statement list around ``node``, innermost first: the
        compound statement, ``except`` handler or ``case`` whose block (a body, an ``else``,
        a ``finally``) holds it. Within its function or lambda; with ``scopes``, on up to
        the module, through the bodies of functions and classes."""
        child = node
        for ancestor in self.ancestors(node):
            if not scopes and isinstance(ancestor, _SCOPES):
                return
            if isinstance(child, ast.stmt):
                yield ancestor, self.block(child)
            child = ancestor

    def enclosing(self, node: ast.AST, types: type | tuple[type, ...]) -> ast.AST | None:
        """The innermost node of ``types`` around ``node`` in the same function."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, types):
                return ancestor
            if isinstance(ancestor, _SCOPES):
                return None
        return None

    def guards(self, node: ast.AST) -> Iterator[tuple[ast.expr, bool]]:
        """``(test, value)`` for each test known to have had ``value`` when ``node`` runs,
        innermost first, within its function: the ``if``/``while``/conditional expression
        whose branch holds it, an earlier ``assert``, and an earlier guard clause of an
        enclosing block (``if not ok: return`` -- or ``raise``, ``continue``, ``break``)."""
        child = node
        for ancestor in self.ancestors(node):
            if isinstance(child, ast.stmt):
                yield from _earlier_guards(self.block(child), child)
            if isinstance(ancestor, _SCOPES):
                return
            if isinstance(ancestor, (ast.If, ast.While, ast.IfExp)) and child is not ancestor.test:
                in_body = child is ancestor.body or (isinstance(ancestor.body, list) and any(item is child for item in ancestor.body))
                yield ancestor.test, in_body
            child = ancestor

    # ----------------------------------------------------------------- queries

    @property
    def function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The innermost enclosing function definition, if any."""
        scope = self.scope
        while scope is not None:
            if scope.kind == "function":
                return scope.node
            scope = scope.parent
        return None

    @property
    def executing_function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None:
        """The innermost function or lambda whose body is being walked: the code that runs
        when it is called (comprehensions run in it)."""
        scope = self.scope
        while scope is not None:
            if scope.kind in ("function", "lambda"):
                return scope.node
            scope = scope.parent
        return None

    @property
    def at_import_time(self) -> bool:
        """Whether the code being walked runs when the module is imported (no function
        or lambda encloses it)."""
        return self.executing_function is None

    @property
    def method_class(self) -> ast.ClassDef | None:
        """The class whose method (or a lambda or comprehension in it) is being walked."""
        class_scope = _function_scope(self.scope).enclosing_class()
        return class_scope.node if class_scope is not None else None

    @property
    def class_def(self) -> ast.ClassDef | None:
        """The class whose body is being walked directly (not through a method)."""
        return self.scope.node if self.scope.kind == "class" else None

    def lookup(self, name: str, scope: Scope | None = None, at: ast.AST | None = None) -> Binding | None:
        """Resolve ``name`` as Python would from ``scope`` (default: the current one).

        With ``at``, a node of ``scope`` that uses the name, a name bound several times
        in that scope resolves to the binding that reaches ``at``: the last one made
        before it, in source order (straight-line code; of two branches, the later).
        Names of enclosing scopes resolve to their last binding, as a call sees them.
        """
        scope = scope or self.scope
        if name in scope.global_names:
            return self.module_scope.bindings.get(name)
        if name in scope.nonlocal_names:
            scope = _nonlocal_owner(scope, name)
            if scope is None:
                return None
            at = None  # a closure sees the enclosing function's binding as the call finds it
        first = True
        while scope is not None:
            # Class bodies are not visible from the functions nested in them.
            if first or scope.kind != "class":
                binding = scope.bindings.get(name)
                if first and at is not None and name in scope.earlier:
                    binding = _reaching([*scope.earlier[name], binding], at) or binding
                if binding is not None and binding.kind != "global":
                    return binding
            first = False
            scope = scope.parent
        return None

    def reaching_bindings(self, name: str, at: ast.AST) -> list[Binding]:
        """The bindings of ``name`` in the current scope whose value ``name`` may hold at
        ``at``, latest first: the last one made before ``at`` and, while that one stands in
        a block that may not run on the way to ``at`` (an ``if`` branch, a loop, a ``try``
        or handler ``at`` is not in), the ones before it too. Empty for a name the current
        scope does not bind (see :meth:`lookup`)."""
        scope = self.scope
        if name not in scope.bindings or name in scope.global_names:
            return []
        if next((a for a in self.ancestors(at) if isinstance(a, _SCOPES)), None) is not scope.node:
            return []  # asked from outside the walk of ``at``'s own scope
        bindings = [*scope.earlier.get(name, ()), scope.bindings[name]]
        where = (at.lineno, at.col_offset)
        before = [binding for binding in bindings if _ends(binding.node) <= where]
        reaching = []
        for binding in reversed(before):
            reaching.append(binding)
            if not self._maybe_skipped(binding.node, at):
                break
        return reaching

    def _maybe_skipped(self, node: ast.AST, at: ast.AST) -> bool:
        """Whether code may reach ``at`` without running ``node``: ``node`` stands in a
        branch, loop, ``try`` body or handler that does not also hold ``at``."""
        around_at = {id(ancestor) for ancestor in self.ancestors(at)}
        for ancestor in self.ancestors(node):
            if id(ancestor) in around_at or isinstance(ancestor, _SCOPES):
                return False
            if isinstance(ancestor, (ast.If, ast.For, ast.AsyncFor, ast.While, *TRY_STATEMENTS, ast.ExceptHandler, ast.match_case)):
                return True
        return False

    def annotation_types(self, annotation: ast.expr, element: bool = False, generics: bool = False) -> Iterator[str | None]:
        """Qualified names of the types ``annotation`` allows, through ``Optional``,
        ``Union``, ``X | None`` (its ``None`` left out), ``Annotated`` and quotes; with
        ``element``, of the items of the sequences it allows. A yielded ``None`` stands
        for a type with no name (``dict[str, str]``, a local class) or for the items of
        something that is not a sequence: another type all the same. With ``generics``, a
        parameterized type (``IO[bytes]``) is named by its base."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = parse(annotation.value, mode="eval").body
            except SyntaxError:
                yield None
                return
        if isinstance(annotation, ast.Constant) and annotation.value is None:
            return
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            yield from self.annotation_types(annotation.left, element, generics)
            yield from self.annotation_types(annotation.right, element, generics)
        elif isinstance(annotation, ast.Subscript):
            base = self.qualified_name(annotation.value)
            items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            if base in ANNOTATION_WRAPPERS:
                for item in items[:1] if base in ANNOTATED else items:
                    yield from self.annotation_types(item, element, generics)
            elif element and base in SEQUENCES and items:
                yield from self.annotation_types(items[0], False, generics)
            else:
                yield base if generics and not element else None
        else:
            yield None if element else self.qualified_name(annotation)

    def narrowed_types(self, name: ast.Name, scope: Scope | None = None) -> tuple[str | None, ...]:
        """The classes (qualified names) that the innermost ``isinstance(name, T)`` known to
        hold where ``name`` is used says it is (see :meth:`guards`); empty if none does."""
        binding = self.lookup(name.id, scope, at=name)
        for test, value in self.guards(name):
            for tested, classes in _isinstance_tests(test, value):
                if self.qualified_name(tested.func, scope) == ISINSTANCE and self.lookup(tested.args[0].id, scope, at=tested) is binding:
                    return tuple(self.qualified_name(item, scope) for item in classes)
        return ()

    def scope_of(self, node: ast.AST) -> Scope | None:
        """The scope ``node`` (a function, lambda, class or comprehension the walk has
        entered) makes: for questions asked of a function's code after the walk left it."""
        return next((scope for scope in self._scopes if scope.node is node), None)

    def all_bindings(self) -> Iterator[Binding]:
        """Every binding of every scope the walk entered, each scope's in the order they
        were made: for a question asked of the whole module once it is walked (which
        functions assign ``os.fork()``), instead of a second walk of its tree."""
        for scope in self._scopes:
            for name, last in scope.bindings.items():
                yield from scope.earlier.get(name, ())
                yield last

    def module_binding(self, name: ast.Name, scope: Scope | None = None) -> Binding | None:
        """The binding ``name`` reaches, when it is a module-level one (bound at import,
        the same for every call), else None."""
        binding = self.lookup(name.id, scope, at=name)
        return binding if binding is not None and binding.scope is self.module_scope else None

    def is_logger(self, expr: ast.AST, scope: Scope | None = None) -> bool:
        """Whether ``expr`` is a logger: see :meth:`logger_origin`."""
        return self.logger_origin(expr, scope) is not None

    def logger_origin(self, expr: ast.AST, scope: Scope | None = None, _seen: frozenset = frozenset()) -> str | None:
        """What makes ``expr`` a logger, or None: the ``logging`` module (or its root
        logger), the qualified name of the factory that made it (``logging.getLogger``,
        ``structlog.get_logger``...), or ``"name"`` when only its name says so (``log``,
        ``logger``, ``LOG``, ``_logger``, ``audit_log``, ``auditLogger``; not ``catalog``).
        A child (``getLogger("vms").getChild(name)``, or of anything named like a logger:
        ``getChild`` is ``logging.Logger``'s) is ``logging.getLogger``'s: the same manager
        hands it out and keeps it. A name rebound to its own child (``logger =
        logger.getChild("bot")``, the module's ``logger`` imported first) resolves to that
        call again: followed once."""
        qualified = self.qualified_name(expr, scope)
        if qualified in LOGGING_MODULES:
            return qualified
        origin = self.resolve(expr, scope)
        if type(origin) is ast.Call and id(origin) not in _seen:
            func = origin.func
            if type(func) is ast.Attribute and func.attr == "getChild":
                parent = self.logger_origin(func.value, scope, _seen | {id(origin)})
                if parent in LOGGING_MODULES or parent in ("logging.getLogger", "name"):
                    return "logging.getLogger"
            factory = self.qualified_name(func, scope) or ""
            if factory in LOGGER_FACTORIES or factory.startswith("structlog."):
                return factory
        name = expr.id if type(expr) is ast.Name else expr.attr if type(expr) is ast.Attribute else None
        return "name" if name is not None and _names_a_logger(name) else None

    def qualified_name(self, expr: ast.AST, scope: Scope | None = None) -> str | None:
        """``PIL.Image.open`` for ``I.open`` after ``from PIL import Image as I``.

        Names bound to nothing that are builtins resolve to ``builtins.<name>``; a name
        assigned from another name or attribute (``memo = functools.cache``) is followed.
        """
        parts = []
        for _ in range(_RESOLVE_DEPTH):
            while type(expr) is ast.Attribute:  # asked of most calls: by type, not isinstance
                parts.append(expr.attr)
                expr = expr.value
            if type(expr) is not ast.Name:
                return None
            binding = self.lookup(expr.id, scope)
            if binding is None:
                if expr.id not in BUILTIN_NAMES:
                    return None
                parts.append("builtins." + expr.id)
                break
            if binding.kind == "import":
                parts.append(binding.qualname)
                break
            if binding.kind == "assign" and isinstance(binding.value, (ast.Name, ast.Attribute)):
                expr = binding.value
                continue
            module = self._default_module(expr, parts, binding.scope) if binding.kind == "param" else None
            if module is None:
                return None
            parts.append(module)
            break
        else:
            return None
        return ".".join(reversed(parts))

    def _default_module(self, name: ast.Name, parts: list[str], scope: Scope) -> str | None:
        """The module a parameter defaults to (``def __init__(self, socket_module=socket)``),
        also through the attribute of ``self`` that an initializer stores it in
        (``self.socket_module.socket``: ``parts``, reversed, start with its name, which is
        taken off): the module the code uses unless a caller injects another, mostly a
        test's double. Only a module (``import socket``): an instance attribute holding a
        class or a function is not that class's or function's attribute. ``scope``: the
        function's, which binds the parameter."""
        if scope is None or not isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return None
        if parts and self.is_self(name, scope):
            owner = scope.enclosing_class()
            if not any(self._imported_module(default) for default in _initializer_defaults(owner.node)):
                return None  # most classes: their methods' stores are not walked for nothing
            stores = [
                store for store in self.attribute_stores(owner.node, parts[-1])
                if store.method.name in INITIALIZERS and isinstance(store.value, ast.Name)
            ]
            if len(stores) != 1:
                return None
            method, parameter = stores[0].method, stores[0].value.id
            parts.pop()
        else:
            method, parameter = scope.node, name.id
        default = _default(method.args, parameter)
        return self._imported_module(default.id) if isinstance(default, ast.Name) else None

    def _imported_module(self, name: str) -> str | None:
        """The module the module-level ``name`` is bound to by ``import``, if it is."""
        binding = self.module_scope.bindings.get(name)
        if binding is None or binding.kind != "import" or not isinstance(binding.node, ast.Import):
            return None
        return binding.qualname

    def resolve(self, expr: ast.AST, scope: Scope | None = None) -> ast.AST:
        """Follow a name (or ``self.<attr>``) to the expression it was assigned from.

        ``with make() as name`` counts as assigned from ``make()`` (context managers
        mostly return themselves); ``self.<attr>`` is looked up among the assignments
        of the class's methods, then among its class attributes. Returns ``expr``
        itself when there is nothing to follow.
        """
        for _ in range(_RESOLVE_DEPTH):
            if isinstance(expr, ast.Name):
                binding = self.lookup(expr.id, scope, at=expr)
                if binding is None or binding.kind not in ("assign", "with") or binding.value is None:
                    return expr
                expr = binding.value
            elif isinstance(expr, ast.Attribute) and self.is_self(expr.value, scope):
                value = self._class_attribute(expr.attr, scope)
                if value is None:
                    return expr
                expr = value
            else:
                return expr
        return expr

    def _class_attribute(self, name: str, scope: Scope | None) -> ast.expr | None:
        value = self.instance_attribute(name, scope)
        if value is None:
            binding = self.class_member(name, scope)
            value = binding.value if binding is not None and binding.kind == "assign" else None
        return value

    def instance_attribute(self, name: str, scope: Scope | None = None) -> ast.expr | None:
        """What the methods of the enclosing class assign to ``self.<name>``, if anything
        (see :meth:`attribute_value`)."""
        class_scope = _function_scope(scope or self.scope).enclosing_class()
        return self.attribute_value(class_scope.node, name) if class_scope is not None else None

    def attribute_value(self, owner: ast.ClassDef, attribute: str) -> ast.expr | None:
        """What the methods of ``owner`` assign to ``self.<attribute>``: of the stores
        :meth:`attribute_stores` finds that store one value, the first in an initializer
        (``__init__``, ``setUp``...: what the other methods see), else the first."""
        stores = [store for store in self.attribute_stores(owner, attribute) if store.value is not None]
        first = next((store for store in stores if store.method.name in INITIALIZERS), stores[0] if stores else None)
        return first.value if first is not None else None

    def class_member(self, name: str, scope: Scope | None = None) -> Binding | None:
        """The binding of ``name`` in the body of the enclosing method's class (a method, a
        class attribute)."""
        class_scope = _function_scope(scope or self.scope).enclosing_class()
        return class_scope.bindings.get(name) if class_scope is not None else None

    def is_parameter(self, name: str, scope: Scope | None = None) -> bool:
        """Whether ``name`` is a parameter of the function that binds it, also when the body
        assigns it a default (``if handler is None: handler = ...``): the caller may choose
        its value."""
        scope = scope or self.scope
        while scope is not None and name not in scope.bindings:
            scope = scope.parent
        if scope is None or scope.kind not in ("function", "lambda"):
            return False
        args = scope.node.args
        every = (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg)
        return any(arg is not None and arg.arg == name for arg in every)

    def is_self(self, expr: ast.AST, scope: Scope | None = None) -> bool:
        """Whether ``expr`` is the first parameter of the enclosing method; a static method
        has none (its first parameter is what its callers pass first)."""
        scope = _function_scope(scope or self.scope)
        if not isinstance(expr, ast.Name) or scope.enclosing_class() is None:
            return False
        # Asked of most names a method's code holds: the binding first, the decorators last.
        binding = scope.bindings.get(expr.id)
        if binding is None or binding.kind != "param":
            return False
        args = scope.node.args
        first = args.posonlyargs[0] if args.posonlyargs else args.args[0] if args.args else None
        if binding.node is not first:
            return False
        return not any(_last_name(item) == "staticmethod" for item in getattr(scope.node, "decorator_list", ()))

    # -------------------------------------------------------------- references
    # Found from the tree when first asked, one walk of a scope's code per name (most
    # bindings are never asked about: building them in the engine's walk for every name
    # of every file costs more than all the questions rules ask).

    def bindings_of(self, name: str, scope: Scope) -> list[Binding]:
        """Every binding of ``name`` in ``scope``, in the order they were made."""
        last = scope.bindings.get(name)
        return [*scope.earlier.get(name, ()), last] if last is not None else []

    def references(self, binding: Binding) -> list[Reference]:
        """The uses of ``binding``'s value, in source order: in its scope, those it reaches
        (of a name bound several times there, each use belongs to the binding before it, as
        :meth:`lookup` with ``at`` finds it); in the scopes nested there that do not bind
        the name themselves (closures), all of the last binding's. Complete once the
        binding's scope has been walked."""
        scope = binding.scope
        if scope is None:
            return []
        key = (scope, binding.name)
        found = self._references.get(key)
        if found is None:
            found = self._references[key] = self._split_references(scope, binding.name)
        return found.get(binding, [])

    def _split_references(self, scope: Scope, name: str) -> dict[Binding, list[Reference]]:
        bindings = self.bindings_of(name, scope)
        found: dict[Binding, list[Reference]] = {}
        if not bindings:
            return found
        for reference in self.variable_references(name, scope.node):
            reaching = None if reference.nested else _reaching(bindings, reference.node)
            found.setdefault(reaching or bindings[-1], []).append(reference)
        return found

    def variable_references(self, name: str, scope_node: ast.AST) -> list[Reference]:
        """The references, in source order, to the variable ``name`` of the scope that
        ``scope_node`` (a module, function, lambda, class or comprehension) makes, read from
        the tree alone (usable for code the walk has not reached yet): one walk of the
        scope's code finds those of all its names, the first time one is asked."""
        found = self._scope_references.get(scope_node)
        if found is None:
            found = self._scope_references[scope_node] = _scope_references(scope_node)
        return found.get(name, [])

    def attribute_stores(self, owner: ast.ClassDef, attribute: str) -> list[AttributeStore]:
        """The stores to ``self.<attribute>`` in the methods of ``owner`` (through the first
        parameter of each, in closures too), in source order: one walk of the class's
        methods the first time the class is asked about. Found from the tree alone, and kept
        on the class's node: a module's summary and its check (each with a model of the
        same tree) ask of the same classes."""
        stores = getattr(owner, "_oomlint_stores", None)
        if stores is None:
            stores = owner._oomlint_stores = {}
            for method in owner.body:
                if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                positional = [*method.args.posonlyargs, *method.args.args]
                if not positional:
                    continue
                first = positional[0].arg
                for reference in _scope_references(method, first).get(first, ()):
                    target = reference.parent
                    if reference.role == ATTRIBUTE_TARGET and type(target.ctx) is ast.Store:
                        store = AttributeStore(method, target, reference.statement, _stored_value(reference.statement, target))
                        stores.setdefault(target.attr, []).append(store)
        return stores.get(attribute, [])

    # ---------------------------------------------------------------- updates
    # Called by the walker only.

    def push(self, kind: str, node: ast.AST) -> None:
        self.scope = Scope(kind, node, self.scope)
        self._scopes.append(self.scope)

    def close(self) -> None:
        """Done with the file: drop what ties each binding to its scope (each refers to the
        other), so that the file's tree they hold is freed as soon as the last reference to
        it goes, instead of waiting for the cycle collector, which traverses every node of
        it first (a tenth of a cold run's time). The model answers nothing after."""
        for scope in self._scopes:
            scope.bindings.clear()
            scope.earlier.clear()
            scope.node = scope.parent = None
        self._scopes.clear()
        self._references.clear()
        self._scope_references.clear()
        self._parents = None

    def pop(self) -> None:
        self.scope = self.scope.parent

    def bind(self, name: str, binding: Binding) -> None:
        scope = self.scope
        if name in scope.global_names:
            scope = self.module_scope
        elif name in scope.nonlocal_names:
            scope = _nonlocal_owner(scope, name) or scope
        previous = scope.bindings.get(name)
        binding.scope = scope
        binding.name = name
        if previous is not None and previous.kind == "import" and self.import_fallback and is_none(binding.value):
            # ``try: import requests`` / ``except ImportError: requests = None``: where the
            # name is used, it is the module (None only where the library is missing, and
            # then every use fails). Kept as the earlier binding, so that code reached only
            # through the handler still sees both.
            scope.earlier.setdefault(name, []).append(binding)
            return
        if previous is not None:
            scope.earlier.setdefault(name, []).append(previous)
        scope.bindings[name] = binding

    def bind_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            self.imported_packages.update(alias.name.partition(".")[0] for alias in node.names)
            for alias in node.names:
                if alias.asname:
                    self.bind(alias.asname, Binding("import", node, qualname=standard_name(alias.name)))
                else:
                    top = alias.name.partition(".")[0]
                    self.bind(top, Binding("import", node, qualname=top))
            return
        if node.level:
            module = "." * node.level + (node.module or "")
        else:
            module = node.module or ""
            self.imported_packages.add(module.partition(".")[0])
        for alias in node.names:
            if alias.name == "*":
                continue
            qualname = f"{module.rstrip('.')}.{alias.name}" if module.strip(".") else module + alias.name
            self.bind(alias.asname or alias.name, Binding("import", node, qualname=standard_name(qualname)))

    def bind_target(self, target: ast.AST, statement: ast.AST, value: ast.expr | None) -> None:
        """Record an assignment target; ``value`` only when it maps one-to-one."""
        if isinstance(target, ast.Name):
            self.bind(target.id, Binding("assign", statement, value))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind_target(element, statement, None)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, statement, None)

    def bind_with_target(self, target: ast.AST, statement: ast.With | ast.AsyncWith, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, Binding("with", statement, value))
        else:
            self.bind_target(target, statement, None)

    def bind_parameters(self, args: ast.arguments) -> None:
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None:
                self.scope.bindings[arg.arg] = Binding("param", arg, scope=self.scope, name=arg.arg)

    def declare_global(self, names: list[str]) -> None:
        self.scope.global_names.update(names)

    def declare_nonlocal(self, names: list[str]) -> None:
        self.scope.nonlocal_names.update(names)


def child_blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists a compound statement holds (body, handlers, else, finally, cases)."""
    if isinstance(statement, TRY_STATEMENTS):
        handlers = [handler.body for handler in statement.handlers]
        return [statement.body, *handlers, statement.orelse, statement.finalbody]
    if isinstance(statement, ast.Match):
        return [case.body for case in statement.cases]
    return [getattr(statement, name) for name in ("body", "orelse") if isinstance(getattr(statement, name, None), list)]


def name_uses(name: str, root: ast.AST) -> Iterator[ast.Name]:
    """The ``name`` nodes under ``root`` (read or written) that stand for the variable
    ``root``'s own code means: a nested function, lambda, class or comprehension that binds
    ``name`` itself has a variable of its own, and its body is left out (its decorators,
    defaults and first iterable run outside it and still count)."""
    for node, *_ in _scope_names([(root, None, None, None, frozenset(), False)], root):
        if node.id == name:
            yield node


def _scope_references(scope: ast.AST, only: str | None = None) -> dict[str, list[Reference]]:
    """The references to each variable of ``scope`` (or to ``only``) in its code, in source
    order (see :meth:`SemanticModel.variable_references`)."""
    found: dict[str, list[Reference]] = {}
    start = [(part, holder, scope, None, frozenset(), False) for holder, part in _inner_parts(scope)]
    for node, parent, grandparent, statement, nested in _scope_names(start, None, isinstance(scope, ast.ClassDef)):
        if only is not None and node.id != only:
            continue
        if type(node.ctx) is not ast.Store or (type(parent) is ast.AugAssign and parent.target is node):
            found.setdefault(node.id, []).append(Reference(node, parent, grandparent, statement, nested))
    for references in found.values():
        references.sort(key=lambda reference: (reference.node.lineno, reference.node.col_offset))
    return found


def _scope_names(pending: list, root: ast.AST | None, in_class: bool = False):
    """``(node, parent, grandparent, statement, nested)`` for each name node that stands for a
    variable of the scope whose code ``pending`` starts from (entries of ``(node, parent,
    grandparent, statement, hidden, nested)``): not the names a nested function, lambda,
    class or comprehension binds itself (``hidden`` below it; everything below one, when
    the scope is a class: its methods do not see its variables), whose uses there are of
    a variable of their own. What a nested scope's definition runs outside it (decorators,
    defaults, annotations, bases, the first iterable) is the scope's own code."""
    while pending:
        node, parent, grandparent, statement, hidden, nested = pending.pop()
        if type(node) is ast.Name:
            if node.id not in hidden:
                yield node, parent, grandparent, statement, nested
            continue
        if node is not root and isinstance(node, _OWN_SCOPES):
            outside = (*_outer_parts_held(node), *_signature_parts(node))
            pending.extend((part, holder, node, statement, hidden, nested) for holder, part in outside)
            if not in_class:
                inner = hidden | _bound_names(node)
                pending.extend((part, holder, node, statement, inner, True) for holder, part in _inner_parts(node))
            continue
        if isinstance(node, ast.stmt):
            statement = node
        for child in child_nodes(node):
            pending.append((child, node, parent, statement, hidden, nested))


def _inner_parts(scope: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """``(holder, part)`` for each part of a scope that runs in it (its body)."""
    if isinstance(scope, ast.Lambda):
        return [(scope, scope.body)]
    if isinstance(scope, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        results = (scope.key, scope.value) if isinstance(scope, ast.DictComp) else (scope.elt,)
        first, *rest = scope.generators
        return [*((first, part) for part in (first.target, *first.ifs)), *((scope, item) for item in (*rest, *results))]
    return [(scope, statement) for statement in scope.body]


def _signature_parts(scope: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """The annotations of a function's parameters and its return."""
    if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return []
    args = scope.args
    every = (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg)
    parts = [(arg, arg.annotation) for arg in every if arg is not None and arg.annotation is not None]
    returns = getattr(scope, "returns", None)
    return [*parts, (scope, returns)] if returns is not None else parts


_OWN_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp,
               ast.DictComp, ast.GeneratorExp)


def _bound_names(scope: ast.AST) -> frozenset[str]:
    """The names ``scope`` binds in itself (parameters, targets, imports, defs), not through
    ``global``/``nonlocal`` and not in scopes nested deeper."""
    return own_bindings(scope).names


class OwnBindings(NamedTuple):
    names: frozenset[str]
    """Every name the scope binds in itself (:func:`own_bindings`)."""
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
    """The functions defined in the scope's own code (in a branch or loop too), by name;
    of a name defined twice, the later in the source."""
    globals: frozenset[str] = frozenset()
    """The names the scope's own code declares ``global``: it binds the module's."""


def own_bindings(scope: ast.AST) -> OwnBindings:
    """What ``scope`` (a function, lambda, class or comprehension) binds in itself:
    parameters, targets, imports, defs and classes; not names declared ``global`` or
    ``nonlocal``, and not those of scopes nested deeper. Worked out once per scope and
    kept on its node: the tree is walked for a module's summary, for how often its
    functions run and for its check, and each asks of the same functions."""
    found = getattr(scope, "_oomlint_bindings", None)
    if found is None:
        found = scope._oomlint_bindings = _own_bindings(scope)
    return found


def _own_bindings(scope: ast.AST) -> OwnBindings:
    if isinstance(scope, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return OwnBindings(frozenset(
            node.id for generator in scope.generators for node in ast.walk(generator.target) if type(node) is ast.Name
        ), {})
    bound = set()
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    if not isinstance(scope, ast.ClassDef):
        args = scope.args
        bound.update(arg.arg for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg) if arg is not None)
    pending = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    declared = set()
    global_names = set()
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
            if isinstance(node, ast.Global):
                global_names.update(node.names)
        elif type(node) is ast.Name:
            if type(node.ctx) is not ast.Load:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            if not isinstance(node, ast.ClassDef):
                earlier = functions.get(node.name)
                if earlier is None or earlier.lineno < node.lineno:
                    functions[node.name] = node
            pending.extend(_outer_parts(node))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(alias.asname or alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, _OWN_SCOPES):
            pending.extend(_outer_parts(node))
        else:
            # The child fields, not ``ast.iter_child_nodes``, which tries every field: what
            # they leave out (contexts, operators, import aliases) binds nothing here.
            pending.extend(child_nodes(node))
    return OwnBindings(frozenset(bound - declared), functions, frozenset(global_names))


def _outer_parts_held(scope: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """``(holder, part)`` for each part of a scope's definition that runs in the scope around
    it: decorators, defaults (held by the ``arguments``), bases and keywords of a class, the
    first iterable of a comprehension."""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = scope.args
        defaults = [(args, part) for part in (*args.defaults, *args.kw_defaults) if part is not None]
        return defaults if isinstance(scope, ast.Lambda) else [*((scope, item) for item in scope.decorator_list), *defaults]
    if isinstance(scope, ast.ClassDef):
        return [(scope, part) for part in (*scope.decorator_list, *scope.bases, *(keyword.value for keyword in scope.keywords))]
    return [(scope.generators[0], scope.generators[0].iter)]


def _outer_parts(scope: ast.AST) -> list[ast.AST]:
    """What a scope's definition evaluates in the scope around it."""
    return [part for _, part in _outer_parts_held(scope)]


def _role(node: ast.Name, parent: ast.AST, grandparent: ast.AST | None) -> str:
    """What the use ``node`` makes of its value, from the nodes that hold it (see :class:`Reference`)."""
    kind = type(parent)
    if kind is ast.Starred:  # ``f(*name)``, ``[*name]``: what holds the star decides
        node, parent = parent, grandparent
        kind = type(parent)
    if kind is ast.Attribute:
        return ATTRIBUTE if type(parent.ctx) is ast.Load else ATTRIBUTE_TARGET
    if kind is ast.Subscript:
        if parent.value is not node:
            return OTHER
        return SUBSCRIPT if type(parent.ctx) is ast.Load else ITEM_TARGET
    if kind is ast.Call:
        return CALLED if parent.func is node else ARGUMENT
    if kind is ast.keyword:
        return ARGUMENT
    if kind in _ROLE_OF_HOLDER:
        return _ROLE_OF_HOLDER[kind]
    if kind in (ast.Assign, ast.AnnAssign, ast.NamedExpr) and parent.value is node:
        targets = parent.targets if kind is ast.Assign else [parent.target]
        if any(type(target) is ast.Attribute for target in targets):
            return ATTRIBUTE_STORE
        return ITEM_STORE if any(type(target) is ast.Subscript for target in targets) else ALIAS
    if kind in (ast.List, ast.Tuple, ast.Set, ast.Dict):
        return CONTAINER
    if kind in (ast.For, ast.AsyncFor, ast.comprehension) and parent.iter is node:
        return ITERATED
    if kind is ast.withitem and parent.context_expr is node:
        return CONTEXT
    if kind in (ast.If, ast.While, ast.IfExp, ast.Assert) and parent.test is node:
        return TEST
    if kind is ast.UnaryOp and type(parent.op) is ast.Not:
        return TEST
    if kind is ast.AugAssign:
        return AUGMENTED if parent.target is node else OTHER
    return OTHER


_ROLE_OF_HOLDER = {
    ast.Return: RETURN, ast.Lambda: RETURN, ast.Yield: YIELD, ast.YieldFrom: YIELD, ast.Await: AWAITED, ast.arguments: DEFAULT,
    ast.BoolOp: TEST, ast.Compare: COMPARED, ast.Raise: RAISED, ast.Delete: DELETED,
}


def _stored_value(statement: ast.stmt, target: ast.expr) -> ast.expr | None:
    """What ``statement`` stores in ``target``, when it stores one value there."""
    if type(statement) is ast.Assign and any(item is target for item in statement.targets):
        return statement.value
    if type(statement) is ast.AnnAssign and statement.target is target:
        return statement.value
    return None


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each node's parent, through the fields that can hold nodes (not ``ctx`` or
    operators: singletons shared by the whole tree, with no parent of their own)."""
    parents = {}
    pending = [tree]
    pop, push, fields_of, node_class = pending.pop, pending.append, PARENTED_FIELDS, ast.AST
    while pending:  # the whole module, for every file a rule asks about: kept lean
        node = pop()
        for name in fields_of[type(node)]:
            value = getattr(node, name)
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_class):
                        parents[item] = node
                        if fields_of[type(item)]:  # names and constants, half the nodes, hold none
                            push(item)
            elif isinstance(value, node_class):
                parents[value] = node
                if fields_of[type(value)]:
                    push(value)
    return parents


def _earlier_guards(block: list[ast.stmt], statement: ast.stmt) -> Iterator[tuple[ast.expr, bool]]:
    """What the statements of ``block`` before ``statement`` establish, nearest first."""
    index = next(index for index, item in enumerate(block) if item is statement)
    for earlier in reversed(block[:index]):
        if isinstance(earlier, ast.Assert):
            yield earlier.test, True
        elif isinstance(earlier, ast.If) and earlier.body and isinstance(earlier.body[-1], _TERMINATORS):
            if not earlier.orelse:
                yield earlier.test, False
            elif isinstance(earlier.orelse[-1], _TERMINATORS):
                return  # nothing after it runs


def _isinstance_tests(test: ast.expr, value: bool) -> Iterator[tuple[ast.Call, list[ast.expr]]]:
    """``(call, classes)`` for each ``isinstance(name, classes)``-shaped call that is true
    when ``test`` has ``value``: itself, under ``not``, or an operand of a true ``and``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield from _isinstance_tests(test.operand, not value)
    elif isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) and value:
        for operand in test.values:
            yield from _isinstance_tests(operand, True)
    elif value and isinstance(test, ast.Call) and len(test.args) == 2 and isinstance(test.args[0], ast.Name):
        classes = test.args[1]
        yield test, classes.elts if isinstance(classes, ast.Tuple) else [classes]


def is_none(expr: ast.AST | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _reaching(bindings: list[Binding], use: ast.AST) -> Binding | None:
    """The last of ``bindings`` whose statement ends before ``use`` starts (``x = f(x)``
    uses the earlier ``x``)."""
    where = (use.lineno, use.col_offset)
    for binding in reversed(bindings):
        node = binding.node
        if (getattr(node, "end_lineno", None) or node.lineno, getattr(node, "end_col_offset", None) or 0) <= where:
            return binding
    return None


def _ends(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "end_lineno", None) or getattr(node, "lineno", 0), getattr(node, "end_col_offset", None) or 0)


def standard_name(qualname: str) -> str:
    """The standard module's name for what ``six.moves`` imports (``six.moves.http_client.HTTPConnection``
    is ``http.client.HTTPConnection``); any other name as it is."""
    if "six.moves." not in qualname:
        return qualname
    for prefix in SIX_MOVES_PREFIXES:
        if qualname.startswith(prefix):
            head, dot, rest = qualname[len(prefix):].partition(".")
            return SIX_MOVES.get(head, head) + dot + rest
    return qualname


def _names_a_logger(name: str) -> bool:
    lower = name.lower()
    return lower.endswith("logger") or lower.lstrip("_") == "log" or lower.endswith("_log") or name.endswith("Log")


def _nonlocal_owner(scope: Scope, name: str) -> Scope | None:
    """The scope whose variable ``name`` is, declared ``nonlocal`` in ``scope``: the nearest
    enclosing function (or lambda) that binds it, or is itself declared nonlocal (class
    bodies are skipped); the nearest enclosing function when none binds it yet."""
    nearest = None
    scope = scope.parent
    while scope is not None and scope.kind != "module":
        if scope.kind in ("function", "lambda"):
            if name in scope.nonlocal_names:
                return _nonlocal_owner(scope, name)
            if name in scope.bindings:
                return scope
            nearest = nearest or scope
        scope = scope.parent
    return nearest


def _initializer_defaults(owner: ast.ClassDef) -> tuple[str, ...]:
    """The names that defaults of the parameters of ``owner``'s initializers are
    (``socket`` of ``socket_module=socket``): without one that is a module, no
    ``self.<attr>`` of the class holds a default module. Kept on the class's node: asked
    at every ``self.<attr>.<name>`` of its methods, by the summary and by the check."""
    found = getattr(owner, "_oomlint_defaults", None)
    if found is None:
        found = owner._oomlint_defaults = tuple(dict.fromkeys(
            default.id
            for item in owner.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in INITIALIZERS
            for default in (*item.args.defaults, *item.args.kw_defaults) if isinstance(default, ast.Name)
        ))
    return found


def _default(args: ast.arguments, name: str) -> ast.expr | None:
    """The default value of the parameter ``name``, if it has one."""
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(zip((arg.arg for arg in positional[len(positional) - len(args.defaults):]), args.defaults))
    defaults.update((arg.arg, value) for arg, value in zip(args.kwonlyargs, args.kw_defaults) if value is not None)
    return defaults.get(name)


def _function_scope(scope: Scope) -> Scope:
    """The function a comprehension or lambda belongs to (``self`` is that function's)."""
    while scope.kind in ("comprehension", "lambda") and scope.parent is not None:
        scope = scope.parent
    return scope


def _last_name(expr: ast.expr) -> str | None:
    """``staticmethod`` of ``@staticmethod`` or ``@builtins.staticmethod``."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None
