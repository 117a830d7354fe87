"""``oomlint fix`` for Kubernetes manifests: insertions into the YAML text as written.

A manifest is never re-dumped, which would lose comments, quoting, key order and
layout. Each finding goes back to the node it was reported at: its document is
composed again and the node found by its span (:func:`oomlint.kubernetes.span`). The
rule's :meth:`~oomlint.kubernetes.KubernetesRule.fix` returns :class:`Edit` insertions,
which :class:`Document` derives from the text around: block or flow style, indentation,
key quoting and newlines follow what is there. :mod:`oomlint.fixes` runs the passes,
checks that the result parses, lost the fixed findings and gained none, and writes the file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode

from oomlint.engine import DIAGNOSTICS, Finding
from oomlint.kubernetes import UnparsableDocument, check_manifest_text, composed, merges, nodes, own_entry, scalar, span
from oomlint.rule import Rule

_BREAK = re.compile(r"\r\n|\r|\n")
# The line after a line break: its indentation, then the rest.
_NEXT_LINE = re.compile(r"(?:\r\n|\r|\n)( *)([^\r\n]*)")
_STEP = 2
"""Indentation of a new nested block mapping until the path shows the file's own."""


class Edit(NamedTuple):
    offset: int
    """Where in the document's text; what is there moves after ``text``."""
    text: str


class Document:
    """One YAML document's text as written, and the insertions that add keys to it."""

    def __init__(self, text: str):
        self.text = text
        line_break = _BREAK.search(text)
        self.newline = line_break.group() if line_break else "\n"

    def written(self, node: Node | None) -> str | None:
        """A scalar exactly as written, quotes included, when it is safe to copy: on one
        line, plain or quoted, with no escape, anchor or tag, and not an alias (an alias
        is the anchored node, whose text carries the anchor)."""
        # Plain is style None from PyYAML's parser, "" from libyaml's.
        if type(node) is not ScalarNode or node.style not in (None, "", "'", '"'):
            return None
        quote = node.style or ""
        text = self.text[node.start_mark.index : node.end_mark.index]
        return text if text == f"{quote}{node.value}{quote}" else None

    def add(self, node: MappingNode, keys: tuple[str, ...], value: str, after: str | None = None) -> list[Edit] | None:
        """The edits that set the path ``keys`` under the mapping ``node`` to ``value``
        (YAML text as it should be written), adding the mappings missing on the way. A
        new entry goes after the entry ``after`` if its mapping has one, else last.

        None when the path is set already, or insertion cannot set it safely: the path
        runs through a value that is neither a mapping nor left empty (``limits:``; an
        explicit ``~`` or ``null`` is a value), through a mapping that merges others in
        (``<<``: the new entry could shadow theirs), or through an anchored, tagged or
        aliased mapping below ``node`` (the edit would change its other uses too).
        """
        holder, mapping, step = None, node, _STEP
        for depth, key in enumerate(keys):
            if merges(mapping):
                return None
            entry = own_entry(mapping, key)
            if entry is None:
                edit = self._insert(mapping, holder, keys[depth:], value, after, step)
                return None if edit is None else [edit]
            holder, child = entry
            rest = keys[depth + 1 :]
            if not rest:
                return None
            if not mapping.flow_style and _empty(child):
                column = holder.start_mark.column + step
                text = self.newline + " " * column + self._entry(rest, value, holder, column, step, flow=False)
                return [Edit(self._block_end(holder), text)]
            if type(child) is not MappingNode or self.text[child.start_mark.index] in "&!":
                return None
            if not child.flow_style:
                step = child.value[0][0].start_mark.column - holder.start_mark.column
            mapping = child

    def _insert(
        self, mapping: MappingNode, holder: Node | None, keys: tuple[str, ...], value: str, after: str | None, step: int
    ) -> Edit | None:
        """A new entry for the path ``keys`` in ``mapping``, the value of ``holder``."""
        previous = (own_entry(mapping, after) if after else None) or (mapping.value[-1] if mapping.value else None)
        if mapping.flow_style:
            like = previous[0] if previous else holder
            entry = self._entry(keys, value, like, 0, 0, flow=True)
            if previous is None:  # ``{}``, undecorated: ``add`` checked the mappings below its node
                return Edit(mapping.start_mark.index + 1, entry)
            key, last = previous
            if last.start_mark.index < key.end_mark.index:
                return None  # an alias: its node and marks are the anchor's, elsewhere
            if key.start_mark.line == mapping.start_mark.line:
                return Edit(last.end_mark.index, ", " + entry)
            return Edit(last.end_mark.index, f",{self.newline}{' ' * key.start_mark.column}{entry}")  # one entry a line
        key, last = previous  # a block mapping is never empty
        column = key.start_mark.column
        flow = type(last) is MappingNode and last.flow_style
        return Edit(self._block_end(key), self.newline + " " * column + self._entry(keys, value, key, column, step, flow))

    def _entry(self, keys: tuple[str, ...], value: str, like: Node | None, column: int, step: int, flow: bool) -> str:
        """``key: value`` for the path ``keys``, keys quoted like ``like``: nested mappings
        in flow style, or in block style, each ``step`` further in than ``column``."""
        head = _key(keys[0], like)
        if len(keys) == 1:
            return f"{head}: {value}"
        if flow:
            return f"{head}: {{{self._entry(keys[1:], value, like, 0, 0, flow)}}}"
        inner = column + step
        return f"{head}:{self.newline}{' ' * inner}{self._entry(keys[1:], value, like, inner, step, flow)}"

    def _block_end(self, key: Node) -> int:
        """Where the block entry of ``key`` ends: the end of the last line below it indented
        deeper (comments included; blank lines and shallower comments at its end are not),
        or of the key's own line. Read from the text, since a value's marks are the
        anchor's when it is an alias."""
        column = key.start_mark.column
        end = self._line_end(key.end_mark.index)
        for line in _NEXT_LINE.finditer(self.text, end):
            indent, rest = len(line[1]), line[2].lstrip(" \t")
            if not rest:
                continue
            if indent > column:
                end = line.end()
            elif not rest.startswith("#"):
                break
        return end

    def _line_end(self, index: int) -> int:
        found = _BREAK.search(self.text, index)
        return found.start() if found else len(self.text)


