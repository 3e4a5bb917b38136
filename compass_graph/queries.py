"""The canned queries of ``queries/``: their headers, their typed parameters, and safe binding.

Each ``.rq`` file starts with a ``#+`` YAML header (grlc style) that declares a summary and a
description in English and Dutch, tags, and parameters. Parameter values are checked against their
declared type and bound as RDF terms, serialised by Oxigraph, in place of their variables
(``bind_terms``); a value never reaches the query text in any other way.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from compass_graph import paths
from compass_graph.errors import QueryDefinitionError, QueryNotFound, QueryParameterError
from compass_graph.prefixes import DEFAULT_BASE, PREFIXES

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Things addressed as {base}id/{kind}/{id}: a parameter of one of these types takes an id.
ID_KINDS = (
    "knooppunt", "phase", "spoor", "stakeholder-type", "story", "place",
    "organisation", "source", "lesson",
)  # fmt: skip
SCALAR_TYPES = ("integer", "string", "language", "thing")
THING_PATTERN = re.compile(r"^[a-z][a-z-]{0,39}/[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
# libyaml's safe loader where PyYAML was built with it: ten times faster, and a server reads every
# query's header as it starts.
SAFE_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a canned query."""

    name: str
    type: str
    description: str = ""
    default: Any = None
    enum: tuple[Any, ...] = ()
    example: Any = None

    @property
    def required(self) -> bool:
        """Say whether a value must be given."""
        return self.default is None

    def term(self, raw: Any, base: str) -> ox.NamedNode | ox.Literal:
        """Check a raw value against the declared type and return it as an RDF term."""
        value = str(raw)
        shown = repr(value if len(value) <= 60 else value[:60] + "...")
        if self.enum and value not in {str(allowed) for allowed in self.enum}:
            allowed = ", ".join(str(v) for v in self.enum)
            raise QueryParameterError(f"{self.name} must be one of {allowed}, not {shown}")
        if self.type == "integer":
            if not re.fullmatch(r"-?[0-9]{1,9}", value):
                raise QueryParameterError(f"{self.name} must be a whole number, not {shown}")
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
        if self.type == "language":
            if value not in ("nl", "en"):
                raise QueryParameterError(f"{self.name} must be nl or en, not {shown}")
            return ox.Literal(value)
        if self.type == "string":
            if len(value) > 200:
                raise QueryParameterError(f"{self.name} may be at most 200 characters long")
            return ox.Literal(value)
        if self.type == "thing":
            if not THING_PATTERN.fullmatch(value):
                raise QueryParameterError(
                    f"{self.name} must be a path under id/ such as knooppunt/R1.04, not {shown}"
                )
            return ox.NamedNode(f"{base}id/{value}")
        if not ID_PATTERN.fullmatch(value):
            raise QueryParameterError(
                f"{self.name} must be a {self.type} id: letters, digits, dots, hyphens, "
                f"underscores, not {shown}"
            )
        return ox.NamedNode(f"{base}id/{self.type}/{value}")


@dataclass(frozen=True)
class CannedQuery:
    """One query file: its name, what it answers, its parameters and its text."""

    name: str
    form: str
    summary: Mapping[str, str]
    description: Mapping[str, str]
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str
    path: Path = field(compare=False)

    def bind(self, values: Mapping[str, Any], base: str = DEFAULT_BASE) -> str:
        """Return the query text with the parameter values bound as RDF terms."""
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            raise QueryParameterError(
                f"{self.name} takes no parameter {', '.join(sorted(unknown))}"
            )
        terms = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name, parameter.default)
            if raw is None or str(raw).strip() == "":
                raise QueryParameterError(f"{self.name} needs the parameter {parameter.name}")
            terms[parameter.name] = parameter.term(raw, base)
        return with_base(bind_terms(self.text, terms), base)

    def bound_sparql(self, values: Mapping[str, Any], base: str = DEFAULT_BASE) -> str:
        """Return the query bound as ``bind`` does, without the ``#+`` lines of its header: the
        SPARQL to show in an editor or to carry in an address, where the header only adds length
        (the longest query would not fit the 4 kB request line of the production server)."""
        text = self.bind(values, base)
        return "\n".join(line for line in text.splitlines() if not line.startswith("#+"))

    def examples(self) -> dict[str, Any] | None:
        """Return example values for every parameter, or None when one has no example."""
        if any(parameter.example is None for parameter in self.parameters):
            return None
        return {parameter.name: parameter.example for parameter in self.parameters}

    def ids(self, values: Mapping[str, Any], base: str = DEFAULT_BASE) -> list[str]:
        """Return the IRIs the id parameters point to, so callers can check that they exist."""
        return [
            str(parameter.term(values.get(parameter.name, parameter.default), base).value)
            for parameter in self.parameters
            if parameter.type in (*ID_KINDS, "thing")
        ]


