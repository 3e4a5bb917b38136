"""The build a server answers from, and ``/health``.

A server answers each request from exactly one build: the endpoint is taken once when the request
starts and kept until it ends. When ``compass-graph build`` publishes a new build (it moves the
``dist`` link), the server notices within ``RELOAD_CHECK`` seconds, or at once on SIGHUP, opens
the new build beside the old one and swaps; the old one is closed once requests that started on it
can no longer be running. A build that cannot be opened is reported and the old one kept.
"""

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify

from compass_graph.endpoint import Endpoint, Settings
from compass_graph.errors import CompassError
from compass_graph.publish import last_attempt

bp = Blueprint("serving", __name__)


class ServedBuild:
    """Holds the endpoint of the build being served and swaps it for a newly published one.

    ``prepare`` is called in the background with each endpoint opened, the first and every one
    swapped in, for work that makes its first answers faster.
    """

    def __init__(
        self,
        settings: Settings,
        check_every: float = 1.0,
        prepare: Callable[[Endpoint], None] | None = None,
    ) -> None:
        self.settings = settings
        self.check_every = check_every
        self.prepare = prepare
        self._lock = threading.Lock()
        self._target = self._published()
        self._endpoint = self._open(self._target)
        self._checked = time.monotonic()
        self.started = time.time()
        self.swaps = 0
        self.failed_swap: str | None = None

    @property
    def endpoint(self) -> Endpoint:
        """Return the endpoint of the build being served, swapping first if one is due."""
        if time.monotonic() - self._checked >= self.check_every:
            self.reload()
        return self._endpoint

    def reload(self) -> None:
        """Serve the published build now, if it is another than the one being served."""
        with self._lock:
            self._checked = time.monotonic()
            target = self._published()
            if target == self._target:
                return
            try:
                fresh = self._open(target)
            except (CompassError, OSError) as error:  # keep serving the old build
                self.failed_swap = f"cannot open the build at {target}: {error}"
                return
            retired, self._endpoint, self._target = self._endpoint, fresh, target
            self.swaps += 1
            self.failed_swap = None
        # Requests that started on the old build end within the query time limit.
        closing = threading.Timer(3 * self.settings.timeout + 1, retired.close)
        closing.daemon = True  # a server that stops does not wait for it
        closing.start()

    def _open(self, target: str) -> Endpoint:
        # Pinned: the settings name the build's own folder, not the link that will move on.
        endpoint = Endpoint.open(dataclasses.replace(self.settings, store=target))
        if self.prepare:
            threading.Thread(target=self.prepare, args=(endpoint,), daemon=True).start()
        return endpoint

    def _published(self) -> str:
        if self.settings.remote:
            return self.settings.store
        return os.path.realpath(self.settings.store)

    def builds(self) -> Path | None:
        """Return the folder of builds beside the served one, when there is one."""
        if self.settings.remote:
            return None
        return Path(self._target).parent.parent

    def close(self) -> None:
        """Release the served endpoint's workers."""
        self._endpoint.close()


def served(app: Flask) -> ServedBuild:
    """Return what an app serves."""
    holder: ServedBuild = app.extensions["compass"]
    return holder


def current_endpoint() -> Endpoint:
    """Return the endpoint this request answers from: one build for the whole request."""
    if "endpoint" not in g:
        g.endpoint = served(current_app).endpoint
    chosen: Endpoint = g.endpoint
    return chosen


def name_the_build(response: Response) -> Response:
    """Say in every response which build answered it."""
    build_id = current_endpoint().build_id
    if build_id:
        response.headers["X-Compass-Build"] = build_id
    return response


@bp.get("/health")
def health() -> Response:
    """Which build is served, since when, and how the last build attempt went."""
    holder = served(current_app)
    answering = current_endpoint()
    report: dict[str, Any] = {
        "status": "ok",
        "build": {
            key: answering.build.get(key) for key in ("build_id", "triples", "built_at", "base")
        },
        "store": "remote" if holder.settings.remote else "embedded",
        "up_since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(holder.started)),
        "swaps": holder.swaps,
    }
    folder = holder.builds()
    attempt = last_attempt(folder) if folder else None
    if attempt:
        report["last_attempt"] = attempt
        if not attempt.get("ok"):
            report["status"] = "degraded"
    if holder.failed_swap:
        report["status"] = "degraded"
        report["failed_swap"] = holder.failed_swap
    status = 200
    try:
        answering.ping()
    except CompassError as error:
        report["status"], report["store_error"], status = "unavailable", str(error), 503
    response = jsonify(report)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
