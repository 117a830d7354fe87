"""OOM401: an image decoded whole before its dimensions were checked."""

from __future__ import annotations

import ast

from oomlint.python.astutil import argument
from oomlint.core.rule import Rule
from oomlint.rules.python._images import (
    DECODERS,
    PILLOW,
    PILLOW_MAX_IMAGE_PIXELS,
    REDUCED_FLAG_PREFIX,
    REDUCING_DECODERS,
    CheckedFirst,
    Decoder,
    is_pillow_limit,
    pixel_limit,
)

PILLOW_OPEN = "PIL.Image.open"
# Methods of a Pillow image that decode every pixel (``Image.open`` reads the header only).
PILLOW_DECODES = frozenset(
    {
        "load", "convert", "resize", "rotate", "transpose", "crop", "copy", "filter",
        "tobytes", "getdata", "getpixel", "save", "thumbnail",
    }
)
PILLOW_DRAFT = "draft"
IMAGE_OPS = "PIL.ImageOps."
ARRAY_CONVERSIONS = frozenset({"numpy.array", "numpy.asarray"})
DIMENSIONS = frozenset({"size", "width", "height"})
# Calls that read an image's dimensions from its header, without decoding it.
HEADER_READERS = frozenset({"imagesize.get", "imageio.v3.improps"})
_NOT_OPENED = object()
IMAGE_LIBRARIES = frozenset(
    {"PIL", "cv2", "imageio", "skimage", "matplotlib", "tifffile", "torchvision", "tensorflow", "imagesize"}
)


class FullDecodeImageRead(CheckedFirst, Rule):
    """
    ## What it does
    Flags a full decode of an image whose dimensions were not checked first, in the
    same function:

    - a Pillow image from `PIL.Image.open(...)` (any alias; opened in the same
      function) that is then decoded: `load`, `convert`, `resize`, `rotate`,
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

    Also silent, for Pillow and the readers that decode through Pillow (imageio,
    scikit-image, matplotlib), when the module sets `PIL.Image.MAX_IMAGE_PIXELS` to a
    finite value below Pillow's default (89,478,485). OpenCV, tifffile, torchvision and
    TensorFlow ignore that setting.

    Images opened in another function (a parameter, `self.image`) are not followed,
    and a check made by a helper function the image is passed to is not seen.

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

    ## Example
    ```python
    import cv2
    from PIL import Image

    MAX_PIXELS = 24_000_000

    def make_thumbnail(path):
        image = Image.open(path).convert("RGB")
        if image.width * image.height > MAX_PIXELS:
            raise ValueError("image too large")
        ...

    def load_for_model(path):
        pixels = cv2.imread(path)
        if pixels.shape[0] * pixels.shape[1] > MAX_PIXELS:
            raise ValueError("image too large")
        ...
    ```

    ## Use instead
    Pillow: `Image.open` reads only the header. Check the size it reports, reject,
    then decode:
    ```python
    from PIL import Image

    MAX_PIXELS = 24_000_000

    def make_thumbnail(path):
        with Image.open(path) as image:
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
    import cv2
    import imagesize

    MAX_PIXELS = 24_000_000

    def load_for_model(path):
        width, height = imagesize.get(path)
        if width * height > MAX_PIXELS:
            raise ValueError("image too large")
        return cv2.imread(path)

    def load_preview(path):
        return cv2.imread(path, cv2.IMREAD_REDUCED_COLOR_4)
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
    symbol = "full-decode-image-read"
    summary = "Image decoded whole before its dimensions were checked"
    message = (
        "{call} decodes every pixel before the image's size is checked: {bomb}; "
        "check the size in the header first and reject large images"
    )

    LIBRARIES = IMAGE_LIBRARIES

    def __init__(self, context, options):
        super().__init__(context, options)
        # Every ``Image.open(...)`` call seen, with the function it is in.
        self.opened: dict[ast.Call, ast.AST | None] = {}
        self.decoded: set[ast.Call] = set()
        self.unchecked: list[tuple[ast.Call, str, Decoder]] = []
        self.pillow_limited = False

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.relevant and any(is_pillow_limit(self.model, target) for target in node.targets):
            limit = pixel_limit(self.model, node.value)
            if limit is not None and limit < PILLOW_MAX_IMAGE_PIXELS:
                self.pillow_limited = True

    def visit_Call(self, node: ast.Call) -> None:
        if not self.relevant:
            return
        func = node.func
        if isinstance(func, ast.Attribute) and (func.attr in PILLOW_DECODES or func.attr == PILLOW_DRAFT):
            image = self._opened_here(func.value)
            if image is not None:
                if func.attr == PILLOW_DRAFT:
                    self.checked.add(self.model.function)
                else:
                    self._decode(node, image, f"Image.open(...).{func.attr}()", PILLOW)
                return
        name = self.model.qualified_name(func)
        if name is None:
            return
        if name == PILLOW_OPEN:
            self.opened[node] = self.model.function
        elif name in DECODERS:
            if not self._reduced(node, name):
                self._decode(node, None, f"{name}()", DECODERS[name])
        elif name in ARRAY_CONVERSIONS or name.startswith(IMAGE_OPS):
            image = self._opened_here(argument(node, 0, "image"))
            if image is not None:
                self._decode(node, image, f"{name.removeprefix('PIL.')}(Image.open(...))", PILLOW)

    def finish(self) -> None:
        for node, call, decoder in self.unchecked:
            if not (self.pillow_limited and decoder.honours_pillow_limit):
                self.report(node, call=call, bomb=decoder.bomb())

    def is_check(self, test: ast.expr) -> bool:
        return self.reads(test, self._reads_dimensions)

    def _reads_dimensions(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return node.attr in DIMENSIONS and self._pillow_image(node.value) is not None
        if isinstance(node, ast.Call):
            return self.model.qualified_name(node.func) in HEADER_READERS
        return False

    def _decode(self, node: ast.Call, image: ast.Call | None, call: str, decoder: Decoder) -> None:
        if image is not None:
            if image in self.decoded:
                return
            self.decoded.add(image)
        if not self.checked_here:
            self.unchecked.append((node, call, decoder))

    def _pillow_image(self, expr: ast.AST) -> ast.Call | None:
        """The ``Image.open(...)`` call ``expr`` is the image of, if it is one."""
        origin = self.model.resolve(expr)
        if isinstance(origin, ast.Call) and self.model.qualified_name(origin.func) == PILLOW_OPEN:
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
