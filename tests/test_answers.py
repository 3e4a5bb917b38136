"""Answers computed at build time: one for every canned query without ids, in each language,
equal to the live answer, and served instead of running the query again."""

import dataclasses

import pytest

from compass_graph.answers import answer_key, read_answers, settled_calls
from compass_graph.build import BuildResult
from compass_graph.endpoint import Endpoint, Settings
from compass_graph.queries import load_queries

QUERIES = load_queries()


@pytest.fixture(scope="module")
def endpoints(built: BuildResult) -> tuple[Endpoint, Endpoint]:
    settings = Settings(store=str(built.out_dir / "store"), workers=0, cache_size=0)
    ahead = Endpoint.open(settings)
    live = Endpoint.open(settings)
    live.answers = {}
    return ahead, live


def test_every_query_without_ids_is_answered_ahead_in_each_language(
    endpoints: tuple[Endpoint, Endpoint],
) -> None:
    ahead, _ = endpoints
    expected = {
        answer_key(query, values) for query in QUERIES.values() for values in settled_calls(query)
    }
    assert set(ahead.answers) == expected
    assert "progress_by_municipality?lang=en" in expected and "phases?lang=nl" in expected
    assert not any(name.startswith("upstream?") for name in expected)  # it takes a knooppunt


def test_the_answers_ahead_are_the_live_answers(endpoints: tuple[Endpoint, Endpoint]) -> None:
    ahead, live = endpoints
    for query in QUERIES.values():
        for values in settled_calls(query):
            assert ahead.run(query.name, values) is ahead.answers[answer_key(query, values)]
            assert ahead.run(query.name, values) == live.run(query.name, values)


def test_the_default_language_finds_the_same_answer(endpoints: tuple[Endpoint, Endpoint]) -> None:
    ahead, _ = endpoints
    assert ahead.run("phases", {}) is ahead.run("phases", {"lang": "nl"})


def test_another_row_cap_answers_live(built: BuildResult) -> None:
    settings = Settings(store=str(built.out_dir / "store"), workers=0)
    assert read_answers(built.out_dir, settings.row_cap)
    assert read_answers(built.out_dir, settings.row_cap - 1) == {}
    smaller = Endpoint.open(dataclasses.replace(settings, row_cap=3))
    assert smaller.answers == {} and smaller.run("phases", {}).rows == 3
