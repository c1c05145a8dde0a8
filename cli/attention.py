"""python -m reform attention: what needs attention in a scope's quarter, for a cron job or the operations
centre; the same list as the Overview's "Cần chú ý" (ui/attention.py): what is coming due and overdue
today (the current period only) and every signal of reform/signals.py, worse first, each with the link
to its records."""
from __future__ import annotations

import json
import sys

from cli import inputs
from present import fmt
from present import signals as sentences
from present.text import text
from reform import catalogue, data_range, db, kept, lookups, safe, signals


def add(sub) -> None:
    a = sub.add_parser("attention", help="what needs attention: significant changes and what is coming due")
    a.add_argument("--db")
    a.add_argument("--period", required=True, help="a quarter, e.g. 2025Q2 (a month or year: its last quarter)")
    a.add_argument("--level", choices=lookups.UNIT_LEVELS)
    a.add_argument("--unit", help="a unit code: its procedures and fields")
    a.add_argument("--field")
    a.add_argument("--lens", choices=("recorded", "restated"), default="recorded")
    a.add_argument("--due", type=int, default=catalogue.load().due_default, metavar="N",
                   help=f"coming due within N working days (one of {', '.join(map(str, catalogue.load().due_days))})")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a.add_argument("--lang", choices=("vi", "en"), default="vi")


def run(args) -> int:
    period, path = inputs.period(args.period), inputs.database(args.db)
    if period is None or path is None:
        return 2
    q = signals.quarter(period)
    lang, lens = args.lang, args.lens
    if args.due not in catalogue.load().due_days:
        print(f"error: --due {args.due}: one of {', '.join(map(str, catalogue.load().due_days))}", file=sys.stderr)
        return 2
    con = db.connect_read_only(path)
    try:
        if not inputs.answerable(con, q, args.unit):
            return 2
        bounds = data_range.bounds(con)
        filters = dict(level=args.level, unit=args.unit, field=args.field)
        found = signals.find(con, q, first_month=bounds[0], lens=lens, **filters)
        day = kept.current_day(con, q)
        risk = None
        if day is not None:
            rows = kept.at_risk(con, args.due, lens=lens, **filters)
            risk = {"day": day.isoformat(), "due_days": args.due,
                    **{c: int(rows[c].sum()) for c in ("due_soon", "overdue", "overdue_no_apology")}}
        names = {"peer": dict(con.execute("select unit_code, name from units").fetchall()),
                 "procedure": dict(con.execute("select procedure_code, name from procedures").fetchall()),
                 "field": {}}
    finally:
        con.close()
    out = []
    for s in found:
        group = sentences.group_name(s, names[s.by], lang)
        out.append({**signals.as_row(s), "name": names[s.by].get(s.key, s.key),
                    "sentence": sentences.sentence(s, group, lang), "records": sentences.link(s, lang)})
    if args.format == "json":
        json.dump({"period": q.code, "scope": {k: v for k, v in filters.items() if v is not None} | {"lens": lens},
                   "at_risk": risk, "signals": out}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(text("attention.header", lang, period=q.label(lang)))
    if risk is not None:
        print(text("risk.line", lang, due=fmt.number(risk["due_soon"], 0, lang), d=args.due,
                   day=fmt.date(day, lang),
                   overdue=fmt.number(risk["overdue"], 0, lang), none=fmt.number(risk["overdue_no_apology"], 0, lang)))
    worse = [r for r in out if r["worse"]]
    if not worse:
        print(text("attention.none", lang, period=q.label(lang)))
    for r in worse + [r for r in out if not r["worse"]]:
        print(safe.terminal(("▼ " if r["worse"] else "▲ " if r["worse"] is False else "• ") + r["sentence"]))
        print(f"    {r['records']}")       # URL-encoded
    return 0
