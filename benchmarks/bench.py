"""Speed and memory of oomlint, measured side by side in one run over this machine's stdlib
(a copy of it, so that the warm rows can change a file) and over generated manifests.

A benchmark, not a test (DESIGN.md, "Quality bars"): timings depend on the machine and
its load, so everything is printed as a ratio to something measured in the same run,
ratios first, and the script exits 0 whatever it finds. The goals of issue 18 get a
PASS/FAIL line each: cold ``-j 1`` at most 1.3x ``ast.parse``, a warm re-run at most
0.15x, manifests at most 1.0x PyYAML's C composer, the flake8 plugin adding at most 5%
and the pylint plugin 3%.

Run it with the interpreter that has oomlint, flake8 and pylint installed (and ruff, for
its reference row: ``pip install -r benchmarks/requirements.txt``)::

    .venv/bin/python benchmarks/bench.py [--quick] [--stdlib PATH] [--manifests PATH]
"""

from __future__ import annotations

import argparse
import ast
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import yaml

from oomlint.core.config import Config, find_config
from oomlint.engine import check_file
from oomlint.core.files import collect

COLD_BOUND = 1.3
WARM_BOUND = 0.15
MANIFEST_BOUND = 1.0
FLAKE8_BOUND = 0.05
PYLINT_BOUND = 0.03
PYTHON = sys.executable
# The rules of ruff's that look for what oomlint's do (lru_cache on methods, open() outside
# with, Popen/ZipFile... outside with, a mutable default of threading.Lock...): a reference.
RUFF_RULES = "B019,SIM115,PLR1732,PLW1518"
# A module many others import: the warm row that changes one helper edits it.
HELPER = "posixpath.py"

# flake8 has no switch that keeps an installed plugin from loading: --extend-ignore
# only hides its findings, the plugin still runs. Both flake8 sides start through this
# launcher; the "without" side drops oomlint from flake8's plugin discovery, so the two
# differ in the plugin and nothing else.
FLAKE8_LAUNCHER = """
import sys
from flake8.main.cli import main
from flake8.plugins import finder
if sys.argv[1] == "without":
    discover = finder._find_importlib_plugins
    finder._find_importlib_plugins = lambda: (p for p in discover() if p.package != "oomlint")
sys.exit(main(sys.argv[2:]))
"""

# The oomlint plugin takes the heap out of the cycle collector's reach (gc.freeze, once a
# project index is made: the index lives to the end), and with it everything pylint holds
# then, so that pylint's own later collections traverse less: pylint "with" ran 15-26 %
# faster than "without", which said nothing of the plugin's cost. Both pylint sides start
# through this launcher, which freezes the heap as each module is checked, so the two
# collect the same way and differ in the plugin's work alone.
PYLINT_LAUNCHER = """
import gc, sys, types
from pylint import run_pylint
from pylint.checkers import BaseRawFileChecker
class Settle(BaseRawFileChecker):  # pylint runs a checker only if one of its messages is enabled
    name, msgs = "bench-settle", {"W9901": ("never", "bench-settle", "Never reported.")}
    def process_module(self, node):
        gc.freeze()
settle = types.ModuleType("bench_settle")
settle.register = lambda linter: linter.register_checker(Settle(linter))
sys.modules["bench_settle"] = settle
plugins = "bench_settle,oomlint" if sys.argv[1] == "with" else "bench_settle"
sys.argv = ["pylint", *sys.argv[2:], f"--load-plugins={plugins}"]
run_pylint()
"""

