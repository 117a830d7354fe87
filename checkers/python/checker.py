"""The Python checker: one parse, one walk, every rule.

``check_source`` parses a module (hosts that already hold a tree, flake8, hand it over),
keeps the semantic model current in one walk and dispatches each node to the rules that
asked for its type. Nothing of a file -- tree, source, model or rule instances -- is kept
once its findings are returned.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Sequence

from oomlint.core.findings import SYNTAX_ERROR, TOO_DEEP, Finding, diagnostic
from oomlint.core.noqa import NoqaMap
from oomlint.core.rule import Rule
from oomlint.core.source import LINE_BREAK
from oomlint.python.children import CHILD_FIELDS
from oomlint.python.parsing import TREES, one_file, parse
from oomlint.python.semantic import INITIALIZERS, Binding, Scope, SemanticModel

# Names in a source's text (a cheap superset of the names its code uses).
_IDENTIFIER = re.compile(r"[^\W\d]\w*")
# Which grammar parsed the file: syntax newer than the running Python's does not parse.
RUNNING_PYTHON = f"Python {sys.version_info.major}.{sys.version_info.minor}"
# The walk recurses once per nesting level; generated code (sympy's lookup tables) nests
# deeper than Python's default limit allows. Python >= 3.11 does not use the C stack here.
_WALK_RECURSION_LIMIT = 20_000


@one_file()
def check_source(
    source: str,
    path: str,
    rules: Sequence[tuple[type[Rule], dict]],
    *,
    tree: ast.Module | None = None,
    noqa: bool = True,
    project=None,
) -> list[Finding]:
    """Run ``rules`` (classes with their options) over one module's source; ``project``
    is the :class:`~oomlint.python.project.ProjectIndex` of the project it belongs to.

    Only the rules that can report in the source run (:func:`can_report`; for the rules
    that follow values through the project, the names of the project's functions that
    lead to what they follow count too: ``conn = get_conn()`` can be an acquire). When none can
    (test code, which no rule checks by default, or a file without any of the names the
    selected rules look for), the source is neither parsed nor walked: a syntax error
    there is no ``OOM003``, since nothing oomlint reports could be missed because of it.
    """
    kept = TREES.take(path, source)  # parsed for the project index in this process
    if tree is None:
        tree = kept
    if project is not None:
        project.own_module(path)  # test code the index left out: its own helpers count too
    identifiers = functools.cache(lambda: frozenset(_IDENTIFIER.findall(source)))
    holds = _TextScan(source)
    rules = [
        item for item in rules if item[0].language == "python" and can_report(*item, source, project, identifiers, holds)
    ]
    if not rules:
        return []
    if tree is None:
        try:
            tree = parse(source, filename=path)
        except SyntaxError as error:
            return [_syntax_diagnostic(path, source, error)]
        except ValueError as error:  # e.g. null bytes in the source
            return [diagnostic(path, SYNTAX_ERROR, f"cannot parse with {RUNNING_PYTHON}: {error}")]
        except (RecursionError, MemoryError):
            return [diagnostic(path, TOO_DEEP, "nested too deeply to parse")]
    context = FileContext(path, source, tree, project)
    try:
        with TREES.holding(path, source, tree):
            findings = _run_rules(context, rules)
    finally:
        context.close()
    if findings is None:
        return [diagnostic(path, TOO_DEEP, "nested too deeply to check")]
    if noqa and findings and "noqa" in source.lower():
        noqa_map = NoqaMap(source)
        findings = [f for f in findings if not noqa_map.suppresses(f.line, f.code)]
    findings.sort()
    return findings


def _run_rules(context: FileContext, rules: Sequence[tuple[type[Rule], dict]]) -> list[Finding] | None:
    """The rules' findings in the file of ``context``; None when it nests too deeply to walk."""
    instances = [rule_class(context, options) for rule_class, options in rules]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _WALK_RECURSION_LIMIT))
    try:
        Walker(context.model, instances).run(context.tree)
    except RecursionError:
        return None
    finally:
        sys.setrecursionlimit(limit)
    for rule in instances:
        rule.finish()
    for rule in instances:
        vars(rule).clear()  # what a rule keeps of the file may be in a cycle: see FileContext.close
    return context.findings


