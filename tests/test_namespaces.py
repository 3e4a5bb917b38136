"""The typed vocabulary in namespaces.py and the ontology file declare the same terms."""

import pytest
from rdflib import Graph

from compass_graph import paths
from compass_graph.namespaces import WK


def ontology_terms() -> set[str]:
    graph = Graph().parse(paths.ONTOLOGY_FILE)
    prefix = str(WK._NS)
    return {
        str(subject)[len(prefix) :]
        for subject in graph.subjects()
        if str(subject).startswith(prefix) and "/" not in str(subject)[len(prefix) :]
    } - {""}


def test_every_ontology_term_is_in_the_namespace_class() -> None:
    assert ontology_terms() == set(WK.__annotations__)


def test_a_misspelt_term_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        _ = WK.hasDependancy