def _empty(node: Node) -> bool:
    """A value left empty (``limits:``), which an entry below the key can fill."""
    return type(node) is ScalarNode and scalar(node) is None and node.start_mark.index == node.end_mark.index


def _key(name: str, like: Node | None) -> str:
    """``name`` quoted as ``like``, a neighbouring key, is: in JSON, a JSON string."""
    quote = like.style if like is not None and like.style in ("'", '"') else ""
    return f"{quote}{name}{quote}"


def apply(source: str, findings: list[Finding], rules: dict[str, tuple[type[Rule], dict]], path: str) -> tuple[str, list[Finding]]:
    """``source`` with the edits of the fixes of ``findings``, and the findings fixed.

    A finding goes back to the outermost node of its document with the finding's span.
    A fix with an edit at an offset where another fix already inserts waits for the next
    pass: the order of the two insertions would be a guess.
    """
    by_span: dict[tuple[int, int, int, int], list[Finding]] = {}
    for finding in findings:
        by_span.setdefault((finding.line, finding.column, finding.end_line, finding.end_column), []).append(finding)
    insertions: list[tuple[int, str]] = []
    taken: set[int] = set()
    applied = []
    for line_offset, offset, text, root in composed(source, path):
        document = Document(text)
        for node in nodes(root):
            for finding in by_span.pop(span(node, line_offset), ()):
                rule, options = rules[finding.code]
                edits = [(offset + edit.offset, edit.text) for edit in rule.fix(node, options, document, finding.fix_hint) or ()]
                if edits and taken.isdisjoint(position for position, _ in edits):
                    insertions += edits
                    taken.update(position for position, _ in edits)
                    applied.append(finding)
    pieces, start = [], 0
    for position, text in sorted(insertions, key=lambda insertion: insertion[0]):
        pieces += (source[start:position], text)
        start = position
    return "".join(pieces) + source[start:], applied


def check(source: str, path: str, rules) -> tuple[str | None, list[Finding]]:
    """Why the fixed ``source`` does not parse (None if it does), and its findings.

    Every document must compose, not only those the checks read: a document broken
    into one that no longer looks like a Kubernetes object would be dropped unseen.
    """
    try:
        for _ in composed(source, path):
            pass
    except UnparsableDocument as error:
        return str(error), []
    findings = check_manifest_text(source, path, rules)
    broken = next((finding for finding in findings if finding.code in DIAGNOSTICS), None)
    return (None if broken is None else f"{broken.message}, line {broken.line}"), findings
