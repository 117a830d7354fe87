"""Code written for a newer Python than the one running oomlint.

``ast`` parses only its own Python's grammar: under 3.11, a module with a ``type`` alias,
a generic ``class Box[T]:`` or an f-string that nests its own quotes (``f"{row["id"]}"``,
Python 3.12) is a syntax error, and none of its leaks would be found. libcst's parser
reads those grammars (PEP 695 and PEP 701 since libcst 1.1), so a module this Python cannot
parse is read with it, and what this Python cannot parse is blanked out of a copy of the
text, which ``ast`` then parses:

- a ``type`` alias becomes a plain assignment (``type Rows[T] = list[T]`` reads
  ``Rows = list[T]``);
- type parameters (``[T]`` of ``class Box[T]:`` and ``def first[T](...)``) go;
- an f-string this Python cannot parse, or a t-string (Python 3.14), becomes a string of
  blanks: its value is unknown.

Each character is replaced by as many spaces as it takes bytes in UTF-8 and line breaks
stay, so every node (but an alias's name) keeps the line and the byte offset ``ast``
reports for it, and a finding points where it would under the newer Python. What neither
parser reads, or what this module does not rewrite (Python 3.14's ``except A, B:``), stays
a syntax error.
"""

from __future__ import annotations

import ast
import warnings


Position = tuple[int, int]
"""``(line, column)`` as libcst gives it: lines from 1, columns in characters."""


def downlevel(source: str) -> str | None:
    """``source`` with the newer syntax blanked (see the module docstring), or None when
    libcst cannot read it either, or what is left still does not parse here."""
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        wrapper = MetadataWrapper(libcst.parse_module(source), unsafe_skip_copy=True)
        parts = _newer_parts(wrapper.module, wrapper.resolve(PositionProvider))
    except Exception:  # libcst failing on code it cannot read either: the SyntaxError stands
        return None
    lines = source.splitlines(keepends=True)
    for start, end, head, tail in parts:
        if not _blank(lines, start, end, head, tail):
            return None
    text = "".join(lines)
    return text if _parses(text, "exec") else None


def _newer_parts(module, positions) -> list[tuple[Position, Position, str, str]]:
    """The spans to blank, each with what to write at its start and at its end."""
    import libcst

    def start(node) -> Position:
        return positions[node].start.line, positions[node].start.column

    def end(node) -> Position:
        return positions[node].end.line, positions[node].end.column

    parts: list[tuple[Position, Position, str, str]] = []

    class Parts(libcst.CSTVisitor):
        def visit_TypeAlias(self, node) -> bool:
            # ``type Rows[T] = `` becomes ``Rows =`` and blanks: the value keeps its place.
            parts.append((start(node), start(node.value), f"{node.name.value} =", ""))
            return False

        def visit_TypeParameters(self, node) -> None:
            parts.append((start(node), end(node), "", ""))

        def visit_FormattedString(self, node) -> bool:
            if _parses(f"({module.code_for_node(node)})", "eval"):
                return True  # and none nested in it is newer
            quote = '"' if start(node)[0] == end(node)[0] else '"""'
            parts.append((start(node), end(node), quote, quote))
            return False

        visit_TemplatedString = visit_FormattedString  # Python 3.14's t-strings

    module.visit(Parts())
    return parts


def _parses(text: str, mode: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text, mode=mode)
        except (SyntaxError, ValueError):
            return False
    return True


def _blank(lines: list[str], start: Position, end: Position, head: str, tail: str) -> bool:
    """Replace the characters from ``start`` up to ``end`` with spaces, one per UTF-8 byte,
    keeping line breaks, then write ``head`` over the first blanks and ``tail`` over the
    last (ASCII). False when the span is too short for them."""
    (first, first_column), (last, last_column) = start, end
    if last > len(lines):
        return False
    for number in range(first, last + 1):
        line = lines[number - 1]
        begin = first_column if number == first else 0
        stop = last_column if number == last else len(line.rstrip("\r\n"))
        blanks = [" "] * sum(len(character.encode("utf-8")) for character in line[begin:stop])
        ends = (head if number == first else "", tail if number == last else "")
        if len(blanks) < len(ends[0]) + len(ends[1]):
            return False
        blanks[: len(ends[0])] = ends[0]
        blanks[len(blanks) - len(ends[1]):] = ends[1]
        lines[number - 1] = line[:begin] + "".join(blanks) + line[stop:]
    return True
