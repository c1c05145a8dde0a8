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
against a plain recount and on generated series (how soon shifts are found, how often stable units
are flagged).

    judge_all(x, n, rules, kind) -> [Verdict | None]  groups × quarters at once (numpy); judge: one series
    find(con, period, first_month=, lens=, level=, unit=, field=) -> list[Signal]
                                                       every group of a scope, worse first, by the dossiers
                                                       the change is worth
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from reform import catalogue as cat
from reform import compute, lookups, periods
from reform.periods import Period

D2 = 1.128      # the expected range of two normal values in σ (moving ranges of 2)


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
    rule: str                   # above | below (a limit), run_above | run_below, rising | falling
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
    history to judge. (judge_all for one series.)"""
    x = np.asarray(x, dtype=float)
    n = np.ones(len(x)) if n is None else np.asarray(n, dtype=float)
    return judge_all(x[None, :], n[None, :], rules, kind)[0]


def _streak(flags: np.ndarray, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, over the positions pts marks: how many end the row with flags true, and the position of
    the last one that does not (-1: none)."""
    t = flags.shape[1]
    bad = pts & ~flags
    last_bad = np.where(bad.any(axis=1), t - 1 - np.argmax(bad[:, ::-1], axis=1), -1)
    return (pts & (np.arange(t) > last_bad[:, None])).sum(axis=1), last_bad


def _last_ok(ok: np.ndarray, k: int) -> np.ndarray:
    """Per row, the last k positions where ok is true."""
    from_end = np.cumsum(ok[:, ::-1], axis=1)[:, ::-1]
    return ok & (from_end <= k)


