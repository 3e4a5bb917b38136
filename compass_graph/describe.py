"""What the dataset says about one resource: its own statements, the labels of what it links to,
and the statements that link to it. The same CONSTRUCT runs on the embedded and a remote store.
"""

DESCRIBE_QUERY = """
CONSTRUCT {
  ?thing ?p ?o .
  ?o ?labelling ?label .
  ?inbound ?ip ?thing .
  ?inbound ?inboundLabelling ?inboundLabel .
}
WHERE {
  {
    ?thing ?p ?o .
    OPTIONAL {
      ?o ?labelling ?label .
      FILTER (?labelling IN (rdfs:label, skos:prefLabel))
    }
  } UNION {
    ?inbound ?ip ?thing .
    OPTIONAL {
      ?inbound ?inboundLabelling ?inboundLabel .
      FILTER (?inboundLabelling IN (rdfs:label, skos:prefLabel))
    }
  }
}
"""

# A resource path under id/: a kind and a reference, e.g. knooppunt/R1.01 or place/de-parken.
RESOURCE_PATH = r"^[a-z][a-z-]{0,39}/[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
