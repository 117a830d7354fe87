"""OOM304: a Redis write that creates a key with no expiry."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from oomlint.core.rule import Rule
from oomlint.python.astutil import (
    account_id,
    argument,
    decorator_names,
    id_words,
    last_name,
    name_words,
    names_few_values,
    route_name,
)
from oomlint.python.children import walk
from oomlint.python.keyspace import (
    DELETE, DELETES, EXPIRING_PARAMETERS, POP, SCANS, SWEEP, key_family, removed_families, same_family,
)
from oomlint.python.project import ANYTHING, call_origin, passed_literals, passes_few_values, project_name, value_origin
from oomlint.python.provenance import CONFIGURED_WORDS
from oomlint.python.runs import runs_of
from oomlint.python.semantic import Scope

_CLIENT_CLASSES = (
    "Redis", "StrictRedis", "client.Redis", "client.StrictRedis", "RedisCluster", "cluster.RedisCluster",
)
_PACKAGES = ("redis", "redis.asyncio")
PROPERTIES = frozenset({"builtins.property", "functools.cached_property"})
CLIENT_TYPES = frozenset(f"{package}.{name}" for package in _PACKAGES for name in _CLIENT_CLASSES)
# Flask-Redis's extension object hands every attribute to the client it builds.
CLIENT_FACTORIES = frozenset(
    {f"{name}{suffix}" for name in CLIENT_TYPES for suffix in ("", ".from_url")}
    | {f"{package}.{module}from_url" for package in _PACKAGES for module in ("", "utils.")}
    | {"flask_redis.FlaskRedis", "flask_redis.FlaskRedis.from_custom_provider"}
)
PIPELINE_TYPES = frozenset(
    {f"{package}.client.Pipeline" for package in _PACKAGES} | {"redis.cluster.ClusterPipeline"}
)
SENTINELS = frozenset(f"{package}.{module}Sentinel" for package in _PACKAGES for module in ("", "sentinel."))

# Commands that create the key they write. The key is their first parameter, named as here.
KEY_PARAMETER = {"append": "key", "mset": "mapping", "msetnx": "mapping"}
WRITES = frozenset(
    {
        "set", "setnx", "mset", "msetnx", "getset", "setrange", "setbit", "append",
        "incr", "incrby", "incrbyfloat", "decr", "decrby",
        "hset", "hsetnx", "hmset", "hincrby", "hincrbyfloat",
        "sadd", "lpush", "rpush", "zadd", "zincrby", "pfadd", "geoadd", "xadd",
    }
)
# Writes that replace a string's value and drop its TTL; the others change a key in place.
REPLACES = frozenset({"set", "setnx", "getset", "mset", "msetnx"})
# Writes whose key holds one value of a bounded size, however often they run: a string, a
# number, a HyperLogLog (12 KB at most). On a fixed key they cannot grow with traffic.
ONE_VALUE = frozenset({"set", "setnx", "getset", "mset", "msetnx", "incr", "incrby", "incrbyfloat", "decr", "decrby", "pfadd"})
# Writes that add a member or field to a collection key: (position, keyword) of the member
# parameters, or ``"*"`` for the members passed after the key (``sadd(key, *members)``).
# On a fixed key with fixed members they cannot grow either. Lists and streams always do.
MEMBERS = {
    "hset": ((1, "key"),), "hsetnx": ((1, "key"),), "hincrby": ((1, "key"),), "hincrbyfloat": ((1, "key"),),
    "sadd": "*", "zincrby": ((2, "value"),),
}
MAPPING_MEMBERS = {"hset": (None, "mapping"), "hmset": (1, "mapping"), "zadd": (1, "mapping")}
# (position, keyword) of the parameters through which the command trims the key it writes
# (those through which it expires it are ``EXPIRING_PARAMETERS``),
TRIMMING_PARAMETERS = {"xadd": ((3, "maxlen"), (6, "minid"))}
# and through which it only updates members that exist (creating neither key nor member).
UPDATING_PARAMETERS = {"zadd": ((3, "xx"),)}
EXPIRES = frozenset({"expire", "pexpire", "expireat", "pexpireat"})
# Commands that end a key or take entries out of it, and the name of their key parameter
# (the first). The blocking pops take a key or a list of keys.
REMOVES = {
    **dict.fromkeys(EXPIRES, "name"),
    **dict.fromkeys(
        (
            "hdel", "srem", "zrem", "zremrangebyscore", "zremrangebyrank", "zremrangebylex",
            "lrem", "ltrim", "xtrim", "xdel", "lpop", "rpop", "spop", "zpopmin", "zpopmax",
        ),
        "name",
    ),
    **dict.fromkeys(("rpoplpush", "brpoplpush", "smove"), "src"),
    **dict.fromkeys(("lmove", "blmove"), "first_list"),
    **dict.fromkeys(("blpop", "brpop", "bzpopmin", "bzpopmax"), "keys"),
}
# Commands that cap a key's size: a key trimmed after each write is a store sized on purpose.
TRIMS = frozenset({"ltrim", "xtrim", "zremrangebyrank", "zremrangebyscore", "zremrangebylex"})
# Commands that push onto a list: what a consumer pops is a queue.
PUSHES = frozenset({"lpush", "rpush"})
MAPPING_VIEWS = frozenset({"keys", "items"})

_QUALIFIER_WORDS = frozenset({"name", "url", "uri"})
_QUALIFIED = re.compile(r"\{([^{}()]*)(?:\(\))?\}")
# Words that name traffic: what clients open and may abandon, or what each request makes.
# A key or member named after one multiplies with use, whatever deletes some of them.
TRAFFIC_WORDS = frozenset(
    {"session", "sid", "token", "request", "req", "visit", "visitor", "ip", "nonce", "csrf", "otp", "captcha", "trace",
     "span", "correlation", "job", "task", "run", "execution", "order", "message", "msg", "event", "notification",
     "attempt", "upload", "cart", "payment", "transaction"}
)

# Commands no other client of a key-value store spells so: an object given to a class that
# calls them on it is a Redis client (``self.client.setnx(lock, expires)``), whatever its
# caller, which may be out of sight, passes.
REDIS_COMMANDS = frozenset(
    {"setnx", "setex", "psetex", "getset", "hset", "hsetnx", "hget", "hgetall", "hmset", "hincrby", "hdel", "zadd",
     "zincrby", "zrange", "zrangebyscore", "zrem", "zscore", "lpush", "rpush", "lrange", "ltrim", "sadd", "srem",
     "smembers", "sismember", "pfadd", "pexpire", "pttl", "xadd", "blpop", "brpop"}
)

CLIENT, PIPELINE, SENTINEL = "client", "pipeline", "sentinel"
_DEPTH = 8
_KEY_TEXT = 40

Position = tuple[int, int]


@dataclass(frozen=True)
class Key:
    """A key expression as the rule compares it; a local name stands for what it was assigned."""

    identity: str
    """``ast.dump`` of the expression: the same text is the same key."""
    fixed: bool
    """The same key on every call (per process, or per instance): see :meth:`RedisKeyWithoutTtl._fixed`."""
    kept: bool = False
    """A per-entity key named by accounts or configured things only (see :meth:`RedisKeyWithoutTtl._kept`)."""


@dataclass(eq=False)
class Write:
    call: ast.Call
    """The call that writes: the command's, or that of a project function passing its key on."""
    command: str
    key: ast.expr
    described: Key
    scope: Scope
    function: ast.AST | None
    forwarded: bool = False
    """Through a project function that writes with a client (:meth:`RedisKeyWithoutTtl._forwarded`)."""


