"""The analyses over HTTP and on the command line, on the real data."""

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from flask.testing import FlaskClient

from compass_graph.build import BuildResult
from compass_graph.cli import main
from tests.conftest import assert_error_shape


def test_upstream_and_downstream_give_chains_of_reasons(client: FlaskClient) -> None:
    upstream = client.get("/api/knooppunten/R2.07/upstream").get_json()
    assert {"R2.01", "R2.04", "R2.05", "R2.06", "R1.01"} <= {r["code"] for r in upstream}
    direct = next(r for r in upstream if r["code"] == "R2.06")
    assert direct["depth"] == 1 and direct["reasons"][0]["rationale"]["en"]
    downstream = client.get("/api/knooppunten/R6.04/downstream").get_json()
    assert {r["code"] for r in downstream} == {"R6.05", "R6.07", "R6.08"}


def test_critical_path_bottlenecks_and_timeline(client: FlaskClient) -> None:
    path = client.get("/api/critical-path?into=R4.06").get_json()
    assert path["path"][-1] == "R4.06" and path["length"] == len(path["path"])
    assert client.get("/api/bottlenecks?top=1").get_json()[0]["code"] == "R1.01"
    phases = client.get("/api/stakeholders/woningcorporatie/timeline").get_json()["phases"]
    assert [p["phase"] for p in phases] == sorted(p["phase"] for p in phases)


def test_next_for_a_story_and_for_a_posted_progress_file(client: FlaskClient) -> None:
    by_place = client.get("/api/next?story=apeldoorn").get_json()
    assert len(by_place) == 3
    parken = next(v for k, v in by_place.items() if k.endswith("/de-parken"))
    assert parken["regie"] == "residents-led"
    assert any(
        i["stakeholder"] == "bewonersinitiatief" and i["role"] == "leads"
        for s in parken["frontier"]
        for i in s["involve"]
    )
    posted = client.post("/api/next", data="code\nR1.01\n", content_type="text/csv").get_json()
    assert [s["code"] for s in posted["frontier"]] == ["R1.02", "R1.06"]


def test_next_for_one_neighbourhood_is_its_entry_in_the_story(client: FlaskClient) -> None:
    by_place = client.get("/api/next?story=apeldoorn").get_json()
    for place, expected in by_place.items():
        assert client.get(f"/api/places/{place.rsplit('/', 1)[1]}/next").get_json() == expected


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/knooppunten/R9.99/upstream", 404),
        ("/api/knooppunten/<script>/upstream", 400),
        ("/api/next?story=nowhere", 404),
        ("/api/places/nowhere/next", 404),
        ("/api/places/apeldoorn/next", 404),
        ("/api/next", 400),
        ("/api/involve?phase=9", 400),
        ("/api/involve?phase=2&knooppunt=<script>", 400),
        ("/api/bottlenecks?top=-1", 400),
        ("/api/bottlenecks?top=%C2%B2", 400),
        ("/api/critical-path?into=", 400),
        ("/api/stakeholders/burgemeester/timeline", 404),
        ("/api/graph.gif", 404),
    ],
)
def test_bad_analysis_requests_get_the_error_shape(
    client: FlaskClient, path: str, status: int
) -> None:
    assert_error_shape(client.get(path), status)


def test_involve_without_a_parameter_gives_every_phase(client: FlaskClient) -> None:
    every = client.get("/api/involve").get_json()
    assert sorted(every) == ["1", "2", "3", "4", "5", "6"]
    assert every["3"] == client.get("/api/involve?phase=3").get_json()


def test_a_posted_progress_with_an_unknown_knooppunt_is_400(client: FlaskClient) -> None:
    response = client.post("/api/next", data="code\nR1.01\nX1.99\n", content_type="text/csv")
    assert "X1.99" in str(assert_error_shape(response, 400)["message"])


@pytest.mark.parametrize("format_name", ["graphml", "gexf", "json", "dot"])
def test_the_exports_hold_every_knooppunt(client: FlaskClient, format_name: str) -> None:
    body = client.get(f"/api/graph.{format_name}").data
    if format_name == "graphml":
        graph = nx.parse_graphml(body.decode())
    elif format_name == "gexf":
        graph = nx.read_gexf(io.BytesIO(body))
    elif format_name == "json":
        graph = nx.node_link_graph(json.loads(body), edges="edges")
    else:
        assert body.decode().count(" -> ") == 92 and body.startswith(b"digraph")
        return
    assert graph.number_of_nodes() == 48 and graph.number_of_edges() == 92


