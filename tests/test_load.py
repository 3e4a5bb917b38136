"""A bounded load test against the production server: clients for a fixed time, no errors, and the
p99 reported; then the same while a runaway query keeps one query process busy."""

import urllib.parse

import pytest

from bench.load import MIX, Runaway, load_with_threads

CLIENTS, SECONDS = 8, 4


def _port(url: str) -> int:
    return int(urllib.parse.urlsplit(url).port or 80)


def test_the_server_holds_a_load_without_errors(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    load_with_threads(_port(server), MIX, 1, CLIENTS)  # warm up
    measured = load_with_threads(_port(server), MIX, SECONDS, CLIENTS)
    assert measured.requests > 100 and measured.errors == 0, measured.statuses
    with capsys.disabled():
        print(
            f"\nload: {CLIENTS} clients x {SECONDS} s: {measured.requests} requests, "
            f"{measured.errors} errors, p50 {measured.p50:.1f} ms, p99 {measured.p99:.1f} ms"
        )


def test_a_runaway_query_leaves_everyone_else_answered(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Runaway(_port(server)) as runaway:
        measured = load_with_threads(_port(server), MIX, SECONDS, CLIENTS)
    assert measured.requests > 100 and measured.errors == 0, measured.statuses
    assert set(runaway.statuses) <= {503}  # stopped at the time limit, never anything else
    with capsys.disabled():
        print(
            f"\nload beside a runaway query: {measured.requests} requests, "
            f"{measured.errors} errors, p99 {measured.p99:.1f} ms; "
            f"runaway answered {dict(runaway.statuses)}"
        )