@dataclass(frozen=True)
class Removal:
    """A key family the module deletes, pops or sweeps (see :mod:`oomlint.python.keyspace`), and where."""

    what: str
    family: str
    function: ast.AST | None = None
    position: Position | None = None
    identity: str | None = None
    """The key deleted, as :class:`Key` compares it; None for a removal in another module."""


class RedisKeyWithoutTtl(Rule):
    """
    ## What it does
    Flags writes that create a Redis key with no expiry, made through a redis-py client
    (`redis.Redis`, `StrictRedis`, `RedisCluster`, `from_url`, a Sentinel's
    `master_for`, and the same from `redis.asyncio`) or one of its pipelines, when
    nothing in the code bounds the key. A client a class is given by its constructor
    (`self.client = redis_client`, no annotation, the caller out of sight) counts as one
    when the class sends it a command only Redis has (`setnx`, `hset`, `zadd`, `lpush`,
    `sadd`, `pexpire`...); `get`/`set` alone could be any key-value client. A client the
    project makes at import in one module (`client = redis.Redis(...)` in `app/kv.py`)
    is followed into every module that imports it, also one whose text never names
    `redis` (`from app.kv import client`), and so is one a function of the project
    returns from the module's global (`get_store()` returning `_store`, made at import or
    on the first call): every caller gets that client.

    The commands are `set` without `ex`/`px`/`exat`/`pxat`/`keepttl` (`ex=None` is no
    expiry; a third positional argument is `ex`), `setnx`, `mset`, `msetnx`, `getset`,
    `setrange`, `setbit`, `append`, `incr`/`incrby`/`incrbyfloat`/`decr`/`decrby`,
    `hset`/`hsetnx`/`hmset`/`hincrby`/`hincrbyfloat`, `sadd`, `lpush`, `rpush`, `zadd`,
    `zincrby`, `pfadd`, `geoadd` and `xadd`. `setex` and `psetex` always expire.
    A `zadd` with `xx` (unless `xx=False`) only updates members that exist: not flagged.

    ## Why is this bad?
    A key with no TTL stays until something deletes it. Keys named after users,
    sessions or requests then accumulate with traffic: Redis memory only grows until
    Redis hits `maxmemory` (and evicts or refuses writes) or is OOM-killed, taking its
    clients down with it. These are the "Redis keys with no TTL that only grow" of the
    cache runbook.

    ## Known limits
    A key is bounded when the same function expires it after the write (`expire`,
    `pexpire`, `expireat`, `pexpireat`, on the same key expression; the keys of an
    `mset` when the function expires each of them, or every key of the mapping in a
    loop). An expiry before the write that creates the key does nothing; one on the
    other branch of an `if` counts for a write that changes the key in place (not the
    `set` family): the function expires the key on the path that creates it (`hset`
    then `expire`) and updates it on the other (`hset(key, "executed", 1)`), which keeps
    its TTL. A function nested in another (a callback, a timer's refresher) writes the
    key of the function that binds its name: what that function does with the key after
    the write (expires it, deletes it in its `finally`) counts for the nested one's
    writes. Beyond that, what bounds a key depends on what grows:
    - A *fixed* key is the same on every call: a constant, a module-level name, an
      attribute of `self`/`cls` or of a module, a call with no arguments
      (`_index_key()`), an f-string, `+`, `%` or subscript of those, or the keys of an
      `mset` literal. It is one key (per instance), so what grows is its content, and
      some writes cannot make it grow: those that store one value (`set`, `setnx`,
      `getset`, `mset`, `msetnx`, `incr`/`incrby`/`incrbyfloat`/`decr`/`decrby`: one
      counter is one integer; `pfadd`: a HyperLogLog stays under 12 KB) and those that
      add fixed members (`hset("flags", "maintenance", 1)`, `hset` or `zadd` with a
      literal mapping of fixed keys, `sadd("features", "search")`, `hsetnx`,
      `hincrby`/`hincrbyfloat`, `zincrby` with a fixed field or member, or with a
      field or member that is the id of something the application keeps:
      `hset("executed-at", query_id, now)` holds one field per saved query, or with
      the name of the route the request matched, `zincrby("api:endpoints", 1,
      request.resolver_match.url_name)`, `request.endpoint`, `request.url_rule.rule`:
      one member per route the application declares; not the path, nor the route's
      arguments). These are
      not flagged. Lists and streams grow with every push. Other writes to a fixed key
      are not flagged when anything in the module ends it or takes entries out of it
      (the same key expression): expires it (elsewhere, or after the write here),
      deletes it (`delete`, `unlink`, `getdel`), removes members (`hdel`, `srem`,
      `zrem`, `zremrangebyscore`/`rank`/`lex`, `lrem`, `xdel`), pops them (`lpop`,
      `rpop`, `spop`, `zpopmin`/`zpopmax`, `blpop`/`brpop`/`bzpopmin`/`bzpopmax`,
      `rpoplpush`, `brpoplpush`, `lmove`, `blmove`, `smove`) or trims it (`ltrim`,
      `xtrim`, `xadd` with `maxlen`/`minid`); or when another module of the project
      deletes, pops or sweeps it (below). Such a key is a store of live state (a job
      store's jobs, a queue, a capped list), not something that grows with traffic;
      OOM303 counts eviction anywhere in the module the same way.
    - Every other key is *per entity*, built from a parameter or a local value
      (`f"session:{session_id}"`, `_policy_key(policy.id)`, `str(path)`): what grows is
      the number of keys, so trimming or removing members does not bound it. What
      bounds it is a removal of its *family*: the key's text with its changing parts
      left out (`session:*`), where a module-level name or a setting counts by its
      qualified name (`f"{DESTINATIONS}{api_key}"` is the same family in every module
      that imports `DESTINATIONS`), a key builder by its name and the texts it is
      given (`delete(_policy_key(stale_id))`; `_key("lock", tile)` is not
      `_key("data", tile)`: deleting a tile's lock leaves its data), `self.<attr>` by what the class assigns it
      (`self.queue = getattr(settings, "QUEUE", "")` is `settings.QUEUE`), and a key
      walked from a scan by the scan's pattern. Removals in the project's other
      modules count as in this one (the modules that make or use a Redis client, as
      the project index summarizes them); ids and one-value writes aside, a key is
      not flagged when:
      - the project pops the list it pushes (`rpush` here, `blpop`, `lpop`,
        `rpoplpush`... of the same family anywhere): a queue, and Redis deletes a list
        when its last entry is popped;
      - the project walks the family and deletes its keys
        (`for key in r.scan_iter("names:*"): r.delete(key)`, or `scan_iter(key("*"))`
        and `delete(key(...))` in the function that walks them or in a function it
        calls): a consumer that drains every key. A scan that only reads
        (`load_all_jobs`) beside a deletion by id elsewhere (`remove_job(job_id)`)
        drains nothing;
      - the writing function deletes another key of the family (it keeps the keys in
        step with their source) or this key after writing it (a temporary key).
        Deleting the key first and writing it again bounds nothing;
      - another function or module deletes keys of the family
        (`delete_destination(api_key)` beside `set_destination(api_key, ...)`): the
        keys go with the entities they mirror. Not when the key is named after traffic
        (`session`, `token`, `request`, `visitor`, `nonce`, `job`, `task`, `order`,
        `message`, `event`..., or their plurals: in its text or the names of its
        changing parts): sessions deleted at logout stay when the user never logs out.
        Nor a deletion in a mapping's `__delitem__`: it runs when the mapping's users
        delete (`del cache[key]`), which a cache's users leave to the cache, so the keys
        its `__setitem__` writes stay;
      - the key is the caller's (a parameter, or an item of one: `for store in
        stores`) and the function trims it after the write: a store sized on purpose,
        how many of them there are is the caller's business.
    - A per-entity key whose changing parts are all ids named after accounts
      (`user.id`, `request.user.pk`, `user_id`, `viewer.id`, `account_id`, `wallet_id`, also through
      a key builder: `unread_key(user.id)`) or names of what a deployment configures
      (`issuer_url`, `message["instance"]`, `metrics_namespace`, a host, node, cluster,
      region, queue, endpoint, locale, kind or setting) makes one key per account or
      configured thing: the keys follow the accounts and configuration the application
      keeps, not its traffic. Such a key is bounded like a fixed one when the write
      stores one value or fixed members (`set(f"{user.id}-unread", 0)`,
      `set(f"oidc:jwks:{issuer_url}", keys)`), or when the same function trims it after
      the write (a feed capped with `zremrangebyrank`); a list or set per account that
      every request adds to still grows (`lpush(f"history:{user.id}", path)`). Ids of
      jobs, orders, messages or sessions are traffic, whatever holds them
      (`job_config.job_id` is a job's, not a setting); a URL is not configuration
      (`set(f"page:{url}", html)` is flagged).

    These are judged by names, as a reader would: a family is only known when the key
    has some fixed text, a deletion in code the index does not summarize is not seen,
    and a prefix imported through a re-export is spelled by the re-export's name.

    A local name stands for the key it was assigned (`key = f"rate:{user_id}"`). A
    parameter counts as a fixed key when every call of its function passes it few values
    (a constant, a module-level name, a setting: `_sync(USER_LIMIT_KEY, value)`; a
    private function's calls in the module, any function's in the project), as OOM301
    and OOM303 judge a helper's arguments. A method's calls include those made on what
    a service locator returns (`get_storage().set_flag("flags:banner", text)`, where
    `get_storage()` returns a module-level name only ever bound to instances of the
    project's classes, or `None`). A function the project never calls (an API,
    a handler) takes any key. Such a key is its function's own (another function's
    parameter of the same name is another key), unless every call of each gives it
    string literals: then it is those texts, in every function and as written in the
    code (`inc_hash("banned", ip)` and `del_hash("banned", ip)`, or `hdel("banned", ip)`,
    name one hash, whose fields the project takes out).

    Not flagged either: a write that runs only after `exists(K)` or `hexists(K, field)`
    on a client found the key: in the body of `if r.exists(K)`, in the `else` of
    `if not r.exists(K)`, or after a guard clause `if not r.exists(K): return` (or
    `raise`, `continue`, `break`) in the same block. It changes a key that exists and
    keeps its TTL. The `set` family (`set`, `setnx`, `getset`, `mset`, `msetnx`) is
    still flagged there: replacing a value drops the key's TTL.

    The client may be bound to a module-level or local name, stored on `self` (or on
    the class), or opened with `with`/`async with`; pipelines may be named, opened with
    `with`, or chained (`r.pipeline().set(k, v).execute()`). Clients made elsewhere
    in the project are followed: a module-level client imported from another module
    (`from app import redis_store`, also through re-exports), one returned by a project
    function (`get_redis().set(...)`, memoized or not), a parameter annotated as a
    client or pipeline (`r: redis.Redis`, `Optional[Redis]`, `redis.asyncio.Redis | None`),
    one stored on `self` from any of these in another method, and a property of a
    class of the module annotated as returning a client, read on a parameter annotated
    with that class (`task: "Task"`, then `task.redis.set(...)`). Flask-Redis's
    `FlaskRedis()` counts as a client. An unannotated parameter is not followed.

    A project function or method that passes its caller's key and expiry on to a
    client's `set` (a wrapper's `set(self, key, value, ex=None)` calling
    `self.client.set(key, value, ex)`, or passing its `**kwargs`) counts as that
    `set` where it is called, with the caller's arguments in their places:
    `redis_store.set(f"invite:{state}", data)` is flagged, `redis_store.set(key,
    data, ex=3600)` is not, nor a call that leaves the expiry to a default that is
    something (`ttl=3600`). A wrapper that sets the expiry itself, or never lets its
    caller set one, is judged where it calls the client. A write on the branch where the
    function's own expiry parameter is empty (`if ttl: r.setex(key, ttl, value)` /
    `else: r.set(key, value)`, `if ttl is None:`) is its caller's choice, as with
    `ex=ttl`: not flagged there.

    A thin adapter over a client its class is given (`self._db = db` in `__init__`, its
    caller out of sight), whose method does nothing but pass its caller's key on whole
    (`async def hset(self, key, field, value): return await self._db.hset(key, field,
    value)`), decides neither the connection, nor the key, nor its lifetime: its users
    do, and it is not flagged. A key it builds (`self._key("data", tile)`: a keyspace of
    its own), one named after traffic (`session_id`), a method that does more than the
    one call, and a class that makes its client itself are judged there.

    ## Example
    ```python
    import redis

    r = redis.Redis()

    def remember_session(session_id, payload):
        r.set(f"session:{session_id}", payload)
        r.hincrby("hits", session_id)
    ```

    ## Use instead
    ```python
    import redis

    r = redis.Redis()

    def remember_session(session_id, payload):
        r.set(f"session:{session_id}", payload, ex=3600)
        with r.pipeline() as pipe:
            pipe.hincrby("hits", session_id)
            pipe.expire("hits", 86400)
            pipe.execute()
    ```

    ## Options
    None.

    ## Fix
    None: how long a key should live is a decision about the data.

    ## References
    - [redis-py commands](https://redis.readthedocs.io/en/stable/commands.html)
    - [Redis: EXPIRE](https://redis.io/docs/latest/commands/expire/)
    - [Redis: key eviction](https://redis.io/docs/latest/develop/reference/eviction/)
    """

    code = "OOM304"
    required_text = ("redis",)  # the package every client it knows is made by
    symbol = "redis-key-without-ttl"
    summary = "Redis write that creates a key with no expiry"
    message = "Redis {command}({key}, ...) writes a key with no TTL and this function never expires it: it stays until deleted"
    follows = CLIENT_FACTORIES | SENTINELS

    @classmethod
    def helper_names(cls, project, options: dict[str, object]) -> frozenset[str]:
        """The helpers that return a client, and the clients the project's modules make at
        import (``client = redis.Redis()``, whose origin is the factory's result): a module
        that imports one writes through Redis without naming it."""
        made = frozenset(f"{factory}()" for factory in cls.followed(options))
        return super().helper_names(project, options) | project.leading_names(made)

    def __init__(self, context, options):
        super().__init__(context, options)
        self.writes: list[Write] = []
        # Per function (None: module level), the key expressions it expires, as ``ast.dump``
        # strings, and ``("in", dump)`` for every key of a mapping expired in a loop, with
        # the expiry's end and call: one before the write that creates the key does nothing.
        self.expired: dict[ast.AST | None, list[tuple[object, Position, ast.Call]]] = {}
        # Fixed keys that something in the module ends or takes entries out of, and where:
        # the function, and for an expiry its end (one before the write does nothing).
        self.ended: dict[str, list[tuple[ast.AST | None, Position | None]]] = {}
        self._passed_texts: dict = {}
        """Per parameter binding: :meth:`_literals`."""
        # The calls that delete or pop keys, with their scope and function: their families
        # are worked out at the end, once every ``self.<attr>`` of the module is known.
        self.removals: list[tuple[ast.Call, Scope, ast.AST | None]] = []
        # Per function, the keys it trims (their identities) and where.
        self.trimmed: dict[ast.AST | None, list[tuple[str, Position]]] = {}
        # The patterns of the keys the module walks (``scan_iter(key("*"))``, ``keys("jobs:*")``).
        self.scanned: list[tuple[ast.expr, ast.Call, Scope]] = []
        """With the call and its scope: whether ``x.keys(...)`` is a client's is known at the end."""
        # Per (class, attribute): what the class stores there (``self.client = client``
        # with ``client: redis.Redis``), judged where it is assigned, in that scope.
        self.attributes: dict[tuple[ast.AST, str], str] = {}
        # (class, attribute) of ``self.<attr>`` that a method sends a Redis command to.
        self.commanded: set[tuple[ast.AST, str]] = set()

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._attribute(target, node.value, None)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._attribute(node.target, node.value, node.annotation)

    def _attribute(self, target: ast.expr, value: ast.expr | None, annotation: ast.expr | None) -> None:
        """Note what a ``self.<attr>`` assignment (or a class body's annotated name) stores."""
        if isinstance(target, ast.Attribute) and self.model.is_self(target.value):
            owner, name = self.model.method_class, target.attr
        elif isinstance(target, ast.Name) and self.model.class_def is not None:
            owner, name = self.model.class_def, target.id
        else:
            return
        kind = self._annotated_kind(annotation) if annotation is not None else None
        if kind is None and value is not None:
            kind = self._kind(value, self.model.scope, _DEPTH)
        if kind is not None:
            self.attributes.setdefault((owner, name), kind)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Note a property whose return annotation is a client (``@property def redis(self)
        -> redis.Redis``): reading it on an instance gives that client."""
        owner = self.model.class_def
        if owner is None or node.returns is None or not decorator_names(self.model, node) & PROPERTIES:
            return
        kind = self._annotated_kind(node.returns)
        if kind is not None:
            self.attributes.setdefault((owner, node.name), kind)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        forwarded = self._forwarded(node)
        if forwarded is not None:
            self._write(node, forwarded.func.attr, forwarded)
            return
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        command = func.attr
        receiver = func.value
        if command in REDIS_COMMANDS and isinstance(receiver, ast.Attribute) and self.model.is_self(receiver.value):
            owner = self.model.method_class
            if owner is not None:
                self.commanded.add((owner, receiver.attr))
        if command in WRITES:
            self._write(node, command)
        elif command in SCANS:
            pattern = argument(node, *SCANS[command])
            if pattern is not None:
                self.scanned.append((pattern, node, self.model.scope))
        elif command in DELETES:
            self.removals.append((node, self.model.scope, self.model.function))
            for key in node.args:
                if not isinstance(key, ast.Starred):
                    self._remove(key, node)
        elif command in REMOVES:
            key = argument(node, 0, REMOVES[command])
            if key is None:
                return
            self.removals.append((node, self.model.scope, self.model.function))
            if command in EXPIRES:
                at = _end(node)
                self.expired.setdefault(self.model.function, []).extend((token, at, node) for token in self._key_tokens(key))
            for item in key.elts if isinstance(key, (ast.List, ast.Tuple)) else [key]:
                self._remove(item, node)
            if command in TRIMS:
                self.trimmed.setdefault(self.model.function, []).append((self._describe(key).identity, _position(node)))

    def _write(self, reported: ast.Call, command: str, call: ast.Call | None = None) -> None:
        """Note a write of ``command``, ``call`` (``reported`` itself, or what a project
        function it calls passes the command)."""
        forwarded = call is not None
        call = call or reported
        if _passes(call, EXPIRING_PARAMETERS.get(command)) or _passes(call, UPDATING_PARAMETERS.get(command)):
            return
        key = argument(call, 0, KEY_PARAMETER.get(command, "name"))
        if key is None:
            return
        if not forwarded and self._caller_chose_no_expiry(call):
            return
        described = self._describe(key)
        if described.fixed and _passes(call, TRIMMING_PARAMETERS.get(command)):
            self._end(described, None)
        if (described.fixed or described.kept) and self._bounded_content(call, command):
            return  # one value, or fixed members, under one key (or one per account): nothing grows
        self.writes.append(Write(reported, command, key, described, self.model.scope, self.model.function, forwarded))

    def _caller_chose_no_expiry(self, call: ast.Call) -> bool:
        """``if ttl: r.setex(key, ttl, value)`` / ``else: r.set(key, value)``: a write on the
        branch where the function's own expiry parameter is empty. The function expires
        what its caller asks it to; that the caller asks for no expiry is the caller's
        choice, as for a wrapper that passes ``ex=ttl`` on."""
        function = self.model.function
        if function is None:
            return False
        parameters = {arg.arg for arg in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        for test, value in self.model.guards(call):
            name = _tested_name(test, value)
            if name in parameters and _expires_with(function, name):
                return True
        return False

    def _forwarded(self, call: ast.Call) -> ast.Call | None:
        """The command a call of a project function writes with a client, with the
        caller's arguments in the places the function passes its parameters to
        (:meth:`~oomlint.python.project.ProjectIndex.forwards`): ``redis_store.set(key, data)``
        with ``RedisClient.set(self, key, value, ex=None)`` calling
        ``self.client.set(key, value, ex)`` writes ``set(key, _, None)``. None for any other
        call, or one that passes ``*``/``**`` (what it gives is not known)."""
        project = self.context.project
        if project is None or last_name(call.func) not in project.forwarding_names():
            return None
        if any(isinstance(arg, ast.Starred) for arg in call.args) or any(item.arg is None for item in call.keywords):
            return None
        qualified = self._wrapper(call.func)
        found = project.forwards(qualified) if qualified is not None else None
        if found is None:
            return None
        (positional, variadic, keyword_only, variadic_keywords, defaulted), writes = found
        given = dict(zip(positional, call.args))
        given.update((item.arg, item.value) for item in call.keywords if item.arg in positional or item.arg in keyword_only)
        extra = [item for item in call.keywords if item.arg not in given]
        if len(call.args) > len(positional) or (extra and not variadic_keywords):
            return None  # ``*args`` given, or a call that fails
        for command, how, receiver, arguments in writes:
            made = project.origin(receiver, shared=True) if how == "call" else project.value(receiver)
            if made in CLIENT_FACTORIES:
                return _command_call(command, arguments, given, defaulted, extra if variadic_keywords else [])
        return None

    def _wrapper(self, func: ast.expr) -> str | None:
        """The qualified name of the project function or method ``func`` names: a method
        by the class of what it is called on (made by a call, or a module-level value of
        another module)."""
        scope = self.model.scope
        if not isinstance(func, ast.Attribute) or self.model.is_self(func.value, scope):
            return self._qualifier(scope)(func)
        owner = self.model.resolve(func.value, scope)
        if isinstance(owner, ast.Call):
            made = call_origin(self.context, owner.func, scope=scope, shared=True)
        elif isinstance(owner, (ast.Name, ast.Attribute)):
            made = value_origin(self.context, owner, scope)
        else:
            made = None
        return f"{made}.{func.attr}" if made is not None else None

    def _bounded_content(self, call: ast.Call, command: str) -> bool:
        """A write to a fixed key that stores one value (``incr("hits")``) or fixed members
        (``hset("flags", "maintenance", 1)``): it overwrites, it does not accumulate."""
        if command in ONE_VALUE:
            return True
        members = MEMBERS.get(command)
        if members == "*":
            values = call.args[1:]
            if not values or any(isinstance(value, ast.Starred) for value in values):
                return False
        elif members is not None:
            values = [argument(call, *parameter) for parameter in members]
        else:
            values = []
        if command in MAPPING_MEMBERS:
            mapping = argument(call, *MAPPING_MEMBERS[command])
            if mapping is not None:
                mapping = self.model.resolve(mapping)  # ``status = {...}; hset(key, mapping=status)``
                if not isinstance(mapping, ast.Dict) or None in mapping.keys:
                    return False
                values = [*values, *mapping.keys]
        values = [value for value in values if value is not None]
        return bool(values) and all(
            self._fixed(value) or _entity_id(value) or route_name(self.model.resolve(value)) for value in values
        )

    def _end(self, key: Key, expiry_end: Position | None) -> None:
        self.ended.setdefault(key.identity, []).append((self.model.function, expiry_end))

    def _remove(self, key: ast.expr, call: ast.Call) -> None:
        described = self._describe(key)
        if described.fixed:
            self._end(described, _end(call) if call.func.attr in EXPIRES else None)

    def finish(self) -> None:
        # Receivers are resolved here: ``self.<client>`` may be assigned in a method
        # walked after the one that writes through it.
        removals = self._removals() if self.writes else []
        for owner, attribute in self.commanded:
            if (owner, attribute) not in self.attributes and self._injected(owner, attribute):
                self.attributes[owner, attribute] = CLIENT
        for write in self.writes:
            position = _end(write.call)
            expired_after = {
                token for token, at, expiry in self.expired.get(self._key_owner(write), ())
                if at > position or (write.command not in REPLACES and _other_branch(self.model, write.call, expiry))
            }
            if _expired(write.key, expired_after) or self._removed(write, removals):
                continue
            if not write.forwarded and (
                self._kind(write.call.func.value, write.scope, _DEPTH) not in (CLIENT, PIPELINE) or self._passes_key_on(write)
            ):
                continue
            if not self._updates_existing(write):
                self.report(_command_span(write.call), command=write.command, key=_shorten(ast.unparse(write.key)))

    def _passes_key_on(self, write: Write) -> bool:
        """The write is all a method does, with its caller's key whole, on a client its
        class is given (``async def hset(self, key, field, value): return await
        self._db.hset(key, field, value)`` with ``self._db = db`` in ``__init__``): a thin
        adapter over what its users hand it, which decides neither the connection, nor the
        key, nor how long it lives. A key named after traffic (``session_id``) says what
        the method stores, and a key it builds (``self._key("data", tile)``) is a keyspace
        it owns: judged here."""
        function, receiver = write.function, write.call.func.value
        if not (
            isinstance(write.key, ast.Name) and _thin(function) and isinstance(receiver, ast.Attribute)
            and self.model.is_self(receiver.value, write.scope) and self._injected(_method_class(write.scope), receiver.attr)
        ):
            return False
        binding = self.model.lookup(write.key.id, write.scope, at=write.key)
        return (
            binding is not None and binding.kind == "param" and binding.scope is not None
            and binding.scope.node is function and not self._names_traffic(write.key, write.scope)
        )

    def _injected(self, owner: ast.ClassDef, attribute: str) -> bool:
        """Whether the class stores in ``self.<attribute>`` only what its constructor is
        given (``self.client = redis_client``, no annotation): the caller's object, which
        the class's Redis commands say is a client. An attribute the class fills itself
        (a wrapper of its own, a value it builds) is what that makes."""
        stores = self.model.attribute_stores(owner, attribute)
        return bool(stores) and all(
            store.method.name == "__init__" and isinstance(store.value, ast.Name)
            and store.value.id in _unannotated_parameters(store.method)
            for store in stores
        )

    def _removed(self, write: Write, removals: list[Removal]) -> bool:
        """A fixed key holds live state when the project ends it or takes its entries out
        anywhere (its content is what grows). Per-entity keys multiply: see :meth:`_manages`."""
        key = write.described
        family = self._family(write.key, write.scope)
        if key.fixed:
            # An expiry counts elsewhere in the module (we cannot tell when that runs) or
            # after the write here; a deletion, a removal or a trim anywhere, and a
            # deletion, a pop or a sweep of its family in another module.
            written = _end(write.call)
            if any(
                at is None or function is not write.function or at > written
                for function, at in self.ended.get(key.identity, ())
            ):
                return True
            return family is not None and any(same_family(family, removal.family, removal.what) for removal in removals)
        position = _position(write.call)
        if (key.kept or self._callers_key(write.key, write.scope)) and any(
            identity == key.identity and at > position for identity, at in self.trimmed.get(write.function, ())
        ):
            return True  # a store per account (or one the caller names), capped after each write
        return family is not None and any(
            same_family(family, removal.family, removal.what) and self._manages(write, removal) for removal in removals
        )

    def _manages(self, write: Write, removal: Removal) -> bool:
        """Whether a removal of the family of the per-entity key ``write`` writes keeps the
        number of such keys in step with something other than traffic: a consumer sweeps
        the family or pops the list (a queue), the writing function deletes another key
        of it (it reconciles the keys with their source) or this key once done (a
        temporary key), or another function or module deletes keys of it and the key is
        not named after traffic (an entity's keys, gone with the entity; a session's
        stay when its user never logs out), unless that is a mapping's ``__delitem__``.
        Deleting a key first and rewriting it bounds nothing."""
        if removal.what == SWEEP or (removal.what == POP and write.command in PUSHES):
            return True
        if removal.what != DELETE or getattr(removal.function, "name", None) == "__delitem__":
            return False  # ``del cache[key]``: the users' deletion, which a cache's leave to it
        if removal.function is self._key_owner(write) and removal.identity is not None:
            return removal.identity != write.described.identity or removal.position > _position(write.call)
        return not self._names_traffic(write.key, write.scope)

    def _key_owner(self, write: Write) -> ast.AST | None:
        """The function whose key ``write`` writes: the writing function, or the one that
        binds the key's name when the write is in a function nested in it (``def refresh():
        r.set(lock_id, now)``, handed to a timer). What the enclosing function does with its
        key after defining the closure (``delete(lock_id)`` in its ``finally``) bounds the
        closure's writes as its own."""
        if isinstance(write.key, ast.Name):
            binding = self.model.lookup(write.key.id, write.scope, at=write.key)
            if binding is not None and binding.kind in ("assign", "param") and binding.scope is not None:
                owner = _scope_function(binding.scope)
                if owner is not None:
                    return owner
        return write.function

    def _removals(self) -> list[Removal]:
        """The key families the module deletes, pops or sweeps, then those the project's
        other modules do. A deletion of a family the module also scans (``scan_iter(key("*"))``),
        in the scanning function or one it calls, sweeps it: a consumer that drains every key of it."""
        found = [
            Removal(what, family, function, _position(call), self._describe(key, scope).identity)
            for call, scope, function in self.removals
            for what, family, key in removed_families(self.model, call, self._qualifier(scope), scope)
        ]
        scanned = [
            (family, _scope_function(scope))
            for pattern, call, scope in self.scanned
            if self._kind(call.func.value, scope, _DEPTH) in (CLIENT, PIPELINE)  # not ``mapping.keys(...)``
            for family in [self._family(pattern, scope)]
            if family is not None
        ]
        found += [
            Removal(SWEEP, removal.family, removal.function, removal.position, removal.identity)
            for removal in found
            if removal.what == DELETE
            and any(
                same_family(removal.family, pattern, SWEEP) and _drains(scanner, removal.function)
                for pattern, scanner in scanned
            )
        ]
        project = self.context.project
        if project is not None:
            own = project.module_for(self.context.path)[0]
            found += [Removal(what, family) for module, what, family in project.removed_keys() if module != own]
        return found

    def _family(self, key: ast.expr, scope: Scope | None) -> str | None:
        return key_family(self.model, key, self._qualifier(scope), scope)[0]

    def _qualifier(self, scope: Scope | None):
        """What names the qualified name of an expression in ``scope``, as the project index does."""
        project = self.context.project
        module, is_package = project.module_for(self.context.path) if project is not None else ("", False)
        return lambda expr: project_name(self.model, expr, module, is_package, scope)

    def _callers_key(self, key: ast.expr, scope: Scope | None) -> bool:
        """The key is a parameter, or an item of one (``for store in stores``): the caller
        names it, and how many such keys there are is the caller's business."""
        if not isinstance(key, ast.Name):
            return False
        binding = self.model.lookup(key.id, scope, at=key)
        if binding is None or binding.kind not in ("param", "assign"):
            return False
        if binding.kind == "param":
            return True
        loop = binding.node
        return (
            isinstance(loop, (ast.For, ast.AsyncFor))
            and isinstance(loop.target, ast.Name)
            and isinstance(loop.iter, ast.Name)
            and self._callers_key(loop.iter, scope)
        )

    def _names_traffic(self, key: ast.expr, scope: Scope | None) -> bool:
        """Whether the key's text or the names of its changing parts name traffic
        (``session:{sid}``, ``f"tokens:{token}"``, ``lock_key(job_id)``: see ``TRAFFIC_WORDS``)."""
        # A qualified name in the family counts by its last part (``session_key``, not its module).
        text = _QUALIFIED.sub(lambda match: match.group(1).rpartition(".")[2], self._family(key, scope) or "")
        words = name_words(text)
        for part in _parts(_local_value(self.model, key, scope)):
            words += name_words(_name_of(part) or "")
        return any(word in TRAFFIC_WORDS or word.removesuffix("s") in TRAFFIC_WORDS for word in words)

    def _updates_existing(self, write: Write) -> bool:
        """The write runs only after a client found its key (``if r.exists(k)``, the ``else``
        of ``if not r.exists(k)``, after ``if not r.exists(k): return``): it changes a key
        that exists and keeps its TTL (unless it replaces a string's value, which drops it)."""
        if write.command in REPLACES:
            return False
        return any(
            self._describe(argument(check, 0, "name"), write.scope).identity == write.described.identity
            and self._kind(check.func.value, write.scope, _DEPTH) == CLIENT
            for test, holds in self.model.guards(write.call)
            for check in _existence_checks(test, holds)
        )

    def _describe(self, key: ast.expr, scope: Scope | None = None) -> Key:
        key = _local_value(self.model, key, scope)
        fixed = self._fixed(key, scope)
        identity = ast.dump(key)
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            identity = f"texts:{[key.value]!r}"  # the same as a parameter every call gives that text
        if fixed and isinstance(key, ast.Name):
            # A parameter its callers give few values: the same name in another function
            # is another key (``_clear(key)`` does not end what ``_push(key, item)`` writes),
            # unless every call of each passes string literals: then the key is those texts
            # (``inc_hash_int("banned", ip)`` and ``del_hash("banned", ip)`` name one hash).
            binding = self.model.lookup(key.id, scope, at=key)
            if binding is not None and binding.kind == "param":
                texts = self._literals(binding)
                identity = f"texts:{texts!r}" if texts else f"{identity}@{id(binding.scope)}"
        return Key(identity, fixed, not fixed and self._kept(key, scope))

    def _literals(self, binding) -> list[str] | None:
        """The string literals every call of the parameter's function in the project passes
        it (:func:`~oomlint.python.project.passed_literals`), once per parameter."""
        found = self._passed_texts.get(binding, ...)
        if found is ...:
            function = binding.scope.node if binding.scope is not None else None
            is_function = isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
            found = passed_literals(self.context, function, binding.name) if is_function else None
            self._passed_texts[binding] = found
        return found

    def _kept(self, key: ast.expr, scope: Scope | None) -> bool:
        """Every part of the key that changes from call to call is the id of an account
        (``f"{user.id}-feed"``, ``unread_key(request.user.pk)``, ``f"quota:{user_id}"``)
        or names something the deployment configures (``f"jwks:{issuer_url}"``, a cluster
        node, a locale, a kind): the keys follow the accounts and the configuration the
        application keeps, not its traffic."""
        varying = [part for part in _parts(key) if not self._fixed(part, scope)]
        return bool(varying) and all(account_id(part) or _configured(part) for part in varying)

    def _fixed(self, key: ast.expr, scope: Scope | None = None) -> bool:
        """The same key on every call: a constant, a module-level name, an attribute of
        ``self``/``cls`` or of a fixed value, a call with no arguments
        (``_index_key()``), or an f-string, ``+``, ``%`` or subscript of those."""
        if isinstance(key, ast.Constant):
            return True
        if isinstance(key, ast.Name):
            # Bound once at import; not a loop variable or an unpacked item (bound to no value).
            binding = self.model.module_binding(key, scope)
            if binding is None:
                return self._given_few_values(key, scope)
            return binding.kind != "assign" or binding.value is not None
        if isinstance(key, ast.Attribute):
            return self.model.is_self(key.value, scope) or self._fixed(key.value, scope)
        if isinstance(key, ast.Call):
            return not key.args and not key.keywords
        if isinstance(key, ast.JoinedStr):
            return all(self._fixed(part.value, scope) for part in key.values if isinstance(part, ast.FormattedValue))
        if isinstance(key, ast.BinOp):
            return self._fixed(key.left, scope) and self._fixed(key.right, scope)
        if isinstance(key, ast.Subscript):
            return self._fixed(key.value, scope) and self._fixed(key.slice, scope)
        if isinstance(key, ast.Dict):  # ``mset({"price:eur": ..., "price:usd": ...})``
            return None not in key.keys and all(self._fixed(item, scope) for item in key.keys)
        return False

    def _given_few_values(self, key: ast.Name, scope: Scope | None) -> bool:
        """A parameter every call in the project gives few values (a constant, a
        module-level name, a setting: ``_sync(USER_LIMIT_KEY, config.USER_LIMIT)``), as
        OOM301 and OOM303 judge a helper's arguments: the callers name a fixed set of keys."""
        binding = self.model.lookup(key.id, scope, at=key)
        if binding is None or binding.kind != "param" or binding.scope is None or binding.scope.kind != "function":
            return False
        function = binding.scope.node
        return runs_of(self.context).passes_fixed(function, key.id) or passes_few_values(self.context, function, key.id)

    def _key_tokens(self, key: ast.expr) -> list:
        """The key itself, and the mapping it is a key of when it is a loop variable."""
        tokens: list = [ast.dump(key)]
        binding = self.model.lookup(key.id) if isinstance(key, ast.Name) else None
        loop = binding.node if binding is not None else None
        if isinstance(loop, (ast.For, ast.AsyncFor, ast.comprehension)):
            target = loop.target.elts[0] if isinstance(loop.target, ast.Tuple) and loop.target.elts else loop.target
            if isinstance(target, ast.Name) and target.id == key.id:
                mapping = loop.iter
                if isinstance(mapping, ast.Call) and isinstance(mapping.func, ast.Attribute) and not mapping.args:
                    mapping = mapping.func.value if mapping.func.attr in MAPPING_VIEWS else mapping
                tokens.append(("in", ast.dump(mapping)))
        return tokens

    def _kind(self, expr: ast.expr, scope: Scope, depth: int) -> str | None:
        """``CLIENT``, ``PIPELINE`` or ``SENTINEL`` for what ``expr`` was created as, else None."""
        if depth == 0:
            return None
        if isinstance(expr, ast.Attribute) and self.model.is_self(expr.value, scope):
            kind = self.attributes.get((_method_class(scope), expr.attr))
            if kind is not None:
                return kind
        origin = self.model.resolve(expr, scope)
        if isinstance(origin, ast.Attribute):
            owner = self._instance_class(origin.value, scope)
            if owner is not None and (owner, origin.attr) in self.attributes:
                return self.attributes[owner, origin.attr]
        if isinstance(origin, ast.BoolOp) and isinstance(origin.op, ast.Or):
            # ``client or redis.Redis()``
            return next(filter(None, (self._kind(value, scope, depth - 1) for value in origin.values)), None)
        if isinstance(origin, ast.Name):
            binding = self.model.lookup(origin.id, scope, at=origin)
            if binding is not None and binding.kind == "param" and binding.node.annotation is not None:
                return self._annotated_kind(binding.node.annotation)
        if isinstance(origin, (ast.Name, ast.Attribute)):
            name = value_origin(self.context, origin, scope)
            return CLIENT if name in CLIENT_FACTORIES else SENTINEL if name in SENTINELS else None
        if not isinstance(origin, ast.Call):
            return None
        func = origin.func
        name = call_origin(self.context, func, scope=scope, shared=True)
        if name in CLIENT_FACTORIES:
            return CLIENT
        if name in SENTINELS:
            return SENTINEL
        if not isinstance(func, ast.Attribute):
            return None
        receiver = self._kind(func.value, scope, depth - 1)
        if receiver == SENTINEL and func.attr == "master_for":
            return CLIENT
        if receiver == CLIENT and func.attr == "pipeline":
            return PIPELINE
        # A pipeline's commands return the pipeline, so they chain.
        if receiver == PIPELINE and func.attr != "execute":
            return PIPELINE
        return None


    def _instance_class(self, expr: ast.expr, scope: Scope) -> ast.ClassDef | None:
        """The class of this module that a parameter is annotated with (``task: "HeimdallTask"``),
        whose attributes :attr:`attributes` knows."""
        if not isinstance(expr, ast.Name):
            return None
        binding = self.model.lookup(expr.id, scope, at=expr)
        if binding is None or binding.kind != "param" or binding.node.annotation is None:
            return None
        annotation = binding.node.annotation
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) and annotation.value.isidentifier():
            annotation = ast.Name(annotation.value)
        if not isinstance(annotation, ast.Name):
            return None
        owner = self.model.module_binding(annotation, scope)
        return owner.node if owner is not None and owner.kind == "class" else None

    def _annotated_kind(self, annotation: ast.expr) -> str | None:
        """``CLIENT`` or ``PIPELINE`` when every type ``annotation`` allows is one (``None`` aside)."""
        kinds = {
            CLIENT if name in CLIENT_TYPES else PIPELINE if name in PIPELINE_TYPES else None
            for name in self.model.annotation_types(annotation)
        }
        return kinds.pop() if len(kinds) == 1 else None


