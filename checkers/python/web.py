"""Where a web application's untrusted input comes from: request objects, uploads, and
what is read from them or from the network. Shared by OOM401 (images decoded from it)
and OOM403 (uploads and bodies read whole).

``WebInputs`` answers for one module, from the semantic model as the walk stands: the
frameworks' request and upload objects, by annotation, by ``flask.request``, by the
collections that hold uploads (``request.files``, ``request.FILES``, ``await
request.form()``) and, for a union-annotated parameter, by the ``isinstance`` test
known to hold around it (the semantic model's guards).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import NamedTuple

from oomlint.python.astutil import is_infinite, is_none, last_name, name_words, parameter_defaults, setting_number
from oomlint.python.semantic import SemanticModel

FLASK, DJANGO, STARLETTE, AIOHTTP, WEBOB = "Flask", "Django", "Starlette", "aiohttp", "WebOb"
QUART, BOTTLE, TORNADO, SANIC, STREAMLIT, DISCORD = "Quart", "Bottle", "Tornado", "Sanic", "Streamlit", "discord.py"
# The frameworks whose uploads OOM403 judges: they hand the handler a file it reads itself,
# with no limit by default. Quart limits bodies to 16 MiB by default; Tornado, Sanic and
# Streamlit hold the whole body in memory before the handler runs (a read copies what is
# there); a chat library downloads what it is asked to. Their data is untrusted for OOM401 all
# the same.
STREAMED_UPLOADS = frozenset({FLASK, DJANGO, STARLETTE, AIOHTTP, WEBOB, BOTTLE})
WEB_LIBRARIES = frozenset(
    {"flask", "werkzeug", "django", "rest_framework", "fastapi", "starlette", "aiohttp", "webob", "pyramid", "pecan",
     "bottle"}
)
GLOBAL_REQUESTS = {"flask.request": FLASK, "pecan.request": WEBOB, "quart.request": QUART, "bottle.request": BOTTLE}
# ``request.files`` of these frameworks' requests holds the uploads (Tornado's and Sanic's as
# lists of in-memory files).
FILE_COLLECTIONS = frozenset({FLASK, QUART, BOTTLE, TORNADO, SANIC})
# Pyramid's views are handed a WebOb request named ``request`` (or keep it on ``self.request``).
PYRAMID = "pyramid"
# A WebOb form field that is a file (``request.POST["file"]``) is a ``cgi.FieldStorage``-like
# object; its ``file`` is the upload (other fields are text).
WEBOB_FORM = "POST"
WEBOB_FILE = "file"
REQUEST_TYPES = {
    **dict.fromkeys(
        ("flask.Request", "flask.wrappers.Request", "werkzeug.Request", "werkzeug.wrappers.Request",
         "werkzeug.wrappers.request.Request"),
        FLASK,
    ),
    **dict.fromkeys(("fastapi.Request", "fastapi.requests.Request", "starlette.requests.Request"), STARLETTE),
    **dict.fromkeys(
        ("aiohttp.web.Request", "aiohttp.web.BaseRequest", "aiohttp.web_request.Request",
         "aiohttp.web_request.BaseRequest"),
        AIOHTTP,
    ),
    **dict.fromkeys(("quart.Request", "quart.wrappers.Request"), QUART),
    **dict.fromkeys(("tornado.httputil.HTTPServerRequest",), TORNADO),
    **dict.fromkeys(("sanic.Request", "sanic.request.Request"), SANIC),
}
UPLOAD_TYPES = {
    **dict.fromkeys(
        ("werkzeug.FileStorage", "werkzeug.datastructures.FileStorage",
         "werkzeug.datastructures.file_storage.FileStorage"),
        FLASK,
    ),
    **dict.fromkeys(
        (f"django.core.files.uploadedfile.{kind}UploadedFile" for kind in ("", "InMemory", "Temporary")), DJANGO
    ),
    **dict.fromkeys(
        ("fastapi.UploadFile", "fastapi.datastructures.UploadFile", "starlette.datastructures.UploadFile"), STARLETTE
    ),
    **dict.fromkeys(("bottle.FileUpload",), BOTTLE),
    **dict.fromkeys(
        (f"{library}.{path}Attachment" for library in ("discord", "nextcord", "disnake") for path in ("", "message.")),
        DISCORD,
    ),
}
UNTRUSTED_TYPES = frozenset({*REQUEST_TYPES, *UPLOAD_TYPES})
# What a module that has an upload in hand names: the collections that hold one
# (``request.files``, ``request.FILES``, ``await request.form()``, WebOb's ``request.POST``) or
# an upload type in an annotation. A module naming none has no upload (``WebInputs.upload``).
UPLOAD_TEXTS = ("files", "FILES", ".form(", "POST", "FileStorage", "UploadFile", "UploadedFile")


# ---------------------------------------------------------------- untrusted data

UPLOAD, REQUEST, NETWORK, FORM = "an upload", "request data", "a network response", "form input"
CHAT_FILE = "a file a chat user sent"
# Calls whose result carries their first argument's data (or, for a path join, any argument's);
# those that make bytes of text (``b64decode(request.json["image"])``) make it image data.
CARRIERS = frozenset(
    {"io.BytesIO", "io.StringIO", "io.BufferedReader", "numpy.frombuffer", "numpy.fromstring", "numpy.asarray",
     "numpy.array", "base64.b64decode", "base64.decodebytes", "base64.urlsafe_b64decode", "base64.standard_b64decode",
     "builtins.bytes", "builtins.bytearray", "builtins.memoryview", "builtins.open", "builtins.str",
     "pathlib.Path", "os.fspath"}
)
BYTES_FROM_TEXT = frozenset(
    {"io.BytesIO", "numpy.frombuffer", "numpy.fromstring", "base64.b64decode", "base64.decodebytes",
     "base64.urlsafe_b64decode", "base64.standard_b64decode", "builtins.bytes", "builtins.bytearray"}
)
# What a request holds as text (the query, form fields, JSON, headers): used as a path, it
# names a file on the server, chosen by an internal caller, not image data from a client.
REQUEST_TEXT = frozenset(
    {"args", "form", "values", "json", "GET", "POST", "query_params", "path_params", "match_info", "query",
     "cookies", "COOKIES", "headers", "META", "get_json"}
)
PATH_JOINS = frozenset({"os.path.join", "posixpath.join"})
# Methods that return (part of) their receiver's data.
CARRYING_METHODS = frozenset(
    {"read", "read1", "aread", "readall", "getvalue", "getbuffer", "get", "get_json", "get_data", "getlist", "json",
     "body", "form", "multipart",
     "text", "content", "open", "chunks", "decode", "encode", "tobytes", "iter_content"}
)
NETWORK_MODULES = ("requests.", "httpx.", "aiohttp.", "urllib3.")
NETWORK_CALLS = frozenset({"urllib.request.urlopen", "urllib.request.urlretrieve"})
HTTP_CLIENTS = frozenset(
    {"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession",
     "urllib3.PoolManager"}
)
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "request", "stream", "send", "fetch", "urlopen"})
# Attributes of a Django form or serializer that hold what the client submitted.
FORM_DATA = frozenset({"cleaned_data", "validated_data", "initial_data"})
# FastAPI's path operation decorators (``@app.post(...)``, ``@router.get(...)``), and the
# markers of the parameters it fills from dependencies rather than from the request.
PATH_OPERATIONS = frozenset({"get", "post", "put", "patch", "delete", "api_route", "websocket"})
DEPENDENCIES = frozenset({"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security"})
FRAMEWORK_PACKAGES = ("fastapi.", "starlette.")
BYTES = "builtins.bytes"
DJANGO_PACKAGES = frozenset({"django", "rest_framework"})
# The request methods that parse a form, and the framework of each: its files are uploads.
FORM_READS = {"form": STARLETTE, "post": AIOHTTP}
_ORIGIN_DEPTH = 8


class Origin(NamedTuple):
    """Where a value comes from: ``untrusted`` says what (an upload, request data, a
    network response, form input); else ``parameter`` names the function's parameter it
    is (its callers decide), or neither is known."""

    untrusted: str | None = None
    parameter: str | None = None
    text: bool = False
    """Untrusted text (a query or form field, JSON): a path when opened, data only once
    made bytes (``b64decode``, ``.encode()``)."""
    framework: str | None = None
    """For an upload, the framework that received it."""
    through: tuple[ast.AST, ...] = ()
    """The module's own functions whose results carried it here (``_read(upload)``): a rule
    that knows one of them checks what it returns may take the data as checked."""

    @property
    def streamed_upload(self) -> bool:
        """An upload the handler reads itself, unbounded unless the app bounds it (OOM403's)."""
        return self.untrusted == UPLOAD and self.framework in STREAMED_UPLOADS


UNKNOWN = Origin()
# Streamlit's widgets that return what the browser uploaded (an in-memory ``UploadedFile``,
# a list of them with ``accept_multiple_files``), called on ``st``, ``st.sidebar`` or a
# column or container of the page.
STREAMLIT_PACKAGE = "streamlit"
UPLOAD_WIDGETS = frozenset({"file_uploader", "camera_input"})
# A discord.py message's ``attachments`` (and its forks' messages): the files its author sent.
DISCORD_LIBRARIES = frozenset({"discord", "nextcord", "disnake"})
ATTACHMENTS = "attachments"
# The chat libraries' downloads of a file a user sent the bot: python-telegram-bot's
# ``download_as_bytearray()``/``download_to_drive()``, pyTelegramBotAPI's and aiogram's
# ``download_file(...)``, aiogram's ``bot.download(...)``, Pyrogram's and Telethon's
# ``download_media(...)``.
CHAT_LIBRARIES = frozenset({"telegram", "telebot", "aiogram", "pyrogram", "telethon"})
CHAT_DOWNLOADS = frozenset({"download_as_bytearray", "download_to_drive", "download", "download_file", "download_media"})


class WebInputs:
    """The request and upload objects of one module (see the module docstring)."""

    def __init__(self, model: SemanticModel):
        self.model = model
        self.imported = model.imported_packages
        """Top-level packages the module imports (``aiohttp``, ``django``...), so far in the walk."""

    def request(self, expr: ast.expr) -> str | None:
        """The framework whose request object ``expr`` is, if known."""
        name = self.model.qualified_name(expr)
        if name in GLOBAL_REQUESTS:
            return GLOBAL_REQUESTS[name]
        if isinstance(expr, ast.Attribute) and expr.attr == "request" and self.model.is_self(expr.value):
            # A Pyramid view class's ``self.request``; a Tornado handler's.
            if PYRAMID in self.imported:
                return WEBOB
            return TORNADO if "tornado" in self.imported and self._in_handler() else None
        parameter = self._parameter(expr)
        if parameter is None:
            return None
        if parameter.annotation is not None:
            return self._annotated(parameter.annotation, REQUEST_TYPES, expr)
        if parameter.arg != "request":
            return None
        if AIOHTTP in self.imported and isinstance(self.model.function, ast.AsyncFunctionDef):
            return AIOHTTP
        if PYRAMID in self.imported:
            return WEBOB
        # Sanic hands every handler the request as its first argument, named so by convention.
        return SANIC if "sanic" in self.imported else None

    def upload(self, expr: ast.expr) -> str | None:
        """The framework whose uploaded file ``expr`` is, if known."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Attribute) and origin.attr == WEBOB_FILE and self._webob_field(origin.value):
            return WEBOB
        if isinstance(origin, ast.Subscript):
            if isinstance(origin.value, ast.Name):  # ``files[0]`` of a ``list[UploadFile]``
                return self._upload_container(origin.value) or self._upload_collection(origin.value, origin.value)
            return self._upload_container(origin.value)
        if isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute) and origin.func.attr == "get":
            return self._upload_container(origin.func.value)
        if not isinstance(origin, ast.Name):
            return None
        binding = self.model.lookup(origin.id)
        if binding is None:
            return None
        if binding.kind == "param":
            annotation = binding.node.annotation
            return self._annotated(annotation, UPLOAD_TYPES, origin) if annotation is not None else None
        loop = binding.node
        if isinstance(loop, (ast.For, ast.AsyncFor, ast.comprehension)) and _is_name(loop.target, origin.id):
            return self._upload_collection(loop.iter, origin)
        return None

    def _upload_collection(self, expr: ast.expr, item: ast.Name) -> str | None:
        """``request.files.getlist(...)``, ``.values()``, a ``list[UploadFile]`` parameter,
        Streamlit's ``file_uploader(..., accept_multiple_files=True)``, a discord.py
        message's ``attachments``; ``item`` is the loop's name for one of them."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute) and origin.func.attr in ("getlist", "values"):
            return self._upload_container(origin.func.value)
        if isinstance(origin, ast.Call) and self._upload_widget(origin):
            return STREAMLIT
        if self._attachments(origin):
            return DISCORD
        parameter = self._parameter(origin)
        if parameter is not None and parameter.annotation is not None:
            return self._annotated(parameter.annotation, UPLOAD_TYPES, item, element=True)
        return None

    def _upload_container(self, expr: ast.expr) -> str | None:
        """``request.files`` (Flask, Bottle, Tornado, Sanic; ``await request.files`` in Quart),
        ``request.FILES`` (Django), ``await request.form()`` (Starlette), ``await
        request.post()`` (aiohttp), a discord.py message's ``attachments``."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Await):
            origin = origin.value
        if isinstance(origin, ast.Attribute):
            if origin.attr == "files":
                framework = self.request(origin.value)
                return framework if framework in FILE_COLLECTIONS else None
            if origin.attr == "FILES" and DJANGO_PACKAGES & self.imported:
                return DJANGO
            return DISCORD if self._attachments(origin) else None
        if isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute):
            form = FORM_READS.get(origin.func.attr)
            return form if form is not None and self.request(origin.func.value) == form else None
        return None

    def _in_handler(self) -> bool:
        """The walk is in a method of a request handler class: one that derives from a
        ``...Handler`` (Tornado's ``RequestHandler``, the project's ``BaseHandler``)."""
        owner = self.model.method_class
        return owner is not None and any((last_name(base) or "").endswith("Handler") for base in owner.bases)

    def _attachments(self, expr: ast.AST) -> bool:
        """``message.attachments`` in a module that imports discord.py (or a fork)."""
        return isinstance(expr, ast.Attribute) and expr.attr == ATTACHMENTS and not DISCORD_LIBRARIES.isdisjoint(self.imported)

    def _upload_widget(self, call: ast.Call) -> bool:
        """``st.file_uploader(...)``, ``st.sidebar.camera_input(...)``, ``column.file_uploader(...)``
        in a module that imports Streamlit."""
        func = call.func
        return isinstance(func, ast.Attribute) and func.attr in UPLOAD_WIDGETS and STREAMLIT_PACKAGE in self.imported

    def _webob_field(self, expr: ast.expr) -> bool:
        """``request.POST["file"]`` or ``request.POST.get("file")`` of a WebOb request."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Subscript):
            form = origin.value
        elif isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute) and origin.func.attr in ("get", "getone"):
            form = origin.func.value
        else:
            return False
        form = self.model.resolve(form)
        return isinstance(form, ast.Attribute) and form.attr == WEBOB_FORM and self.request(form.value) == WEBOB

    def _parameter(self, expr: ast.AST) -> ast.arg | None:
        if not isinstance(expr, ast.Name):
            return None
        binding = self.model.lookup(expr.id)
        return binding.node if binding is not None and binding.kind == "param" else None

    def _annotated(
        self, annotation: ast.expr, types: dict[str, str], value: ast.Name, element: bool = False
    ) -> str | None:
        """The framework of the type of ``types`` that ``annotation`` names (that its items
        have, for ``element``) for ``value``, a name so annotated. In a union with other
        types (``bytes | UploadFile``) the value may be any of them: it is one of ``types``
        only where ``isinstance(value, ...)`` says so."""
        allowed = list(self.model.annotation_types(annotation, element))
        if not any(name in types for name in allowed):
            return None
        return _framework_of(allowed, types) or _framework_of(self.model.narrowed_types(value), types)

    def origin(self, expr: ast.expr | None, depth: int = _ORIGIN_DEPTH) -> Origin:
        """Where the data of ``expr`` comes from, following local names and what carries
        data along (``BytesIO(...)``, ``np.frombuffer(...)``, ``b64decode(...)``,
        ``.read()``, ``.file``, a path joined from it): an upload, a request's data or
        form input, a network response (``requests``, ``httpx``, ``aiohttp``,
        ``urlopen``), or a parameter of the function."""
        if expr is None or depth == 0:
            return UNKNOWN
        if isinstance(expr, ast.Await):
            return self.origin(expr.value, depth - 1)
        parameter = self._parameter(expr)
        framework = self.upload(expr) or self._upload_container(expr)
        if framework is not None:
            untrusted = CHAT_FILE if framework == DISCORD else UPLOAD
            return Origin(untrusted=untrusted, parameter=parameter.arg if parameter else None, framework=framework)
        if self._is_request(expr):
            return Origin(untrusted=REQUEST)
        if isinstance(expr, ast.Name):
            binding = self.model.lookup(expr.id)
            if binding is None:
                return UNKNOWN
            # ``f = form.cleaned_data["file"]``, then ``if ...: f = other()``: an upload on one path.
            for earlier in self.model.reaching_bindings(expr.id, expr)[1:]:
                if earlier.kind in ("assign", "with") and earlier.value is not None:
                    found = self.origin(earlier.value, depth - 1)
                    if found.untrusted:
                        return found
            if binding.kind == "param":
                declared = self._endpoint_input(binding)
                if declared is not None:
                    return Origin(untrusted=REQUEST, parameter=expr.id, text=declared != BYTES)
                return Origin(parameter=expr.id)
            if binding.kind in ("assign", "with") and binding.value is not None:
                return self.origin(binding.value, depth - 1)
            return UNKNOWN
        if isinstance(expr, ast.Attribute):
            if expr.attr in FORM_DATA:
                return Origin(untrusted=FORM)
            if expr.attr in REQUEST_TEXT and self._is_request(expr.value):
                return Origin(untrusted=REQUEST, text=True)
            return self.origin(expr.value, depth - 1)
        if isinstance(expr, ast.Subscript):
            return self.origin(expr.value, depth - 1)
        if isinstance(expr, (ast.JoinedStr, ast.BinOp)):
            parts = [part.value for part in expr.values if isinstance(part, ast.FormattedValue)] if isinstance(
                expr, ast.JoinedStr
            ) else [expr.left, expr.right]
            return self._first_untrusted(parts, depth)
        if isinstance(expr, ast.Call):
            return self._call_origin(expr, depth)
        return UNKNOWN

    def _call_origin(self, call: ast.Call, depth: int) -> Origin:
        name = self.model.qualified_name(call.func)
        if name is not None:
            if name in NETWORK_CALLS or name.startswith(NETWORK_MODULES):
                return Origin(untrusted=NETWORK)
            if name in PATH_JOINS:
                return self._first_untrusted(call.args, depth)
            if name in CARRIERS:
                carried = self.origin(call.args[0] if call.args else None, depth - 1)
                return carried._replace(text=False) if name in BYTES_FROM_TEXT else carried
        func = call.func
        callee, _ = module_callee(self.model, func)
        if callee is not None:
            # What the module's own helper makes of what it is given (``await _read(upload)``
            # gathering the upload's chunks) carries it: derived data, not the upload object.
            carried = self._first_untrusted([*call.args, *(item.value for item in call.keywords)], depth)
            if carried is UNKNOWN:
                return UNKNOWN
            return carried._replace(framework=None, through=(*carried.through, callee))
        if not isinstance(func, ast.Attribute):
            return UNKNOWN
        if self._upload_widget(call):
            return Origin(untrusted=UPLOAD, framework=STREAMLIT)
        if func.attr in HTTP_METHODS and self._http_client(func.value):
            return Origin(untrusted=NETWORK)
        if func.attr in CHAT_DOWNLOADS and not CHAT_LIBRARIES.isdisjoint(self.imported):
            return Origin(untrusted=CHAT_FILE)
        if func.attr in REQUEST_TEXT and self._is_request(func.value):
            return Origin(untrusted=REQUEST, text=True)
        if func.attr in CARRYING_METHODS:
            carried = self.origin(func.value, depth - 1)
            return carried._replace(text=False) if func.attr == "encode" else carried
        return UNKNOWN

    def _endpoint_input(self, binding) -> str | None:
        """For a parameter of a FastAPI path operation that FastAPI fills from the request
        (a path, query, header or cookie value, or the JSON body: ``request: FaceRequest``),
        the type it is declared (``""`` when unannotated). None for anything else, and for
        what a dependency gives (``= Depends(...)``, ``Annotated[..., Depends(...)]``) or the
        framework hands over (``Request``, ``BackgroundTasks``; uploads are known as such)."""
        function = binding.scope.node if binding.scope is not None else None
        if "fastapi" not in self.imported or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        if not any(
            isinstance(item, ast.Call) and isinstance(item.func, ast.Attribute) and item.func.attr in PATH_OPERATIONS
            for item in function.decorator_list
        ):
            return None
        parameter = binding.node
        # ``Depends(...)`` as the default or inside ``Annotated[...]``'s metadata: a walk of those
        # two small expressions, which ``annotation_types`` (types only) does not answer.
        markers = [parameter_defaults(function.args).get(parameter.arg), parameter.annotation]
        if any(
            isinstance(node, ast.Call) and self.model.qualified_name(node.func) in DEPENDENCIES
            for marker in markers if marker is not None
            for node in ast.walk(marker)
        ):
            return None
        declared = list(self.model.annotation_types(parameter.annotation)) if parameter.annotation is not None else [""]
        if any(name and name.startswith(FRAMEWORK_PACKAGES) for name in declared):
            return None
        return BYTES if BYTES in declared else declared[0] or ""

    def _is_request(self, expr: ast.expr) -> bool:
        return self.request(expr) is not None or self.django_request(expr)

    def _first_untrusted(self, parts, depth: int) -> Origin:
        """Untrusted when any part is (data rather than text, if one is); otherwise the one
        parameter among them, if any."""
        origins = [self.origin(part, depth - 1) for part in parts]
        untrusted = min((origin for origin in origins if origin.untrusted), key=lambda origin: origin.text, default=None)
        if untrusted is not None:
            return untrusted
        parameters = [origin for origin in origins if origin.parameter]
        return parameters[0] if len(parameters) == 1 else UNKNOWN

    def _http_client(self, expr: ast.expr) -> bool:
        origin = self.model.resolve(expr)
        return isinstance(origin, ast.Call) and self.model.qualified_name(origin.func) in HTTP_CLIENTS

    def django_request(self, expr: ast.expr) -> bool:
        """A parameter named ``request`` in a Django or Django REST framework module."""
        if not (isinstance(expr, ast.Name) and expr.id == "request" and DJANGO_PACKAGES & self.imported):
            return False
        binding = self.model.lookup(expr.id)
        return binding is not None and binding.kind == "param"


