"""Source text from a file's bytes, decoded as Python decodes it."""

from __future__ import annotations

import io
import re
import tokenize

_CODING_DECLARATION = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


class SourceDecodeError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def decode_source(data: bytes) -> str:
    """Decode as Python does: BOM, then a PEP 263 declaration, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if not _CODING_DECLARATION.search(data, 0, _declaration_end(data)):
            encoding = "utf-8"  # no declaration, just bad bytes: decoding below says where
        else:
            line = getattr(error, "lineno", None) or 1
            raise SourceDecodeError(f"bad encoding declaration: {error.msg}", line, 1) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode(encoding, "replace")) + 1
        message = f"cannot decode as {encoding}: byte 0x{data[error.start]:02x} is invalid"
        raise SourceDecodeError(message, line, column) from None
    return text[1:] if text.startswith("\ufeff") else text


def _declaration_end(data: bytes) -> int:
    """PEP 263 declarations live in the first two lines."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    return len(data) if second < 0 else second
