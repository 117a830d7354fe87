"""Bad input gets a clear message, never a traceback or a wrong answer (issue 12).

Each test meets a defect as a user does (a real flake8, pylint or oomlint process, a
real pipe, an editor session) and asserts the exact message, position and exit code.
"""

from __future__ import annotations

import os
import subprocess
import warnings

import pytest

from oomlint.config import Config
from oomlint.engine import check_bytes
from tests.conftest import BIN, run

RULES = Config().enabled


# ----------------------------------------------- the checked code's warnings stay its own

ESCAPES = (
    "import functools\n"
    "import logging\n"
    "import re\n\n"
    'PATTERN = re.compile("\\d+")\n'
    "logger = logging.getLogger(__name__)\n\n\n"
    "@functools.cache\n"
    "def words(text):\n"
    "    return PATTERN.findall(text)\n\n\n"
    "def report(user):\n"
    '    logger.info(\'{"user": "%s"}\' % PATTERN.sub("\\d", user))\n'
)


# OOM403 parses the text of a string annotation: there the escape is the parser's to warn about.
ESCAPE_IN_ANNOTATION = (
    "from typing import Annotated\n\n"
    "from fastapi import FastAPI, UploadFile\n\n"
    "app = FastAPI()\n\n\n"
    '@app.post("/avatar")\n'
    "async def avatar(file: \"Annotated[UploadFile, '\\\\d']\"):\n"
    "    return await file.read()\n"
)


@pytest.mark.parametrize(
    "source, expected",
    [(ESCAPES, [(9, 2, "OOM301"), (15, 5, "OOM101")]), (ESCAPE_IN_ANNOTATION, [(10, 18, "OOM403")])],
    ids=["file-and-logging-call", "string-annotation"],
)
def test_parser_warnings_of_checked_code_are_not_shown_but_ours_are(source, expected):
    """``"\\d"`` makes the parser warn, of the whole file and of the code that rules parse
    again; none of it reaches the warnings machinery, whose filters are left as they were."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        findings = check_bytes(source.encode(), "escapes.py", RULES)
        warnings.warn("a warning of oomlint's own", UserWarning)
    assert [(f.line, f.column, f.code) for f in findings] == expected
    assert [str(warning.message) for warning in caught] == ["a warning of oomlint's own"]


@pytest.mark.parametrize("command", [["check"], ["fix", "--diff"]])
def test_cli_stderr_stays_clean_of_the_checked_codes_warnings(project, command):
    """``fix`` parses the fixed code again, to verify it."""
    root = project({"escapes.py": ESCAPES})
    result = subprocess.run([str(BIN / "oomlint"), *command, "escapes.py"], cwd=root, capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "default"}, timeout=600)
    assert (result.returncode, result.stderr) == (1, "")
