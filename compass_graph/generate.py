"""A synthetic national dataset, for measuring compass-graph at the scale of the Netherlands.

``generate`` writes a data folder: the open dataset's own files, plus municipalities and
neighbourhoods with CBS-style codes (in the range GM5000 and up, which no real municipality has)
and a regie model each, and progress records that follow the dependency graph: each neighbourhood
passes knooppunten in an order that respects their requirements, and a few deliberately pass one
while a requirement is still open, as happens in practice. Each passed knooppunt has an event as
evidence (a decision on a date), as the practice stories have. The same seed gives the same files.
At 10,000 neighbourhoods that is about four million triples.

It is benchmark input, not open data: it belongs outside ``data/``.
"""

import random
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from compass_graph import paths
from compass_graph.dependencies import dependency_graph
from compass_graph.loader import load
from compass_graph.meter import Meter

NEIGHBOURHOODS_PER_MUNICIPALITY = 9  # about 3,000 wijken in 342 municipalities
REGIE_WEIGHTS = {"municipality-led": 0.6, "joint": 0.25, "residents-led": 0.15}
SKIP_SHARE = 0.05  # neighbourhoods that pass a knooppunt before one of its requirements
NEIGHBOURHOODS_PER_FILE = 1000
FIRST_YEAR = 2019
PREFIXES = """@prefix wk:      <https://w3id.org/wijkkompas/def/> .
@prefix regie:   <https://w3id.org/wijkkompas/def/regie/> .
@prefix status:  <https://w3id.org/wijkkompas/def/status/> .
@prefix kp:      <id/knooppunt/> .
@prefix place:   <id/place/> .
@prefix progress: <id/progress/> .
@prefix event:   <id/event/> .
@prefix src:     <id/source/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
"""
SOURCE = """src:synthetic-national a wk:SourceDocument ;
    dcterms:title "Synthetische landelijke voortgang (compass-graph generate, seed {seed})"@nl ;
    rdfs:label "Synthetische landelijke voortgang"@nl, "Synthetic national progress"@en ;
    rdfs:comment "Verzonnen gegevens om compass-graph landelijk te meten; geen feiten."@nl,
        "Made-up data to measure compass-graph at national scale; not facts."@en .
"""


@dataclass(frozen=True)
class Generated:
    """What a generation wrote."""

    folder: Path
    municipalities: int
    neighbourhoods: int
    records: int
    skipping: list[str]  # the neighbourhoods that passed a knooppunt before a requirement


