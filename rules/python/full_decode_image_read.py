"""OOM401: an image decoded whole before its dimensions were checked."""

from __future__ import annotations

import ast
import functools

from oomlint.core.rule import Rule
from oomlint.python.astutil import argument, handed_call, last_name, setting_number
from oomlint.python.project import project_name, request_hook_decorators
from oomlint.python.web import Origin, WebInputs, admins_only, describes_upload, module_callee
from oomlint.rules.python._image_helpers import helpers_of, names_a_validator, pillow_limited_in_project
from oomlint.rules.python._images import (
    ARRAY_CONVERSIONS,
    DECODERS,
    DIMENSIONS,
    HEADER_READERS,
    IMAGE_OPS,
    PILLOW_DECODES,
    PILLOW_DRAFT,
    PILLOW_OPEN,
    PILLOW,
    PILLOW_MAX_IMAGE_PIXELS,
    REDUCED_FLAG_PREFIX,
    REDUCING_DECODERS,
    CheckedFirst,
    Decoder,
    is_pillow_limit,
    shorten,
)

_NOT_OPENED = object()
IMAGE_LIBRARIES = frozenset(
    {"PIL", "cv2", "imageio", "skimage", "matplotlib", "tifffile", "torchvision", "tensorflow", "imagesize"}
)


