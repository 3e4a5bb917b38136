"""Facts the build derives from the authored data, kept in a named graph of their own.

Qualified links (dependencies, involvements, participations) are authored without labels; the
build composes labels for them from the labels of what they connect, so every resource reads well
in any linked-data browser. Progress records are the exception: a national dataset holds hundreds
of thousands, so each is labelled when it is described (``compass_graph.describe``), not stored
with a label. Progress is also counted per municipality and phase, so that national overviews are
looked up instead of computed on every request.
"""

import pyoxigraph as ox

from compass_graph.prefixes import PREFIXES
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
    # Per municipality and phase: its neighbourhoods, how many went through the phase, and passes.
    """CONSTRUCT {
        ?progress a wk:PhaseProgress ; wk:municipality ?municipality ; wk:phase ?phase ;
            wk:neighbourhoodCount ?neighbourhoods ; wk:completedCount ?completed ;
            wk:passedCount ?passes ; rdfs:label ?nl, ?en .
    }
    WHERE {
        {
            SELECT ?municipality ?phase (COUNT(?place) AS ?neighbourhoods)
                (SUM(IF(?passed = ?size, 1, 0)) AS ?completed) (SUM(?passed) AS ?passes)
            WHERE {
                ?place a wk:Neighbourhood ; schema:containedInPlace+ ?municipality .
                ?municipality a wk:Municipality .
                { SELECT ?phase (COUNT(?knooppunt) AS ?size)
                  WHERE { ?knooppunt a wk:Knooppunt ; wk:phase ?phase } GROUP BY ?phase }
                OPTIONAL {
                    SELECT ?place ?phase (COUNT(DISTINCT ?knooppunt) AS ?count) WHERE {
                        ?record a wk:ProgressRecord ; wk:neighbourhood ?place ;
                            wk:knooppunt ?knooppunt ; wk:status status:passed .
                        ?knooppunt wk:phase ?phase .
                    } GROUP BY ?place ?phase
                }
                BIND (COALESCE(?count, 0) AS ?passed)
            }
            GROUP BY ?municipality ?phase
        }
        ?municipality rdfs:label ?name . FILTER (LANG(?name) = "nl")
        ?phase wk:order ?order .
        BIND (IRI(CONCAT(REPLACE(STR(?municipality), "/id/place/", "/id/phase-progress/"),
            "-", STR(?order))) AS ?progress)
        BIND (STRLANG(CONCAT(?name, ": fase ", STR(?order)), "nl") AS ?nl)
        BIND (STRLANG(CONCAT(?name, ": phase ", STR(?order)), "en") AS ?en)
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
        # The bulk loader reads N-Triples in parallel: faster than a transaction, and the store
        # is not yet shared with any reader. Oxigraph wrote them: they need no checking again.
        store.bulk_load(triples, format=nt, to_graph=graph, lenient=True)
