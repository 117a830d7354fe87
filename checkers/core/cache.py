"""oomlint's cache folder: what a run can reuse from the last one, keyed by content.

Like ruff's ``.ruff_cache``: one folder at the project root, ignored by git through a
``.gitignore`` of its own and by backup tools through ``CACHEDIR.TAG``; one folder per
oomlint version, so an upgrade never reads what an older version wrote. Entries are
written to a temporary file and renamed over the entry, so parallel processes (flake8's
workers, an editor beside a pre-commit run) never read half an entry. A folder that
cannot be written turns the cache off: a cache never fails a run.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
from pathlib import Path

from oomlint.core.version import __version__

CACHE_FOLDER = ".oomlint_cache"
# Markers of a project's root, nearest first: where the cache folder and the project index live.
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git", ".hg")
_GITIGNORE = "# Created by oomlint automatically.\n*\n"
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is oomlint's cache.\n"


def project_root(start: str | os.PathLike) -> Path | None:
    """The nearest folder at or above ``start`` holding a project marker, if any. A
    package (a folder with ``__init__.py``) is no project's root: its ``setup.py`` is a
    module (a Django view named so), not the project's."""
    start = os.path.abspath(start)
    return _root_of(start if os.path.isdir(start) else os.path.dirname(start))


@functools.lru_cache(maxsize=4096)
def _root_of(directory: str) -> Path | None:
    """Once per folder, not per file: a check asks for every file."""
    for folder in (Path(directory), *Path(directory).parents):
        if any(os.path.exists(folder / marker) for marker in ROOT_MARKERS) and not os.path.exists(folder / "__init__.py"):
            return folder
    return None


def content_key(*parts: bytes | str) -> str:
    """A key naming ``parts`` (contents, settings, names) together."""
    import hashlib  # imported when first needed, like tempfile: a chart's run needs neither
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


@functools.cache
def implementation_key() -> str:
    """A key naming oomlint's code as installed: each module's path, size and modification
    time. The version alone does not change when an editable install's code does (oomlint's
    own developers, a fork), and what the code computed must not outlive the code."""
    # In the source tree the rules are a folder of their own (pyproject's package-dir).
    rules = importlib.util.find_spec("oomlint.rules").submodule_search_locations
    parts = []
    for folder in sorted({Path(__file__).resolve().parent.parent, *(Path(p).resolve() for p in rules)}):
        for directory, subfolders, files in os.walk(folder):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    status = os.stat(os.path.join(directory, name))
                    parts.append(f"{directory}/{name}:{status.st_size}:{status.st_mtime_ns}")
    return content_key(*parts)


class Cache:
    """Entries by namespace and key under ``directory``; ``directory`` None is no cache."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self._prepared = False

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def get(self, namespace: str, key: str) -> bytes | None:
        if self.directory is None:
            return None
        try:
            return self._entry(namespace, key).read_bytes()
        except OSError:
            return None

    def put(self, namespace: str, key: str, data: bytes) -> None:
        if self.directory is None:
            return
        entry = self._entry(namespace, key)
        try:
            self._prepare()
            entry.parent.mkdir(parents=True, exist_ok=True)
            import tempfile

            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, entry)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            self.directory = None  # read-only or full: run on without a cache

    def _entry(self, namespace: str, key: str) -> Path:
        return self.directory / __version__ / namespace / key[:2] / key

    def _prepare(self) -> None:
        if self._prepared:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = self.directory / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        self._prepared = True


def remove_cache(directory: Path) -> bool:
    """Delete a cache folder (``oomlint clean``); False when there was none. Only a folder
    oomlint made (its ``CACHEDIR.TAG`` names oomlint) is removed."""
    tag = directory / "CACHEDIR.TAG"
    if not tag.is_file() or "oomlint" not in tag.read_text(encoding="utf-8", errors="replace"):
        return False
    shutil.rmtree(directory)
    return True
