"""Read the ontology and the Turtle files of data/ into a fresh dataset, one named graph per file.

Only Turtle is read: RDF/XML and JSON-LD are refused, since entity expansion and remote contexts
are known ways to attack a parser. Relative IRIs in the files resolve against the configured base.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from compass_graph import paths
from compass_graph.errors import LoadError
from compass_graph.namespaces import DEFAULT_BASE, graph_iri

REFUSED_SUFFIXES = {".rdf", ".owl", ".xml", ".jsonld", ".json", ".nt", ".nq", ".trig", ".n3"}
ONTOLOGY_GRAPH = "ontology"


@dataclass
class SourceFile:
    """One Turtle file as loaded: where it is, its named graph, and where each subject starts."""

    path: Path
    graph_iri: URIRef
    subject_lines: dict[URIRef, int] = field(default_factory=dict)


@dataclass
class LoadedData:
    """The loaded dataset and the files it came from."""

    dataset: Dataset
    files: list[SourceFile]
    base: str

    def locate(self, node: object) -> tuple[Path | None, int | None]:
        """Return the file and line where ``node`` is described, or (None, None)."""
        for source in self.files:
            if node in source.subject_lines:
                return source.path, source.subject_lines[node]  # type: ignore[index]
        return None, None


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


def parse_turtle(path: Path, base: str = DEFAULT_BASE) -> Graph:
    """Parse one Turtle file into a new graph, with errors that name the file and line."""
    try:
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            raise LoadError("the file starts with a byte order mark; save it as UTF-8 without one",
                            file=path, line=1)  # fmt: skip
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LoadError("the file is not valid UTF-8", file=path, line=line) from error
    except OSError as error:
        raise LoadError(f"cannot read the file: {error.strerror}", file=path) from error
    if not text.strip():
        raise LoadError("the file is empty", file=path)
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as error:
        raise LoadError(
            f"Turtle syntax error: {error._why}", file=path, line=error.lines + 1
        ) from error
    return graph


def subject_lines(path: Path, graph: Graph) -> dict[URIRef, int]:
    """Map each subject written at the start of a line to that line's number."""
    lines: dict[URIRef, int] = {}
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line[0] in " \t#@" or line.upper().startswith(("PREFIX", "BASE")):
            continue
        subject = _expand(line.split(maxsplit=1)[0], graph)
        if subject is not None and subject not in lines:
            lines[subject] = number
    return lines


def _expand(token: str, graph: Graph) -> URIRef | None:
    if token.startswith("<") and token.endswith(">"):
        return URIRef(graph.absolutize(token[1:-1], defrag=0))
    try:
        return graph.namespace_manager.expand_curie(token)
    except ValueError:
        return None


def load(data_dir: Path = paths.DATA_DIR, base: str = DEFAULT_BASE) -> LoadedData:
    """Load the ontology and every Turtle file of ``data_dir`` into a fresh dataset."""
    return load_files(data_files(data_dir), base)


def load_files(paths_: Iterable[Path], base: str = DEFAULT_BASE) -> LoadedData:
    """Load the ontology and the given Turtle files, as ``load`` does for a folder."""
    dataset = Dataset()
    files = [_add(dataset, paths.ONTOLOGY_FILE, ONTOLOGY_GRAPH, base)]
    files += [_add(dataset, path, path.stem, base) for path in paths_]
    return LoadedData(dataset, files, base)


def _add(dataset: Dataset, path: Path, name: str, base: str) -> SourceFile:
    graph = parse_turtle(path, base)
    iri = graph_iri(base, name)
    named = dataset.graph(iri)
    for triple in graph:
        named.add(triple)
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, replace=False)
    return SourceFile(path, iri, subject_lines(path, graph))
