"""SHACL shapes compiled to SPARQL: each constraint becomes one SELECT that finds its violations.

pyshacl checks shapes node by node in Python, some 45 µs per triple: minutes for a national
dataset. Compiled, every constraint is one query that Oxigraph answers over the whole store at
once, in seconds. The compiler knows the SHACL Core components the shapes use and a few more; a
shape with anything else is refused with ``UnsupportedShape``, and ``validate`` then falls back to
pyshacl. The results form a SHACL validation report graph as pyshacl writes it, and the test suite
checks that the two agree, result for result.
"""

import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from compass_graph.meter import Meter
from compass_graph.terms import to_rdflib

# Datatypes whose lexical form Oxigraph checks when it casts: an ill-formed value fails the cast.
CHECKED_BY_CAST = {
    *(XSD.boolean, XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.date, XSD.time),
    *(XSD.dateTime, XSD.duration, XSD.gYear, XSD.gYearMonth, XSD.gMonth, XSD.gDay, XSD.gMonthDay),
}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
RANGES = {
    SH.minInclusive: (">=", SH.MinInclusiveConstraintComponent),
    SH.maxInclusive: ("<=", SH.MaxInclusiveConstraintComponent),
    SH.minExclusive: (">", SH.MinExclusiveConstraintComponent),
    SH.maxExclusive: ("<", SH.MaxExclusiveConstraintComponent),
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Parameters that describe a shape or belong to a component handled with another parameter.
QUIET = {
    *(RDF.type, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group),
    *(SH.deactivated, SH.path, SH.property, SH.ignoredProperties, SH.flags, SH.defaultValue),
    *(SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, *TARGETS),
}


class UnsupportedShape(Exception):
    """A shape uses SHACL the compiler does not know; pyshacl has to check it."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as a query whose answers are its violations.

    The query binds ``?focus``; ``?value`` where the result names a value; ``?path`` where the
    offending property varies (closed shapes); and the variables a message mentions.
    """

    shape: Node
    component: Node
    severity: Node
    messages: tuple[Literal, ...]
    path: Node | None
    query: str
    value_is_focus: bool = False  # a SPARQL constraint binding no ?value reports the focus


Subclasses = Callable[[URIRef], Sequence[URIRef]]
MakeCheck = Callable[[Node, str], Check]


@dataclass
class _Compiler:
    shapes: Graph
    subclasses: Subclasses
    fresh: Iterator[int] = field(default_factory=itertools.count)

    def instance(self, v: str, cls: Node) -> str:
        """A pattern that holds when ``v`` is a SHACL instance of ``cls``."""
        if not isinstance(cls, URIRef):
            raise UnsupportedShape(f"a class that is not an IRI: {cls}")
        classes = self.subclasses(cls)
        if len(classes) == 1:
            return f"{v} rdf:type {_term(classes[0])} ."
        listed = " ".join(_term(c) for c in classes)
        typed = f"?t{next(self.fresh)}"
        return f"VALUES {typed} {{ {listed} }} {v} rdf:type {typed} ."

    # --- Shapes, targets and paths ------------------------------------------------------------

    def checks(self) -> list[Check]:
        targeted = {s for target in TARGETS for s in self.shapes.subjects(target, None)}
        targeted |= {
            s
            for s in self.shapes.subjects(RDF.type, SH.NodeShape)
            if (s, RDF.type, RDFS.Class) in self.shapes
        }
        checks: list[Check] = []
        for shape in sorted(targeted, key=str):
            if not self._active(shape):
                continue
            focus = self._focus_pattern(shape)
            checks += self._shape_checks(shape, focus)
            if self.shapes.value(shape, SH.path) is None:
                for property_shape in sorted(self.shapes.objects(shape, SH.property), key=str):
                    if self._active(property_shape):
                        checks += self._shape_checks(property_shape, focus, parent=shape)
        return checks

    def _active(self, shape: Node) -> bool:
        return self.shapes.value(shape, SH.deactivated) != Literal(True)

    def _focus_pattern(self, shape: Node) -> str:
        patterns = [self.instance("?focus", c) for c in self.shapes.objects(shape, SH.targetClass)]
        if (shape, RDF.type, RDFS.Class) in self.shapes:
            patterns.append(self.instance("?focus", shape))
        nodes = " ".join(_term(n) for n in self.shapes.objects(shape, SH.targetNode))
        if nodes:
            patterns.append(f"VALUES ?focus {{ {nodes} }}")
        patterns += [
            f"?focus {_term(p)} [] ." for p in self.shapes.objects(shape, SH.targetSubjectsOf)
        ]
        patterns += [
            f"[] {_term(p)} ?focus ." for p in self.shapes.objects(shape, SH.targetObjectsOf)
        ]
        return " UNION ".join(f"{{ {pattern} }}" for pattern in patterns)

    def path(self, path: Node) -> str:
        """Return the SPARQL property path of a SHACL path."""
        if isinstance(path, URIRef):
            return _term(path)
        if (path, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(step) for step in Collection(self.shapes, path)) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = self.shapes.value(path, predicate)
            if inner is not None:
                return template.format(self.path(inner))
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(a) for a in Collection(self.shapes, alternatives)) + ")"
        raise UnsupportedShape(f"an unknown kind of path: {path}")

    # --- The checks of one shape --------------------------------------------------------------

    def _shape_checks(self, shape: Node, focus: str, parent: Node | None = None) -> list[Check]:
        path_node = self.shapes.value(shape, SH.path)
        path = self.path(path_node) if path_node is not None else None
        values = f"?focus {path} ?value ." if path else "BIND (?focus AS ?value)"
        severity = self.shapes.value(shape, SH.severity) or SH.Violation
        messages = tuple(
            m for m in self.shapes.objects(shape, SH.message) if isinstance(m, Literal)
        )

        def check(component: Node, query: str) -> Check:
            return Check(shape, component, severity, messages, path_node, query)

        checks = []
        handled: set[Node] = set(QUIET)
        for component, condition, parameters in self.value_conditions(shape, "?value"):
            handled |= parameters
            checks.append(
                check(
                    component,
                    f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} {values} "
                    f"FILTER (!COALESCE({condition}, false)) }}",
                )
            )
        for parameter, value in self.shapes.predicate_objects(shape):
            if parameter in handled:
                continue
            if parameter == SH.minCount and path:
                checks.append(
                    check(SH.MinCountConstraintComponent, _too_few(focus, path, _int(value)))
                )
            elif parameter == SH.maxCount and path:
                checks.append(
                    check(SH.MaxCountConstraintComponent, _too_many(focus, path, _int(value)))
                )
            elif parameter == SH.uniqueLang and path:
                if value == Literal(True):
                    checks.append(
                        check(SH.UniqueLangConstraintComponent, _shared_language(focus, path))
                    )
            elif parameter == SH.qualifiedValueShape and path:
                checks += self._qualified(shape, focus, path, value, check)
            elif parameter == SH.disjoint:
                checks.append(
                    check(
                        SH.DisjointConstraintComponent,
                        f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} {values} "
                        f"?focus {_term(value)} ?value . }}",
                    )
                )
            elif parameter == SH.closed and not path:
                if value == Literal(True):
                    checks.append(check(SH.ClosedConstraintComponent, self._closed(shape, focus)))
            elif parameter == SH.sparql and not path and parent is None:
                checks.append(self._sparql(shape, value, focus, severity, messages))
            elif str(parameter).startswith(str(SH)):
                raise UnsupportedShape(f"{shape} uses {parameter}")
        return checks

    def _qualified(
        self, shape: Node, focus: str, path: str, qualified: Node, check: "MakeCheck"
    ) -> list[Check]:
        if self.shapes.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            raise UnsupportedShape(f"{shape} uses sh:qualifiedValueShapesDisjoint")
        conforms = self.conforms(qualified, "?value")
        checks = []
        for parameter, component, having in (
            (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent, "<"),
            (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent, ">"),
        ):
            count = self.shapes.value(shape, parameter)
            if count is None:
                continue
            qualifying = f"?focus {path} ?value FILTER (COALESCE({conforms}, false))"
            if parameter == SH.qualifiedMinCount and _int(count) == 1:
                query = f"SELECT ?focus WHERE {{ {focus} FILTER NOT EXISTS {{ {qualifying} }} }}"
            else:
                query = (
                    f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ {qualifying} }} }} "
                    f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) {having} {_int(count)})"
                )
            checks.append(check(component, query))
        return checks

    def _closed(self, shape: Node, focus: str) -> str:
        allowed: set[Node | None] = {
            self.shapes.value(p, SH.path) for p in self.shapes.objects(shape, SH.property)
        }
        ignored = self.shapes.value(shape, SH.ignoredProperties)
        if ignored is not None:
            allowed |= set(Collection(self.shapes, ignored))
        listed = ", ".join(sorted(_term(p) for p in allowed if isinstance(p, URIRef)))
        exclude = f"FILTER (?path NOT IN ({listed}))" if listed else ""
        return (
            f"SELECT DISTINCT ?focus ?path ?value WHERE {{ {focus} ?focus ?path ?value . "
            f"{exclude} }}"
        )

    def _sparql(
        self,
        shape: Node,
        constraint: Node,
        focus: str,
        severity: Node,
        messages: tuple[Literal, ...],
    ) -> Check:
        select = str(self.shapes.value(constraint, SH.select) or "")
        projection = select.split("WHERE", 1)[0] if "WHERE" in select else select
        if not select or "$this" not in projection or "$PATH" in select:
            raise UnsupportedShape(f"{shape}: a SPARQL constraint must be a SELECT of $this")
        if "$shapesGraph" in select or "$currentShape" in select:
            raise UnsupportedShape(f"{shape}: $shapesGraph and $currentShape are not supported")
        prefixes = "".join(
            f"PREFIX {self.shapes.value(d, SH.prefix)}: <{self.shapes.value(d, SH.namespace)}>\n"
            for source in self.shapes.objects(constraint, SH.prefixes)
            for d in self.shapes.objects(source, SH.declare)
        )
        this_focus = focus.replace("?focus", "?this")
        query = (
            f"{prefixes}SELECT * WHERE {{ {this_focus} {{ {select.replace('$this', '?this')} }} }}"
        )
        own = tuple(
            m for m in self.shapes.objects(constraint, SH.message) if isinstance(m, Literal)
        )
        component = SH.SPARQLConstraintComponent
        return Check(shape, component, severity, own + messages, None, query, value_is_focus=True)

    # --- Conditions on one value --------------------------------------------------------------

    def value_conditions(self, shape: Node, v: str) -> list[tuple[Node, str, set[Node]]]:
        """Return (component, condition a conforming value meets, parameters used) per component."""
        conditions: list[tuple[Node, str, set[Node]]] = []

        def add(component: Node, condition: str, *parameters: Node) -> None:
            conditions.append((component, condition, set(parameters)))

        for parameter, value in self.shapes.predicate_objects(shape):
            if parameter == SH["class"]:
                add(
                    SH.ClassConstraintComponent,
                    f"EXISTS {{ {self.instance(v, value)} }}",
                    parameter,
                )
            elif parameter == SH.datatype:
                add(SH.DatatypeConstraintComponent, _datatype(v, value), parameter)
            elif parameter == SH.nodeKind:
                kind = NODE_KINDS[value]  # type: ignore[index]
                add(SH.NodeKindConstraintComponent, kind.format(v=v), parameter)
            elif parameter == SH["in"]:
                members = Collection(self.shapes, value)
                add(
                    SH.InConstraintComponent,
                    " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) or "false",
                    parameter,
                )
            elif parameter == SH.pattern:
                flags = self.shapes.value(shape, SH.flags)
                pattern = _literal(str(value))
                arguments = f"{pattern}, {_literal(str(flags))}" if flags else pattern
                add(
                    SH.PatternConstraintComponent,
                    f"!isBlank({v}) && REGEX(STR({v}), {arguments})",
                    parameter,
                    SH.flags,
                )
            elif parameter == SH.languageIn:
                tags = Collection(self.shapes, value)
                matches = " || ".join(f"langMatches(LANG({v}), {_literal(str(t))})" for t in tags)
                add(
                    SH.LanguageInConstraintComponent,
                    f"isLiteral({v}) && ({matches or 'false'})",
                    parameter,
                )
            elif parameter in RANGES:
                operator, component = RANGES[parameter]  # type: ignore[index]
                add(component, f"{v} {operator} {_term(value)}", parameter)
            elif parameter in (SH.minLength, SH.maxLength):
                operator = ">=" if parameter == SH.minLength else "<="
                component = (
                    SH.MinLengthConstraintComponent
                    if parameter == SH.minLength
                    else SH.MaxLengthConstraintComponent
                )
                add(
                    component,
                    f"!isBlank({v}) && STRLEN(STR({v})) {operator} {_int(value)}",
                    parameter,
                )
            elif parameter in (SH["or"], SH["and"], SH.xone):
                parts = [self.conforms(s, v) for s in Collection(self.shapes, value)]
                if parameter == SH["or"]:
                    add(SH.OrConstraintComponent, " || ".join(parts) or "false", parameter)
                elif parameter == SH["and"]:
                    add(SH.AndConstraintComponent, " && ".join(parts) or "true", parameter)
                else:
                    count = " + ".join(f"IF(COALESCE({p}, false), 1, 0)" for p in parts)
                    add(SH.XoneConstraintComponent, f"({count or '0'}) = 1", parameter)
            elif parameter == SH["not"]:
                add(
                    SH.NotConstraintComponent,
                    f"!COALESCE({self.conforms(value, v)}, false)",
                    parameter,
                )
            elif parameter == SH.node:
                add(SH.NodeConstraintComponent, self.conforms(value, v), parameter)
        return conditions

    def conforms(self, shape: Node, v: str) -> str:
        """Return a condition that holds when the node in ``v`` conforms to ``shape``."""
        path_node = self.shapes.value(shape, SH.path)
        if path_node is None:
            parts = [f"COALESCE({c}, false)" for _, c, _ in self._only_values(shape, v)]
            return "(" + (" && ".join(parts) or "true") + ")"
        path = self.path(path_node)
        parts = []
        inner = f"?v{next(self.fresh)}"
        for _, condition, _ in self._only_values(shape, inner, {SH.minCount, SH.maxCount}):
            parts.append(
                f"NOT EXISTS {{ {v} {path} {inner} FILTER (!COALESCE({condition}, false)) }}"
            )
        least = self.shapes.value(shape, SH.minCount)
        if least is not None and _int(least) > 0:
            if _int(least) != 1:
                raise UnsupportedShape(f"{shape}: a nested sh:minCount other than 1")
            parts.append(f"EXISTS {{ {v} {path} [] }}")
        most = self.shapes.value(shape, SH.maxCount)
        if most is not None:
            other = f"?v{next(self.fresh)}"
            if _int(most) == 0:
                parts.append(f"NOT EXISTS {{ {v} {path} [] }}")
            elif _int(most) == 1:
                two = f"{v} {path} {inner}, {other} FILTER (!sameTerm({inner}, {other}))"
                parts.append(f"NOT EXISTS {{ {two} }}")
            else:
                raise UnsupportedShape(f"{shape}: a nested sh:maxCount above 1")
        return "(" + (" && ".join(parts) or "true") + ")"

    def _only_values(
        self, shape: Node, v: str, also: set[Node] | None = None
    ) -> list[tuple[Node, str, set[Node]]]:
        conditions = self.value_conditions(shape, v)
        known = set(QUIET) | (also or set())
        for _, _, parameters in conditions:
            known |= parameters
        for parameter in self.shapes.predicates(shape):
            if parameter not in known and str(parameter).startswith(str(SH)):
                raise UnsupportedShape(f"{shape} uses {parameter} inside another shape")
        return conditions


