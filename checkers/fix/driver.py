"""``oomlint fix``: the engine finds, libcst rewrites.

A rule that can fix a finding reports it with ``fix="safe"`` or ``fix="unsafe"`` and
implements :meth:`oomlint.core.rule.Rule.fix`, which turns the libcst node at the finding's
position into its replacement, or replaces a node around it (the block a ``try`` or
``with`` restructures). Here findings are mapped to libcst nodes by position (``ast``
columns count UTF-8 bytes, but findings and libcst count characters). The replacements
of a file are applied together, in passes: a fix whose node overlaps one already taken
waits for the next pass, on the source as the earlier fixes left it. Each pass is kept
only if it parses, its findings are gone and none is new. Files are written atomically,
keeping their encoding, BOM, newlines, permissions and owner, and never over an edit made
meanwhile (:func:`write_fixed`).

Kubernetes manifests go through the same passes, verification and writing, but their
fixes are insertions into the YAML text (:mod:`oomlint.fix.manifests`).
"""

from __future__ import annotations

import codecs
import functools
import io
import os
import stat
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

from oomlint.core.findings import DIAGNOSTICS, Finding
from oomlint.core.rule import Rule, language_of
from oomlint.core.source import MAX_FILE_SIZE, NotRead, decode_source, read_file_and_status
from oomlint.engine import check_bytes, project_for
from oomlint.fix import manifests
from oomlint.fix.imports import place_standard_imports
from oomlint.kubernetes.objects import ManifestFindings, cover
from oomlint.python.checker import check_source
from oomlint.python.parsing import parse

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
    path: str,
    rules: tuple[tuple[type[Rule], dict], ...],
    unsafe: bool = False,
    write: bool = True,
    limit_ranges=None,
    max_size: int = MAX_FILE_SIZE,
) -> FixResult:
    """Fix what can be fixed in one file, Python or manifest; write it unless ``write`` is
    false. ``limit_ranges``: the LimitRange defaults of the other manifests of the run
    (:func:`oomlint.kubernetes.manifest.limit_ranges_of`), whose findings are not reported, so not fixed."""
    try:
        data, as_read = read_file_and_status(path, max_size)
    except NotRead as error:  # not a regular file, unreadable, or larger than max_size
        return FixResult(path, problem=error.message)
    findings = _covered(check_bytes(data, path, rules), limit_ranges)
    result = FixResult(path, remaining=findings)
    todo = [f for f in findings if applicable(f, unsafe)]
    if not todo or any(f.code in DIAGNOSTICS for f in findings):
        return result
    source = decode_source(data)  # it decoded in check_bytes: no diagnostic above
    wanted = functools.partial(applicable, unsafe=unsafe)
    outcome = fix_source(source, path, rules, findings, wanted, limit_ranges)
    result.problem, new_source = outcome.problem, outcome.source
    if new_source is None:
        return result
    problem = encode_and_write(path, new_source, data, as_read, write)
    if problem:
        result.problem = f"not fixed: {problem}"
        return result
    result.fixed, result.remaining, result.old_text, result.new_text = outcome.fixed, outcome.remaining, source, new_source
    return result


