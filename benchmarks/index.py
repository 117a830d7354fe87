"""The project index on a large project: how many files it summarizes, its size on disk,
and its cost next to parsing the same files, measured side by side in one run.

A benchmark, not a test: it prints ratios first (to ``ast.parse`` of every file of the
project, in one process), then absolute figures, and exits 0 whatever it finds::

    .venv/bin/python benchmarks/index.py PROJECT   # a folder; a pyproject.toml is added to a copy

Each measurement runs in a fresh process, so the index is made from nothing (cold, no
cache), then again from its cache folder (warm); peak memory is the process's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import ast, json, resource, sys, time
from pathlib import Path
from oomlint.core.cache import Cache
from oomlint.core.config import Config
from oomlint.core.rule import followed
from oomlint.core.source import decode_source, read_file
from oomlint.python.project import build_index, project_files

root, mode, cache = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
files = project_files(root)
start_wall, start_cpu = time.perf_counter(), time.process_time()
if mode == "parse":
    for path in files:
        try:
            ast.parse(decode_source(read_file(path, 1 << 24)))
        except Exception:
            pass
    summarized = len(files)
else:
    follows = followed(item for item in Config().enabled if item[0].language == "python")
    index = build_index(root, follows, Cache(Path(cache) if cache else None), files)
    summarized = len(index.modules)
wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"files": len(files), "summarized": summarized, "wall": wall, "cpu": cpu, "peak_kib": peak}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", help="a folder of Python code (copied; the copy gets a pyproject.toml)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oomlint-index-") as scratch:
        root = Path(scratch) / "project"
        shutil.copytree(options.project, root, ignore=shutil.ignore_patterns(".git", ".oomlint_cache", "__pycache__"))
        (root / "pyproject.toml").write_text("[project]\nname = 'benchmark'\n", encoding="utf-8")
        cache = Path(scratch) / "cache"
        parse = _probe(root, "parse", "")
        cold = _probe(root, "index", str(cache))
        warm = _probe(root, "index", str(cache))
        size = sum(path.stat().st_size for path in cache.rglob("*") if path.is_file() and "summaries" in path.parts)
        entries = sum(1 for path in cache.rglob("*") if path.is_file() and "summaries" in path.parts)
    print(f"project index on {options.project}: {parse['files']} Python files, "
          f"{cold['summarized']} summarized ({cold['summarized'] / max(parse['files'], 1):.0%}), "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}\n")
    rows = [
        ("read + ast.parse of every file (baseline)", "1.00x", "1.00x"),
        ("index made cold (no cache)", f"{cold['wall'] / parse['wall']:.2f}x", f"{cold['cpu'] / parse['cpu']:.2f}x"),
        ("index read from its cache (warm)", f"{warm['wall'] / parse['wall']:.2f}x", f"{warm['cpu'] / parse['cpu']:.2f}x"),
    ]
    _table("Ratios (wall, CPU)", rows)
    _table("Absolute", [
        ("read + ast.parse", f"{parse['wall']:.2f} s", f"{parse['cpu']:.2f} s"),
        ("index cold", f"{cold['wall']:.2f} s", f"{cold['cpu']:.2f} s"),
        ("index warm", f"{warm['wall']:.2f} s", f"{warm['cpu']:.2f} s"),
        ("peak RSS: parse / index cold / index warm",
         f"{parse['peak_kib'] / 1024:.0f} / {cold['peak_kib'] / 1024:.0f} / {warm['peak_kib'] / 1024:.0f} MiB", ""),
        ("index on disk (summaries)", f"{size / 1e6:.2f} MB in {entries} entries", ""),
    ])
    return 0


def _probe(root: Path, mode: str, cache: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(root), mode, cache], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _table(title: str, rows: list[tuple[str, str, str]]) -> None:
    width = max(len(row[0]) for row in rows)
    print(title)
    for label, first, second in rows:
        print(f"  {label:<{width}}  {first:>24}  {second:>10}")
    print()


if __name__ == "__main__":
    raise SystemExit(main())
