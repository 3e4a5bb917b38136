"""Run queries in worker processes that can be killed, so a wall-clock limit really stops work.

Neither Oxigraph's Python API nor rdflib can cancel a running query. Each worker is a Python
process of its own (``python -m compass_graph.workers``) that opens the store read-only and answers
one query at a time over a socket; when a query runs past the limit the worker is killed and a
fresh one takes its place. A worker imports only what answering needs, never the program that
started it (the command line, the web app), so it is ready in a fraction of a second.
"""

import os
import socket
import subprocess
import sys
import threading
from collections import deque
from multiprocessing.connection import Connection
from pathlib import Path

import compass_graph
from compass_graph import errors
from compass_graph.errors import CompassError, QueryTimeout, StoreUnavailable
from compass_graph.formats import Result
from compass_graph.store import EmbeddedStore, QueryRequest

# A new worker starts Python and opens the store before its first query; that time does not count
# against the query's limit, or a loaded machine would kill each replacement before it is ready.
START_LIMIT = 60.0
# The worker imports this very copy of compass_graph, wherever it was imported from.
_IMPORT_PATH = str(Path(compass_graph.__file__).parents[1])


def _serve(connection: Connection, store_path: str, base_iri: str | None) -> None:
    """Answer queries from the socket until it closes (runs in the worker process)."""
    store = EmbeddedStore.open(Path(store_path), base_iri)
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            result = store.execute(request)
            connection.send(("ok", result))
        except CompassError as error:
            connection.send(("error", (type(error).__name__, error.message)))
        except Exception as error:
            connection.send(("error", ("StoreUnavailable", f"the query failed: {error}")))


class _Worker:
    def __init__(self, store_path: Path, base_iri: str | None) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            arguments = [str(theirs.fileno()), str(store_path), *([base_iri] if base_iri else [])]
            path = os.pathsep.join(filter(None, [_IMPORT_PATH, os.environ.get("PYTHONPATH")]))
            self.process = subprocess.Popen(
                [sys.executable, "-m", "compass_graph.workers", *arguments],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )
        self.connection = Connection(ours.detach())
        self.ready = False

    def wait_until_ready(self) -> bool:
        """Wait until the worker has opened the store; say whether it did in time."""
        if not self.ready and self.connection.poll(START_LIMIT):
            self.connection.recv()  # EOFError if the worker died while starting
            self.ready = True
        return self.ready

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.connection.close()


class _IdleWorkers:
    """The workers waiting for a query, the most recently used first: at low load one worker
    answers most queries and keeps its caches warm (a query's pages and the store's index blocks
    are per process), while a fresh worker waits at the back as it starts."""

    def __init__(self) -> None:
        self._workers: deque[_Worker] = deque()
        self._changed = threading.Condition()

    def put(self, worker: _Worker, *, fresh: bool = False) -> None:
        with self._changed:
            if fresh:
                self._workers.appendleft(worker)
            else:
                self._workers.append(worker)
            self._changed.notify()

    def get(self, timeout: float | None) -> _Worker | None:
        """Take the most recently used worker; None if none was idle within ``timeout``."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._workers, timeout):
                return None
            return self._workers.pop()


class WorkerPool:
    """A fixed number of worker processes over one read-only store, with a per-query time limit."""

    def __init__(
        self, store_path: Path, size: int = 2, timeout: float = 10.0, base_iri: str | None = None
    ) -> None:
        if not store_path.is_dir():
            raise StoreUnavailable(f"no store at {store_path}: run 'compass-graph build' first")
        self.store_path = store_path
        self.base_iri = base_iri
        self.timeout = timeout
        self._idle = _IdleWorkers()
        self._lock = threading.Lock()
        self._closed = False
        self.replaced = 0
        for _ in range(size):
            self._idle.put(_Worker(store_path, base_iri), fresh=True)

    def execute(self, request: QueryRequest) -> Result:
        """Run a query in a worker; kill the worker if it runs past the time limit."""
        worker = self._idle.get(self.timeout)
        if worker is None:
            raise QueryTimeout(f"every query worker stayed busy for {self.timeout} s")
        try:
            if not worker.wait_until_ready():
                self._replace(worker)
                worker = None
                raise StoreUnavailable(f"a query worker did not start in {START_LIMIT} s")
            worker.connection.send(request)
            if not worker.connection.poll(self.timeout):
                self._replace(worker)
                worker = None
                raise QueryTimeout(
                    f"the query ran past the limit of {self.timeout} s and was stopped"
                )
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError) as error:
            self._replace(worker)
            worker = None
            raise StoreUnavailable(
                "a query worker stopped unexpectedly; it has been replaced"
            ) from error
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        name, message = payload
        raise getattr(errors, name, StoreUnavailable)(message)

    def _replace(self, worker: _Worker | None) -> None:
        if worker is not None:
            worker.stop()
        with self._lock:
            self.replaced += 1
            if not self._closed:
                self._idle.put(_Worker(self.store_path, self.base_iri), fresh=True)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
        while (worker := self._idle.get(timeout=0)) is not None:
            worker.stop()


if __name__ == "__main__":
    descriptor, store_folder, *base = sys.argv[1:]
    _serve(Connection(int(descriptor)), store_folder, base[0] if base else None)