# Checks the paths read from stdin in one process and prints its own peak RSS (KiB).
# Its own, not RUSAGE_CHILDREN in the parent: that one keeps the largest child so far.
MEMORY_PROBE = """
import resource, sys
from oomlint.core.config import Config
from oomlint.engine import check_file
rules = Config().enabled
for path in sys.stdin.read().splitlines():
    check_file(path, rules)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> int:
    options = _arguments()
    repeats, flake8_step, pylint_files, memory_files = (2, 16, 12, 50) if options.quick else (3, 4, 40, 100)
    _check_flake8_launcher()
    load_at_start = os.getloadavg()[0]  # other work on the machine is the main source of noise
    with tempfile.TemporaryDirectory(prefix="oomlint-bench-") as scratch:
        _keep_bytecode(Path(scratch) / "pycache")
        tree = Path(scratch) / "stdlib"
        shutil.copytree(options.stdlib, tree, ignore=shutil.ignore_patterns("site-packages", "__pycache__"))
        files = [target.path for target in collect([str(tree)], find_config)]
        manifests = _manifest_files(options.manifests, Path(scratch) / "manifests")
        flake8_subset = files[::flake8_step]
        pylint_subset = _spread(files, pylint_files)

        times = _fastest(_engine_runs(files, tree, Path(scratch) / "cache"), repeats, "parse, engine, CLI cold and warm")
        times |= _fastest(_ruff_runs(tree), repeats, "ruff")
        times |= _fastest(_manifest_runs(manifests), repeats, "manifests")
        times |= _fastest(_startup_runs(files[0]), repeats * 3, "start-up")
        flake8_runs, pylint_runs = _flake8_runs(flake8_subset), _pylint_runs(pylint_subset)
        times["flake8 first"] = _first(flake8_runs["flake8 with"], "flake8")
        times |= _fastest(flake8_runs, repeats, "flake8")
        times["pylint first"] = _first(pylint_runs["pylint with"], "pylint")
        times |= _fastest(pylint_runs, repeats, "pylint")
        _progress("memory")
        memory = {count: _peak_rss_kib(_largest_first(files, count)) for count in (memory_files, 10 * memory_files)}
        size_mb = sum(os.path.getsize(path) for path in files) / 1e6
        manifest_mb = sum(os.path.getsize(path) for path in manifests) / 1e6

    print(f"oomlint benchmark: {options.stdlib} ({len(files)} files, {size_mb:.1f} MB), "
          f"{len(manifests)} manifests ({manifest_mb:.1f} MB, {options.manifests or 'generated'}), "
          f"{os.cpu_count()} cores, best of {repeats}, load average {load_at_start:.2f} at start\n")
    _report(times, memory, len(flake8_subset), flake8_step, len(pylint_subset))
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller flake8/pylint/memory sets")
    parser.add_argument("--stdlib", default=sysconfig.get_paths()["stdlib"], help="the tree to check (default: this interpreter's stdlib)")
    parser.add_argument("--manifests", help="a folder of real Kubernetes manifests (default: a generated corpus)")
    options = parser.parse_args()
    if not os.path.isdir(options.stdlib):
        parser.error(f"not a directory: {options.stdlib}")
    return options


def _keep_bytecode(folder: Path) -> None:
    """Every command measured starts as users' do: from bytecode compiled once (pip
    compiles an installed wheel; an editable install writes it on first import), not
    compiled from source on each run, which a ``PYTHONDONTWRITEBYTECODE`` in this
    environment would make every start-up pay. The bytecode goes to a folder of the
    scratch space, so no checkout or site-packages is written to; the first runs fill it,
    and the best of the rounds leaves their compiling out."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


# ----------------------------------------------------------------------- runs


def _engine_runs(files: list[str], root: Path, cache: Path) -> dict[str, Callable[[], None]]:
    """The baseline and what the bounds compare to it: the engine, the CLI cold (no cache)
    as users run it, and warm: nothing changed since the last run, or one helper module."""
    rules = Config().enabled
    cli = [PYTHON, "-m", "oomlint", "check", str(root), "--exit-zero", "-q"]
    warm = [*cli, "-j", "1", "--cache-dir", str(cache)]
    _run(warm)  # fills the cache
    helper = root / HELPER
    original = helper.read_bytes()
    edits = iter(range(1, 1_000_000))

    def touched() -> None:
        helper.write_bytes(original + f"# edit {next(edits)}\n".encode())
        _run(warm)

    return {
        "parse": lambda: _parse_all(files),
        "engine": lambda: [check_file(path, rules) for path in files],
        "cli -j 1": lambda: _run([*cli, "-j", "1", "--no-cache"]),
        "cli": lambda: _run([*cli, "--no-cache"]),
        "cli warm": lambda: _run(warm),
        "cli warm, helper changed": touched,
    }


