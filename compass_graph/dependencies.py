"""The dependency graph of the knooppunten as a networkx DiGraph, and the check that it is acyclic.

Edges run from prerequisite to dependent, so a topological order is a process order. Nodes are
keyed by knooppunt code and carry their IRI, phase, sporen and titles; edges carry the dependency
record, its rationale and its sources. The graph is read with SPARQL, so it comes the same from
the embedded store, a remote store, or an rdflib graph; nodes and edges are added in code order,
so that analyses choosing between equal paths choose the same whichever store answered.
"""

from collections.abc import Callable, Iterable, Mapping

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from compass_graph.prefixes import PREFIXES
from compass_graph.queries import prologue

Rows = list[dict[str, str]]
Select = Callable[[str], Rows]

NODES_QUERY = """
SELECT ?knooppunt ?code ?phase ?titleNl ?titleEn
       (GROUP_CONCAT(DISTINCT ?letter; separator="") AS ?sporen)
WHERE {
  ?knooppunt a wk:Knooppunt ; wk:code ?code ; wk:phase/wk:order ?phase .
  OPTIONAL { ?knooppunt wk:spoor/wk:letter ?letter }
  OPTIONAL { ?knooppunt rdfs:label ?titleNl . FILTER (LANG(?titleNl) = "nl") }
  OPTIONAL { ?knooppunt rdfs:label ?titleEn . FILTER (LANG(?titleEn) = "en") }
}
GROUP BY ?knooppunt ?code ?phase ?titleNl ?titleEn
ORDER BY ?code
"""

EDGES_QUERY = """
SELECT ?record ?dependentCode ?prerequisiteCode ?rationaleNl ?rationaleEn
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
  ?record a wk:Dependency ; wk:dependent/wk:code ?dependentCode ;
      wk:prerequisite/wk:code ?prerequisiteCode .
  OPTIONAL { ?record wk:rationale ?rationaleNl . FILTER (LANG(?rationaleNl) = "nl") }
  OPTIONAL { ?record wk:rationale ?rationaleEn . FILTER (LANG(?rationaleEn) = "en") }
  OPTIONAL { ?record dcterms:source ?source }
}
GROUP BY ?record ?dependentCode ?prerequisiteCode ?rationaleNl ?rationaleEn
ORDER BY ?dependentCode ?prerequisiteCode ?record
"""


def graph_select(graph: Graph) -> Select:
    """Return a function that runs a SELECT on an rdflib graph and gives plain rows."""
    # Imported here, so that serving (which reads the dependencies from a store) never loads
    # rdflib's SPARQL engine; where it evaluates SPARQL here, it never fetches the graphs a FROM
    # names, from the web or from files.
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

    def select(query: str) -> Rows:
        result = graph.query(query, initNs=PREFIXES)
        names = [str(v) for v in result.vars or []]
        return [
            {name: str(row[i]) for i, name in enumerate(names) if row[i] is not None}  # type: ignore[index]
            for row in result
        ]

    return select


def store_select(store: ox.Store) -> Select:
    """Return a function that runs a SELECT on the union of an Oxigraph store's graphs."""

    def select(query: str) -> Rows:
        solutions = store.query(prologue(PREFIXES) + query, use_default_graph_as_union=True)
        names = [variable.value for variable in solutions.variables]  # type: ignore[union-attr]
        return [
            {name: row[name].value for name in names if row[name] is not None}
            for row in solutions  # type: ignore[union-attr]
        ]

    return select


def dependency_graph(source: Graph | ox.Store | Select) -> nx.DiGraph:
    """Build the graph of knooppunten with an edge from each prerequisite to its dependent."""
    if isinstance(source, Graph):
        select = graph_select(source)
    elif isinstance(source, ox.Store):
        select = store_select(source)
    else:
        select = source
    return build_digraph(select(NODES_QUERY), select(EDGES_QUERY))


def build_digraph(
    nodes: Iterable[Mapping[str, str]], edges: Iterable[Mapping[str, str]]
) -> nx.DiGraph:
    """Assemble the DiGraph from node rows and edge rows as the two queries return them."""
    digraph = nx.DiGraph()
    for row in nodes:
        digraph.add_node(
            row["code"],
            iri=row["knooppunt"],
            phase=int(row["phase"]),
            sporen="".join(sorted(row.get("sporen", ""))),
            title={"nl": row.get("titleNl", ""), "en": row.get("titleEn", "")},
        )
    for row in edges:
        for code in (row["prerequisiteCode"], row["dependentCode"]):
            if code not in digraph:
                digraph.add_node(code, iri="", phase=0, sporen="", title={"nl": "", "en": ""})
        digraph.add_edge(
            row["prerequisiteCode"],
            row["dependentCode"],
            record=row["record"],
            rationale={"nl": row.get("rationaleNl", ""), "en": row.get("rationaleEn", "")},
            sources=sorted(row.get("sources", "").split()),
        )
    return digraph


def find_cycle(digraph: nx.DiGraph) -> list[str] | None:
    """Return the codes along one cycle, first code repeated at the end, or None if acyclic."""
    try:
        edges = nx.find_cycle(digraph)
    except nx.NetworkXNoCycle:
        return None
    codes = [str(source) for source, _ in edges]
    return [*codes, codes[0]]