def prologue(prefixes: Mapping[str, str]) -> str:
    """Return PREFIX declarations for the given prefixes."""
    return "".join(f"PREFIX {name}: {ox.NamedNode(iri)}\n" for name, iri in prefixes.items())


def with_base(query: str, base: str) -> str:
    """Declare the dataset's base first, so relative IRIs in the query resolve as in the data."""
    return f"BASE {ox.NamedNode(base)}\n{query}"


def bind_terms(query: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Put each term in place of its variable: a constant in the patterns, and ``(term AS ?name)``
    where a SELECT clause projects the variable, so that the answer keeps its column.

    Stores plan a query around its constants; values that come from VALUES or BIND Oxigraph joins
    only after evaluating the rest, a hundred times slower on national data. The terms are RDF
    terms that Oxigraph serialises, never raw text.
    """
    if not terms:
        return query
    pieces = []
    for text, name, projected in _slots(query, frozenset(terms)):
        pieces.append(text)
        if name:
            pieces.append(f"({terms[name]} AS ?{name})" if projected else str(terms[name]))
    return "".join(pieces)


@lru_cache(maxsize=1024)
def _slots(query: str, names: frozenset[str]) -> tuple[tuple[str, str, bool], ...]:
    """Cut the query where the variables ``names`` stand: (text before, variable, projected),
    the last with no variable. A server binds the same few queries again and again: each query
    is read once."""
    where_brace(query)  # a query with parameters needs an explicit WHERE clause
    tokens = list(_code_tokens(query))
    code = "".join(char for _, char in tokens)
    projections = [
        (select.end(), re.compile(r"\{|\bWHERE\b", re.I).search(code, select.end()))
        for select in re.finditer(r"\bSELECT\b", code, re.I)
    ]
    slots, last = [], 0
    for match in re.finditer(r"(?<![\w?$])[?$]([A-Za-z_]\w*)", code):
        if match[1] not in names:
            continue
        start, end = tokens[match.start()][0], tokens[match.end() - 1][0] + 1
        projected = any(
            begin <= match.start() < (stop.start() if stop else len(code))
            and code[begin : match.start()].count("(") == code[begin : match.start()].count(")")
            for begin, stop in projections
        )
        slots.append((query[last:start], match[1], projected))
        last = end
    return (*slots, (query[last:], "", False))


def _code_tokens(query: str) -> Iterator[tuple[int, str]]:
    """Yield (position, character) of the query text outside comments, strings and IRIs."""
    index, length = 0, len(query)
    while index < length:
        char = query[index]
        if char == "#":
            index = query.find("\n", index)
            index = length if index < 0 else index
            continue
        if char in "\"'":
            quote = query[index : index + 3] if query[index : index + 3] in ('"""', "'''") else char
            end = index + len(quote)
            while end < length and not query.startswith(quote, end):
                end += 2 if query[end] == "\\" else 1
            index = end + len(quote)
            continue
        if char == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", query[index:]):
            index = query.index(">", index) + 1
            continue
        yield index, char
        index += 1


def where_brace(query: str) -> int:
    """Return the position of the ``{`` that opens the query's WHERE clause."""
    tokens = list(_code_tokens(query))
    code = "".join(char for _, char in tokens)
    match = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    if not match:
        raise QueryDefinitionError("a query with parameters needs an explicit WHERE clause")
    return tokens[match.end() - 1][0]


def query_form(query: str) -> str:
    """Return SELECT, CONSTRUCT, ASK or DESCRIBE: the first query-form keyword of the text."""
    code = "".join(char for _, char in _code_tokens(query))
    match = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", code, re.IGNORECASE)
    if not match:
        raise QueryDefinitionError("the file holds no SELECT, CONSTRUCT, ASK or DESCRIBE query")
    return match.group(1).upper()


def read_header(text: str, path: Path) -> dict[str, Any]:
    """Parse the ``#+`` YAML header of a query file; raise if it does not parse."""
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        raise QueryDefinitionError("the query file has no '#+' header", file=path)
    try:
        header = yaml.load(
            "\n".join(line[1:] if line.startswith(" ") else line for line in lines), SAFE_YAML
        )
    except yaml.YAMLError as error:
        raise QueryDefinitionError(
            f"the '#+' header is not valid YAML: {error}", file=path
        ) from error
    if not isinstance(header, dict):
        raise QueryDefinitionError("the '#+' header must be a YAML mapping", file=path)
    return header


def load_query(path: Path) -> CannedQuery:
    """Read one query file."""
    name = path.stem
    if not QUERY_NAME.match(name):
        raise QueryDefinitionError("query file names are lowercase words joined by _", file=path)
    text = path.read_text(encoding="utf-8")
    header = read_header(text, path)
    for key in ("summary", "summary_nl", "description", "description_nl"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise QueryDefinitionError(f"the header needs a text '{key}'", file=path)
    parameters = tuple(
        _parameter(name, spec, path) for name, spec in (header.get("params") or {}).items()
    )
    query = CannedQuery(
        name=name,
        form=query_form(text),
        summary={"en": header["summary"].strip(), "nl": header["summary_nl"].strip()},
        description={"en": header["description"].strip(), "nl": header["description_nl"].strip()},
        tags=tuple(str(tag) for tag in header.get("tags") or ()),
        parameters=parameters,
        text=text,
        path=path,
    )
    if parameters:
        where_brace(text)
    return query


def _parameter(name: str, spec: Any, path: Path) -> Parameter:
    if not isinstance(spec, dict) or not re.fullmatch(r"[a-z][a-z_]*", name):
        raise QueryDefinitionError(
            f"parameter {name!r} must be a mapping with a lowercase name", file=path
        )
    kind = spec.get("type")
    if kind not in SCALAR_TYPES + ID_KINDS:
        allowed = ", ".join(SCALAR_TYPES + ID_KINDS)
        raise QueryDefinitionError(
            f"parameter {name} has type {kind!r}; use one of {allowed}", file=path
        )
    return Parameter(
        name=name,
        type=kind,
        description=str(spec.get("description", "")),
        default=spec.get("default"),
        enum=tuple(spec.get("enum") or ()),
        example=spec.get("example", spec.get("default")),
    )


def load_queries(directory: Path = paths.QUERIES_DIR) -> dict[str, CannedQuery]:
    """Read every query file of ``directory``, by name."""
    return {path.stem: load_query(path) for path in sorted(directory.glob("*.rq"))}


def find(queries: Mapping[str, CannedQuery], name: str) -> CannedQuery:
    """Return the query called ``name`` or raise QueryNotFound."""
    if not QUERY_NAME.match(name) or name not in queries:
        raise QueryNotFound(f"there is no canned query called {name!r}; see /api/queries")
    return queries[name]


SH = "http://www.w3.org/ns/shacl#"
EXECUTABLE = {
    "SELECT": ("SPARQLSelectExecutable", "select"),
    "CONSTRUCT": ("SPARQLConstructExecutable", "construct"),
    "ASK": ("SPARQLAskExecutable", "ask"),
    "DESCRIBE": ("SPARQLDescribeExecutable", "describe"),
}


def catalogue_quads(
    queries: Mapping[str, CannedQuery], graph: str, base: str = DEFAULT_BASE
) -> Iterator[ox.Quad]:
    """Describe the canned queries as SHACL executables, as SIB's sparql-examples do."""
    target = ox.NamedNode(f"{base}sparql")
    in_graph = ox.NamedNode(graph)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
    keywords = ox.NamedNode("https://schema.org/keywords")
    for query in queries.values():
        node = ox.NamedNode(f"{base}id/query/{query.name}")
        kind, text_property = EXECUTABLE[query.form]
        statements: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (rdf_type, ox.NamedNode(SH + "SPARQLExecutable")),
            (rdf_type, ox.NamedNode(SH + kind)),
            (ox.NamedNode(SH + text_property), ox.Literal(with_base(query.text, base))),
            (ox.NamedNode("https://schema.org/target"), target),
        ]
        statements += [
            (label, ox.Literal(text, language=lang)) for lang, text in query.summary.items()
        ]
        statements += [
            (comment, ox.Literal(text, language=lang)) for lang, text in query.description.items()
        ]
        statements += [(keywords, ox.Literal(tag)) for tag in query.tags]
        for predicate, obj in statements:
            yield ox.Quad(node, predicate, obj, in_graph)
