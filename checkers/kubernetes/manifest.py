"""Kubernetes manifests: the loader, and the check of their objects by the Kubernetes rules
(the objects and the rules' base are in :mod:`oomlint.kubernetes.objects`).

A manifest file (YAML or JSON, one document or many) is split into documents at the
``---`` and ``...`` markers and each is composed on its own, so a broken document costs
only itself: it becomes an ``OOM003`` diagnostic at its line and the others are still
checked. Documents are composed into PyYAML nodes and never constructed: nodes keep
their line and column, unknown tags (``!Ref``, ``!reference``) are mere labels, and an
alias is the very node it names, so an alias bomb ("billion laughs") costs its size,
not its expansion, as long as walks visit each node once. Documents that are not
Kubernetes objects (no ``apiVersion`` and ``kind``) are ignored. A template that does
not parse is an ``OOM003`` that says which kind of template it is (charts are rendered
by :mod:`oomlint.kubernetes.rendering`); in one that parses, a value a template fills in
(``"{{ .Values.limit }}"``) is unknown: see :func:`templated`.

Each object goes to every enabled :class:`KubernetesRule`, unless an
``ignore-check.oomlint.io/<symbol>`` annotation with a reason turns that rule off for
it. A LimitRange's default memory limit covers the OOM501/OOM504 findings of its
namespace: within a file here, across the files of a CLI run in
:func:`apply_limit_ranges`.

A rule whose finding can be fixed says so when it reports (:meth:`KubernetesRule.fixable`);
:mod:`oomlint.fix.manifests` finds the node again by the finding's
:func:`~oomlint.kubernetes.nodes.span` and
inserts the fix into the text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from oomlint.core.findings import DECODE_ERROR, DUPLICATE_KEY, SYNTAX_ERROR, TOO_DEEP, Finding, diagnostic
from oomlint.core.source import SourceDecodeError, decode_source
from oomlint.core.noqa import NoqaMap
from oomlint.core.rule import Rule
from oomlint.kubernetes.edits import Document
from oomlint.kubernetes.nodes import JINJA_TAG, MERGE_TAG, NULL_TAG, TEMPLATE_ACTION, get, nodes, scalar, span
from oomlint.kubernetes.objects import WORKLOADS, KubeObject, KubernetesRule, ManifestFindings, cover

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Resolver:
    """The implicit tags the checks read: null and merge (``<<``). Other plain scalars
    stay strings: kubectl turns every manifest into JSON strings and numbers anyway, and
    PyYAML's full resolver (regular expressions per scalar) took a fifth of a run."""

    def descend_resolver(self, current_node, current_index):
        """No path-based resolution: nothing to track."""

    def ascend_resolver(self):
        """No path-based resolution: nothing to track."""

    def resolve(self, kind, value, implicit):
        if kind is not ScalarNode:
            return _SEQ if kind is SequenceNode else _MAP
        plain = implicit[0]
        if plain and value in _NULLS:
            return NULL_TAG
        return MERGE_TAG if plain and value == "<<" else _STR


MAX_NESTING = 500
"""Collections nested deeper than this are an ``OOM004``; real manifests nest a few dozen."""


# The Python composer takes three frames a level, above whatever called it.
_COMPOSER_RECURSION_LIMIT = 3 * MAX_NESTING + 2000


class TooDeep(Exception):
    """A document nests deeper than :data:`MAX_NESTING`."""


class _DepthLimitedComposer(Composer):
    """PyYAML's composer, counting how deep collections nest (the parser hands out one
    event at a time, so the limit is met before any parser's own)."""

    depth = 0

    def compose_sequence_node(self, anchor):
        return self._nested(super().compose_sequence_node, anchor)

    def compose_mapping_node(self, anchor):
        return self._nested(super().compose_mapping_node, anchor)

    def _nested(self, compose, anchor):
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise TooDeep
        try:
            return compose(anchor)
        finally:
            self.depth -= 1