def _int(node: Node) -> int:
    return int(str(node))


def _too_few(focus: str, path: str, count: int) -> str:
    if count == 1:
        return f"SELECT ?focus WHERE {{ {focus} FILTER NOT EXISTS {{ ?focus {path} [] }} }}"
    return (
        f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus {path} ?value }} }} "
        f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {count})"
    )


def _too_many(focus: str, path: str, count: int) -> str:
    if count == 0:
        return f"SELECT DISTINCT ?focus WHERE {{ {focus} ?focus {path} [] }}"
    if count == 1:
        return (
            f"SELECT DISTINCT ?focus WHERE {{ {focus} ?focus {path} ?value, ?other "
            "FILTER (!sameTerm(?value, ?other)) }"
        )
    return (
        f"SELECT ?focus WHERE {{ {focus} ?focus {path} ?value }} "
        f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {count})"
    )


def _shared_language(focus: str, path: str) -> str:
    """One answer per focus node and language tag shared by two of its values."""
    return (
        f"SELECT DISTINCT ?focus ?lang WHERE {{ {focus} ?focus {path} ?value, ?other . "
        'BIND (LCASE(LANG(?value)) AS ?lang) FILTER (?lang != "" && !sameTerm(?value, ?other) '
        "&& ?lang = LCASE(LANG(?other))) }"
    )


