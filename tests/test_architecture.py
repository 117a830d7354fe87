"""The house has layers and no cycles: import-linter's contracts (in pyproject.toml) hold,
and no module of oomlint reaches itself through imports, counting imports inside functions.

Both look at the package as the wheel lays it out, ``oomlint.rules`` inside ``oomlint``
(in the source tree they are two folders joined by ``package-dir``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import BIN, ROOT, engine_path, helm_cli

# Strongly connected components of grimp's import graph (Tarjan), printed as JSON.
CYCLES = """
import json, sys
import grimp

graph = grimp.build_graph("oomlint", cache_dir=None)
imports = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
order, low, stack, on_stack, cycles = {}, {}, [], set(), []
sys.setrecursionlimit(10_000)

def visit(module):
    order[module] = low[module] = len(order)
    stack.append(module)
    on_stack.add(module)
    for imported in imports[module]:
        if imported not in order:
            visit(imported)
            low[module] = min(low[module], low[imported])
        elif imported in on_stack:
            low[module] = min(low[module], order[imported])
    if low[module] == order[module]:
        component = []
        while not component or component[-1] != module:
            component.append(stack.pop())
            on_stack.discard(component[-1])
        if len(component) > 1:
            cycles.append(sorted(component))

for module in sorted(imports):
    if module not in order:
        visit(module)
print(json.dumps({"modules": len(imports), "cycles": cycles}))
"""


@pytest.fixture(scope="module")
def wheel_layout(tmp_path_factory) -> dict[str, str]:
    """The package copied as the wheel has it; the environment that imports it from there."""
    staged = tmp_path_factory.mktemp("layout")
    shutil.copytree(ROOT / "checkers", staged / "oomlint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "rules", staged / "oomlint" / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    return {**os.environ, "PYTHONPATH": str(staged)}


def test_import_linter_contracts_hold(wheel_layout):
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT, env=wheel_layout, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_no_module_imports_itself_through_others(wheel_layout):
    result = subprocess.run([sys.executable, "-c", CYCLES], env=wheel_layout, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    graph = json.loads(result.stdout)
    assert graph["modules"] > 40  # the rules were found too
    assert graph["cycles"] == []


# Runs the command in-process on the files named and prints which of the watched
# modules it loaded: optional libraries, each language's machinery and rules.
LOADED = """
import sys
from oomlint.hosts.command import main
main(["--no-cache", "--quiet", "--exit-zero", *sys.argv[1:]])
watched = ("yaml", "libcst", "pygls", "xml.etree.ElementTree",
           "oomlint.python.checker", "oomlint.rules.python", "oomlint.rules.kubernetes")
print(sorted(name for name in watched if name in sys.modules))
"""


def test_a_run_imports_only_what_it_uses(tmp_path):
    """PyYAML and the Kubernetes rules only when a manifest or chart is checked, Python's
    machinery and rules only when a Python file is, libcst only to fix, pygls only for
    ``lsp``."""
    (tmp_path / "app.py").write_text("import functools\n")
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n")
    shutil.copytree(ROOT / "tests" / "fixtures" / "kubernetes" / "charts" / "agent", tmp_path / "agent")
    environment = {**os.environ, "PATH": engine_path(helm_cli())}

    def loaded(*paths: str) -> str:
        result = subprocess.run([sys.executable, "-c", LOADED, *paths], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1]

    python = ["oomlint.python.checker", "oomlint.rules.python"]
    kubernetes = ["oomlint.rules.kubernetes", "yaml"]
    assert loaded("app.py") == str(python)
    assert loaded("pod.yaml") == str(kubernetes)
    assert loaded("agent") == str(kubernetes)
    assert loaded("app.py", "pod.yaml") == str(sorted(python + kubernetes))
