"""What the release rules (OOM201, OOM202) share: the acquire/release table and the
per-function analysis that both report from.

Candidates are collected cheaply while the engine walks (``visit_call``): calls whose
qualified name is in the table (an archive over a file object excepted), or
``X.acquire()``, ``X.getconn()``, ``X.connect()``. Only functions holding one are
analysed, once, when a rule first asks for its ``reports`` (in ``finish``), unless they
acquire for their caller or run only once (:meth:`oomlint.python.runs.Runs.once`, unless
the project's other modules run them many times; or, asked only of a function with a
finding, :meth:`oomlint.python.runs.Runs.one_shot`, which also counts its own marks):

Besides the table, the kinds the project teaches: what its own code releases by a method
at least as often as it drops it (:meth:`~oomlint.python.project.ProjectIndex.released_kinds`),
reported only when never released (OOM202).

- where each acquire sits (``name = acquire()``, ``X.acquire()`` as a statement or an
  ``if`` test); other positions (``open(p).read()``, ``return open(p)``, an argument,
  an attribute) are hand-offs or immediately consumed, and are left alone;
- every use of the acquired name in the function (nested functions included): is it
  released, managed (``with``, ``closing``, ``ExitStack``, ``weakref.finalize``,
  ``atexit``, ``addCleanup``), or does it escape? Nothing of that: OOM202;
- a path scan from the acquire: a statement that can raise, a ``return``, a
  ``continue`` or the function's end, reached while the resource is held and neither
  released yet nor protected (a ``finally`` that releases it, a handler that catches
  everything), when the function does release it on its normal path: OOM201.

The two rules are separate instances per file; they share one ``ResourceAnalysis``
cached on the file's ``FileContext`` (``shared_analysis``), so the work is done once.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from oomlint.core.rule import Option, Rule
from oomlint.python.astutil import (
    ATEXIT_REGISTER, FunctionNode, argument, catches_everything, exits_on_failure, guarded_functions, is_none,
    last_name, module_facts, name_words,
)
from oomlint.python.checker import FileContext
from oomlint.python.children import preorder, walk
from oomlint.python.project import (
    CALLED, IN_MEMORY_FILES, WITH_KEEPS_OPEN, Lent, call_origin, handed_to, lent_to, class_methods_of_value,
    passed_in_memory, returned_call_names, wrapped_parameter,
)
from oomlint.python.runs import MANY, PER_INSTANCE, release_runs
from oomlint.python.semantic import LOG_METHODS, TRY_STATEMENTS, Scope, SemanticModel, child_blocks, name_uses

CLOSE = ("close",)
PATH_OPEN = "pathlib.Path.open"
"""``path.open()`` on a path object (see ``PATH_OBJECTS``): a file, like ``open(path)``."""
MEMBER_OPEN = "zipfile.ZipFile.open"
"""``archive.open(name)`` on a ``zipfile.ZipFile`` over a path: a member's file, which keeps the
archive's file open (closing the archive waits for its members) until it is closed."""
# Classes whose ``open()`` method opens the file at the path: pathlib's concrete paths and py.path's.
PATH_OBJECTS = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "py.path.local"})
# Qualified name -> the methods that release what it returns.
FACTORIES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "builtins.open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open", "os.popen", PATH_OPEN,
            MEMBER_OPEN, "tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "zipfile.ZipFile",
            "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile", "tempfile.SpooledTemporaryFile",
            "sqlite3.connect", "psycopg2.connect", "psycopg.connect", "pymysql.connect",
            "urllib.request.urlopen", "requests.Session", "requests.session", "httpx.Client",
            "aiohttp.ClientSession",
            "selectors.DefaultSelector", "selectors.SelectSelector", "selectors.PollSelector",
            "selectors.EpollSelector", "selectors.KqueueSelector", "selectors.DevpollSelector",
        ),
        CLOSE,
    ),
    # SQLAlchemy sessions hold a pooled connection while a transaction is open.
    **dict.fromkeys(
        ("sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session", "sqlalchemy.orm.sessionmaker()",
         "sqlalchemy.orm.session.sessionmaker()"),
        CLOSE,
    ),
    # Network clients that hold a connection from construction (or from ``connect()``) on.
    **dict.fromkeys(
        ("pika.BlockingConnection", "pika.adapters.blocking_connection.BlockingConnection", "paramiko.SSHClient",
         "paramiko.client.SSHClient", "http.client.HTTPConnection", "http.client.HTTPSConnection"),
        CLOSE,
    ),
    **dict.fromkeys(("smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP", "ftplib.FTP_TLS", "poplib.POP3",
                     "poplib.POP3_SSL"), ("quit", "close")),
    **dict.fromkeys(("imaplib.IMAP4", "imaplib.IMAP4_SSL"), ("logout", "shutdown")),
    "tempfile.TemporaryDirectory": ("cleanup",),
    "cassandra.cluster.Cluster": ("shutdown",),
    "socket.socket": ("close", "detach"),
    "socket.create_connection": ("close", "detach"),
    # trio's socket module mirrors the standard one; its sockets are the OS's all the same.
    "trio.socket.socket": ("close", "detach"),
    "httpx.AsyncClient": ("aclose",),
    # Given a pipe (``PIPES``): its pipes stay open and the finished child stays a zombie until waited for.
    "subprocess.Popen": ("wait", "communicate", "kill", "terminate"),
    **dict.fromkeys(
        ("multiprocessing.Pool", "multiprocessing.pool.Pool", "multiprocessing.pool.ThreadPool"),
        ("close", "terminate"),
    ),
    **dict.fromkeys(
        (
            "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
            "concurrent.futures.thread.ThreadPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor",
        ),
        ("shutdown",),
    ),
}
# Factories whose objects ``with`` closes and binds to ``as``: OOM202's fix wraps them in
# ``with``. (A ``with`` on an sqlite3/psycopg2/pymysql connection ends a transaction and
# leaves it open, on a TemporaryDirectory binds its path, on a Pool terminates it.)
CLOSED_BY_WITH = frozenset(
    {
        "builtins.open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open", "os.popen", PATH_OPEN,
        MEMBER_OPEN, "tarfile.open",
        "tarfile.TarFile", "tarfile.TarFile.open", "zipfile.ZipFile", "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile", "tempfile.SpooledTemporaryFile",
        "socket.socket", "socket.create_connection", "trio.socket.socket", "urllib.request.urlopen", "requests.Session",
        "requests.session", "httpx.Client", "selectors.DefaultSelector", "selectors.SelectSelector",
        "selectors.PollSelector", "selectors.EpollSelector", "selectors.KqueueSelector", "selectors.DevpollSelector",
        "pika.BlockingConnection", "pika.adapters.blocking_connection.BlockingConnection", "paramiko.SSHClient",
        "paramiko.client.SSHClient", "smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP", "ftplib.FTP_TLS",
        "imaplib.IMAP4", "imaplib.IMAP4_SSL",
    }
)
# Factories that wrap the file they are given: over a path they open (and own) a file;
# over a file object they own nothing of the OS, and closing them does not close it.
# The file parameter, by position and keyword; tarfile's ``fileobj`` (its third) is a file
# object by definition, beside a ``name`` it then only records.
FILE_WRAPPERS = {
    "zipfile.ZipFile": (0, "file"),
    **dict.fromkeys(("tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open"), (2, "fileobj")),
    "gzip.open": (0, "filename"),
    "bz2.open": (0, "filename"),
    "lzma.open": (0, "filename"),
}


class TemporaryPath(NamedTuple):
    """A kind of resource that is a path on disk, often in a memory-backed /tmp: what a
    function given the path removes it, and what would remove it for you."""

    removals: tuple[str, ...]
    """Qualified names; ``pathlib.Path.<method>`` for ``Path(path).<method>()``."""
    instead: str
    takers: tuple[str, ...] = ()
    """Qualified names of calls that take it over (``os.fdopen(fd)``: the file closes it)."""


TEMPORARY_DIRECTORY = TemporaryPath(
    ("shutil.rmtree", "os.rmdir", "os.removedirs", "pathlib.Path.rmdir"), "use tempfile.TemporaryDirectory()"
)
KEPT_FILE = TemporaryPath(("os.unlink", "os.remove", "pathlib.Path.unlink"), "leave delete=True")
"""The file of ``NamedTemporaryFile(delete=False)``: ``close()`` leaves it on disk."""
DESCRIPTOR = TemporaryPath(
    ("os.close",), "wrap it at once with os.fdopen()",
    ("os.fdopen", "builtins.open", "io.open", "socket.socket", "aiofiles.open", "anyio.open_file", "trio.open_file"),
)
"""The OS file descriptor of ``os.open(path, flags)`` or ``fd, path = tempfile.mkstemp()``: an
int, so no object closes it for you, not even the garbage collector. The async libraries'
``open`` (``aiofiles.open(fd, "wb")``) call ``open`` with it in a worker thread: their file owns it."""
# Every call of ``os`` that returns a new descriptor: a file's, a process's (``pidfd_open``),
# an event counter's, an anonymous memory file's, a copy (``dup``).
DESCRIPTOR_FACTORIES = ("os.open", "os.dup", "os.pidfd_open", "os.eventfd", "os.memfd_create", "os.posix_openpt")
TEMPORARY_PATHS = {"tempfile.mkdtemp": TEMPORARY_DIRECTORY, **dict.fromkeys(DESCRIPTOR_FACTORIES, DESCRIPTOR)}
# Kinds the garbage collector does not release when the last reference goes: an sqlite3
# connection (see ``WITH_KEEPS_OPEN``), a child process (a zombie until waited for). The
# pipe of ``os.popen`` is one: its wrapper has no finalizer, so dropping it closes the pipe
# but leaves the ``Popen`` behind it unwaited, as ``Popen(..., stdout=PIPE).stdout.read()``.
NOT_COLLECTED = WITH_KEEPS_OPEN | {"subprocess.Popen", "os.popen"}
# Factories that return a tuple, and the resources among its elements.
TUPLE_FACTORIES = {
    "tempfile.mkstemp": {0: DESCRIPTOR},
    **dict.fromkeys(("os.pipe", "os.pipe2", "pty.openpty", "os.openpty"), {0: DESCRIPTOR, 1: DESCRIPTOR}),
}
# ``conn, address = listener.accept()``: a listening socket's ``accept`` gives the new
# connection's socket and the peer's address. Unpacked into two names, nothing else does that
# (a Qt dialog's ``accept()`` returns None, paramiko's and multiprocessing's one object).
ACCEPTED_SOCKET = "socket.socket"


