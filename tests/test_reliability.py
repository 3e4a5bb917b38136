"""The bad inputs and faults of shared/reliability.md, numbered as there (case 1 to 36).

Cases tested elsewhere are named in the README's Reliability section: the swap of a build under
load (test_swap.py) and the faults of a remote store (test_store_faults.py). What every case here
also checks: no 500, no stack trace, and the served graph unchanged.
"""

import itertools
import json
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset

from api import create_app
from api.serving import served
from compass_graph import paths
from compass_graph.build import build
from compass_graph.dependencies import graph_select
from compass_graph.errors import InvalidData, LoadError, StoreUnavailable
from compass_graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from compass_graph.queries import load_queries
from tests.conftest import assert_error_shape, compass_graph_command

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def tight(store_path: Path) -> Iterator[Flask]:
    """The app with a short time limit, a small row cap and two query processes."""
    app = create_app({"STORE": str(store_path), "WORKERS": 2, "TIMEOUT": 1.5, "ROW_CAP": 100})
    yield app
    served(app).close()


def _triples(client: FlaskClient) -> tuple[int, str]:
    response = client.get("/sparql", query_string={"query": COUNT})
    count = int(response.get_json()["results"]["bindings"][0]["n"]["value"])
    return count, response.headers["X-Compass-Build"]


@pytest.fixture
def unchanged(client: FlaskClient) -> Iterator[None]:
    """Check that the case leaves the served graph as it was."""
    before = _triples(client)
    yield
    assert _triples(client) == before


def _bad(response: object, *statuses: int) -> dict[str, object]:
    status = getattr(response, "status_code", 0)
    assert status in statuses, getattr(response, "data", b"")[:300]
    body = assert_error_shape(response, status)  # type: ignore[arg-type]
    assert "Traceback" not in json.dumps(body)
    return body


@pytest.fixture
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""
    connections: list[object] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    running = True

    def accept() -> None:
        while running:
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            connections.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    running = False
    thread.join()
    server.close()


# Cases 1 to 7: syntax and protocol.


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("query", ["ASK {", "d" * 30, ""])
def test_case_1_and_2_malformed_queries_get_400_with_the_parsers_message(
    client: FlaskClient, query: str
) -> None:
    body = _bad(client.get("/sparql", query_string={"query": query}), 400)
    assert body["error"] == "malformed_query"
    if query == "ASK {":
        assert "at 1:6:" in str(body["message"])


@pytest.mark.parametrize("depth", [50, 200])
def test_case_3_nested_brackets_are_answered(client: FlaskClient, depth: int) -> None:
    for query in (
        "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
        "SELECT * WHERE " + "{" * depth + "}" * depth,
    ):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 200
        assert response.get_json()["results"]["bindings"] == [{}]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
        "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    ],
)
def test_case_3_nesting_past_what_a_parser_can_follow_is_400_and_the_worker_stays(
    client: FlaskClient, query: str
) -> None:
    # 3,000 nested brackets overflow the stack of Oxigraph's parser, which would kill its process.
    body = _bad(client.get("/sparql", query_string={"query": query}), 400)
    assert body["error"] == "malformed_query" and "nested too deeply" in str(body["message"])
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert served(client.application).endpoint.store.replaced == 0  # type: ignore[attr-defined]


def test_case_4_two_queries_get_400(client: FlaskClient) -> None:
    _bad(client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_case_5_other_methods_get_405_with_allow(client: FlaskClient, method: str) -> None:
    response = client.open("/sparql", method=method)
    _bad(response, 405)
    assert {"GET", "POST"} <= set(response.headers["Allow"].replace(" ", "").split(","))


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b"ASK {}"),
        ("", b"query=ASK%20%7B%7D"),
        ("application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16")),
        ("application/sparql-query", b"ASK {\xff\xfe}"),
    ],
)
def test_case_6_and_7_wrong_media_types_and_encodings(
    client: FlaskClient, content_type: str, body: bytes
) -> None:
    _bad(client.post("/sparql", data=body, headers={"Content-Type": content_type}), 400, 415)


def test_case_7_invalid_utf8_in_a_get_gets_400(client: FlaskClient) -> None:
    _bad(client.get("/sparql?query=ASK%20%7B%7D%FF%FE"), 400)


# Cases 8 and 9: writes.


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "CLEAR ALL",
    ],
)
def test_case_8_and_9_writes_are_refused_every_way(client: FlaskClient, update: str) -> None:
    _bad(client.get("/sparql", query_string={"query": update}), 400, 403)
    _bad(client.post("/sparql", data={"update": update}), 403)
    _bad(
        client.post("/sparql", data=update, headers={"Content-Type": "application/sparql-update"}),
        403,
    )


# Cases 10 to 12: federation and files.

