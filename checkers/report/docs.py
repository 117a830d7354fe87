"""Rule documentation, generated from the rule definitions.

``docs/rules/<CODE>.md``, ``oomlint rule CODE`` and the README's rule table all come
from here, and so does the catalogue of codes in :mod:`oomlint.rules`; a test fails when
the files on disk drift from what this renders.
Regenerate with ``python -m oomlint.report.docs``.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from oomlint.core.rule import DOC_SECTIONS, Rule, all_rules

# Where the rule pages are published (the MkDocs site built from docs/).
SITE_URL = "https://oomlint.readthedocs.io/en/latest/"
DOCS_URL = SITE_URL + "rules/{code}/"
TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"
OPTIONS_START = "<!-- options:start -->"
OPTIONS_END = "<!-- options:end -->"
CATALOGUE_START = "# catalogue:start"
CATALOGUE_END = "# catalogue:end"
_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)


def doc_sections(rule: type[Rule]) -> dict[str, str]:
    """The docstring's sections, checked to be exactly ``DOC_SECTIONS`` in order."""
    text = inspect.cleandoc(rule.__doc__ or "")
    headings = _HEADING.findall(text)
    if tuple(headings) != DOC_SECTIONS:
        raise ValueError(f"{rule.code}: docstring sections are {headings}, expected {list(DOC_SECTIONS)}")
    bodies = _HEADING.split(text)[2::2]
    return {heading: body.strip() for heading, body in zip(headings, bodies)}


def render_rule(rule: type[Rule]) -> str:
    sections = doc_sections(rule)
    default = "on" if rule.default_enabled else "off (opt-in: `extend-select`)"
    lines = [
        f"# {rule.code}: {rule.symbol}",
        "",
        f"{rule.summary}.",
        "",
        "| code | symbol | pylint | enabled by default |",
        "| --- | --- | --- | --- |",
        f"| `{rule.code}` | `{rule.symbol}` | `{rule.pylint_id()}` | {default} |",
        "",
        f"Message: `{rule.message}`",
    ]
    for heading in DOC_SECTIONS:
        lines += ["", f"## {heading}", "", sections[heading]]
        if heading == "Options" and rule.options:
            lines += ["", *_options_table(rule)]
    return "\n".join(lines) + "\n"


def _options_table(rule: type[Rule]) -> list[str]:
    rows = ["| option | default | meaning |", "| --- | --- | --- |"]
    for option in rule.options:
        rows.append(f"| `{option.name}` | `{_toml(option.default)}` | {option.help} |")
    first = rule.options[0]
    rows += [
        "",
        "```toml",
        f"[tool.oomlint.{rule.code}]",
        f"{first.name} = {_toml(first.default)}",
        "```",
    ]
    if rule.language == "python":
        rows += ["", f"With pylint: `--{rule.code.lower()}-{first.name}`."]
    return rows


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def rules_table(link: str = "docs/rules/{code}.md") -> str:
    """The Markdown table of all rules, for the README and the docs site."""
    rows = ["| code | symbol | what it flags | default | fix |", "| --- | --- | --- | --- | --- |"]
    for rule in all_rules():
        code = f"[{rule.code}]({link.format(code=rule.code)})"
        default = "on" if rule.default_enabled else "off"
        rows.append(f"| {code} | `{rule.symbol}` | {rule.summary} | {default} | {rule.fixes or ''} |")
    return "\n".join(rows) + "\n"


def options_reference() -> str:
    """Every option of every rule, for docs/configuration.md."""
    sections = []
    for rule in all_rules():
        if rule.options:
            title = f"### [{rule.code}](rules/{rule.code}.md) {rule.symbol}"
            sections.append("\n".join([title, "", *_options_table(rule)]))
    return "\n\n".join(sections) + "\n"


def catalogue() -> str:
    """Every rule's code and language, for :data:`oomlint.rules.CATALOGUE`."""
    rows = "".join(f'    "{rule.code}": "{rule.language}",\n' for rule in all_rules())
    return "CATALOGUE = {\n" + rows + "}\n"


def rules_index() -> str:
    return "# Rules\n\n" + rules_table(link="{code}.md")


def expected_files(root: Path) -> dict[Path, str]:
    """Every generated file under the repository ``root``, with its content."""
    docs = root / "docs"
    files = {docs / "rules" / f"{rule.code}.md": render_rule(rule) for rule in all_rules()}
    files[docs / "rules" / "index.md"] = rules_index()
    for path, start, end, content in (
        (root / "README.md", TABLE_START, TABLE_END, rules_table()),
        (docs / "configuration.md", OPTIONS_START, OPTIONS_END, options_reference()),
        (root / "rules" / "__init__.py", CATALOGUE_START, CATALOGUE_END, catalogue()),
    ):
        files[path] = replace_between(path.read_text(encoding="utf-8"), start, end, content)
    return files


def replace_between(text: str, start_marker: str, end_marker: str, content: str) -> str:
    start, end = text.index(start_marker) + len(start_marker), text.index(end_marker)
    return text[:start] + "\n" + content + text[end:]


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0] if argv else ".")
    for path, content in expected_files(root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
