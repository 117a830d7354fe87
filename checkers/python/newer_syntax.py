"""Code written for a newer Python than the one running oomlint.

``ast`` parses only its own Python's grammar: under 3.11, a module with a ``type`` alias,
a generic ``class Box[T]:``, an f-string that nests its own quotes (``f"{row["id"]}"``,
Python 3.12) or an ``except KeyError, IndexError:`` (3.14) is a syntax error, and none of
its leaks would be found. libcst's parser reads those grammars, so a module this Python
cannot parse is read with it, and what this Python cannot parse is rewritten in a copy of
the text, which ``ast`` then parses:

- a ``type`` alias becomes a plain assignment (``type Rows[T] = list[T]`` reads
  ``Rows = list[T]``);
- type parameters (``[T]`` of ``class Box[T]:`` and ``def first[T](...)``) go;
- an f-string this Python cannot parse, or a t-string (3.14), becomes a string of blanks:
  its value is unknown;
- the types of an ``except`` get their parentheses.

Each character is replaced by as many spaces as it takes bytes in UTF-8 and line breaks
stay (what spanned several lines is joined with backslashes), so every node keeps the line
and, but for an alias's name and an ``except``'s types, the byte offset ``ast`` reports
for it: a finding points where it would under the newer Python. What neither parser
reads, or what this module does not rewrite (3.15's ``lazy import``), stays a syntax error.
"""

from __future__ import annotations

import ast
import io
import tokenize
import warnings

# libcst's parser recurses on nesting and overflows its stack (a crash, no exception) on a
# few thousand nested brackets or tens of thousands of chained operators, and slows down
# on long chains. No Python accepts more than 200 nested brackets, and real code never
# chains a thousand operators in one line: beyond either, the module is not given to it.
MAX_BRACKETS = 200
MAX_CHAINED = 1000
CHAINING = frozenset({"not", "await", "lambda", "if", "else", "-", "+", "~", "**", ".", "["})


Position = tuple[int, int]
"""``(line, column)`` as libcst gives it: lines from 1, columns in characters."""


def downlevel(source: str) -> str | None:
    """``source`` with the newer syntax blanked (see the module docstring), or None when
    libcst cannot read it either, or what is left still does not parse here."""
    if _too_deep(source):
        return None
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        wrapper = MetadataWrapper(libcst.parse_module(source), unsafe_skip_copy=True)
        parts = _newer_parts(wrapper.module, wrapper.resolve(PositionProvider), source.splitlines())
    except Exception:  # libcst failing on code it cannot read either: the SyntaxError stands
        return None
    lines = source.splitlines(keepends=True)
    for part in parts:
        if not _blank(lines, *part):
            return None
    text = "".join(lines)
    return text if _parses(text, "exec") else None


Part = tuple[Position, Position, str, str, bool]
"""A span to blank, what to write at its start and at its end, and whether its lines are
joined with backslashes (a span over several lines that is not a string)."""


def _newer_parts(module, positions, lines: list[str]) -> list[Part]:
    """The spans to blank, in the order of the source."""
    import libcst

    def start(node) -> Position:
        return positions[node].start.line, positions[node].start.column

    def end(node) -> Position:
        return positions[node].end.line, positions[node].end.column

    parts: list[Part] = []

    class Parts(libcst.CSTVisitor):
        def visit_TypeAlias(self, node) -> bool:
            # ``type Rows[T] = `` becomes ``Rows =`` and blanks: the value keeps its place.
            line, column = end(node.type_parameters or node.name)
            equals = lines[line - 1].find("=", column)
            if equals < 0:
                raise ValueError("no '=' after a type alias's name")
            parts.append((start(node), (line, equals + 1), f"{node.name.value} =", "", True))
            return False

        def visit_TypeParameters(self, node) -> None:
            parts.append((start(node), end(node), "", "", True))

        def visit_FormattedString(self, node) -> bool:
            if _parses(f"({module.code_for_node(node)})", "eval"):
                return True  # and none nested in it is newer
            quote = '"' if start(node)[0] == end(node)[0] else '"""'
            parts.append((start(node), end(node), quote, quote, False))
            return False

        visit_TemplatedString = visit_FormattedString  # Python 3.14's t-strings

        def visit_ExceptHandler(self, node) -> None:
            # Python 3.14's ``except KeyError, IndexError:`` becomes ``except(KeyError,IndexError):``.
            types = node.type
            if not isinstance(types, libcst.Tuple) or types.lpar:
                return
            line, column = start(node)
            written = "(" + ",".join(module.code_for_node(item.value) for item in types.elements) + ")"
            parts.append(((line, column + len("except")), end(types), written, "", False))

    module.visit(Parts())
    return parts


def _too_deep(source: str) -> bool:
    """More than :data:`MAX_BRACKETS` nested brackets, or a logical line with more than
    :data:`MAX_CHAINED` operators that nest (``not``, unary signs, ``.``, ``[``, ``**``...),
    or text this Python cannot even tokenize: not for libcst."""
    depth = chained = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.NEWLINE:
                chained = 0
            elif token.type in (tokenize.OP, tokenize.NAME) and token.string in CHAINING:
                chained += 1
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            if depth > MAX_BRACKETS or chained > MAX_CHAINED:
                return True
    except (tokenize.TokenError, SyntaxError, ValueError):
        return True
    return False


def _parses(text: str, mode: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text, mode=mode)
        except (SyntaxError, ValueError):
            return False
    return True


def _blank(lines: list[str], start: Position, end: Position, head: str, tail: str, joined: bool) -> bool:
    """Replace the characters from ``start`` up to ``end`` with spaces, one per UTF-8 byte,
    keeping line breaks, then write ``head`` over the first blanks and ``tail`` over the
    last (ASCII), and, ``joined``, a backslash over the last blank of each line but the
    last, so that the lines stay one logical line. False when the span has too few
    characters for what it must hold."""
    (first, first_column), (last, last_column) = start, end
    if last > len(lines):
        return False
    for number in range(first, last + 1):
        line = lines[number - 1]
        begin = first_column if number == first else 0
        stop = last_column if number == last else len(line.rstrip("\r\n"))
        blanks = [" "] * sum(len(character.encode("utf-8")) for character in line[begin:stop])
        written = (head if number == first else "", "\\" if joined and number < last else "", tail if number == last else "")
        if len(blanks) < sum(map(len, written)):
            return False
        blanks[: len(written[0])] = written[0]
        blanks[len(blanks) - len(written[1]) - len(written[2]):] = written[1] + written[2]
        lines[number - 1] = line[:begin] + "".join(blanks) + line[stop:]
    return True
