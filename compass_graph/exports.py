"""The dependency graph in the formats graph tools read: GraphML, GEXF, node-link JSON and DOT."""

import json

import networkx as nx

from compass_graph.pictures import dependency_picture

FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    "dot": "text/vnd.graphviz",
}


def _flat(digraph: nx.DiGraph) -> nx.DiGraph:
    """A copy with only plain attribute values, as GraphML and GEXF require."""
    flat = nx.DiGraph()
    for code, data in digraph.nodes(data=True):
        flat.add_node(
            code,
            label=code,
            iri=data["iri"],
            phase=data["phase"],
            sporen=data["sporen"],
            title_nl=data["title"]["nl"],
            title_en=data["title"]["en"],
        )
    for prerequisite, dependent, data in digraph.edges(data=True):
        flat.add_edge(
            prerequisite,
            dependent,
            record=data["record"],
            rationale_nl=data["rationale"]["nl"],
            rationale_en=data["rationale"]["en"],
        )
    return flat


def export(digraph: nx.DiGraph, format_name: str) -> bytes:
    """Serialise the dependency graph in one of FORMATS."""
    flat = _flat(digraph)
    if format_name == "graphml":
        return "\n".join(nx.generate_graphml(flat)).encode()
    if format_name == "gexf":
        return "\n".join(nx.generate_gexf(flat)).encode()
    if format_name == "json":
        return json.dumps(
            nx.node_link_data(flat, edges="edges"), ensure_ascii=False, indent=1
        ).encode()
    if format_name == "dot":
        return dependency_picture(digraph).encode()
    raise ValueError(f"unknown export format {format_name!r}; use one of {', '.join(FORMATS)}")
