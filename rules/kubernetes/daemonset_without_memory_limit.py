"""OOM501: a DaemonSet container with no memory limit."""

from __future__ import annotations

from oomlint.rules.kubernetes._memory import MISSING_LIMIT_MESSAGE, MissingMemoryLimit


class DaemonsetWithoutMemoryLimit(MissingMemoryLimit):
    """
    ## What it does
    Flags every container of a DaemonSet (`apps/v1`, and the older `apps/v1beta2` and
    `extensions/v1beta1`) that has no `resources.limits.memory`: regular containers and
    init containers, restartable sidecars (`restartPolicy: Always`) included. The finding
    is on the container's first line and names the DaemonSet (kind, namespace/name) and
    the container.

    A container is covered, and not flagged, when the pod template sets a pod-level
    `resources.limits.memory`, or when a LimitRange of `type: Container` with a
    `default.memory` (or a `max.memory`, which the API server copies into `default`) in
    the same namespace is among the files checked in the same run. `oomlint -v` says
    which LimitRange covered which container.

    Helm charts and kustomizations are checked as rendered: the finding is reported at
    the container's entry in the template or resource file, and names the values files
    or kustomizations under which it holds.

    ## Why is this bad?
    A container without a memory limit may grow until the node runs out of memory. Then
    the kernel OOM-kills processes and the kubelet evicts pods, whichever they are.
    A DaemonSet has a copy on every node, so one leak takes down the whole fleet. In the
    Fluentd incident the log shipper's DaemonSet had `requests.memory: 256Mi` and no
    limit: its pods were Burstable, a plugin leak grew them until the kernel OOM-killed
    them on 14 of 22 nodes, and the kubelet evicted customer pods alongside.

    With a limit, only the leaking container is killed and restarted, and the scheduler
    can account for what each node really holds.

    ## Known limits
    A LimitRange covers containers only when it is among the files checked in the same
    run; one that lives outside the repository is not seen. Objects with no namespace
    count as one namespace of their own: the one `kubectl apply -n` will put them all in.

    `ephemeralContainers` are not checked: the API forbids resources on them. Nor is an
    `apps/v1` DaemonSet without `spec.selector`: the API server rejects one, so it is a
    fragment, typically a kustomize patch merged into a base that sets the limits
    (oomlint builds every kustomization folder and checks the merged result). A limit
    that a template fills in (`memory: "{{ .Values.limit }}"` in a file that is not
    rendered) counts as set.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: fluentd
      namespace: logging
    spec:
      selector:
        matchLabels: {app: fluentd}
      template:
        metadata:
          labels: {app: fluentd}
        spec:
          containers:
            - name: fluentd
              image: fluent/fluentd:v1.16
              resources:
                requests:
                  memory: 256Mi
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: fluentd
      namespace: logging
    spec:
      selector:
        matchLabels: {app: fluentd}
      template:
        metadata:
          labels: {app: fluentd}
        spec:
          containers:
            - name: fluentd
              image: fluent/fluentd:v1.16
              resources:
                requests:
                  memory: 512Mi
                limits:
                  memory: 512Mi
    ```

    ## Options
    `include-init-containers` (default `true`): set it to `false` to leave init
    containers (restartable sidecars among them) out:

    ```toml
    [tool.oomlint.OOM501]
    include-init-containers = false
    ```

    To accept a container without a limit, annotate the DaemonSet or its pod
    template with `ignore-check.oomlint.io/daemonset-without-memory-limit: "<reason>"`
    (an empty reason is reported), or put `# noqa: OOM501` on the container's line.

    ## Fix
    None by default: only you know how much memory the container needs. Measure its
    working set and set `resources.limits.memory` (and `requests.memory`, equal for
    Guaranteed QoS).

    `oomlint fix --unsafe-fixes` sets the limit equal to the container's memory request,
    where it has one, copied as written (`"256Mi"` stays quoted). Unsafe: a container
    that used to grow past its request is now OOM-killed there. The YAML is edited in
    place and the rest of the file is left as it is, comments included: a `limits:`
    mapping goes after the `requests` block, at its indentation (`limits: {memory: ...}`
    after a `requests: {...}` written in flow style); into a flow-style `resources`
    (`{requests: {...}}`, JSON too) goes `, limits: {memory: ...}`; into an existing
    `limits` mapping (`limits: {}` and a `limits:` left empty included) goes `memory`.
    The fix is not offered (`oomlint check` counts only the findings it can fix) when
    the container has no memory request; when OOM502 would report the request (with its
    default 4Mi floor); when the request, `resources` or `limits` is an alias, anchored
    or tagged; when the container, `resources` or `limits` merges others in with `<<`;
    or when `limits` is `null` or not a mapping.

    ## References
    - [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    - [Pod-level resources](https://kubernetes.io/docs/tasks/configure-pod-container/assign-pod-level-resources/)
    - [LimitRange default memory](https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/)
    - [Node-pressure eviction](https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/)

    """

    code = "OOM501"
    symbol = "daemonset-without-memory-limit"
    summary = "DaemonSet container with no memory limit"
    message = MISSING_LIMIT_MESSAGE
    kinds = frozenset({"DaemonSet"})
