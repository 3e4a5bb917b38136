"""Per-client rate limiting in front of the app: a token bucket per client address.

Each client may make ``rate`` requests a second on average and ``burst`` at once; past that it
gets 429 with ``Retry-After``. The address is the connection's (``REMOTE_ADDR``): behind a proxy,
limit there instead. Buckets are kept for the most recent clients only, so memory stays bounded.
With several server processes, each keeps its own buckets.
"""

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

UNLIMITED_PREFIXES = ("/static/", "/health")
CLIENTS_KEPT = 10_000


class RateLimit:
    """WSGI middleware that answers 429 to a client past its share of requests."""

    def __init__(self, app: WSGIApp, rate: float, burst: float) -> None:
        self.app = app
        self.rate = rate
        self.burst = max(burst, 1.0)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, when
        self._lock = threading.Lock()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(UNLIMITED_PREFIXES):
            return self.app(environ, start_response)
        wait = self._take(environ.get("REMOTE_ADDR", ""))
        if wait <= 0:
            return self.app(environ, start_response)
        retry = str(max(1, math.ceil(wait)))
        body = json.dumps(
            {
                "error": "too_many_requests",
                "message": f"at most {self.rate:g} requests a second per client; "
                f"try again in {retry} s",
                "status": 429,
            }
        ).encode()
        start_response(
            "429 TOO MANY REQUESTS",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Retry-After", retry),
                ("Access-Control-Allow-Origin", "*"),
            ],
        )
        return [body]

    def _take(self, client: str) -> float:
        """Take a token for ``client``; return 0, or the seconds until one is free."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate
            while len(self._buckets) > CLIENTS_KEPT:
                self._buckets.popitem(last=False)
        return wait
