"""The ``oomlint`` command: ``oomlint [check] PATH...``, ``oomlint rule CODE``, ``oomlint rules``,
``oomlint clean``.

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error, or an internal
failure (reported on stderr, naming the file; the other files are still checked).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import sys
from collections import Counter
from pathlib import Path

from oomlint.core.cache import CACHE_FOLDER, Cache, remove_cache
from oomlint.core.config import Config, ConfigError, find_config, load_config_file
from oomlint.core.files import PYTHON_SUFFIXES, STDIN, Target, Unreadable, collect
from oomlint.core.findings import DIAGNOSTICS, READ_ERROR, Finding
from oomlint.core.rule import MANIFEST_SUFFIXES, all_rules, language_of, rule_by_code
from oomlint.core.source import NotRead, read_limited
from oomlint.core.version import __version__
from oomlint import engine
from oomlint.engine import cache_folder, check_bytes, check_file
from oomlint.kubernetes.objects import ManifestFindings, apply_limit_ranges, limit_ranges_of
from oomlint.report.baseline import BaselineError, load_baseline, new_findings, write_baseline
from oomlint.report.docs import render_rule
from oomlint.report.full import SourceView, wants_colour
from oomlint.report.output import FORMATS, SUMMARIZED, finding_line, render

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMAT_VARIABLE = "OOMLINT_OUTPUT_FORMAT"
COMMANDS = ("check", "fix", "rule", "rules", "lsp", "clean")
# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 16
# Stdin without a telling --stdin-filename is a manifest if it starts with "---" (helm
# template) or has a top-level apiVersion or kind (kustomize build, kubectl get -o yaml).
_MANIFEST_START = re.compile(rb"\A\s*---|^(?:apiVersion|kind):", re.MULTILINE)


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv = ["check", *argv]
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except (ConfigError, UsageError, BaselineError) as error:
        print(f"oomlint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oomlint",
        description="Find the code behind memory leaks and OOM kills.",
        epilog="Exit codes: 0 no findings, 1 findings, 2 usage/config error or internal failure.",
    )
    parser.add_argument("--version", action="version", version=f"oomlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{check,fix,rule,rules,lsp,clean}")

    check = commands.add_parser("check", help="check files and directories (the default command)")
    _add_selection_arguments(check)
    check.add_argument("--format", choices=FORMATS, help=f"output format (default: ${FORMAT_VARIABLE}, else text)")
    check.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--statistics", action="store_true", help="print the number of findings per code")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    _add_jobs_argument(check)
    check.add_argument("--stdin-filename", metavar="PATH", help="the path to report (and configure) for source read from stdin (read when no PATH is named); its suffix says Python or manifest")
    check.add_argument("--disable-noqa", action="store_true", help="report findings even where # noqa says not to")
    check.add_argument("--no-cache", action="store_true", help="check every file; neither read nor write the cache (results, project index)")
    _add_cache_dir_argument(check)
    check.add_argument("-v", "--verbose", action="store_true", help="say on stderr which findings a LimitRange default covered")
    adoption = check.add_mutually_exclusive_group()
    adoption.add_argument("--write-baseline", metavar="FILE", help="record the findings in FILE and exit 0 (adopting oomlint on existing code)")
    adoption.add_argument("--add-noqa", action="store_true", help="add a '# noqa: CODE' comment on every line with a finding")
    check.add_argument("--baseline", metavar="FILE", help="report only the findings that the baseline FILE does not record")
    check.set_defaults(handler=_check)

    fix = commands.add_parser("fix", help="apply the fixes of fixable findings, then report what is left")
    _add_selection_arguments(fix, stdin=False)
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that can change behaviour")
    fix.add_argument("--diff", action="store_true", help="print the changes as a unified diff; write nothing")
    fix.add_argument("--show-fixes", action="store_true", help="list what was fixed, per file and code")
    fix.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when anything was fixed, even if nothing remains")
    _add_jobs_argument(fix)
    fix.set_defaults(handler=_fix, stdin_filename=None, disable_noqa=False, verbose=False)

    rule = commands.add_parser("rule", help="print the documentation of a rule")
    rule.add_argument("code", metavar="CODE", help="a rule code (OOM301) or symbol (unbounded-lru-cache)")
    rule.set_defaults(handler=_rule)

    rules = commands.add_parser("rules", help="list all rules")
    rules.set_defaults(handler=_rules)

    lsp = commands.add_parser("lsp", help="run the language server on stdio (needs oomlint[lsp])")
    lsp.set_defaults(handler=_lsp)

    clean = commands.add_parser("clean", help="remove the cache folder of the projects of PATHs")
    clean.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    _add_cache_dir_argument(clean)
    clean.add_argument("-q", "--quiet", action="store_true", help="say nothing about what was removed")
    clean.set_defaults(handler=_clean)
    return parser


def _add_cache_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", metavar="DIR", help=f"the cache folder (default: cache-dir in [tool.oomlint], else {CACHE_FOLDER} at the project root)")


DEFAULT_PATHS = ["."]
"""The paths when none is named; ``--stdin-filename`` without a path reads stdin instead."""


def _add_selection_arguments(parser: argparse.ArgumentParser, stdin: bool = True) -> None:
    """``stdin``: the command reads ``-`` (``fix`` edits files, so it does not)."""
    paths_help = "files or directories (default: ." + ("; with --stdin-filename: -); - reads stdin" if stdin else ")")
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS, metavar="PATH", help=paths_help)
    parser.add_argument("--select", type=_some_codes, metavar="CODES", help="comma-separated codes or prefixes to check (replaces the configured set)")
    parser.add_argument("--extend-select", type=_codes, default=[], action="extend", metavar="CODES", help="codes or prefixes to add to the selection")
    parser.add_argument("--ignore", type=_codes, default=[], action="extend", metavar="CODES", help="codes or prefixes not to report")
    parser.add_argument("--config", metavar="PYPROJECT", help="use this pyproject.toml instead of the nearest one")
    parser.add_argument("--force-exclude", action="store_true", help="apply exclusions to files named on the command line too")
    parser.add_argument("-q", "--quiet", action="store_true", help="print the findings only: no summary, no warning")
    parser.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false", help="also walk into what git ignores (.gitignore, .git/info/exclude, global excludes)")


def _add_jobs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N", help="worker processes (default: all cores)")


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _some_codes(value: str) -> list[str]:
    """``--select``'s codes: none at all would check nothing, in silence."""
    codes = _codes(value)
    if not codes:
        raise argparse.ArgumentTypeError("no rule code or prefix given")
    return codes


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


