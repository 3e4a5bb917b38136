"""The dependency analyses: known answers on small hand-made graphs, and agreement with SPARQL."""

import json

import networkx as nx
import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from compass_graph import analysis
from compass_graph.dependencies import build_digraph, dependency_graph
from compass_graph.errors import ResourceNotFound


def graph_of(edges: list[tuple[str, str]], phases: dict[str, int] | None = None) -> nx.DiGraph:
    """A small graph: each edge is (dependent, prerequisite), as the data says "requires"."""
    codes = sorted({code for edge in edges for code in edge})
    nodes = [
        {"knooppunt": f"urn:{c}", "code": c, "phase": str((phases or {}).get(c, 1))} for c in codes
    ]
    rows = [
        {
            "record": f"urn:{d}-{p}",
            "dependentCode": d,
            "prerequisiteCode": p,
            "rationaleEn": f"{d} needs {p}",
        }
        for d, p in edges
    ]
    return build_digraph(nodes, rows)


# D requires B and C; B and C require A: a diamond.
DIAMOND = graph_of([("B", "A"), ("C", "A"), ("D", "B"), ("D", "C")])


def test_upstream_of_a_diamond_reaches_the_top_with_its_reasons() -> None:
    reached = analysis.upstream(DIAMOND, "D")
    assert [(r.code, r.depth) for r in reached] == [("B", 1), ("C", 1), ("A", 2)]
    top = reached[-1]
    assert [(reason.dependent, reason.prerequisite) for reason in top.reasons] == [
        ("D", "B"),
        ("B", "A"),
    ]
    assert top.reasons[0].rationale["en"] == "D needs B"


def test_downstream_of_a_diamond() -> None:
    assert [(r.code, r.depth) for r in analysis.downstream(DIAMOND, "A")] == [
        ("B", 1),
        ("C", 1),
        ("D", 2),
    ]
    assert analysis.downstream(DIAMOND, "D") == []


def test_order_critical_path_starts_and_ends() -> None:
    order = analysis.process_order(DIAMOND)
    assert order[0] == "A" and order[-1] == "D"
    assert analysis.critical_path(DIAMOND) in (["A", "B", "D"], ["A", "C", "D"])
    assert analysis.critical_path(DIAMOND, into="B") == ["A", "B"]
    assert analysis.starts(DIAMOND) == ["A"] and analysis.ends(DIAMOND) == ["D"]


def test_the_order_puts_earlier_phases_first_where_dependencies_allow() -> None:
    free = graph_of([("Y", "X")], phases={"X": 2, "Y": 3})
    free.add_node("W", iri="urn:W", phase=1, sporen="", title={"nl": "", "en": ""})
    assert analysis.process_order(free) == ["W", "X", "Y"]


def test_bottlenecks_rank_by_what_they_block() -> None:
    top = analysis.bottlenecks(DIAMOND, top=2)
    assert [(b.code, b.blocks) for b in top] == [("A", 3), ("B", 1)]
    assert top[1].betweenness > 0


def test_a_requirement_from_a_later_phase_is_flagged() -> None:
    flagged = analysis.backward_edges(graph_of([("E", "L")], phases={"E": 1, "L": 4}))
    assert [(r.dependent, r.prerequisite) for r in flagged] == [("E", "L")]


def test_cycles_are_printed() -> None:
    cyclic = graph_of([("P", "Q"), ("Q", "R"), ("R", "P")])
    (cycle,) = analysis.cycles(cyclic)
    assert len(cycle) == 4 and cycle[0] == cycle[-1] and set(cycle) == {"P", "Q", "R"}


def test_an_unknown_code_is_a_clear_error() -> None:
    with pytest.raises(ResourceNotFound, match=r"R9\.99"):
        analysis.upstream(DIAMOND, "R9.99")


REAL_CODES = ["R1.04", "R2.07", "R4.06", "R6.05"]


@pytest.mark.parametrize("code", REAL_CODES)
@pytest.mark.parametrize("direction", ["upstream", "downstream"])
def test_networkx_and_the_canned_query_agree(
    graph: Graph, client: FlaskClient, code: str, direction: str
) -> None:
    digraph = dependency_graph(graph)
    reached = getattr(analysis, direction)(digraph, code)
    response = client.get(
        f"/api/queries/{direction}", query_string={"knooppunt": code, "lang": "en"}
    )
    rows = json.loads(response.data)["rows"]
    assert {row["code"] for row in rows} == {r.code for r in reached}
    assert {row["code"] for row in rows if row["direct"] == "true"} == {
        r.code for r in reached if r.depth == 1
    }


def test_on_the_real_data_the_critical_path_follows_the_phases(graph: Graph) -> None:
    digraph = dependency_graph(graph)
    path = analysis.critical_path(digraph)
    phases = [digraph.nodes[code]["phase"] for code in path]
    assert len(path) >= 10 and phases == sorted(phases)
    assert analysis.backward_edges(digraph) == []
    assert analysis.cycles(digraph) == []
