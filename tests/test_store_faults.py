"""Faults of a remote store: refused, paused, stopped and restarted, or answering nonsense.

Each gets 503, 504 or 502 with a clear message and Retry-After, and the app recovers without a
restart.
"""

import http.server
import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from flask.testing import FlaskClient
from rdflib.namespace import XSD

from api import create_app
from compass_graph.build import BuildResult
from compass_graph.cli import main
from compass_graph.remote import RemoteStore
from compass_graph.store import QueryRequest
from tests.conftest import assert_error_shape, free_port, oxigraph_server

TIMEOUT = 2
QUERY = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}


@pytest.fixture
def loaded_store(built: BuildResult, tmp_path: Path) -> Path:
    """A store folder loaded with the build by a real oxigraph server, which has stopped again."""
    location = tmp_path / "oxigraph"
    with oxigraph_server(location) as (url, _):
        assert main(["load", "--store", f"{url}/store", "--dist", str(built.out_dir)]) == 0
    return location


def _client(url: str) -> FlaskClient:
    return create_app({"STORE": f"{url}/query", "TIMEOUT": TIMEOUT}).test_client()


def _fault(client: FlaskClient, status: int, code: str) -> float:
    started = time.monotonic()
    response = client.get("/sparql", query_string=QUERY)
    took = time.monotonic() - started
    body = assert_error_shape(response, status, code)
    assert "127.0.0.1" in str(body["message"])  # it says which store
    assert response.headers["Retry-After"]
    return took


def test_a_paused_store_gives_504_in_time_and_is_used_again_when_it_resumes(
    loaded_store: Path,
) -> None:
    with oxigraph_server(loaded_store) as (url, process):
        client = _client(url)
        assert client.get("/sparql", query_string=QUERY).status_code == 200
        process.send_signal(signal.SIGSTOP)
        try:
            took = _fault(client, 504, "store_timeout")
            assert took < 3 * TIMEOUT  # it does not hang on the store
        finally:
            process.send_signal(signal.SIGCONT)
        assert client.get("/sparql", query_string=QUERY).status_code == 200


def test_a_stopped_store_gives_503_and_is_used_again_when_it_returns(loaded_store: Path) -> None:
    port = free_port()
    with oxigraph_server(loaded_store, port) as (url, _):
        client = _client(url)
        assert client.get("/sparql", query_string=QUERY).status_code == 200
    _fault(client, 503, "store_unavailable")
    health = client.get("/health")
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
    with oxigraph_server(loaded_store, port):
        assert client.get("/sparql", query_string=QUERY).status_code == 200
        assert client.get("/health").get_json()["status"] == "ok"


class Nonsense(http.server.BaseHTTPRequestHandler):
    """A store that answers every query with what the path asks for."""

    answers: ClassVar[dict[str, tuple[int, str, bytes]]] = {
        "/html-error": (
            500,
            "text/html",
            b"<html><body><h1>Internal Server Error</h1></body></html>",
        ),
        "/html-page": (200, "text/html", b"<html><body>Welcome to our store</body></html>"),
        "/truncated": (
            200,
            "application/sparql-results+json",
            b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"ty',
        ),
        "/overloaded": (503, "text/plain", b"too busy"),
        # What Virtuoso 7.2 answers, as it answered here: an ASK as one row holding 1 or 0, a
        # truth value as 1 or 0, and typed literals as "typed-literal".
        "/virtuoso-ask": (
            200,
            "application/sparql-results+json",
            b'{ "head": { "link": [], "vars": ["__ASK_RETVAL"] }, "results": { "distinct": false, '
            b'"ordered": true, "bindings": [ { "__ASK_RETVAL": { "type": "typed-literal", '
            b'"datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1" }} ] } }',
        ),
        "/virtuoso-boolean": (
            200,
            "application/sparql-results+json",
            b'{ "head": { "link": [], "vars": ["big"] }, "results": { "distinct": false, '
            b'"ordered": true, "bindings": [ { "big": { "type": "typed-literal", '
            b'"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "0" }} ] } }',
        ),
        "/partial": (
            206,
            "application/sparql-results+json",
            b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", '
            b'"value": "7"}}]}}',
        ),
    }

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, media, body = self.answers[self.path]
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body) + 40 * (self.path == "/truncated")))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def nonsense() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Nonsense)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/html-error", 502, "store_bad_answer"),
        ("/html-page", 502, "store_bad_answer"),
        ("/truncated", 502, "store_bad_answer"),
        ("/overloaded", 503, "store_unavailable"),
    ],
)
def test_a_store_answering_nonsense_gives_a_clear_error(
    nonsense: str, path: str, status: int, code: str
) -> None:
    client = create_app({"STORE": f"{nonsense}{path}", "TIMEOUT": TIMEOUT}).test_client()
    _fault(client, status, code)


def test_virtuoso_answers_read_as_the_standard_says(nonsense: str) -> None:
    ask = RemoteStore(f"{nonsense}/virtuoso-ask").execute(QueryRequest("ASK {}", (), (), 10))
    assert json.loads(ask.body) == {"head": {}, "boolean": True}
    truth = RemoteStore(f"{nonsense}/virtuoso-boolean")
    answer = truth.execute(QueryRequest("SELECT ?big WHERE { BIND (false AS ?big) }", (), (), 10))
    (row,) = json.loads(answer.body)["results"]["bindings"]
    assert row["big"] == {"type": "literal", "value": "false", "datatype": str(XSD.boolean)}


def test_a_partial_answer_is_flagged(nonsense: str) -> None:
    client = create_app({"STORE": f"{nonsense}/partial", "TIMEOUT": TIMEOUT}).test_client()
    response = client.get("/api/queries/phases")
    assert response.status_code == 200 and response.get_json()["truncated"] is True
