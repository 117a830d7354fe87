"""What the Kubernetes rules share: memory quantities, and the missing-limit check.

Quantities follow Kubernetes' ``resource.Quantity`` grammar and compare by value
(``1Gi`` == ``1024Mi``). OOM501 and OOM504 are one check on different kinds, with one
fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from oomlint.core.rule import Option
from oomlint.kubernetes.nodes import get, is_scalar, memory, scalar, templated
from oomlint.kubernetes.objects import KubeObject, KubernetesRule

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node

# <signedNumber><suffix>: a binary suffix (Ki..Ei), a decimal SI one (n, u, m, none,
# k, M..E) or a decimal exponent (e3, E-2). "1E" is one exabyte, "1E3" a thousand bytes.
_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?P<suffix>[KMGTPE]i|[numkMGTPE]?|[eE](?P<exponent>[+-]?[0-9]+))"
)
_BINARY = {f"{prefix}i": 2 ** (10 * power) for power, prefix in enumerate("KMGTPE", start=1)}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
# Sub-byte units: fine for CPU, never what anyone meant for memory.
FRACTIONAL_SUFFIXES = {"m": "milli (thousandths)", "u": "micro (millionths)", "n": "nano (billionths)"}
# "600MB", "512MiB", "1gi", "2 G": a number and a unit letter, written the way other tools do.
_UNIT_TYPO = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(?P<unit>[kKmMgGtTpPeE])(?P<binary>[iI]?)[bB]?")
# Exponents beyond this are not sizes anyone writes; they would only slow the arithmetic.
_MAX_EXPONENT = 100
# Room for any magnitude: a number of a million digits is a size to report, not an overflow.
_ARITHMETIC = Context(Emax=MAX_EMAX, Emin=MIN_EMIN)
# Kubernetes counts bytes in an int64: it caps a larger binary quantity and overflows a decimal one.
_MAX_BYTES = 2**63 - 1
# Values longer than this are shortened in messages, and get no "did you mean".
_SHOWN_LENGTH = 40
# Smaller byte counts, like larger ones, are shown with an exponent.
_NANO = Decimal("1e-9")


class Quantity(NamedTuple):
    text: str
    bytes: Decimal
    suffix: str


def parse_quantity(text: str) -> Quantity | None:
    """The quantity ``text`` stands for, or None if the API server would reject it."""
    match = _QUANTITY.fullmatch(text)
    if match is None:
        return None
    number, suffix, exponent = Decimal(match["number"]), match["suffix"], match["exponent"]
    if exponent is not None:
        if abs(Decimal(exponent)) > _MAX_EXPONENT:
            return None
        return Quantity(text, number.scaleb(int(exponent), _ARITHMETIC), suffix)
    if suffix in _BINARY:
        return Quantity(text, _ARITHMETIC.multiply(number, _BINARY[suffix]), suffix)
    return Quantity(text, number.scaleb(_DECIMAL[suffix], _ARITHMETIC), suffix)


def bytes_text(value: Decimal) -> str:
    """``629145600 bytes``, ``3.5 bytes``, ``1.000e+21 bytes``, ``1.000e-12 bytes``."""
    if not _NANO <= value.copy_abs() < 10**18 and value != 0:
        return f"{value:.3e} bytes"
    shown = f"{value.normalize():f}"
    return f"{shown} byte" if value == 1 else f"{shown} bytes"


def quoted(text: str) -> str:
    """``'600MB'``, or the ends of a value too long to read whole."""
    if len(text) <= _SHOWN_LENGTH:
        return f"'{text}'"
    return f"'{text[:_SHOWN_LENGTH // 2]}...{text[-_SHOWN_LENGTH // 4:]}' ({len(text)} characters)"


def likely_intents(text: str) -> list[str]:
    """What a mistyped quantity probably meant: ``600MB`` -> ``600M``, ``600Mi``."""
    if len(text) > _SHOWN_LENGTH:
        return []
    match = _UNIT_TYPO.fullmatch(text.strip())
    if match is None:
        return []
    number, unit = match["number"], match["unit"].upper()
    binary = f"{number}{unit}i"
    if match["binary"]:
        return [binary]
    return [number + ("k" if unit == "K" else unit), binary]


def did_you_mean(intents: list[str]) -> str:
    """``; did you mean 600M (600000000 bytes) or 600Mi (629145600 bytes)?``, or nothing."""
    if not intents:
        return ""
    return "; did you mean " + " or ".join(f"{text} ({bytes_text(parse_quantity(text).bytes)})" for text in intents) + "?"


MINIMUM = parse_quantity("4Mi")
"""OOM502's default floor: less is too little for any container to start."""


