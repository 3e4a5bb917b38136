"""compass-graph: the Wijkkompas as an open linked-data knowledge graph."""

import rdflib.plugins.sparql

# Where rdflib evaluates SPARQL (the build's own dependency queries, the differential tests), it
# must never fetch the graphs a FROM names from the web or from files.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__version__ = "0.1.0"
