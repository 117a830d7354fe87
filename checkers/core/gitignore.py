"""What git ignores, so that a walk passes over it as ``git status`` does.

Git itself answers (``.gitignore`` files, ``.git/info/exclude`` and the global excludes
file, with all of git's rules), once per repository a walk enters: ``git ls-files
--others --ignored --exclude-standard --directory`` lists the ignored files, and an
ignored folder as one entry, so the walk need not descend into it. Files git tracks
are never ignored. Without git, outside a work tree, or when git cannot read the
repository, nothing is filtered.
"""

from __future__ import annotations

import functools
import os
import subprocess

_COMMAND = (
    # A repository's own configuration must not make oomlint run its fsmonitor hook, nor
    # a listing write the index.
    "git", "-c", "core.fsmonitor=false", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z",
)


class GitIgnored:
    """Whether git ignores a path under the folder a walk started from."""

    def __init__(self, root: str):
        self._paths: set[str] = set()
        self.add_repository(root)

    def add_repository(self, directory: str) -> None:
        """Also ask git about ``directory``: the walk's root, or a repository nested in it
        (whose ``.gitignore`` files the outer repository does not read)."""
        entries = _ignored_entries(os.path.abspath(directory))
        self._paths.update(os.path.normpath(os.path.join(directory, entry)) for entry in entries)

    def __call__(self, path: str) -> bool:
        """True for an ignored file, or an ignored folder (the walk does not enter it)."""
        return os.path.normpath(path) in self._paths


def forget() -> None:
    """Ask git again next time (an editor saw files change)."""
    _ignored_entries.cache_clear()


@functools.lru_cache(maxsize=64)
def _ignored_entries(directory: str) -> tuple[str, ...]:
    """What git ignores under ``directory``, relative to it; folders end with ``/``. Asked
    once per process and repository: the project index walks the project the check walks."""
    try:
        listed = subprocess.run(
            _COMMAND, cwd=directory, capture_output=True, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}, check=False
        )
    except OSError:  # no git
        return ()
    entries = [os.fsdecode(entry) for entry in listed.stdout.split(b"\0") if entry]
    if listed.returncode != 0 or "./" in entries:
        return ()  # not a work tree; or a folder git ignores whole, named on the command line
    return tuple(entries)
