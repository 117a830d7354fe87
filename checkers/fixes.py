"""``oomlint fix``: the engine finds, libcst rewrites.

A rule that can fix a finding reports it with ``fix="safe"`` or ``fix="unsafe"`` and
implements :meth:`oomlint.rule.Rule.fix`, which turns the libcst node at the finding's
position into its replacement, or replaces a node around it (the block a ``try`` or
``with`` restructures). Here findings are mapped to libcst nodes by position (``ast``
columns count UTF-8 bytes, but findings and libcst count characters). The replacements
of a file are applied together, in passes: a fix whose node overlaps one already taken
waits for the next pass, on the source as the earlier fixes left it. Each pass is kept
only if it parses, its findings are gone and none is new. Files are written atomically,
keeping their encoding, BOM, newlines and permissions.

Kubernetes manifests go through the same passes, verification and writing, but their
fixes are insertions into the YAML text (:mod:`oomlint.manifest_fixes`).
"""

from __future__ import annotations

import codecs
import functools
import io
import os
import tempfile
import tokenize
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from oomlint import manifest_fixes
from oomlint.astutil import parse
from oomlint.engine import DIAGNOSTICS, Finding, check_bytes, check_source, decode_source
from oomlint.kubernetes import ManifestFindings, cover
from oomlint.rule import Rule, language_of

SAFE, UNSAFE = "safe", "unsafe"
MAX_PASSES = 10
"""Fixes that overlap wait for a later pass; nested ones (a ``try`` inside a ``try``) need few."""


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