HIDDEN_SERVICES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment\n SERVICE # another\n <http://localhost:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://127.0.0.1:{port}/> {} } }",
    "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/meta-data/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("template", HIDDEN_SERVICES)
def test_case_10_and_12_service_is_refused_and_nothing_is_contacted(
    client: FlaskClient, listener: tuple[int, list[object]], template: str
) -> None:
    port, connections = listener
    query = template.replace("{port}", str(port))
    _bad(client.get("/sparql", query_string={"query": query}), 400, 403)
    time.sleep(0.3)
    assert connections == []


@pytest.mark.parametrize(
    ("query", "parameters", "statuses"),
    [
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", {}, (403,)),
        ("SELECT * FROM NAMED <http://internal/> WHERE { GRAPH ?g { ?s ?p ?o } }", {}, (403,)),
        # Graphs named by the protocol's parameters are empty when the store lacks them (the W3C
        # protocol tests expect an answer); they are never fetched either.
        (COUNT, {"default-graph-uri": "file:///etc/passwd"}, (200,)),
        (COUNT, {"named-graph-uri": "http://127.0.0.1:9/graph"}, (200,)),
    ],
)
def test_case_11_graphs_from_elsewhere_are_never_opened(
    client: FlaskClient, query: str, parameters: dict[str, str], statuses: tuple[int, ...]
) -> None:
    opened: list[str] = []
    watching = True

    def audit(event: str, arguments: tuple[object, ...]) -> None:
        if watching and event in ("open", "socket.connect") and "passwd" in str(arguments[0]):
            opened.append(str(arguments[0]))

    sys.addaudithook(audit)
    try:
        response = client.get("/sparql", query_string={"query": query, **parameters})
    finally:
        watching = False
    assert response.status_code in statuses and opened == []
    if response.status_code == 200:
        assert response.get_json()["results"]["bindings"][0]["n"]["value"] == "0"
    else:
        _bad(response, 403)


# Cases 13 and 14: size.


def test_case_13_a_megabyte_query_is_refused(client: FlaskClient) -> None:
    query = "ASK { " + "?s ?p ?o . " * 100_000 + "}"
    _bad(client.get("/sparql", query_string={"query": query}), 400, 413, 414)


def test_case_14_huge_bodies_are_refused_before_they_are_read(client: FlaskClient) -> None:
    body = b"x" * 100_000_000
    _bad(
        client.post("/sparql", data=body, headers={"Content-Type": "application/sparql-query"}), 413
    )
    form = b"query=" + b"x" * 1_000_000
    _bad(
        client.post(
            "/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
        ),
        413,
    )


# Cases 15 to 19: cost.


def test_case_15_a_cartesian_product_is_stopped_while_others_are_answered(tight: Flask) -> None:
    client = tight.test_client()
    heavy: dict[str, object] = {}
    runaway = threading.Thread(
        target=lambda: heavy.update(
            response=client.get("/sparql", query_string={"query": CARTESIAN})
        )
    )
    runaway.start()
    time.sleep(0.2)
    meanwhile = client.get("/api/queries/phases")  # answered by the other query process
    runaway.join()
    assert meanwhile.status_code == 200
    response = heavy["response"]
    _bad(response, 503)
    assert response.headers["Retry-After"]  # type: ignore[attr-defined]
    assert served(tight).endpoint.store.replaced >= 1  # type: ignore[attr-defined]
    assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|^<urn:p>)* ?b }",
        "ASK { <urn:a> (<urn:x>|!<urn:x>)+ <urn:b> }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x>)+ ?b }",
        'SELECT (STRLEN(?z) AS ?length) WHERE { BIND("ab" AS ?a) '
        + " ".join(
            f"BIND(CONCAT(?{c}, ?{c}) AS ?{n})"
            for c, n in itertools.pairwise("abcdefghijklmnopqrstuvwxyz")
        )
        + " }",
        'SELECT * WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "(a+)+$") }',
    ],
)
def test_case_16_and_17_exploding_paths_and_strings_end_in_time(tight: Flask, query: str) -> None:
    response = tight.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code in (200, 503)
    if response.status_code == 503:
        assert response.get_json()["error"] == "query_timeout"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } ORDER BY RAND()",
        "DESCRIBE ?x WHERE { ?x ?p ?o }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
    ],
)
def test_case_18_and_19_big_answers_are_capped_and_flagged(tight: Flask, query: str) -> None:
    response = tight.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    assert response.headers["X-Compass-Truncated"] == "true"
    assert response.headers["X-Compass-Rows"] == "100"


def test_a_document_beyond_the_row_cap_is_flagged_too(tight: Flask) -> None:
    # The document of the municipality as a stakeholder type holds nearly 200 statements.
    response = tight.test_client().get("/doc/stakeholder-type/gemeente.nt")
    assert response.status_code == 200
    assert response.headers["X-Compass-Truncated"] == "true"
    assert response.headers["X-Compass-Rows"] == "100"
    assert len(response.data.splitlines()) == 100


