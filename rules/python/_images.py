"""What the full-decode image read rules (OOM401 to OOM403) share.

The decoders with the pixel limits and bytes per pixel behind OOM401's memory
arithmetic, the libraries' default limits that OOM401 and OOM402 compare settings
against, and ``CheckedFirst``: the "a condition checked it before, in the same
function" bookkeeping of OOM401 (dimensions) and OOM403 (upload sizes).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from oomlint.python.children import walk
from oomlint.python.semantic import SemanticModel

PILLOW_MAX_IMAGE_PIXELS = 89_478_485
"""Pillow's default ``Image.MAX_IMAGE_PIXELS``: it warns above, and raises above twice this."""
PILLOW_LIMIT_SETTING = "PIL.Image.MAX_IMAGE_PIXELS"
OPENCV_MAX_IMAGE_PIXELS = 2**30
"""OpenCV's default ``OPENCV_IO_MAX_IMAGE_PIXELS``."""
OPENCV_LIMIT_VARIABLE = "OPENCV_IO_MAX_IMAGE_PIXELS"
UNLIMITED_EXAMPLE_SIDE = 20_000
"""The incident's image bomb, 20000 x 20000, for libraries with no limit at all."""


@dataclass(frozen=True)
class Decoder:
    """A library that decodes whole images, and what one bomb costs it."""

    library: str
    max_pixels: int | None
    """The most pixels it decodes without raising; ``None``: no limit."""
    bytes_per_pixel: int
    honours_pillow_limit: bool = False
    """Decodes through Pillow, so ``Image.MAX_IMAGE_PIXELS`` applies."""
    per_page: bool = False

    def bomb(self) -> str:
        """The memory arithmetic of the message: pixels x bytes per pixel."""
        per_pixel = f"{self.bytes_per_pixel} bytes per pixel"
        if self.max_pixels is None:
            side = UNLIMITED_EXAMPLE_SIDE
            return f"{self.library} has no pixel limit: {side}x{side} is {_bytes(side * side * self.bytes_per_pixel)} at {per_pixel}"
        cost = _bytes(self.max_pixels * self.bytes_per_pixel)
        page = " per page" if self.per_page else ""
        warning = f" (a warning only above {PILLOW_MAX_IMAGE_PIXELS:,})" if self.honours_pillow_limit else ""
        return f"{self.library} allows {self.max_pixels:,} pixels{page}{warning}: {cost} at {per_pixel}"


# Pillow raises only above twice MAX_IMAGE_PIXELS, and stores RGB with 4 bytes per pixel.
PILLOW = Decoder("Pillow", 2 * PILLOW_MAX_IMAGE_PIXELS, 4, honours_pillow_limit=True)
_OPENCV = Decoder("OpenCV", OPENCV_MAX_IMAGE_PIXELS, 3)
_TENSORFLOW = Decoder("TensorFlow", None, 3)
DECODERS = {
    "cv2.imread": _OPENCV,
    "cv2.imdecode": _OPENCV,
    "cv2.imreadmulti": Decoder("OpenCV", OPENCV_MAX_IMAGE_PIXELS, 3, per_page=True),
    # imageio, scikit-image and matplotlib read the common formats through Pillow.
    "imageio.imread": PILLOW,
    "imageio.v2.imread": PILLOW,
    "imageio.v3.imread": PILLOW,
    "skimage.io.imread": PILLOW,
    "matplotlib.pyplot.imread": PILLOW,
    "matplotlib.image.imread": PILLOW,
    "tifffile.imread": Decoder("tifffile", None, 4),
    "torchvision.io.read_image": Decoder("torchvision", None, 3),
    "torchvision.io.decode_image": Decoder("torchvision", None, 3),
    # ``tf.image.decode_*`` are the same functions as ``tf.io.decode_*``.
    **{f"tensorflow.{module}.decode_{kind}": _TENSORFLOW for module in ("io", "image") for kind in ("image", "jpeg", "png")},
}
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
# A call of a function named so, given the image, checks it (``validate_image(upload)``).
VALIDATOR_WORDS = frozenset({"validate", "check", "verify"})
# Calls that decode only part of the pixels when given one of these flags.
REDUCING_DECODERS = {"cv2.imread": (1, "flags"), "cv2.imdecode": (1, "flags")}
REDUCED_FLAG_PREFIX = "IMREAD_REDUCED_"


def shorten(node: ast.AST, limit: int = 80) -> str:
    """The code of ``node`` for a message, cut to ``limit`` characters."""
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bytes(count: int) -> str:
    if count >= 10**9:
        return f"{count / 10**9:.1f} GB"
    return f"{round(count / 10**6)} MB"


# --------------------------------------------------------------------- settings


def is_pillow_limit(model: SemanticModel, target: ast.AST) -> bool:
    """Whether an assignment target is ``PIL.Image.MAX_IMAGE_PIXELS`` (any alias)."""
    return (
        isinstance(target, ast.Attribute)
        and target.attr == "MAX_IMAGE_PIXELS"
        and model.qualified_name(target) == PILLOW_LIMIT_SETTING
    )


# ------------------------------------------------------------- checked first


class CheckedFirst:
    """Mixin for a rule that stays silent where a condition checked something first.

    ``checked`` holds the functions (``None``: module level) in which an ``if``,
    ``assert``, ``while`` or conditional expression has, so far in the walk, passed
    the subclass's ``is_check``; the walk follows source order, so "so far" is
    "before". Until the module imports one of ``LIBRARIES`` (the model knows which it
    did), ``relevant`` is false and the subclass should return at once.
    """

    LIBRARIES: frozenset[str] = frozenset()

    def __init__(self, context, options):
        super().__init__(context, options)
        self.checked: set[ast.AST | None] = set()
        self.relevant = False
        """Whether the module has imported one of ``LIBRARIES`` so far."""

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.relevant = not self.LIBRARIES.isdisjoint(self.model.imported_packages)

    visit_ImportFrom = visit_Import

    def visit_If(self, node: ast.If | ast.While | ast.IfExp | ast.Assert) -> None:
        if self.relevant and self.is_check(node.test):
            self.checked.add(self.model.function)

    visit_While = visit_IfExp = visit_Assert = visit_If

    @property
    def checked_here(self) -> bool:
        return self.model.function in self.checked

    def is_check(self, test: ast.expr) -> bool:
        raise NotImplementedError

    def reads(self, expr: ast.AST, predicate, depth: int = 2) -> bool:
        """Whether ``predicate`` holds for a node of ``expr``, or of what one of its names
        was assigned from (``w, h = im.size`` then ``if w > limit``). A walk of the one
        guard test handed in; the names in it are resolved by the model."""
        for node in walk(expr):
            if predicate(node):
                return True
            if depth and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                binding = self.model.lookup(node.id)
                value = getattr(binding.node, "value", None) if binding is not None and binding.kind == "assign" else None
                if isinstance(value, ast.AST) and self.reads(value, predicate, depth - 1):
                    return True
        return False
