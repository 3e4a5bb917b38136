"""The dataset's base and the prefixes it is written with, as plain text.

``compass_graph.namespaces`` gives the same IRIs as rdflib terms; what only writes or reads text
(query prologues, the formats an answer is sent in, the query workers) needs no more than this.
"""

DEFAULT_BASE = "https://w3id.org/wijkkompas/"  # where the open data is published

PREFIXES: dict[str, str] = {
    "wk": DEFAULT_BASE + "def/",
    "role": DEFAULT_BASE + "def/role/",
    "regie": DEFAULT_BASE + "def/regie/",
    "status": DEFAULT_BASE + "def/status/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
