"""What the project's own functions do with an image they are given, read from the
project index's facts (:class:`oomlint.python.project.ModuleSummary`: where each
parameter flows, which methods are called on what it made, what the function's
conditions read). The index knows nothing of images; OOM401 asks here whether a helper
in another module decodes its parameter whole (``crop_avatar(upload)`` doing
``Image.open(f).convert("RGB")``) or checks its dimensions (a validator).
"""

from __future__ import annotations

import ast
import weakref
from typing import NamedTuple

from oomlint.python.astutil import name_words, setting_number
from oomlint.python.project import ModuleSummary, ProjectIndex
from oomlint.python.semantic import SemanticModel
from oomlint.python.web import UNTRUSTED_TYPES
from oomlint.rules.python._images import (
    ARRAY_CONVERSIONS,
    DECODERS,
    DIMENSIONS,
    HEADER_READERS,
    IMAGE_OPS,
    PILLOW,
    PILLOW_DECODES,
    PILLOW_DRAFT,
    PILLOW_LIMIT_SETTING,
    PILLOW_MAX_IMAGE_PIXELS,
    PILLOW_OPEN,
    VALIDATOR_WORDS,
    Decoder,
)

# The image argument of ``Image.open`` (``Image.open(fp, mode, formats)``).
PILLOW_IMAGE_ARGUMENTS = (0, "fp")
_HELPER_DEPTH = 3
# Modules that configure the process when it starts (their names begin so).
CONFIGURATION_NAMES = ("settings", "config", "conf", "apps", "wsgi", "asgi")
NEVER = float("inf")


class HelperDecode(NamedTuple):
    """A full decode of a helper's parameter, before any check of the image's size."""

    call: str
    """The decode, as the message names it (``Image.open(...).convert()``)."""
    module: str
    """The module it is in."""
    decoder: Decoder
    reported: bool = False
    """Its own module reports it: the data reaches it through a parameter annotated as an
    upload or a request (``file: UploadFile``), there or in a helper on the way."""