def accepted_socket(statement: ast.AST, name: str) -> bool:
    """Whether ``statement`` is ``<name>, <address> = X.accept()``: ``name`` holds a socket."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
        return False
    target, value = statement.targets[0], statement.value
    return (
        isinstance(target, ast.Tuple) and len(target.elts) == 2
        and isinstance(target.elts[0], ast.Name) and target.elts[0].id == name
        and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
        and value.func.attr == "accept" and not value.args and not value.keywords
    )


KEPT_FILE_FACTORY = "tempfile.NamedTemporaryFile"
# Where each temporary-path factory takes its folder: ``mkdtemp(suffix, prefix, dir)``,
# ``NamedTemporaryFile(mode, buffering, encoding, newline, suffix, prefix, dir, delete)``.
_FOLDER_SLOTS = {"tempfile.mkdtemp": 2, KEPT_FILE_FACTORY: 6}
# Calls whose result names the path they are given (``os.path.join(d, name)``, ``Path(d)``);
# the path classes and the calls that keep the same path also make another name for it.
PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath"})
SAME_PATH = PATH_CLASSES | {"builtins.str", "os.fspath", "os.path.abspath", "os.path.realpath", "os.path.normpath"}
# ``os.path.basename(f.name)``: the file's name in its folder, which still names it there
# (returned or stored, it hands the file off); given to another call, the callee reads it.
PATH_BUILDERS = SAME_PATH | {"os.path.join", "posixpath.join", "os.path.expanduser", "os.path.basename", "posixpath.basename"}
# Methods of a path (``str`` or ``pathlib``) that return paths (in it): ``Path(d).joinpath(x)``,
# ``d.rstrip("/")``, ``Path(d).glob("*")``. Others read it (``read_bytes()``, ``exists()``).
PATH_METHODS = frozenset(
    {"joinpath", "with_name", "with_suffix", "with_stem", "resolve", "absolute", "expanduser", "as_posix", "iterdir",
     "glob", "rglob", "rstrip", "strip", "lstrip", "replace", "format", "removesuffix", "removeprefix"}
)
# Moved into place (an atomic write, a download finished): no temporary any more.
MOVES = frozenset({"os.replace", "os.rename", "os.renames", "shutil.move"})
PATH_MOVES = frozenset({"rename", "replace"})
# A process or thread that outlives the call: the path it is given is its own now.
OUTLIVING_CALLS = frozenset(
    {"subprocess.Popen", "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
     "multiprocessing.Process", "threading.Thread", "threading.Timer"}
)
# Calls that start a child process: it gets its own copies of the descriptors it is given
# (``Popen(cmd, stdout=w)``), the parent's stay open until the parent closes them.
CHILD_PROCESSES = frozenset(
    {"subprocess.Popen", "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell", "multiprocessing.Process"}
)
# Calls that run a command with the files they are given as its standard streams
# (``Popen(cmd, stdout=log)``): the child gets copies, and the parent's file is still its own
# to close (avocado's ``Daemon.run`` left both of its own open).
STREAM_COPIERS = frozenset(
    {"subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
     "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell"}
)
STREAM_COPIER_NAMES = frozenset(name.rpartition(".")[2] for name in STREAM_COPIERS)
# What makes a parameter a file object: its annotation, or its name (``fileobj``, ``fp``...).
FILE_ANNOTATIONS = frozenset(
    {"typing.IO", "typing.BinaryIO", "typing.TextIO", "io.IOBase", "io.BytesIO", "io.StringIO",
     "io.BufferedReader", "io.RawIOBase", "io.BufferedIOBase", "io.TextIOBase"}
)
FILE_OBJECT_WORDS = frozenset({"f", "fp", "fh", "fd", "fileobj", "fobj", "stream", "buffer", "buf", "bio", "io"})
FILE_OBJECT_ATTRIBUTES = frozenset({"file", "stream", "fp", "fileobj", "raw", "buffer"})
FILE_METHODS = frozenset({"read", "seek", "tell", "readline", "readinto", "getvalue", "getbuffer"})
# Locks made by these are reachable only through the name they are bound to.
LOCK_CLASSES = frozenset({"Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition"})
PYTEST_FIXTURES = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
# Fixtures of these scopes run once per test session (or package): one-shot code.
ONE_SHOT_SCOPES = frozenset({"session", "package"})
# Factories that, given this value for a parameter (position, keyword, value), open nothing
# of the OS: a database in memory; a spooled file whose ``max_size`` is 0, its default, which
# means no limit: it stays a ``BytesIO`` (only ``fileno()`` or ``rollover()`` would make a file).
IN_MEMORY = {"sqlite3.connect": (0, "database", ":memory:"), "tempfile.SpooledTemporaryFile": (0, "max_size", 0)}
IN_MEMORY_BY_DEFAULT = frozenset({"tempfile.SpooledTemporaryFile"})
"""Those of :data:`IN_MEMORY` whose parameter defaults to the value."""
# ``x.set()``, ``x.clear()``, ``x.is_set()`` with no argument: an event's flag (or a
# container emptied), which cannot fail.
EVENT_METHODS = frozenset({"set", "clear", "is_set"})
# Setting a socket's timeout or blocking mode fails only for a value of the wrong type or
# sign: nothing to plan a release for (``sock.connect(...)`` after it is what fails).
SOCKET_SETTINGS = frozenset({"settimeout", "setblocking", "setsockopt"})
# Nor does setting a portable flag of the socket level with a literal
# (``setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)``): options of other levels or kinds fail for the
# wrong socket or without privileges (``IP_TRANSPARENT``, ``TCP_NODELAY`` on UDP), and
# ``SO_REUSEPORT`` is missing on some systems.
SOCKET_FLAGS = frozenset(f"socket.{name}" for name in ("SO_REUSEADDR", "SO_BROADCAST", "SO_KEEPALIVE"))
# Reading the clock (``time.time()``) cannot fail.
CLOCKS = frozenset(f"time.{name}" for name in ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns"))
CLOCK_NAMES = frozenset(name.rpartition(".")[2] for name in CLOCKS)
DESCRIPTOR_HANDOFFS = frozenset({"os.dup2"})
# A lock or an event made with nothing is a few bytes: as an empty collection, it cannot fail.
NEW_SIGNALS = frozenset(f"threading.{name}" for name in ("Event", "Lock", "RLock", "Condition"))
# Calls that make a descriptor from nothing the caller names (no path): they fail only when
# the process has none left, and then the exception is the exhaustion, not a leak's cause.
# Between an acquire and its ``try`` they are quiet (``saved = os.dup(1); r, w = os.pipe()``);
# so are opening the null device and ``os.close``, which fails only for a descriptor that is
# not open (as ``os.dup2``).
DESCRIPTORS_FROM_NOTHING = frozenset(
    {"os.dup", "os.pipe", "os.pipe2", "os.eventfd", "pty.openpty", "os.openpty", "os.close"}
)
# A thread made and started at once (``threading.Thread(target=loop, daemon=True).start()``):
# the start fails only when the process can start no more threads, like the calls above.
NEW_THREADS = frozenset({"threading.Thread", "threading.Timer"})
_FROM_NOTHING_NAMES = frozenset(
    name.rpartition(".")[2] for name in (*DESCRIPTORS_FROM_NOTHING, *NEW_SIGNALS, *NEW_THREADS)
) | {"open", "start"}
# Calls that hand what they are given to a process, thread or task that outlives them:
# the future or handle they return is no wrapper of it.
SCHEDULERS = frozenset(
    {"Popen", "Thread", "Timer", "Process", "submit", "apply_async", "map_async", "run_in_executor", "create_task",
     "ensure_future", "start_new_thread", "spawn", "create_subprocess_exec", "create_subprocess_shell"}
)
_WRAPPER_DEPTH = 3
# Builtins that make a new value of what they are given and keep nothing of it (``len(rows)``,
# ``sorted(rows)``); ``iter``, ``map``, ``zip`` and ``enumerate`` keep it.
VALUE_BUILTINS = frozenset(
    f"builtins.{name}"
    for name in ("len", "str", "repr", "int", "float", "bool", "bytes", "list", "tuple", "set", "frozenset", "dict",
                 "sorted", "sum", "min", "max", "any", "all", "isinstance", "hash", "format", "print")
)

# A ``Popen`` is a resource when given a pipe: without one the parent holds nothing of the child,
# and the next ``Popen`` reaps it once it ends (CPython's ``subprocess._cleanup``).
PIPES = {"subprocess.Popen": ((3, "stdin"), (4, "stdout"), (5, "stderr"))}
# Responses that reading to the end (``read()`` with nothing) closes: the connection goes back
# at the end of the body, on the normal path; an exception before it leaves it to the collector.
READ_TO_END = frozenset({"urllib.request.urlopen"})
NEVER_RELEASED = "is never released, managed by with, or handed off"
"""What OOM202 says of a resource, unless it says more (:data:`READ_TO_END`)."""
PIPE = "subprocess.PIPE"

# Method acquires, recognised by name on any receiver.
CHECKOUT_RELEASES = {
    "acquire": ("release", "close"),  # c = P.acquire() -> P.release(c) / c.release(); X.acquire() -> X.release()
    "getconn": ("close",),  # c = P.getconn() -> P.putconn(c)
    "connect": ("close", "release"),  # c = X.connect() -> c.close() / c.release()
    "raw_connection": ("close",),  # c = engine.raw_connection() (SQLAlchemy: the DBAPI connection) -> c.close()
}
# ``connect`` functions whose connection holds nothing: PyHive's Presto (and Trino, its
# subclass) ``Connection`` is documented as a stateless factory of cursors ("Presto does
# not have a notion of a persistent connection"), and its ``close()`` does nothing.
STATELESS_CONNECTS = frozenset({"pyhive.presto.connect", "pyhive.trino.connect"})
# Method acquires whose release depends on what the receiver was made by.
# Requests of an aiohttp session: the response holds a pooled connection until it is
# released, closed, or its body is read whole (``read``, ``text``, ``json`` release it then).
SESSION_REQUESTS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
RESPONSE_RELEASES = ("release", "close", "read", "text", "json")
RECEIVER_RELEASES = {
    ("cassandra.cluster.Cluster", "connect"): ("shutdown",),
    **{
        (session, method): RESPONSE_RELEASES
        for session in ("aiohttp.ClientSession", "aiohttp.client.ClientSession")
        for method in SESSION_REQUESTS
    },
}
# ``P.<method>(c)`` gives ``c`` back.
RELEASE_BY_ARGUMENT = frozenset({"putconn", "release"})
# Calls that take over a resource's cleanup: ``stack.enter_context(f)``, ``stack.callback(f.close)``,
# ``weakref.finalize(obj, f.close)``, ``atexit.register(f.close)``, ``self.addCleanup(f.close)``.
REGISTRATIONS = frozenset(
    {
        "enter_context", "enter_async_context", "callback", "push", "push_async_callback", "push_async_exit",
        "finalize", "register", "addCleanup", "addAsyncCleanup", "enterContext", "enterAsyncContext", "closing",
    }
)
CONTEXT_MANAGER_DECORATORS = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})
# Functions that acquire for someone else, who releases: the paired __exit__, test
# tear-down; and any function with "acquire" in its name (``acquire()``, ``_acquireLock()``).
RELEASED_ELSEWHERE = frozenset(
    {"__enter__", "__aenter__", "setUp", "setUpClass", "asyncSetUp", "setUpModule",
     "setup_method", "setup_class", "setup_module"}
)
# ``with self.assertRaises(...)`` / ``pytest.raises(...)``: the acquire is expected to fail;
# ``with mock.patch(...)`` or ``@mock.patch(...)``: the factory may be a mock.
NOT_REAL_ACQUIRES = frozenset({"assertRaises", "assertRaisesRegex", "raises", "patch"})
# Builtins that do not raise on the values they are normally given.
NON_RAISING_BUILTINS = frozenset({"isinstance", "issubclass", "len", "id", "type", "callable", "hasattr", "bool"})
# Methods whose result holds on to its receiver: returning it hands the receiver over too.
KEEPS_RECEIVER = frozenset({"cursor", "channel"})
# Called with nothing, they make an empty container (or a sentinel): nothing to fail on.
EMPTY_MAKERS = frozenset({"dict", "list", "set", "tuple", "frozenset", "object"})
EMPTY_COLLECTIONS = frozenset(f"collections.{name}" for name in ("Counter", "OrderedDict", "defaultdict", "deque"))
# ``sys.audit(...)`` raises only what an audit hook installed to veto the event raises (a sandbox):
# an application's own code runs no such hook.
# ``os.dup2(fd, 1)`` fails only for a descriptor that is not open (a bug, not a condition to
# release around; ``EINTR`` is retried since PEP 475): a pipe's end made stdout, then closed.
# A path object made of a value (``pathlib.Path(tmp.name)``) fails only for a value of the wrong
# type: a bug in the code, not a failure of the moment that leaves a resource behind.
PATH_CLASSES = frozenset(f"pathlib.{name}" for name in ("Path", "PurePath", "PosixPath", "PurePosixPath"))
QUIET_FUNCTIONS = frozenset({"sys.audit", "os.dup2", *EMPTY_COLLECTIONS, *PATH_CLASSES})
QUIET_FUNCTION_NAMES = frozenset(name.rpartition(".")[2] for name in QUIET_FUNCTIONS)
# A mapping's views, read with nothing: ``env.items()``.
MAPPING_VIEWS = frozenset({"items", "keys", "values"})
# Methods of an HTTP client that send (or stream) a request.
CLIENT_REQUESTS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"}
)
# Clients that open no connection until one of these methods does: an HTTP client's pool is
# made on demand by its first request, an SSH client connects in ``connect()``, an
# ``HTTPConnection`` in ``connect()`` or its first request. One that has done none of it holds
# nothing of the OS, and an exception before leaks nothing. (aiohttp's session warns when it
# is collected unclosed, and needs its loop: not one of them.)
LAZY_CLIENTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient"), CLIENT_REQUESTS),
    **dict.fromkeys(("paramiko.SSHClient", "paramiko.client.SSHClient"), frozenset({"connect"})),
    **dict.fromkeys(
        ("http.client.HTTPConnection", "http.client.HTTPSConnection"),
        frozenset({"connect", "request", "putrequest", "send"}),
    ),
}
# Clients that connect in their constructor only when given a host (``SMTP(host)``); made
# without one (``SMTP()``, ``SMTP(None, timeout=t)``), they connect in ``connect()``.
CONNECTING_IF_HOST = frozenset({"smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP", "ftplib.FTP_TLS"})


def opening_methods(
    factory: str | None, call: ast.expr, qualified: Callable[[ast.expr], str | None]
) -> frozenset[str] | None:
    """The methods that make the client ``call`` made hold a connection when it connects
    lazily (see ``LAZY_CLIENTS``) and ``call`` is ``factory`` itself; None for what holds its
    resource from the making on, and for a client a function of the project made and
    returned (``session, response = self.fetch(url)``): it may have connected it."""
    if not isinstance(call, ast.Call) or qualified(call.func) != factory:
        return None
    if factory in CONNECTING_IF_HOST:
        return frozenset({"connect"}) if _no_host(call) else None
    return LAZY_CLIENTS.get(factory)


def _no_host(call: ast.Call) -> bool:
    """Whether ``call`` gives no host: none at all, ``None`` or ``""`` (unpacked arguments may)."""
    if any(isinstance(item, ast.Starred) for item in call.args) or any(item.arg is None for item in call.keywords):
        return False
    host = argument(call, 0, "host")
    return host is None or (isinstance(host, ast.Constant) and host.value in (None, ""))
# Methods that fill a container in memory (a session's ``headers``, a client's ``options``).
CONTAINER_FILLS = frozenset({"update", "setdefault", "append", "extend", "add"})
BOOKKEEPING = frozenset({"append", "add"})
# Methods of ``str`` that change its case or trim its whitespace: called with nothing, none fails.
TEXT_RECASINGS = frozenset(
    {"lower", "upper", "casefold", "title", "capitalize", "swapcase", "strip", "lstrip", "rstrip"}
)
# Writes to a file, pipe or socket (and closing one flushes it), which fail with ``OSError``, and the
# names of that exception.
WRITE_METHODS = frozenset({"write", "writelines", "flush", "send", "sendall", "close"})
OS_ERRORS = frozenset({"OSError", "IOError", "EnvironmentError"})
# The socket module's names for builtin exceptions (``except socket.error``).
SOCKET_ERRORS = {"error": "OSError", "timeout": "TimeoutError", "herror": "OSError", "gaierror": "OSError"}
CONSOLE_WRITES = frozenset({"print", "write"})
# Functions that read or write a file they are given and keep nothing of it: passing a
# resource to one hands nothing over.
BORROWERS = frozenset(
    {"json.load", "json.dump", "pickle.load", "pickle.dump", "marshal.load", "marshal.dump", "plistlib.load",
     "plistlib.dump", "tomllib.load", "tomli.load", "yaml.load", "yaml.safe_load", "yaml.full_load",
     "yaml.unsafe_load", "yaml.load_all", "yaml.safe_load_all", "yaml.dump", "yaml.safe_dump", "yaml.dump_all",
     "shutil.copyfileobj", "os.fstat", "pandas.read_sql", "pandas.read_sql_query", "pandas.read_sql_table"}
)
# Methods that use the connection they are given and leave it open, whatever their receiver:
# pandas' ``df.to_sql(name, con)`` (cytominer-database leaked one ``engine.connect()`` per CSV).
BORROWING_METHODS = frozenset({"to_sql"})
BORROWER_NAMES = frozenset(name.rpartition(".")[2] for name in BORROWERS) | BORROWING_METHODS
BORROWED = Lent(False, frozenset())
# Calls outside the project that close what they are given, when the ``with`` around them ends.
CLOSERS = {"contextlib.closing": Lent(False, frozenset(CLOSE))}
CONSOLE_STREAMS = frozenset({"stdout", "stderr"})
CLEANUP_RECORDERS = frozenset({"addCleanup", "addAsyncCleanup"})
_TEXT = 40
_TUPLE_ELEMENTS = 4

NOT_YET, OPEN, CLOSED = 0, 1, 2
"""Path states of one resource, merged at joins: held on any path wins, then not yet acquired."""


EXTRA_RESOURCES_HELP = (
    "More acquire/release pairs: 'package.factory' (its result released by close()), "
    "'package.factory:method' (by result.method()), '*.method:release' (x = anything.method(), "
    "released by x.release()); a release '*.name' is a method given the resource back "
    "('*.checkout:*.checkin' for pool.checkin(x)); list an acquire again to add releases."
)
GIVEN_BACK = "*."
"""A configured release ``*.checkin``: the resource is given back to a ``checkin`` method."""
_IDENTIFIER = r"[A-Za-z_]\w*"
_EXTRA_RESOURCE = re.compile(
    rf"\s*(?P<acquire>\*\.{_IDENTIFIER}|{_IDENTIFIER}(?:\.{_IDENTIFIER})+)\s*"
    rf"(?::\s*(?P<release>(?:\*\.)?{_IDENTIFIER})\s*)?"
)


def extra_resources_problem(entries: tuple[str, ...]) -> str | None:
    """What is wrong with an ``extra-resources`` value, for the configuration error."""
    for entry in entries:
        if not _EXTRA_RESOURCE.fullmatch(entry):
            return (
                f"{entry!r} is not 'package.factory', 'package.factory:method' or '*.method:release' "
                "(a release may be '*.method', a method given the resource back)"
            )
    return None


class ResourceRule(Rule):
    """What OOM201 and OOM202 have in common: the option, the shared analysis, reporting,
    and the frame of their fixes.

    Each subclass sets its metadata, reports the analysis's findings for its code and
    says, in :meth:`restructure`, how its fix rewrites the statements of the span.
    """

    options = (Option("extra-resources", (), EXTRA_RESOURCES_HELP, validate=extra_resources_problem),)
    fixes = "unsafe"

    @classmethod
    def followed(cls, options):
        return followed_factories(options["extra-resources"])

    @classmethod
    def text_needed(cls, options: dict[str, object]) -> tuple[str, ...]:
        return texts_needed(options["extra-resources"])

    @classmethod
    def helper_names(cls, project, options: dict[str, object]) -> frozenset[str]:
        return release_helper_names(project, options["extra-resources"])

    def __init__(self, context, options):
        super().__init__(context, options)
        self.analysis = shared_analysis(context, options["extra-resources"])
        # Calls go straight to the shared analysis: one Python call per node, not two.
        self.visit_Call = self.analysis.visit_call

    def visit_Call(self, node: ast.Call) -> None:
        """Replaced per instance in ``__init__``; here so the engine knows to send calls."""

    def finish(self) -> None:
        for report in self.analysis.reports(self.code):
            fix = self.fixes if report.fix_end is not None else None
            self.report(report.node, fix=fix, fix_hint=report.fix_end, **{"state": NEVER_RELEASED, **report.fields})

    @classmethod
    def fix(cls, node, options, context, hint=None):
        """The acquire's block with the statements from the acquire to the line ``hint``
        (the release, the last use) as :meth:`restructure` rewrites them."""
        from oomlint.python.cst import statement_span

        span = statement_span(node, hint, context)
        if span is None:
            return None
        block, start, end = span
        rewritten = cls.restructure(node, block.body[start : end + 1])
        if rewritten is None:
            return None
        return block, block.with_changes(body=[*block.body[:start], *rewritten, *block.body[end + 1 :]])

    @classmethod
    def restructure(cls, acquire_call, statements):
        """The statements that replace ``statements`` (the acquire's first, the span's last
        one last), or None to leave them."""
        return None


def plain_statement(line):
    """For the fixes: the small statement a libcst line holds alone (``f = open(p)``), or None."""
    import libcst as cst

    return line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None


def parse_extra_resources(entries: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Factory rows (``"package.factory:method"``) and method rows (``"*.method:release"``),
    ``close`` when no release is named; an acquire listed again adds its releases.
    Malformed entries (the configuration reports them) are left out."""
    factories: dict[str, tuple[str, ...]] = {}
    methods: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        match = _EXTRA_RESOURCE.fullmatch(entry)
        if match is None:
            continue
        acquire, release = match["acquire"], match["release"] or "close"
        rows = methods if acquire.startswith(GIVEN_BACK) else factories
        key = acquire.removeprefix(GIVEN_BACK)
        rows[key] = (*rows.get(key, ()), release)
    return factories, methods


def followed_factories(extra: tuple[str, ...]) -> frozenset[str]:
    """What the release rules follow through the project: the table's factories and the configured ones."""
    return frozenset(FACTORIES) | TEMPORARY_PATHS.keys() | TUPLE_FACTORIES.keys() | parse_extra_resources(extra)[0].keys()


def release_helper_names(project, extra: tuple[str, ...]) -> frozenset[str]:
    """The project's names through which the release rules find an acquire in a file that
    names no factory: helpers and values leading to one, classes whose instances are
    resources (:meth:`~oomlint.python.project.ProjectIndex.closes`), and helpers that
    return an instance of one that owns a resource (:meth:`~oomlint.python.project.ProjectIndex.owns`)."""
    learned = project.released_kinds()
    return (
        project.leading_names(followed_factories(extra) | project.owning_classes() | learned.keys())
        | project.closing_class_names() | _last_names(learned)
    )


def texts_needed(extra: tuple[str, ...]) -> tuple[str, ...]:
    """What a file must name for the release rules to find an acquire there (without the
    project's helpers): the last names of the factories and checkout methods,
    ``extra-resources`` included."""
    factories, methods = parse_extra_resources(extra)
    return (*_last_names((*FACTORIES, *factories, *TEMPORARY_PATHS, *TUPLE_FACTORIES)), *CHECKOUT_RELEASES, *methods)


def _last_names(names) -> frozenset[str]:
    """``connect`` of ``sqlite3.connect``; ``sessionmaker`` of ``sqlalchemy.orm.sessionmaker()``."""
    return frozenset(name.rpartition(".")[2].removesuffix(CALLED) for name in names)


def shared_analysis(context: FileContext, extra: tuple[str, ...]) -> ResourceAnalysis:
    """The file's analysis for this table; OOM201 and OOM202 get the same object when
    they are configured alike, so candidates are collected and analysed once."""
    factories, methods = parse_extra_resources(extra)
    learned = context.project.released_kinds() if context.project is not None else {}
    return context.shared(
        (ResourceAnalysis, extra),
        lambda: ResourceAnalysis(
            context, {**learned, **FACTORIES, **factories}, {**CHECKOUT_RELEASES, **methods},
            frozenset(learned.keys() - FACTORIES.keys() - factories.keys()),
        ),
    )


@dataclass(eq=False)
class Acquire:
    call: ast.Call
    releases: tuple[str, ...]
    """Methods of the acquired object (or, for ``X.acquire()``, of ``X``) that release it;
    ``*.method`` for a configured method it is given back to."""
    receiver: ast.expr | None = None
    """``X`` of a method acquire (``X.acquire()``, ``P.getconn()``...)."""
    factory: str | None = None
    """The qualified name of a factory acquire (``builtins.open``)."""
    private_lock: bool = False
    """``lock.acquire()`` on a lock this function made (``lock = threading.Lock()``)."""
    elements: dict[int, Acquire] | None = None
    """For a project function that returns a tuple (``conn, cur = self._cursor()``): the
    acquire each element stands for, by position."""
    path: TemporaryPath | None = None
    """For a path on disk (``tempfile.mkdtemp()``): what removes it, given the path."""
    kept_file: bool = False
    """``NamedTemporaryFile(delete=False)``: its file outlives ``close()``, a second resource."""
    given_back: frozenset[str] = RELEASE_BY_ARGUMENT
    """``P.<method>(c)`` gives ``c`` back (``putconn``, a configured ``*.checkin``)."""
    without_exit: bool = False
    """An instance of a project class with ``close()`` and no ``__exit__``: ``with`` needs
    ``contextlib.closing()`` around it."""

    @classmethod
    def of(cls, call: ast.Call, releases: tuple[str, ...], **fields) -> Acquire:
        """An acquire released by the methods of ``releases``, or given back to those written ``*.method``."""
        given = {release.removeprefix(GIVEN_BACK) for release in releases if release.startswith(GIVEN_BACK)}
        return cls(call, releases, given_back=RELEASE_BY_ARGUMENT | given, **fields)


@dataclass(eq=False)
class Resource:
    """One tracked acquire in its position, and the uses of what it acquired."""

    acquire: Acquire
    statement: ast.stmt
    name: str | None
    """The local name that holds it: ``c`` of ``c = P.getconn()``, ``lock`` of ``lock.acquire()``."""
    receiver_dump: str | None
    """``ast.dump`` of ``X`` for ``X.acquire()``: released by ``X.release()``."""
    lock_like: bool = False
    """``X.acquire()`` as a statement or ``if`` test: ``with X:`` acquires it again, it does not release it."""
    releases: set[int] = field(default_factory=set)
    """ids of release calls, release references, registrations and managing ``with`` statements."""
    cleanups: set[int] = field(default_factory=set)
    """``releases`` plus calls that are given the resource (enough for a ``finally``)."""
    handoffs: set[int] = field(default_factory=set)
    """ids of statements that hand the resource over (return, yield, store, closure)."""
    rebinds: set[int] = field(default_factory=set)
    """ids of statements that bind its name again, or acquire the same lock again."""
    escapes: bool = False
    """Handed over in any way, passing it to a call included (OOM202's escape)."""
    returns: set[int] = field(default_factory=set)
    """ids of the ``return`` statements that give it to the caller."""
    escapes_otherwise: bool = False
    """Handed over other than by being returned or wrapped (``wrapped``)."""
    wrapped: dict[int, int] = field(default_factory=dict)
    """ids of the statements that hand it over to a wrapper (``stream = IOStream(sock)``) that
    is then handed off or released, or to the method's object (``self.sock = sock``), with
    their lines."""
    wrappers: list[tuple[str, ast.stmt]] = field(default_factory=list)
    """The local names a call given it is bound to (``repos = Repositories(session)``), with
    the statement: what becomes of them becomes of it (see :func:`_follow_wrappers`)."""

    @property
    def label(self) -> str:
        if self.name is not None:
            return f"{self.name}.name" if self.acquire.path is KEPT_FILE else self.name
        return _short(ast.unparse(self.acquire.receiver))

    @property
    def acquired_by(self) -> str:
        arguments = "delete=False" if self.acquire.path is KEPT_FILE else ""
        return f"{_short(ast.unparse(self.acquire.call.func))}({arguments})"

    @property
    def instead(self) -> str:
        """What manages this kind of resource for you."""
        if self.acquire.path is not None:
            return self.acquire.path.instead
        closing = self.acquire.factory in WITH_KEEPS_OPEN or self.acquire.without_exit
        return "use with contextlib.closing()" if closing else "use with"

    def release_hint(self) -> str:
        if self.acquire.path is not None:
            return f"{self.acquire.path.removals[0]}({self.label})"
        method = self.acquire.releases[0]
        if method.startswith(GIVEN_BACK):  # ``pool.checkin(lease)``
            owner = self.acquire.receiver or getattr(self.acquire.call.func, "value", None)
            given = method.removeprefix(GIVEN_BACK)
            return f"{_short(ast.unparse(owner))}.{given}({self.name})" if owner is not None else f"{given}({self.name})"
        if self.name is None:
            return f"{self.label}.{method}()"
        attr = self.acquire.call.func.attr if isinstance(self.acquire.call.func, ast.Attribute) else ""
        if attr == "getconn":
            return f"{_short(ast.unparse(self.acquire.receiver))}.putconn({self.name})"
        return f"{self.name}.{method}()"


@dataclass(frozen=True)
class Report:
    code: str
    node: ast.AST
    fields: dict
    fix_end: int | None = None
    """The line the statements a fix restructures end on (the release, the last use)."""