# Case 20: one client asking too much.


def test_case_20_a_greedy_client_gets_429_and_others_are_still_served(store_path: Path) -> None:
    app = create_app({"STORE": str(store_path), "WORKERS": 0, "RATE_LIMIT": 5, "RATE_BURST": 5})
    greedy = app.test_client()
    statuses = [
        greedy.get("/api/queries/phases", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        for _ in range(50)
    ]
    refused = [response for response in statuses if response.status_code == 429]
    assert 40 <= len(refused) <= 45
    _bad(refused[0], 429)
    assert int(refused[0].headers["Retry-After"]) >= 1
    other = greedy.get("/api/queries/phases", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200
    time.sleep(0.25)  # a token comes back every 0.2 s
    again = greedy.get("/api/queries/phases", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert again.status_code == 200


# Cases 21 to 25: negotiation and linked data.

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/wijkkompas/def/Phase> }"
CONSTRUCT = "CONSTRUCT WHERE { ?s a <https://w3id.org/wijkkompas/def/Phase> }"


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT, media) for media in SOLUTION_FORMATS if media != "application/json"]
    + [(CONSTRUCT, media) for media in GRAPH_FORMATS if media != "application/rdf+xml"],
)
def test_case_21_each_format_comes_as_asked(client: FlaskClient, query: str, accept: str) -> None:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("query", "accept"), [(SELECT, "image/png"), (SELECT, "text/turtle")])
def test_case_22_unsatisfiable_accept_gets_406_listing_what_is_offered(
    client: FlaskClient, query: str, accept: str
) -> None:
    body = _bad(
        client.get("/sparql", query_string={"query": query}, headers={"Accept": accept}), 406
    )
    assert "application/sparql-results+json" in str(body["message"])


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/html", "text/html"),
        ("text/turtle;q=0.1, application/ld+json;q=0.9", "application/ld+json"),
    ],
)
def test_case_23_linked_data_negotiation_has_documented_defaults(
    client: FlaskClient, accept: str | None, expected: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    assert client.get("/id/phase/2", headers=headers).status_code == 303
    assert client.get("/doc/phase/2", headers=headers).mimetype == expected


@pytest.mark.parametrize(
    "path",
    [
        "/doc/knooppunt/R9.99",
        "/doc/knooppunt/R2.07/",
        "/doc/knooppunt/r2.07",
        "/doc/Knooppunt/R2.07",
        "/doc/knooppunt%2FR2.07",
        "/doc/knooppunt/R2.07%00",
        "/doc/..%2F..%2Fetc%2Fpasswd",
        "/doc/knooppunt/%252FR2.07",
        "/doc/place/%C0%AF",
        "/doc/place/de-parke%CC%81n",
        "/id/knooppunt/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_case_24_and_25_unknown_and_oddly_encoded_addresses_get_404(
    client: FlaskClient, path: str
) -> None:
    _bad(client.get(path), 400, 404)


# Cases 26 to 29: the REST parameters.

INJECTIONS = [
    'x" || true || "',
    "x> ?p ?o } #",
    "x\\u0022 ) }",
    "1 } UNION { ?s ?p ?o",
    "R2.07\nR2.01",
    "R2.07\x00",
    "SERVICE <http://127.0.0.1:{port}/>",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_case_26_and_27_injections_in_ids_get_400_and_contact_nothing(
    client: FlaskClient, listener: tuple[int, list[object]], payload: str
) -> None:
    port, connections = listener
    value = payload.replace("{port}", str(port))
    body = _bad(client.get("/api/queries/upstream", query_string={"knooppunt": value}), 400)
    assert body["error"] == "bad_parameter"
    _bad(client.get("/api/queries/knooppunten_in_phase", query_string={"phase": value}), 400)
    assert connections == []


@pytest.mark.parametrize("payload", INJECTIONS)
def test_case_26_text_parameters_stay_text(client: FlaskClient, payload: str) -> None:
    """Even where any text is allowed, it is bound as one literal: no extra rows, no error."""
    response = client.get("/api/queries/search_labels", query_string={"text": payload})
    assert response.status_code == 200 and response.get_json()["rows"] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/queries/upstream?knooppunt=R9.99", 404),
        ("/api/queries/upstream?knooppunt=gemeente", 404),
        ("/api/stakeholders/R2.07/timeline", 404),
        ("/api/knooppunten/gemeente/upstream", 404),
        ("/api/queries/upstream?knooppunt=" + "R" * 10_000, 400),
        ("/api/queries/upstream?knooppunt=", 400),
        ("/api/queries/upstream", 400),
        ("/api/queries/upstream?knooppunt=R2.07&knooppunt=R2.01", 400),
        ("/api/queries/upstream?knooppunt=R2.07&nonsense=1", 400),
    ],
)
def test_case_28_and_29_wrong_ids_and_parameters(
    client: FlaskClient, path: str, status: int
) -> None:
    _bad(client.get(path), status)


# Cases 30 to 33: the build's inputs.

ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    b"<r>&c;</r>"
)


