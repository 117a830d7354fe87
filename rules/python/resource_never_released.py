"""OOM202: a resource that is neither released, managed, nor handed off."""

from __future__ import annotations

import ast

from oomlint.python.children import walk
from oomlint.python.runs import release_runs
from oomlint.python.semantic import COMPARED, TEST
from oomlint.rules.python._resources import ResourceRule, plain_statement, released_before, short_code

FORK = "os.fork"
# What reaps a child: waiting for it (``os.wait()`` reaps any one).
WAITS = frozenset({"os.wait", "os.waitpid", "os.wait3", "os.wait4", "os.waitid"})
# What ends the process (or replaces its program): a parent that ends leaves its children to init.
EXITS = frozenset(
    {"sys.exit", "os._exit", "os.abort", "builtins.exit", "builtins.quit",
     *(f"os.{name}" for name in ("execv", "execve", "execl", "execle", "execlp", "execlpe", "execvp", "execvpe"))}
)


class ResourceNeverReleased(ResourceRule):
    """
    ## What it does
    Flags a resource bound to a local name in a function that is never released
    there, never used as a context manager, and does not escape the function. Also
    `X.acquire()` (a statement or an `if` test) with no `X.release()` in the function,
    unless `X` is of a class the module or project defines with neither `release` nor
    `close` (made there, or a parameter annotated with it): a rate limiter's
    `acquire()` waits, and there is nothing to give back.

    The resources and what releases them:
    - `c = P.getconn()` -> `P.putconn(c)`; `c = [await] P.acquire()` ->
      `[await] P.release(c)` or `c.release()`; `c = [await] X.connect()` (no positional
      argument: `sock.connect(address)` returns nothing; SQLAlchemy's
      `engine.connect()` too) -> `c.close()` or `c.release()`, but a Cassandra
      `Cluster`'s `session = cluster.connect()` -> `session.shutdown()`; SQLAlchemy's
      `c = engine.raw_connection()` -> `c.close()`. Not `self.connect()` when the
      class defines `connect` itself and it returns nothing or only what the instance
      holds (`return self.client[self.dbname]`, `self.client.get_database()`, not a
      checkout such as `self.pool.getconn()`): what it returns decides, not its name,
      and the instance owns the connection (OOM203). Cursors are not tracked: they hold
      no OS resource of their own and closing their connection closes them, so a
      connection left open with its cursor is one finding, the connection's (one thing
      to fix, not two);
    - `close()`: `open`, `io.open`, `codecs.open`, `os.popen` (its `close()` waits for
      the child), `path.open()` on a path object (`pathlib.Path(...)`, `py.path.local(...)`,
      or a name bound to one), `gzip.open`, `bz2.open`,
      `lzma.open`, `tarfile.open`, `tarfile.TarFile` (and `TarFile.open`),
      `zipfile.ZipFile`, `tempfile.TemporaryFile`, `NamedTemporaryFile`,
      `SpooledTemporaryFile`, `socket.socket`, `socket.create_connection` and
      `trio.socket.socket` (or `detach()`), a member opened from a `zipfile.ZipFile`
      over a path (`archive.open(name)`: the archive's file stays open until it is closed), `sqlite3.connect`, `psycopg2.connect`, `psycopg.connect`,
      `pymysql.connect`, `urllib.request.urlopen`, `requests.Session`, `httpx.Client`,
      `aiohttp.ClientSession` (`await session.close()`), `selectors.DefaultSelector`
      (and the other selectors), SQLAlchemy sessions (`Session(engine)`, and `Session()`
      where `Session = sessionmaker(...)`: they hold a pooled connection while a
      transaction is open); a Cassandra `Cluster` -> `shutdown()`; network clients:
      `pika.BlockingConnection`, `paramiko.SSHClient`, `http.client.HTTPConnection` and
      `HTTPSConnection` -> `close()`, `smtplib.SMTP`, `ftplib.FTP`, `poplib.POP3` (and their
      `_SSL`/`_TLS` variants) -> `quit()` or `close()`, `imaplib.IMAP4` (and `IMAP4_SSL`)
      -> `logout()`;
    - an sqlite3 connection is also flagged in `with sqlite3.connect(p) as conn:` (or
      `with helper() as conn:` where the helper returns one) when nothing closes it: its
      `with` commits or rolls back and leaves it open, and a helper returning `conn` from
      inside such a `with` returns it open. The connection is in a reference cycle with its
      statement cache, so dropping it does not close it either: only the cycle collector
      does. `with contextlib.closing(sqlite3.connect(p)) as conn:` closes it;
    - the response of a request made on an `aiohttp.ClientSession` (`resp = await
      session.get(url)`, also `self.session` made by one, and `yield from` in a
      generator-based coroutine) -> `release()` or `close()`, or its body read whole
      (`read()`, `text()`, `json()`), which releases it: until then it holds one of the
      session's pooled connections;
    - `tempfile.TemporaryDirectory` -> `cleanup()`; `httpx.AsyncClient` -> `aclose()`;
      `multiprocessing.Pool` (and `multiprocessing.pool.Pool`/`ThreadPool`) ->
      `close()` or `terminate()`; `concurrent.futures.ThreadPoolExecutor` and
      `ProcessPoolExecutor` -> `shutdown()`;
    - `subprocess.Popen` given a pipe (`stdin`, `stdout` or `stderr` is
      `subprocess.PIPE`) -> `wait()`, `communicate()`, `kill()` or `terminate()` (or
      `with Popen(...)`): until the child is waited for, its pipes stay open and, once
      it ends, it stays a zombie in the process table. Without a pipe the parent holds
      nothing of a child that runs on (a daemon, a background job), and the next
      `Popen` reaps it once it ends: not flagged. A project function that returns the
      `Popen` (`p = start_piped(cmd)`) gives a pipe when it passes one itself, or when its
      caller passes one for the parameter it hands to a stream slot;
    - the descriptor of `fd = os.open(path, flags)` and of `fd, path = tempfile.mkstemp()`,
      both of `r, w = os.pipe()` and `master, slave = pty.openpty()`, and those of the
      other calls of `os` that make one (`os.dup`, `os.pidfd_open`, `os.eventfd`,
      `os.memfd_create`, `os.posix_openpt`, `os.pipe2`, `os.openpty`)
      -> `os.close(fd)`, or handed to `os.fdopen(fd)` (or `open(fd)`, or an async
      library's `aiofiles.open(fd)`, `anyio.open_file(fd)`, `trio.open_file(fd)`), whose
      file object closes it. An `os.open(...)` whose result is dropped (a statement of its own) leaks
      the descriptor for good: no object holds it. Given to a child process
      (`Popen(cmd, stdout=w)`), a descriptor is still the parent's to close: the child
      gets copies (a terminal app that kept each session's `slave` open in the parent
      fixed exactly this);
    - temporary paths, which no garbage collector removes: `d = tempfile.mkdtemp()` ->
      `shutil.rmtree(d)` (or `os.rmdir`, `os.removedirs`, `Path(d).rmdir()`); the file
      of `f = tempfile.NamedTemporaryFile(delete=False)` (or `with ... as f`), which
      `close()` leaves on disk -> `os.unlink(f.name)` (or `os.remove`,
      `Path(f.name).unlink()`), a finding of its own beside the open file's.
      `delete_on_close=False` alone still deletes the file (when `with` ends or the
      object is finalized): the ordinary file case. In a container /tmp is often
      memory-backed (a tmpfs: `docker run --tmpfs /tmp`, a Kubernetes `emptyDir` with
      `medium: Memory`; many Linux hosts mount /tmp so too): every folder or file left
      there is memory charged to the container until it is OOM-killed. Not a path made
      in the folder the application's configuration names for its temporary files, a
      constant's name (`mkdtemp(dir=settings.MEDIA_TMP)`, `NamedTemporaryFile(dir=config.TEMP_DIR,
      delete=False)`): it is on the application's disk, and the application sweeps it
      (WebODM's periodic `cleanup_tmp_directory`); a folder given as a value (`dir=folder`,
      `dir=path.parent`) is swept by nobody, and is checked. OOM201 and OOM203 likewise.

    A path is not handed off by giving it to a call: `os.path.join(d, x)`, `open(...)`,
    `subprocess.run([..., d])` work in it. It is handed off when it, or a path built on
    it (`os.path.join(d, x)`, `Path(d) / x`, an f-string; the file's name in its
    folder, `os.path.basename(f.name)`, which still names it there), is returned, yielded,
    stored (also by a base class's constructor: `super().__init__(f, name)` keeps the
    temporary file on the instance, as Django's `UploadedFile` does), captured by a
    closure, given to a process or thread that outlives the
    call (`subprocess.Popen`, `threading.Thread`), or moved into place as the source of
    `os.replace`, `os.rename` or `shutil.move` (an atomic write), also through a helper of
    the project that passes it on to one (`fileutil.rename(f.name, dest)`); released when a removal function is
    given it or handed to a call beside it, which schedules the removal
    (`atexit.register(shutil.rmtree, d)`, `stack.callback(os.unlink, f.name)`,
    `BackgroundTask(os.remove, path)`), or given to a clean-up helper of the project,
    in any module, that passes it on to one (`robust_rmtree(d)` calling
    `shutil.rmtree(path)`, asked of the project index); another name for the same path
    (`path = f.name`, `p = Path(d)`, the name of a loop over a literal collection of it,
    `for path in (f.name, other): os.unlink(path)`) counts like it.

    Gathered in a local list only the function uses (`sockets.append(socket.create_connection(a))`)
    and released by no loop over it (`for s in sockets: s.close()`): flagged too (see OOM201).

    Released only where it fails (`if resp.status != 200: await resp.release(); raise
    LoginFailure()`), and neither released nor handed off on the path that succeeds (a
    `return`, the end of the function): flagged too, each successful call leaves one held.

    The project's own functions that return one of these are factories too:
    `conn = get_connection()` where `get_connection` (in this module or another module
    of the project, a method called as `self._connect()`, also one a project base class
    defines: `self._new_conn()` in a subclass, urllib3's connections, or through further
    helpers) returns `sqlite3.connect(...)`, and each element of `conn, cur = self._cursor()`
    when the method returns `conn, cursor`. oomlint reads that from the project index:
    a summary of what each function of the project (the folder of the nearest
    `pyproject.toml`, `setup.cfg`, `setup.py` or VCS root) returns, made when a file is
    checked and kept in `.oomlint_cache` by the file's content. A helper returns a
    fresh resource when it returns the call, or a local name bound to it; what it
    returns from an attribute or a global (a shared connection), what it also stores in a
    module-level container or attribute (`SESSIONS[sid] = p`: a registry of live things,
    ended by whoever takes them out of it), a memoized function
    (`functools.cache`, `lru_cache`), a property or a generator is not the caller's to
    release.

    Kinds the project teaches are resources too: a class or function, called by its
    name or through a module (`AsyncElasticsearch(url)`, `pycurl.Curl()`, the project's
    `connect()`), whose results the project's own code releases with care (`close()`,
    `aclose()` or `shutdown()` in a `finally` clause, or on an attribute of `self` in a
    method of its class) at least as often as it drops them. Not what a method of an
    object gives (`connection.cursor()`), nor a value closed only on the normal path
    (no sign of care), nor an in-memory buffer.

    Given to one of the project's own functions, it is still the caller's when that
    function keeps nothing of it: it only uses it (calls its methods, reads it, passes it
    to functions that keep nothing of it, itself included), neither returns, yields,
    stores nor captures it, nor gives it to a call the index cannot follow
    (`data = fetch(session, url)` where `fetch` only calls `session.get(url).json()`).
    One that closes it (`finish(f)` calling `f.close()`) releases it. Used by a function
    nested in the function, undecorated, that the function only calls and whose result
    it uses up before it returns (called for its effect, awaited, iterated, given to
    `list()`, `set()`, `sorted()` and the like, or bound to a name used only so), it is
    borrowed too: requirementslib's `gen()` read a session the function never closed.
    A nested function handed on (`Thread(target=poll)`, `create_task(poll())`, `return
    gen()`) or decorated takes it over. What a helper
    returns after releasing it itself (`p.communicate(); return out, p`) is no fresh
    resource.

    Made and used in one expression, never bound (`open(path).read()`,
    `requests.Session().get(url)`, `json.load(open(path))`, or given to a project
    function that keeps nothing of it), it is flagged in code that runs many times (a
    request or task handler, a function called in a loop; not a loop over a literal
    collection or a `range` of constants, nor the loop of a recursion, whose rounds the
    data sets, nor a comprehension's first iterable, evaluated once), and in a function
    that nothing seen calls (no call of it in the project, not handed on as a value: a
    public function of a library, a method called through an instance, whose callers
    may run it per request): only the garbage collector
    closes it, at once in CPython, later on PyPy, in a reference cycle or while a
    traceback holds the frame, each time with a `ResourceWarning`; maintainers fix these
    (the fix corpus holds more than twenty, in helpers as often as in handlers). Where
    the callers seen run it once or a bounded number of times (set-up code, a fixed loop,
    a recursion's levels), it is left alone, and so is a chain whose method releases it
    (`Popen(...).communicate()`) or a loop over it (`for line in open(path)`). A
    response read to its end (`urlopen(url).read()`) is closed when its body ends:
    the message says it is released on the normal path only, an exception before
    then leaving it to the garbage collector. What the
    garbage collector does not release when the last reference goes is flagged there too
    (code known to run once aside): an sqlite3 connection
    (`sqlite3.connect(p).execute(q).fetchall()`), a `Popen` with a pipe
    (`Popen(cmd, stdout=PIPE).stdout.read()`, and `os.popen(cmd).read()`, whose pipe has
    no finalizer of its own: the child stays a zombie until the next `Popen` reaps it), a
    dropped `os.open(...)`.

    So are the project's classes that define `close()` and `__exit__` (a context
    manager that closes: `repo = Repo(path)`, released by `repo.close()` or `with`),
    when the index holds their module (one that makes a resource oomlint follows); a
    subclass that inherits both is not recognised by its own name. So are those that
    define `close()` and whose `__init__` stores one of the resources above on `self`
    (`self._session = session if session else requests.Session()`: every instance owns
    a session, and `close()` is the only way to end it; qontract-reconcile's OCM client),
    and what the project's helpers return of either (`api = init_ocm_base_client(env)`):
    `with` needs `contextlib.closing()` around one that has no `__exit__`. A class whose
    `close()` ends nothing it made (a buffer, a session its maker passed) is none. A project class that
    derives from one of the resources above (`class FTP(ftplib.FTP)`, `class
    Connection(http.client.HTTPConnection)`, also through the project's own classes) is
    that resource, released as its base is (`session = FTP(timeout)` -> `quit()` or
    `close()`). `six.moves` names stand for the standard modules (`http_client` is
    `http.client`), and a parameter that defaults to a module (`def __init__(self,
    socket_module=socket)`, also through the attribute of `self` the initializer stores it
    in: `self.socket_module.socket(...)`) for that module, which the code uses unless a
    caller injects another (mostly a test's double).

    A child of `pid = os.fork()` that the function never waits for (`os.waitpid`,
    `os.wait`...), whose `pid` it only tests (`if pid == 0:`), while the parent goes on:
    nothing reaps a forked child (a `Popen`'s next instance reaps the ones before; a
    fork's children only the parent's wait), so each call leaves one more zombie in the
    process table. Not flagged: a parent that ends (`if pid: os._exit(0)`, the fork of a
    daemon), a `pid` returned, stored (also a `nonlocal` or `global` name) or given to a call, a module that handles
    `SIGCHLD`, code that runs once.

    A module-level resource (`SESSION = requests.Session()`) that a function replaces
    (`global SESSION; SESSION = requests.Session()`) without releasing the one there
    first (no method of it called but uses, not handed to a call or another name, no
    test of it around the store: `if SESSION is None:`): each call drops one open.
    Reported at the new store; not in code that runs once.

    A module-level dict the module's functions fill with resources (`CLIENTS[ip] =
    client`, `client` made by a factory, the project's own included) whose entries a
    function removes (`del CLIENTS[ip]`, `CLIENTS.pop(ip)` or `CLIENTS.clear()` as a
    statement) without releasing any of them (no `close()` on `CLIENTS[ip]`, on what it
    pops, or on a name read from it such as `for client in CLIENTS.values()`): each entry
    removed stays open where nothing can reach it. Reported at the removal; not in code
    that runs once.

    A descriptor among a tuple's elements dropped by picking another one
    (`tempfile.mkstemp()[1]` keeps the path): open for good, as a dropped `os.open()`.

    A resource made in a loop whose round can end holding it while the loop goes round
    again, when it is released or handed over only after the loop (a retry loop with no
    `break` after the connect that succeeded: pyIEM's `get_dbconn` connected three
    times and returned the last): the next round's acquire drops the one made, open.
    The round must get there on its normal path; one that goes round holding it only
    after something failed is that failure's leak (OOM201).
    Not flagged: a round that leaves the loop (`break`, `return`), releases it or hands it
    over, a `while` test or an `if` around the acquire that reads its name (`while conn
    is None:`) or a name the body sets after the acquire (`connected = True`, `writer =
    csv.writer(f)` under `if writer is None:`): the next round may not make another.

    ## Why is this bad?
    Nothing gives the resource back: the connection stays checked out of the pool,
    the lock stays held, the descriptor stays open until the garbage collector happens
    to run (never, for a pool checkout or a lock). Under load the pool runs dry and
    the process runs out of descriptors and memory, as in the DB pool runbook's leak.

    ## Known limits
    Escaping, and so not flagged: returned or yielded, stored on an attribute, in a
    container (`items.append(f)`, a literal), in another name, a `global` or
    `nonlocal`, passed to a call (the callee may own it now) but those that read or
    write a file and keep nothing of it (`json.load`, `yaml.safe_load`, `pickle.dump`,
    `shutil.copyfileobj`...) or use a database connection and leave it open (pandas'
    `read_sql`, `read_sql_query`, `read_sql_table` and any `df.to_sql(name, con)`),
    those that run a command with it as a standard stream (`subprocess.Popen(cmd,
    stdout=log)`, `subprocess.run`, `call`, `check_call`, `check_output`,
    `asyncio.create_subprocess_exec`/`_shell`: the child gets a copy, the parent's
    file is still the parent's to close),
    and the project's functions that keep nothing of it (see
    above), or used by a nested function or lambda; a cursor or channel made from it
    (`return conn.cursor()`, `self._channel = connection.channel()`) keeps it open too. Managed: `with`/`async with` (also on the object later),
    `closing(x)`, `ExitStack.enter_context`, a release method handed to `callback`,
    `weakref.finalize`, `atexit.register` or `addCleanup`. Nor is a client that connects
    lazily and that the function never connects flagged (`requests.Session()` made to read
    its default headers, a `paramiko.SSHClient()` never `connect()`ed, see OOM201): it
    holds nothing of the OS.

    A call whose result local names hold (`repos = Repositories(session)`,
    `response = requests.put(url, data=body)`) wraps or borrows what it is given, and
    what becomes of those names becomes of it: returned, stored, passed to a call
    whose result is not kept, released (`wrapped.close()`, `with wrapped:`), or a value
    their methods return handed on (`return stream.connect(address)`), it is handed
    off; kept in the function (data read from them, `response.status_code`, may be
    returned), the call borrowed it, and it is still the function's to release. A
    process, thread or task that a call starts with it (`executor.submit(send, f)`,
    `Thread`, `create_task`) is no such wrapper.

    Not flagged either:
    - what owns no OS resource or that nobody else can reach: an archive or compressed
      file (`zipfile.ZipFile`, `tarfile.open`, `tarfile.TarFile`, `gzip.open`,
      `bz2.open`, `lzma.open`) over a file object rather than a path (see OOM201), and the
      members it opens; such an archive never closes that file either, so a file handed
      to a function that only reads it through one is still the caller's; an SQLite database in
      memory, a `SpooledTemporaryFile` without `max_size` (0, its default: it never
      spills to disk), a PyHive Presto or Trino connection (`pyhive.presto.connect`: documented
      as a stateless factory of cursors, its `close()` does nothing), and a lock the
      function makes itself and never hands to anyone;
    - a latch: `if X.acquire(blocking=False):` (or `acquire(False)`) with no
      `X.release()`, where the lock only lets something run once (a shutdown that
      must not start twice);
    - a flag: `acquired = X.acquire(...)` whose name is only ever tested
      (`if not acquired:`): a lock's `acquire` says whether it got the lock (the
      lock `X` is what is held), it is no checkout to give back;
    - a resource got from another that the function made (`session = cluster.connect()`
      on its own `cluster`): releasing the owner releases it, one finding is the owner's;
      made inside the `with` that manages the owner (`resp = await session.get(url)` in
      `async with aiohttp.ClientSession() as session:`), the owner's close at the
      block's end releases it on every path (aiohttp's session closes the connections
      its unreleased responses hold; not when given a connector it does not own,
      `connector_owner=False`);
    - one-shot code: a function that runs only once, as its module and the project's
      other modules show (see OOM201), every function of a
      migration (Django `class Migration`, an Alembic revision), of a script or of an
      Ansible action plugin (a process per task; see OOM201), or of a program that is
      an interactive shell (a `cmd.Cmd` it runs; a person's session, see OOM201), and
      a function that ends the process when something fails (`sys.exit` in an `except`
      clause: start-up code, see OOM201) and acquires nothing in a loop; and code that
      never runs in production (a view that first refuses unless the deployment is a
      developer's, `if not settings.DEV: raise Http404()`; see OOM201) or as shipped (under
      a switch left off in the source, `if _DEBUG:`; see OOM201);
    - a file whose descriptor `os.dup2(f.fileno(), ...)` puts under a standard stream;
    - a resource that a loop running for the life of its thread uses after the acquire
      (`while True:`, `while self._running:`, `while not stop.is_set():`): held once
      per thread, not per request. A loop the function leaves with a value (`return
      result`) is a wait for this call's outcome (a child's exit, a reply), not a
      service: what it uses is checked;
    - acquires in functions that acquire for their caller: `__enter__`/`__aenter__`
      (released in `__exit__`), `setUp`/`setUpClass`/`asyncSetUp` and pytest's
      `setup_*` (torn down elsewhere), any function with "acquire" in its name but
      context-manager generators;
    - `X.acquire()` when the module releases a lock of that name elsewhere
      (`X.release()`, or `other.X.release()`): acquire and release split across
      functions by design, a semaphore counting between producer and consumer, a
      lock used as a signal between threads;
    - chains consumed at once (`open(p).read()`, `json.load(open(p))`), which
      CPython's reference counting closes, and results never bound to a name, outside
      code that runs many times or that nothing seen calls (see above);
    - acquires inside `with self.assertRaises(...)`/`pytest.raises(...)` (expected to
      fail), `with mock.patch(...)` or in a function decorated with `@mock.patch(...)`
      (the factory may be a mock);
    - module-level code.

    In a `@contextmanager` generator, `yield c` lends `c` to the `with` block: it does
    not count as an escape.

    ## Example
    ```python
    import sqlite3

    def count_users(path):
        conn = sqlite3.connect(path)
        cur = conn.cursor()
        cur.execute("SELECT count(*) FROM users")
        return cur.fetchone()[0]
    ```

    ## Use instead
    ```python
    import contextlib
    import sqlite3

    def count_users(path):
        with contextlib.closing(sqlite3.connect(path)) as conn:
            with contextlib.closing(conn.cursor()) as cur:
                cur.execute("SELECT count(*) FROM users")
                return cur.fetchone()[0]
    ```

    ## Options
    - `extra-resources`: the project's own acquire/release pairs, where no analysis can
      see them. An entry is an acquire, then optionally `:` and its release.
      `"package.factory"`: what the factory (by qualified name) returns is released by
      `close()`, `"package.factory:method"` by its `method()`. `"*.method:release"`: a
      method acquire on any receiver (`lease = pool.checkout()` for
      `"*.checkout:release"`, released by `lease.release()`). A release written
      `*.method` is a method the resource is given back to: `"*.checkout:*.checkin"`
      for `pool.checkin(lease)`, `"myapp.db.checkout:*.give_back"` for
      `db.give_back(conn)`. An acquire listed again adds releases
      (`["*.checkout:release", "*.checkout:*.checkin"]` accepts either). E.g.
      `["pysftp.Connection", "myapp.db.checkout:give_back", "*.checkout:*.checkin"]`.
      A malformed entry is a configuration error that names the key. Set the same
      list for OOM201 (`[tool.oomlint.OOM201]`).

    ## Fix
    Unsafe (`oomlint fix --unsafe-fixes`), for `f = open(...)` and the other factories
    whose object `with` closes (the file openers, `zipfile.ZipFile`, `tarfile.open` and `TarFile`,
    the temporary files, sockets, `urlopen`, `requests.Session`, `httpx.Client`,
    selectors), when every use of the name lies in the statements after it in its
    block: `with open(...) as f:` holds those statements, up to the last one using
    `f`. Unsafe because the object is now closed there, also when something raises,
    which code after that block cannot see through other references. Not for
    database connections (`with` ends a transaction and leaves them open),
    `TemporaryDirectory` (`as` binds the path), temporary paths, subprocesses (`with` waits for the
    child), pools, checkouts and locks: where they are released is a decision about
    the code.

    ## References
    - [The with statement](https://docs.python.org/3/reference/compound_stmts.html#the-with-statement)
    - [contextlib.closing, ExitStack](https://docs.python.org/3/library/contextlib.html)
    - [sqlite3: how to use the connection context manager](https://docs.python.org/3/library/sqlite3.html#sqlite3-connection-context-manager)
    - [CodeQL py/file-not-closed](https://codeql.github.com/codeql-query-help/python/py-file-not-closed/)
    """

    code = "OOM202"
    symbol = "resource-never-released"
    summary = "Resource (file, socket, connection, lock, pool checkout...) never released"
    message = (
        "'{resource}' from {acquire} {state}: {advice}"
    )

    @classmethod
    def restructure(cls, acquire_call, statements):
        """``f = open(...)`` and the statements using ``f``: ``with open(...) as f:`` around them."""
        import libcst as cst

        from oomlint.python.cst import indented

        acquire, *used = statements
        assign = plain_statement(acquire)
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or assign.value is not acquire_call:
            return None
        managed = cst.With(
            items=[cst.WithItem(item=acquire_call, asname=cst.AsName(name=assign.targets[0].target))],
            body=indented(used, header=acquire.trailing_whitespace),
            leading_lines=acquire.leading_lines,
        )
        return [managed]

    def finish(self) -> None:
        super().finish()
        source = self.context.source
        if "fork" in source and "SIGCHLD" not in source:  # a SIGCHLD handler (or SIG_IGN) reaps children
            self._unreaped_forks()
        if "global " in source:
            self._replaced_globals()
        if "del " in source or ".clear(" in source or ".pop" in source:
            self._dropped_from_caches()

    def _replaced_globals(self) -> None:
        """``global SESSION; SESSION = requests.Session()`` in a function, over the resource
        the module bound ``SESSION`` to, with nothing releasing the one there first (no
        method of it called but uses, not handed to a call, no test of it around the store):
        each call drops one open, as OOM203 says of an attribute ``__init__`` filled."""
        model = self.model
        module_scope = model.module_scope
        resources = {
            name: first
            for statement in self.context.tree.body if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
            for target in statement.targets if isinstance(target, ast.Name)
            for name in [target.id] if (first := self._module_resource(name, module_scope)) is not None
        }
        if not resources:
            return  # most modules hold no resource at module level: no walk for ``global``
        runs = release_runs(self.context)
        for name, first in resources.items():
            # ``global name`` in a function binds the module's name: its stores there are
            # the module scope's bindings too.
            for binding in model.bindings_of(name, module_scope):
                statement = binding.node
                if not (
                    binding.kind == "assign" and isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(binding.value, ast.Call)
                ):
                    continue
                function = model.enclosing(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
                if function is None or runs.one_shot(function) or self.analysis.factory_acquire(binding.value) is None:
                    continue
                if released_before(function, lambda node: isinstance(node, ast.Name) and node.id == name, statement, model):
                    continue
                call, releases = first
                self.report(
                    statement.value, resource=name, acquire=f"{short_code(call.func)}() at module level",
                    state="is replaced here without being released",
                    advice=f"each call of '{function.name}' drops the one there open; call {name}.{releases[0]}()"
                           " before storing the new one",
                )

    def _dropped_from_caches(self) -> None:
        """``del CLIENTS[ip]``, ``CLIENTS.pop(ip)``, ``CLIENTS.clear()`` on a module-level
        dict that the module's functions fill with resources (``CLIENTS[ip] = client``, where
        ``client`` is made by a factory), in a function that releases none of its entries
        (no ``close()`` on ``CLIENTS[...]``, on what it pops or gets, or on a name read from
        it): each entry removed stays open, and nobody can reach it any more."""
        model = self.model
        caches = {
            target.id
            for statement in self.context.tree.body if isinstance(statement, ast.Assign) and _empty_dict(statement.value, model)
            for target in statement.targets if isinstance(target, ast.Name)
        }
        if not caches:
            return
        filled = self._cache_contents(caches)
        if not filled:
            return
        runs = release_runs(self.context)
        for node in walk(self.context.tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or runs.one_shot(node):
                continue
            for removal, cache in _cache_removals(node, filled):
                call, releases = filled[cache]
                if not _releases_entries(node, cache, releases):
                    self.report(
                        removal, resource=cache, acquire=f"{short_code(call.func)}() at line {call.lineno}",
                        state="has entries removed here without being released",
                        advice=f"call {releases[0]}() on each entry before removing it",
                    )

    def _cache_contents(self, caches: set[str]) -> dict[str, tuple[ast.Call, tuple[str, ...]]]:
        """The caches among ``caches`` that a function stores a resource in, with the call that
        made it and its releases: ``CACHE[key] = name`` where ``name`` is bound to a factory's
        result in that function."""
        model = self.model
        filled = {}
        for node in walk(self.context.tree):
            if not (
                isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript)
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id in caches
                and isinstance(node.value, ast.Name) and node.targets[0].value.id not in filled
            ):
                continue
            function = model.enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if function is None:
                continue
            for binding in model.bindings_of(node.value.id, model.scope_of(function)):
                acquire = self.analysis.factory_acquire(binding.value) if isinstance(binding.value, ast.Call) else None
                if binding.kind == "assign" and acquire is not None:
                    filled[node.targets[0].value.id] = binding.value, acquire.releases
                    break
        return filled

    def _module_resource(self, name: str, module_scope) -> tuple[ast.Call, tuple[str, ...]] | None:
        """The call that made the resource the module binds ``name`` to at import time, and its releases."""
        for binding in self.model.bindings_of(name, module_scope):
            value = binding.value
            if binding.kind != "assign" or not isinstance(value, ast.Call):
                continue
            if self.model.enclosing(binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)) is not None:
                continue
            acquire = self.analysis.factory_acquire(value)
            if acquire is not None:
                return value, acquire.releases
        return None

    def _unreaped_forks(self) -> None:
        """``pid = os.fork()`` in a function that never waits for the child, keeps nothing of
        ``pid`` (only tests it) and goes on in the parent: unlike a ``Popen`` (whose next
        instance reaps the ones before), nothing reaps a forked child, and each call leaves
        one more zombie in the process table."""
        if "fork" not in self.context.source:
            return  # ``os.fork`` by any name or alias is spelled in the module: no walk of it
        model = self.model
        scope = model.module_scope
        runs = release_runs(self.context)
        for binding in model.all_bindings():
            node = binding.node
            if not (
                binding.kind == "assign" and isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(binding.value, ast.Call) and not binding.value.args
                and model.qualified_name(binding.value.func, scope) == FORK
            ):
                continue
            function = model.enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            name = binding.name
            if function is None or runs.one_shot(function) or _reaps_or_exits(function, name, model, scope):
                continue
            if binding.scope is not model.scope_of(function):
                continue  # ``global pid``, ``nonlocal pid``: stored where another scope waits for it
            if any(reference.role not in (TEST, COMPARED) for reference in model.variable_references(name, function)):
                continue  # returned, stored, given to a call (``os.kill(pid, ...)``, a registry): someone else's
            self.report(
                node.value, resource=name, acquire="os.fork()", state="is never waited for",
                advice=f"each call leaves a zombie child in the process table; call os.waitpid({name}, 0) in the parent",
            )


