"""Convert pyoxigraph terms to rdflib terms, for the tools that work on rdflib graphs."""

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, Node, URIRef
from rdflib.namespace import XSD


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