class ResourceAnalysis:
    """Per file: acquire candidates by function, analysed once when a rule asks."""

    def __init__(
        self, context: FileContext, table: dict[str, tuple[str, ...]], methods: dict[str, tuple[str, ...]] = CHECKOUT_RELEASES,
        learned: frozenset[str] = frozenset(),
    ):
        self.context = context
        self.model = context.model
        self.table = table
        self.learned = learned
        """The table's kinds the project teaches (:meth:`~oomlint.python.project.ProjectIndex.released_kinds`):
        found never released (OOM202, OOM203), not released on the normal path only. The
        project releases them on its normal path by its own convention; whether an
        exception path matters is what the table's kinds say and these cannot."""
        self.methods = methods
        """Method acquires by method name (``getconn``, a configured ``checkout``) -> their releases."""
        self.last_names = _last_names((*table, *TEMPORARY_PATHS, *TUPLE_FACTORIES))
        project = context.project
        owning = project.owning_classes() if project is not None else frozenset()
        followed = frozenset({*table, *TEMPORARY_PATHS, *TUPLE_FACTORIES}) | owning
        self.helper_names = project.leading_names(followed) if project is not None else frozenset()
        """Last names of the project's functions and values that give what one of these
        factories, or one of the project's classes that own such a resource, makes: possible acquires."""
        self.closing_names = project.closing_class_names() if project is not None else frozenset()
        """Last names of the project's classes whose instances are resources (``close`` and
        ``__exit__``, or ``close`` and a resource stored in ``__init__``)."""
        self.receiver_methods = SESSION_REQUESTS if "aiohttp" in context.source else frozenset()
        """Method acquires known only by what made their receiver (an aiohttp session's requests)."""
        self.guarded_names = frozenset(
            key.rpartition(".")[2]
            for key in guarded_functions(context.tree, functools.partial(self.model.qualified_name, scope=self.model.module_scope))
        )
        """Names of the module's functions and methods that cannot raise: each body one ``try``
        whose handlers catch everything and raise nothing."""
        self.watched_names = (
            self.last_names | self.helper_names | self.closing_names | methods.keys() | {"release"} | EVENT_METHODS
            | LOG_METHODS | CONSOLE_WRITES | BORROWER_NAMES | self.receiver_methods | CLOCK_NAMES | self.guarded_names
            | QUIET_FUNCTION_NAMES | SOCKET_SETTINGS | STREAM_COPIER_NAMES
        )
        self.candidates: dict[FunctionNode, list[Acquire]] = {}
        self.scopes: dict[FunctionNode, Scope] = {}
        """Each candidate function's scope, to name what its calls call when it is analysed."""
        self.context_managers: set[FunctionNode] = set()
        self.fixtures: set[FunctionNode] = set()
        self.one_shot: set[FunctionNode] = set()
        """Functions known to run once that the module's facts do not know: session fixtures."""
        self.released_names: set[str] = set()
        """The last name of every ``X`` in ``X.release()`` in the module (``_lock`` of ``self._lock``)."""
        self.quiet_calls: set[int] = set()
        """ids of calls that cannot raise: ``event.set()``, ``event.clear()``."""
        self.borrowing_calls: set[int] = set()
        """ids of calls that use a file without keeping it: ``json.load(f)``, ``csv.reader(f)``,
        ``subprocess.Popen(cmd, stdout=log)``."""
        self._reports: list[Report] | None = None

    def visit_call(self, node: ast.Call) -> None:
        """Both rules route their calls here (the walk calls it once per node); a call whose
        last name is no acquire's (most of them) returns at once."""
        func = node.func
        kind = type(func)
        if kind is ast.Attribute:
            last = func.attr
        elif kind is ast.Name:
            last = func.id
        else:
            return
        if last in _FROM_NOTHING_NAMES and self._from_nothing(node):
            self.quiet_calls.add(id(node))  # and it may be an acquire itself: go on
        if last not in self.watched_names:
            return
        if last in STREAM_COPIER_NAMES and self.model.qualified_name(func) in STREAM_COPIERS:
            self.borrowing_calls.add(id(node))  # and a ``Popen`` may be an acquire itself: go on
        if last == "release" and kind is ast.Attribute:
            self.released_names.add(last_name(func.value))
            return
        if last in EVENT_METHODS:
            if kind is ast.Attribute and not node.args and not node.keywords:
                self.quiet_calls.add(id(node))
            return
        if last in SOCKET_SETTINGS:
            if kind is ast.Attribute and not node.keywords and self._sets_quietly(last, node.args):
                self.quiet_calls.add(id(node))
            return
        if last in LOG_METHODS:  # logging reports its own errors
            if kind is ast.Attribute and self.model.is_logger(func.value):
                self.quiet_calls.add(id(node))
            return
        if last in CLOCK_NAMES and not node.args and self.model.qualified_name(func) in CLOCKS:
            self.quiet_calls.add(id(node))
            return
        if last in QUIET_FUNCTION_NAMES:
            name = self.model.qualified_name(func)
            if (
                name in ("sys.audit", "os.dup2") or (name in EMPTY_COLLECTIONS and not node.args and not node.keywords)
                or (name == "collections.deque" and _bounded_empty_deque(node))
                or (name in PATH_CLASSES and not node.keywords and not any(isinstance(arg, ast.Starred) for arg in node.args))
            ):
                self.quiet_calls.add(id(node))
            return
        if last in BORROWER_NAMES:
            if (last in BORROWING_METHODS and kind is ast.Attribute) or self.model.qualified_name(func) in BORROWERS:
                self.borrowing_calls.add(id(node))
            return
        if last in self.guarded_names and (kind is ast.Name or self.model.is_self(func.value)):
            self.quiet_calls.add(id(node))  # ``self._resolve(host)``, whose body catches everything
            return
        if last in CONSOLE_WRITES:  # ``print(...)``, ``self.stdout.write(...)``: output, not work that fails
            if (kind is ast.Name and last == "print") or (kind is ast.Attribute and last_name(func.value) in CONSOLE_STREAMS):
                self.quiet_calls.add(id(node))
            return
        if self.model.scope.kind != "function":
            return  # module level, or a lambda or comprehension: not a statement we can follow
        acquire = None
        if last in self.last_names or last in self.helper_names or last in self.closing_names:
            factory = call_origin(self.context, func)
            if factory in self.learned and self._method_acquire(node, func):
                factory = None  # ``oracledb.connect(user=...)``: an acquire by its method's name, as if nothing were learned
            if factory in self.table:
                made = self.factory_acquire(node, factory)
                if made is None:
                    return
                acquire = made
            elif factory in TEMPORARY_PATHS:
                if in_configured_folder(node, factory):
                    return
                acquire = Acquire(node, (), factory=factory, path=TEMPORARY_PATHS[factory])
            elif factory in TUPLE_FACTORIES:
                elements = {
                    position: Acquire(node, (), factory=factory, path=kind)
                    for position, kind in TUPLE_FACTORIES[factory].items()
                }
                acquire = Acquire(node, (), elements=elements)
            elif factory is not None and self.context.project is not None and self.context.project.closes(factory):
                # ``Client(url)``, ``init_client(cfg)``
                without_exit = "__exit__" not in (self.context.project.class_methods(factory) or ())
                acquire = Acquire.of(node, CLOSE, factory=factory, without_exit=without_exit)
            elif last in self.helper_names:
                acquire = self._tuple_acquire(node)
        if acquire is None and last == "open" and kind is ast.Attribute:
            if self._opens_path(func):
                acquire = Acquire.of(node, self.table[PATH_OPEN], factory=PATH_OPEN)
            elif self._opens_member(func):
                acquire = Acquire.of(node, self.table[MEMBER_OPEN], factory=MEMBER_OPEN)
        if acquire is None and last in self.receiver_methods and kind is ast.Attribute:
            releases = self._receiver_releases(func)
            if releases is not None:
                acquire = Acquire.of(node, releases, receiver=_receiver(func))
        if acquire is None and self._method_acquire(node, func):
            acquire = Acquire.of(node, self._releases_of(func), receiver=_receiver(func), private_lock=self._private_lock(func))
        if acquire is None or switched_off(self.context, node):
            return
        function = self.model.function
        if function not in self.candidates:
            self.candidates[function] = []
            self.scopes[function] = self.model.scope
            defining_scope = self.model.scope.parent
            decorators = {
                self.model.qualified_name(item.func if isinstance(item, ast.Call) else item, defining_scope)
                for item in function.decorator_list
            }
            if decorators & CONTEXT_MANAGER_DECORATORS:
                self.context_managers.add(function)
            if decorators & PYTEST_FIXTURES:
                self.fixtures.add(function)
                if _scope(function) in ONE_SHOT_SCOPES:
                    self.one_shot.add(function)
        self.candidates[function].append(acquire)

    def _method_acquire(self, call: ast.Call, func: ast.expr) -> bool:
        """``X.acquire()``, ``P.getconn()``, ``X.connect()``: an acquire by its method's name
        (:data:`CHECKOUT_RELEASES`), on a receiver that holds something to give back.
        ``sock.connect(address)`` returns None."""
        return (
            isinstance(func, ast.Attribute) and func.attr in self.methods
            and (func.attr != "connect" or (not call.args and self.model.qualified_name(func) not in STATELESS_CONNECTS))
            and not self._holds_nothing(func) and not self._hands_out_own(func)
        )

    def _sets_quietly(self, method: str, args: list[ast.expr]) -> bool:
        """A timeout or blocking mode given one value, or a portable socket-level flag given
        a literal (:data:`SOCKET_FLAGS`)."""
        if method != "setsockopt":
            return len(args) == 1
        return (
            len(args) == 3 and self.model.qualified_name(args[0]) == "socket.SOL_SOCKET"
            and self.model.qualified_name(args[1]) in SOCKET_FLAGS
            and isinstance(args[2], ast.Constant) and type(args[2].value) in (int, bool)
        )

    def _from_nothing(self, call: ast.Call) -> bool:
        """``os.dup(1)``, ``os.pipe()``, ``os.open(os.devnull, ...)``, ``threading.Event()``,
        ``threading.Thread(target=loop).start()``: see :data:`DESCRIPTORS_FROM_NOTHING`,
        :data:`NEW_SIGNALS` and :data:`NEW_THREADS`."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "start":
            made = func.value
            return not call.args and isinstance(made, ast.Call) and self.model.qualified_name(made.func) in NEW_THREADS
        name = self.model.qualified_name(func)
        if name in NEW_THREADS:
            parent = self.model.parent(call)
            return isinstance(parent, ast.Attribute) and parent.attr == "start"
        if name == "os.open":
            return bool(call.args) and self.model.qualified_name(call.args[0]) == "os.devnull"
        if name in NEW_SIGNALS:
            return not call.args and not call.keywords
        return name in DESCRIPTORS_FROM_NOTHING

    def project_quiet_calls(self, function: FunctionNode) -> set[int]:
        """ids of the calls in ``function`` of another module's functions that cannot raise
        (``renice(p.pid, priority)`` imported from the project's helpers, whose body ignores
        any failure: :meth:`~oomlint.python.project.ProjectIndex.cannot_raise`)."""
        project = self.context.project
        if project is None:
            return set()
        scope = self.scopes.get(function)
        quiet = set()
        for node in walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                name = self.model.qualified_name(node.func, scope)
                if name is not None and "." in name and not name.startswith("builtins.") and project.cannot_raise(name):
                    quiet.add(id(node))
        return quiet

    def factory_acquire(self, call: ast.Call, factory: str | None = None) -> Acquire | None:
        """``call`` as the acquire of a table factory (``factory``: its origin, if known),
        or None: not one, or one that opens nothing of the OS (an archive over a file
        object, which closing would not close; an SQLite database in memory)."""
        factory = factory or call_origin(self.context, call.func)
        releases = self.table.get(factory)
        if releases is None:
            return None
        if factory in FILE_WRAPPERS and self._wraps_file_object(call, *self._file_slot(call, factory, "")):
            return None
        if factory in IN_MEMORY and _in_memory(call, factory):
            return None
        if factory in PIPES and not self._given_pipe(call, factory):
            return None  # a child run on its own (a daemon, a background job)
        kept_file = factory == KEPT_FILE_FACTORY and _keeps_file(call) and not in_configured_folder(call, factory)
        return Acquire.of(call, releases, factory=factory, kept_file=kept_file)

    def _opens_path(self, func: ast.Attribute) -> bool:
        """``Path(p).open()``, or ``path.open()`` where ``path = Path(p)`` (or ``py.path.local(p)``)."""
        made = self.model.resolve(func.value)
        return isinstance(made, ast.Call) and self.model.qualified_name(made.func) in PATH_OBJECTS

    def _opens_member(self, func: ast.Attribute) -> bool:
        """``archive.open(name)`` where ``archive`` is made by ``zipfile.ZipFile(path)`` (bound,
        or in ``with ... as archive``): over a file object it holds nothing of the OS."""
        made = self.model.resolve(func.value)
        return (
            isinstance(made, ast.Call) and call_origin(self.context, made.func) == "zipfile.ZipFile"
            and self.factory_acquire(made, "zipfile.ZipFile") is not None
        )

    def _tuple_acquire(self, call: ast.Call) -> Acquire | None:
        """``conn, cur = self._cursor()``: the resources among a project function's tuple elements."""
        elements = {}
        for position in range(_TUPLE_ELEMENTS):
            factory = call_origin(self.context, call.func, str(position))
            if factory in FILE_WRAPPERS and self._wraps_file_object(call, *self._file_slot(call, factory, str(position))):
                continue  # an archive over the file object the caller passes
            if factory in PIPES and not self._given_pipe(call, factory, str(position)):
                continue  # a child run on its own
            if factory in self.table:
                elements[position] = Acquire.of(call, self.table[factory], factory=factory)
        return Acquire(call, (), elements=elements) if elements else None

    def _releases_of(self, func: ast.Attribute) -> tuple[str, ...]:
        """What releases ``X.<method>()``'s result: by what made ``X`` if the table knows it
        (a Cassandra ``Cluster``'s session is shut down), else by the method."""
        return self._receiver_releases(func) or self.methods[func.attr]

    def _receiver_releases(self, func: ast.Attribute) -> tuple[str, ...] | None:
        """What releases ``X.<method>()``'s result by what made ``X`` (``RECEIVER_RELEASES``),
        or None when the table does not know it."""
        origin = self.model.resolve(func.value)
        if not isinstance(origin, ast.Call):
            return None
        return RECEIVER_RELEASES.get((self.model.qualified_name(origin.func), func.attr))

    def _given_pipe(self, call: ast.Call, factory: str, element: str = "") -> bool:
        """Whether the child ``call`` makes holds a pipe: given one in a stream slot, or,
        for a project function that returns the ``Popen`` (``p = start_piped(cmd)``), given
        one by that function, or by ``call`` in the parameter it passes to a stream slot."""
        streams = PIPES[factory]
        if self.model.qualified_name(call.func) == factory:
            return any(self.model.qualified_name(argument(call, *stream)) == PIPE for stream in streams)
        names = returned_call_names(self.context, call.func, element, self.model.scope) or {}
        if any(names.get(slot) == PIPE for stream in streams for slot in map(str, stream)):
            return True
        for position, keyword in streams:
            parameter = wrapped_parameter(self.context, call.func, element, (str(position), keyword), self.model.scope)
            if parameter is not None and self.model.qualified_name(argument(call, parameter[1], parameter[0])) == PIPE:
                return True
        return False

    def _holds_nothing(self, func: ast.Attribute) -> bool:
        """``X.acquire()`` where ``X`` is of a class of the module or project that has
        neither ``release`` nor ``close``: a rate limiter's token, a wait, nothing to give
        back (the message could name no release). Where the class is not known, and ``X``
        is no lock this code made (``threading.Lock()``...): ``X.acquire()`` as a statement
        that nothing in the module pairs with ``X.release()`` (a lock never given back
        would block its second acquire: this is a throttler's wait), or an object the
        function made itself (``creds = gssapi.Credentials(...).acquire()`` through a
        name): a checkout comes from a pool shared across calls, not from one made for
        this call."""
        if func.attr != "acquire":
            return False
        made = self.model.resolve(func.value)
        methods = class_methods_of_value(self.context, made)
        if methods is not None:
            return not methods & set(CHECKOUT_RELEASES["acquire"])
        if isinstance(made, ast.Call) and last_name(made.func) in LOCK_CLASSES:
            return False
        if _made_here(self.model, func.value):
            return True
        statement = self.model.parent(self.model.parent(func))
        if isinstance(statement, ast.Await):
            statement = self.model.parent(statement)
        return (
            isinstance(statement, ast.Expr) and isinstance(func.value, (ast.Name, ast.Attribute))
            and last_name(func.value) not in module_facts(self.context).released
        )

    def _hands_out_own(self, func: ast.Attribute) -> bool:
        """``self.connect()`` where the class of ``self`` defines ``connect`` itself: what it
        returns decides, not its name. A method that returns nothing, or only what the
        instance holds (``self.client[self.dbname]``, ``self.client.get_database()``: an
        attribute, an item or a method's result of an attribute of ``self``, not a
        checkout such as ``self.pool.getconn()``), gives its caller no new connection:
        the instance owns it (OOM203 judges the instance)."""
        owner = self.model.method_class
        if owner is None or not self.model.is_self(func.value):
            return False
        method = next(
            (item for item in owner.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == func.attr),
            None,
        )
        if method is None or not method.args.args:
            return False
        own = method.args.args[0].arg
        returned = [node.value for node in walk(method) if isinstance(node, ast.Return) and node.value is not None]
        return all(_read_from(value, own, self.methods) for value in returned if not is_none(value))

    def _private_lock(self, func: ast.Attribute) -> bool:
        """``lock.acquire()`` where this function bound ``lock = threading.Lock()`` (any lock class)."""
        if func.attr != "acquire" or not isinstance(func.value, ast.Name):
            return False
        binding = self.model.scope.bindings.get(func.value.id)
        value = binding.value if binding is not None and binding.kind == "assign" else None
        return isinstance(value, ast.Call) and last_name(value.func) in LOCK_CLASSES

    def _file_slot(self, call: ast.Call, factory: str, element: str) -> tuple[int | None, str]:
        """Where ``call`` is given the file the archive factory ``factory`` wraps: the
        factory's own slot, or, for a project function that returns the archive made over
        one of its parameters (``return ZipFile(source)``), that parameter's."""
        position, keyword = FILE_WRAPPERS[factory]
        slots = (str(position), keyword) if position is not None else (keyword,)
        parameter = wrapped_parameter(self.context, call.func, element, slots, self.model.scope)
        return (parameter[1], parameter[0]) if parameter is not None else (position, keyword)

    def _wraps_file_object(self, call: ast.Call, position: int | None, keyword: str) -> bool:
        """Whether an archive or compressed-file factory is given a file object, not a path:
        an in-memory buffer, a file opened elsewhere (``open(...)``, ``with ... as fh``, an
        upload's ``.file``), or a parameter that is one (annotated ``IO``/``BinaryIO``, named
        ``fileobj``/``fp``/``stream``..., read or sought in the function, or given an
        ``io.BytesIO`` by every call the project makes of the function)."""
        given = argument(call, position, keyword)
        if given is None or keyword == "fileobj":
            return given is not None and not is_none(given)  # tarfile's ``fileobj``: a file object by definition
        if isinstance(given, ast.Name):
            binding = self.model.lookup(given.id)
            if binding is not None and binding.kind == "with":
                return True
            if binding is not None and binding.kind == "param":
                return self._file_parameter(binding.node) or passed_in_memory(
                    self.context, self.model.function, binding.node.arg
                )
        origin = self.model.resolve(given)
        if isinstance(origin, ast.Call):
            name = self.model.qualified_name(origin.func)
            return name in IN_MEMORY_FILES or name in self.table or last_name(origin.func) == "open"
        if isinstance(origin, ast.Attribute):
            return origin.attr in FILE_OBJECT_ATTRIBUTES
        return isinstance(origin, ast.Subscript) and last_name(origin.value) in ("files", "FILES")

    def _file_parameter(self, parameter: ast.arg) -> bool:
        """Annotated as a file object (``IO[bytes]``, ``Union[BytesIO, IO[bytes]]``: every
        type it allows is one), named like one, or read or sought in the function."""
        if parameter.annotation is not None:
            allowed = set(self.model.annotation_types(parameter.annotation, generics=True))
            if allowed and allowed <= FILE_ANNOTATIONS:
                return True
        if any(word in FILE_OBJECT_WORDS for word in name_words(parameter.arg)):
            return True
        return any(
            isinstance(parent, ast.Attribute) and parent.attr in FILE_METHODS
            for parent in map(self.model.parent, name_uses(parameter.arg, self.model.function))
        )

    def lent(self, call: ast.Call, argument: int | str, scope: Scope) -> Lent | None:
        """What the project function ``call`` calls does with the object passed at
        ``argument``, followed through the project (see :meth:`ProjectIndex.lends`)."""
        return lent_to(self.context, call, argument, scope, _outside_lender)

    def handed_to(self, call: ast.Call, argument: int | str, callees: frozenset[str], scope: Scope) -> bool:
        """Whether the project function ``call`` calls passes the object at ``argument`` on to
        one of ``callees`` (see :meth:`ProjectIndex.hands_to`)."""
        return handed_to(self.context, call, argument, scope, callees)

    def reports(self, code: str) -> list[Report]:
        if self._reports is None:
            self._reports = []
            runs = release_runs(self.context) if self.candidates else None
            for function, acquires in self.candidates.items():
                is_context_manager = function in self.context_managers
                acquires_for_caller = function.name in RELEASED_ELSEWHERE or (
                    "acquire" in function.name.lower() and not is_context_manager
                )
                if acquires_for_caller or any(map(_not_real, function.decorator_list)) or function in self.one_shot:
                    continue
                if _start_up(self.model, function, acquires):
                    continue
                lends = is_context_manager or function in self.fixtures
                repeats = functools.partial(_runs_repeatedly, self.context, function)
                scope = self.scopes[function]
                names = _Names(
                    functools.partial(self.model.qualified_name, scope=scope),
                    self.model,
                    scope,
                    functools.partial(self.lent, scope=scope),
                    functools.partial(self.handed_to, scope=scope),
                )
                found = _analyse(function, acquires, lends, function in self.fixtures, self, repeats, names)
                # Only now (few functions get here): whether it runs once, as its module shows
                # it and the project's other modules do not run it more often.
                if not found or runs.once(function):
                    continue
                if not runs.one_shot(function):
                    learned = {id(acquire.call) for acquire in acquires if acquire.factory in self.learned}
                    found = [report for report in found if report.code != "OOM201" or id(report.node) not in learned]
                    self._reports.extend(_one_per_leak(found, self.model))
        return [report for report in self._reports if report.code == code]


def _made_here(model: SemanticModel, receiver: ast.expr) -> bool:
    """``receiver`` is a name the current function binds to a call's result (``del_creds =
    gssapi.Credentials(...)``)."""
    if not isinstance(receiver, ast.Name):
        return False
    binding = model.scope.bindings.get(receiver.id)
    return binding is not None and binding.kind == "assign" and isinstance(binding.value, ast.Call)


def _start_up(model: SemanticModel, function: FunctionNode, acquires: list[Acquire]) -> bool:
    """Start-up code by its own say (:func:`~oomlint.python.astutil.exits_on_failure`: it
    ends the process when something fails), acquiring nothing in a loop: it runs once, and
    what its error paths leave cannot accumulate. An acquire in a loop there (a daemon's
    ``while True:``) repeats on the normal path: still checked."""
    if not exits_on_failure(model, function):
        return False
    # The model's innermost loop around each acquire, in the function's own code.
    return not any(model.enclosing(acquire.call, (ast.For, ast.AsyncFor, ast.While)) for acquire in acquires)


