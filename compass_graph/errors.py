"""The errors compass-graph raises, each pointing at what a person has to fix.

Every error carries the HTTP status it maps to and a short machine-readable code, so the web layer
turns any of them into one JSON shape: ``{"error": code, "message": ..., "status": status}``.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass
class CompassError(Exception):
    """Base of every compass-graph error."""

    message: str
    file: Path | None = None
    line: int | None = None
    status = 500
    code = "internal_error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file or "")
        return f"{where}: {self.message}" if where else self.message


class LoadError(CompassError):
    """A data file could not be read or parsed."""

    status = 400
    code = "unreadable_data"


@dataclass
class InvalidData(CompassError):
    """The data was read but breaks the rules: SHACL shapes or an acyclic dependency graph."""

    report_text: str = ""
    status = 422
    code = "invalid_data"

    def __str__(self) -> str:
        return f"{self.message}\n{self.report_text}" if self.report_text else self.message


class CatalogueError(CompassError):
    """A catalogue table has rows that cannot become knooppunten."""

    status = 400
    code = "bad_catalogue"


class MalformedQuery(CompassError):
    """The SPARQL query does not parse; the message is the parser's."""

    status = 400
    code = "malformed_query"


class UpdateNotAllowed(CompassError):
    """Someone tried to change the graph through a read-only endpoint."""

    status = 403
    code = "update_not_allowed"


class ExternalDataNotAllowed(CompassError):
    """The query asks for data from outside this dataset (SERVICE, or FROM another graph)."""

    status = 403
    code = "external_data_not_allowed"


class QueryNotFound(CompassError):
    """No canned query has that name."""

    status = 404
    code = "query_not_found"


class ResourceNotFound(CompassError):
    """No resource has that id."""

    status = 404
    code = "not_found"


class QueryParameterError(CompassError):
    """A parameter of a canned query is missing, of the wrong type, or not allowed."""

    status = 400
    code = "bad_parameter"


class QueryDefinitionError(CompassError):
    """A query file's header does not parse or declares something impossible."""

    status = 500
    code = "bad_query_definition"


class NotAcceptable(CompassError):
    """No format the client accepts fits the answer."""

    status = 406
    code = "not_acceptable"


class QueryTimeout(CompassError):
    """The query ran past the wall-clock limit and was stopped."""

    status = 503
    code = "query_timeout"


class StoreUnavailable(CompassError):
    """The store cannot be reached, or says it cannot answer now."""

    status = 503
    code = "store_unavailable"


class StoreBadAnswer(CompassError):
    """The remote store answered with an error or with something that is not a query answer."""

    status = 502
    code = "store_bad_answer"


class StoreTimeout(CompassError):
    """The remote store did not answer in time."""

    status = 504
    code = "store_timeout"


class UnsupportedMediaType(CompassError):
    """The request body is of a type the protocol does not allow here."""

    status = 415
    code = "unsupported_media_type"


class QueryTooLarge(CompassError):
    """The query text is longer than the endpoint accepts."""

    status = 413
    code = "query_too_large"
