"""Write the dataset as downloadable dumps: Turtle, sorted N-Triples, JSON-LD and TriG.

The N-Triples are sorted, with blank nodes labelled canonically, so the same data always gives
the same bytes (and the same build id).
"""

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from compass_graph.namespaces import PREFIXES

DUMP_NAME = "wijkkompas"


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Return the distinct triples of all the named graphs, in a stable order."""
    return list(dict.fromkeys(quad.triple for quad in quads))


def sorted_ntriples(triples: list[ox.Triple]) -> bytes:
    """Serialise as N-Triples, one line per triple, sorted, with canonical blank node labels.

    Only the triples that mention a blank node take part in the labelling, which is all the
    canonicalisation looks at.
    """
    blank: list[ox.Triple] = []
    named: list[ox.Triple] = []
    for triple in triples:
        mentions = isinstance(triple.subject, ox.BlankNode) or isinstance(
            triple.object, ox.BlankNode
        )
        (blank if mentions else named).append(triple)
    labelled = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in blank)
    labelled.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    serialised = (
        ox.serialize([*named, *(quad.triple for quad in labelled)], format=ox.RdfFormat.N_TRIPLES)
        or b""
    )
    return b"".join(sorted(line for line in serialised.splitlines(keepends=True) if line.strip()))


def write_dumps(quads: list[ox.Quad], directory: Path) -> dict[str, str]:
    """Write the named graphs (as TriG) and their union into ``directory``; return checksums."""
    triples = union_triples(quads)
    contents = {
        f"{DUMP_NAME}.nt": sorted_ntriples(triples),
        f"{DUMP_NAME}.ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES),
        f"{DUMP_NAME}.jsonld": ox.serialize(triples, format=ox.RdfFormat.JSON_LD),
        f"{DUMP_NAME}.trig": ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES),
    }
    checksums = {}
    for name, content in contents.items():
        (directory / name).write_bytes(content or b"")
        checksums[name] = hashlib.sha256(content or b"").hexdigest()
    return checksums
