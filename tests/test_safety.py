"""The check of a user's query: what its text alone clears, rdflib's algebra clears too; updates
of every kind are refused; and a plain query is answered without loading rdflib's SPARQL parser."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

from compass_graph.errors import MalformedQuery, UpdateNotAllowed
from compass_graph.queries import load_queries
from compass_graph.query_algebra import inspect
from compass_graph.safety import plainly_local
from tests.conftest import assert_error_shape

UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "CREATE GRAPH <urn:g>",
    "DROP DEFAULT",
    "COPY DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "PREFIX x: <urn:x#> insert data { x:a x:b x:c }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_every_kind_of_update_sent_as_a_query_is_refused(client: FlaskClient, update: str) -> None:
    assert not plainly_local(update)
    response = client.get("/sparql", query_string={"query": update})
    assert_error_shape(response, 403, "update_not_allowed")


def _canned() -> list[str]:
    return [
        query.bound_sparql(examples)
        for query in load_queries().values()
        if (examples := query.examples()) is not None
    ]


def _any_case(word: str) -> st.SearchStrategy[str]:
    upper = st.lists(st.booleans(), min_size=len(word), max_size=len(word))
    return upper.map(
        lambda ups: "".join(c.upper() if up else c for c, up in zip(word, ups, strict=True))
    )


GAPS = st.sampled_from([" ", "\n", "\t", " # a note\n"])
IRIS = st.sampled_from(["<urn:g>", "<http://127.0.0.1:9/>", "x:g"])
SERVICE = st.one_of(_any_case("service"), st.sampled_from(["\\u0053ERVICE", "\\u0073ervice"]))
FROM = st.one_of(_any_case("from"), st.just("\\u0046ROM"))


@st.composite
def _queries(draw: st.DrawFn) -> str:
    """A query that may fetch from elsewhere or name graphs, written in any case and spacing."""
    gap = draw(GAPS)
    service = st.builds(
        "{0}{1}{2}{3} {{ ?s ?p ?o }}".format, SERVICE, GAPS, st.sampled_from(["", "SILENT "]), IRIS
    )
    patterns = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["?s ?p ?o .", 'FILTER (?o != "a text")', "{ ?s ?p ?o }"]),
                service,
                service.map("OPTIONAL {{ {} }}".format),
                service.map("{{ SELECT * WHERE {{ {} }} }}".format),
            ),
            max_size=3,
        )
    )
    dataset = st.builds("{0}{1}{2}{3}".format, FROM, GAPS, st.sampled_from(["", "NAMED "]), IRIS)
    datasets = draw(st.lists(dataset, max_size=2))
    form = draw(st.sampled_from(["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }"]))
    where = gap.join(patterns)
    return f"PREFIX x: <urn:x#>{gap}{form} {gap.join(datasets)} WHERE {{{gap}{where} }}"


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_queries())
def test_a_query_its_text_clears_names_nothing_in_its_algebra(query: str) -> None:
    _cleared_alike(query)


@pytest.mark.parametrize("query", _canned())
def test_the_canned_queries_are_cleared_alike_by_their_text_and_their_algebra(query: str) -> None:
    _cleared_alike(query)


def _cleared_alike(query: str) -> None:
    if not plainly_local(query):
        return
    try:
        services, dataset = inspect(query)
    except MalformedQuery:
        return  # the store's own parser reports it
    except UpdateNotAllowed:
        # To rdflib, a text of nothing but comments and prefixes is an update without operations.
        update = translateUpdate(parseUpdate(query))
        assert not getattr(update, "algebra", update), query
        return
    assert services == () and not dataset.given, query


def test_a_plain_query_is_answered_without_loading_rdflibs_sparql_parser(
    store_path: Path,
) -> None:
    program = textwrap.dedent(
        f"""
        import sys
        from api import create_app
        from api.serving import served

        app = create_app({{"STORE": {str(store_path)!r}, "WORKERS": 1}})
        client = app.test_client()
        for query in ("SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1", "ASK FROM <urn:x> {{}}"):
            status = client.get("/sparql", query_string={{"query": query}}).status_code
            print(status, "rdflib.plugins.sparql.parser" in sys.modules)
        served(app).close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split("\n")[:2] == ["200 False", "403 True"], done.stderr
