"""A bounded load test: N client threads with keep-alive connections send GET requests to a server
on 127.0.0.1 for a fixed time, and report what they got: requests, errors, p50 and p99.

`make load` runs it against `compass-graph serve --production`: a mix of pages, documents, canned
queries and SPARQL, first alone, then while one more client keeps sending a runaway query (which
the server stops at its time limit), so the effect of heavy queries on everyone else shows.
"""

import argparse
import http.client
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# What people and programs ask for: pages, documents, canned queries, analyses and SPARQL.
MIX = [
    ("/", "text/html"),
    ("/doc/knooppunt/R2.07", "text/html"),
    ("/doc/knooppunt/R2.07", "text/turtle"),
    ("/doc/story/apeldoorn?lang=en", "text/html"),
    ("/api/queries/upstream?knooppunt=R4.06", "application/json"),
    ("/api/queries/involve_neighbourhood_now?place=de-parken", "text/csv"),
    ("/api/queries/search_labels?text=warmte", "application/json"),
    ("/api/knooppunten/R3.02/downstream", "application/json"),
    ("/sparql?" + urllib.parse.urlencode({"query": COUNT}), "application/sparql-results+json"),
    ("/health", "application/json"),
]


@dataclass
class Measurement:
    """What a load run measured."""

    p50: float  # milliseconds
    p99: float  # milliseconds
    rate: float  # requests per second
    errors: int
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)


def load_with_threads(
    port: int,
    paths: list[str] | list[tuple[str, str]],
    seconds: float,
    connections: int,
    accept: str = "*/*",
) -> Measurement:
    """Send GET requests from ``connections`` threads for ``seconds``; return what was measured.

    ``paths`` are addresses, or (address, Accept) pairs. Anything but 200, including a broken
    connection, counts as an error.
    """
    requests = [(path, accept) if isinstance(path, str) else path for path in paths]
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        seen: Counter[int] = Counter()
        index = offset
        while time.monotonic() < stop:
            path, asked = requests[index % len(requests)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": asked})
                response = connection.getresponse()
                response.read()
                seen[response.status] += 1
            except (OSError, http.client.HTTPException):
                seen[0] += 1  # no answer at all
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
            index += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else p50
    errors = sum(count for status, count in statuses.items() if status != 200)
    return Measurement(p50, p99, len(latencies) / elapsed, errors, len(latencies), statuses)


class Runaway:
    """One more client that keeps sending a query the server must stop at its time limit."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.statuses: Counter[int] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Runaway":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        while not self._stop.is_set():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                self.statuses[response.status] += 1
            except (OSError, http.client.HTTPException):
                self.statuses[0] += 1
            finally:
                connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--store", default=str(ROOT / "dist" / "store"))
    args = parser.parse_args()
    from bench.run import free_port, wait_for  # the same helpers as the benchmark

    port = free_port()
    command = [sys.executable, "-m", "compass_graph", "serve", "--production"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--store", args.store, "--processes", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        load_with_threads(port, MIX, 2, args.clients)  # warm every cache first
        alone = load_with_threads(port, MIX, args.seconds, args.clients)
        with Runaway(port) as runaway:
            beside = load_with_threads(port, MIX, args.seconds, args.clients)
    finally:
        server.terminate()
        server.wait(10)
    print(f"{args.clients} clients, {args.seconds:g} s each, {len(MIX)} kinds of request")
    print(f"{'run':<28}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, measured in (("alone", alone), ("beside a runaway query", beside)):
        print(
            f"{name:<28}{measured.requests:>10}{measured.errors:>8}{measured.rate:>9.0f}"
            f"{measured.p50:>9.2f}{measured.p99:>9.2f}"
        )
    print(f"runaway queries answered: {dict(runaway.statuses)} (503 = stopped at the time limit)")


if __name__ == "__main__":
    main()
