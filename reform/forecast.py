"""A forecast with its error (issue 16, item 4): next month's and next quarter's dossiers received, and the
backlog (open dossiers, F11i + F11o) at the end of each, for a level or a unit, with a prediction
interval, and the same model's error on held-out quarters beside it.

The model is statsmodels' SARIMAX, a seasonal ARIMA with regressors, on the logarithm of a monthly series:
- dossiers received per working day (the calendar's holidays, so Tết, whichever month it falls in, is
  in the working days, not in the model), times the month's working days;
- the backlog at each month's end as it is;
- regressors: the months of COVID-19 distancing and the 2025 merger (a step from its month on: the
  province grew), from the catalogue's [forecast] and reform.lookups.MERGER_DAY.
Intervals come from simulating the fitted model (a quarter's interval is that of its three months' sum).

The back-test refits the model on the months before each of the last `backtest` whole quarters and
forecasts that quarter; its MAPE and interval coverage are reported with the forecast, beside the
seasonal-naive baseline's MAPE (the same month a year before, per working day; the backlog a year
before). A series whose model does not beat that baseline is reported without a forecast (shown = False).

    series(con, level=, unit=) -> Series          the months, received, working days, backlog
    forecast(series, rules) -> Forecast            the fit, the forecasts, the back-test
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import warnings

import numpy as np

from reform import catalogue as cat
from reform import compute, data_range, lookups, periods


@dataclasses.dataclass(frozen=True)
class Rules:
    covid: tuple[str, ...]          # months (YYYY-MM) of COVID-19 distancing: a regressor each
    backtest: int = 4               # whole quarters held out, newest first
    level: float = 0.8              # the prediction interval's coverage
    min_months: int = 36            # a shorter history: no forecast
    draws: int = 2000               # simulated paths for the intervals
    order: tuple[int, int, int] = (1, 0, 0)
    seasonal: tuple[int, int, int] = (0, 1, 1)

    @classmethod
    def load(cls) -> Rules:
        raw = dict(cat.load().forecast)
        raw["covid"] = tuple(raw.get("covid", ()))
        for k in ("order", "seasonal"):
            if k in raw:
                raw[k] = tuple(raw[k])
        return cls(**raw)


@dataclasses.dataclass(frozen=True)
class Series:
    months: list[dt.date]           # first days, whole months only, oldest first
    received: np.ndarray
    backlog: np.ndarray             # open at each month's end
    workdays: np.ndarray            # working days of each month
    future_workdays: np.ndarray     # of the 3 months after the last


def _workdays(con, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Working days of each month from first to last: the calendar's index (workdays, which holds the
    weekends and holidays rule) at each month's last day, less the previous month's."""
    rows = con.cursor().execute("select date_trunc('month', day)::date as m, max(wd_index) from workdays "
                       "where day between ? and ? group by 1 order by 1",
                       [periods.parse_first(first, "month").previous().start, last]).fetchall()
    return {m: int(b - a) for (_, a), (m, b) in zip(rows, rows[1:])}


def series(con, *, level: str | None = None, unit: str | None = None, lens: str | None = None) -> Series | None:
    """The whole months of a level's or a unit's data (a last month still being received is left out),
    from the same counts as every KPI (compute.count_columns: F01, F11i, F11o)."""
    info = data_range.bounds(con)
    if info is None:
        return None
    first, last = info
    last_received = con.cursor().execute("select last_received from data_info").fetchone()
    if last_received[0] < periods.parse_first(last, "month").end:
        last = periods.parse_first(last, "month").previous().start   # an incomplete month
    span = periods.parse(f"{periods.parse_first(first, 'month').code}:{periods.parse_first(last, 'month').code}")
    c = compute.count_columns(con, span, bucket="month", procedure_kpis=False, lens=lens, level=level, unit=unit)
    months = [d if isinstance(d, dt.date) else d.date() for d in c["b_start"]]
    if not months:
        return None
    full = [periods.parse_first(first, "month")]
    while full[-1].start < last:
        full.append(full[-1].next())
    at = {m: i for i, m in enumerate(months)}
    pick = lambda col: np.array([float(c[col][at[p.start]]) if p.start in at else 0.0 for p in full])  # noqa: E731
    ahead = [full[-1].next()]
    for _ in range(2):
        ahead.append(ahead[-1].next())
    wd = _workdays(con, full[0].start, ahead[-1].end)
    received = pick("F01")
    if not received.any():
        return None
    k = int(np.flatnonzero(received)[0])    # from the group's first month with dossiers (a unit made later)
    return Series([p.start for p in full[k:]], received[k:], (pick("F11i") + pick("F11o"))[k:],
                  np.array([float(wd[p.start]) for p in full[k:]]), np.array([float(wd[p.start]) for p in ahead]))


def _exog(months: list[dt.date], rules: Rules) -> np.ndarray:
    covid = set(rules.covid)
    merger = lookups.MERGER_DAY.replace(day=1)
    cols = [[float(f"{m:%Y-%m}" == c) for c in sorted(covid)] for m in months]
    return np.array([[*row, float(m >= merger)] for row, m in zip(cols, months)])


