"""OOM402: Pillow's or OpenCV's decompression-bomb guard turned off or raised."""

from __future__ import annotations

import ast
import math

from oomlint.python.astutil import argument, setting_number
from oomlint.core.rule import Option, Rule
from oomlint.rules.python._images import (
    OPENCV_LIMIT_VARIABLE,
    OPENCV_MAX_IMAGE_PIXELS,
    PILLOW_MAX_IMAGE_PIXELS,
    is_pillow_limit,
    shorten,
)

BOMB_WARNING = "PIL.Image.DecompressionBombWarning"
BOMB_WARNING_TEXT = "decompression bomb"
# (action, message, category) parameters of the warnings filters.
WARNING_FILTERS = {
    "warnings.simplefilter": ((0, "action"), None, (1, "category")),
    "warnings.filterwarnings": ((0, "action"), (1, "message"), (2, "category")),
}
ENVIRONMENT = "os.environ"
# (variable, value) parameters of the calls that set an environment variable.
ENVIRONMENT_SETTERS = {"os.environ.setdefault": ((0, "key"), (1, "default")), "os.putenv": ((0, "key"), (1, "value"))}
CALLED_NAMES = frozenset(name.rpartition(".")[2] for name in (*WARNING_FILTERS, *ENVIRONMENT_SETTERS))
# Augmented assignments that raise a positive limit by a positive operand (beyond 1 for * and **).
RAISING_OPERATORS = {ast.Add: 0, ast.Mult: 1, ast.Pow: 1, ast.LShift: 0}
OPENCV_EFFECT = f"raises OpenCV's image size limit above its default 2^30 ({OPENCV_MAX_IMAGE_PIXELS:,}) pixels"


def _within_pillow_default(value: object) -> str | None:
    if 0 < value <= PILLOW_MAX_IMAGE_PIXELS:
        return None
    return f"must be between 1 and Pillow's default {PILLOW_MAX_IMAGE_PIXELS}"


