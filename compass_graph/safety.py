"""Read a user's SPARQL query before it runs, and refuse what a read-only open endpoint must not do.

Updates are refused, ``SERVICE`` is refused (it would make the server fetch from elsewhere), and
``FROM``/``FROM NAMED`` may only name graphs this dataset holds. In SPARQL 1.1 each of them is
written with a keyword, so a query whose text holds none of those words anywhere (nor a codepoint
escape that could spell one) can do none of them: for the embedded store it goes to Oxigraph,
whose own parser reports any syntax error. Every other query, and every query for a remote store
(whose SPARQL may have more: Virtuoso's ``DEFINE`` pragmas make it fetch IRIs), is parsed here and
its algebra walked (``compass_graph.query_algebra``), never matched with a regex.
"""

from collections.abc import Collection
from dataclasses import dataclass

from compass_graph.errors import ExternalDataNotAllowed, MalformedQuery, QueryTooLarge

# What SERVICE, FROM (NAMED) and every update operation cannot be written without; looked for
# as bare letters, in any case, even within longer words, strings, IRIs and comments.
TELLING_WORDS = (
    *("service", "from"),
    *("insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"),
)
# More brackets than this and a query is parsed here even without a telling word: Oxigraph's
# parser overflows its stack at a few thousand nested ones (rdflib's reports them as too deep).
FEW_BRACKETS = 256


@dataclass(frozen=True)
class QueryDataset:
    """The graphs a query names itself with FROM and FROM NAMED."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """Say whether the query names any graph."""
        return bool(self.default or self.named)


def plainly_local(query: str) -> bool:
    """Say whether the text of a query shows it can neither fetch, name graphs nor update."""
    letters = query.lower()
    return (
        "\\u" not in letters
        and not any(word in letters for word in TELLING_WORDS)
        and sum(letters.count(bracket) for bracket in "({[") <= FEW_BRACKETS
    )


def check(
    query: str, local_graphs: Collection[str], max_length: int = 20_000, *, by_text: bool = False
) -> QueryDataset:
    """Refuse what must not run; return the dataset the query names itself.

    ``by_text``: clear a query by its text alone where it can (see the module's docstring); only
    for a store whose parser knows no more than SPARQL 1.1 and Oxigraph's additions.
    """
    if len(query) > max_length:
        raise QueryTooLarge(f"the query is {len(query)} characters long; the limit is {max_length}")
    if not query.strip():
        raise MalformedQuery("the query is empty")
    if by_text and plainly_local(query):
        return QueryDataset()
    # Loaded on first need: most queries never need rdflib's parser (see the module's docstring).
    from compass_graph.query_algebra import inspect

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
