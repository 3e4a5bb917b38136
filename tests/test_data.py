"""The real data: it conforms, covers the Wijkkompas, and keeps the facts of the sources."""

import re
from decimal import Decimal

import networkx as nx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from compass_graph import paths
from compass_graph.dependencies import dependency_graph
from compass_graph.loader import LoadedData
from compass_graph.namespaces import CATALOGUE, REGIE, WK, thing_namespace
from compass_graph.prefixes import DEFAULT_BASE, PREFIXES
from compass_graph.validate import validate

PLACE = thing_namespace(DEFAULT_BASE, "place")
ORGANISATION = thing_namespace(DEFAULT_BASE, "organisation")
STORY = thing_namespace(DEFAULT_BASE, "story")
ORGROLE = Namespace(DEFAULT_BASE + "def/organisation-role/")


def count(graph: Graph, query: str, **bindings: object) -> int:
    rows = list(graph.query(query, initNs=PREFIXES, initBindings=bindings))  # type: ignore[arg-type]
    return len(rows)


def test_the_data_conforms_to_the_shapes(loaded: LoadedData) -> None:
    report = validate(loaded)
    assert report.conforms, report.text


def test_the_dependency_graph_is_acyclic_and_large_enough(graph: Graph) -> None:
    digraph = dependency_graph(graph)
    assert nx.is_directed_acyclic_graph(digraph)
    assert digraph.number_of_edges() >= 70


def test_the_process_has_six_ordered_phases_two_tracks_and_sporen_a_to_f(graph: Graph) -> None:
    assert sorted(int(o) for o in graph.objects(None, WK.order)) == [1, 2, 3, 4, 5, 6]
    assert len(set(graph.subjects(RDF.type, WK.Track))) == 2
    assert sorted(str(o) for o in graph.objects(None, WK.letter)) == list("ABCDEF")


def test_the_catalogue_has_at_least_45_knooppunten(graph: Graph) -> None:
    assert len(set(graph.subjects(RDF.type, WK.Knooppunt))) >= 45


@pytest.mark.parametrize("order", range(1, 7))
def test_every_phase_has_at_least_five_knooppunten(graph: Graph, order: int) -> None:
    query = "SELECT ?k WHERE { ?k wk:phase/wk:order ?order }"
    assert count(graph, query, order=Literal(order)) >= 5


@pytest.mark.parametrize("letter", list("ABCDEF"))
def test_every_spoor_is_served_by_at_least_five_knooppunten(graph: Graph, letter: str) -> None:
    query = "SELECT ?k WHERE { ?k a wk:Knooppunt ; wk:spoor/wk:letter ?letter }"
    assert count(graph, query, letter=Literal(letter)) >= 5


def test_every_reconstructed_knooppunt_states_its_basis_and_source(graph: Graph) -> None:
    for knooppunt in graph.subjects(WK.catalogueStatus, CATALOGUE.reconstructed):
        assert {value.language for value in graph.objects(knooppunt, WK.basis)} == {"nl", "en"}  # type: ignore[attr-defined]
        assert graph.value(knooppunt, DCTERMS.source) is not None


def test_every_source_document_is_cited(graph: Graph) -> None:
    uncited = [
        source
        for source in graph.subjects(RDF.type, WK.SourceDocument)
        if not any(graph.subjects(DCTERMS.source, source))
        and not any(graph.subjects(URIRef("http://www.w3.org/ns/prov#used"), source))
    ]
    assert uncited == []


def test_every_resource_is_labelled_in_dutch_and_english(published: Graph) -> None:
    # Progress records are labelled when described: tests/test_linked_data.py checks those.
    records = set(published.subjects(RDF.type, WK.ProgressRecord))
    things = {s for s in published.subjects() if str(s).startswith(DEFAULT_BASE + "id/")}
    assert records
    things -= records
    unlabelled = [
        thing
        for thing in things
        if {"nl", "en"}
        - {
            label.language
            for p in (RDFS.label, SKOS.prefLabel)
            for label in published.objects(thing, p)
        }  # type: ignore[attr-defined]
    ]
    assert len(things) > 500
    assert unlabelled == []


NEIGHBOURHOODS = [
    # neighbourhood, municipality, CBS code, regie model: as the sources state them
    ("loenen", "Apeldoorn", "GM0200", "residents-led"),
    ("de-maten", "Apeldoorn", "GM0200", "municipality-led"),
    ("de-parken", "Apeldoorn", "GM0200", "residents-led"),
    ("rozendaal", "Leusden", "GM0327", "residents-led"),
    ("ermelo-west", "Ermelo", "GM0233", "municipality-led"),
    ("zilverkamp", "Lingewaard", "GM1705", "joint"),
    ("ramplaankwartier", "Haarlem", "GM0392", "residents-led"),
]