def _tested_name(test: ast.expr, value: bool) -> str | None:
    """The name a test found empty: ``ttl`` of ``if ttl:`` (its ``else``), ``if not ttl:``,
    ``if ttl is None:``."""
    if isinstance(test, ast.Name) and not value:
        return test.id
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name) and value:
        return test.operand.id
    if (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name)
        and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None
    ):
        if (isinstance(test.ops[0], ast.Is) and value) or (isinstance(test.ops[0], ast.IsNot) and not value):
            return test.left.id
    return None


# Where a command is given the expiry: ``setex(name, time, value)``, ``expire(name, time)``.
_EXPIRY_ARGUMENTS = {"setex": (1, "time"), "psetex": (1, "time_ms"), "expire": (1, "time"), "pexpire": (1, "time")}


def _expires_with(function: ast.AST, name: str) -> bool:
    """Whether ``function`` gives ``name`` to a Redis command as the expiry (``setex(key,
    ttl, value)``, ``expire(key, ttl)``, ``set(key, value, ex=ttl)``), also inside a call
    (``int(ttl)``)."""
    for node in walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        given = [argument(node, *_EXPIRY_ARGUMENTS[node.func.attr])] if node.func.attr in _EXPIRY_ARGUMENTS else []
        given += [item.value for item in node.keywords if item.arg in ("ex", "px")]
        if any(isinstance(part, ast.Name) and part.id == name for value in given if value is not None for part in walk(value)):
            return True
    return False


