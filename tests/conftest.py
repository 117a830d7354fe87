"""Shared test helpers: fixture expectations and running the hosts as a user would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXPECT = re.compile(r"#\s*expect:\s*((?:OOM\d{3}:\d+\s*)+)")

Expected = tuple[str, int, int, str]  # file name, line, column (1-based), code


def expectations(path: Path) -> set[Expected]:
    """``# expect: OOM301:5 OOM302:1`` on a line: those findings at that line and column."""
    found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for item in match.group(1).split():
                code, column = item.split(":")
                found.add((path.name, number, int(column), code))
    return found


def malformed_markers(paths) -> list[str]:
    """Lines that mention ``expect`` but do not parse as a marker: a typo would silently
    drop an expectation."""
    loose = re.compile(r"#\s*expect\b")
    return [
        f"{path.name}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if loose.search(line) and not EXPECT.search(line)
    ]


def run(*command: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run an installed console script of this environment (oomlint, flake8, pylint)."""
    executable = BIN / command[0]
    return subprocess.run(
        [str(executable), *command[1:]],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=600,
    )


def oomlint_json(*arguments: str, cwd: Path | None = None) -> list[dict]:
    result = run("oomlint", "--format", "json", *arguments, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def project(tmp_path: Path):
    """A throwaway project folder: ``project(files)`` writes ``{relative path: text}``."""

    def write(files: dict[str, str]) -> Path:
        for relative, text in files.items():
            target = tmp_path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return tmp_path

    return write


@contextlib.asynccontextmanager
async def language_server(root: Path, initialization_options: object = None):
    """``oomlint lsp`` driven by pygls' own client over stdio, as an editor would, for the
    folder ``root``: yields the initialized client and the queue of the diagnostics the
    server publishes, and shuts the server down afterwards. The messages the server
    shows are kept in ``client.shown``."""
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("oomlint-test", "1")
    received: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        received.put_nowait(params)

    client.shown = []

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_message(params: types.ShowMessageParams) -> None:
        client.shown.append(params.message)

    await client.start_io(sys.executable, "-m", "oomlint", "lsp")
    try:
        await client.initialize_async(types.InitializeParams(
            process_id=None, root_uri=root.as_uri(), capabilities=types.ClientCapabilities(), initialization_options=initialization_options
        ))
        client.initialized(types.InitializedParams())
        yield client, received
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
