"""Measure compass-graph side by side with its floor and its peers, in one run, on this machine.

Targets, all on 127.0.0.1 and over the same build:
  floor     a bare Flask route returning a constant, under the same gunicorn command as ours
  ours      `compass-graph serve --production` (gunicorn; answers cached per build)
  oxigraph  `oxigraph serve-read-only` (the native server) with the same data
  rdflib    rdflib-endpoint (the Python peer) with the same data

Each target answers the same requests: one SPARQL count over /sparql and three canned queries (sent
to the peers as the SPARQL text compass-graph runs for them). A fixed number of client threads with
keep-alive connections send requests for a fixed time (wrk where installed, which `make bench`
does; Python threads otherwise); the run prints p50, p99 and requests per second, and the ratios
the README records.

Run with `make bench`; `python -m bench.run --seconds 5 --connections 8` to change the load.
"""

import argparse
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.load import Measurement, load_with_threads
from bench.stores import free_port
from compass_graph.queries import load_queries

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CANNED = [
    ("involve_knooppunt", {"knooppunt": "R3.02"}),
    ("upstream", {"knooppunt": "R4.06"}),
    ("stakeholder_timeline", {"stakeholder": "woningcorporatie"}),
]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FLOOR_APP = (
    "from flask import Flask\napp = Flask(__name__)\n@app.get('/')\ndef floor():\n    return 'ok'\n"
)


def wait_for(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


WRK = shutil.which("wrk")
WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def load(port: int, paths: list[str], seconds: float, connections: int, accept: str) -> Measurement:
    """Load one server with GET requests for ``seconds``: with wrk where it is installed."""
    if WRK and len(paths) == 1:
        return load_with_wrk(port, paths[0], seconds, connections, accept)
    return load_with_threads(port, paths, seconds, connections, accept)


def load_with_wrk(
    port: int, path: str, seconds: float, connections: int, accept: str
) -> Measurement:
    """Measure with wrk, a load generator in C that leaves the cores to the servers."""
    command = [
        WRK,
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        "-H",
        f"Accept: {accept}",
        f"http://127.0.0.1:{port}{path}",
    ]  # type: ignore[list-item]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = {
        match[0]: float(match[1]) * WRK_UNITS[match[2]]
        for match in re.findall(r"^\s+(50|99)%\s+([0-9.]+)(us|ms|s)$", output, re.MULTILINE)
    }
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: ([0-9]+)", output)
    # wrk leaves out percentiles it could not measure (too few answers in time).
    timeouts = re.search(r"Socket errors:.*timeout ([0-9]+)", output)
    failed = int(errors.group(1)) if errors else 0
    return Measurement(
        percentiles.get("50", math.nan),
        percentiles.get("99", math.nan),
        rate,
        failed + (int(timeouts.group(1)) if timeouts else 0),
    )


def start(command: list[str], port: int, **options: object) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options
    )  # type: ignore[call-overload]
    wait_for(port)
    return process


def sparql_paths(prefix: str) -> dict[str, list[str]]:
    """The request paths of each workload, for a server whose SPARQL endpoint is at ``prefix``."""
    queries = load_queries()
    paths = {"sparql count": [f"{prefix}?{urllib.parse.urlencode({'query': COUNT})}"]}
    for name, values in CANNED:
        text = queries[name].bind(values)
        paths[name] = [f"{prefix}?{urllib.parse.urlencode({'query': text})}"]
    return paths


def our_paths() -> dict[str, list[str]]:
    paths = {"sparql count": [f"/sparql?{urllib.parse.urlencode({'query': COUNT})}"]}
    for name, values in CANNED:
        paths[name] = [f"/api/queries/{name}?{urllib.parse.urlencode(values)}"]
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    dist = ROOT / "dist"
    if not (dist / "store").is_dir():
        sys.exit("no build in dist/: run 'make build' first")
    work = Path(tempfile.mkdtemp(prefix="compass-bench-"))
    processes: list[subprocess.Popen[bytes]] = []
    results: dict[str, dict[str, Measurement]] = {}
    accept = "application/sparql-results+json"
    try:
        (work / "floor_app.py").write_text(FLOOR_APP, encoding="utf-8")
        gunicorn = [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
        ]

        port = free_port()
        processes.append(
            start([*gunicorn, "--bind", f"127.0.0.1:{port}", "floor_app:app"], port, cwd=work)
        )
        results["floor"] = {"constant": load(port, ["/"], args.seconds, args.connections, "*/*")}

        port = free_port()
        command = [
            str(BIN / "compass-graph"),
            "serve",
            "--production",
            "--processes",
            "2",
            "--port",
            str(port),
        ]
        processes.append(start(command, port, cwd=ROOT))
        time.sleep(2)  # let each gunicorn worker start its query worker processes
        results["ours"] = {
            n: load(port, p, args.seconds, args.connections, accept) for n, p in our_paths().items()
        }

        port, location = free_port(), work / "oxigraph"
        subprocess.run(
            [
                str(BIN / "oxigraph"),
                "load",
                "--location",
                str(location),
                "--file",
                str(dist / "wijkkompas.trig"),
            ],
            check=True,
            capture_output=True,
        )
        command = [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ]
        processes.append(start(command, port))
        results["oxigraph"] = {
            n: load(port, p, args.seconds, args.connections, accept)
            for n, p in sparql_paths("/query").items()
        }

        rdflib_endpoint = shutil.which("rdflib-endpoint", path=str(BIN))
        if rdflib_endpoint:
            port = free_port()
            command = [
                rdflib_endpoint,
                "serve",
                str(dist / "wijkkompas.trig"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ]
            processes.append(start(command, port))
            results["rdflib-endpoint"] = {
                n: load(port, p, args.seconds, args.connections, accept)
                for n, p in sparql_paths("/").items()
            }
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    report(results, args)


def report(results: dict[str, dict[str, Measurement]], args: argparse.Namespace) -> None:
    generator = "wrk" if WRK else "Python threads"
    setting = f"{args.connections} connections ({generator}), {args.seconds:g} s a workload"
    print(f"\n{setting}, {os.cpu_count()} cores\n")
    print(f"{'target':<16} {'workload':<22} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>7}")
    for target, workloads in results.items():
        for workload, m in workloads.items():
            print(
                f"{target:<16} {workload:<22} {m.p50:8.2f} {m.p99:8.2f} {m.rate:8.0f} {m.errors:7d}"
            )
    floor = results["floor"]["constant"]
    print("\nratios (ours vs the others, same workload):")
    for workload, ours in results["ours"].items():
        line = f"  {workload:<22} p50 {ours.p50 / floor.p50:5.2f}x the floor"
        for peer in ("oxigraph", "rdflib-endpoint"):
            if peer in results:
                theirs = results[peer][workload]
                line += f"; throughput {ours.rate / theirs.rate:6.2f}x {peer}"
        print(line)


if __name__ == "__main__":
    main()
