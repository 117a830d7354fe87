"""OOM403: an uploaded file or a request body read whole into memory."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from oomlint.rule import Rule
from oomlint.astutil import is_infinite, is_none, parse
from oomlint.rules.python._images import CheckedFirst, shorten
from oomlint.semantic import Binding

FLASK, DJANGO, STARLETTE, AIOHTTP = "Flask", "Django", "Starlette", "aiohttp"
WEB_LIBRARIES = frozenset({"flask", "werkzeug", "django", "rest_framework", "fastapi", "starlette", "aiohttp"})
FLASK_REQUEST = "flask.request"
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
}
# Request methods that return the whole body.
BODY_READS = {("get_data", FLASK), ("body", STARLETTE), ("read", AIOHTTP)}
READS = frozenset(method for method, _ in BODY_READS)
# ``upload.stream.read()`` (Werkzeug), ``upload.file.read()`` (Starlette, Django): the file under the upload.
UNDERLYING_FILES = frozenset({"stream", "file"})
# Unwrapped to the type they annotate; the sequences to their element type.
ANNOTATION_WRAPPERS = frozenset(
    f"{module}.{name}" for module in ("typing", "typing_extensions") for name in ("Optional", "Union", "Annotated")
)
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
SEQUENCES = frozenset(
    {"builtins.list", "builtins.tuple", "builtins.set", "typing.List", "typing.Tuple", "typing.Sequence",
     "typing.Iterable", "collections.abc.Sequence", "collections.abc.Iterable"}
)
# What a size check reads: ``upload.size``, ``request.content_length``, the header, Django's
# ``upload.multiple_chunks()``.
SIZE_ATTRIBUTES = frozenset({"size", "content_length", "multiple_chunks"})
SIZE_HEADERS = frozenset({"content-length", "content_length", "http_content_length"})


class BodyLimit(NamedTuple):
    """A limit the framework itself puts on every request body of the app (413 above it)."""

    setting: str
    """The keyword (lower case) that sets it; Flask's config key and attribute too."""
    on_by_default: bool
    """aiohttp's ``client_max_size`` is 1 MiB unless set; Flask has none unless set."""
    zero_is_off: bool
    """aiohttp checks ``if client_max_size:``, so 0 switches it off; Werkzeug compares with
    ``None`` only, so 0 rejects every body."""


BODY_LIMITS = {
    FLASK: BodyLimit("max_content_length", on_by_default=False, zero_is_off=False),
    AIOHTTP: BodyLimit("client_max_size", on_by_default=True, zero_is_off=True),
}
SETTINGS = {limit.setting: framework for framework, limit in BODY_LIMITS.items()}
FLASK_LIMIT = BODY_LIMITS[FLASK].setting
ISINSTANCE = "builtins.isinstance"
Position = tuple[int, int]