def _ruff_runs(root: Path) -> dict[str, Callable[[], None]]:
    """ruff on its comparable rules (PLR1732 is in preview), one thread, no cache: a reference."""
    ruff = shutil.which("ruff", path=os.path.dirname(PYTHON)) or shutil.which("ruff")
    if ruff is None:
        _progress("ruff not installed: pip install -r benchmarks/requirements.txt for its row")
        return {}
    command = [ruff, "check", "--isolated", "--no-cache", "--preview", "--select", RUFF_RULES, "--exit-zero", "--quiet", str(root)]
    return {"ruff": lambda: _run(command, env={**os.environ, "RAYON_NUM_THREADS": "1"})}


def _startup_runs(one_file: str) -> dict[str, Callable[[], None]]:
    """What every pre-commit call pays before checking: the interpreter, then oomlint."""
    return {
        "python": lambda: _run([PYTHON, "-c", "pass"]),
        "oomlint --version": lambda: _run([PYTHON, "-m", "oomlint", "--version"]),
        "oomlint one file": lambda: _run([PYTHON, "-m", "oomlint", "check", "--no-cache", "--exit-zero", one_file]),
    }


# ------------------------------------------------------------------ manifests

# One of each kind a cluster's manifests hold; a CRD's schema makes it the largest.
_CRD_PROPERTY = "              field{n}:\n                type: string\n                description: The {n}th setting of the resource, as its controller reads it.\n"
_GENERATED_KINDS = {
    "daemonset": (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent-{n}\n  namespace: logging\nspec:\n"
        "  selector:\n    matchLabels: {{app: agent-{n}}}\n  template:\n    metadata:\n      labels: {{app: agent-{n}}}\n"
        "    spec:\n      containers:\n      - name: agent\n        image: fluent/fluentd:v1.16\n"
        "        resources:\n          requests: {{memory: 200Mi}}\n"
    ),
    "deployment": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-{n}\nspec:\n  replicas: 3\n"
        "  selector:\n    matchLabels: {{app: api-{n}}}\n  template:\n    metadata:\n      labels: {{app: api-{n}}}\n"
        "    spec:\n      containers:\n      - name: api\n        image: api:1.0\n"
        "        resources:\n          requests: {{memory: 256Mi}}\n          limits: {{memory: 256Mi}}\n"
    ),
    "configmap": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{n}\ndata:\n" + "".join(f"  key{k}: value {k}\n" for k in range(20)),
    "service": "apiVersion: v1\nkind: Service\nmetadata:\n  name: api-{n}\nspec:\n  selector: {{app: api-{n}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n",
    "role": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader-{n}\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get, list, watch]\n",
    "crd": (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets{n}.example.com\n"
        "spec:\n  group: example.com\n  names: {{kind: Widget{n}, plural: widgets{n}}}\n  scope: Namespaced\n  versions:\n"
        "  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n"
        "        properties:\n          spec:\n            type: object\n            properties:\n"
        + "".join(_CRD_PROPERTY.replace("{n}th", f"{k}th").replace("field{n}", f"field{k}") for k in range(60))
    ),
}


def _manifest_files(given: str | None, folder: Path) -> list[str]:
    """Real manifests under ``given``, or 400 generated files of 10 documents, every kind of
    :data:`_GENERATED_KINDS` in turn (so CRDs hold most of the bytes, as in real clusters)."""
    if given:
        return [target.path for target in collect([given], find_config) if target.path.endswith((".yaml", ".yml", ".json"))]
    folder.mkdir()
    kinds = list(_GENERATED_KINDS.values())
    paths = []
    for index in range(400):
        documents = [kinds[(index * 10 + k) % len(kinds)].format(n=index * 10 + k) for k in range(10)]
        path = folder / f"manifest{index:03}.yaml"
        path.write_text("---\n".join(documents), encoding="utf-8")
        paths.append(str(path))
    return paths