class DecompressionBombGuardDisabled(Rule):
    """
    ## What it does
    Flags code that turns off or raises the decompression-bomb guards of the image
    libraries:

    - `PIL.Image.MAX_IMAGE_PIXELS` (any alias) set to `None`, `float("inf")`,
      `math.inf`, `sys.maxsize`, or any value above Pillow's default of 89,478,485
      pixels (`Image.MAX_IMAGE_PIXELS = 20000 * 20000`), or raised in place
      (`Image.MAX_IMAGE_PIXELS *= 4`);
    - `warnings.simplefilter("ignore", ...)` and `warnings.filterwarnings("ignore", ...)`
      for `PIL.Image.DecompressionBombWarning`, or with a message pattern that mentions
      "decompression bomb";
    - `OPENCV_IO_MAX_IMAGE_PIXELS` set above OpenCV's default of 2^30 pixels through
      `os.environ[...] = ...`, `os.environ.setdefault(...)` or `os.putenv(...)`.

    ## Why is this bad?
    These limits are the last line between an image bomb and the heap: Pillow warns
    above 89,478,485 pixels and refuses above twice that; OpenCV refuses above 2^30.
    Already they let through hundreds of megabytes to gigabytes per image (see OOM401);
    with the guard off, a 20000×20000 upload of about a megabyte decodes to
    1.6 GB at 4 bytes per pixel. That is how the image-upload gateway's validator was
    OOM-killed, one large upload after another.

    ## Known limits
    Values that cannot be worked out statically (read from configuration, say) are
    not flagged, nor is lowering a limit, nor turning the warning into an error. A
    setting made only on some path (in an `if`, an `else`, an `except` handler or a
    `case`: a fallback when the configured value cannot be read, say) is reported with
    the condition it depends on, not as if it always applied.

    ## Example
    ```python
    import os
    import warnings

    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
    os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] = str(2**40)
    ```

    ## Use instead
    ```python
    import warnings

    from PIL import Image

    # Lower than the default: what one worker can afford to decode.
    Image.MAX_IMAGE_PIXELS = 24_000_000
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    ```
    and check each image's dimensions before decoding it (OOM401). If some images
    really are larger, decode them at reduced size (`Image.draft`, `reduce`,
    `cv2.IMREAD_REDUCED_*`) or in tiles, in a worker sized for them.

    ## Options
    None.

    ## Fix
    Unsafe (`oomlint fix --unsafe-fixes`): `Image.MAX_IMAGE_PIXELS = <raised>` becomes
    `Image.MAX_IMAGE_PIXELS = 89478485`, Pillow's default (the `fix-max-image-pixels`
    option sets a lower value). Unsafe because images the setting was added for may
    then be refused. The other settings are left to you.

    ## References
    - [Pillow: MAX_IMAGE_PIXELS and DecompressionBombWarning](https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.open)
    - [OpenCV: OPENCV_IO_MAX_IMAGE_PIXELS](https://docs.opencv.org/4.x/d6/dea/tutorial_env_reference.html)
    - [warnings: the warnings filter](https://docs.python.org/3/library/warnings.html#the-warnings-filter)
    """

    code = "OOM402"
    # MAX_IMAGE_PIXELS (Pillow's and OpenCV's limits), DecompressionBombWarning, and the
    # warning's text, which filters match in any case.
    required_text = ("MAX_IMAGE_PIXELS", "ecompression", "ECOMPRESSION")
    symbol = "decompression-bomb-guard-disabled"
    fixes = "unsafe"
    summary = "Decompression-bomb guard of Pillow or OpenCV turned off or raised"
    message = "{setting} {effect}: image bombs get decoded whole; keep the library's limit or lower it"
    options = (
        Option(
            "fix-max-image-pixels",
            PILLOW_MAX_IMAGE_PIXELS,
            "the MAX_IMAGE_PIXELS `oomlint fix --unsafe-fixes` writes",
            validate=_within_pillow_default,
        ),
    )

    def _when(self, node: ast.AST) -> str:
        """``" when <condition>"`` for a statement that runs only when a condition holds (the
        innermost branch around it), so the message does not say it always turns the guard off."""
        for holder, block in self.model.enclosing_blocks(node, scopes=True):
            if isinstance(holder, ast.If):
                return f" when the condition at line {holder.lineno} {'holds' if block is holder.body else 'does not hold'}"
            if isinstance(holder, ast.ExceptHandler):
                return f" when the exception handled at line {holder.lineno} is raised"
            if isinstance(holder, ast.match_case):
                return f" when the case at line {holder.pattern.lineno} matches"
        return ""

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if is_pillow_limit(self.model, target):
                self._report_raised_pillow_limit(target, setting_number(self.model, node.value), node)
            elif (
                isinstance(target, ast.Subscript)
                and self._raises_opencv_limit(target.slice, node.value)
                and self.model.qualified_name(target.value) == ENVIRONMENT
            ):
                self.report(target, setting=shorten(node), effect=OPENCV_EFFECT + self._when(node))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        threshold = RAISING_OPERATORS.get(type(node.op))
        if threshold is None or not is_pillow_limit(self.model, node.target):
            return
        operand = setting_number(self.model, node.value)
        if operand is not None and operand > threshold:
            self.report(node, setting=shorten(node), effect="raises Pillow's decompression-bomb limit" + self._when(node))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if called not in CALLED_NAMES:
            return
        name = self.model.qualified_name(func)
        if name in WARNING_FILTERS:
            if self._ignores_bomb_warning(node, *WARNING_FILTERS[name]):
                self.report(node, setting=shorten(node), effect="silences Pillow's DecompressionBombWarning" + self._when(node))
        elif name in ENVIRONMENT_SETTERS:
            variable, value = ENVIRONMENT_SETTERS[name]
            if self._raises_opencv_limit(argument(node, *variable), argument(node, *value)):
                self.report(node, setting=shorten(node), effect=OPENCV_EFFECT + self._when(node))

    def _report_raised_pillow_limit(self, target: ast.expr, limit: float | int | None, statement: ast.stmt) -> None:
        if limit is None or limit <= PILLOW_MAX_IMAGE_PIXELS:
            return
        if limit == math.inf:
            effect = "turns off Pillow's decompression-bomb guard" + self._when(statement)
        else:
            effect = f"raises Pillow's decompression-bomb limit above its default {PILLOW_MAX_IMAGE_PIXELS:,} pixels"
            effect += self._when(statement)
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            self.report(statement, fix="unsafe", setting=shorten(statement), effect=effect)
        else:
            self.report(target, setting=shorten(statement), effect=effect)

    @classmethod
    def fix(cls, node, options, context, hint=None):
        import libcst as cst

        if isinstance(node, cst.Assign):
            return node.with_changes(value=cst.Integer(str(options["fix-max-image-pixels"])))
        return None

    def _raises_opencv_limit(self, variable: ast.expr | None, value: ast.expr | None) -> bool:
        if not (isinstance(variable, ast.Constant) and variable.value == OPENCV_LIMIT_VARIABLE):
            return False
        limit = setting_number(self.model, value)
        return limit is not None and limit > OPENCV_MAX_IMAGE_PIXELS

    def _ignores_bomb_warning(self, call: ast.Call, action, message, category) -> bool:
        verb = argument(call, *action)
        if not (isinstance(verb, ast.Constant) and verb.value == "ignore"):
            return False
        kind = argument(call, *category)
        if kind is not None and self.model.qualified_name(kind) == BOMB_WARNING:
            return True
        pattern = argument(call, *message) if message else None
        return (
            isinstance(pattern, ast.Constant)
            and isinstance(pattern.value, str)
            and BOMB_WARNING_TEXT in pattern.value.lower().replace("\\", "")
        )
