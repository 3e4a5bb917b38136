"""Answers the build computes ahead: every canned query that takes no id, for each value its
parameters allow (the language, mostly).

A national overview such as progress per phase per municipality reads thousands of rows; from
the on-disk store that takes half a second, from the answer written at build time a lookup. The
answers are computed on the data the build serves, through the same store code as a live query,
and are used only by a server with the same row cap.
"""

import itertools
import json
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from compass_graph.formats import Result
from compass_graph.queries import CannedQuery
from compass_graph.store import EmbeddedStore, QueryRequest

ANSWERS_FILE = "answers.json"  # which answers there are, and where each one's body is
BODIES_FILE = "answers.bodies"  # the bodies one after another, as a server sends them


def answer_key(query: CannedQuery, values: Mapping[str, Any]) -> str:
    """Name one call of a canned query: its name and every parameter's value, defaults filled."""
    given = {p.name: str(values.get(p.name, p.default)) for p in query.parameters}
    return f"{query.name}?{urllib.parse.urlencode(sorted(given.items()))}"


def answered_query(key: str) -> str:
    """Return the name of the canned query an ``answer_key`` names."""
    return key.partition("?")[0]


def settled_calls(query: CannedQuery) -> list[dict[str, str]]:
    """Every call of a query whose parameters all take one of a list of values; else none."""
    if any(not parameter.enum for parameter in query.parameters):
        return []
    names = [parameter.name for parameter in query.parameters]
    choices = [[str(value) for value in parameter.enum] for parameter in query.parameters]
    return [
        dict(zip(names, combination, strict=True)) for combination in itertools.product(*choices)
    ]


def compute_answers(
    store: ox.Store, queries: Mapping[str, CannedQuery], base: str, row_cap: int
) -> dict[str, bytes]:
    """Answer every settled call of the canned queries; return the files to write, by name.

    The bodies are kept apart from the index, as they are: a server that starts reads them in
    one piece, without decoding national overviews of thousands of rows from JSON strings.
    """
    embedded = EmbeddedStore(store, f"{base}sparql")
    index: dict[str, Any] = {}
    bodies: list[bytes] = []
    offset = 0
    for query in queries.values():
        for values in settled_calls(query):
            result = embedded.execute(QueryRequest(query.bind(values, base), (), (), row_cap))
            index[answer_key(query, values)] = {
                "kind": result.kind,
                "rows": result.rows,
                "truncated": result.truncated,
                "offset": offset,
                "length": len(result.body),
            }
            bodies.append(result.body)
            offset += len(result.body)
    listed = json.dumps({"row_cap": row_cap, "answers": index}, indent=1, sort_keys=True)
    return {ANSWERS_FILE: listed.encode() + b"\n", BODIES_FILE: b"".join(bodies)}


def read_answers(build_dir: Path, row_cap: int) -> dict[str, Result]:
    """Read the answers a build wrote, if it wrote them for this row cap."""
    index, bodies = build_dir / ANSWERS_FILE, build_dir / BODIES_FILE
    if not (index.is_file() and bodies.is_file()):
        return {}
    written = json.loads(index.read_text(encoding="utf-8"))
    if written.get("row_cap") != row_cap:
        return {}
    content = bodies.read_bytes()
    return {
        key: Result(
            answer["kind"],
            content[answer["offset"] : answer["offset"] + answer["length"]],
            answer["rows"],
            answer["truncated"],
        )
        for key, answer in written["answers"].items()
    }