class Helpers:
    """What the project's functions do with their parameters, asked of one index and
    remembered per (function, parameter): the answers depend on the index only."""

    def __init__(self, project: ProjectIndex):
        self.project = project
        self._decodes: dict[tuple[str, str, str], HelperDecode | None] = {}
        self._checks: dict[tuple[str, str, str], bool | None] = {}
        self._names: frozenset[str] | None = None

    def decode(self, qualified: str, parameter: str | int, depth: int = _HELPER_DEPTH) -> HelperDecode | None:
        """The full decode the project function ``qualified`` makes of ``parameter``
        (its name, or its position) before checking the image's size, if it makes one."""
        return self._answer(self._decodes, self._decode, qualified, parameter, depth)

    def checks(self, qualified: str, parameter: str | int, depth: int = _HELPER_DEPTH) -> bool:
        """Whether the project function ``qualified`` checks the dimensions of the image
        ``parameter`` is before it decodes it (a validator), whatever it does next."""
        return bool(self._answer(self._checks, self._checks_parameter, qualified, parameter, depth))

    def _answer(self, answers: dict, ask, qualified: str, parameter: str | int, depth: int):
        """``ask(summary, key, parameter name, depth)`` for a project function, remembered
        in ``answers``; None for what is no project function or parameter of it."""
        found = self.project.function(qualified)
        name = _parameter_name(*found, parameter) if found is not None else None
        if name is None:
            return None
        summary, key = found
        if (summary.name, key, name) not in answers:
            answers[summary.name, key, name] = None  # a recursive helper adds nothing
            answers[summary.name, key, name] = ask(summary, key, name, depth)
        return answers[summary.name, key, name]

    def opens(self, qualified: str) -> tuple[int, str] | None:
        """``(position, name)`` of the parameter whose image the project function
        ``qualified`` opens with ``Image.open`` and returns undecoded (``_decoded(data)``
        returning ``Image.open(io.BytesIO(data))``): its caller decodes that image. None
        for an opener that checks the dimensions before it returns (``open_as_pil_image``
        raising above a pixel limit): what it returns is screened."""
        found = self.project.function(qualified)
        if found is None:
            return None
        summary, key = found
        flows = summary.flows.get(key, [])
        opened = [
            index for index in summary.returned.get(key, ())
            if flows[index][1] == PILLOW_OPEN and flows[index][2] in PILLOW_IMAGE_ARGUMENTS
            and not any(name in PILLOW_DECODES for name, _ in flows[index][3])
        ]
        for position, parameter in enumerate(summary.parameters.get(key, []) if opened else ()):
            if not _reached(flows, parameter).isdisjoint(opened):
                return None if self.checks(qualified, parameter) else (position, parameter)
        return None

    def _checks_parameter(self, summary: ModuleSummary, key: str, parameter: str, depth: int) -> bool:
        """A check counts only before the first decode: a helper that decodes the image
        whole and then reads its size (``convert`` then ``_fit(img)``) has spent the memory
        already; it is a decode, not a validator."""
        if self._checked_at(summary, key, parameter, depth) == NEVER:
            return False
        return self._decode(summary, key, parameter, depth) is None

    def decoding_names(self) -> frozenset[str]:
        """The last names of the functions of the index that decode a parameter whole."""
        if self._names is None:
            self._names = self.project.sealed_names("decoding", self._decoding_names)
        return self._names

    def _decoding_names(self):
        summaries = list(self.project.modules.values())
        if not any(_calls_a_decoder(flows) for summary in summaries for flows in summary.flows.values()):
            # Every decode a helper makes is, at the end of its calls, one of a function that
            # calls a decoder, and the index summarizes each module that does: with none, no
            # function decodes, and asking each would summarize the modules they call for nothing.
            return ()
        return (
            key.rpartition(".")[2]
            for summary in summaries
            for key, parameters in summary.parameters.items()
            if key in summary.flows and any(self.decode(f"{summary.name}.{key}", parameter) for parameter in parameters)
        )

    def _decode(self, summary: ModuleSummary, key: str, parameter: str, depth: int) -> HelperDecode | None:
        flows = summary.flows.get(key, [])
        from_parameter = _reached(flows, parameter)
        checked_at = None  # asked once a flow decodes: most helpers decode nothing
        limited = _pillow_limited(summary)
        for index, (source, callee, argument, methods, step) in enumerate(flows):
            if index not in from_parameter:
                continue
            found = self._flow_decode(summary, flows, source, callee, argument, methods, step, depth)
            if found is None:
                continue
            at, decode = found
            if checked_at is None:
                checked_at = self._checked_at(summary, key, parameter, depth)
            if at < checked_at and not (limited and decode.decoder.honours_pillow_limit):
                return decode._replace(reported=True) if _takes_untrusted(summary, key, parameter) else decode
        return None

    def _flow_decode(self, summary, flows, source, callee, argument, methods, step, depth):
        """``(step, decode)``: the first full decode of one flow's data, if it makes one."""
        if callee == PILLOW_OPEN and argument in PILLOW_IMAGE_ARGUMENTS:
            decoding = [(at, name) for name, at in methods if name in PILLOW_DECODES]
            if decoding:
                at, name = min(decoding)
                return at, HelperDecode(f"Image.open(...).{name}()", summary.name, PILLOW)
        elif callee in DECODERS and (argument == 0 or isinstance(argument, str)):
            return step, HelperDecode(f"{callee}()", summary.name, DECODERS[callee])
        elif (callee in ARRAY_CONVERSIONS or callee.startswith(IMAGE_OPS)) and isinstance(source, int):
            if flows[source][1] == PILLOW_OPEN:
                return step, HelperDecode(f"{callee.removeprefix('PIL.')}(Image.open(...))", summary.name, PILLOW)
        elif depth:
            inner = self.decode(callee, argument, depth - 1)
            if inner is not None:
                return step, inner
        return None

    def _checked_at(self, summary: ModuleSummary, key: str, parameter: str, depth: int) -> float:
        """The step at which the function first checks an image's dimensions: a condition
        reads the ``size``/``width``/``height`` of an image it opened (or of ``parameter``,
        an image), or what a header reader returned; ``draft()``; ``parameter``'s data
        handed to a validator."""
        flows = summary.flows.get(key, [])
        from_parameter = _reached(flows, parameter)
        steps = [NEVER]
        for source, attribute, step in summary.conditions.get(key, []):
            if isinstance(source, int):
                callee = flows[source][1]
                if (callee == PILLOW_OPEN and attribute in DIMENSIONS) or callee in HEADER_READERS:
                    steps.append(step)
            elif source == parameter and attribute in DIMENSIONS:
                steps.append(step)
        for index, (_, callee, argument, methods, step) in enumerate(flows):
            if callee == PILLOW_OPEN:
                steps.extend(at for name, at in methods if name == PILLOW_DRAFT)
            if index in from_parameter and (
                names_a_validator(callee) or (depth and self.checks(callee, argument, depth - 1))
            ):
                steps.append(step)
        return min(steps)


