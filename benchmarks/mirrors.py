"""Local git mirrors of public repositories, shared by the scripts that extract corpora.

A mirror is ``MIRRORS/<owner>+<name>/repo`` (the layout the fetch tool leaves, a bare git
directory), a clone with a work tree there, or a bare git directory ``MIRRORS/<owner>+<name>``.
"""

from __future__ import annotations

from pathlib import Path


def git_dir(mirrors: Path, repo: str) -> Path:
    folder = mirrors / repo.replace("/", "+")
    if (folder / "repo" / ".git").is_dir():  # a clone with a work tree
        return folder / "repo" / ".git"
    return folder / "repo" if (folder / "repo").is_dir() else folder
