"""The command line, run as a user runs it: exit codes and what it prints."""

import shutil
from pathlib import Path

import pytest

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


def test_validate_reports_conformance(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "conforms" in capsys.readouterr().out


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
