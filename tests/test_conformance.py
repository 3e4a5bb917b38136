"""The W3C SPARQL 1.1 Protocol tests, replayed against the app.

Every query test and every bad_* test must pass. The update tests describe what a read-write
endpoint does; this endpoint is read-only, so each of their update requests must be refused with
a 4xx status instead (and the requests that would read the update back are not sent).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from api import create_app
from compass_graph.store import write_store

# shared/ lies beside the repository.
PROTOCOL = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}

MANIFEST_IRI = URIRef((PROTOCOL / "manifest.ttl").as_uri())
MANIFEST = Graph().parse(PROTOCOL / "manifest.ttl", format="turtle", publicID=str(MANIFEST_IRI))
ENTRIES = list(Collection(MANIFEST, MANIFEST.value(MANIFEST_IRI, MF.entries)))  # type: ignore[arg-type]
RESULTS: dict[str, bool] = {}


def requests_of(test: URIRef) -> list[URIRef]:
    action = MANIFEST.value(test, MF.action)
    return list(Collection(MANIFEST, MANIFEST.value(action, HT.requests)))  # type: ignore[arg-type]


def send(client: FlaskClient, request: URIRef) -> Any:
    headers = {}
    header_list = MANIFEST.value(request, HT.headers)
    for header in Collection(MANIFEST, header_list) if header_list else []:
        headers[str(MANIFEST.value(header, HT.fieldName))] = str(
            MANIFEST.value(header, HT.fieldValue)
        )
    body = MANIFEST.value(MANIFEST.value(request, HT.body), CNT.chars)
    encoding = "utf-16" if "UTF-16" in headers.get("content-type", "") else "utf-8"
    data = str(body).encode(encoding) if body is not None else None
    path = str(MANIFEST.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    content_type = headers.pop("content-type", None)
    return client.open(
        path,
        method=str(MANIFEST.value(request, HT.methodName)),
        data=data,
        headers=headers,
        content_type=content_type,
    )


def is_update(request: URIRef) -> bool:
    path = str(MANIFEST.value(request, HT.absolutePath))
    body = str(MANIFEST.value(MANIFEST.value(request, HT.body), CNT.chars) or "")
    header_list = MANIFEST.value(request, HT.headers)
    types = (
        [str(MANIFEST.value(h, HT.fieldValue)) for h in Collection(MANIFEST, header_list)]
        if header_list
        else []
    )
    return (
        "update=" in path or body.startswith("update=") or any("sparql-update" in t for t in types)
    )


def status_ok(response: Any, expected: set[str]) -> bool:
    return any(response.status_code // 100 == int(code[-3]) for code in expected)


@pytest.fixture(scope="module")
def conformance_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app over a store holding the manifest's data files as named graphs."""
    source = ox.Store()
    for name in ("data1", "data2", "data3"):
        graph = ox.NamedNode(f"http://kasei.us/2009/09/sparql/data/{name}.rdf")
        source.load(path=PROTOCOL / f"{name}.nt", format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    path = tmp_path_factory.mktemp("conformance") / "store"
    write_store(path, source)
    app = create_app({"STORE": str(path), "WORKERS": 0})
    yield app


@pytest.mark.parametrize("test", ENTRIES, ids=[str(t).rsplit("#", 1)[-1] for t in ENTRIES])
def test_protocol(conformance_app: Flask, test: URIRef) -> None:
    client = conformance_app.test_client()
    name = str(test).rsplit("#", 1)[-1]
    RESULTS[name] = False
    for request in requests_of(test):
        response = send(client, request)
        expected_response = MANIFEST.value(request, HT.resp)
        if is_update(request):
            assert 400 <= response.status_code < 500, (name, response.status_code)
            if name.startswith("update_"):
                break  # a read-only endpoint refuses the update; nothing to read back
            continue
        expected = {str(code) for code in MANIFEST.objects(expected_response, MF.expectedStatus)}
        assert status_ok(response, expected), (name, response.status_code, response.data[:200])
        kind = MANIFEST.value(expected_response, MF.expectedFormat)
        boolean = MANIFEST.value(expected_response, MF.expectedBoolean)
        if boolean is not None:
            assert response.get_json()["boolean"] == boolean.toPython()  # type: ignore[attr-defined]
        if kind == Literal("boolean") or kind == Literal("tabular"):
            assert response.mimetype in TABULAR
        elif kind == Literal("RDF"):
            assert response.mimetype in RDF_TYPES
    RESULTS[name] = True


def test_print_the_pass_count(capsys: pytest.CaptureFixture[str]) -> None:
    passed = sum(RESULTS.values())
    with capsys.disabled():
        print(f"\nW3C SPARQL 1.1 Protocol: {passed}/{len(ENTRIES)} tests passed")
    assert passed == len(ENTRIES)
