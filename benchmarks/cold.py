"""Cold CLI runs of several oomlint installations over one tree, side by side: what a change
(the project index, for issue 14's bound) costs next to the version before it.

A benchmark, not a test: it prints each side's CPU and wall time as a ratio to the first
one, then the absolute figures, and exits 0 whatever it finds::

    .venv/bin/python benchmarks/cold.py TREE NAME=OOMLINT [NAME=OOMLINT...] [--rounds 2]

Each ``OOMLINT`` is an ``oomlint`` executable (each installation in its own virtualenv),
run as ``oomlint check TREE -j 1 --exit-zero -q`` (with ``--no-cache`` where it knows the
option): every round runs every side once, in turn, and each side's best round is kept.
CPU is user + system time of the run; on a shared machine it is the figure to read.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import time


def run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command(executable: str, tree: str) -> list[str]:
    """The cold run; ``--no-cache`` only for an installation that has a results cache."""
    helped = subprocess.run([executable, "check", "--help"], capture_output=True, text=True, check=False).stdout
    no_cache = ["--no-cache"] if "--no-cache" in helped else []
    return [executable, "check", tree, "-j", "1", "--exit-zero", "-q", *no_cache]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree")
    parser.add_argument("sides", nargs="+", metavar="NAME=OOMLINT")
    parser.add_argument("--rounds", type=int, default=2)
    arguments = parser.parse_args()
    sides = dict(side.split("=", 1) for side in arguments.sides)
    commands = {name: command(executable, arguments.tree) for name, executable in sides.items()}
    best: dict[str, tuple[float, float]] = {}
    for _ in range(arguments.rounds):
        for name, line in commands.items():
            wall, cpu = run(line)
            previous = best.get(name, (wall, cpu))
            best[name] = (min(wall, previous[0]), min(cpu, previous[1]))
    first_wall, first_cpu = next(iter(best.values()))
    print(f"{arguments.tree}, best of {arguments.rounds}, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'side':<12} {'CPU':>7} {'wall':>7} {'CPU s':>8} {'wall s':>8}")
    for name, (wall, cpu) in best.items():
        print(f"{name:<12} {cpu / first_cpu:>6.2f}x {wall / first_wall:>6.2f}x {cpu:>8.2f} {wall:>8.2f}")


if __name__ == "__main__":
    main()
