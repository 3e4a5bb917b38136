"""Turn a query answer into an HTTP response: negotiated format, cache validators, row reporting."""

import hashlib
from functools import lru_cache

from flask import Request, Response

from compass_graph.errors import NotAcceptable
from compass_graph.formats import FORMAT_NAMES, Result, content_type, negotiate, render


@lru_cache(maxsize=2048)
def rendered(result: Result, media_type: str) -> tuple[bytes, str]:
    """Return a result rendered in ``media_type`` and its entity tag, computed once per answer."""
    body = render(result, media_type)
    return body, hashlib.sha1(body, usedforsecurity=False).hexdigest()


def choose_format(request: Request, offers: list[str]) -> str:
    """Pick the response format: an explicit ``format`` parameter, else the Accept header."""
    name = request.args.get("format")
    if name:
        media = FORMAT_NAMES.get(name.lower(), name.lower())
        if media not in offers:
            raise NotAcceptable(
                f"format {name!r} does not fit this answer; use one of {', '.join(offers)}"
            )
        return media
    chosen = negotiate(request.headers.get("Accept"), offers)
    if chosen is None:
        raise NotAcceptable(
            f"none of the accepted formats fits this answer; offered: {', '.join(offers)}"
        )
    return chosen


def respond(request: Request, result: Result, build_id: str | None) -> Response:
    """Render ``result`` in the format the client prefers, with ETag, Vary and row headers."""
    media = choose_format(request, result.offers)
    body, etag = rendered(result, media)
    return finish(request, Response(body, content_type=content_type(media)), result, etag, build_id)


def finish(
    request: Request, response: Response, result: Result, etag: str, build_id: str | None
) -> Response:
    """Add Vary, the row headers and, for an immutable build, the cache validators."""
    response.headers["Vary"] = "Accept"
    response.headers["X-Compass-Rows"] = str(result.rows)
    if result.truncated:
        response.headers["X-Compass-Truncated"] = "true"
    if build_id:
        response.headers["X-Compass-Build"] = build_id
        response.headers["Cache-Control"] = "public, max-age=300"
        response.set_etag(etag)
        response.make_conditional(request)
    return response
