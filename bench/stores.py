"""Other SPARQL stores, run for real on 127.0.0.1 for the tests and the benchmarks."""

import contextlib
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 30
"""


@contextlib.contextmanager
def virtuoso_server(folder: Path, trig: Path, memory_mb: int = 160) -> Iterator[str]:
    """Run a real Virtuoso on 127.0.0.1 with a throwaway database in ``folder``, loaded with the
    named graphs of ``trig`` by Virtuoso's own bulk loader; yield its SPARQL endpoint's URL.

    ``memory_mb`` is the size of its page buffers (8 KB each)."""
    folder.mkdir(parents=True, exist_ok=True)
    isql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    buffers = memory_mb * 1024 // 8
    settings = {"folder": folder, "isql": isql, "http": http, "buffers": buffers}
    ini.write_text(VIRTUOSO_INI.format(**settings, dirty=buffers * 3 // 4), encoding="utf-8")
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
