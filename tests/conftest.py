"""Shared fixtures: the real data loaded once, and a real build written to a temporary folder."""

import contextlib
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph
from werkzeug.test import TestResponse

from api import create_app
from api.serving import served
from bench.stores import free_port
from compass_graph.build import BuildResult, build
from compass_graph.loader import LoadedData, load

TEST_DATA = Path(__file__).parent / "data"
VALID_MINIMAL = TEST_DATA / "valid_minimal.ttl"


@pytest.fixture(scope="session")
def loaded() -> LoadedData:
    """The real ontology and data/, loaded."""
    return load()


@pytest.fixture(scope="session")
def graph(loaded: LoadedData) -> Graph:
    """The real data as one graph."""
    return loaded.union_graph()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A real build of data/ into a temporary dist/."""
    return build(out_dir=tmp_path_factory.mktemp("build") / "dist")


@pytest.fixture(scope="session")
def published(built: BuildResult) -> Graph:
    """The published graph, read back from the build's N-Triples dump."""
    return Graph().parse(built.out_dir / "wijkkompas.nt", format="nt")


@pytest.fixture(scope="session")
def store_path(built: BuildResult) -> Path:
    """The on-disk store of the real build."""
    return built.out_dir / "store"


@pytest.fixture(scope="session")
def app(store_path: Path) -> Iterator[Flask]:
    """The real app over the real build, with one query worker process."""
    application = create_app({"STORE": str(store_path), "WORKERS": 1, "TIMEOUT": 10})
    yield application
    served(application).close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the real app."""
    return app.test_client()


def assert_error_shape(
    response: TestResponse, status: int, code: str | None = None
) -> dict[str, object]:
    """Check the one error shape and return its body."""
    assert response.status_code == status, response.data[:500]
    body = response.get_json()
    assert set(body) == {"error", "message", "status"}
    assert body["status"] == status
    assert body["message"]
    if code:
        assert body["error"] == code
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return dict(body)


OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def wait_for_oxigraph(url: str, seconds: float = 20) -> None:
    """Wait until an oxigraph server answers at ``url``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"oxigraph serve did not come up at {url}")


@contextlib.contextmanager
def oxigraph_server(
    location: Path, port: int | None = None
) -> Iterator[tuple[str, "subprocess.Popen[bytes]"]]:
    """Run a real ``oxigraph serve`` on 127.0.0.1 over ``location``; yield its URL and process."""
    url = f"http://127.0.0.1:{port or free_port()}"
    command = [OXIGRAPH, "serve", "--location", str(location), "--bind", url[7:]]
    process = subprocess.Popen(
        [*command, "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_oxigraph(url)
        yield url, process
    finally:
        process.kill()
        process.wait(10)


def compass_graph_command(*arguments: str | Path) -> list[str]:
    """The command line that runs ``compass-graph`` with ``arguments`` in this environment."""
    return [sys.executable, "-m", "compass_graph", *(str(argument) for argument in arguments)]


@contextlib.contextmanager
def production_server(store: Path, *options: str) -> Iterator[str]:
    """Run ``compass-graph serve --production`` (gunicorn, two processes) on 127.0.0.1."""
    port = free_port()
    command = compass_graph_command("serve", "--production", "--port", str(port))
    process = subprocess.Popen(
        [*command, "--store", str(store), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the production server did not come up"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def server(built: BuildResult) -> Iterator[str]:
    """The production server over the session's build, for real HTTP clients."""
    with production_server(built.out_dir / "store") as url:
        yield url
