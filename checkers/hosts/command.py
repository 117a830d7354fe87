"""The ``oomlint`` command's entry point: it starts rendering the charts named on the
command line (:mod:`oomlint.kubernetes.prerender`) before it imports the checker, so
that Helm renders while Python imports, and stops what was not used when it ends."""

from __future__ import annotations

import sys

from oomlint.kubernetes import prerender


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    prerender.start(argv)
    try:
        from oomlint.hosts.cli import main as run

        return run(argv)
    finally:
        prerender.discard()
