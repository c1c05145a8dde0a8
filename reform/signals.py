"""What needs attention: a KPI value outside its own normal variation (issue 16). For each group (a unit
among its peers, a procedure, a field) and each KPI the catalogue's [signals] lists, the group's own
quarters before the period draw its control limits, and the period's value is judged against them:

- a rate with its own denominator (kind ratio: on-time share, online share, ...) on a p-chart: centre
  p̄ = Σx/Σn over the history, each quarter's limits p̄ ± k·√(p̄(1−p̄)/n). Where the history varies more
  than the binomial allows (large denominators always do), Laney's p′ chart: the same limits widened by
  σz, the spread of the quarters' z-scores (mean moving range / 1.128), when σz > 1;
- a count (kind count: late dossiers, open overdue) on a c-chart: centre c̄, limits c̄ ± k·√c̄, widened
  the same way (Laney's u′ with equal areas), when the period's count or the centre reaches min_count
  (below it the normal limits of a c-chart mean little: 1 late dossier against 0.1 is not a change);
- run rules over the history and the period: `run` quarters in a row on one side of the centre of the
  quarters before them (a sustained shift; its own quarters would pull the centre towards it), `trend`
  quarters in a row each higher, or each lower, than the last (a drift).

One signal per group and KPI: beyond a limit first, else a run, else a trend. The thresholds live in the
catalogue ([signals]). Computed here with numpy rather than a library: the formulas are a few lines
(Montgomery, Introduction to Statistical Quality Control, ch. 7; Laney, Quality Engineering 14(4),
2002), and no kept Python package implements Laney's correction; tests/test_signals.py checks them
against a plain recount and on generated series (shifts found, false alarms at the nominal rate).

    judge(x, n, rules, kind) -> Verdict | None        one series (pure numpy)
    find(con, period, lens=, level=, unit=, field=) -> list[Signal]   every group of a scope, worst first
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from reform import catalogue as cat
from reform import compute, periods
from reform.periods import Period

D2 = 1.128      # the expected range of two normal values in σ (moving ranges of 2)
RULES = ("above", "below", "run_above", "run_below", "rising", "falling")


@dataclasses.dataclass(frozen=True)
class Rules:
    kpis: tuple[str, ...]
    sigma: float = 3.0
    history: int = 12
    min_history: int = 8
    min_denominator: float = 30
    min_count: float = 5
    run: int = 8
    trend: int = 6
    top: int = 5

    @classmethod
    def load(cls) -> Rules:
        raw = cat.load().signals
        rules = cls(**{**raw, "kpis": tuple(raw["kpis"])})
        kpis = cat.load().kpis
        bad = [k for k in rules.kpis if k not in kpis or kpis[k].kind not in ("ratio", "count")
               or kpis[k].source != "dossiers"]
        if bad or rules.min_history < 2 or rules.run < 2 or rules.trend < 3:
            raise ValueError(f"catalogue: [signals] needs dossier rates or counts (not {bad}), "
                             "min_history ≥ 2, run ≥ 2, trend ≥ 3")
        return rules


@dataclasses.dataclass(frozen=True)
class Verdict:
    """How one series' last point stands against its history."""
    rule: str                   # one of RULES
    value: float                # the last point (a share, or a count)
    centre: float
    sigma: float                # the last point's σ (widened by Laney when laney)
    limit: float | None         # the limit it crossed (None for a run or a trend)
    laney: bool                 # the limits were widened (overdispersed history)
    length: int                 # quarters in the streak ending at the last point
    first_value: float          # the streak's first point
    start: int                  # its index in the series judged
    history: int                # quarters the limits were drawn from

    @property
    def z(self) -> float:
        return (self.value - self.centre) / self.sigma if self.sigma > 0 else 0.0


def judge(x: np.ndarray, n: np.ndarray | None, rules: Rules, kind: str) -> Verdict | None:
    """The last point of x (counts; with n, the denominators of a rate) against the points before it.
    Points whose denominator is below rules.min_denominator are left out (a rate), as are quarters a
    count's group had no dossiers in (n given as its activity, or None). None: no signal, or too little
    history to judge."""
    x = np.asarray(x, dtype=float)
    n = None if n is None else np.asarray(n, dtype=float)
    ok = (n >= rules.min_denominator) if kind == "ratio" else (n > 0 if n is not None else np.ones(len(x), bool))
    if not ok[-1]:
        return None
    idx = np.flatnonzero(ok[:-1])[-rules.history:]
    if len(idx) < rules.min_history:
        return None
    pts = np.append(idx, len(x) - 1)
    if kind == "ratio":
        p = x[pts] / n[pts]
        centre = x[idx].sum() / n[idx].sum()
        if not 0 < centre < 1:
            return None                 # a history with no variation (all or none): no limits
        sig = np.sqrt(centre * (1 - centre) / n[pts])
    else:
        p = x[pts]
        centre = p[:-1].mean()
        if max(centre, p[-1]) < rules.min_count:
            return None                 # a handful of dossiers either way: too few to judge
        sig = np.full(len(pts), np.sqrt(centre))
    z = (p[:-1] - centre) / sig[:-1]
    sigma_z = np.abs(np.diff(z)).mean() / D2
    laney = bool(sigma_z > 1)
    if laney:
        sig = sig * sigma_z
    hi, lo = centre + rules.sigma * sig, centre - rules.sigma * sig
    if kind == "ratio":
        hi, lo = np.minimum(hi, 1.0), np.maximum(lo, 0.0)

    def streak(flags: np.ndarray) -> int:
        k = 0
        while k < len(flags) and flags[len(flags) - 1 - k]:
            k += 1
        return k

    def verdict(rule: str, length: int, limit: float | None) -> Verdict:
        return Verdict(rule, float(p[-1]), float(centre), float(sig[-1]), limit, laney, length,
                       float(p[-length]), int(pts[-length]), len(idx))

    if p[-1] > hi[-1]:
        return verdict("above", streak(p > hi), float(hi[-1]))
    if p[-1] < lo[-1]:
        return verdict("below", streak(p < lo), float(lo[-1]))
    # a run is judged against the centre of the history before it (its own quarters left out, else a
    # shift would pull the centre towards itself): the `run` quarters ending at the period
    base = np.flatnonzero(ok[:len(x) - rules.run])[-rules.history:]
    if len(base) >= rules.min_history:
        run_centre = x[base].sum() / n[base].sum() if kind == "ratio" else x[base].mean()
        for rule, flags in (("run_above", p > run_centre), ("run_below", p < run_centre)):
            if (k := streak(flags)) >= rules.run:
                return dataclasses.replace(verdict(rule, k, None), centre=float(run_centre))
    step = np.diff(p)
    for rule, flags in (("rising", step > 0), ("falling", step < 0)):
        if (k := streak(flags) + 1) >= rules.trend:
            return verdict(rule, k, None)
    return None


