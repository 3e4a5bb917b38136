"""compass-graph: the Wijkkompas as an open linked-data knowledge graph."""

__version__ = "0.1.0"