def _thin(function: ast.AST | None) -> bool:
    """Whether ``function`` does nothing but make one call (its docstring aside)."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    return len(body) == 1 and isinstance(body[0], (ast.Expr, ast.Return))


def _unannotated_parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    return {arg.arg for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs) if arg.annotation is None}


def _method_class(scope: Scope) -> ast.AST | None:
    """The class whose method ``scope`` is (or a comprehension or lambda in it)."""
    while scope is not None and scope.kind != "function":
        scope = scope.parent
    owner = scope.enclosing_class() if scope is not None else None
    return owner.node if owner is not None else None


def _scope_function(scope: Scope) -> ast.AST | None:
    """The function ``scope`` is (or a comprehension or lambda in it); None at module level
    or in a class body, as :attr:`Removal.function` says."""
    while scope is not None and scope.kind != "function":
        scope = scope.parent
    return scope.node if scope is not None else None


def _drains(scanner: ast.AST | None, deleter: ast.AST | None) -> bool:
    """Whether the keys the function ``scanner`` walks are deleted as it walks them: by
    itself, or by a function or method it calls (``self.remove_job(...)``). A deletion
    elsewhere, by id (``remove_job(job_id)`` behind an endpoint), drains nothing."""
    if deleter is scanner:
        return True
    name = getattr(deleter, "name", None)
    if name is None or scanner is None:
        return False
    return any(
        isinstance(node, ast.Call) and last_name(node.func) == name for node in walk(scanner)
    )


def _passes(call: ast.Call, parameters) -> bool:
    """Whether the call passes one of ``parameters`` (``ex=...``), or might through ``*``/``**``."""
    if parameters is None:
        return False
    if any(item.arg is None for item in call.keywords) or any(isinstance(arg, ast.Starred) for arg in call.args):
        return True
    for position, keyword in parameters:
        value = argument(call, position, keyword)
        # ``ex=None`` or ``keepttl=False`` is the default: no expiry.
        if value is not None and not (isinstance(value, ast.Constant) and not value.value):
            return True
    return False


def _command_call(command: str, arguments: list, given: dict[str, ast.expr], defaulted: list[str], extra: list[ast.keyword]) -> ast.Call:
    """The call of ``command`` a project function makes when given ``given`` (its
    parameters' values) and ``extra`` (keywords for its ``**kwargs``): ``arguments`` are
    its ``[argument, parameter]`` (see :attr:`~oomlint.python.project.ModuleSummary.forwards`).
    A parameter the caller leaves to a default that is something (``ex=3600``) or anything
    the function passes (``"?"``) stands as ``_``; one left to None is not passed."""
    something = ast.Name(id="_", ctx=ast.Load())
    args: list[ast.expr] = []
    keywords = []
    for place, parameter in arguments:
        if place in ("*", "**"):
            keywords += extra if place == "**" else []
            continue
        if parameter == ANYTHING:
            value = something
        else:
            value = given.get(parameter, something if parameter in defaulted else None)
        if value is None:
            continue
        if place.isdigit():
            args += [ast.Constant(None)] * (int(place) + 1 - len(args))
            args[int(place)] = value
        else:
            keywords.append(ast.keyword(arg=place, value=value))
    return ast.Call(func=ast.Attribute(value=something, attr=command, ctx=ast.Load()), args=args, keywords=keywords)


def _parts(key: ast.expr) -> list[ast.expr]:
    """What a key is made of: the values of an f-string, the arguments of a key builder,
    the sides of a ``+`` or ``%``; the key itself otherwise."""
    if isinstance(key, ast.JoinedStr):
        return [part.value for part in key.values if isinstance(part, ast.FormattedValue)]
    if isinstance(key, ast.Call) and (key.args or key.keywords):
        return [item for value in (*key.args, *(keyword.value for keyword in key.keywords)) for item in _parts(value)]
    if isinstance(key, ast.BinOp):
        return [*_parts(key.left), *_parts(key.right)]
    return [key]


def _local_value(model, key: ast.expr, scope: Scope | None) -> ast.expr:
    """``key = f"rate:{user_id}"`` in the function: the key is what it was assigned."""
    if isinstance(key, ast.Name):
        binding = model.lookup(key.id, scope, at=key)
        if binding is not None and binding.kind == "assign" and binding.value is not None and binding.scope is not model.module_scope:
            return binding.value
    return key


def _name_of(expr: ast.expr) -> str | None:
    """``last_name``, and the key of a subscript by a string (``message["instance"]``)."""
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        return expr.slice.value
    return last_name(expr)


def _configured(expr: ast.expr) -> bool:
    """``issuer_url``, ``metrics_namespace``, ``message["instance"]``, ``locale``,
    ``settings.REGION``: a value the deployment configures (see ``CONFIGURED_WORDS``).
    Not the id of traffic, whatever holds it: ``job_config.job_id`` is a job's."""
    if any(word in TRAFFIC_WORDS for word in id_words(expr)):
        return False
    if names_few_values(expr):
        return True
    words = name_words(_name_of(expr) or "")
    while len(words) > 1 and words[-1] in _QUALIFIER_WORDS:
        words.pop()
    return bool(words) and words[-1] in CONFIGURED_WORDS


def _entity_id(expr: ast.expr) -> bool:
    """``query_id``, ``user.pk``, ``dashboard.id``: the id of something the application
    keeps, not of traffic (see ``TRAFFIC_WORDS``). One field or member per entity."""
    words = id_words(expr)
    return bool(words) and not any(word in TRAFFIC_WORDS for word in words)


def _other_branch(model, write: ast.Call, expiry: ast.Call) -> bool:
    """Whether ``write`` and ``expiry`` are on two branches of one ``if``: the function
    expires the key on the path that creates it and changes it in place on the other
    (``hset(key, "executed", 1)`` where the other branch ran ``hset`` and ``expire``),
    which keeps the TTL the key was given."""
    branches = {id(holder): block for holder, block in model.enclosing_blocks(write) if isinstance(holder, ast.If)}
    return any(
        id(holder) in branches and branches[id(holder)] is not block for holder, block in model.enclosing_blocks(expiry)
    )


def _existence_checks(test: ast.expr, holds: bool) -> list[ast.Call]:
    """The calls ``exists(key)``/``hexists(key, field)`` that answered yes when ``test`` is ``holds``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _existence_checks(test.operand, not holds)
    if isinstance(test, ast.BoolOp):
        # Every operand of a true ``and`` is true; every operand of a false ``or`` is false.
        if isinstance(test.op, ast.And) != holds:
            return []
        return [check for value in test.values for check in _existence_checks(value, holds)]
    if isinstance(test, ast.Await):
        test = test.value
    if not (holds and isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute)):
        return []
    if test.func.attr == "exists":
        # ``exists(a, b)`` counts the keys that exist: one is enough to be true.
        one = len(test.args) == 1 and not test.keywords and not isinstance(test.args[0], ast.Starred)
        return [test] if one else []
    return [test] if test.func.attr == "hexists" and argument(test, 0, "name") is not None else []


def _position(node: ast.AST) -> Position:
    return node.lineno, node.col_offset


def _end(node: ast.AST) -> Position:
    return node.end_lineno, node.end_col_offset


def _expired(key: ast.expr, tokens) -> bool:
    dump = ast.dump(key)
    if dump in tokens or ("in", dump) in tokens:
        return True
    # ``mset({a: 1, b: 2})`` with ``a`` and ``b`` each expired.
    return isinstance(key, ast.Dict) and all(
        item is not None and ast.dump(item) in tokens for item in key.keys
    )


def _command_span(call: ast.Call) -> ast.Name:
    """From the command's (or the function's) name to the call's end: ``set(k, v)`` in
    ``r.pipeline().set(k, v)``.

    Its column is that of the name, so each command of a chain gets its own.
    """
    func = call.func
    name = last_name(func)
    return ast.Name(
        id=name,
        ctx=ast.Load(),
        lineno=func.end_lineno,
        col_offset=func.end_col_offset - len(name.encode("utf-8")),
        end_lineno=call.end_lineno,
        end_col_offset=call.end_col_offset,
    )


def _shorten(text: str) -> str:
    return text if len(text) <= _KEY_TEXT else text[: _KEY_TEXT - 3] + "..."
