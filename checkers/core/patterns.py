"""Path patterns as flake8 spells them, and the folders every walk passes over: apart
from :mod:`oomlint.core.config`, so that the command's first module
(:mod:`oomlint.kubernetes.prerender`) passes over the same folders without importing the
rules."""

from __future__ import annotations

import fnmatch
import functools
import os
import re

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".env", ".tox", ".nox", ".direnv",
    "__pycache__", "__pypackages__", "build", "dist", "_build", "node_modules",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".oomlint_cache", ".eggs", "*.egg-info", "site-packages",
)


def passed_over(path: str, name: str) -> bool:
    """A folder no walk goes into, whatever the configuration: tools' and VCS folders, and
    a virtualenv under any name."""
    return any(path_matches(name, pattern) for pattern in DEFAULT_EXCLUDE) or os.path.exists(os.path.join(path, "pyvenv.cfg"))


def path_matches(relative: str, pattern: str) -> bool:
    """flake8-style: a pattern without ``/`` matches any path component, else the path."""
    pattern = pattern.rstrip("/")
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in relative.split("/"))
    return fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern + "/*")


def matches_any(relative: str, patterns: tuple[str, ...]) -> bool:
    """Whether one of ``patterns`` matches (:func:`path_matches`): a walk asks for every
    file, so the patterns without ``/`` are one regular expression, matched per component."""
    component = _component_pattern(patterns)
    return any(component.match(part) for part in relative.split("/")) or any(
        path_matches(relative, pattern) for pattern in patterns if "/" in pattern.rstrip("/")
    )


@functools.lru_cache(maxsize=64)
def _component_pattern(patterns: tuple[str, ...]) -> re.Pattern:
    """A component has no ``/``: what ``*`` matches in it stays in it."""
    alternatives = [fnmatch.translate(pattern.rstrip("/")) for pattern in patterns if "/" not in pattern.rstrip("/")]
    return re.compile("|".join(alternatives) or "(?!)")