def generate(
    neighbourhoods: int, seed: int, out: Path, data_dir: Path = paths.DATA_DIR
) -> Generated:
    """Write a data folder at ``out`` with ``neighbourhoods`` synthetic neighbourhoods."""
    digraph = dependency_graph(load(data_dir).store)
    chooser = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for source in sorted(data_dir.glob("*.ttl")):
        shutil.copyfile(source, out / source.name)
    municipalities = -(-neighbourhoods // NEIGHBOURHOODS_PER_MUNICIPALITY)
    records = 0
    skipping: list[str] = []
    with (
        ExitStack() as files,
        (out / "national-places.ttl").open("w", encoding="utf-8") as places,
        Meter("neighbourhoods generated", neighbourhoods) as meter,
    ):
        places.write(PREFIXES + "\n" + SOURCE.format(seed=seed) + "\n")
        for number in range(municipalities):
            places.write(_municipality(5000 + number))
        for index in range(neighbourhoods):
            code = f"WK{5000 + index // NEIGHBOURHOODS_PER_MUNICIPALITY:04d}"
            code += f"{index % NEIGHBOURHOODS_PER_MUNICIPALITY + 1:02d}"
            places.write(_neighbourhood(code, chooser))
            if index % NEIGHBOURHOODS_PER_FILE == 0:
                # One progress file per thousand neighbourhoods, as a platform gets them from
                # regions: each is a named graph, small enough to move in one piece.
                number = index // NEIGHBOURHOODS_PER_FILE + 1
                progress = files.enter_context(
                    (out / f"national-progress-{number:02d}.ttl").open("w", encoding="utf-8")
                )
                progress.write(PREFIXES + "\n")
            lines, skipped = _progress(code, digraph, chooser)
            progress.writelines(lines)
            records += len(lines)
            if skipped:
                skipping.append(code)
            meter.advance()
    return Generated(out, municipalities, neighbourhoods, records, skipping)


def _municipality(number: int) -> str:
    return (
        f'place:nl-GM{number} a wk:Municipality ; wk:cbsCode "GM{number}" ;\n'
        f'    rdfs:label "Gemeente {number}"@nl, "Municipality {number}"@en ;\n'
        "    dcterms:source src:synthetic-national .\n"
    )


def _neighbourhood(code: str, chooser: random.Random) -> str:
    regie = chooser.choices(list(REGIE_WEIGHTS), weights=list(REGIE_WEIGHTS.values()))[0]
    return (
        f'place:nl-{code} a wk:Neighbourhood ; wk:cbsCode "{code}" ;\n'
        f'    rdfs:label "Wijk {code}"@nl, "Neighbourhood {code}"@en ;\n'
        f"    schema:containedInPlace place:nl-GM{code[2:6]} ; wk:regieModel regie:{regie} ;\n"
        "    dcterms:source src:synthetic-national .\n"
    )


def _progress(code: str, digraph: nx.DiGraph, chooser: random.Random) -> tuple[list[str], bool]:
    """The progress records of one neighbourhood, and whether it skipped a requirement."""
    order = list(_random_order(digraph, chooser))
    passed = order[: chooser.randint(0, len(order))]
    skipped = False
    if chooser.random() < SKIP_SHARE and len(passed) < len(order):
        # Pass one knooppunt further on while one of its requirements is still open.
        later = [
            node for node in order[len(passed) :] if set(digraph.predecessors(node)) - set(passed)
        ]
        if later:
            passed.append(chooser.choice(later))
            skipped = True
    lines = []
    for step, knooppunt in enumerate(passed):
        year = FIRST_YEAR + step * 6 // max(len(order), 1)
        day = f"{year}-{chooser.randint(1, 12):02d}-{chooser.randint(1, 28):02d}"
        lines.append(_record(code, knooppunt, "passed", year) + _evidence(code, knooppunt, day))
    taken = set(passed)
    ready = [
        node for node in order if node not in taken and set(digraph.predecessors(node)) <= taken
    ]
    if ready and chooser.random() < 0.5:
        lines.append(_record(code, chooser.choice(ready), "in-progress", FIRST_YEAR + 6))
    return lines, skipped


def _random_order(digraph: nx.DiGraph, chooser: random.Random) -> Iterator[str]:
    """A random order of the knooppunten in which each comes after all it requires."""
    waiting = {node: digraph.in_degree(node) for node in digraph}
    ready = sorted(node for node, count in waiting.items() if count == 0)
    while ready:
        node = ready.pop(chooser.randrange(len(ready)))
        yield node
        for follower in sorted(digraph.successors(node)):
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)


def _record(code: str, knooppunt: str, status: str, year: int) -> str:
    evidence = f" wk:evidence event:nl-{code}-{knooppunt} ;" if status == "passed" else ""
    return (
        f"progress:nl-{code}-{knooppunt} a wk:ProgressRecord ; wk:neighbourhood place:nl-{code} ;\n"
        f"    wk:knooppunt kp:{knooppunt} ; wk:status status:{status} ;{evidence}\n"
        f'    wk:year "{year}"^^xsd:gYear ; dcterms:source src:synthetic-national .\n'
    )


def _evidence(code: str, knooppunt: str, day: str) -> str:
    return (
        f'event:nl-{code}-{knooppunt} a wk:Event ; dcterms:date "{day}"^^xsd:date ;\n'
        f'    rdfs:label "Besluit over knooppunt {knooppunt} in wijk {code}"@nl,\n'
        f'        "Decision on knooppunt {knooppunt} in neighbourhood {code}"@en ;\n'
        f'    rdfs:comment "Vastgelegd op {day}."@nl, "Recorded on {day}."@en ;\n'
        "    dcterms:source src:synthetic-national .\n"
    )