# ------------------------------------------------------------------------ check


def _check(arguments: argparse.Namespace) -> int:
    format_name = _format(arguments.format)
    if arguments.statistics and format_name not in SUMMARIZED:
        raise UsageError("--statistics goes with --format text or full")
    if arguments.write_baseline and arguments.baseline:
        raise UsageError("--write-baseline records every finding: it goes without --baseline")
    if arguments.stdin_filename and STDIN not in arguments.paths:
        if arguments.paths is not DEFAULT_PATHS:
            raise UsageError("--stdin-filename names the source read from stdin: add - to the paths")
        arguments.paths = [STDIN]
    if arguments.add_noqa and STDIN in arguments.paths:
        raise UsageError("--add-noqa edits files: it cannot edit stdin")
    baseline = load_baseline(arguments.baseline) if arguments.baseline else None
    targets, findings = [], []
    for item in _collect(arguments):
        if isinstance(item, Unreadable):
            findings.append(Finding(item.path, 1, 1, READ_ERROR, item.message, DIAGNOSTICS[READ_ERROR], 1, 1))
        else:
            targets.append(item)
    failures, checked = [], []
    for target, result in _run(targets, arguments):
        if isinstance(result, str):
            failures.append(f"oomlint: internal error while checking {target.path}: {result}")
        else:
            checked.append((target, result))
    manifests = [result for _, result in checked if isinstance(result, ManifestFindings)]
    apply_limit_ranges(manifests)
    if any(target.kind != "file" for target in targets):
        from oomlint.kubernetes.rendering import label  # helm's and kustomize's machinery: only for them

        label(manifests)
    for target, result in checked:
        findings.extend(f for f in result if f.code not in DIAGNOSTICS or target.config.reports_diagnostic(f))
    findings.sort()
    if baseline is not None:
        findings = new_findings(findings, baseline, arguments.baseline)
    if arguments.write_baseline:
        write_baseline(arguments.write_baseline, findings)
        _say(arguments, f"Wrote {_count(len(findings), 'finding')} to the baseline {arguments.write_baseline}.")
        outcome = EXIT_CLEAN
    elif arguments.add_noqa:
        outcome = _add_noqa(findings, {target.path: target for target in targets}, arguments)
    else:
        kinds = [target.kind for target in targets]
        objects = sum(manifest.objects for manifest in manifests)
        rendered = (kinds.count("chart"), kinds.count("kustomization"), objects) if set(kinds) - {"file"} else None
        view = _source_view(findings, targets, arguments.output) if format_name == "full" else None
        report = render(format_name, findings, kinds.count("file"), arguments.statistics, arguments.quiet, view, rendered)
        _write(report, arguments.output)
        outcome = EXIT_FINDINGS if findings and not arguments.exit_zero else EXIT_CLEAN
    for manifest in manifests if arguments.verbose else ():
        for notice in manifest.covered:
            print(f"oomlint: {notice}", file=sys.stderr)
    for failure in failures:
        print(failure, file=sys.stderr)
    return EXIT_ERROR if failures else outcome


