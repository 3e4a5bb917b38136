"""Persistent URIs that dereference, content negotiation on documents, and the dump downloads."""

import hashlib

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from SPARQLWrapper import JSON, SPARQLWrapper

from compass_graph import paths
from compass_graph.build import BuildResult
from compass_graph.namespaces import WK
from compass_graph.prefixes import DEFAULT_BASE
from tests.conftest import assert_error_shape

KNOOPPUNT = "https://w3id.org/wijkkompas/id/knooppunt/R1.04"
PARSERS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def test_the_thing_answers_303_to_its_document(client: FlaskClient) -> None:
    response = client.get("/id/knooppunt/R1.04")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/knooppunt/R1.04")


NEGOTIATION = [
    # (path, Accept, expected media type)
    ("/doc/knooppunt/R1.04", None, "text/turtle"),
    ("/doc/knooppunt/R1.04", "application/ld+json", "application/ld+json"),
    (
        "/doc/knooppunt/R1.04",
        "application/n-triples;q=0.9, text/turtle;q=0.5",
        "application/n-triples",
    ),
    ("/doc/knooppunt/R1.04", "application/rdf+xml", "application/rdf+xml"),
    ("/doc/knooppunt/R1.04.jsonld", "text/turtle", "application/ld+json"),
    ("/doc/knooppunt/R1.04.nt", None, "application/n-triples"),
    ("/doc/knooppunt/R1.04.rdf", None, "application/rdf+xml"),
    ("/doc/knooppunt/R1.04.ttl", "application/ld+json", "text/turtle"),
]


@pytest.mark.parametrize(("path", "accept", "expected"), NEGOTIATION)
def test_documents_negotiate_and_parse(
    client: FlaskClient, path: str, accept: str | None, expected: str
) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == expected
    assert response.headers["Vary"] == "Accept"
    triples = list(ox.parse(response.data, format=PARSERS[expected]))
    subjects = {t.subject.value for t in triples}
    assert KNOOPPUNT in subjects  # its own statements
    assert any(t.object.value == KNOOPPUNT for t in triples)  # and the statements that link to it


def test_a_description_labels_what_it_links_to(client: FlaskClient) -> None:
    graph = Graph().parse(data=client.get("/doc/knooppunt/R1.04.nt").data.decode(), format="nt")
    phase = graph.value(URIRef(KNOOPPUNT), URIRef("https://w3id.org/wijkkompas/def/phase"))
    assert graph.value(phase, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")) is not None


def _labels(graph: Graph, thing: URIRef) -> dict[str, str]:
    return {label.language: str(label) for label in graph.objects(thing, RDFS.label)}  # type: ignore[attr-defined]


def test_a_progress_record_is_labelled_where_it_is_described(
    client: FlaskClient, published: Graph
) -> None:
    """Progress records carry no stored label: their own description and the description of
    their neighbourhood compose one in each language from what the record connects."""
    records = sorted(published.subjects(RDF.type, WK.ProgressRecord))
    assert records and not any(published.objects(records[0], RDFS.label))
    for record in records:
        place = published.value(record, WK.neighbourhood)
        code = published.value(published.value(record, WK.knooppunt), WK.code)
        status = published.value(record, WK.status)
        expected = {
            language: f"{_labels(published, place)[language]}: {code} {name}"  # type: ignore[arg-type]
            for language, name in (
                (label.language, str(label))  # type: ignore[attr-defined]
                for label in published.objects(status, SKOS.prefLabel)
            )
        }
        assert set(expected) == {"nl", "en"}
        for described in (record, place):
            path = str(described).removeprefix(DEFAULT_BASE + "id/")
            document = Graph().parse(data=client.get(f"/doc/{path}.nt").data.decode(), format="nt")
            assert _labels(document, record) == expected, described


@pytest.mark.parametrize(
    "path",
    [
        "/id/knooppunt/R9.99",
        "/doc/knooppunt/R9.99",
        "/id/knooppunt%2FR1.04",
        "/doc/knooppunt/..%2F..%2Fpyproject.toml",
        "/id/knooppunt/R1.04%252F",
        "/id/../etc/passwd",
        "/doc/knooppunt/R1.0\u0301",
        "/id/knooppunt",
    ],
)
def test_unknown_and_oddly_encoded_addresses_are_404(client: FlaskClient, path: str) -> None:
    assert_error_shape(client.get(path), 404)


def test_an_unacceptable_format_is_406(client: FlaskClient) -> None:
    assert_error_shape(client.get("/doc/knooppunt/R1.04", headers={"Accept": "image/png"}), 406)


def test_the_dumps_download_with_their_checksums(client: FlaskClient) -> None:
    listing = client.get("/data/").get_json()
    assert listing["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    for entry in listing["files"]:
        with client.get(entry["url"]) as response:
            assert response.status_code == 200
            assert hashlib.sha256(response.data).hexdigest() == entry["sha256"]
    assert_error_shape(client.get("/data/pyproject.toml"), 404)


def test_rdflib_dereferences_a_persistent_uri(server: str) -> None:
    graph = Graph().parse(f"{server}/id/knooppunt/R1.04")
    assert (None, URIRef("https://w3id.org/wijkkompas/def/code"), None) in graph


def test_sparqlwrapper_queries_the_endpoint(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/wijkkompas/def/Knooppunt> }"
    )
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == 48  # type: ignore[index, call-overload]


DCAT = "http://www.w3.org/ns/dcat#"


def dataset_description(client: FlaskClient) -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return Graph().parse(data=response.data.decode(), format="turtle")


def test_the_void_and_dcat_description_validates(client: FlaskClient, built: BuildResult) -> None:
    description = dataset_description(client)
    conforms, _, text = shacl_validate(
        description, shacl_graph=Graph().parse(paths.DCAT_SHAPES_FILE)
    )
    assert conforms, text
    downloads = set(description.objects(None, URIRef(DCAT + "downloadURL")))
    assert len(downloads) == 4
    void_triples = next(description.objects(None, URIRef("http://rdfs.org/ns/void#triples")))
    assert int(void_triples) == built.summary["triples"]  # type: ignore[call-overload]
    listed = {f["name"]: f["sha256"] for f in client.get("/data/").get_json()["files"]}
    values = {
        str(v) for v in description.objects(None, URIRef("http://spdx.org/rdf/terms#checksumValue"))
    }
    assert values == {
        listed[name]
        for name in ("wijkkompas.ttl", "wijkkompas.nt", "wijkkompas.jsonld", "wijkkompas.trig")
    }


def test_the_dcat_shapes_catch_a_distribution_without_a_download(client: FlaskClient) -> None:
    description = dataset_description(client)
    description.remove((None, URIRef(DCAT + "downloadURL"), None))
    conforms, _, text = shacl_validate(
        description, shacl_graph=Graph().parse(paths.DCAT_SHAPES_FILE)
    )
    assert not conforms and "dcat:downloadURL" in text
