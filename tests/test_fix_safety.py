"""``oomlint fix`` never loses what the user had: edits made while it runs, symlinks,
hard links, read-only files and folders, owners, modes and line breaks."""

from __future__ import annotations

import pytest

from oomlint.config import Config
from oomlint.fixes import fix_file
from tests.test_fix_manifests import POD
from tests.test_fix_manifests import RULES as MANIFEST_RULES

RULES = Config().enabled
BEFORE = "import functools\n\n\n@functools.lru_cache(maxsize=None)\ndef load(user_id):\n    return user_id\n"
AFTER = BEFORE.replace("maxsize=None", "maxsize=1024")
POD_AFTER = POD + "      limits:\n        memory: 1Gi\n"


@pytest.mark.parametrize("end", ["", "# end\n", "\n\n"], ids=["statement", "comment", "blank-lines"])
def test_lone_cr_line_breaks_keep_the_last_one(tmp_path, end):
    """libcst's parser takes a final lone CR for no line break at all and drops it."""
    python, manifest = tmp_path / "app.py", tmp_path / "pod.yaml"
    python.write_bytes((BEFORE + end).replace("\n", "\r").encode())
    manifest.write_bytes((POD + end).replace("\n", "\r").encode())
    assert fix_file(str(python), RULES).problem is None
    assert fix_file(str(manifest), MANIFEST_RULES, unsafe=True).problem is None
    assert python.read_bytes() == (AFTER + end).replace("\n", "\r").encode()
    assert manifest.read_bytes() == (POD_AFTER + end).replace("\n", "\r").encode()
