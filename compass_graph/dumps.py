"""Write the dataset as downloadable dumps: Turtle, sorted N-Triples, JSON-LD and TriG."""

import hashlib
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph

from compass_graph.namespaces import PREFIXES
from compass_graph.terms import dataset_quads

DUMP_NAME = "wijkkompas"


def sorted_ntriples(graph: Graph) -> bytes:
    """Serialise as N-Triples, one line per triple, sorted, with canonical blank node labels."""
    has_blank_nodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    canonical = to_canonical_graph(graph) if has_blank_nodes else graph
    lines = canonical.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


def trig(dataset: Dataset) -> bytes:
    """Serialise the dataset's named graphs as TriG."""
    serialised = ox.serialize(dataset_quads(dataset), format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return serialised or b""


def write_dumps(dataset: Dataset, graph: Graph, directory: Path) -> dict[str, str]:
    """Write the dataset (as TriG) and its union ``graph`` into ``directory``; return checksums."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    contents = {
        f"{DUMP_NAME}.nt": sorted_ntriples(graph),
        f"{DUMP_NAME}.ttl": graph.serialize(format="turtle", encoding="utf-8"),
        f"{DUMP_NAME}.jsonld": graph.serialize(
            format="json-ld", context=PREFIXES, auto_compact=True, encoding="utf-8"
        ),
        f"{DUMP_NAME}.trig": trig(dataset),
    }
    checksums = {}
    for name, content in contents.items():
        (directory / name).write_bytes(content)
        checksums[name] = hashlib.sha256(content).hexdigest()
    return checksums