def _datatype(v: str, datatype: Node) -> str:
    if datatype == RDF.langString:
        return f'isLiteral({v}) && LANG({v}) != ""'
    if datatype == RDFS.Literal:
        return f"isLiteral({v})"
    condition = f"isLiteral({v}) && DATATYPE({v}) = {_term(datatype)}"
    if datatype in CHECKED_BY_CAST:
        condition += f" && isLiteral({_term(datatype)}(STR({v})))"
    return condition


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"a blank node where a constant belongs: {node}")


def _literal(text: str) -> str:
    return Literal(text).n3()


def compile_shapes(shapes: Graph, subclasses: Subclasses) -> list[Check]:
    """Compile every active shape with a target into checks; raise UnsupportedShape if one can't.

    ``subclasses`` gives a class and every class below it in the data, so that instances are
    found with plain triple patterns (much faster than ``rdf:type/rdfs:subClassOf*``).
    """
    return _Compiler(shapes, subclasses).checks()


def store_subclasses(store: ox.Store) -> Subclasses:
    """Return the class and its subclasses in ``store``, for ``compile_shapes``."""

    def subclasses(cls: URIRef) -> list[URIRef]:
        query = f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* {_term(cls)} }}"
        found = store.query(PROLOGUE + query, use_default_graph_as_union=True)
        return sorted({cls, *(URIRef(row["c"].value) for row in found)})  # type: ignore[union-attr]

    return subclasses