class FullDecodeImageRead(CheckedFirst, Rule):
    """
    ## What it does
    Flags a full decode of an untrusted image whose dimensions were not checked first,
    in the same function:

    - a Pillow image from `PIL.Image.open(...)` (any alias; opened in the same
      function, or by a project function that returns, undecoded, the image it opens
      from data it is given: `_opened(data)` returning `Image.open(io.BytesIO(data))`,
      whose data is then what the caller passes; not one that checks the dimensions
      before it returns the image) that is then decoded: `load`, `convert`, `resize`, `rotate`,
      `transpose`, `crop`, `copy`, `filter`, `tobytes`, `getdata`, `getpixel`, `save`,
      `thumbnail`, `ImageOps.*(im)`, `numpy.array(im)` or `numpy.asarray(im)`;
      chains too (`Image.open(p).convert("RGB")`), which leave no chance to check.
      Only the first decode of each image is reported;
    - `cv2.imread` and `cv2.imdecode` (unless their flag is an `IMREAD_REDUCED_*`
      value), `cv2.imreadmulti`; `imageio.imread`, `imageio.v2.imread`,
      `imageio.v3.imread`; `skimage.io.imread`; `matplotlib.pyplot.imread`,
      `matplotlib.image.imread`; `tifffile.imread`; `torchvision.io.read_image`,
      `decode_image`; `tensorflow.io.decode_image`, `decode_jpeg`, `decode_png` (and
      their `tf.image` aliases).

    "Checked first" means that before the decode, in the same function, a condition
    (`if`, `assert`, `while`, a conditional expression) reads the `size`, `width` or
    `height` of an image from `PIL.Image.open(...)`, calls a header reader
    (`imagesize.get`, `imageio.v3.improps`), or reads a name assigned from one of those
    (`w, h = im.size` then `if w * h > LIMIT`). `im.draft(...)` before the decode
    counts too. The size of the file does not: a bomb is a small file.

    Only untrusted images are flagged: what an attacker can send. The data decoded
    (the argument of `Image.open` or of the decoder) must come, through local names and
    what carries data along (`io.BytesIO(...)`, `numpy.frombuffer(...)`,
    `base64.b64decode(...)`, `.read()`, `.file`/`.stream`, `open(...)`, a path joined
    with `os.path.join`, an f-string or `+`), from:
    - an upload or a request: `request.files[...]` (Flask), `request.FILES[...]` and the
      data of a `request` parameter (Django, Django REST framework), an `UploadFile`
      (FastAPI, Starlette, also items of `list[UploadFile]` and `await request.form()`),
      a `FileStorage`/`UploadedFile` parameter, the `.file` of a form field of WebOb's
      `request.POST` (Pecan's `pecan.request`, Pyramid's `request`), the request's body,
      form, JSON or arguments; a form's `cleaned_data` or a serializer's `validated_data`; a parameter
      of a FastAPI path operation (`@router.post(...)`) that FastAPI fills from the
      request: the JSON body model (`request: FaceRequest`, then
      `b64decode(request.image_base64)`), a `bytes` body, path and query values (text:
      a path they name is the server's file, not image data); not what a dependency
      gives (`= Depends(...)`, `Annotated[..., Depends(...)]`); the uploads and the
      body of Quart (`await request.files`), Bottle (`bottle.request.files`), Tornado
      (`self.request.files`, `self.request.body` in a method of a `...Handler` class of a
      module that imports Tornado) and Sanic (`request.files`, `request.body` of a
      parameter named `request` in a module that imports Sanic); what Streamlit's
      `file_uploader(...)` and `camera_input(...)` return (on `st`, `st.sidebar` or a
      column);
    - a file a chat user sent: a message's `attachments` (or a parameter annotated
      `Attachment`) in a module that imports discord.py, nextcord or disnake, read with
      `await attachment.read()` (not an avatar: the CDN sizes it); in a module that
      imports python-telegram-bot, pyTelegramBotAPI, aiogram, Pyrogram or Telethon,
      what their downloads return (`download_as_bytearray()`, `download_to_drive()`,
      `download(...)`, `download_file(...)`, `download_media(...)`: the data, or the
      path of the file written); not a buffer the bot passes to `download_to_memory(out)`;
    - a network response: a call into `requests`, `httpx`, `aiohttp` or `urllib3`,
      `urllib.request.urlopen`, or a method of a client they make (`Session().get`);
    - what a function of the same module returns when it is given such data
      (`await _read(upload)` gathering the upload's chunks, bounded in bytes only),
      unless that function checks an image's size itself;
    - a parameter of the function, when a call of the function in the same module
      passes such data for it (through up to three calls), and that caller did not
      check an image's size before the call. A thread pool or an executor given the
      function and the data calls it so: `run_in_threadpool(resize, data)`,
      `asyncio.to_thread(resize, data)`, `anyio.to_thread.run_sync(resize, data)`,
      `loop.run_in_executor(None, resize, data)`, `executor.submit(resize, data)`,
      also with `functools.partial(resize, data)`; a helper of another module too. A
      function of the module handed to another as a callback (`upload_media(request,
      create_attachment)`) is called with what that one passes its callback parameter
      (`callback(request.FILES, request.user)`).

    A local name holds such data also where a later branch, loop or `try` may bind it
    to something else first (`f = serializer.validated_data["file"]`, then
    `if recipe_id: f = storage.get(...)`): on the path that skips the branch, the
    decode gets the upload.

    A function of another module of the project that is given such data and decodes it
    whole before checking its dimensions (`crop_avatar(upload)`, where `crop_avatar`
    does `Image.open(upload).convert("RGB")`; also through further helpers, up to three)
    is reported at the call that hands it the data: that is where untrusted input comes
    in and where a check belongs. The same helper given the same data again in the
    function (a thumbnail after the full-size copy, `resize_image(upload, size=(2000,
    2000))` then `resize_image(upload, size=(400, 225))`) is reported once, at the first
    call: the one check in the helper fixes both (a name bound again in between holds
    other data). The message names the helper and its decode. Silent
    when the helper's own module reports the decode already: the data reaches it
    through a parameter annotated as an upload or a request, and as nothing else
    (`upload: UploadFile`, `source: UploadedFile`), in the helper or in one it hands
    the data on to; one check there fixes every caller, so the decode is one finding,
    not one per module that calls. Silent too when the helper checks the dimensions
    before it decodes, when its module lowers
    `Image.MAX_IMAGE_PIXELS` (for Pillow decodes), when it only reads the header
    (`Image.open(f).size`), and when the caller checks first, by itself or by handing the
    data to a validator: a function named `validate...`, `check...` or `verify...`, or a
    project function whose conditions read the image's `size`, `width` or `height` (or
    what `imagesize.get` returns) before it decodes the image; one that decodes first and
    reads the size afterwards (`convert("RGB")`, then `fit(image)` comparing its size) is
    a decode, not a validator: the memory is spent by then.

    ## Why is this bad?
    A decoded image takes width × height × bytes per pixel, whatever the size of the
    file: a 20000×20000 PNG of one colour is a file of about a megabyte (far less as a
    palette image) and decodes to 1.2 GB at 3 bytes per pixel (RGB), 1.6 GB at 4
    (RGBA, and Pillow's own RGB storage).
    The libraries' own guards sit far above what a container survives:

    | library | default limit | one bomb at that limit |
    | --- | --- | --- |
    | Pillow (imageio, scikit-image, matplotlib) | warns above 89,478,485 pixels, raises above 178,956,970 | 178,956,970 × 4 B = 716 MB |
    | OpenCV (`OPENCV_IO_MAX_IMAGE_PIXELS`) | 2^30 = 1,073,741,824 pixels | 1,073,741,824 × 3 B (BGR) = 3.2 GB |
    | tifffile, torchvision, TensorFlow | none | 20000 × 20000 × 3 B = 1.2 GB, and more |

    This is the image-upload gateway's incident: the upload validator decoded every
    pixel (Java's `ImageIO.read()`) just to check the image's size. One 20000×20000
    image bomb needed 1.6 GB of heap, and ordinary large uploads slowly filled the old
    generation until the pod was OOM-killed.

    ## Known limits
    Pillow, and the readers that decode through Pillow (imageio, scikit-image,
    matplotlib), are not flagged when the module sets `PIL.Image.MAX_IMAGE_PIXELS` to a
    finite value below Pillow's default (89,478,485), or the project's configuration does
    at import time (a module named `settings`, `config`, `conf`, a Django `apps` module, a
    package's `__init__`; not a test): the setting is the process's. Another module's
    setting (a batch job's helper) is not counted: not every process loads it. OpenCV,
    tifffile, torchvision and TensorFlow ignore that setting.

    Images the application ships or makes itself (a constant path, its assets, its own
    thumbnails and captured frames), and parameters that no caller in the module fills
    with untrusted data, are not flagged: their size is the application's own choice (a
    caller in another module that passes an upload is reported at its call, above).
    Nor is a file whose path is text from a request (a query or form field, JSON:
    `Image.open(request.json["source"])`): the request names a file on the server (an
    internal service's own files), it does not send image data; text made bytes (`base64.b64decode(request.json["image"])`) is
    image data. Nor are the uploads of functions that serve administrators only
    (decorated `@admins_only`, `@staff_member_required`..., a Django `ModelAdmin`, a
    view with `permission_classes` holding `IsAdminUser`, a view registered with a
    permission that names administrators, Pyramid's `@view_config(permission="admin")`,
    a route of a blueprint whose `before_request` hook is so decorated):
    they are the operator's own
    data. Images opened in another function (`self.image`) are not followed, but
    for the opening helpers above.

    A helper whose own module knows its data for untrusted only through that module's
    callers (not by the parameter's annotation) is reported there and, again, at a
    call in another module that passes it an upload: the summaries of the project
    index record annotations, not what each caller passes.

    A check also counts when, before the decode, the function hands the image to a
    validator from another module (a function whose name starts with `validate`,
    `check` or `verify`: `validate_image(upload)`; the module's own functions are read
    instead), and a private function is checked when every caller in the module checks
    before calling it. A validator given only what describes the upload (its `filename`,
    `name`, `size`, `content_length`, `content_type`, `mimetype` or `headers`:
    `validate_upload(file.filename, file.size)`) checks the name and the bytes, not the
    pixels: it is no check.

    ## Example
    ```python
    import cv2
    import numpy
    from fastapi import UploadFile
    from PIL import Image

    MAX_PIXELS = 24_000_000

    def make_thumbnail(upload: UploadFile):
        image = Image.open(upload.file).convert("RGB")
        if image.width * image.height > MAX_PIXELS:
            raise ValueError("image too large")
        ...

    def load_for_model(upload: UploadFile):
        pixels = cv2.imdecode(numpy.frombuffer(upload.file.read(), numpy.uint8), cv2.IMREAD_COLOR)
        if pixels.shape[0] * pixels.shape[1] > MAX_PIXELS:
            raise ValueError("image too large")
        ...
    ```

    ## Use instead
    Pillow: `Image.open` reads only the header. Check the size it reports, reject,
    then decode:
    ```python
    from fastapi import UploadFile
    from PIL import Image

    MAX_PIXELS = 24_000_000

    def make_thumbnail(upload: UploadFile):
        with Image.open(upload.file) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError("image too large")
            rgb = image.convert("RGB")
        ...
    ```
    Setting `Image.MAX_IMAGE_PIXELS` to your own limit at import time makes every
    `Image.open` raise `DecompressionBombWarning` above it (and
    `DecompressionBombError` above twice it); turn the warning into an error with
    `warnings.simplefilter("error", Image.DecompressionBombWarning)`.

    OpenCV: read the dimensions from the header first (Pillow's lazy `Image.open` or
    the `imagesize` package), then decode; or decode at reduced size:
    ```python
    import io

    import cv2
    import numpy
    from fastapi import UploadFile
    from PIL import Image

    MAX_PIXELS = 24_000_000
    MAX_BYTES = 20_000_000

    def load_for_model(upload: UploadFile):
        data = upload.file.read(MAX_BYTES)
        with Image.open(io.BytesIO(data)) as header:
            if header.width * header.height > MAX_PIXELS:
                raise ValueError("image too large")
        return cv2.imdecode(numpy.frombuffer(data, numpy.uint8), cv2.IMREAD_COLOR)

    def load_preview(upload: UploadFile):
        data = upload.file.read(MAX_BYTES)
        return cv2.imdecode(numpy.frombuffer(data, numpy.uint8), cv2.IMREAD_REDUCED_COLOR_4)
    ```

    ## Options
    None.

    ## Fix
    None: the limit is a decision about the service.

    ## References
    - [Pillow: Image.open is lazy; MAX_IMAGE_PIXELS and decompression bombs](https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.open)
    - [OpenCV: imread flags (IMREAD_REDUCED_*)](https://docs.opencv.org/4.x/d8/d6a/group__imgcodecs__flags.html)
    - [OpenCV: OPENCV_IO_MAX_IMAGE_PIXELS](https://docs.opencv.org/4.x/d6/dea/tutorial_env_reference.html)
    - [imagesize](https://github.com/shibukawa/imagesize_py)
    """

    code = "OOM401"
    required_text = tuple(sorted(IMAGE_LIBRARIES))  # silent until the module imports one
    symbol = "full-decode-image-read"
    summary = "Image decoded whole before its dimensions were checked"
    message = (
        "{call} decodes every pixel of {source} before the image's size is checked: {bomb}; "
        "check the size in the header first and reject large images"
    )

    # The project index summarizes the modules that decode (``Image.open`` is found by
    # ``Image``: ``open`` would name every module that opens a file).
    follows = frozenset({"PIL.Image", *DECODERS})
    LIBRARIES = IMAGE_LIBRARIES

    @classmethod
    def helper_names(cls, project, options):
        """A module that imports no image library can only hand data to a project function
        that decodes it whole (see ``names_a_decoding_helper``)."""
        return helpers_of(project).decoding_names()

    def __init__(self, context, options):
        super().__init__(context, options)
        self.request_hooks = functools.partial(request_hook_decorators, context)
        """What the project's hooks before a blueprint's requests require (an administrator)."""
        # Every ``Image.open(...)`` call seen, with the function it is in; also calls of a
        # project function that returns an image it opened, with the data they pass it.
        self.opened: dict[ast.Call, ast.AST | None] = {}
        self.opened_by_helper: dict[ast.Call, ast.expr] = {}
        self.decoded: set[ast.Call] = set()
        # Decodes before any check: the call, how to name it, the decoder, where its data
        # comes from, the function it is in, and for a project helper's decode, the helper and
        # the data (see :meth:`_helper_data`).
        self.unchecked: list[tuple[ast.Call, str, Decoder, Origin, ast.AST | None, tuple]] = []
        # Calls of the module's own functions and methods: per callee, the caller, where
        # each parameter's argument comes from (when known), and whether the caller checked
        # an image's size before the call.
        self.calls: dict[ast.AST, list[tuple[ast.AST | None, dict[str, Origin], bool]]] = {}
        # Functions of the module handed to another as an argument: the receiver, its
        # parameter, the function handed and its parameters; and the calls each function
        # makes of its parameters (callbacks): where the arguments come from, whether checked.
        self.handed: list[tuple[ast.AST, str, ast.AST, list[str]]] = []
        self.callback_calls: dict[tuple[ast.AST | None, str], list[tuple[list[Origin | None], dict[str, Origin | None], bool]]] = {}
        self.pillow_limited = False
        self._project_limited: bool | None = None
        self.inputs = WebInputs(self.model)
        project = context.project
        self.helpers = helpers_of(project) if project is not None else None
        self.module = project.module_for(context.path) if project is not None else None
        # A module that imports no image library can still hand an upload to a helper of
        # another module that decodes it.
        self.names_a_decoding_helper = self.helpers is not None and any(
            name in context.source for name in self.helpers.decoding_names()
        )

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.relevant and any(is_pillow_limit(self.model, target) for target in node.targets):
            limit = setting_number(self.model, node.value)
            if limit is not None and limit < PILLOW_MAX_IMAGE_PIXELS:
                self.pillow_limited = True

    def visit_Call(self, node: ast.Call) -> None:
        if not self.relevant:
            if self.names_a_decoding_helper:
                self._note_call(node)
            return
        func = node.func
        if isinstance(func, ast.Attribute) and (func.attr in PILLOW_DECODES or func.attr == PILLOW_DRAFT):
            image = self._opened_here(func.value)
            if image is not None:
                if func.attr == PILLOW_DRAFT:
                    self.checked.add(self.model.function)
                else:
                    self._decode(node, image, f"{self._opener(image)}(...).{func.attr}()", PILLOW)
                return
        self._note_call(node)
        self._note_helper_open(node)
        name = self.model.qualified_name(func)
        if name is None:
            return
        if name == PILLOW_OPEN:
            self.opened[node] = self.model.function
        elif name in DECODERS:
            if not self._reduced(node, name):
                self._decode(node, node, f"{name}()", DECODERS[name])
        elif name in ARRAY_CONVERSIONS or name.startswith(IMAGE_OPS):
            image = self._opened_here(argument(node, 0, "image"))
            if image is not None:
                self._decode(node, image, f"{name.removeprefix('PIL.')}({self._opener(image)}(...))", PILLOW)

    def finish(self) -> None:
        self._calls_of_callbacks()
        reported = set()
        for node, call, decoder, origin, function, data in self.unchecked:
            if decoder.honours_pillow_limit and (self.pillow_limited or self._limited_in_project()):
                continue
            if origin.parameter and self._checked_by_every_caller(function) or self._screened(origin):
                continue
            source = _image_data(origin) or (origin.parameter and self._passed_untrusted(function, origin.parameter))
            if source and (function, data) not in reported:
                if data is not None:
                    reported.add((function, data))
                self.report(node, call=call, source=source, bomb=decoder.bomb())

    def _helper_data(self, helper: str, data: ast.expr) -> tuple:
        """A project helper and the data the function being walked gives it: its text, and the
        binding of the name it starts from (``upload`` bound again in between is other data).
        The same helper given the same data again (a thumbnail after the full-size copy) is
        one finding, at the first call: the one check in the helper fixes both."""
        root = data
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        binding = self.model.lookup(root.id) if isinstance(root, ast.Name) else None
        return helper, ast.dump(data), id(binding) if binding is not None else None

    def _limited_in_project(self) -> bool:
        """Another module of the project lowers Pillow's limit at import time (asked once)."""
        if self._project_limited is None:
            project = self.context.project
            self._project_limited = project is not None and pillow_limited_in_project(project)
        return self._project_limited

    def _checked_by_every_caller(self, function: ast.AST | None) -> bool:
        """A private function whose callers in the module all check an image's size (or
        hand it to a validator) before they call it."""
        calls = self.calls.get(function)
        private = getattr(function, "name", "").startswith("_")
        return bool(calls) and private and all(checked for _, _, checked in calls)

    def _passed_untrusted(self, function: ast.AST | None, parameter: str, depth: int = 3) -> str | None:
        """What untrusted data a caller in the module passes for ``parameter`` of
        ``function`` without checking an image's size first (following parameters passed
        on, ``depth`` calls up)."""
        for caller, origins, checked in self.calls.get(function, ()):
            origin = origins.get(parameter)
            if checked or origin is None or self._screened(origin):
                continue
            if _image_data(origin):
                return origin.untrusted
            if origin.parameter and depth:
                found = self._passed_untrusted(caller, origin.parameter, depth - 1)
                if found:
                    return found
        return None

    def _screened(self, origin: Origin) -> bool:
        """The data came out of a function of the module that checks an image's size
        (``data = await _screened(upload)``, which rejects a large header before it returns)."""
        return any(helper in self.checked for helper in origin.through)

    def _note_call(self, call: ast.Call) -> None:
        """A call of a function or method of this module (also one a thread pool or an
        executor is given to run): where its arguments come from. A validator of another
        module given the image (``validate_image(upload)``) is taken to check it; the
        module's own functions are read instead."""
        call = handed_call(self.model, call) or call  # ``to_thread(resize, data)`` is ``resize(data)``
        callee, parameters = module_callee(self.model, call.func)
        if callee is None:
            callback = self._callback(call.func)
            if callback is not None:
                self.callback_calls.setdefault((self.model.function, callback), []).append(
                    ([self._origin_of(arg) for arg in call.args],
                     {item.arg: self._origin_of(item.value) for item in call.keywords if item.arg},
                     self.checked_here)
                )
            elif self._validates(call):
                self.checked.add(self.model.function)
            elif self.helpers is not None:
                self._note_helper_call(call)
            return
        origins = {}
        passed = [*zip(parameters, call.args), *((item.arg, item.value) for item in call.keywords if item.arg)]
        for parameter, value in passed:
            if isinstance(value, ast.Starred):
                break
            origin = self._origin_of(value)
            if origin is not None:
                origins[parameter] = origin
            handed, handed_parameters = module_callee(self.model, value)
            if handed is not None:
                self.handed.append((callee, parameter, handed, handed_parameters))
        self.calls.setdefault(callee, []).append((self.model.function, origins, self.checked_here))

    def _origin_of(self, value: ast.expr | None) -> Origin | None:
        """Where an argument comes from, when it is untrusted data or a parameter (else None)."""
        if isinstance(value, ast.Starred):
            return None
        origin = self.inputs.origin(value)
        return origin if origin.untrusted or origin.parameter else None

    def _callback(self, func: ast.expr) -> str | None:
        """The parameter of the function being walked that ``func`` calls (a callback its
        callers hand it: ``up_file_callback(request.FILES, ...)``)."""
        if not isinstance(func, ast.Name):
            return None
        binding = self.model.lookup(func.id)
        if binding is None or binding.kind != "param" or binding.scope is None:
            return None
        return func.id if binding.scope.node is self.model.function else None

    def _calls_of_callbacks(self) -> None:
        """A function of the module handed to another (``upload_media(request, form,
        create_attachment)``) is called with what that one passes its callback parameter:
        those calls join the handed function's calls."""
        for receiver, parameter, handed, parameters in self.handed:
            for positional, keywords, checked in self.callback_calls.get((receiver, parameter), ()):
                origins = {name: origin for name, origin in zip(parameters, positional) if origin is not None}
                origins.update((name, origin) for name, origin in keywords.items() if origin is not None)
                self.calls.setdefault(handed, []).append((receiver, origins, checked))

    def _validates(self, call: ast.Call) -> bool:
        name = self.model.qualified_name(call.func) or last_name(call.func) or ""
        if not call.args or not names_a_validator(name):
            return False
        # ``validate_upload(upload.filename, upload.size)`` checks the bytes, not the pixels.
        return any(self._origin_of(arg) is not None and not describes_upload(arg) for arg in call.args)

    def _note_helper_call(self, call: ast.Call) -> None:
        """A function of another module of the project given untrusted data (or a
        parameter): a validator that checks the image's dimensions counts as a check; a
        helper that decodes it whole before any check is a decode here, at the call that
        hands it the data (``crop_avatar(upload)``)."""
        name = project_name(self.model, call.func, *self.module)
        if name is None:
            return
        passed = [*enumerate(call.args), *((item.arg, item.value) for item in call.keywords if item.arg)]
        for position, value in passed:
            if isinstance(value, ast.Starred):
                return
            origin = self._origin_of(value)
            if origin is None:
                continue
            if self.helpers.checks(name, position):
                self.checked.add(self.model.function)
                return
            decode = self.helpers.decode(name, position)
            if decode is not None and decode.reported:
                return  # reported in the helper's module, where one check fixes every caller
            if decode is not None and not self.checked_here and not admins_only(self.model, self.request_hooks):
                call_text = f"{shorten(call.func)}() ({decode.call} in {decode.module})"
                self.unchecked.append((call, call_text, decode.decoder, origin, self.model.function, self._helper_data(name, value)))
                return

    def _note_helper_open(self, call: ast.Call) -> None:
        """``_decoded(data)``, a project function that returns ``Image.open(...)`` of the
        data it is given, undecoded: the image it returns is opened here, from ``data``."""
        if self.helpers is None or call in self.opened:
            return
        name = project_name(self.model, call.func, *self.module)
        opened = self.helpers.opens(name) if name is not None else None
        data = argument(call, *opened) if opened is not None else None
        if data is not None:
            self.opened[call] = self.model.function
            self.opened_by_helper[call] = data

    def _opener(self, image: ast.Call) -> str:
        """How the message names what opened ``image``: ``Image.open``, or the helper."""
        return shorten(image.func, 40) if image in self.opened_by_helper else "Image.open"

    def is_check(self, test: ast.expr) -> bool:
        return self.reads(test, self._reads_dimensions)

    def _reads_dimensions(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return node.attr in DIMENSIONS and self._pillow_image(node.value) is not None
        if isinstance(node, ast.Call):
            return self.model.qualified_name(node.func) in HEADER_READERS
        return False

    def _decode(self, node: ast.Call, source: ast.Call, call: str, decoder: Decoder) -> None:
        """``node`` decodes the data given to ``source`` (an ``Image.open(...)`` or a decoder
        call), before any check in this function."""
        if source is not node:
            if source in self.decoded:
                return
            self.decoded.add(source)
        if not self.checked_here and not admins_only(self.model, self.request_hooks):
            data = self.opened_by_helper.get(source) or (
                source.args[0] if source.args else (source.keywords[0].value if source.keywords else None)
            )
            origin = self._origin_of(data)
            if origin is not None:
                self.unchecked.append((node, call, decoder, origin, self.model.function, None))

    def _pillow_image(self, expr: ast.AST) -> ast.Call | None:
        """The ``Image.open(...)`` call ``expr`` is the image of, if it is one (or the call
        of a project function that returns one)."""
        origin = self.model.resolve(expr)
        if not isinstance(origin, ast.Call):
            return None
        if origin is expr:  # inline (``_decoded(data).convert()``): walked after its receiver
            self._note_helper_open(origin)
        if self.model.qualified_name(origin.func) == PILLOW_OPEN or origin in self.opened_by_helper:
            return origin
        return None

    def _opened_here(self, expr: ast.AST | None) -> ast.Call | None:
        """Like ``_pillow_image``, for an image opened in the function being walked."""
        if expr is None:
            return None
        origin = self.model.resolve(expr)
        if origin is expr:  # ``Image.open(p).convert()``: inline, so opened right here
            return self._pillow_image(expr)
        return origin if self.opened.get(origin, _NOT_OPENED) is self.model.function else None

    def _reduced(self, node: ast.Call, name: str) -> bool:
        """``cv2.imread(path, cv2.IMREAD_REDUCED_COLOR_2)`` decodes a fraction of the pixels."""
        parameter = REDUCING_DECODERS.get(name)
        flags = argument(node, *parameter) if parameter else None
        return flags is not None and any(
            (isinstance(item, ast.Attribute) and item.attr.startswith(REDUCED_FLAG_PREFIX))
            or (isinstance(item, ast.Name) and item.id.startswith(REDUCED_FLAG_PREFIX))
            for item in ast.walk(flags)
        )


def _image_data(origin: Origin) -> str | None:
    """What untrusted image data ``origin`` is: not untrusted text (a path a request names)."""
    return origin.untrusted if origin.untrusted and not origin.text else None
