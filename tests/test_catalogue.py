"""import-catalogue: a table becomes Turtle that passes the shapes; bad rows are named."""

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from compass_graph import paths
from compass_graph.catalogue import REFERENCE_FILES, export_catalogue, import_catalogue
from compass_graph.errors import CatalogueError
from compass_graph.loader import load_files
from compass_graph.prefixes import PREFIXES

CATALOGUE_PART = """
CONSTRUCT { ?s ?p ?o } WHERE {
    { ?s a wk:Knooppunt ; ?p ?o .
      FILTER (?p IN (wk:code, rdfs:label, wk:goal, wk:approach, wk:tip,
                     wk:phase, wk:spoor, wk:involvement)) }
    UNION { ?s a wk:Involvement ; ?p ?o . FILTER (?p != rdf:type) }
    UNION { ?s a wk:Dependency ; ?p ?o . FILTER (?p IN (wk:dependent, wk:prerequisite)) }
}"""


def catalogue_part(graph: Graph) -> Graph:
    result = Graph()
    for triple in graph.query(CATALOGUE_PART, initNs=PREFIXES):
        result.add(triple)  # type: ignore[arg-type]
    return result


def imported(turtle: Path) -> Graph:
    references = [paths.DATA_DIR / name for name in REFERENCE_FILES]
    return load_files([*references, turtle]).union_graph()


def test_the_catalogue_survives_a_round_trip_through_a_table(graph: Graph, tmp_path: Path) -> None:
    table = tmp_path / "catalogue.csv"
    table.write_text(export_catalogue(graph), encoding="utf-8")
    out = tmp_path / "catalogue.ttl"
    count = import_catalogue(table, out, title="Testcatalogus")
    assert count == 48
    original, again = catalogue_part(graph), catalogue_part(imported(out))
    _, only_original, only_again = graph_diff(original, again)
    assert isomorphic(original, again), (sorted(only_original)[:3], sorted(only_again)[:3])


def rows_of(graph: Graph, codes: list[str]) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(export_catalogue(graph))))
    return [row for row in rows if row["code"] in codes]


def write_table(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_values_are_escaped_not_pasted(graph: Graph, tmp_path: Path) -> None:
    rows = rows_of(graph, ["R1.01"])
    rows[0]["title_en"] = 'Quotes " and > brackets ;\n and a new line . <x> a <y> .'
    out = tmp_path / "out.ttl"
    import_catalogue(write_table(tmp_path / "t.csv", rows), out, title="T")
    titles = {str(o) for o in imported(out).objects(None, None) if str(o).startswith("Quotes")}
    assert titles == {rows[0]["title_en"]}


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(
    graph: Graph, tmp_path: Path
) -> None:
    rows = rows_of(graph, ["R1.01", "R1.02", "R1.03", "R1.04"])
    rows[0]["requires"] = "R9.99"
    rows[1]["sporen"] = "A;G"
    rows[2]["stakeholders"] = "burgemeester:leads"
    rows[3]["code"] = "stap 4"
    out = tmp_path / "out.ttl"
    with pytest.raises(CatalogueError) as raised:
        import_catalogue(write_table(tmp_path / "t.csv", rows), out, title="T")
    report = str(raised.value)
    for line, fault in ((2, "R9.99"), (3, "spoor:G"), (4, "burgemeester"), (5, "wk:code")):
        assert any(f"row {line}:" in entry and fault in entry for entry in report.splitlines()), (
            line,
            report,
        )
    assert list(tmp_path.iterdir()) == [tmp_path / "t.csv"]


def test_a_cycle_in_the_requires_column_is_refused(graph: Graph, tmp_path: Path) -> None:
    rows = rows_of(graph, ["R1.01", "R1.02"])
    rows[0]["requires"] = "R1.02"
    with pytest.raises(CatalogueError, match="cycle"):
        import_catalogue(write_table(tmp_path / "t.csv", rows), tmp_path / "out.ttl", title="T")


def test_a_missing_column_or_duplicate_code_is_named(graph: Graph, tmp_path: Path) -> None:
    rows = rows_of(graph, ["R1.01", "R1.02"])
    rows[1]["code"] = "R1.01"
    with pytest.raises(CatalogueError, match=r"row 3: code R1\.01 appears more than once"):
        import_catalogue(write_table(tmp_path / "t.csv", rows), tmp_path / "out.ttl", title="T")
    for row in rows:
        del row["goal_en"]
    with pytest.raises(CatalogueError, match=r"lacks the column.*goal_en"):
        import_catalogue(write_table(tmp_path / "t.csv", rows), tmp_path / "out.ttl", title="T")
