"""OOM304: a Redis write that creates a key with no expiry."""

from __future__ import annotations

import ast

from oomlint.astutil import argument
from oomlint.rule import Rule
from oomlint.semantic import Scope

_CLIENT_CLASSES = (
    "Redis", "StrictRedis", "client.Redis", "client.StrictRedis", "RedisCluster", "cluster.RedisCluster",
)
_PACKAGES = ("redis", "redis.asyncio")
CLIENT_FACTORIES = frozenset(
    {f"{package}.{name}{suffix}" for package in _PACKAGES for name in _CLIENT_CLASSES for suffix in ("", ".from_url")}
    | {f"{package}.{module}from_url" for package in _PACKAGES for module in ("", "utils.")}
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
# (position, keyword) of the parameters through which the command itself bounds the key.
BOUNDING_PARAMETERS = {
    "set": ((2, "ex"), (3, "px"), (6, "keepttl"), (8, "exat"), (9, "pxat")),
    "xadd": ((3, "maxlen"), (6, "minid")),
}
EXPIRES = frozenset({"expire", "pexpire", "expireat", "pexpireat"})
MAPPING_VIEWS = frozenset({"keys", "items"})

CLIENT, PIPELINE, SENTINEL = "client", "pipeline", "sentinel"
_DEPTH = 8
_KEY_TEXT = 40


class RedisKeyWithoutTtl(Rule):
    """
    ## What it does
    Flags writes that create a Redis key with no expiry, made through a redis-py client
    (`redis.Redis`, `StrictRedis`, `RedisCluster`, `from_url`, a Sentinel's
    `master_for`, and the same from `redis.asyncio`) or one of its pipelines, unless the
    same function also expires that key (`expire`, `pexpire`, `expireat`, `pexpireat`,
    on the same key expression).

    The commands are `set` without `ex`/`px`/`exat`/`pxat`/`keepttl` (`ex=None` is no
    expiry; a third positional argument is `ex`), `setnx`, `mset`, `msetnx`, `getset`,
    `setrange`, `setbit`, `append`, `incr`/`incrby`/`incrbyfloat`/`decr`/`decrby`,
    `hset`/`hsetnx`/`hmset`/`hincrby`/`hincrbyfloat`, `sadd`, `lpush`, `rpush`, `zadd`,
    `zincrby`, `pfadd`, `geoadd`, and `xadd` without `maxlen`/`minid`. `setex` and
    `psetex` always expire. The keys of an `mset` count as expired when the function
    expires each of them, or every key of the mapping in a loop.

    The client may be bound to a module-level or local name, stored on `self` (or on
    the class), or opened with `with`/`async with`; pipelines may be named, opened with
    `with`, or chained (`r.pipeline().set(k, v).execute()`). Clients passed in as
    parameters are not followed, and trimming (`ltrim`, `xtrim`) does not count as an
    expiry: it bounds a key's size, not its lifetime.

    ## Why is this bad?
    A key with no TTL stays until something deletes it. Keys named after users,
    sessions or requests then accumulate with traffic: Redis memory only grows until
    Redis hits `maxmemory` (and evicts or refuses writes) or is OOM-killed, taking its
    clients down with it. These are the "Redis keys with no TTL that only grow" of the
    cache runbook.

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
    symbol = "redis-key-without-ttl"
    summary = "Redis write that creates a key with no expiry"
    message = "Redis {command}({key}, ...) writes a key with no TTL and this function never expires it: it stays until deleted"

    def __init__(self, context, options):
        super().__init__(context, options)
        self.writes: list[tuple[ast.Call, ast.expr, Scope, ast.AST | None]] = []
        # Per function (None: module level), the key expressions it expires, as ``ast.dump``
        # strings, and ``("in", dump)`` for every key of a mapping expired in a loop.
        self.expired: dict[ast.AST | None, set] = {}

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        command = func.attr
        if command in EXPIRES:
            key = argument(node, 0, "name")
            if key is not None:
                self.expired.setdefault(self.model.function, set()).update(self._key_tokens(key))
        elif command in WRITES and not _bounded(node, command):
            key = argument(node, 0, KEY_PARAMETER.get(command, "name"))
            if key is not None:
                self.writes.append((node, key, self.model.scope, self.model.function))

    def finish(self) -> None:
        # Receivers are resolved here: ``self.<client>`` may be assigned in a method
        # walked after the one that writes through it.
        for call, key, scope, function in self.writes:
            if _expired(key, self.expired.get(function, ())):
                continue
            if self._kind(call.func.value, scope, _DEPTH) in (CLIENT, PIPELINE):
                self.report(_command_span(call), command=call.func.attr, key=_shorten(ast.unparse(key)))

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
        origin = self.model.resolve(expr, scope)
        if not isinstance(origin, ast.Call):
            return None
        func = origin.func
        name = self.model.qualified_name(func, scope)
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


def _bounded(call: ast.Call, command: str) -> bool:
    """Whether the command itself bounds the key (``ex=...``), or might through ``*``/``**``."""
    parameters = BOUNDING_PARAMETERS.get(command)
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


def _expired(key: ast.expr, tokens) -> bool:
    dump = ast.dump(key)
    if dump in tokens or ("in", dump) in tokens:
        return True
    # ``mset({a: 1, b: 2})`` with ``a`` and ``b`` each expired.
    return isinstance(key, ast.Dict) and all(
        item is not None and ast.dump(item) in tokens for item in key.keys
    )


def _command_span(call: ast.Call) -> ast.Name:
    """From the command's name to the call's end: ``set(k, v)`` in ``r.pipeline().set(k, v)``.

    Its column is that of the name, so each command of a chain gets its own.
    """
    func = call.func
    return ast.Name(
        id=func.attr,
        ctx=ast.Load(),
        lineno=func.end_lineno,
        col_offset=func.end_col_offset - len(func.attr.encode("utf-8")),
        end_lineno=call.end_lineno,
        end_col_offset=call.end_col_offset,
    )


def _shorten(text: str) -> str:
    return text if len(text) <= _KEY_TEXT else text[: _KEY_TEXT - 3] + "..."
