"""OOM403: an uploaded file or a request body read whole into memory."""

from __future__ import annotations

import ast
import functools

from oomlint.core.rule import Rule
from oomlint.python.astutil import ORDERINGS, handed_call, is_none
from oomlint.python.children import walk
from oomlint.python.project import request_hook_decorators
from oomlint.python.runs import runs_of
from oomlint.python.semantic import ANNOTATED, ATTRIBUTE, LOG_METHODS, Scope
from oomlint.python.web import (
    AIOHTTP, ASGI, ASGI_MARKER, ASGI_RECEIVE, BODY_CALLBACK_SERVERS, BODY_LIMITS, DEFAULT_LIMITS, DJANGO, FLASK,
    SETTINGS, STARLETTE, STREAMED_UPLOADS, WEB_LIBRARIES, WebInputs, admins_only, asgi_body_chunk, body_callback, limits_nothing,
    module_callee, names_flask_limit, reads_size, serves_admins,
)
from oomlint.rules.python._images import CheckedFirst, shorten

# Request methods that return the whole body.
BODY_READS = {("get_data", FLASK), ("body", STARLETTE), ("read", AIOHTTP)}
READS = frozenset(method for method, _ in BODY_READS)
# Request attributes that hold the whole body: Flask's ``request.data`` is ``get_data()``.
BODY_ATTRIBUTES = {("data", FLASK)}
# Django's ``request.body``: read whole on first access, within ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
DJANGO_BODY = "body"
# Frameworks that keep the body they read (Werkzeug's ``get_data()`` caches it, Starlette's
# ``body()`` and aiohttp's ``read()`` too): a second read of the same request is the same bytes.
KEPT_BODIES = frozenset({FLASK, STARLETTE, AIOHTTP})
# A raw WSGI application's request body: ``environ["wsgi.input"]``. A size the client declares
# (the ``CONTENT_LENGTH`` or another header, a chunk-size line read from the input itself)
# bounds nothing: ``read(int(environ["CONTENT_LENGTH"]))`` is the whole body.
WSGI, WSGI_INPUT = "WSGI", "wsgi.input"
NUMBERS = frozenset({"builtins.int", "builtins.float"})
# ``upload.stream.read()`` (Werkzeug), ``upload.file.read()`` (Starlette, Django): the file under the upload.
UNDERLYING_FILES = frozenset({"stream", "file"})
# FastAPI's marker of a file parameter: declared ``bytes`` (or ``list[bytes]``), the whole
# upload is read into memory before the function runs; an ``UploadFile`` streams.
FILE_MARKERS = frozenset({"fastapi.File", "fastapi.params.File", "fastapi.param_functions.File"})
BYTES = "builtins.bytes"
# What parses a request body as a document, JSON or XML: the read's value given to a
# parser, or the same request parsed (``await request.json()``, Flask's ``get_json()`` and
# ``json``). A document is parsed whole, like the JSON bodies the frameworks parse.
DOCUMENT_PARSERS = frozenset(
    {
        "json.loads", "orjson.loads", "ujson.loads", "simplejson.loads", "rapidjson.loads", "msgspec.json.decode",
        "xmltodict.parse", "xml.etree.ElementTree.fromstring", "xml.etree.ElementTree.XML",
        "defusedxml.ElementTree.fromstring", "lxml.etree.fromstring", "lxml.etree.XML",
    }
)
JSON_VALIDATING_METHODS = frozenset({"model_validate_json", "parse_raw", "validate_json"})  # pydantic
# What keeps nothing of the bytes it is given: a digest or a MAC over them, a constant-time
# comparison, the signature checks of webhook senders' libraries (Stripe's parses the JSON
# too; mohawk's ``Receiver`` checks a Hawk MAC as it is made).
DIGESTS = frozenset({"hmac.new", "hmac.digest", "hmac.HMAC", "hmac.compare_digest", "secrets.compare_digest"})
DIGEST_MODULE = "hashlib."
SIGNATURE_CHECKS = frozenset({"stripe.Webhook.construct_event", "stripe.WebhookSignature.verify_header", "mohawk.Receiver"})
# Classes whose instances verify a signature over the bytes their methods are given.
VERIFIERS = frozenset(
    {
        "slack_sdk.signature.SignatureVerifier", "slack.signature.SignatureVerifier", "standardwebhooks.Webhook",
        "standardwebhooks.webhooks.Webhook", "svix.Webhook", "svix.webhooks.Webhook", "nacl.signing.VerifyKey",
    }
)
# What hands on the bytes it is given as a text or a copy: ``body.decode()``, ``"{}".format(body)``, ``str(body)``.
PASSING_METHODS = frozenset({"decode", "encode", "strip", "format"})
PASSING_CALLS = frozenset({"builtins.str", "builtins.bytes"})
# The classes of the logging package whose methods are given a record to fill or format.
LOGGING_PACKAGE = "logging."
JSON_OF_REQUEST = frozenset({"json", "get_json"})
UPLOAD, BODY = "upload", "request body"
WHOLE_READ = ".read()"
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
CHECK_FIRST = "check its size first or read it in bounded chunks"
STREAM_INSTEAD = "declare it UploadFile and read it in bounded chunks"
STOP_OR_SPILL = "stop once what is kept passes a size limit, or write the chunks to a file"
# What hands out an upload's or a body's chunks: Starlette's ``request.stream()``, Django's
# ``upload.chunks()``, aiohttp's ``request.content.iter_chunked(n)``/``iter_any()``/``iter_chunks()``
# (aiohttp's ``client_max_size`` bounds ``read()``, not its stream).
CHUNK_ITERATORS = frozenset({"stream", "chunks", "iter_chunked", "iter_any", "iter_chunks"})
AIOHTTP_STREAM = "content"
# Where chunks are kept in memory: ``body += chunk``, ``parts.append(chunk)``,
# ``buffer.extend(chunk)``, ``io.BytesIO().write(chunk)`` (a file on disk streams).
KEEPING_METHODS = frozenset({"append", "extend", "write"})
IN_MEMORY = frozenset({"io.BytesIO", "io.StringIO", "builtins.bytearray", "builtins.list", "builtins.bytes"})