def _empty_dict(value: ast.expr, model) -> bool:
    """``{}``, ``dict()``, ``OrderedDict()``: a module-level dict filled later."""
    if isinstance(value, ast.Dict):
        return not value.keys
    return (
        isinstance(value, ast.Call) and not value.args and not value.keywords
        and model.qualified_name(value.func) in ("builtins.dict", "collections.OrderedDict")
    )


def _cache_removals(function: ast.AST, caches: dict) -> list[tuple[ast.AST, str]]:
    """``del CACHE[key]``, and ``CACHE.pop(key)``, ``CACHE.popitem()``, ``CACHE.clear()`` as
    statements of their own (what they return dropped), in ``function``."""
    removals = []
    for node in walk(function):
        if isinstance(node, ast.Delete):
            removals += [
                (target, target.value.id) for target in node.targets
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in caches
            ]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            if (
                isinstance(func, ast.Attribute) and func.attr in ("pop", "popitem", "clear")
                and isinstance(func.value, ast.Name) and func.value.id in caches
            ):
                removals.append((node.value, func.value.id))
    return removals


def _releases_entries(function: ast.AST, cache: str, releases: tuple[str, ...]) -> bool:
    """Whether ``function`` releases something read from ``cache``: ``CACHE[key].close()``,
    ``CACHE.pop(key).close()``, or ``close()`` on a name bound from it (``client =
    CACHE[ip]``, ``for client in CACHE.values()``)."""
    def reads_cache(expr: ast.AST) -> bool:
        return any(isinstance(node, ast.Name) and node.id == cache for node in walk(expr))

    read_names = set()
    for node in walk(function):
        if isinstance(node, ast.Assign) and reads_cache(node.value):
            read_names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, (ast.For, ast.AsyncFor)) and reads_cache(node.iter):
            read_names |= {name.id for name in walk(node.target) if isinstance(name, ast.Name)}
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in releases
        and (reads_cache(node.func.value) or (isinstance(node.func.value, ast.Name) and node.func.value.id in read_names))
        for node in walk(function)
    )


