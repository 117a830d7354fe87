"""``oomlint fix`` for Kubernetes manifests: insertions into the YAML text as written.

A manifest is never re-dumped, which would lose comments, quoting, key order and
layout. Each finding goes back to the node it was reported at: its document is
composed again and the node found by its span (:func:`oomlint.kubernetes.nodes.span`).
The rule's :meth:`~oomlint.kubernetes.manifest.KubernetesRule.fix` returns
:class:`~oomlint.kubernetes.edits.Edit` insertions; :mod:`oomlint.fix.driver` runs the
passes, checks that the result parses, lost the fixed findings and gained none, and
writes the file.
"""

from __future__ import annotations

from oomlint.core.findings import DIAGNOSTICS, Finding
from oomlint.core.rule import Rule
from oomlint.kubernetes.edits import Document
from oomlint.kubernetes.manifest import UnparsableDocument, check_manifest_text, composed
from oomlint.kubernetes.nodes import nodes, span


def apply(source: str, findings: list[Finding], rules: dict[str, tuple[type[Rule], dict]], path: str) -> tuple[str, list[Finding]]:
    """``source`` with the edits of the fixes of ``findings``, and the findings fixed.

    A finding goes back to the outermost node of its document with the finding's span.
    A fix with an edit at an offset where another fix already inserts waits for the next
    pass: the order of the two insertions would be a guess.
    """
    by_span: dict[tuple[int, int, int, int], list[Finding]] = {}
    for finding in findings:
        by_span.setdefault((finding.line, finding.column, finding.end_line, finding.end_column), []).append(finding)
    insertions: list[tuple[int, str]] = []
    taken: set[int] = set()
    applied = []
    for line_offset, offset, text, root in composed(source, path):
        document = Document(text)
        for node in nodes(root):
            for finding in by_span.pop(span(node, line_offset), ()):
                rule, options = rules[finding.code]
                edits = [(offset + edit.offset, edit.text) for edit in rule.fix(node, options, document, finding.fix_hint) or ()]
                if edits and taken.isdisjoint(position for position, _ in edits):
                    insertions += edits
                    taken.update(position for position, _ in edits)
                    applied.append(finding)
    pieces, start = [], 0
    for position, text in sorted(insertions, key=lambda insertion: insertion[0]):
        pieces += (source[start:position], text)
        start = position
    return "".join(pieces) + source[start:], applied


def check(source: str, path: str, rules) -> tuple[str | None, list[Finding]]:
    """Why the fixed ``source`` does not parse (None if it does), and its findings.

    Every document must compose, not only those the checks read: a document broken
    into one that no longer looks like a Kubernetes object would be dropped unseen.
    """
    try:
        for _ in composed(source, path):
            pass
    except UnparsableDocument as error:
        return str(error), []
    findings = check_manifest_text(source, path, rules)
    broken = next((finding for finding in findings if finding.code in DIAGNOSTICS), None)
    return (None if broken is None else f"{broken.message}, line {broken.line}"), findings