def _format(chosen: str | None) -> str:
    """``--format``, else ``$OOMLINT_OUTPUT_FORMAT``, else text."""
    if chosen:
        return chosen
    default = os.environ.get(FORMAT_VARIABLE) or "text"
    if default not in FORMATS:
        raise UsageError(f"{FORMAT_VARIABLE}={default!r} is not a format; choose from {', '.join(FORMATS)}")
    return default


def _collect(arguments: argparse.Namespace) -> list[Target | Unreadable]:
    """What to check under the paths named, each once (a file named twice, or named and in a
    folder named, a chart several of whose files are named, as pre-commit does: one
    report and one count each); a warning for a folder with nothing in it to check."""
    config_for = _config_source(arguments)
    items, seen = [], set()
    for path in arguments.paths:
        found = list(collect([path], config_for, arguments.force_exclude, arguments.respect_gitignore))
        if not found and not arguments.quiet and os.path.isdir(path):
            print(f"oomlint: warning: {path}: no Python file or Kubernetes manifest to check", file=sys.stderr)
        for item in found:
            key = (getattr(item, "kind", None), os.path.normpath(item.path))
            if key not in seen:
                seen.add(key)
                items.append(item)
    return items


def _source_view(findings: list[Finding], targets: list[Target], output: str | None) -> SourceView:
    """``--format full``'s view: in colour on a terminal, with the fix of each finding that has one."""
    from oomlint.fix.preview import fixed_sources  # libcst is imported only when fixing

    configs = {target.path: target.config for target in targets}
    fixable = [f for f in findings if f.path in configs]
    return SourceView(
        wants_colour(sys.stdout if output is None else None),
        fixed_sources(fixable, lambda path: configs[path].rules_for(path)),
    )


def _say(arguments: argparse.Namespace, text: str) -> None:
    """A summary line, which ``--quiet`` leaves out."""
    if not arguments.quiet:
        _emit(text + "\n")


def _add_noqa(findings: list[Finding], targets: dict[str, Target], arguments: argparse.Namespace) -> int:
    """Add the noqa comments of ``findings``, file by file; say what could not be done."""
    from oomlint.fix.add_noqa import add_noqa_to_file  # libcst is imported only when editing

    wanted: dict[str, set[tuple[str, int, int]]] = {}
    for finding in findings:
        if finding.code not in DIAGNOSTICS and finding.path in targets:
            wanted.setdefault(finding.path, set()).add((finding.code, finding.line, finding.column))
    added = files = 0
    problems = [finding_line(f) for f in findings if f.code in DIAGNOSTICS]
    for path, positions in wanted.items():
        target = targets[path]
        result = add_noqa_to_file(path, target.config.rules_for(path), positions, target.config.max_file_size)
        if result.problem:
            problems.append(f"{path}: {result.problem}")
        elif result.added:
            added, files = added + result.added, files + 1
    _say(arguments, f"Added {_count(added, 'noqa comment')} to {_count(files, 'file')}.")
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_FINDINGS if problems else EXIT_CLEAN


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _config_source(arguments: argparse.Namespace):
    """A function giving each path its settings, with the command line on top."""
    overrides = dict(select=arguments.select, extend_select=arguments.extend_select, ignore=arguments.ignore)
    if arguments.config:
        config = load_config_file(arguments.config).with_overrides(**overrides)
        return lambda path: config
    Config().with_overrides(**overrides)  # validate the codes once, before any file
    cache: dict[object, Config] = {}

    def config_for(path: str) -> Config:
        found = find_config(path)
        if found not in cache:
            cache[found] = found.with_overrides(**overrides)
        return cache[found]

    return config_for


