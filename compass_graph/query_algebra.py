"""Parse a user's SPARQL query with rdflib and read from its algebra what it names outside itself.

Loaded only for the queries ``compass_graph.safety`` cannot clear by their text alone: importing
rdflib's SPARQL parser takes a quarter of a second, and parsing a query with it 20 to 300 ms.
"""

import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from compass_graph.errors import MalformedQuery, UpdateNotAllowed
from compass_graph.safety import QueryDataset

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