PROLOGUE = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def run_checks(checks: list[Check], store: ox.Store, shapes: Graph) -> Graph:
    """Run the checks on all graphs of ``store`` together; return the SHACL validation report.

    The checks run side by side on all cores: Oxigraph evaluates a query without holding the GIL.
    """
    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))

    def answers(check: Check) -> list[dict[str, Any]]:
        # Only Oxigraph's terms leave the thread: its query answers must stay where they began.
        solutions = store.query(PROLOGUE + check.query, use_default_graph_as_union=True)
        names = [variable.value for variable in solutions.variables]  # type: ignore[union-attr]
        return [
            {name: row[name] for name in names if row[name] is not None}
            for row in solutions  # type: ignore[union-attr]
        ]

    found = []
    with (
        Meter("shape checks run", len(checks)) as meter,
        ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
    ):
        for rows in pool.map(answers, checks):
            found.append(rows)
            meter.advance()
    for check, rows in zip(checks, found, strict=True):
        for row in rows:
            bindings = {name: to_rdflib(term) for name, term in row.items()}
            report.add((node, SH.result, _result(report, shapes, check, bindings)))
    report.add((node, SH.conforms, Literal(not any(found))))
    return report


def _result(report: Graph, shapes: Graph, check: Check, bindings: dict[str, Node]) -> BNode:
    result = BNode()
    focus = bindings.get("focus") or bindings["this"]
    bindings.setdefault("this", focus)
    value = bindings.get("value", focus if check.value_is_focus else None)
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, focus))
    report.add((result, SH.resultSeverity, check.severity))
    report.add((result, SH.sourceShape, check.shape))
    report.add((result, SH.sourceConstraintComponent, check.component))
    if value is not None:
        report.add((result, SH.value, value))
    if "path" in bindings:
        report.add((result, SH.resultPath, bindings["path"]))
    elif check.path is not None:
        _copy(shapes, check.path, report)
        report.add((result, SH.resultPath, check.path))
    for message in check.messages:
        text = _bind(str(message), bindings)
        report.add((result, SH.resultMessage, Literal(text, lang=message.language)))
    return result


def _bind(message: str, bindings: dict[str, Node]) -> str:
    for name, term in bindings.items():
        for sigil in "?$":
            message = message.replace("{" + sigil + name + "}", str(term))
    return message


def _copy(shapes: Graph, node: Node, report: Graph) -> None:
    """Copy the blank-node structure of a path into the report, as pyshacl does."""
    if isinstance(node, BNode):
        for predicate, obj in shapes.predicate_objects(node):
            report.add((node, predicate, obj))
            _copy(shapes, obj, report)