def _framework_of(names: Sequence[str | None], types: dict[str, str]) -> str | None:
    """The framework of the first of ``names`` when every one of them is one of ``types``."""
    if names and all(name in types for name in names):
        return types[names[0]]
    return None


def _is_name(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Name) and target.id == name


ADMIN_WORDS = frozenset({"admin", "admins", "staff", "superuser", "superusers"})
ADMIN_CLASSES = frozenset({"ModelAdmin", "AdminSite", "IsAdminUser"})
# Decorators that register a view on a blueprint or an application (Flask, Quart, FastAPI's routers).
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route"})


def module_callee(model: SemanticModel, func: ast.expr) -> tuple[ast.AST | None, list[str]]:
    """The module's own function (``helper(...)``) or method (``self.helper(...)``) a call
    names, and the names of its positional parameters (``self`` left out): where a rule
    follows untrusted data handed to a helper of the same module."""
    definition = None
    skip = 0
    if isinstance(func, ast.Name):
        binding = model.lookup(func.id)
        definition = binding.node if binding is not None and binding.kind == "def" else None
    elif isinstance(func, ast.Attribute) and model.is_self(func.value) and model.method_class:
        definition = next(
            (item for item in model.method_class.body
             if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == func.attr),
            None,
        )
        skip = 1
    if definition is None:
        return None, []
    positional = [arg.arg for arg in (*definition.args.posonlyargs, *definition.args.args)]
    return definition, positional[skip:]


