"""The quarter on one page, as data (the document is present/brief.py): the headline indicators with
their changes against the previous period and the same period last year, what needs attention
(reform/attention.py), the best and the worst unit of each peer group on the local 766 estimate, one
trend, and how fresh the data are. Every number comes from the functions the pages use."""
from __future__ import annotations

import queries
from reform import attention, catalogue, compare, compute, periods, review
from reform.lookups import UNIT_LEVELS
from reform.periods import Period

RANK_ON = "SCORE"   # the Units page's default ranking


def build(con, period: Period, lang: str = "vi", **filters) -> dict:
    cat = catalogue.load()
    filters = {k: v for k, v in filters.items() if v is not None}
    scope = review.build_scope(con, filters)
    kpis_of = lambda code, **kw: compute.kpis(con, periods.parse(code), **kw)  # noqa: E731
    cur, prev, last_year = compute.compared(kpis_of, period, **filters)
    seen = None
    if "procedure" not in filters and "channel" not in filters:    # signals are about units and fields
        seen = attention.gather(con, period, cat.due_default, lens=filters.get("lens"), level=filters.get("level"),
                                unit=filters.get("unit"), field=filters.get("field"))
    trend_period = review.trend_range(period)
    trend = compute.kpis(con, trend_period, by=period.kind, procedure_kpis=False, **filters) if trend_period else []
    info = queries.run(con, "data_info")
    return dict(period=period, lang=lang, scope=scope, filters=filters, cards=cat.headline,
                now=cur, previous=prev, last_year=last_year, attention=seen, peers=peers(con, period, filters),
                trend=trend, data_to=None if info.empty else info.at[0, "last_received"])


def peers(con, period: Period, filters: dict) -> list[dict]:
    """Each peer group's best and worst unit on RANK_ON (competition ranks as on the Units page): the
    levels in the scope, or a unit's own units. A group with fewer than two ranked units is left out."""
    kpi = catalogue.load().kpis[RANK_ON]
    names = queries.names(con, "unit_names", "unit_code")
    groups = []
    if filters.get("unit"):
        rows = [r for r in compute.kpis(con, period, by="unit", procedure_kpis=False, **filters)
                if r["unit_code"] != filters["unit"]]
        groups.append((None, rows))
    else:
        for level in ([filters["level"]] if filters.get("level") else UNIT_LEVELS):
            rows = compute.kpis(con, period, by="peer", procedure_kpis=False, **{**filters, "level": level})
            groups.append((level, rows))
    out = []
    for level, rows in groups:
        ranked = compare.ranking(rows, "unit_code", kpi)
        ranked = ranked[ranked["rank"].notna()]
        if len(ranked) < 2:
            continue
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        out.append(dict(level=level, units=len(ranked),
                        best=dict(code=best["unit_code"], name=names.get(best["unit_code"], best["unit_code"]),
                                  value=float(best[RANK_ON]), rank=int(best["rank"])),
                        worst=dict(code=worst["unit_code"], name=names.get(worst["unit_code"], worst["unit_code"]),
                                   value=float(worst[RANK_ON]), rank=int(worst["rank"]))))
    return out
