"""``oomlint fix``: the engine finds, libcst rewrites.

A rule that can fix a finding reports it with ``fix="safe"`` or ``fix="unsafe"`` and
implements :meth:`oomlint.rule.Rule.fix`, which turns the libcst node at the finding's
position into its replacement. Here findings are mapped to libcst nodes by position
(``ast`` columns count UTF-8 bytes, but findings and libcst count characters), all
replacements of a file are applied in one pass, and the result is kept only if it
parses and the fixed findings are gone. Files are written atomically, keeping their
encoding, BOM, newlines and permissions.
"""

from __future__ import annotations

import ast
import codecs
import io
import os
import tempfile
import tokenize
from collections import Counter
from dataclasses import dataclass, field

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from oomlint.engine import DIAGNOSTICS, Finding, check_bytes, check_source, decode_source
from oomlint.rule import Rule

SAFE, UNSAFE = "safe", "unsafe"


@dataclass
class FixResult:
    path: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    new_text: str | None = None
    """The fixed source, when anything was fixed."""
    old_text: str | None = None
    problem: str | None = None
    """Why fixable findings were left alone (the file is then unchanged)."""


def applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix == SAFE or (unsafe and finding.fix == UNSAFE)


def fix_file(path: str, rules: tuple[tuple[type[Rule], dict], ...], unsafe: bool = False, write: bool = True) -> FixResult:
    """Fix what can be fixed in one Python file; write it unless ``write`` is false."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return FixResult(path, problem=f"cannot read: {error.strerror}")
    findings = check_bytes(data, path, rules)
    result = FixResult(path, remaining=findings)
    todo = [f for f in findings if applicable(f, unsafe)]
    if not todo or any(f.code in DIAGNOSTICS for f in findings):
        return result
    source = decode_source(data)  # it decoded in check_bytes: no diagnostic above
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    new_source, result.problem = fix_source(source, path, rules, findings, todo)
    if new_source is None:
        return result
    result.fixed, result.old_text, result.new_text = todo, source, new_source
    result.remaining = check_source(new_source, path, rules)
    if write:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        write_atomically(path, bom + new_source.encode("utf-8" if encoding == "utf-8-sig" else encoding))
    return result


def fix_source(source, path, rules, findings, todo) -> tuple[str | None, str | None]:
    """``(fixed source, None)``, or ``(None, why not)``: the fixes of ``todo`` (some of
    ``findings``), kept only if the result parses and exactly those findings are gone."""
    try:
        new_source = apply(source, todo, {rule.code: (rule, options) for rule, options in rules})
    except Exception as error:  # a rule's fix must never cost the user the file
        return None, f"not fixed: {type(error).__name__}: {error}"
    problem = _verify(path, new_source, findings, todo, rules)
    return (None, problem) if problem else (new_source, None)


def apply(source: str, findings: list[Finding], rules: dict[str, tuple[type[Rule], dict]]) -> str:
    """Rewrite ``source`` so that each finding's fix is applied."""
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    by_range: dict[tuple[int, int, int, int], cst.CSTNode] = {}
    for node, where in positions.items():
        key = (where.start.line, where.start.column, where.end.line, where.end.column)
        by_range.setdefault(key, node)  # the outermost node of a range comes first
    context = CodemodContext()
    replacements = {}
    for finding in findings:
        node = by_range.get((finding.line, finding.column - 1, finding.end_line, finding.end_column - 1))
        rule, options = rules[finding.code]
        replacement = rule.fix(node, options, context) if node is not None else None
        if replacement is not None:
            replacements[node] = replacement
    fixed = module.visit(_Replace(replacements))
    fixed = AddImportsVisitor(context).transform_module(fixed)
    return RemoveImportsVisitor(context).transform_module(fixed).code


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.CSTNode, cst.CSTNode]):
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(original_node, updated_node)


def _verify(path, new_source, before, todo, rules) -> str | None:
    """The fix must parse and make its findings go away, adding none."""
    try:
        ast.parse(new_source)
    except SyntaxError as error:
        return f"not fixed: the fix would not parse ({error.msg}, line {error.lineno})"
    after = Counter(f.code for f in check_source(new_source, path, rules))
    expected = Counter(f.code for f in before) - Counter(f.code for f in todo)
    if after != expected:
        return "not fixed: the fix did not remove exactly its findings"
    return None


def write_atomically(path: str, data: bytes) -> None:
    """Temp file in the same directory, same permissions, then one rename."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".oomlint-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