# Servers that hand a request's body to a method of the application, one chunk per call,
# and set no limit on the body of their own: thor (the method given to
# ``exchange.on("request_body", ...)``) and httptools (``on_body`` of the protocol object a
# ``HttpRequestParser`` is given). A response's body (httptools' ``HttpResponseParser``) is
# the client's business, not a request's.
THOR, HTTPTOOLS = "thor", "httptools"
BODY_CALLBACK_SERVERS = frozenset({THOR, HTTPTOOLS})
THOR_BODY_EVENT = "request_body"
HTTPTOOLS_REQUEST_PARSER = "httptools.HttpRequestParser"
HTTPTOOLS_BODY_CALLBACK = "on_body"


def body_callback(model: SemanticModel, call: ast.Call) -> tuple[ast.ClassDef, str, str] | None:
    """``(class, method, server)`` when ``call``, in a method of the class, registers the
    class's method that the server calls with each chunk of a request's body:
    ``exchange.on("request_body", self.request_body)`` (thor),
    ``httptools.HttpRequestParser(self)`` (its ``on_body``)."""
    owner = model.method_class
    if owner is None or not call.args:
        return None
    func = call.func
    if (
        isinstance(func, ast.Attribute) and func.attr == "on" and len(call.args) == 2
        and THOR in model.imported_packages
        and isinstance(call.args[0], ast.Constant) and call.args[0].value == THOR_BODY_EVENT
        and isinstance(call.args[1], ast.Attribute) and model.is_self(call.args[1].value)
    ):
        return owner, call.args[1].attr, THOR
    if model.qualified_name(func) == HTTPTOOLS_REQUEST_PARSER and model.is_self(call.args[0]):
        return owner, HTTPTOOLS_BODY_CALLBACK, HTTPTOOLS
    return None


