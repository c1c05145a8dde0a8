"""python -m reform appraisal criteria|check|backup|audit: the appraisal round's tools for the operator
(reform/appraisal/): check a year's criteria file, show a unit's data check, back up the store, and
replay the audit trail against the store's state."""
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
    u = s.add_parser("audit", help="replay the audit trail and compare it with the store's state (exit 1 if not equal)")
    u.add_argument("--store")


def run(args) -> int:
    from reform.appraisal import criteria as crit
    from reform.appraisal import store
    if args.appraisal_cmd == "criteria":
        try:
            c = crit.load(args.file)
        except crit.CriteriaError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"{c.year} {c.peer}: {len(c.fields)} fields, {len(c.leaves)} scored criteria, {c.total:g} points; "
              f"{sum(1 for x in c.leaves if x.derivable)} from the dossier data ({c.period.code}, {c.lens or 'recorded'})")
        for x in c.leaves:
            print(f"  {x.code:<8} {x.max:>5g}  {x.method:<8} {x.kpi or '':<5} {x.name}")
        return 0
    if args.appraisal_cmd == "check":
        from cli import inputs
        from reform import db
        from reform.appraisal import check
        try:
            c = crit.load(args.criteria)
        except crit.CriteriaError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        path = inputs.database(args.db)
        if path is None:
            return 2
        con = db.connect_read_only(path)
        try:
            if not inputs.answerable(con, c.period, args.unit):
                return 2
            print(json.dumps(check.data_points(con, c, args.unit), ensure_ascii=False, indent=1))
        finally:
            con.close()
        return 0
    if args.appraisal_cmd == "backup":
        out = store.Store(args.store).backup(args.out)
        print(f"{out}: {out.stat().st_size:,} bytes")
        return 0
    s = store.Store(args.store)
    trail, state = s.audit(), s.state()
    if store.replay(trail) != state:
        print(f"error: the audit trail ({len(trail)} changes) does not lead to the store's state", file=sys.stderr)
        return 1
    print(f"the audit trail's {len(trail):,} changes replay to the store's state")
    return 0
