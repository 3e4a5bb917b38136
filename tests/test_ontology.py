"""The ontology documents itself: labels and comments in Dutch and English, and its metadata."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from compass_graph import paths
from compass_graph.namespaces import ONTOLOGY_IRI, WK

ONTOLOGY = Graph().parse(paths.ONTOLOGY_FILE)
TERMS = sorted(
    {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ONTOLOGY.subjects(RDF.type, kind)
    }
)


@pytest.mark.parametrize("term", TERMS, ids=lambda term: str(term).rsplit("/", 1)[-1])
@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment], ids=["label", "comment"])
def test_every_term_is_described_in_dutch_and_english(term: URIRef, predicate: URIRef) -> None:
    languages = [value.language for value in ONTOLOGY.objects(term, predicate)]  # type: ignore[attr-defined]
    assert sorted(languages) == ["en", "nl"]


def test_object_properties_have_a_range() -> None:
    missing = [
        p
        for p in ONTOLOGY.subjects(RDF.type, OWL.ObjectProperty)
        if ONTOLOGY.value(p, RDFS.range) is None
    ]
    assert missing == []


def test_ontology_metadata_states_version_licence_and_creator() -> None:
    assert ONTOLOGY.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ONTOLOGY.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ONTOLOGY.value(ONTOLOGY_IRI, DCTERMS.creator) is not None


def test_classes_reuse_standard_vocabularies() -> None:
    parents = {str(o) for o in ONTOLOGY.objects(None, RDFS.subClassOf)}
    for vocabulary in ("skos/core#Concept", "prov#Entity", "schema.org/Place", "schema.org/Event"):
        assert any(parent.endswith(vocabulary) for parent in parents), vocabulary
    assert ONTOLOGY.value(WK.Knooppunt, RDF.type) == OWL.Class
