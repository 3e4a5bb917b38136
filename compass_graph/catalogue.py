"""Import a knooppunten catalogue from a plain table (CSV), and export ours to one.

This is how a holder of the official Wijkkompas catalogue loads it: one row per knooppunt. The
Turtle is written with every value escaped, then checked against the same SHACL shapes as data/;
any fault is reported by row number and nothing is written.
"""

import csv
import datetime
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from rdflib import Graph, Literal, Node
from rdflib.namespace import RDF, RDFS, XSD

from compass_graph import paths
from compass_graph.dependencies import dependency_graph, find_cycle
from compass_graph.errors import CatalogueError, LoadError
from compass_graph.loader import load_files
from compass_graph.namespaces import WK
from compass_graph.prefixes import DEFAULT_BASE
from compass_graph.validate import validate

REQUIRED_COLUMNS = (
    "code",
    "title_nl",
    "title_en",
    "goal_nl",
    "goal_en",
    "approach_nl",
    "approach_en",
    "phase",
    "sporen",
    "stakeholders",
    "requires",
)
OPTIONAL_COLUMNS = ("tips_nl", "tips_en")
REFERENCE_FILES = ("process.ttl", "stakeholders.ttl", "sources.ttl")
LIST_SEPARATOR = ";"
TIP_SEPARATOR = " | "


@dataclass(frozen=True)
class CatalogueRow:
    """One knooppunt as read from the table; ``line`` is its line in the CSV file."""

    line: int
    cells: dict[str, str]

    @property
    def code(self) -> str:
        """Return the knooppunt's code."""
        return self.cells["code"].strip()

    def items(self, column: str) -> list[str]:
        """Return the non-empty items of a list column."""
        return [
            item.strip()
            for item in self.cells.get(column, "").split(LIST_SEPARATOR)
            if item.strip()
        ]

    def stakeholders(self) -> list[tuple[str, str]]:
        """Return the (stakeholder type, role) pairs of the row."""
        pairs = []
        for item in self.items("stakeholders"):
            stakeholder, _, role = item.partition(":")
            pairs.append((stakeholder.strip(), role.strip()))
        return pairs


