"""How often the module's functions run (:mod:`oomlint.python.runs`), as OOM205 and OOM202
ask it: once, many times (and why), once per instance, or unknown."""

from __future__ import annotations

import ast

from oomlint.core.rule import rule_by_code
from oomlint.python.astutil import is_script_file
from oomlint.python.checker import FileContext, Walker, check_source
from oomlint.python.runs import MANY, ONCE, PER_INSTANCE, UNKNOWN, Frequency, runs_of

FREQUENCIES = '''\
import functools


def main():
    configure()
    for job in jobs():
        run(job)


def configure():
    pass


def jobs():
    return []


def run(job):
    helper()


def helper():
    pass


def public():
    pass


@functools.cache
def memoized(name):
    pass


class Job:
    def __init__(self):
        self._open()

    def _open(self):
        pass

    def close(self):
        pass


class Settings:
    def __init__(self):
        pass


settings = Settings()


def view(request):
    return Job()


def decorate(function):
    @functools.wraps(function)
    def wrapper(*args):
        return function(*args)

    def callback():
        pass

    return wrapper, callback
'''


def frequencies(source: str) -> dict[str, tuple[str, str]]:
    tree = ast.parse(source)
    context = FileContext("frequencies.py", source, tree)
    Walker(context.model, []).run(tree)
    runs = runs_of(context)
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    qualified = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            qualified.update({item: f"{node.name}.{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)})
    return {qualified.get(node, node.name): (runs.of(node).kind, runs.of(node).why) for node in functions}


def test_how_often_each_function_runs():
    assert frequencies(FREQUENCIES) == {
        "main": (ONCE, ""),
        "configure": (ONCE, ""),
        "jobs": (ONCE, ""),
        "run": (MANY, "is called in a loop in 'main'"),
        "helper": (MANY, "is called from 'run', which is called in a loop in 'main'"),
        "public": (UNKNOWN, ""),
        "memoized": (ONCE, ""),
        "Job.__init__": (MANY, "runs for every instance of 'Job', and 'Job' is called from 'view', which handles every request"),
        "Job._open": (
            MANY,
            "is called from '__init__', which runs for every instance of 'Job', and 'Job' is called from 'view', "
            "which handles every request",
        ),
        "Job.close": (UNKNOWN, ""),
        "Settings.__init__": (ONCE, ""),
        "view": (MANY, "handles every request"),
        "decorate": (UNKNOWN, ""),
        "wrapper": (MANY, "wraps a function and runs on each of its calls"),
        "callback": (UNKNOWN, ""),
    }


def test_a_class_nothing_here_instantiates_runs_its_init_per_instance():
    source = "class Client:\n    def __init__(self):\n        pass\n"
    assert frequencies(source) == {"Client.__init__": (PER_INSTANCE, "runs for every instance of 'Client'")}


def test_a_pytest_fixture_request_is_no_web_request():
    source = (
        "import pytest\n\n\ndef view(request):\n    pass\n\n\n"
        "class Context:\n    def __init__(self, request: pytest.FixtureRequest):\n        pass\n\n\n"
        "def fixture_helper(request: pytest.FixtureRequest):\n    pass\n"
    )
    assert frequencies(source) == {
        "view": (MANY, "handles every request"),
        "Context.__init__": (PER_INSTANCE, "runs for every instance of 'Context'"),
        "fixture_helper": (UNKNOWN, ""),
    }


def test_a_framework_makes_its_middleware_once_per_process():
    """Django makes each class of settings.MIDDLEWARE once: its ``__init__`` runs once."""
    source = (
        "from django.utils.deprecation import MiddlewareMixin\n\n\n"
        "class Prefix(MiddlewareMixin):\n    def __init__(self, get_response):\n        pass\n\n\n"
        "class Timing:\n    def __init__(self, get_response):\n        pass\n\n\n"
        "class Handler:\n    def __init__(self, request):\n        pass\n"
    )
    assert frequencies(source) == {
        "Prefix.__init__": (ONCE, ""),
        "Timing.__init__": (ONCE, ""),
        "Handler.__init__": (MANY, "handles every request"),
    }


def test_a_command_only_the_owner_or_an_administrator_may_run_runs_once():
    """A person runs it by hand, a few times; a check by another name or a keyword set to
    False lets anyone run it."""
    source = (
        "from discord.ext import commands\nfrom errbot import botcmd\n\n\n"
        "class Admin:\n"
        "    @commands.is_owner()\n    def reload(self, ctx):\n        pass\n\n"
        "    @botcmd(admin_only=True)\n    def install(self, msg, args):\n        pass\n\n"
        "    @botcmd(admin_only=False)\n    def status(self, msg, args):\n        pass\n\n"
        "    @commands.guild_only()\n    def ping(self, ctx):\n        pass\n"
    )
    assert frequencies(source) == {
        "Admin.reload": (ONCE, ""),
        "Admin.install": (ONCE, ""),
        "Admin.status": (UNKNOWN, ""),
        "Admin.ping": (UNKNOWN, ""),
    }


def test_a_lazy_set_up_runs_once_however_often_its_function_does():
    """``if not hasattr(SETTINGS, "x"):`` whose body sets ``SETTINGS.x``: what it calls runs
    once; a test the body does not answer, or ``self``'s attribute, says nothing."""
    source = (
        "class Settings:\n    pass\n\n\nSETTINGS = Settings()\n\n\n"
        "def load_schemata():\n    pass\n\n\ndef load_index():\n    pass\n\n\ndef load_page():\n    pass\n\n\n"
        "def resolver():\n    if not hasattr(SETTINGS, 'resolver'):\n        SETTINGS.resolver = load_schemata()\n"
        "    if SETTINGS.index is None:\n        load_index()\n    return SETTINGS.resolver\n\n\n"
        "class Page:\n    def body(self):\n        if self.cached is None:\n            self.cached = load_page()\n        return self.cached\n\n\n"
        "def view(request):\n    Page().body()\n    return resolver()\n"
    )
    found = frequencies(source)
    assert found["load_schemata"] == (ONCE, "")
    assert found["load_index"] == (MANY, "is called from 'resolver', which is called from 'view', which handles every request")
    assert found["load_page"] == (UNKNOWN, "")  # not once: per instance of Page, whose callers decide
    assert found["resolver"] == (MANY, "is called from 'view', which handles every request")


def test_the_module_walk_is_not_recursive():
    """Asked after the engine's walk, outside its raised recursion limit: generated code
    nests deeper than Python's default allows."""
    terms = " + ".join(["1"] * 2500)
    source = f"import logging\n\n\ndef view(request):\n    total = {terms}\n    logging.getLogger().addHandler(logging.StreamHandler())\n"
    findings = check_source(source, "deep.py", [(rule_by_code("OOM205"), {"hooks-in-init": False})])
    assert [(f.line, f.column, f.code) for f in findings] == [(6, 5, "OOM205")]


def test_what_a_loop_repeats_a_fixed_number_of_times_or_through_a_recursion_is_not_many():
    """A comprehension's first iterable is evaluated once; ``range`` of constants runs a fixed
    number of rounds; the loop of a recursion repeats as the data has levels, not per call."""
    source = (
        "def lines(name):\n    pass\n\n\ndef clean(line):\n    pass\n\n\n"
        "def reqs(name):\n    return [clean(line) for line in lines(name)]\n\n\n"
        "def frame():\n    pass\n\n\ndef step():\n    pass\n\n\n"
        "def banner(count):\n    for _ in range(3):\n        frame()\n    for _ in range(count):\n        step()\n\n\n"
        "def walk(node):\n    return [walk(child) for child in node]\n\n\n"
        "def visit(node):\n    for child in node:\n        descend(child)\n\n\ndef descend(node):\n    visit(node)\n"
    )
    expected = {
        "lines": (UNKNOWN, ""), "clean": (MANY, "is called in a loop in 'reqs'"),
        "frame": (UNKNOWN, ""), "step": (MANY, "is called in a loop in 'banner'"),
        "walk": (UNKNOWN, ""), "visit": (UNKNOWN, ""),
    }
    assert {name: kind for name, kind in frequencies(source).items() if name in expected} == expected


def test_a_script_is_a_command_of_the_project_s_script_folders_that_does_not_serve():
    """Top-level ``scripts/``, ``script/``, ``tools/`` or ``bin/``, run as a program, with no
    loop that only the process's end stops, no server call, no request handler."""
    guard = '\n\nif __name__ == "__main__":\n    main()\n'
    main = "def main():\n    pass\n" + guard

    def script(path, source, root="/project"):
        return is_script_file(f"{root}/{path}", root, ast.parse(source))

    assert script("scripts/export.py", main)
    assert script("tools/ci/build.py", "def build():\n    pass\n\n\nbuild()\n")
    assert script("bin/pages.py", "def main():\n    while pages > 0:\n        pages -= 1\n" + guard)
    assert script("scripts/poll.py", "def main():\n    while True:\n        if done():\n            break\n" + guard)
    assert not script("app/scripts/export.py", main)  # a package's own folder: library code
    assert not script("scripts/helpers.py", "def helper():\n    pass\n")  # no program: loaded, imported
    assert not script("scripts/daemon.py", "def main():\n    while True:\n        for job in jobs():\n            break\n" + guard)
    assert not script("scripts/worker.py", "def main():\n    while not stop.is_set():\n        work()\n" + guard)
    assert not script("scripts/serve.py", "def main():\n    server.serve_forever()\n" + guard)
    assert not script("scripts/web.py", "@app.route('/')\ndef index():\n    pass\n\n\n" + main)


def test_a_function_s_own_names_come_from_the_semantic_model():
    """What a function binds (the model's :func:`own_bindings`) decides what its calls name:
    its own nested function (the later of two in the source), not the module's; a name
    declared ``global`` is the module's."""
    from oomlint.python.semantic import own_bindings

    source = (
        "def load():\n    pass\n\n\ndef save():\n    pass\n\n\n"
        "def handler(request):\n    global save\n    if request:\n        def load():\n            pass\n"
        "    else:\n        def load():\n            pass\n    load()\n    save()\n"
    )
    tree = ast.parse(source)
    handler = tree.body[2]
    bindings = own_bindings(handler)
    assert bindings.names == {"request", "load"}
    assert bindings.functions == {"load": handler.body[1].orelse[0]}
    context = FileContext("own.py", source, tree)
    Walker(context.model, []).run(tree)
    runs = runs_of(context)
    first, chosen = handler.body[1].body[0], handler.body[1].orelse[0]
    assert runs.of(tree.body[0]).kind == UNKNOWN  # the module's ``load``: nothing here calls it
    assert runs.of(first).kind == UNKNOWN  # bound again below: the call names the later one
    assert runs.of(chosen) == Frequency(MANY, "is called from 'handler', which handles every request")
    assert runs.of(tree.body[1]) == Frequency(MANY, "is called from 'handler', which handles every request")


def test_summary_keys_are_one_answer_for_functions_under_module_level_blocks():
    """A function or class defined under a module-level ``if`` or ``try`` is the module's:
    :class:`~oomlint.python.astutil.ModuleFacts` and :class:`~oomlint.python.runs.Runs`
    give it the same key in the project's summaries (none for a nested function or class)."""
    from oomlint.python.astutil import module_facts

    source = (
        "import sys\n\n\nif sys.platform == 'win32':\n    def open_port():\n        pass\n"
        "else:\n    class Port:\n        def close(self):\n            pass\n\n        class Inner:\n"
        "            def skip(self):\n                pass\n\n\n"
        "try:\n    import ujson\nexcept ImportError:\n    def loads(text):\n        def parse():\n            pass\n"
    )
    tree = ast.parse(source)
    context = FileContext("keys.py", source, tree)
    Walker(context.model, []).run(tree)
    runs = runs_of(context)
    runs.index()
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    keys = {node.name: runs.key(node) for node in functions}
    assert keys == {"open_port": "open_port", "close": "Port.close", "skip": None, "loads": "loads", "parse": None}
    assert {runs.key(node) for node in functions} - {None} == set(module_facts(context).keys.values())


ONE_ANSWER = '''\
import functools
import sys

import anyio
import click
from invoke import task


def setup_logging():
    attach()


def attach():
    pass


def init_cache(request):
    pass


def configure():
    pass


def view(request):
    configure()
    anyio.run(serve)


def serve():
    pass


@click.command()
def export():
    pass


@task
def deploy(context):
    pass


@registry.register
def hook():
    pass


hook()


def tail(path):
    pass


def probe(name):
    pass


def serve_one(connection):
    pass


def load():
    pass


for name in ("a", "b"):
    load()


class Service:
    def setup(self):
        pass

    def __init__(self):
        self.setup()


if __name__ == "__main__":
    for path in sys.argv[1:]:
        tail(path)
    for name in ("a", "b"):
        probe(name)
    while True:
        serve_one(accept())
'''


def test_start_up_hooks_commands_runners_registrations_and_main_loops():
    """The principles :class:`~oomlint.python.runs.Runs` took over from
    ``ModuleFacts.runs_once`` (session runs8): a start-up hook by its name is once when
    nothing seen says otherwise (``init_cache(request)`` handles requests; ``Service.setup``
    is called by ``__init__``); a command of click or invoke is once (an invoke ``@task`` is
    no task queue's); a function handed to a runner (``anyio.run(serve)``) is called there;
    one a decorator registers is called by its holder too; the ``__main__`` block's service
    loop repeats what it calls, its other loops are one run of a command (over its
    arguments); an import-time loop runs a fixed number of rounds."""
    assert frequencies(ONE_ANSWER) == {
        "setup_logging": (ONCE, ""),
        "attach": (ONCE, ""),
        "init_cache": (MANY, "handles every request"),
        "configure": (MANY, "is called from 'view', which handles every request"),
        "view": (MANY, "handles every request"),
        "serve": (MANY, "is called from 'view', which handles every request"),
        "export": (ONCE, ""),
        "deploy": (ONCE, ""),
        "hook": (UNKNOWN, ""),
        "tail": (ONCE, ""),
        "probe": (ONCE, ""),
        "serve_one": (MANY, "is called in the service loop of the module's '__main__' block"),
        "load": (ONCE, ""),
        "Service.setup": (PER_INSTANCE, "is called from '__init__', which runs for every instance of 'Service'"),
        "Service.__init__": (PER_INSTANCE, "runs for every instance of 'Service'"),
    }


def test_every_function_of_a_migration_runs_once():
    """A migration is applied once, by a command that ends with it, as a script runs."""
    source = (
        "from django.db import migrations\n\n\ndef fill(apps, schema_editor):\n    for row in rows():\n        copy(row)\n\n\n"
        "def copy(row):\n    pass\n\n\ndef rows():\n    return []\n\n\n"
        "class Migration(migrations.Migration):\n    operations = [migrations.RunPython(fill)]\n"
    )
    assert frequencies(source) == {"fill": (ONCE, ""), "copy": (ONCE, ""), "rows": (ONCE, "")}


def test_once_is_the_callers_answer_not_the_function_s_own_marks():
    """:meth:`Runs.once`, which OOM301, OOM303 and the release rules ask: a memoized
    function or a test runs as often as its callers call it; a method called through
    ``self`` by the ``__init__`` of a class made once at import runs once; a loop of a
    fixed number of rounds does not repeat; module-level code and lambdas are not functions."""
    source = (
        "import functools\n\n\n@functools.cache\ndef table():\n    pass\n\n\n@functools.cache\ndef parse(text):\n    pass\n\n\n"
        "def test_parse():\n    pass\n\n\n"
        "def view(request):\n    return parse(request.body)\n\n\n"
        "class Registry:\n    def __init__(self):\n        self._load()\n\n    def _load(self):\n        for name in ('a', 'b'):\n"
        "            register(name)\n\n\ndef register(name):\n    pass\n\n\n"
        "REGISTRY = Registry()\nTABLE = table()\nhandler = lambda: None\n"
    )
    tree = ast.parse(source)
    context = FileContext("once.py", source, tree)
    Walker(context.model, []).run(tree)
    runs = runs_of(context)
    nodes = {node.name: node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assert {name: runs.once(node) for name, node in nodes.items()} == {
        "table": True, "parse": False, "test_parse": False, "view": False, "__init__": True, "_load": True, "register": True,
    }
    assert runs.of(nodes["parse"]).kind == ONCE and runs.of(nodes["test_parse"]).kind == ONCE  # by their own marks
    assert not runs.once(None)
    assert not runs.once(tree.body[-1].value)


def test_what_the_module_s_callers_pass_comes_from_the_same_sites():
    """:meth:`Runs.passes_fixed` reads the calls the module walk found: every call of a
    private function (or ``self._method``, ``self`` left out) passes a value fixed in the
    source, or nothing; a public function, one handed on as a value, or a call that passes
    anything else is not."""
    source = (
        "LIMIT = 10\n\n\ndef _fetch(kind, limit=5):\n    pass\n\n\ndef _parse(text):\n    pass\n\n\n"
        "def _load(name):\n    pass\n\n\ndef fetch(kind):\n    pass\n\n\n"
        "class Client:\n    def _get(self, path):\n        pass\n\n    def run(self):\n        self._get('/health')\n\n\n"
        "def main(text):\n    _fetch('users', limit=LIMIT)\n    _fetch(kind='groups')\n    _parse(text)\n    fetch('users')\n"
        "    _load('a')\n    return [_load]\n"
    )
    tree = ast.parse(source)
    context = FileContext("passes.py", source, tree)
    Walker(context.model, []).run(tree)
    runs = runs_of(context)
    nodes = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    assert runs.passes_fixed(nodes["_fetch"], "kind") and runs.passes_fixed(nodes["_fetch"], "limit")
    assert not runs.passes_fixed(nodes["_parse"], "text")
    assert not runs.passes_fixed(nodes["fetch"], "kind")
    assert not runs.passes_fixed(nodes["_load"], "name")
    assert runs.passes_fixed(nodes["_get"], "path")


def test_a_module_level_read_above_a_def_names_what_the_def_shadows():
    """``dump.DumpMaster`` above ``async def dump():`` reads the imported module ``dump``:
    the function is not handed on as a value, and ``asyncio.run(dump())`` runs it once."""
    source = (
        "import asyncio\n\nfrom tools import dump\n\nMASTERS = [dump.DumpMaster]\n\n\n"
        "async def dump():\n    pass\n\n\nasyncio.run(dump())\n\n\ndef load():\n    pass\n\n\nload()\nLOADERS = [load]\n"
    )
    assert frequencies(source) == {"dump": (ONCE, ""), "load": (UNKNOWN, "")}


def test_argparse_subcommands_and_a_server_s_listening_socket_run_once():
    """``set_defaults(func=...)`` names a subcommand (once per run); a method that binds a
    socket and makes it listen starts a server (once, when it starts), unless it catches
    the bind's failure and goes on; a bind alone starts nothing."""
    source = (
        "import argparse\nimport socket\n\n\n"
        "def export(args):\n    pass\n\n\n"
        "def helper(args):\n    pass\n\n\n"
        "def parse(argv):\n    parser = argparse.ArgumentParser()\n    parser.set_defaults(func=export)\n"
        "    return parser.parse_args(argv)\n\n\n"
        "class Listener:\n"
        "    def listen(self):\n        sock = socket.socket()\n        sock.bind(('', 80))\n        sock.listen(5)\n        return sock\n\n"
        "    def fallback(self):\n        try:\n            sock = socket.socket()\n            sock.bind(('::', 80))\n"
        "        except OSError:\n            sock = socket.socket()\n            sock.bind(('', 80))\n"
        "        sock.listen(5)\n        return sock\n\n"
        "    def port(self):\n        sock = socket.socket()\n        sock.bind(('', 0))\n        return sock\n"
    )
    expected = {
        "export": (ONCE, ""), "helper": (UNKNOWN, ""), "Listener.listen": (ONCE, ""),
        "Listener.fallback": (UNKNOWN, ""), "Listener.port": (UNKNOWN, ""),
    }
    assert {name: kind for name, kind in frequencies(source).items() if name in expected} == expected


def test_a_loop_that_only_sleeps_waits_it_does_not_serve():
    """``while pid_running(pid): time.sleep(0.2)`` in a script's ``__main__`` block ends when
    the process exits: its test is no service's work; ``while True: work()`` is."""
    source = (
        "import time\n\n\n"
        "def pid_running(pid):\n    return False\n\n\n"
        "def report():\n    pass\n\n\n"
        "def work():\n    pass\n\n\n"
        "if __name__ == '__main__':\n"
        "    while pid_running(1):\n        time.sleep(0.2)\n"
        "    report()\n"
        "    while True:\n        work()\n"
    )
    assert frequencies(source) == {
        "pid_running": (ONCE, ""), "report": (ONCE, ""),
        "work": (MANY, "is called in the service loop of the module's '__main__' block"),
    }


def test_the_commands_a_package_declares(tmp_path):
    """pyproject.toml's ``[project.scripts]`` and Poetry's scripts, setup.cfg's and setup.py's
    ``console_scripts``: each names a module, found as a file or a package, at the root or
    under ``src/``; other entry-point groups (a plugin's) declare no command."""
    from oomlint.python.astutil import declared_commands

    (tmp_path / "pyproject.toml").write_text(
        '[project.scripts]\nctl = "app.ctl:main"\n[tool.poetry.scripts]\nsync = "app.jobs.sync:run"\n'
        '[project.entry-points."flake8.extension"]\nX = "app.plugin:Checker"\n'
    )
    (tmp_path / "setup.cfg").write_text("[options.entry_points]\nconsole_scripts =\n    admin = app.admin:main\n")
    (tmp_path / "setup.py").write_text(
        "from setuptools import setup\n"
        "setup(entry_points={'console_scripts': ['serve = app.web:serve'], 'pytest11': ['p = app.fixtures']})\n"
    )
    found = declared_commands(str(tmp_path))
    assert {"app/ctl.py", "app/jobs/sync.py", "app/admin.py", "app/web.py", "src/app/ctl.py", "app/ctl/__init__.py"} <= found
    assert not {"app/plugin.py", "app/fixtures.py"} & found
