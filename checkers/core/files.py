"""Which files a run checks: named files as given, directories walked recursively
for Python sources and Kubernetes manifests (YAML and JSON), passing over what git
ignores (:mod:`oomlint.core.gitignore`). A Helm chart or a kustomization is checked as a
whole, as rendered (:mod:`oomlint.kubernetes.rendering`): its folder is one target, and
its manifests are not checked on their own, also when named (a pre-commit hook passes the
files that changed)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from oomlint.core.config import Config
from oomlint.core.patterns import DEFAULT_EXCLUDE, passed_over, path_matches
from oomlint.core.gitignore import GitIgnored
from oomlint.core.roots import CHART, enclosing_root, owns, root_kind
from oomlint.core.rule import MANIFEST_SUFFIXES

PYTHON_SUFFIXES = (".py", ".pyi")
STDIN = "-"


@dataclass(frozen=True)
class Target:
    path: str
    config: Config
    kind: str = "file"
    """``file``, or ``chart`` or ``kustomization`` for a folder checked as rendered."""


@dataclass(frozen=True)
class Unreadable:
    """A named path that is not there or may not be looked at, or a directory that
    cannot be listed: reported like an unreadable file."""

    path: str
    message: str


def collect(
    paths: list[str], config_for, force_exclude: bool = False, respect_gitignore: bool = True
) -> Iterator[Target | Unreadable]:
    """Yield what to check under ``paths``, in a stable order.

    ``config_for(path)`` gives the settings of a file or folder (the nearest
    pyproject.toml, or the one named by ``--config``). A named file is yielded whatever
    it is (reading it says if it is not a regular file); a walk yields regular files only.
    A named path that cannot be looked at (missing, or in a folder that may not be
    searched) and a folder that cannot be listed are yielded as :class:`Unreadable`.
    With ``respect_gitignore``, a walk passes over what git ignores; a named path is
    checked all the same.
    """
    roots: set[str] = set()  # charts and kustomizations already yielded
    for path in paths:
        if path == STDIN:
            yield Target(STDIN, config_for(os.getcwd()))
        elif os.path.isdir(path):
            enclosing = enclosing_root(os.path.normpath(os.path.join(path, os.pardir)))
            if enclosing is not None:
                yield from _root(enclosing, config_for, roots)
            git_ignored = GitIgnored(path) if respect_gitignore else None
            yield from _walk(path, config_for, roots, git_ignored, enclosing[0] if enclosing else None)
        else:
            try:
                os.lstat(path)  # a dangling symlink is yielded: reading it says why it fails
            except OSError as error:
                yield Unreadable(path, f"cannot read file: {error.strerror}")
                continue
            config = config_for(path)
            if not (force_exclude and (config.is_excluded(path) or _default_excluded(path))):
                enclosing = None if path.endswith(PYTHON_SUFFIXES) else enclosing_root(path)
                if enclosing is not None:
                    yield from _root(enclosing, config_for, roots)
                elif not force_exclude or _is_source(path):
                    yield Target(path, config)


def _root(root: tuple[str, str], config_for, roots: set[str]) -> Iterator[Target]:
    kind, directory = root
    directory = os.path.normpath(directory)
    if directory not in roots:
        roots.add(directory)
        yield Target(directory, config_for(directory), kind)


def _walk(
    root: str, config_for, roots: set[str], git_ignored: GitIgnored | None, owner: str | None = None
) -> Iterator[Target | Unreadable]:
    """``owner`` is the kind of the chart or kustomization that ``root`` lies in, if any."""
    root = os.path.normpath(root)  # ``helm/`` as typed: the folders below must start with ``helm/``, not ``helm//``
    owners: list[tuple[str, str]] = []  # (folder, kind) of the roots met on the way down
    unlistable: list[OSError] = []
    ignored = git_ignored or (lambda path: False)
    for directory, subdirectories, files in os.walk(root, onerror=unlistable.append):
        if git_ignored and directory != root and (".git" in subdirectories or ".git" in files):
            git_ignored.add_repository(directory)
        config = config_for(directory)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not _skip_directory(os.path.join(directory, name), name, config) and not ignored(os.path.join(directory, name))
        )
        above = [kind for folder, kind in owners if directory.startswith(folder + os.sep)] + ([owner] if owner else [])
        kind = None if CHART in above else root_kind(directory, files)
        if kind is not None:
            owners.append((directory, kind))
            yield from _root((kind, directory), config_for, roots)
        manifests_owned = bool(above or kind or owns(directory, files))
        for name in sorted(files):
            if name.endswith(PYTHON_SUFFIXES) or (name.endswith(MANIFEST_SUFFIXES) and not manifests_owned):
                path = os.path.normpath(os.path.join(directory, name))
                if not config.is_excluded(path) and not ignored(path) and not _is_special(path):
                    yield Target(path, config)
    for error in unlistable:
        yield Unreadable(os.path.normpath(error.filename), f"cannot read directory: {error.strerror}")


def _is_special(path: str) -> bool:
    """A FIFO, socket or device, or a symlink to one: a walk passes over it in silence."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # dangling, or not to be looked at: reading it says so
        return False


def _skip_directory(path: str, name: str, config: Config) -> bool:
    return passed_over(path, name) or config.is_excluded(path)


def _default_excluded(path: str) -> bool:
    parts = os.path.normpath(path).split(os.sep)[:-1]
    return any(path_matches(part, pattern) for part in parts for pattern in DEFAULT_EXCLUDE)


def _is_source(path: str) -> bool:
    """What a walk would check, or a Python script: with ``--force-exclude`` (pre-commit,
    which passes every changed file so that a chart's ``_helpers.tpl`` counts) other
    files named outside a chart or kustomization are left alone. Anything but a regular
    file is kept, for reading it to say why it cannot be checked."""
    if path.endswith(PYTHON_SUFFIXES + MANIFEST_SUFFIXES) or _is_special(path):
        return True
    try:
        with open(path, "rb") as stream:
            first = stream.readline(200)
    except OSError:
        return True  # to be reported as unreadable
    return first.startswith(b"#!") and b"python" in first
