"""What a check produces: findings, and oomlint's own diagnostics (``OOM0xx``) for files
that cannot be read, decoded or parsed, which are reported like findings."""

from __future__ import annotations

from dataclasses import dataclass, field

READ_ERROR = "OOM001"
DECODE_ERROR = "OOM002"
SYNTAX_ERROR = "OOM003"
TOO_DEEP = "OOM004"
DUPLICATE_KEY = "OOM005"
TOO_LARGE = "OOM006"
RENDER_FAILED = "OOM007"
DIAGNOSTICS = {
    READ_ERROR: "file-not-readable",
    DECODE_ERROR: "file-not-decodable",
    SYNTAX_ERROR: "syntax-error",
    TOO_DEEP: "too-deeply-nested",
    DUPLICATE_KEY: "duplicate-key",
    TOO_LARGE: "file-too-large",
    RENDER_FAILED: "render-failed",
}
ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One finding. Lines and columns are 1-based; columns count characters."""

    path: str
    line: int
    column: int
    code: str
    message: str
    symbol: str
    end_line: int
    end_column: int
    """Exclusive: the character just past the flagged code."""
    fix: str | None = None
    """``"safe"`` or ``"unsafe"`` when ``oomlint fix`` can fix it (see :mod:`oomlint.fix.driver`)."""
    fix_hint: object = field(default=None, compare=False, repr=False)
    """What the detection tells the rule's fix (the line a block rewrite ends on)."""


def diagnostic(path: str, code: str, message: str, line: int = 1, column: int = 1) -> Finding:
    """An ``OOM0xx`` finding at one position."""
    return Finding(path, line, column, code, message, DIAGNOSTICS[code], line, column)


def severity(code: str) -> str:
    """A rule's finding is a warning; a file oomlint could not check is an error. Every
    format that has severities (SARIF, GitHub, GitLab, the language server) says so."""
    return ERROR if code in DIAGNOSTICS else WARNING
