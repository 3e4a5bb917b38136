"""``/sparql``: the SPARQL 1.1 Protocol, read-only, with a service description on a bare GET."""

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.datastructures import MultiDict

from api.responses import choose_format, respond
from compass_graph.description import service_description
from compass_graph.errors import MalformedQuery, UnsupportedMediaType, UpdateNotAllowed
from compass_graph.formats import GRAPH_FORMATS, content_type
from compass_graph.namespaces import PREFIXES

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"


def _protocol_parameters() -> tuple[MultiDict[str, str], str | None]:
    """Return the protocol parameters and, for a direct POST, the query in the body."""
    if request.method == "GET":
        return request.args, None
    if request.mimetype == FORM_TYPE:
        return MultiDict([*request.args.items(multi=True), *request.form.items(multi=True)]), None
    if request.mimetype == UPDATE_TYPE:
        raise UpdateNotAllowed("this endpoint is read-only: SPARQL updates are not accepted")
    if request.mimetype != QUERY_TYPE:
        raise UnsupportedMediaType(
            f"POST a query as {QUERY_TYPE} or {FORM_TYPE}, not {request.mimetype or 'no type'}"
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"a directly posted query must be UTF-8, not {charset}")
    try:
        return request.args, request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedQuery("the posted query is not valid UTF-8") from error


def _graph_iris(parameters: MultiDict[str, str], name: str) -> list[str]:
    iris = parameters.getlist(name)
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise MalformedQuery(f"{name} must be an absolute IRI, not {iri!r}") from error
    return iris


@bp.route("/sparql", methods=["GET", "POST"], strict_slashes=False)
def sparql() -> Response:
    """Answer a query by the SPARQL 1.1 Protocol, or describe the service."""
    parameters, body_query = _protocol_parameters()
    if "update" in parameters:
        raise UpdateNotAllowed("this endpoint is read-only: SPARQL updates are not accepted")
    queries = parameters.getlist("query") + ([body_query] if body_query is not None else [])
    if len(queries) > 1:
        raise MalformedQuery("send exactly one query, not several")
    if not queries:
        if request.method == "POST":
            raise MalformedQuery("the request has no query")
        return _service_description()
    endpoint = current_app.extensions["compass"]
    result = endpoint.sparql(
        queries[0],
        _graph_iris(parameters, "default-graph-uri"),
        _graph_iris(parameters, "named-graph-uri"),
    )
    return respond(request, result, endpoint.build_id)


def _service_description() -> Response:
    endpoint = current_app.extensions["compass"]
    media = choose_format(request, list(GRAPH_FORMATS))
    triples = service_description(
        request.base_url, endpoint.settings.base, endpoint.build, endpoint.graph_sizes()
    )
    body = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=PREFIXES) or b""
    response = Response(body, content_type=content_type(media))
    response.headers["Vary"] = "Accept"
    return response
