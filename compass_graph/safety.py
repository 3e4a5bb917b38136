"""Read a user's SPARQL query before it runs, and refuse what a read-only open endpoint must not do.

The query is parsed and its algebra walked (never matched with a regex): updates are refused,
``SERVICE`` is refused (it would make the server fetch from elsewhere), and ``FROM``/``FROM NAMED``
may only name graphs this dataset holds.
"""

import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from compass_graph.errors import (
    ExternalDataNotAllowed,
    MalformedQuery,
    QueryTooLarge,
    UpdateNotAllowed,
)

_PARSER_LOCK = threading.Lock()


def _nodes(node: Any) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _nodes(value)


def parse(query: str) -> Any:
    """Parse a query into its algebra; updates and syntax errors raise with the parser's message."""
    try:
        return translateQuery(parseQuery(query))
    except ParseException as error:
        if _is_update(query):
            raise UpdateNotAllowed(
                "this endpoint is read-only: SPARQL updates are not accepted"
            ) from error
        raise MalformedQuery(f"the query does not parse: {error}") from error
    except RecursionError as error:
        raise MalformedQuery("the query is nested too deeply to parse") from error
    except Exception as error:
        raise MalformedQuery(f"the query cannot be read: {error}") from error


def _is_update(query: str) -> bool:
    try:
        parseUpdate(query)
    except Exception:
        return False
    return True


@dataclass(frozen=True)
class QueryDataset:
    """The graphs a query names itself with FROM and FROM NAMED."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """Say whether the query names any graph."""
        return bool(self.default or self.named)


@lru_cache(maxsize=2048)
def inspect(query: str) -> tuple[tuple[str, ...], QueryDataset]:
    """Return the SERVICE endpoints and the dataset a query names, reading it once per text."""
    with _PARSER_LOCK:  # rdflib's parser keeps state: one parse at a time
        algebra = parse(query).algebra
    services = tuple(str(n.get("term")) for n in _nodes(algebra) if n.name == "ServiceGraphPattern")
    default: list[str] = []
    named: list[str] = []
    for clause in algebra.get("datasetClause") or ():
        if "default" in clause:
            default.append(str(clause["default"]))
        else:
            named.append(str(clause["named"]))
    return services, QueryDataset(tuple(default), tuple(named))


def check(query: str, local_graphs: Collection[str], max_length: int = 20_000) -> QueryDataset:
    """Refuse what must not run; return the dataset the query names itself."""
    if len(query) > max_length:
        raise QueryTooLarge(f"the query is {len(query)} characters long; the limit is {max_length}")
    if not query.strip():
        raise MalformedQuery("the query is empty")
    services, dataset = inspect(query)
    for service in services:
        raise ExternalDataNotAllowed(
            f"SERVICE <{service}> would fetch data from elsewhere; not allowed here"
        )
    for graph in (*dataset.default, *dataset.named):
        if graph not in local_graphs:
            raise ExternalDataNotAllowed(
                f"FROM <{graph}> names a graph this dataset does not hold (see /sparql)"
            )
    return dataset
