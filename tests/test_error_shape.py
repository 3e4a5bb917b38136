"""Every error route answers the one JSON shape: {"error", "message", "status"}, with CORS."""

import pytest
from flask.testing import FlaskClient

from compass_graph import errors
from tests.conftest import assert_error_shape

ROUTES = [
    # (method, path, options, status, code)
    ("GET", "/sparql", {"query_string": {"query": "ASK {"}}, 400, "malformed_query"),
    ("GET", "/api/queries/upstream", {}, 400, "bad_parameter"),
    ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, 403, "update_not_allowed"),
    (
        "GET",
        "/sparql",
        {"query_string": {"query": "ASK { SERVICE <http://x/> {} }"}},
        403,
        "external_data_not_allowed",
    ),
    ("GET", "/api/queries/nothing_here", {}, 404, "query_not_found"),
    ("GET", "/api/queries/upstream", {"query_string": {"knooppunt": "R0.00"}}, 404, "not_found"),
    ("GET", "/no/such/page", {}, 404, "not_found"),
    ("PUT", "/sparql", {}, 405, "method_not_allowed"),
    (
        "GET",
        "/sparql",
        {"query_string": {"query": "ASK {}"}, "headers": {"Accept": "image/gif"}},
        406,
        "not_acceptable",
    ),
    ("POST", "/sparql", {"data": {"query": "#" * 70_000}}, 413, "request_entity_too_large"),
    (
        "GET",
        "/sparql",
        {"query_string": {"query": "ASK {} #" + "x" * 25_000}},
        413,
        "query_too_large",
    ),
    (
        "POST",
        "/sparql",
        {"data": "ASK {}", "content_type": "text/plain"},
        415,
        "unsupported_media_type",
    ),
]

# Errors raised by the build and the command line, or by stores that fail, not by a request route.
NOT_FROM_A_ROUTE = {
    "LoadError",
    "InvalidData",
    "CatalogueError",
    "QueryDefinitionError",
    "CompassError",
}
FROM_STORE_FAULTS = {"QueryTimeout", "StoreUnavailable", "StoreTimeout", "StoreBadAnswer"}


@pytest.mark.parametrize(
    ("method", "path", "options", "status", "code"), ROUTES, ids=[r[4] for r in ROUTES]
)
def test_error_shape(
    client: FlaskClient, method: str, path: str, options: dict[str, object], status: int, code: str
) -> None:
    assert_error_shape(client.open(path, method=method, **options), status, code)  # type: ignore[arg-type]


def test_every_error_class_has_a_route_here_or_a_reason() -> None:
    classes = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.CompassError)
    }
    covered = {
        cls.__name__
        for cls in vars(errors).values()
        if isinstance(cls, type) and getattr(cls, "code", None) in {r[4] for r in ROUTES}
    }
    assert classes - covered - NOT_FROM_A_ROUTE - FROM_STORE_FAULTS == set()
