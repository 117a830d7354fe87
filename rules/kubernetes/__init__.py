"""Rules for Kubernetes manifests (YAML and JSON), run by the ``oomlint`` command."""
