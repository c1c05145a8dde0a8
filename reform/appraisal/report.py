"""What the round's documents say (present/minutes.py draws them): the round, who appraised, each
unit's self-assessed and appraised totals with the council's changes and comments, the results with
ranks, index and band. Read through the store with the actor's right: the results exist once the round
is closed (for the council and the secretary) or published (for everyone)."""
from __future__ import annotations

from reform import catalogue
from reform.appraisal import store as st_


def minutes(store: st_.Store, actor: st_.Actor, rid: int, names: dict[str, str]) -> dict:
    rnd, c = store.round(rid), store.criteria(rid)
    results = store.results(actor, rid)         # refuses a round that is not closed or published
    leaves = {x.code: x for x in c.leaves}
    units = []
    for r in results:
        e = store.entry(actor, rid, r["unit_code"])
        scores = e["scores"]
        changed = [dict(code=code, name=leaves[code].name, own=s["self_points"], council=s["council_points"],
                        comment=s["council_comment"], explanation=s["explanation"])
                   for code, s in sorted(scores.items()) if s["decision"] == "adjusted"]
        band = catalogue.load().score_band(r["index"])
        units.append(dict(unit=r["unit_code"], name=names.get(r["unit_code"], r["unit_code"]), rank=r["rank"],
                          own=sum(s["self_points"] or 0 for s in scores.values()), council=r["points"],
                          index=r["index"], band=band, changed=changed,
                          evidence=sum(len(v) for v in e["evidence"].values()),
                          scores=[dict(code=x.code, name=x.name, max=x.max, **{k: (scores.get(x.code) or {}).get(k) for k in
                                       ("self_points", "council_points", "decision", "council_comment", "explanation")})
                                  for x in c.leaves]))
    trail = store.audit()
    members = sorted({a["who"] for a in trail if a["role"] == "council"})
    secretary = next((a["who"] for a in reversed(trail) if a["role"] == "secretary" and a["action"] == "close"), None)
    derivable = [x.code for x in c.leaves if x.derivable]
    return dict(round=rnd, criteria=c, units=units, members=members, secretary=secretary, derivable=derivable,
                total=c.total)
