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

ANSWERS_FILE = "answers.json"


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
) -> bytes:
    """Answer every settled call of the canned queries; return the answers as JSON."""
    embedded = EmbeddedStore(store, f"{base}sparql")
    answers: dict[str, Any] = {}
    for query in queries.values():
        for values in settled_calls(query):
            result = embedded.execute(QueryRequest(query.bind(values, base), (), (), row_cap))
            answers[answer_key(query, values)] = {
                "kind": result.kind,
                "body": result.body.decode("utf-8"),
                "rows": result.rows,
                "truncated": result.truncated,
            }
    return json.dumps({"row_cap": row_cap, "answers": answers}, sort_keys=True).encode() + b"\n"


def read_answers(build_dir: Path, row_cap: int) -> dict[str, Result]:
    """Read the answers a build wrote, if it wrote them for this row cap."""
    path = build_dir / ANSWERS_FILE
    if not path.is_file():
        return {}
    written = json.loads(path.read_text(encoding="utf-8"))
    if written.get("row_cap") != row_cap:
        return {}
    return {
        key: Result(
            answer["kind"], answer["body"].encode("utf-8"), answer["rows"], answer["truncated"]
        )
        for key, answer in written["answers"].items()
    }
