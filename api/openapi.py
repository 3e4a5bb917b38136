"""The OpenAPI 3.1 description of the API, generated from the canned queries' headers."""

from collections.abc import Iterable
from typing import Any

from compass_graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from compass_graph.queries import ID_PATTERN, THING_PATTERN, CannedQuery, Parameter

ERROR = {"$ref": "#/components/responses/Error"}


def _schema(parameter: Parameter) -> dict[str, Any]:
    """The JSON Schema of a parameter: exactly what Parameter.term accepts."""
    if parameter.type == "integer":
        schema: dict[str, Any] = {
            "type": "integer",
            "minimum": -999_999_999,
            "maximum": 999_999_999,
        }
    elif parameter.type == "language":
        schema = {"type": "string", "enum": ["nl", "en"]}
    elif parameter.type == "string":
        schema = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"}
    elif parameter.type == "thing":
        schema = {"type": "string", "pattern": THING_PATTERN.pattern}
    else:
        schema = {"type": "string", "pattern": ID_PATTERN.pattern}
    if parameter.enum:
        schema["enum"] = list(parameter.enum)
    if parameter.default is not None:
        schema["default"] = parameter.default
    return schema


def _operation(query: CannedQuery) -> dict[str, Any]:
    graph = query.form in ("CONSTRUCT", "DESCRIBE")
    media = list(GRAPH_FORMATS) if graph else ["application/json", *SOLUTION_FORMATS]
    return {
        "get": {
            "operationId": query.name,
            "summary": query.summary["en"],
            "description": query.description["en"],
            "tags": list(query.tags),
            "parameters": [
                {
                    "name": p.name,
                    "in": "query",
                    "required": p.required,
                    "description": p.description,
                    "schema": _schema(p),
                    **({"example": p.example} if p.example is not None else {}),
                }
                for p in query.parameters
            ],
            "responses": {
                "200": {"description": "The answer.", "content": {m: {} for m in media}},
                "304": {"description": "Not modified since the ETag given."},
                **dict.fromkeys(("400", "404", "406", "429", "502", "503", "504"), ERROR),
            },
        }
    }


AnalysisParameter = tuple[str, str, bool, dict[str, Any]]
ID = {"type": "string", "pattern": ID_PATTERN.pattern}


def _get(summary: str, *parameters: AnalysisParameter) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "tags": ["analysis"],
            "parameters": [
                {"name": name, "in": where, "required": required, "schema": schema}
                for name, where, required, schema in parameters
            ],
            "responses": {
                "200": {"description": "The answer, as JSON."},
                "400": ERROR,
                "404": ERROR,
            },
        }
    }


CODE: AnalysisParameter = ("code", "path", True, ID)
PHASE = {"type": "integer", "minimum": 1, "maximum": 6}
GRAPH_FORMATS_EXPORTED = ["graphml", "gexf", "json", "dot", "svg", "png"]
ANALYSIS_PATHS: dict[str, Any] = {
    "/api/knooppunten/{code}/upstream": _get(
        "What a knooppunt requires, with the chain of reasons.", CODE
    ),
    "/api/knooppunten/{code}/downstream": _get(
        "What requires a knooppunt, with the chain of reasons.", CODE
    ),
    "/api/critical-path": _get("The longest chain of requirements.", ("into", "query", False, ID)),
    "/api/review": _get("Starts, ends, backward requirements, cycles and a process order."),
    "/api/bottlenecks": _get(
        "The knooppunten whose delay blocks the most others.",
        ("top", "query", False, {"type": "integer", "minimum": 1, "maximum": 100}),
    ),
    "/api/next": {
        **_get(
            "What a story's neighbourhoods can take up next, and with whom.",
            ("story", "query", True, ID),
        ),
        "post": {
            "summary": "What is next after the passed knooppunten of a posted progress file.",
            "tags": ["analysis"],
            "parameters": [
                {"name": "regie", "in": "query", "required": False, "schema": {"type": "string"}}
            ],
            "requestBody": {"content": {"text/csv": {}, "text/turtle": {}}},
            "responses": {"200": {"description": "The answer, as JSON."}, "400": ERROR},
        },
    },
    "/api/places/{place}/next": _get(
        "What one neighbourhood can take up next, and with whom.", ("place", "path", True, ID)
    ),
    "/api/involve": _get(
        "Who to involve in a phase, a knooppunt or a story (the first given of these answers), "
        "or in each phase.",
        ("phase", "query", False, PHASE),
        ("knooppunt", "query", False, ID),
        ("story", "query", False, ID),
    ),
    "/api/stakeholders/{stakeholder}/timeline": _get(
        "When a stakeholder type is needed, across the phases.", ("stakeholder", "path", True, ID)
    ),
    "/api/graph.{format}": _get(
        "The dependency graph as GraphML, GEXF, JSON or DOT.",
        ("format", "path", True, {"type": "string", "enum": GRAPH_FORMATS_EXPORTED}),
    ),
}


def openapi_document(
    queries: Iterable[CannedQuery], server: str, build_id: str | None
) -> dict[str, Any]:
    """Return the OpenAPI document for the canned queries and the SPARQL endpoint."""
    paths: dict[str, Any] = {f"/api/queries/{q.name}": _operation(q) for q in queries}
    paths["/api/queries"] = {
        "get": {
            "operationId": "catalogue",
            "summary": "List the canned queries.",
            "responses": {"200": {"description": "The catalogue."}},
        }
    }
    paths.update(ANALYSIS_PATHS)
    paths["/sparql"] = {
        "get": {
            "operationId": "sparql",
            "summary": "Run a SPARQL 1.1 query, or read the service description without one.",
            "parameters": [
                {"name": "query", "in": "query", "required": False, "schema": {"type": "string"}},
                {
                    "name": "default-graph-uri",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                },
                {
                    "name": "named-graph-uri",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {"description": "The answer."},
                "400": ERROR,
                "403": ERROR,
                "406": ERROR,
                "503": ERROR,
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "compass-graph",
            "version": build_id or "unknown",
            "description": "The Wijkkompas knowledge graph: canned queries and a SPARQL endpoint.",
            "license": {
                "name": "CC BY 4.0 (data)",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message", "status"],
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                        "status": {"type": "integer"},
                    },
                }
            },
            "responses": {
                "Error": {
                    "description": "An error, in the one shape every error has.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }
