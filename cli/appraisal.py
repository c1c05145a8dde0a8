"""python -m reform appraisal criteria|check|export|backup|audit: the appraisal round's tools for the
operator (reform/appraisal/): check a year's criteria file, show a unit's data check, write the round's
minutes and scores, back up the store, and replay the audit trail against the store's state."""
from __future__ import annotations

import json
import sys


def add(sub) -> None:
    a = sub.add_parser("appraisal", help="the council's appraisal round: criteria, data check, backup, audit")
    s = a.add_subparsers(dest="appraisal_cmd", required=True)
    c = s.add_parser("criteria", help="check a criteria file and print its tree")
    c.add_argument("file")
    k = s.add_parser("check", help="a unit's values and points from the dossier data, for the derivable criteria")
    k.add_argument("--db")
    k.add_argument("--criteria", required=True, help="the round's criteria file, e.g. "
                   "reform/appraisal/criteria/2025-commune.toml")
    k.add_argument("--unit", required=True)
    b = s.add_parser("backup", help="a consistent copy of the appraisal store (safe while it is in use)")
    b.add_argument("--store", help="default: $REFORM_APPRAISAL or appraisal/appraisal.sqlite")
    b.add_argument("--out", required=True)
    x = s.add_parser("export", help="the round's minutes (PDF, DOCX) or scores (XLSX), once closed")
    x.add_argument("--store", help="default: $REFORM_APPRAISAL or appraisal/appraisal.sqlite")
    x.add_argument("--db", help="the KPI database, for the units' names")
    x.add_argument("--round", type=int, help="the round's number (default: the newest)")
    x.add_argument("--lang", choices=("vi", "en"), default="vi")
    x.add_argument("--out", required=True, help="minutes.pdf, minutes.docx or scores.xlsx")
    u = s.add_parser("audit", help="replay the audit trail and compare it with the store's state (exit 1 if not equal)")
    u.add_argument("--store")


def run(args) -> int:
    from reform.appraisal import store
    if args.appraisal_cmd == "criteria":
        c = _criteria(args.file)
        if c is None:
            return 2
        print(f"{c.year} {c.peer}: {len(c.fields)} fields, {len(c.leaves)} scored criteria, {c.total:g} points; "
              f"{sum(1 for x in c.leaves if x.derivable)} from the dossier data ({c.period.code}, {c.lens or 'recorded'})")
        for x in c.leaves:
            print(f"  {x.code:<8} {x.max:>5g}  {x.method:<8} {x.kpi or '':<5} {x.name}")
        return 0
    if args.appraisal_cmd == "check":
        from cli import inputs
        from reform.appraisal import check
        c, path = _criteria(args.criteria), inputs.database(args.db)
        if c is None or path is None:
            return 2
        checked = inputs.read(path, lambda con: check.data_points(con, c, args.unit)
                              if inputs.answerable(con, c.period, args.unit) else None)
        if checked is None:
            return 2
        print(json.dumps(checked, ensure_ascii=False, indent=1))
        return 0
    if args.appraisal_cmd == "backup":
        out = store.Store(args.store).backup(args.out)
        print(f"{out}: {out.stat().st_size:,} bytes")
        return 0
    if args.appraisal_cmd == "export":
        return _export(args)
    s = store.Store(args.store)
    trail, state = s.audit(), s.state()
    if store.replay(trail) != state:
        print(f"error: the audit trail ({len(trail)} changes) does not lead to the store's state", file=sys.stderr)
        return 1
    print(f"the audit trail's {len(trail):,} changes replay to the store's state")
    return 0


def _export(args) -> int:
    """As the council's secretary (the operator of this machine): refused while the round is open."""
    import getpass

    import queries
    from cli import inputs, output
    from present import minutes
    from reform.appraisal import report, store
    out = output.target(args.out, (".pdf", ".docx", ".xlsx"))
    if out is None:
        return 2
    s = store.Store(args.store)
    rounds = s.rounds()
    rid = args.round or (rounds[0]["id"] if rounds else None)
    if rid is None or all(r["id"] != rid for r in rounds):
        print(f"error: no appraisal round {args.round or ''} in {s.path}".replace("  ", " "), file=sys.stderr)
        return 2
    path = inputs.database(args.db)
    names = inputs.read(path, lambda con: queries.names(con, "unit_names", "unit_code")) if path else None
    if names is None:
        return 2
    try:
        m = report.minutes(s, store.Actor(f"cli:{getpass.getuser()}", "secretary"), rid, names)
    except store.Refused as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    data = {".pdf": minutes.pdf, ".docx": minutes.docx, ".xlsx": minutes.xlsx}[out.suffix.lower()](m, args.lang)
    if not output.write(out, data):
        return 2
    print(f"{out}: {len(data):,} bytes ({minutes.title(m, args.lang)})")
    return 0


def _criteria(path: str):
    """A criteria file loaded, or None after its problems on stderr."""
    from reform.appraisal import criteria as crit
    try:
        return crit.load(path)
    except crit.CriteriaError as e:
        print(f"error: {e}", file=sys.stderr)
        return None
