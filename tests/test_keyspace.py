"""Redis key families (``oomlint.python.keyspace``): the text a key is compared by across
functions and modules, and the families a module's summary says it deletes, pops or sweeps."""

from __future__ import annotations

import ast
import textwrap

import pytest

from oomlint.python.checker import Walker
from oomlint.python.keyspace import DELETE, POP, SWEEP, key_family, same_family
from oomlint.python.project import project_name, summarize
from oomlint.python.semantic import SemanticModel

MODULE = """
import redis
from django.conf import settings
from app import keys
from app.keys import PREFIX

r = redis.Redis()
LOCAL = "jobs"


class Dispatcher:
    def __init__(self):
        self.queue = getattr(settings, "CALLBACK_QUEUE", "")

    def send(self, event):
        r.rpush(self.queue, event)


def write(name, user, path):
    key = f"names:{name}"
    r.set(key, 1)
    r.set(f"{PREFIX}{name}", 1)
    r.set(LOCAL + ":" + name, 1)
    r.set(keys.session_key(user.id), 1)
    r.set(keys.tile_key("lock", name), 1)
    r.set("jobs:{}:state".format(name), 1)
    r.set("jobs:%s:%d" % (name, 3), 1)
    r.set(settings.CALLBACK_QUEUE, 1)
    r.set(name, 1)
    r.set(str(path), 1)


def flush():
    for key in r.scan_iter("names:*"):
        r.delete(key)
"""


def families() -> list[tuple[str | None, bool]]:
    """The family of each key ``MODULE`` writes or deletes, in the order of the calls."""
    tree = ast.parse(textwrap.dedent(MODULE))
    model = SemanticModel(tree)
    scopes = {}

    class Scopes:
        @staticmethod
        def node_types():
            return {ast.Call: "visit_Call"}

        def visit_Call(self, node):
            scopes[node] = model.scope

    Walker(model, [Scopes()]).run(tree)
    found = []
    for call, scope in scopes.items():
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("set", "rpush", "delete"):
            def qualify(expr, scope=scope):
                return project_name(model, expr, "app.m", False, scope)

            found.append(key_family(model, call.args[0], qualify, scope))
    return found


def test_each_key_is_its_text_with_holes_and_names_by_their_qualified_names():
    assert families() == [
        ("{django.conf.settings.CALLBACK_QUEUE}", False),  # self.queue, as __init__ assigns it
        ("names:*", False),  # a local name stands for its value
        ("{app.keys.PREFIX}*", False),
        ("{app.m.LOCAL}:*", False),
        ("{app.keys.session_key()}", False),
        ("{app.keys.tile_key(lock,*)}", False),  # a builder given a text: one family per text
        ("jobs:*:state", False),
        ("jobs:*:*", False),
        ("{django.conf.settings.CALLBACK_QUEUE}", False),
        (None, False),  # a parameter: nothing of it is fixed
        (None, False),
        ("names:*", True),  # a key walked from a scan stands for its pattern
    ]


@pytest.mark.parametrize(
    ("written", "removed", "what", "same"),
    [
        ("jobs:*", "jobs:*", DELETE, True),
        ("jobs:*:state", "jobs:*", DELETE, False),  # deleting ``jobs:{id}`` leaves ``jobs:{id}:state``
        ("jobs:*:state", "jobs:*", SWEEP, True),  # a scan of ``jobs:*`` walks it
        ("names:*", "name:*", SWEEP, False),
    ],
)
def test_a_sweep_covers_what_its_pattern_matches_a_deletion_only_its_own_family(written, removed, what, same):
    assert same_family(written, removed, what) is same


def test_the_summary_keeps_what_the_module_deletes_pops_and_sweeps():
    summary = summarize(
        textwrap.dedent(
            """
            import redis
            from django.conf import settings

            r = redis.Redis()


            class Worker:
                def __init__(self):
                    self.queue_name = settings.CALLBACK_QUEUE

                def read(self):
                    return r.blpop(self.queue_name, timeout=1), r.lpop([f"replies:{self.id}"])

                def drop(self, api_key, anything):
                    r.delete(f"destinations:{api_key}", anything)
                    r.delete(*r.keys("names:*"))
                    r.lrange("log", 0, -1)
            """
        ),
        "app/worker.py",
        "app.worker",
        False,
    )
    assert summary is not None
    assert summary.removed_keys == [
        [DELETE, "destinations:*"],
        [POP, "replies:*"],
        [POP, "{django.conf.settings.CALLBACK_QUEUE}"],
        [SWEEP, "names:*"],
    ]
