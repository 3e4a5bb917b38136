"""What the dataset says about one resource: its own statements, the labels of what it links to,
and the statements that link to it. The same CONSTRUCT runs on the embedded and a remote store.

A progress record has no stored label (``compass_graph.derive`` says why): the description
composes one from its neighbourhood, knooppunt and status, for the record itself and for the
records that link to the resource described ("De Parken: R4.02 gepasseerd").

Links to the resource are described only for the properties that link to it at most
``LINKS_LISTED`` times, as on its page (the canned query ``resource_links_in``): at national scale
a knooppunt has a progress record and a ``wk:hasPassed`` link from every neighbourhood, tens of
thousands, which would crowd its own statements out of a document held to the row cap. SPARQL
gives them all, and the page counts them.
"""

LINKS_LISTED = 200  # as in queries/resource_links_in.rq

# The properties that link to ?thing at most LINKS_LISTED times. Repeated in both branches of links
# to ?thing rather than joined once with their union: Oxigraph then evaluates both in full before
# the join (7.1 s instead of 45 ms for a knooppunt at national scale, in resource_links_in).
_FEW_LINKS = (
    "{ SELECT ?ip WHERE { ?linking ?ip ?thing } GROUP BY ?ip "
    f"HAVING (COUNT(DISTINCT ?linking) <= {LINKS_LISTED}) }}"
)


def _record_label(record: str, label: str) -> str:
    """The pattern that composes a progress record's label, in each language, as ``label``."""
    return f"""
    {record} wk:neighbourhood ?neighbourhood ; wk:knooppunt ?knooppunt ; wk:status ?state .
    ?neighbourhood rdfs:label ?place . ?knooppunt wk:code ?code . ?state skos:prefLabel ?status .
    FILTER (LANG(?place) = LANG(?status))
    BIND (STRLANG(CONCAT(?place, ": ", ?code, " ", ?status), LANG(?place)) AS {label})"""


DESCRIBE_QUERY = f"""
CONSTRUCT {{
  ?thing ?p ?o .
  ?o ?labelling ?label .
  ?inbound ?ip ?thing .
  ?inbound ?inboundLabelling ?inboundLabel .
}}
WHERE {{
  {{
    ?thing ?p ?o .
    OPTIONAL {{
      ?o ?labelling ?label .
      FILTER (?labelling IN (rdfs:label, skos:prefLabel))
    }}
  }} UNION {{
    {_FEW_LINKS}
    ?inbound ?ip ?thing .
    OPTIONAL {{
      ?inbound ?inboundLabelling ?inboundLabel .
      FILTER (?inboundLabelling IN (rdfs:label, skos:prefLabel))
    }}
  }} UNION {{
    ?thing a wk:ProgressRecord .{_record_label("?thing", "?o")}
    BIND (rdfs:label AS ?p)
  }} UNION {{
    # The type is filtered, not matched, and no sub-select holds the records: otherwise Oxigraph
    # starts from every progress record, or looks up every label, before it finds the few here.
    {_FEW_LINKS}
    ?inbound ?ip ?thing ; a ?type .
    FILTER (?type = wk:ProgressRecord){_record_label("?inbound", "?inboundLabel")}
    BIND (rdfs:label AS ?inboundLabelling)
  }}
}}
"""

# A resource path under id/: a kind and a reference, e.g. knooppunt/R1.01 or place/de-parken.
RESOURCE_PATH = r"^[a-z][a-z-]{0,39}/[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
