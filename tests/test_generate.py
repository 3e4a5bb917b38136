"""The synthetic national dataset: valid against the shapes, the same for the same seed, and
progress that follows the dependency graph except where a requirement is skipped on purpose."""

import io
import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from api import create_app
from api.serving import served
from compass_graph.build import BuildResult, build
from compass_graph.cli import main
from compass_graph.dependencies import dependency_graph
from compass_graph.describe import LINKS_LISTED
from compass_graph.generate import Generated, generate
from compass_graph.meter import Meter
from compass_graph.prefixes import DEFAULT_BASE
from compass_graph.queries import load_queries

WK = "https://w3id.org/wijkkompas/def/"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(120, seed=7, out=tmp_path_factory.mktemp("national") / "data")


def test_the_generated_data_is_valid_and_builds(generated: Generated, tmp_path: Path) -> None:
    result: BuildResult = build(generated.folder, tmp_path / "dist")
    counts = result.summary["classes"]
    assert counts["wk:Neighbourhood"] == 6 + 120
    assert counts["wk:Municipality"] == 5 + generated.municipalities
    assert counts["wk:ProgressRecord"] == 30 + generated.records


def test_the_same_seed_gives_the_same_data(generated: Generated, tmp_path: Path) -> None:
    again = generate(120, seed=7, out=tmp_path / "again")
    other = generate(120, seed=8, out=tmp_path / "other")
    for name in ("national-places.ttl", "national-progress-01.ttl"):
        assert (again.folder / name).read_bytes() == (generated.folder / name).read_bytes()
        assert (other.folder / name).read_bytes() != (generated.folder / name).read_bytes()


def test_progress_follows_the_dependencies_except_where_skipped_on_purpose(
    generated: Generated, graph: object
) -> None:
    digraph = dependency_graph(graph)  # type: ignore[arg-type]
    passed: dict[str, set[str]] = defaultdict(set)
    by_record: dict[str, dict[str, str]] = defaultdict(dict)
    for path in generated.folder.glob("national-progress-*.ttl"):
        triples = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=DEFAULT_BASE)
        for triple in triples:
            by_record[triple.subject.value][triple.predicate.value] = triple.object.value
    for record in by_record.values():
        if record.get(WK + "status", "").endswith("/passed"):
            code = record[WK + "neighbourhood"].rsplit("-", 1)[1]
            passed[code].add(record[WK + "knooppunt"].rsplit("/", 1)[1])
    skipping = {
        code
        for code, done in passed.items()
        if any(set(digraph.predecessors(knooppunt)) - done for knooppunt in done)
    }
    assert skipping == set(generated.skipping) and skipping
    assert len(passed) > 100  # most neighbourhoods have passed something


def test_the_command_says_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    assert main(["generate", "--neighbourhoods", "20", "--seed", "3", "--out", str(out)]) == 0
    assert "20 neighbourhoods in 3 municipalities" in capsys.readouterr().out
    assert (out / "national-progress-01.ttl").is_file() and (out / "knooppunten.ttl").is_file()


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_meter_shows_progress_on_a_terminal_and_keeps_quiet_in_a_log() -> None:
    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        with Meter("records", 1000, stream=stream, every=0) as meter:
            for _ in range(10):
                meter.advance(100)
    assert "records: 500 of 1,000 (50%)" in terminal.getvalue()
    assert "s left" in terminal.getvalue() and "records: 1,000 in" in terminal.getvalue()
    assert log.getvalue() == ""


def test_a_page_and_a_document_leave_out_the_links_too_many_to_list(tmp_path: Path) -> None:
    """At national scale a knooppunt has a link from every neighbourhood that passed it and from
    each of their progress records: its page counts those instead of listing them, and its
    document leaves them out, so that neither drowns the knooppunt's own statements."""
    # The page (its canned queries) and the document cut at the same number of links.
    queries = load_queries()
    assert f"COUNT(DISTINCT ?linking) <= {LINKS_LISTED})" in queries["resource_links_in"].text
    for name in ("resource_links_in", "resource_link_counts"):
        assert f"at most {LINKS_LISTED} times" in queries[name].description["en"]
    data = generate(260, seed=5, out=tmp_path / "data")
    result = build(data.folder, tmp_path / "dist")
    store = ox.Store.read_only(str(result.out_dir / "store"))
    knooppunt = ox.NamedNode(f"{DEFAULT_BASE}id/knooppunt/R1.01")
    linking: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, None, knooppunt):
        linking[quad.predicate.value].add(quad.subject.value)
    many = {p: len(subjects) for p, subjects in linking.items() if len(subjects) > 200}
    few = {(s, p) for p, subjects in linking.items() if p not in many for s in subjects}
    assert {WK + "knooppunt", WK + "hasPassed"} <= set(many)
    assert few
    own = {
        (q.predicate.value, str(q.object)) for q in store.quads_for_pattern(knooppunt, None, None)
    }
    del store
    app = create_app({"STORE": str(result.out_dir / "store"), "WORKERS": 0})
    try:
        client = app.test_client()
        page = client.get("/doc/knooppunt/R1.01?lang=en", headers={"Accept": "text/html"})
        html = page.get_data(as_text=True)
        document = client.get("/doc/knooppunt/R1.01.nt")
    finally:
        served(app).close()
    assert page.status_code == 200
    for count in many.values():
        assert f"{count} links, too many to list" in html
    shown = set(re.findall(r'href="/doc/(progress/[^"?]+)', html))
    assert not shown  # none of the records is listed one by one
    assert document.status_code == 200
    assert "X-Compass-Truncated" not in document.headers
    triples = list(ox.parse(document.data, format=ox.RdfFormat.N_TRIPLES))
    assert document.headers["X-Compass-Rows"] == str(len(triples))
    assert own == {(t.predicate.value, str(t.object)) for t in triples if t.subject == knooppunt}
    linked = {(t.subject.value, t.predicate.value) for t in triples if t.object == knooppunt}
    assert linked == few
