"""What checking a Helm chart costs, against rendering it alone, side by side in one run.

A benchmark, not a test: it prints ratios first, then absolute times, and exits 0
whatever it measures. The bound the project promises gets a PASS/FAIL line: the whole
``oomlint CHART`` process, Python's start-up and oomlint's imports included, takes at
most 1.5x the wall time of rendering the same chart alone, for each renderer. The
command starts the renders before it imports the checker
(:mod:`oomlint.kubernetes.prerender`), so that they overlap. The CPU time of each side
(children included) and oomlint's start-up (``oomlint`` on an empty file) are printed
too: on a busy machine the overlap buys nothing, and the CPU ratio is what is left. Every
process may write and use bytecode, as an installed oomlint does
(``PYTHONDONTWRITEBYTECODE`` is dropped: with it, each start compiles oomlint from
source, which no user pays). Renderers:

- helm: ``helm template`` once per values file oomlint renders with (the defaults, then
  each ``ci/*-values.yaml``), one after the other, as a CI script would, against
  ``oomlint -j 1 CHART`` with that helm on PATH;
- helm-python-sdk: one Python process that loads the chart and renders every values
  set with the SDK, against ``oomlint -j 1 CHART`` with no helm on PATH.

Run it with the interpreter that has oomlint and helm-python-sdk installed::

    .venv/bin/python benchmarks/charts.py [--helm PATH] [CHART ...]

Without charts it measures the test fixtures' ``agent`` chart (three values sets).
"""

from __future__ import annotations

import argparse
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BOUND = 1.5
ROUNDS = 5
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHARTS = [ROOT / "tests" / "fixtures" / "kubernetes" / "charts" / "agent"]
HELM_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "oomlint-tests" / "helm-3.17.1" / "helm"
OOMLINT = [sys.executable, "-m", "oomlint", "check", "-j", "1"]

# Rendering alone with the SDK: load the chart once, render each values set.
SDK_RENDER = """
import sys, helm_python as helm
from oomlint.kubernetes.helm_sdk import RELEASE, merge_values
chart_path, *files = sys.argv[1:]
with helm.Chart.load(chart_path) as chart:
    for path in [None, *files]:
        values = {} if path is None else merge_values({}, helm.values_from_yaml(open(path).read()) or {})
        chart.render(values, **RELEASE)
"""


def value_files(chart: Path) -> list[str]:
    return sorted(glob.glob(str(chart / "ci" / "*-values.yaml")))


def environment(helm: Path | None) -> dict[str, str]:
    """PATH with ``helm``'s folder, or with no helm at all (the SDK renders); bytecode allowed."""
    folders = [d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d) / "helm").exists()]
    inherited = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**inherited, "PATH": os.pathsep.join(([str(helm.parent)] if helm else []) + folders)}


def timed(commands: list[list[str]], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user and system, of the children) of running ``commands``."""
    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    for command in commands:
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, cpu() - start_cpu


def measure(chart: Path, helm: Path | None, empty: Path) -> dict[str, list[tuple[float, float]]]:
    """Best wall and CPU times of rendering alone, oomlint, and oomlint's start-up, per
    renderer; runs interleaved, their order flipped from one round to the next."""
    files = value_files(chart)
    sides = {"sdk": ([[sys.executable, "-c", SDK_RENDER, str(chart), *files]], environment(None))}
    if helm is not None:
        renders = [[str(helm), "template", "release-name", str(chart), "--namespace", "default", *(["--values", f] if f else [])] for f in ["", *files]]
        sides["helm"] = (renders, environment(helm))
    best: dict[str, list[tuple[float, float]]] = {name: [(float("inf"), float("inf"))] * 3 for name in sides}
    for round_number in range(ROUNDS):
        for name, (alone, env) in sides.items():
            runs = (alone, [[*OOMLINT, str(chart)]], [[*OOMLINT, str(empty)]])
            for side in (range(3) if round_number % 2 == 0 else reversed(range(3))):
                wall, cpu = timed(runs[side], env)
                best[name][side] = (min(best[name][side][0], wall), min(best[name][side][1], cpu))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("charts", nargs="*", type=Path, default=DEFAULT_CHARTS)
    parser.add_argument("--helm", type=Path, help="the helm command (default: PATH, then the tests' pinned one)")
    arguments = parser.parse_args()
    found = shutil.which("helm")
    helm = arguments.helm or (Path(found) if found else HELM_CACHE if HELM_CACHE.exists() else None)
    print(f"load average at start: {os.getloadavg()[0]:.2f}; best of {ROUNDS} rounds; helm: {helm or 'none'}")
    work = Path(tempfile.mkdtemp())
    empty = work / "empty.yaml"
    empty.write_text("")
    # Each chart is measured from a copy: the fixtures' chart lies in the test folder, which
    # oomlint leaves alone by default (it would render nothing there).
    copies = {chart: Path(shutil.copytree(chart, work / "charts" / chart.name)) for chart in arguments.charts}
    results = {chart: measure(copies[chart], helm, empty) for chart in arguments.charts}
    print("\nratio to rendering alone: oomlint's whole process (wall), and its CPU time")
    worst = 0.0
    for chart, sides in results.items():
        for name, ((alone, alone_cpu), (checked, checked_cpu), _) in sides.items():
            worst = max(worst, checked / alone)
            print(f"  {checked / alone:5.2f}x  {checked_cpu / alone_cpu:5.2f}x  {name:<4}  {chart.name} ({len(value_files(chart)) + 1} values sets)")
    print(f"\n{'PASS' if worst <= BOUND else 'FAIL'}: worst {worst:.2f}x (wall, whole process), bound {BOUND}x")
    print("\nabsolute times (s), wall / CPU: rendering alone, oomlint, oomlint start-up")
    for chart, sides in results.items():
        for name, times in sides.items():
            print(f"  {name:<4}  " + "  ".join(f"{wall:6.3f} / {cpu:6.3f}" for wall, cpu in times) + f"  {chart.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
