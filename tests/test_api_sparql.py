"""``/sparql``: the SPARQL 1.1 Protocol, content negotiation, read-only, limits and safety."""

import json
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from api import create_app
from api.serving import served
from compass_graph.endpoint import Endpoint, read_build
from compass_graph.formats import Result
from compass_graph.store import EmbeddedStore, QueryRequest
from compass_graph.workers import _IdleWorkers
from tests.conftest import assert_error_shape

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DESCRIBE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"


def count(client: FlaskClient) -> int:
    body = client.get("/sparql", query_string={"query": COUNT}).get_json()
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_post_direct_give_the_same_answer(client: FlaskClient) -> None:
    by_get = client.get("/sparql", query_string={"query": COUNT}).get_json()
    by_form = client.post("/sparql", data={"query": COUNT}).get_json()
    by_body = client.post("/sparql", data=COUNT, content_type="application/sparql-query").get_json()
    assert by_get == by_form == by_body
    assert int(by_get["results"]["bindings"][0]["n"]["value"]) > 5000


NEGOTIATION = [
    # Accept header, query, expected media type
    (None, COUNT, "application/sparql-results+json"),
    ("application/sparql-results+xml", COUNT, "application/sparql-results+xml"),
    ("text/csv", COUNT, "text/csv"),
    ("text/tab-separated-values", COUNT, "text/tab-separated-values"),
    (
        "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
        COUNT,
        "application/sparql-results+xml",
    ),
    ("text/*", COUNT, "text/csv"),
    ("*/*;q=0.1, text/tab-separated-values", COUNT, "text/tab-separated-values"),
    (None, DESCRIBE, "text/turtle"),
    ("application/n-triples", DESCRIBE, "application/n-triples"),
    ("application/ld+json", DESCRIBE, "application/ld+json"),
    ("application/rdf+xml;q=1.0, text/turtle;q=0.2", DESCRIBE, "application/rdf+xml"),
]


