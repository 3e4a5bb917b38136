"""Check loaded data against the SHACL shapes and report what to fix, file by file, line by line."""

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF, SH

from compass_graph import paths
from compass_graph.loader import LoadedData, parse_turtle


@dataclass(frozen=True)
class Violation:
    """One broken rule: what, where, and the message that says how to fix it."""

    focus: str
    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str
    file: Path | None
    line: int | None

    def described(self) -> str:
        """Return the focus node, path, message and offending value, without the place."""
        on = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.focus}{on}: {self.message}{value}"

    def __str__(self) -> str:
        where = f"{_relative(self.file)}:{self.line}" if self.file else "(no file)"
        return f"{where}: {self.described()}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: whether the data conforms, and each violation found."""

    conforms: bool
    violations: tuple[Violation, ...]
    results_graph: Graph

    @property
    def text(self) -> str:
        """Return the report as lines a data editor can act on."""
        if self.conforms:
            return "The data conforms to the shapes."
        lines = [f"{len(self.violations)} violation(s) of the shapes:"]
        return "\n".join(lines + [f"  {violation}" for violation in self.violations])


def _relative(path: Path) -> Path:
    """Return ``path`` relative to the working folder when it lies inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def load_shapes(shapes_file: Path = paths.SHAPES_FILE) -> Graph:
    """Parse the SHACL shapes."""
    return parse_turtle(shapes_file)


def union_graph(data: LoadedData) -> Graph:
    """Return every triple of the dataset's named graphs in one graph, with its prefixes."""
    union = Graph(namespace_manager=data.dataset.namespace_manager)
    for subject, predicate, obj, _ in data.dataset.quads():
        union.add((subject, predicate, obj))
    return union


def validate(data: LoadedData, shapes: Graph | None = None) -> ValidationReport:
    """Validate the loaded data against the shapes."""
    graph = union_graph(data)
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes if shapes is not None else load_shapes(), inference="none"
    )
    violations = sorted(
        (
            _violation(results, result, graph, data)
            for result in results.subjects(RDF.type, SH.ValidationResult)
        ),
        key=lambda v: (str(v.file), v.line or 0, v.focus, v.message),
    )
    return ValidationReport(bool(conforms), tuple(violations), results)


def _violation(results: Graph, result: Node, graph: Graph, data: LoadedData) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    file, line = data.locate(focus)
    return Violation(
        focus=_show(focus, graph),
        focus_node=str(focus),
        path=_show_path(results, path, graph),
        value=_show(value, graph) if value is not None else None,
        message=str(results.value(result, SH.resultMessage)),
        severity=_show(results.value(result, SH.resultSeverity), graph),
        shape=_show(results.value(result, SH.sourceShape), graph),
        file=file,
        line=line,
    )


def _show(node: Node | None, graph: Graph) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (ValueError, KeyError):
            return f"<{node}>"
    return str(node)


def _show_path(results: Graph, path: Node | None, graph: Graph) -> str | None:
    if path is None:
        return None
    inverse = results.value(path, SH.inversePath)
    return f"^{_show(inverse, graph)}" if inverse is not None else _show(path, graph)
