"""oomlint: find the code and Kubernetes manifests behind memory leaks and OOM kills.

The import package holds *how* code is checked (engine, hosts, output); the rules
themselves live in :mod:`oomlint.rules`.
"""

__version__ = "0.1.0"


def register(linter):
    """pylint's plugin hook, so that ``pylint --load-plugins=oomlint`` works."""
    from oomlint.pylint_plugin import register_checker

    register_checker(linter)
