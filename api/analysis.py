"""The dependency analyses over HTTP: closures, critical path, bottlenecks, next steps, who when."""

import dataclasses
import re
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request

from api.serving import current_endpoint
from compass_graph import analysis, involvement, pictures
from compass_graph.errors import QueryParameterError, ResourceNotFound
from compass_graph.exports import FORMATS, export
from compass_graph.progress import (
    PLACE_PROGRESS_QUERY,
    STORY_PROGRESS_QUERY,
    next_steps,
    read_progress,
    story_progress,
)
from compass_graph.queries import ID_PATTERN

bp = Blueprint("analysis", __name__, url_prefix="/api")


def _plain(value: Any) -> Any:
    """Return an analysis' answer as JSON values (as ``dataclasses.asdict``, without its copies)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _id(value: str | None, what: str) -> str:
    if not value or not ID_PATTERN.fullmatch(value):
        raise QueryParameterError(f"give a {what} id: letters, digits, dots, hyphens, underscores")
    return value


@bp.get("/knooppunten/<code>/upstream")
def upstream(code: str) -> Response:
    """What a knooppunt requires, directly or not, with the chain of reasons."""
    return jsonify(
        _plain(analysis.upstream(current_endpoint().dependencies, _id(code, "knooppunt")))
    )


@bp.get("/knooppunten/<code>/downstream")
def downstream(code: str) -> Response:
    """What requires a knooppunt, directly or not, with the chain of reasons."""
    return jsonify(
        _plain(analysis.downstream(current_endpoint().dependencies, _id(code, "knooppunt")))
    )


@bp.get("/critical-path")
def critical_path() -> Response:
    """The longest chain of requirements, overall or into ``?into=CODE``."""
    into = request.args.get("into")
    path = analysis.critical_path(
        current_endpoint().dependencies, _id(into, "knooppunt") if into is not None else None
    )
    return jsonify({"into": into, "length": len(path), "path": path})


@bp.get("/bottlenecks")
def bottlenecks() -> Response:
    """The knooppunten whose delay blocks the most others."""
    top = request.args.get("top", "10")
    if not re.fullmatch(r"[0-9]{1,3}", top) or not 1 <= int(top) <= 100:
        raise QueryParameterError("top must be a whole number from 1 to 100")
    return jsonify(_plain(analysis.bottlenecks(current_endpoint().dependencies, int(top))))


@bp.get("/review")
def review() -> Response:
    """Where the dependency graph starts and ends, requirements that run backwards, and cycles."""
    digraph = current_endpoint().dependencies
    return jsonify(
        {
            "starts": analysis.starts(digraph),
            "ends": analysis.ends(digraph),
            "backward": _plain(analysis.backward_edges(digraph)),
            "cycles": analysis.cycles(digraph),
            "order": analysis.process_order(digraph),
        }
    )


@bp.route("/next", methods=["GET", "POST"])
def next_() -> Response:
    """What is next: for the places of ``?story=``, or for a posted CSV or Turtle progress file."""
    endpoint = current_endpoint()
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


@bp.get("/places/<place>/next")
def next_for_place(place: str) -> Response:
    """What is next for one neighbourhood: what it can take up now, and with whom."""
    endpoint = current_endpoint()
    iri = f"{endpoint.settings.base}id/place/{_id(place, 'place')}"
    rows = endpoint.select(PLACE_PROGRESS_QUERY, {"place": ox.NamedNode(iri)})
    if not rows:
        raise ResourceNotFound(f"there is no neighbourhood {place!r}")
    ((passed, regie),) = story_progress(rows).values()
    return jsonify(_plain(next_steps(endpoint.dependencies, passed, endpoint.involvements, regie)))


@bp.get("/involve")
def involve() -> Response:
    """Who to involve in a phase (``?phase=``), a knooppunt (``?knooppunt=``), a story
    (``?story=``), or, without a parameter, in each phase."""
    endpoint = current_endpoint()
    rows = endpoint.involvements
    # Every parameter given is checked; the first of phase, knooppunt and story answers.
    phase = request.args.get("phase")
    if phase is not None and phase not in {"1", "2", "3", "4", "5", "6"}:
        raise QueryParameterError("phase must be 1 to 6")
    code = request.args.get("knooppunt")
    if code is not None:
        _id(code, "knooppunt")
    if "story" in request.args:
        _id(request.args["story"], "story")
    if phase is not None:
        return jsonify(involvement.matrix(rows).get(int(phase), {}))
    if code is not None:
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
    matrix = involvement.matrix(rows)  # every phase
    return jsonify({str(number): matrix[number] for number in sorted(matrix)})


@bp.get("/stakeholders/<stakeholder>/timeline")
def timeline(stakeholder: str) -> Response:
    """When a stakeholder type is needed, across the phases."""
    endpoint = current_endpoint()
    who = _id(stakeholder, "stakeholder type")
    if not endpoint.exists(f"{endpoint.settings.base}id/stakeholder-type/{who}"):
        raise ResourceNotFound(f"there is no stakeholder type {who!r}")
    return jsonify({"stakeholder": who, "phases": involvement.timeline(endpoint.involvements, who)})


@bp.get("/graph.<format_name>")
def graph_export(format_name: str) -> Response:
    """The dependency graph as GraphML, GEXF, node-link JSON, DOT, or a picture (SVG, PNG)."""
    digraph = current_endpoint().dependencies
    if format_name in pictures.FORMATS:
        drawing = pictures.dependency_picture(digraph, analysis.critical_path(digraph))
        return _picture(drawing, format_name)
    if format_name not in FORMATS:
        known = ", ".join([*FORMATS, *pictures.FORMATS])
        raise ResourceNotFound(f"no export called graph.{format_name}; use one of {known}")
    return Response(export(digraph, format_name), content_type=FORMATS[format_name])


@bp.get("/pictures/<name>.<format_name>")
def picture(name: str, format_name: str) -> Response:
    """The phase x spoor matrix, the who-to-involve heat map, or a neighbourhood's progress."""
    endpoint = current_endpoint()
    if format_name not in pictures.FORMATS:
        raise ResourceNotFound("pictures come as .svg or .png")
    if name == "phase-spoor":
        return _picture(pictures.phase_spoor_picture(endpoint.dependencies), format_name)
    if name == "involvement":
        matrix = involvement.matrix(endpoint.involvements)
        return _picture(pictures.involvement_picture(matrix), format_name)
    if name == "progress":
        return _picture(_progress_drawing(endpoint), format_name)
    raise ResourceNotFound(f"no picture called {name!r}; see the OpenAPI description")


def _progress_drawing(endpoint: Any) -> str:
    place = _id(request.args.get("place"), "place")
    iri = f"{endpoint.settings.base}id/place/{place}"
    if not endpoint.exists(iri):
        raise ResourceNotFound(f"there is no place {place!r}")
    stories = endpoint.select(
        "SELECT ?story WHERE { ?story wk:place ?place }", {"place": ox.NamedNode(iri)}
    )
    rows = [
        row
        for story in stories
        for row in endpoint.select(STORY_PROGRESS_QUERY, {"story": ox.NamedNode(story["story"])})
    ]
    passed, regie = story_progress(rows).get(iri, (set(), None))
    report = next_steps(endpoint.dependencies, passed, endpoint.involvements, regie)
    return pictures.dependency_picture(
        endpoint.dependencies, progress=pictures.progress_status(report)
    )


def _picture(drawing: str, format_name: str) -> Response:
    return Response(
        pictures.render(drawing, format_name), content_type=pictures.FORMATS[format_name]
    )