class UnboundedUploadRead(CheckedFirst, Rule):
    """
    ## What it does
    Flags an uploaded file or a request body read whole into memory with no size bound:

    - Flask/Werkzeug: `request.files[...].read()` (also through `.get(...)`, a name, a
      loop over `getlist(...)`/`values()`, or `.stream.read()`), `request.stream.read()`,
      `request.get_data()` and `request.data` (the same whole body), where `request` is `flask.request` or a parameter
      annotated `flask.Request`/`werkzeug.Request`; `.read()` of a parameter annotated
      `FileStorage`;
    - Django: `request.FILES[...].read()` (any `.FILES` in a module that imports Django
      or Django REST framework) and `.read()` of a parameter annotated `UploadedFile`,
      `InMemoryUploadedFile` or `TemporaryUploadedFile`; `request.body` (a parameter
      named `request` in such a module) only when a module of the project raises
      `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB unless set, the bound of `request.body`)
      above 32 MiB or sets it to `None`;
    - FastAPI/Starlette: `await file.read()` (or `file.file.read()`) on a parameter
      annotated `UploadFile` (also `UploadFile | None`, `Annotated[UploadFile, File()]`,
      one item of `list[UploadFile]`) or on an item of `await request.form()`, and
      `await request.body()`, where `request` is annotated `fastapi.Request` or
      `starlette.requests.Request`; a parameter FastAPI fills with a file declared
      `bytes` (`file: bytes = File(...)`, `Annotated[bytes, File()]`, `list[bytes]`,
      `bytes | None`), reported at the parameter: FastAPI reads the whole upload into
      memory before the function runs, so no check in the function can help (an
      `UploadFile` streams: it is read when and as much as the function asks);
    - WebOb (Pecan, Pyramid): `.file.read()` of a form field of `request.POST`
      (`request.POST["file"]`, `.get("file")`), the upload (other fields are text), where
      `request` is `pecan.request`, a parameter annotated
      `webob.Request` or `pyramid.request.Request`, or, in a module that imports Pyramid, a
      parameter named `request` or `self.request` (WebOb sets no limit on an upload;
      `request.body` is the request's document, which `json_body` parses, not flagged);
    - a raw WSGI application: `environ["wsgi.input"].read()` (any name for the environ,
      or a name bound to its input, whatever the module imports), also given a size the
      client declares: `int(environ["CONTENT_LENGTH"])`, another header (`HTTP_...`), a
      chunk size read from the input itself with `readline()`: the client sends that
      much;
    - aiohttp: `await request.read()` where `request` is annotated `web.Request` (or
      `BaseRequest`), or is an unannotated parameter named `request` of an `async def`
      in a module that imports aiohttp, and `.file.read()` of a file of `await
      request.post()`, only when the module switches aiohttp's own limit off
      (`client_max_size` given `0`, `None`, `False` or an infinite value such as
      `sys.maxsize` or `math.inf`, in `web.Application(...)` or any call) or a module of
      the project raises it above 32 MiB (pyaleph's `client_max_size=1024**2 * 64` in
      the module that makes the app). Otherwise `read()` raises 413 above
      `client_max_size`, 1 MiB unless set;
    - Bottle: `.file.read()` of an upload from `bottle.request.files` (`.get(...)`, a
      name): Bottle spools uploads to disk and sets no limit.

    Quart's uploads are not flagged (Quart rejects bodies above 16 MiB unless
    `MAX_CONTENT_LENGTH` is raised), nor are Tornado's, Sanic's and Streamlit's: those
    frameworks hold the whole body in memory before the handler runs, within their own
    limits (`max_body_size`, `REQUEST_MAX_SIZE`, `server.maxUploadSize`), so a read
    copies what is already there. Their images are still untrusted for OOM401.

    Read in chunks, an upload or a body is read whole all the same when every chunk is
    kept in memory: added to a `b""`, `""`, list, `bytearray` or `io.BytesIO()` that a
    local name or an attribute of the instance holds (`body += chunk`,
    `parts.append(chunk)`, `buffer.extend(chunk)`, `assembled.write(chunk)`), for the
    chunks of Starlette's `request.stream()`, Django's `upload.chunks()`, aiohttp's
    `request.content.iter_chunked(n)`/`iter_any()`/`iter_chunks()` (`client_max_size` does
    not bound the stream), the `body` of each message a raw ASGI application's `receive()`
    returns (`message.get("body", b"")` in a function given `scope, receive, send`,
    whatever the module imports: uvicorn sets no limit on a body) or of a bounded `read(n)`
    of an upload or a body in a `while` loop. Not when the loop compares a size or a count (`if len(body) > MAX_BYTES: raise ...`), when the size was checked before,
    nor when the chunks go to a file, a hash or anything else that does not keep them.

    So is a request body that a server hands to a method of the application one chunk
    per call, with no limit of its own, when the method keeps every chunk on the
    instance (`self.body += chunk`, `self.parts.append(chunk)`, on an attribute bound to
    one of those containers): thor's `exchange.on("request_body", self.request_body)`,
    httptools' `on_body(self, body)` of the object given to `HttpRequestParser(self)`
    (not `HttpResponseParser`: a response's body is the client's). Not when the method
    compares a size or a count.

    An upload handed to a function or method of the same module (`save_file(upload)`,
    `self.store(upload.file)`, through up to three calls that pass it on) is read whole
    where that function reads its parameter with no size (`file_obj.read()`), unless
    the caller checked the size before the call. So is one handed to a function of
    another module of the project (`storage.store(name, request.FILES["file"])`, also
    through functions that pass it on), reported in that module, which need not import
    a web framework: the project index records, per call, the arguments that are uploads
    whose size the caller did not check, as this rule classifies them.

    A request body that is a JSON or XML document is not flagged: its value (or a slice
    of it) is parsed as one (`json.loads`, `orjson.loads`, `ujson.loads`,
    `simplejson.loads`, pydantic's `model_validate_json`, `parse_raw`, `validate_json`;
    `xmltodict.parse`, ElementTree's, defusedxml's and lxml's `fromstring`), or the same request is
    (`await request.json()`, Flask's `request.get_json()` or `request.json`, another
    read of its body given to one of those parsers) on the same path, before or after
    the read (not in a branch that excludes it, as
    `if request.is_json: return request.get_json()` does). A webhook reads it whole to
    check its signature over the raw bytes, then parses it. The frameworks hold every
    JSON body whole to parse it (FastAPI for each endpoint that declares a body model,
    Flask's `get_json()`, Django's `request.body`), and cache it: the raw read adds
    nothing, and what bounds it is the app's limit on every request (`max_body_size`,
    `MAX_CONTENT_LENGTH`, the server or proxy in front), not a check at this line.
    An XML request (an autodiscover or SOAP endpoint) is a document of the same kind: it is
    parsed whole wherever it is read, and the app's limit is what bounds it.
    Uploaded files are flagged all the same: the frameworks spool them to disk, so
    reading one whole is the line's own doing.

    Nor is a request body that the code only checks: every use of what was read (through
    the names it is bound to, `.decode()`, a slice, an f-string or `.format()`, either
    branch of a conditional) is a test or a comparison, a document parser, a digest, a
    MAC or a constant-time comparison (`hashlib`, `hmac.new`, `hmac.compare_digest`, a
    digest's `update()`), a webhook sender's signature check (Stripe's
    `Webhook.construct_event`, Slack's `SignatureVerifier`, `standardwebhooks`' and Svix's
    `Webhook`, mohawk's `Receiver`, PyNaCl's `VerifyKey`), a logger's call, a field of the log
    record that a `logging.Filter`, `Formatter` or `Handler` subclass fills, or a parameter
    of a function of the module whose uses are such checks. A webhook verifies the sender's
    signature over the raw bytes, an app logs each request's body: nothing of it is kept
    beyond the request, which the framework holds whole for every JSON or form endpoint
    anyway; the bound is the app's (`MAX_CONTENT_LENGTH`, the server). A body that goes
    anywhere else (forwarded, stored, decoded and searched, returned, verified by an object
    the rule does not know) is reported, at its first read in the function, when any read
    of it does.

    A request body read again in the same function (`request.data` tested, then
    decoded) is one finding, at its first read: Flask, Starlette and aiohttp keep the
    body they read, so the later reads hold nothing more, and one limit fixes them all.

    ## Why is this bad?
    `read()` with no size holds the whole upload in memory, as one `bytes` object (and
    often a second copy once it is decoded or wrapped in `BytesIO`). A client decides
    how large that is: one multi-gigabyte request, or many ordinary large ones at once,
    and the worker is OOM-killed. The image-upload gateway's validator read every
    upload whole before decoding it; its fix was to stream uploads in bounded chunks
    and reject above a size limit.

    ## Known limits
    A parameter annotated with a union of one of these types and other types
    (`bytes | BinaryIO | UploadFile`, or a loop item of `list[UploadFile | str]`;
    `None` does not count) is taken for an upload or a request only where
    `isinstance(name, T)` holds, `T` being such a type or a tuple of them: in the
    branch of an `if` or a conditional expression whose test is that call, or has it
    as one operand of `and`. Elsewhere it may be any of the other types, so a read
    after `if not isinstance(...): return` or `assert isinstance(...)` is not flagged.

    Silent when a size is passed (`read(limit)`, so loops reading bounded chunks too;
    `read(-1)` and `read(None)` still read everything), when a condition before the
    read in the same function checks the size (not for FastAPI's `bytes` parameters,
    read before any check) (`upload.size`, `content_length`, the
    `Content-Length` header, Django's `upload.multiple_chunks()`), and, for Flask and
    Werkzeug, when the module sets `MAX_CONTENT_LENGTH` (`app.config[...]`,
    `config.update(...)`, a config class attribute) or `max_content_length` to
    something other than `None` or an infinite value, and for FastAPI and Starlette
    (uploads, bodies and `bytes = File()` parameters) when the module passes
    `max_body_size` (`FastAPI(...)`, `Starlette(...)`, a router or a route) something
    other than `None` or an infinite value: the framework then rejects larger
    requests itself. So does such a limit that another module of the same top-level
    package sets (the app's configuration: `MAX_CONTENT_LENGTH` in a config module or
    class, `app.config[...]` in the app factory; not a test's; another package may be
    another app), but only where nothing conditions it: a limit set under an `if`
    (Indico's `if config.MAX_UPLOAD_FILES_TOTAL_SIZE > 0:`, whose default is 0) may be
    off. A module at the project's top level, in no package, counts its own limit only.

    A method called on an object (`archive.add(upload)`) is not followed into another
    module, nor an upload a project class spools or assembles first and reads later.

    Other `.read()` calls are not flagged: the object must be known to be an upload or
    a request. Nor are reads in functions that serve administrators only (decorated
    `@admins_only`, `@staff_member_required`, `@superuser_required`..., a method of a
    Django `ModelAdmin`, or of a view whose `permission_classes` hold `IsAdminUser`; a
    route of a blueprint or application whose hook run before each request is so
    decorated, `@policy_blueprint.before_request` over `@admin_required`, in any module
    of the project): what an administrator uploads is the operator's own data. Nor in a private function
    (`_upload_image`) that only such views of the module call; a view registered with a
    permission that names administrators (Pyramid's
    `@view_config(permission=Permissions.AdminSponsorsWrite)`) is one of them.

    ## Example
    ```python
    from fastapi import FastAPI, UploadFile

    app = FastAPI()

    @app.post("/avatars")
    async def upload_avatar(file: UploadFile):
        data = await file.read()
        store(data)
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI, HTTPException, UploadFile

    app = FastAPI()
    CHUNK = 64 * 1024
    MAX_BYTES = 10 * 1024 * 1024

    @app.post("/avatars")
    async def upload_avatar(file: UploadFile):
        if file.size is None or file.size > MAX_BYTES:
            raise HTTPException(413)
        with open(destination(file), "wb") as out:
            while chunk := await file.read(CHUNK):
                out.write(chunk)
    ```
    With Django iterate `upload.chunks()`; with Flask set `MAX_CONTENT_LENGTH` and
    `save()` the upload or read it in chunks; with aiohttp keep a finite
    `client_max_size`, or read `request.content` in chunks.

    ## Options
    None.

    ## Fix
    None: where the data should go instead is a design decision.

    ## References
    - [Django: handling uploaded files (use chunks() instead of read())](https://docs.djangoproject.com/en/stable/topics/http/file-uploads/#handling-uploaded-files)
    - [Flask: MAX_CONTENT_LENGTH](https://flask.palletsprojects.com/en/stable/config/#MAX_CONTENT_LENGTH)
    - [FastAPI: UploadFile](https://fastapi.tiangolo.com/tutorial/request-files/#uploadfile)
    - [aiohttp: BaseRequest.read and multipart](https://docs.aiohttp.org/en/stable/web_reference.html#aiohttp.web.BaseRequest.read)
    - [aiohttp: Application's client_max_size](https://docs.aiohttp.org/en/stable/web_reference.html#aiohttp.web.Application)
    """

    code = "OOM403"
    # Silent until the module imports one, or reads WSGI's input, or (in a project) reads
    # something whole: a parameter that callers in other modules give an upload.
    required_text = (*sorted(WEB_LIBRARIES | BODY_CALLBACK_SERVERS), WSGI_INPUT, ASGI_MARKER, WHOLE_READ)
    symbol = "unbounded-upload-read"
    summary = "Uploaded file or request body read whole into memory"
    message = (
        "{read} reads the whole {what} into memory with no size limit; {remedy}"
    )

    LIBRARIES = WEB_LIBRARIES | BODY_CALLBACK_SERVERS
    # Which uploads callers in other modules give a helper, and the project's hooks that
    # run before a blueprint's requests (an administrators' check).
    asks_callers = True

    def __init__(self, context, options):
        super().__init__(context, options)
        self.request_hooks = functools.partial(request_hook_decorators, context)
        """What the project's hooks before a blueprint's requests require (an administrator)."""
        self.unbounded: dict[ast.Call | ast.Attribute, tuple[str, str, ast.AST | None]] = {}
        """Reads with no size (calls, or ``request.data``): ``(framework, what, function)``."""
        self.parsed_as_json: set[ast.AST] = set()
        """What the module's JSON parsers are given (see ``_reads_of``)."""
        self.whole_parameters: list[ast.arg] = []
        self.limited = {framework: limit.on_by_default for framework, limit in BODY_LIMITS.items()}
        self.inputs = WebInputs(self.model)
        self.raw_server = WSGI_INPUT in context.source or ASGI_MARKER in context.source
        """The module reads ``environ["wsgi.input"]`` or awaits ASGI's ``receive()``: a WSGI or
        an ASGI application whatever it imports."""
        self.relevant = self.raw_server
        self.parameter_reads: list[tuple[ast.Call, ast.AST | None, str]] = []
        """Whole reads of a parameter not known to be an upload: the call, its function, the parameter."""
        self.calls: dict[ast.AST, list[tuple[ast.AST | None, dict[str, str | None], bool]]] = {}
        """Calls of the module's own functions: per callee, the caller, the parameters given
        an upload (``None``) or the caller's parameter passed on, and whether the caller
        checked a size before the call."""
        self.called_by_admins: dict[ast.AST, list[bool]] = {}
        self.kept_chunks: list[tuple[ast.AST, ast.AST, str, str, str, ast.AST | None]] = []
        """Chunks of an upload or a body kept in memory: the statement, the loop that reads
        them, the framework, what, the source's text, the function."""
        self.kept_arguments: list[tuple[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef, ast.ClassDef]] = []
        """What a method keeps in memory of its first argument (``self.body += chunk``): the
        statement, the method, its class; a chunk of a request's body where a server calls
        the method with each (``body_callbacks``)."""
        self.body_callbacks: dict[tuple[ast.ClassDef, str], str] = {}
        """The methods a server is given to call with each chunk of a request's body: the
        server, per class and method name."""
        self.ordered_tests: list[ast.expr] = []
        """The tests that compare sizes or counts (``len(body) > limit``): a loop holding one
        stops somewhere."""
        self.tests: dict[ast.AST | None, list[ast.expr]] = {}
        """Outside a web module: the tests of each function's conditions so far, not yet
        judged (see ``_checked_before``)."""
        """Per function of the module called in it: whether each call serves administrators only."""

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        super().visit_Import(node)
        self.relevant = self.relevant or self.raw_server

    visit_ImportFrom = visit_Import

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        if not self.relevant or node.value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(names_flask_limit(target) for target in targets):
            self._note_limit(FLASK, node.value)

    visit_AnnAssign = visit_Assign

    def visit_If(self, node: ast.If | ast.While | ast.IfExp | ast.Assert) -> None:
        """A size check counts in any module of a project: its helpers read what other
        modules' callers give them. Outside a web module, the tests are judged only when
        the function reads a parameter whole (most never do)."""
        if self.relevant:
            super().visit_If(node)
            if self.reads(node.test, _orders):
                self.ordered_tests.append(node.test)
        elif self.context.project is not None:
            self.tests.setdefault(self.model.function, []).append(node.test)

    visit_While = visit_IfExp = visit_Assert = visit_If

    def visit_Call(self, node: ast.Call) -> None:
        if not self.relevant:
            func = node.func
            if (
                self.context.project is not None and isinstance(func, ast.Attribute) and func.attr == "read"
                and not _size_given(node) and not self._checked_before()
            ):
                self._note_parameter_read(node, func.value)
            return
        for item in node.keywords:
            framework = SETTINGS.get(item.arg.lower()) if item.arg else None
            if framework is not None:
                self._note_limit(framework, item.value)
        registered = body_callback(self.model, node)
        if registered is not None:
            owner, method, server = registered
            self.body_callbacks[owner, method] = server
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in KEEPING_METHODS and len(node.args) == 1:
            self._note_kept_chunk(node, func.value, node.args[0])
        if isinstance(func, ast.Attribute) and func.attr in READS and not self.checked_here and not admins_only(self.model, self.request_hooks):
            found = self._whole_read(node, func)
            if found is not None:
                self.unbounded[node] = (*found, self.model.function)
            elif func.attr == "read" and not _size_given(node):
                self._note_parameter_read(node, func.value)
        self._note_call(node)
        if node.args and (
            self.model.qualified_name(func) in DOCUMENT_PARSERS
            or (isinstance(func, ast.Attribute) and func.attr in JSON_VALIDATING_METHODS)
        ):
            self.parsed_as_json.update(self._reads_of(node.args[0]))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        """``body += chunk``, ``self.body += chunk``: see ``_note_kept_chunk``."""
        if self.relevant and isinstance(node.op, ast.Add) and isinstance(node.target, (ast.Name, ast.Attribute)):
            self._note_kept_chunk(node, node.target, node.value)

    def _note_kept_chunk(self, statement: ast.AST, keeper: ast.expr, chunk: ast.expr) -> None:
        """A chunk of an upload or a body (the loop's ``chunk`` of ``request.stream()`` or
        ``upload.chunks()``, or ``chunk := upload.read(65536)``) added to a local container
        that stays in memory: every chunk is kept, so the loop reads the whole thing, only
        slower. Judged at the end: a size test inside the loop bounds it. A method's first
        argument kept on the instance is a chunk where a server calls the method with each
        chunk of a request's body (see ``kept_arguments``)."""
        if self.checked_here or admins_only(self.model, self.request_hooks) or not self._in_memory(keeper):
            return
        if asgi_body_chunk(self.model, chunk):
            loop = self.model.enclosing(statement, (ast.While, ast.For, ast.AsyncFor))
            if loop is not None:
                self.kept_chunks.append((statement, loop, ASGI, BODY, f"{ASGI_RECEIVE}()", self.model.function))
            return
        if not isinstance(chunk, ast.Name):
            return
        binding = self.model.lookup(chunk.id)
        if binding is not None and binding.kind == "param" and isinstance(keeper, ast.Attribute):
            self._note_kept_argument(statement, binding.node)
            return
        if binding is None or binding.kind != "assign":
            return
        source = self._chunk_source(binding.node, chunk.id, binding.value)
        if source is not None:
            loop, framework, what, text = source
            self.kept_chunks.append((statement, loop, framework, what, text, self.model.function))

    def _note_kept_argument(self, statement: ast.AST, parameter: ast.AST) -> None:
        """``self.body += chunk`` in a method whose first argument (after ``self``) is ``chunk``."""
        method, owner = self.model.function, self.model.method_class
        positional = [*method.args.posonlyargs, *method.args.args] if method is not None else []
        if owner is not None and len(positional) > 1 and positional[1] is parameter:
            self.kept_arguments.append((statement, method, owner))

    def _in_memory(self, keeper: ast.expr) -> bool:
        """A local name, or an attribute of the instance, bound to ``b""``, ``""``, ``[]``,
        ``bytearray()``, ``io.BytesIO()``."""
        if isinstance(keeper, ast.Attribute):
            if not self.model.is_self(keeper.value):
                return False
        elif not isinstance(keeper, ast.Name) or self.model.lookup(keeper.id) is None:
            return False
        made = self.model.resolve(keeper)
        if made is keeper:
            return False
        if isinstance(made, ast.Constant):
            return isinstance(made.value, (bytes, str))
        if isinstance(made, ast.List):
            return True
        return isinstance(made, ast.Call) and self.model.qualified_name(made.func) in IN_MEMORY

    def _chunk_source(self, bound: ast.AST, name: str, value: ast.expr | None) -> tuple[ast.AST, str, str, str] | None:
        """``(loop, framework, what, text)`` when ``name`` holds one chunk of an upload or a
        request body: the target of a loop over a chunk iterator, or a bounded ``read(n)``
        of one in a ``while`` loop."""
        if isinstance(bound, (ast.For, ast.AsyncFor)) and isinstance(bound.target, ast.Name) and bound.target.id == name:
            iterator = bound.iter
            if not (isinstance(iterator, ast.Call) and isinstance(iterator.func, ast.Attribute)):
                return None
            method, receiver = iterator.func.attr, iterator.func.value
            if method not in CHUNK_ITERATORS:
                return None
            if method == "stream":
                found = (STARLETTE, BODY) if self.inputs.request(receiver) == STARLETTE else None
            elif method == "chunks":
                framework = self.inputs.upload(receiver)
                found = (framework, UPLOAD) if framework in STREAMED_UPLOADS else None
            else:
                found = (AIOHTTP, BODY) if self._aiohttp_stream(receiver) else None
            return (bound, *found, shorten(iterator, 40)) if found else None
        if isinstance(value, ast.Await):
            value = value.value
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "read"):
            return None
        loop = self.model.enclosing(value, ast.While)
        if loop is None or not _size_given(value):
            return None
        found = (AIOHTTP, BODY) if self._aiohttp_stream(value.func.value) else self._read_source(value.func)
        return (loop, *found, shorten(value, 40)) if found else None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Flask's ``request.data`` and Django's ``request.body``: the body read whole on
        first access, like ``get_data()`` (Django's within its limit: see ``_limited``)."""
        if not self.relevant or not isinstance(node.ctx, ast.Load):
            return
        if (node.attr, self.inputs.request(node.value)) in BODY_ATTRIBUTES:
            framework = FLASK
        elif node.attr == DJANGO_BODY and self.inputs.django_request(node.value):
            framework = DJANGO
        else:
            return
        if not self.checked_here and not admins_only(self.model, self.request_hooks):
            self.unbounded[node] = (framework, BODY, self.model.function)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """FastAPI's ``file: bytes = File()``: read whole before the function runs, so no
        check in it can help (walked where it is defined, before its body)."""
        if not self.relevant or serves_admins(node, self.model.class_def, self.request_hooks):
            return
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults = dict(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
        defaults.update(zip(arguments.kwonlyargs, arguments.kw_defaults))
        for parameter in (*positional, *arguments.kwonlyargs):
            annotation = parameter.annotation
            if annotation is not None and self._file_marked(annotation, defaults.get(parameter)) and self._bytes(annotation):
                self.whole_parameters.append(parameter)

    visit_AsyncFunctionDef = visit_FunctionDef

    def finish(self) -> None:
        reads_of: dict[tuple, list[ast.AST]] = {}
        for node, (framework, what, function) in self.unbounded.items():
            if what == BODY:
                reads_of.setdefault(_body(node, framework, function), []).append(node)
        # A body is checked when every read of it is: one that goes further is reported.
        checked = {body for body, reads in reads_of.items() if all(map(self._only_checked, reads))}
        reported = set()
        for node, (framework, what, function) in sorted(self.unbounded.items(), key=lambda item: _position(item[0])):
            if self._limited(framework, what) or self._serves_admins_only(function):
                continue
            if what == BODY:
                body = _body(node, framework, function)
                if body in checked or body in reported or self._json_body(node, function):
                    continue  # a kept body: a later read holds nothing more than the one reported
                reported.add(body)
            self.report(node, read=shorten(node, 60), what=what, remedy=CHECK_FIRST)
        for statement, loop, framework, what, text, function in self.kept_chunks:
            if (framework != AIOHTTP and self._limited(framework, what)) or self._serves_admins_only(function):
                continue
            if any(_inside(test, loop) for test in self.ordered_tests):
                continue  # the loop compares a size or a count: it stops somewhere
            self.report(statement, read=f"keeping every chunk of {text}", what=what, remedy=STOP_OR_SPILL)
        for statement, method, owner in self.kept_arguments:
            server = self.body_callbacks.get((owner, method.name))
            if server is None or any(_inside(test, method) for test in self.ordered_tests):
                continue  # not a body's chunks, or the method compares a size: it stops somewhere
            self.report(statement, read=f"keeping every chunk {server} gives {method.name}()", what=BODY, remedy=STOP_OR_SPILL)
        if self.parameter_reads and not (self._limited(FLASK) or self._limited(STARLETTE)):
            for node, function, parameter in self.parameter_reads:
                if (
                    self._passed_upload(function, parameter) or self._receives_upload(function, parameter)
                ) and not self._serves_admins_only(function):
                    self.report(node, read=shorten(node, 60), what=UPLOAD, remedy=CHECK_FIRST)
        if not self.whole_parameters or self._limited(STARLETTE):
            return
        for parameter in self.whole_parameters:
            declared = shorten(parameter, 60)
            self.report(parameter, read=f"File() for '{declared}'", what=UPLOAD, remedy=STREAM_INSTEAD)

    def _note_parameter_read(self, call: ast.Call, receiver: ast.expr) -> None:
        """``file_obj.read()`` (or ``file_obj.file.read()``) of a parameter: an upload
        read whole when the module's callers hand it one (see ``_passed_upload``)."""
        if isinstance(receiver, ast.Attribute) and receiver.attr in UNDERLYING_FILES:
            receiver = receiver.value
        if self.checked_here or admins_only(self.model, self.request_hooks) or not isinstance(receiver, ast.Name):
            return
        origin = self.inputs.origin(receiver)
        if origin.parameter == receiver.id and origin.untrusted is None:
            self.parameter_reads.append((call, self.model.function, receiver.id))

    def _note_call(self, call: ast.Call) -> None:
        """A call of a function or method of this module (or one an executor is given to
        run): which of its parameters are given an upload, or a parameter of the caller."""
        call = handed_call(self.model, call) or call
        callee, parameters = module_callee(self.model, call.func)
        if callee is None:
            return
        self.called_by_admins.setdefault(callee, []).append(admins_only(self.model, self.request_hooks))
        given: dict[str, str | None] = {}
        passed = [*zip(parameters, call.args), *((item.arg, item.value) for item in call.keywords if item.arg)]
        for parameter, value in passed:
            if isinstance(value, ast.Starred):
                break
            origin = self.inputs.origin(value)
            if origin.streamed_upload:
                given[parameter] = None
            elif origin.untrusted is None and origin.parameter:
                given[parameter] = origin.parameter
        if given:
            self.calls.setdefault(callee, []).append((self.model.function, given, self.checked_here))

    def _serves_admins_only(self, function: ast.AST | None) -> bool:
        """A private function of the module that only views serving administrators call
        (warehouse's ``_upload_image(image_name, request, form)`` of its admin views)."""
        callers = self.called_by_admins.get(function)
        return bool(callers) and getattr(function, "name", "").startswith("_") and all(callers)

    def _passed_upload(self, function: ast.AST | None, parameter: str, depth: int = 3) -> bool:
        """Whether a caller in the module hands ``function`` an upload for ``parameter``
        without checking its size first (following parameters passed on, ``depth`` calls
        up): the project's own ``save_file(upload)`` reads the upload it is given."""
        for caller, given, checked in self.calls.get(function, ()):
            if checked or parameter not in given:
                continue
            passed_on = given[parameter]
            if passed_on is None or (depth and self._passed_upload(caller, passed_on, depth - 1)):
                return True
        return False

    def _checked_before(self) -> bool:
        """Outside a web module: whether a test before, in the function, checks a size."""
        function = self.model.function
        if function not in self.checked and any(self.is_check(test) for test in self.tests.pop(function, ())):
            self.checked.add(function)
        return function in self.checked

    def _limited(self, framework: str, what: str = UPLOAD) -> bool:
        """The framework rejects larger bodies itself: the module sets its limit, or (for a
        limit that is off by default) a module of the project does, unconditionally (the
        app's configuration: ``MAX_CONTENT_LENGTH`` in a config class the routes' module
        never imports). A limit that is on by default (aiohttp's, Django's for a body)
        holds unless the module switches it off or a module of the project raises it
        (``ProjectIndex.raises_limit``): a limit of 100 MiB bounds no request's memory."""
        default = DEFAULT_LIMITS.get(framework)
        if default is not None and (what == BODY or default.bounds_files):
            return self.limited.get(framework, True) and not self._in_project(framework, raised=True)
        if self.limited.get(framework, False):
            return True
        limit = BODY_LIMITS.get(framework)
        return limit is not None and not limit.on_by_default and self._in_project(framework, raised=False)

    def _in_project(self, framework: str, raised: bool) -> bool:
        """Whether a module of this module's top-level package raises (or sets) ``framework``'s limit."""
        project = self.context.project
        if project is None:
            return False
        package, dot, _ = project.module_for(self.context.path)[0].partition(".")
        if not dot:
            return False
        return project.raises_limit(framework, package) if raised else project.limits_bodies(framework, package)

    def _receives_upload(self, function: ast.AST | None, parameter: str) -> bool:
        """Whether a caller in another module of the project gives ``function`` (a
        module-level function or a method of a module-level class) an upload for
        ``parameter`` without checking its size first (the project index's summaries)."""
        project = self.context.project
        if project is None or not isinstance(function, FUNCTIONS):
            return False
        key = runs_of(self.context).key(function)
        if key is None:
            return False
        positional = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
        is_static = any(getattr(item, "id", None) == "staticmethod" for item in function.decorator_list)
        if "." in key and positional and not is_static:
            positional = positional[1:]  # ``self``/``cls``
        module = project.module_for(self.context.path)[0]
        return project.receives_upload(f"{module}.{key}", parameter, positional)

    def _reads_of(self, expr: ast.expr, depth: int = 4) -> list[ast.AST]:
        """What ``expr`` is the value of, through names, ``await``, ``.decode()``, a slice and
        either branch of a conditional (``request.form if request.form else request.data``):
        a read, when its value is parsed (the read may come later in the walk, inside the
        parser's call)."""
        for _ in range(depth):
            expr = self.model.resolve(expr)
            if isinstance(expr, ast.Await):
                expr = expr.value
            elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "decode":
                expr = expr.func.value
            elif isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice):
                expr = expr.value
            elif isinstance(expr, ast.IfExp):
                return [*self._reads_of(expr.body, depth - 1), *self._reads_of(expr.orelse, depth - 1)]
            else:
                break
        return [expr]

    def _json_body(self, read: ast.Call | ast.Attribute, function: ast.AST | None) -> bool:
        """The body ``read`` holds is a JSON document: its value is parsed as JSON, or the
        same request is (``await request.json()``, ``request.get_json()``, another read of
        its body given to a JSON parser) on the same path. The framework holds any JSON
        body whole, so the bound belongs to the app."""
        if read in self.parsed_as_json:
            return True
        if function is None:
            return False
        request = _request_of(read)
        if isinstance(request, ast.Name):
            # The same variable (a callback's own ``request`` parameter is another request).
            uses = list(self.model.variable_references(request.id, function))
            parsed = [reference.parent for reference in uses if reference.role == ATTRIBUTE and reference.parent.attr in JSON_OF_REQUEST]
            same = {id(reference.node) for reference in uses}
        else:
            shape = ast.dump(request)  # ``self.request``: the same spelling
            found = [node for node in walk(function) if isinstance(node, type(request)) and ast.dump(node) == shape]
            parsed = [
                parent for parent in map(self.model.parent, found)
                if isinstance(parent, ast.Attribute) and parent.attr in JSON_OF_REQUEST
            ]
            same = {id(node) for node in found}
        # Another read of the same body, given to a JSON parser.
        parsed += [
            node for node in self.parsed_as_json
            if node in self.unbounded and node is not read and id(_request_of(node)) in same
        ]
        return any(self._runs_after(read, node) or self._runs_after(node, read) for node in parsed)

    def _only_checked(self, value: ast.expr, depth: int = 3, seen: set | None = None) -> bool:
        """Every use of ``value``, a body read whole, checks it and keeps nothing of it: it
        is parsed as a document, given to a digest, a MAC or a signature check, logged
        (a logger's call, a log record's field), tested or compared; through the names it
        is bound to, its decoded or formatted copies and, ``depth`` calls down, the
        parameters of the module's functions it is handed to. A webhook's body checked
        over its raw bytes is the JSON or form document the framework holds whole for any
        endpoint (the bound is the app's); a body that goes anywhere else (forwarded,
        stored, decoded and processed, returned) is this line's to bound."""
        seen = set() if seen is None else seen
        node, parent = self._carried(value)
        if isinstance(parent, ast.keyword):
            call = self.model.parent(parent)
            return isinstance(call, ast.Call) and self._checking_call(call, parent.arg, depth, seen)
        if isinstance(parent, ast.Call):
            if node is parent.func or node not in parent.args:
                return False
            return self._checking_call(parent, parent.args.index(node), depth, seen)
        if isinstance(parent, (ast.Compare, ast.If, ast.While, ast.Assert, ast.IfExp)):
            return True  # tested or compared (an ``IfExp``'s test: ``_carried`` passed its branches)
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return True
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1):
            return False
        target = parent.targets[0]
        if isinstance(target, ast.Attribute):
            return self._log_record(target)
        return isinstance(target, ast.Name) and self._name_only_checked(target, depth, seen)

    def _carried(self, value: ast.expr) -> tuple[ast.expr, ast.AST | None]:
        """The outermost expression that holds ``value`` as itself or a copy (awaited, a
        slice, decoded, formatted into a text, a branch of a conditional, an operand of
        ``or``), and what holds that."""
        node, parent = value, self.model.parent(value)
        while parent is not None:
            if isinstance(parent, (ast.Await, ast.FormattedValue, ast.JoinedStr, ast.BinOp, ast.BoolOp)):
                pass
            elif isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.slice, ast.Slice):
                pass
            elif isinstance(parent, ast.IfExp) and parent.test is not node:
                pass
            elif isinstance(parent, ast.Attribute) and parent.attr in PASSING_METHODS:
                call = self.model.parent(parent)
                if not (isinstance(call, ast.Call) and call.func is parent):
                    break
                parent = call
            elif isinstance(parent, ast.Call) and node in parent.args and (
                (isinstance(parent.func, ast.Attribute) and parent.func.attr == "format")
                or self.model.qualified_name(parent.func) in PASSING_CALLS
            ):
                pass
            else:
                break
            node, parent = parent, self.model.parent(parent)
        return node, parent

    def _checking_call(self, call: ast.Call, argument: int | str | None, depth: int, seen: set) -> bool:
        """``call`` keeps nothing of what it is given as ``argument`` (a position or a
        keyword): a document parser, a digest or signature check, a logger, or a function
        of the module whose parameter is only checked."""
        func = call.func
        scope = self._scope_around(call)
        name = self.model.qualified_name(func, scope) or ""
        if name in DOCUMENT_PARSERS or name in DIGESTS or name in SIGNATURE_CHECKS or name.startswith(DIGEST_MODULE):
            return True
        if isinstance(func, ast.Attribute):
            if func.attr in JSON_VALIDATING_METHODS or (func.attr in LOG_METHODS and self.model.is_logger(func.value, scope)):
                return True
            made = self.model.resolve(func.value, scope)
            maker = (self.model.qualified_name(made.func, scope) or "") if isinstance(made, ast.Call) else ""
            if maker in VERIFIERS or (func.attr == "update" and (maker in DIGESTS or maker.startswith(DIGEST_MODULE))):
                return True
            return False
        if depth == 0 or not isinstance(func, ast.Name) or argument is None:
            return False
        binding = self.model.lookup(func.id, scope)
        callee = binding.node if binding is not None and binding.kind == "def" else None
        if not isinstance(callee, FUNCTIONS):
            return False
        positional = [*callee.args.posonlyargs, *callee.args.args]
        if isinstance(argument, int):
            parameter = positional[argument] if argument < len(positional) else None
        else:
            parameter = next((arg for arg in (*positional, *callee.args.kwonlyargs) if arg.arg == argument), None)
        return parameter is not None and self._name_only_checked(parameter, depth - 1, seen, callee)

    def _name_only_checked(self, name: ast.Name | ast.arg, depth: int, seen: set, function: ast.AST | None = None) -> bool:
        """Every use of the variable ``name`` binds (a target, or ``function``'s parameter)
        checks the value (see ``_only_checked``); a variable never used keeps the finding."""
        identifier = name.id if isinstance(name, ast.Name) else name.arg
        function = function or self.model.enclosing(name, FUNCTIONS)
        if function is None or (function, identifier) in seen:
            return function is not None
        seen.add((function, identifier))
        uses = self.model.variable_references(identifier, function)
        return bool(uses) and all(self._only_checked(use.node, depth, seen) for use in uses)

    def _scope_around(self, node: ast.AST) -> Scope | None:
        """The scope of the function ``node`` is in (the walk has left it by ``finish``)."""
        function = self.model.enclosing(node, FUNCTIONS)
        return self.model.scope_of(function) if function is not None else self.model.module_scope

    def _log_record(self, target: ast.Attribute) -> bool:
        """``record.data = body`` in a method of a logging filter, formatter or handler
        (a ``logging.Filter`` subclass's ``filter(self, record)``): a field of the log record."""
        function = self.model.enclosing(target, FUNCTIONS)
        owner = self.model.enclosing(function, ast.ClassDef) if function is not None else None
        if owner is None or not isinstance(target.value, ast.Name):
            return False
        parameters = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)][1:]
        scope = self.model.scope_of(owner) or self.model.module_scope
        return target.value.id in parameters and any(
            (self.model.qualified_name(base, scope.parent or scope) or "").startswith(LOGGING_PACKAGE) for base in owner.bases
        )

    def _runs_after(self, first: ast.AST, then: ast.AST) -> bool:
        """``then`` runs whenever ``first`` has: in the same statement, or in a later
        statement of a block around ``first`` (not in a branch that excludes it)."""
        around_then = {id(node) for node in (then, *self.model.ancestors(then)) if isinstance(node, ast.stmt)}
        statement = self.model.statement(first)
        if id(statement) in around_then:
            return True
        if _leaves(statement):
            return False
        around_first = {id(node) for node in (first, *self.model.ancestors(first))}
        for holder, block in self.model.enclosing_blocks(first, scopes=True):
            index = next(index for index, item in enumerate(block) if id(item) in around_first)
            for item in block[index + 1:]:
                if id(item) in around_then:
                    return True
                if _leaves(item):
                    return False
            if isinstance(holder, FUNCTIONS):
                return False
        return False

    def _file_marked(self, annotation: ast.expr, default: ast.expr | None) -> bool:
        """``= File(...)``, or ``Annotated[..., File(...)]``."""
        markers = [default] if default is not None else []
        if isinstance(annotation, ast.Subscript) and self.model.qualified_name(annotation.value) in ANNOTATED:
            if isinstance(annotation.slice, ast.Tuple):
                markers += annotation.slice.elts[1:]
        return any(
            isinstance(marker, ast.Call) and self.model.qualified_name(marker.func) in FILE_MARKERS for marker in markers
        )

    def _bytes(self, annotation: ast.expr) -> bool:
        """``bytes``, ``bytes | None``, ``list[bytes]``, through ``Annotated``."""
        types = self.model.annotation_types
        return BYTES in (*types(annotation), *types(annotation, element=True))

    def is_check(self, test: ast.expr) -> bool:
        return self.reads(test, reads_size)

    def _note_limit(self, framework: str, value: ast.expr) -> None:
        """A setting of the framework's body limit. Like the framework, the module is
        limited when any setting says so for Flask (off by default) and unlimited when
        any says so for aiohttp (on by default)."""
        limit = BODY_LIMITS[framework]
        if limits_nothing(self.model, value, limit) == limit.on_by_default:
            self.limited[framework] = not limit.on_by_default

    def _whole_read(self, call: ast.Call, func: ast.Attribute) -> tuple[str, str] | None:
        """``(framework, what)`` when ``call`` reads a whole upload or request body."""
        receiver = func.value
        if func.attr == "read" and _wsgi_input(self.model, receiver):
            size = _size_of(call)
            return (WSGI, BODY) if size is None or self._declared(size) else None
        if func.attr == "read":
            if _size_given(call):
                return None
            found = self._read_source(func)
            if found is not None or isinstance(receiver, ast.Attribute) and receiver.attr in UNDERLYING_FILES:
                return found
        framework = self.inputs.request(receiver)
        if (func.attr, framework) in BODY_READS:
            return framework, BODY
        return None

    def _read_source(self, func: ast.Attribute) -> tuple[str, str] | None:
        """``(framework, what)`` of the upload or request body ``func``, a ``read``, reads
        from, whatever the size it is given: an upload (``upload.read``, ``.file.read``,
        ``.stream.read``), Flask's ``request.stream``, WSGI's input."""
        receiver = func.value
        if _wsgi_input(self.model, receiver):
            return WSGI, BODY
        if isinstance(receiver, ast.Attribute) and receiver.attr in UNDERLYING_FILES:
            framework = self.inputs.upload(receiver.value) or self.inputs.upload(receiver)
            if framework is not None:
                return (framework, UPLOAD) if framework in STREAMED_UPLOADS else None
            if receiver.attr == "stream" and self.inputs.request(receiver.value) == FLASK:
                return FLASK, BODY
            return None
        framework = self.inputs.upload(receiver)
        if framework is not None:
            return (framework, UPLOAD) if framework in STREAMED_UPLOADS else None
        return None

    def _aiohttp_stream(self, receiver: ast.expr) -> bool:
        """``request.content`` of an aiohttp request: its stream, which ``client_max_size`` does not bound."""
        return (
            isinstance(receiver, ast.Attribute) and receiver.attr == AIOHTTP_STREAM
            and self.inputs.request(receiver.value) == AIOHTTP
        )

    def _declared(self, size: ast.expr, depth: int = 4) -> bool:
        """``size`` is what the client declared: a header (``environ["CONTENT_LENGTH"]``,
        ``environ.get("HTTP_X_EXPECTED_ENTITY_LENGTH")``), a line read from WSGI's input (a
        chunk size), as a number, through the names that may hold it here."""
        if depth == 0:
            return False
        if isinstance(size, ast.Name):
            return any(
                binding.kind == "assign" and isinstance(binding.value, ast.expr) and self._declared(binding.value, depth - 1)
                for binding in self.model.reaching_bindings(size.id, size)
            )
        if isinstance(size, ast.BoolOp):  # ``environ.get("CONTENT_LENGTH") or 0``
            return any(self._declared(value, depth - 1) for value in size.values)
        if isinstance(size, ast.Call):
            if self.model.qualified_name(size.func) in NUMBERS and size.args:
                return self._declared(size.args[0], depth - 1)
            if isinstance(size.func, ast.Attribute) and size.func.attr in ("readline", "read"):
                return _wsgi_input(self.model, size.func.value)
            return isinstance(size.func, ast.Attribute) and size.func.attr == "get" and _header_key(size.args[0] if size.args else None)
        return isinstance(size, ast.Subscript) and _header_key(size.slice)