# A raw ASGI application's request body: the ``body`` of each ``http.request`` message that
# the ``receive`` callable it is given (``scope, receive, send``) returns; the servers
# (uvicorn, Hypercorn, Daphne) set no limit on a body. A WebSocket's messages have ``bytes``
# and ``text`` instead.
ASGI, ASGI_RECEIVE, ASGI_BODY = "ASGI", "receive", "body"
ASGI_PARAMETERS = frozenset({"scope", ASGI_RECEIVE, "send"})
ASGI_MARKER = "await receive()"


def asgi_body_chunk(model: SemanticModel, expr: ast.expr) -> bool:
    """``message["body"]`` or ``message.get("body", b"")`` (or a name bound to one) where
    ``message = await receive()``, ``receive`` being the ASGI callable the function is given."""
    expr = model.resolve(expr)
    if isinstance(expr, ast.Subscript):
        message, key = expr.value, expr.slice
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        message, key = expr.func.value, expr.args[0]
    else:
        return False
    if not (isinstance(key, ast.Constant) and key.value == ASGI_BODY):
        return False
    received = model.resolve(message)
    received = received.value if isinstance(received, ast.Await) else received
    if not (isinstance(received, ast.Call) and isinstance(received.func, ast.Name) and received.func.id == ASGI_RECEIVE):
        return False
    binding = model.lookup(ASGI_RECEIVE)
    if binding is None or binding.kind != "param" or binding.scope is None:
        return False
    arguments = binding.scope.node.args
    return ASGI_PARAMETERS <= {arg.arg for arg in (*arguments.posonlyargs, *arguments.args)}