@dataclasses.dataclass(frozen=True)
class Signal:
    kpi: str
    by: str                     # peer (a unit among its level's peers) | procedure | field
    level: str | None           # the peers' level (by = peer)
    key: str                    # the unit's, procedure's or field's code
    period: Period              # the quarter judged
    since: Period               # the streak's first quarter
    verdict: Verdict
    worse: bool | None          # by the KPI's direction (None: it has none)
    n: float                    # the quarter's denominator (a rate) or dossiers received (a count)


def _worse(rule: str, direction: str) -> bool | None:
    if direction not in ("up", "down"):
        return None
    went_up = rule in ("above", "run_above", "rising")
    return went_up == (direction == "down")


def _groups(level: str | None, unit: str | None) -> list[tuple[str, str | None]]:
    """(by, peers' level) of a scope: the units among their peers at each level (or the scope's), with
    the procedures and fields; within a unit, its procedures and fields."""
    from reform import lookups
    peers = [] if unit else [("peer", lv) for lv in ((level,) if level else lookups.LEVELS) if lv != "unassigned"]
    return [*peers, ("procedure", None), ("field", None)]


def quarter(period: Period) -> Period:
    """The quarter judged for a period: itself, or the quarter of its last month."""
    return period if period.kind == "quarter" else periods.quarter_of(period.last_month)


def find(con, period: Period, *, first_month: dt.date, lens: str | None = None, level: str | None = None,
         unit: str | None = None, field: str | None = None, rules: Rules | None = None) -> list[Signal]:
    """Every signal of the scope's groups for the quarter of period (its history from first_month, the
    data's first month, at most rules.history quarters back), worse first, then by distance from the
    centre in σ."""
    rules = rules or Rules.load()
    q = quarter(period)
    start = max(periods.quarter_of(first_month).start, _back(q, rules.history).start)
    span = periods.parse(f"{periods.parse_first(start, 'quarter').code}:{q.code}")
    kpis = cat.load().kpis
    out = []
    for by, peer_level in _groups(level, unit):
        counts = compute.count_columns(con, span, by=by, bucket="quarter", procedure_kpis=False, lens=lens,
                                       level=peer_level or level, unit=unit, field=field)
        quarters = sorted(set(counts["b_start"]))
        at = {d: i for i, d in enumerate(quarters)}
        if not quarters or quarters[-1] != q.start:
            continue
        rows: dict[str, list[int]] = {}
        for i, g in enumerate(counts["grp"]):
            if g is not None:
                rows.setdefault(g, []).append(i)
        for g, ix in rows.items():
            ix = np.asarray(ix)
            pos = np.array([at[counts["b_start"][i]] for i in ix])
            for code in rules.kpis:
                kpi = kpis[code]
                x, n = np.zeros(len(quarters)), np.zeros(len(quarters))
                if kpi.kind == "ratio":
                    x[pos] = sum(counts[c][ix] for c in kpi.numerator)
                    n[pos] = sum(counts[c][ix] for c in kpi.denominator)
                else:
                    x[pos] = counts[kpi.count][ix]
                    n[pos] = counts["F01"][ix] + counts["F11i"][ix] + counts["F11o"][ix]   # any dossier there
                v = judge(x, n, rules, kpi.kind)
                if v is None:
                    continue
                since = periods.parse_first(quarters[v.start], "quarter")
                out.append(Signal(code, by, peer_level, str(g), q, since, v, _worse(v.rule, kpi.direction),
                                  float(n[-1])))
    return sorted(out, key=lambda s: (not s.worse, s.worse is None, -abs(s.verdict.z)))


def _back(q: Period, quarters: int) -> Period:
    idx = q.start.year * 4 + (q.start.month - 1) // 3 - quarters
    return periods.parse_first(dt.date(idx // 4, 3 * (idx % 4) + 1, 1), "quarter")


def as_row(s: Signal) -> dict:
    """A signal as data (the command line's JSON and the page's twin): its group, the rule it broke,
    the value, centre and limit in the KPI's own terms (a share as a fraction), since when."""
    v = s.verdict
    return {"kpi": s.kpi, "by": s.by, "level": s.level, "key": s.key, "period": s.period.code, "rule": v.rule,
            "worse": s.worse, "value": v.value, "centre": v.centre, "limit": v.limit, "sigma": v.sigma,
            "z": v.z, "laney": v.laney, "since": s.since.code, "quarters": v.length, "history": v.history,
            "n": s.n}
