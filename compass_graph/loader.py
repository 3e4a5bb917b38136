"""Read the ontology and the Turtle files of data/ into an in-memory Oxigraph store, one named graph
per file.

Only Turtle is read: RDF/XML and JSON-LD are refused, since entity expansion and remote contexts
are known ways to attack a parser. Relative IRIs in the files resolve against the configured base.
Oxigraph parses a national dataset (millions of triples) in seconds, where rdflib takes minutes.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox
from rdflib import Graph

from compass_graph import paths
from compass_graph.errors import LoadError
from compass_graph.meter import Meter
from compass_graph.namespaces import graph_iri
from compass_graph.prefixes import DEFAULT_BASE
from compass_graph.terms import to_rdflib

REFUSED_SUFFIXES = {".rdf", ".owl", ".xml", ".jsonld", ".json", ".nt", ".nq", ".trig", ".n3"}
ONTOLOGY_GRAPH = "ontology"
PREFIX_DIRECTIVE = re.compile(
    r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>]*)>", re.MULTILINE | re.I
)


@dataclass
class SourceFile:
    """One Turtle file as loaded: where it is, its named graph, and the base it resolves against."""

    path: Path
    graph_iri: str
    base: str

    @cached_property
    def text(self) -> str:
        """The file's text, read when a report first needs it."""
        return self.path.read_text(encoding="utf-8")

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """The prefixes the file declares, with their namespaces resolved against the base."""
        return {m[1] or "": urljoin(self.base, m[2]) for m in PREFIX_DIRECTIVE.finditer(self.text)}

    @cached_property
    def subject_lines(self) -> dict[str, int]:
        """Map each subject IRI written at the start of a line to that line's number.

        Worked out on demand, when a report has to say where something is.
        """
        prefixes = self.prefixes
        lines: dict[str, int] = {}
        for number, line in enumerate(self.text.splitlines(), start=1):
            if not line or line[0] in " \t#@[" or line.upper().startswith(("PREFIX", "BASE")):
                continue
            subject = _expand(line.split(maxsplit=1)[0], prefixes, self.base)
            if subject is not None and subject not in lines:
                lines[subject] = number
        return lines


def _expand(token: str, prefixes: dict[str, str], base: str) -> str | None:
    if token.startswith("<") and token.endswith(">"):
        return urljoin(base, token[1:-1])
    prefix, colon, local = token.partition(":")
    if colon and prefix in prefixes:
        return prefixes[prefix] + local.replace("\\", "")
    return None


@dataclass
class LoadedData:
    """The loaded dataset, in an in-memory Oxigraph store, and the files it came from."""

    store: ox.Store
    files: list[SourceFile]
    base: str

    def locate(self, node: object) -> tuple[Path | None, int | None]:
        """Return the file and line where ``node`` is described, or (None, None)."""
        iri = str(node)
        for source in self.files:
            if iri in source.subject_lines:
                return source.path, source.subject_lines[iri]
        return None, None

    @property
    def graphs(self) -> list[ox.NamedNode]:
        """The named graphs of the files, as loaded: what validation looks at."""
        return [ox.NamedNode(source.graph_iri) for source in self.files]

    def prefixes(self) -> dict[str, str]:
        """The prefixes the files declare; read from the files, so only asked for in reports."""
        return {p: n for source in self.files for p, n in source.prefixes.items() if p}

    def union_graph(self) -> Graph:
        """Return every triple of the named graphs in one rdflib graph, for rdflib-based tools.

        Costly at national scale: the build itself never needs it.
        """
        union = Graph()
        for graph in self.graphs:
            for quad in self.store.quads_for_pattern(None, None, None, graph):
                triple = (quad.subject, quad.predicate, quad.object)
                union.add(tuple(to_rdflib(term) for term in triple))  # type: ignore[arg-type]
        return union


def data_files(data_dir: Path) -> list[Path]:
    """List the Turtle files of ``data_dir``; refuse any other RDF format found there."""
    if not data_dir.is_dir():
        raise LoadError("the data folder does not exist", file=data_dir)
    for path in sorted(data_dir.iterdir()):
        if path.suffix.lower() in REFUSED_SUFFIXES:
            raise LoadError(
                f"only Turtle (.ttl) is accepted in the data folder, not {path.suffix} files",
                file=path,
            )
    files = sorted(data_dir.glob("*.ttl"))
    if not files:
        raise LoadError("the data folder holds no Turtle (.ttl) files", file=data_dir)
    return files


def read_turtle(path: Path) -> bytes:
    """Return the bytes of a Turtle file; refuse one that starts with a byte order mark."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror}", file=path) from error
    if content.startswith(b"\xef\xbb\xbf"):
        bom = "the file starts with a byte order mark; save it as UTF-8 without one"
        raise LoadError(bom, file=path, line=1)
    return content


def parse_into(store: ox.Store, source: SourceFile, content: bytes) -> None:
    """Parse the Turtle ``content`` of ``source`` into its graph of ``store``, with errors that
    name the file and line.

    A file that fails may leave part of itself in the store: a failed load is thrown away whole.
    """
    graph = ox.NamedNode(source.graph_iri)
    try:
        store.load(content, format=ox.RdfFormat.TURTLE, base_iri=source.base, to_graph=graph)
    except SyntaxError as error:
        message = error.msg or str(error)
        if "Invalid UTF-8" in message:
            raise LoadError(
                "the file is not valid UTF-8", file=source.path, line=error.lineno
            ) from error
        raise LoadError(
            f"Turtle syntax error: {message}", file=source.path, line=error.lineno
        ) from error
    if next(store.quads_for_pattern(None, None, None, graph), None) is None:
        raise LoadError("the file is empty: it holds no triples", file=source.path)


Parsed = Callable[[SourceFile, bytes], object]


def load(
    data_dir: Path = paths.DATA_DIR, base: str = DEFAULT_BASE, parsed: Parsed | None = None
) -> LoadedData:
    """Load the ontology and every Turtle file of ``data_dir`` into a fresh store."""
    return load_files(data_files(data_dir), base, parsed)


def source_files(paths_: Iterable[Path], base: str = DEFAULT_BASE) -> list[SourceFile]:
    """The ontology and the given Turtle files, each with the named graph it is loaded into."""
    named = [(paths.ONTOLOGY_FILE, ONTOLOGY_GRAPH), *((path, path.stem) for path in paths_)]
    return [SourceFile(path, str(graph_iri(base, name)), base) for path, name in named]


def load_files(
    paths_: Iterable[Path], base: str = DEFAULT_BASE, parsed: Parsed | None = None
) -> LoadedData:
    """Load the ontology and the given Turtle files, as ``load`` does for a folder.

    Each file is read once; ``parsed``, if given, is called with each file and the very bytes that
    were parsed (the build writes them into the served store meanwhile), after they parsed.
    """
    files = source_files(paths_, base)
    store = ox.Store()
    with Meter("files parsed", len(files)) as meter:
        for source in files:
            content = read_turtle(source.path)
            parse_into(store, source, content)
            if parsed is not None:
                parsed(source, content)
            meter.advance()
    return LoadedData(store, files, base)
