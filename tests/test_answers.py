"""Answers computed at build time: one for every canned query without ids, in each language,
equal to the live answer, and served instead of running the query again."""

import dataclasses
import queue
import shutil
from pathlib import Path

import pytest

from api import create_app
from api.queries import _rows_document, prepare_answers
from api.serving import ServedBuild, served
from compass_graph.answers import (
    ANSWERS_FILE,
    BODIES_FILE,
    answer_key,
    read_answers,
    settled_calls,
)
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


def test_a_build_with_an_index_but_no_bodies_answers_live(
    built: BuildResult, tmp_path: Path
) -> None:
    # As a build from before the bodies had a file of their own: its answers.json is not used.
    shutil.copy(built.out_dir / ANSWERS_FILE, tmp_path)
    assert read_answers(tmp_path, Settings.row_cap) == {}
    shutil.copy(built.out_dir / BODIES_FILE, tmp_path)
    assert read_answers(tmp_path, Settings.row_cap) == read_answers(built.out_dir, Settings.row_cap)


def test_the_api_prepares_the_answers_ahead_before_anyone_asks(built: BuildResult) -> None:
    app = create_app({"STORE": str(built.out_dir / "store"), "WORKERS": 0})
    try:
        assert served(app).prepare is prepare_answers  # run in the background on each build
        prepare_answers(served(app).endpoint)
        before = _rows_document.cache_info()
        response = app.test_client().get("/api/queries/phases?lang=en")
        after = _rows_document.cache_info()
        assert response.status_code == 200 and response.json["rows"]  # type: ignore[index]
        assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    finally:
        served(app).close()


def test_every_build_served_is_prepared_the_first_and_each_swapped_in(
    built: BuildResult, tmp_path: Path
) -> None:
    builds = tmp_path / "dist.builds"
    for name in ("first", "second"):  # a second build, published as the build publishes one
        shutil.copytree(built.out_dir.resolve(), builds / name)
    link = tmp_path / "dist"
    link.symlink_to(builds / "first")
    prepared: queue.Queue[Endpoint] = queue.Queue()
    settings = Settings(store=str(link / "store"), workers=0)
    holder = ServedBuild(settings, check_every=3600, prepare=prepared.put)
    try:
        first = prepared.get(timeout=30)
        assert first is holder.endpoint and Path(first.settings.store).parent.name == "first"
        link.unlink()
        link.symlink_to(builds / "second")
        holder.reload()
        second = prepared.get(timeout=30)
        assert second is holder.endpoint and Path(second.settings.store).parent.name == "second"
    finally:
        holder.close()
