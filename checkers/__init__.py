"""oomlint: find the code and Kubernetes manifests behind memory leaks and OOM kills.

The import package holds *how* code is checked, in layers (core; python and kubernetes;
engine; fix and report; hosts); the rules themselves live in :mod:`oomlint.rules`.
"""

from oomlint.core.version import __version__

__all__ = ["__version__", "register"]


def register(linter):
    """pylint's plugin hook, so that ``pylint --load-plugins=oomlint`` works."""
    from oomlint.hosts.pylint_plugin import register_checker

    register_checker(linter)
