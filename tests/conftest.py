"""Shared fixtures: the real data loaded once, and a real build written to a temporary folder."""

from pathlib import Path

import pytest
from rdflib import Graph

from compass_graph.build import BuildResult, build
from compass_graph.loader import LoadedData, load
from compass_graph.validate import union_graph

TEST_DATA = Path(__file__).parent / "data"
VALID_MINIMAL = TEST_DATA / "valid_minimal.ttl"


@pytest.fixture(scope="session")
def loaded() -> LoadedData:
    """The real ontology and data/, loaded."""
    return load()


@pytest.fixture(scope="session")
def graph(loaded: LoadedData) -> Graph:
    """The real data as one graph."""
    return union_graph(loaded)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A real build of data/ into a temporary dist/."""
    return build(out_dir=tmp_path_factory.mktemp("build") / "dist")


@pytest.fixture(scope="session")
def published(built: BuildResult) -> Graph:
    """The published graph, read back from the build's N-Triples dump."""
    return Graph().parse(built.out_dir / "wijkkompas.nt", format="nt")