def can_report(
    rule: type[Rule],
    options: dict,
    source: str,
    project=None,
    identifiers: Callable[[], frozenset[str]] = frozenset,
    holds: Callable[[tuple[str, ...]], bool] | None = None,
) -> bool:
    """Whether ``source`` holds a text the rule needs (:meth:`Rule.text_needed`), or, in a
    project, names one of the project's functions or values the rule can find something
    through (:meth:`Rule.helper_names`; ``identifiers()``: the names in ``source``;
    ``holds(texts)``: whether ``source`` holds one of ``texts``, see :class:`_TextScan`)."""
    needed = _texts_needed(rule, tuple(sorted(options.items())))
    if needed is None or (holds(needed) if holds is not None else any(token in source for token in needed)):
        return True
    if project is None:
        return False
    helpers = rule.helper_names(project, options)
    # The scan of the source's names costs a quarter of its parse: only when there are helpers.
    return bool(helpers) and not helpers.isdisjoint(identifiers())


class _TextScan:
    """Whether a source holds one of a rule's texts, scanned once per set of texts and file:
    rules of one family need the same texts (OOM201 to OOM203 the same 29), and a text
    absent from a file, as most are, is a scan of the whole source each time it is asked."""

    __slots__ = ("source", "found")

    def __init__(self, source: str):
        self.source = source
        self.found: dict[tuple[str, ...], bool] = {}

    def __call__(self, texts: tuple[str, ...]) -> bool:
        found = self.found.get(texts)
        if found is None:
            source = self.source
            found = self.found[texts] = any(token in source for token in texts)
        return found


@functools.lru_cache(maxsize=256)
def _texts_needed(rule: type[Rule], options: tuple[tuple[str, object], ...]) -> tuple[str, ...] | None:
    """:meth:`Rule.text_needed` less the texts that hold a shorter one (``urlopen``, with
    ``open``), shortest first: each one left is a scan of the source when it is absent."""
    needed = rule.text_needed(dict(options))
    if needed is None:
        return None
    kept: list[str] = []
    for token in sorted(set(needed), key=lambda token: (len(token), token)):
        if not any(shorter in token for shorter in kept):
            kept.append(token)
    return tuple(kept)


def _syntax_diagnostic(path: str, source: str, error: SyntaxError) -> Finding:
    line = error.lineno or 1
    column = error.offset or 1
    return diagnostic(path, SYNTAX_ERROR, f"cannot parse with {RUNNING_PYTHON}: {error.msg}", line, max(column, 1))


class FileContext:
    """What rules may use of the file being checked, and where they report."""

    def __init__(self, path: str, source: str, tree: ast.Module, project=None):
        self.path = path
        self.source = source
        self.tree = tree
        self.model = SemanticModel(tree)
        self.project = project
        """The project's :class:`~oomlint.python.project.ProjectIndex`, None when checking
        text on its own; rules ask it through :func:`oomlint.python.project.origin`."""
        self.findings: list[Finding] = []
        self._lines: list[str] | None = None
        self._shared: dict[object, object] = {}

    def close(self) -> None:
        """Done with the file: drop the model's and the shared objects' ties (rules'
        analyses refer to the context that holds them), so that the tree is freed with
        the last reference to it rather than by the cycle collector (see
        :meth:`SemanticModel.close`)."""
        self.model.close()
        self._shared.clear()
        self.tree = None

    def shared(self, key: object, factory):
        """One per-file object that several rules share (a collector, an analysis), made
        by ``factory()`` the first time it is asked for. A rule may route its
        ``visit_<Type>`` to the shared object's method: the walk calls it once per node."""
        if key not in self._shared:
            self._shared[key] = factory()
        return self._shared[key]

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = LINE_BREAK.split(self.source)
        return self._lines

    def report(self, rule: Rule, node: ast.AST, message: str, fix: str | None = None, fix_hint: object = None) -> None:
        line, end_line = node.lineno, node.end_lineno or node.lineno
        column = self._char_column(line, node.col_offset)
        end_column = self._char_column(end_line, node.end_col_offset or node.col_offset)
        self.findings.append(
            Finding(self.path, line, column, rule.code, message, rule.symbol, end_line, end_column, fix, fix_hint)
        )

    def _char_column(self, line: int, utf8_offset: int) -> int:
        """``ast`` counts UTF-8 bytes; users (and editors) count characters."""
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        if text.isascii():
            return utf8_offset + 1
        return len(text.encode("utf-8")[:utf8_offset].decode("utf-8", "replace")) + 1


