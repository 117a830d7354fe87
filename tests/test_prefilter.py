"""The cold path's prefilter: a rule runs only on a file holding a text it needs
(``Rule.required_text``), a file no rule can report in is neither parsed nor walked, and
the findings are the same as with every rule run on every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from oomlint.core.config import Config
from oomlint.core.rule import all_rules, rule_by_code
from oomlint.engine import check_bytes
from oomlint.python import checker
from oomlint.python.checker import RUNNING_PYTHON
from oomlint.python.project import ProjectIndex, Summarizer
from tests.conftest import ROOT
from tests.snapshots import fixture_config, fixture_files

RULES = Config().enabled
PYTHON_RULES = [item for item in RULES if item[0].language == "python"]


@pytest.fixture
def walked(monkeypatch) -> list[str]:
    """The rules of each walk the checker makes, by code."""
    walks: list[str] = []
    original = checker.Walker.__init__

    def init(self, model, rules):
        rules = list(rules)
        # The project index's walks (a summary's, or a module's own frequencies: no rule) are not checks.
        if rules and not isinstance(rules[0], Summarizer):
            walks.append(",".join(rule.code for rule in rules))
        original(self, model, rules)

    monkeypatch.setattr(checker.Walker, "__init__", init)
    return walks


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    done: list[str] = []
    original = checker.parse

    def parse(source, filename):
        done.append(filename)
        return original(source, filename=filename)

    monkeypatch.setattr(checker, "parse", parse)
    return done


def every_rule_everywhere(monkeypatch) -> None:
    monkeypatch.setattr(checker, "can_report", lambda *arguments: True)


REAL_CODE = sorted(ROOT.glob("examples/*.py")) + sorted(ROOT.glob("checkers/**/*.py")) + sorted(ROOT.glob("rules/**/*.py"))


@pytest.mark.parametrize("path", fixture_files("python"), ids=lambda path: path.name)
def test_the_prefilter_changes_no_finding_of_a_fixture(path: Path, monkeypatch):
    rules = fixture_config(path, "python").enabled
    data = path.read_bytes()
    filtered = check_bytes(data, str(path), rules)
    every_rule_everywhere(monkeypatch)
    assert filtered == check_bytes(data, str(path), rules)


def test_the_prefilter_changes_no_finding_on_real_code(monkeypatch):
    sources = {str(path): path.read_bytes() for path in REAL_CODE}
    filtered = {path: check_bytes(data, path, RULES) for path, data in sources.items()}
    every_rule_everywhere(monkeypatch)
    assert filtered == {path: check_bytes(data, path, RULES) for path, data in sources.items()}
    assert len(filtered) > 70 and any(filtered.values())


def test_only_the_rules_a_file_can_fire_in_run(walked):
    source = "import functools\n\n\n@functools.lru_cache(maxsize=None)\ndef f(x):\n    return x\n"
    findings = check_bytes(source.encode(), "app.py", RULES)
    assert [f.code for f in findings] == ["OOM301"]
    assert walked == ["OOM102,OOM301,OOM302"]  # OOM102 needs no text; no open, print, dict, {}...


def test_a_file_no_rule_can_report_in_is_neither_parsed_nor_walked(walked, parsed):
    """Not even for its ``OOM003``: nothing the selected rules report can be missed there."""
    rules = [item for item in RULES if item[0].code in ("OOM301", "OOM401")]
    assert check_bytes(b"x = 1\n", "quiet.py", rules) == []
    assert check_bytes(b"x = (\n", "broken.py", rules) == []
    assert (walked, parsed) == ([], [])


def test_a_file_a_rule_can_report_in_that_does_not_parse_is_an_oom003(walked, parsed):
    rules = [item for item in RULES if item[0].code in ("OOM301", "OOM401")]
    broken = check_bytes(b"from functools import cache\nx = (\n", "broken.py", rules)
    assert [(f.line, f.column, f.code, f.message) for f in broken] == [
        (2, 5, "OOM003", f"cannot parse with {RUNNING_PYTHON}: '(' was never closed")
    ]
    assert (walked, parsed) == ([], ["broken.py"])


def test_the_project_s_helpers_make_the_rules_that_follow_them_run(tmp_path, walked):
    """``get_conn`` names no factory, but the project's ``get_conn`` returns a connection."""
    rules = [item for item in RULES if item[0].code in ("OOM201", "OOM202", "OOM301")]
    (tmp_path / "db.py").write_text("import sqlite3\n\n\ndef get_conn(path):\n    return sqlite3.connect(path)\n")
    source = b"from db import get_conn\n\n\ndef load(path):\n    conn = get_conn(path)\n    return conn.fetch()\n"
    app = tmp_path / "app.py"
    app.write_bytes(source)
    assert check_bytes(source, str(app), rules, project=None) == []
    assert walked == []
    findings = check_bytes(source, str(app), rules)
    assert [(f.line, f.column, f.code) for f in findings] == [(5, 12, "OOM202")]
    assert walked == ["OOM201,OOM202"]


