"""Serve repeated GET requests from ready-made responses, in front of Flask.

A build never changes, so a GET that was answered once is answered the same way while that build
is served: status, headers and body are kept under the build's id and replayed without routing,
negotiating or rendering again. Only successful answers from the build being served are kept;
anything else goes to Flask.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
Kept = tuple[str, list[tuple[str, str]], bytes]
Key = tuple[str, str, str, str, str]  # build, host, address as sent, query string, Accept

CACHED_PATHS = ("/", "/search")
CACHED_PREFIXES = ("/sparql", "/api/", "/doc/", "/def/")
MAX_BODY = 1 << 20


class ReplayCache:
    """WSGI middleware that replays kept answers to identical GET requests."""

    def __init__(self, app: WSGIApp, size: int, current_build: Callable[[], str | None]) -> None:
        self.app = app
        self.size = size
        self.current_build = current_build
        self._kept: OrderedDict[Key, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or not (
            path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)
        ):
            return self.app(environ, start_response)
        build = self.current_build()
        if not build:  # answers of a remote store are not known to stay the same
            return self.app(environ, start_response)
        # The address as sent: the app judges encodings such as %2F, which decoding hides.
        sent = environ.get("RAW_URI") or environ.get("REQUEST_URI") or path
        key = (
            build,
            environ.get("HTTP_HOST", ""),  # some answers name the address they were asked at
            sent.split("?", 1)[0],
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT", ""),
        )
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is None:
            return self._answer_and_keep(key, environ, start_response)
        status, headers, body = kept
        etag = dict(headers).get("ETag")
        if etag and environ.get("HTTP_IF_NONE_MATCH") == etag:
            start_response("304 NOT MODIFIED", [h for h in headers if h[0] != "Content-Length"])
            return [b""]
        start_response(status, headers)
        return [body]

    def _answer_and_keep(
        self, key: Key, environ: Environ, start_response: StartResponse
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, *rest)

        body = b"".join(self.app(environ, capture))
        headers = captured.get("headers", [])
        if (
            captured.get("status", "").startswith("200")
            and dict(headers).get("X-Compass-Build") == key[0]
            and len(body) < MAX_BODY
        ):
            with self._lock:
                self._kept[key] = (captured["status"], headers, body)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return [body]
