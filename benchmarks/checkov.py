"""oomlint's Kubernetes check against Checkov's ``CKV_K8S_13``, on the same manifests.

Generates 5,000 DaemonSets in 500 files (10 documents each), runs ``oomlint`` (OOM501,
OOM502) and ``checkov --check CKV_K8S_13`` ("Memory limits should be set") over them,
prints the speed ratio first, then both tools' verdicts compared object by object.
A benchmark, not a test: it exits 0 whatever it measures; the promised bound (at least
20x faster than Checkov, wall time) gets a PASS/FAIL line.

Checkov is installed into its own virtualenv (``--checkov-venv``, default
/tmp/checkov-venv) on first use, and reused after. Run it with the interpreter that
has oomlint::

    .venv/bin/python benchmarks/checkov.py [--rounds N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

BOUND = 20.0
FILES, PER_FILE = 500, 10
LIMITED = "          resources:\n            requests:\n              memory: 256Mi\n            limits:\n              memory: 256Mi\n"
REQUESTS_ONLY = "          resources:\n            requests:\n              memory: 256Mi\n"
MALFORMED = "          resources:\n            limits:\n              memory: 600MB\n"
POD_LIMIT = "      resources:\n        limits:\n          memory: 1Gi\n"


class Scenario(NamedTuple):
    name: str
    share: int
    """Out of every 20 DaemonSets."""
    pod: str
    init: str
    main: str
    """The resources of the pod, of its init container and of its main container."""
    verdict: str
    """What OOM501 should say."""
    why: str


SCENARIOS = [
    Scenario("limit-set", 10, "", LIMITED, LIMITED, "pass", "requests.memory = limits.memory"),
    Scenario("requests-only", 4, "", LIMITED, REQUESTS_ONLY, "fail", "the incident: requests.memory and no limit"),
    Scenario("no-resources", 2, "", "", "", "fail", "no resources at all"),
    Scenario("init-container-without-limit", 1, "", "", LIMITED, "fail", "the init container has no limit"),
    Scenario("pod-level-limit", 1, POD_LIMIT, "", "", "pass", "pod-level resources.limits.memory covers every container"),
    Scenario("limitrange-default", 1, "", "", "", "pass", "a LimitRange default covers the namespace (declared in file 0)"),
    Scenario("malformed-limit", 1, "", LIMITED, MALFORMED, "pass", "limits.memory: 600MB is set, but is no quantity: OOM502"),
]
SCENARIO_OF = [scenario for scenario in SCENARIOS for _ in range(scenario.share)]
OOMLINT_OBJECT = re.compile(r"^DaemonSet (?P<namespace>[^/\s]+)/(?P<name>\S+): ")

DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {name}
  namespace: {namespace}
  labels:
    app.kubernetes.io/name: {name}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      serviceAccountName: node-agent
      tolerations:
        - operator: Exists
{pod}      initContainers:
        - name: setup
          image: registry.example/setup:1.0
{init}      containers:
        - name: agent
          image: registry.example/agent:2.4
          env:
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
{main}          volumeMounts:
            - name: varlog
              mountPath: /var/log
      volumes:
        - name: varlog
          hostPath:
            path: /var/log
"""
LIMIT_RANGE = """\
apiVersion: v1
kind: LimitRange
metadata:
  name: container-defaults
  namespace: defaults
spec:
  limits:
    - type: Container
      default:
        memory: 512Mi
"""


def main() -> int:
    options = _arguments()
    checkov = _ensure_checkov(Path(options.checkov_venv))
    with tempfile.TemporaryDirectory(prefix="oomlint-checkov-") as scratch:
        corpus = Path(options.keep or scratch)
        scenarios = _generate(corpus)
        oomlint = [sys.executable, "-m", "oomlint", "check", "--select", "OOM501,OOM502", "--format", "json", "--exit-zero"]
        runs = {
            "oomlint": [*oomlint, str(corpus)],
            "oomlint -j 1": [*oomlint, "-j", "1", str(corpus)],
            "checkov": [str(checkov), "-d", str(corpus), "--framework", "kubernetes", "--check", "CKV_K8S_13",
                        "-o", "json", "--compact", "--soft-fail", "--skip-download"],
        }
        times, outputs = _fastest(runs, options.rounds)
    _report(times, outputs, scenarios, options.rounds)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each time is the best of them (default 3)")
    parser.add_argument("--checkov-venv", default="/tmp/checkov-venv", help="virtualenv holding Checkov; created if missing")
    parser.add_argument("--keep", metavar="DIR", help="generate the manifests into DIR and keep them")
    return parser.parse_args()


