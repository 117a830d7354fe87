"""OOM504: a container of a workload other than a DaemonSet with no memory limit (opt-in)."""

from __future__ import annotations

from oomlint.kubernetes.objects import WORKLOADS
from oomlint.rules.kubernetes._memory import MISSING_LIMIT_MESSAGE, MissingMemoryLimit


class WorkloadWithoutMemoryLimit(MissingMemoryLimit):
    """
    ## What it does
    OOM501's check for the other workload kinds: flags every container (init containers
    included) with no `resources.limits.memory` in a Deployment, StatefulSet, ReplicaSet,
    ReplicationController, Job, CronJob (its `jobTemplate`), Pod or PodTemplate. As for
    OOM501, a pod-level `resources.limits.memory` covers the pod's containers, and so
    does a LimitRange `type: Container` default (or max) memory in the same namespace,
    among the files checked in the same run.

    Off by default: a Deployment's replicas are spread over nodes, so a leak in one
    costs less than in a DaemonSet, and many teams rely on a namespace LimitRange that
    lives outside the repository. Turn it on with `extend-select = ["OOM504"]`.

    ## Why is this bad?
    A container without a memory limit may grow until its node runs out of memory, and
    then the kubelet evicts pods that did nothing wrong. That is how the Fluentd
    DaemonSet's leak took customer pods down with it; any workload can do the same to
    the pods that share its nodes.

    ## Known limits
    As for OOM501: a LimitRange outside the files checked in the run is not seen;
    `ephemeralContainers` are not checked, nor are `apps/v1` objects without
    `spec.selector` (fragments, such as kustomize patches); a limit that a template
    fills in counts as set.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: checkout
      namespace: shop
    spec:
      selector:
        matchLabels: {app: checkout}
      template:
        metadata:
          labels: {app: checkout}
        spec:
          containers:
            - name: api
              image: shop/checkout:2.3
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: checkout
      namespace: shop
    spec:
      selector:
        matchLabels: {app: checkout}
      template:
        metadata:
          labels: {app: checkout}
        spec:
          containers:
            - name: api
              image: shop/checkout:2.3
              resources:
                limits:
                  memory: 1Gi
    ```

    ## Options
    `include-init-containers` (default `true`): `false` leaves init containers out, as
    for OOM501 (`[tool.oomlint.OOM504]`).

    Annotate the object or its pod template with
    `ignore-check.oomlint.io/workload-without-memory-limit: "<reason>"`, or put
    `# noqa: OOM504` on the container's line, to accept a container without a limit.

    ## Fix
    None by default: set `resources.limits.memory` to the container's measured working
    set plus headroom.

    `oomlint fix --unsafe-fixes` sets the limit equal to the container's memory request,
    where it has one, copied as written: OOM501's fix, with the same limits (see there
    for where it goes in the YAML and when it is not offered). Unsafe: a container that
    used to grow past its request is now OOM-killed there.

    ## References
    - [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    - [Configure default memory requests and limits for a namespace](https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/)
    - OOM501, for the comparison with other linters.
    """

    code = "OOM504"
    symbol = "workload-without-memory-limit"
    summary = "Workload container with no memory limit"
    message = MISSING_LIMIT_MESSAGE
    default_enabled = False
    kinds = frozenset(WORKLOADS) - {"DaemonSet"}
