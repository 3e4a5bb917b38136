"""The dependency graph of the knooppunten, as a networkx DiGraph, and the check that it is acyclic.

Edges run from prerequisite to dependent, so a topological order is a process order.
"""

import networkx as nx
from rdflib import Graph

from compass_graph.namespaces import WK

EDGES_QUERY = """
SELECT ?dependent ?dependentCode ?prerequisite ?prerequisiteCode ?record WHERE {
    ?record a wk:Dependency ; wk:dependent ?dependent ; wk:prerequisite ?prerequisite .
    OPTIONAL { ?dependent wk:code ?dependentCode }
    OPTIONAL { ?prerequisite wk:code ?prerequisiteCode }
}
"""


def dependency_graph(graph: Graph) -> nx.DiGraph:
    """Build the graph of knooppunten with an edge from each prerequisite to its dependent."""
    digraph = nx.DiGraph()
    for row in graph.query(EDGES_QUERY, initNs={"wk": WK._NS}):
        dependent, dependent_code, prerequisite, prerequisite_code, record = row  # type: ignore[misc]
        digraph.add_node(prerequisite, code=str(prerequisite_code or prerequisite))
        digraph.add_node(dependent, code=str(dependent_code or dependent))
        digraph.add_edge(prerequisite, dependent, record=record)
    return digraph


def find_cycle(digraph: nx.DiGraph) -> list[str] | None:
    """Return the codes along one cycle, first code repeated at the end, or None if acyclic."""
    try:
        edges = nx.find_cycle(digraph)
    except nx.NetworkXNoCycle:
        return None
    codes = [digraph.nodes[source]["code"] for source, _ in edges]
    return [*codes, codes[0]]
