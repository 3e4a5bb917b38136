"""Count what the graph holds: resources per class and triples per named graph."""

from typing import Any, cast

from rdflib import Dataset, Graph, Literal, URIRef

from compass_graph.namespaces import PREFIXES

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?resource) AS ?count)
WHERE { ?resource a ?class . FILTER (STRSTARTS(STR(?class), STR(wk:))) }
GROUP BY ?class ORDER BY ?class
"""


def summarise(dataset: Dataset, graph: Graph) -> dict[str, Any]:
    """Return the counts per class (by prefixed name) and per named graph, and the total."""
    classes = {}
    for row in graph.query(CLASS_COUNTS, initNs=PREFIXES):
        klass, count = cast(tuple[URIRef, Literal], row)
        classes[graph.namespace_manager.curie(klass)] = int(count)
    graphs = {str(named.identifier): len(named) for named in dataset.graphs() if len(named)}
    return {"triples": len(graph), "classes": classes, "graphs": dict(sorted(graphs.items()))}


def format_summary(summary: dict[str, Any]) -> str:
    """Render a summary as an aligned, readable table."""
    width = max(len(name) for name in summary["classes"]) if summary["classes"] else 10
    lines = [f"{'class':<{width}}  count", f"{'-' * width}  -----"]
    lines += [f"{name:<{width}}  {count:>5}" for name, count in summary["classes"].items()]
    lines.append(f"\n{summary['triples']} triples in {len(summary['graphs'])} named graphs")
    return "\n".join(lines)
