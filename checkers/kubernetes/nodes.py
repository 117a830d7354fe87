"""Questions about composed YAML nodes, asked by the loader, the rules and the fixes:
a mapping's value (following ``<<`` merges), a scalar's text, every node once however
many aliases point at it, and where a node stands in its file.

PyYAML is not imported here: the rules import this module, the rule registry imports
every rule, and PyYAML's import is a tenth of oomlint's start-up, which only a run that
checks a manifest needs. A node's kind is the ``id`` its class gives it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml
    from yaml.nodes import MappingNode, Node, ScalarNode

SCALAR, SEQUENCE, MAPPING = "scalar", "sequence", "mapping"
"""The ``id`` of PyYAML's ``ScalarNode``, ``SequenceNode`` and ``MappingNode``."""

NULL_TAG = "tag:yaml.org,2002:null"
# A Go template action; GitHub Actions' ``${{ ... }}`` is not one.
TEMPLATE_ACTION = re.compile(r"(?<!\$)\{\{")
# Jinja's (Salt's, Ansible's) statements and comments, which Go templates do not have.
JINJA_TAG = re.compile(r"\{%|\{#")
MERGE_TAG = "tag:yaml.org,2002:merge"


def get(node: Node | None, key: str, _merged: set[int] | None = None) -> Node | None:
    """The value of ``key`` in a mapping node, or None; keys merged in with ``<<`` count
    too (kubectl's YAML reader honours them), after the mapping's own."""
    if node is None or node.id != MAPPING:
        return None
    merge = None
    for item_key, value in node.value:
        if item_key.value == key and item_key.id == SCALAR:
            return value
        if item_key.tag == MERGE_TAG:
            merge = value
    if merge is None:
        return None
    merged = set() if _merged is None else _merged
    merged.add(id(node))  # a mapping may merge itself in through an alias
    sources = merge.value if merge.id == SEQUENCE else [merge]
    for source in sources:
        found = None if id(source) in merged else get(source, key, merged)
        if found is not None:
            return found
    return None


def own_entry(node: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
    """The ``(key, value)`` nodes of ``key`` in the mapping itself, not merged in: what
    an edit of the text can reach."""
    return next(((k, v) for k, v in node.value if k.id == SCALAR and k.value == key), None)


def is_scalar(node: Node | None) -> bool:
    return node is not None and node.id == SCALAR


def is_mapping(node: Node | None) -> bool:
    return node is not None and node.id == MAPPING


def is_sequence(node: Node | None) -> bool:
    return node is not None and node.id == SEQUENCE


def merges(node: MappingNode) -> bool:
    """Whether the mapping merges others in with ``<<``."""
    return any(key.tag == MERGE_TAG for key, _ in node.value)


def scalar(node: Node | None) -> str | None:
    """The text of a scalar node; None for anything else, and for null."""
    if is_scalar(node) and node.tag != NULL_TAG:
        return node.value
    return None


def memory(owner: Node | None, field: str) -> Node | None:
    """The ``resources.<field>.memory`` node of a container or a pod spec (``field`` is
    ``limits`` or ``requests``), or None when the key is absent. A key with no value is
    a null scalar node, not None: it is there, and wrong."""
    return get(get(get(owner, "resources"), field), "memory")


def templated(node: Node | None) -> bool:
    """A scalar that a template fills in (``"{{ .Values.limit }}"``): its value is unknown."""
    text = scalar(node)
    return text is not None and bool(TEMPLATE_ACTION.search(text) or JINJA_TAG.search(text))


def nodes(root: Node, scalars: bool = True) -> Iterator[Node]:
    """Every node under ``root`` (collections only, unless ``scalars``), each before its
    children and each once however many aliases point at it."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if node.id == MAPPING:
            children = (child for entry in node.value for child in entry)
        elif node.id == SEQUENCE:
            children = iter(node.value)
        else:
            continue
        pending += (child for child in children if scalars or child.id != SCALAR)


def span(node: Node, line_offset: int) -> tuple[int, int, int, int]:
    """Where a finding at ``node`` is in the file (1-based line, column, end line, end
    column), ``line_offset`` being its document's first line; fixes match findings back
    to nodes by it."""
    start, end = node.start_mark, _end_mark(node)
    return start.line + line_offset + 1, start.column + 1, end.line + line_offset + 1, end.column + 1


def _end_mark(node: Node) -> yaml.Mark:
    """Where the flagged text ends: a scalar's own end; for a collection, the end of its
    first entry, so that an editor underlines ``name: fluentd``, not the whole container."""
    if node.id == SCALAR or not node.value:
        return node.end_mark
    first = node.value[0]
    if node.id == MAPPING:
        key, value = first
        first = value if value.id == SCALAR else key
    return first.end_mark if first.id == SCALAR else first.start_mark