# What a size check reads: ``upload.size``, ``request.content_length``, the header, Django's
# ``upload.multiple_chunks()``.
SIZE_ATTRIBUTES = frozenset({"size", "content_length", "multiple_chunks"})
SIZE_HEADERS = frozenset({"content-length", "content_length", "http_content_length"})


def reads_size(node: ast.AST) -> bool:
    """``node`` reads an upload's or a request's size (OOM403's size check)."""
    if isinstance(node, ast.Attribute):
        return node.attr in SIZE_ATTRIBUTES
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in SIZE_HEADERS


# What describes an upload rather than holding its data: its name, its size in bytes, its
# type and headers. A validator given only these checks the name and the byte count, never
# the pixels: a bomb is a small file.
UPLOAD_METADATA = frozenset(
    {"filename", "name", "size", "content_length", "content_type", "mimetype", "mime_type", "headers"}
)


def describes_upload(node: ast.AST) -> bool:
    """``node`` reads what describes an upload (``upload.filename``, ``upload.size``), not its data."""
    return isinstance(node, ast.Attribute) and node.attr in UPLOAD_METADATA


RequestHooks = Callable[[ast.expr], list[str]]
"""The decorators of the hooks run before each request of the application or blueprint an
expression names, in the project (:func:`oomlint.python.project.request_hook_decorators`)."""


