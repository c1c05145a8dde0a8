"""python -m reform forecast: next month's and the next three months' dossiers received and backlog for
the province, a level or a unit, with the interval and the back-test (reform/forecast.py); the numbers of
the Overview's forecast table, and the README's back-test."""
from __future__ import annotations

import dataclasses
import json
import sys

from reform import lookups


def add(sub) -> None:
    f = sub.add_parser("forecast", help="forecast received dossiers and backlog, with the back-tested error")
    f.add_argument("--db")
    f.add_argument("--level", choices=lookups.UNIT_LEVELS)
    f.add_argument("--unit")
    f.add_argument("--lens", choices=("recorded", "restated"), default="recorded")
    f.add_argument("--format", choices=("text", "json"), default="text")
    f.add_argument("--lang", choices=("vi", "en"), default="vi")


def run(args) -> int:
    from cli import inputs  # here: the parser is built for every command, this work only here
    from present import fmt
    from reform import db, forecast

    path = inputs.database(args.db)
    if path is None:
        return 2
    con = db.connect_read_only(path)
    try:
        if not inputs.answerable(con, None, args.unit):
            return 2
        f = forecast.forecast(forecast.series(con, level=args.level, unit=args.unit, lens=args.lens))
    finally:
        con.close()
    if f is None:
        print("error: not enough whole months of data to forecast (at least 3 years)", file=sys.stderr)
        return 2
    out = {"last_month": f.last_month.isoformat()}
    for m in ("received", "backlog"):
        ms = getattr(f, m)
        out[m] = {"shown": ms.shown, "mape": ms.mape, "naive_mape": ms.naive_mape, "coverage": ms.coverage,
                  "outlook": dataclasses.asdict(ms.outlook) if ms.outlook and ms.shown else None,
                  "checks": [dataclasses.asdict(c) for c in ms.checks]}
    if args.format == "json":
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    lg = args.lang
    for m in ("received", "backlog"):
        ms, o = out[m], out[m]["outlook"]
        print(f"{m}: " + (f"next month {fmt.number(o['month'], 0, lg)} ({fmt.number(o['month_low'], 0, lg)}–"
                          f"{fmt.number(o['month_high'], 0, lg)}), next 3 months {fmt.number(o['quarter'], 0, lg)} "
                          f"({fmt.number(o['quarter_low'], 0, lg)}–{fmt.number(o['quarter_high'], 0, lg)})"
                          if o else "no forecast: the model did not beat the seasonal-naive baseline"))
        print(f"  back-test MAPE {fmt.pct(ms['mape'], lg, 1)} (seasonal naive {fmt.pct(ms['naive_mape'], lg, 1)}), "
              f"coverage of the 80% interval {fmt.pct(ms['coverage'], lg, 0)}")
        for c in ms["checks"]:
            print(f"  {c['quarter']}: actual {fmt.number(c['actual'], 0, lg)}, forecast {fmt.number(c['forecast'], 0, lg)} "
                  f"({fmt.number(c['low'], 0, lg)}–{fmt.number(c['high'], 0, lg)}), naive {fmt.number(c['naive'], 0, lg)}")
    return 0
