"""``/sparql``: the SPARQL 1.1 Protocol, read-only, with a service description on a bare GET."""

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from api.pages import language
from api.responses import choose_format, respond
from api.serving import current_endpoint
from compass_graph.description import service_description
from compass_graph.errors import MalformedQuery, UnsupportedMediaType, UpdateNotAllowed
from compass_graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS, content_type, negotiate
from compass_graph.prefixes import PREFIXES

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
HTML = "text/html"


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
    if request.method == "GET" and _wants_editor():
        return _editor()
    if not queries:
        if request.method == "POST":
            raise MalformedQuery("the request has no query")
        return _service_description()
    endpoint = current_endpoint()
    result = endpoint.sparql(
        queries[0],
        _graph_iris(parameters, "default-graph-uri"),
        _graph_iris(parameters, "named-graph-uri"),
    )
    return respond(request, result, endpoint.build_id)


def _wants_editor() -> bool:
    """Say whether a browser is asking: it ranks HTML above every format of the protocol."""
    offers = [*SOLUTION_FORMATS, *GRAPH_FORMATS, HTML]  # HTML last: */* gets the protocol
    return negotiate(request.headers.get("Accept"), offers) == HTML


def _editor() -> Response:
    """The SPARQL editor (YASGUI), with the canned queries as example tabs."""
    endpoint = current_endpoint()
    lang = language()
    examples = [
        {
            "name": query.summary.get(lang) or query.summary["en"],
            "query": query.bound_sparql(examples, endpoint.settings.base),
        }
        for query in endpoint.queries.values()
        if (examples := query.examples()) is not None
    ]
    body = render_template("pages/sparql.html", examples=examples)
    response = Response(body, content_type=content_type(HTML))
    response.headers["Vary"] = "Accept"
    return response


def _service_description() -> Response:
    endpoint = current_endpoint()
    media = choose_format(request, list(GRAPH_FORMATS))
    triples = service_description(
        request.base_url, endpoint.settings.base, endpoint.build, endpoint.graph_sizes()
    )
    body = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=PREFIXES) or b""
    response = Response(body, content_type=content_type(media))
    response.headers["Vary"] = "Accept"
    return response
