"""Pictures of the process, drawn with Graphviz: where a picture says more than a table.

- the dependency graph in one swimlane per phase, coloured by spoor, the critical path in bold;
- the same graph coloured by a neighbourhood's progress (passed, next, blocked);
- the phase x spoor matrix of knooppunten;
- the who-to-involve matrix of phases x stakeholder types as a heat map.
"""

import html
import subprocess
from collections.abc import Iterable, Mapping

import networkx as nx

from compass_graph.errors import StoreUnavailable
from compass_graph.progress import NextReport

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
SPOOR_COLOURS = {
    "A": "#8dd3c7", "B": "#ffffb3", "C": "#bebada", "D": "#fb8072", "E": "#80b1d3", "F": "#fdb462",
}  # fmt: skip
PROGRESS_COLOURS = {
    "passed": "#7fc97f",
    "next": "#fdc086",
    "blocked": "#e0e0e0",
    "skipped": "#f0027f",
}
CRITICAL = "#c0392b"


def _quoted(text: object) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def dependency_picture(
    digraph: nx.DiGraph,
    critical: Iterable[str] = (),
    progress: Mapping[str, str] | None = None,
    language: str = "nl",
) -> str:
    """DOT for the dependency graph: a swimlane per phase, colour by spoor or by progress."""
    on_path = list(critical)
    path_edges = set(nx.utils.pairwise(on_path))
    lines = [
        "digraph knooppunten {",
        '  rankdir=TB; newrank=true; ranksep=0.9; fontname="Helvetica";',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [color="#777777", arrowsize=0.6];',
    ]
    for phase in sorted({data["phase"] for _, data in digraph.nodes(data=True)}):
        lane = f"Fase {phase}"
        lines.append(
            f'  subgraph cluster_phase_{phase} {{ label={_quoted(lane)}; labeljust="l"; rank=same;'
        )
        lines.append('    style="filled"; color="#f4f4f4";')
        for code, data in sorted(digraph.nodes(data=True)):
            if data["phase"] != phase:
                continue
            colour = (
                PROGRESS_COLOURS[progress.get(code, "blocked")]
                if progress is not None
                else SPOOR_COLOURS.get((data["sporen"] or "?")[0], "#ffffff")
            )
            width = 2.5 if code in on_path else 1
            label = f"{code}\\n{data['title'][language][:40]}"
            lines.append(
                f'    {_quoted(code)} [label="{label}", fillcolor="{colour}", penwidth={width}];'
            )
        lines.append("  }")
    for prerequisite, dependent in sorted(digraph.edges):
        bold = (prerequisite, dependent) in path_edges
        style = f' [color="{CRITICAL}", penwidth=2.5]' if bold else ""
        lines.append(f"  {_quoted(prerequisite)} -> {_quoted(dependent)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _table_picture(
    title: str, columns: list[str], rows: list[tuple[str, list[tuple[str, str]]]]
) -> str:
    """DOT for one HTML-like table: each row a label and cells of (text, background colour)."""
    head = "".join(f'<TD BGCOLOR="#dddddd"><B>{html.escape(c)}</B></TD>' for c in columns)
    body = "".join(
        f'<TR><TD ALIGN="LEFT"><B>{html.escape(label)}</B></TD>'
        + "".join(f'<TD BGCOLOR="{colour}">{html.escape(text)}</TD>' for text, colour in cells)
        + "</TR>"
        for label, cells in rows
    )
    frame = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6">'
    table = f"{frame}<TR><TD></TD>{head}</TR>{body}</TABLE>"
    return (
        f'digraph matrix {{ label={_quoted(title)}; labelloc="t"; fontname="Helvetica";\n'
        '  node [shape=plaintext, fontname="Helvetica", fontsize=10];\n'
        f"  table [label=<{table}>];\n}}\n"
    )


def phase_spoor_picture(digraph: nx.DiGraph) -> str:
    """DOT for the phase x spoor matrix, each cell listing its knooppunten."""
    letters = "ABCDEF"
    rows = []
    for phase in sorted({data["phase"] for _, data in digraph.nodes(data=True)}):
        cells = []
        for letter in letters:
            codes = sorted(
                c
                for c, d in digraph.nodes(data=True)
                if d["phase"] == phase and letter in d["sporen"]
            )
            cells.append((" ".join(codes), SPOOR_COLOURS[letter] if codes else "#ffffff"))
        rows.append((f"Fase {phase}", cells))
    return _table_picture(
        "Knooppunten per fase en spoor", [f"Spoor {letter}" for letter in letters], rows
    )


def involvement_picture(counts: Mapping[int, Mapping[str, Mapping[str, int]]]) -> str:
    """DOT for the who-to-involve heat map: phases x stakeholder types, darker for more roles."""
    stakeholders = sorted({who for by_who in counts.values() for who in by_who})
    most = max((sum(r.values()) for by_who in counts.values() for r in by_who.values()), default=1)
    rows = []
    for who in stakeholders:
        cells = []
        for phase in sorted(counts):
            roles = counts[phase].get(who, {})
            total = sum(roles.values())
            shade = 255 - int(180 * total / most)
            text = " ".join(f"{role[0].upper()}{n}" for role, n in roles.items()) if total else ""
            cells.append((text, f"#{shade:02x}{shade:02x}ff" if total else "#ffffff"))
        rows.append((who, cells))
    return _table_picture(
        "Wie wanneer betrekken (L leidt, D besluit, T doet mee, C geraadpleegd, I geïnformeerd)",
        [f"Fase {phase}" for phase in sorted(counts)],
        rows,
    )


def progress_status(report: NextReport) -> dict[str, str]:
    """Map each knooppunt of a next-steps report to passed, next, blocked or skipped."""
    status = {code: "passed" for code in report.passed}
    status.update({step.code: "next" for step in report.frontier})
    status.update({waiting.code: "blocked" for waiting in report.blocked})
    status.update({waiting.code: "skipped" for waiting in report.skipped})
    return status


def render(dot_text: str, format_name: str, timeout: float = 30) -> bytes:
    """Render DOT with Graphviz into SVG or PNG."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown picture format {format_name!r}; use svg or png")
    try:
        done = subprocess.run(
            ["dot", f"-T{format_name}"],
            input=dot_text.encode(),
            capture_output=True,
            timeout=timeout,
            check=True,
        )
    except FileNotFoundError as error:
        raise StoreUnavailable("Graphviz is not installed: run 'make install'") from error
    except subprocess.CalledProcessError as error:
        raise StoreUnavailable(
            f"Graphviz failed: {error.stderr.decode(errors='replace')[:300]}"
        ) from error
    return done.stdout
