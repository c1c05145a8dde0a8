"""The data check: for every criterion the dossier data can answer (a stepped criterion on a catalogue
rate), the unit's value over the round's period and the points it earns, computed by the same
compute.kpis the dashboard shows, beside what the unit gave itself; a difference is flagged, and the
unit may explain it in writing (store.explain)."""
from __future__ import annotations

import queries
from reform import compute
from reform.appraisal.criteria import EPS, Criteria


def data_points(con, criteria: Criteria, unit: str) -> dict[str, dict]:
    """criterion -> {kpi, value, points, max} for each derivable criterion (value None: no dossiers)."""
    row = compute.kpis(con, criteria.period, unit=unit, lens=criteria.lens, procedure_kpis=False)[0]
    return {c.code: {"kpi": c.kpi, "value": row.get(c.kpi), "points": c.points(row.get(c.kpi)), "max": c.max}
            for c in criteria.leaves if c.derivable}


def differences(checked: dict[str, dict], scores: dict[str, dict]) -> dict[str, tuple[float | None, float | None]]:
    """criterion -> (self-assessed, from the data) where they differ (or one of them is missing)."""
    out = {}
    for code, d in checked.items():
        own = (scores.get(code) or {}).get("self_points")
        if own is None or d["points"] is None or abs(own - d["points"]) > EPS:
            out[code] = (own, d["points"])
    return out


def peer_units(con, criteria: Criteria) -> list[str]:
    """The peer group's units in operation at the end of the round's period (valid_to inclusive)."""
    return queries.run(con, "peer_units", level=criteria.peer, day=criteria.period.end)["unit_code"].tolist()
