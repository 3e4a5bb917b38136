"""The build: dumps that parse and agree, reproducible N-Triples, and bad data refused."""

import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from compass_graph import paths
from compass_graph.build import LAYOUT, BuildResult, build, build_identifier
from compass_graph.dumps import file_sha256
from compass_graph.errors import InvalidData, LoadError
from compass_graph.prefixes import DEFAULT_BASE
from tests.conftest import TEST_DATA, VALID_MINIMAL


def read_with_oxigraph(path: Path, format_: ox.RdfFormat) -> Graph:
    """Parse a dump with pyoxigraph, a second, independent parser, into an rdflib graph."""
    triples = (quad.triple for quad in ox.parse(path=path, format=format_))
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=ntriples.decode(), format="nt")


@pytest.mark.parametrize(
    ("name", "format_"),
    [
        ("wijkkompas.ttl", ox.RdfFormat.TURTLE),
        ("wijkkompas.jsonld", ox.RdfFormat.JSON_LD),
        ("wijkkompas.trig", ox.RdfFormat.TRIG),
    ],
)
def test_the_dumps_parse_and_hold_the_same_graph(
    built: BuildResult, published: Graph, name: str, format_: ox.RdfFormat
) -> None:
    assert isomorphic(read_with_oxigraph(built.out_dir / name, format_), published)


def test_the_trig_dump_keeps_one_named_graph_per_file(built: BuildResult) -> None:
    quads = ox.parse(path=built.out_dir / "wijkkompas.trig", format=ox.RdfFormat.TRIG)
    names = {quad.graph_name.value for quad in quads}  # type: ignore[union-attr]
    expected = {f"{DEFAULT_BASE}graph/{path.stem}" for path in paths.DATA_DIR.glob("*.ttl")}
    built_here = {f"{DEFAULT_BASE}graph/{name}" for name in ("ontology", "derived", "queries")}
    assert names == expected | built_here


def test_the_served_store_holds_exactly_what_the_dumps_hold(built: BuildResult) -> None:
    def canonical(quads: Iterable[ox.Quad]) -> set[str]:
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return {str(quad) for quad in dataset}

    store = ox.Store.read_only(str(built.out_dir / "store"))
    served = canonical(store.quads_for_pattern(None, None, None, None))
    dumped = canonical(ox.parse(path=built.out_dir / "wijkkompas.trig", format=ox.RdfFormat.TRIG))
    assert len(served) == len(dumped) > 6000
    assert served == dumped


def test_the_served_store_is_closed_in_its_own_folder_before_it_is_published(
    built: BuildResult,
) -> None:
    # Renamed while open, RocksDB would write its last changes to the staging folder, which is
    # gone by then, and log the failure.
    log = (built.out_dir / "store" / "LOG").read_text(encoding="utf-8", errors="replace")
    assert "RocksDB version" in log
    assert "[ERROR]" not in log