def _ensure_checkov(venv: Path) -> Path:
    checkov = venv / "bin" / "checkov"
    if not checkov.exists():
        _progress(f"installing Checkov into {venv} (once; it is large)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "checkov"], check=True)
    return checkov


# ---------------------------------------------------------------------- corpus


def _generate(root: Path) -> dict[tuple[str, str], Scenario]:
    """Write the corpus; return each DaemonSet's scenario by (namespace, name). File 0
    also holds the LimitRange; the last file also holds one malformed document."""
    root.mkdir(parents=True, exist_ok=True)
    scenarios = {}
    for file_index in range(FILES):
        documents = [LIMIT_RANGE] if file_index == 0 else []
        for slot in range(PER_FILE):
            index = file_index * PER_FILE + slot
            scenario = SCENARIO_OF[index % len(SCENARIO_OF)]
            namespace = "defaults" if scenario.name == "limitrange-default" else f"team-{index % 37}"
            name = f"agent-{index:04}"
            scenarios[(namespace, name)] = scenario
            documents.append(DAEMONSET.format(name=name, namespace=namespace, pod=scenario.pod, init=scenario.init, main=scenario.main))
        if file_index == FILES - 1:
            documents.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\ndata: {}\n")
        (root / f"agents-{file_index:03}.yaml").write_text("---\n".join(documents), encoding="utf-8")
    return scenarios


# ----------------------------------------------------------------------- runs


class Timing(NamedTuple):
    wall: float
    cpu: float
    """User + system time of the tool's processes, workers included."""


def _fastest(runs: dict[str, list[str]], rounds: int) -> tuple[dict[str, Timing], dict[str, str]]:
    """Best time of each run; runs are interleaved and their order flips every round,
    so drift on the machine favours no side."""
    best = {name: Timing(math.inf, math.inf) for name in runs}
    outputs = {}
    for round_number in range(rounds):
        names = list(runs) if round_number % 2 == 0 else list(reversed(runs))
        for name in names:
            _progress(f"round {round_number + 1}/{rounds}: {name}")
            wall, cpu = time.perf_counter(), _children_cpu()
            outputs[name] = _run(runs[name])
            wall, cpu = time.perf_counter() - wall, _children_cpu() - cpu
            best[name] = Timing(min(best[name].wall, wall), min(best[name].cpu, cpu))
    return best, outputs


def _run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "LOG_LEVEL": "ERROR"})
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return result.stdout


def _children_cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


# --------------------------------------------------------------------- verdicts


def _oomlint_verdicts(output: str, scenarios: dict) -> tuple[dict, Counter]:
    findings = json.loads(output)
    failed = set()
    for finding in findings:
        match = OOMLINT_OBJECT.match(finding["message"])
        if finding["code"] == "OOM501" and match:
            failed.add((match["namespace"], match["name"]))
    codes = Counter(finding["code"] for finding in findings)
    return {key: "fail" if key in failed else "pass" for key in scenarios}, codes


def _checkov_verdicts(output: str, scenarios: dict) -> dict:
    """Checkov's verdict per object; "not checked" for objects it never evaluated."""
    reports = json.loads(output)
    verdicts = {}
    for report in reports if isinstance(reports, list) else [reports]:
        for verdict, key in (("pass", "passed_checks"), ("fail", "failed_checks")):
            for check in report.get("results", {}).get(key, []):
                kind, namespace, name = check["resource"].split(".", 2)
                if kind == "DaemonSet":
                    verdicts[(namespace, name)] = verdict
    return {key: verdicts.get(key, "not checked") for key in scenarios}


# ---------------------------------------------------------------------- report


def _report(times: dict[str, Timing], outputs: dict[str, str], scenarios: dict, rounds: int) -> None:
    ratio = times["checkov"].wall / times["oomlint"].wall
    ratio_cpu = times["checkov"].cpu / times["oomlint"].cpu
    print(f"oomlint vs Checkov CKV_K8S_13: {FILES * PER_FILE} DaemonSets in {FILES} files, "
          f"{os.cpu_count()} cores, best of {rounds}, load average {os.getloadavg()[0]:.2f}\n")
    print(f"oomlint is {ratio:.1f}x faster than Checkov (wall; CPU: {ratio_cpu:.1f}x)")
    print(f"{'PASS' if ratio >= BOUND else 'FAIL'}  oomlint at least {BOUND:.0f}x faster than Checkov (measured {ratio:.1f}x)\n")
    for name, timing in times.items():
        print(f"  {name:<14} {timing.wall:8.2f} s wall {timing.cpu:8.2f} s CPU")
    print()
    ours, codes = _oomlint_verdicts(outputs["oomlint"], scenarios)
    theirs = _checkov_verdicts(outputs["checkov"], scenarios)
    checked = [key for key in scenarios if theirs[key] != "not checked"]
    agree = sum(ours[key] == theirs[key] for key in checked)
    print(f"Verdicts, object by object (OOM501 vs CKV_K8S_13): agree on {agree} of the {len(checked)} "
          "DaemonSets both tools evaluated")
    rows = Counter((scenarios[key], ours[key], theirs[key]) for key in checked)
    print(f"  {'scenario':<30} {'objects':>7}  {'oomlint':<7}  {'checkov':<7}  why")
    for (scenario, our, their), count in sorted(rows.items(), key=lambda item: SCENARIOS.index(item[0][0])):
        wrong = "  (OOM501 should say " + scenario.verdict + "!)" if our != scenario.verdict else ""
        print(f"  {scenario.name:<30} {count:>7}  {our:<7}  {their:<7}  {scenario.why}{wrong}")
    unchecked = len(scenarios) - len(checked)
    if unchecked:
        print(f"\nCheckov gave no verdict on {unchecked} DaemonSets: they share the last file with one malformed "
              "document, and Checkov drops such a file whole, exiting 0. oomlint checked them and reported the "
              "malformed document (OOM003).")
    print(f"oomlint's findings: {dict(sorted(codes.items()))}; the OOM502 are the 600MB limits, which Checkov passes.")


def _progress(message: str) -> None:
    print(f"[checkov-bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