def test_only_helpers_that_lead_to_what_a_rule_follows_make_it_run(tmp_path, walked):
    """``load_config`` returns what no rule follows: a file naming it is not walked.
    ``make_client`` returns a Redis client, also under the name a summarized module
    imports it by (``cache``), which the rule follows."""
    rules = [item for item in RULES if item[0].code in ("OOM202", "OOM304")]
    (tmp_path / "db.py").write_text(
        "import json\nimport redis\n\n\ndef load_config(text):\n    return json.loads(text)\n\n\n"
        "def make_client(url):\n    return redis.Redis.from_url(url)\n"
    )
    (tmp_path / "store.py").write_text("import redis\nfrom db import make_client as cache\n\nLOCAL = redis.Redis()\n")
    settings = tmp_path / "settings.py"
    settings.write_bytes(b"from db import load_config\n\n\ndef read(text):\n    config = load_config(text)\n    return config.get('a')\n")
    assert check_bytes(settings.read_bytes(), str(settings), rules) == []
    assert walked == []
    app = tmp_path / "app.py"
    app.write_bytes(b"from store import cache\n\nURL = 'unix:///run/cache.sock'\n\n\ndef remember(key, value):\n    cache(URL).set(key, value)\n")
    findings = check_bytes(app.read_bytes(), str(app), rules)
    assert [(f.line, f.column, f.code) for f in findings] == [(7, 16, "OOM304")]
    assert walked == ["OOM304"]


def test_a_client_another_module_makes_at_import_makes_the_redis_rule_run(tmp_path, walked):
    """``kv.client`` is a Redis client, not a helper that returns one: a file importing it
    writes through Redis without naming it. A file importing only the module's settings
    is not walked."""
    rules = [item for item in RULES if item[0].code == "OOM304"]
    (tmp_path / "kv.py").write_text("import redis\n\nclient = redis.Redis()\nTIMEOUT = 5\n")
    quiet = tmp_path / "settings.py"
    quiet.write_bytes(b"from kv import TIMEOUT\n\n\ndef timeout():\n    return TIMEOUT\n")
    assert check_bytes(quiet.read_bytes(), str(quiet), rules) == []
    assert walked == []
    app = tmp_path / "app.py"
    app.write_bytes(b"from kv import client\n\n\ndef mark(visitor_id):\n    client.sadd(f'seen:{visitor_id}', 1)\n")
    findings = check_bytes(app.read_bytes(), str(app), rules)
    assert [(f.line, f.column, f.code) for f in findings] == [(5, 12, "OOM304")]
    assert walked == ["OOM304"]


def test_configured_resources_are_texts_the_release_rules_need(walked):
    (rule, options) = next(item for item in RULES if item[0].code == "OOM202")
    source = b"import db\n\n\ndef load(path):\n    conn = db.checkout(path)\n    return conn.fetch()\n"
    assert check_bytes(source, "app.py", [(rule, options)], project=None) == []
    findings = check_bytes(source, "app.py", [(rule, {**options, "extra-resources": ("db.checkout",)})], project=None)
    assert [(f.line, f.code) for f in findings] == [(5, "OOM202")]
    assert walked == ["OOM202"]


def test_every_python_rule_says_what_it_needs_or_why_not():
    needs_every_file = {rule.code for rule in all_rules() if rule.language == "python" and rule.required_text is None}
    # OOM102's JSON text can be built from any string literals; OOM201-OOM203 compute theirs.
    assert needs_every_file == {"OOM102", "OOM201", "OOM202", "OOM203"}
    needed = rule_by_code("OOM202").text_needed({"extra-resources": ("db.checkout:release",)})
    assert {"checkout", "open", "acquire", "getconn", "connect"} <= set(needed)
    assert "checkout" not in rule_by_code("OOM202").text_needed({"extra-resources": ()})



@pytest.mark.parametrize(
    ("decoder", "loaded"),
    [("", []), ("\n\ndef decoded(path):\n    return Image.open(path).convert('RGB')\n", ["sizes.py"])],
    ids=["no decoder", "a decoder"],
)
def test_a_project_that_calls_no_decoder_is_not_searched_for_decoding_helpers(
    tmp_path, monkeypatch, walked, decoder, loaded
):
    """Every decode a helper makes starts at a function that calls a decoder, and the index
    summarizes each module that does: with none, the modules it passed over (``sizes.py``,
    which ``blank`` hands the data to) are not summarized to look for one."""
    summarized: list[str] = []
    original = ProjectIndex._load

    def load(self, path):
        summarized.append(Path(path).name)
        return original(self, path)

    monkeypatch.setattr(ProjectIndex, "_load", load)
    rules = [item for item in RULES if item[0].code == "OOM401"]
    (tmp_path / "sizes.py").write_text("def blank_size(data):\n    return (len(data), 1)\n")
    (tmp_path / "thumbs.py").write_text(
        "from PIL import Image\nfrom sizes import blank_size\n\n\n"
        f"def blank(data):\n    return Image.new('RGB', blank_size(data))\n{decoder}"
    )
    view = tmp_path / "views.py"
    view.write_bytes(b"from thumbs import blank\n\n\ndef upload(request):\n    return blank(request.files['a'].read())\n")
    assert check_bytes(view.read_bytes(), str(view), rules) == []
    assert (walked, summarized) == ([], loaded)