def _data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for source in paths.DATA_DIR.glob("*.ttl"):
        (data / source.name).write_bytes(source.read_bytes())
    return data


def test_case_30_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    data = _data_copy(tmp_path)
    with (data / "places.ttl").open("a", encoding="utf-8") as file:
        file.write('\n<id/place/x> <urn:p> "unterminated .\n')
    with pytest.raises(LoadError) as caught:
        build(data, tmp_path / "dist")
    assert caught.value.file == data / "places.ttl" and caught.value.line
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("extra.ttl", b"", "empty"),
        ("extra.ttl", b"\xef\xbb\xbf@prefix wk: <urn:wk/> .\n", "byte order mark"),
        ("extra.ttl", b'<id/place/x> <urn:p> "caf\xe9" .\n', "UTF-8"),
        ("extra.rdf", ENTITY_BOMB, "only Turtle"),
        ("extra.jsonld", b'{"@context": "http://127.0.0.1:9/context.jsonld"}', "only Turtle"),
    ],
)  # fmt: skip
def test_case_32_bad_input_files_fail_fast(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    data = _data_copy(tmp_path)
    (data / name).write_bytes(content)
    started = time.monotonic()
    with pytest.raises(LoadError, match=expected):
        build(data, tmp_path / "dist")
    assert time.monotonic() - started < 60  # nothing is expanded or fetched


def test_case_31_and_32_violations_and_duplicates_fail_with_the_shacl_report(
    tmp_path: Path,
) -> None:
    data = _data_copy(tmp_path)
    knooppunten = (data / "knooppunten.ttl").read_text(encoding="utf-8")
    # A second knooppunt with the code of the first, in another file.
    first = knooppunten.index("kp:R1.01 a wk:Knooppunt")
    block = knooppunten[first : knooppunten.index("\n\n", first)]
    prefixes = knooppunten[: knooppunten.index("\n\n", knooppunten.index("@prefix"))]
    (data / "duplicate.ttl").write_text(
        prefixes + "\n\n" + block.replace("kp:R1.01 a", "kp:R1.01-copy a", 1) + "\n",
        encoding="utf-8",
    )
    (data / "missing.ttl").write_text(
        prefixes + '\n\nkp:R9.99 a wk:Knooppunt ; wk:code "R9.99" .\n', encoding="utf-8"
    )
    with pytest.raises(InvalidData) as caught:
        build(data, tmp_path / "dist")
    report = caught.value.report_text
    assert "R1.01-copy" in report and "R9.99" in report


def test_case_33_a_full_disk_leaves_the_published_build(tmp_path: Path) -> None:
    data = _data_copy(tmp_path)
    out = tmp_path / "dist"
    build(data, out)
    before = out.resolve()

    def small_disk() -> None:  # writes past 1 MB fail, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    command = compass_graph_command("build", "--data", data, "--out", out)
    (data / "places.ttl").write_text(
        (data / "places.ttl").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8"
    )
    failed = subprocess.run(command, preexec_fn=small_disk, capture_output=True, check=False)
    assert failed.returncode != 0
    assert out.resolve() == before and (out / "store").is_dir()


# Beyond the table: what the process itself guarantees.


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated")  # within rdflib
def test_rdflib_never_loads_the_graphs_a_query_names() -> None:
    # Left to itself, rdflib would read the file into the dataset and answer from it.
    places = (paths.DATA_DIR / "places.ttl").resolve().as_uri()
    assert graph_select(Dataset())(f"SELECT * FROM <{places}> WHERE {{ ?s ?p ?o }}") == []


def test_no_build_means_a_clear_refusal_to_start(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="compass-graph build"):
        create_app({"STORE": str(tmp_path / "nothing" / "store"), "WORKERS": 0})


def test_building_and_answering_open_no_connection_to_anywhere(
    tmp_path: Path, client: FlaskClient
) -> None:
    connections: list[object] = []
    watching = True

    def audit(event: str, arguments: tuple[object, ...]) -> None:
        if watching and event == "socket.connect":
            connections.append(arguments[1])

    sys.addaudithook(audit)
    try:
        build(_data_copy(tmp_path), tmp_path / "dist")
        for query in load_queries().values():
            examples = query.examples() or {}
            assert (
                client.get(f"/api/queries/{query.name}", query_string=examples).status_code == 200
            )
    finally:
        watching = False
    assert connections == []