def assess(node: Node, minimum: Quantity) -> Quantity | str:
    """The quantity of a request or limit node if it is sound, or what is wrong with it
    (OOM502's verdict, ``minimum`` being its floor)."""
    if not is_scalar(node):
        return "is a YAML collection, not a quantity"
    text = scalar(node)
    if text is None:
        return "is null"
    quantity = parse_quantity(text)
    shown = quoted(text)
    if quantity is None:
        if not text.strip():
            return "is empty"
        return f"{shown} is not a Kubernetes quantity (the API server rejects it)" + did_you_mean(likely_intents(text))
    if quantity.bytes < 0:
        return f"{shown} is negative (the API server rejects it)"
    if quantity.bytes == 0:
        return f"{shown} is zero bytes"
    if quantity.suffix in FRACTIONAL_SUFFIXES:
        unit = FRACTIONAL_SUFFIXES[quantity.suffix]
        return f"{shown} is {bytes_text(quantity.bytes)}: '{quantity.suffix}' is {unit}, a CPU unit" + did_you_mean(
            likely_intents(text)
        )
    if quantity.bytes < minimum.bytes:
        intent = did_you_mean([f"{text}Mi"]) if quantity.suffix == "" and len(text) <= _SHOWN_LENGTH else ""
        return (
            f"{shown} is {bytes_text(quantity.bytes)}, below the {minimum.text} floor, "
            "too little for a container to start" + intent
        )
    if quantity.bytes > _MAX_BYTES:
        return (
            f"{shown} is {bytes_text(quantity.bytes)}, more than Kubernetes can hold "
            "(it counts bytes in a 64-bit integer: at most 2^63 - 1, just under 8Ei)"
        )
    return quantity


def quantity_of(node: Node | None) -> Quantity | None:
    """The quantity a request or limit node holds, if it is a valid one."""
    text = scalar(node)
    return None if text is None else parse_quantity(text)


def memory_settings(obj: KubeObject) -> Iterator[tuple[str, Node | None, Node | None]]:
    """``(owner, request, limit)`` memory nodes of a workload: the pod's own (pod-level
    resources), then each container's. None where the key is absent."""
    spec = obj.pod_spec
    if spec is None:
        return
    yield "pod", memory(spec, "requests"), memory(spec, "limits")
    for container in obj.containers():
        yield str(container), memory(container.node, "requests"), memory(container.node, "limits")


MISSING_LIMIT_MESSAGE = (
    "{object}: {container} has no memory limit, so a leak grows until the node runs out "
    "and the kubelet evicts other pods; set resources.limits.memory"
)


def has_memory_limit(owner: Node | None) -> bool:
    """Whether a container or pod spec sets a memory limit; one that a template fills in
    (the limit, ``limits`` or ``resources`` itself) counts as set: its value is unknown."""
    resources = get(owner, "resources")
    limits = get(resources, "limits")
    return get(limits, "memory") is not None or templated(resources) or templated(limits)


INIT_CONTAINERS_OPTION = Option(
    "include-init-containers", True, "also report init containers (restartable sidecars among them)"
)


class MissingMemoryLimit(KubernetesRule):
    """A container of one of ``kinds`` without ``resources.limits.memory``, in a pod that
    sets no pod-level memory limit either, unless the object is a fragment (a patch).
    The engine drops the finding when a LimitRange gives the namespace a default limit."""

    kinds: ClassVar[frozenset[str]]
    limit_range_covers = True
    fixes = "unsafe"
    options = (INIT_CONTAINERS_OPTION,)

    def check(self, obj: KubeObject) -> None:
        if obj.kind not in self.kinds or obj.is_fragment or obj.pod_spec is None:
            return
        if has_memory_limit(obj.pod_spec):
            return
        skipped_role = None if self.settings["include-init-containers"] else "init container"
        for container in obj.containers():
            if container.role != skipped_role and not has_memory_limit(container.node):
                fix = self.fixes if self.fixable(container.node) else None
                self.report(container.node, fix=fix, object=obj, container=container)

    @classmethod
    def fix(cls, node: MappingNode, options: dict, document, hint=None):
        """``resources.limits.memory`` equal to the container's ``requests.memory``, copied
        as written; not when the request is missing, is not one OOM502 passes (with its
        default floor) or is not a plain or quoted scalar (an alias, anchor or tag)."""
        request = memory(node, "requests")
        text = document.written(request)
        if text is None or not isinstance(assess(request, MINIMUM), Quantity):
            return None
        return document.add(node, ("resources", "limits", "memory"), text, after="requests")
