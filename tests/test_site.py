"""The documentation site: it builds strictly, and its code examples are true."""

from __future__ import annotations

import json
import os
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


def test_every_page_is_in_the_navigation():
    """A rule page missing from mkdocs.yml's nav is built but cannot be found."""
    import yaml

    def pages(entries) -> list[str]:
        found = []
        for entry in entries:
            value = next(iter(entry.values())) if isinstance(entry, dict) else entry
            found += pages(value) if isinstance(value, list) else [value]
        return found

    nav = pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])
    on_disk = sorted(path.relative_to(ROOT / "docs").as_posix() for path in (ROOT / "docs").rglob("*.md"))
    assert sorted(nav) == on_disk
    assert [page for page in nav if page.startswith("rules/OOM")] == [f"rules/{path.name}" for path in sorted((ROOT / "docs" / "rules").glob("OOM*.md"))]


OUTPUT = re.compile(r"<!-- output of: (?P<command>[^>]+) -->\n```text\n(?P<body>.*?)```", re.DOTALL)


def test_getting_started_shows_todays_output(tmp_path):
    page = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    (_, _, app), *_ = [block for block in blocks("python") if block[0].name == "getting-started.md"]
    (tmp_path / "app.py").write_text(app, encoding="utf-8")
    shown = list(OUTPUT.finditer(page))
    assert [match["command"] for match in shown] == ["oomlint app.py", "oomlint --format full app.py"]
    for match in shown:
        result = subprocess.run([str(BIN / "oomlint"), *match["command"].split()[1:]], cwd=tmp_path, capture_output=True, text=True,
                                env={**os.environ, "NO_COLOR": "1"})
        assert (result.returncode, result.stdout) == (1, match["body"])