def fix_file(
    path: str, rules: tuple[tuple[type[Rule], dict], ...], unsafe: bool = False, write: bool = True, limit_ranges=None
) -> FixResult:
    """Fix what can be fixed in one file, Python or manifest; write it unless ``write`` is
    false. ``limit_ranges``: the LimitRange defaults of the other manifests of the run
    (:func:`oomlint.kubernetes.limit_ranges_of`), whose findings are not reported, so not fixed."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return FixResult(path, problem=f"cannot read: {error.strerror}")
    findings = _covered(check_bytes(data, path, rules), limit_ranges)
    result = FixResult(path, remaining=findings)
    todo = [f for f in findings if applicable(f, unsafe)]
    if not todo or any(f.code in DIAGNOSTICS for f in findings):
        return result
    source = decode_source(data)  # it decoded in check_bytes: no diagnostic above
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    wanted = functools.partial(applicable, unsafe=unsafe)
    outcome = fix_source(source, path, rules, findings, wanted, limit_ranges)
    result.problem, new_source = outcome.problem, outcome.source
    if new_source is None:
        return result
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        new_data = new_source.encode(encoding)
    except UnicodeEncodeError as error:
        result.problem = f"not fixed: the fix writes {error.object[error.start]!r}, which {encoding} cannot encode"
        return result
    result.fixed, result.remaining, result.old_text, result.new_text = outcome.fixed, outcome.remaining, source, new_source
    if write:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        write_atomically(path, bom + new_data)
    return result


class Fixed(NamedTuple):
    source: str | None
    """The fixed source; None when nothing was fixed."""
    fixed: list[Finding]
    remaining: list[Finding]
    """The findings of the fixed source."""
    problem: str | None = None
    """Why the fixes were not made."""


def fix_source(
    source: str, path: str, rules, findings: list[Finding], wanted: Callable[[Finding], bool], limit_ranges=None
) -> Fixed:
    """Fix the findings ``wanted`` picks, pass after pass, until none is left or a pass
    fixes nothing; every pass must parse, remove its findings and add none."""
    by_code = {rule.code: (rule, options) for rule, options in rules}
    apply_fixes = apply if language_of(path) == "python" else functools.partial(manifest_fixes.apply, path=path)
    fixed: list[Finding] = []
    new_source = source
    for _ in range(MAX_PASSES):
        todo = [finding for finding in findings if wanted(finding)]
        if not todo:
            break
        try:
            candidate, applied = apply_fixes(new_source, todo, by_code)
        except Exception as error:  # a rule's fix must never cost the user the file
            return Fixed(None, [], findings, f"not fixed: {type(error).__name__}: {error}")
        if not applied:
            break
        problem, after, gone = _verify(path, candidate, findings, applied, rules, limit_ranges)
        if problem:
            return Fixed(None, [], findings, problem)
        new_source, findings = candidate, after
        fixed += gone
    return Fixed(new_source if fixed else None, fixed, findings)


def apply(source: str, findings: list[Finding], rules: dict[str, tuple[type[Rule], dict]]) -> tuple[str, list[Finding]]:
    """Rewrite ``source`` with the fixes of ``findings`` that do not overlap; return it
    and the findings whose fixes it applied."""
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    by_range: dict[tuple[int, int, int, int], cst.CSTNode] = {}
    for node, where in positions.items():
        key = (where.start.line, where.start.column, where.end.line, where.end.column)
        by_range.setdefault(key, node)  # the outermost node of a range comes first
    context = CodemodContext(wrapper=wrapper)
    replacements: dict[cst.CSTNode, cst.CSTNode] = {}
    taken: set[cst.CSTNode] = set()
    """The replaced nodes and every node around them: a later fix may touch none of them."""
    applied = []
    for finding in findings:
        node = by_range.get((finding.line, finding.column - 1, finding.end_line, finding.end_column - 1))
        if node is None:
            continue
        rule, options = rules[finding.code]
        scratch = {key: list(value) if isinstance(value, list) else value for key, value in context.scratch.items()}
        result = rule.fix(node, options, context, finding.fix_hint)
        if result is None:
            continue
        target, replacement = result if isinstance(result, tuple) else (node, result)
        around = list(_ancestors(target, parents))
        if target in taken or any(ancestor in replacements for ancestor in around):
            context.scratch.clear()
            context.scratch.update(scratch)  # the imports it asked for wait with it
            continue
        replacements[target] = replacement
        taken.update(around, (target,))
        applied.append(finding)
    fixed = module.visit(_Replace(replacements))
    for imports in (AddImportsVisitor, RemoveImportsVisitor):
        if context.scratch.get(imports.CONTEXT_KEY):  # each is a whole pass over the module
            fixed = imports(context).transform_module(fixed)
    return fixed.code, applied


def statement_span(node: cst.CSTNode, last_line: int, context: CodemodContext):
    """For fixes that restructure a block: ``(block, start, end)``, the indented block (or
    module) around the statement holding ``node``, that statement's index in it, and the
    index of the later statement of the block that ends on ``last_line``. None when the
    statement is in a one-line suite, or no statement of its block ends there."""
    parents = context.wrapper.resolve(ParentNodeProvider)
    positions = context.wrapper.resolve(PositionProvider)
    statement = node
    while not isinstance(parents.get(statement), (cst.IndentedBlock, cst.Module)):
        if statement not in parents or isinstance(statement, cst.SimpleStatementSuite):
            return None
        statement = parents[statement]
    block = parents[statement]
    start = next(index for index, item in enumerate(block.body) if item is statement)
    for end in range(start + 1, len(block.body)):
        if positions[block.body[end]].end.line == last_line:
            return block, start, end
    return None


def indented(statements, header: cst.TrailingWhitespace | None = None) -> cst.IndentedBlock:
    """``statements`` as the body of a new compound statement, ``header`` ending its first
    line; blank lines above the first statement are dropped (comments stay)."""
    first, *rest = statements
    kept = [line for line in first.leading_lines if line.comment is not None]
    return cst.IndentedBlock(
        body=[first.with_changes(leading_lines=kept), *rest], header=header or cst.TrailingWhitespace()
    )


def _ancestors(node: cst.CSTNode, parents) -> Iterator[cst.CSTNode]:
    while node in parents:
        node = parents[node]
        yield node


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.CSTNode, cst.CSTNode]):
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(original_node, updated_node)


def _verify(path, new_source, before, applied, rules, limit_ranges) -> tuple[str | None, list[Finding], list[Finding]]:
    """The fixes must parse, make their findings go away and add none: ``(why not, the
    findings of the fixed source, the findings gone)``. A finding they settle on the way
    goes too (a cursor that a connection's new ``finally`` now closes)."""
    problem, after = _check_fixed(path, new_source, rules, limit_ranges)
    if problem:
        return f"not fixed: the fix would not parse ({problem})", [], []
    left = Counter(f.code for f in before) - Counter(f.code for f in applied)
    found = Counter(f.code for f in after)
    if found - left:
        return "not fixed: the fix left its finding or made new ones", after, []
    fixed = {id(finding) for finding in applied}
    others = [finding for finding in before if id(finding) not in fixed]
    settled = [finding for code, count in (left - found).items() for finding in [f for f in others if f.code == code][:count]]
    return None, after, [*applied, *settled]


def _check_fixed(path, source, rules, limit_ranges) -> tuple[str | None, list[Finding]]:
    """Why fixed ``source`` does not parse (None if it does), and its findings."""
    if language_of(path) == "kubernetes":
        problem, findings = manifest_fixes.check(source, path, rules)
        return problem, _covered(findings, limit_ranges)
    try:
        parse(source)
    except SyntaxError as error:
        return f"{error.msg}, line {error.lineno}", []
    return None, check_source(source, path, rules)


def _covered(findings: list[Finding], limit_ranges) -> list[Finding]:
    """A manifest's findings without those the other files' LimitRanges cover."""
    if limit_ranges and isinstance(findings, ManifestFindings):
        cover(findings, limit_ranges)
    return findings


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
