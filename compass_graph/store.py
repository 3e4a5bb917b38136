"""Where the graph lives: an embedded Oxigraph store on disk, or any remote SPARQL 1.1 endpoint.

Both answer ``execute(QueryRequest)`` with a ``Result`` in canonical form (SPARQL JSON or
N-Triples), so everything above them works the same on either.
"""

import dataclasses
import http.client
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from compass_graph.errors import MalformedQuery, StoreBadAnswer, StoreTimeout, StoreUnavailable
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


def _ask_as_row(solutions: ox.QuerySolutions) -> bool:
    """Read an ASK answered as one row with one value, 1 or 0, as Virtuoso does in JSON."""
    rows = list(solutions)
    if len(rows) != 1 or len(rows[0]) != 1 or not isinstance(rows[0][0], ox.Literal):
        raise ValueError("an ASK query was answered with rows that are not one truth value")
    value = rows[0][0].value
    if value not in ("1", "0", "true", "false"):
        raise ValueError(f"an ASK query was answered with {value!r}, not a truth value")
    return value in ("1", "true")


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
        """Run a read-only query against the store."""
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


class RemoteStore:
    """A SPARQL 1.1 endpoint elsewhere, optionally with a Graph Store endpoint for loading."""

    def __init__(self, query_url: str, store_url: str | None = None, timeout: float = 10.0) -> None:
        self.query_url = query_url
        self.store_url = store_url
        self.timeout = timeout

    def execute(self, request: QueryRequest) -> Result:
        """Send a read-only query to the endpoint and read its answer."""
        client = SPARQLWrapper(self.query_url)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setTimeout(int(max(self.timeout, 1)))
        client.setQuery(request.query)
        for iri in request.default_graphs:
            client.addDefaultGraph(iri)
        for iri in request.named_graphs:
            client.addNamedGraph(iri)
        graph_query = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(TURTLE if graph_query else JSON)
        body, partial = self._fetch(client)
        try:
            if graph_query:
                answer: Any = ox.parse(body, format=ox.RdfFormat.TURTLE)
            else:
                answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if client.queryType == "ASK" and isinstance(answer, ox.QuerySolutions):
                answer = _ask_as_row(answer)
            result = to_result(answer, request.row_cap)
        except (SyntaxError, ValueError) as error:
            raise StoreBadAnswer(
                f"the store at {self.query_url} sent something that is not a query answer: {error}"
            ) from error
        # Virtuoso's anytime queries answer 206 with what they found in time: say it is partial.
        return dataclasses.replace(result, truncated=True) if partial else result

    def _fetch(self, client: SPARQLWrapper) -> tuple[bytes, bool]:
        """Return the body of the store's answer and whether the store called it partial."""
        try:
            response = client.query().response
            return bytes(response.read()), response.getcode() == 206
        except TimeoutError as error:
            raise self._late() from error
        except QueryBadFormed as error:  # the store's parser refused what ours let through
            raise MalformedQuery(str(error)) from error
        except urllib.error.HTTPError as error:
            message = error.read().decode("utf-8", "replace")[:500]
            if error.code == 400:
                raise MalformedQuery(message) from error
            if error.code in (503, 429):
                raise StoreUnavailable(
                    f"the store at {self.query_url} cannot answer now ({error.code}): {message}"
                ) from error
            raise StoreBadAnswer(
                f"the store at {self.query_url} answered {error.code}: {message}"
            ) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise self._late() from error
            raise StoreUnavailable(
                f"the store at {self.query_url} cannot be reached: {error.reason}"
            ) from error
        except (SPARQLWrapperException, http.client.HTTPException, OSError) as error:
            raise StoreBadAnswer(
                f"the store at {self.query_url} broke off its answer: {error}"
            ) from error

    def _late(self) -> StoreTimeout:
        return StoreTimeout(f"the store at {self.query_url} did not answer in {self.timeout} s")

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one named graph through the SPARQL 1.1 Graph Store Protocol."""
        if not self.store_url:
            raise StoreUnavailable("no Graph Store URL is configured for loading")
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(
            url, data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError) as error:
            raise StoreUnavailable(
                f"loading graph {graph} into {self.store_url} failed: {error}"
            ) from error


def load_into(store: RemoteStore, trig: Path) -> list[str]:
    """Push every named graph of a build's TriG dump into a remote store; return their names.

    The dump is read into an in-memory Oxigraph store and each graph is sent as N-Triples, one
    request per graph, with progress shown on a terminal.
    """
    dataset = ox.Store()
    dataset.load(path=trig, format=ox.RdfFormat.TRIG)
    graphs = sorted(dataset.named_graphs(), key=str)
    with Meter("graphs loaded", len(graphs)) as meter:
        for graph in graphs:
            triples = dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            store.put_graph(graph.value, triples or b"")
            meter.advance()
    return [graph.value for graph in graphs]