_HELPERS: weakref.WeakKeyDictionary[ProjectIndex, Helpers] = weakref.WeakKeyDictionary()


def helpers_of(project: ProjectIndex) -> Helpers:
    """The :class:`Helpers` of an index, made once per index (the index lives per process)."""
    if project not in _HELPERS:
        _HELPERS[project] = Helpers(project)
    return _HELPERS[project]


def _calls_a_decoder(flows) -> bool:
    """Whether a function's flows (``ModuleSummary.flows``) call ``Image.open`` or another
    decoder: the calls every decode of :meth:`Helpers._flow_decode` starts from."""
    return any(callee == PILLOW_OPEN or callee in DECODERS for _, callee, *_ in flows)


def _parameter_name(summary: ModuleSummary, key: str, parameter: str | int) -> str | None:
    parameters = summary.parameters.get(key, [])
    if isinstance(parameter, int):
        return parameters[parameter] if parameter < len(parameters) else None
    return parameter if parameter in parameters else None


def _takes_untrusted(summary: ModuleSummary, key: str, parameter: str) -> bool:
    """``parameter`` is annotated as an upload or a request of a web framework, and as
    nothing else: OOM401 in the function's own module knows it for untrusted input."""
    types = summary.annotations.get(key, {}).get(parameter)
    return bool(types) and all(name in UNTRUSTED_TYPES for name in types)


def _reached(flows: list[list], parameter: str) -> set[int]:
    """The flows that carry ``parameter``'s value (directly, or an earlier one's result)."""
    reached: set[int] = set()
    for index, (source, *_) in enumerate(flows):
        if source == parameter or (isinstance(source, int) and source in reached):
            reached.add(index)
    return reached


def names_a_validator(name: str) -> bool:
    """A function named so checks the image it is given (``validate_image``,
    ``check_upload``; not ``subprocess.check_call``)."""
    words = name_words(name.rpartition(".")[2])
    return bool(words) and words[0] in VALIDATOR_WORDS and not name.startswith("subprocess.")


def _pillow_limited(summary: ModuleSummary) -> bool:
    """The module sets ``Image.MAX_IMAGE_PIXELS`` below Pillow's default."""
    text = summary.settings.get(PILLOW_LIMIT_SETTING)
    return text is not None and _below_default(text)


def pillow_limited_in_project(project: ProjectIndex) -> bool:
    """The project's configuration (a module named ``settings``, ``config``, ``conf``, a
    Django ``apps`` module, a package's ``__init__``: what the process loads when it starts;
    not a test) sets ``Image.MAX_IMAGE_PIXELS`` below Pillow's default at import time
    (saleor's ``settings.py``, netbox's ``core/apps.py``): the setting is the process's.
    Another module's setting may be its own affair, loaded by some processes only."""
    return any(
        _below_default(text) and _configuration(project, module)
        for module, text in project.settings_anywhere(PILLOW_LIMIT_SETTING)
    )


def _configuration(project: ProjectIndex, module: str) -> bool:
    summary = project.modules.get(module)
    last = module.rpartition(".")[2]
    return (summary is not None and summary.is_package) or last.startswith(CONFIGURATION_NAMES)


def _below_default(text: str) -> bool:
    """``text``, the code of a ``MAX_IMAGE_PIXELS`` setting, is a limit below Pillow's default."""
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    limit = setting_number(SemanticModel(ast.Module(body=[], type_ignores=[])), tree.body)
    return limit is not None and limit < PILLOW_MAX_IMAGE_PIXELS
