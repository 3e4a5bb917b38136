"""The one place that knows where the ontology, the data and the queries live.

In a checkout they are the top-level folders beside the package; in an installed wheel they ship
inside it, under ``compass_graph/resources/``.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SHIPPED = _PACKAGE / "resources"
_ROOT = _SHIPPED if _SHIPPED.is_dir() else _PACKAGE.parent

# Where a build is published unless told otherwise: relative to the working folder.
DIST_DIR = Path("dist")

ONTOLOGY_DIR = _ROOT / "ontology"
DATA_DIR = _ROOT / "data"
QUERIES_DIR = _ROOT / "queries"

ONTOLOGY_FILE = ONTOLOGY_DIR / "wijkkompas.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
DCAT_SHAPES_FILE = ONTOLOGY_DIR / "dcat-shapes.ttl"
