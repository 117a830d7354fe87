"""Which files a run checks: named files as given, directories walked recursively
for Python sources and Kubernetes manifests (YAML and JSON)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from oomlint.config import DEFAULT_EXCLUDE, Config, path_matches
from oomlint.rule import MANIFEST_SUFFIXES

PYTHON_SUFFIXES = (".py", ".pyi")
STDIN = "-"


@dataclass(frozen=True)
class Target:
    path: str
    config: Config


class MissingPath(Exception):
    pass


def collect(paths: list[str], config_for, force_exclude: bool = False) -> Iterator[Target | MissingPath]:
    """Yield what to check under ``paths``, in a stable order.

    ``config_for(path)`` gives the settings of a file or folder (the nearest
    pyproject.toml, or the one named by ``--config``). A path that does not exist is
    yielded as :class:`MissingPath`, to be reported like any unreadable file. A named
    file is yielded whatever it is (reading it says if it is not a regular file); a walk
    yields regular files only.
    """
    for path in paths:
        if path == STDIN:
            yield Target(STDIN, config_for(os.getcwd()))
        elif os.path.isdir(path):
            yield from _walk(path, config_for)
        elif os.path.exists(path) or os.path.islink(path):
            config = config_for(path)
            if not (force_exclude and (config.is_excluded(path) or _default_excluded(path))):
                yield Target(path, config)
        else:
            yield MissingPath(path)


def _walk(root: str, config_for) -> Iterator[Target]:
    for directory, subdirectories, files in os.walk(root):
        config = config_for(directory)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not _skip_directory(os.path.join(directory, name), name, config)
        )
        for name in sorted(files):
            if name.endswith(PYTHON_SUFFIXES + MANIFEST_SUFFIXES):
                path = os.path.normpath(os.path.join(directory, name))
                if not config.is_excluded(path) and not _is_special(path):
                    yield Target(path, config)


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
