"""Insertions into a YAML document's text as written, which fixes of Kubernetes rules
make: :class:`Document` derives them from the text around (block or flow style,
indentation, key quoting and newlines follow what is there), so a manifest is never
re-dumped and keeps its comments, quoting, key order and layout."""

from __future__ import annotations

import re
from typing import NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode

from oomlint.kubernetes.nodes import merges, own_entry, scalar


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
