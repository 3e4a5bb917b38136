"""The dependency analyses over HTTP: closures, critical path, bottlenecks, next steps, who when."""

import dataclasses
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request

from compass_graph import analysis, involvement
from compass_graph.errors import QueryParameterError, ResourceNotFound
from compass_graph.exports import FORMATS, export
from compass_graph.progress import STORY_PROGRESS_QUERY, next_steps, read_progress, story_progress
from compass_graph.queries import ID_PATTERN

bp = Blueprint("analysis", __name__, url_prefix="/api")


def _endpoint() -> Any:
    return current_app.extensions["compass"]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _id(value: str | None, what: str) -> str:
    if not value or not ID_PATTERN.match(value):
        raise QueryParameterError(f"give a {what} id: letters, digits, dots, hyphens, underscores")
    return value


@bp.get("/knooppunten/<code>/upstream")
def upstream(code: str) -> Response:
    """What a knooppunt requires, directly or not, with the chain of reasons."""
    return jsonify(_plain(analysis.upstream(_endpoint().dependencies, _id(code, "knooppunt"))))


@bp.get("/knooppunten/<code>/downstream")
def downstream(code: str) -> Response:
    """What requires a knooppunt, directly or not, with the chain of reasons."""
    return jsonify(_plain(analysis.downstream(_endpoint().dependencies, _id(code, "knooppunt"))))


@bp.get("/critical-path")
def critical_path() -> Response:
    """The longest chain of requirements, overall or into ``?into=CODE``."""
    into = request.args.get("into")
    path = analysis.critical_path(
        _endpoint().dependencies, _id(into, "knooppunt") if into else None
    )
    return jsonify({"into": into, "length": len(path), "path": path})


@bp.get("/bottlenecks")
def bottlenecks() -> Response:
    """The knooppunten whose delay blocks the most others."""
    top = request.args.get("top", "10")
    if not top.isdigit() or not 1 <= int(top) <= 100:
        raise QueryParameterError("top must be a whole number from 1 to 100")
    return jsonify(_plain(analysis.bottlenecks(_endpoint().dependencies, int(top))))


@bp.route("/next", methods=["GET", "POST"])
def next_() -> Response:
    """What is next: for the places of ``?story=``, or for a posted CSV or Turtle progress file."""
    endpoint = _endpoint()
    digraph = endpoint.dependencies
    if request.method == "POST":
        turtle = request.mimetype == "text/turtle"
        if request.mimetype not in ("text/csv", "text/turtle"):
            raise QueryParameterError("post progress as text/csv (a code column) or text/turtle")
        passed = read_progress(request.get_data(as_text=True), digraph, turtle=turtle)
        regie = request.args.get("regie")
        return jsonify(_plain(next_steps(digraph, passed, endpoint.involvements, regie)))
    story = _id(request.args.get("story"), "story")
    iri = f"{endpoint.settings.base}id/story/{story}"
    if not endpoint.exists(iri):
        raise ResourceNotFound(f"there is no story {story!r}")
    places = story_progress(endpoint.select(STORY_PROGRESS_QUERY, {"story": ox.NamedNode(iri)}))
    return jsonify(
        {
            place: _plain(next_steps(digraph, passed, endpoint.involvements, regie))
            for place, (passed, regie) in sorted(places.items())
        }
    )


@bp.get("/involve")
def involve() -> Response:
    """Who to involve in a phase (``?phase=``), a knooppunt (``?knooppunt=``) or a story."""
    endpoint = _endpoint()
    rows = endpoint.involvements
    if "phase" in request.args:
        phase = request.args["phase"]
        if phase not in {"1", "2", "3", "4", "5", "6"}:
            raise QueryParameterError("phase must be 1 to 6")
        return jsonify(involvement.matrix(rows).get(int(phase), {}))
    if "knooppunt" in request.args:
        code = _id(request.args["knooppunt"], "knooppunt")
        if code not in endpoint.dependencies:
            raise ResourceNotFound(f"there is no knooppunt with the code {code!r}")
        return jsonify(
            [
                {"stakeholder": r["stakeholder"], "role": r["role"]}
                for r in rows
                if r["code"] == code
            ]
        )
    if "story" in request.args:
        return next_()
    raise QueryParameterError("give phase, knooppunt or story")


@bp.get("/stakeholders/<stakeholder>/timeline")
def timeline(stakeholder: str) -> Response:
    """When a stakeholder type is needed, across the phases."""
    endpoint = _endpoint()
    who = _id(stakeholder, "stakeholder type")
    if not endpoint.exists(f"{endpoint.settings.base}id/stakeholder-type/{who}"):
        raise ResourceNotFound(f"there is no stakeholder type {who!r}")
    return jsonify({"stakeholder": who, "phases": involvement.timeline(endpoint.involvements, who)})


@bp.get("/graph.<format_name>")
def graph_export(format_name: str) -> Response:
    """The dependency graph as GraphML, GEXF, node-link JSON or DOT."""
    if format_name not in FORMATS:
        raise ResourceNotFound(
            f"no export called graph.{format_name}; use one of {', '.join(FORMATS)}"
        )
    body = export(_endpoint().dependencies, format_name)
    return Response(body, content_type=FORMATS[format_name])