def read_catalogue(text: str) -> list[CatalogueRow]:
    """Parse the table; raise CatalogueError naming every row that cannot be read."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise CatalogueError(f"the table lacks the column(s): {', '.join(missing)}")
    rows = [
        CatalogueRow(reader.line_num, {k: v or "" for k, v in row.items() if k}) for row in reader
    ]
    problems = [problem for row in rows for problem in _row_problems(row)]
    codes = [row.code for row in rows]
    problems += [
        f"row {row.line}: code {row.code} appears more than once"
        for row in rows
        if codes.count(row.code) > 1
    ]
    if not rows:
        problems.append("the table has no rows")
    if problems:
        raise CatalogueError("the catalogue has bad rows:\n  " + "\n  ".join(problems))
    return rows


def _row_problems(row: CatalogueRow) -> Iterable[str]:
    for column in (*REQUIRED_COLUMNS[:7], "phase", "sporen", "stakeholders"):
        if not row.cells.get(column, "").strip():
            yield f"row {row.line}: {column} is empty"
    for stakeholder, role in row.stakeholders():
        if not stakeholder or not role:
            yield f"row {row.line}: write stakeholders as type:role, e.g. gemeente:leads"


def catalogue_turtle(
    rows: list[CatalogueRow], source: str, title: str, url: str | None, date: str | None
) -> str:
    """Write the rows as Turtle with IRIs relative to the base, every value escaped."""
    lines = [
        "# Knooppunten imported with `compass-graph import-catalogue`.",
        "@prefix wk: <https://w3id.org/wijkkompas/def/> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix schema: <https://schema.org/> .",
        "",
        f"<id/source/{quote(source, safe='')}> a wk:SourceDocument ;",
        f"    dcterms:title {_text(title)} ;",
        f"    rdfs:label {_text(title, 'nl')}, {_text(title, 'en')}"
        + (f" ;\n    schema:url {Literal(url, datatype=XSD.anyURI).n3()}" if url else "")
        + (f" ;\n    dcterms:date {_date(date)}" if date else "")
        + " .",
    ]
    for row in rows:
        lines += ["", *_knooppunt(row, source)]
    return "\n".join(lines) + "\n"


def _knooppunt(row: CatalogueRow, source: str) -> list[str]:
    node = _iri("knooppunt", row.code)
    cited = _iri("source", source)
    statements = [
        f"{node} a wk:Knooppunt ;",
        f"    wk:code {_text(row.code)} ;",
        "    wk:catalogueStatus <https://w3id.org/wijkkompas/def/catalogue-status/official> ;",
        f"    wk:phase {_iri('phase', row.cells['phase'].strip())} ;",
        f"    wk:spoor {', '.join(_iri('spoor', spoor) for spoor in row.items('sporen'))} ;",
    ]
    for prop, column in (("rdfs:label", "title"), ("wk:goal", "goal"), ("wk:approach", "approach")):
        values = (_text(row.cells[f"{column}_{lang}"].strip(), lang) for lang in ("nl", "en"))
        statements.append(f"    {prop} {', '.join(values)} ;")
    for lang in ("nl", "en"):
        tips = [tip.strip() for tip in row.cells.get(f"tips_{lang}", "").split(TIP_SEPARATOR)]
        statements += [f"    wk:tip {_text(tip, lang)} ;" for tip in tips if tip]
    involvements = [_iri("involvement", f"{row.code}-{who}") for who, _ in row.stakeholders()]
    statements.append(f"    wk:involvement {', '.join(involvements)} ;")
    statements.append(f"    dcterms:source {cited} .")
    for (who, role), involvement in zip(row.stakeholders(), involvements, strict=True):
        statements.append(
            f"{involvement} a wk:Involvement ; wk:stakeholderType {_iri('stakeholder-type', who)} ;"
            f" wk:role <https://w3id.org/wijkkompas/def/role/{quote(role, safe='')}> ."
        )
    for prerequisite in row.items("requires"):
        statements.append(
            f"{_iri('dependency', f'{row.code}-{prerequisite}')} a wk:Dependency ;"
            f" wk:dependent {node} ; wk:prerequisite {_iri('knooppunt', prerequisite)} ;\n"
            f"    wk:rationale {_text('Raakvlak volgens de catalogus.', 'nl')},"
            f" {_text('Dependency as listed in the catalogue.', 'en')} ;"
            f" dcterms:source {cited} ."
        )
    return statements


def _path(kind: str, reference: str) -> str:
    return f"id/{kind}/{quote(reference, safe='')}"


def _iri(kind: str, reference: str) -> str:
    return f"<{_path(kind, reference)}>"


def _text(value: str, lang: str | None = None) -> str:
    return Literal(value, lang=lang).n3()


def _date(value: str) -> str:
    try:
        return Literal(datetime.date.fromisoformat(value)).n3()
    except ValueError as error:
        raise CatalogueError(f"the catalogue date must be YYYY-MM-DD, not {value!r}") from error


def import_catalogue(
    table: Path,
    out: Path,
    *,
    title: str,
    url: str | None = None,
    date: str | None = None,
    data_dir: Path = paths.DATA_DIR,
) -> int:
    """Convert ``table`` into Turtle at ``out``, checked against the shapes; return the count."""
    try:
        text = table.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"cannot read the table: {error}", file=table) from error
    rows = read_catalogue(text)
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    staging.write_text(catalogue_turtle(rows, f"catalogue-{table.stem}", title, url, date), "utf-8")
    try:
        _check(rows, staging, data_dir)
        staging.replace(out)
    finally:
        staging.unlink(missing_ok=True)
    return len(rows)


def _check(rows: list[CatalogueRow], turtle: Path, data_dir: Path) -> None:
    try:
        data = load_files([*(data_dir / name for name in REFERENCE_FILES), turtle], DEFAULT_BASE)
    except LoadError as error:
        raise CatalogueError(f"the generated Turtle does not parse: {error.message}") from error
    row_of = _rows_by_iri(rows)
    violations = sorted(validate(data).violations, key=lambda v: row_of.get(v.focus_node, 0))
    problems = [f"row {row_of.get(v.focus_node, '?')}: {v.described()}" for v in violations]
    cycle = find_cycle(dependency_graph(data.store))
    if cycle:
        problems.append("the requires column forms a cycle: " + " -> ".join(cycle))
    if problems:
        raise CatalogueError("the catalogue has bad rows:\n  " + "\n  ".join(problems))


def _rows_by_iri(rows: list[CatalogueRow]) -> dict[str, int]:
    row_of: dict[str, int] = {}
    for row in rows:
        things = [("knooppunt", row.code)]
        things += [("involvement", f"{row.code}-{who}") for who, _ in row.stakeholders()]
        things += [("dependency", f"{row.code}-{required}") for required in row.items("requires")]
        row_of.update({DEFAULT_BASE + _path(kind, ref): row.line for kind, ref in things})
    return row_of


def export_catalogue(graph: Graph) -> str:
    """Write the knooppunten of ``graph`` as a catalogue table that import-catalogue reads back."""
    output = io.StringIO()
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    writer = csv.DictWriter(output, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    rows = [_export_row(graph, node) for node in graph.subjects(RDF.type, WK.Knooppunt)]
    writer.writerows(sorted(rows, key=lambda row: row["code"]))
    return output.getvalue()


def _export_row(graph: Graph, node: Node) -> dict[str, str]:
    involvements = [
        f"{_local(graph.value(i, WK.stakeholderType))}:{_local(graph.value(i, WK.role))}"
        for i in graph.objects(node, WK.involvement)
    ]
    required = [
        graph.value(graph.value(d, WK.prerequisite), WK.code)
        for d in graph.subjects(WK.dependent, node)
    ]
    cells = {
        "code": str(graph.value(node, WK.code)),
        "phase": str(graph.value(graph.value(node, WK.phase), WK.order)),
        "sporen": _joined(graph.value(spoor, WK.letter) for spoor in graph.objects(node, WK.spoor)),
        "stakeholders": _joined(involvements),
        "requires": _joined(required),
    }
    for column, prop in (
        ("title", RDFS.label),
        ("goal", WK.goal),
        ("approach", WK.approach),
        ("tips", WK.tip),
    ):
        for lang in ("nl", "en"):
            texts = sorted(
                str(v) for v in graph.objects(node, prop) if getattr(v, "language", None) == lang
            )
            cells[f"{column}_{lang}"] = TIP_SEPARATOR.join(texts)
    return cells


def _local(node: Node | None) -> str:
    return unquote(str(node).rstrip("/").rsplit("/", 1)[-1])


def _joined(items: Iterable[object]) -> str:
    return LIST_SEPARATOR.join(sorted(str(item) for item in items))
