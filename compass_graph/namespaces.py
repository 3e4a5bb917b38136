"""The vocabulary, once: the ontology's terms, its code lists, and the IRIs of things.

Terms (``def/``) are fixed. Things (``id/{type}/{reference}``) and named graphs (``graph/``) hang
off a base that a deployment may change; ``DEFAULT_BASE`` is the one the open data is published at.
The same IRIs as plain text, without rdflib, are in ``compass_graph.prefixes``.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from compass_graph.prefixes import DEFAULT_BASE, PREFIXES


class WK(DefinedNamespace):
    """The Wijkkompas ontology, ``ontology/wijkkompas.ttl``."""

    _NS = Namespace(PREFIXES["wk"])
    _fail = True

    # Classes
    AmountBasis: URIRef
    CatalogueStatus: URIRef
    Dependency: URIRef
    Event: URIRef
    Funding: URIRef
    HeatSolution: URIRef
    Involvement: URIRef
    InvolvementRole: URIRef
    Knooppunt: URIRef
    Lesson: URIRef
    LessonKind: URIRef
    Municipality: URIRef
    Neighbourhood: URIRef
    OrganisationRole: URIRef
    Participation: URIRef
    Phase: URIRef
    PhaseProgress: URIRef
    PracticeStory: URIRef
    ProgressRecord: URIRef
    RegieModel: URIRef
    Settlement: URIRef
    SourceDocument: URIRef
    Spoor: URIRef
    StakeholderType: URIRef
    Status: URIRef
    Track: URIRef
    Village: URIRef

    # Properties
    amount: URIRef
    amountBasis: URIRef
    approach: URIRef
    basis: URIRef
    catalogueStatus: URIRef
    cbsCode: URIRef
    code: URIRef
    completedCount: URIRef
    concernsKnooppunt: URIRef
    concernsStakeholderType: URIRef
    dependent: URIRef
    event: URIRef
    evidence: URIRef
    funding: URIRef
    goal: URIRef
    heatSolution: URIRef
    illustrates: URIRef
    involvement: URIRef
    knooppunt: URIRef
    lessonKind: URIRef
    municipality: URIRef
    neighbourhoodCount: URIRef
    letter: URIRef
    neighbourhood: URIRef
    order: URIRef
    organisation: URIRef
    participation: URIRef
    passedCount: URIRef
    phase: URIRef
    place: URIRef
    position: URIRef
    prerequisite: URIRef
    rationale: URIRef
    regieModel: URIRef
    requires: URIRef
    hasPassed: URIRef
    role: URIRef
    scope: URIRef
    spoor: URIRef
    stakeholderType: URIRef
    status: URIRef
    tip: URIRef
    year: URIRef

    # Concept schemes of the closed code lists
    amountBases: URIRef
    catalogueStatuses: URIRef
    involvementRoles: URIRef
    lessonKinds: URIRef
    organisationRoles: URIRef
    regieModels: URIRef
    statuses: URIRef


ONTOLOGY_IRI = URIRef(PREFIXES["wk"])
ROLE = Namespace(PREFIXES["role"])
REGIE = Namespace(PREFIXES["regie"])
STATUS = Namespace(PREFIXES["status"])
CATALOGUE = Namespace(DEFAULT_BASE + "def/catalogue-status/")

SCHEMA = Namespace(PREFIXES["schema"])


def thing_namespace(base: str, kind: str) -> Namespace:
    """Return the namespace of things of one kind, ``{base}id/{kind}/``."""
    return Namespace(f"{base}id/{kind}/")


def graph_iri(base: str, name: str) -> URIRef:
    """Return the IRI of the named graph that holds one data file, ``{base}graph/{name}``."""
    return URIRef(f"{base}graph/{name}")


def prefixed_name(iri: str) -> str:
    """Return a prefixed name such as ``skos:prefLabel`` for an IRI in a known vocabulary."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
