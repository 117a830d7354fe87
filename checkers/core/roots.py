"""Which folders are Helm charts and kustomization roots: a folder with ``Chart.yaml``
is a chart, one with ``kustomization.yaml`` (``.yml``, ``Kustomization``) a
kustomization root. Their manifests are checked as rendered (:mod:`oomlint.kubernetes.rendering`),
not one by one: the file walk asks here which folders those are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

CHART, KUSTOMIZATION = "chart", "kustomization"
CHART_FILE = "Chart.yaml"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_COMPONENT = re.compile(r"^kind:[ \t]*Component[ \t]*$", re.MULTILINE)
_LIBRARY = re.compile(r"^type:[ \t]*(['\"]?)library\1[ \t]*(?:#.*)?$", re.MULTILINE)


def root_kind(directory: str, names: Sequence[str] | None = None) -> str | None:
    """Whether ``directory`` (holding ``names``) is a chart, a kustomization root, or neither.
    A kustomize Component is built only as part of the kustomizations that use it."""
    if names is None:
        names = [name for name in (CHART_FILE, *KUSTOMIZATION_FILES) if os.path.isfile(os.path.join(directory, name))]
    if CHART_FILE in names:
        return CHART
    kustomization = next((name for name in KUSTOMIZATION_FILES if name in names), None)
    if kustomization is None or _is_component(os.path.join(directory, kustomization)):
        return None
    return KUSTOMIZATION


def owns(directory: str, names: Sequence[str]) -> bool:
    """Whether the folder's manifests belong to a chart or kustomization (Components included)."""
    return CHART_FILE in names or any(name in names for name in KUSTOMIZATION_FILES)


def _is_component(path: str) -> bool:
    return _holds(path, _COMPONENT)


def is_library_chart(root: str) -> bool:
    """A chart of ``type: library`` renders nothing by itself (``helm template`` refuses
    it): its templates are rendered as part of the charts that depend on it."""
    return _holds(os.path.join(root, CHART_FILE), _LIBRARY)


def _holds(path: str, pattern: re.Pattern) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return bool(pattern.search(stream.read()))
    except OSError:
        return False


def enclosing_root(path: str) -> tuple[str, str] | None:
    """``(kind, folder)`` of the chart or kustomization that a file or folder belongs to:
    the nearest folder above holding ``Chart.yaml`` or a kustomization file; a chart
    vendored under another's ``charts/`` belongs to that one. The folder is given as
    ``path`` was (relative or absolute)."""
    absolute = os.path.abspath(path)
    directory = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
    while True:
        kind = root_kind(directory)
        if kind is not None:
            if kind == CHART:
                directory = _outermost_chart(directory)
            return kind, directory if os.path.isabs(path) else os.path.relpath(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _outermost_chart(directory: str) -> str:
    while True:
        charts = os.path.dirname(directory)
        parent = os.path.dirname(charts)
        if os.path.basename(charts) != "charts" or not os.path.isfile(os.path.join(parent, CHART_FILE)):
            return directory
        directory = parent
