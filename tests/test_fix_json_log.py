"""OOM101's unsafe fix: hand-built JSON log messages become ``json.dumps({...})``."""

from __future__ import annotations

import ast
import json

import pytest

from oomlint.core.config import Config
from oomlint.fix.driver import fix_file
from tests.conftest import oomlint_json, run

BEFORE = """\
import logging
import sys

logger = logging.getLogger(__name__)


def login(user, ip, count, order):
    logger.info(f'{{"event": "login", "user": "{user}", "ip": "{ip}"}}')  # audit
    logger.warning('{"event": "login", "user": "%s", "count": %d}' % (user, count))
    logger.warning('{"user": "%s"}' % user)
    logger.error('{{"user": "{}", "ip": "{ip}", "retry": true}}'.format(user, ip=ip))
    logger.info('{"user": "%s", "attempts": %d, "ratio": -0.5, "note": null}', user, count, exc_info=True)
    logger.log(logging.INFO, '{"user": {"name": "%s", "ip": "%s"}, "v": "caf\\\\u00e9 \\\\"1\\\\""}', user, ip)
    # a lazy call over several lines
    logger.info(
        '{"user": "%s", "ip": "%s"}',
        user,
        ip,  # who, from where
    )
    print(f'{{"order": "{order.id}"}}', file=sys.stderr, flush=True)
    sys.stdout.write('{"order": "%s", "state": "paid"}' % order.id)
    sys.stdout.write(f'{{"order": "{order.id}"}}\\n')
"""
AFTER = """\
import json
import logging
import sys

logger = logging.getLogger(__name__)


def login(user, ip, count, order):
    logger.info(json.dumps({"event": "login", "user": user, "ip": ip}))  # audit
    logger.warning(json.dumps({"event": "login", "user": user, "count": count}))
    logger.warning(json.dumps({"user": user}))
    logger.error(json.dumps({"user": user, "ip": ip, "retry": True}))
    logger.info(json.dumps({"user": user, "attempts": count, "ratio": -0.5, "note": None}), exc_info=True)
    logger.log(logging.INFO, json.dumps({"user": {"name": user, "ip": ip}, "v": "café \\"1\\""}))
    # a lazy call over several lines
    logger.info(
        json.dumps({"user": user, "ip": ip}),  # who, from where
    )
    print(json.dumps({"order": order.id}), file=sys.stderr, flush=True)
    sys.stdout.write(json.dumps({"order": order.id, "state": "paid"}))
    sys.stdout.write(json.dumps({"order": order.id}) + "\\n")
"""
# Each line is reported, and none can be fixed.
UNFIXABLE = """\
import logging
import sys

logger = logging.getLogger(__name__)


def unfixable(user, ip, args):
    logger.info('{"user": "user-%s"}', user)
    logger.info('{"user": "%s"} [gateway]', user)
    logger.info(f'{{"user": "{user!s}"}}')
    logger.info('{{"user": "{:>8}"}}'.format(user))
    logger.info('{"user": "%5s"}', user)
    logger.info('{"user": "%(user)s"}', {"user": user})
    logger.info('{"user": "%s", "ip": "%s"}', *args)
    logger.info('{{"user": "{0}", "login": "{0}"}}'.format(user))
    logger.info('{"user": "%s", "user": "%s"}', user, ip)
    logger.info('{"user": "%s", "ips": ["%s"]}', user, ip)
    logger.info('{"user": "' + user + '"}')
    line = f'{{"user": "{user}"}}'
    logger.info(line)
    logger.info(
        '{"user": "%s"}',  # the template
        user,
    )
    sys.stderr.write('{"user": "%s"} -> 1\\n' % user)
    print('{"user":', '"%s"}' % user)
    logging.basicConfig(format='{"level": "%(levelname)s", "msg": "%(message)s"}')


def shadowed(json, user):
    logger.info(f'{{"user": "{user}"}}')
"""
RULES = Config().enabled


