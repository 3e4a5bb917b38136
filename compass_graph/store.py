"""Where the graph lives: an embedded Oxigraph store on disk, written by the build.

A store answers ``execute(QueryRequest)`` with a ``Result`` in canonical form (SPARQL JSON or
N-Triples); a remote SPARQL 1.1 endpoint (``compass_graph.remote``) answers the same way, so
everything above them works the same on either.
"""

import json
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from compass_graph.errors import MalformedQuery, ResourceNotFound, StoreUnavailable
from compass_graph.formats import Result
from compass_graph.meter import Meter

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
STORE_FOLDER = "store"
DEFAULT_ROW_CAP = 10_000  # the rows an answer may hold, unless a server is set otherwise
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


@dataclass(frozen=True)
class QueryRequest:
    """A read-only query, the dataset it runs over, and how many rows it may return."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    row_cap: int = DEFAULT_ROW_CAP
    # Resources the graph must say something about; if one is unknown, the query is not run.
    described: tuple[str, ...] = ()


class Store(Protocol):
    """What the query layer needs from a store."""

    def execute(self, request: QueryRequest) -> Result:
        """Run a read-only query and return its answer in canonical form."""
        ...


def term_json(term: Any) -> dict[str, str]:
    """Return an RDF term in the SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        entry = {"type": "literal", "value": term.value}
        if term.language:
            entry["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            entry["datatype"] = term.datatype.value
        if term.datatype.value == XSD_BOOLEAN:  # its canonical form: Virtuoso writes 1 and 0
            entry["value"] = {"1": "true", "0": "false"}.get(term.value, term.value)
        return entry
    raise TypeError(f"cannot write {term!r} as a SPARQL JSON term")


def existence_query(iri: str) -> str:
    """An ASK that is true when the graph says something about ``iri``."""
    return f"ASK {{ {ox.NamedNode(iri)} ?p ?o }}"


def unknown_resource(iri: str) -> ResourceNotFound:
    """The error for a resource the graph says nothing about."""
    return ResourceNotFound(f"there is no resource <{iri}>")


def to_result(answer: Any, row_cap: int) -> Result:
    """Turn a pyoxigraph answer into a canonical Result, keeping at most ``row_cap`` rows."""
    if isinstance(answer, ox.QueryBoolean | bool):
        return Result("boolean", json.dumps({"head": {}, "boolean": bool(answer)}).encode())
    if isinstance(answer, ox.QuerySolutions):
        names = [variable.value for variable in answer.variables]
        bindings, truncated = _capped(answer, row_cap)
        rows = [
            {name: term_json(row[name]) for name in names if row[name] is not None}
            for row in bindings
        ]
        body = {"head": {"vars": names}, "results": {"bindings": rows}}
        return Result(
            "solutions", json.dumps(body, ensure_ascii=False).encode(), len(rows), truncated
        )
    triples, truncated = _capped(answer, row_cap)
    body_bytes = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Result("graph", body_bytes, len(triples), truncated)


def _capped(items: Iterable[Any], cap: int) -> tuple[list[Any], bool]:
    kept: list[Any] = []
    for item in items:
        if len(kept) == cap:
            return kept, True
        kept.append(item)
    return kept, False


class EmbeddedStore:
    """An Oxigraph store in this process; the default graph is the union of the named graphs.

    Relative IRIs in queries resolve against ``base_iri``, the endpoint's own address.
    """

    def __init__(self, store: ox.Store, base_iri: str | None = None) -> None:
        self.store = store
        self.base_iri = base_iri

    @classmethod
    def open(cls, path: Path, base_iri: str | None = None) -> "EmbeddedStore":
        """Open a store written by the build, read-only."""
        if not path.is_dir():
            raise StoreUnavailable(f"no store at {path}: run 'compass-graph build' first")
        return cls(ox.Store.read_only(str(path)), base_iri)

    def execute(self, request: QueryRequest) -> Result:
        """Run a read-only query against the store; raise ResourceNotFound for an unknown
        resource of ``request.described``."""
        for iri in request.described:
            if next(self.store.quads_for_pattern(ox.NamedNode(iri), None, None), None) is None:
                raise unknown_resource(iri)
        options: dict[str, Any] = {
            "use_default_graph_as_union": not request.default_graphs,
            "base_iri": self.base_iri,
        }
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in request.named_graphs]
        try:
            return to_result(self.store.query(request.query, **options), request.row_cap)
        except SyntaxError as error:
            raise MalformedQuery(str(error)) from error


class StoreWriter:
    """Writes a new on-disk store at ``path`` in the background, one graph at a time, while the
    build goes on: Oxigraph parses and bulk-loads outside the GIL.

    A graph comes either as the Turtle a source file was parsed from or from an in-memory store,
    as N-Triples; either way the bulk loader holds one graph's worth in memory, not the whole
    dataset's. Leaving the ``with`` block on an error stops the writing between graphs and waits
    for it, so the folder is free to be removed.
    """

    def __init__(self, path: Path) -> None:
        self.target = ox.Store(str(path))
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._writes: list[Future[None]] = []
        self._stop = threading.Event()

    def __enter__(self) -> "StoreWriter":
        return self

    def __exit__(self, *failure: object) -> None:
        if failure[0] is not None:
            self._stop.set()
        self._pool.shutdown(wait=True)
        del self.target

    def load(self, turtle: bytes, graph: str, base: str) -> None:
        """Queue Turtle for ``graph``: a source file's, parsed once already, so well-formed."""
        self._queue(turtle, ox.RdfFormat.TURTLE, ox.NamedNode(graph), base)

    def copy(self, source: ox.Store, graphs: Sequence[GraphName]) -> None:
        """Queue ``graphs`` of ``source``, after what was queued before."""
        nt = ox.RdfFormat.N_TRIPLES
        for graph in graphs:
            self._queue(source.dump(format=nt, from_graph=graph) or b"", nt, graph, None)

    def finish(self) -> None:
        """Wait for every queued graph (raising what failed) and write the store to disk."""
        with Meter("graphs stored", len(self._writes)) as meter:
            for write in self._writes:
                write.result()
                meter.advance()
        self.target.flush()

    def _queue(
        self, content: bytes, form: ox.RdfFormat, graph: GraphName, base: str | None
    ) -> None:
        self._writes.append(self._pool.submit(self._write, content, form, graph, base))

    def _write(
        self, content: bytes, form: ox.RdfFormat, graph: GraphName, base: str | None
    ) -> None:
        if self._stop.is_set():
            return
        # Lenient: whatever comes was parsed or written by Oxigraph already, so it is well-formed.
        self.target.bulk_load(content, format=form, base_iri=base, to_graph=graph, lenient=True)


def write_store(path: Path, source: ox.Store) -> None:
    """Copy all of ``source`` into a new on-disk store at ``path``, which must not exist yet."""
    with StoreWriter(path) as writer:
        writer.copy(source, [ox.DefaultGraph(), *source.named_graphs()])
        writer.finish()
