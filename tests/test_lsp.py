"""``oomlint lsp`` driven by pygls' own client over stdio, as an editor would."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from tests.conftest import language_server, run  # noqa: E402

LEAKY = "import functools\n\n\n@functools.cache\ndef load(key):\n    return key\n"
FIXED = LEAKY.replace("@functools.cache", "@functools.lru_cache(maxsize=64)")
DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: shipper, namespace: logging}
spec:
  selector: {matchLabels: {app: shipper}}
  template:
    spec:
      containers:
        - name: shipper
          image: shipper:1
          resources:
            requests: {memory: 256Mi}
"""


async def open_and_ask_for_fixes(client, received: asyncio.Queue, uri: str, language: str, text: str):
    """Open a document as an editor does; its published diagnostics and the code actions
    offered for the first of them."""
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    published = await asyncio.wait_for(received.get(), 30)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=published.diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=list(published.diagnostics)),
        )
    )
    return published, actions


async def session(tmp_path) -> list[types.PublishDiagnosticsParams]:
    async with language_server(tmp_path) as (client, received):
        uri = (tmp_path / "service.py").as_uri()
        opened, actions = await open_and_ask_for_fixes(client, received, uri, "python", LEAKY)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=FIXED)],
            )
        )
        changed = await asyncio.wait_for(received.get(), 30)
        manifest = (tmp_path / "shipper.yaml").as_uri()
        yaml_opened, yaml_actions = await open_and_ask_for_fixes(client, received, manifest, "yaml", DAEMONSET)
    return [opened, actions, changed, yaml_opened, yaml_actions]


def test_diagnostics_on_open_and_change(tmp_path):
    opened, actions, changed, yaml_opened, yaml_actions = asyncio.run(session(tmp_path))
    (diagnostic,) = opened.diagnostics
    assert (diagnostic.code, diagnostic.source, diagnostic.severity) == ("OOM301", "oomlint", types.DiagnosticSeverity.Warning)
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (3, 1)
    assert (diagnostic.range.end.line, diagnostic.range.end.character) == (3, 16)
    assert diagnostic.message.startswith("functools.cache on 'load', keyed by what the callers of a public function pass, never evicts")
    assert diagnostic.code_description.href.endswith("/rules/OOM301/")
    assert (changed.version, list(changed.diagnostics)) == (2, [])
    (manifest_diagnostic,) = yaml_opened.diagnostics
    assert (manifest_diagnostic.code, manifest_diagnostic.range.start.line) == ("OOM501", 8)
    action, disable, fix_all = actions
    assert (action.title, action.kind, action.is_preferred) == ("Fix OOM301", types.CodeActionKind.QuickFix, True)
    (edit,) = action.edit.changes[(tmp_path / "service.py").as_uri()]
    assert edit.new_text == LEAKY.replace("@functools.cache", "@functools.lru_cache(maxsize=1024)")
    assert (disable.title, disable.kind) == ("Disable OOM301 for this line", types.CodeActionKind.QuickFix)
    assert (fix_all.title, fix_all.kind) == ("Fix all safely fixable oomlint findings", "source.fixAll.oomlint")
    yaml_action, yaml_disable = yaml_actions
    assert yaml_disable.title == "Disable OOM501 for this line"
    assert (yaml_action.title, yaml_action.is_preferred) == ("Fix OOM501 (unsafe: may change behaviour)", False)
    (yaml_edit,) = yaml_action.edit.changes[(tmp_path / "shipper.yaml").as_uri()]
    assert yaml_edit.new_text == DAEMONSET.replace("{memory: 256Mi}\n", "{memory: 256Mi}\n            limits: {memory: 256Mi}\n")


# ------------------------------------------------ fix all, disable, hover, settings

SERVICE = """\
import functools
import logging

log = logging.getLogger(__name__)


@functools.cache
def load(key):
    log.info('{"key": "%s"}' % key)
    return key


@functools.lru_cache(maxsize=None)
def other(key):
    return key
"""


def apply_edits(text: str, edits) -> str:
    """The document after the edits (line-wise ranges at column 0, as these actions make)."""
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e.range.start.line, reverse=True):
        assert edit.range.start.character == edit.range.end.character == 0
        lines[edit.range.start.line:edit.range.end.line] = [edit.new_text]
    return "".join(lines)


