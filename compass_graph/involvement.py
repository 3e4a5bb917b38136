"""Who to involve when: every involvement of every knooppunt, per phase and per stakeholder type."""

from collections import defaultdict
from collections.abc import Iterable, Mapping

INVOLVEMENTS_QUERY = """
SELECT ?code ?phase ?stakeholder ?role ?labelNl ?labelEn
WHERE {
  ?knooppunt wk:code ?code ; wk:phase/wk:order ?phase ;
      wk:involvement [ wk:stakeholderType ?type ; wk:role ?roleIri ] .
  BIND (STRAFTER(STR(?type), "/id/stakeholder-type/") AS ?stakeholder)
  BIND (STRAFTER(STR(?roleIri), "/def/role/") AS ?role)
  OPTIONAL { ?type skos:prefLabel ?labelNl . FILTER (LANG(?labelNl) = "nl") }
  OPTIONAL { ?type skos:prefLabel ?labelEn . FILTER (LANG(?labelEn) = "en") }
}
"""

ROLES = ("leads", "decides", "takes-part", "consulted", "informed")
Rows = Iterable[Mapping[str, str]]


def timeline(rows: Rows, stakeholder: str) -> list[dict[str, object]]:
    """Per phase, the roles a stakeholder type has and in which knooppunten."""
    phases: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["stakeholder"] == stakeholder:
            phases[int(row["phase"])][row["role"]].append(row["code"])
    return [
        {
            "phase": phase,
            "roles": {role: sorted(codes) for role, codes in sorted(roles.items(), key=_role_rank)},
        }
        for phase, roles in sorted(phases.items())
    ]


def matrix(rows: Rows) -> dict[int, dict[str, dict[str, int]]]:
    """Phase x stakeholder type: how many knooppunten give each role."""
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for row in rows:
        counts[int(row["phase"])][row["stakeholder"]][row["role"]] += 1
    return {
        phase: {
            who: dict(sorted(roles.items(), key=_role_rank))
            for who, roles in sorted(by_who.items())
        }
        for phase, by_who in sorted(counts.items())
    }


def _role_rank(item: tuple[str, object]) -> int:
    return ROLES.index(item[0]) if item[0] in ROLES else len(ROLES)