def judge_all(x: np.ndarray, n: np.ndarray, rules: Rules, kind: str) -> list[Verdict | None]:
    """judge for every row of x and n (groups × quarters, the last column the period) at once: the same
    rules on whole arrays, so that a scope's thousands of groups cost milliseconds."""
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    g, t = x.shape
    last = t - 1
    ok = n >= rules.min_denominator if kind == "ratio" else n > 0
    before = ok.copy()
    before[:, last] = False
    hist = _last_ok(before, rules.history)              # the history the limits are drawn from
    h = hist.sum(axis=1)
    valid = ok[:, last] & (h >= rules.min_history)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "ratio":
            p = x / n
            centre = (x * hist).sum(axis=1) / (n * hist).sum(axis=1)
            valid &= (centre > 0) & (centre < 1)        # a history with no variation: no limits
            sig = np.sqrt(centre[:, None] * (1 - centre[:, None]) / n)
        else:
            p = x.copy()
            centre = (x * hist).sum(axis=1) / h
            valid &= np.maximum(centre, x[:, last]) >= rules.min_count   # a handful either way
            sig = np.repeat(np.sqrt(centre)[:, None], t, axis=1)
        z = (p - centre[:, None]) / sig
    # Laney: the spread of the history's z-scores, from the moving ranges of successive history points
    pos = np.where(hist, np.arange(t), -1)
    prev = np.concatenate([np.full((g, 1), -1), np.maximum.accumulate(pos, axis=1)[:, :-1]], axis=1)
    has_prev = hist & (prev >= 0)
    with np.errstate(invalid="ignore"):
        mr = np.where(has_prev, np.abs(z - np.take_along_axis(z, np.maximum(prev, 0), axis=1)), 0.0)
    sigma_z = mr.sum(axis=1) / np.maximum(has_prev.sum(axis=1), 1) / D2
    laney = sigma_z > 1
    sig = sig * np.where(laney, sigma_z, 1.0)[:, None]
    hi, lo = centre[:, None] + rules.sigma * sig, centre[:, None] - rules.sigma * sig
    if kind == "ratio":
        hi, lo = np.minimum(hi, 1.0), np.maximum(lo, 0.0)
    pts = hist.copy()
    pts[:, last] = True
    # a run is judged against the centre of the history before it (its own quarters left out, else a
    # shift would pull the centre towards itself): the `run` quarters ending at the period
    early = ok.copy()
    early[:, max(0, t - rules.run):] = False
    base = _last_ok(early, rules.history)
    # a drift: each point of the history and the period higher (lower) than the one before it
    ppos = np.where(pts, np.arange(t), -1)
    pprev = np.concatenate([np.full((g, 1), -1), np.maximum.accumulate(ppos, axis=1)[:, :-1]], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        run_centre = ((x * base).sum(axis=1) / (n * base).sum(axis=1) if kind == "ratio"
                      else (x * base).sum(axis=1) / np.maximum(base.sum(axis=1), 1))
        run_ok = base.sum(axis=1) >= rules.min_history
        p_before = np.take_along_axis(p, np.maximum(pprev, 0), axis=1)
        checks = [  # (rule, its streak and the position before it, whether it holds, centre, limit)
            ("above", _streak(p > hi, pts), p[:, last] > hi[:, last], centre, hi[:, last]),
            ("below", _streak(p < lo, pts), p[:, last] < lo[:, last], centre, lo[:, last]),
            ("run_above", s := _streak(p > run_centre[:, None], pts), run_ok & (s[0] >= rules.run), run_centre, None),
            ("run_below", s := _streak(p < run_centre[:, None], pts), run_ok & (s[0] >= rules.run), run_centre, None),
            ("rising", s := _streak((pprev >= 0) & (p > p_before), pts), s[0] + 1 >= rules.trend, centre, None),
            ("falling", s := _streak((pprev >= 0) & (p < p_before), pts), s[0] + 1 >= rules.trend, centre, None),
        ]
    out: list[Verdict | None] = [None] * g
    left = valid.copy()
    for rule, (length, last_bad), holds, centres, limits in checks:
        for i in np.flatnonzero(left & holds):
            if rule in ("rising", "falling"):     # the streak is of steps: it starts at the point before
                n_points, start = int(length[i]) + 1, int(last_bad[i])
            else:
                n_points, start = int(length[i]), _first(pts[i], last_bad[i])
            out[i] = Verdict(rule, float(p[i, last]), float(centres[i]), float(sig[i, last]),
                             None if limits is None else float(limits[i]), bool(laney[i]), n_points,
                             float(p[i, start]), start, int(h[i]))
        left &= ~holds
    return out


def _first(pts_row: np.ndarray, last_bad: int) -> int:
    """The first marked position after last_bad: where a streak starts."""
    return int(np.flatnonzero(pts_row & (np.arange(len(pts_row)) > last_bad))[0])


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

    @property
    def excess(self) -> float:
        """How many dossiers the change is worth: a rate's change times its denominator, a count's change
        (the order leadership reads signals in: 5 points of 10,000 before 1 of 100)."""
        v = self.verdict
        return abs(v.value - v.centre) * (self.n if cat.load().kpis[self.kpi].kind == "ratio" else 1)


def _worse(rule: str, direction: str) -> bool | None:
    if direction not in ("up", "down"):
        return None
    went_up = rule in ("above", "run_above", "rising")
    return went_up == (direction == "down")


def _groups(level: str | None, unit: str | None) -> list[tuple[str, str | None]]:
    """(by, peers' level) of a scope: the units among their peers at each level (or the scope's), with
    the procedures and fields; within a unit, its procedures and fields."""
    peers = [] if unit else [("peer", lv) for lv in ((level,) if level else lookups.UNIT_LEVELS)
                             if lv in lookups.UNIT_LEVELS]
    return [*peers, ("procedure", None), ("field", None)]


def quarter(period: Period) -> Period:
    """The quarter judged for a period: itself, or the quarter of its last month."""
    return period if period.kind == "quarter" else periods.quarter_of(period.last_month)


def find(con, period: Period, *, first_month: dt.date, lens: str | None = None, level: str | None = None,
         unit: str | None = None, field: str | None = None, rules: Rules | None = None) -> list[Signal]:
    """Every signal of the scope's groups for the quarter of period (its history from first_month, the
    data's first month, at most rules.history quarters back), worse first, then by the dossiers the
    change is worth (Signal.excess)."""
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
        if not quarters or quarters[-1] != q.start:
            continue
        rows = [i for i, grp in enumerate(counts["grp"]) if grp is not None]
        keys = sorted({counts["grp"][i] for i in rows}, key=str)
        where = {k: j for j, k in enumerate(keys)}
        gi = np.array([where[counts["grp"][i]] for i in rows])
        at = {d: j for j, d in enumerate(quarters)}
        ti = np.array([at[counts["b_start"][i]] for i in rows])
        shape = (len(keys), len(quarters))
        activity = _matrix(counts, rows, gi, ti, shape, ("F01", "F11i", "F11o"))   # a count's group had dossiers
        for code in rules.kpis:
            kpi = kpis[code]
            if kpi.kind == "ratio":
                x, n = (_matrix(counts, rows, gi, ti, shape, cols) for cols in (kpi.numerator, kpi.denominator))
            else:
                x, n = _matrix(counts, rows, gi, ti, shape, (kpi.count,)), activity
            for j, v in enumerate(judge_all(x, n, rules, kpi.kind)):
                if v is not None:
                    out.append(Signal(code, by, peer_level, str(keys[j]), q,
                                      periods.parse_first(quarters[v.start], "quarter"), v,
                                      _worse(v.rule, kpi.direction), float(n[j, -1])))
    return sorted(out, key=lambda s: (not s.worse, s.worse is None, -s.excess))


def _matrix(counts: dict, rows: list[int], gi: np.ndarray, ti: np.ndarray, shape: tuple[int, int],
            columns) -> np.ndarray:
    """Groups × quarters: the sum of count columns of counts' rows (gi, ti their cells)."""
    m = np.zeros(shape)
    m[gi, ti] = sum(np.asarray(counts[c], dtype=float)[rows] for c in columns)
    return m


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