class UnboundedUploadRead(CheckedFirst, Rule):
    """
    ## What it does
    Flags an uploaded file or a request body read whole into memory with no size bound:

    - Flask/Werkzeug: `request.files[...].read()` (also through `.get(...)`, a name, a
      loop over `getlist(...)`/`values()`, or `.stream.read()`), `request.stream.read()`
      and `request.get_data()`, where `request` is `flask.request` or a parameter
      annotated `flask.Request`/`werkzeug.Request`; `.read()` of a parameter annotated
      `FileStorage`;
    - Django: `request.FILES[...].read()` (any `.FILES` in a module that imports Django
      or Django REST framework) and `.read()` of a parameter annotated `UploadedFile`,
      `InMemoryUploadedFile` or `TemporaryUploadedFile`;
    - FastAPI/Starlette: `await file.read()` (or `file.file.read()`) on a parameter
      annotated `UploadFile` (also `UploadFile | None`, `Annotated[UploadFile, File()]`,
      one item of `list[UploadFile]`) or on an item of `await request.form()`, and
      `await request.body()`, where `request` is annotated `fastapi.Request` or
      `starlette.requests.Request`;
    - aiohttp: `await request.read()` where `request` is annotated `web.Request` (or
      `BaseRequest`), or is an unannotated parameter named `request` of an `async def`
      in a module that imports aiohttp, only when the module switches aiohttp's own
      limit off: `client_max_size` given `0`, `None`, `False` or an infinite value
      (`sys.maxsize`, `math.inf`), in `web.Application(...)` or any call. Otherwise
      `read()` raises 413 above `client_max_size`, 1 MiB unless set.

    A parameter annotated with a union of one of these types and other types
    (`bytes | BinaryIO | UploadFile`, or a loop item of `list[UploadFile | str]`;
    `None` does not count) is taken for an upload or a request only where
    `isinstance(name, T)` holds, `T` being such a type or a tuple of them: in the
    branch of an `if` or a conditional expression whose test is that call, or has it
    as one operand of `and`. Elsewhere it may be any of the other types, so a read
    after `if not isinstance(...): return` or `assert isinstance(...)` is not flagged.

    Silent when a size is passed (`read(limit)`, so loops reading bounded chunks too;
    `read(-1)` and `read(None)` still read everything), when a condition before the
    read in the same function checks the size (`upload.size`, `content_length`, the
    `Content-Length` header, Django's `upload.multiple_chunks()`), and, for Flask and
    Werkzeug, when the module sets `MAX_CONTENT_LENGTH` (`app.config[...]`,
    `config.update(...)`, a config class attribute) or `max_content_length` to
    something other than `None` or an infinite value: the framework then rejects
    larger requests itself.

    Other `.read()` calls are not flagged: the object must be known to be an upload or
    a request.

    ## Why is this bad?
    `read()` with no size holds the whole upload in memory, as one `bytes` object (and
    often a second copy once it is decoded or wrapped in `BytesIO`). A client decides
    how large that is: one multi-gigabyte request, or many ordinary large ones at once,
    and the worker is OOM-killed. The image-upload gateway's validator read every
    upload whole before decoding it; its fix was to stream uploads in bounded chunks
    and reject above a size limit.

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
    symbol = "unbounded-upload-read"
    summary = "Uploaded file or request body read whole into memory"
    message = (
        "{read} reads the whole {what} into memory with no size limit; "
        "check its size first or read it in bounded chunks"
    )

    LIBRARIES = WEB_LIBRARIES

    def __init__(self, context, options):
        super().__init__(context, options)
        self.unbounded: list[tuple[ast.Call, str, str]] = []
        self.limited = {framework: limit.on_by_default for framework, limit in BODY_LIMITS.items()}
        # Where ``isinstance(name, T)`` holds: the true branch of an ``if`` or conditional
        # expression, with the qualified names of ``T``, for each binding tested.
        self.narrowed: dict[Binding, list[tuple[Position, Position, tuple[str | None, ...]]]] = {}

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        if not self.relevant or node.value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(_names_flask_limit(target) for target in targets):
            self._note_limit(FLASK, node.value)

    visit_AnnAssign = visit_Assign

    def visit_Call(self, node: ast.Call) -> None:
        if not self.relevant:
            return
        for item in node.keywords:
            framework = SETTINGS.get(item.arg.lower()) if item.arg else None
            if framework is not None:
                self._note_limit(framework, item.value)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in READS and not self.checked_here:
            found = self._whole_read(node, func)
            if found is not None:
                self.unbounded.append((node, *found))

    def visit_If(self, node: ast.If | ast.IfExp) -> None:
        super().visit_If(node)
        if self.relevant:
            body = node.body if isinstance(node, ast.If) else [node.body]
            start, end = (body[0].lineno, body[0].col_offset), (body[-1].end_lineno, body[-1].end_col_offset)
            for binding, types in self._isinstance_tests(node.test):
                self.narrowed.setdefault(binding, []).append((start, end, types))

    visit_IfExp = visit_If

    def finish(self) -> None:
        for node, framework, what in self.unbounded:
            if not self.limited.get(framework, False):
                self.report(node, read=shorten(node, 60), what=what)

    def is_check(self, test: ast.expr) -> bool:
        return self.reads(test, _reads_size)

    def _note_limit(self, framework: str, value: ast.expr) -> None:
        """A setting of the framework's body limit. Like the framework, the module is
        limited when any setting says so for Flask (off by default) and unlimited when
        any says so for aiohttp (on by default)."""
        limit = BODY_LIMITS[framework]
        if self._limits_nothing(value, limit) == limit.on_by_default:
            self.limited[framework] = not limit.on_by_default

    def _limits_nothing(self, value: ast.expr, limit: BodyLimit) -> bool:
        """``None``, an infinite value (``sys.maxsize``, ``math.inf``) and, where the
        framework treats it so, ``0`` or ``False``: the limit is off."""
        value = self.model.resolve(value)
        if is_none(value) or is_infinite(self.model, value):
            return True
        return limit.zero_is_off and isinstance(value, ast.Constant) and not value.value

    def _whole_read(self, call: ast.Call, func: ast.Attribute) -> tuple[str, str] | None:
        """``(framework, what)`` when ``call`` reads a whole upload or request body."""
        receiver = func.value
        if func.attr == "read":
            if _size_given(call):
                return None
            if isinstance(receiver, ast.Attribute) and receiver.attr in UNDERLYING_FILES:
                framework = self._upload(receiver.value)
                if framework is not None:
                    return framework, "upload"
                if receiver.attr == "stream" and self._request(receiver.value) == FLASK:
                    return FLASK, "request body"
                return None
            framework = self._upload(receiver)
            if framework is not None:
                return framework, "upload"
        framework = self._request(receiver)
        if (func.attr, framework) in BODY_READS:
            return framework, "request body"
        return None

    # What an expression is -------------------------------------------------

    def _request(self, expr: ast.expr) -> str | None:
        """The framework whose request object ``expr`` is, if known."""
        if self.model.qualified_name(expr) == FLASK_REQUEST:
            return FLASK
        parameter = self._parameter(expr)
        if parameter is None:
            return None
        if parameter.annotation is not None:
            return self._annotated(parameter.annotation, REQUEST_TYPES, expr)
        if (
            parameter.arg == "request"
            and AIOHTTP in self.imported
            and isinstance(self.model.function, ast.AsyncFunctionDef)
        ):
            return AIOHTTP
        return None

    def _upload(self, expr: ast.expr) -> str | None:
        """The framework whose uploaded file ``expr`` is, if known."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Subscript):
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
        """``request.files.getlist(...)``, ``.values()``, a ``list[UploadFile]`` parameter;
        ``item`` is the loop's name for one of them."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute) and origin.func.attr in ("getlist", "values"):
            return self._upload_container(origin.func.value)
        parameter = self._parameter(origin)
        if parameter is not None and parameter.annotation is not None:
            return self._annotated(parameter.annotation, UPLOAD_TYPES, item, element=True)
        return None

    def _upload_container(self, expr: ast.expr) -> str | None:
        """``request.files`` (Flask), ``request.FILES`` (Django), ``await request.form()`` (Starlette)."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Attribute):
            if origin.attr == "files" and self._request(origin.value) == FLASK:
                return FLASK
            if origin.attr == "FILES" and ({"django", "rest_framework"} & self.imported):
                return DJANGO
            return None
        if isinstance(origin, ast.Await):
            origin = origin.value
        if (
            isinstance(origin, ast.Call)
            and isinstance(origin.func, ast.Attribute)
            and origin.func.attr == "form"
            and self._request(origin.func.value) == STARLETTE
        ):
            return STARLETTE
        return None

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
        allowed = list(self._annotation_types(annotation, element))
        if not any(name in types for name in allowed):
            return None
        return _framework_of(allowed, types) or _framework_of(self._narrowed(value), types)

    def _annotation_types(self, annotation: ast.expr, element: bool) -> Iterator[str | None]:
        """Qualified names of the types ``annotation`` allows, through ``Optional``,
        ``Union``, ``X | None`` (its ``None`` left out), ``Annotated`` and quotes; with
        ``element``, of the items of the sequences it allows. A yielded ``None`` stands
        for a type with no name (``dict[str, str]``, a local class) or for the items of
        something that is not a sequence: another type all the same."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = parse(annotation.value, mode="eval").body
            except SyntaxError:
                yield None
                return
        if is_none(annotation):
            return
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            yield from self._annotation_types(annotation.left, element)
            yield from self._annotation_types(annotation.right, element)
        elif isinstance(annotation, ast.Subscript):
            base = self.model.qualified_name(annotation.value)
            items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            if base in ANNOTATION_WRAPPERS:
                for item in items[:1] if base in ANNOTATED else items:
                    yield from self._annotation_types(item, element)
            elif element and base in SEQUENCES and items:
                yield from self._annotation_types(items[0], False)
            else:
                yield None
        else:
            yield None if element else self.model.qualified_name(annotation)

    def _isinstance_tests(self, test: ast.expr) -> Iterator[tuple[Binding, tuple[str | None, ...]]]:
        """``(binding of x, qualified names of T)`` for each ``isinstance(x, T)`` that
        holds wherever ``test`` is true (itself or one operand of an ``and``)."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            for operand in test.values:
                yield from self._isinstance_tests(operand)
        elif (
            isinstance(test, ast.Call)
            and len(test.args) == 2
            and isinstance(test.args[0], ast.Name)
            and self.model.qualified_name(test.func) == ISINSTANCE
        ):
            binding = self.model.lookup(test.args[0].id)
            classes = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
            if binding is not None:
                yield binding, tuple(self.model.qualified_name(item) for item in classes)

    def _narrowed(self, value: ast.Name) -> tuple[str | None, ...]:
        """The classes that the innermost ``isinstance`` test around ``value`` says it is."""
        binding = self.model.lookup(value.id)
        position = (value.lineno, value.col_offset)
        for start, end, classes in reversed(self.narrowed.get(binding, ())):
            if start <= position <= end:
                return classes
        return ()


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


def _framework_of(names: Sequence[str | None], types: dict[str, str]) -> str | None:
    """The framework of the first of ``names`` when every one of them is one of ``types``."""
    if names and all(name in types for name in names):
        return types[names[0]]
    return None


def _reads_size(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in SIZE_ATTRIBUTES
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in SIZE_HEADERS


def _names_flask_limit(target: ast.expr) -> bool:
    """``MAX_CONTENT_LENGTH = ...``, ``app.config["MAX_CONTENT_LENGTH"] = ...``, ``.max_content_length = ...``."""
    if isinstance(target, ast.Name):
        name = target.id
    elif isinstance(target, ast.Attribute):
        name = target.attr
    elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        name = target.slice.value
    else:
        return False
    return isinstance(name, str) and name.lower() == FLASK_LIMIT


def _is_name(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Name) and target.id == name
