"""``oomlint lsp``: a language server publishing oomlint's findings as diagnostics.

For editors without a flake8 or pylint integration, and for Kubernetes YAML, which
those hosts never see. A file of a Helm chart or kustomization shows the findings of
its chart's render (or its kustomization's build) that are reported in it, rendered
from the files as saved. Documents are checked on open, change and save with the same
engine and configuration as the CLI; diagnostics carry the rule code and a link to the
rule's page, and fixable findings offer ``oomlint fix``'s fix as a quick fix. Each
finding also offers "disable for this line" (the ``# noqa`` of ``--add-noqa``), the
``source.fixAll.oomlint`` action applies every safe fix (as ``oomlint fix`` does), and
hovering a finding shows its rule's summary and page. The client's settings
(``initializationOptions`` or ``workspace/didChangeConfiguration``, under ``oomlint``)
are the command line's: ``select``, ``extendSelect``, ``ignore`` and ``config`` (a
pyproject.toml to use instead of the nearest one). Needs the ``lsp`` extra (pygls).
"""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass, field
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from oomlint.core import gitignore
from oomlint.core.config import Config, ConfigError, find_config, load_config_file
from oomlint.core.findings import DIAGNOSTICS, ERROR, Finding, severity
from oomlint.core.roots import enclosing_root
from oomlint.core.rule import language_of, rule_by_code
from oomlint.core.source import LINE_BREAK, too_large
from oomlint.core.version import __version__
from oomlint.engine import check_bytes
from oomlint.kubernetes.rendering import check_root, label
from oomlint.python.project import forget_projects
from oomlint.report.docs import DOCS_URL

SOURCE = "oomlint"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
"""``source.fixAll.oomlint``: editors run it on save when told to (VS Code's ``codeActionsOnSave``)."""


@dataclass
class Settings:
    """What the client set: the command line's selection and ``--config``."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    config: str | None = None

    @classmethod
    def from_client(cls, value) -> Settings:
        """``{"oomlint": {...}}`` or the inner table; keys in camelCase or kebab-case."""
        table = value.get(SOURCE, value) if isinstance(value, dict) else {}
        table = table if isinstance(table, dict) else {}

        def codes(*names: str) -> list[str] | None:
            found = next((table[name] for name in names if name in table), None)
            return [str(code).upper() for code in found] if isinstance(found, list) else None

        config = table.get("config")
        return cls(codes("select"), codes("extendSelect", "extend-select") or [], codes("ignore") or [], config if isinstance(config, str) and config else None)

    def config_for(self, path: str) -> Config:
        """The settings of ``path``: the nearest pyproject.toml (or ``config``), the client's selection on top."""
        found = load_config_file(self.config) if self.config else find_config(path)
        return found.with_overrides(select=self.select, extend_select=self.extend_select, ignore=self.ignore)


class OomlintServer(LanguageServer):
    def __init__(self):
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.settings = Settings()


server = OomlintServer()


