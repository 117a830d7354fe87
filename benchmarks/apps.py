"""Extract the application corpora of issue 15 and run oomlint over them, one project a folder.

    python benchmarks/apps.py extract --mirrors /work/.mirror --out APPS_DIR [--set S ...]
    python benchmarks/apps.py run APPS_DIR --out FINDINGS.txt [--oomlint PATH] [--select OOM]

``apps.toml`` pins every application measured (repository, commit, the set it belongs to).
``extract`` writes ``APPS_DIR/<name>`` from ``git archive`` of the commit in a local mirror
(``mirrors.py``), of the entry's ``folder`` only when it names one (an application that is
one folder of a larger repository), leaving out the files its ``remove`` lists (paths in
that folder), and adds an empty
``pyproject.toml`` where the root has neither that nor ``setup.cfg``, so that each
application is one project, as in its own checkout. It names the application whose mirror,
commit or listed file is missing, extracts the others, and exits 2.

``run`` checks each folder of APPS_DIR from inside it, as a user would
(``oomlint check --format json -j 1 --exit-zero --no-cache --select OOM .``), so that its
own configuration and project root apply. FINDINGS.txt gets one finding a line,
``app path:line code message``, the format ``benchmarks/precision.py`` scores with the
reviewed verdicts; whatever oomlint writes on stderr goes to FINDINGS.txt's ``.stderr``
neighbour. Nothing of the applications is kept here.

A benchmark, not a test: ``run`` exits 0 whatever it finds, 2 when an application cannot be
checked (oomlint failing or printing something that is not its JSON report).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from mirrors import git_dir

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

APPS = Path(__file__).with_name("apps.toml")
SETS = ("c45", "fa", "f3", "f4", "f5", "p12", "p13", "p14", "p15", "p16")


def load_apps(path: Path = APPS) -> list[dict]:
    with path.open("rb") as stream:
        return tomllib.load(stream)["app"]


def git(repository: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "--git-dir", str(repository), *args], capture_output=True, check=False)


def extract_app(app: dict, mirrors: Path, root: Path) -> str | None:
    """Write ``app``'s tree to ``root``; what went wrong, if anything (``root`` is then gone)."""
    repository, commit, remove = git_dir(mirrors, app["repo"]), app["commit"], app.get("remove", [])
    tree_ish = f"{commit}:{app['folder']}" if "folder" in app else commit
    if not repository.is_dir():
        return f"no mirror of {app['repo']} at {repository} (fetch github:{app['repo']})"
    if git(repository, "cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        return f"commit {commit} is not in the mirror of {app['repo']} ({repository})"
    listed = git(repository, "ls-tree", "-r", "-z", "--name-only", tree_ish)
    if listed.returncode != 0:
        return f"{tree_ish} is not a folder of {app['repo']}"
    tree = set(listed.stdout.decode(errors="surrogateescape").split("\0"))
    stale = [path for path in remove if path not in tree]
    if stale:
        return f"remove lists {', '.join(stale)}, not in the tree of {tree_ish}"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    # excluded rather than deleted afterwards: git archive stops on a blob the mirror lacks
    excluded = [f":(exclude,literal){path}" for path in remove]
    archive = subprocess.Popen(
        ["git", "--git-dir", str(repository), "archive", tree_ish, "--", ".", *excluded],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    untar = subprocess.run(["tar", "-x", "-C", str(root)], stdin=archive.stdout, capture_output=True, check=False)
    archive.stdout.close()
    errors = archive.stderr.read().decode(errors="replace").strip()
    if archive.wait() != 0 or untar.returncode != 0:
        shutil.rmtree(root)
        reason = errors.splitlines()[0] if errors else untar.stderr.decode(errors="replace").strip()
        return f"git archive {commit} failed: {reason} (a file the mirror lacks belongs in remove)"
    if not (root / "pyproject.toml").exists() and not (root / "setup.cfg").exists():
        (root / "pyproject.toml").write_text("")
    return None


def extract(apps: list[dict], mirrors: Path, out: Path) -> int:
    """Extract every application; return how many could not be."""
    failed = 0
    for app in apps:
        problem = extract_app(app, mirrors, out / app["name"])
        print(f"{app['name']}: {problem or 'extracted'}", file=sys.stderr)
        failed += problem is not None
    return failed


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


def run_apps(apps_dir: Path, out: Path, oomlint: str, select: str) -> int:
    apps = sorted(path for path in apps_dir.iterdir() if path.is_dir()) if apps_dir.is_dir() else []
    if not apps:
        print(f"{apps_dir}: no application folders", file=sys.stderr)
        return 2
    lines, errors = [], []
    for app in apps:
        try:
            findings, stderr = check(app, oomlint, select)
        except (OSError, RuntimeError) as error:
            print(f"{app.name}: cannot be checked: {error}", file=sys.stderr)
            return 2
        lines += [
            f"{app.name} {finding['path']}:{finding['line']} {finding['code']} {finding['message']}"
            for finding in findings
        ]
        errors += [f"{app.name}: {line}" for line in stderr.splitlines()]
        print(f"{app.name}: {len(findings)} findings", file=sys.stderr)
    out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    out.with_name(out.name + ".stderr").write_text(
        "".join(f"{line}\n" for line in errors), encoding="utf-8"
    )
    print(f"{len(lines)} findings in {len(apps)} applications -> {out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=Path, default=APPS, help="the application list (default: apps.toml beside this script)")
    commands = parser.add_subparsers(dest="command", required=True)
    extracting = commands.add_parser("extract", help="write each application's tree out of local git mirrors")
    extracting.add_argument("--mirrors", type=Path, required=True)
    extracting.add_argument("--out", type=Path, required=True, metavar="APPS_DIR")
    extracting.add_argument("--set", action="append", choices=SETS, dest="sets", help="only this set (repeatable)")
    run = commands.add_parser("run", help="check every application folder of APPS_DIR")
    run.add_argument("apps_dir", type=Path, metavar="APPS_DIR")
    run.add_argument("--out", type=Path, required=True, help="the findings file to write")
    run.add_argument("--oomlint", default=shutil.which("oomlint") or "oomlint", help="default: %(default)s")
    run.add_argument("--select", default="OOM", help="codes or prefixes to check (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.command == "extract":
        chosen = [app for app in load_apps(args.apps) if not args.sets or app["set"] in args.sets]
        return 2 if extract(chosen, args.mirrors, args.out) else 0
    return run_apps(args.apps_dir, args.out, args.oomlint, args.select)


if __name__ == "__main__":
    sys.exit(main())
