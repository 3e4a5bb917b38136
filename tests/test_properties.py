"""Properties that hold for every input (hypothesis): parameter binding never changes a query's
shape, and content negotiation always picks a format the client rates highest."""

import os
from urllib.parse import quote

import pyoxigraph as ox
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass_graph.errors import QueryParameterError
from compass_graph.formats import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    negotiate,
    parse_accept,
    rating,
)
from compass_graph.queries import ID_PATTERN, load_queries

EXAMPLES = int(os.environ.get("COMPASS_FUZZ_EXAMPLES", "200"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None)
QUERIES = load_queries()
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)


def _bound(text: str) -> str:
    return QUERIES["search_labels"].bind({"text": text, "lang": "nl"})


@PROPERTY
@given(TEXT.filter(lambda text: text.strip() and len(text) <= 200))
def test_a_text_value_changes_only_where_the_value_goes(text: str) -> None:
    literal = str(ox.Literal(text))
    marker = "\ue000"  # a character the query text has nowhere else
    expected = _bound(marker).replace(str(ox.Literal(marker)), literal)
    assert _bound(text) == expected
    # The literal holds the text, exactly, and nothing else.
    (triple,) = ox.parse(f"<urn:s> <urn:p> {literal} .".encode(), format=ox.RdfFormat.N_TRIPLES)
    assert triple.object == ox.Literal(text)


@PROPERTY
@given(TEXT)
def test_an_id_is_bound_as_one_iri_of_its_kind_or_refused(value: str) -> None:
    (knooppunt,) = (p for p in QUERIES["upstream"].parameters if p.name == "knooppunt")
    try:
        term = knooppunt.term(value, "https://example.org/")
    except QueryParameterError:
        assert not ID_PATTERN.fullmatch(value)
        return
    assert ID_PATTERN.fullmatch(value)
    assert term == ox.NamedNode(f"https://example.org/id/knooppunt/{value}")


MEDIA = st.sampled_from(
    [*SOLUTION_FORMATS, *GRAPH_FORMATS, "text/html", "image/png", "text/*", "application/*", "*/*"]
)
RANGE = st.tuples(MEDIA, st.sampled_from(["", ";q=0", ";q=0.1", ";q=0.5", ";q=0.9", ";q=1"]))
OFFERS = list(SOLUTION_FORMATS)


@PROPERTY
@given(st.lists(RANGE, min_size=1, max_size=6))
def test_negotiation_picks_an_offer_rated_highest(ranges: list[tuple[str, str]]) -> None:
    header = ", ".join(media + q for media, q in ranges)
    chosen = negotiate(header, OFFERS)
    parsed = parse_accept(header)

    def rated(offer: str) -> float:
        return rating([r for r in parsed if r.matches(offer)])

    best = max(rated(offer) for offer in OFFERS)
    if best == 0:
        assert chosen is None
    else:
        assert chosen is not None and rated(chosen) == best
        assert chosen == next(offer for offer in OFFERS if rated(offer) == best)
    assert negotiate(", ".join(media + q for media, q in reversed(ranges)), OFFERS) == chosen


@PROPERTY
@given(st.text(max_size=200))
def test_any_accept_header_is_understood_or_ignored(header: str) -> None:
    assert negotiate(header, OFFERS) in (*OFFERS, None)


@settings(
    max_examples=max(EXAMPLES // 4, 25),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=120))
def test_any_accept_header_gets_a_document_or_406(client: FlaskClient, header: str) -> None:
    response = client.get("/doc/knooppunt/R2.07", headers={"Accept": header})
    assert response.status_code in (200, 406)


PAGE_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)


@settings(
    max_examples=max(EXAMPLES // 4, 25),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(kind=PAGE_TEXT, reference=PAGE_TEXT, needle=PAGE_TEXT, lang=PAGE_TEXT)
def test_any_page_address_is_answered_without_a_server_error(
    client: FlaskClient, kind: str, reference: str, needle: str, lang: str
) -> None:
    browser = {"Accept": "text/html"}
    for path, arguments in (
        (f"/doc/{quote(kind)}/{quote(reference)}", {"lang": lang}),
        (f"/def/{quote(reference)}", {}),
        ("/search", {"q": needle, "lang": lang}),
    ):
        response = client.get(path, query_string=arguments, headers=browser)
        assert response.status_code in (200, 303, 308, 400, 404), (path, arguments)
