"""Repeated GET requests are replayed from kept answers, exactly as Flask first gave them."""

from flask import Flask
from flask.testing import FlaskClient

from api.fastpath import ReplayCache


def test_a_repeated_request_is_replayed_byte_for_byte(app: Flask, client: FlaskClient) -> None:
    cache = app.wsgi_app
    assert isinstance(cache, ReplayCache)
    url = "/api/queries/involve_phase?phase=3&lang=en"
    first = client.get(url, headers={"Accept": "text/csv"})
    kept = len(cache._kept)
    again = client.get(url, headers={"Accept": "text/csv"})
    assert len(cache._kept) == kept
    assert again.data == first.data and again.headers == first.headers
    not_modified = client.get(
        url, headers={"Accept": "text/csv", "If-None-Match": first.headers["ETag"]}
    )
    assert not_modified.status_code == 304 and not_modified.data == b""


def test_errors_and_other_accepts_are_not_mixed_up(client: FlaskClient) -> None:
    url = "/api/queries/involve_phase?phase=2"
    as_json = client.get(url, headers={"Accept": "application/json"})
    as_csv = client.get(url, headers={"Accept": "text/csv"})
    assert as_json.mimetype == "application/json" and as_csv.mimetype == "text/csv"
    for _ in range(2):
        assert client.get("/api/queries/involve_phase?phase=9").status_code == 400


def test_an_encoded_address_is_never_replayed_for_its_decoded_twin(client: FlaskClient) -> None:
    assert client.get("/doc/knooppunt/R2.07").status_code == 200
    assert client.get("/doc/knooppunt%2FR2.07").status_code == 404