def admins_only(model: SemanticModel, hooks: RequestHooks | None = None) -> bool:
    """Whether the function being walked serves administrators only (see :func:`serves_admins`)."""
    function = model.function
    return function is not None and serves_admins(function, model.method_class, hooks)


def serves_admins(function: ast.FunctionDef | ast.AsyncFunctionDef, owner: ast.ClassDef | None, hooks: RequestHooks | None = None) -> bool:
    """Whether ``function`` (a method of ``owner``) serves administrators only: a decorator
    says so (``@admins_only``, ``@staff_member_required``, ``@superuser_required``), or its
    class is a Django ``ModelAdmin`` or has ``permission_classes`` with ``IsAdminUser``, or
    (with ``hooks``, in its project) it is a route of a blueprint or application whose
    hook run before each of its requests is so decorated (``@policy_blueprint.before_request``
    over ``@admin_required``, in any module of the project).
    What an administrator uploads is the operator's own data, not an attacker's."""
    decorators = [item.func if isinstance(item, ast.Call) else item for item in function.decorator_list]
    if any(word in ADMIN_WORDS for item in decorators for word in name_words(last_name(item) or "")):
        return True
    if hooks is not None and any(
        word in ADMIN_WORDS
        for item in decorators if isinstance(item, ast.Attribute) and item.attr in ROUTE_DECORATORS
        for name in hooks(item.value)
        for word in name_words(name)
    ):
        return True
    # A view registered with an administrators' permission (Pyramid's
    # ``@view_config(permission=Permissions.AdminSponsorsWrite)`` or ``permission="admin"``).
    permissions = [
        keyword.value for item in function.decorator_list if isinstance(item, ast.Call)
        for keyword in item.keywords if keyword.arg == "permission"
    ]
    names = [value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else last_name(value) for value in permissions]
    if any(word in ADMIN_WORDS for name in names for word in name_words(name or "")):
        return True
    if owner is None:
        return False
    if any(last_name(base) in ADMIN_CLASSES for base in owner.bases):
        return True
    # A walk of one class attribute's value (``permission_classes = [IsAdminUser, ...]``):
    # no model query names the classes inside a literal.
    return any(
        isinstance(statement, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == "permission_classes" for target in statement.targets)
        and any(last_name(node) in ADMIN_CLASSES for node in ast.walk(statement.value))
        for statement in owner.body
    )


