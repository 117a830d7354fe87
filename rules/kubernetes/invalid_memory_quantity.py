"""OOM502: a memory request or limit that Kubernetes rejects or that is surely a mistake."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oomlint.core.rule import Option
from oomlint.kubernetes.nodes import templated
from oomlint.kubernetes.objects import KubeObject, KubernetesRule
from oomlint.rules.kubernetes._memory import MINIMUM, Quantity, assess, bytes_text, memory_settings, parse_quantity

if TYPE_CHECKING:
    from yaml.nodes import Node


def _positive_quantity(value: object) -> str | None:
    quantity = parse_quantity(value)
    return None if quantity is not None and quantity.bytes > 0 else f"{value!r} is not a positive quantity"


class InvalidMemoryQuantity(KubernetesRule):
    """
    ## What it does
    Checks every memory request and limit of a workload (each container's, init
    containers included, and the pod-level `resources`) and flags one that:

    - is not a Kubernetes quantity: `600MB`, `512MiB`, `1gi`, `lots`, `1.5.2Gi`, an empty
      string, `null`, a list or a mapping;
    - is negative or zero;
    - uses a sub-byte unit: `3500m` is 3.5 bytes (`m` is milli, a CPU unit), so are `u`
      and `n`;
    - lies below a floor (`minimum`, default `4Mi`), too little for any container to
      start: `100Ki`, or a bare `512`, which is 512 bytes;
    - is more than Kubernetes can hold: it counts bytes in a signed 64-bit integer, so
      `8Ei` or `1e30` is silently capped or wraps around;
    - is a request above its limit, compared by value (`1Gi` equals `1024Mi`).

    Workloads are the kinds of OOM501 and OOM504, whichever of those is enabled. The
    message gives the parsed size in bytes and, for a unit written the way other tools
    write it, the likely intent: `600MB` is `600M` (600000000 bytes) or `600Mi`
    (629145600 bytes).

    The grammar is Kubernetes' own (`resource.Quantity`):

    ```text
    quantity        ::= signedNumber suffix
    signedNumber    ::= sign number
    sign            ::= "+" | "-" | ""
    number          ::= digits | digits "." digits | digits "." | "." digits
    suffix          ::= binarySI | decimalSI | decimalExponent
    binarySI        ::= "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"       (powers of 1024)
    decimalSI       ::= "n" | "u" | "m" | "" | "k" | "M" | "G" | "T" | "P" | "E"
    decimalExponent ::= ("e" | "E") signedNumber                  (1e3 = 1000)
    ```

    `1E` is an exabyte but `1E3` is a thousand bytes; `K` (capital) is not a unit,
    `k` is. A YAML number (`memory: 1073741824`) is a quantity of bytes.

    ## Why is this bad?
    The API server rejects a malformed quantity or a request above the limit, so the
    rollout fails, often only in the cluster where someone finally applies it. The
    quantities it accepts can be worse: `memory: 3500m` is 3.5 bytes, `memory: 512` is
    512 bytes, and the container is OOM-killed as it starts, over and over.

    ## Known limits
    A value that a template fills in (`memory: "{{ .Values.limit }}"` in a file that is
    not rendered) is not checked: it is unknown until rendered. Helm charts and
    kustomizations are checked as rendered, with the values they are given. A request
    and a limit that are both sound but far apart (`1Mi` against `64Gi`) are not
    flagged: only a request above its limit is.

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
                limits:
                  memory: 600MB
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
                limits:
                  memory: 600Mi
    ```

    ## Options
    `minimum`: the smallest request or limit that is not reported, as a quantity.

    ## Fix
    None: the likely intent is in the message, but only you know which of `600M` and
    `600Mi` you meant.

    ## References
    - [Quantity grammar (k8s.io/apimachinery)](https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go)
    - [Memory resource units](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-memory)
    """

    code = "OOM502"
    symbol = "invalid-memory-quantity"
    summary = "Memory request or limit that Kubernetes rejects or that is surely a mistake"
    message = "{object}: {owner} memory {field} {problem}"
    options = (
        Option("minimum", MINIMUM.text, "requests and limits below this quantity are reported", validate=_positive_quantity),
    )

    def __init__(self, context, options):
        super().__init__(context, options)
        self.minimum = parse_quantity(options["minimum"])

    def check(self, obj: KubeObject) -> None:
        for owner, request_node, limit_node in memory_settings(obj):
            request = self._sound(obj, owner, "request", request_node)
            limit = self._sound(obj, owner, "limit", limit_node)
            if request is not None and limit is not None and request.bytes > limit.bytes:
                problem = (
                    f"'{request.text}' ({bytes_text(request.bytes)}) is above the limit '{limit.text}' "
                    f"({bytes_text(limit.bytes)}); the API server rejects it"
                )
                self.report(request_node, object=obj, owner=owner, field="request", problem=problem)

    def _sound(self, obj: KubeObject, owner: str, field: str, node: Node | None) -> Quantity | None:
        """The node's quantity if it is sound; otherwise None, and a finding if it is there."""
        if node is None or templated(node):
            return None  # absent, or filled in by a template: unknown until rendered
        assessed = assess(node, self.minimum)
        if isinstance(assessed, Quantity):
            return assessed
        self.report(node, object=obj, owner=owner, field=field, problem=assessed)
        return None
