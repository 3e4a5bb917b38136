"""The web face of compass-graph: the SPARQL protocol and the canned-query API, over Flask."""

from typing import Any

from flask import Flask

from api import analysis, errors, linked_data, pages, queries, serving, sparql
from api.fastpath import ReplayCache
from api.ratelimit import RateLimit
from api.serving import ServedBuild, name_the_build
from compass_graph.endpoint import Settings

DEFAULTS: dict[str, Any] = {
    "STORE": "dist/store",
    "GRAPH_STORE_URL": None,
    "BASE": Settings.base,
    "TIMEOUT": Settings.timeout,
    "ROW_CAP": Settings.row_cap,
    "WORKERS": Settings.workers,
    "MAX_QUERY_LENGTH": Settings.max_query_length,
    "CACHE_SIZE": Settings.cache_size,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "RELOAD_CHECK": 1.0,
    "RATE_LIMIT": 0.0,  # requests a second per client; 0 leaves clients unlimited
    "RATE_BURST": 0.0,  # requests at once per client; 0 means twice the rate
}


def settings_from(config: dict[str, Any]) -> Settings:
    """Turn the app's configuration into endpoint settings."""
    return Settings(
        store=str(config["STORE"]),
        graph_store_url=config["GRAPH_STORE_URL"],
        base=str(config["BASE"]),
        timeout=float(config["TIMEOUT"]),
        row_cap=int(config["ROW_CAP"]),
        workers=int(config["WORKERS"]),
        max_query_length=int(config["MAX_QUERY_LENGTH"]),
        cache_size=int(config["CACHE_SIZE"]),
    )


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then COMPASS_* environment variables, then ``config``."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("COMPASS")
    app.config.from_mapping(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # Each build served has the answers it computed ahead prepared in the background, so that the
    # server answers at once and the first national overview is a lookup.
    holder = ServedBuild(
        settings_from(app.config), float(app.config["RELOAD_CHECK"]), queries.prepare_answers
    )
    app.extensions["compass"] = holder
    # Builds are immutable: answers to repeated requests are replayed while their build is served.
    app.wsgi_app = ReplayCache(  # type: ignore[method-assign]
        app.wsgi_app, int(app.config["CACHE_SIZE"]), lambda: holder.endpoint.build_id
    )
    rate = float(app.config["RATE_LIMIT"])
    if rate > 0:
        burst = float(app.config["RATE_BURST"]) or 2 * rate
        app.wsgi_app = RateLimit(app.wsgi_app, rate, burst)  # type: ignore[method-assign]
    errors.register(app)
    app.after_request(name_the_build)
    app.register_blueprint(serving.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(analysis.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(pages.bp)
    return app
