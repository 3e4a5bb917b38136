"""Check loaded data against the SHACL shapes and report what to fix, file by file, line by line.

The shapes run as compiled SPARQL checks on the loaded Oxigraph store (``compiled_shapes``), fast
enough for a national dataset; pyshacl, the reference, checks shapes the compiler does not know and
can be asked for by name. Both write a SHACL validation report graph, read here the same way.
"""

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pyshacl import validate as shacl_validate
from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF, SH

from compass_graph import paths
from compass_graph.compiled_shapes import (
    UnsupportedShape,
    compile_shapes,
    run_checks,
    store_subclasses,
)
from compass_graph.loader import LoadedData
from compass_graph.prefixes import PREFIXES

Engine = Literal["compiled", "pyshacl"]


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
    engine: Engine = "compiled"

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


@lru_cache(maxsize=4)
def load_shapes(shapes_file: Path = paths.SHAPES_FILE) -> Graph:
    """Parse the SHACL shapes (once per file: they are read-only)."""
    shapes = Graph()
    shapes.parse(shapes_file, format="turtle")
    return shapes


def validate(
    data: LoadedData, shapes: Graph | None = None, engine: Engine = "compiled"
) -> ValidationReport:
    """Validate the loaded data against the shapes, with the compiled checks unless told pyshacl."""
    shapes = shapes if shapes is not None else load_shapes()
    if engine == "compiled":
        try:
            checks = compile_shapes(shapes, store_subclasses(data.store))
        except UnsupportedShape as reason:
            print(f"validating with pyshacl: {reason}", file=sys.stderr)
            engine = "pyshacl"
        else:
            results = run_checks(checks, data.store, shapes)
    if engine == "pyshacl":
        _, results, _ = shacl_validate(data.union_graph(), shacl_graph=shapes, inference="none")
    found = list(results.subjects(RDF.type, SH.ValidationResult))
    names = _names(shapes, data) if found else Graph()
    violations = sorted(
        (_violation(results, result, names, data) for result in found),
        key=lambda v: (str(v.file), v.line or 0, v.focus, v.message, v.path or "", v.value or ""),
    )
    return ValidationReport(not violations, tuple(violations), results, engine)


def _names(shapes: Graph, data: LoadedData) -> Graph:
    """An empty graph that knows the prefixes of the shapes, the vocabularies and the data files."""
    names = Graph(bind_namespaces="none")
    for prefix, namespace in [*shapes.namespaces(), *PREFIXES.items(), *data.prefixes().items()]:
        names.bind(prefix, namespace, override=True, replace=True)
    return names


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
