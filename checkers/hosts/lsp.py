"""``oomlint lsp``: a language server publishing oomlint's findings as diagnostics.

For editors without a flake8 or pylint integration, and for Kubernetes YAML, which
those hosts never see. A file of a Helm chart or kustomization shows the findings of
its chart's render (or its kustomization's build) that are reported in it, rendered
from the files as saved. Documents are checked on open, change and save with the same
engine and configuration as the CLI; diagnostics carry the rule code and a link to the
rule's page, and fixable findings offer ``oomlint fix``'s fix as a quick fix. Needs the ``lsp`` extra (pygls).
"""

from __future__ import annotations

import io
import os
import tokenize
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from oomlint.core.config import ConfigError, find_config
from oomlint.core.findings import DIAGNOSTICS, Finding
from oomlint.core.roots import enclosing_root
from oomlint.core.rule import language_of
from oomlint.core.source import too_large
from oomlint.core.version import __version__
from oomlint.engine import check_bytes
from oomlint.kubernetes.rendering import check_root, label
from oomlint.report.docs import DOCS_URL

SOURCE = "oomlint"
server = LanguageServer(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
)
def code_action(ls: LanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """A quick fix per fixable finding in the range: the same fix as ``oomlint fix``."""
    from oomlint.fix.driver import fix_source  # libcst is imported only when fixing

    document = ls.workspace.text_documents.get(unquote(params.text_document.uri))
    if document is None:  # never opened: nothing was reported, so nothing to fix
        return []
    checked = _check(ls, document)
    if checked is None:
        return []
    path, rules, findings = checked
    wanted = {(d.code, d.range.start.line) for d in params.context.diagnostics}
    actions = []
    for finding in findings:
        if not finding.fix or (finding.code, finding.line - 1) not in wanted:
            continue
        new_text = fix_source(document.source, path, rules, findings, lambda f, wanted=finding: f == wanted).source
        if new_text is None:
            continue
        whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=len(document.lines), character=0))
        actions.append(
            types.CodeAction(
                title=f"Fix {finding.code}" + (" (unsafe: may change behaviour)" if finding.fix == "unsafe" else ""),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=diagnostics([finding], document),
                is_preferred=finding.fix == "safe",
                edit=types.WorkspaceEdit(changes={document.uri: [types.TextEdit(range=whole, new_text=new_text)]}),
            )
        )
    return actions


def _check(ls: LanguageServer, document):
    """``(path, rules, findings)`` for an open document, or None on a configuration error."""
    path = to_fs_path(document.uri) or document.uri
    try:
        config = find_config(path if os.path.isabs(path) else os.getcwd())
        rules = config.rules_for(path)
    except ConfigError as error:
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"oomlint: {error}"))
        return None
    root = enclosing_root(path) if os.path.isabs(path) and not path.endswith((".py", ".pyi")) else None
    if root is not None:
        result = check_root(*root, config)
        label([result])
        return path, rules, [finding for finding in result if finding.path == path]
    data = _saved_bytes(document.source)
    findings = too_large(path, len(data), config.max_file_size) or check_bytes(data, path, rules)
    return path, rules, config.with_python_requirement(findings) if language_of(path) == "python" else findings


def _saved_bytes(text: str) -> bytes:
    """The bytes Python would read of the editor's text: encoded as its PEP 263
    declaration says (what an editor that honours it saves), so the engine decodes the
    very text the editor shows and columns match. A declaration that cannot encode it
    (unknown, not a text encoding) leaves UTF-8 bytes, for the engine to report (OOM002)."""
    data = text.encode("utf-8")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return text.encode(encoding, "replace")
    except (SyntaxError, LookupError, UnicodeError):
        return data


def publish(ls: LanguageServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    checked = _check(ls, document)
    if checked is None:
        return
    _, _, findings = checked
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=diagnostics(findings, document))
    )


def diagnostics(findings: list[Finding], document) -> list[types.Diagnostic]:
    """The findings as LSP diagnostics, in time linear in the document and the findings."""
    positions = _client_positions(
        document,
        {(f.line - 1, f.column - 1) for f in findings} | {(f.end_line - 1, f.end_column - 1) for f in findings},
    )
    return [diagnostic(finding, positions) for finding in findings]


def _client_positions(document, points: set[tuple[int, int]]) -> dict[tuple[int, int], types.Position]:
    """0-based ``(line, code point)`` positions in the client's units, as pygls'
    ``range_to_client_units`` gives them; but that splits the document anew on each call
    and counts from the start of the line: a scan of the document per finding. Here it is
    split once, and each line is counted once, from one position to the next."""
    lines = document.lines
    count_units = document.position_codec.client_num_units
    positions = {}
    line_counted, counted_to, units = -1, 0, 0
    for line, character in sorted(points):
        if line >= len(lines):
            positions[line, character] = types.Position(line=len(lines), character=0)
            continue
        if line != line_counted:
            line_counted, counted_to, units = line, 0, 0
        units += count_units(lines[line][counted_to:character])
        counted_to = character
        positions[line, character] = types.Position(line=line, character=units)
    return positions


def diagnostic(finding: Finding, positions: dict[tuple[int, int], types.Position]) -> types.Diagnostic:
    """Engine positions are 1-based code points; LSP's are 0-based in the client's units."""
    is_diagnostic = finding.code in DIAGNOSTICS
    return types.Diagnostic(
        range=types.Range(
            start=positions[finding.line - 1, finding.column - 1],
            end=positions[finding.end_line - 1, finding.end_column - 1],
        ),
        message=finding.message,
        severity=types.DiagnosticSeverity.Error if is_diagnostic else types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=None if is_diagnostic else types.CodeDescription(href=DOCS_URL.format(code=finding.code)),
        source=SOURCE,
    )


def main() -> int:
    server.start_io()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
