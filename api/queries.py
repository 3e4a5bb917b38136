"""``/api/queries``: the canned-query catalogue, each query as a REST call, and its OpenAPI."""

import hashlib
import json
from functools import lru_cache

from flask import Blueprint, Response, jsonify, render_template, request

from api.openapi import openapi_document
from api.responses import choose_format, finish, respond
from api.serving import current_endpoint
from compass_graph.answers import answered_query
from compass_graph.endpoint import Endpoint
from compass_graph.errors import QueryParameterError
from compass_graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS, Result, plain_rows
from compass_graph.queries import CannedQuery, find

bp = Blueprint("queries", __name__, url_prefix="/api")

PLAIN_JSON = "application/json"


def describe(query: CannedQuery) -> dict[str, object]:
    """Return what a client needs to know to call a canned query."""
    return {
        "name": query.name,
        "summary": dict(query.summary),
        "description": dict(query.description),
        "tags": list(query.tags),
        "form": query.form,
        "url": f"{request.url_root}api/queries/{query.name}",
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "description": p.description,
                "required": p.required,
                "default": p.default,
                "enum": list(p.enum) or None,
                "example": p.example,
            }
            for p in query.parameters
        ],
    }


@bp.get("/queries")
def catalogue() -> Response:
    """List the canned queries."""
    queries = current_endpoint().queries
    return jsonify({"queries": [describe(query) for query in queries.values()]})


@bp.get("/queries/<name>")
def run(name: str) -> Response:
    """Run one canned query with the parameters of the query string."""
    endpoint = current_endpoint()
    query = find(endpoint.queries, name)
    repeated = [key for key, given in request.args.lists() if len(given) > 1]
    if repeated:
        raise QueryParameterError(f"give each parameter once, not {', '.join(repeated)}")
    values = {key: value for key, value in request.args.items() if key != "format"}
    offers = (
        list(GRAPH_FORMATS)
        if query.form in ("CONSTRUCT", "DESCRIBE")
        else [PLAIN_JSON, *SOLUTION_FORMATS]
    )
    media = choose_format(request, offers)
    result = endpoint.run(name, values)
    if media != PLAIN_JSON or result.kind != "solutions":
        return respond(request, result, endpoint.build_id)
    body, etag = _rows_document(result, name, endpoint.build_id)
    return finish(request, Response(body, content_type=PLAIN_JSON), result, etag, endpoint.build_id)


@lru_cache(maxsize=2048)
def _rows_document(result: Result, name: str, build_id: str | None) -> tuple[bytes, str]:
    """The API's plain JSON of an answer (its rows as name-value objects) and its ETag."""
    document = {"query": name, "build": build_id, "truncated": result.truncated}
    body = json.dumps({**document, "rows": plain_rows(result)}, ensure_ascii=False).encode()
    return body, hashlib.sha1(body, usedforsecurity=False).hexdigest()


def prepare_answers(endpoint: Endpoint) -> None:
    """Turn the answers the build computed ahead into the plain JSON this API sends, before anyone
    asks: a national overview has thousands of rows, a tenth of a second to convert."""
    for key, result in endpoint.answers.items():
        if result.kind == "solutions":
            _rows_document(result, answered_query(key), endpoint.build_id)


@bp.get("/")
def browse() -> str:
    """Show the API in a browsable page."""
    return render_template("api.html")


@bp.get("/openapi.json")
def openapi() -> Response:
    """Describe the API in OpenAPI 3.1, generated from the query headers."""
    endpoint = current_endpoint()
    return jsonify(openapi_document(endpoint.queries.values(), request.url_root, endpoint.build_id))