@pytest.mark.parametrize(("accept", "query", "expected"), NEGOTIATION)
def test_content_negotiation(
    client: FlaskClient, accept: str | None, query: str, expected: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == expected
    assert response.headers["Vary"] == "Accept"
    if query == DESCRIBE:
        formats = {
            "text/turtle": ox.RdfFormat.TURTLE,
            "application/n-triples": ox.RdfFormat.N_TRIPLES,
            "application/ld+json": ox.RdfFormat.JSON_LD,
            "application/rdf+xml": ox.RdfFormat.RDF_XML,
        }
        assert len(list(ox.parse(response.data, format=formats[expected]))) == 5
    else:
        if expected == "text/csv":  # CSV results are lossy: read them as a table
            assert response.data.decode().splitlines()[0] == "n"
            return
        formats_ = {
            "application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV,
        }
        assert len(list(ox.parse_query_results(response.data, format=formats_[expected]))) == 1


@pytest.mark.parametrize(
    "accept", ["image/png", "text/turtle;q=0", "application/sparql-results+json;q=0"]
)
def test_no_acceptable_format_is_406(client: FlaskClient, accept: str) -> None:
    response = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": accept})
    assert_error_shape(response, 406, "not_acceptable")


def test_the_service_description_counts_the_dataset(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    store = ox.Store()
    store.load(response.data, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    void = "http://rdfs.org/ns/void#"
    assert store.query(
        f"ASK {{ ?s a <{sd}Service> ; <{sd}supportedLanguage> <{sd}SPARQL11Query> }}"
    )
    total = next(
        iter(store.query(f"SELECT ?n WHERE {{ ?d <{sd}defaultGraph>/<{void}triples> ?n }}"))
    )
    assert int(total["n"].value) == count(client)


@pytest.mark.parametrize(
    "request_",
    [
        {
            "method": "POST",
            "data": "INSERT DATA { <http://a> <http://b> <http://c> }",
            "content_type": "application/sparql-update",
        },
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
        {"method": "GET", "query_string": {"query": "DELETE WHERE { ?s ?p ?o }"}},
        {"method": "POST", "data": {"query": "DROP ALL"}},
    ],
    ids=["direct", "form", "get", "delete-as-query", "drop-as-query"],
)
def test_updates_are_refused_and_change_nothing(
    client: FlaskClient, request_: dict[str, object]
) -> None:
    before = count(client)
    response = client.open("/sparql", **request_)  # type: ignore[arg-type]
    assert_error_shape(response, 403, "update_not_allowed")
    assert count(client) == before


@pytest.mark.parametrize(
    "query", ["ASK {", "dddddddddddddddddddddddddddddd", "SELECT ?x WHERE { ?x ?y }"]
)
def test_malformed_queries_are_400_with_the_parsers_message(
    client: FlaskClient, query: str
) -> None:
    body = assert_error_shape(
        client.get("/sparql", query_string={"query": query}), 400, "malformed_query"
    )
    # Oxigraph's message says where, as line:column; rdflib's (for a query it parses) as line:1.
    assert re.search(r"\b1:\d+\b|line:1", str(body["message"])), body["message"]


@pytest.fixture
def listener() -> tuple[str, list[bytes]]:
    """A socket on 127.0.0.1 that records whether anyone connects."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    received: list[bytes] = []

    def accept() -> None:
        try:
            connection, _ = server.accept()
            received.append(connection.recv(100))
        except OSError:
            pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", received  # type: ignore[misc]
    thread.join(1)
    server.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_outside_data_is_refused_before_execution(
    client: FlaskClient, listener: tuple[str, list[bytes]], template: str
) -> None:
    url, received = listener
    response = client.get("/sparql", query_string={"query": template.format(url=url)})
    assert_error_shape(response, 403, "external_data_not_allowed")
    assert received == []


def test_from_a_graph_of_the_dataset_is_allowed(client: FlaskClient) -> None:
    graph = "https://w3id.org/wijkkompas/graph/process"
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    body = client.get("/sparql", query_string={"query": query}).get_json()
    assert 0 < int(body["results"]["bindings"][0]["n"]["value"]) < count(client)


def test_protocol_graphs_select_the_dataset(client: FlaskClient) -> None:
    query_string = {
        "query": COUNT,
        "default-graph-uri": "https://w3id.org/wijkkompas/graph/process",
    }
    body = client.get("/sparql", query_string=query_string).get_json()
    assert 0 < int(body["results"]["bindings"][0]["n"]["value"]) < count(client)


def test_wrong_methods_and_media_types(client: FlaskClient) -> None:
    assert_error_shape(client.put("/sparql", data={"query": COUNT}), 405)
    assert_error_shape(client.post("/sparql", data=COUNT, content_type="text/plain"), 415)
    direct = client.post(
        "/sparql",
        data=COUNT.encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert_error_shape(direct, 415)
    assert_error_shape(
        client.get("/sparql", query_string=[("query", "ASK {}"), ("query", "ASK {}")]), 400
    )
    assert_error_shape(client.post("/sparql", data={"x": "1"}), 400, "malformed_query")


def test_cors_on_answers_errors_and_preflight(client: FlaskClient) -> None:
    assert (
        client.get("/sparql", query_string={"query": COUNT}).headers["Access-Control-Allow-Origin"]
        == "*"
    )
    assert (
        client.get("/sparql", query_string={"query": "ASK {"}).headers[
            "Access-Control-Allow-Origin"
        ]
        == "*"
    )
    preflight = client.options("/sparql", headers={"Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_answers_carry_the_build_and_answer_304_to_their_etag(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": COUNT})
    assert first.headers["X-Compass-Build"]
    again = client.get(
        "/sparql", query_string={"query": COUNT}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_an_oversized_request_is_413(client: FlaskClient) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    assert_error_shape(client.post("/sparql", data={"query": query}), 413)


def test_the_row_cap_is_applied_and_reported(store_path: Path) -> None:
    app = create_app({"STORE": str(store_path), "WORKERS": 0, "ROW_CAP": 7})
    response = app.test_client().get(
        "/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"}
    )
    assert response.headers["X-Compass-Truncated"] == "true"
    assert response.headers["X-Compass-Rows"] == "7"
    assert len(json.loads(response.data)["results"]["bindings"]) == 7


def test_a_workers_start_does_not_count_against_the_query_time_limit(store_path: Path) -> None:
    # A worker process starts Python and opens the store, which can take longer than the limit
    # on a loaded machine: the first query, sent at once, is still answered.
    app = create_app({"STORE": str(store_path), "WORKERS": 1, "TIMEOUT": 0.2})
    try:
        assert app.test_client().get("/sparql", query_string={"query": COUNT}).status_code == 200
    finally:
        served(app).close()


def test_a_worker_never_imports_the_program_that_started_it(
    store_path: Path, tmp_path: Path
) -> None:
    # A worker that imported its starter (the command line, the web app) would start slowly, and
    # would fail where, as here, the starter cannot be imported.
    program = tmp_path / "program.py"
    program.write_text(
        "import sys\n"
        "if __name__ != '__main__':\n"
        "    raise SystemExit('imported by a worker')\n"
        "from pathlib import Path\n"
        "from compass_graph.store import QueryRequest\n"
        "from compass_graph.workers import WorkerPool\n"
        "pool = WorkerPool(Path(sys.argv[1]), size=1)\n"
        "print(pool.execute(QueryRequest('ASK { ?s ?p ?o }')).body.decode())\n",
        encoding="utf-8",
    )
    ran = subprocess.run(
        [sys.executable, str(program), str(store_path)], capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["boolean"] is True


def test_a_worker_loads_only_what_answering_needs() -> None:
    # Each server process starts its workers at once: every library they load delays the start.
    heavy = ("rdflib", "SPARQLWrapper", "flask", "pyshacl", "networkx")
    code = f"import sys, compass_graph.workers; print([m for m in {heavy!r} if m in sys.modules])"
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert ran.stdout.strip() == "[]"


class _Recording:
    """A store that notes every request before the real store answers it."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store, self.requests = store, []

    def execute(self, request: QueryRequest) -> Result:
        self.requests.append(request)
        return self.store.execute(request)


def test_a_served_build_takes_its_graph_sizes_from_its_summary(store_path: Path) -> None:
    # Counting every graph takes seconds at national scale, and each server process needs the
    # sizes before its first SPARQL query; the build counted them already.
    store = EmbeddedStore.open(store_path)
    served_build = _Recording(store)
    sizes = Endpoint(served_build, build=read_build(store_path)).graph_sizes()
    assert served_build.requests == []
    counted = _Recording(store)
    assert Endpoint(counted).graph_sizes() == sizes
    assert counted.requests
    assert len(sizes) >= 15


def test_the_most_recently_used_worker_answers_next_and_a_fresh_one_waits_at_the_back() -> None:
    # At low load one worker answers most queries, with its caches warm; a replacement that is
    # still starting is taken only when every other worker is busy.
    idle = _IdleWorkers()
    idle.put("first")
    idle.put("second")
    idle.put("fresh", fresh=True)
    assert idle.get(timeout=0) == "second"
    idle.put("second")
    assert [idle.get(timeout=0) for _ in range(3)] == ["second", "first", "fresh"]
    assert idle.get(timeout=0.01) is None


def test_a_runaway_query_is_stopped_and_the_worker_replaced(store_path: Path) -> None:
    app = create_app({"STORE": str(store_path), "WORKERS": 1, "TIMEOUT": 1.5})
    client = app.test_client()
    try:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        response = client.get("/sparql", query_string={"query": runaway})
        assert_error_shape(response, 503, "query_timeout")
        assert response.headers["Retry-After"]
        assert served(app).endpoint.store.replaced == 1
        assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200
    finally:
        served(app).close()