# ---------------------------------------------------------------- the frameworks' body limits

class BodyLimit(NamedTuple):
    """A limit the framework itself puts on every request body of the app (413 above it)."""

    setting: str
    """The keyword (lower case) that sets it; Flask's config key and attribute too."""
    on_by_default: bool
    """aiohttp's ``client_max_size`` is 1 MiB unless set; Flask has none unless set."""
    zero_is_off: bool
    """aiohttp checks ``if client_max_size:``, so 0 switches it off; Werkzeug compares with
    ``None`` only, so 0 rejects every body."""
    bounds_files: bool = True
    """Whether it bounds the files of a form too (Django's bounds the other fields only)."""


BODY_LIMITS = {
    FLASK: BodyLimit("max_content_length", on_by_default=False, zero_is_off=False),
    AIOHTTP: BodyLimit("client_max_size", on_by_default=True, zero_is_off=True),
    STARLETTE: BodyLimit("max_body_size", on_by_default=False, zero_is_off=False),
}
SETTINGS = {limit.setting: framework for framework, limit in BODY_LIMITS.items()}
FLASK_LIMIT = BODY_LIMITS[FLASK].setting
DJANGO_LIMIT = BodyLimit("data_upload_max_memory_size", on_by_default=True, zero_is_off=False, bounds_files=False)
"""Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB unless set): it bounds ``request.body``
and the form fields, not the files of ``request.FILES``, so it is not one of ``BODY_LIMITS``."""
DEFAULT_LIMITS = {AIOHTTP: BODY_LIMITS[AIOHTTP], DJANGO: DJANGO_LIMIT}
"""The frameworks that bound a body they read whole unless the application raises the limit."""
RAISED_SETTINGS = {limit.setting: framework for framework, limit in DEFAULT_LIMITS.items()}
RAISED_LIMIT = 32 * 2**20
"""Above this, a framework's limit on a body held in memory bounds no longer what one request
costs: twice Quart's 16 MiB default, which the rules trust (pyaleph raises aiohttp's to
64 MiB, bookwyrm Django's to 100 MiB, and both read whole bodies that large)."""
# What reads a setting from the environment with a default: ``os.getenv("X", 100)``,
# ``os.environ.get(...)``, django-environ's and environs' ``env.int("X", 100)``.
_ENVIRONMENT_READS = frozenset({"getenv", "get", "int", "float"})