def _reaps_or_exits(function: ast.AST, pid: str, model, scope) -> bool:
    """Whether ``function`` waits for a child, or its parent side (not the branch where
    ``pid`` is 0) ends the process (a daemon's fork: ``if pid: os._exit(0)``)."""
    for node in walk(function):
        if isinstance(node, ast.Call):
            called = model.qualified_name(node.func, scope)
            if called in WAITS:
                return True
            if called in EXITS and not _in_child(node, pid, model):
                return True
        elif isinstance(node, ast.Raise) and node.exc is not None and "SystemExit" in ast.unparse(node.exc):
            if not _in_child(node, pid, model):
                return True
    return False


def _in_child(node: ast.AST, pid: str, model) -> bool:
    """Whether ``node`` runs where ``pid`` is 0 (``if pid == 0:``, ``if not pid:``, the
    ``else`` of ``if pid:`` or ``if pid > 0:``)."""
    for test, value in model.guards(node):
        zero = _zero_test(test, pid)
        if zero is not None:
            return zero == value
    return False


def _zero_test(test: ast.expr, pid: str) -> bool | None:
    """True when ``test`` holds where ``pid`` is 0 (``pid == 0``, ``not pid``), False when
    it holds where it is not (``pid``, ``pid > 0``, ``pid != 0``), None for another test."""
    if isinstance(test, ast.Name) and test.id == pid:
        return False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _zero_test(test.operand, pid)
        return None if inner is None else not inner
    if (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name) and test.left.id == pid
        and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == 0
    ):
        if isinstance(test.ops[0], (ast.Eq, ast.LtE)):
            return True
        if isinstance(test.ops[0], (ast.NotEq, ast.Gt)):
            return False
    return None
