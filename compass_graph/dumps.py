"""Write the dataset as downloadable dumps: TriG and JSON-LD (the named graphs), Turtle and sorted
N-Triples (their union).

Oxigraph writes each dump straight from the store, side by side on all cores: at national scale
(millions of triples) nothing passes through Python objects. Each graph is written as Turtle once,
for both the Turtle and the TriG dump. The N-Triples are sorted, with blank
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


def write_turtle_and_trig(store: ox.Store, graphs: list[Graph], turtle: Path, trig: Path) -> None:
    """Write the union of ``graphs`` as Turtle and the graphs themselves as TriG.

    Each graph is written as Turtle once; its triples go into the Turtle dump as they are and into
    the TriG dump inside the graph's block. Both declare the prefixes once, at the top.
    """
    header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items()).encode()
    with turtle.open("wb") as union, trig.open("wb") as blocks:
        union.write(header)
        blocks.write(header)
        for graph in graphs:
            triples = _triples(
                store.dump(format=ox.RdfFormat.TURTLE, from_graph=graph, prefixes=PREFIXES) or b""
            )
            union.write(triples)
            blocks.write(f"{graph} {{\n".encode())
            blocks.write(triples)
            blocks.write(b"}\n")


def _triples(turtle: bytes) -> memoryview:
    """The triples of a Turtle document Oxigraph wrote: what follows its prefix lines."""
    start = 0
    while turtle.startswith(b"@prefix ", start):
        start = turtle.index(b"\n", start) + 1
    return memoryview(turtle)[start:]


def write_dumps(store: ox.Store, directory: Path) -> dict[str, str]:
    """Write the dumps of ``store`` into ``directory``; return the SHA-256 of each."""
    graphs = sorted(store.named_graphs(), key=str)
    ntriples, jsonld, turtle, trig = (
        directory / f"{DUMP_NAME}.{suffix}" for suffix in ("nt", "jsonld", "ttl", "trig")
    )
    writers: dict[tuple[Path, ...], Callable[[], object]] = {
        (ntriples,): lambda: write_sorted_ntriples(store, graphs, ntriples),
        (turtle, trig): lambda: write_turtle_and_trig(store, graphs, turtle, trig),
        (jsonld,): lambda: store.dump(jsonld, format=ox.RdfFormat.JSON_LD),
    }

    def write(files: tuple[Path, ...]) -> dict[str, str]:
        writers[files]()
        return {file.name: file_sha256(file) for file in files}

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return {name: sha for written in pool.map(write, writers) for name, sha in written.items()}


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
