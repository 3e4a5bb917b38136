"""Facts the build derives from the authored data, kept in a named graph of their own.

Qualified links (dependencies, involvements, participations, progress records) are authored
without labels; the build composes labels for them from the labels of what they connect, so every
resource reads well in any linked-data browser.
"""

import pyoxigraph as ox

from compass_graph.namespaces import PREFIXES
from compass_graph.queries import prologue

RULES = (
    # The short form of each dependency.
    """CONSTRUCT { ?dependent wk:requires ?prerequisite }
    WHERE { ?record a wk:Dependency ; wk:dependent ?dependent ; wk:prerequisite ?prerequisite }""",
    # The short form of progress: which knooppunten each neighbourhood has passed.
    """CONSTRUCT { ?place wk:hasPassed ?knooppunt }
    WHERE {
        ?record a wk:ProgressRecord ; wk:neighbourhood ?place ; wk:knooppunt ?knooppunt ;
            wk:status status:passed
    }""",
    # "R2.03 vereist R1.02" / "R2.03 requires R1.02"
    """CONSTRUCT { ?record rdfs:label ?nl, ?en }
    WHERE {
        ?record a wk:Dependency ; wk:dependent/wk:code ?d ; wk:prerequisite/wk:code ?p .
        BIND (STRLANG(CONCAT(?d, " vereist ", ?p), "nl") AS ?nl)
        BIND (STRLANG(CONCAT(?d, " requires ", ?p), "en") AS ?en)
    }""",
    # "R1.01: gemeente (leidt)" / "R1.01: municipality (leads)"
    """CONSTRUCT { ?involvement rdfs:label ?label }
    WHERE {
        ?knooppunt wk:code ?code ; wk:involvement ?involvement .
        ?involvement wk:stakeholderType/skos:prefLabel ?who ; wk:role/skos:prefLabel ?role .
        FILTER (LANG(?who) = LANG(?role))
        BIND (STRLANG(CONCAT(?code, ": ", ?who, " (", ?role, ")"), LANG(?who)) AS ?label)
    }""",
    # "Gemeente Haarlem in Ramplaankwartier, Haarlem (faciliteert)"
    """CONSTRUCT { ?participation rdfs:label ?label }
    WHERE {
        ?story wk:participation ?participation ; rdfs:label ?title .
        ?participation wk:organisation/rdfs:label ?name ; wk:role/skos:prefLabel ?role .
        FILTER (LANG(?title) = LANG(?name) && LANG(?name) = LANG(?role))
        BIND (STRLANG(CONCAT(?name, ", ", ?title, " (", ?role, ")"), LANG(?name)) AS ?label)
    }""",
    # "De Parken: R4.02 gepasseerd" / "De Parken: R4.02 passed"
    """CONSTRUCT { ?record rdfs:label ?label }
    WHERE {
        ?record a wk:ProgressRecord ; wk:neighbourhood/rdfs:label ?place ;
            wk:knooppunt/wk:code ?code ; wk:status/skos:prefLabel ?status .
        FILTER (LANG(?place) = LANG(?status))
        BIND (STRLANG(CONCAT(?place, ": ", ?code, " ", ?status), LANG(?place)) AS ?label)
    }""",
)


def derive(store: ox.Store, graph: ox.NamedNode) -> None:
    """Add to ``graph`` the triples the rules derive from the union of the store's graphs.

    Every rule reads the data as authored: what one rule derives is added after all have run.
    """
    nt = ox.RdfFormat.N_TRIPLES
    derived = []
    for rule in RULES:
        answer = store.query(prologue(PREFIXES) + rule, use_default_graph_as_union=True)
        assert isinstance(answer, ox.QueryTriples)
        derived.append(answer.serialize(format=nt))
    for triples in derived:
        store.load(triples, format=nt, to_graph=graph)
