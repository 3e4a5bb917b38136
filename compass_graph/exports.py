"""The dependency graph in the formats graph tools read: GraphML, GEXF, node-link JSON and DOT."""

import io
import json

import networkx as nx

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
        return dot(flat).encode()
    raise ValueError(f"unknown export format {format_name!r}; use one of {', '.join(FORMATS)}")


def _quoted(text: object) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def dot(flat: nx.DiGraph) -> str:
    """Write the graph in Graphviz DOT, one cluster per phase."""
    out = io.StringIO()
    out.write('digraph knooppunten {\n  rankdir=LR;\n  node [shape=box, style="rounded"];\n')
    for phase in sorted({data["phase"] for _, data in flat.nodes(data=True)}):
        out.write(f"  subgraph cluster_phase_{phase} {{\n    label={_quoted(f'Fase {phase}')};\n")
        for code, data in sorted(flat.nodes(data=True)):
            if data["phase"] == phase:
                out.write(
                    f"    {_quoted(code)} [label={_quoted(code + ': ' + data['title_nl'])}];\n"
                )
        out.write("  }\n")
    for prerequisite, dependent in sorted(flat.edges):
        out.write(f"  {_quoted(prerequisite)} -> {_quoted(dependent)};\n")
    out.write("}\n")
    return out.getvalue()
