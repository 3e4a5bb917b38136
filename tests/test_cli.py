"""The command line, run as a user runs it: exit codes and what it prints."""

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from compass_graph.build import BuildResult
from compass_graph.cli import main
from tests.conftest import TEST_DATA, VALID_MINIMAL


def test_build_then_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dist"
    assert main(["build", "--out", str(out)]) == 0
    built = capsys.readouterr().out
    assert "wk:Knooppunt" in built and f"written to {out}/" in built
    assert main(["summary", "--dist", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == built.splitlines()[-1].replace(
        "written to", "in"
    )


def test_a_build_in_a_log_prints_nothing_on_stderr(tmp_path: Path) -> None:
    # Progress shows only on a terminal, and the libraries the build uses may not log on their own.
    command = [str(Path(sys.executable).parent / "compass-graph"), "build", "--out", str(tmp_path)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "written to" in finished.stdout
    assert finished.stderr == ""


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_validate_reports_conformance_and_the_checker(
    capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    assert main(["validate", *(["--pyshacl"] if engine == "pyshacl" else [])]) == 0
    assert (
        capsys.readouterr().out.strip().endswith(f"conforms to the shapes. (checked by {engine})")
    )


def test_invalid_data_exits_non_zero_with_file_line_and_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(VALID_MINIMAL, data)
    shutil.copy(TEST_DATA / "invalid" / "municipality-with-bad-cbs-code.ttl", data)
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "dist")]) == 1
    error = capsys.readouterr().err
    assert "municipality-with-bad-cbs-code.ttl:" in error
    assert "place:fout wk:cbsCode: Give the municipality exactly one wk:cbsCode" in error
    assert not (tmp_path / "dist").exists()


def test_summary_without_a_build_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", "--dist", str(tmp_path / "nothing")]) == 1
    assert "run 'compass-graph build' first" in capsys.readouterr().err


def test_query_and_sparql_commands_print_answers(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(built.out_dir / "store")
    assert (
        main(
            [
                "query",
                "upstream",
                "--param",
                "knooppunt=R1.05",
                "--param",
                "lang=en",
                "--store",
                store,
            ]
        )
        == 0
    )
    table = capsys.readouterr().out
    assert "R1.04" in table and "rationale" in table.splitlines()[0]
    assert (
        main(
            [
                "sparql",
                "ASK { ?s a <https://w3id.org/wijkkompas/def/Knooppunt> }",
                "--format",
                "json",
                "--store",
                store,
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["boolean"] is True
    assert main(["query", "upstream", "--param", "knooppunt=R9.99", "--store", store]) == 1
    assert "no resource" in capsys.readouterr().err


def test_the_production_server_answers_over_real_http(server: str) -> None:
    with urllib.request.urlopen(f"{server}/api/queries/phases?lang=en", timeout=5) as response:
        rows = json.loads(response.read())["rows"]
    assert rows[0]["title"] == "Decision to start the neighbourhood approach"


def test_a_server_started_from_the_command_line_loads_nothing_only_builds_need() -> None:
    # The gunicorn master imports the command line and the server before it forks its workers.
    code = (
        "import sys, compass_graph.cli, api.server; "
        "print([m for m in ('pyshacl', 'pylode') if m in sys.modules])"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert ran.stdout.strip() == "[]"
