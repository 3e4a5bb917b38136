"""Every shape catches the fault it is for: one fixture per fault, one violation per fixture.

Each file in tests/data/invalid/ adds one faulty resource to valid_minimal.ttl and names, in its
header, the shape it tests (``# shape:``) and a fragment of the message it expects (``# expect:``).
"""

import re
from pathlib import Path

import pytest
from rdflib.namespace import RDF, SH

from compass_graph.loader import load_files
from compass_graph.validate import load_shapes, validate
from tests.conftest import TEST_DATA, VALID_MINIMAL

INVALID = sorted((TEST_DATA / "invalid").glob("*.ttl"))
SHAPES = load_shapes()


def header(path: Path, key: str) -> str:
    match = re.search(rf"^# {key}: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} lacks a '# {key}:' header"
    return match.group(1).strip()


def test_the_minimal_dataset_conforms() -> None:
    report = validate(load_files([VALID_MINIMAL]), SHAPES)
    assert report.conforms, report.text


@pytest.mark.parametrize("fixture", INVALID, ids=lambda path: path.stem)
def test_each_fault_gives_exactly_one_violation_with_its_message(fixture: Path) -> None:
    report = validate(load_files([VALID_MINIMAL, fixture]), SHAPES)
    assert not report.conforms
    assert len(report.violations) == 1, report.text
    violation = report.violations[0]
    assert header(fixture, "expect") in violation.message
    assert violation.file == fixture
    assert violation.line is not None
    focus_line = fixture.read_text(encoding="utf-8").splitlines()[violation.line - 1]
    assert focus_line.split()[0].endswith(violation.focus_node.rsplit("/", 1)[-1])


def test_every_node_shape_has_an_invalid_fixture() -> None:
    targeted = {
        SHAPES.namespace_manager.curie(shape)
        for shape in SHAPES.subjects(RDF.type, SH.NodeShape)
        if SHAPES.value(shape, SH.targetClass) is not None
    }
    covered = {header(fixture, "shape") for fixture in INVALID}
    assert targeted - covered == set()
