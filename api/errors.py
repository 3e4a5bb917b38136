"""One JSON shape for every error, and CORS headers on every response, errors included.

Browsers, which rank HTML above JSON, get the same error as a page of the site.
"""

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from compass_graph.errors import CompassError
from compass_graph.formats import negotiate

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, If-None-Match",
    "Access-Control-Expose-Headers": "ETag, X-Compass-Build, X-Compass-Rows, X-Compass-Truncated",
}


def error_response(status: int, code: str, message: str) -> Response:
    """Return the one error shape: ``{"error": code, "message": ..., "status": status}``."""
    if negotiate(request.headers.get("Accept"), ["application/json", "text/html"]) == "text/html":
        page = render_template("pages/error.html", status=status, code=code, message=message)
        return Response(page, status=status, content_type="text/html; charset=utf-8")
    response = jsonify({"error": code, "message": message, "status": status})
    response.status_code = status
    return response


def _compass_error(error: CompassError) -> Response:
    response = error_response(error.status, error.code, error.message)
    if error.status in (502, 503, 504):
        response.headers["Retry-After"] = "5"
    return response


def _http_error(error: HTTPException) -> Response:
    code = (error.name or "error").lower().replace(" ", "_")
    response = error_response(error.code or 500, code, error.description or error.name)
    if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unexpected failure answering %s %s", request.method, request.path)
    return error_response(
        500, "internal_error", "the server failed to answer; this is a fault of ours"
    )


def _add_cors(response: Response) -> Response:
    response.headers.update(CORS_HEADERS)
    return response


def _preflight() -> Response | None:
    return Response(status=204) if request.method == "OPTIONS" else None


def register(app: Flask) -> None:
    """Install the error handlers and the CORS headers on ``app``."""
    app.register_error_handler(CompassError, _compass_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.before_request(_preflight)
    app.after_request(_add_cors)