def switched_off(context: FileContext, node: ast.AST) -> bool:
    """Whether ``node`` lies in the body of an ``if`` on a module-level name bound once, to a
    false constant, that no function declares ``global`` (``_DEBUG = False`` ... ``if
    _DEBUG: self.log = open(path, "ab")``): a switch its author flips by editing the
    source; as shipped, the code never runs. Asked of acquires only (few nodes)."""
    model = context.model
    module = model.module_scope
    for holder, block in model.enclosing_blocks(node, scopes=True):
        if not (isinstance(holder, ast.If) and block is holder.body and isinstance(holder.test, ast.Name)):
            continue
        name = holder.test.id
        binding = model.lookup(name)
        if (
            binding is not None and binding.scope is module and binding.kind == "assign"
            and isinstance(binding.value, ast.Constant) and not binding.value.value
            and name not in module.earlier and name not in module_facts(context).global_names
        ):
            return True
    return False


def _one_per_leak(reports: list[Report], model: SemanticModel) -> list[Report]:
    """One report per name that leaks one way: the acquires of alternative branches
    (``smtplib.SMTP_SSL(...)`` if TLS is asked for, else ``smtplib.SMTP(...)``) held by one
    name, released (or not) and skipped the same way, are one leak with one fix, reported
    at the first. Acquires one after the other are each their own leak."""
    kept: list[Report] = []
    for report in reports:
        if not any(_same_leak(report, earlier, model) for earlier in kept):
            kept.append(report)
    return kept


def _same_leak(report: Report, earlier: Report, model: SemanticModel) -> bool:
    fields = ("resource", "released", "cause", "advice")
    return (
        report.code == earlier.code
        and all(report.fields.get(name) == earlier.fields.get(name) for name in fields)
        and _alternatives(report.node, earlier.node, model)
    )


def _alternatives(node: ast.AST, other: ast.AST, model: SemanticModel) -> bool:
    """Whether the two lie in different branches of one ``if`` (an ``elif`` chain's too)."""
    branches: dict[int, bool] = {}  # each ``if`` around ``node``: whether ``node`` is in its body
    child = node
    for ancestor in model.ancestors(node):
        if isinstance(ancestor, ast.If):
            branches[id(ancestor)] = any(child is statement for statement in ancestor.body)
        child = ancestor
    child = other
    for ancestor in model.ancestors(other):
        if isinstance(ancestor, ast.If) and id(ancestor) in branches:
            return branches[id(ancestor)] != any(child is statement for statement in ancestor.body)
        child = ancestor
    return False


# ------------------------------------------------------------------ one function


def _outside_lender(callee: str, argument: int | str) -> Lent | None:
    """What a call outside the project does with what it is given, where known: borrowers
    (``json.dump``, ``len``) keep nothing; ``closing`` closes it. An archive made over a file
    object (``zipfile.ZipFile(fileobj)``, :data:`FILE_WRAPPERS`) never closes it: the file is
    still its giver's to close."""
    if callee in BORROWERS or callee in VALUE_BUILTINS or argument in FILE_WRAPPERS.get(callee, ()):
        return BORROWED
    return CLOSERS.get(callee)


def _read_from(value: ast.expr, own: str, acquiring: dict) -> bool:
    """Whether ``value`` is read from the object named ``own`` (``self.client[self.dbname]``,
    ``self.client.get_database()``), with no call that acquires by name on the way
    (``self.pool.getconn()``)."""
    while True:
        if isinstance(value, ast.Call):
            if not isinstance(value.func, ast.Attribute) or value.func.attr in acquiring:
                return False
            value = value.func.value
        elif isinstance(value, (ast.Attribute, ast.Subscript)):
            value = value.value
        else:
            return isinstance(value, ast.Name) and value.id == own


def _scope(fixture: FunctionNode) -> str | None:
    """``session`` of ``@pytest.fixture(scope="session")``."""
    for decorator in fixture.decorator_list:
        scope = argument(decorator, None, "scope") if isinstance(decorator, ast.Call) else None
        if isinstance(scope, ast.Constant):
            return scope.value
    return None


def _runs_repeatedly(context: FileContext, function: FunctionNode) -> bool:
    """Many times, or once per instance: an atexit hook there holds the resource until exit."""
    return release_runs(context).of(function).kind in (MANY, PER_INSTANCE)


def _analyse(
    function: FunctionNode,
    acquires: list[Acquire],
    lends: bool,
    is_fixture: bool,
    module: ResourceAnalysis,
    repeats: Callable[[], bool],
    names: _Names,
) -> list[Report]:
    """``lends``: a ``yield`` lends the resource (a context manager, a pytest fixture);
    ``is_fixture``: pytest resumes the generator after the test, whatever its outcome, so
    nothing is thrown in at its ``yield``; ``module``: what the walk noted of the module's
    calls (releases, calls that cannot raise, calls that borrow)."""
    released_names = module.released_names
    quiet_calls = module.quiet_calls | _read_before(function.body) | module.project_quiet_calls(function)
    by_call = {id(acquire.call): acquire for acquire in acquires}
    resources: list[Resource] = []
    _locate(function.body, by_call, resources)
    model = names.model
    declared = names.scope.global_names | names.scope.nonlocal_names
    # ``global f; f = open(...)`` is module state; ``global lock; lock.acquire()`` is still held here.
    resources = [resource for resource in resources if resource.lock_like or resource.name not in declared]
    # ``session = cluster.connect()`` on a ``cluster`` made here: the cluster's release ends it too,
    # and so does the end of the ``with`` that manages it here.
    owners = {
        resource.name for resource in resources
        if resource.acquire.factory is not None and _closes_what_it_made(resource.acquire.call)
    }
    resources = [
        resource for resource in resources
        if _receiver_name(resource) not in owners and not _made_by_managed(resource, by_call, model)
    ]
    resources = [resource for resource in resources if not _is_flag(resource, function, names.model.parent)]
    reports = _used_once(function, acquires, resources, module, names)
    if not resources:
        reports += _dropped_by_handlers(function, acquires, reports, quiet_calls, names)
        return reports + _collected(function, acquires, reports, quiet_calls, module.model)
    _collect_uses(function, resources, lends, repeats, module.borrowing_calls, names)
    for resource in resources:
        _follow_wrappers(resource, function, names, module.borrowing_calls, declared)
    for resource in resources:
        if resource.acquire.path is not None:
            _collect_path_uses(function, resource, lends, names)
    _end_at_reacquire(resources)
    service_loops = [
        node for node in _statements(function.body)
        if isinstance(node, ast.While) and _runs_on(node.test) and not _returns_a_result(node)
    ]
    for resource in resources:
        if resource.acquire.private_lock and not resource.escapes:
            continue  # a lock no other code can reach: nobody waits for it
        if _never_connects(resource, function, names.qualified):
            continue  # a client that connects lazily and never does here: it holds nothing
        if _serves(resource, service_loops):
            continue  # held for the life of a service loop: one per thread, not per request
        call = resource.acquire.call
        fields = {"resource": resource.label, "acquire": resource.acquired_by}
        returned = _handed_only(resource) and not lends and (
            not resource.releases or _released_on_failure_only(function, resource, model)
        )
        if returned:
            # A factory: the return (or a wrapper handed off) hands it over on the normal
            # path, and any exception before it leaks it (``sock.connect(address)`` failing).
            resource.releases.update(resource.returns, resource.wrapped)
            resource.cleanups.update(resource.returns, resource.wrapped)
        if not resource.releases:
            # ``X.acquire()`` here and ``X.release()`` (or ``other.X.release()``) in another function
            # of the module: split by design (acquire/release wrappers, a semaphore counting
            # between producer and consumer, a lock used as a signal between threads).
            held_elsewhere = (
                resource.receiver_dump is not None and last_name(resource.acquire.receiver) in released_names
            )
            if not resource.escapes and not held_elsewhere and not _latch(resource):
                fix_end = _use_span(function, resource, model.block(resource.statement))
                advice = f"call {resource.release_hint()} in finally or {resource.instead}"
                if isinstance(resource.statement, (ast.With, ast.AsyncWith)) and resource.acquire.path is None:
                    advice = f"its with only ends a transaction; {advice}"
                reports.append(Report("OOM202", call, {**fields, "advice": advice}, fix_end))
            continue
        in_coroutine = isinstance(function, ast.AsyncFunctionDef)
        scan_from = functools.partial(
            _PathScan, resource, {id(s) for s in model.statement_path(resource.statement)}, in_coroutine, is_fixture,
            quiet_calls, names.qualified, returned, lends and not is_fixture,
        )
        scan = scan_from()
        scan.run(function.body)
        dropped_by = scan.dropped_by if resource.name is not None and resource.receiver_dump is None else None
        if dropped_by is not None:
            # Which the round that made it reaches on its normal path, not only after a failure
            # (that is the failure's leak, flagged as such).
            normal = scan_from(exceptions=False)
            normal.run(function.body)
            dropped_by = normal.dropped_by
        if dropped_by is not None:
            # Released or handed over once the loop is done, which ends only the last one made.
            state = f"is dropped, still open, by the next round of the loop at line {dropped_by.lineno}, which makes another"
            advice = f"leave the loop once it is made, or call {resource.release_hint()} before the next round"
            reports.append(Report("OOM202", call, {**fields, "state": state, "advice": advice}))
            continue
        if (
            scan.exposure is not None and scan.release is None and scan.released_on_error_path
            and not scan.exposure_by_exception and not resource.escapes and not resource.lock_like
        ):
            # Released where it fails (``if resp.status != 200: resp.release(); raise ...``),
            # never where it succeeds: each successful call leaves one held.
            advice = (
                f"only an error path releases it, and {scan.exposure} leaves with it; "
                f"call {resource.release_hint()} in finally or {resource.instead}"
            )
            reports.append(Report("OOM202", call, {**fields, "advice": advice}))
            continue
        if scan.exposure is not None and scan.release is not None:
            if returned:
                released = (
                    "returned to the caller" if resource.returns
                    else f"handed over at line {min(resource.wrapped.values())}"
                )
                advice = (
                    "close it before the loop's next round" if scan.exposure.startswith("the continue")
                    else "close it in an except clause that re-raises"
                )
                how = {"released": released, "advice": advice}
                reports.append(Report("OOM201", call, {**fields, **how, "cause": scan.exposure}))
                continue
            fix_end = _release_span(resource, model.block(resource.statement))
            how = {"released": f"released by {scan.release}", "advice": f"release it in finally or {resource.instead}"}
            reports.append(Report("OOM201", call, {**fields, **how, "cause": scan.exposure}, fix_end))
    reports += _dropped_by_handlers(function, acquires, reports, quiet_calls, names)
    return reports + _collected(function, acquires, reports, quiet_calls, module.model)


def _dropped_by_handlers(
    function: FunctionNode, acquires: list[Acquire], reported: list[Report], quiet_calls: set[int], names: _Names,
) -> list[Report]:
    """OOM201 for a resource that a handler drops: made in a ``try`` (``sock = socket.socket()``,
    ``self.sock = ...``) where something after it can raise, and caught by a handler that
    neither uses nor releases it, but sets it again (``self.sock = None``) or goes on to the
    next round of a loop around the ``try``, which makes another (a retry loop), with
    nothing after the ``try`` in that round reading it (a reconnect loop closes it there). Whatever
    happens to it on the normal path (returned, stored, handed to a wrapper), each failed
    attempt leaks one. A handler that reads it (``if sock: sock.close()``), re-raises,
    returns or breaks out is left to the other checks."""
    by_call = {
        id(acquire.call): acquire for acquire in acquires
        if acquire.factory is not None and acquire.path is None and acquire.elements is None
    }
    done = {id(report.node) for report in reported}
    qualified = names.qualified
    reports = []
    for node, in_loop, rest_of_round in _tries(function.body, False):
        for index, statement in enumerate(node.body):
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            acquire = by_call.get(id(_unwrap(statement.value)))
            holder = _holder(statement.targets[0])
            if acquire is None or holder is None or id(acquire.call) in done or _mentions(node.finalbody, holder):
                continue
            if _managed_later(node.body[index + 1:], holder):
                continue
            held = _until_released(node.body[index + 1:], holder, acquire.releases)
            later = [item for item in _unprotected(held, qualified) if id(item) not in quiet_calls]
            raising = _first_raising(later)
            if raising is None:
                continue
            fields = {"resource": holder, "acquire": f"{_short(ast.unparse(acquire.call.func))}()", "released": "kept"}
            for handler in node.handlers:
                drop = _drop(handler, holder, in_loop and not _mentions(rest_of_round, holder, stores=False))
                if drop is not None:
                    cause = f"the handler at line {handler.lineno}, for {_cause(raising)},"
                    advice = f"then {drop}: release it in that handler"
                    reports.append(Report("OOM201", acquire.call, {**fields, "cause": cause, "advice": advice}))
                    break
            else:
                escaping = _escaping_raise(node, index, holder, acquire.releases, names)
                if escaping is not None:
                    cause = f"the raise at line {escaping.lineno}, which no handler that releases it catches,"
                    advice = "release it before raising"
                    reports.append(Report("OOM201", acquire.call, {**fields, "cause": cause, "advice": advice}))
    return reports


def _until_released(statements: list[ast.stmt], holder: str, releases: tuple[str, ...]) -> list[ast.stmt]:
    """The statements before the first that releases ``holder`` (``p.communicate()``): what
    raises from the release itself or after it drops nothing still held."""
    for position, statement in enumerate(statements):
        if _releases_holder(statement, holder, releases):
            return statements[:position]
    return statements


def _releases_holder(statement: ast.stmt, holder: str, releases: tuple[str, ...]) -> bool:
    """Whether ``statement`` calls a release on ``holder`` (``sock.close()``, ``self.sock.close()``).
    A walk of the statement's own subtree: the model keeps no calls per statement."""
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in releases
        and _holder(node.func.value) == holder
        for node in walk(statement)
    )


def _managed_later(statements: list[ast.stmt], holder: str) -> bool:
    """Whether ``statements`` put ``holder`` in a ``with`` (``with sock:``, ``with
    closing(sock):``) or release it in a ``finally``: what raises there does not drop it."""
    for node in _walk(statements):
        if isinstance(node, (ast.With, ast.AsyncWith)) and _mentions(
            [item.context_expr for item in node.items], holder, stores=False
        ):
            return True
        if isinstance(node, TRY_STATEMENTS) and _mentions(node.finalbody, holder, stores=False):
            return True
    return False


def _unprotected(statements: list[ast.stmt], qualified: Callable[[ast.expr], str | None]):
    """The nodes of ``statements`` that can raise out of them: not those in the body of a
    ``try`` whose handler catches everything (``try: sock.settimeout(t) except: pass``)."""
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, TRY_STATEMENTS) and any(catches_everything(item, False, qualified) for item in node.handlers):
            stack.extend(item for block in child_blocks(node)[1:] for item in block)
            continue
        yield node
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _escaping_raise(
    node: ast.Try, index: int, holder: str, releases: tuple[str, ...], names: _Names,
) -> ast.Raise | None:
    """In a ``try`` whose handlers release ``holder`` only for the exceptions they name
    (``except socket.error: sock.close()``), a ``raise`` of another exception by name after
    the acquire at ``index`` (``raise TcpException(...)``), with nothing before it in its
    block that releases the resource (``sock.close()``): it leaves with the resource held.
    Classes are what the model resolves them to, not spellings (``except errors.Timeout``
    catches the ``Timeout`` of ``from errors import Timeout``; a local ``OSError`` is not the builtin)."""
    qualified = names.qualified
    releasing = [handler for handler in node.handlers if _mentions(handler.body, holder, stores=False)]
    if not releasing or any(catches_everything(handler, False, qualified) for handler in node.handlers):
        return None
    caught = {
        _exception_class(kind, names)
        for handler in node.handlers
        for kind in (handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type])
    }
    for item in _raises_holding(node.body[index + 1:], holder, releases, qualified):
        raised = item.exc.func if isinstance(item.exc, ast.Call) else item.exc
        name = last_name(raised)
        if name is not None and name[:1].isupper() and not _caught(_exception_class(raised, names), caught, names):
            return item
    return None


def _exception_class(expr: ast.expr | None, names: _Names, scope: Scope | None = None) -> str | ast.ClassDef | None:
    """What the class ``expr`` names: its qualified name (``builtins.OSError``,
    ``socket.timeout``, ``.errors.Timeout``), or the ``class`` statement of one the module
    defines; None when the model cannot tell."""
    if expr is None:
        return None
    found = names.model.qualified_name(expr, scope or names.scope)
    if found is not None:
        return found
    binding = names.model.lookup(expr.id, scope or names.scope) if isinstance(expr, ast.Name) else None
    return binding.node if binding is not None and binding.kind == "class" else None


def _caught(raised: str | ast.ClassDef | None, caught: set, names: _Names, depth: int = 8) -> bool:
    """Whether an ``except`` naming the classes ``caught`` (see :func:`_exception_class`)
    catches ``raised``: the same class, a builtin subclass of a builtin it names
    (``ConnectionRefusedError`` by ``OSError``; ``socket.error`` is ``OSError``,
    ``socket.timeout`` ``TimeoutError``), or a class of the module based on one of them."""
    if raised is None:
        return False
    if raised in caught:
        return True
    if isinstance(raised, ast.ClassDef):
        module = names.model.module_scope
        return depth > 0 and any(
            _caught(base, caught, names, depth - 1)
            for base in (_exception_class(item, names, module) for item in raised.bases)
            if base is not raised
        )
    builtin = _builtin_exception(raised)
    return builtin is not None and any(
        (handled := _builtin_exception(item)) is not None and issubclass(builtin, handled)
        for item in caught if isinstance(item, str)
    )


def _builtin_exception(name: str) -> type | None:
    """The builtin class a qualified name stands for (``socket.error`` is ``OSError``)."""
    module, _, short = name.rpartition(".")
    if module == "socket":
        short = SOCKET_ERRORS.get(short, "")
    elif module != "builtins":
        return None
    found = getattr(builtins, short, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _raises_holding(block: list[ast.stmt], holder: str, releases: tuple[str, ...], qualified: Callable[[ast.expr], str | None]):
    """The ``raise X`` statements of ``block`` and the blocks in it that no earlier statement
    of their own blocks, or of those around them, precedes with a release of ``holder``
    (``holder.close()``); not those a ``try`` that catches everything holds."""
    for statement in block:
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            yield statement
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            blocks = child_blocks(statement)
            if isinstance(statement, TRY_STATEMENTS) and any(catches_everything(item, False, qualified) for item in statement.handlers):
                blocks = blocks[1:]
            for inner in blocks:
                yield from _raises_holding(inner, holder, releases, qualified)
        if _releases_holder(statement, holder, releases):
            return


def _collected(
    function: FunctionNode,
    acquires: list[Acquire],
    reported: list[Report],
    quiet_calls: set[int],
    model: SemanticModel,
) -> list[Report]:
    """Resources gathered in a local list (``files = []``, then ``files.append(open(path))``
    in a loop) that only the function uses (appends, items, loops over it, ``len``): the
    list holds them. Released by a loop over it (``for f in files: f.close()``) that is no
    ``finally``, while something from the first append up to that release can raise:
    OOM201, every file gathered so far leaks; never released: OOM202."""
    done = {id(report.node) for report in reported}
    reports = []
    for acquire in acquires:
        if acquire.factory is None or acquire.path is not None or id(acquire.call) in done:
            continue
        parent_of = model.parent
        append = parent_of(acquire.call)
        if not (
            isinstance(append, ast.Call) and isinstance(append.func, ast.Attribute) and append.func.attr in _GATHERS
            and isinstance(append.func.value, ast.Name) and append.args and append.args[0] is acquire.call
            and isinstance(parent_of(append), ast.Expr)
        ):
            continue
        holder = append.func.value.id
        loops = _gathering_loops(function, holder, parent_of)
        if loops is None:
            continue
        fields = {"resource": f"{holder}[...]", "acquire": f"{_short(ast.unparse(acquire.call.func))}()"}
        releases = [
            node for loop in loops for node in _walk(loop.body)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in acquire.releases
            and isinstance(node.func.value, ast.Name) and node.func.value.id == loop.target.id
        ]
        if not releases:
            advice = f"release each in finally or use contextlib.ExitStack's enter_context instead of {holder}.append"
            reports.append(Report("OOM202", acquire.call, {**fields, "advice": advice}))
            continue
        release = min(releases, key=lambda node: (node.lineno, node.col_offset))
        if any(isinstance(item, TRY_STATEMENTS) and _touches(item.finalbody, {id(release)}) for item in _walk(function.body)):
            continue
        start = append.lineno  # or the first statement of the outermost loop around the append:
        for ancestor in model.ancestors(append):  # its next round holds what it gathered
            if ancestor is function:
                break
            if isinstance(ancestor, _LOOPS):
                start = ancestor.body[0].lineno
        between = [
            node for node in _walk(function.body)
            if start <= getattr(node, "lineno", 0) and (node.lineno, node.col_offset) < (release.lineno, release.col_offset)
            and node is not acquire.call and node is not append and id(node) not in quiet_calls
        ]
        raising = _first_raising(between)
        if raising is not None:
            how = {"released": f"released by {_short(ast.unparse(release))}", "cause": _cause(raising)}
            advice = f"release them in finally or use contextlib.ExitStack's enter_context instead of {holder}.append"
            reports.append(Report("OOM201", acquire.call, {**fields, **how, "advice": advice}))
    return reports


def _gathering_loops(function: FunctionNode, holder: str, parent_of) -> list[ast.For] | None:
    """The loops over the local list ``holder`` (``for f in files:``) when the function binds
    it once, to an empty list, and only appends to it, reads its items, loops over it or
    takes its ``len``; None when it is anything else or goes anywhere else."""
    loops = []
    bound = 0
    for use in name_uses(holder, function):
        above = parent_of(use)
        if isinstance(use.ctx, ast.Store):
            bound += 1
            if not (isinstance(above, ast.Assign) and isinstance(above.value, ast.List) and not above.value.elts):
                return None
        elif isinstance(above, ast.Attribute) and above.attr in _GATHERS:
            continue
        elif isinstance(above, ast.Subscript) and above.value is use and isinstance(above.ctx, ast.Load):
            continue
        elif isinstance(above, (ast.For, ast.AsyncFor)) and above.iter is use and isinstance(above.target, ast.Name):
            loops.append(above)
        elif not (isinstance(above, ast.Call) and isinstance(above.func, ast.Name) and above.func.id == "len"):
            return None
    return loops if bound == 1 else None


def _tries(body: list[ast.stmt], in_loop: bool, after: list[ast.stmt] = ()):
    """The function's ``try`` statements, each with whether a loop of the function holds
    it and, if one does, the statements that run after it before the loop's next round."""
    for index, statement in enumerate(body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        rest = [*body[index + 1:], *after]
        if isinstance(statement, TRY_STATEMENTS):
            yield statement, in_loop, rest
        loop = isinstance(statement, _LOOPS)
        for block in child_blocks(statement):
            yield from _tries(block, in_loop or loop, [] if loop else rest)


def _holder(target: ast.expr) -> str | None:
    """``sock`` of ``sock = ...``, ``self.sock`` of ``self.sock = ...``: what holds the resource."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        return f"self.{target.attr}"
    return None


def _mentions(body: list[ast.AST], holder: str, stores: bool = True) -> bool:
    """Whether ``body`` (statements or expressions) uses ``holder`` (``stores``: also sets
    it); for ``self.x``, also any call of a method of ``self``, which may release it."""
    for node in _walk(body):
        if isinstance(node, (ast.Name, ast.Attribute)) and _holder(node) == holder:
            if stores or isinstance(node.ctx, ast.Load):
                return True
        elif holder.startswith("self.") and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if _holder(node.func) is not None:  # ``self.<method>(...)``
                return True
    return False


def _drop(handler: ast.ExceptHandler, holder: str, in_loop: bool) -> str | None:
    """How ``handler``, which never reads ``holder``, lets go of what it holds: it sets it
    again, or goes on to the next round of the loop; None when it does neither."""
    if _mentions(handler.body, holder, stores=False):
        return None
    for node in _walk(handler.body):
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Store) and _holder(node) == holder:
            return f"it sets '{holder}' again at line {node.lineno}"
    last = handler.body[-1]
    if in_loop and not isinstance(last, (ast.Raise, ast.Return, ast.Break)):
        return "the loop makes another"
    return None


def _used_once(
    function: FunctionNode, acquires: list[Acquire], resources: list[Resource], module: ResourceAnalysis, names: _Names
) -> list[Report]:
    """OOM202 for what is made and used in one expression, never bound, in code that runs
    many times or that nothing seen calls (a public function, a method called through an
    instance: library API, whose callers may run it per request; the fix corpus holds such
    fixes in helpers whose callers are elsewhere as often as in request handlers):
    ``open(path).read()``, ``requests.Session().get(url)``, ``json.load(open(path))``
    (given to a call that keeps nothing of it). Nothing closes it; the garbage collector does,
    at once in CPython, later on PyPy, in a reference cycle or while a traceback holds the
    frame, with a ResourceWarning for each: maintainers put it in ``with``. Code whose
    callers are seen and do not run it many times (a set-up, a bounded loop, a recursion's
    levels) is left alone, like a chain whose method releases it (``Popen(...).communicate()``)."""
    bound = {id(resource.acquire.call) for resource in resources}
    chains = [
        acquire for acquire in acquires
        if id(acquire.call) not in bound and acquire.elements is None and acquire.path is None
        and acquire.receiver is None and _consumed_at_once(acquire, module, names)
    ]
    # What the garbage collector does not release at once is left wherever the function may
    # run more than once (one-shot code is left out after): a descriptor dropped unbound,
    # an sqlite3 connection (a reference cycle), a child with pipes (a zombie until waited for).
    dropped = [
        acquire for acquire in acquires
        if acquire.path is DESCRIPTOR and id(acquire.call) not in bound and isinstance(names.model.parent(acquire.call), ast.Expr)
    ] + [element for acquire in acquires if id(acquire.call) not in bound for element in _dropped_elements(acquire, names)]
    uncollected = [acquire for acquire in chains if acquire.factory in NOT_COLLECTED]
    if not chains and not dropped:
        return []
    runs = release_runs(module.context)
    frequency = runs.of(function)
    if frequency.kind != MANY:
        # Said of what the garbage collector does not release wherever the function may run
        # more than once; of the rest, where nothing seen calls it.
        unreleased = [
            Report("OOM202", acquire.call, {
                "resource": short_code(acquire.call),
                "acquire": "an expression that drops it" if acquire in dropped else "an expression that uses it once",
                "advice": f"the garbage collector does not release it; call {_dropped_release(acquire)}",
            })
            for acquire in (*uncollected, *dropped)
        ]
        chains = [acquire for acquire in chains if acquire not in uncollected]
        if not chains or not runs.callers_unseen(function):
            return unreleased
        dropped = []  # said in ``unreleased``
    else:
        unreleased = []
    why = f"'{function.name}' {frequency.why}" if frequency.kind == MANY else f"nothing seen calls '{function.name}'"
    return [
        Report("OOM202", acquire.call, {
            "resource": short_code(acquire.call),
            "acquire": "an expression that uses it once",
            "state": "is released on the normal path only",
            "advice": f"reading to the end closes it, an exception before then leaves it to the garbage collector, and"
                      f" {why}; use with",
        } if _reads_to_end(acquire, names) else {
            "resource": short_code(acquire.call),
            "acquire": "an expression that uses it once",
            "advice": f"only the garbage collector closes it, and {why}; use with",
        })
        for acquire in chains
    ] + [
        Report("OOM202", acquire.call, {
            "resource": short_code(acquire.call),
            "acquire": "an expression that drops it",
            "advice": f"the garbage collector does not release it; call {_dropped_release(acquire)}",
        })
        for acquire in dropped
    ] + unreleased


# Methods of resources that use them without ending them: calling one is no release.
USES = frozenset(
    {"execute", "executemany", "executescript", "cursor", "commit", "rollback", "read", "readline", "readlines",
     "write", "writelines", "flush", "seek", "tell", "send", "sendall", "recv", "recv_into", "sendto", "recvfrom",
     "get", "post", "put", "patch", "delete", "head", "options", "request", "submit", "map", "apply_async",
     "fileno", "settimeout", "setsockopt", "connect", "bind", "listen", "accept", "select", "register",
     "unregister", "modify", "extractall", "extract", "namelist", "getnames", "getmembers", "open", "mount",
     "iterdump", "create_function", "set_trace_callback", "row_factory", "fetchone", "fetchall"}
)

# Where the value of a method's call is kept or read: the method was called for what it gives
# (``ws = session.ws_connect(url)``, ``for row in conn.iter_rows():``), a use of the object.
_KEEPING_RESULT = (
    ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.withitem, ast.Attribute, ast.Subscript, ast.For,
    ast.AsyncFor, ast.comprehension,
)


def called_for_result(call: ast.Call, parent_of: Callable[[ast.AST], ast.AST | None]) -> bool:
    """Whether ``call``'s value (awaited or not) is kept or read: ``resp = yield from
    self._sess.post(url)``, ``async with self._sess.ws_connect(url) as ws``. A release is
    called for its effect (``self.sock.close()``, ``await self.session.close()``, ``conn and
    conn.close()``), or its coroutine handed to what runs it (``loop.run_until_complete(
    self.session.close())``, ``return self.session.close()``): any other method whose result is
    kept uses the object, whatever its name."""
    parent = parent_of(call)
    while isinstance(parent, (ast.Await, ast.YieldFrom)):
        parent = parent_of(parent)
    return isinstance(parent, _KEEPING_RESULT)


def released_before(function: ast.AST, holds: Callable[[ast.AST], bool], statement: ast.stmt, model) -> bool:
    """Whether ``function`` may end what the nodes ``holds`` matches (``self.sock``, a global
    ``SESSION``) hold before ``statement`` stores a new one there: a method called on it other
    than a use (``self.sock.close()``; reading a field, ``SESSION.proxies``, is none), handing
    it or one of its methods to a call or a ``with``, or a test of it around the store
    (``if self.sock is None:``), or another name given it (``previous = DB``)."""
    for node in walk(function):
        if not holds(node) or node.lineno > statement.lineno or type(node.ctx) is not ast.Load:
            continue
        parent = model.parent(node)
        if isinstance(parent, ast.Attribute):
            if parent.attr in USES:
                continue
            if isinstance(model.parent(parent), (ast.Call, ast.keyword)):
                return True  # ``self.sock.close()``, ``finalize(self, self.sock.close)``
            continue
        if isinstance(parent, (ast.Call, ast.keyword, ast.withitem)):
            return True
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is node:
            return True  # ``previous = DB``: another name holds it, to release it after the store
    return any(holds(node) for test, _ in model.guards(statement) for node in walk(test))


def _dropped_elements(acquire: Acquire, names: _Names) -> list[Acquire]:
    """``tempfile.mkstemp()[1]``: a tuple's element picked by a constant index drops the
    others, and a descriptor among them stays open for good (an int: nothing closes it)."""
    if acquire.elements is None:
        return []
    parent = names.model.parent(acquire.call)
    if not (isinstance(parent, ast.Subscript) and parent.value is acquire.call and isinstance(parent.slice, ast.Constant)):
        return []
    kept = parent.slice.value
    if type(kept) is not int or kept < 0:
        return []  # ``[-1]``: which element depends on the tuple's length
    return [element for position, element in acquire.elements.items() if element.path is DESCRIPTOR and position != kept]


def _reads_to_end(acquire: Acquire, names: _Names) -> bool:
    """``urlopen(url).read()``: a response read to its end with nothing (:data:`READ_TO_END`),
    which closes it when the body ends."""
    parent = names.model.parent(acquire.call)
    method = names.model.parent(parent) if isinstance(parent, ast.Attribute) else None
    return (
        acquire.factory in READ_TO_END and isinstance(method, ast.Call) and method.func is parent
        and parent.attr == "read" and not method.args and not method.keywords
    )


def _dropped_release(acquire: Acquire) -> str:
    """The advice for what is never bound: bind it and release it, or manage it."""
    if acquire.path is not None:
        return f"{acquire.path.removals[0]}() on it"
    if acquire.factory in WITH_KEEPS_OPEN:
        return "close() on it in finally or use with contextlib.closing()"
    return f"{acquire.releases[0]}() on it or use with"


def _consumed_at_once(acquire: Acquire, module: ResourceAnalysis, names: _Names) -> bool:
    """``make().method()`` (a method that does not release it), or ``make()`` given to a
    call that keeps nothing of it: a borrower (``json.load``) or a project function whose
    summary says so."""
    call = acquire.call
    parent = names.model.parent(call)
    if isinstance(parent, ast.Await):
        call, parent = parent, names.model.parent(parent)
    if isinstance(parent, ast.Attribute):
        method = names.model.parent(parent)
        if isinstance(method, ast.Attribute) and acquire.factory in PIPES:  # ``Popen(...).stdout.read()``
            parent, method = method, names.model.parent(method)
        return isinstance(method, ast.Call) and method.func is parent and not _releases(acquire, frozenset({parent.attr}))
    holder = names.model.parent(parent) if isinstance(parent, ast.keyword) else parent
    if not isinstance(holder, ast.Call) or holder.func is call:
        return False
    if id(holder) in module.borrowing_calls:
        return True
    lent = _lent(names, holder, parent, call)
    return lent is not None and not lent.kept


def _released_on_failure_only(function: FunctionNode, resource: Resource, model: SemanticModel) -> bool:
    """Whether every release of ``resource`` lies in an ``except`` clause (``except OSError:
    sock.close(); raise``): a function that returns it otherwise is still its factory, with
    cleanup for what that ``try`` raises only; a handler that goes on (``continue`` to the
    next address) or an exception before the ``try`` leaves it open. (A check that releases
    it before raising its own error, ``if bad: f.close(); raise ValueError``, is no cleanup
    of failures: left alone.)"""
    releases = [node for node in walk(function) if id(node) in resource.releases]
    return bool(releases) and all(
        any(isinstance(ancestor, ast.ExceptHandler) for ancestor in _ancestors_within(node, function, model))
        for node in releases
    )


def _ancestors_within(node: ast.AST, function: FunctionNode, model: SemanticModel) -> Iterable[ast.AST]:
    for ancestor in model.ancestors(node):
        if ancestor is function:
            return
        yield ancestor


def _handed_only(resource: Resource) -> bool:
    """Given to the caller by ``return``, or to a wrapper handed off (``return
    IOStream(sock)``), and handed nowhere else: the function makes it for someone else."""
    return bool(resource.returns or resource.wrapped) and not resource.escapes_otherwise and not resource.lock_like


def _runs_on(test: ast.expr) -> bool:
    """The test of a loop that runs until the thread or process stops: ``while True``,
    ``while self._running``, ``while not stop.is_set()``, ``while not self._stopped``."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = test.operand
        if isinstance(inner, ast.Call):
            return isinstance(inner.func, ast.Attribute) and inner.func.attr in ("is_set", "wait")
        return isinstance(inner, ast.Attribute)
    return isinstance(test, ast.Attribute)


def _returns_a_result(loop: ast.While) -> bool:
    """Whether the function leaves ``loop`` with a value (``return result``): the loop waits
    for an outcome of this call (a child's exit, a reply), and the next call waits again; a
    service loop ends only when the thread stops (a bare ``return``, ``break``)."""
    return any(
        isinstance(statement, ast.Return) and statement.value is not None and not is_none(statement.value)
        for statement in _statements(loop.body)
    )


def _serves(resource: Resource, loops: list[ast.While]) -> bool:
    """Whether a loop that runs until the thread stops, after the acquire, uses the resource."""
    return resource.name is not None and any(
        loop.lineno > resource.statement.lineno
        and any(True for _ in name_uses(resource.name, loop))
        for loop in loops
    )


def _is_flag(resource: Resource, function: FunctionNode, parent: Callable[[ast.AST], ast.AST | None]) -> bool:
    """``acquired = lock.acquire(blocking=False)`` only ever tested (``if not acquired:``):
    a lock's ``acquire`` returns whether it got the lock, not a checkout to give back."""
    if resource.lock_like or _method(resource.acquire) != "acquire" or resource.name is None:
        return False
    reads = [node for node in name_uses(resource.name, function) if isinstance(node.ctx, ast.Load)]
    return bool(reads) and all(_read_as_truth(node, parent) for node in reads)


def _read_as_truth(node: ast.expr, parent: Callable[[ast.AST], ast.AST | None]) -> bool:
    """``x`` as the test of an ``if``/``while``/``assert``/conditional expression, also
    under ``not`` and ``and``/``or``."""
    above = parent(node)
    while isinstance(above, ast.BoolOp) or (isinstance(above, ast.UnaryOp) and isinstance(above.op, ast.Not)):
        node, above = above, parent(above)
    return isinstance(above, (ast.If, ast.While, ast.IfExp, ast.Assert)) and above.test is node


def _in_memory(call: ast.Call, factory: str) -> bool:
    """``call`` passes the :data:`IN_MEMORY` value for the parameter, or leaves it to a
    default that is that value (``SpooledTemporaryFile()``; not with ``*args`` or ``**kwargs``)."""
    position, keyword, value = IN_MEMORY[factory]
    given = argument(call, position, keyword)
    if given is None:
        unpacked = any(isinstance(arg, ast.Starred) for arg in call.args) or any(item.arg is None for item in call.keywords)
        return factory in IN_MEMORY_BY_DEFAULT and len(call.args) <= position and not unpacked
    return isinstance(given, ast.Constant) and type(given.value) is type(value) and given.value == value


def _closes_what_it_made(call: ast.Call) -> bool:
    """Whether closing what ``call`` makes releases what was made from it: not for an aiohttp
    session given a connector it does not own (``connector_owner=False``), whose close
    leaves the connections of unreleased responses open in that connector."""
    return not any(
        keyword.arg == "connector_owner" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is True)
        for keyword in call.keywords
    )


def _made_by_managed(resource: Resource, by_call: dict[int, Acquire], model: SemanticModel) -> bool:
    """``resp = await session.get(url)`` in the body of ``async with aiohttp.ClientSession()
    as session:``: the session's close, when the block ends on any path, releases the
    connections of its responses too (aiohttp closes its connector's connections in use as
    well as idle ones; a Cassandra cluster shuts its sessions down)."""
    name = _receiver_name(resource)
    if name is None:
        return False
    for holder, _ in model.enclosing_blocks(resource.statement):
        if isinstance(holder, (ast.With, ast.AsyncWith)):
            for item in holder.items:
                target = item.optional_vars
                if isinstance(target, ast.Name) and target.id == name:
                    made = by_call.get(id(_unwrap(item.context_expr)))
                    return made is not None and made.factory is not None and _closes_what_it_made(made.call)
    return False


def _receiver(func: ast.Attribute) -> ast.expr:
    """``X`` of ``X.acquire()``; ``lock`` of ``(lock := locks[key]).acquire()``, which
    acquires what the name now holds and is released through it."""
    receiver = func.value
    return receiver.target if isinstance(receiver, ast.NamedExpr) else receiver


def _receiver_name(resource: Resource) -> str | None:
    receiver = resource.acquire.receiver
    return receiver.id if isinstance(receiver, ast.Name) else None


def _latch(resource: Resource) -> bool:
    """``if X.acquire(blocking=False):`` with no ``X.release()`` anywhere in the module: a
    latch that lets the code run once (a shutdown that must not start twice), not a lock
    held around work."""
    call = resource.acquire.call
    blocking = argument(call, 0, "blocking")
    return isinstance(resource.statement, ast.If) and isinstance(blocking, ast.Constant) and blocking.value is False


def _release_span(resource: Resource, block: list[ast.stmt]) -> int | None:
    """Where OOM201's fix ends: the release, when it is the resource's only one and a
    statement of the acquire's block. What lies between goes into ``try``, the release
    into ``finally`` (or all of it into ``with X:``)."""
    if isinstance(resource.statement, (ast.If, ast.With, ast.AsyncWith)) or resource.rebinds or len(resource.releases) != 1:
        return None
    start = _index(block, resource.statement)
    for statement in block[start + 2:]:
        if isinstance(statement, ast.Expr) and id(_unwrap(statement.value)) in resource.releases:
            return statement.end_lineno if _alone(block, start) and _alone(block, _index(block, statement)) else None
    return None


def _use_span(function: FunctionNode, resource: Resource, block: list[ast.stmt]) -> int | None:
    """Where OOM202's fix ends: the last statement using an ``open``-like resource, when
    every use lies in the statements after ``f = open(...)`` in its block, which then
    become the body of ``with open(...) as f:``."""
    statement = resource.statement
    if resource.acquire.factory not in CLOSED_BY_WITH or resource.rebinds or resource.acquire.path is not None:
        return None
    if not (isinstance(statement, ast.Assign) and statement.value is resource.acquire.call):
        return None
    uses = sum(1 for _ in name_uses(resource.name, function)) - 1
    start = end = _index(block, statement)
    in_span = 0
    for index in range(start + 1, len(block)):
        found = sum(1 for _ in name_uses(resource.name, block[index]))
        if found:
            in_span, end = in_span + found, index
    if end == start or in_span != uses or not (_alone(block, start) and _alone(block, end)):
        return None
    return block[end].end_lineno


def _index(block: list[ast.stmt], statement: ast.stmt) -> int:
    return next(index for index, item in enumerate(block) if item is statement)


def _alone(block: list[ast.stmt], index: int) -> bool:
    """No other statement of the block shares its lines (``a = f(); b = g()``)."""
    statement = block[index]
    before_ok = index == 0 or block[index - 1].end_lineno < statement.lineno
    return before_ok and (index + 1 == len(block) or block[index + 1].lineno > statement.end_lineno)


def _end_at_reacquire(resources: list[Resource]) -> None:
    """A second ``X.acquire()`` while ``X`` is held: ``X`` counts (a semaphore, a re-entrant
    lock, a lock used as a signal), so each acquire is followed up to the next one only."""
    by_receiver: dict[str, list[Resource]] = {}
    for resource in resources:
        if resource.receiver_dump is not None and not isinstance(resource.statement, ast.If):
            by_receiver.setdefault(resource.receiver_dump, []).append(resource)
    for group in by_receiver.values():
        for resource in group:
            resource.rebinds.update(id(other.statement) for other in group if other is not resource)


def _locate(body, by_call, resources) -> None:
    """Find the statements of the function's own code holding tracked acquires (not in
    ``with pytest.raises(...)`` and the like)."""
    for statement in body:
        resources.extend(_resources_at(statement, by_call))
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or _not_real(statement):
            continue
        for block in child_blocks(statement):
            _locate(block, by_call, resources)


def _not_real(node: ast.AST) -> bool:
    """``with self.assertRaises(...)``, ``with pytest.raises(...)``, ``with mock.patch.object(...)``
    (a statement), ``@mock.patch(...)`` (a decorator)."""
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return any(_not_real(item.context_expr) for item in node.items)
    func = node.func if isinstance(node, ast.Call) else None
    while isinstance(func, ast.Attribute):
        if func.attr in NOT_REAL_ACQUIRES:
            return True
        func = func.value
    return isinstance(func, ast.Name) and func.id in NOT_REAL_ACQUIRES


def _resources_at(statement: ast.stmt, by_call) -> list[Resource]:
    """What the statement acquires; for ``NamedTemporaryFile(delete=False)`` also the file it
    leaves on disk, acquired in ``with ... as f`` too (``with`` closes the file, not removes it)."""
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        located = []
        for item in statement.items:
            acquire = by_call.get(id(_unwrap(item.context_expr)))
            if acquire is None or not isinstance(item.optional_vars, ast.Name):
                continue
            if acquire.kept_file:
                located.append(_kept_file(acquire, statement, item.optional_vars.id))
            elif acquire.factory in WITH_KEEPS_OPEN:  # ``with sqlite3.connect(p) as conn``: still open after
                located.append(Resource(acquire, statement, item.optional_vars.id, None))
        return located
    located = _held_at(statement, by_call)
    return located + [_kept_file(item.acquire, statement, item.name) for item in located if item.acquire.kept_file]


def _kept_file(acquire: Acquire, statement: ast.stmt, name: str) -> Resource:
    return Resource(replace(acquire, releases=(), path=KEPT_FILE), statement, name, None)


def in_configured_folder(call: ast.Call, factory: str | None) -> bool:
    """``mkdtemp(dir=settings.MEDIA_TMP)``, ``NamedTemporaryFile(dir=config["TEMP_DIR"],
    delete=False)``: a path made in the folder the application's configuration names for its
    temporary files (a constant's name, upper case, read as a name, an attribute or a key).
    That folder is on the application's disk, not in a memory-backed /tmp, and the
    application sweeps it (Indico's daily ``temp_cleanup``, WebODM's periodic
    ``cleanup_tmp_directory``). A folder given as a value (``dir=folder``,
    ``dir=path.parent``: an atomic write next to its target) is swept by nobody."""
    slot = _FOLDER_SLOTS.get(factory)
    folder = argument(call, slot, "dir") if slot is not None else None
    if isinstance(folder, ast.Subscript):
        key = folder.slice
        name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    else:
        name = last_name(folder) if isinstance(folder, (ast.Name, ast.Attribute)) else None
    return name is not None and name.isupper()


def _keeps_file(call: ast.Call) -> bool:
    """``NamedTemporaryFile(delete=False)``. (``delete_on_close=False`` still deletes it when
    ``with`` ends or the object is finalized: an ordinary file.)"""
    delete = argument(call, 7, "delete")
    return isinstance(delete, ast.Constant) and not delete.value and delete.value is not None


def _held_at(statement: ast.stmt, by_call) -> list[Resource]:
    """What an assignment acquires (each resource among a project function's tuple
    elements), or the lock an ``X.acquire()`` statement or test takes."""
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        acquire = by_call.get(id(_unwrap(statement.value))) if statement.value is not None else None
        if acquire is None or len(targets) != 1:
            return []
        target = targets[0]
        if acquire.elements is not None:
            names = target.elts if isinstance(target, ast.Tuple) else ()
            return [
                Resource(element, statement, names[position].id, None)
                for position, element in acquire.elements.items()
                if position < len(names) and isinstance(names[position], ast.Name)
            ]
        if not isinstance(target, ast.Name):
            return []
        method = _method(acquire)
        receiver = acquire.receiver if method == "acquire" else None
        return [Resource(acquire, statement, target.id, ast.dump(receiver) if receiver is not None else None)]
    if isinstance(statement, ast.Expr):
        value = statement.value
    elif isinstance(statement, ast.If):
        value = statement.test
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
            value = value.operand  # ``if not lock.acquire(timeout=1): raise Busy``
    else:
        return []
    acquire = by_call.get(id(_unwrap(value)))
    if acquire is None or _method(acquire) != "acquire":
        return []
    # ``lock.acquire()`` on a local name: the name's uses (released, passed on, stored) count.
    name = acquire.receiver.id if isinstance(acquire.receiver, ast.Name) else None
    return [Resource(acquire, statement, name, ast.dump(acquire.receiver), lock_like=True)]


def _method(acquire: Acquire) -> str | None:
    func = acquire.call.func
    return func.attr if acquire.receiver is not None and isinstance(func, ast.Attribute) else None


def _unwrap(expr: ast.expr) -> ast.expr:
    """``make()`` of ``await make()`` and of ``yield from make()`` (a generator-based coroutine)."""
    return expr.value if isinstance(expr, (ast.Await, ast.YieldFrom)) else expr


def _statements(body):
    """Every statement of a function body, nested functions left out."""
    for block in _blocks(body):
        yield from block


def _blocks(body: list[ast.stmt]):
    """The function's statement lists, nested functions left out."""
    yield body
    for statement in body:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for block in child_blocks(statement):
                yield from _blocks(block)


# ------------------------------------------------------------------ uses of names


def _collect_uses(
    function: FunctionNode,
    resources: list[Resource],
    is_context_manager: bool,
    repeats: Callable[[], bool],
    borrowing_calls: set[int],
    names: _Names,
) -> None:
    """Classify every use of each resource in the function, nested functions included.
    ``atexit.register(f.close)`` releases ``f`` only in code that runs once (``repeats``
    says otherwise): run per call or per instance, it holds every ``f`` until exit.
    A use of the name before ``f = open(...)``, outside the loops around it, reads an
    earlier value (``f.close(); f = open(f.name)``): not this resource's."""
    by_name: dict[str, list[Resource]] = {}
    by_receiver: dict[str, list[Resource]] = {}
    for resource in resources:
        if resource.name is not None and resource.acquire.path is None:  # paths: ``_collect_path_uses``
            by_name.setdefault(resource.name, []).append(resource)
        if resource.receiver_dump is not None:
            by_receiver.setdefault(resource.receiver_dump, []).append(resource)
    kept: dict[int, list[str]] = {}
    """ids of calls (and their keywords) whose result is bound to local names: those names."""
    keyword_calls: dict[int, ast.Call] = {}
    model = names.model
    for node in preorder(function.body):
        kind = type(node)
        if kind not in _USE_KINDS or (kind is ast.Name and node.id not in by_name):
            continue
        parent = model.parent(node)
        statement, nested = model.own_statement(node, function)
        if isinstance(node, ast.stmt) and not nested:
            statement = node
        if kind is ast.Assign and not nested:
            _note_kept(node, kept, names.qualified)
        elif kind is ast.keyword:
            keyword_calls[id(node)] = parent
            if id(parent) in kept:
                kept[id(node)] = kept[id(parent)]
        if kind is ast.Name:
            if nested and type(parent) is ast.Attribute and _called_here_only(statement, function, model):
                continue  # ``session.get(url)`` in a helper the function only calls: used, not kept
            for resource in by_name.get(node.id, ()):
                if id(keyword_calls.get(id(parent), parent)) not in borrowing_calls and not _earlier_value(resource, node, nested, model):
                    if not nested and _kept_on_self(parent, node, names):
                        # ``self.sock = sock`` once it is set up: handed to the object on success
                        # only, as a factory's return is (what raises before leaves it open).
                        resource.escapes = True
                        resource.handoffs.add(id(statement))
                        resource.wrapped[id(statement)] = statement.lineno
                        continue
                    lent = _lent(names, keyword_calls.get(id(parent), parent), parent, node) if not nested else None
                    _use(resource, node, parent, statement, nested, is_context_manager, names.qualified, kept.get(id(parent)), lent)
        elif kind is ast.Attribute:
            released = parent if _calls(parent, node) else node
            if type(node.value) is ast.Name:
                for resource in by_name.get(node.value.id, ()):
                    if _earlier_value(resource, node, nested, model):
                        continue
                    if node.attr in resource.acquire.releases and not (_at_exit(parent, names.qualified) and repeats()):
                        _release(resource, released)
            if node.attr == "release" and by_receiver:
                for resource in by_receiver.get(ast.dump(node.value), ()):
                    _release(resource, released)
        elif kind is ast.Call and node.args and _descriptor_handoff(node.func):
            # ``os.dup2(f.fileno(), 1)``: the descriptor now backs a standard stream.
            handed = node.args[0]
            if isinstance(handed, ast.Call) and isinstance(handed.func, ast.Attribute) and handed.func.attr == "fileno":
                for resource in by_name.get(last_name(handed.func.value), ()):
                    resource.escapes = resource.escapes_otherwise = True
                    resource.handoffs.add(id(statement))
        elif kind is ast.Call and type(parent) is ast.Return and _keeps_receiver(node.func):
            # ``return conn.cursor()``: the cursor keeps its connection (``cursor.connection``).
            for resource in by_name.get(node.func.value.id, ()):
                _use(resource, node.func.value, parent, statement, nested, is_context_manager, names.qualified)
        elif kind is ast.Call and _stored_on_object(parent, node) and _keeps_receiver(node.func):
            # ``self._channel = connection.channel()``: the channel keeps its connection open.
            for resource in by_name.get(node.func.value.id, ()):
                resource.escapes = resource.escapes_otherwise = True
                resource.handoffs.add(id(statement))
        elif kind is ast.With or kind is ast.AsyncWith:
            for item in node.items:
                for resource in by_name.get(_managed_name(item.context_expr), ()):
                    if not resource.lock_like and resource.acquire.factory not in WITH_KEEPS_OPEN:
                        _release(resource, node)


# Calls that run a generator to its end before they return: what they give holds nothing of it.
CONSUMERS = frozenset({"list", "set", "frozenset", "tuple", "dict", "sorted", "sum", "any", "all", "min", "max"})


def _called_here_only(definition: ast.stmt | None, function: FunctionNode, model: SemanticModel) -> bool:
    """Whether ``definition``, a function nested in ``function`` (undecorated), is only ever
    called there, its result used up before ``function`` returns: called for its effect,
    awaited, iterated, given to a call that runs it to its end (``list(gen(item))``), or
    bound to a local name used only so (requirementslib's ``gen``, over the session the
    function never closed). What it uses of the function's resources is then used, not kept."""
    if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)) or definition.decorator_list:
        return False
    loads = [node for node in walk(function) if type(node) is ast.Name and node.id == definition.name]
    return all(_used_up(model.parent(node), node, function, model) for node in loads)


