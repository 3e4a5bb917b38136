"""How compass-graph grows with the number of neighbourhoods: one run, every size side by side.

For each N it generates a synthetic national dataset (``compass-graph generate``), builds it, and
measures on this machine:
  build      wall time and peak memory of ``compass-graph build`` (parse, validate, store, dumps)
  parts      beside it, two parts of the build each run alone (bench/build_parts.py): the data
             parsed into memory, and the data written into an on-disk store; the build's time is
             reported as a multiple of the parse, so runs on other machines compare: of the parse
             command's wall time, and of the parse timed inside its process
  start      ``compass-graph serve --production`` on the build, until /health answers
  place      per-neighbourhood questions over HTTP, each for another neighbourhood (so nothing is
             answered from a cache): who to involve now (a canned query) and what is next
  national   progress per phase per municipality (a canned query the build answers ahead)
  browse     a crawl as a reader would make it: from the home page, a neighbourhood's page, two
             searches and every canned query (with its example values, and a neighbourhood of the
             national data where it takes one), the links of each page followed breadth first,
             each address visited once; the slowest visits and any error are reported
  oxigraph   the same per-neighbourhood query sent as SPARQL to ``oxigraph serve`` loaded with the
             build through ``compass-graph load``, and compass-graph over that remote store, whose
             answers must equal the embedded store's
  Virtuoso   the same for Virtuoso, started with a throwaway database and loaded with its own
             bulk loader (the load time includes its start, about 3 s)
  rdflib     parsing the N-Triples dump with rdflib and the same query on it (up to --rdflib-max)

It prints a table and writes bench/scale.svg, a plot of build time and memory against N.
Run with `make bench-scale`; `python -m bench.scale --sizes 1000 10000` to choose the sizes.
"""

import argparse
import html
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from bench.run import wait_for
from bench.stores import free_port, virtuoso_server
from compass_graph.generate import generate
from compass_graph.queries import CannedQuery, load_queries

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLOT = ROOT / "bench" / "scale.svg"
LINK = re.compile(r'href="(/[^"#]*)"')
BROWSE_LIMIT = 300  # addresses visited per size


@dataclass
class Row:
    """What one size measured."""

    n: int
    triples: int = 0
    build_s: float = 0.0
    build_mb: float = 0.0
    parse_s: float = 0.0
    parse_inside_s: float = 0.0
    store_s: float = 0.0
    start_s: float = 0.0
    involve_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    national_ms: list[float] = field(default_factory=list)
    visits: list[tuple[float, int, str]] = field(default_factory=list)  # ms, status, address
    load_oxigraph_s: float = 0.0
    oxigraph_ms: list[float] = field(default_factory=list)
    remote_same: str = ""
    load_virtuoso_s: float = 0.0
    virtuoso_ms: list[float] = field(default_factory=list)
    virtuoso_same: str = ""
    rdflib_parse_s: float | None = None
    rdflib_ms: list[float] = field(default_factory=list)


def run(command: list[str]) -> tuple[float, float, str]:
    """Run a command; return its wall time in seconds, its peak memory in MB and what it said."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    said = process.stdout.read().decode() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"{command} failed")
    return time.monotonic() - started, usage.ru_maxrss / 1024, said


def fetch(port: int, path: str, accept: str) -> tuple[float, int, str, bytes]:
    """GET one path on a new connection; return the milliseconds it took, the status, the
    content type and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    took = (time.perf_counter() - started) * 1000
    connection.close()
    return took, response.status, response.getheader("Content-Type", ""), body


def get(port: int, path: str, accept: str = "application/json") -> tuple[float, bytes]:
    """GET one path that must answer 200; return the milliseconds it took and the body."""
    took, status, _, body = fetch(port, path, accept)
    if status != 200:
        raise RuntimeError(f"{path}: {status} {body[:300]!r}")
    return took, body


