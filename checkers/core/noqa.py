"""``# noqa`` with flake8's exact semantics, so the CLI and flake8 agree.

flake8 searches for the comment in the whole logical line a finding is on (a
statement spread over several lines, a multi-line string), matches codes as
prefixes (``# noqa: OOM3`` covers OOM301) and treats a bare ``# noqa`` as all codes.
"""

from __future__ import annotations

import io
import re
import tokenize

NOQA_RE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_CODE_SEPARATOR = re.compile(r"[,\s]")


class NoqaMap:
    def __init__(self, source: str, python: bool = True):
        """``python=False`` (YAML): a comment counts on its own physical line only.
        Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as for the parsers."""
        self._lines = io.StringIO(source, newline=None).readlines()
        self._logical = _logical_line_text(source, self._lines) if python else {}
        self._comments: dict[str, tuple[str, ...] | None] = {}
        """What the ``# noqa`` of each line text lists (``()``: every code), searched for
        once per text: a long line (a one-line JSON manifest) holds many findings."""

    def suppresses(self, line: int, code: str) -> bool:
        text = self._logical.get(line)
        if text is None:
            text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        if text not in self._comments:
            self._comments[text] = _listed_codes(text)
        listed = self._comments[text]
        return listed is not None and (not listed or code.startswith(listed))


def _listed_codes(text: str) -> tuple[str, ...] | None:
    """The codes a ``# noqa`` in ``text`` lists, ``()`` for a bare one, None without one."""
    match = NOQA_RE.search(text)
    if match is None:
        return None
    codes = match.group("codes")
    return () if codes is None else tuple(split_codes(codes))


def split_codes(codes: str) -> list[str]:
    """The codes of a ``# noqa: CODES`` list, as written."""
    return [item for item in _CODE_SEPARATOR.split(codes) if item]


def _logical_line_text(source: str, lines: list[str]) -> dict[int, str]:
    """Map each line number to the text of all lines of its logical line."""
    mapping: dict[int, str] = {}
    for first, last in logical_lines(source, len(lines)):
        mapping.update(dict.fromkeys(range(first, last + 1), "".join(lines[first - 1:last])))
    return mapping


def logical_lines(source: str, line_count: int) -> list[tuple[int, int]]:
    """The first and last line of each run of lines flake8 searches as one for ``# noqa``:
    a physical line, or the lines a multi-line string or a backslash joins. The last line
    of each run ends with the run's NEWLINE or NL token, so a comment can go there. Empty
    when ``source`` does not tokenize."""
    runs = []
    first, last = line_count + 2, -1
    try:
        for token in tokenize.generate_tokens(io.StringIO(source, newline=None).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first = min(first, token.start[0])
            last = max(last, token.end[0])
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                runs.append((first, last))
                first, last = line_count + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return []
    return runs
