"""OOM201: a resource released on the normal path only."""

from __future__ import annotations

from oomlint.rules.python._resources import ResourceRule, plain_statement


class ReleaseNotInFinally(ResourceRule):
    """
    ## What it does
    Flags a resource that a function acquires and releases itself, when something
    between the acquire and the release can leave the function with the resource still
    held: a statement that can raise (a call, an `await`, a subscript, `raise`,
    `assert`, a `yield`), an early `return`, a `continue` to the next round of a loop
    around the acquire (the next round acquires again; a `continue` of a loop inside it
    goes on holding it), or the end of the function on a path that skips the release. Reported at the acquire, with
    the release that can be skipped and what skips it. An early `return` (or
    `continue`) that skips the release is reported here, not as OOM202: the function
    does release the resource, on its normal path only.

    The resources are those of OOM202: locks (`X.acquire()` / `X.release()` on the same
    receiver), pool checkouts (`c = P.getconn()` / `P.putconn(c)`, `c = [await]
    P.acquire()` / `P.release(c)` or `c.release()`, `c = [await] X.connect()` /
    `c.close()` or `c.release()`, SQLAlchemy's `c = engine.raw_connection()` /
    `c.close()`; a Cassandra `Cluster`'s session / `shutdown()`) and the objects of the
    standard factories (`open`, sockets, database connections, temporary files, HTTP
    sessions, subprocesses, process and thread pools, selectors; see OOM202), and
    temporary paths: `d = tempfile.mkdtemp()` / `shutil.rmtree(d)`, the file
    `f = NamedTemporaryFile(delete=False)` leaves on disk / `os.unlink(f.name)` (in a
    container /tmp is often memory-backed, so what is left there is memory; see OOM202).
    Cursors are not tracked: they hold no OS resource of their own, and closing their
    connection closes them, so a connection and its cursor make one finding, the
    connection's.

    A function that makes a resource for its caller (`sock = socket.socket();
    sock.connect(address); return sock`) releases it by returning it, by storing it on
    its object once it is set up (`self.sock = sock`: pymemcache's `_connect()`), or by
    handing it to an object that is then returned, stored or closed (`stream = IOStream(sock)`,
    a call whose result a local name holds; see OOM202): when something before the
    `return` (or that call) raises, nobody holds the resource any more, so that is
    flagged too, with the advice to close it in an `except` clause that re-raises. There, only
    what takes input counts as raising (a call with arguments, an `await`, `raise`,
    `assert`): `conn.cursor()` on what the function has just made fails no more often
    than making it did, and filling in its own settings (`session.headers.update({...})`)
    or placing a file where its reader starts (`f.seek(start)`, a range request's file
    handed to the response) fails only on a bug. A factory that closes it in an `except`
    clause (`except OSError: sock.close(); raise`) is still one: that clause covers what its
    `try` raises, whatever the type, and is flagged when it does not cover every failure:
    a handler that goes on to the next address without closing it (`continue`, also from
    a `while` inside the loop back to a test that then fails, `while not err:` after
    `err = None` running at least once), or a call before the `try` that can raise.

    A resource made in a `try` is also flagged when the error path drops it, whatever the
    normal path does with it (returns it, stores it, hands it to a wrapper): something
    after the acquire in the `try` can raise, and a handler that never reads it sets its
    holder again (`except OSError: self.sock = None`) or goes on to the next round of a
    loop around the `try`, which makes another (a retry loop over addresses: each failed
    attempt leaks one), unless what runs after the `try` in that round reads it (a
    reconnect loop that closes each round's connection after the `try`); or the handlers that release it (`except socket.error:
    sock.close()`) do not catch an exception raised by name in the `try` after the
    acquire (`raise TransportError(...)`), with no release before that `raise`.

    Resources gathered in a local list (`files = []`, then `files.append(open(path))` in a
    loop) that the function only appends to, reads the items of, loops over or takes the
    `len` of, are held by the list: released by a loop over it (`for f in files:
    f.close()`) outside `finally`, while something from the append up to that release can
    raise (the next round of the gathering loop included), they are flagged here, every
    file gathered so far leaks; never released by such a loop, OOM202 flags them.

    Resources that the project's own functions return count like the factories':
    `conn = get_connection()` where `get_connection` (in this module or another of the
    project, also a method, `self._connect()`, or through further helpers) returns
    `sqlite3.connect(...)`, and each element of `conn, cur = self._cursor()`. What a
    helper returns is read from the project index (see OOM202).

    ## Why is this bad?
    The release runs only when nothing goes wrong. Every exception (a failed query, a
    timeout, a cancelled task) leaks one connection, lock or file; the pool runs dry
    or the process runs out of descriptors and memory. This is the DB pool runbook's
    incident: `client = await pool.connect(); rows = await client.query(...);
    client.release()` leaked a pooled connection on every failed query.

    ## Known limits
    Safe, and not flagged:
    - `with`/`async with` on the resource (also later; not on an sqlite3 connection, whose
      `with` only ends a transaction: see OOM202), `with contextlib.closing(x)`,
      `ExitStack.enter_context(x)`, a release registered with `callback(x.close)`,
      `weakref.finalize`, `atexit.register` or `addCleanup`;
    - a `finally` that releases it (or hands it to a call), whose `try` covers
      everything after the acquire; `if x is not None: x.close()` guards are understood;
    - a `try` with a handler that catches everything (bare `except:`,
      `except BaseException:`): its body's exceptions go to the handler, which is
      followed like any other code, so one that releases and re-raises is safe.
      `except Exception:` counts too, except in a coroutine, where cancellation
      (`asyncio.CancelledError`) is no `Exception`. A handler of `OSError` (or
      `IOError`, `EnvironmentError`) catches what a write to the resource or one of its
      streams raises (`proc.stdin.write(data)`, `sock.sendall(data)`, `f.flush()`,
      `proc.stdin.close()`: a broken pipe, a full disk);
    - a resource the normal path hands over (yields, stores, captures in a closure; or
      returns, released only in a block that ends in `raise`, not in an `except` clause:
      see factories above) and that the function releases only on error paths (an
      `except` clause, or a block other than the function's own body that ends in
      `raise`): that is cleanup before failing. A
      nested function that uses it (a thread's accept loop) takes it over only when the
      function never releases it itself; one the function releases (`finally:
      server.close()`) only borrows it, and what raises before its `def` is flagged;
    - calls that fail only when the process is out of descriptors or memory, between the
      acquire and its `try`: `os.dup`, `os.pipe`, `os.pipe2`, `os.eventfd`, `os.openpty`,
      `pty.openpty`, `os.open(os.devnull, ...)`, `os.close`, `os.dup2`, a
      `threading.Event`, `Lock`, `RLock` or `Condition` made with nothing
      (`saved = os.dup(2); devnull = os.open(os.devnull, os.O_WRONLY); try: ...`), and a
      thread made and started at once (`threading.Thread(target=loop, daemon=True).start()`),
      whose start fails only when the process can start no more threads.

    Modules, functions and exception classes are what the imports make them, not their
    spelling: `hooks.register(f.close)` after `import atexit as hooks` registers, a local
    object named `atexit` does not; `except ConnectionError:` after `from
    requests.exceptions import ConnectionError` does not catch the builtin
    `ConnectionResetError`.

    In a `@contextmanager`/`@asynccontextmanager` generator, `yield` lends the
    resource to the `with` block: acquire, `yield`, release without `try/finally` is
    flagged, since an exception in the block is thrown in at the `yield` (whatever the
    generator's name). In a `@pytest.fixture` the `yield` lends it too, but pytest
    resumes the fixture after its test whether the test passed or failed: nothing is
    thrown in there.

    Nothing can leak, so nothing is flagged, where there is no OS resource or nobody
    else can reach it: `zipfile.ZipFile`, `tarfile.open`, `tarfile.TarFile`, `gzip.open`,
    `bz2.open` and `lzma.open` over a file object rather than a path (an in-memory
    `BytesIO`, a file opened elsewhere or by `with ... as f`, an upload's
    `.file`/`.stream`, tarfile's `fileobj`, or a parameter annotated `IO`/`BinaryIO`, named like a
    file object, `f`, `fp`, `fileobj`, `stream`, `buffer`, read or sought in the
    function, or given an `io.BytesIO` by every call the project makes of the function,
    asked of the project index: a function with no call in the project, or one called at
    import time, is still checked; the same of what a project function returns made over
    one of its parameters, `return ZipFile(source)`, by what its caller passes for it,
    `_, meta = cls._read_meta(buffer)`): closing the archive would not close the borrowed file; and a lock the
    function makes itself (`lock = threading.Lock()`, any `Lock`, `RLock`, `Semaphore`,
    `BoundedSemaphore` or `Condition`) and never hands to anyone; an SQLite database in
    memory (`sqlite3.connect(":memory:")`) and a spooled file that never spills to disk
    (`tempfile.SpooledTemporaryFile()`, whose `max_size` of 0 means no limit). A module-level lock declared `global` in
    the function is still checked. A resource got from another that the function made
    (`session = cluster.connect()` on its own `cluster`) goes with it: one finding, the
    owner's; made inside the `with` that manages the owner (`async with
    aiohttp.ClientSession() as session:`), the block's end releases it on every path.

    Nor is a resource that a loop running for the life of its thread uses after the
    acquire (`while True:`, `while self._running:`, `while not stop.is_set():`): a
    monitor's socket, a worker's session. It is held once per thread, not per request.
    (A loop the function leaves with a value, `return result`, waits for this call's
    outcome: not a service.)

    One-shot code is not checked either: a function that runs only once (called at
    module level, in the `if __name__ == "__main__":` block (but not in a loop there that
    only the process's end stops: `while True:` with no `break`), from
    set-up code or from such a function, `asyncio.run(main())` and `trio.run(main)`
    included, and a worker such code spawns, `gevent.spawn(worker, queue)`; in a loop only of a fixed number of rounds: over a literal collection, a
    `range` of constants, a retry loop; a method that `self.m()` calls reach from the
    `__init__` of a class made once) and, checked in its project, that the other modules
    call only that way (a helper that a container's start script calls at import time;
    see OOM205 for how the project's callers count). A function the module runs once
    but another module runs many times (a request handler calls it too) is checked;
    a memoized one is no one-shot code: it runs again after a failure, nor is one also
    handed on as a value (`LOADERS = {".txt": load_text}`). Code a person runs by hand
    counts too: a module-level function of a file no module can import (a folder or file
    name that is no identifier, `tools/query-bench/`), never named in its module nor called
    by the project, and what it alone calls. Entry points
    and start-up hooks (`main()`, `create_app`, `setup*`, `init*`, `initialize*`,
    `configure*`, `bootstrap*`, and a function that configures the process's logging,
    `logging.basicConfig`, `dictConfig` or `fileConfig`, when nothing seen calls them more often, but not a task of a task queue, `@shared_task`,
    `@app.task`, `@actor`, `@job`, which runs per message, nor a method its class's
    `__init__` calls, which runs per instance; Django's `ready`,
    a web application's lifespan, start-up and shutdown hooks whatever their names
    (`FastAPI(lifespan=lifespan)`, `on_startup=[...]`, `@app.on_event("startup")`,
    aiohttp's `app.on_startup.append(f)` and `cleanup_ctx`, Quart's `before_serving`,
    Sanic's `before_server_start`, Pyramid's `@subscriber(ApplicationCreated)`; not
    `on_response_prepare` nor a `NewRequest` subscriber, which run per request), click
    and typer commands, argparse's
    (`set_defaults(func=...)`, and the converters of `add_argument(type=...)`, which run
    while it parses the command line), invoke and fabric tasks, a Django management command's `handle` (`class Command` of a base named `...Command`, the project's own base too) and the methods it alone
    calls; not a plugin's constructor, though its loader makes one per process, see
    OOM203: what the plugin's own code opens and drops is its author's to fix), pytest fixtures of `scope="session"` or `"package"`, and every function of
    a migration (Django `class Migration`, an Alembic revision, any module importing
    alembic) or of a script: a command of the project's own (a file in a top-level
    `scripts/`, `script/`, `tools/` or `bin/` folder, or one with such a word in its
    name, `scripts-dev/`, `dev_tools/`, run as a program: an
    `if __name__ == "__main__":` block or a module-level call of its functions) that
    does not serve (no `while True:` or flag loop that nothing leaves, no
    `serve_forever`/`run_forever`, no request or task handler), whose every run is a
    process that ends with its work, and, anywhere in the project, an Ansible action
    plugin (a class deriving from `ActionBase`), run in a worker process of its own per
    task (an Ansible module is checked: its maintainers fix what it leaks), and a
    program that is an interactive shell (it defines a `cmd.Cmd` and runs its
    `cmdloop()`, and serves nothing else): one person types its commands, in a process
    that ends with the session. Start-up code by its own say counts too: a function
    with an `except` clause that ends the process (`sys.exit(2)`, `os._exit`, `raise
    SystemExit`; not an `except KeyboardInterrupt:`), acquiring nothing in a loop. The process
    ends with the failure, or the code runs once at start-up;
    the leak cannot accumulate. Nor is code that never runs in production: a function, a
    view too, that first refuses unless a setting says the deployment is a developer's
    (`if not settings.DEV: raise Http404()`, `return` or `abort(404)` under `if not
    app.debug:`), and a traitlets `Application`'s `initialize()` and `start()`, which
    `launch_instance()` calls once. Nor is code that never runs as shipped: the body of
    `if _DEBUG:` where `_DEBUG` is a module-level name bound once, to a false constant
    (`False`, `None`, `0`), that no function declares `global`: a switch its author flips
    by editing the source (a name bound again, or a parameter of that name, is one the
    program flips: checked). Nor is a command only the owner or an administrator may run
    (discord.py's `@commands.is_owner()`, errbot's `@botcmd(admin_only=True)`), nor what
    only such commands call: a person runs it by hand, a few times. Code that only the project's own tests call is checked:
    a library's public functions are called by its users, not by the library.
    A traitlets `@default` is computed once per instance, so once for a class made once
    per process (a traitlets `SingletonConfigurable` or `Application`, as a Django
    middleware or app config).

    Not counted as raising: names, constants, attribute reads, arithmetic,
    comparisons, a local variable's annotation (never evaluated), `isinstance`/`len`-style builtins, logging calls
    (`logger.info(...)`: logging reports its own errors), `addCleanup`, `set()`,
    `clear()`, `is_set()` called with no argument (an event's flag flipped, a
    container emptied), a socket's `settimeout(t)`/`setblocking(flag)` (only a value
    of the wrong type or sign fails) and a portable flag of its level set with a literal
    (`setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)`, `SO_BROADCAST`, `SO_KEEPALIVE`; not
    `SO_REUSEPORT`, missing on some systems, nor options of other levels), a path object
    made of a value (`pathlib.Path(tmp.name)`: only a value of the wrong type fails, a bug), clock reads (`time.time()`, `time.monotonic()`), empty
    containers (`dict()`, `list()`, `collections.Counter()`, `deque()`...; a `deque` given
    its bound, `deque([], self.MAXLEN)`), a mapping's
    views read with nothing (`env.items()`, `.keys()`, `.values()`), `sys.audit(...)`
    (only a hook installed to veto the event raises there), a template
    fixed in the code filled by `.format(...)` (`"{}:{}".format(host, port)`,
    `self.URL_PATTERN.format(...)`: a string literal or a constant's upper-case name, like
    an f-string), a literal separator joining strings written in the code
    (`" ".join(f"{k}={v}" for k, v in env.items())`, `", ".join(["a", name])`: what
    the items are computed from is judged on its own), such text encoded to UTF-8
    (`f"push:{name}".encode()`, `str.encode(URL.format(project=p))`, with no error
    handler named: every `str` encodes so; not `.encode("ascii")`), a string's case changed
    or its whitespace trimmed (`name.lower()`, `line.strip()`, with nothing given), and a call of the module's own function or method whose body is one `try`
    that catches everything and raises nothing (`self._resolve(host)` that logs any failure;
    an early `if not value: return` on plain values before it cannot raise either), or of
    such a function of another module of the project (`renice(p.pid, priority)` imported
    from the project's helpers, as the project index records it), and
    an item the function has already read (`port["host"]`, read again in an `except` clause's
    log line, after a plain statement before it read it, the same block or one around it,
    and with nothing between rebinding `port`, deleting from it or handing it to a call: the
    key was there). Nor, for a client that connects lazily (`requests.Session`,
    `httpx.Client`, `httpx.AsyncClient`, `http.client.HTTPConnection`: no socket before its
    first request; `paramiko.SSHClient`, and `smtplib.SMTP` or `ftplib.FTP` made without a
    host: none before `connect()`; made by that call itself, not returned by a function of
    the project, which may have connected it), anything while it is set up
    (`session.mount(prefix, HTTPAdapter(max_retries=Retry(...)))`, its headers,
    `ssh.set_missing_host_key_policy(policy)`), up to a method of it that connects or a
    call it is handed to. The message names
    the first point that can leave with the resource held: a `return` or the end of the
    function before anything that may raise, a `raise` or the `yield` of a
    context-manager generator (where the `with` block's exceptions arrive) before a call
    that may raise, and a
    loop over shared state (`for key in self._cache:`, which raises when the collection
    changes meanwhile) before the statements of its body. One name acquired in
    alternative branches (`SMTP_SSL(...)` or `SMTP(...)`) and skipped the same way is one
    leak with one fix: reported once, at the first acquire. Not checked:
    functions that acquire for their caller (`__enter__`, `__aenter__`, test set-up,
    any function with "acquire" in its name but context-manager generators); acquires inside `with
    self.assertRaises(...)`, `pytest.raises(...)` or `mock.patch(...)`, or in a function
    decorated with `@mock.patch(...)`; module-level code. A second `X.acquire()` while
    `X` is held ends the first one's path (a semaphore, a re-entrant lock, a lock used as
    a signal).

    ## Example
    ```python
    async def load_orders(pool, customer_id):
        client = await pool.connect()
        rows = await client.query("SELECT * FROM orders WHERE customer = $1", customer_id)
        client.release()
        return rows
    ```

    ## Use instead
    ```python
    async def load_orders(pool, customer_id):
        client = await pool.connect()
        try:
            return await client.query("SELECT * FROM orders WHERE customer = $1", customer_id)
        finally:
            client.release()
    ```
    or `async with pool.connect() as client:` where the pool supports it.

    ## Options
    - `extra-resources`: the project's own acquire/release pairs: `"package.factory"`
      (released by `close()`), `"package.factory:method"`, `"*.method:release"` for a
      method acquire on any receiver (`lease = pool.checkout()` / `lease.release()`),
      and a release `*.method` for a method the resource is given back to
      (`"*.checkout:*.checkin"`: `pool.checkin(lease)`); see OOM202. Set the same list
      for OOM202: both rules read the table, each from its own section
      (`[tool.oomlint.OOM201]`, `[tool.oomlint.OOM202]`).

    ## Fix
    Unsafe (`oomlint fix --unsafe-fixes`), when the release is the resource's only one
    and a statement of the acquire's block, each on a line of its own: the statements
    between them move into a `try` that starts right after the acquire, and the
    release into its `finally`. A bare `X.acquire()` (or `await X.acquire()`) becomes
    `with X:` (`async with X:`) around those statements instead, unless comments on the
    release would be lost. Unsafe because the release now also runs when something
    raises or returns early, which the code may not expect (a lock released twice, a
    connection given back that an `except` later uses), and `with X:` needs `X` to be
    a context manager. Other shapes (the release in another block, several releases)
    are left to you.

    ## References
    - [The with statement](https://docs.python.org/3/reference/compound_stmts.html#the-with-statement)
    - [contextlib.closing, ExitStack](https://docs.python.org/3/library/contextlib.html)
    - [node-postgres: pooling (check out, use, return)](https://node-postgres.com/features/pooling)
    - [pylint consider-using-with (R1732)](https://pylint.readthedocs.io/en/stable/user_guide/messages/refactor/consider-using-with.html)
    """

    code = "OOM201"
    symbol = "release-not-in-finally"
    summary = "Resource released on the normal path only, not in finally or with"
    message = (
        "'{resource}' from {acquire} is {released} on the normal path only: {cause} skips it; {advice}"
    )

    @classmethod
    def restructure(cls, acquire_call, statements):
        """``try``/``finally`` after the acquire, or ``with X:`` for a bare lock acquire."""
        import libcst as cst

        from oomlint.python.cst import indented

        acquire, *moved, release = statements
        lock = _bare_lock_acquire(acquire)
        if lock is not None and not _has_comments(release):
            receiver, waits = lock
            managed = cst.With(
                items=[cst.WithItem(item=receiver)],
                body=indented(moved, header=acquire.trailing_whitespace),
                asynchronous=cst.Asynchronous() if waits else None,
                leading_lines=acquire.leading_lines,
            )
            return [managed]
        blank_lines = [line for line in moved[0].leading_lines if line.comment is None]
        guarded = cst.Try(
            body=indented(moved), finalbody=cst.Finally(body=indented([release])), leading_lines=blank_lines
        )
        return [acquire, guarded]


def _bare_lock_acquire(statement):
    """``(X, awaited)`` for a statement that is only ``X.acquire()`` or ``await X.acquire()``."""
    import libcst as cst

    expression = plain_statement(statement)
    if not isinstance(expression, cst.Expr):
        return None
    call = expression.value.expression if isinstance(expression.value, cst.Await) else expression.value
    if isinstance(call, cst.Call) and not call.args and isinstance(call.func, cst.Attribute) and call.func.attr.value == "acquire":
        return call.func.value, isinstance(expression.value, cst.Await)
    return None


def _has_comments(statement) -> bool:
    return statement.trailing_whitespace.comment is not None or any(line.comment for line in statement.leading_lines)
