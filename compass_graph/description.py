"""Describe the SPARQL service and its dataset, with VoID counts, as RDF."""

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from compass_graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def service_description(
    endpoint_url: str, base: str, build: Mapping[str, Any], graphs: Mapping[str, int]
) -> list[ox.Triple]:
    """Return the SPARQL 1.1 Service Description of the endpoint, with VoID counts per graph."""
    service = ox.NamedNode(endpoint_url)
    dataset = ox.NamedNode(f"{base}id/dataset/wijkkompas")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, ox.NamedNode(SD + "Service")),
        ox.Triple(service, ox.NamedNode(SD + "endpoint"), service),
        ox.Triple(
            service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")
        ),
        ox.Triple(service, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, ox.NamedNode(SD + "Dataset")),
        ox.Triple(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, ox.NamedNode(SD + "Graph")),
        ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), _integer(sum(graphs.values()))),
    ]
    for media in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        if media in FORMAT_IRIS:
            triples.append(
                ox.Triple(
                    service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMAT_IRIS[media])
                )
            )
    for name, count in sorted(graphs.items()):
        named = ox.BlankNode(f"graph{len(triples)}")
        description = ox.BlankNode(f"description{len(triples)}")
        triples += [
            ox.Triple(dataset, ox.NamedNode(SD + "namedGraph"), named),
            ox.Triple(named, ox.NamedNode(SD + "name"), ox.NamedNode(name)),
            ox.Triple(named, ox.NamedNode(SD + "graph"), description),
            ox.Triple(description, RDF_TYPE, ox.NamedNode(SD + "Graph")),
            ox.Triple(description, ox.NamedNode(VOID + "triples"), _integer(count)),
        ]
    if build.get("build_id"):
        triples.append(
            ox.Triple(
                dataset,
                ox.NamedNode("http://purl.org/dc/terms/identifier"),
                ox.Literal(str(build["build_id"])),
            )
        )
    return triples