def test_the_checksums_match_the_files(built: BuildResult) -> None:
    lines = (built.out_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = {line.split("  ")[1] for line in lines}
    assert {"wijkkompas.nt", "summary.json", "ontology.html", "ontology-anchors.json"} <= names
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((built.out_dir / name).read_bytes()).hexdigest() == digest


def test_the_ntriples_are_sorted_and_byte_for_byte_reproducible(
    built: BuildResult, tmp_path: Path
) -> None:
    first = (built.out_dir / "wijkkompas.nt").read_bytes()
    lines = first.splitlines()
    assert lines == sorted(lines)
    again = build(out_dir=tmp_path / "dist")
    assert (tmp_path / "dist" / "wijkkompas.nt").read_bytes() == first
    assert again.build_id == built.build_id


def test_unchanged_data_in_a_new_layout_is_published_in_a_folder_of_its_own(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(built.out_dir.resolve(), tmp_path / "dist.builds" / built.build_id)
    (tmp_path / "dist").symlink_to(Path("dist.builds") / built.build_id)
    monkeypatch.setattr("compass_graph.build.LAYOUT", LAYOUT + 1)
    again = build(out_dir=out)
    assert again.build_id != built.build_id
    assert again.build_id == build_identifier(file_sha256(out / "wijkkompas.nt"), LAYOUT + 1)
    assert out.resolve().name == again.build_id
    assert (tmp_path / "dist.builds" / built.build_id).is_dir()  # kept for servers reading it


def test_the_summary_counts_each_class(built: BuildResult) -> None:
    classes = built.summary["classes"]
    assert classes["wk:Knooppunt"] >= 45
    assert classes["wk:PracticeStory"] == 5


def test_the_base_is_configurable(tmp_path: Path) -> None:
    result = build(out_dir=tmp_path / "dist", base="https://example.org/compass/")
    text = (tmp_path / "dist" / "wijkkompas.nt").read_text(encoding="utf-8")
    assert "<https://example.org/compass/id/knooppunt/R1.01>" in text
    assert "https://w3id.org/wijkkompas/id/" not in text
    assert result.summary["base"] == "https://example.org/compass/"


def data_folder(tmp_path: Path, *files: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for file in files:
        shutil.copy(file, folder / file.name)
    return folder


@pytest.fixture
def previous_build(tmp_path: Path) -> Path:
    out = tmp_path / "dist"
    build(data_folder(tmp_path, VALID_MINIMAL), out)
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


BROKEN = {
    "syntax.ttl": (
        b'@prefix wk: <https://w3id.org/wijkkompas/def/> .\n\n<id/x> wk:goal "open .\n',
        LoadError,
    ),
    "latin1.ttl": ('<id/x> <id/p> "café" .\n'.encode("latin-1"), LoadError),
    "empty.ttl": (b"  \n", LoadError),
    "cycle.ttl": ((TEST_DATA / "cycle.ttl").read_bytes(), InvalidData),
    "invalid.ttl": ((TEST_DATA / "invalid" / "spoor-g.ttl").read_bytes(), InvalidData),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_bad_data_fails_the_build_and_leaves_the_previous_dist(
    previous_build: Path, name: str
) -> None:
    content, error = BROKEN[name]
    folder = previous_build.parent / "data"
    (folder / name).write_bytes(content)
    before = snapshot(previous_build)
    with pytest.raises(error) as raised:
        build(folder, previous_build)
    assert snapshot(previous_build) == before
    assert name in str(raised.value) or "data does not conform" in str(raised.value)


def test_a_parse_error_names_file_and_line(tmp_path: Path) -> None:
    folder = data_folder(tmp_path)
    (folder / "broken.ttl").write_bytes(BROKEN["syntax.ttl"][0])
    with pytest.raises(LoadError) as raised:
        build(folder, tmp_path / "dist")
    assert raised.value.line == 3
    assert str(raised.value).startswith(f"{folder / 'broken.ttl'}:3: Turtle syntax error")


def test_a_cycle_is_printed_with_the_records_that_make_it(tmp_path: Path) -> None:
    folder = data_folder(tmp_path, VALID_MINIMAL, TEST_DATA / "cycle.ttl")
    with pytest.raises(InvalidData) as raised:
        build(folder, tmp_path / "dist")
    report = str(raised.value)
    assert "cycle" in report
    assert "T1.01 -> T1.02 -> T1.01" in report or "T1.02 -> T1.01 -> T1.02" in report
    assert "cycle.ttl:" in report


@pytest.mark.parametrize("suffix", [".rdf", ".jsonld", ".owl"])
def test_formats_other_than_turtle_are_refused(tmp_path: Path, suffix: str) -> None:
    folder = data_folder(tmp_path, VALID_MINIMAL)
    (folder / f"extra{suffix}").write_text("<x/>", encoding="utf-8")
    with pytest.raises(LoadError, match="only Turtle"):
        build(folder, tmp_path / "dist")