def names_flask_limit(target: ast.expr) -> bool:
    """``MAX_CONTENT_LENGTH = ...``, ``app.config["MAX_CONTENT_LENGTH"] = ...``, ``.max_content_length = ...``."""
    return names_setting(target, FLASK_LIMIT)


def limits_nothing(model: SemanticModel, value: ast.expr, limit: BodyLimit) -> bool:
    """``None``, an infinite value (``sys.maxsize``, ``math.inf``) and, where the
    framework treats it so, ``0`` or ``False``: the limit is off."""
    value = model.resolve(value)
    if is_none(value) or is_infinite(model, value):
        return True
    return limit.zero_is_off and isinstance(value, ast.Constant) and not value.value


def raises_limit(model: SemanticModel, value: ast.expr, limit: BodyLimit) -> bool:
    """The limit is off (:func:`limits_nothing`) or set above :data:`RAISED_LIMIT`, also as
    the default of a setting read from the environment (bookwyrm's
    ``env.int("DATA_UPLOAD_MAX_MEMORY_MiB", 100) << 20``): what a deployment gets unless
    it says otherwise."""
    if limits_nothing(model, value, limit):
        return True
    size = setting_number(model, _environment_default(value))
    return size is not None and size > RAISED_LIMIT


def _environment_default(value: ast.expr) -> ast.expr:
    """``value`` with each read of the environment replaced by its default, also inside
    arithmetic and a conversion (``int(os.environ.get("UPLOAD_MIB", 100)) << 20``)."""
    if isinstance(value, ast.BinOp):
        return ast.BinOp(_environment_default(value.left), value.op, _environment_default(value.right))
    if isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords:
        return ast.Call(value.func, [_environment_default(value.args[0])], [])
    if (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in _ENVIRONMENT_READS
        and len(value.args) == 2 and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str)
    ):
        return value.args[1]
    return value


def names_setting(target: ast.expr, setting: str) -> bool:
    """``SETTING = ...``, ``app.config["SETTING"] = ...``, ``.setting = ...`` (any case)."""
    if isinstance(target, ast.Name):
        name = target.id
    elif isinstance(target, ast.Attribute):
        name = target.attr
    elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        name = target.slice.value
    else:
        return False
    return isinstance(name, str) and name.lower() == setting