def _keep(exog: np.ndarray) -> np.ndarray:
    """The regressors that vary in the fitting window (a COVID month or the merger outside it: dropped)."""
    return exog.std(axis=0) > 0


@dataclasses.dataclass(frozen=True)
class Outlook:
    """One measure's forecast: next month and the next quarter (received: its sum; backlog: its end)."""
    month: float
    month_low: float
    month_high: float
    quarter: float
    quarter_low: float
    quarter_high: float


def _fit_forecast(y: np.ndarray, months: list[dt.date], scale: np.ndarray, future_scale: np.ndarray,
                  total: bool, rules: Rules, seed: int = 0) -> Outlook:
    """Fit on log(y / scale) and forecast 3 months; scale: working days (received) or ones (backlog)."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX
    future = [periods.parse_first(months[-1], "month")]
    for _ in range(3):
        future.append(future[-1].next())
    ex_all = _exog(months + [p.start for p in future[1:]], rules)
    keep = _keep(ex_all[:len(months)])
    ex, ex_future = ex_all[:len(months), keep], ex_all[len(months):, keep]
    z = np.log(np.maximum(y, 0.5) / scale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # convergence chatter on short series; the back-test judges the fit
        model = SARIMAX(z, exog=ex if ex.shape[1] else None, order=rules.order,
                        seasonal_order=(*rules.seasonal, 12), trend="c" if rules.seasonal[1] == 0 else None)
        fit = model.fit(disp=False)
        sims = fit.simulate(3, repetitions=rules.draws, anchor="end",
                            exog=ex_future if ex.shape[1] else None,
                            rng=np.random.default_rng(seed))
    paths = np.exp(np.asarray(sims).reshape(3, -1)) * future_scale[:, None]     # months × draws
    q = paths.sum(axis=0) if total else paths[-1]
    lo, hi = (1 - rules.level) / 2, 1 - (1 - rules.level) / 2
    return Outlook(float(np.median(paths[0])), float(np.quantile(paths[0], lo)), float(np.quantile(paths[0], hi)),
                   float(np.median(q)), float(np.quantile(q, lo)), float(np.quantile(q, hi)))


@dataclasses.dataclass(frozen=True)
class Check:
    """One held-out quarter: the forecast made without it, the actual, the baseline."""
    quarter: str
    actual: float
    forecast: float
    low: float
    high: float
    naive: float


@dataclasses.dataclass(frozen=True)
class Measure:
    outlook: Outlook | None
    checks: tuple[Check, ...]

    @property
    def mape(self) -> float:
        return float(np.mean([abs(c.forecast - c.actual) / c.actual for c in self.checks]))

    @property
    def naive_mape(self) -> float:
        return float(np.mean([abs(c.naive - c.actual) / c.actual for c in self.checks]))

    @property
    def coverage(self) -> float:
        return float(np.mean([c.low <= c.actual <= c.high for c in self.checks]))

    @property
    def shown(self) -> bool:
        """Whether the model beat the seasonal-naive baseline in the back-test."""
        return bool(self.checks) and self.mape < self.naive_mape


@dataclasses.dataclass(frozen=True)
class Forecast:
    last_month: dt.date             # the last whole month the forecasts start after
    received: Measure
    backlog: Measure


def _measure(s: Series, total: bool, rules: Rules) -> Measure:
    y = s.received if total else s.backlog
    scale = s.workdays if total else np.ones(len(y))
    future_scale = s.future_workdays if total else np.ones(3)
    n = len(y)
    # whole quarters at the end: the last month that closes a quarter
    end = n - 1
    while s.months[end].month % 3 != 0:
        end -= 1
    checks = []
    for k in range(rules.backtest):
        stop = end - 3 * k - 2          # the quarter's first month
        if stop < rules.min_months:
            break
        o = _fit_forecast(y[:stop], s.months[:stop], scale[:stop], scale[stop:stop + 3], total, rules, seed=k + 1)
        actual = float(y[stop:stop + 3].sum() if total else y[stop + 2])
        if total:   # the same months a year before, per working day, times this year's working days
            naive = float((y[stop - 12:stop - 9] / scale[stop - 12:stop - 9] * scale[stop:stop + 3]).sum())
        else:
            naive = float(y[stop - 10])
        checks.append(Check(periods.quarter_of(s.months[stop]).code, actual, o.quarter, o.quarter_low,
                            o.quarter_high, naive))
    outlook = _fit_forecast(y, s.months, scale, future_scale, total, rules) if n >= rules.min_months else None
    return Measure(outlook, tuple(reversed(checks)))


def forecast(s: Series, rules: Rules | None = None) -> Forecast | None:
    rules = rules or Rules.load()
    if s is None or len(s.months) < rules.min_months + 3 or s.received[-12:].sum() == 0:
        return None
    return Forecast(s.months[-1], _measure(s, True, rules), _measure(s, False, rules))
