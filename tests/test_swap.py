"""Build-then-swap against the production server: a broken build changes nothing that is served,
a good one is swapped in under load, and every answer comes from exactly one build."""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from compass_graph import paths
from compass_graph.build import build
from compass_graph.errors import CompassError
from tests.conftest import compass_graph_command, production_server

PREFIXES = """@prefix wk: <https://w3id.org/wijkkompas/def/> .
@prefix kp: <id/knooppunt/> .
@prefix dep: <id/dependency/> .
@prefix src: <id/source/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONCURRENT = 200


def _append(name: str, text: str) -> Callable[[Path], None]:
    def fault(data: Path) -> None:
        with (data / name).open("a", encoding="utf-8") as file:
            file.write(text)

    return fault


def _write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda data: (data / name).write_bytes(content)


# Each fault, and what the recorded reason of the failed build says.
FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "broken Turtle": (
        _append("knooppunten.ttl", '\nkp:R9.99 wk:code "never closed .\n'),
        "Turtle syntax error",
    ),
    "SHACL violation": (
        _write("extra.ttl", (PREFIXES + 'kp:R9.99 a wk:Knooppunt ; wk:code "R9.99" .\n').encode()),
        "does not conform",
    ),
    "cycle": (
        _write(
            "extra.ttl",
            (
                PREFIXES + "dep:R2.01-R2.07 a wk:Dependency ; wk:dependent kp:R2.01 ; "
                'wk:prerequisite kp:R2.07 ; wk:rationale "Rondje."@nl, "A loop."@en ; '
                "dcterms:source src:kennisatelier-wijkkompas .\n"
            ).encode(),
        ),
        "cycle",
    ),
    "missing file": (lambda data: (data / "process.ttl").unlink(), "does not conform"),
    "empty file": (_write("extra.ttl", b""), "empty"),
    "non-UTF-8 file": (
        _write("extra.ttl", PREFIXES.encode() + b'kp:R1.01 wk:tip "caf\xe9"@nl .\n'),
        "UTF-8",
    ),
    "RDF/XML file": (
        _write("extra.rdf", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]>'),
        "only Turtle",
    ),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """A copy of data/, a build of it, and the production server serving that build."""
    folder = tmp_path_factory.mktemp("swap")
    data = folder / "data"
    shutil.copytree(paths.DATA_DIR, data)
    out = folder / "dist"
    build(data, out)
    with production_server(out / "store") as url:
        yield data, out, url


def _get(url: str) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return dict(response.headers), response.read()


def _health(url: str) -> dict[str, object]:
    return dict(json.loads(_get(f"{url}/health")[1]))


def _served(url: str) -> str:
    build_info = _health(url)["build"]
    assert isinstance(build_info, dict)
    return str(build_info["build_id"])


@pytest.mark.parametrize("fault", FAULTS)
def test_a_broken_build_leaves_the_served_build_alone(
    published: tuple[Path, Path, str], fault: str
) -> None:
    data, out, url = published
    before, link = _served(url), os.readlink(out)
    pristine = data.with_name("pristine")
    shutil.copytree(data, pristine, dirs_exist_ok=True)
    try:
        damage, reason = FAULTS[fault]
        damage(data)
        with pytest.raises(CompassError):
            build(data, out)
        assert os.readlink(out) == link
        time.sleep(1.2)  # past the server's check for a new build
        health = _health(url)
        assert health["status"] == "degraded" and _served(url) == before
        attempt = health["last_attempt"]
        assert isinstance(attempt, dict) and not attempt["ok"] and reason in attempt["reason"]
        headers, _ = _get(f"{url}/sparql?{urllib.parse.urlencode({'query': COUNT})}")
        assert headers["X-Compass-Build"] == before
    finally:
        shutil.rmtree(data)
        pristine.rename(data)


def test_a_killed_build_leaves_the_served_build_alone(published: tuple[Path, Path, str]) -> None:
    data, out, url = published
    before, link = _served(url), os.readlink(out)
    command = compass_graph_command("build", "--data", data, "--out", out)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    builds = out.with_name(f"{out.name}.builds")
    deadline = time.monotonic() + 60
    while not any(builds.glob(".staging-*")) and time.monotonic() < deadline:
        time.sleep(0.01)  # killed while it writes its staging folder
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert os.readlink(out) == link and _served(url) == before
    assert (out / "store").is_dir()


def test_a_good_build_is_swapped_in_under_load_and_each_answer_is_from_one_build(
    published: tuple[Path, Path, str],
) -> None:
    data, out, url = published
    before = _served(url)
    old_count = _count(url, 0)
    knooppunten = data / "knooppunten.ttl"
    text = knooppunten.read_text(encoding="utf-8")
    knooppunten.write_text(
        text.replace(
            'wk:tip "Zoek aansluiting', 'wk:tip "Extra."@nl, "Extra."@en, "Zoek aansluiting'
        ),
        encoding="utf-8",
    )
    command = compass_graph_command("reload", "--data", data)
    seen: list[tuple[str, int]] = []
    with ThreadPoolExecutor(max_workers=CONCURRENT + 1) as pool:
        reloading = pool.submit(
            subprocess.run,
            [*command, "--out", str(out), "--url", url],
            capture_output=True,
            text=True,
            check=False,
        )
        # Rounds of 200 concurrent queries until the new build is served.
        while not reloading.done():
            seen += pool.map(lambda i: _count(url, i), range(len(seen), len(seen) + CONCURRENT))
        seen += pool.map(lambda i: _count(url, i), range(len(seen), len(seen) + CONCURRENT))
        reload = reloading.result()
    assert reload.returncode == 0, reload.stderr
    after = _served(url)
    assert after != before
    new_count = _count(url, 0)[1]
    assert new_count == old_count[1] + 2
    counts = {before: old_count[1], after: new_count}
    assert all(counts[build_id] == count for build_id, count in seen)
    assert {build_id for build_id, _ in seen} == {before, after}  # the load spanned the swap
    health = _health(url)
    assert health["status"] == "ok" and health["swaps"]


def _count(url: str, salt: int) -> tuple[str, int]:
    """Count the triples, with a query text of its own so that nothing is replayed."""
    query = f"{COUNT} # {salt} {time.monotonic()}"
    headers, body = _get(f"{url}/sparql?{urllib.parse.urlencode({'query': query})}")
    count = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    return headers["X-Compass-Build"], count