# -------------------------------------------------------------------------- walker

class Walker:
    """One pre-order walk of a module that keeps the semantic model current and
    dispatches each node to the rules that registered for its type."""

    def __init__(self, model: SemanticModel, rules: Iterable[Rule]):
        self.model = model
        self.rules = list(rules)
        self._dispatch_to(self.rules)
        self.deferred: deque[tuple[Scope, ast.AST]] = deque()
        self.initializers: deque[tuple[Scope, ast.AST]] = deque()

    def _dispatch_to(self, rules: list[Rule]) -> None:
        """Each node type's handlers among ``rules``, in their order."""
        # Imports are bound before any rule sees them, so a rule visiting one finds it in the model.
        self.dispatch: dict[type, list] = {ast.Import: [self.model.bind_import], ast.ImportFrom: [self.model.bind_import]}
        for rule in rules:
            for node_type, method in rule.node_types().items():
                handlers = self.dispatch.setdefault(node_type, [])
                handler = getattr(rule, method)
                if handler not in handlers:  # rules sharing one collector call it once
                    handlers.append(handler)
        self.passed = _LEAVES.difference(self.dispatch)
        """What the generic descent does not call :meth:`visit` for: nothing below, no rule
        asks (names, constants... are half of the nodes), and ``None`` holes."""
        self.steps = {
            node_type: (tuple(self.dispatch.get(node_type, ())), _SPECIAL.get(node_type), fields)
            for node_type, fields in CHILD_FIELDS.items()
        }
        """Per node type, what :meth:`visit` does: its handlers, the walker's own handling
        (scopes, bindings) or else the fields to descend into; one lookup per node."""

    def run(self, tree: ast.Module) -> None:
        self.visit(tree)
        if self.initializers or self.deferred:
            # The module's own level is walked (function and lambda bodies come next): the
            # rules that found nothing there to follow into them are called no more.
            needed = [rule for rule in self.rules if getattr(rule, "needs_function_bodies", _needed)()]
            if len(needed) < len(self.rules):
                self._dispatch_to(needed)
        # Deferred bodies may defer more (nested functions): drain in order, but
        # initializers first, so ``self.<attr>`` they assign is known in every method.
        while self.initializers or self.deferred:
            queue = self.initializers or self.deferred
            scope, node = queue.popleft()
            self.model.scope = scope
            self._function_body(node)
        self.model.scope = self.model.module_scope

    def visit(self, node: ast.AST) -> None:
        handlers, special, fields = self.steps[type(node)]
        for handler in handlers:
            handler(node)
        if special is not None:
            special(self, node)
            return
        # The generic descent, inlined: this runs for millions of nodes.
        visit, passed = self.visit, self.passed
        for name in fields:
            value = getattr(node, name)
            if type(value) is list:
                for item in value:
                    if type(item) not in passed:
                        visit(item)
            elif type(value) not in passed:
                visit(value)

    def visit_all(self, nodes: Iterable[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    # Scopes -----------------------------------------------------------------

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.visit_all(node.decorator_list)
        self._visit_signature(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self.model.bind(node.name, Binding("def", node))
        scope = self.model.scope
        is_initializer = scope.kind == "class" and node.name in INITIALIZERS
        (self.initializers if is_initializer else self.deferred).append((scope, node))

    def _lambda(self, node: ast.Lambda) -> None:
        self._visit_signature(node.args)
        self.deferred.append((self.model.scope, node))

    def _visit_signature(self, args: ast.arguments) -> None:
        self.visit_all(args.defaults)
        self.visit_all(args.kw_defaults)
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)

    def _function_body(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        is_lambda = isinstance(node, ast.Lambda)
        self.model.push("lambda" if is_lambda else "function", node)
        self.model.bind_parameters(node.args)
        if is_lambda:
            self.visit(node.body)
        else:
            self.visit_all(node.body)
        self.model.pop()

    def _class(self, node: ast.ClassDef) -> None:
        self.visit_all(node.decorator_list)
        self.visit_all(node.bases)
        self.visit_all(node.keywords)
        self.model.push("class", node)
        self.visit_all(node.body)
        self.model.pop()
        self.model.bind(node.name, Binding("class", node))

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        generators = node.generators
        self.visit(generators[0].iter)
        self.model.push("comprehension", node)
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            self.visit(generator.target)
            self.model.bind_target(generator.target, generator, None)
            self.visit_all(generator.ifs)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.model.pop()

    # Bindings ---------------------------------------------------------------

    def _assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        value = node.value if len(node.targets) == 1 else None
        for target in node.targets:
            self.visit(target)
            self.model.bind_target(target, node, value)

    def _annotated_assign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)
        if node.value is not None:
            self.model.bind_target(node.target, node, node.value)
        elif isinstance(node.target, ast.Name) and self.model.scope.kind != "module":
            self.model.bind(node.target.id, Binding("other", node))

    def _augmented_assign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self.visit(node.target)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        self.model.bind_target(node.target, node, None)
        self.visit_all(node.body)
        self.visit_all(node.orelse)

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.visit(item.optional_vars)
                self.model.bind_with_target(item.optional_vars, node, item.context_expr)
        self.visit_all(node.body)

    def _global(self, node: ast.Global | ast.Nonlocal) -> None:
        if isinstance(node, ast.Global):
            self.model.declare_global(node.names)
        else:
            self.model.declare_nonlocal(node.names)

    def _named_expression(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.visit(node.target)
        self.model.bind_target(node.target, node, node.value)

    def _except_handler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.model.bind(node.name, Binding("other", node))
        model, outer = self.model, self.model.import_fallback
        model.import_fallback = outer or _catches_import_error(node.type)
        self.visit_all(node.body)
        model.import_fallback = outer


_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _catches_import_error(caught: ast.expr | None) -> bool:
    """``except ImportError:`` (or ``ModuleNotFoundError``, alone or in a tuple): the
    fallback of an optional import."""
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(isinstance(name, ast.Name) and name.id in _IMPORT_ERRORS for name in names)


def _needed() -> bool:
    return True


# The node types the walker handles itself (scopes, bindings); a table of the class's
# functions, not of bound methods, so that a walker is no reference cycle (it would keep
# the file's tree alive until the cycle collector runs).
_SPECIAL = {
    ast.FunctionDef: Walker._function,
    ast.AsyncFunctionDef: Walker._function,
    ast.Lambda: Walker._lambda,
    ast.ClassDef: Walker._class,
    ast.Assign: Walker._assign,
    ast.AnnAssign: Walker._annotated_assign,
    ast.AugAssign: Walker._augmented_assign,
    ast.For: Walker._for,
    ast.AsyncFor: Walker._for,
    ast.With: Walker._with,
    ast.AsyncWith: Walker._with,
    ast.Global: Walker._global,
    ast.Nonlocal: Walker._global,
    ast.ListComp: Walker._comprehension,
    ast.SetComp: Walker._comprehension,
    ast.DictComp: Walker._comprehension,
    ast.GeneratorExp: Walker._comprehension,
    ast.NamedExpr: Walker._named_expression,
    ast.ExceptHandler: Walker._except_handler,
}
_LEAVES = frozenset(
    {type(None), *(node_type for node_type, fields in CHILD_FIELDS.items() if not fields and node_type not in _SPECIAL)}
)
