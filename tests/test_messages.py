"""Messages that say what the code does: on the path it does it, with the call that fixes it."""

from __future__ import annotations

from oomlint.core.config import Config
from oomlint.python.checker import check_source


def messages(source: str, code: str) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in check_source(source, "app.py", Config().enabled) if f.code == code]


def test_a_guard_turned_off_on_one_path_says_which():
    source = (
        "import os\n"
        "from PIL import Image\n"
        "\n"
        "try:\n"
        "    Image.MAX_IMAGE_PIXELS = int(os.environ['PIL_MAX_IMAGE_PIXELS'])\n"
        "except KeyError:\n"
        "    Image.MAX_IMAGE_PIXELS = None\n"
        "if os.environ.get('HUGE_SCANS'):\n"
        "    Image.MAX_IMAGE_PIXELS = 2**31\n"
        "else:\n"
        "    Image.MAX_IMAGE_PIXELS = None\n"
        "Image.MAX_IMAGE_PIXELS = None\n"
    )
    assert messages(source, "OOM402") == [
        (7, "Image.MAX_IMAGE_PIXELS = None turns off Pillow's decompression-bomb guard when the exception handled"
            " at line 6 is raised: image bombs get decoded whole; keep the library's limit or lower it"),
        (9, "Image.MAX_IMAGE_PIXELS = 2 ** 31 raises Pillow's decompression-bomb limit above its default 89,478,485"
            " pixels when the condition at line 8 holds: image bombs get decoded whole; keep the library's limit or"
            " lower it"),
        (11, "Image.MAX_IMAGE_PIXELS = None turns off Pillow's decompression-bomb guard when the condition at line 8"
             " does not hold: image bombs get decoded whole; keep the library's limit or lower it"),
        (12, "Image.MAX_IMAGE_PIXELS = None turns off Pillow's decompression-bomb guard: image bombs get decoded"
             " whole; keep the library's limit or lower it"),
    ]


def test_a_cassandra_session_is_shut_down():
    source = (
        "from cassandra.cluster import Cluster\n"
        "CLUSTER = Cluster(['db'])\n"
        "def count():\n"
        "    cluster = CLUSTER\n"
        "    session = cluster.connect()\n"
        "    return session.execute('SELECT 1').one()\n"
    )
    assert messages(source, "OOM202") == [
        (5, "'session' from cluster.connect() is never released, managed by with, or handed off: call"
            " session.shutdown() in finally or use with"),
    ]


def test_the_innermost_branch_is_named_also_around_a_function():
    source = (
        "import os\n"
        "from PIL import Image\n"
        "\n"
        "if os.environ.get('HUGE_SCANS'):\n"
        "    def allow_huge(mode):\n"
        "        match mode:\n"
        "            case 'scan':\n"
        "                Image.MAX_IMAGE_PIXELS = None\n"
        "        Image.MAX_IMAGE_PIXELS = None\n"
    )
    assert messages(source, "OOM402") == [
        (8, "Image.MAX_IMAGE_PIXELS = None turns off Pillow's decompression-bomb guard when the case at line 7"
            " matches: image bombs get decoded whole; keep the library's limit or lower it"),
        (9, "Image.MAX_IMAGE_PIXELS = None turns off Pillow's decompression-bomb guard when the condition at line 4"
            " holds: image bombs get decoded whole; keep the library's limit or lower it"),
    ]