def serve(store: str, port: int) -> subprocess.Popen[bytes]:
    command = [str(BIN / "compass-graph"), "serve", "--production", "--store", store]
    return subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def measure(n: int, folder: Path, samples: int, rdflib_max: int) -> Row:
    row = Row(n)
    data = generate(n, seed=1, out=folder / "data").folder
    out = folder / "dist"
    row.build_s, row.build_mb, _ = run([str(BIN / "compass-graph"), "build", "--data", str(data),
                                     "--out", str(out)])  # fmt: skip
    row.triples = json.loads((out / "summary.json").read_text())["triples"]
    parts = [sys.executable, "-m", "bench.build_parts"]
    row.parse_s, _, said = run([*parts, "parse", str(data)])
    row.parse_inside_s = float(said)
    row.store_s, _, _ = run([*parts, "store", str(data), str(folder / "store-alone")])
    chooser = random.Random(n)
    places = [f"nl-WK{5000 + i // 9:04d}{i % 9 + 1:02d}" for i in chooser.sample(range(n), samples)]
    involve = load_queries()["involve_neighbourhood_now"]
    port = free_port()
    started = time.monotonic()
    ours = serve(str(out / "store"), port)
    try:
        wait_for(port)
        while True:
            try:
                get(port, "/health")
                break
            except (RuntimeError, OSError):
                time.sleep(0.02)
        row.start_s = time.monotonic() - started
        for place in places:
            row.involve_ms.append(
                get(port, f"/api/queries/involve_neighbourhood_now?place={place}")[0]
            )
            row.next_ms.append(get(port, f"/api/places/{place}/next")[0])
        for lang in ("nl", "en"):
            row.national_ms.append(
                get(port, f"/api/queries/progress_by_municipality?lang={lang}")[0]
            )
        row.visits = browse(port, [*_reader_starts(places[0]), *_canned(places[0])])
        row.load_oxigraph_s, row.oxigraph_ms, row.remote_same = _oxigraph(
            out, folder, port, places, involve
        )
        row.load_virtuoso_s, row.virtuoso_ms, row.virtuoso_same = _virtuoso(
            out, folder, port, places, involve
        )
    finally:
        ours.terminate()
        ours.wait(30)
    if n <= rdflib_max:
        started = time.monotonic()
        graph = Graph().parse(out / "wijkkompas.nt", format="nt")
        row.rdflib_parse_s = time.monotonic() - started
        for place in places[:10]:
            text = involve.bind({"place": place})
            started = time.perf_counter()
            list(graph.query(text))
            row.rdflib_ms.append((time.perf_counter() - started) * 1000)
    return row


def _reader_starts(place: str) -> list[str]:
    return ["/", f"/doc/place/{place}", "/search?q=wijk", "/search?q=R1"]


def _canned(place: str) -> list[str]:
    """Every canned query with its example values, and with ``place`` where it takes a place."""
    addresses = []
    for name, query in sorted(load_queries().items()):
        values = query.examples() or {}
        addresses.append(f"/api/queries/{name}?{urllib.parse.urlencode(values)}")
        if "place" in values:
            national = urllib.parse.urlencode({**values, "place": place})
            addresses.append(f"/api/queries/{name}?{national}")
    return addresses


def browse(port: int, starts: list[str]) -> list[tuple[float, int, str]]:
    """Visit ``starts`` and the links of every page met, breadth first, each address once, up to
    BROWSE_LIMIT (the dumps under /data/ and the static files left out); return for each visit
    its milliseconds, status and address."""
    seen, waiting = set(starts), deque(starts)
    visits = []
    while waiting and len(visits) < BROWSE_LIMIT:
        address = waiting.popleft()
        took, status, kind, body = fetch(port, address, "text/html,*/*;q=0.8")
        visits.append((took, status, address))
        if kind.startswith("text/html"):
            for link in LINK.findall(body.decode()):
                link = html.unescape(link)
                if link not in seen and not link.startswith(("/data/", "/static/")):
                    seen.add(link)
                    waiting.append(link)
    return visits


def _oxigraph(
    out: Path, folder: Path, ours: int, places: list[str], involve: CannedQuery
) -> tuple[float, list[float], str]:
    """Load the build into `oxigraph serve` through `compass-graph load`; measure it as a remote
    store."""
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--location", str(folder / "oxigraph"),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]  # fmt: skip
    oxigraph = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        url = f"http://127.0.0.1:{port}"
        load = [str(BIN / "compass-graph"), "load", "--store", f"{url}/store", "--dist", str(out)]
        loaded, _, _ = run(load)
        return (loaded, *_as_remote(f"{url}/query", ours, places, involve))
    finally:
        oxigraph.terminate()
        oxigraph.wait(30)


def _virtuoso(
    out: Path, folder: Path, ours: int, places: list[str], involve: CannedQuery
) -> tuple[float, list[float], str]:
    """Start Virtuoso and load the build with its own bulk loader; measure it as a remote store."""
    started = time.monotonic()
    with virtuoso_server(folder / "virtuoso", out / "wijkkompas.trig", memory_mb=2000) as url:
        loaded = time.monotonic() - started
        return (loaded, *_as_remote(url, ours, places, involve))


def _as_remote(
    query_url: str, ours: int, places: list[str], involve: CannedQuery
) -> tuple[list[float], str]:
    """Time the per-neighbourhood query sent straight to a store, and compare compass-graph over
    that store with compass-graph over the embedded store."""
    address = urllib.parse.urlsplit(query_url)
    timings = []
    for place in places:
        query = urllib.parse.urlencode({"query": involve.bind({"place": place})})
        path = f"{address.path}?{query}"
        timings.append(get(address.port or 80, path, "application/sparql-results+json")[0])
    port = free_port()
    remote = serve(query_url, port)
    try:
        wait_for(port)
        paths = [f"/api/queries/involve_neighbourhood_now?place={p}" for p in places[:20]]
        paths += [f"/api/places/{p}/next" for p in places[:20]]
        paths += ["/api/queries/progress_by_municipality?lang=nl"]
        same = sum(_answer(get(ours, p)[1]) == _answer(get(port, p)[1]) for p in paths)
        return timings, f"{same}/{len(paths)}"
    finally:
        remote.terminate()
        remote.wait(30)


