"""Write the dataset as downloadable dumps: TriG and JSON-LD (the named graphs), Turtle and sorted
N-Triples (their union).

Oxigraph writes each dump straight from the store, side by side on all cores: at national scale
(millions of triples) nothing passes through Python objects. The N-Triples are sorted, with blank
nodes labelled canonically, so the same data always gives the same bytes (and the same build id).
"""

import hashlib
import os
import subprocess
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from compass_graph.prefixes import PREFIXES

DUMP_NAME = "wijkkompas"
Graph = ox.NamedNode | ox.BlankNode


def canonical_ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """Serialise as N-Triples, one line per distinct triple, sorted, with canonical blank labels."""
    quads = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    quads.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    serialised = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
    return b"".join(sorted(set(serialised.splitlines(keepends=True))))


def write_sorted_ntriples(store: ox.Store, graphs: list[Graph], target: Path) -> None:
    """Write the union of ``graphs`` as sorted, distinct N-Triples.

    Graphs without blank nodes (the national data) are written as Oxigraph writes them and sorted
    by the system's ``sort``, which spills to disk instead of memory; the few graphs with blank
    nodes are labelled canonically together, so equal data gives equal labels.
    """
    blank: list[Graph] = []
    unsorted = target.with_name(target.name + ".unsorted")
    with unsorted.open("wb") as out:
        for graph in graphs:
            triples = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
            # "_:" may also stand in a literal: such a graph is merely labelled canonically too.
            if b"_:" in triples:
                blank.append(graph)
            else:
                out.write(triples)
        out.write(
            canonical_ntriples(
                quad.triple for g in blank for quad in store.quads_for_pattern(None, None, None, g)
            )
        )
    subprocess.run(
        ["sort", "--unique", "--buffer-size=256M", f"--temporary-directory={target.parent}",
         f"--output={target}", str(unsorted)],
        env={**os.environ, "LC_ALL": "C"}, check=True,
    )  # fmt: skip
    unsorted.unlink()


def write_dumps(store: ox.Store, directory: Path) -> dict[str, str]:
    """Write the dumps of ``store`` into ``directory``; return the SHA-256 of each."""
    graphs = sorted(store.named_graphs(), key=str)

    def union_turtle(path: Path) -> None:
        # Each graph in turn, its prefixes declared again: valid Turtle of the union.
        with path.open("wb") as out:
            for graph in graphs:
                store.dump(out, format=ox.RdfFormat.TURTLE, from_graph=graph, prefixes=PREFIXES)

    writers: dict[str, Callable[[Path], object]] = {
        f"{DUMP_NAME}.nt": lambda path: write_sorted_ntriples(store, graphs, path),
        f"{DUMP_NAME}.trig": lambda path: store.dump(
            path, format=ox.RdfFormat.TRIG, prefixes=PREFIXES
        ),
        f"{DUMP_NAME}.jsonld": lambda path: store.dump(path, format=ox.RdfFormat.JSON_LD),
        f"{DUMP_NAME}.ttl": union_turtle,
    }

    def write(name: str) -> str:
        writers[name](directory / name)
        return file_sha256(directory / name)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(writers, pool.map(write, writers), strict=True))


def count_lines(path: Path) -> int:
    """Return the number of lines of a file, read in pieces."""
    with path.open("rb") as file:
        return sum(piece.count(b"\n") for piece in iter(lambda: file.read(1 << 20), b""))


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while piece := file.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()