try:
    from yaml.cyaml import CParser

    class _CLoader(CParser, _Resolver):
        """libyaml's parser and composer: the fast one, but its composer recurses in C
        and crashes the whole process on deep nesting (measured: 20,000 nested brackets
        pass, 40,000 crash, on an 8 MiB stack)."""

    class _Loader(_DepthLimitedComposer, CParser, _Resolver):
        """libyaml's parser under PyYAML's Python composer, which recurses in Python
        frames and stops at :data:`MAX_NESTING`, before libyaml's own limit (1,000 levels
        since PyYAML 6.0.4, none before): the answer does not depend on the version."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            Composer.__init__(self)

except ImportError:  # PyYAML built without libyaml
    _CLoader = None

    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _DepthLimitedComposer, _Resolver):
        def __init__(self, text: str):
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            Composer.__init__(self)


# A document cannot nest deeper than it has collection indicators; with fewer than this
# many (no deeper than MAX_NESTING), the C composer is safe and gives the same answer.
_C_COMPOSER_MAX_INDICATORS = MAX_NESTING
SUPPRESSION_PREFIX = "ignore-check.oomlint.io/"
# Document markers: only at column 0, followed by a blank or the end of the line.
_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.MULTILINE)
# A line with content: not blank, not a comment, not a directive (%YAML, %TAG).
_CONTENT = re.compile(r"^[ \t]*[^\s#%]", re.MULTILINE)
_LONE_CR = re.compile(r"\r(?!\n)")
# What a Kubernetes object's top-level apiVersion key looks like in YAML and in JSON.
_API_VERSION_KEY = re.compile(r'^apiVersion[ \t]*:|"apiVersion"\s*:', re.MULTILINE)
# A block mapping's top-level kind and apiVersion (column 0 is the top level: what nests
# is indented), the kind a plain or quoted name, then at most a comment.
_TOP_LEVEL_KIND_KEY = re.compile(r"^kind[ \t]*:", re.MULTILINE)
_TOP_LEVEL_KIND = re.compile(r"^kind[ \t]*:[ \t]*(['\"]?)([A-Za-z][A-Za-z0-9]*)\1[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_TOP_LEVEL_API_VERSION_KEY = re.compile(r"^apiVersion[ \t]*:", re.MULTILINE)
_TOP_LEVEL_API_VERSION = re.compile(r"^apiVersion[ \t]*:[ \t]*['\"]?[A-Za-z0-9]", re.MULTILINE)
# What a line's block collections start with: indentation, and the "- " and "? " of
# collections opened on the line itself. Each level of block nesting adds one at least.
_BLOCK_PREFIX = re.compile(r"^[ \t?-]*", re.MULTILINE)

# The kinds a check reads: workloads, LimitRange defaults, and a List's items.
READ_KINDS = frozenset({*WORKLOADS, "LimitRange", "List"})


# ------------------------------------------------------------- a document's objects


def _objects(root: Node | None) -> Iterator[KubeObject]:
    """The Kubernetes objects of a document: itself, or the items of a ``kind: List``."""
    obj = _object(root)
    if obj is None:
        return
    if obj.kind != "List":
        yield obj
        return
    items = get(root, "items")
    if type(items) is SequenceNode:
        yield from filter(None, map(_object, items.value))


def _object(node: Node | None) -> KubeObject | None:
    api_version, kind = scalar(get(node, "apiVersion")), scalar(get(node, "kind"))
    if not (api_version and kind):
        return None
    metadata = get(node, "metadata")
    name = scalar(get(metadata, "name")) or scalar(get(metadata, "generateName")) or "<unnamed>"
    return KubeObject(node, api_version, kind, name, scalar(get(metadata, "namespace")))


def _container_default_limit(obj: KubeObject) -> bool:
    """Whether a LimitRange gives containers a default memory limit: ``default.memory``,
    or ``max.memory``, which the API server copies into ``default`` when that is unset."""
    if obj.kind != "LimitRange" or obj.api_group != "":
        return False
    limits = get(get(obj.node, "spec"), "limits")
    items = limits.value if type(limits) is SequenceNode else ()
    return any(
        scalar(get(item, "type")) == "Container"
        and (get(get(item, "default"), "memory") is not None or get(get(item, "max"), "memory") is not None)
        for item in items
    )


# ---------------------------------------------------------------------- checks


class ManifestContext:
    """Where Kubernetes rules report: positions of the current document, from its nodes."""

    model = None  # rules of manifests have no semantic model

    def __init__(self, path: str, result: ManifestFindings):
        self.path = path
        self.result = result
        self.line_offset = 0
        """Line of the current document's first line in the file (0-based)."""
        self.text = ""
        """The current document's text, which fixes would edit (see :meth:`KubernetesRule.fixable`)."""
        self.object: KubeObject | None = None
        self._document = None

    @property
    def document(self):
        """:attr:`text` as fixes edit it (a :class:`oomlint.kubernetes.edits.Document`), made
        once per document, not per finding: making one scans the text for its newline."""
        if self._document is None or self._document.text is not self.text:
            self._document = Document(self.text)
        return self._document

    def report(self, rule: Rule, node: Node, message: str, fix: str | None = None, fix_hint: object = None) -> None:
        line, column, end_line, end_column = span(node, self.line_offset)
        finding = Finding(
            self.path, line, column, rule.code, message, rule.symbol, end_line, end_column, fix, fix_hint,
        )
        self.result.append(finding)
        if rule.limit_range_covers:
            self.result.coverable[finding] = self.object.namespace


