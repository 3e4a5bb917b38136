"""Media types, content negotiation, and the conversion of query results between formats.

Results travel inside compass-graph in two canonical forms: SPARQL JSON for SELECT and ASK, and
N-Triples for CONSTRUCT and DESCRIBE. ``render`` turns either into the format a client asked for.
"""

import json
from dataclasses import dataclass

import pyoxigraph as ox

from compass_graph.prefixes import PREFIXES

SOLUTION_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

# Short names for ``?format=`` and the command line.
FORMAT_NAMES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

CANONICAL_SOLUTIONS = "application/sparql-results+json"
CANONICAL_GRAPH = "application/n-triples"


@dataclass(frozen=True)
class Result:
    """A query's answer in its canonical form, and whether the row cap cut it short."""

    kind: str  # "solutions", "boolean" or "graph"
    body: bytes
    rows: int = 0
    truncated: bool = False

    @property
    def offers(self) -> list[str]:
        """Return the media types this result can be rendered in, preferred first."""
        return list(GRAPH_FORMATS if self.kind == "graph" else SOLUTION_FORMATS)


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> bool:
        """Say whether this range covers ``media_type``."""
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        """Return 0 for */*, 1 for type/*, 2 for a full type."""
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header into media ranges; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        ranges.append(MediaRange(kind, sub, _quality(parameters)))
    return ranges


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def rating(matching: list[MediaRange]) -> float:
    """Rate an offer by the ranges that cover it: the most specific ones decide, and of those
    (a header may name the same range twice) the best."""
    if not matching:
        return 0.0
    top = max(r.specificity for r in matching)
    return max(r.q for r in matching if r.specificity == top)


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """Pick the offer the client prefers most (ties go to the earlier offer), or None."""
    ranges = parse_accept(header)
    best: tuple[float, int] = (0.0, 0)
    chosen = None
    for position, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        quality = rating(matching)
        score = (quality, -position)
        if quality > 0 and (chosen is None or score > best):
            best, chosen = score, offer
    return chosen


def render(result: Result, media_type: str) -> bytes:
    """Convert a canonical result into ``media_type``."""
    if media_type in (CANONICAL_SOLUTIONS, CANONICAL_GRAPH) or (
        media_type == "application/json" and result.kind != "graph"
    ):
        return result.body
    if result.kind == "graph":
        triples = ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)
        return ox.serialize(triples, format=GRAPH_FORMATS[media_type], prefixes=PREFIXES) or b""
    parsed = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=SOLUTION_FORMATS[media_type]) or b""


def content_type(media_type: str) -> str:
    """Return the Content-Type header value for a media type, with its charset where textual."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def plain_rows(result: Result) -> list[dict[str, str]]:
    """Return the rows of a SELECT answer as plain {variable: value} mappings."""
    body = json.loads(result.body)
    return [
        {name: term["value"] for name, term in binding.items()}
        for binding in body["results"]["bindings"]
    ]


def format_table(rows: list[dict[str, str]], width: int = 60) -> str:
    """Render plain rows as an aligned text table, cutting long cells."""
    if not rows:
        return "(no rows)"
    columns = list(dict.fromkeys(name for row in rows for name in row))
    cells = [[_cut(row.get(column, ""), width) for column in columns] for row in rows]
    widths = [
        max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)
    ]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    return "\n".join(line.rstrip() for line in lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
