"""The canned queries: every file parses, runs and is documented; parameters bind only as terms."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib.namespace import RDFS

from compass_graph import paths
from compass_graph.errors import QueryDefinitionError, QueryParameterError
from compass_graph.namespaces import WK
from compass_graph.prefixes import DEFAULT_BASE
from compass_graph.queries import bind_terms, load_queries, load_query, where_brace
from tests.conftest import assert_error_shape

QUERIES = load_queries()


def test_there_are_at_least_fifteen_queries() -> None:
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_with_its_example_values_and_returns_rows(
    client: FlaskClient, name: str
) -> None:
    query = QUERIES[name]
    values = {p.name: p.example for p in query.parameters if p.example is not None}
    accept = "application/json" if query.form == "SELECT" else "text/turtle"
    response = client.get(f"/api/queries/{name}", query_string=values, headers={"Accept": accept})
    assert response.status_code == 200, response.data[:300]
    if query.form == "SELECT":
        rows = response.get_json()["rows"]
        assert rows or name == "cross_phase_dependencies"


SEARCHED = {
    *("Knooppunt", "Phase", "Spoor", "Track", "StakeholderType", "PracticeStory", "Participation"),
    *("Neighbourhood", "Village", "Settlement", "Municipality", "HeatSolution", "Funding"),
    *("Lesson", "SourceDocument"),
}
NOT_SEARCHED = {"Dependency", "Involvement", "ProgressRecord", "PhaseProgress"}


def test_search_finds_each_resource_of_the_kinds_it_searches_by_its_label(
    client: FlaskClient, store_path: Path
) -> None:
    # Each labelled kind of resource is either searched or left out on purpose, so a new kind
    # must be placed; events are searched when a story tells them.
    store = ox.Store.read_only(str(store_path))
    labelled = {
        (row["thing"].value, row["kind"].value, row["label"].value)
        for row in store.query(
            """SELECT ?thing ?kind ?label WHERE {
                 ?thing a ?kind ; rdfs:label ?label . FILTER (LANG(?label) = "nl")
                 FILTER (STRSTARTS(STR(?kind), STR(wk:)) && STRSTARTS(STR(?thing), STR(<id/>)))
               }""",
            prefixes={"wk": str(WK), "rdfs": str(RDFS)},
            base_iri=DEFAULT_BASE,
            use_default_graph_as_union=True,
        )
    }
    told = {
        row["e"].value
        for row in store.query(
            f"SELECT ?e WHERE {{ ?s a <{WK.PracticeStory}> ; <{WK.event}> ?e }}",
            use_default_graph_as_union=True,
        )
    }
    del store
    kinds = {kind.removeprefix(str(WK)) for _, kind, _ in labelled}
    assert kinds <= {*SEARCHED, *NOT_SEARCHED, "Event"}
    assert told
    sample = [row for k in kinds for row in sorted(r for r in labelled if r[1] == str(WK) + k)[:3]]
    assert len(sample) > 3 * len(SEARCHED) / 2
    for thing, kind, label in sample:
        response = client.get("/api/queries/search_labels", query_string={"text": label})
        found = {row["thing"] for row in response.get_json()["rows"]}
        searched = kind.removeprefix(str(WK)) in SEARCHED or thing in told
        assert (thing in found) == searched, (thing, kind, label)


def test_search_puts_each_resource_first_for_its_exact_code_or_letter(
    client: FlaskClient, store_path: Path
) -> None:
    # The search reads codes only for the kinds that have them; a code on another kind (a place)
    # would not be found first, and this fails.
    store = ox.Store.read_only(str(store_path))
    coded = [
        (row["thing"].value, row["code"].value)
        for row in store.query(
            "SELECT ?thing ?code WHERE { ?thing wk:code|wk:letter ?code }",
            prefixes={"wk": str(WK)},
            use_default_graph_as_union=True,
        )
    ]
    del store
    assert len({code for _, code in coded}) > 40
    for thing, code in coded:
        response = client.get("/api/queries/search_labels", query_string={"text": code.lower()})
        rows = response.get_json()["rows"]
        firsts = {row["thing"] for row in rows if row["score"] == rows[0]["score"]}
        assert rows[0]["score"] == "0" and thing in firsts, (thing, code, rows[:3])


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_is_listed_in_the_readme(name: str) -> None:
    assert f"`{name}`" in (paths.QUERIES_DIR.parent / "README.md").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample.rq"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "#+ summary: S\n#+ summary_nl: S\n#+ description: D\n#+ description_nl: D\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "no '#+' header"),
        ("#+ summary: [unclosed\nSELECT * WHERE {}", "not valid YAML"),
        ("#+ summary: S\nSELECT * WHERE {}", "summary_nl"),
        (
            HEADER + "#+ params:\n#+   x:\n#+     type: colour\nSELECT * WHERE { ?x ?p ?o }",
            "type 'colour'",
        ),
        (
            HEADER + "#+ params:\n#+   x:\n#+     type: string\nSELECT * { ?x ?p ?o }",
            "explicit WHERE",
        ),
        (HEADER + "PREFIX a: <http://a/>", "no SELECT"),
    ],
)
def test_a_bad_header_fails_loudly(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(QueryDefinitionError, match=re.escape(message)):
        load_query(write(tmp_path, text))


def test_values_take_the_place_of_their_variables_outside_strings_and_comments() -> None:
    query = 'CONSTRUCT { ?s ?p "WHERE { ?s" } # WHERE { ?s\nWHERE { ?s ?p ?o . ?sx ?p $s }'
    position = where_brace(query)
    assert query[position - 6 : position + 1] == "WHERE {" and position > query.index("\n")
    bound = bind_terms(query, {"s": ox.NamedNode("http://example.org/a")})
    a = "<http://example.org/a>"
    assert bound == (
        f'CONSTRUCT {{ {a} ?p "WHERE {{ ?s" }} # WHERE {{ ?s\nWHERE {{ {a} ?p ?o . ?sx ?p {a} }}'
    )


def test_a_projected_value_keeps_its_column() -> None:
    query = "SELECT ?s (COUNT(?s) AS ?n) WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }"
    bound = bind_terms(query, {"s": ox.Literal("x")})
    assert bound == (
        'SELECT ("x" AS ?s) (COUNT("x") AS ?n) WHERE { { SELECT ("x" AS ?s) WHERE { "x" ?p ?o } } }'
    )


HOSTILE = [
    '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "R1.01> } UNION { ?s ?p ?o",
    "../../etc/passwd",
    "R1.01\n} #",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_are_refused_before_any_query(client: FlaskClient, value: str) -> None:
    response = client.get("/api/queries/involve_knooppunt", query_string={"knooppunt": value})
    assert_error_shape(response, 400, "bad_parameter")


def test_a_hostile_string_stays_one_literal() -> None:
    query = QUERIES["involve_phase"]
    with pytest.raises(QueryParameterError):
        query.bind({"phase": "1 } . ?s ?p ?o . {"})
    lang = next(p for p in query.parameters if p.name == "lang")
    with pytest.raises(QueryParameterError):
        lang.term('nl" } UNION { ?s ?p ?o', "https://w3id.org/wijkkompas/")


def test_unknown_query_and_unknown_id_are_404(client: FlaskClient) -> None:
    assert_error_shape(client.get("/api/queries/no_such_query"), 404, "query_not_found")
    response = client.get("/api/queries/upstream", query_string={"knooppunt": "R9.99"})
    assert_error_shape(response, 404, "not_found")


@pytest.mark.parametrize(
    "query_string",
    [{}, {"knooppunt": "R1.01", "colour": "red"}, {"knooppunt": "R1.01", "lang": "de"}],
    ids=["missing", "unknown", "not-allowed"],
)
def test_bad_parameters_are_400(client: FlaskClient, query_string: dict[str, str]) -> None:
    assert_error_shape(
        client.get("/api/queries/upstream", query_string=query_string), 400, "bad_parameter"
    )


def test_the_catalogue_lists_every_query_with_its_parameters(client: FlaskClient) -> None:
    listed = {q["name"]: q for q in client.get("/api/queries").get_json()["queries"]}
    assert set(listed) == set(QUERIES)
    assert listed["upstream"]["parameters"][0]["name"] == "knooppunt"
    assert listed["upstream"]["summary"]["nl"]


def test_the_openapi_document_covers_every_query(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    for name in QUERIES:
        assert f"/api/queries/{name}" in document["paths"]


def test_the_query_catalogue_is_rdf_in_the_graph(client: FlaskClient) -> None:
    query = """PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX schema: <https://schema.org/>
    SELECT (COUNT(DISTINCT ?q) AS ?n)
    WHERE { ?q a sh:SPARQLExecutable ; schema:keywords ?k ; sh:select ?text }"""
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    count = int(response.data.decode().splitlines()[1])
    assert count == sum(1 for q in QUERIES.values() if q.form == "SELECT")


def test_the_api_page_loads_its_installed_assets(client: FlaskClient) -> None:
    page = client.get("/api/")
    assert page.status_code == 200
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.data.decode()):
        with client.get(asset) as response:
            assert response.status_code == 200, asset