# ------------------------------------------------------------------------ checker


def check_manifest(data: bytes, path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True) -> ManifestFindings:
    """Check one manifest file with the Kubernetes rules among ``rules``."""
    try:
        text = decode_source(data)
    except SourceDecodeError as error:
        result = ManifestFindings()
        result.append(diagnostic(path, DECODE_ERROR, error.message, error.line, error.column))
        return result
    return check_manifest_text(text, path, rules, noqa)


def check_manifest_text(text: str, path: str, rules: Sequence[tuple[type[Rule], dict]], noqa: bool = True) -> ManifestFindings:
    """Check a decoded manifest: what :func:`check_manifest` does after decoding. With no
    Kubernetes rule enabled for it (test code, a selection of Python rules) it is not
    parsed: ``OOM003`` is for the files a rule reads, as for Python."""
    result = ManifestFindings()
    if not any(rule.language == "kubernetes" for rule, _ in rules):
        return result
    text = _parseable(text, path)
    documents = _parse(text, path, result)
    result.objects += sum(len(objects) for _, _, objects in documents)
    context = ManifestContext(path, result)
    instances = [rule(context, options) for rule, options in rules if rule.language == "kubernetes"]
    for line_offset, chunk, objects in documents:
        context.line_offset, context.text = line_offset, chunk
        for obj in objects:
            context.object = obj
            _check_object(context, instances, obj)
    for rule in instances:
        rule.finish()
    cover(result, result.limit_ranges)
    if noqa:
        _drop_noqa(result, text)
    result[:] = sorted(set(result))  # an alias repeats its node: report it once
    return result


def _parse(text: str, path: str, result: ManifestFindings) -> list[tuple[int, str, list[KubeObject]]]:
    """The Kubernetes objects of each document, with the document's first line and text;
    broken documents (raw templates among them) and duplicate keys go to ``result``.
    A document whose text shows an object of a kind no check reads (:func:`unread_kind`)
    is counted in ``result.objects`` and not composed."""
    documents = []
    for line_offset, _, chunk in _documents(text):
        if "apiVersion" not in chunk or "kind" not in chunk:
            continue  # cannot hold a Kubernetes object: not worth composing
        if unread_kind(chunk):
            result.objects += 1
            continue
        try:
            root = _compose(chunk)
        except yaml.YAMLError as error:
            if not _API_VERSION_KEY.search(_unix_lines(chunk)):
                continue  # broken, but not a Kubernetes object by the look of it
            result.append(_parse_diagnostic(path, line_offset, chunk, error, _template_kind(chunk)))
            continue
        except (TooDeep, RecursionError):
            result.append(diagnostic(path, TOO_DEEP, "nested too deeply to parse", line_offset + 1))
            continue
        objects = list(_objects(root))
        if objects:
            if not _check_shape(root, path, line_offset, result):
                problem = f"cannot parse YAML: a template action is read as a mapping key; {_template_kind(chunk)}"
                result.append(diagnostic(path, SYNTAX_ERROR, problem, line_offset + 1))
                continue
            documents.append((line_offset, chunk, objects))
    return documents


def unread_kind(chunk: str) -> bool:
    """Whether a document is, by its text, one Kubernetes object of a kind no check reads
    (a CRD, a ConfigMap, RBAC, a Service...): one top-level ``apiVersion`` and one
    top-level ``kind`` naming a kind outside :data:`READ_KINDS`. Composing such a document
    (most of a cluster's manifests: CRDs are the largest) would only find YAML errors and
    duplicate keys that kubectl reports itself. Anything less plain (flow style, JSON,
    tags, a templated kind) is composed as before, and so is one that may nest deeper than
    :data:`MAX_NESTING` allows (its ``OOM004`` is oomlint's own, whatever the kind): each
    level of nesting takes a flow bracket or a character of a line's block prefix."""
    kinds = _TOP_LEVEL_KIND.findall(chunk)
    return (
        len(kinds) == 1
        and kinds[0][1] not in READ_KINDS
        and len(_TOP_LEVEL_KIND_KEY.findall(chunk)) == 1
        and len(_TOP_LEVEL_API_VERSION_KEY.findall(chunk)) == 1
        and _TOP_LEVEL_API_VERSION.search(chunk) is not None
        and chunk.count("[") + chunk.count("{") + max(map(len, _BLOCK_PREFIX.findall(chunk))) + 2 < MAX_NESTING
    )


