"""The remote-store path on a real Virtuoso at 127.0.0.1, loaded by Virtuoso's own bulk loader:
every canned query and analysis answers as on the embedded store."""

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from api import create_app
from bench.stores import virtuoso_server
from compass_graph.answers import settled_calls
from compass_graph.build import BuildResult
from compass_graph.endpoint import Endpoint, Settings
from compass_graph.queries import load_queries

QUERIES = load_queries()
CALLS = [
    (name, values)
    for name, query in sorted(QUERIES.items())
    for values in (settled_calls(query) or [query.examples() or {}])
]


@pytest.fixture(scope="module")
def virtuoso(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("virtuoso")
    with virtuoso_server(folder, built.out_dir / "wijkkompas.trig") as url:
        yield url


@pytest.fixture(scope="module")
def embedded(built: BuildResult) -> Endpoint:
    live = Endpoint.open(Settings(store=str(built.out_dir / "store"), workers=0))
    live.answers = {}  # run every query, rather than read the answers the build wrote ahead
    return live


@pytest.mark.parametrize(("name", "values"), CALLS, ids=lambda item: str(item))
def test_every_canned_query_answers_the_same_on_virtuoso(
    embedded: Endpoint, virtuoso: str, name: str, values: dict[str, str]
) -> None:
    remote = Endpoint.open(Settings(store=virtuoso, timeout=30))
    there, here = remote.run(name, values), embedded.run(name, values)
    if here.kind == "graph":  # a graph is a set of statements, in no order
        assert sorted(there.body.splitlines()) == sorted(here.body.splitlines())
    else:
        assert there == here


ANALYSES = [
    "/api/next?story=apeldoorn",
    "/api/places/de-parken/next",
    "/api/places/rozendaal/next",
    "/api/critical-path",
    "/api/bottlenecks?top=5",
    "/api/review",
    "/api/involve",
    "/api/knooppunten/R4.06/upstream",
    "/api/knooppunten/R2.07/downstream",
    "/api/stakeholders/woningcorporatie/timeline",
]


@pytest.fixture(scope="module")
def clients(built: BuildResult, virtuoso: str) -> tuple[FlaskClient, FlaskClient]:
    here = create_app({"STORE": str(built.out_dir / "store"), "WORKERS": 0}).test_client()
    there = create_app({"STORE": virtuoso, "TIMEOUT": 30}).test_client()
    return here, there


@pytest.mark.parametrize("path", ANALYSES)
def test_every_analysis_answers_the_same_on_virtuoso(
    clients: tuple[FlaskClient, FlaskClient], path: str
) -> None:
    here, there = (client.get(path) for client in clients)
    assert here.status_code == there.status_code == 200
    assert here.get_json() == there.get_json()