def _wsgi_input(model, expr: ast.expr) -> bool:
    """``environ["wsgi.input"]`` or ``environ.get("wsgi.input")`` (or a name bound to it)."""
    expr = model.resolve(expr)
    if isinstance(expr, ast.Subscript):
        key = expr.slice
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        key = expr.args[0]
    else:
        return False
    return isinstance(key, ast.Constant) and key.value == WSGI_INPUT


def _header_key(key: ast.expr | None) -> bool:
    """A WSGI environ key of a request header: ``CONTENT_LENGTH``, ``HTTP_...``."""
    return isinstance(key, ast.Constant) and isinstance(key.value, str) and (
        key.value == "CONTENT_LENGTH" or key.value.startswith("HTTP_")
    )


def _size_of(call: ast.Call) -> ast.expr | None:
    """The size ``read(...)`` is given, None when it reads everything (none, ``-1``, ``None``)."""
    if not _size_given(call):
        return None
    return call.args[0] if call.args else call.keywords[0].value


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _body(read: ast.AST, framework: str, function: ast.AST | None) -> tuple:
    """Which body ``read`` reads: the frameworks that keep the body they read (Werkzeug,
    Starlette, aiohttp) give each read of one request in a function the same bytes."""
    return (function, ast.dump(_request_of(read))) if framework in KEPT_BODIES else (read,)