def _manifest_runs(files: list[str]) -> dict[str, Callable[[], None]]:
    """oomlint's check of each manifest against PyYAML's C composer composing every document."""
    rules = Config().enabled
    return {
        "compose": lambda: _compose_all(files),
        "manifests engine": lambda: [check_file(path, rules) for path in files],
    }


def _compose_all(files: list[str]) -> None:
    for path in files:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        try:
            list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            pass


def _parse_all(files: list[str]) -> None:
    """Read and parse every file: the least any AST linter must do, hence the 1.00x."""
    for path in files:
        with open(path, "rb") as stream:
            data = stream.read()
        try:
            ast.parse(data, path)
        except (SyntaxError, ValueError):  # the stdlib's deliberately broken test files
            pass


def _flake8_runs(files: list[str]) -> dict[str, Callable[[], None]]:
    command = ["--isolated", "-j", "1", "--exit-zero", *files]
    return {
        f"flake8 {side}": lambda side=side: _run([PYTHON, "-c", FLAKE8_LAUNCHER, side, *command])
        for side in ("without", "with")
    }


def _check_flake8_launcher() -> None:
    """Refuse to measure if the launcher does not load/drop the plugin as it should:
    a silent no-op would report a 0% overhead."""
    for side, expected in (("with", True), ("without", False)):
        version = _run([PYTHON, "-c", FLAKE8_LAUNCHER, side, "--version"])
        if ("oomlint:" in version) != expected:
            raise SystemExit(f"flake8 launcher '{side}' does not control the plugin: {version.strip()}")


def _pylint_runs(files: list[str]) -> dict[str, Callable[[], None]]:
    command = [f"--rcfile={os.devnull}", "--jobs=1", "--persistent=n", "--exit-zero", *files]
    return {
        f"pylint {side}": lambda side=side: _run([PYTHON, "-c", PYLINT_LAUNCHER, side, *command])
        for side in ("without", "with")
    }


