"""Score a corpus run with the hand-made verdicts of docs/evaluation.md.

    python benchmarks/precision.py FINDINGS.txt [FINDINGS.txt ...] [--verdicts PATH]

Each FINDINGS.txt is what ``benchmarks/apps.py run`` writes: one finding a line, "app path:line
code message". benchmarks/verdicts.tsv holds one reviewed finding a row (app, path, line,
code, verdict, section, reason; verdict TP, TP-refcount or FP), the later review where
sections of docs/evaluation.md disagree. A finding is matched by (app, path, line, code)
only: a finding whose line moved is unreviewed, never guessed, so that a precision figure
is never made of verdicts given to other code.

Prints, per rule of OOM1xx-OOM4xx (diagnostics and manifests are not reviewed): findings,
TP, TP-refcount, FP, unreviewed, and the precision over the reviewed findings with and
without counting TP-refcount as true; then every unreviewed finding. A malformed verdicts
row stops the script with exit status 2 and the file and line.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

VERDICTS = Path(__file__).with_name("verdicts.tsv")
HEADER = ["app", "path", "line", "code", "verdict", "section", "reason"]
KINDS = ("TP", "TP-refcount", "FP")
CODE = re.compile(r"OOM[1-4]\d\d")


def fail(where: str, message: str) -> None:
    print(f"{where}: {message}", file=sys.stderr)
    sys.exit(2)


def load_verdicts(path: Path) -> dict[tuple[str, str, int, str], str]:
    """(app, path, line, code) -> verdict; any malformed row is fatal, not skipped."""
    verdicts: dict[tuple[str, str, int, str], str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        fail(str(path), f"cannot read: {error.strerror}")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        fail(f"{path}:1", "the header must be " + "<TAB>".join(HEADER))
    for number, row in enumerate(lines[1:], start=2):
        where = f"{path}:{number}"
        fields = row.split("\t")
        if len(fields) != len(HEADER):
            fail(where, f"{len(fields)} fields, expected {len(HEADER)} separated by tabs")
        app, file, line, code, verdict, section, reason = fields
        if not app or not file or not section or not reason:
            fail(where, "app, path, section and reason must not be empty")
        if not line.isdigit() or int(line) < 1:
            fail(where, f"line {line!r} is not a positive number")
        if not CODE.fullmatch(code):
            fail(where, f"code {code!r} is not a rule of OOM1xx-OOM4xx")
        if verdict not in KINDS:
            fail(where, f"verdict {verdict!r} is none of {', '.join(KINDS)}")
        key = (app, file, int(line), code)
        if key in verdicts:
            fail(where, f"{app} {file}:{line} {code} has a row already")
        verdicts[key] = verdict
    return verdicts


def load_findings(paths: list[Path]) -> tuple[list[tuple[str, str, int, str, str]], int]:
    """The rule findings of every file (an exact line repeated across files counts once),
    and how many diagnostics and manifest findings were left out."""
    seen: set[str] = set()
    findings = []
    skipped = 0
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            fail(str(path), f"cannot read: {error.strerror}")
        for number, row in enumerate(text.splitlines(), start=1):
            if not row.strip() or row in seen:
                continue
            seen.add(row)
            parts = row.split(" ", 3)
            file, _, line = parts[1].rpartition(":") if len(parts) > 2 else ("", "", "")
            if len(parts) < 3 or not file or not line.isdigit():
                fail(f"{path}:{number}", "not a finding line (app path:line code message)")
            if not CODE.fullmatch(parts[2]):
                skipped += 1
                continue
            findings.append((parts[0], file, int(line), parts[2], parts[3] if len(parts) > 3 else ""))
    return findings, skipped


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("findings", nargs="+", type=Path, help="findings file of a benchmarks/apps.py run")
    parser.add_argument("--verdicts", type=Path, default=VERDICTS, help="default: %(default)s")
    args = parser.parse_args(argv)
    verdicts = load_verdicts(args.verdicts)
    findings, skipped = load_findings(args.findings)

    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    unreviewed = []
    for app, file, line, code, message in findings:
        verdict = verdicts.get((app, file, line, code), "unreviewed")
        counts[code][verdict] += 1
        if verdict == "unreviewed":
            unreviewed.append((app, file, line, code, message))

    print("| rule | findings | TP | TP-refcount | FP | unreviewed | precision | without refcount |")
    print("|---|---|---|---|---|---|---|---|")
    total: collections.Counter[str] = collections.Counter()
    for code in sorted(counts):
        total.update(counts[code])
        print(row(code, counts[code]))
    print(row("**total**", total))
    print()
    print(
        "Precision is over the reviewed findings: (TP + TP-refcount) / (TP + TP-refcount + FP), "
        "and TP / (TP + TP-refcount + FP) without refcount."
    )
    if skipped:
        print(f"Left out: {skipped} diagnostics (OOM0xx) and manifest findings (OOM5xx).")
    print()
    if not unreviewed:
        print("Unreviewed: none.")
        return 0
    by_file: dict[tuple[str, str, str], list[int]] = collections.defaultdict(list)
    for app, file, line, code in verdicts:
        by_file[(app, file, code)].append(line)
    print(f"Unreviewed ({len(unreviewed)}):")
    for app, file, line, code, message in unreviewed:
        print(f"  {app} {file}:{line} {code} {message}")
        others = sorted(by_file.get((app, file, code), ()))
        if others:
            lines = ", ".join(map(str, others))
            print(f"    verdicts for {code} in this file are at line(s) {lines}: if the line moved, review it again")
    return 0


def row(name: str, count: collections.Counter[str]) -> str:
    reviewed = count["TP"] + count["TP-refcount"] + count["FP"]
    findings = reviewed + count["unreviewed"]
    cells = [name, findings, count["TP"], count["TP-refcount"], count["FP"], count["unreviewed"]]
    cells += [percent(count["TP"] + count["TP-refcount"], reviewed), percent(count["TP"], reviewed)]
    return "| " + " | ".join(map(str, cells)) + " |"


if __name__ == "__main__":
    sys.exit(main())
