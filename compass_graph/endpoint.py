"""The query layer: one object that answers SPARQL and canned queries over the configured store.

It checks user queries before they run, binds canned-query parameters safely, answers unknown ids
with 404, limits time and rows, and caches answers by build: a build never changes, so the same
question always has the same answer.
"""

import json
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from compass_graph import safety
from compass_graph.answers import answer_key, read_answers
from compass_graph.dependencies import dependency_graph
from compass_graph.describe import DESCRIBE_QUERY
from compass_graph.errors import StoreBadAnswer
from compass_graph.formats import Result, plain_rows
from compass_graph.involvement import INVOLVEMENTS_QUERY
from compass_graph.prefixes import DEFAULT_BASE, PREFIXES
from compass_graph.queries import CannedQuery, bind_terms, find, load_queries, prologue, with_base
from compass_graph.remote import RemoteStore
from compass_graph.store import (
    DEFAULT_ROW_CAP,
    EmbeddedStore,
    QueryRequest,
    Store,
    existence_query,
)
from compass_graph.workers import WorkerPool

# A graph no store holds: naming only it for a part of the dataset leaves that part empty.
EMPTY_GRAPH = "urn:x-compass-graph:empty"


@dataclass(frozen=True)
class Settings:
    """Where the graph is and how much a query may take."""

    store: str = "dist/store"
    graph_store_url: str | None = None
    base: str = DEFAULT_BASE
    timeout: float = 10.0
    row_cap: int = DEFAULT_ROW_CAP
    workers: int = 2
    max_query_length: int = 20_000
    cache_size: int = 1024

    @property
    def remote(self) -> bool:
        """Say whether the store is a remote SPARQL endpoint."""
        return self.store.startswith(("http://", "https://"))


class AnswerCache:
    """A small thread-safe LRU of query answers."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, Result] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Result | None:
        """Return the cached answer for ``key``, if any."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Result) -> None:
        """Remember an answer, forgetting the least recently used beyond the size."""
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