def test_exact_rewrite_idempotent_and_clean(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(BEFORE)
    first = fix_file(str(path), RULES, unsafe=True)
    assert (first.problem, len(first.fixed), first.remaining) == (None, 10, [])
    assert path.read_text() == AFTER
    ast.parse(path.read_text())
    second = fix_file(str(path), RULES, unsafe=True)
    assert (second.fixed, second.new_text, path.read_text()) == ([], None, AFTER)


def test_an_existing_json_import_is_used(tmp_path):
    path = tmp_path / "app.py"
    path.write_text("import json\nimport logging\n\n\ndef login(user):\n    logging.info('{\"user\": \"%s\"}', user)\n")
    assert fix_file(str(path), RULES, unsafe=True).problem is None
    assert path.read_text() == "import json\nimport logging\n\n\ndef login(user):\n    logging.info(json.dumps({\"user\": user}))\n"


def test_the_fix_is_unsafe_only(project):
    root = project({"app.py": BEFORE})
    safe_only = run("oomlint", "fix", "app.py", cwd=root)
    assert safe_only.returncode == 1
    assert safe_only.stdout.endswith("Fixed 0 findings in 0 files; 10 remaining.\n")
    assert (root / "app.py").read_bytes() == BEFORE.encode()
    unsafe = run("oomlint", "fix", "--unsafe-fixes", "app.py", cwd=root)
    assert (unsafe.returncode, unsafe.stdout) == (0, "Fixed 10 findings in 1 file; 0 remaining.\n")
    assert (root / "app.py").read_text() == AFTER


def test_check_marks_exactly_the_fixable_findings(project):
    root = project({"app.py": BEFORE, "unfixable.py": UNFIXABLE})
    findings = oomlint_json("app.py", "unfixable.py", cwd=root)
    fixes = {(f["path"], f["line"]): f["fix"] for f in findings}
    fixable_lines = [8, 9, 10, 11, 12, 13, 15, 20, 21, 22]
    unfixable_lines = [*range(8, 19), 20, 21, 25, 26, 27, 31]
    assert fixes == {("app.py", line): "unsafe" for line in fixable_lines} | {
        ("unfixable.py", line): None for line in unfixable_lines
    }
    text = run("oomlint", "check", "app.py", "unfixable.py", cwd=root).stdout
    assert "[*]" not in text
    assert text.endswith(f"Found {len(findings)} findings (2 files checked).\n10 more fixable with `oomlint fix --unsafe-fixes`.\n")


def test_unfixable_forms_are_left_byte_for_byte(project):
    root = project({"unfixable.py": UNFIXABLE})
    result = run("oomlint", "fix", "--unsafe-fixes", "unfixable.py", cwd=root)
    assert result.returncode == 1
    assert result.stdout.endswith("Fixed 0 findings in 0 files; 17 remaining.\n")
    assert (root / "unfixable.py").read_bytes() == UNFIXABLE.encode()


def test_the_rewritten_line_is_json(tmp_path):
    """The point of the fix: values with quotes, newlines and non-BMP characters stay JSON."""
    path = tmp_path / "app.py"
    path.write_text("import sys\n\nuser = sys.argv[1]\nsys.stdout.write(f'{{\"user\": \"{user}\", \"n\": 1}}')\n")
    assert fix_file(str(path), RULES, unsafe=True).problem is None
    result = run("python", str(path), 'a"b\n\U0001F600')
    assert json.loads(result.stdout) == {"user": 'a"b\n\U0001F600', "n": 1}


LOG_CALL = "\n\ndef login(user):\n    log.info('{\"user\": \"%s\"}' % user)\n"
FIXED_CALL = LOG_CALL.replace("""'{"user": "%s"}' % user""", 'json.dumps({"user": user})')


@pytest.mark.parametrize(
    ("imports", "placed"),
    [
        # among the standard library's plain imports, in order (isort's default)
        ('"""Service."""\nfrom __future__ import annotations\n\nimport logging\nimport os\n\nimport requests\n',
         '"""Service."""\nfrom __future__ import annotations\n\nimport json\nimport logging\nimport os\n\nimport requests\n'),
        ("import hashlib\nimport logging  # the root logger\nfrom os import path\n\nfrom app import log\n",
         "import hashlib\nimport json\nimport logging  # the root logger\nfrom os import path\n\nfrom app import log\n"),
        # last of the plain imports, before the group's from imports
        ("import abc\nimport base64\nfrom os import path\n", "import abc\nimport base64\nimport json\nfrom os import path\n"),
        ("from os import path\n\nimport requests\n", "import json\nfrom os import path\n\nimport requests\n"),
        # no standard-library group yet: one of its own, after __future__, before the rest
        ("from __future__ import annotations\n\n# third party\nimport requests\n",
         "from __future__ import annotations\n\nimport json\n\n# third party\nimport requests\n"),
        ("import requests\nfrom app import log\n", "import json\n\nimport requests\nfrom app import log\n"),
        ("from __future__ import annotations\n", "from __future__ import annotations\n\nimport json\n"),
        # already imported
        ("import logging\nimport json\n", "import logging\nimport json\n"),
    ],
)
def test_import_json_goes_where_isort_puts_it(tmp_path, imports, placed):
    path = tmp_path / "service.py"
    path.write_text(imports + "\nlog = None\n" + LOG_CALL)
    result = fix_file(str(path), Config().enabled, unsafe=True)
    assert result.problem is None
    assert path.read_text() == placed + "\nlog = None\n" + FIXED_CALL