def _used_up(call: ast.AST, func: ast.expr, function: FunctionNode, model: SemanticModel) -> bool:
    """Whether ``func``, called by ``call``, gives a value ``function`` uses up (see
    :func:`_called_here_only`)."""
    if not (isinstance(call, ast.Call) and call.func is func):
        return False
    parent = model.parent(call)
    if isinstance(parent, ast.Await):
        parent = model.parent(parent)
    if isinstance(parent, ast.Expr) or (isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is call):
        return True
    if isinstance(parent, ast.Call) and call in parent.args and isinstance(parent.func, ast.Name) and parent.func.id in CONSUMERS:
        return True
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        name = parent.targets[0].id
        uses = [node for node in walk(function) if type(node) is ast.Name and node.id == name and isinstance(node.ctx, ast.Load)]
        return all(_consumed(node, function, model) for node in uses)
    return False


def _consumed(value: ast.Name, function: FunctionNode, model: SemanticModel) -> bool:
    """``set(items)``, ``for item in items``: ``value`` run to its end where it is read."""
    parent = model.parent(value)
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
        return parent.iter is value
    return isinstance(parent, ast.Call) and value in parent.args and isinstance(parent.func, ast.Name) and parent.func.id in CONSUMERS


def _earlier_value(resource: Resource, node: ast.expr, nested: bool, model: SemanticModel) -> bool:
    """Whether ``node``, a use of the name ``resource`` is bound to, reads a value the name
    had before the acquire: it comes before the acquire's statement (or is in it: ``f =
    open(f.name)``) and no loop around the acquire runs it again after. A nested function
    runs when called, and a lock taken again is the same lock: theirs always count."""
    statement = resource.statement
    if nested or resource.lock_like:
        return False
    loops = [item for item in model.statement_path(statement) if isinstance(item, _LOOPS)]
    if isinstance(statement, (ast.With, ast.AsyncWith)):  # ``with connect() as c:`` is done once ``c`` is bound
        last = statement.items[-1]
        return _before(node, last.optional_vars or last.context_expr, loops)
    return _before(node, statement, loops)


_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_USE_KINDS = frozenset({ast.Assign, ast.keyword, ast.Name, ast.Attribute, ast.Call, ast.With, ast.AsyncWith})
"""The nodes ``_collect_uses`` classifies."""
_NESTED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})
_STORES = frozenset({"append", "appendleft", "add", "extend", "insert", "put", "put_nowait", "setdefault"})
_GATHERS = frozenset({"append"})
_TRANSFERS = (
    ast.Return, ast.Yield, ast.YieldFrom, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Starred, ast.IfExp, ast.BoolOp,
)
_CLEANUP_CALLS = frozenset({ATEXIT_REGISTER, "weakref.finalize"})
# What a bare name spelled as one of :data:`REGISTRATIONS` must stand for to be one.
_NAMED_REGISTRATIONS = frozenset({"contextlib.closing"})


def _note_kept(assign: ast.Assign, kept: dict[int, list[str]], qualified: Callable[[ast.expr], str | None]) -> None:
    """``repos = Repositories(session)``, ``data, status = operate(params)``: a call (no
    process, thread or task that outlives it) whose result local names hold."""
    call = _unwrap(assign.value)
    targets = _local_targets(assign)
    if isinstance(call, ast.Call) and targets and _callee(call, qualified) not in SCHEDULERS:
        kept[id(call)] = targets


def _local_targets(holder: ast.AST) -> list[str] | None:
    """The local names an assignment binds its whole value to (``a = ...``, ``a, b = ...``)."""
    if not isinstance(holder, ast.Assign) or len(holder.targets) != 1:
        return None
    target = holder.targets[0]
    names = target.elts if isinstance(target, ast.Tuple) else [target]
    return [name.id for name in names] if all(isinstance(name, ast.Name) for name in names) else None


def _follow_wrappers(
    resource: Resource, function: FunctionNode, names: _Names, borrowing_calls: set[int], declared: set[str]
) -> None:
    """What becomes of the names that hold a call given the resource becomes of it: one
    handed off (returned, stored, passed on, ``global`` or ``nonlocal``), or a value got
    from it (``return stream.connect(address)``), hands it off, and so does one released
    (``close()``, ``with``: whether closing the wrapper closes what it wraps is the
    wrapper's business); one that stays in the function borrowed it for the call."""
    for name, statement in resource.wrappers:
        fate = _WrapperFate(function, names, borrowing_calls, (*resource.acquire.releases, *CLOSE))
        if name == resource.name or name in declared:
            resource.escapes = resource.escapes_otherwise = True
            continue
        else:
            fate.follow(name, statement, 0)
        if fate.handed_off:
            # Not the end of its path: a function that releases it itself still owns it.
            resource.escapes = True
            resource.wrapped[id(statement)] = statement.lineno
            resource.escapes_otherwise |= fate.passed_on


class _WrapperFate:
    """Whether a name that holds a call's result (a wrapper of what the call was given), or
    a local name holding a value got from it (up to ``_WRAPPER_DEPTH`` deep), is handed
    off or released."""

    def __init__(self, function: FunctionNode, names: _Names, borrowing_calls: set[int], releases: tuple[str, ...]):
        self.function = function
        self.names = names
        self.borrowing_calls = borrowing_calls
        self.releases = releases
        self.handed_off = False
        self.passed_on = False
        """Handed off by a call given it (or what is got from it) whose result is not kept:
        the callee may keep it, or only read it."""

    def follow(self, name: str, statement: ast.stmt, depth: int) -> None:
        parent_of = self.names.model.parent
        loops = [item for item in self.names.model.statement_path(statement) if isinstance(item, _LOOPS)]
        for node in name_uses(name, self.function):
            if self.handed_off:
                return
            if not isinstance(node.ctx, ast.Load) or _before(node, statement, loops):
                continue
            if self.names.model.own_statement(node, self.function)[1]:
                self.handed_off = True  # a closure keeps it
                continue
            child, parent = node, parent_of(node)
            if isinstance(parent, ast.Attribute) and parent.attr in self.releases and _calls(parent_of(parent), parent):
                self.handed_off = True  # ``wrapper.close()``
                continue
            called = False  # ``response.status_code`` is data; ``stream.connect()`` may hold the stream
            while _derives(parent, child):
                called = called or isinstance(parent, ast.Call)
                child, parent = parent, parent_of(parent)
            if isinstance(parent, ast.keyword):
                child, parent = parent, parent_of(parent)
            if isinstance(parent, _TRANSFERS) and child is not node and not called:
                continue
            if isinstance(parent, (ast.withitem, *_TRANSFERS)) or (
                isinstance(parent, ast.Call) and _callee(parent, self.names.qualified) in REGISTRATIONS
            ):
                self.handed_off = True
            elif isinstance(parent, ast.Call):
                if (
                    id(parent) not in self.borrowing_calls
                    and self.names.qualified(parent.func) not in VALUE_BUILTINS
                    and not _borrows(self.names, parent, child, node)
                ):
                    holder = parent_of(parent)
                    holder = parent_of(holder) if isinstance(holder, ast.Await) else holder
                    kept: dict[int, list[str]] = {}
                    if isinstance(holder, ast.Assign):
                        _note_kept(holder, kept, self.names.qualified)
                    if id(parent) in kept:
                        self.held_by(kept[id(parent)], holder, depth)
                    else:
                        self.handed_off = self.passed_on = True
            elif isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is child:
                self.held_by(_local_targets(parent), parent, depth)

    def held_by(self, targets: list[str] | None, holder: ast.AST, depth: int) -> None:
        """A call given the wrapper, or a value got from it, is held by the local names
        ``targets`` bound in ``holder``: followed there, as deep as allowed; held otherwise
        (None), or deeper, it is handed off."""
        if not targets or depth + 1 == _WRAPPER_DEPTH:
            self.handed_off = True  # stored (``self.stream = stream``), unpacked, or too far to follow
            self.passed_on = self.passed_on or bool(targets)
            return
        for target in targets:
            self.follow(target, holder, depth + 1)


def _borrows(names: _Names, call: ast.Call, child: ast.AST, node: ast.Name) -> bool:
    """A project function given the wrapper ``node`` itself keeps nothing of it."""
    if child is not node and not (isinstance(child, ast.keyword) and child.value is node):
        return False  # a value got from it
    lent = _lent(names, call, child, node)
    return lent is not None and not lent.kept


def _derives(parent: ast.AST, child: ast.AST) -> bool:
    """``parent`` is a value got from ``child``: an attribute, an item, a method's result, an await."""
    if isinstance(parent, (ast.Attribute, ast.Subscript)):
        return parent.value is child
    if isinstance(parent, ast.Call):
        return parent.func is child
    return isinstance(parent, ast.Await)


def _before(node: ast.expr, statement: ast.stmt, loops: list[ast.stmt]) -> bool:
    """``node`` runs before ``statement`` is done (or in it), and no loop around it runs it again after."""
    if (node.lineno, node.col_offset) > (statement.end_lineno, statement.end_col_offset):
        return False
    return not any(loop.lineno <= node.lineno <= loop.end_lineno for loop in loops)



def _use(
    resource: Resource,
    node: ast.Name,
    parent,
    statement: ast.stmt,
    nested: bool,
    is_context_manager: bool,
    qualified: Callable[[ast.expr], str | None],
    kept_by: list[str] | None = None,
    lent: Lent | None = None,
) -> None:
    """One load or store of the resource's name; ``kept_by``: the local names that hold
    the result of the call it is given to; ``lent``: what that call, a project function,
    does with it (one that keeps nothing of it borrows it, or releases it)."""
    if nested:
        # A closure or lambda that uses it (``atexit.register(lambda: f.close())``): handed over.
        if isinstance(node.ctx, ast.Load):
            resource.escapes = resource.escapes_otherwise = True
            resource.handoffs.add(id(statement))
        return
    if isinstance(node.ctx, ast.Store):
        if statement is not resource.statement:
            resource.rebinds.add(id(statement))
        return
    if isinstance(parent, ast.Attribute) or (isinstance(parent, ast.Call) and parent.func is node):
        return  # ``f.read()``; releases are classified at the attribute
    if isinstance(parent, (ast.Call, ast.keyword)):
        resource.cleanups.add(id(parent))
        if lent is not None and not lent.kept and not resource.lock_like:
            if _releases(resource.acquire, lent.methods):
                _release(resource, parent)
            return
        method = _callee(parent, qualified) if isinstance(parent, ast.Call) else None
        handed = method in resource.acquire.given_back or method in REGISTRATIONS or method in _STORES
        if kept_by is not None and not handed and not resource.lock_like:
            resource.wrappers.extend((name, statement) for name in kept_by)
            return
        resource.escapes = resource.escapes_otherwise = True
        if method in resource.acquire.given_back or method in REGISTRATIONS:
            _release(resource, parent)
        elif method in _STORES:
            resource.handoffs.add(id(statement))
        return
    if isinstance(parent, (ast.Yield, ast.YieldFrom)) and is_context_manager:
        return  # lent to the with-block; the generator still owns it
    if isinstance(parent, _TRANSFERS) or (
        isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is node
    ):
        resource.escapes = True
        resource.handoffs.add(id(statement))
        if isinstance(statement, ast.Return) and (parent is statement or parent is statement.value):
            resource.returns.add(id(statement))
        else:
            resource.escapes_otherwise = True


