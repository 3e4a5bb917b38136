"""The web pages: a home page, search, and a page for every resource, in Dutch or English.

Every page is made from canned queries of ``queries/``, the same ones the API serves, and names
them at its foot with links to their JSON answers and to the SPARQL editor, so whatever a page
shows can be fetched as data. The language is a ``lang`` parameter of the address (``nl`` by
default), so each page has one stable address per language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from jinja2 import TemplateNotFound

from api.serving import current_endpoint
from api.texts import LANGUAGES, text
from compass_graph.endpoint import Endpoint
from compass_graph.formats import plain_rows
from compass_graph.namespaces import WK, prefixed_name

bp = Blueprint("pages", __name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TITLE_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
TEXT_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://purl.org/dc/terms/description",
)
RDF_SUFFIXES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}


@dataclass(frozen=True)
class Section:
    """A part of a page: the canned query that fills it and the parameter that takes the page's
    resource (a reference like ``R2.07``, or a ``kind/reference`` path for ``thing`` parameters)."""

    query: str
    parameter: str


# The sections each kind of resource shows, in order. Every page also lists all its statements
# and what links to it.
SECTIONS: dict[str, tuple[Section, ...]] = {
    "knooppunt": (
        Section("upstream", "knooppunt"),
        Section("downstream", "knooppunt"),
        Section("involve_knooppunt", "knooppunt"),
        Section("stories_for_knooppunt", "knooppunt"),
        Section("sources_of_resource", "thing"),
    ),
    "phase": (Section("knooppunten_in_phase", "phase"), Section("involve_phase", "phase")),
    "spoor": (Section("knooppunten_in_spoor", "spoor"), Section("sources_of_resource", "thing")),
    "stakeholder-type": (
        Section("stakeholder_timeline", "stakeholder"),
        Section("lessons_for_stakeholder", "stakeholder"),
    ),
    "story": (
        Section("story_organisations", "story"),
        Section("story_events", "story"),
        Section("story_progress", "story"),
        Section("sources_of_resource", "thing"),
    ),
}
GENERIC = (
    Section("resource_properties", "thing"),
    Section("resource_links_in", "thing"),
    Section("resource_link_counts", "thing"),
)
HOME = ("phases", "sporen", "stories")


@dataclass
class Page:
    """What a page shows: its rows per section, and the queries that made them."""

    lang: str
    endpoint: Endpoint
    sections: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    made_by: list[dict[str, str]] = field(default_factory=list)

    def fill(self, name: str, values: Mapping[str, str]) -> list[dict[str, str]]:
        """Run a canned query for this page and remember that it did."""
        query = self.endpoint.queries[name]
        if any(parameter.name == "lang" for parameter in query.parameters):
            values = {**values, "lang": self.lang}
        rows = plain_rows(self.endpoint.run(name, values))
        self.sections[name] = rows
        self.made_by.append(
            {
                "name": name,
                "summary": query.summary.get(self.lang) or query.summary["en"],
                "json": f"/api/queries/{name}?{urlencode(values)}",
                "editor": "/sparql?"
                + urlencode({"query": query.bound_sparql(values, self.endpoint.settings.base)}),
            }
        )
        return rows


def language() -> str:
    """Return the language the page is asked in: the ``lang`` parameter, else Dutch."""
    asked = request.args.get("lang", "nl")
    return asked if asked in LANGUAGES else "nl"


def local_link(iri: str, lang: str, base: str) -> str:
    """Return where a resource is shown here, or the IRI itself when it lives elsewhere."""
    for prefix, path in ((f"{base}id/", "/doc/"), (str(WK), "/def/")):
        if iri.startswith(prefix):
            address = path + iri[len(prefix) :]
            return address + ("?lang=en" if lang == "en" else "")
    return iri


@bp.app_context_processor
def page_helpers() -> dict[str, Any]:
    """Give every template the language, its words and the link helpers."""
    lang = language()
    base = current_endpoint().settings.base
    switched = {**request.args.to_dict(), "lang": "en" if lang == "nl" else "nl"}
    if switched["lang"] == "nl":
        del switched["lang"]
    return {
        "lang": lang,
        "t": lambda key: text(key, lang),
        "link": lambda iri: local_link(iri, lang, base),
        "here": lambda path: path + ("?lang=en" if lang == "en" else ""),
        "short_name": prefixed_name,
        "switch_language": request.path + ("?" + urlencode(switched) if switched else ""),
    }


@bp.get("/")
def home() -> str:
    """The home page: what the Wijkkompas is, the process at a glance, entry points."""
    page = Page(language(), current_endpoint())
    for name in HOME:
        page.fill(name, {})
    return render_template("pages/home.html", page=page)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon, for browsers that ask for it at the conventional address."""
    return current_app.send_static_file("favicon.svg")


@bp.get("/search")
def search() -> str:
    """Find resources by label or code."""
    page = Page(language(), current_endpoint())
    needle = request.args.get("q", "").strip()[:200]
    if len(needle) >= 2:
        page.fill("search_labels", {"text": needle})
    return render_template("pages/search.html", page=page, needle=needle)


def resource_page(kind: str, reference: str) -> Response:
    """Render the page of the resource ``id/{kind}/{reference}``."""
    lang = language()
    page = Page(lang, current_endpoint())
    path = f"{kind}/{reference}"
    for section in (*SECTIONS.get(kind, ()), *GENERIC):
        value = path if section.parameter == "thing" else reference
        page.fill(section.query, {section.parameter: value})
    statements = group_statements(page.sections["resource_properties"])
    places = _places(kind, path, statements, page.endpoint.settings.base)
    next_steps = {
        place["value"]: page.fill(
            "involve_neighbourhood_now", {"place": place["value"].rsplit("/", 1)[1]}
        )
        for place in places
    }
    context = {
        "page": page,
        "kind": kind,
        "path": path,
        "statements": statements,
        "title": first_value(statements, TITLE_PROPERTIES) or path,
        "summary": first_value(statements, TEXT_PROPERTIES),
        "kind_label": first_label(statements, RDF_TYPE),
        "rdf_forms": RDF_SUFFIXES,
        "places": places,
        "next_steps": next_steps,
        "wk": str(WK),
    }
    try:
        body = render_template(f"pages/kinds/{kind}.html", **context)
    except TemplateNotFound:
        body = render_template("pages/resource.html", **context)
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = lang
    return response


def _places(
    kind: str, path: str, statements: Mapping[str, list[dict[str, str]]], base: str
) -> list[dict[str, str]]:
    """The places whose progress a page shows: the place itself, or a story's places."""
    if kind == "place":
        return [{"value": f"{base}id/{path}", "valueLabel": ""}]
    if kind == "story":
        return statements.get(str(WK.place), [])
    return []


def group_statements(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Group a resource's statements by property, keeping the order of the query."""
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["property"], []).append(row)
    return grouped


def first_value(statements: Mapping[str, list[dict[str, str]]], properties: tuple[str, ...]) -> str:
    """Return the first value of the first of ``properties`` the resource has, or ''."""
    for iri in properties:
        if statements.get(iri):
            return statements[iri][0]["value"]
    return ""


def first_label(statements: Mapping[str, list[dict[str, str]]], iri: str) -> str:
    """Return the label of the first value of ``iri``, or ''."""
    values = statements.get(iri) or [{}]
    return values[0].get("valueLabel", "")
