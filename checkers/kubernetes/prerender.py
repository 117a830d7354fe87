"""Renders started before oomlint imports its checker: the ``oomlint`` command starts
``helm template`` for the charts named on its command line first, so that Helm renders
while Python imports the rest (about 0.1 s, as long as Helm takes for a small chart).

The renders started here are the ones a chart gets with no ``[tool.oomlint.helm]``
settings (its defaults and each ``ci/*-values.yaml``), at most two per CPU; the check
takes a render from here only when it asks for the very same command
(:func:`oomlint.kubernetes.rendering.run`), and renders anything else itself. What the
check did not ask for is stopped when the command ends. This module is the first the
command imports: only the standard library, :mod:`oomlint.core.roots`,
:mod:`oomlint.core.patterns` and the release's names in :mod:`.helm_sdk`.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator, Sequence

from oomlint.core.patterns import passed_over
from oomlint.core.roots import CHART, CHART_FILE, enclosing_root, is_library_chart
from oomlint.kubernetes.helm_sdk import NAMESPACE, RELEASE_NAME

CI_VALUES = os.path.join("ci", "*-values.yaml")
DEFAULT_VALUES = "values.yaml"
SDK_RENDERER = [sys.executable, "-m", "oomlint.kubernetes.helm_sdk"]

# Renderers must not reach the network: proxies that refuse every connection (helm and
# kustomize both honour them, and so does the git that kustomize runs for remote bases).
OFFLINE = {
    "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "",
    "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": "",
    "GIT_SSH_COMMAND": "false", "GIT_TERMINAL_PROMPT": "0",
}
_NOT_CHECKING = frozenset(("fix", "rule", "rules", "lsp", "clean", "-h", "--help", "--version"))
_SCAN_DEPTH = 3
"""How deep below a named folder charts are looked for (``oomlint .`` finds ``deploy/helm/x``)."""

_started: dict[tuple[tuple[str, ...], str | None], subprocess.Popen] = {}
_owner = 0
"""The process that started the renders: a forked worker must not wait for them."""


def executable(name: str) -> str | None:
    """A command on PATH, or installed beside the running Python (a wheel's scripts)."""
    found = shutil.which(name)
    if found:
        return found
    for directory in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = shutil.which(name, path=directory)
        if candidate:
            return candidate
    return None


def value_sets(root: str, patterns: Sequence[str] = ()) -> list[tuple[str, list[str]]]:
    """``(label, value files)`` of each render: the defaults, each ``ci/*-values.yaml``,
    each file ``patterns`` match (glob patterns, relative to the chart)."""
    sets = [(DEFAULT_VALUES, [])]
    seen = set()
    for pattern in (CI_VALUES, *patterns):
        for path in sorted(glob.glob(os.path.join(glob.escape(root), pattern))):
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if relative not in seen and relative != DEFAULT_VALUES:
                seen.add(relative)
                sets.append((relative, [path]))
    return sets


def helm_command(helm: str, root: str, files: Sequence[str], set_values: Sequence[str]) -> list[str]:
    command = [helm, "template", RELEASE_NAME, root, "--namespace", NAMESPACE]
    for path in files:
        command += ["--values", path]
    for item in set_values:
        command += ["--set", item]
    return command


def sdk_request(root: str, sets: list[tuple[str, list[str]]], set_values: Sequence[str]) -> str:
    return json.dumps({"chart": root, "renders": [{"files": files, "set": list(set_values)} for _, files in sets]})


def spawn(command: list[str], stdin: str | None = None) -> subprocess.Popen:
    """A renderer's process, offline, its output read as text (``stdin`` written to it)."""
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace", env={**os.environ, **OFFLINE},
    )
    if stdin is not None:
        try:
            process.stdin.write(stdin)
            process.stdin.close()
        except BrokenPipeError:  # it ended without reading: its exit status says why
            pass
        process.stdin = None
    return process


def take(command: list[str], stdin: str | None = None) -> subprocess.Popen | None:
    """The render started for exactly this command, if one was; it is the caller's now."""
    return _started.pop((tuple(command), stdin), None) if _owner == os.getpid() else None


def start(argv: Sequence[str]) -> None:
    """Start the renders of the charts a ``oomlint [check] PATH...`` command line names,
    as it would render them with no configuration, two per CPU at most (they overlap
    with the imports, which take one CPU)."""
    global _owner
    if argv and argv[0] in _NOT_CHECKING or "-" in argv:
        return
    helm = executable("helm")
    if helm is None and importlib.util.find_spec("helm_python") is None:
        return
    _owner = os.getpid()
    budget = 2 * (os.cpu_count() or 1)
    for root in _charts(argv):
        if is_library_chart(root):
            continue
        sets = value_sets(root)
        if helm is None:
            renders = [(SDK_RENDERER, sdk_request(root, sets, ()))]
        else:
            renders = [(helm_command(helm, root, files, ()), None) for _, files in sets]
        for command, stdin in renders:
            if budget == 0:
                return
            try:
                _started[(tuple(command), stdin)] = spawn(command, stdin)
            except OSError:  # the check renders it again and reports why it cannot
                return
            budget -= 1


def discard() -> None:
    """Stop the renders nobody asked for (a chart the configuration excludes)."""
    while _started:
        _, process = _started.popitem()
        if _owner == os.getpid():
            process.kill()
            process.communicate()


def _charts(argv: Sequence[str]) -> Iterator[str]:
    """Charts the arguments name, as the file walk spells them: the one a named file or
    folder lies in, else those in a named folder, down to :data:`_SCAN_DEPTH` levels."""
    seen = set()
    for argument in argv:
        if argument.startswith("-") or argument.endswith((".py", ".pyi")) or not os.path.exists(argument):
            continue
        enclosing = enclosing_root(argument)
        if enclosing is not None:
            found = [os.path.normpath(enclosing[1])] if enclosing[0] == CHART else []
        elif os.path.isdir(argument):
            found = list(_below(os.path.normpath(argument), _SCAN_DEPTH))
        else:
            found = []
        for chart in found:
            if chart not in seen:
                seen.add(chart)
                yield chart


def _below(directory: str, depth: int) -> Iterator[str]:
    try:
        entries = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir(follow_symlinks=False))
    except OSError:
        return
    for name in entries:
        path = os.path.join(directory, name)
        if passed_over(path, name):
            continue
        if os.path.isfile(os.path.join(path, CHART_FILE)):
            yield os.path.normpath(path)
        elif depth > 1:
            yield from _below(path, depth - 1)
