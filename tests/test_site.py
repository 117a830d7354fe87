"""The documentation site: it builds strictly, and its code examples are true."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oomlint.core.config import Config, parse_table
from oomlint.engine import check_bytes
from tests.conftest import BIN, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GUIDES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(?:<!-- (?P<marker>fires: [A-Z0-9, ]+|silent) -->\n)?```(?P<language>\w+)\n(?P<body>.*?)```", re.DOTALL)


def blocks(language: str) -> list[tuple[Path, str | None, str]]:
    found = []
    for path in GUIDES:
        for match in BLOCK.finditer(path.read_text(encoding="utf-8")):
            if match["language"] == language:
                found.append((path, match["marker"], match["body"]))
    return found


def test_site_builds_strictly(tmp_path):
    if not (BIN / "mkdocs").exists():
        pytest.skip("mkdocs is not installed")
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_python_examples_fire_or_stay_silent_as_marked():
    examples = blocks("python")
    assert examples
    for path, marker, body in examples:
        assert marker, f"{path.name}: a python example needs <!-- fires: CODE --> or <!-- silent -->"
        codes = {f.code for f in check_bytes(body.encode(), "example.py", Config().enabled)}
        expected = set() if marker == "silent" else {code.strip() for code in marker[len("fires:"):].split(",")}
        assert codes == expected, (path.name, body)


def test_oomlint_tables_in_toml_examples_are_valid():
    tables = [body for _, _, body in blocks("toml") if "[tool.oomlint" in body]
    assert tables
    for body in tables:
        parse_table(tomllib.loads(body)["tool"]["oomlint"], Path("docs-example/pyproject.toml"))


def test_json_examples_parse():
    for path, _, body in blocks("json"):
        json.loads(body)


def test_pre_commit_examples_are_valid_configs(tmp_path):
    if not (BIN / "pre-commit").exists():
        pytest.skip("pre-commit is not installed")
    configs = [body for _, _, body in blocks("yaml") if body.startswith("repos:")]
    assert len(configs) == 5
    for index, body in enumerate(configs):
        config = tmp_path / f"config{index}.yaml"
        config.write_text(body)
        result = subprocess.run([str(BIN / "pre-commit"), "validate-config", str(config)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + body
