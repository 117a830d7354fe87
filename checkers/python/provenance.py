"""What a key grows with: the evidence, in the code, that a value takes new values as the
traffic or the data grow (OOM303 reports a cache only with it).

Evidence is positive: request data, an upload or a network response (what
:class:`~oomlint.python.web.WebInputs` knows as untrusted); an entity's identity, an
attribute named for one of an object the code handles (``project.id``, ``user.email``,
``snapshot.output_dir``) or a database row (``for row in cursor.fetchall()``,
``Model.objects...``); a timestamp or a fresh identifier (``time.time()``, ``uuid4()``,
``next(counter)``); what the user types (``input()``, ``sys.stdin``). The parameters a
key is made of are collected on the way: what the callers pass for them decides
(:meth:`~oomlint.python.project.ProjectIndex.passes_growing`).
Everything else (classes, constants, settings, names of plugins, tables or templates, the
results of calls that show no such input) is no evidence.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from oomlint.python.astutil import ACCOUNT_WORDS, is_class_value, last_name, name_words, names_few_values
from oomlint.python.semantic import Binding, SemanticModel
from oomlint.python.web import CHAT_LIBRARIES, DISCORD_LIBRARIES, STREAMLIT_PACKAGE, WEB_LIBRARIES, WebInputs

# The last word of an attribute that names what tells one entity from another: its id, its
# address, where it lives.
IDENTITY_WORDS = frozenset(
    {"id", "ids", "pk", "uuid", "guid", "uid", "email", "address", "url", "uri", "path", "dir", "directory",
     "filename", "username", "slug"}
)
# Words that name what a deployment configures (cluster nodes, OIDC issuers, queues, the
# endpoints it connects to): a name's last word, before a ``_name``, ``_url`` or ``_uri``
# (``issuer_url``, ``metrics_namespace``, ``endpoint_uri``). What it names follows the
# configuration, not the traffic.
CONFIGURED_WORDS = frozenset(
    {"node", "host", "hostname", "server", "instance", "cluster", "namespace", "region", "zone", "shard", "replica",
     "worker", "issuer", "provider", "backend", "datacenter", "queue", "endpoint"}
)
# The identity words that are an address: of an entity (``avatar_url``), or of an endpoint.
_ADDRESS_WORDS = frozenset({"url", "uri", "address"})
TIMESTAMP = "a timestamp"
USER_INPUT = "user input"
# The last word of a parameter that holds a point in time.
TIME_WORDS = frozenset({"timestamp", "ts", "time", "datetime", "mtime"})
# Calls whose every result is new: the clock, fresh identifiers, what a user types.
FRESH_VALUES = {
    **dict.fromkeys(
        ("time.time", "time.time_ns", "time.monotonic", "time.monotonic_ns", "time.perf_counter",
         "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.date.today"),
        TIMESTAMP,
    ),
    "builtins.input": USER_INPUT,
    **dict.fromkeys(
        ("uuid.uuid1", "uuid.uuid4", "os.urandom", "secrets.token_hex", "secrets.token_urlsafe", "secrets.token_bytes"),
        "a fresh identifier",
    ),
}
COUNTERS = frozenset({"itertools.count"})
# What a program reads its user's input from, line by line.
INPUT_STREAMS = frozenset({"sys.stdin", "fileinput.input"})
# Calls whose result takes few values whatever they are given.
COLLAPSING = frozenset(
    {"builtins.len", "builtins.type", "builtins.bool", "builtins.isinstance", "builtins.issubclass",
     "builtins.hasattr", "builtins.callable"}
)
# What reads a database: a Django manager (``Model.objects``), a DB-API cursor, SQLAlchemy.
DATABASE_ATTRIBUTES = frozenset({"objects"})
DATABASE_METHODS = frozenset({"fetchone", "fetchall", "fetchmany", "execute", "scalars", "scalar", "query"})
# Bases of classes whose instances are records of data (a row, a value object): what ``self``
# holds is the record's, not the settings a service object was made with.
RECORD_BASES = frozenset({"typing.NamedTuple", "pydantic.BaseModel", "django.db.models.Model"})
RECORD_DECORATORS = frozenset({"dataclasses.dataclass", "attr.s", "attr.define", "attrs.define", "attr.frozen", "attrs.frozen"})
DATABASE_ROW = "a database row"
# The packages whose requests, uploads and responses WebInputs knows: a module importing none
# of them has no untrusted data to find (and asking for it costs a walk of every name).
INPUT_PACKAGES = frozenset(
    {*WEB_LIBRARIES, "quart", "tornado", "sanic", "requests", "httpx", "urllib", "urllib3", STREAMLIT_PACKAGE,
     *DISCORD_LIBRARIES, *CHAT_LIBRARIES}
)
_DEPTH = 4
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class KeyGrowth(NamedTuple):
    """What a key grows with: ``evidence`` when the code shows it; else the parameters of
    the writing function the key is made of, whose callers decide."""

    evidence: str | None
    parameters: frozenset[str]


def key_growth(model: SemanticModel, inputs: WebInputs, expr: ast.expr, function: ast.AST) -> KeyGrowth:
    """What ``expr`` (a key, or what a set is given, in ``function``, as the walk stands)
    grows with (see the module's docstring)."""
    parameters: set[str] = set()
    evidence = _Walk(model, inputs, function, parameters).evidence(expr, _DEPTH)
    return KeyGrowth(evidence, frozenset() if evidence else frozenset(parameters))


def identity_name(name: str) -> bool:
    """Whether ``name`` (an attribute's, a parameter's) names an entity or its identity:
    ``id``, ``project_id``, ``email``, ``output_dir`` (see ``IDENTITY_WORDS``), ``user``,
    ``tenant`` (:data:`~oomlint.python.astutil.ACCOUNT_WORDS`); not the address of a
    configured thing (``endpoint_uri``, ``server_url``: ``CONFIGURED_WORDS``)."""
    words = [word.lower() for word in name_words(name)]
    if len(words) > 1 and words[-1] in _ADDRESS_WORDS and words[-2] in CONFIGURED_WORDS:
        return False  # ``endpoint_uri``, ``server_url``: where the process connects, as configured
    return bool(words) and (words[-1] in IDENTITY_WORDS or words[-1] in ACCOUNT_WORDS)


def names_time(name: str) -> bool:
    """Whether ``name`` (a parameter's) holds a point in time: ``timestamp``, ``start_ts``,
    ``mtime`` (see ``TIME_WORDS``); the clock's values never repeat."""
    words = name_words(name)
    return bool(words) and words[-1].lower() in TIME_WORDS


class _Walk:
    def __init__(self, model: SemanticModel, inputs: WebInputs, function: ast.AST, parameters: set[str]):
        self.model = model
        self.inputs = inputs
        self.function = function
        self.parameters = parameters
        self.inputs_known = not INPUT_PACKAGES.isdisjoint(inputs.imported)

    def evidence(self, expr: ast.expr | None, depth: int, asked: bool = False) -> str | None:
        """``asked``: the origin of ``expr`` was part of what an enclosing expression's
        origin followed (a name's value, an attribute's owner): not asked again."""
        if expr is None or depth < 0:
            return None
        untrusted = self.inputs.origin(expr).untrusted if self.inputs_known and not asked else None
        if untrusted is not None:
            return untrusted
        if is_class_value(self.model, expr, self.function) or names_few_values(expr):
            return None
        if self.model.qualified_name(expr.func if isinstance(expr, ast.Call) else expr) in INPUT_STREAMS:
            return USER_INPUT  # ``for line in sys.stdin``
        if isinstance(expr, (ast.Await, ast.NamedExpr, ast.FormattedValue, ast.Starred)):
            return self.evidence(expr.value, depth, isinstance(expr, (ast.Await, ast.FormattedValue)))
        if isinstance(expr, ast.Name):
            return self._name(expr, depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, depth)
        if isinstance(expr, ast.Subscript):
            field = expr.slice
            if isinstance(field, ast.Constant) and isinstance(field.value, str) and identity_name(field.value):
                return self._identity(expr.value, field.value, depth)  # ``obj["pk"]``, ``data["user"]["id"]``
            return self.evidence(expr.value, depth - 1, asked=True)
        if isinstance(expr, ast.Call):
            return self._call(expr, depth)
        return self._first(_parts(expr), depth, asked=isinstance(expr, (ast.JoinedStr, ast.BinOp)))

    def _first(self, parts: list[ast.expr], depth: int, asked: bool = False) -> str | None:
        """The first part's evidence; every part is walked, so its parameters are collected."""
        found = [self.evidence(part, depth, asked) for part in parts]
        return next((item for item in found if item), None)

    def _name(self, name: ast.Name, depth: int) -> str | None:
        binding = self._lookup(name)
        if binding is None or binding.scope is self.model.module_scope:
            return None
        if binding.kind == "param":
            if binding.scope.node is not self.function or self.model.is_self(name, binding.scope):
                return None
            if names_time(name.id):
                return TIMESTAMP  # ``timestamp_to_datetime(self, timestamp)``: the clock's values
            self.parameters.add(name.id)
            return None
        if binding.kind in ("assign", "with") and binding.value is not None:
            return self.evidence(binding.value, depth - 1, asked=True)
        loop = binding.node
        if isinstance(loop, (ast.For, ast.AsyncFor, ast.comprehension)):
            return self.evidence(loop.iter, depth - 1)  # an item of what the loop walks
        return None

    def _lookup(self, name: ast.Name) -> Binding | None:
        """The binding ``name`` reaches, seen from the comprehension it is in, if any (whose
        loop variables the function's scope does not see: ``field`` of
        ``tuple(field.id for field in fields)``)."""
        node = self.model.parent(name)
        while node is not None and node is not self.function and not isinstance(node, _COMPREHENSIONS):
            node = self.model.parent(node)
        scope = self.model.scope_of(node) if isinstance(node, _COMPREHENSIONS) else None
        return self.model.lookup(name.id, scope, at=name)

    def _attribute(self, expr: ast.Attribute, depth: int) -> str | None:
        if identity_name(expr.attr):
            return self._identity(expr.value, expr.attr, depth)
        if self._fixed_owner(expr.value):
            return None
        # ``row.name`` of a database row, ``uuid4().hex``: what the owner grows with. Not the
        # owner's parameters: ``plugin.name`` is no identity of what callers pass.
        return _Walk(self.model, self.inputs, self.function, set()).evidence(expr.value, depth - 1, asked=True)

    def _identity(self, owner: ast.expr, field: str, depth: int) -> str | None:
        """``owner.<field>`` or ``owner["<field>"]``, ``field`` naming an identity: an
        entity's, unless ``owner`` is fixed or a service object's own."""
        if self._fixed_owner(owner):
            return None
        root = _root(owner)
        if root is not None and self.model.is_self(root) and not self._record():
            return None  # what a service object was made with: settings, not entities
        self.evidence(owner, depth - 1, asked=True)  # the parameters behind it
        return f"an entity's '{field}'"

    def _fixed_owner(self, owner: ast.expr) -> bool:
        """A module, or an object made at import (``APP.config``): one value per process."""
        root = _root(owner)
        if root is None:
            return False
        binding = self._lookup(root)
        if binding is not None and isinstance(binding.node, (ast.For, ast.AsyncFor, ast.comprehension)):
            return self._fixed_owner(binding.node.iter)  # ``for plugin in PLUGINS``: an item of what is fixed
        return binding is None or binding.kind == "import" or binding.scope is self.model.module_scope

    def _record(self) -> bool:
        """The walk is in a method of a record class (a named tuple, a dataclass, a model)."""
        owner = self.model.method_class
        return owner is not None and (
            any(self.model.qualified_name(base) in RECORD_BASES or last_name(base) == "Model" for base in owner.bases)
            or any(
                self.model.qualified_name(item.func if isinstance(item, ast.Call) else item) in RECORD_DECORATORS
                for item in owner.decorator_list
            )
        )

    def _call(self, call: ast.Call, depth: int) -> str | None:
        name = self.model.qualified_name(call.func)
        if name in FRESH_VALUES:
            return FRESH_VALUES[name]
        if name in COLLAPSING:
            return None
        if name == "builtins.next" and call.args:
            made = self.model.resolve(call.args[0])
            if isinstance(made, ast.Call) and self.model.qualified_name(made.func) in COUNTERS:
                return "a counter"
        if _reads_database(call):
            return DATABASE_ROW
        func = call.func
        parts = [*call.args, *(item.value for item in call.keywords)]
        if isinstance(func, ast.Attribute) and name is None:
            parts.insert(0, func.value)  # a method of a value: ``path.resolve()``, ``key.lower()``
        return self._first(parts, depth - 1)


def _parts(expr: ast.expr) -> list[ast.expr]:
    """What a key built from parts is made of: an f-string's holes, a tuple's items, ``+``
    and ``%`` operands, either branch of ``a if c else b``, a comprehension's element
    (``tuple((field.id, field.modified_at) for field in fields)``)."""
    if isinstance(expr, ast.JoinedStr):
        return list(expr.values)
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return list(expr.elts)
    if isinstance(expr, ast.BinOp):
        return [expr.left, expr.right]
    if isinstance(expr, ast.IfExp):
        return [expr.body, expr.orelse]
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return [expr.elt]
    if isinstance(expr, ast.DictComp):
        return [expr.key, expr.value]
    return []


def looked_up_in_database(value: ast.expr, key: ast.expr) -> bool:
    """``User.objects.get(email=email)`` stored under ``email``: the key picks a row of a
    table, one entry per row the program reads (a memo of what ``load_user(user_id)``
    returns is no evidence: nothing shows a database behind it)."""
    value = value.value if isinstance(value, ast.Await) else value
    if not isinstance(value, ast.Call) or not _reads_database(value):
        return False
    wanted = ast.dump(key)
    return any(ast.dump(given) == wanted for given in (*value.args, *(item.value for item in value.keywords)))


def _root(expr: ast.expr) -> ast.Name | None:
    """The name an attribute chain starts from (``project`` of ``project.owner.id``)."""
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        expr = expr.value
    return expr if isinstance(expr, ast.Name) else None


def _reads_database(call: ast.Call) -> bool:
    """A call on a chain that reads a database: ``Model.objects.filter(...)``,
    ``cursor.fetchall()``, ``session.query(Model).all()``."""
    expr: ast.expr = call
    while isinstance(expr, (ast.Call, ast.Attribute, ast.Subscript)):
        if isinstance(expr, ast.Call):
            expr = expr.func
            continue
        if isinstance(expr, ast.Attribute) and (
            expr.attr in DATABASE_ATTRIBUTES or expr.attr in DATABASE_METHODS
        ):
            return True
        expr = expr.value
    return False
