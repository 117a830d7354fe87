"""Documents whose kind no check reads (CRDs, ConfigMaps, RBAC, Services...) are
recognised from their text and not composed; nothing a check reports changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from oomlint.core.config import Config
from oomlint.engine import check_bytes
from oomlint.kubernetes import manifest
from tests.snapshots import fixture_config, fixture_files

RULES = Config().enabled
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  key: value\n"
DAEMONSET = (
    "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n"
    "  template:\n    spec:\n      containers:\n      - name: agent\n        image: agent:1\n"
)


@pytest.fixture
def composed(monkeypatch) -> list[str]:
    """The kind line of each document composed (its whole text when it has none)."""
    done: list[str] = []
    original = manifest._compose

    def compose(chunk):
        done.append(next((line for line in chunk.splitlines() if line.startswith("kind:")), chunk))
        return original(chunk)

    monkeypatch.setattr(manifest, "_compose", compose)
    return done


def test_only_the_kinds_a_check_reads_are_composed(composed):
    crd = "apiVersion: apiextensions.k8s.io/v1\nkind: 'CustomResourceDefinition'  # generated\nspec:\n  group: x\n"
    text = "---\n".join([CONFIG_MAP, crd, DAEMONSET, "apiVersion: v1\nkind: LimitRange\nspec: {}\n"])
    result = check_bytes(text.encode(), "all.yaml", RULES)
    assert [(f.line, f.code) for f in result] == [(23, "OOM501")]
    assert result.objects == 4
    assert composed == ["kind: DaemonSet", "kind: LimitRange"]


@pytest.mark.parametrize(
    "document",
    [
        "{apiVersion: v1, kind: ConfigMap}\n",  # flow style
        "apiVersion: v1\nkind: !!str ConfigMap\n",  # a tag
        "apiVersion: v1\nkind: ConfigMap\nkind: Secret\n",  # two kinds: a duplicate key to report
        "apiVersion: v1\nkind: '{{ .Values.kind }}'\n",  # templated
        "apiVersion: v1\nkind: List\nitems: []\n",
        "apiVersion: v1\nkind: ConfigMap\ndata: " + "[" * 499 + "]" * 499 + "\n",  # may nest too deep
    ],
)
def test_anything_less_plain_is_composed(document, composed):
    check_bytes(document.encode(), "one.yaml", RULES)
    assert len(composed) == 1


def test_a_config_map_with_a_duplicate_key_is_not_oomlints_to_report(composed):
    text = CONFIG_MAP + "data:\n  other: value\n"
    assert (check_bytes(text.encode(), "cm.yaml", RULES), composed) == ([], [])


@pytest.mark.parametrize("path", fixture_files("kubernetes"), ids=lambda path: path.name)
def test_skipping_changes_no_finding_of_a_fixture(path: Path, monkeypatch):
    rules = fixture_config(path, "kubernetes").enabled
    data = path.read_bytes()
    skipped = check_bytes(data, str(path), rules)
    monkeypatch.setattr(manifest, "unread_kind", lambda chunk: False)
    everything = check_bytes(data, str(path), rules)
    assert (list(skipped), skipped.objects, skipped.limit_ranges) == (list(everything), everything.objects, everything.limit_ranges)
