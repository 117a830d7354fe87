"""``oomlint lsp`` driven by pygls' own client over stdio, as an editor would."""

from __future__ import annotations

import asyncio
import sys

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

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


async def serve(tmp_path, steps):
    """Start the server as an editor does, run ``steps(client, received)`` (``received``:
    the published diagnostics, in order) and shut the server down, even when a step
    failed (else the client would wait for it forever); what ``steps`` returned."""
    client = LanguageClient("oomlint-test", "1")
    received: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        received.put_nowait(params)

    await client.start_io(sys.executable, "-m", "oomlint", "lsp")
    try:
        await client.initialize_async(types.InitializeParams(process_id=None, root_uri=tmp_path.as_uri(), capabilities=types.ClientCapabilities()))
        client.initialized(types.InitializedParams())
        return await steps(client, received)
    finally:
        await asyncio.wait_for(client.shutdown_async(None), 30)
        client.exit(None)
        await client.stop()


async def session(tmp_path) -> list[types.PublishDiagnosticsParams]:
    async def steps(client, received):
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

    return await serve(tmp_path, steps)


def test_diagnostics_on_open_and_change(tmp_path):
    opened, actions, changed, yaml_opened, yaml_actions = asyncio.run(session(tmp_path))
    (diagnostic,) = opened.diagnostics
    assert (diagnostic.code, diagnostic.source, diagnostic.severity) == ("OOM301", "oomlint", types.DiagnosticSeverity.Warning)
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (3, 1)
    assert (diagnostic.range.end.line, diagnostic.range.end.character) == (3, 16)
    assert diagnostic.message.startswith("functools.cache on 'load' never evicts")
    assert diagnostic.code_description.href.endswith("/rules/OOM301/")
    assert (changed.version, list(changed.diagnostics)) == (2, [])
    (manifest_diagnostic,) = yaml_opened.diagnostics
    assert (manifest_diagnostic.code, manifest_diagnostic.range.start.line) == ("OOM501", 8)
    (action,) = actions
    assert (action.title, action.kind, action.is_preferred) == ("Fix OOM301", types.CodeActionKind.QuickFix, True)
    (edit,) = action.edit.changes[(tmp_path / "service.py").as_uri()]
    assert edit.new_text == LEAKY.replace("@functools.cache", "@functools.lru_cache(maxsize=1024)")
    (yaml_action,) = yaml_actions
    assert (yaml_action.title, yaml_action.is_preferred) == ("Fix OOM501 (unsafe: may change behaviour)", False)
    (yaml_edit,) = yaml_action.edit.changes[(tmp_path / "shipper.yaml").as_uri()]
    assert yaml_edit.new_text == DAEMONSET.replace("{memory: 256Mi}\n", "{memory: 256Mi}\n            limits: {memory: 256Mi}\n")
