"""Build the graph: load, validate, check the dependencies are acyclic, derive, write ``dist/``.

The build writes into a staging folder and publishes it only when everything succeeded
(``compass_graph.publish``), so a failed build leaves the served build as it was.
"""

import hashlib
import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from compass_graph import paths
from compass_graph.answers import compute_answers
from compass_graph.dependencies import dependency_graph, find_cycle
from compass_graph.derive import derive
from compass_graph.dumps import count_lines, write_dumps
from compass_graph.errors import CompassError, InvalidData
from compass_graph.loader import LoadedData, load
from compass_graph.namespaces import graph_iri
from compass_graph.ontology_docs import write_ontology_docs
from compass_graph.prefixes import DEFAULT_BASE
from compass_graph.publish import publish, record_attempt, staging
from compass_graph.queries import catalogue_quads, load_queries
from compass_graph.store import DEFAULT_ROW_CAP, STORE_FOLDER, StoreWriter
from compass_graph.summary import summarise
from compass_graph.validate import Engine, ValidationReport, validate

# What a build folder holds and how. Raise it whenever a build writes other files or writes them
# differently: unchanged data is then published in a folder of its own, not in an older one.
LAYOUT = 2


@dataclass(frozen=True)
class BuildResult:
    """What a successful build wrote: where, under which id, and what it holds."""

    out_dir: Path
    build_id: str
    summary: dict[str, Any]
    report: ValidationReport


def check(data: LoadedData, engine: Engine = "compiled") -> ValidationReport:
    """Validate the loaded data and check its dependencies; raise InvalidData on any fault."""
    report = validate(data, engine=engine)
    if not report.conforms:
        raise InvalidData("the data does not conform to the shapes", report_text=report.text)
    digraph = dependency_graph(data.store)
    cycle = find_cycle(digraph)
    if cycle:
        raise InvalidData(
            "the dependency graph has a cycle; each knooppunt below requires the one before it",
            report_text="  " + " -> ".join(cycle) + "\n" + _cycle_records(data, digraph, cycle),
        )
    return report


def _cycle_records(data: LoadedData, digraph: Any, cycle: list[str]) -> str:
    lines = []
    for prerequisite, dependent in itertools.pairwise(cycle):
        record = digraph.edges[prerequisite, dependent]["record"]
        file, line = data.locate(record)
        lines.append(f"  {file}:{line}: {dependent} requires {prerequisite} ({record})")
    return "\n".join(lines)


def build(
    data_dir: Path = paths.DATA_DIR,
    out_dir: Path = paths.DIST_DIR,
    base: str = DEFAULT_BASE,
    queries_dir: Path = paths.QUERIES_DIR,
) -> BuildResult:
    """Build and validate the graph from ``data_dir`` and publish it as ``out_dir``.

    Every attempt is recorded beside the builds; a failed one raises and publishes nothing.
    """
    try:
        with staging(out_dir) as stage:
            with StoreWriter(stage / STORE_FOLDER) as served:
                summary, report = _build_into(stage, served, data_dir, base, queries_dir)
                # Finished only once the in-memory copy is freed (seconds at national scale):
                # meanwhile the store loads its last graphs and compacts, in threads of its own.
                served.finish()
            # Renamed only once closed: the store writes its last changes into its own folder.
            publish(stage, out_dir, summary["build_id"])
    except CompassError as error:
        record_attempt(out_dir, ok=False, reason=str(error)[:4000])
        raise
    record_attempt(out_dir, ok=True, build_id=summary["build_id"])
    return BuildResult(out_dir, summary["build_id"], summary, report)


def build_identifier(ntriples_sha256: str, layout: int) -> str:
    """Name a build by its data (the checksum of its sorted N-Triples) and the folder's layout."""
    return hashlib.sha256(f"{layout}:{ntriples_sha256}".encode()).hexdigest()[:16]


def _build_into(
    stage: Path,
    served: StoreWriter,
    data_dir: Path,
    base: str,
    queries_dir: Path,
) -> tuple[dict[str, Any], ValidationReport]:
    """Load, check and derive, and write the build into ``stage``; queue the graphs of ``served``
    meanwhile, for the caller to finish. Return the build's summary and validation report."""
    # The served store fills in the background, from the very bytes each file was parsed from,
    # while the graphs are checked and derived from and the dumps are written.
    data = load(
        data_dir, base, parsed=lambda file, turtle: served.load(turtle, file.graph_iri, base)
    )
    store = data.store
    report = check(data)
    derived = ox.NamedNode(str(graph_iri(base, "derived")))
    derive(store, derived)
    canned = load_queries(queries_dir)
    queries = ox.NamedNode(str(graph_iri(base, "queries")))
    store.extend(catalogue_quads(canned, queries.value, base))
    served.copy(store, [derived, queries])
    # The answers computed ahead are for servers with the default row cap.
    answers = compute_answers(store, canned, base, DEFAULT_ROW_CAP)
    summary, checksums = _write(store, base, report, stage)
    for name, content in answers.items():
        (stage / name).write_bytes(content)
        checksums[name] = hashlib.sha256(content).hexdigest()
    sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(checksums.items()))
    (stage / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return summary, report


def _write(
    store: ox.Store, base: str, report: ValidationReport, staging: Path
) -> tuple[dict[str, Any], dict[str, str]]:
    """Write the dumps, the summary, the validation report and the ontology's documentation;
    return the summary and the SHA-256 of each file."""
    with ThreadPoolExecutor(max_workers=1) as aside:
        # Counted and documented while Oxigraph writes the dumps, without holding the GIL.
        counted = aside.submit(summarise, store)
        documented = aside.submit(write_ontology_docs, paths.ONTOLOGY_FILE, staging)
        checksums = write_dumps(store, staging)
    build_id = build_identifier(checksums["wijkkompas.nt"], LAYOUT)
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    summary = {
        "build_id": build_id,
        "built_at": built_at,
        "base": base,
        "triples": count_lines(staging / "wijkkompas.nt"),
        **counted.result(),
    }
    files = {
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False).encode() + b"\n",
        "validation-report.txt": report.text.encode() + b"\n",
        "validation-report.ttl": report.results_graph.serialize(format="turtle", encoding="utf-8"),
    }
    for name, content in files.items():
        (staging / name).write_bytes(content)
    files |= documented.result()
    for name, content in files.items():
        checksums[name] = hashlib.sha256(content).hexdigest()
    return summary, checksums