def _request_of(read: ast.Call | ast.Attribute) -> ast.expr:
    """The request (or upload) a read is of: ``request`` of ``request.get_data()``,
    ``request.data`` and ``request.stream.read()``."""
    request = read.func.value if isinstance(read, ast.Call) else read.value
    if isinstance(request, ast.Attribute) and request.attr in UNDERLYING_FILES:
        request = request.value
    return request


def _orders(node: ast.AST) -> bool:
    """A comparison that orders two values (``len(body) > MAX_BYTES``)."""
    return isinstance(node, ast.Compare) and any(isinstance(op, ORDERINGS) for op in node.ops)


def _inside(node: ast.AST, block: ast.AST) -> bool:
    """``node`` lies within ``block``'s lines."""
    return block.lineno <= node.lineno <= (block.end_lineno or block.lineno)


def _size_given(call: ast.Call) -> bool:
    """Whether ``read(...)`` is given a size that bounds it (``-1`` and ``None`` do not)."""
    if call.args:
        size = call.args[0]
    elif call.keywords:
        size = call.keywords[0].value
    else:
        return False
    if isinstance(size, ast.UnaryOp) and isinstance(size.op, ast.USub) and isinstance(size.operand, ast.Constant):
        return False
    return not is_none(size)


def _leaves(statement: ast.stmt) -> bool:
    """Whether control never goes on past ``statement``: it returns, raises, breaks or
    continues on every path (an ``if`` both of whose branches do, a ``try`` whose body
    and handlers do)."""
    if isinstance(statement, (ast.Return, ast.Raise, ast.Break, ast.Continue)):
        return True
    if isinstance(statement, ast.If):
        return _block_leaves(statement.body) and _block_leaves(statement.orelse)
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return _block_leaves(statement.body)
    if isinstance(statement, ast.Try):
        handled = (_block_leaves(statement.body) or _block_leaves(statement.orelse)) and all(
            _block_leaves(handler.body) for handler in statement.handlers
        )
        return handled or _block_leaves(statement.finalbody)
    return False


def _block_leaves(block: list[ast.stmt]) -> bool:
    return any(_leaves(statement) for statement in block)