def _template_kind(chunk: str) -> str | None:
    """What to tell about a document that does not parse because it is a template."""
    if JINJA_TAG.search(chunk):
        return "a Jinja template: check what it renders"
    if TEMPLATE_ACTION.search(chunk):
        return (
            "a template ({{ ... }}) outside a Helm chart: check the chart's folder (the one with "
            "Chart.yaml), or what the template renders"
        )
    return None


def rendered_objects(text: str, path: str) -> Iterator[tuple[int, KubeObject]]:
    """``(first line of its document, object)`` for the objects of each document that
    composes: how :mod:`oomlint.kubernetes.rendering` traces rendered objects to their sources."""
    for line_offset, _, chunk in _documents(_parseable(text, path)):
        try:
            root = _compose(chunk)
        except (yaml.YAMLError, TooDeep, RecursionError):
            continue
        for obj in _objects(root):
            yield line_offset, obj


class UnparsableDocument(Exception):
    """A document of a manifest does not compose; fixes edit only manifests whose every
    document does, before and after."""


def composed(text: str, path: str) -> Iterator[tuple[int, int, str, Node]]:
    """``(first line, offset in text, text, root node)`` of each document of a manifest
    (empty ones aside): where fixes find their findings' nodes and edit. Raises
    :class:`UnparsableDocument` at the first that does not compose, documents that are
    not Kubernetes objects included."""
    for line_offset, offset, chunk in _documents(_parseable(text, path)):
        try:
            root = _compose(chunk)
        except yaml.YAMLError as error:
            broken = _parse_diagnostic(path, line_offset, chunk, error)
            raise UnparsableDocument(f"{broken.message}, line {broken.line}") from None
        except (TooDeep, RecursionError):
            raise UnparsableDocument(f"nested too deeply to parse, line {line_offset + 1}") from None
        if root is not None:
            yield line_offset, offset, chunk, root


def _parseable(text: str, path: str) -> str:
    """PyYAML's pure-Python scanner rejects tabs between JSON tokens; a space is as good
    and keeps every position."""
    return text.replace("\t", " ") if path.endswith(".json") else text


def _documents(text: str) -> Iterator[tuple[int, int, str]]:
    """Split a YAML stream into its documents, each with the (0-based) line and the
    offset it starts at.

    A ``---`` line starts a new document unless the current one holds nothing yet but
    comments and directives; a ``...`` line ends the current one.
    """
    lines = _unix_lines(text)
    start = line = 0
    for marker in _MARKER.finditer(lines):
        position = marker.start()
        if marker.group() == "---":
            if not _CONTENT.search(lines, start, position):
                continue
            end = position
        else:
            end = lines.find("\n", position) + 1 or len(lines)
        yield line, start, text[start:end]
        line += lines.count("\n", start, end)
        start = end
    yield line, start, text[start:]


def _unix_lines(text: str) -> str:
    """``text`` with each lone ``\\r`` (a line break in YAML, as in old Mac files) made a
    ``\\n``: the same length, so offsets still hold, and lines split as YAML's."""
    return _LONE_CR.sub("\n", text)


def _compose(chunk: str) -> Node | None:
    shallow = _CLoader is not None and sum(map(chunk.count, "[{-:?")) < _C_COMPOSER_MAX_INDICATORS
    loader = (_CLoader if shallow else _Loader)(chunk)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _COMPOSER_RECURSION_LIMIT))
    try:
        return loader.get_single_node()
    except yaml.YAMLError as error:
        # libyaml's scanner reads ahead, and may meet its own nesting limit first.
        if "maximum nesting depth" in str(getattr(error, "problem", "")):
            raise TooDeep from None
        raise
    finally:
        sys.setrecursionlimit(limit)
        loader.dispose()


