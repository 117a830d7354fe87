"""What is checked, read and decoded: only regular files, up to ``max-file-size``, and
source text decoded as Python decodes it."""

from __future__ import annotations

import io
import os
import re
import stat
import tokenize
from typing import BinaryIO

from oomlint.core.findings import READ_ERROR, TOO_LARGE, Finding, diagnostic

MAX_FILE_SIZE = 16 * 1024 * 1024
"""Default of ``max-file-size``. The largest real sources measured are 6.1 MB (gcloud's
generated ``gcloud_completions.py``; its generated API modules reach 5.5 MB) and 4.6 MB
(prometheus-operator's ``bundle.yaml``, every CRD in one manifest); the standard
library's largest is 0.23 MB. Checking costs 50 to 70 bytes of memory per byte of
source, so 16 MiB, 2.6 times the largest, stays near a gigabyte."""
# A FIFO's open waits for a writer; O_NONBLOCK makes it return at once. Windows has
# neither O_NONBLOCK nor FIFOs, but needs O_BINARY.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Where Python and YAML end a line, and the language server protocol too."""
_CODING_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?[ \t\f]*#.*?coding[:=]", re.MULTILINE)  # a UTF-8 BOM may lead


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
    except LookupError:  # a codec, but of bytes to bytes (hex, zlib) or text to text (rot13)
        message = f"bad encoding declaration: {encoding!r} is not a text encoding"
        raise SourceDecodeError(message, _declaration_line(data), 1) from None
    except UnicodeError as error:
        position = _failure_position(data, error, encoding)
        if position is None:
            raise SourceDecodeError(f"cannot decode as {encoding}", _declaration_line(data), 1) from None
        message = f"cannot decode as {encoding}: byte 0x{data[error.start]:02x} is invalid"
        raise SourceDecodeError(message, *position) from None
    # ``utf-8-sig`` has taken the BOM off; a second one is a character Python rejects.
    return text[1:] if text.startswith("\ufeff") and encoding != "utf-8-sig" else text


def _failure_position(data: bytes, error: UnicodeError, encoding: str) -> tuple[int, int] | None:
    """Where decoding failed, if the codec says so in terms of the whole file: a codec may
    fail as a whole (undefined), count from a piece it split off or have no error handler
    to count characters with (idna, depending on the Python)."""
    if not isinstance(error, UnicodeDecodeError) or error.object != data:
        return None
    try:
        return byte_position(data, error.start, encoding)
    except UnicodeError:
        return None


def byte_position(data: bytes, offset: int, encoding: str = "utf-8") -> tuple[int, int]:
    """1-based line and column (in characters) of byte ``offset`` of ``data``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode(encoding, "replace")) + 1


def _declaration_end(data: bytes) -> int:
    """PEP 263 declarations live in the first two lines."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    return len(data) if second < 0 else second


def _declaration_line(data: bytes) -> int:
    declaration = _CODING_DECLARATION.search(data, 0, _declaration_end(data))
    return 1 if declaration is None else data.count(b"\n", 0, declaration.start()) + 1


class NotRead(Exception):
    """Why a file was left unread: ``OOM001`` (not a regular file, cannot be opened) or
    ``OOM006`` (larger than ``max-file-size``)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message

    @classmethod
    def too_large(cls, size: int | None, max_size: int) -> NotRead:
        """``size`` None: more than ``max_size``, from a stream whose size is not known."""
        amount = f"more than {max_size:,}" if size is None else f"{size:,}"
        return cls(TOO_LARGE, f"file too large to check: {amount} bytes (max-file-size is {max_size:,})")

    def finding(self, path: str) -> Finding:
        return diagnostic(path, self.code, self.message)


def read_file(path: str, max_size: int) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes, else :class:`NotRead`."""
    return read_file_and_status(path, max_size)[0]


def read_file_and_status(path: str, max_size: int) -> tuple[bytes, os.stat_result]:
    """:func:`read_file`, and the status of the file as read (``fix`` checks it is still
    the same file before writing).

    Anything but a regular file is never read: a FIFO or a socket blocks, a device such
    as ``/dev/zero`` never ends. The file is opened without blocking and looked at again
    once open, in case it was replaced after its ``stat``.
    """
    try:
        _require_regular_file(os.stat(path))
        with open(os.open(path, _OPEN_FLAGS), "rb") as stream:
            status = os.fstat(stream.fileno())
            _require_regular_file(status)
            return read_limited(stream, max_size), status
    except OSError as error:
        raise NotRead(READ_ERROR, f"cannot read file: {error.strerror or error}") from None


def _require_regular_file(status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _FILE_KINDS if test(status.st_mode)), "a special file")
        raise NotRead(READ_ERROR, f"cannot read file: not a regular file ({kind})")


def read_limited(stream: BinaryIO, max_size: int) -> bytes:
    """All of ``stream``, unless it holds more than ``max_size`` bytes (:class:`NotRead`,
    ``OOM006``). A file's size is known before it is read; a pipe (stdin) is read no
    further than one byte past the limit."""
    try:
        status = os.fstat(stream.fileno())
    except OSError:  # io.UnsupportedOperation too: a stream in memory
        status = None
    if status is not None and stat.S_ISREG(status.st_mode) and status.st_size > max_size:
        raise NotRead.too_large(status.st_size, max_size)
    data = stream.read(max_size + 1)
    if len(data) > max_size:
        raise NotRead.too_large(None, max_size)
    return data


def too_large(path: str, size: int, max_size: int) -> list[Finding]:
    """``[OOM006]`` when ``size`` is above ``max_size``, else nothing: for the hosts handed
    the text already read (flake8, the language server)."""
    return [NotRead.too_large(size, max_size).finding(path)] if size > max_size else []
