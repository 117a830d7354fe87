"""OOM503: a memory request below its limit, so the pod is not Guaranteed QoS (opt-in)."""

from __future__ import annotations

from oomlint.kubernetes.objects import KubeObject, KubernetesRule
from oomlint.rules.kubernetes._memory import memory_settings, quantity_of


class MemoryRequestBelowLimit(KubernetesRule):
    """
    ## What it does
    Flags a memory request that is set and lower than the memory limit, in any workload
    (each container, init containers included, and the pod-level `resources`).
    Quantities compare by value: `1Gi` and `1024Mi` are equal.

    Off by default: Burstable pods are a legitimate choice for workloads that can
    tolerate eviction. Turn it on with `extend-select = ["OOM503"]` where every pod
    should be Guaranteed.

    ## Why is this bad?
    A pod is Guaranteed QoS only when every container's requests equal its limits. With
    a request below the limit the pod is Burstable: the scheduler places it by the
    request, so a node can be promised more memory than it has, and when the node runs
    short the kubelet evicts Burstable pods before Guaranteed ones. The Fluentd
    DaemonSet's pods were Burstable, which is how a leak in one component turned into
    evictions of customer pods.

    ## Known limits
    A request that is not set is not flagged: Kubernetes then makes it equal to the
    limit. Nor is a missing limit (OOM501/OOM504), a request above the limit or an
    invalid quantity (OOM502). A request or limit that a template fills in is not
    compared until rendered.

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
              resources:
                requests:
                  memory: 256Mi
                limits:
                  memory: 1Gi
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
                requests:
                  memory: 1Gi
                limits:
                  memory: 1Gi
    ```

    ## Options
    None.

    ## Fix
    None, not even an unsafe one: which value moves is a decision. Raising the request
    to the limit reserves that much of every node the pod runs on (fewer pods fit);
    lowering the limit to the request OOM-kills a container that needs its burst. Pick
    from the container's measured working set.

    ## References
    - [Pod quality of service classes](https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/)
    - [Node-pressure eviction](https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/)
    """

    code = "OOM503"
    symbol = "memory-request-below-limit"
    summary = "Memory request below the limit: the pod is not Guaranteed QoS"
    message = (
        "{object}: {owner} memory request '{request}' is below its limit '{limit}', so the pod is "
        "Burstable, not Guaranteed, and evicted first when the node runs short; set them equal"
    )
    default_enabled = False

    def check(self, obj: KubeObject) -> None:
        for owner, request_node, limit_node in memory_settings(obj):
            request, limit = quantity_of(request_node), quantity_of(limit_node)
            if request is not None and limit is not None and 0 < request.bytes < limit.bytes:
                self.report(request_node, object=obj, owner=owner, request=request.text, limit=limit.text)
