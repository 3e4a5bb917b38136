"""Persistent URIs that dereference: ``/id/...`` answers 303 to ``/doc/...``, which negotiates RDF.

Following the Dutch URI strategy, ``/id/{kind}/{ref}`` names the thing and ``/doc/{kind}/{ref}``
is the document about it: a web page for browsers, RDF for everything else. A suffix (.html,
.ttl, .jsonld, .nt, .rdf) picks a format explicitly. Paths
are checked against a strict pattern before anything is looked up, so odd encodings and dot
segments get 404 and never reach a file or a query.
"""

import os
import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request, send_file

from api.pages import resource_page
from api.responses import choose_format, finish, rendered
from api.serving import current_endpoint
from compass_graph import paths
from compass_graph.describe import RESOURCE_PATH
from compass_graph.errors import ResourceNotFound
from compass_graph.formats import GRAPH_FORMATS, content_type
from compass_graph.metadata import dataset_description
from compass_graph.namespaces import WK, graph_iri
from compass_graph.ontology_docs import DOCS_FILE, ontology_docs, read_anchors
from compass_graph.prefixes import PREFIXES

bp = Blueprint("linked_data", __name__)

HTML = "text/html"
SUFFIXES = {
    ".html": HTML,
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
}
PATTERN = re.compile(RESOURCE_PATH)
# A term such as Knooppunt or role/leads.
TERM_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}(/[A-Za-z0-9][A-Za-z0-9._-]{0,79})?$")


def _checked(path: str) -> str:
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    if "%" in raw.split("?", 1)[0] or not PATTERN.fullmatch(path):
        raise ResourceNotFound(f"/{path} is not the address of a resource here")
    return path


@bp.get("/id/<path:path>")
def thing(path: str) -> Response:
    """Send the client from the thing to the document about it."""
    endpoint = current_endpoint()
    if not endpoint.exists(f"{endpoint.settings.base}id/{_checked(path)}"):
        raise ResourceNotFound(f"there is no resource /id/{path}")
    response = redirect(f"/doc/{path}", code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/doc/<path:path>")
def document(path: str) -> Response:
    """The description of a resource, in the format the client asks for."""
    suffix = next((suffix for suffix in SUFFIXES if path.endswith(suffix)), None)
    if suffix:
        path = path[: -len(suffix)]
    endpoint = current_endpoint()
    iri = f"{endpoint.settings.base}id/{_checked(path)}"
    # HTML is offered last, so that clients accepting anything get RDF; browsers ask for HTML.
    media = SUFFIXES[suffix] if suffix else choose_format(request, [*GRAPH_FORMATS, HTML])
    if media == HTML:
        if not endpoint.exists(iri):
            raise ResourceNotFound(f"there is no resource /id/{path}")
        kind, reference = path.split("/", 1)
        response = resource_page(kind, reference)
        response.headers["Vary"] = "Accept"
        response.headers["Link"] = f'</id/{path}>; rel="describes"'
        return response
    result = endpoint.describe(iri)
    body, etag = rendered(result, media)
    response = Response(body, content_type=content_type(media))
    response.headers["Link"] = f'</id/{path}>; rel="describes"'
    return finish(request, response, result, etag, endpoint.build_id)


@bp.get("/def/")
def ontology() -> Response:
    """The ontology: its documentation for browsers, its statements in RDF for everything else."""
    endpoint = current_endpoint()
    media = choose_format(request, [*GRAPH_FORMATS, HTML])
    if media == HTML:
        response = Response(_ontology_docs()[0], content_type=content_type(HTML))
    else:
        result = endpoint.named_graph(str(graph_iri(endpoint.settings.base, "ontology")))
        response = Response(rendered(result, media)[0], content_type=content_type(media))
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/def/<path:path>")
def term(path: str) -> Response:
    """Send a term of the ontology to its place in the documentation, or to the ontology in RDF."""
    iri = f"{WK}{path}"
    endpoint = current_endpoint()
    if not TERM_PATTERN.fullmatch(path) or not endpoint.exists(iri):
        raise ResourceNotFound(f"the ontology has no term /def/{path}")
    target = "/def/"
    if choose_format(request, [*GRAPH_FORMATS, HTML]) == HTML:
        anchors = _ontology_docs()[1]
        anchor = anchors.get(iri)
        if anchor is None:  # a member of a code list is documented with its class
            classes = endpoint.select(
                "SELECT ?class WHERE { ?term a ?class }", {"term": ox.NamedNode(iri)}
            )
            anchor = next((anchors[row["class"]] for row in classes if row["class"] in anchors), "")
        target += f"#{anchor}" if anchor else ""
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


def _ontology_docs() -> tuple[str, dict[str, str]]:
    """The documentation page and term anchors of the build, or of the shipped ontology."""
    return _docs_of(_build_folder())


@lru_cache(maxsize=4)
def _docs_of(folder: Path) -> tuple[str, dict[str, str]]:
    """Read a build's documentation once: a build folder never changes."""
    page = folder / DOCS_FILE
    if page.is_file():
        return page.read_text(encoding="utf-8"), read_anchors(folder)
    return ontology_docs(paths.ONTOLOGY_FILE)


@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID and DCAT description of the dataset, negotiated among the RDF formats."""
    endpoint = current_endpoint()
    triples = dataset_description(
        endpoint.settings.base, request.url_root, endpoint.build, _checksums()
    )
    media = choose_format(request, list(GRAPH_FORMATS))
    body = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=PREFIXES) or b""
    response = Response(body, content_type=content_type(media))
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/data/")
def downloads() -> Response:
    """List the dumps of the build with their SHA-256 checksums."""
    checksums = _checksums()
    files = [
        {"name": name, "url": f"/data/{name}", "sha256": digest}
        for name, digest in checksums.items()
    ]
    return current_app.json.response(
        {"license": "https://creativecommons.org/licenses/by/4.0/", "files": files}
    )


@bp.get("/data/<name>")
def download(name: str) -> Response:
    """Download one dump of the build."""
    checksums = _checksums()
    if name not in checksums:
        raise ResourceNotFound(f"there is no download called {name!r}; see /data/")
    response = send_file(_build_folder() / name, conditional=True, etag=checksums[name])
    response.headers["Digest"] = f"sha-256={checksums[name]}"
    return response


def _build_folder() -> Path:
    settings = current_endpoint().settings
    if settings.remote:  # no build beside a remote store
        return Path(os.devnull)
    return Path(settings.store).resolve().parent


def _checksums() -> dict[str, str]:
    sums = _build_folder() / "SHA256SUMS"
    if not sums.is_file():
        return {}
    pairs = (line.split("  ", 1) for line in sums.read_text(encoding="utf-8").splitlines() if line)
    return {name: digest for digest, name in pairs}
