"""Convert RDF terms and quads between rdflib and pyoxigraph."""

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, Node, URIRef
from rdflib.namespace import XSD


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the pyoxigraph term equal to an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    raise TypeError(f"not an RDF term: {term!r}")


def dataset_quads(dataset: Dataset) -> Iterator[ox.Quad]:
    """Yield every quad of the dataset's named graphs as a pyoxigraph quad."""
    for subject, predicate, obj, graph in dataset.quads():
        yield ox.Quad(
            to_oxigraph(subject),  # type: ignore[arg-type]
            to_oxigraph(predicate),  # type: ignore[arg-type]
            to_oxigraph(obj),
            ox.NamedNode(str(graph)),
        )


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | Any) -> Node:
    """Return the rdflib term equal to a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")
