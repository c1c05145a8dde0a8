"""Comparisons the pages show: changes between periods, rankings within a peer group and their
movement, Pareto shares. Values come from compute.kpis; nothing here reads the database."""
from __future__ import annotations

import pandas as pd

from reform.catalogue import Kpi, shown, shown_change


def change(current, previous) -> float | None:
    """current − previous, or None when either is unknown."""
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    return current - previous


def better(delta: float | None, kpi: Kpi) -> bool | None:
    """Whether a change is an improvement by the KPI's direction (None: unknown or no direction)."""
    if delta is None or delta == 0 or kpi.direction not in ("up", "down"):
        return None
    return (delta > 0) == (kpi.direction == "up")


def ranking(rows: list[dict], key: str, kpi: Kpi, worst_first: bool = False) -> pd.DataFrame:
    """Rows ranked on one KPI as it is shown (catalogue.shown: two values shown alike are a tie and share
    the rank, competition style 1, 1, 3; 1 = best by its direction; no value = no rank), listed best
    first, or worst first (the ranks stay the same)."""
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=[key, kpi.code, "rank"])
    values = pd.Series([shown(kpi, v) for v in pd.to_numeric(df[kpi.code], errors="coerce")], index=df.index,
                       dtype="float64")
    ascending = kpi.direction == "down"
    df["rank"] = values.rank(method="min", ascending=ascending).astype("Int64")
    return df.sort_values(["rank", key], ascending=[not worst_first, True], na_position="last").reset_index(drop=True)


def rank_change(current: pd.DataFrame, previous: pd.DataFrame, key: str) -> pd.Series:
    """Places gained since the previous period (positive = moved up), aligned with `current`."""
    before = dict(zip(previous[key], previous["rank"])) if len(previous) else {}
    return pd.Series([None if pd.isna(r) or pd.isna(before.get(k, pd.NA)) else int(before[k] - r)
                      for k, r in zip(current[key], current["rank"])], index=current.index, dtype="Int64")


def value_change(current: pd.DataFrame, earlier: list[dict], key: str, kpi: Kpi) -> pd.Series:
    """Each row's value minus its value in an earlier period (None where either is unknown), aligned
    with `current`."""
    before = {r[key]: r.get(kpi.code) for r in earlier}
    return pd.Series([change(v, before.get(k)) for k, v in zip(current[key], current[kpi.code])],
                     index=current.index, dtype="Float64")


def by_change(ranked: pd.DataFrame, column: str, kpi: Kpi, improved: bool) -> pd.DataFrame:
    """The rows ordered by a change column as it is shown: the largest improvement (by the KPI's
    direction) first, or the largest worsening first; rows without a change last, ties by rank, key."""
    sign = -1 if kpi.direction == "down" else 1
    size = pd.Series([shown_change(kpi, d) for d in ranked[column]], index=ranked.index, dtype="float64")
    order = (-sign if improved else sign) * size
    return ranked.assign(_o=order).sort_values(["_o", "rank"], na_position="last", kind="stable") \
                 .drop(columns="_o").reset_index(drop=True)


def pareto(rows: list[dict], key: str, code: str, top: int = 20) -> pd.DataFrame:
    """The `top` rows by a count, with each one's cumulative share of the whole total."""
    df = pd.DataFrame(rows)
    if df.empty or code not in df:
        return pd.DataFrame(columns=[key, code, "cum_share"])
    df = df[df[code] > 0].sort_values([code, key], ascending=[False, True])
    total = df[code].sum()
    df["cum_share"] = df[code].cumsum() / total if total else None
    return df.head(top).reset_index(drop=True)


def top(rows: list[dict], key: str, columns: tuple[str, ...], n: int) -> pd.DataFrame:
    """The n rows with the largest sum of some counts (e.g. finished = early + on time + late)."""
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["total"] = df[list(columns)].sum(axis=1)
    return df[df["total"] > 0].sort_values(["total", key], ascending=[False, True]).head(n).reset_index(drop=True)
