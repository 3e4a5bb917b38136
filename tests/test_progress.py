"""What is next for a neighbourhood: frontier, blocked, skipped requirements, whom to involve."""

import json

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from compass_graph import involvement
from compass_graph.dependencies import dependency_graph, graph_select
from compass_graph.errors import QueryParameterError
from compass_graph.progress import (
    PLACE_PROGRESS_QUERY,
    STORY_PROGRESS_QUERY,
    Involve,
    next_steps,
    read_progress,
    story_progress,
)
from compass_graph.queries import bind_terms
from tests.test_analysis import DIAMOND

ID = "https://w3id.org/wijkkompas/id/"
INVOLVEMENTS = [
    {"code": "C", "stakeholder": "gemeente", "role": "leads", "phase": "1"},
    {"code": "C", "stakeholder": "netbeheerder", "role": "consulted", "phase": "1"},
]


def test_the_frontier_is_what_has_all_its_requirements() -> None:
    report = next_steps(DIAMOND, {"A", "B"}, INVOLVEMENTS, None)
    assert [step.code for step in report.frontier] == ["C"]
    assert [(w.code, w.missing) for w in report.blocked] == [("D", ["C"])]
    assert report.skipped == []
    assert report.frontier[0].involve == [
        Involve("gemeente", "leads"),
        Involve("netbeheerder", "consulted"),
    ]


def test_where_residents_lead_the_initiative_takes_the_municipalitys_lead() -> None:
    (step,) = next_steps(DIAMOND, {"A", "B"}, INVOLVEMENTS, "residents-led").frontier
    assert step.involve == [
        Involve("bewonersinitiatief", "leads", adjusted=True),
        Involve("gemeente", "takes-part", adjusted=True),
        Involve("netbeheerder", "consulted"),
    ]


def test_progress_that_skips_a_requirement_is_reported() -> None:
    report = next_steps(DIAMOND, {"A", "D"}, [], None)
    assert [(w.code, w.missing) for w in report.skipped] == [("D", ["B", "C"])]
    assert [s.code for s in report.frontier] == ["B", "C"]


def test_an_empty_progress_file_starts_at_the_beginning() -> None:
    passed = read_progress("", DIAMOND)
    assert passed == set()
    assert [s.code for s in next_steps(DIAMOND, passed, [], None).frontier] == ["A"]


def test_a_progress_file_naming_an_unknown_knooppunt_is_a_clear_error() -> None:
    with pytest.raises(QueryParameterError, match="unknown knooppunten: Z9"):
        read_progress("code,status\nA,passed\nZ9,passed\n", DIAMOND)
    with pytest.raises(QueryParameterError, match="'code' column"):
        read_progress("knooppunt\nA\n", DIAMOND)


def test_a_progress_file_in_turtle() -> None:
    turtle = """@prefix wk: <https://w3id.org/wijkkompas/def/> .
    @prefix status: <https://w3id.org/wijkkompas/def/status/> .
    <urn:p1> a wk:ProgressRecord ; wk:knooppunt <urn:A> ; wk:status status:passed .
    <urn:p2> a wk:ProgressRecord ; wk:knooppunt <urn:B> ; wk:status status:stalled ."""
    assert read_progress(turtle, DIAMOND, turtle=True) == {"A"}


def progress_of(graph: Graph, story: str) -> dict[str, tuple[set[str], str | None]]:
    """The progress of a story's places in ``graph``, which holds what the build derives."""
    rows = graph_select(graph)(
        bind_terms(STORY_PROGRESS_QUERY, {"story": ox.NamedNode(ID + f"story/{story}")})
    )
    return story_progress(rows)


def test_a_places_progress_is_what_its_records_say_it_passed(published: Graph) -> None:
    select = graph_select(published)
    records = select(
        "SELECT ?place ?code WHERE { ?record a wk:ProgressRecord ; wk:neighbourhood ?place ; "
        "wk:knooppunt/wk:code ?code ; wk:status status:passed }"
    )
    by_records: dict[str, set[str]] = {}
    for row in records:
        by_records.setdefault(row["place"], set()).add(row["code"])
    assert len(by_records) >= 5
    for place, passed in by_records.items():
        rows = select(bind_terms(PLACE_PROGRESS_QUERY, {"place": ox.NamedNode(place)}))
        assert story_progress(rows)[place][0] == passed


def test_the_stories_progress_gives_a_frontier_per_place(published: Graph) -> None:
    graph = published
    select = graph_select(graph)
    places = progress_of(graph, "apeldoorn")
    assert len(places) == 3
    passed, regie = places[ID + "place/de-parken"]
    assert regie == "residents-led" and {"R1.01", "R1.04", "R4.02"} <= passed
    report = next_steps(
        dependency_graph(graph), passed, select(involvement.INVOLVEMENTS_QUERY), regie
    )
    assert "R1.02" in [s.code for s in report.frontier]
    assert any(
        w.code == "R4.02" for w in report.skipped
    )  # passed before its requirements, as reported


def test_networkx_and_the_canned_query_agree_on_who_to_involve_now(
    published: Graph, client: FlaskClient
) -> None:
    graph = published
    select = graph_select(graph)
    passed, regie = progress_of(graph, "ramplaankwartier")[ID + "place/ramplaankwartier"]
    report = next_steps(
        dependency_graph(graph), passed, select(involvement.INVOLVEMENTS_QUERY), regie
    )
    ours = {(s.code, i.stakeholder, i.role) for s in report.frontier for i in s.involve}
    answer = client.get(
        "/api/queries/involve_neighbourhood_now", query_string={"place": "ramplaankwartier"}
    )
    rows = json.loads(answer.data)["rows"]
    theirs = {
        (r["code"], r["stakeholderType"].rsplit("/", 1)[-1], r["role"].rsplit("/", 1)[-1])
        for r in rows
    }
    assert ours == theirs


def test_who_to_involve_when() -> None:
    rows = [
        {"code": "K1", "phase": "1", "stakeholder": "woningcorporatie", "role": "consulted"},
        {"code": "K2", "phase": "4", "stakeholder": "woningcorporatie", "role": "decides"},
        {"code": "K3", "phase": "4", "stakeholder": "woningcorporatie", "role": "leads"},
        {"code": "K3", "phase": "4", "stakeholder": "gemeente", "role": "takes-part"},
    ]
    assert involvement.timeline(rows, "woningcorporatie") == [
        {"phase": 1, "roles": {"consulted": ["K1"]}},
        {"phase": 4, "roles": {"leads": ["K3"], "decides": ["K2"]}},
    ]
    assert involvement.matrix(rows)[4] == {
        "gemeente": {"takes-part": 1},
        "woningcorporatie": {"leads": 1, "decides": 1},
    }