def _answer(body: bytes) -> object:
    """The answer without the build id, which only the embedded store knows."""
    answer = json.loads(body)
    if isinstance(answer, dict):
        answer.pop("build", None)
    return answer


def p50(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "-"


def report(rows: list[Row]) -> None:
    print(
        "| N | triples | build s | build MB | parse alone s | build ÷ parse "
        "| parse inside s | build ÷ parse inside | store alone s "
        "| start s | involve now p50 ms | next p50 ms "
        "| national ms | slowest visit ms | oxigraph load s | oxigraph p50 ms "
        "| over oxigraph = embedded "
        "| Virtuoso load s | Virtuoso p50 ms | over Virtuoso = embedded | rdflib parse s "
        "| rdflib p50 ms |"
    )
    print("|" + "---|" * 22)
    for r in rows:
        rdflib = f"{r.rdflib_parse_s:.1f}" if r.rdflib_parse_s is not None else "-"
        print(
            f"| {r.n:,} | {r.triples:,} | {r.build_s:.1f} | {r.build_mb:,.0f} | {r.parse_s:.1f} "
            f"| {r.build_s / r.parse_s:.1f} | {r.parse_inside_s:.1f} "
            f"| {r.build_s / r.parse_inside_s:.1f} | {r.store_s:.1f} | {r.start_s:.2f} "
            f"| {p50(r.involve_ms)} | {p50(r.next_ms)} | {max(r.national_ms):.0f} "
            f"| {max(r.visits)[0]:.0f} | {r.load_oxigraph_s:.1f} | {p50(r.oxigraph_ms)} "
            f"| {r.remote_same} "
            f"| {r.load_virtuoso_s:.1f} | {p50(r.virtuoso_ms)} | {r.virtuoso_same} | {rdflib} "
            f"| {p50(r.rdflib_ms)} |"
        )


def report_visits(rows: list[Row]) -> None:
    for r in rows:
        failed = [(status, address) for _, status, address in r.visits if status >= 400]
        print(f"\nN = {r.n:,}: {len(r.visits)} addresses visited, {len(failed)} answered an error")
        for status, address in failed:
            print(f"  {status} {address}")
        print("  slowest:")
        for ms, status, address in sorted(r.visits, reverse=True)[:5]:
            print(f"  {ms:8.0f} ms  {status}  {address}")


def plot(rows: list[Row], path: Path) -> None:
    """Write an SVG line chart of build time and peak memory against N."""
    width, height, margin = 640, 360, 60
    most_n = max(r.n for r in rows)
    most_s = max(r.build_s for r in rows) * 1.1
    most_mb = max(r.build_mb for r in rows) * 1.1

    def x(n: float) -> float:
        return margin + (width - 2 * margin) * n / most_n

    def y(value: float, top: float) -> float:
        return height - margin - (height - 2 * margin) * value / top

    def line(values: list[tuple[float, float]], colour: str) -> str:
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in values)
        dots = "".join(
            f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>' for a, b in values
        )
        return f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>{dots}'

    seconds = [(x(r.n), y(r.build_s, most_s)) for r in rows]
    memory = [(x(r.n), y(r.build_mb, most_mb)) for r in rows]
    ticks = "".join(
        f'<text x="{x(r.n):.1f}" y="{height - margin + 18}" text-anchor="middle">{r.n:,}</text>'
        for r in rows
    )
    for share in (0, 0.5, 1):
        ticks += (
            f'<text x="{margin - 6}" y="{y(most_s * share, most_s) + 4:.1f}" fill="#1f5fa8" '
            f'text-anchor="end">{most_s * share:.0f}</text>'
            f'<text x="{width - margin + 6}" y="{y(most_mb * share, most_mb) + 4:.1f}" '
            f'fill="#b4451f">{most_mb * share:,.0f}</text>'
        )
    bottom, right = height - margin, width - margin
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        "<title>compass-graph build time and peak memory against neighbourhoods</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<line x1="{margin}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="black"/>',
        f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{bottom}" stroke="black"/>',
        f'<line x1="{right}" y1="{margin}" x2="{right}" y2="{bottom}" stroke="black"/>',
        ticks,
        f'<text x="{width / 2}" y="{height - 15}" text-anchor="middle">neighbourhoods (N)</text>',
        f'<text x="{margin - 8}" y="{margin - 14}" fill="#1f5fa8">build time, s</text>',
        f'<text x="{right + 8}" y="{margin - 14}" fill="#b4451f" text-anchor="end">'
        "peak memory, MB</text>",
        line(seconds, "#1f5fa8"),
        line(memory, "#b4451f"),
        "</svg>",
    ]
    svg = "\n".join(parts) + "\n"
    path.write_text(svg, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--samples", type=int, default=100, help="neighbourhoods asked about")
    parser.add_argument("--rdflib-max", type=int, default=3000, help="largest N for rdflib")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"compass-scale-{n}-") as folder:
            rows.append(measure(n, Path(folder), min(args.samples, n), args.rdflib_max))
            print(f"N = {n:,} measured", file=sys.stderr)
    report(rows)
    report_visits(rows)
    plot(rows, PLOT)
    print(f"\nplot written to {PLOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
