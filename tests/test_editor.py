"""End to end in a real editor: a headless Neovim (Debian's package; .ci/run installs it)
runs ``oomlint lsp`` on a Python file and a manifest (tests/neovim_session.lua). What it
shows must be what the CLI reports, and the quick fix it applies must change the file
as ``oomlint fix`` does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from tests.conftest import BIN, ROOT, oomlint_json, run
from tests.test_lsp import DAEMONSET, LEAKY

NEOVIM = shutil.which("nvim")


def test_neovim_shows_the_cli_findings_and_applies_the_fix(tmp_path):
    assert NEOVIM, "Neovim is needed: apt-get install neovim (.ci/run installs it)"
    files = {"service.py": LEAKY, "shipper.yaml": DAEMONSET}
    for name, text in files.items():
        (tmp_path / "editor").mkdir(exist_ok=True)
        (tmp_path / "editor" / name).write_text(text)
        (tmp_path / "cli").mkdir(exist_ok=True)
        (tmp_path / "cli" / name).write_text(text)
    expected = {name: oomlint_json(name, cwd=tmp_path / "cli") for name in files}
    assert run("oomlint", "fix", "service.py", cwd=tmp_path / "cli").returncode == 0
    assert run("oomlint", "fix", "--unsafe-fixes", "shipper.yaml", cwd=tmp_path / "cli").returncode == 0

    result_file = tmp_path / "neovim.json"
    environment = {
        **os.environ,
        "OOMLINT_BIN": str(BIN / "oomlint"),
        "OOMLINT_ROOT": str(tmp_path / "editor"),
        "OOMLINT_FILES": ":".join(str(tmp_path / "editor" / name) for name in files),
        "OOMLINT_RESULT": str(result_file),
    }
    subprocess.run(
        [NEOVIM, "--headless", "--clean", "-n", "-c", f"luafile {ROOT / 'tests' / 'neovim_session.lua'}"],
        cwd=tmp_path / "editor", env=environment, stdin=subprocess.DEVNULL, capture_output=True, timeout=300, check=True,
    )
    session = json.loads(result_file.read_text())
    assert session["failure"] is None
    for name, seen in zip(files, session["files"]):
        shown = sorted(
            (d["line"] + 1, d["column"] + 1, d["end_line"] + 1, d["end_column"] + 1, d["code"], d["message"]) for d in seen["diagnostics"]
        )
        assert shown == [(f["line"], f["column"], f["end_line"], f["end_column"], f["code"], f["message"]) for f in expected[name]]
        assert (tmp_path / "editor" / name).read_text() == (tmp_path / "cli" / name).read_text() != files[name]
    assert [(seen["applied"], seen["actions"]) for seen in session["files"]] == [
        ("Fix OOM301", ["Fix OOM301", "Disable OOM301 for this line"]),
        ("Fix OOM501 (unsafe: may change behaviour)", ["Fix OOM501 (unsafe: may change behaviour)", "Disable OOM501 for this line"]),
    ]