def _stored_on_object(parent: ast.AST, value: ast.expr) -> bool:
    """``self.x = value`` (or ``obj.x[k] = value``): kept beyond the function."""
    if not isinstance(parent, (ast.Assign, ast.AnnAssign)) or parent.value is not value:
        return False
    targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
    return any(isinstance(target, (ast.Attribute, ast.Subscript)) for target in targets)


def _kept_on_self(parent: ast.AST, value: ast.Name, names: _Names) -> bool:
    """``self.sock = sock``: the name alone stored on the method's object, nowhere else."""
    if not isinstance(parent, (ast.Assign, ast.AnnAssign)) or parent.value is not value:
        return False
    targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
    return all(isinstance(target, ast.Attribute) and names.model.is_self(target.value, names.scope) for target in targets)


def _keeps_receiver(func: ast.expr) -> bool:
    """``conn.cursor``, ``connection.channel``: what it makes holds on to ``conn`` (DB-API's
    ``cursor.connection``, a pika channel's connection)."""
    return type(func) is ast.Attribute and func.attr in KEEPS_RECEIVER and type(func.value) is ast.Name


def _lent(names: _Names, call: ast.AST, parent: ast.AST, node: ast.expr) -> Lent | None:
    """What the call that ``node`` is passed to (``parent``: the call, or the keyword it
    is given by) does with it, when a project function's summary says."""
    if not isinstance(call, ast.Call) or call.func is node:
        return None
    if isinstance(parent, ast.keyword):
        return names.lent(call, parent.arg) if parent.arg is not None else None
    position = next(index for index, item in enumerate(call.args) if item is node)
    if any(isinstance(item, ast.Starred) for item in call.args[:position]):
        return None
    return names.lent(call, position)


def _releases(acquire: Acquire, methods: frozenset[str]) -> bool:
    """Whether calling ``methods`` on what ``acquire`` made (``__exit__``: a ``with``) releases it."""
    return bool(methods.intersection(acquire.releases)) or ("__exit__" in methods and acquire.factory in CLOSED_BY_WITH)


def _descriptor_handoff(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and f"{func.value.id}.{func.attr}" in DESCRIPTOR_HANDOFFS
    )


def _release(resource: Resource, node: ast.AST) -> None:
    resource.releases.add(id(node))
    resource.cleanups.add(id(node))


def _calls(parent, func: ast.expr) -> bool:
    return isinstance(parent, ast.Call) and parent.func is func


def _callee(call: ast.Call, qualified: Callable[[ast.expr], str | None]) -> str | None:
    """``enter_context`` of ``stack.enter_context(...)``; ``register`` and ``finalize`` of a
    method only for ``atexit.register`` and ``weakref.finalize``, by qualified name (``import
    atexit as hooks``: ``hooks.register``; not a local object called ``atexit``). A bare name
    spelled as a registration (``closing(f)``, ``register(f.close)``) is one only when it
    names that function (``from contextlib import closing``; not a function of the module's
    own called ``closing``)."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ("register", "finalize"):
        return func.attr if qualified(func) in _CLEANUP_CALLS else None
    if isinstance(func, ast.Name):
        found = qualified(func)
        if found in _CLEANUP_CALLS or found in _NAMED_REGISTRATIONS:
            return found.rpartition(".")[2]
        return None if func.id in REGISTRATIONS else func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _at_exit(node: ast.AST, qualified: Callable[[ast.expr], str | None]) -> bool:
    """``atexit.register(...)``, by qualified name (``import atexit as ax``: ``ax.register``)."""
    return isinstance(node, ast.Call) and qualified(node.func) == ATEXIT_REGISTER


def _managed_name(expr: ast.expr) -> str | None:
    """``f`` of ``with f:``, ``async with f:`` or ``with closing(f):``."""
    expr = _unwrap(expr)
    if isinstance(expr, ast.Call):
        expr = next((arg for arg in expr.args if isinstance(arg, ast.Name)), expr)
    return expr.id if isinstance(expr, ast.Name) else None


# ------------------------------------------------------------------ uses of a temporary path


class _Names(NamedTuple):
    """What the analysis of a temporary path asks the semantic model, after the walk."""

    qualified: Callable[[ast.expr], str | None]
    """The qualified name of what an expression names, in the analysed function's scope."""
    model: SemanticModel
    """For the tree's shape: parents, statements and the statement paths around nodes."""
    scope: Scope
    """The analysed function's scope."""
    lent: Callable[[ast.Call, int | str], Lent | None]
    """What a project function called in the analysed function does with an argument."""
    handed_to: Callable[[ast.Call, int | str, frozenset[str]], bool]
    """Whether a project function called there passes an argument on to one of the callees."""


_HANDOFF, _RELEASE, _SAME, _BUILT = "handoff", "release", "same path", "built on it"
_CARRIERS = (
    ast.BinOp, ast.JoinedStr, ast.FormattedValue, ast.Await, ast.Starred, ast.IfExp, ast.BoolOp, ast.List, ast.Tuple,
    ast.Set, ast.Dict, ast.Subscript, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp,
)
"""Expressions whose value still carries the path (``d / "x"``, ``f"{d}/x"``, ``[d]``, the
items of a comprehension; not its ``for ... in`` part, whose parent is a ``comprehension``)."""
_LISTS = (ast.Tuple, ast.List, ast.Set)
"""Literal collections: a ``for`` over one binds its target to each of its items in turn."""


def _collect_path_uses(function: FunctionNode, resource: Resource, lends: bool, names: _Names) -> None:
    """Classify the uses of a temporary path: ``d`` of ``d = mkdtemp()``, ``f.name`` (or
    ``f``) of a ``NamedTemporaryFile(delete=False)``, and the names made from them.

    A path names the resource without holding it, so giving it to a call is no hand-off:
    ``os.path.join(d, x)``, ``open(...)``, ``subprocess.run([..., d])`` work in it. It is
    handed off when it, or a path built on it, is returned, yielded, stored (also by a base
    class's ``__init__``), captured by a closure, or given to a process or thread that
    outlives the call (``Popen``); released
    when a removal function is given it (``shutil.rmtree(d)``, ``os.unlink(f.name)``,
    ``Path(d).rmdir()``) or handed to a call beside one, which schedules the removal
    (``atexit.register(shutil.rmtree, d)``, ``stack.callback(os.unlink, f.name)``,
    ``BackgroundTask(os.remove, path)``). Another name for the same path (``name = f.name``,
    ``p = Path(d)``, the target of ``for path in (name, other):``) counts like it; a name for
    a path built on it can only hand it off."""
    kind = resource.acquire.path
    pending = [(resource.name, _SAME, kind is KEPT_FILE, False)]
    seen = set()
    while pending:
        name, role, holder, path_object = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in name_uses(name, function):
            statement, nested = names.model.own_statement(node, function)
            if not isinstance(node.ctx, ast.Load):
                if name == resource.name and statement is not resource.statement:
                    resource.rebinds.add(id(statement))
                continue
            if nested:
                resource.escapes = True
                resource.handoffs.add(id(statement))
                continue
            start = node
            parent = names.model.parent(node)
            if holder and isinstance(parent, ast.Attribute):
                if parent.attr != "name":
                    continue  # ``f.write(...)``, ``f.close()``: the file object, not the path
                start = parent
            outcome, found = _follow_path(start, kind, path_object, lends, names)
            if outcome == _HANDOFF:
                resource.escapes = True
                resource.handoffs.add(id(statement))
            elif outcome == _RELEASE and role == _SAME:
                _release(resource, found)
            elif outcome in (_SAME, _BUILT):
                target, made_path_object = found
                pending.append((target, _BUILT if role == _BUILT else outcome, False, made_path_object))


def removes_path(call: ast.Call, child: ast.expr, removals: Iterable[str], qualified: Callable[[ast.expr], str | None]) -> bool:
    """Whether ``call`` removes the path ``child`` it is given: a removal function given it
    first (``shutil.rmtree(d)``, ``os.close(fd)``), or a call given a removal beside it, which
    schedules one (``atexit.register(shutil.rmtree, d)``, ``stack.callback(os.unlink, f.name)``,
    ``weakref.finalize(self, shutil.rmtree, self.d)``, ``BackgroundTask(os.remove, path)``)."""
    if call.args and call.args[0] is child and qualified(call.func) in removals:
        return True
    given = [*call.args, *(item.value for item in call.keywords)]
    return any(other is not child and qualified(other) in removals for other in given)


def _initializes(call: ast.Call) -> bool:
    """``super().__init__(file, name)``, ``Base.__init__(self, d)``: a base class's constructor
    keeps what it is given on the instance, as ``self.file = file`` would (Django's
    ``UploadedFile`` over a ``NamedTemporaryFile(delete=False)``)."""
    return isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"


def _position(call: ast.Call, child: ast.expr) -> int | str | None:
    """The position (or keyword) ``child`` (or its ``keyword``) is passed at to ``call``: None past a ``*args``."""
    for index, item in enumerate(call.args):
        if isinstance(item, ast.Starred):
            return None
        if item is child:
            return index
    return next((item.arg for item in call.keywords if child in (item, item.value) and item.arg is not None), None)


def _follow_path(start: ast.expr, kind: TemporaryPath, path_object: bool, lends: bool, names: _Names):
    """Follow the value of ``start`` (the path, or a ``pathlib`` object for it) up through
    the expressions that carry it: ``(_HANDOFF, None)``, ``(_RELEASE, call)``, ``(_SAME or
    _BUILT, (name, is a pathlib object))`` for a name bound to it, or ``(None, None)``."""
    child, same, listed = start, True, False
    while True:
        parent = names.model.parent(child)
        element, listed = listed, False
        if isinstance(parent, ast.keyword):
            child, parent = parent, names.model.parent(parent)
        if isinstance(parent, ast.Call):
            if parent.func is child:
                return None, None
            callee = names.qualified(parent.func)
            if removes_path(parent, child, kind.removals, names.qualified):
                return _RELEASE, parent
            if parent.args and parent.args[0] is child and (callee in MOVES or callee in kind.takers):
                return _HANDOFF, None
            position = _position(parent, child)
            if position is not None and names.handed_to(parent, position, frozenset(kind.removals)):
                return _RELEASE, parent  # a clean-up helper of the project (``robust_rmtree(d)``)
            if position == 0 and names.handed_to(parent, position, MOVES):
                return _HANDOFF, None  # moved into place by a helper of the project (``fileutil.rename(f.name, dest)``)
            if (callee in OUTLIVING_CALLS and not (kind is DESCRIPTOR and callee in CHILD_PROCESSES)) or (
                _callee(parent, names.qualified) in _STORES or _initializes(parent)
            ):
                return _HANDOFF, None
            if callee not in PATH_BUILDERS:
                return None, None  # the callee works in it
            same, path_object = same and callee in SAME_PATH, callee in PATH_CLASSES
        elif isinstance(parent, ast.Attribute):
            call = names.model.parent(parent)
            if isinstance(call, ast.Call) and call.func is parent:
                if path_object and f"pathlib.Path.{parent.attr}" in kind.removals:
                    return _RELEASE, call
                if path_object and parent.attr in PATH_MOVES:
                    return _HANDOFF, None
                if parent.attr not in PATH_METHODS:
                    return None, None  # ``Path(d).read_bytes()``, ``os.listdir``-like reads
                parent = call  # ``d.rstrip("/")``, ``Path(d).joinpath(x)``: built on it
            same = False
        elif isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
            return (None, None) if lends and not isinstance(parent, ast.Return) else (_HANDOFF, None)
        elif isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is child:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                return (_SAME if same else _BUILT), (targets[0].id, path_object)
            return _HANDOFF, None  # stored on an attribute, in a container, unpacked
        elif isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is child and element and isinstance(parent.target, ast.Name):
            return _SAME, (parent.target.id, path_object)  # ``for path in (a, b): os.unlink(path)``
        elif isinstance(parent, _CARRIERS):
            listed = same and isinstance(parent, _LISTS) and any(item is child for item in parent.elts)
            same = same and isinstance(parent, ast.Await)
        else:
            return None, None
        child = parent



# ------------------------------------------------------------------ the path scan


class _PathScan:
    """Follow the function's paths from the acquire; note the first point where the
    resource is held, unprotected, and something can leave the function without it."""

    def __init__(
        self,
        resource: Resource,
        ancestors: set[int],
        in_coroutine: bool,
        in_fixture: bool,
        quiet_calls: set[int],
        qualified: Callable[[ast.expr], str | None],
        inputs_only: bool = False,
        context_manager: bool = False,
        exceptions: bool = True,
    ):
        self.resource = resource
        self.qualified = qualified
        """The qualified name of what an expression names, in the function's scope."""
        self.context_manager = context_manager
        """A ``@contextmanager`` generator: its ``yield`` raises whatever the ``with`` block raises."""
        self.in_coroutine = in_coroutine
        self.in_fixture = in_fixture
        self.quiet_calls = quiet_calls
        """ids of calls that cannot raise (``event.set()``)."""
        self.inputs_only = inputs_only
        """For a factory: its risk is in what it does with its input (``sock.connect(address)``);
        ``conn.cursor()`` on what it has just made fails no more than the making did."""
        self.exceptions = exceptions
        """False: the normal path only, no ``except`` clause entered holding the resource."""
        acquire = resource.acquire
        self.unsent = opening_methods(acquire.factory, acquire.call, qualified) if resource.name is not None else None
        """For a client that connects lazily and has not yet: the methods that connect it. It
        holds nothing of the OS, and an exception before leaks nothing."""
        self.ancestors = ancestors
        self.exposure: str | None = None
        self.exposure_by_exception = False
        self.exposure_rank = 0
        """0: a path that leaves with it held; 1: a ``raise``, or an exception thrown in at a
        context manager's ``yield``; 2: one that may be raised."""
        self.shared_loops: list[ast.For | ast.AsyncFor] = []
        """Enclosing loops over shared state (``for key in self._cache:``), entered holding it."""
        self.release: str | None = None
        self.flags: dict[str, bool] = {}
        """Names set to a constant right after the release (see :func:`_release_flags`)."""
        self.acquired_when: dict[str, bool] = {}
        """Names an ``if`` around the acquire tests: their value when it was acquired."""
        self.finally_depth = 0
        self.catching_depth = 0
        """Enclosing ``try`` bodies whose handlers catch every exception (see ``catches_everything``)."""
        self.os_error_depth = 0
        """Enclosing ``try`` bodies with a handler of ``OSError``: what a write raises."""
        self.handler_depth = 0
        """Enclosing error paths (``except`` clauses, blocks ending in ``raise``)."""
        self.acquire_handler_depth = 0
        """Error paths around the acquire itself (made in an ``except`` clause): a path is an
        error path for the resource only when it lies deeper."""
        self.released_on_error_path = False
        self.loop_depth = 0
        self.acquire_loop_depth: int | None = None
        self.raise_points = 0
        """Points seen that can raise while it is held (before a ``finally`` releases it)."""
        self.breaks: list[tuple[int, list[int]]] = []
        """Per enclosing loop: the finally depth at its start, the states its breaks leave with."""
        self.function_body: list[ast.stmt] = []
        self.continues: list[list[int]] = []
        """Per enclosing loop: the states its ``continue`` statements go back to its test with."""
        self.preceding: ast.stmt | None = None
        """The statement before the one being followed, in its block."""
        self.dropped_by: ast.For | ast.AsyncFor | ast.While | None = None
        """A loop around the acquire whose body can end holding it and that goes round
        again: the next round's acquire drops it, open (a retry loop with no ``break``)."""

    def run(self, body: list[ast.stmt]) -> None:
        self.flags = _release_flags(body, self.resource.releases)
        self.function_body = body
        if self.block(body, NOT_YET) == OPEN:
            self.expose(f"the path that reaches the end of the function (line {body[-1].end_lineno})")

    def expose(self, cause: str, exception: bool = False, certain: bool = False) -> None:
        if self.finally_depth:
            return
        if exception:
            self.raise_points += 1
            if self.catching_depth:
                return  # caught: the handler is followed like any other code
        # A path that certainly leaves with it held (a return, the end of the function) says
        # more than a call that might raise: it is named when there is one. So does an
        # exception that is ``certain`` on its path: a ``raise``, or the ``yield`` of a
        # context-manager generator, where the ``with`` block's exceptions arrive.
        rank = 0 if not exception else 1 if certain else 2
        if self.exposure is None or rank < self.exposure_rank:
            self.exposure, self.exposure_by_exception, self.exposure_rank = cause, exception, rank

    def met_acquire(self) -> None:
        self.acquire_loop_depth = self.loop_depth
        self.acquire_handler_depth = self.handler_depth

    def note_release(self, nodes, ids: set[int] | None = None) -> None:
        """Remember the first release met on the normal path, to name it in the message, and
        whether one was met on an error path."""
        ids = self.resource.releases if ids is None else ids
        for node in nodes:
            if id(node) in ids:
                if self.handler_depth > self.acquire_handler_depth:
                    self.released_on_error_path = True
                elif self.release is None and not self.handler_depth:
                    managed = isinstance(node, (ast.With, ast.AsyncWith))
                    self.release = f"'with {self.resource.label}'" if managed else _short(ast.unparse(node))
                return

    def block(self, body: list[ast.stmt], state: int | None) -> int | None:
        # A block that ends in ``raise`` is an error path, like an ``except`` clause:
        # a release there is cleanup before failing, not the normal path's release. Not the
        # function's own body: a search loop that returns what it finds raises after it.
        error_path = bool(body) and isinstance(body[-1], ast.Raise) and body is not self.function_body
        self.handler_depth += error_path
        preceding = None
        for statement in body:
            if state is None:
                break
            self.preceding = preceding
            state = self.statement(statement, state)
            preceding = statement
        self.handler_depth -= error_path
        return state

    def statement(self, node: ast.stmt, state: int) -> int | None:
        resource = self.resource
        if node is resource.statement and not isinstance(node, ast.If):
            self.met_acquire()
            if isinstance(node, (ast.With, ast.AsyncWith)):  # ``with NamedTemporaryFile(delete=False) as f:``
                return self.block(node.body, OPEN)
            return OPEN
        if state != OPEN and id(node) not in self.ancestors:
            return state
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # A nested function that uses it (a thread's loop accepting on the socket) takes it
            # over, unless the function releases it itself: then it only borrows it, and what
            # raises before the ``def`` still leaves the resource with the function.
            return CLOSED if id(node) in resource.handoffs and not resource.releases else state
        if isinstance(node, ast.If):
            return self.if_statement(node, state)
        if isinstance(node, (ast.With, ast.AsyncWith)):
            if id(node) in resource.releases:
                self.note_release([node])
                return CLOSED
            self.header([item.context_expr for item in node.items], state)
            return self.block(node.body, state)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            return self.loop(node, state)
        if isinstance(node, TRY_STATEMENTS):
            return self.try_statement(node, state)
        if isinstance(node, ast.Match):
            self.header([node.subject], state)
            ends = [self.block(case.body, state) for case in node.cases]
            return _merge(state, *ends)
        return self.simple(node, state)

    def simple(self, node: ast.stmt, state: int) -> int | None:
        resource = self.resource
        nodes = list(_own_nodes(node))
        if isinstance(node, ast.AnnAssign):  # a local variable's annotation is never evaluated
            annotation = set(map(id, _own_nodes(node.annotation)))
            nodes = [item for item in nodes if id(item) not in annotation]
        if any(id(item) in resource.releases for item in nodes):
            self.note_release(nodes)
            return CLOSED
        if id(node) in resource.handoffs or id(node) in resource.rebinds:
            return CLOSED
        self.note_raising(nodes)
        if isinstance(node, ast.Return):
            self.expose(f"the return at line {node.lineno}")
            return None
        if isinstance(node, ast.Raise):
            return None
        if isinstance(node, ast.Continue):
            # The next round of a loop around the acquire acquires again; a loop inside it goes on holding it.
            if self.acquire_loop_depth is not None and self.loop_depth <= self.acquire_loop_depth:
                self.expose(f"the continue at line {node.lineno}")
            if self.continues:
                self.continues[-1].append(state)
            return None
        if isinstance(node, ast.Break):
            if self.breaks:
                loop_finally_depth, states = self.breaks[-1]
                # A finally inside the loop releases it on the way out.
                states.append(CLOSED if self.finally_depth > loop_finally_depth else state)
            return None
        return state

    def test(self, test: ast.expr, state: int) -> int:
        """An ``if`` test, which runs once before either branch: released there
        (``if proc.wait() != 0: sys.exit(1)``), both branches start without it. It is not
        taken for the normal path's release that OOM201 names: a test that waits for a
        child is how scripts end one, and what raises before it ends the script."""
        if state == OPEN and any(id(item) in self.resource.releases for item in _own_nodes(test)):
            return CLOSED
        self.header([test], state)
        return state

    def header(self, expressions: list[ast.expr], state: int) -> None:
        """The expressions a compound statement evaluates first (test, iterable, items)."""
        if state == OPEN:
            self.note_raising([item for expr in expressions for item in _own_nodes(expr)])

    def note_raising(self, nodes: list[ast.AST]) -> None:
        """Expose the resource to the first of ``nodes`` that can raise. A write to the
        resource or one of its streams (``proc.stdin.write(data)``) raises ``OSError`` (a
        broken pipe, a full disk): a handler of it catches what the write raises."""
        if self.unsent:
            if not any(sends_through(item, self.resource.name, self.unsent) for item in nodes):
                return
            self.unsent = None
        candidates = [item for item in nodes if self.can_raise(item)]
        if self.os_error_depth:
            writes = [item for item in candidates if _writes_to(item, self.resource.name)]
            if writes and not self.finally_depth:
                self.raise_points += 1  # caught: the handler is followed holding it
            candidates = [item for item in candidates if item not in writes]
        raising = _first_raising(candidates, self.in_fixture)
        if raising is not None:
            # Iterating a collection others can change raises before any statement of the
            # loop's body (a dict that changed size): the loop is named.
            named = self.shared_loops[0] if self.shared_loops else raising
            certain = isinstance(named, ast.Raise) or (self.context_manager and isinstance(named, (ast.Yield, ast.YieldFrom)))
            self.expose(_cause(named), exception=True, certain=certain)

    def can_raise(self, node: ast.AST) -> bool:
        if id(node) in self.quiet_calls:
            return False
        if not (self.inputs_only and isinstance(node, ast.Call)):
            return True
        name = self.resource.name
        return (
            bool(node.args or node.keywords) and not _fills_own_container(node, name) and not _seeks_itself(node, name)
            and not _keeps_books(node)
        )

    def if_statement(self, node: ast.If, state: int) -> int | None:
        if node is self.resource.statement:
            held_if_true = not (isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not))
            self.met_acquire()
            body_state, else_state = (OPEN, NOT_YET) if held_if_true else (NOT_YET, OPEN)
        else:
            state = self.test(node.test, state)
            body_state = else_state = state
            if id(node) in self.ancestors and isinstance(node.test, ast.Name):
                # ``if new: conn = connect()``: a later ``if new:`` takes the same branch.
                self.acquired_when[node.test.id] = any(id(item) in self.ancestors or item is self.resource.statement for item in node.body)
            if state == OPEN:
                truth = self.tests_held(node.test)
                if truth is not None:
                    body_state, else_state = (OPEN, NOT_YET) if truth else (NOT_YET, OPEN)
        return _merge(self.block(node.body, body_state), self.block(node.orelse, else_state))

    def tests_held(self, test: ast.expr) -> bool | None:
        """``if f:`` / ``if f is not None:`` -> True; ``if not f:`` / ``if f is None:`` -> False."""
        name = self.resource.name
        if name is None:
            return None
        if isinstance(test, ast.Name) and test.id == name:
            return True
        if isinstance(test, ast.Name) and test.id in self.flags:
            return not self.flags[test.id]  # ``fd_closed = True`` right after the release
        if isinstance(test, ast.Name) and test.id in self.acquired_when:
            return self.acquired_when[test.id]
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.tests_held(test.operand)
            return None if inner is None else not inner
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.left, ast.Name)
            and test.left.id == name
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None
        ):
            if isinstance(test.ops[0], (ast.IsNot, ast.NotEq)):
                return True
            if isinstance(test.ops[0], (ast.Is, ast.Eq)):
                return False
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            # ``if f is not None and f.closed``: the body holds it; the else path is unknown.
            return True if any(self.tests_held(value) for value in test.values) else None
        return None

    def loop(self, node: ast.For | ast.AsyncFor | ast.While, state: int) -> int | None:
        self.header([node.test] if isinstance(node, ast.While) else [node.iter], state)
        entered = isinstance(node, ast.While) and _true_after(node.test, self.preceding)
        self.breaks.append((self.finally_depth, []))
        self.continues.append([])
        self.loop_depth += 1
        shared = state == OPEN and not isinstance(node, ast.While) and isinstance(node.iter, ast.Attribute)
        if shared:
            self.shared_loops.append(node)
        body_end = self.block(node.body, state)
        if shared:
            self.shared_loops.pop()
        if body_end == OPEN and id(node) in self.ancestors and self.dropped_by is None and self.goes_round(node):
            self.dropped_by = node
        self.loop_depth -= 1
        _, breaks = self.breaks.pop()
        continues = self.continues.pop()
        endless = isinstance(node, ast.While) and isinstance(node.test, ast.Constant) and node.test.value
        # The loop ends at its test: never run (unless its test holds on entry), after a round, or after a continue.
        after_loop = None if endless else _merge(None if entered else state, body_end, *continues)
        return _merge(self.block(node.orelse, after_loop) if after_loop is not None else None, *breaks)

    def goes_round(self, loop: ast.For | ast.AsyncFor | ast.While) -> bool:
        """Whether ``loop`` runs its body again after a round that made the resource, up to
        the acquire without releasing it first: a ``for`` does while items remain; a
        ``while`` unless its test stops once the resource is held (``while conn is None:``).
        Not when that test, or the test of an ``if`` in the loop around the acquire, reads
        the resource's name or a name the body sets after the acquire (``connected = True``,
        ``csv_writer = csv.writer(f)`` under ``if not csv_writer:``): it may stop there. The
        loop's own statements are searched for those stores, not the model's bindings: an
        augmented assignment (``attempts += 1``) binds nothing there, and counts here."""
        made = next(index for index, statement in enumerate(loop.body) if id(statement) in self.ancestors or statement is self.resource.statement)
        if _touches(loop.body[:made], self.resource.releases):
            return False  # ``if log is not None: log.close()`` before the next ``log = open(path)``
        tests = [
            statement.test for statement in _walk(loop.body)
            if isinstance(statement, ast.If) and id(statement) in self.ancestors
        ]
        if isinstance(loop, ast.While):
            if isinstance(loop.test, ast.Constant) and not loop.test.value:
                return False
            tests.append(loop.test)
        read = {node.id for test in tests for node in walk(test) if type(node) is ast.Name}
        after = self.resource.statement.lineno
        return self.resource.name not in read and not any(
            isinstance(node, ast.Name) and type(node.ctx) is ast.Store and node.id in read and node.lineno >= after
            for statement in loop.body for node in walk(statement)
        )

    def try_statement(self, node: ast.Try, state: int) -> int | None:
        resource = self.resource
        if _touches(node.finalbody, resource.cleanups):
            if state == OPEN:
                self.note_release(list(_walk(node.finalbody)), resource.cleanups)
            self.finally_depth += 1
            ends = [self.block(node.body, state)]
            self.handler_depth += 1
            ends += [self.block(handler.body, state) for handler in node.handlers]
            self.handler_depth -= 1
            ends.append(self.block(node.orelse, ends[0]) if ends[0] is not None else None)
            self.finally_depth -= 1
            return None if _merge(*ends) is None else CLOSED
        catching = any(catches_everything(handler, self.in_coroutine, self.qualified) for handler in node.handlers)
        # A factory's handler that releases it (``except OSError: sock.close(); raise``) is its
        # cleanup for what the ``try`` does with it: followed like one that catches everything.
        catching = catching or (self.inputs_only and any(_touches(handler.body, resource.releases) for handler in node.handlers))
        catching_os_errors = any(map(_catches_os_error, node.handlers))
        raised_before = self.raise_points
        self.catching_depth += catching
        self.os_error_depth += catching_os_errors
        body_end = self.block(node.body, state)
        self.catching_depth -= catching
        self.os_error_depth -= catching_os_errors
        # The handlers run after something raised: held there only if it was held where it raised.
        raised_holding = OPEN if self.exceptions and self.raise_points > raised_before else None
        handler_entry = _merge(None if state == OPEN else state, raised_holding)
        self.handler_depth += 1
        ends = [self.block(handler.body, handler_entry) for handler in node.handlers]
        self.handler_depth -= 1
        ends.append(self.block(node.orelse, body_end) if body_end is not None else None)
        end = _merge(*ends)
        return self.block(node.finalbody, end) if end is not None else None


