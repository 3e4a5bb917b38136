"""Fuzzing: schemathesis against the app's OpenAPI description, in process.

Every operation gets data that fits its description (answered with success or a described 4xx)
and data that does not (refused with 4xx); nothing may answer 5xx. `make test` runs a bounded
number of examples; `make fuzz` runs many more (COMPASS_FUZZ_EXAMPLES).
"""

import os

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = int(os.environ.get("COMPASS_FUZZ_EXAMPLES", "10"))


def _takes_a_language(case: schemathesis.Case) -> bool:
    """SPARQL and progress files are languages a JSON schema cannot describe: any string fits
    the schema, and most strings are no query or table, which is rightly refused with 400."""
    return (case.method, case.path) in {("GET", "/sparql"), ("POST", "/api/next")}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_as_it_describes_itself(app: Flask, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize="COMPASS_FUZZ_EXAMPLES" not in os.environ,
            database=None,
        )
        def answers(case: schemathesis.Case) -> None:
            languages = [positive_data_acceptance] if _takes_a_language(case) else []
            case.call_and_validate(excluded_checks=languages)

        try:
            answers()
        except Unsatisfiable:  # an operation without inputs has no invalid ones
            assert mode is GenerationMode.NEGATIVE
