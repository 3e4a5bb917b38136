"""Count what the graph holds: resources per class and triples per named graph."""

from typing import Any

import pyoxigraph as ox

from compass_graph.namespaces import prefixed_name
from compass_graph.prefixes import PREFIXES
from compass_graph.queries import prologue

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?resource) AS ?count)
WHERE { ?resource a ?class . FILTER (STRSTARTS(STR(?class), STR(wk:))) }
GROUP BY ?class ORDER BY ?class
"""


GRAPH_SIZES = (
    "SELECT ?graph (COUNT(*) AS ?count) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph"
)


def summarise(store: ox.Store) -> dict[str, Any]:
    """Return the counts per class (by prefixed name) and per named graph.

    The number of distinct triples is left to whoever writes the N-Triples dump: its lines.
    """
    classes = {
        prefixed_name(row["class"].value): int(row["count"].value)
        for row in _rows(store, prologue(PREFIXES) + CLASS_COUNTS, union=True)
    }
    graphs = {row["graph"].value: int(row["count"].value) for row in _rows(store, GRAPH_SIZES)}
    return {"classes": classes, "graphs": dict(sorted(graphs.items()))}


def _rows(store: ox.Store, query: str, union: bool = False) -> list[ox.QuerySolution]:
    answer = store.query(query, use_default_graph_as_union=union)
    assert isinstance(answer, ox.QuerySolutions)
    return list(answer)


def format_summary(summary: dict[str, Any]) -> str:
    """Render a summary as an aligned, readable table."""
    width = max(len(name) for name in summary["classes"]) if summary["classes"] else 10
    lines = [f"{'class':<{width}}  count", f"{'-' * width}  -----"]
    lines += [f"{name:<{width}}  {count:>5}" for name, count in summary["classes"].items()]
    lines.append(f"\n{summary['triples']} triples in {len(summary['graphs'])} named graphs")
    return "\n".join(lines)