def _check_shape(root: Node, path: str, line_offset: int, result: ManifestFindings) -> bool:
    """Report duplicate keys (kubectl rejects them); False if the document is a raw
    template that happened to parse: ``{{ x }}`` composes to a mapping used as a key."""
    for mapping in nodes(root, scalars=False):
        if type(mapping) is not MappingNode:
            continue
        first_keys: dict[tuple[str, str], ScalarNode] = {}
        for key, _ in mapping.value:
            if type(key) is not ScalarNode:
                if type(key) is MappingNode and key.flow_style:
                    return False
                continue
            if key.tag == MERGE_TAG:
                continue
            first = first_keys.setdefault((key.tag, key.value), key)
            if first is not key:
                line, column = key.start_mark.line + line_offset + 1, key.start_mark.column + 1
                first_line = first.start_mark.line + line_offset + 1
                message = f"duplicate key '{key.value}' (first at line {first_line}); kubectl rejects the manifest"
                result.append(diagnostic(path, DUPLICATE_KEY, message, line, column))
    return True


def _check_object(context: ManifestContext, rules: list[KubernetesRule], obj: KubeObject) -> None:
    if _container_default_limit(obj):
        where = f"{obj} ({context.path}:{obj.node.start_mark.line + context.line_offset + 1})"
        context.result.limit_ranges.setdefault(obj.namespace, where)
    annotations = _ignore_annotations(obj)
    for rule in rules:
        if not annotations or not _suppressed(context, rule, annotations):
            rule.check(obj)


def _ignore_annotations(obj: KubeObject) -> list[tuple[Node, Node]]:
    """The ``ignore-check.oomlint.io/...`` annotations of the object and its pod template."""
    owners = [obj.node] if obj.template in (None, obj.node) else [obj.node, obj.template]
    found = []
    for owner in owners:
        annotations = get(get(owner, "metadata"), "annotations")
        if type(annotations) is MappingNode:
            found += [
                (key, value)
                for key, value in annotations.value
                if type(key) is ScalarNode and key.value.startswith(SUPPRESSION_PREFIX)
            ]
    return found


def _suppressed(context: ManifestContext, rule: KubernetesRule, annotations: list[tuple[Node, Node]]) -> bool:
    """Whether an annotation turns ``rule`` off. One without a reason turns nothing off
    and is reported, so that every exception says why it is one."""
    suppressed = False
    for key, value in annotations:
        if key.value != SUPPRESSION_PREFIX + rule.symbol:
            continue
        if (scalar(value) or "").strip():
            suppressed = True
        else:
            context.report(rule, key, f"annotation {key.value} needs a reason: say why {rule.code} does not apply here")
    return suppressed


def _drop_noqa(result: ManifestFindings, text: str) -> None:
    """``# noqa`` on the finding's own line. YAML has no logical lines spanning several."""
    if not result or "noqa" not in text.lower():
        return
    lines = NoqaMap(text, python=False)
    result[:] = [f for f in result if not lines.suppresses(f.line, f.code)]


def _parse_diagnostic(path: str, line_offset: int, chunk: str, error: yaml.YAMLError, template: str | None = None) -> Finding:
    if isinstance(error, ReaderError):
        return _reader_diagnostic(path, line_offset, chunk, error)
    mark = getattr(error, "problem_mark", None)
    line, column = (mark.line + line_offset + 1, mark.column + 1) if mark else (line_offset + 1, 1)
    problem = getattr(error, "problem", None) or str(error)
    lines = _unix_lines(chunk).split("\n")
    # The mark can stand one line past the text (a document cut in the middle of a key).
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        problem += " (a tab: YAML indents with spaces)"
    return diagnostic(path, SYNTAX_ERROR, f"cannot parse YAML: {problem}" + (f"; {template}" if template else ""), line, column)


def _reader_diagnostic(path: str, line_offset: int, chunk: str, error: ReaderError) -> Finding:
    """A character YAML does not allow (a NUL, a control character). The error has no
    mark and says where in a message of two lines, by an offset that libyaml counts in
    UTF-8 bytes and PyYAML in characters; the reader stops at the first such character."""
    lines = _unix_lines(chunk)
    offset = lines.find(chr(error.character))
    line = lines.count("\n", 0, offset)
    column = offset - lines.rfind("\n", 0, offset)
    message = f"cannot parse YAML: unacceptable character #x{error.character:04x}: {error.reason}"
    return diagnostic(path, SYNTAX_ERROR, message, line + line_offset + 1, column)
