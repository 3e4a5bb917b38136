"""The web pages, the ontology documentation and the SPARQL editor, through the real Flask app."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from compass_graph.analysis import downstream, upstream
from compass_graph.dependencies import dependency_graph
from compass_graph.namespaces import WK
from compass_graph.queries import load_queries
from tests.conftest import assert_error_shape

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
BASE = "https://w3id.org/wijkkompas/"


class Page(HTMLParser):
    """The parts of a page the tests read: its language, headings, links and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang = ""
        self.links: list[str] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        if tag == "a" and attributes.get("href"):
            self.links.append(str(attributes["href"]))
        if tag in ("h1", "h2"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(client: FlaskClient, path: str, accept: str = BROWSER) -> Page:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, (path, response.data[:300])
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def label(graph: Graph, thing: URIRef, lang: str) -> str:
    for predicate in (RDFS.label, SKOS.prefLabel):
        for value in graph.objects(thing, predicate):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
    raise AssertionError(f"{thing} has no label in {lang}")


HTML_NEGOTIATION = [
    # (path, Accept, expected media type)
    ("/doc/knooppunt/R1.04", BROWSER, "text/html"),
    ("/doc/knooppunt/R1.04", "text/html", "text/html"),
    ("/doc/knooppunt/R1.04", "text/html;q=0.5, text/turtle", "text/turtle"),
    ("/doc/knooppunt/R1.04", "*/*", "text/turtle"),
    ("/doc/knooppunt/R1.04.html", "text/turtle", "text/html"),
    ("/doc/knooppunt/R1.04.ttl", BROWSER, "text/turtle"),
]


@pytest.mark.parametrize(("path", "accept", "expected"), HTML_NEGOTIATION)
def test_documents_offer_html_to_browsers_only(
    client: FlaskClient, path: str, accept: str, expected: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == expected
    assert response.headers["Vary"] == "Accept"


KINDS = {
    "knooppunt": WK.Knooppunt,
    "phase": WK.Phase,
    "spoor": WK.Spoor,
    "stakeholder-type": WK.StakeholderType,
    "organisation": URIRef("http://www.w3.org/ns/org#Organization"),
    "story": WK.PracticeStory,
    "place": WK.Neighbourhood,
    "source": WK.SourceDocument,
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_page_in_both_languages(
    client: FlaskClient, published: Graph, kind: str
) -> None:
    things = sorted(
        thing
        for thing in published.subjects(RDF.type, KINDS[kind])
        if str(thing).startswith(f"{BASE}id/{kind}/")
    )
    assert things, f"the data has no {kind}"
    for thing in things[:3]:
        path = "/doc/" + str(thing).removeprefix(f"{BASE}id/")
        dutch, english = page(client, path), page(client, path + "?lang=en")
        assert (dutch.lang, english.lang) == ("nl", "en")
        assert label(published, thing, "nl") in dutch.headings[0]
        assert label(published, thing, "en") in english.headings[0]
        for form in ("ttl", "jsonld", "nt", "rdf"):
            assert f"{path}.{form}" in dutch.links


def test_a_knooppunt_page_shows_its_dependencies_and_who_to_involve(
    client: FlaskClient, published: Graph
) -> None:
    digraph = dependency_graph(published)
    shown = page(client, "/doc/knooppunt/R2.07")
    linked = {link.rsplit("/", 1)[1] for link in shown.links if "/doc/knooppunt/" in link}
    reached = upstream(digraph, "R2.07") + downstream(digraph, "R2.07")
    assert len(reached) > 10 and {other.code for other in reached} <= linked
    goal = next(published.objects(URIRef(f"{BASE}id/knooppunt/R2.07"), WK.goal))
    assert " ".join(str(goal).split()) in shown.words
    involved = {
        label(published, next(published.objects(involvement, WK.stakeholderType)), "nl")
        for involvement in published.objects(URIRef(f"{BASE}id/knooppunt/R2.07"), WK.involvement)
    }
    assert involved and all(name in shown.words for name in involved)


def test_progress_records_are_named_on_their_page_and_their_place_s_page(
    client: FlaskClient, published: Graph
) -> None:
    """Progress records have no stored label: the pages compose one from what they connect."""
    record = URIRef(f"{BASE}id/progress/de-parken-R1.04")
    place = published.value(record, WK.neighbourhood)
    knooppunt = published.value(record, WK.knooppunt)
    status = published.value(record, WK.status)
    assert place and knooppunt and status and published.value(record, RDFS.label) is None
    for lang in ("nl", "en"):
        name = f"{label(published, place, lang)}: {published.value(knooppunt, WK.code)} "
        name += label(published, status, lang)
        own = page(client, f"/doc/progress/de-parken-R1.04?lang={lang}")
        assert name in own.headings[0]
        assert name in page(client, f"/doc/place/de-parken?lang={lang}").words


def test_a_story_page_shows_the_progress_picture_and_what_is_next(client: FlaskClient) -> None:
    shown = page(client, "/doc/story/apeldoorn")
    assert "/api/pictures/progress.svg?place=de-parken" in shown.links
    picture = client.get("/api/pictures/progress.svg?place=de-parken")
    assert picture.status_code == 200 and picture.mimetype == "image/svg+xml"
    assert any("involve_neighbourhood_now" in link for link in shown.links)


def test_every_page_names_the_queries_that_made_it_and_they_give_the_same_rows(
    client: FlaskClient,
) -> None:
    shown = page(client, "/doc/stakeholder-type/gemeente?lang=en")
    answers = [link for link in shown.links if link.startswith("/api/queries/")]
    editors = [link for link in shown.links if link.startswith("/sparql?query=")]
    assert len(answers) == len(editors) >= 3
    for answer, editor in zip(answers, editors, strict=True):
        as_json = client.get(answer).get_json()
        query = parse_qs(urlsplit(editor).query)["query"][0]
        as_sparql = client.get(
            "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
        ).get_json()
        plain = [
            {name: term["value"] for name, term in row.items()}
            for row in as_sparql["results"]["bindings"]
        ]
        assert as_json["rows"] == plain, answer


def test_the_links_of_the_pages_resolve(client: FlaskClient) -> None:
    starts = ["/", "/?lang=en", "/doc/knooppunt/R3.02", "/doc/story/zilverkamp?lang=en"]
    local = {
        link
        for start in starts
        for link in page(client, start).links
        if link.startswith("/") and not link.startswith("/sparql?")
    }
    assert len(local) > 50
    for link in sorted(local):
        response = client.get(link, headers={"Accept": BROWSER}, follow_redirects=True)
        assert response.status_code == 200, link


def test_the_language_switch_keeps_the_page_and_english_links_stay_english(
    client: FlaskClient,
) -> None:
    dutch = page(client, "/doc/phase/3")
    assert "/doc/phase/3?lang=en" in dutch.links
    english = page(client, "/doc/phase/3?lang=en")
    assert "/doc/phase/3" in english.links
    inner = [link for link in english.links if link.startswith("/doc/") and link != "/doc/phase/3"]
    assert inner and all(
        link.endswith("?lang=en") or "." in link.rsplit("/", 1)[1] for link in inner
    )
    assert page(client, "/?lang=xx").lang == "nl"


@pytest.mark.parametrize(
    ("needle", "expected"),
    [("R2.07", "/doc/knooppunt/R2.07"), ("toekomstbeeld", "/doc/knooppunt/R2.07")],
)
def test_search_finds_a_knooppunt(client: FlaskClient, needle: str, expected: str) -> None:
    found = [link for link in page(client, f"/search?q={needle}").links if link.startswith("/doc/")]
    assert found[0] == expected


@pytest.mark.parametrize("needle", ['"} } DROP ALL #', "\\u0000", "x" * 500, "%00", "é"])
def test_search_takes_any_text_as_text(client: FlaskClient, needle: str) -> None:
    shown = page(client, "/search?" + f"q={needle}")
    assert not [link for link in shown.links if link.startswith("/doc/")] or needle == "é"


def test_an_unknown_resource_has_no_page(client: FlaskClient) -> None:
    assert_error_shape(client.get("/doc/knooppunt/R9.99"), 404)
    response = client.get("/doc/knooppunt/R9.99", headers={"Accept": BROWSER})
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Niet gevonden" in Page(response.get_data(as_text=True)).headings


def test_the_ontology_documentation_has_an_anchor_for_every_term(
    client: FlaskClient, published: Graph
) -> None:
    docs = client.get("/def/", headers={"Accept": BROWSER})
    assert docs.status_code == 200 and docs.mimetype == "text/html"
    anchors = set(re.findall(r'id="([^"]+)"', docs.get_data(as_text=True)))
    terms = {
        term
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for term in published.subjects(RDF.type, kind)
        if str(term).startswith(str(WK)) and "/" not in str(term).removeprefix(str(WK))
    }
    assert len(terms) > 40
    for term in terms:
        response = client.get(
            "/def/" + str(term).removeprefix(str(WK)), headers={"Accept": BROWSER}
        )
        assert response.status_code == 303, term
        location = response.headers["Location"]
        assert location.startswith("/def/#") and location[6:] in anchors, term


def test_code_list_terms_lead_to_their_class(client: FlaskClient) -> None:
    response = client.get("/def/role/leads", headers={"Accept": BROWSER})
    role = client.get("/def/InvolvementRole", headers={"Accept": BROWSER})
    assert response.status_code == 303 and response.headers["Location"] == role.headers["Location"]


def test_terms_asked_as_rdf_lead_to_the_ontology(client: FlaskClient) -> None:
    response = client.get("/def/Knooppunt", headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["Location"] == "/def/"
    ontology = client.get("/def/", headers={"Accept": "text/turtle"})
    triples = {quad.triple for quad in ox.parse(ontology.data, format=ox.RdfFormat.TURTLE)}
    knooppunt = ox.Triple(
        ox.NamedNode(str(WK.Knooppunt)), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Class))
    )
    assert knooppunt in triples


@pytest.mark.parametrize("path", ["/def/Nope", "/def/role/nobody", "/def/..%2Fsecret", "/def/a//b"])
def test_unknown_terms_are_404(client: FlaskClient, path: str) -> None:
    assert_error_shape(client.get(path, headers={"Accept": "text/turtle"}), 404)
    assert client.get(path, headers={"Accept": BROWSER}).status_code == 404


def test_browsers_get_the_editor_with_every_canned_query_as_an_example(
    client: FlaskClient,
) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "vendor/yasgui/yasgui.min.js" in html
    examples = json.loads(
        re.search(r'<script type="application/json" id="examples">(.*?)</script>', html, re.S)[1]
    )
    assert len(examples) == len(load_queries())
    for example in examples:
        answer = client.post("/sparql", data={"query": example["query"]})
        assert answer.status_code == 200, example["name"]


@pytest.mark.parametrize("accept", [None, "*/*", "application/sparql-results+json"])
def test_other_clients_still_get_the_protocol(client: FlaskClient, accept: str | None) -> None:
    response = client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept} if accept else {}
    )
    assert response.status_code == 200 and "json" in response.mimetype
    described = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert described.mimetype != "text/html"
