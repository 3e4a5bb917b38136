"""The dataset described for harvesters: VoID statistics and a DCAT-AP-NL style catalogue entry.

One dataset, one distribution per dump (with its SHA-256 checksum), and the SPARQL endpoint as a
data service; licence CC BY 4.0 throughout.
"""

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from compass_graph.formats import CANONICAL_GRAPH

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
LICENCE = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DUMP_MEDIA = {
    "wijkkompas.ttl": "text/turtle",
    "wijkkompas.nt": CANONICAL_GRAPH,
    "wijkkompas.jsonld": "application/ld+json",
    "wijkkompas.trig": "application/trig",
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


TITLE = {"nl": "Wijkkompas-kennisgraaf", "en": "Wijkkompas knowledge graph"}
DESCRIPTION = {
    "nl": "Het Wijkkompas als open data: fasen, sporen, knooppunten met hun afhankelijkheden "
    "en betrokkenen, en praktijkverhalen, met de bron van elk feit.",
    "en": "The Wijkkompas as open data: phases, tracks, decision points with their "
    "dependencies and stakeholders, and practice stories, with the source of every fact.",
}
LANGUAGES = ("NLD", "ENG")
KEYWORDS = ("aardgasvrije wijken", "wijkaanpak", "warmtetransitie")


def dataset_description(
    base: str, site: str, build: Mapping[str, Any], checksums: Mapping[str, str]
) -> list[ox.Triple]:
    """Return the VoID and DCAT description of the dataset served at ``site``."""
    dataset = _n(f"{base}id/dataset/wijkkompas")
    return [
        *_dataset(dataset, base, site, build),
        *_service(dataset, _n(f"{site}sparql")),
        *_class_partitions(dataset, base, build),
        *_distributions(dataset, base, site, checksums),
    ]


def _dataset(
    dataset: ox.NamedNode, base: str, site: str, build: Mapping[str, Any]
) -> list[ox.Triple]:
    triples = [
        ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(dataset, RDF_TYPE, _n(DCAT + "Dataset")),
        ox.Triple(dataset, _n(DCT + "license"), LICENCE),
        ox.Triple(dataset, _n(DCAT + "landingPage"), _n(site)),
        ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), _n(f"{site}sparql")),
        ox.Triple(dataset, _n(VOID + "uriSpace"), ox.Literal(f"{base}id/")),
        ox.Triple(dataset, _n(VOID + "vocabulary"), _n(f"{base}def/")),
        ox.Triple(dataset, _n(VOID + "triples"), _int(int(build.get("triples", 0)))),
    ]
    triples += [
        ox.Triple(dataset, _n(DCT + "title"), ox.Literal(t, language=lang))
        for lang, t in TITLE.items()
    ]
    triples += [
        ox.Triple(dataset, _n(DCT + "description"), ox.Literal(text, language=lang))
        for lang, text in DESCRIPTION.items()
    ]
    authority = "http://publications.europa.eu/resource/authority/language/"
    triples += [
        ox.Triple(dataset, _n(DCT + "language"), _n(authority + code)) for code in LANGUAGES
    ]
    triples += [
        ox.Triple(dataset, _n(DCAT + "keyword"), ox.Literal(k, language="nl")) for k in KEYWORDS
    ]
    if build.get("build_id"):
        triples.append(
            ox.Triple(dataset, _n(DCT + "identifier"), ox.Literal(str(build["build_id"])))
        )
    return triples


def _service(dataset: ox.NamedNode, service: ox.NamedNode) -> list[ox.Triple]:
    return [
        ox.Triple(service, RDF_TYPE, _n(DCAT + "DataService")),
        ox.Triple(
            service, _n(DCT + "title"), ox.Literal("Wijkkompas SPARQL endpoint", language="en")
        ),
        ox.Triple(service, _n(DCAT + "endpointURL"), service),
        ox.Triple(service, _n(DCAT + "servesDataset"), dataset),
        ox.Triple(service, _n(DCT + "license"), LICENCE),
    ]


def _class_partitions(
    dataset: ox.NamedNode, base: str, build: Mapping[str, Any]
) -> list[ox.Triple]:
    triples = []
    for name, count in sorted(dict(build.get("classes", {})).items()):
        partition = ox.BlankNode(f"class-{name.replace(':', '-')}")
        local = name.partition(":")[2]
        triples += [
            ox.Triple(dataset, _n(VOID + "classPartition"), partition),
            ox.Triple(partition, _n(VOID + "class"), _n(f"{base}def/{local}")),
            ox.Triple(partition, _n(VOID + "entities"), _int(int(count))),
        ]
    return triples


def _distributions(
    dataset: ox.NamedNode, base: str, site: str, checksums: Mapping[str, str]
) -> list[ox.Triple]:
    triples = []
    for name, media in DUMP_MEDIA.items():
        if name not in checksums:
            continue
        distribution = _n(f"{base}id/distribution/{name}")
        checksum = ox.BlankNode(f"checksum-{name.replace('.', '-')}")
        value = ox.Literal(checksums[name], datatype=_n(XSD + "hexBinary"))
        triples += [
            ox.Triple(dataset, _n(DCAT + "distribution"), distribution),
            ox.Triple(dataset, _n(VOID + "dataDump"), _n(f"{site}data/{name}")),
            ox.Triple(distribution, RDF_TYPE, _n(DCAT + "Distribution")),
            ox.Triple(distribution, _n(DCAT + "downloadURL"), _n(f"{site}data/{name}")),
            ox.Triple(distribution, _n(DCAT + "accessURL"), _n(f"{site}data/")),
            ox.Triple(distribution, _n(DCAT + "mediaType"), _n(f"{IANA}{media}")),
            ox.Triple(distribution, _n(DCT + "license"), LICENCE),
            ox.Triple(distribution, _n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, RDF_TYPE, _n(SPDX + "Checksum")),
            ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(checksum, _n(SPDX + "checksumValue"), value),
        ]
    return triples
