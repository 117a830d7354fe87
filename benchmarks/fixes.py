"""Recall of oomlint on real public fix commits (issue 14).

``fixes.toml`` lists fix commits of leaks found in public repositories. For each case the
code before the fix (at ``parent``) should get a finding of one of ``codes`` inside
``before_lines`` of ``file``, and the fixed code (at ``commit``) none inside ``after_lines``.
Nothing of those repositories is kept here: ``extract`` copies the listed files out of
local git mirrors, ``run`` checks them with the installed ``oomlint`` CLI::

    python benchmarks/fixes.py extract --mirrors /work/.mirror --out /work/fixcorpus
    python benchmarks/fixes.py run /work/fixcorpus [--json]

A mirror is ``MIRRORS/<owner>+<name>/repo`` (the layout the fetch tool leaves), or a bare
git directory ``MIRRORS/<owner>+<name>`` (``mirrors.py``). Each side of a case becomes its
own project, ``CORPUS/<id>/before`` and ``CORPUS/<id>/after``, with an empty
``pyproject.toml`` so oomlint's defaults apply (test code is not checked by default).
Besides the listed files, ``extract`` copies the ``__init__.py`` of every package above
them, so that imports between the listed modules resolve as they do in the repository.

A benchmark, not a test: ``run`` exits 0 whatever recall it measures, 2 when a case cannot
be checked (corpus missing, oomlint failing).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from mirrors import git_dir

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

CASES = Path(__file__).with_name("fixes.toml")
SIDES = ("before", "after")


class Finding(NamedTuple):
    path: str
    line: int
    code: str


class Verdict(NamedTuple):
    """What oomlint said about one case: the matching findings on each side."""

    case_id: str
    family: str
    flagged_before: list[Finding]
    flagged_after: list[Finding]

    @property
    def found(self) -> bool:
        return bool(self.flagged_before) and not self.flagged_after

    @property
    def outcome(self) -> str:
        if not self.flagged_before:
            return "missed"
        return "not silent after" if self.flagged_after else "found"


def load_cases(path: Path = CASES) -> list[dict]:
    with path.open("rb") as stream:
        return tomllib.load(stream)["case"]


def matching(findings: list[Finding], case: dict, side: str) -> list[Finding]:
    """The findings of ``case``'s codes inside its line range of its file on ``side``."""
    first, last = case[f"{side}_lines"]
    return [
        finding
        for finding in findings
        if finding.path == case["file"] and finding.code in case["codes"] and first <= finding.line <= last
    ]


def judge(case: dict, before: list[Finding], after: list[Finding]) -> Verdict:
    return Verdict(case["id"], case["family"], matching(before, case, "before"), matching(after, case, "after"))


def recall(verdicts: list[Verdict]) -> dict[str, tuple[int, int]]:
    """(found, cases) per family, and under "all"."""
    cases, found = Counter(), Counter()
    for verdict in verdicts:
        for key in (verdict.family, "all"):
            cases[key] += 1
            found[key] += verdict.found
    return {key: (found[key], cases[key]) for key in sorted(cases, key=lambda key: (key == "all", key))}


def package_inits(path: str) -> list[str]:
    """The ``__init__.py`` of each folder above ``path``, outermost first."""
    parents = reversed(PurePosixPath(path).parents)
    return [str(parent / "__init__.py") for parent in parents if str(parent) != "."]


def show(git: Path, revision: str, path: str) -> bytes | None:
    done = subprocess.run(["git", "--git-dir", str(git), "show", f"{revision}:{path}"], capture_output=True)
    return done.stdout if done.returncode == 0 else None


def extract(cases: list[dict], mirrors: Path, out: Path) -> int:
    """Write each case's files at both revisions; return the number of cases that failed."""
    failed = 0
    for case in cases:
        git = git_dir(mirrors, case["repo"])
        if not git.is_dir():
            print(f"{case['id']}: no mirror of {case['repo']} at {git}", file=sys.stderr)
            failed += 1
            continue
        problems = []
        for side, revision in zip(SIDES, (case["parent"], case["commit"])):
            root = out / case["id"] / side
            if root.exists():
                shutil.rmtree(root)
            root.mkdir(parents=True)
            (root / "pyproject.toml").write_text("")
            inits = [init for path in case["files"] for init in package_inits(path)]
            for path in dict.fromkeys(case["files"] + inits):
                content = show(git, revision, path)
                if content is None:
                    if path in case["files"]:
                        problems.append(f"{path} is not in {revision}")
                    continue
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_bytes(content)
        for problem in problems:
            print(f"{case['id']}: {problem}", file=sys.stderr)
        failed += bool(problems)
    return failed


def check(oomlint: str, project: Path) -> list[Finding]:
    """Run the oomlint CLI on one side's project, from inside it, and read its JSON report."""
    done = subprocess.run(
        [oomlint, "check", "--format", "json", "--exit-zero", "-j", "1", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"oomlint failed in {project} (exit {done.returncode}): {done.stderr.strip()}")
    return [Finding(item["path"], item["line"], item["code"]) for item in json.loads(done.stdout)]


def describe(verdict: Verdict) -> str:
    where = ", ".join(f"{finding.code}:{finding.line}" for finding in verdict.flagged_before) or "-"
    line = f"{verdict.case_id:48} {verdict.family:5} {verdict.outcome:16} before {where}"
    if verdict.flagged_after:
        line += "; after " + ", ".join(f"{finding.code}:{finding.line}" for finding in verdict.flagged_after)
    return line


def run(cases: list[dict], corpus: Path, oomlint: str, as_json: bool) -> int:
    verdicts = []
    for case in cases:
        sides = [corpus / case["id"] / side for side in SIDES]
        missing = [str(side) for side in sides if not side.is_dir()]
        if missing:
            print(f"{case['id']}: not extracted ({', '.join(missing)}); run extract first", file=sys.stderr)
            return 2
        try:
            before, after = (check(oomlint, side) for side in sides)
        except RuntimeError as error:
            print(f"{case['id']}: {error}", file=sys.stderr)
            return 2
        verdicts.append(judge(case, before, after))
    totals = recall(verdicts)
    if as_json:
        report = {
            "cases": [
                {
                    "id": verdict.case_id,
                    "family": verdict.family,
                    "outcome": verdict.outcome,
                    "found": verdict.found,
                    "before": [finding._asdict() for finding in verdict.flagged_before],
                    "after": [finding._asdict() for finding in verdict.flagged_after],
                }
                for verdict in verdicts
            ],
            "recall": {key: {"found": found, "cases": count} for key, (found, count) in totals.items()},
        }
        print(json.dumps(report, indent=2))
        return 0
    for verdict in verdicts:
        print(describe(verdict))
    print()
    for key, (found, count) in totals.items():
        print(f"recall {key:5} {found}/{count} = {found / count:.0%}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=CASES, help="the case list (default: fixes.toml beside this script)")
    commands = parser.add_subparsers(dest="command", required=True)
    extracting = commands.add_parser("extract", help="copy each case's files out of local git mirrors")
    extracting.add_argument("--mirrors", type=Path, required=True)
    extracting.add_argument("--out", type=Path, required=True)
    running = commands.add_parser("run", help="check each case before and after its fix; print recall")
    running.add_argument("corpus", type=Path)
    running.add_argument("--oomlint", default=shutil.which("oomlint") or "oomlint", help="the oomlint executable")
    running.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    cases = load_cases(args.cases)
    if args.command == "extract":
        return 2 if extract(cases, args.mirrors, args.out) else 0
    return run(cases, args.corpus, args.oomlint, args.json)


if __name__ == "__main__":
    sys.exit(main())
