"""The ontology's documentation: one HTML page made by pyLODE, and the anchor of every term on it.

The anchors let a term IRI such as ``def/Knooppunt`` dereference to its place on the page.
"""

import json
import logging
import re
import warnings
from pathlib import Path

DOCS_FILE = "ontology.html"
ANCHORS_FILE = "ontology-anchors.json"

# pyLODE writes each term as <div class="... entity" id="anchor"> <h3>...</h3> ... <code>IRI</code>.
_TERM = re.compile(r'<div class="[^"]*\bentity" id="([^"]+)">\s*<h3>.*?<code>([^<]+)</code>', re.S)


def ontology_docs(ontology_file: Path) -> tuple[str, dict[str, str]]:
    """Return the documentation page of the ontology and the anchor of each term it documents."""
    # pyLODE logs through the root logger, which configures itself to print on stderr when it
    # has no handler yet: give it a silent one meanwhile, and leave the root as it was.
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    root.addHandler(logging.NullHandler())
    try:
        # pyLODE reads its stylesheet without closing the file; that warning is not ours to fix.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            from pylode import OntPub  # imported late: it loads background ontologies

            page = str(OntPub(ontology=str(ontology_file)).make_html())
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    anchors: dict[str, str] = {}
    for anchor, iri in _TERM.findall(page):
        anchors.setdefault(iri, anchor)
    return page, anchors


def write_ontology_docs(ontology_file: Path, out_dir: Path) -> dict[str, bytes]:
    """Write the documentation page and its anchors into ``out_dir``; return what was written."""
    page, anchors = ontology_docs(ontology_file)
    files = {
        DOCS_FILE: page.encode("utf-8"),
        ANCHORS_FILE: json.dumps(anchors, indent=1, sort_keys=True).encode("utf-8") + b"\n",
    }
    for name, content in files.items():
        (out_dir / name).write_bytes(content)
    return files


def read_anchors(build_dir: Path) -> dict[str, str]:
    """Read the term anchors a build wrote; empty when the build has none."""
    path = build_dir / ANCHORS_FILE
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))
