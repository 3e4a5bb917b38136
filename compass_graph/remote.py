"""A SPARQL 1.1 endpoint elsewhere as the store: queries over the SPARQL Protocol, loading over
the Graph Store Protocol.

Its answers are read into the same canonical ``Result`` as the embedded store's, so everything
above works the same on either. The embedded store's modules (and the query workers) never load
the HTTP client this needs.
"""

import dataclasses
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from compass_graph.errors import (
    MalformedQuery,
    StoreBadAnswer,
    StoreTimeout,
    StoreUnavailable,
)
from compass_graph.formats import Result
from compass_graph.meter import Meter
from compass_graph.store import QueryRequest, existence_query, to_result, unknown_resource


class RemoteStore:
    """A SPARQL 1.1 endpoint elsewhere, optionally with a Graph Store endpoint for loading."""

    def __init__(self, query_url: str, store_url: str | None = None, timeout: float = 10.0) -> None:
        self.query_url = query_url
        self.store_url = store_url
        self.timeout = timeout

    def execute(self, request: QueryRequest) -> Result:
        """Send a read-only query to the endpoint and read its answer; raise ResourceNotFound for
        an unknown resource of ``request.described``, asked about first."""
        for iri in request.described:
            ask = self.execute(QueryRequest(existence_query(iri), row_cap=1))
            if not json.loads(ask.body)["boolean"]:
                raise unknown_resource(iri)
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


def _ask_as_row(solutions: ox.QuerySolutions) -> bool:
    """Read an ASK answered as one row with one value, 1 or 0, as Virtuoso does in JSON."""
    rows = list(solutions)
    if len(rows) != 1 or len(rows[0]) != 1 or not isinstance(rows[0][0], ox.Literal):
        raise ValueError("an ASK query was answered with rows that are not one truth value")
    value = rows[0][0].value
    if value not in ("1", "0", "true", "false"):
        raise ValueError(f"an ASK query was answered with {value!r}, not a truth value")
    return value in ("1", "true")
