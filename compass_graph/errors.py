"""The errors compass-graph raises, each pointing at what a person has to fix."""

from dataclasses import dataclass
from pathlib import Path


@dataclass
class CompassError(Exception):
    """Base of every compass-graph error; ``status`` is the HTTP status it maps to."""

    message: str
    file: Path | None = None
    line: int | None = None
    status = 500

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file or "")
        return f"{where}: {self.message}" if where else self.message


class LoadError(CompassError):
    """A data file could not be read or parsed."""

    status = 400


@dataclass
class InvalidData(CompassError):
    """The data was read but breaks the rules: SHACL shapes or an acyclic dependency graph."""

    report_text: str = ""
    status = 422

    def __str__(self) -> str:
        return f"{self.message}\n{self.report_text}" if self.report_text else self.message


class CatalogueError(CompassError):
    """A catalogue table has rows that cannot become knooppunten."""

    status = 400