def _run(targets: list[Target], arguments: argparse.Namespace):
    """Each target with its findings (or the description of an internal failure)."""
    tasks = [
        (target, not arguments.disable_noqa, arguments.stdin_filename, None if arguments.no_cache or target.kind != "file" else cache_folder(os.path.dirname(os.path.abspath(target.path)), target.config, arguments.cache_dir))
        for target in targets
    ]
    jobs = 1 if any(t.path == STDIN for t in targets) else arguments.jobs
    engine.use_cache = not arguments.no_cache
    python = [task for task in tasks if task[0].kind == "file" and language_of(task[0].path) == "python"]
    projects = None  # Python's machinery is imported only for a run with Python files
    if python:
        from oomlint.python.parsing import TREES
        from oomlint.python.project import known_projects, settle_indexes

        settle_indexes()
        if jobs == 1 or len(tasks) < _PARALLEL_THRESHOLD:
            # Checked here: a file the project index parses keeps its tree for its check.
            TREES.expect(target.path for target, _, _, _ in python)
        else:
            # Made once, here, and handed to every worker (not made again in each). Workers
            # parse again what the index parsed here: the trees would be copied into each.
            for target, _, _, folder in python:
                try:
                    engine.project_for(target.path, target.config.rules_for(target.path), _cache(folder))
                except Exception:  # a bug: each file's check makes the index again and reports it, file by file
                    break
        projects = known_projects()
    # Charts and kustomizations are checked in this process, where their renders were
    # started (:mod:`oomlint.kubernetes.prerender`); they mostly wait for the renderer.
    rendered = [task[0].kind != "file" for task in tasks]
    yield from zip(targets, _map(_check_target, tasks, jobs, (engine.use_cache, projects), rendered))
    if python:
        TREES.clear()


