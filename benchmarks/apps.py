"""Run oomlint over a corpus of applications, one project a folder (issue 15).

    python benchmarks/apps.py run APPS_DIR --out FINDINGS.txt [--oomlint PATH] [--select OOM]

Each folder of APPS_DIR is one application, checked from inside it as a user would
(``oomlint check --format json -j 1 --exit-zero --no-cache --select OOM .``), so that its
own configuration and project root apply. FINDINGS.txt gets one finding a line,
``app path:line code message``, the format ``benchmarks/precision.py`` scores with the
reviewed verdicts; whatever oomlint writes on stderr goes to FINDINGS.txt's ``.stderr``
neighbour. Nothing of the applications is kept here.

A benchmark, not a test: it exits 0 whatever it finds, 2 when an application cannot be
checked (oomlint failing or printing something that is not its JSON report).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path


def check(app: Path, oomlint: str, select: str) -> tuple[list[dict], str]:
    """oomlint's findings in one application, and what it wrote on stderr."""
    command = [oomlint, "check", "--format", "json", "-j", "1", "--exit-zero", "--no-cache"]
    completed = subprocess.run(
        [*command, "--select", select, "."], cwd=app, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"exit status {completed.returncode}: {completed.stderr.strip()[-500:]}")
    try:
        findings = json.loads(completed.stdout or "[]")
    except json.JSONDecodeError as error:
        raise RuntimeError(f"not a JSON report ({error})") from error
    return findings, completed.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="check every application folder of APPS_DIR")
    run.add_argument("apps", type=Path, metavar="APPS_DIR")
    run.add_argument("--out", type=Path, required=True, help="the findings file to write")
    run.add_argument("--oomlint", default=shutil.which("oomlint") or "oomlint", help="default: %(default)s")
    run.add_argument("--select", default="OOM", help="codes or prefixes to check (default: %(default)s)")
    args = parser.parse_args(argv)

    apps = sorted(path for path in args.apps.iterdir() if path.is_dir()) if args.apps.is_dir() else []
    if not apps:
        print(f"{args.apps}: no application folders", file=sys.stderr)
        return 2
    lines, errors = [], []
    for app in apps:
        try:
            findings, stderr = check(app, args.oomlint, args.select)
        except (OSError, RuntimeError) as error:
            print(f"{app.name}: cannot be checked: {error}", file=sys.stderr)
            return 2
        lines += [
            f"{app.name} {finding['path']}:{finding['line']} {finding['code']} {finding['message']}"
            for finding in findings
        ]
        errors += [f"{app.name}: {line}" for line in stderr.splitlines()]
        print(f"{app.name}: {len(findings)} findings", file=sys.stderr)
    args.out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    args.out.with_name(args.out.name + ".stderr").write_text(
        "".join(f"{line}\n" for line in errors), encoding="utf-8"
    )
    print(f"{len(lines)} findings in {len(apps)} applications -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
