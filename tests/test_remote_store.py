"""The remote-store path, on a real ``oxigraph serve`` at 127.0.0.1: same queries, same answers."""

import json
import re
from collections.abc import Iterator
from decimal import Decimal

import pyoxigraph as ox
import pytest
from flask import Flask
from rdflib import Graph

from api import create_app
from compass_graph.build import BuildResult
from compass_graph.cli import main
from compass_graph.endpoint import Endpoint, Settings
from compass_graph.formats import Result
from compass_graph.queries import load_queries
from tests.conftest import assert_error_shape, free_port, oxigraph_server


@pytest.fixture(scope="module")
def oxigraph(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real oxigraph server on a free port, loaded with the build through compass-graph load."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as (url, _):
        assert main(["load", "--store", f"{url}/store", "--dist", str(built.out_dir)]) == 0
        yield url


@pytest.fixture(scope="module")
def embedded(built: BuildResult) -> Endpoint:
    return Endpoint.open(Settings(store=str(built.out_dir / "store"), workers=0))


@pytest.fixture(scope="module")
def remote(oxigraph: str) -> Endpoint:
    return Endpoint.open(Settings(store=f"{oxigraph}/query", timeout=10))


NUMBERS = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("decimal", "integer", "double")}
CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(\s*\?\w+\s*(?:;\s*separator\s*=\s*"([^"]*)")?\s*\)\s+AS\s+\?(\w+)', re.I
)


def comparable(result: Result, query: str = "") -> object:
    """A result as something equal for equal answers, whatever the order of rows.

    SPARQL leaves open the order of the values GROUP_CONCAT joins, and stores may write the same
    number differently (12000.00 and 12000): both are compared by what they mean.
    """
    if result.kind == "graph":
        return sorted(str(t) for t in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
    body = json.loads(result.body)
    if result.kind == "boolean":
        return body["boolean"]
    joined = {variable: separator for separator, variable in CONCAT.findall(query)}
    rows = []
    for row in body["results"]["bindings"]:
        for variable, term in row.items():
            if term.get("datatype") in NUMBERS:
                term["value"] = str(Decimal(term["value"]).normalize())
            if variable in joined:
                separator = joined[variable]
                parts = term["value"].split(separator) if separator else list(term["value"])
                term["value"] = sorted(parts)
        rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


@pytest.fixture(scope="module")
def rdflib_dataset(built: BuildResult) -> Graph:
    """The build's dump (every graph in one) in rdflib, whose SPARQL engine is the third opinion."""
    return Graph().parse(data=(built.out_dir / "wijkkompas.nt").read_bytes(), format="nt")


def rdflib_answer(dataset: Graph, query: str, kind: str) -> Result:
    answer = dataset.query(query)
    return Result(kind, answer.serialize(format="nt" if kind == "graph" else "json") or b"")


QUERIES = load_queries()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_canned_query_gives_the_same_answer_on_every_engine(
    embedded: Endpoint, remote: Endpoint, rdflib_dataset: Graph, name: str
) -> None:
    """Embedded Oxigraph, a remote oxigraph serve and rdflib's engine over the dump agree."""
    query = QUERIES[name]
    values = query.examples() or {}
    here, there = embedded.run(name, values), remote.run(name, values)
    third = rdflib_answer(rdflib_dataset, query.bind(values), here.kind)
    assert here.kind == there.kind
    assert comparable(here, query.text) == comparable(there, query.text)
    assert comparable(here, query.text) == comparable(third, query.text)


def test_the_named_graphs_arrive_intact(embedded: Endpoint, remote: Endpoint) -> None:
    assert remote.graph_sizes() == embedded.graph_sizes()
    assert len(remote.graph_sizes()) >= 15


def test_the_app_serves_the_protocol_over_the_remote_store(oxigraph: str) -> None:
    client = create_app({"STORE": f"{oxigraph}/query"}).test_client()
    response = client.get(
        "/sparql",
        query_string={"query": "ASK { ?s a <https://w3id.org/wijkkompas/def/Knooppunt> }"},
    )
    assert response.get_json()["boolean"] is True
    assert (
        client.get("/api/queries/upstream", query_string={"knooppunt": "R4.06"}).status_code == 200
    )
    assert_error_shape(
        client.get("/api/queries/upstream", query_string={"knooppunt": "R0.00"}), 404
    )
    assert_error_shape(
        client.get("/sparql", query_string={"query": "ASK {"}), 400, "malformed_query"
    )
    # Whatever a remote store's SPARQL has beyond the standard (Virtuoso's DEFINE pragmas make it
    # fetch IRIs) is refused here, by rdflib's parser, before the store sees it.
    grab = 'DEFINE input:grab-all "yes" SELECT * WHERE { <http://127.0.0.1:9/> ?p ?o }'
    body = assert_error_shape(
        client.get("/sparql", query_string={"query": grab}), 400, "malformed_query"
    )
    assert "line:1" in str(body["message"])


@pytest.mark.parametrize(
    "path",
    ["/", "/doc/knooppunt/R2.07", "/doc/story/apeldoorn?lang=en", "/search?q=warmte", "/def/"],
)
def test_the_pages_are_the_same_over_the_remote_store(oxigraph: str, app: Flask, path: str) -> None:
    remote = create_app({"STORE": f"{oxigraph}/query"}).test_client()
    browser = {"Accept": "text/html"}
    over_remote = remote.get(path, headers=browser)
    embedded = app.test_client().get(path, headers=browser)
    assert over_remote.status_code == embedded.status_code == 200
    if path == "/def/":  # made by pyLODE beside a remote store, which names blank nodes anew
        anchors = re.compile(r'id="([^"]+)"')
        assert anchors.findall(over_remote.get_data(as_text=True)) == anchors.findall(
            embedded.get_data(as_text=True)
        )
    else:
        assert over_remote.get_data(as_text=True) == embedded.get_data(as_text=True)


def test_a_store_that_is_down_gives_503_with_retry_after() -> None:
    client = create_app(
        {"STORE": f"http://127.0.0.1:{free_port()}/query", "TIMEOUT": 2}
    ).test_client()
    response = client.get("/api/queries/phases")
    assert_error_shape(response, 503, "store_unavailable")
    assert response.headers["Retry-After"]
