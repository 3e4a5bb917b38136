"""Serve the app: Flask's threaded server for development, gunicorn for production.

Both pick up a newly published build by themselves; SIGHUP makes them do it at once (gunicorn
replaces its workers gracefully, the development server swaps in place).
"""

import signal
from typing import Any

from api import create_app
from api.serving import served


def serve(
    host: str, port: int, store: str, *, production: bool = False, processes: int = 2
) -> None:
    """Serve the graph on ``host:port`` until interrupted."""
    if not production:
        app = create_app({"STORE": store})
        # SIGHUP: serve a newly published build now rather than within the second.
        signal.signal(signal.SIGHUP, lambda *_: served(app).reload())
        app.run(host=host, port=port, threaded=True, use_reloader=False)
        return
    from gunicorn.app.base import BaseApplication

    class Production(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": processes,
                "threads": 4,
                "worker_class": "gthread",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app({"STORE": store})

    Production().run()