class Endpoint:
    """Answers SPARQL and canned queries over one store."""

    def __init__(
        self,
        store: Store,
        settings: Settings = Settings(),
        build: Mapping[str, Any] | None = None,
        queries: Mapping[str, CannedQuery] | None = None,
        answers: Mapping[str, Result] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.build = dict(build or {})
        self.answers = dict(answers or {})  # canned answers the build computed ahead
        self.queries = dict(queries if queries is not None else load_queries())
        # Answers are cached only when they are known to come from one immutable build.
        self.cache = AnswerCache(settings.cache_size if self.build_id else 0)
        self._graphs: dict[str, int] | None = None

    @classmethod
    def open(cls, settings: Settings) -> "Endpoint":
        """Open the configured store: a remote endpoint, or a build's store in worker processes."""
        if settings.remote:
            remote = RemoteStore(settings.store, settings.graph_store_url, settings.timeout)
            return cls(remote, settings)
        path = Path(settings.store)
        base_iri = f"{settings.base}sparql"
        store: Store = (
            WorkerPool(path, settings.workers, settings.timeout, base_iri)
            if settings.workers > 0
            else EmbeddedStore.open(path, base_iri)
        )
        return cls(
            store, settings, read_build(path), answers=read_answers(path.parent, settings.row_cap)
        )

    @property
    def build_id(self) -> str | None:
        """Return the id of the build being served, when known."""
        value = self.build.get("build_id")
        return str(value) if value else None

    def sparql(
        self, query: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> Result:
        """Check and run a user's SPARQL query over the dataset the protocol or the query names."""
        named_in_query = safety.check(
            query,
            self.graph_sizes(),
            self.settings.max_query_length,
            by_text=not self.settings.remote,
        )
        if default_graphs or named_graphs:
            # Graphs the protocol names that the store lacks are empty, as the W3C tests expect;
            # nothing is ever fetched for them.
            dataset = safety.QueryDataset(tuple(default_graphs), tuple(named_graphs))
        else:
            dataset = named_in_query
        if not dataset.given:
            return self._execute(query, (), ())
        # A dataset that is named leaves out what it does not name, the default graph included.
        default = dataset.default or (EMPTY_GRAPH,)
        return self._execute(query, default, dataset.named or (EMPTY_GRAPH,))

    def run(self, name: str, values: Mapping[str, Any]) -> Result:
        """Run a canned query with its parameters; unknown ids give ResourceNotFound."""
        key = ("run", name, tuple(sorted((k, str(v)) for k, v in values.items())))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        query = find(self.queries, name)
        text = query.bind(values, self.settings.base)
        ahead = self.answers.get(answer_key(query, values))
        if ahead is not None:
            return ahead
        # The store checks that each id exists in the same round trip as it runs the query.
        answer = self._execute(text, (), (), described=tuple(query.ids(values, self.settings.base)))
        self.cache.put(key, answer)
        return answer

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
        """Run one of the library's own SELECT queries and return plain rows."""
        text = with_base(bind_terms(prologue(PREFIXES) + query, bindings or {}), self.settings.base)
        return plain_rows(self._execute(text, (), ()))

    @cached_property
    def dependencies(self) -> nx.DiGraph:
        """The dependency graph of the knooppunten, read once from the store."""
        return dependency_graph(self.select)

    @cached_property
    def involvements(self) -> list[dict[str, str]]:
        """Every involvement of every knooppunt, read once from the store."""
        return self.select(INVOLVEMENTS_QUERY)

    def describe(self, iri: str) -> Result:
        """Return what the dataset says about ``iri``, or raise ResourceNotFound."""
        text = bind_terms(prologue(PREFIXES) + DESCRIBE_QUERY, {"thing": ox.NamedNode(iri)})
        return self._execute(text, (), (), described=(iri,))

    def ping(self) -> None:
        """Ask the store a trivial question, bypassing the cache; raise if it cannot answer."""
        self.store.execute(QueryRequest("ASK {}", (), (), 1))

    def named_graph(self, iri: str) -> Result:
        """Return the statements of one named graph of the dataset."""
        query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
        return self._execute(bind_terms(query, {"g": ox.NamedNode(iri)}), (), ())

    def exists(self, iri: str) -> bool:
        """Say whether the graph says anything about ``iri``."""
        answer = self._execute(existence_query(iri), (), ())
        return bool(json.loads(answer.body)["boolean"])

    def graph_sizes(self) -> dict[str, int]:
        """Return the number of triples in each named graph of the store: from the build's
        summary when serving a build (counting takes seconds at national scale), else counted."""
        if self._graphs is None and self.build.get("graphs"):
            self._graphs = {name: int(count) for name, count in self.build["graphs"].items()}
        if self._graphs is None:
            query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            rows = json.loads(self._execute(query, (), ()).body)["results"]["bindings"]
            try:
                self._graphs = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
            except (KeyError, TypeError, ValueError) as error:
                raise StoreBadAnswer(f"the store miscounted its graphs: {error!r}") from error
        return dict(self._graphs)

    def _execute(
        self,
        query: str,
        default_graphs: tuple[str, ...],
        named_graphs: tuple[str, ...],
        described: tuple[str, ...] = (),
    ) -> Result:
        request = QueryRequest(
            query, default_graphs, named_graphs, self.settings.row_cap, described
        )
        cached = self.cache.get(request)
        if cached is not None:
            return cached
        answer = self.store.execute(request)
        self.cache.put(request, answer)
        return answer

    def close(self) -> None:
        """Release the store's workers, if it has any."""
        close = getattr(self.store, "close", None)
        if callable(close):
            close()


def read_build(store_path: Path) -> dict[str, Any]:
    """Read the summary the build wrote beside its store."""
    summary = store_path.parent / "summary.json"
    if not summary.is_file():
        return {}
    return dict(json.loads(summary.read_text(encoding="utf-8")))
