"""What the Kubernetes rules see: the objects of a manifest, the base of the rules, and a
manifest's findings. PyYAML is not imported here (see :mod:`oomlint.kubernetes.nodes`):
the rule registry imports the rules, and only a run that checks a manifest needs PyYAML,
which :mod:`oomlint.kubernetes.manifest` loads them with."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from oomlint.core.findings import Finding
from oomlint.core.rule import Rule
from oomlint.kubernetes.nodes import get, is_mapping, is_sequence, scalar

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node

# Workload kinds: the API groups they are served from (older versions included) and
# the path from the object to its pod template. A Pod is its own template.
WORKLOADS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "DaemonSet": (frozenset({"apps", "extensions"}), ("spec", "template")),
    "Deployment": (frozenset({"apps", "extensions"}), ("spec", "template")),
    "StatefulSet": (frozenset({"apps"}), ("spec", "template")),
    "ReplicaSet": (frozenset({"apps", "extensions"}), ("spec", "template")),
    "ReplicationController": (frozenset({""}), ("spec", "template")),
    "Job": (frozenset({"batch"}), ("spec", "template")),
    "CronJob": (frozenset({"batch"}), ("spec", "jobTemplate", "spec", "template")),
    "PodTemplate": (frozenset({""}), ("template",)),
    "Pod": (frozenset({""}), ()),
}


class Container(NamedTuple):
    role: str
    """``container`` or ``init container``."""
    name: str
    node: MappingNode

    def __str__(self) -> str:
        return f"{self.role} '{self.name}'"


@dataclass(frozen=True)
class KubeObject:
    """One Kubernetes object of a manifest, as the rules see it."""

    node: MappingNode
    api_version: str
    kind: str
    name: str
    namespace: str | None
    """None when the manifest leaves it to ``kubectl apply -n``."""

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"

    @property
    def api_group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @functools.cached_property
    def template(self) -> MappingNode | None:
        """The pod template (``metadata`` and ``spec``) of a workload; None for other kinds."""
        groups, path = WORKLOADS.get(self.kind, ((), ()))
        if self.api_group not in groups:
            return None
        node = self.node
        for key in path:
            node = get(node, key)
        return node if is_mapping(node) else None

    @property
    def is_fragment(self) -> bool:
        """An ``apps`` workload without ``spec.selector``, which the API server rejects
        (``apps/v1`` and ``v1beta2`` require one): a kustomize patch or another piece
        merged into the real object, so what it leaves out is not missing."""
        return self.api_version in ("apps/v1", "apps/v1beta2") and get(get(self.node, "spec"), "selector") is None

    @functools.cached_property
    def pod_spec(self) -> MappingNode | None:
        spec = get(self.template, "spec")
        return spec if is_mapping(spec) else None

    def containers(self) -> Iterator[Container]:
        """``containers``, then ``initContainers`` (restartable sidecars among them). Not
        ``ephemeralContainers``: the API forbids resources on those."""
        spec = self.pod_spec
        for key, role in (("containers", "container"), ("initContainers", "init container")):
            items = get(spec, key)
            if is_sequence(items):
                for item in items.value:
                    if is_mapping(item):
                        yield Container(role, scalar(get(item, "name")) or "?", item)


class KubernetesRule(Rule):
    """Base of the rules that check Kubernetes objects.

    ``check`` is called once for each object of each manifest (every kind: a rule picks
    the kinds it cares about); ``finish`` after the file's last object. Findings are
    reported with ``self.report(node, **fields)`` on a YAML node.
    """

    language = "kubernetes"
    limit_range_covers: ClassVar[bool] = False
    """Whether a LimitRange default memory limit in the object's namespace makes the
    rule's findings moot (the API server fills in the missing limit)."""

    def check(self, obj: KubeObject) -> None:
        """Called for every Kubernetes object of the manifest."""

    @classmethod
    def fix(cls, node: Node, options: dict, document, hint=None):
        """The text edits that fix a finding reported at the YAML ``node`` with ``fix=``:
        a list of :class:`oomlint.kubernetes.edits.Edit`, made with the helpers of
        ``document`` (a :class:`oomlint.kubernetes.edits.Document`, the text of ``node``'s
        document), which insert text and never re-dump YAML. None when the finding
        cannot be fixed: it is then left alone. ``hint`` is the finding's ``fix_hint``.
        """
        return None

    def fixable(self, node: Node) -> bool:
        """Whether :meth:`fix` can fix a finding at ``node`` in the document being checked:
        report ``fix=`` only then, so that the fix marker tells the truth."""
        return self.fix(node, self.settings, self.context.document) is not None


class ManifestFindings(list):
    """A manifest's findings, with what the CLI needs beyond them: how many Kubernetes
    ``objects`` were checked, ``covered`` (findings a LimitRange made moot, for
    ``--verbose``), the LimitRange defaults the file declares (namespace -> description)
    and the namespace of every finding such a default could cover."""

    def __init__(self) -> None:
        super().__init__()
        self.objects = 0
        self.covered: list[str] = []
        self.limit_ranges: dict[str | None, str] = {}
        self.coverable: dict[Finding, str | None] = {}


def cover(result: ManifestFindings, limit_ranges: dict[str | None, str]) -> None:
    """Drop the findings that a LimitRange default in their namespace makes moot."""
    covered = {f for f in result if f in result.coverable and result.coverable[f] in limit_ranges}
    if not covered:
        return
    result[:] = [f for f in result if f not in covered]
    for finding in sorted(covered):
        limit_range = limit_ranges[result.coverable.pop(finding)]
        where = f"{finding.path}:{finding.line}:{finding.column}"
        result.covered.append(f"{where}: {finding.code} not reported: {limit_range} sets a default memory limit")


def limit_ranges_of(results: Sequence[ManifestFindings]) -> dict[str | None, str]:
    """The LimitRange defaults the files declare, by namespace (the first one wins)."""
    limit_ranges: dict[str | None, str] = {}
    for result in results:
        for namespace, where in result.limit_ranges.items():
            limit_ranges.setdefault(namespace, where)
    return limit_ranges


def apply_limit_ranges(results: Sequence[ManifestFindings]) -> None:
    """The CLI's cross-file pass: a LimitRange default declared in any file of the run
    covers the OOM501/OOM504 findings of its namespace in every file."""
    limit_ranges = limit_ranges_of(results)
    for result in results:
        cover(result, limit_ranges)
