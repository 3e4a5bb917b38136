"""Facts the build derives from the authored data, kept in a named graph of their own."""

from rdflib import Graph

from compass_graph.namespaces import WK

REQUIRES = """
CONSTRUCT { ?dependent wk:requires ?prerequisite }
WHERE { ?record a wk:Dependency ; wk:dependent ?dependent ; wk:prerequisite ?prerequisite }
"""


def derive(graph: Graph) -> Graph:
    """Return the short ``wk:requires`` links implied by the qualified dependency records."""
    derived = Graph()
    for triple in graph.query(REQUIRES, initNs={"wk": WK._NS}):
        derived.add(triple)  # type: ignore[arg-type]
    return derived
