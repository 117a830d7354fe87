"""Which files a run checks: named files as given, directories walked recursively
for Python sources and Kubernetes manifests (YAML and JSON), passing over what git
ignores (:mod:`oomlint.core.gitignore`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from oomlint.core.config import DEFAULT_EXCLUDE, Config, path_matches
from oomlint.core.gitignore import GitIgnored
from oomlint.core.rule import MANIFEST_SUFFIXES

PYTHON_SUFFIXES = (".py", ".pyi")
STDIN = "-"


@dataclass(frozen=True)
class Target:
    path: str
    config: Config


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
    for path in paths:
        if path == STDIN:
            yield Target(STDIN, config_for(os.getcwd()))
        elif os.path.isdir(path):
            yield from _walk(path, config_for, GitIgnored(path) if respect_gitignore else None)
        else:
            try:
                os.lstat(path)  # a dangling symlink is yielded: reading it says why it fails
            except OSError as error:
                yield Unreadable(path, f"cannot read file: {error.strerror}")
                continue
            config = config_for(path)
            if not (force_exclude and (config.is_excluded(path) or _default_excluded(path))):
                yield Target(path, config)


def _walk(root: str, config_for, git_ignored: GitIgnored | None) -> Iterator[Target | Unreadable]:
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
        for name in sorted(files):
            if name.endswith(PYTHON_SUFFIXES + MANIFEST_SUFFIXES):
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
    if any(path_matches(name, pattern) for pattern in DEFAULT_EXCLUDE):
        return True
    if os.path.exists(os.path.join(path, "pyvenv.cfg")):  # a virtualenv under any name
        return True
    return config.is_excluded(path)


def _default_excluded(path: str) -> bool:
    parts = os.path.normpath(path).split(os.sep)[:-1]
    return any(path_matches(part, pattern) for part in parts for pattern in DEFAULT_EXCLUDE)