def _spread(files: list[str], count: int) -> list[str]:
    """``count`` files evenly spaced through the sorted list: deterministic, and not all from one package."""
    step = max(1, len(files) // count)
    return files[::step][:count]


def _run(command: list[str], stdin: str | None = None, env: dict | None = None) -> str:
    """Run a command, returning its stdout; a failing tool stops the benchmark, since
    the time of a run that did not do its work means nothing."""
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return result.stdout


class Timing(NamedTuple):
    wall: float
    cpu: float
    """User + system time of this process and of the children it waited for. Unlike wall
    time it does not grow when other work takes the core, so it is the steadier measure
    of cost on a busy machine; wall time is what users wait for, and what bounds judge."""


def _fastest(runs: dict[str, Callable[[], None]], repeats: int, label: str) -> dict[str, Timing]:
    """Best times of each run over ``repeats`` rounds. The runs are interleaved and the
    order flips every round, so drift (other load, caches, clock) favours no side; the
    minimum is the run least disturbed by noise."""
    best = {name: Timing(math.inf, math.inf) for name in runs}
    for round_number in range(repeats):
        _progress(f"{label}, round {round_number + 1}/{repeats}")
        names = list(runs) if round_number % 2 == 0 else list(reversed(runs))
        for name in names:
            wall, cpu = time.perf_counter(), _cpu_seconds()
            runs[name]()
            wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
            best[name] = Timing(min(best[name].wall, wall), min(best[name].cpu, cpu))
            ROUNDS.setdefault(name, []).append(Timing(wall, cpu))
    return best


ROUNDS: dict[str, list[Timing]] = {}
"""Every round's time of each run, in order: round ``i`` of two runs ran back to back."""


def _paired(name: str, to: str) -> Timing:
    """The median over the rounds of ``name``'s time over ``to``'s in the same round. For
    the plugin rows: the best of each side alone pairs the luckiest run of one with the
    luckiest of the other, and with runs 5-10 % apart and 2-3 rounds that difference is as
    large as the plugin's cost (pylint "with" once measured 5.9 % faster than without, its
    collector time and full collections the same on both sides)."""
    pairs = list(zip(ROUNDS[name], ROUNDS[to]))
    return Timing(
        statistics.median(mine.wall / theirs.wall for mine, theirs in pairs),
        statistics.median(mine.cpu / theirs.cpu for mine, theirs in pairs),
    )


def _first(run: Callable[[], None], label: str) -> Timing:
    """The plugin's first run over the fresh tree, timed once before the rounds. It makes
    and caches the project indexes (in each folder's ``.oomlint_cache``: the tree has no
    project marker), as a user's first run does; every later run reads them. Left inside
    the rounds, it would be one of the "with" side's samples only: the best of the rounds
    would then compare one run of that side with two (three) of the other, a bias of
    several percent on this machine, where one run differs from the next by 5-10%."""
    _progress(f"{label}, first run with the plugin")
    wall, cpu = time.perf_counter(), _cpu_seconds()
    run()
    return Timing(time.perf_counter() - wall, _cpu_seconds() - cpu)


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# ---------------------------------------------------------------------- memory


def _largest_first(files: list[str], count: int) -> list[str]:
    """``count`` files, the largest first (cycling if there are fewer). The single-file
    peak is reached within the first N, so a 10N run that peaks higher is retaining
    something from file to file."""
    ordered = sorted(files, key=os.path.getsize, reverse=True)
    return [ordered[index % len(ordered)] for index in range(count)]


def _peak_rss_kib(files: list[str]) -> int:
    return int(_run([PYTHON, "-c", MEMORY_PROBE], stdin="\n".join(files)))


# ---------------------------------------------------------------------- report


def _report(times: dict[str, Timing], memory: dict[int, int], flake8_count: int, flake8_step: int, pylint_count: int) -> None:
    jobs = os.cpu_count()

    def ratio(name: str, to: str = "parse") -> Timing:
        return Timing(times[name].wall / times[to].wall, times[name].cpu / times[to].cpu)

    cold, warm, manifests = ratio("cli -j 1"), ratio("cli warm"), ratio("manifests engine", "compose")
    flake8, pylint = _paired("flake8 with", "flake8 without"), _paired("pylint with", "pylint without")
    small, large = sorted(memory)
    ruff = [("ruff, comparable rules, 1 thread, no cache (reference)", *_times(ratio("ruff"), "{:.2f}x"))] if "ruff" in times else []
    _table("Ratios", [
        ("read + ast.parse, 1 process (baseline)", "1.00x", "1.00x"),
        ("engine in-process, check_file, 1 process", *_times(ratio("engine"), "{:.2f}x")),
        ("oomlint CLI -j 1, cold (--no-cache)", *_times(cold, "{:.2f}x")),
        (f"oomlint CLI default -j ({jobs}), cold", *_times(ratio("cli"), "{:.2f}x")),
        ("oomlint CLI -j 1, warm: nothing changed", *_times(warm, "{:.2f}x")),
        (f"oomlint CLI -j 1, warm: {HELPER} changed (*)", *_times(ratio("cli warm, helper changed"), "{:.2f}x")),
        *ruff,
        ("manifests: engine / PyYAML CSafeLoader composing them", *_times(manifests, "{:.2f}x")),
        ("start-up: oomlint --version / python -c pass", *_times(ratio("oomlint --version", "python"), "{:.2f}x")),
        ("start-up: oomlint on one file / python -c pass", *_times(ratio("oomlint one file", "python"), "{:.2f}x")),
        (f"flake8 time added by the plugin ({flake8_count} files, median of rounds)", *_added(flake8)),
        (f"pylint time added by the plugin ({pylint_count} files, median of rounds)", *_added(pylint)),
        ("flake8 first run with the plugin (makes the indexes)", *_added(ratio("flake8 first", "flake8 without"))),
        ("pylint first run with the plugin (makes the indexes)", *_added(ratio("pylint first", "pylint without"))),
        (f"engine peak RSS, {large} files / {small} files", f"{memory[large] / memory[small]:.2f}x", ""),
    ])
    print(f"(*) until the project index exists, a file's dependency key is empty: only {HELPER} itself is")
    print("    checked again, not the modules that import it.\n")
    print(_verdict(f"cold CLI -j 1 costs <= {COLD_BOUND}x ast.parse", cold.wall <= COLD_BOUND, f"{cold.wall:.2f}x"))
    print(_verdict(f"warm CLI -j 1 costs <= {WARM_BOUND}x ast.parse", warm.wall <= WARM_BOUND, f"{warm.wall:.2f}x"))
    print(_verdict(f"manifests cost <= {MANIFEST_BOUND}x composing them", manifests.wall <= MANIFEST_BOUND, f"{manifests.wall:.2f}x"))
    print(_verdict(f"flake8 plugin adds <= {FLAKE8_BOUND:.0%}", flake8.wall - 1 <= FLAKE8_BOUND, f"{flake8.wall - 1:+.1%}"))
    print(_verdict(f"pylint plugin adds <= {PYLINT_BOUND:.0%}", pylint.wall - 1 <= PYLINT_BOUND, f"{pylint.wall - 1:+.1%}"))
    print()
    _table("Absolute (best of the rounds)", [
        ("read + ast.parse", *_times(times["parse"], "{:.2f} s")),
        ("engine in-process", *_times(times["engine"], "{:.2f} s")),
        ("oomlint CLI -j 1, cold", *_times(times["cli -j 1"], "{:.2f} s")),
        (f"oomlint CLI -j {jobs}, cold", *_times(times["cli"], "{:.2f} s")),
        ("oomlint CLI -j 1, warm", *_times(times["cli warm"], "{:.2f} s")),
        (f"oomlint CLI -j 1, warm, {HELPER} changed", *_times(times["cli warm, helper changed"], "{:.2f} s")),
        *([("ruff (reference)", *_times(times["ruff"], "{:.2f} s"))] if "ruff" in times else []),
        ("PyYAML CSafeLoader composing the manifests", *_times(times["compose"], "{:.2f} s")),
        ("engine over the manifests", *_times(times["manifests engine"], "{:.2f} s")),
        ("python -c pass", *_times(times["python"], "{:.3f} s")),
        ("oomlint --version", *_times(times["oomlint --version"], "{:.3f} s")),
        ("oomlint on one file", *_times(times["oomlint one file"], "{:.3f} s")),
        (f"flake8 -j 1 without plugin (every {flake8_step}th file)", *_times(times["flake8 without"], "{:.2f} s")),
        ("flake8 -j 1 with plugin", *_times(times["flake8 with"], "{:.2f} s")),
        ("flake8 -j 1 with plugin, first run", *_times(times["flake8 first"], "{:.2f} s")),
        ("pylint --jobs=1 without plugin", *_times(times["pylint without"], "{:.2f} s")),
        ("pylint --jobs=1 with plugin", *_times(times["pylint with"], "{:.2f} s")),
        ("pylint --jobs=1 with plugin, first run", *_times(times["pylint first"], "{:.2f} s")),
        (f"engine peak RSS, {small} files", f"{memory[small] / 1024:.1f} MiB", ""),
        (f"engine peak RSS, {large} files", f"{memory[large] / 1024:.1f} MiB", ""),
    ])


def _times(timing: Timing, form: str) -> tuple[str, str]:
    return form.format(timing.wall), form.format(timing.cpu)


def _added(ratio: Timing) -> tuple[str, str]:
    return f"{ratio.wall - 1:+.1%}", f"{ratio.cpu - 1:+.1%}"


def _table(title: str, rows: list[tuple[str, str, str]]) -> None:
    width = max(len(label) for label, _, _ in rows)
    print(f"{title:<{width + 2}}  {'wall':>10}  {'CPU':>10}")
    for label, wall, cpu in rows:
        print(f"  {label:<{width}}  {wall:>10}  {cpu:>10}".rstrip())
    print()


def _verdict(bound: str, passed: bool, measured: str) -> str:
    return f"{'PASS' if passed else 'FAIL'}  {bound} (measured {measured})"


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