def _map(function, tasks: list, jobs: int, state: tuple, here: list[bool] | None = None):
    """``function`` over ``tasks``, in ``jobs`` worker processes when there are enough;
    ``state`` (the cache setting, the project indexes) is installed in each worker. The
    tasks marked ``here`` (renders: they mostly wait for helm or kustomize) run in this
    process, side by side in threads, while the workers or this thread run the others."""
    here = here or [False] * len(tasks)
    local = [task for task, is_local in zip(tasks, here) if is_local]
    if jobs == 1 or len(tasks) < _PARALLEL_THRESHOLD:
        with _side_by_side(function, local) as local_results:
            for task, is_local in zip(tasks, here):
                yield next(local_results) if is_local else function(task)
        return
    from concurrent.futures import ProcessPoolExecutor  # and multiprocessing: only for a parallel run

    sent = [task for task, is_local in zip(tasks, here) if not is_local]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_install, initargs=state) as pool:
        results = pool.map(function, sent, chunksize=max(1, len(sent) // (jobs * 16)))  # all sent now
        # The threads start once the workers are forked: a fork copies no thread.
        with _side_by_side(function, local) as local_results:
            for is_local in here:
                yield next(local_results) if is_local else next(results)


@contextlib.contextmanager
def _side_by_side(function, tasks: list):
    """``function`` over ``tasks`` in threads, one per CPU, the results in order."""
    if len(tasks) < 2:
        yield map(function, tasks)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        yield pool.map(function, tasks)


def _install(use_cache: bool, projects: dict | None) -> None:
    engine.use_cache = use_cache
    if projects is not None:
        from oomlint.python.project import install_projects

        install_projects(projects)


@functools.lru_cache(maxsize=None)  # noqa: OOM301 one small object per project folder of the run; a process runs once
def _cache(folder: Path | None) -> Cache | None:
    """One :class:`Cache` per folder and process (workers included)."""
    return None if folder is None else Cache(folder)


def _check_target(task: tuple[Target, bool, str | None, Path | None]) -> list[Finding] | str:
    """Check one file; an internal failure comes back as its description, not a traceback."""
    target, noqa, stdin_filename, cache_folder = task
    try:
        if target.path == STDIN:
            path = stdin_filename or STDIN
            try:
                data = read_limited(sys.stdin.buffer, target.config.max_file_size)
            except NotRead as error:
                return [error.finding(path)]
            language = _stdin_language(data, stdin_filename)
            findings = check_bytes(data, path, target.config.rules_for(path, language), noqa, language)
        elif target.kind != "file":
            from oomlint.kubernetes.rendering import check_root

            return check_root(target.kind, target.path, target.config, noqa)
        else:
            language = language_of(target.path)
            rules = target.config.rules_for(target.path)
            findings = check_file(target.path, rules, noqa, target.config.max_file_size, cache=_cache(cache_folder))
        return target.config.with_python_requirement(findings) if language == "python" else findings
    except Exception as error:  # a rule's bug must not cost the user the other files
        return f"{type(error).__name__}: {error}"


def _stdin_language(data: bytes, filename: str | None) -> str:
    """A Python or manifest suffix on ``--stdin-filename`` decides; else the content does."""
    if filename and filename.lower().endswith(PYTHON_SUFFIXES + MANIFEST_SUFFIXES):
        return language_of(filename)
    return "kubernetes" if _MANIFEST_START.search(data) else "python"


def _write(report: str, output: str | None) -> None:
    if output is None:
        _emit(report)
        return
    try:
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(report)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror}") from None


def _emit(text: str) -> None:
    """Write to stdout. A reader that stops early (``| head -1``) ends the output, not the
    run: the rest goes to devnull (Python's "Note on SIGPIPE"), stderr still gets the
    messages and the exit code still says what was found, not that the reader left."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


# -------------------------------------------------------------------------- fix


def _fix(arguments: argparse.Namespace) -> int:
    """Fix file by file (only files with fixable findings are rewritten), then report.

    Manifests are checked first, so that a LimitRange in one file covers (and keeps
    from being fixed) the containers of its namespace in the others, as in ``check``.
    """
    # Charts and kustomizations are checked as rendered; there is no text to fix.
    items = []
    for item in _collect(arguments):
        if getattr(item, "kind", "file") == "file":
            items.append(item)
        elif not arguments.quiet:
            print(f"oomlint: warning: {item.path}: {_ROOT_NAMES[item.kind]} left out: checked as rendered, it has no text to fix; 'oomlint check' reports its findings", file=sys.stderr)
    for item in items:
        if isinstance(item, Unreadable) or item.path == STDIN:
            raise UsageError(f"{item.path}: {item.message}" if isinstance(item, Unreadable) else "fix edits files: it cannot read stdin (oomlint check - can)")
    manifests = [item for item in items if language_of(item.path) == "kubernetes"]
    checked = [check_file(item.path, item.config.rules_for(item.path), max_size=item.config.max_file_size) for item in manifests]
    limit_ranges = limit_ranges_of([result for result in checked if isinstance(result, ManifestFindings)])
    remaining, fixed, changed, problems, failures = [], [], 0, [], []
    tasks = [(item, arguments.unsafe_fixes, not arguments.diff, limit_ranges) for item in items]
    from oomlint.python.project import known_projects  # the indexes the checks made, for the workers

    for item, result in zip(items, _map(_fix_target, tasks, arguments.jobs, (engine.use_cache, known_projects()))):
        if isinstance(result, str):
            failures.append(f"oomlint: internal error while fixing {item.path}: {result}")
            continue
        remaining.extend(f for f in result.remaining if f.code not in DIAGNOSTICS or item.config.reports_diagnostic(f))
        if result.problem:
            problems.append(f"{item.path}: {result.problem}")
        if result.new_text is not None:
            fixed += result.fixed
            changed += 1
            if arguments.diff:
                import difflib

                _emit("".join(difflib.unified_diff(
                    result.old_text.splitlines(keepends=True), result.new_text.splitlines(keepends=True),
                    fromfile=f"a/{item.path}", tofile=f"b/{item.path}",
                )))
    for problem in problems + failures:
        print(problem, file=sys.stderr)
    if not arguments.diff:
        remaining.sort()
        _emit("".join(finding_line(f) + "\n" for f in remaining))
    if arguments.show_fixes and fixed:
        _say(arguments, _fixes_by_code(fixed, "Would fix" if arguments.diff else "Fixed"))
    summary = f"{_count(len(fixed), 'finding')} in {_count(changed, 'file')}"
    if arguments.diff:
        _say(arguments, f"Would fix {summary}.")
        outcome = EXIT_FINDINGS if fixed else EXIT_CLEAN
    else:
        _say(arguments, f"Fixed {summary}; {len(remaining)} remaining.")
        outcome = EXIT_FINDINGS if remaining or problems or (fixed and arguments.exit_non_zero_on_fix) else EXIT_CLEAN
    return EXIT_ERROR if failures else outcome


_ROOT_NAMES = {"chart": "Helm chart", "kustomization": "kustomization"}
"""How ``fix`` names a chart or kustomization that it leaves to ``check``."""


def _fixes_by_code(fixed: list[Finding], verb: str) -> str:
    """``--show-fixes``: how many findings of each code were fixed in each file."""
    counts = Counter((f.path, f.code, f.symbol) for f in fixed)
    lines = [f"{verb} {_count(len(fixed), 'finding')}:"]
    for path in sorted({path for path, _, _ in counts}):
        lines.append(f"- {path}:")
        lines += [f"    {count} × {code} ({symbol})" for (where, code, symbol), count in sorted(counts.items()) if where == path]
    return "\n".join(lines)


def _fix_target(task):
    """Fix one file; an internal failure comes back as its description, not a traceback."""
    from oomlint.fix.driver import fix_file  # libcst is imported only when fixing

    item, unsafe, write, limit_ranges = task
    try:
        result = fix_file(item.path, item.config.rules_for(item.path), unsafe, write, limit_ranges, item.config.max_file_size)
    except Exception as error:  # a rule's bug must not cost the user the other files
        return f"{type(error).__name__}: {error}"
    if language_of(item.path) == "python":
        result.remaining = item.config.with_python_requirement(result.remaining)
    return result


# ------------------------------------------------------------------ rule, rules


def _rule(arguments: argparse.Namespace) -> int:
    rule = rule_by_code(arguments.code) or next(
        (rule for rule in all_rules() if rule.symbol == arguments.code.lower()), None
    )
    if rule is None:
        raise UsageError(f"unknown rule {arguments.code!r}; 'oomlint rules' lists them")
    _emit(render_rule(rule))
    return EXIT_CLEAN


def _rules(arguments: argparse.Namespace) -> int:
    """The README's rules table as text: code, symbol, on or off by default, fix (safe, unsafe or -), summary."""
    rules = all_rules()
    width = max(len(rule.symbol) for rule in rules)
    _emit("".join(
        f"{rule.code}  {rule.symbol:<{width}}  {'on ' if rule.default_enabled else 'off'}  {rule.fixes or '-':<6}  {rule.summary}\n"
        for rule in rules
    ))
    return EXIT_CLEAN


def _clean(arguments: argparse.Namespace) -> int:
    """Remove each project's cache folder; refuse a folder that is not oomlint's cache."""
    outcome = EXIT_CLEAN
    for missing in [path for path in arguments.paths if not os.path.lexists(path)]:
        print(f"oomlint: error: {missing}: no such file or directory", file=sys.stderr)
        outcome = EXIT_ERROR
    directories = [path if os.path.isdir(path) else os.path.dirname(path) for path in arguments.paths if os.path.lexists(path)]
    for folder in dict.fromkeys(cache_folder(directory, find_config(directory or os.curdir), arguments.cache_dir) for directory in directories):
        if remove_cache(folder):
            if not arguments.quiet:
                _emit(f"Removed {folder}\n")
        elif os.path.lexists(folder):
            print(f"oomlint: error: {folder} is not an oomlint cache folder (no CACHEDIR.TAG of oomlint's): left alone", file=sys.stderr)
            outcome = EXIT_ERROR
    return outcome


def _lsp(arguments: argparse.Namespace) -> int:
    try:
        from oomlint.hosts.lsp import main as serve
    except ImportError:
        raise UsageError("the language server needs pygls (oomlint's lsp extra): pip install 'pygls>=2.0'") from None
    return serve()