def test_the_openapi_document_lists_the_analyses(client: FlaskClient) -> None:
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert "/api/next" in paths and "/api/knooppunten/{code}/upstream" in paths


def test_the_cli_answers_the_same_questions(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(built.out_dir / "store")
    assert main(["deps", "downstream", "R6.04", "--store", store]) == 0
    assert "R6.05" in capsys.readouterr().out
    assert main(["deps", "critical", "--store", store]) == 0
    assert capsys.readouterr().out.splitlines()[2].split()[1] == "R1.01"
    progress = tmp_path / "progress.csv"
    progress.write_text("code\nR1.01\n", encoding="utf-8")
    assert (
        main(["next", "--progress", str(progress), "--regie", "residents-led", "--store", store])
        == 0
    )
    assert "bewonersinitiatief leads" in capsys.readouterr().out
    assert main(["involve", "--knooppunt", "R3.02", "--store", store]) == 0
    assert "netbeheerder" in capsys.readouterr().out
    assert main(["export", "--format", "dot", "--store", store]) == 0
    assert capsys.readouterr().out.startswith("digraph")
    assert main(["next", "--story", "nowhere", "--store", store]) == 1


def svg_nodes(svg: bytes) -> int:
    return svg.count(b'class="node"')


def test_the_dependency_picture_draws_every_knooppunt_and_the_critical_path(
    client: FlaskClient,
) -> None:
    svg = client.get("/api/graph.svg")
    assert svg.mimetype == "image/svg+xml"
    assert svg_nodes(svg.data) == 48
    assert svg.data.count(b"Fase ") >= 6
    path = client.get("/api/critical-path").get_json()["path"]
    assert svg.data.count(b'stroke="#c0392b"') == 2 * (
        len(path) - 1
    )  # each edge: a line and its arrow
    png = client.get("/api/graph.png").data
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_the_matrix_heat_map_and_progress_pictures(client: FlaskClient) -> None:
    matrix = client.get("/api/pictures/phase-spoor.svg").data
    assert b"Fase 6" in matrix and b"Spoor F" in matrix and b"R6.05" in matrix
    heat = client.get("/api/pictures/involvement.svg").data
    assert b"woningcorporatie" in heat and b"Fase 1" in heat
    progress = client.get("/api/pictures/progress.svg?place=de-parken").data
    assert svg_nodes(progress) == 48
    passed_cleanly, passed_early = (
        progress.count(b'fill="#7fc97f"'),
        progress.count(b'fill="#f0027f"'),
    )
    assert passed_cleanly >= 1 and passed_cleanly + passed_early == 5  # the five De Parken passed
    assert client.get("/api/pictures/progress.png?place=zilverkamp").data.startswith(b"\x89PNG")
    assert_error_shape(client.get("/api/pictures/progress.svg?place=nowhere"), 404)
    assert_error_shape(client.get("/api/pictures/nothing.svg"), 404)


def test_the_review_lists_starts_ends_and_an_order(client: FlaskClient) -> None:
    review = client.get("/api/review").get_json()
    assert review["starts"] == ["R1.01", "R1.06"]
    assert "R6.08" in review["ends"] and review["backward"] == [] and review["cycles"] == []
    position = {code: i for i, code in enumerate(review["order"])}
    upstream = client.get("/api/knooppunten/R4.06/upstream").get_json()
    assert all(position[r["code"]] < position["R4.06"] for r in upstream)


def test_the_timeline_agrees_with_the_canned_query(client: FlaskClient) -> None:
    phases = client.get("/api/stakeholders/woningcorporatie/timeline").get_json()["phases"]
    ours = {(p["phase"], len(codes)) for p in phases for codes in p["roles"].values()}
    answer = client.get("/api/queries/stakeholder_timeline?stakeholder=woningcorporatie")
    theirs = {(int(r["order"]), int(r["knooppunten"])) for r in answer.get_json()["rows"]}
    assert ours == theirs


def test_the_phase_spoor_matrix_agrees_with_the_canned_query(client: FlaskClient) -> None:
    rows = client.get("/api/queries/knooppunten_phase_spoor").get_json()["rows"]
    matrix = client.get("/api/pictures/phase-spoor.svg").data.decode()
    for row in rows:
        cell = " ".join(sorted(row["codes"].split(", ")))
        assert f">{cell}<" in matrix, (row["phase"], row["spoor"], cell)
