"""``oomlint lsp``: a language server publishing oomlint's findings as diagnostics.

For editors without a flake8 or pylint integration, and for Kubernetes YAML, which
those hosts never see. Documents are checked on open, change and save with the same
engine and configuration as the CLI; diagnostics carry the rule code and a link to the
rule's page, and fixable findings offer ``oomlint fix``'s fix as a quick fix. Needs the ``lsp`` extra (pygls).
"""

from __future__ import annotations

import os

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from oomlint import __version__
from oomlint.config import ConfigError, find_config
from oomlint.docs import DOCS_URL
from oomlint.engine import DIAGNOSTICS, LINE_BREAK, Finding, check_source
from oomlint.kubernetes import check_manifest_text
from oomlint.rule import language_of

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
    from oomlint.fixes import fix_source  # libcst is imported only when fixing

    document = ls.workspace.get_text_document(params.text_document.uri)
    checked = _check(ls, document)
    if checked is None:
        return []
    path, rules, findings = checked
    wanted = {(d.code, d.range.start.line) for d in params.context.diagnostics}
    lines = LINE_BREAK.split(document.source)
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
                diagnostics=[diagnostic(finding, document, lines)],
                is_preferred=finding.fix == "safe",
                edit=types.WorkspaceEdit(changes={document.uri: [types.TextEdit(range=whole, new_text=new_text)]}),
            )
        )
    return actions


def _check(ls: LanguageServer, document):
    """``(path, rules, findings)`` for an open document, or None on a configuration error."""
    path = to_fs_path(document.uri) or document.uri
    try:
        rules = find_config(path if os.path.isabs(path) else os.getcwd()).rules_for(path)
    except ConfigError as error:
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"oomlint: {error}"))
        return None
    return path, rules, _check_text(document.source, path, rules)


def _check_text(text: str, path: str, rules):
    """The editor has decoded the file: its coding declaration must not be applied again
    (a Latin-1 file's ``é`` would become ``Ã©``, a false ``OOM003``)."""
    if language_of(path) == "kubernetes":
        return check_manifest_text(text, path, rules)
    return check_source(text, path, rules)


def publish(ls: LanguageServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    checked = _check(ls, document)
    if checked is None:
        return
    _, _, findings = checked
    lines = LINE_BREAK.split(document.source)
    diagnostics = [diagnostic(finding, document, lines) for finding in findings]
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=diagnostics)
    )


def diagnostic(finding: Finding, document, lines: list[str]) -> types.Diagnostic:
    """Engine positions are 1-based code points; LSP's are 0-based in the client's units,
    on ``lines`` split where the protocol ends lines (not ``document.lines``:
    str.splitlines() also breaks at form feeds, U+2028 and the like)."""
    in_code_points = types.Range(
        start=types.Position(line=finding.line - 1, character=finding.column - 1),
        end=types.Position(line=finding.end_line - 1, character=finding.end_column - 1),
    )
    is_diagnostic = finding.code in DIAGNOSTICS
    return types.Diagnostic(
        range=document.position_codec.range_to_client_units(lines, in_code_points),
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