@pytest.mark.parametrize(("place", "municipality", "code", "regie"), NEIGHBOURHOODS)
def test_each_story_place_lies_in_its_municipality_with_its_regie(
    graph: Graph, place: str, municipality: str, code: str, regie: str
) -> None:
    query = """SELECT DISTINCT ?m WHERE {
        ?place schema:containedInPlace+ ?m ; wk:regieModel ?regie .
        ?m a wk:Municipality ; wk:cbsCode ?code ; rdfs:label ?name .
        FILTER (STR(?name) = ?municipality) }"""
    bindings = {
        "place": PLACE[place],
        "code": Literal(code),
        "regie": REGIE[regie],
        "municipality": Literal(municipality),
    }
    assert count(graph, query, **bindings) == 1


LEADS = [
    # story, organisation that holds the lead there
    ("apeldoorn", "gemeente-apeldoorn"),
    ("apeldoorn", "loenen-energie-neutraal"),
    ("apeldoorn", "initiatiefgroep-duurzame-parken"),
    ("rozendaal", "buurtteam-eurowoningen"),
    ("ermelo-west", "gemeente-ermelo"),
    ("zilverkamp", "gemeente-lingewaard"),
    ("zilverkamp", "waardwonen"),
    ("zilverkamp", "cooperatie-duurzaam-zilverkamp"),
    ("ramplaankwartier", "spaargas"),
]


PARTICIPATION = """SELECT ?p WHERE {
    ?story wk:participation ?p . ?p wk:organisation ?organisation ; wk:role ?role }"""


@pytest.mark.parametrize(("story", "organisation"), LEADS)
def test_who_leads_each_story_is_recorded(graph: Graph, story: str, organisation: str) -> None:
    bindings = {"story": STORY[story], "organisation": ORGANISATION[organisation]}
    assert count(graph, PARTICIPATION, role=ORGROLE["holds-regie"], **bindings) == 1


@pytest.mark.parametrize(
    ("story", "organisation"),
    [("rozendaal", "gemeente-leusden"), ("ramplaankwartier", "gemeente-haarlem")],
)
def test_in_residents_led_stories_the_municipality_facilitates(
    graph: Graph, story: str, organisation: str
) -> None:
    bindings = {"story": STORY[story], "organisation": ORGANISATION[organisation]}
    assert count(graph, PARTICIPATION, role=ORGROLE["facilitates"], **bindings) == 1


MONEY = [
    # story, funder, amount in euro, basis: as the sources state them
    ("ramplaankwartier", "gemeente-haarlem", "2500000", "total"),
    ("ermelo-west", "gemeente-ermelo", "12000", "per-homeowner"),
    ("rozendaal", "programma-aardgasvrije-wijken", "3990999", "total"),
    ("zilverkamp", "programma-aardgasvrije-wijken", "4150000", "total"),
]


@pytest.mark.parametrize(("story", "funder", "amount", "basis"), MONEY)
def test_the_money_of_each_story_is_recorded(
    graph: Graph, story: str, funder: str, amount: str, basis: str
) -> None:
    query = """SELECT ?amount WHERE {
        ?story wk:funding ?f .
        ?f schema:funder ?funder ; wk:amount ?amount ; schema:currency "EUR" ; wk:amountBasis ?basis
    }"""
    bindings = {
        "story": STORY[story],
        "funder": ORGANISATION[funder],
        "basis": URIRef(f"{DEFAULT_BASE}def/amount-basis/{basis}"),
    }
    rows = list(graph.query(query, initNs=PREFIXES, initBindings=bindings))  # type: ignore[arg-type]
    assert Decimal(amount) in [row[0].toPython() for row in rows]  # type: ignore[index, union-attr]


PRIVATE_PERSONS = [
    "Dieke", "Schutjens", "Klaas", "Vegter", "Vincent", "Oberdorf", "Yvette", "Detiger",
    "Marjolijn", "Janssen", "Arjen", "Baatje", "de Kort", "René", "Ramaker", "Djoera",
    "Eerland", "Zuilhof", "Michiel", "van der Vight", "Lisa", "van Welie", "Benjamin",
]  # fmt: skip


def test_the_open_data_names_no_private_persons() -> None:
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, PRIVATE_PERSONS)) + r")\b")
    for path in sorted(paths.DATA_DIR.glob("*.ttl")):
        found = pattern.findall(path.read_text(encoding="utf-8"))
        assert found == [], f"{path.name} names {found}"