async def actions_session(tmp_path):
    async with language_server(tmp_path) as (client, received):
        uri = (tmp_path / "service.py").as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=SERVICE))
        )
        published = await asyncio.wait_for(received.get(), 30)
        whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=16, character=0))
        fix_all = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=whole,
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        ))
        log_line = next(d for d in published.diagnostics if d.code == "OOM101")
        disable = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=log_line.range,
            context=types.CodeActionContext(diagnostics=[log_line], only=[types.CodeActionKind.QuickFix]),
        ))
        hovers = [
            await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(line=line, character=character)))
            for line, character in ((6, 5), (8, 4), (7, 0))
        ]
    return published, fix_all, disable, hovers


def test_fix_all_and_disable_change_the_file_as_the_cli_does(tmp_path):
    published, fix_all, disable, _ = asyncio.run(actions_session(tmp_path))
    uri = (tmp_path / "service.py").as_uri()
    assert [(d.code, d.range.start.line) for d in published.diagnostics] == [("OOM301", 6), ("OOM101", 8), ("OOM301", 12)]
    (action,) = fix_all
    assert (action.kind, action.diagnostics) == ("source.fixAll.oomlint", None)
    for name, arguments, status in (("fixed.py", ("fix",), 1), ("noqa.py", ("check", "--add-noqa", "--select", "OOM101"), 0)):
        (tmp_path / name).write_text(SERVICE)
        assert run("oomlint", *arguments, name, cwd=tmp_path).returncode == status
    assert apply_edits(SERVICE, action.edit.changes[uri]) == (tmp_path / "fixed.py").read_text()
    fix_log, disable_log = disable
    assert (fix_log.title, disable_log.title) == ("Fix OOM101 (unsafe: may change behaviour)", "Disable OOM101 for this line")
    (edit,) = disable_log.edit.changes[uri]
    assert (edit.range.start.line, edit.range.end.line) == (8, 9)
    assert apply_edits(SERVICE, [edit]) == (tmp_path / "noqa.py").read_text()
    assert edit.new_text == """    log.info('{"key": "%s"}' % key)  # noqa: OOM101\n"""


def test_hover_shows_the_rule_summary_and_link(tmp_path):
    *_, hovers = asyncio.run(actions_session(tmp_path))
    cache, log_call, nothing = hovers
    assert cache.contents.kind == types.MarkupKind.Markdown
    assert cache.contents.value == (
        "**OOM301** `unbounded-lru-cache`: Memoizing decorator with no size limit.\n\n"
        "functools.cache on 'load', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize\n\n"
        "[OOM301 documentation](https://oomlint.readthedocs.io/en/latest/rules/OOM301/)"
    )
    assert (cache.range.start.line, cache.range.start.character, cache.range.end.character) == (6, 1, 16)
    assert log_call.contents.value.startswith("**OOM101** `hand-rolled-json-log`: Log line or logging format with JSON text")
    assert nothing is None


async def settings_session(tmp_path):
    async with language_server(tmp_path, {"oomlint": {"ignore": ["OOM101"]}}) as (client, received):
        uri = (tmp_path / "service.py").as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=SERVICE))
        )
        at_start = await asyncio.wait_for(received.get(), 30)
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"oomlint": {"select": ["OOM1"]}}))
        selected = await asyncio.wait_for(received.get(), 30)
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"oomlint": {"extendSelect": ["XYZ"]}}))
        await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(line=0, character=0)))
        shown = list(client.shown)
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
        defaults = await asyncio.wait_for(received.get(), 30)
    return at_start, selected, shown, defaults


def test_settings_from_the_client(tmp_path):
    at_start, selected, shown, defaults = asyncio.run(settings_session(tmp_path))
    assert [d.code for d in at_start.diagnostics] == ["OOM301", "OOM301"]
    assert [d.code for d in selected.diagnostics] == ["OOM101"]
    assert shown == ["oomlint: --extend-select: unknown rule code or prefix 'XYZ'"] * 2
    assert [d.code for d in defaults.diagnostics] == ["OOM301", "OOM101", "OOM301"]
