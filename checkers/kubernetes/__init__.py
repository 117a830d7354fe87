"""Kubernetes manifests: YAML nodes, the loader and object model, and the text edits
their fixes make."""
