"""The command line: build, validate, summary, import-catalogue, query, sparql, deps, next,
involve, export, serve, reload, load, generate.

The commands that build or check data import the build's modules (pyshacl, pyLODE among them)
when they run: a server started from here never loads them.
"""

import argparse
import json
import os
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from compass_graph import analysis, involvement, paths, pictures
from compass_graph.endpoint import Endpoint, Settings
from compass_graph.errors import CompassError, QueryParameterError, ResourceNotFound
from compass_graph.exports import FORMATS as EXPORT_FORMATS
from compass_graph.exports import export
from compass_graph.formats import FORMAT_NAMES, Result, format_table, plain_rows, render
from compass_graph.prefixes import DEFAULT_BASE
from compass_graph.progress import (
    STORY_PROGRESS_QUERY,
    NextReport,
    next_steps,
    read_progress,
    story_progress,
)
from compass_graph.remote import RemoteStore, load_into
from compass_graph.summary import format_summary

STORE_DEFAULT = str(paths.DIST_DIR / "store")
LOAD_TIMEOUT = 600.0  # seconds a remote store may take to answer one graph's upload


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CompassError as error:
        print(f"compass-graph {args.command}: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="compass-graph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    base = os.environ.get("COMPASS_BASE", DEFAULT_BASE)

    command = commands.add_parser("build", help="validate data/ and write the dumps to dist/")
    command.add_argument("--data", type=Path, default=paths.DATA_DIR, help="folder of Turtle files")
    command.add_argument("--out", type=Path, default=paths.DIST_DIR, help="output folder")
    command.add_argument("--base", default=base, help="base IRI of things (env COMPASS_BASE)")
    command.set_defaults(run=_build)

    command = commands.add_parser(
        "reload", help="build, then wait until the server at --url answers from the new build"
    )
    command.add_argument("--data", type=Path, default=paths.DATA_DIR, help="folder of Turtle files")
    command.add_argument("--out", type=Path, default=paths.DIST_DIR, help="output folder")
    command.add_argument("--base", default=base, help="base IRI of things (env COMPASS_BASE)")
    command.add_argument("--url", default="http://127.0.0.1:5000", help="the running server")
    command.add_argument("--wait", type=float, default=10.0, help="seconds to wait for the swap")
    command.set_defaults(run=_reload)

    command = commands.add_parser(
        "generate", help="write a synthetic national dataset (benchmark input, not open data)"
    )
    command.add_argument("--neighbourhoods", type=int, required=True, help="how many")
    command.add_argument("--seed", type=int, default=1, help="the same seed, the same data")
    command.add_argument(
        "--out", type=Path, default=Path("build/national"), help="the data folder to write"
    )
    command.add_argument("--data", type=Path, default=paths.DATA_DIR, help="the open dataset")
    command.set_defaults(run=_generate)

    command = commands.add_parser("validate", help="check data/ against the shapes, write nothing")
    command.add_argument("--data", type=Path, default=paths.DATA_DIR, help="folder of Turtle files")
    command.add_argument("--base", default=base, help="base IRI of things (env COMPASS_BASE)")
    command.add_argument(
        "--pyshacl", action="store_true", help="check the shapes with pyshacl, the reference"
    )
    command.set_defaults(run=_validate)

    command = commands.add_parser("summary", help="show what the last build holds")
    command.add_argument("--dist", type=Path, default=paths.DIST_DIR, help="build output folder")
    command.set_defaults(run=_summary)

    command = commands.add_parser(
        "import-catalogue", help="turn a knooppunten table (CSV) into Turtle for data/"
    )
    command.add_argument("table", type=Path, help="the CSV file")
    command.add_argument("--out", type=Path, required=True, help="the Turtle file to write")
    command.add_argument("--title", default="Wijkkompas-knooppuntencatalogus", help="source title")
    command.add_argument("--url", help="where the catalogue was published")
    command.add_argument("--date", help="the catalogue's date, YYYY-MM-DD")
    command.set_defaults(run=_import_catalogue)

    command = commands.add_parser("query", help="run a canned query from queries/")
    command.add_argument("name", help="the query's name, e.g. involve_phase")
    command.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter")
    _add_answer_options(command)
    command.set_defaults(run=_query)

    command = commands.add_parser("sparql", help="run a SPARQL query")
    command.add_argument("query", help="the query text")
    _add_answer_options(command)
    command.set_defaults(run=_sparql)

    command = commands.add_parser("serve", help="serve the graph over HTTP")
    command.add_argument("--host", default="127.0.0.1")
    command.add_argument("--port", type=int, default=5000)
    command.add_argument("--store", default=os.environ.get("COMPASS_STORE", STORE_DEFAULT))
    command.add_argument(
        "--production", action="store_true", help="run gunicorn, not Flask's server"
    )
    command.add_argument("--processes", type=int, default=2, help="gunicorn worker processes")
    command.set_defaults(run=_serve)

    command = commands.add_parser("deps", help="explore the dependencies between knooppunten")
    questions = ["upstream", "downstream", "path", "critical", "bottlenecks", "review"]
    command.add_argument("question", choices=questions)
    command.add_argument(
        "code", nargs="?", help="a knooppunt code (for upstream, downstream, path)"
    )
    command.add_argument("--store", default=os.environ.get("COMPASS_STORE", STORE_DEFAULT))
    command.set_defaults(run=_deps)

    command = commands.add_parser(
        "next", help="what a neighbourhood can take up next, and with whom"
    )
    source = command.add_mutually_exclusive_group(required=True)
    source.add_argument("--story", help="the id of a practice story")
    source.add_argument(
        "--progress", type=Path, help="a CSV (code column) or Turtle file of progress"
    )
    command.add_argument("--regie", choices=["municipality-led", "residents-led", "joint"])
    command.add_argument("--store", default=os.environ.get("COMPASS_STORE", STORE_DEFAULT))
    command.set_defaults(run=_next)

    command = commands.add_parser("involve", help="who to involve in a phase or a knooppunt")
    target = command.add_mutually_exclusive_group(required=True)
    target.add_argument("--phase", type=int, choices=range(1, 7))
    target.add_argument("--knooppunt")
    command.add_argument("--store", default=os.environ.get("COMPASS_STORE", STORE_DEFAULT))
    command.set_defaults(run=_involve)

    command = commands.add_parser("export", help="write the dependency graph for graph tools")
    command.add_argument("--format", required=True, choices=[*EXPORT_FORMATS, *pictures.FORMATS])
    command.add_argument("--store", default=os.environ.get("COMPASS_STORE", STORE_DEFAULT))
    command.set_defaults(run=_export)

    command = commands.add_parser("load", help="push a build into a remote SPARQL store")
    command.add_argument("--store", required=True, help="the Graph Store Protocol URL to PUT into")
    command.add_argument("--dist", type=Path, default=paths.DIST_DIR, help="build output folder")
    command.set_defaults(run=_load)
    return parser


def _add_answer_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", default="table", choices=["table", *FORMAT_NAMES])
    command.add_argument("--store", default=os.environ.get("COMPASS_STORE", STORE_DEFAULT))


def _open(store: str) -> Endpoint:
    return Endpoint.open(Settings(store=store, workers=0))


def _print(result: Result, format_name: str) -> int:
    if format_name == "table":
        if result.kind == "solutions":
            print(format_table(plain_rows(result)))
        else:
            print(render(result, "text/turtle").decode())
    else:
        sys.stdout.write(render(result, FORMAT_NAMES[format_name]).decode())
    if result.truncated:
        print(f"(cut at {result.rows} rows)", file=sys.stderr)
    return 0


def _query(args: argparse.Namespace) -> int:
    values = dict(item.partition("=")[::2] for item in args.param)
    return _print(_open(args.store).run(args.name, values), args.format)


def _sparql(args: argparse.Namespace) -> int:
    return _print(_open(args.store).sparql(args.query), args.format)


def _serve(args: argparse.Namespace) -> int:
    from api.server import serve

    serve(args.host, args.port, args.store, production=args.production, processes=args.processes)
    return 0


def _reached_rows(reached: list[analysis.Reached], upward: bool) -> list[dict[str, str]]:
    rows = []
    for r in reached:
        nearest = r.reasons[-1]  # the dependency that links this knooppunt into the chain
        via = nearest.dependent if upward else nearest.prerequisite
        because = nearest.rationale["en"] if r.depth == 1 else f"via {via}"
        rows.append(
            {"code": r.code, "phase": str(r.phase), "depth": str(r.depth), "because": because}
        )
    return rows


def _deps(args: argparse.Namespace) -> int:
    digraph = _open(args.store).dependencies
    if args.question in ("upstream", "downstream"):
        if not args.code:
            raise QueryParameterError(f"deps {args.question} needs a knooppunt code")
        reached = getattr(analysis, args.question)(digraph, args.code)
        rows = _reached_rows(reached, upward=args.question == "upstream")
    elif args.question in ("path", "critical"):
        path = analysis.critical_path(digraph, args.code if args.question == "path" else None)
        rows = [_knooppunt_row(digraph, code, step=str(i)) for i, code in enumerate(path, 1)]
    elif args.question == "review":
        _print_review(digraph)
        return 0
    else:
        rows = [
            {
                "code": b.code,
                "phase": str(b.phase),
                "blocks": str(b.blocks),
                "betweenness": f"{b.betweenness:.3f}",
            }
            for b in analysis.bottlenecks(digraph)
        ]
    print(format_table(rows))
    return 0


def _print_review(digraph: Any) -> None:
    print(f"starts: {', '.join(analysis.starts(digraph))}")
    print(f"ends: {', '.join(analysis.ends(digraph))}")
    for reason in analysis.backward_edges(digraph):
        print(f"review: {reason.dependent} requires {reason.prerequisite}, from a later phase")
    for cycle in analysis.cycles(digraph):
        print(f"cycle: {' -> '.join(cycle)}")
    print(f"order: {' '.join(analysis.process_order(digraph))}")


def _knooppunt_row(digraph: Any, code: str, **extra: str) -> dict[str, str]:
    node = digraph.nodes[code]
    return {**extra, "code": code, "phase": str(node["phase"]), "title": node["title"]["en"]}


def _next(args: argparse.Namespace) -> int:
    endpoint = _open(args.store)
    digraph = endpoint.dependencies
    if args.progress:
        text = args.progress.read_text(encoding="utf-8")
        passed = read_progress(text, digraph, turtle=args.progress.suffix == ".ttl")
        reports = {
            str(args.progress): next_steps(digraph, passed, endpoint.involvements, args.regie)
        }
    else:
        iri = f"{endpoint.settings.base}id/story/{args.story}"
        if not endpoint.exists(iri):
            raise ResourceNotFound(f"there is no story {args.story!r}")
        places = story_progress(endpoint.select(STORY_PROGRESS_QUERY, {"story": ox.NamedNode(iri)}))
        reports = {
            place.rsplit("/", 1)[-1]: next_steps(digraph, passed, endpoint.involvements, regie)
            for place, (passed, regie) in sorted(places.items())
        }
    for where, report in reports.items():
        _print_next(where, report)
    return 0


def _print_next(where: str, report: NextReport) -> None:
    passed = ", ".join(report.passed) or "none"
    print(f"{where} (regie: {report.regie or 'unknown'}; passed: {passed})")
    rows = [
        {
            "next": s.code,
            "title": s.title["en"],
            "involve": ", ".join(f"{i.stakeholder} {i.role}" for i in s.involve),
        }
        for s in report.frontier
    ]
    print(format_table(rows))
    for waiting in report.skipped:
        print(f"  passed {waiting.code} before {', '.join(waiting.missing)}")
    print()


def _involve(args: argparse.Namespace) -> int:
    endpoint = _open(args.store)
    rows = endpoint.involvements
    if args.phase:
        counts = involvement.matrix(rows).get(args.phase, {})
        table = [
            {"stakeholder": who, **{r: str(n) for r, n in roles.items()}}
            for who, roles in counts.items()
        ]
    else:
        if args.knooppunt not in endpoint.dependencies:
            raise ResourceNotFound(f"there is no knooppunt with the code {args.knooppunt!r}")
        table = [
            {"stakeholder": r["stakeholder"], "role": r["role"]}
            for r in rows
            if r["code"] == args.knooppunt
        ]
    print(format_table(table))
    return 0


def _export(args: argparse.Namespace) -> int:
    digraph = _open(args.store).dependencies
    if args.format in pictures.FORMATS:
        drawing = pictures.dependency_picture(digraph, analysis.critical_path(digraph))
        sys.stdout.buffer.write(pictures.render(drawing, args.format))
    else:
        sys.stdout.write(export(digraph, args.format).decode())
    return 0


def _load(args: argparse.Namespace) -> int:
    # A national graph takes the store a while to take in: wait for each as long as it needs.
    remote = RemoteStore(args.store, args.store, timeout=LOAD_TIMEOUT)
    graphs = load_into(remote, args.dist / "wijkkompas.trig")
    print(f"{len(graphs)} named graphs loaded into {args.store}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from compass_graph.build import build

    result = build(args.data, args.out, args.base)
    print(format_summary(result.summary))
    print(f"build {result.build_id} written to {result.out_dir}/")
    return 0


def _reload(args: argparse.Namespace) -> int:
    from compass_graph.build import build

    build_id = build(args.data, args.out, args.base).build_id
    print(f"build {build_id} published; waiting for {args.url} to serve it")
    deadline = time.monotonic() + args.wait
    served = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{args.url}/health", timeout=2) as response:
                served = json.load(response)["build"]["build_id"]
        except (OSError, ValueError, KeyError):
            served = None
        if served == build_id:
            print(f"{args.url} serves build {build_id}")
            return 0
        time.sleep(0.2)
    print(f"{args.url} still serves {served or 'nothing'} after {args.wait} s", file=sys.stderr)
    return 1


def _generate(args: argparse.Namespace) -> int:
    from compass_graph.generate import generate

    generated = generate(args.neighbourhoods, args.seed, args.out, args.data)
    print(
        f"{generated.neighbourhoods:,} neighbourhoods in {generated.municipalities:,} "
        f"municipalities, {generated.records:,} progress records "
        f"({len(generated.skipping):,} neighbourhoods skip a requirement), in {generated.folder}/"
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from compass_graph.build import check
    from compass_graph.loader import load

    report = check(load(args.data, args.base), engine="pyshacl" if args.pyshacl else "compiled")
    print(f"{report.text} (checked by {report.engine})")
    return 0


def _summary(args: argparse.Namespace) -> int:
    summary_file = args.dist / "summary.json"
    if not summary_file.is_file():
        print(f"no build in {args.dist}/: run 'compass-graph build' first", file=sys.stderr)
        return 1
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    print(format_summary(summary))
    print(f"build {summary['build_id']} in {args.dist}/")
    return 0


def _import_catalogue(args: argparse.Namespace) -> int:
    from compass_graph.catalogue import import_catalogue

    count = import_catalogue(args.table, args.out, title=args.title, url=args.url, date=args.date)
    print(f"{count} knooppunten written to {args.out}")
    return 0
