"""Shared fixtures: the real data loaded once, and a real build written to a temporary folder."""

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph
from werkzeug.test import TestResponse

from api import create_app
from api.serving import served
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


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
DirsAllowed = {folder}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 30
"""


@contextlib.contextmanager
def virtuoso_server(folder: Path, trig: Path) -> Iterator[str]:
    """Run a real Virtuoso on 127.0.0.1 with a throwaway database in ``folder``, loaded with the
    named graphs of ``trig`` by Virtuoso's own bulk loader; yield its SPARQL endpoint's URL."""
    folder.mkdir(parents=True, exist_ok=True)
    isql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, isql=isql, http=http), encoding="utf-8")
    command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Virtuoso did not come up at {url}") from None
                time.sleep(0.2)
        dataset = ox.Store()
        dataset.load(path=trig, format=ox.RdfFormat.TRIG)
        dataset.dump(folder / "build.nq", format=ox.RdfFormat.N_QUADS)
        load = f"ld_dir('{folder}', 'build.nq', 'urn:compass:none'); rdf_loader_run(); checkpoint;"
        isql_command = ["isql-vt", f"127.0.0.1:{isql}", "dba", "dba", f"exec={load}"]
        subprocess.run(isql_command, check=True, capture_output=True, timeout=600)
        yield url
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