@server.feature(types.INITIALIZE)
def initialize(ls: OomlintServer, params: types.InitializeParams) -> None:
    """Settings given at start, as ``initializationOptions``."""
    ls.settings = Settings.from_client(params.initialization_options)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: OomlintServer, params: types.DidChangeConfigurationParams) -> None:
    """New settings: every open document is checked again with them."""
    ls.settings = Settings.from_client(params.settings)
    for uri in list(ls.workspace.text_documents):
        publish(ls, uri)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    """A saved module may be a helper other open documents use: the project index is
    made again (from its cache, but for the saved file) and every open document checked."""
    forget_projects()
    gitignore.forget()
    for uri in list(ls.workspace.text_documents):
        publish(ls, uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL])
)
def code_action(ls: OomlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """For each finding in the range, the same fix as ``oomlint fix`` and "disable for this
    line"; for the document, ``source.fixAll.oomlint``."""
    from oomlint.fix.driver import fix_source  # libcst is imported only when fixing

    document = ls.workspace.text_documents.get(unquote(params.text_document.uri))
    if document is None:  # never opened: nothing was reported, so nothing to fix
        return []
    checked = _check(ls, document)
    if checked is None:
        return []
    path, rules, findings = checked
    actions = []
    if _asked_for(params, types.CodeActionKind.QuickFix):
        wanted = {(d.code, d.range.start.line) for d in params.context.diagnostics}
        for finding in findings:
            if (finding.code, finding.line - 1) not in wanted:
                continue
            new_text = finding.fix and fix_source(document.source, path, rules, findings, lambda f, wanted=finding: f == wanted).source
            if new_text:
                actions.append(
                    types.CodeAction(
                        title=f"Fix {finding.code}" + (" (unsafe: may change behaviour)" if finding.fix == "unsafe" else ""),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=diagnostics([finding], document),
                        is_preferred=finding.fix == "safe",
                        edit=_edit(document, [_whole(document, new_text)]),
                    )
                )
            if finding.code not in DIAGNOSTICS:
                actions += _disable_action(document, path, rules, findings, finding)
    if _asked_for(params, FIX_ALL):
        actions += _fix_all_action(document, path, rules, findings)
    return actions


def _asked_for(params: types.CodeActionParams, kind: str) -> bool:
    """Whether the client's ``only`` (none: every kind) covers ``kind``."""
    only = params.context.only
    return only is None or any(kind == asked or kind.startswith(f"{asked}.") for asked in only)


def _disable_action(document, path: str, rules, findings: list[Finding], finding: Finding) -> list[types.CodeAction]:
    """``# noqa: CODE`` on the finding's line, as ``oomlint check --add-noqa`` adds it."""
    from oomlint.fix.add_noqa import add_noqa

    new_text = add_noqa(document.source, path, [finding], rules, findings).source
    if new_text is None:
        return []
    return [
        types.CodeAction(
            title=f"Disable {finding.code} for this line",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=diagnostics([finding], document),
            edit=_edit(document, [_changed_lines(document.source, new_text)]),
        )
    ]


def _fix_all_action(document, path: str, rules, findings: list[Finding]) -> list[types.CodeAction]:
    """Every safe fix of the document at once: what ``oomlint fix`` would write."""
    from oomlint.fix.driver import applicable, fix_source

    new_text = fix_source(document.source, path, rules, findings, lambda f: applicable(f, unsafe=False)).source
    if new_text is None:
        return []
    return [types.CodeAction(title="Fix all safely fixable oomlint findings", kind=FIX_ALL, edit=_edit(document, [_whole(document, new_text)]))]


def _edit(document, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={document.uri: edits})


def _whole(document, new_text: str) -> types.TextEdit:
    """The whole document replaced by ``new_text``."""
    return types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=len(document.lines), character=0)), new_text=new_text)


def _changed_lines(old_text: str, new_text: str) -> types.TextEdit:
    """The lines that differ, replaced whole (the rest of the buffer, and the cursor, stay)."""
    old, new = io.StringIO(old_text, newline="").readlines(), io.StringIO(new_text, newline="").readlines()
    first = next((index for index, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    kept = 0
    while kept < min(len(old), len(new)) - first and old[-1 - kept] == new[-1 - kept]:
        kept += 1
    return types.TextEdit(
        range=types.Range(start=types.Position(line=first, character=0), end=types.Position(line=len(old) - kept, character=0)),
        new_text="".join(new[first:len(new) - kept]),
    )


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: OomlintServer, params: types.HoverParams) -> types.Hover | None:
    """Over a finding: its rule's code, symbol and summary, the message and the rule's page."""
    document = ls.workspace.get_text_document(params.text_document.uri)
    checked = _check(ls, document)
    if checked is None:
        return None
    point = (params.position.line, params.position.character)
    under = [
        (finding, shown.range)
        for finding, shown in zip(checked[2], diagnostics(checked[2], document))
        if (shown.range.start.line, shown.range.start.character) <= point <= (shown.range.end.line, shown.range.end.character)
    ]
    if not under:
        return None
    text = "\n\n---\n\n".join(_describe(finding) for finding, _ in under)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=under[0][1])


def _describe(finding: Finding) -> str:
    rule = rule_by_code(finding.code)
    if rule is None:  # oomlint's own diagnostics
        return f"**{finding.code}** `{finding.symbol}`\n\n{finding.message}"
    return (
        f"**{rule.code}** `{rule.symbol}`: {rule.summary}.\n\n{finding.message}\n\n"
        f"[{rule.code} documentation]({DOCS_URL.format(code=rule.code)})"
    )


def _check(ls: LanguageServer, document):
    """``(path, rules, findings)`` for an open document, or None on a configuration error."""
    path = to_fs_path(document.uri) or document.uri
    try:
        config = ls.settings.config_for(path if os.path.isabs(path) else os.getcwd())
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
    split once (where the protocol ends lines: pygls' ``document.lines`` also breaks at form
    feeds, U+2028 and the like), and each line is counted once, from one position to the next."""
    lines = LINE_BREAK.split(document.source)
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
    error = severity(finding.code) == ERROR
    return types.Diagnostic(
        range=types.Range(
            start=positions[finding.line - 1, finding.column - 1],
            end=positions[finding.end_line - 1, finding.end_column - 1],
        ),
        message=finding.message,
        severity=types.DiagnosticSeverity.Error if error else types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=None if is_diagnostic else types.CodeDescription(href=DOCS_URL.format(code=finding.code)),
        source=SOURCE,
    )


def main() -> int:
    server.start_io()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
