"""python -m reform attention: what needs attention in a scope's quarter, for a cron job or the operations
centre; the same list as the Overview's "Cần chú ý" (ui/attention.py): what is coming due and overdue
today (the current period only) and every signal of reform/signals.py, worse first, each with the link
to its records."""
from __future__ import annotations

import json
import sys

from reform import catalogue, lookups


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
    from cli import inputs  # here: the parser is built for every command, this work only here
    from present import fmt
    from present import signals as sentences
    from present.text import text
    from reform import attention, db, safe, signals

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
        seen = attention.gather(con, q, args.due, lens=lens, level=args.level, unit=args.unit, field=args.field)
    finally:
        con.close()
    filters = dict(level=args.level, unit=args.unit, field=args.field)
    found, day, names = seen.signals, seen.day, seen.names
    risk = None if seen.risk is None else {"day": day.isoformat(), **seen.risk}
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
