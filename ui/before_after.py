"""The before/after view of one of today's units (issue 6): the same KPIs over the 4 quarters before
1/7/2025 and the 4 quarters from it, both in the restated lens (so "before" is its predecessors'
dossiers, shared by weight), with the predecessors and their shares."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from present import fmt
from reform import catalogue, compare, periods
from reform.lookups import MERGER_DAY
from ui import fetch, filters, tables
from ui.labels import t

KPIS = catalogue.load().kpis
SHOWN = ("F01", "F05", "F10", "F11o", "F14", "D06", "S01", "SCORE")
FIRST_AFTER = periods.quarter_of(MERGER_DAY)
LAST_BEFORE = FIRST_AFTER.previous()
BEFORE = periods.parse(f"{LAST_BEFORE.same_last_year().next().code}:{LAST_BEFORE.code}")  # the 4 quarters up to it


def _after() -> periods.Period | None:
    """Up to 4 quarters from the merger's, as far as the data goes (None before it has data)."""
    last = fetch.latest_quarter()
    if last is None or periods.parse(last).start < FIRST_AFTER.start:
        return None
    quarters = [FIRST_AFTER]
    while len(quarters) < 4 and quarters[-1].code != last:
        quarters.append(quarters[-1].next())
    return quarters[0] if len(quarters) == 1 else periods.parse(f"{quarters[0].code}:{quarters[-1].code}")


def show(scope: filters.Scope) -> None:
    """Nothing unless the unit replaced others."""
    pred = fetch.query("predecessors", unit=scope.unit)
    if pred.empty:
        return
    lg = scope.lang
    after = _after()
    st.subheader(t("ba.title"))
    if after is None:
        st.info(t("ba.no_after"), icon=":material/hourglass_empty:")
        return
    f = scope.filters(lens="restated")
    before_row, after_row = fetch.kpi_row(BEFORE.code, **f), fetch.kpi_row(after.code, **f)
    rows, raw = [], []
    for code in SHOWN:
        k = KPIS[code]
        b, a = before_row.get(code), after_row.get(code)
        change = compare.change(a, b)
        rows.append({t("ba.kpi"): k.name(lg), BEFORE.label(lg): fmt.value(b, k, lg),
                     after.label(lg): fmt.value(a, k, lg), t("ba.change"): fmt.delta(change, k, lg) or "—"})
        raw.append({"code": code, "before": b, "after": a, "change": change})
    st.caption(t("ba.how", before=BEFORE.label(lg), after=after.label(lg)))
    tables.table(pd.DataFrame(rows), f"truoc-sau-{scope.unit}", key=f"ba-{scope.key()}", data=raw)
    share = before_row.get("approx_share")
    if share:
        st.caption(t("ba.approx", share=fmt.pct(share, lg)))
    st.markdown(f"**{t('ba.predecessors')}**")
    shown = pred.assign(weight=[fmt.pct(w, lg) for w in pred["weight"]],
                        level=[t(f"level.{v}", lg) for v in pred["level"]],
                        approximate=[t("ba.part" if a else "ba.whole", lg) for a in pred["approximate"]])
    tables.table(shown[["unit_code", "name", "level", "valid_to", "weight", "approximate"]].rename(columns={
        "unit_code": t("col.code"), "name": t("col.unit"), "level": t("ba.level"), "valid_to": t("ba.until"),
        "weight": t("ba.weight"), "approximate": t("ba.kind")}), f"don-vi-tien-than-{scope.unit}",
        key=f"pred-{scope.key()}", data=pred[["unit_code", "level", "valid_to", "weight", "approximate"]])