def encode_and_write(path: str, new_source: str, data: bytes, as_read: os.stat_result, write: bool = True, doing: str = "fixed") -> str | None:
    """Write ``new_source`` over the file that held ``data`` (:func:`write_fixed`), in the
    file's encoding and with its BOM; why not, if the file was left as it is. With
    ``write`` false, only check that it can be encoded."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        new_data = new_source.encode(encoding)
    except UnicodeEncodeError as error:
        return f"the fix writes {error.object[error.start]!r}, which {encoding} cannot encode"
    if not write:
        return None
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    return write_fixed(path, bom + new_data, data, as_read, doing)


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
    apply_fixes = apply if language_of(path) == "python" else functools.partial(manifests.apply, path=path)
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
    if source.endswith("\r") and not module.has_trailing_newline:
        module = module.with_changes(has_trailing_newline=True)  # libcst's parser misses a final lone CR
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
    fixed = place_standard_imports(module.visit(_Replace(replacements)), context)
    for imports in (AddImportsVisitor, RemoveImportsVisitor):
        if context.scratch.get(imports.CONTEXT_KEY):  # each is a whole pass over the module
            fixed = imports(context).transform_module(fixed)
    return fixed.code, applied


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
        problem, findings = manifests.check(source, path, rules)
        return problem, _covered(findings, limit_ranges)
    try:
        parse(source)
    except SyntaxError as error:
        return f"{error.msg}, line {error.lineno}", []
    return None, check_source(source, path, rules, project=project_for(path, rules))


def _covered(findings: list[Finding], limit_ranges) -> list[Finding]:
    """A manifest's findings without those the other files' LimitRanges cover."""
    if limit_ranges and isinstance(findings, ManifestFindings):
        cover(findings, limit_ranges)
    return findings


class _Changed(Exception):
    """The file is no longer the one the fix read."""


def write_fixed(path: str, data: bytes, original: bytes, as_read: os.stat_result, doing: str = "fixed") -> str | None:
    """Write ``data`` over the file that held ``original``, with the status ``as_read``,
    when the fix read it; why not, if it was left as it is (``doing`` says what was
    being done to it, for that message).

    Right before replacing, the file must still be the one read, with the same bytes, or
    an edit made while the fix ran would be lost. A symlink's target is written and the
    link kept. A file without its owner's write permission is refused, even for root. The
    data goes to a temporary file beside the target, given its owner and mode, and is
    renamed over it, so that the file is never half-written. The rename gives the file a
    new inode, so when that would change more than the content (the file has other hard
    links, which would keep the old text; its owner cannot be given to a new file), the
    file is overwritten in place instead, and its old bytes written back should that fail.
    """
    target = os.path.realpath(path)
    where = f" {target}" if os.path.islink(path) else ""
    if not as_read.st_mode & stat.S_IWUSR:
        return f"cannot write{where}: the file is read-only"
    try:
        if as_read.st_nlink > 1 or not _replace(target, data, original, as_read):
            _overwrite(target, data, original, as_read)
    except _Changed:
        return f"the file changed while it was being {doing}"
    except OSError as error:
        return f"cannot write{where}: {error.strerror or error}"
    return None


def _replace(target: str, data: bytes, original: bytes, as_read: os.stat_result) -> bool:
    """Rename a temporary file holding ``data`` over ``target``; False, with nothing
    done, when the file's owner cannot be given to the temporary file."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".oomlint-", suffix=".tmp")
    renamed = False
    try:
        with os.fdopen(handle, "wb") as stream:
            if not _owned_as(handle, as_read):
                return False
            os.fchmod(handle, stat.S_IMODE(as_read.st_mode))  # after the owner: chown clears set-id bits
            stream.write(data)
        with open(target, "rb") as current:
            _check_unchanged(current, original, as_read)
        os.replace(temporary, target)
        renamed = True
    finally:
        if not renamed:
            os.unlink(temporary)
    return True


def _owned_as(handle: int, as_read: os.stat_result) -> bool:
    """Give the open file the owner and group in ``as_read``; False if not permitted."""
    made = os.fstat(handle)
    if (made.st_uid, made.st_gid) == (as_read.st_uid, as_read.st_gid):
        return True
    try:
        os.fchown(handle, as_read.st_uid, as_read.st_gid)
    except PermissionError:
        return False
    return True


def _overwrite(target: str, data: bytes, original: bytes, as_read: os.stat_result) -> None:
    """Write ``data`` into ``target`` itself, keeping its inode."""
    with open(target, "r+b", buffering=0) as stream:
        _check_unchanged(stream, original, as_read)
        try:
            _write_from_start(stream, data)
        except OSError:
            _write_from_start(stream, original)  # into the space the old bytes had
            raise


def _write_from_start(stream, data: bytes) -> None:
    stream.seek(0)
    rest = memoryview(data)
    while rest:
        rest = rest[stream.write(rest) :]
    stream.truncate()


def _check_unchanged(stream, original: bytes, as_read: os.stat_result) -> None:
    """Raise :class:`_Changed` unless the open file is the one read, holding ``original``."""
    if _identity(os.fstat(stream.fileno())) != _identity(as_read) or stream.read() != original:
        raise _Changed


def _identity(status: os.stat_result) -> tuple:
    """What a change to the file changes: which file it is, its owner, mode, links and content."""
    return (status.st_dev, status.st_ino, status.st_mode, status.st_uid, status.st_gid, status.st_nlink, status.st_size, status.st_mtime_ns)
