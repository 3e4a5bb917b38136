"""A wheel built from the repository works outside the checkout, with its data inside it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    build = [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheelhouse), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True)
    (wheel,) = wheelhouse.glob("compass_graph-*.whl")
    target = tmp_path_factory.mktemp("site")
    install = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(target),
        str(wheel),
    ]
    subprocess.run(install, check=True)
    return target


def run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(target)}
    command = [sys.executable, *args]
    return subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )


def test_the_wheel_ships_ontology_data_and_queries(installed: Path, tmp_path: Path) -> None:
    script = (
        "from compass_graph import paths; "
        "print(paths.ONTOLOGY_FILE, paths.SHAPES_FILE, paths.DATA_DIR, paths.QUERIES_DIR)"
    )
    result = run(installed, tmp_path, "-c", script)
    assert result.returncode == 0, result.stderr
    for shipped in result.stdout.split():
        assert Path(shipped).is_relative_to(installed / "compass_graph" / "resources")
        assert Path(shipped).exists()


def test_the_installed_command_builds_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    result = run(installed, tmp_path, "-m", "compass_graph", "build", "--out", "dist")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dist" / "wijkkompas.nt").stat().st_size > 0
