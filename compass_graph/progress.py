"""What is next for a neighbourhood: the knooppunten it can take now, whom to involve, what waits.

Progress comes from a story in the graph (its progress records) or from a user's file of passed
knooppunten (CSV with a ``code`` column, or Turtle with ``wk:ProgressRecord``s). In a residents-led
neighbourhood the residents' initiative leads where the municipality would otherwise, and the
municipality takes part to facilitate. Progress that skips a requirement is reported.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from compass_graph.errors import QueryParameterError
from compass_graph.involvement import ROLES

MUNICIPALITY = "gemeente"
RESIDENTS_INITIATIVE = "bewonersinitiatief"
RESIDENTS_LED = "residents-led"
WK = "https://w3id.org/wijkkompas/def/"

# A place's regie model and the codes of the knooppunten it passed: wk:hasPassed is derived by the
# build from the progress records with status passed, and is read far faster than the records.
PLACE_PROGRESS = """
  OPTIONAL {
    ?place wk:regieModel ?regieIri . BIND (STRAFTER(STR(?regieIri), "/def/regie/") AS ?regie)
  }
  OPTIONAL { ?place wk:hasPassed/wk:code ?code }
"""
# The progress of each place of ?story, or of the one ?place.
STORY_PROGRESS_QUERY = (
    f"SELECT ?place ?code ?regie WHERE {{ ?story wk:place ?place . {PLACE_PROGRESS} }}"
)
PLACE_PROGRESS_QUERY = (
    "SELECT ?place ?code ?regie "
    f"WHERE {{ ?place a/rdfs:subClassOf* wk:Neighbourhood . {PLACE_PROGRESS} }}"
)


@dataclass(frozen=True)
class Involve:
    """Whom to involve in a knooppunt, in which role, and whether the regie model changed it."""

    stakeholder: str
    role: str
    adjusted: bool = False


@dataclass(frozen=True)
class Step:
    """A knooppunt the neighbourhood can take now."""

    code: str
    phase: int
    title: dict[str, str]
    involve: list[Involve]


@dataclass(frozen=True)
class Waiting:
    """A knooppunt that cannot be taken yet, or was passed too early, and what it waits for."""

    code: str
    phase: int
    missing: list[str]


@dataclass(frozen=True)
class NextReport:
    """Where a neighbourhood stands and what comes next."""

    passed: list[str]
    regie: str | None
    frontier: list[Step]
    blocked: list[Waiting]
    skipped: list[Waiting]


def read_progress(text: str, digraph: nx.DiGraph, turtle: bool = False) -> set[str]:
    """Read passed knooppunten from CSV (a ``code`` column) or Turtle; unknown codes raise."""
    codes = _turtle_codes(text, digraph) if turtle else _csv_codes(text)
    unknown = sorted(codes - set(digraph))
    if unknown:
        raise QueryParameterError(f"the progress names unknown knooppunten: {', '.join(unknown)}")
    return codes


def _csv_codes(text: str) -> set[str]:
    if not text.strip():
        return set()
    reader = csv.DictReader(io.StringIO(text))
    if "code" not in (reader.fieldnames or []):
        raise QueryParameterError(
            "a progress table needs a 'code' column (and optionally 'status')"
        )
    return {
        row["code"].strip()
        for row in reader
        if row.get("status", "passed").strip() in ("", "passed")
    }


def _turtle_codes(text: str, digraph: nx.DiGraph) -> set[str]:
    by_iri = {data["iri"]: code for code, data in digraph.nodes(data=True)}
    try:
        quads = list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise QueryParameterError(f"the progress file is not valid Turtle: {error}") from error
    passed_records = {
        q.subject
        for q in quads
        if q.predicate.value == WK + "status" and q.object.value.endswith("/passed")
    }
    iris = {
        q.object.value
        for q in quads
        if q.predicate.value == WK + "knooppunt" and q.subject in passed_records
    }
    return {by_iri.get(iri, iri.rsplit("/", 1)[-1]) for iri in iris}


def story_progress(rows: Iterable[Mapping[str, str]]) -> dict[str, tuple[set[str], str | None]]:
    """Group the rows of STORY_PROGRESS_QUERY or PLACE_PROGRESS_QUERY into passed codes and regie
    model per place."""
    places: dict[str, tuple[set[str], str | None]] = {}
    for row in rows:
        passed, _ = places.setdefault(row["place"], (set(), row.get("regie")))
        if "code" in row:
            passed.add(row["code"])
    return places


def involve(rows: Iterable[Mapping[str, str]], code: str, regie: str | None) -> list[Involve]:
    """Whom to involve in ``code``, adjusted to the regie model."""
    given = [Involve(row["stakeholder"], row["role"]) for row in rows if row["code"] == code]
    if regie != RESIDENTS_LED:
        return sorted(given, key=_rank)
    adjusted = []
    for item in given:
        if item.stakeholder == MUNICIPALITY and item.role == "leads":
            adjusted.append(Involve(MUNICIPALITY, "takes-part", adjusted=True))
            adjusted.append(Involve(RESIDENTS_INITIATIVE, "leads", adjusted=True))
        else:
            adjusted.append(item)
    return sorted(set(adjusted), key=_rank)


def _rank(item: Involve) -> tuple[int, str]:
    return (ROLES.index(item.role) if item.role in ROLES else len(ROLES), item.stakeholder)


def next_steps(
    digraph: nx.DiGraph,
    passed: set[str],
    involvements: Sequence[Mapping[str, str]],
    regie: str | None,
) -> NextReport:
    """The frontier (requirements all met), what is blocked and by what, and skipped steps."""
    frontier, blocked, skipped = [], [], []
    for code in sorted(digraph, key=lambda c: (digraph.nodes[c]["phase"], c)):
        node = digraph.nodes[code]
        missing = sorted(set(digraph.predecessors(code)) - passed)
        if code in passed:
            if missing:
                skipped.append(Waiting(code, node["phase"], missing))
        elif missing:
            blocked.append(Waiting(code, node["phase"], missing))
        else:
            frontier.append(
                Step(code, node["phase"], dict(node["title"]), involve(involvements, code, regie))
            )
    return NextReport(sorted(passed), regie, frontier, blocked, skipped)
