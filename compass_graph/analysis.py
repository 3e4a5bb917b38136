"""Questions about the dependency graph, each answered as plain data with the reasons behind it.

All functions take the DiGraph of ``dependencies.dependency_graph``: nodes are knooppunt codes,
edges run from prerequisite to dependent.
"""

from dataclasses import dataclass, field

import networkx as nx

from compass_graph.errors import ResourceNotFound


@dataclass(frozen=True)
class Reason:
    """One dependency: ``dependent`` requires ``prerequisite`` because of ``rationale``."""

    dependent: str
    prerequisite: str
    rationale: dict[str, str]


@dataclass(frozen=True)
class Reached:
    """A knooppunt reached from another, how far away, and the chain of reasons that leads there."""

    code: str
    phase: int
    title: dict[str, str]
    depth: int
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class Bottleneck:
    """A knooppunt whose delay holds up others."""

    code: str
    phase: int
    blocks: int
    betweenness: float


def _known(digraph: nx.DiGraph, code: str) -> None:
    if code not in digraph:
        raise ResourceNotFound(f"there is no knooppunt with the code {code!r}")


def _reason(digraph: nx.DiGraph, prerequisite: str, dependent: str) -> Reason:
    return Reason(
        dependent, prerequisite, dict(digraph.edges[prerequisite, dependent]["rationale"])
    )


def _reached(digraph: nx.DiGraph, code: str, path: list[str], upward: bool) -> Reached:
    pairs = list(nx.utils.pairwise(path))
    reasons = [_reason(digraph, b, a) if upward else _reason(digraph, a, b) for a, b in pairs]
    node = digraph.nodes[code]
    return Reached(code, node["phase"], dict(node["title"]), len(pairs), reasons)


def upstream(digraph: nx.DiGraph, code: str) -> list[Reached]:
    """Every knooppunt ``code`` requires, directly or not, nearest first, with its chain."""
    _known(digraph, code)
    paths = nx.single_source_shortest_path(digraph.reverse(copy=False), code)
    found = [
        _reached(digraph, other, path, upward=True)
        for other, path in paths.items()
        if other != code
    ]
    return sorted(found, key=lambda r: (r.depth, r.phase, r.code))


def downstream(digraph: nx.DiGraph, code: str) -> list[Reached]:
    """Every knooppunt that requires ``code``, directly or not, nearest first."""
    _known(digraph, code)
    paths = nx.single_source_shortest_path(digraph, code)
    found = [
        _reached(digraph, other, path, upward=False)
        for other, path in paths.items()
        if other != code
    ]
    return sorted(found, key=lambda r: (r.depth, r.phase, r.code))


def process_order(digraph: nx.DiGraph) -> list[str]:
    """A process order: every knooppunt after its prerequisites, earlier phases first on ties."""
    return list(
        nx.lexicographical_topological_sort(digraph, key=lambda c: (digraph.nodes[c]["phase"], c))
    )


def critical_path(digraph: nx.DiGraph, into: str | None = None) -> list[str]:
    """The longest chain of requirements, overall or ending at ``into``."""
    if into is None:
        return [str(code) for code in nx.dag_longest_path(digraph, weight=None, default_weight=1)]
    _known(digraph, into)
    chain = nx.ancestors(digraph, into) | {into}
    return [
        str(code)
        for code in nx.dag_longest_path(digraph.subgraph(chain), weight=None, default_weight=1)
    ]


def bottlenecks(digraph: nx.DiGraph, top: int = 10) -> list[Bottleneck]:
    """The knooppunten whose delay blocks the most others, with their betweenness centrality."""
    betweenness = nx.betweenness_centrality(digraph)
    found = [
        Bottleneck(
            code,
            digraph.nodes[code]["phase"],
            len(nx.descendants(digraph, code)),
            round(betweenness[code], 4),
        )
        for code in digraph
    ]
    return sorted(found, key=lambda b: (-b.blocks, -b.betweenness, b.code))[:top]


def starts(digraph: nx.DiGraph) -> list[str]:
    """The knooppunten that require nothing."""
    return sorted(code for code in digraph if digraph.in_degree(code) == 0)


def ends(digraph: nx.DiGraph) -> list[str]:
    """The knooppunten that nothing requires."""
    return sorted(code for code in digraph if digraph.out_degree(code) == 0)


def backward_edges(digraph: nx.DiGraph) -> list[Reason]:
    """Dependencies where a knooppunt requires one from a later phase: each is worth a review."""
    return sorted(
        (
            _reason(digraph, p, d)
            for p, d in digraph.edges
            if digraph.nodes[p]["phase"] > digraph.nodes[d]["phase"]
        ),
        key=lambda r: (r.dependent, r.prerequisite),
    )


def cycles(digraph: nx.DiGraph, limit: int = 20) -> list[list[str]]:
    """Up to ``limit`` cycles, each as codes with the first repeated at the end."""
    found = []
    for cycle in nx.simple_cycles(digraph):
        found.append([*map(str, cycle), str(cycle[0])])
        if len(found) == limit:
            break
    return found