def _release_flags(body: list[ast.stmt], releases: set[int]) -> dict[str, bool]:
    """Names the function sets to a constant right after a release (``os.close(fd);
    fd_closed = True``), with that constant: testing them tests whether it is released."""
    flags = {}
    for block in _blocks(body):
        for statement, following in zip(block, block[1:]):
            if (
                isinstance(following, ast.Assign) and len(following.targets) == 1
                and isinstance(following.targets[0], ast.Name)
                and isinstance(following.value, ast.Constant) and isinstance(following.value.value, bool)
                and _touches([statement], releases)
            ):
                flags[following.targets[0].id] = following.value.value
    return flags


def _true_after(test: ast.expr, preceding: ast.stmt | None) -> bool:
    """Whether a ``while`` test holds right after ``preceding``: ``while not err:`` after
    ``err = None`` (or ``False``, ``0``, ``""``) runs its body at least once, and leaves
    only from a round, never with what it held on entry."""
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name)):
        return False
    return (
        isinstance(preceding, ast.Assign) and len(preceding.targets) == 1
        and isinstance(preceding.targets[0], ast.Name) and preceding.targets[0].id == test.operand.id
        and isinstance(preceding.value, ast.Constant) and not preceding.value.value
    )


def _merge(*states: int | None) -> int | None:
    present = [state for state in states if state is not None]
    if not present:
        return None
    if OPEN in present:
        return OPEN
    return NOT_YET if NOT_YET in present else CLOSED


def _catches_os_error(handler: ast.ExceptHandler) -> bool:
    """``except OSError:`` (or its old names ``IOError``, ``EnvironmentError``), alone or in a tuple."""
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(kind, ast.Name) and kind.id in OS_ERRORS for kind in kinds)


def _writes_to(node: ast.AST, name: str | None) -> bool:
    """``f.write(data)``, ``proc.stdin.write(data)``, ``sock.sendall(data)``: a write to the
    resource held in ``name`` or to one of its streams."""
    if name is None or not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr not in WRITE_METHODS:
        return False
    target = node.func.value
    while isinstance(target, ast.Attribute):
        target = target.value
    return isinstance(target, ast.Name) and target.id == name


def _walk(body: list[ast.stmt]):
    """Every node of ``body``'s statements: the engine's lean walk (no operator or context
    nodes, which no search here looks for)."""
    for statement in body:
        yield from walk(statement)


def _touches(body: list[ast.stmt], ids: set[int]) -> bool:
    return any(id(node) in ids for node in _walk(body))


def _own_nodes(root: ast.AST):
    """The nodes of a simple statement or an expression, lambdas' bodies left out."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _first_raising(nodes, in_fixture: bool = False) -> ast.AST | None:
    """The first node that can raise: a call, an await, a subscript read (``d[k] += 1`` reads
    too), ``raise``, ``assert``, a yield (not in a pytest fixture: pytest resumes it after the
    test, whatever the outcome)."""
    found = None
    for node in nodes:
        if in_fixture and isinstance(node, (ast.Yield, ast.YieldFrom)):
            continue
        if isinstance(node, ast.Call):
            if (
                _does_not_raise(node.func) or _makes_empty(node) or _reads_view(node) or _joins_strings(node)
                or _encodes_text(node) or _recases_text(node)
            ):
                continue
        elif isinstance(node, ast.Subscript):
            if isinstance(node.ctx, ast.Store):
                continue
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
            node = node.target
        elif not isinstance(node, (ast.Await, ast.Raise, ast.Assert, ast.Yield, ast.YieldFrom)):
            continue
        if found is None or (node.lineno, node.col_offset) < (found.lineno, found.col_offset):
            found = node
    return found


def _read_before(body: list[ast.stmt], seen: frozenset = frozenset()) -> set[int]:
    """ids of subscripts ``name[constant]`` read again after the function read them: an
    earlier simple statement (an assignment, an expression, a ``return``, evaluated whole) of
    the same block or of a block around the later read read the same key of the same name,
    so it was there, and nothing since rebinds the name or takes entries out of it (``del
    name[k]``, ``name.pop(...)``, ``.clear()``, a call given ``name`` itself). The second read
    (in a log line of an ``except`` clause: ``port['host']``) raises nothing the first did not.
    A read in a branch, a short-circuit or a nested scope does not count as done."""
    quiet: set[int] = set()
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue  # runs later, or apart
        simple = isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Return))
        # A block's statement with nothing read before it has nothing a change could undo:
        # not walked (its blocks are, below).
        changed = _changed_names(statement) if seen or simple else frozenset()
        seen = frozenset(item for item in seen if item[0] not in changed)
        for node in _evaluated(statement):
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _key_read(node) in seen:
                quiet.add(id(node))
        for block in child_blocks(statement):
            quiet |= _read_before(block, seen)
        if simple:
            seen |= {
                key for node in _evaluated(statement, whole=True)
                if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
                and (key := _key_read(node)) is not None and key[0] not in changed
            }
    return quiet


def _key_read(node: ast.Subscript) -> tuple[str, object] | None:
    """``("port", "host")`` for ``port["host"]``: a name's item at a constant key."""
    if isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant):
        return node.value.id, node.slice.value
    return None


def _evaluated(statement: ast.stmt, whole: bool = False):
    """The nodes of ``statement`` itself (not of its blocks, nor of nested scopes); ``whole``:
    only those evaluated whenever it completes (not under ``and``/``or``, ``x if c else y``,
    a comprehension's loops)."""
    skipped = (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    if whole:
        skipped += (ast.BoolOp, ast.IfExp, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    blocks = {id(item) for block in child_blocks(statement) for item in block}
    stack = [child for child in ast.iter_child_nodes(statement) if id(child) not in blocks]
    while stack:
        node = stack.pop()
        if isinstance(node, skipped):
            continue
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if id(child) not in blocks)


def _changed_names(statement: ast.stmt) -> set[str]:
    """Names ``statement`` (its blocks included) rebinds, deletes items of, empties or hands to
    a call: what was read of them before may be gone."""
    changed = set()
    for node in walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            changed.add(node.id)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Del) and isinstance(node.value, ast.Name):
            changed.add(node.value.id)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr not in _READING_METHODS:
                changed.add(func.value.id)
            changed |= {arg.id for arg in (*node.args, *(item.value for item in node.keywords)) if isinstance(arg, ast.Name)}
    return changed


_READING_METHODS = frozenset({"get", "keys", "items", "values", "copy", "count", "index", "__contains__", "format"})


def _bounded_empty_deque(call: ast.Call) -> bool:
    """``deque([], self.MAXLEN)``, ``deque(maxlen=n)``: an empty deque given its bound, read as
    it is (a name, an attribute, a constant). Only a bound of the wrong type or sign fails: a
    bug in the code, not a failure of the moment that leaves a resource behind."""
    if len(call.args) > 2 or any(keyword.arg not in ("iterable", "maxlen") for keyword in call.keywords):
        return False
    items, bound = argument(call, 0, "iterable"), argument(call, 1, "maxlen")
    return (
        (items is None or (isinstance(items, (ast.List, ast.Tuple)) and not items.elts))
        and (bound is None or isinstance(bound, (ast.Name, ast.Attribute, ast.Constant)))
        and len(call.args) + len(call.keywords) == (items is not None) + (bound is not None)
    )


def _makes_empty(call: ast.Call) -> bool:
    """``dict()``, ``[]``'s spelling ``list()``, a sentinel ``object()``."""
    return isinstance(call.func, ast.Name) and call.func.id in EMPTY_MAKERS and not call.args and not call.keywords


def _reads_view(call: ast.Call) -> bool:
    """``env.items()``, ``.keys()``, ``.values()``: a mapping's view, read with nothing."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in MAPPING_VIEWS and not call.args and not call.keywords


def _never_connects(resource: Resource, function: FunctionNode, qualified: Callable[[ast.expr], str | None]) -> bool:
    """Whether ``resource`` is a client that connects lazily (``LAZY_CLIENTS``), made here,
    and that nothing of ``function`` connects (``session = requests.Session()`` only to read
    its default headers): it holds nothing of the OS to release."""
    opening = opening_methods(resource.acquire.factory, resource.acquire.call, qualified)
    if opening is None or resource.name is None:
        return False
    return not any(sends_through(node, resource.name, opening) for node in walk(function))


def sends_through(node: ast.AST, client: str, opening: frozenset[str]) -> bool:
    """Whether ``node`` may connect the lazy client ``client`` (a name, or ``self.attr``): one
    of its ``opening`` methods (``session.get(url)``, ``ssh.connect(host)``), or the client
    handed to a call, which may use it. Setting it up (``session.mount(prefix, adapter)``,
    ``session.headers.update(...)``, ``ssh.set_missing_host_key_policy(policy)``) connects nothing."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and _spells(func.value, client):
        return func.attr in opening
    given = [*node.args, *(item.value for item in node.keywords)]
    return any(_spells(item, client) for item in given)


def _spells(node: ast.expr, client: str) -> bool:
    """Whether ``node`` is the name ``client`` or, for ``self.attr``, that attribute."""
    if isinstance(node, ast.Name):
        return node.id == client
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and f"{node.value.id}.{node.attr}" == client


def _fills_own_container(call: ast.Call, name: str | None) -> bool:
    """``session.headers.update({...})``: what a factory made getting its own settings filled
    in (headers, cookies, options), bookkeeping that fails only on a bug; unlike what it
    does with the world (``sock.connect(address)``, ``proc.stdin.write(data)``)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute) and func.attr in CONTAINER_FILLS and isinstance(func.value, ast.Attribute)
        and isinstance(func.value.value, ast.Name) and func.value.value.id == name
    )


def _keeps_books(call: ast.Call) -> bool:
    """``errors.append(exc)``, ``tried.add(address)`` on a plain name: a factory noting what
    happened in a collection (the standard library's ``create_connection`` keeps the errors of
    the addresses it tried), which fails only on a bug."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in BOOKKEEPING and isinstance(func.value, ast.Name)


def _seeks_itself(call: ast.Call, name: str | None) -> bool:
    """``f.seek(start)`` on the file a factory has just opened: placing it where its reader
    starts fails only for a position of the wrong type or sign, a bug, like filling in its
    own settings (a range request's file handed to the response, a segment's file returned)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute) and func.attr == "seek" and isinstance(func.value, ast.Name)
        and func.value.id == name
    )


def _recases_text(call: ast.Call) -> bool:
    """``name.lower()``, ``line.strip()``: a method that only changes a string's case or
    trims its whitespace, called with nothing, fails on no string (on another type it is a
    bug in the code, not a failure of the moment that leaves a resource behind)."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in TEXT_RECASINGS and not call.args and not call.keywords


def _joins_strings(call: ast.Call) -> bool:
    """``" ".join(f"{k}={v}" for k, v in pairs)``: a literal separator joining strings written
    in the code (f-strings, literals), a list or tuple of them or one made per item: joining
    strings does not fail (what the items are computed from is judged on its own)."""
    func = call.func
    if not (
        isinstance(func, ast.Attribute) and func.attr == "join" and _is_text(func.value)
        and len(call.args) == 1 and not call.keywords
    ):
        return False
    items = call.args[0]
    if isinstance(items, (ast.List, ast.Tuple)):
        return all(map(_is_text, items.elts))
    return isinstance(items, (ast.ListComp, ast.GeneratorExp)) and _is_text(items.elt)


def _encodes_text(call: ast.Call) -> bool:
    """``f"push:{name}".encode()``, ``str.encode(URL.format(project=p))``: text the code
    writes (a literal, an f-string, a template it fills in, strings it joins) encoded to
    UTF-8 (the default, or named), with the default error handler: every ``str`` made so
    encodes (what the text is computed from is judged on its own)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "encode") or call.keywords:
        return False
    arguments = list(call.args)
    if isinstance(func.value, ast.Name) and func.value.id == "str":
        if not arguments:
            return False
        text = arguments.pop(0)
    else:
        text = func.value
    if arguments and not (
        len(arguments) == 1 and isinstance(arguments[0], ast.Constant)
        and str(arguments[0].value).lower().replace("-", "").replace("_", "") == "utf8"
    ):
        return False
    return _is_text(text) or (
        isinstance(text, ast.Call) and (
            (isinstance(text.func, ast.Attribute) and text.func.attr == "format" and _does_not_raise(text.func))
            or _joins_strings(text)
        )
    )


def _is_text(expr: ast.expr) -> bool:
    """A string literal or an f-string."""
    return isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str))


def _does_not_raise(func: ast.expr) -> bool:
    """``isinstance(...)``, ``len(...)``...; ``self.addCleanup(...)`` (it only records the
    callback); a template fixed in the code filled in (``"{}:{}".format(host, port)``,
    ``self.URL_PATTERN.format(...)``: a literal or a constant's name), like an f-string.
    Log calls, clock reads, ``sys.audit`` and empty ``collections`` containers are among
    the ``quiet_calls`` the walk records."""
    if isinstance(func, ast.Name):
        return func.id in NON_RAISING_BUILTINS
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "format":
        template = func.value
        if isinstance(template, ast.Constant):
            return isinstance(template.value, str)
        name = last_name(template)
        return name is not None and name.isupper()
    return func.attr in CLEANUP_RECORDERS


def _cause(node: ast.AST) -> str:
    if isinstance(node, (ast.Yield, ast.YieldFrom)):
        return f"an exception thrown into the yield at line {node.lineno}"
    return f"an exception at line {node.lineno}"


def short_code(node: ast.AST) -> str:
    """The code of ``node`` for a message, on one line and cut to a readable length."""
    return _short(ast.unparse(node))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT else text[: _TEXT - 3] + "..."
