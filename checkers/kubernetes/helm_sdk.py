"""Render a Helm chart with helm-python-sdk (Helm's Go SDK, in-process) in a child process.

:mod:`oomlint.kubernetes.rendering` runs ``python -m oomlint.kubernetes.helm_sdk`` with a JSON request on
stdin: ``{"chart": PATH, "renders": [{"files": [PATH...], "set": ["a.b=1"...]}...]}``,
and reads ``{"renders": [{"manifests": {TEMPLATE: TEXT}} | {"error": TEXT}...]}`` or
``{"error": TEXT}`` from stdout. The Go runtime stays out of oomlint's own process: it
does not survive ``fork`` (the CLI's worker pool), a render cannot be interrupted
in-process (the time bound is the child's), and a crash costs only the child.

Values are composed as ``helm template -f FILE --set ...`` composes them: files merged
in order (maps merged key by key, anything else replaced), then each ``--set``.
"""

from __future__ import annotations

import json
import sys

# What ``helm template CHART`` uses when given no release name or namespace. They are
# defined here, where the child needs nothing else of oomlint's (its start-up is a render's).
RELEASE_NAME, NAMESPACE = "release-name", "default"
RELEASE = {"name": RELEASE_NAME, "namespace": NAMESPACE, "is_install": True}


def merge_values(base: dict, override: dict) -> dict:
    """Helm's ``mergeMaps``: maps merge recursively, any other value replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_values(merged[key], value)
        else:
            merged[key] = value
    return merged


def missing_dependencies(helm, chart) -> str | None:
    """Helm's ``CheckDependencies``, which ``helm template`` runs and the SDK's render does
    not: every dependency of Chart.yaml must be vendored under ``charts/``."""
    loaded = {dependency.get("name") for dependency in chart.dependencies}
    declared = [dependency.get("name") for dependency in chart.metadata.get("dependencies") or []]
    missing = [name for name in declared if name not in loaded]
    return f"found in Chart.yaml, but missing in charts/ directory: {', '.join(missing)}" if missing else None


def render(helm, chart, request: dict) -> dict:
    """One render of ``chart`` with the value files and set-values of ``request``."""
    values: dict = {}
    try:
        for path in request["files"]:
            with open(path, encoding="utf-8") as stream:
                values = merge_values(values, helm.values_from_yaml(stream.read()) or {})
        for item in request["set"]:
            values = merge_values(values, helm.parse_set_string(item))
        return {"manifests": chart.render(values, **RELEASE)}
    except OSError as error:
        return {"error": f"cannot read {error.filename}: {error.strerror}"}
    except helm.HelmError as error:
        return {"error": str(error)}


def main() -> int:
    request = json.load(sys.stdin)
    try:
        import helm_python as helm
    except ImportError as error:  # installed but broken: the parent checked it is there
        json.dump({"error": f"cannot load helm-python-sdk: {error}"}, sys.stdout)
        return 0
    try:
        chart = helm.Chart.load(request["chart"])
    except helm.HelmError as error:
        json.dump({"error": str(error)}, sys.stdout)
        return 0
    with chart:
        problem = missing_dependencies(helm, chart)
        if problem:
            json.dump({"error": problem}, sys.stdout)
            return 0
        json.dump({"renders": [render(helm, chart, item) for item in request["renders"]]}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
